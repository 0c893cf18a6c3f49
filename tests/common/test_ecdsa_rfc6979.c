/* Tests for src/common/ecdsa_rfc6979.c: RFC 6979 appendix A.2.5 (P-256,
 * SHA-256) known answers, and signatures OpenSSL verifies on other curves. */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "matterfab/ecdsa.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "mfab_test.h"

static EVP_PKEY *
key_from_scalar(const char *curve, const char *hex)
{
    uint8_t d[66], pub[133];
    size_t n = 0;
    EVP_PKEY *key = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params;
    EC_GROUP *group = EC_GROUP_new_by_curve_name(OBJ_sn2nid(curve));
    EC_POINT *pt = EC_POINT_new(group);
    BIGNUM *x;
    size_t plen;

    assert_int_equal(mfab_hex_decode(d, sizeof(d), &n, hex, strlen(hex),
                                     NULL), 0);
    x = BN_bin2bn(d, (int)n, NULL);
    assert_int_equal(EC_POINT_mul(group, pt, x, NULL, NULL, NULL), 1);
    plen = EC_POINT_point2oct(group, pt, POINT_CONVERSION_UNCOMPRESSED, pub,
                              sizeof(pub), NULL);
    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, curve, 0);
    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x);
    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pub, plen);
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    assert_int_equal(EVP_PKEY_fromdata_init(ctx), 1);
    assert_int_equal(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params),
                     1);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    BN_free(x);
    EC_POINT_free(pt);
    EC_GROUP_free(group);
    return key;
}

static void
check_rs(const uint8_t *der, size_t len, const char *r_hex, const char *s_hex)
{
    const unsigned char *p = der;
    ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
    char *r, *s;

    assert_non_null(sig);
    r = BN_bn2hex(ECDSA_SIG_get0_r(sig));
    s = BN_bn2hex(ECDSA_SIG_get0_s(sig));
    assert_string_equal(r, r_hex);
    assert_string_equal(s, s_hex);
    OPENSSL_free(r);
    OPENSSL_free(s);
    ECDSA_SIG_free(sig);
}

static const char p256_x[] =
    "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";

static void
test_ecdsa_rfc6979__p256_sha256_known_answers(void **state)
{
    EVP_PKEY *key = key_from_scalar("prime256v1", p256_x);
    uint8_t der[80];
    size_t len = 0;
    (void)state;

    assert_int_equal(mfab_ecdsa_sign_rfc6979(der, sizeof(der), &len, key,
                                             "SHA256",
                                             (const uint8_t *)"sample", 6,
                                             NULL), 0);
    check_rs(der, len,
             "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716",
             "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8");
    assert_int_equal(mfab_ecdsa_sign_rfc6979(der, sizeof(der), &len, key,
                                             "SHA256",
                                             (const uint8_t *)"test", 4,
                                             NULL), 0);
    check_rs(der, len,
             "F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367",
             "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083");
    EVP_PKEY_free(key);
}

/* Other curves and digests: deterministic, and OpenSSL verifies them. */
static void
test_ecdsa_rfc6979__verifies_on_other_curves(void **state)
{
    static const char *const curves[] = { "prime192v1", "secp384r1" };
    static const char *const digests[] = { "SHA256", "SHA384" };
    size_t i;
    (void)state;

    for (i = 0; i < 2; i++) {
        EVP_PKEY *key = NULL;
        EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        uint8_t a[120], b[120];
        size_t alen = 0, blen = 0;

        assert_int_equal(EVP_PKEY_keygen_init(kctx), 1);
        assert_int_equal(EVP_PKEY_CTX_set_group_name(kctx, curves[i]), 1);
        assert_int_equal(EVP_PKEY_keygen(kctx, &key), 1);
        assert_int_equal(mfab_ecdsa_sign_rfc6979(a, sizeof(a), &alen, key,
                                                 digests[i],
                                                 (const uint8_t *)"image", 5,
                                                 NULL), 0);
        assert_int_equal(mfab_ecdsa_sign_rfc6979(b, sizeof(b), &blen, key,
                                                 digests[i],
                                                 (const uint8_t *)"image", 5,
                                                 NULL), 0);
        mfab_test_assert_bytes("same input, same signature", a, alen, b,
                               blen);
        assert_int_equal(EVP_DigestVerifyInit_ex(md, NULL, digests[i], NULL,
                                                 NULL, key, NULL), 1);
        assert_int_equal(EVP_DigestVerify(md, a, alen,
                                          (const uint8_t *)"image", 5), 1);
        EVP_MD_CTX_free(md);
        EVP_PKEY_CTX_free(kctx);
        EVP_PKEY_free(key);
    }
}

static void
test_ecdsa_rfc6979__errors(void **state)
{
    EVP_PKEY *key = key_from_scalar("prime256v1", p256_x);
    EVP_PKEY *rsa = EVP_RSA_gen(1024);
    uint8_t der[8];
    size_t len = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_ecdsa_sign_rfc6979(NULL, 0, &len, key, "SHA256",
                                             (const uint8_t *)"x", 1, NULL),
                     0);
    assert_true(len >= 72);
    assert_int_equal(mfab_ecdsa_sign_rfc6979(der, sizeof(der), &len, key,
                                             "SHA256", (const uint8_t *)"x", 1,
                                             &d), MFAB_EBUFS);
    mfab_test_assert_diag(&d, MFAB_EBUFS, "too small", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_ecdsa_sign_rfc6979(der, sizeof(der), &len, rsa,
                                             "SHA256", (const uint8_t *)"x", 1,
                                             &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "EC key", NULL);
    EVP_PKEY_free(rsa);
    EVP_PKEY_free(key);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ecdsa_rfc6979__p256_sha256_known_answers),
        cmocka_unit_test(test_ecdsa_rfc6979__verifies_on_other_curves),
        cmocka_unit_test(test_ecdsa_rfc6979__errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
