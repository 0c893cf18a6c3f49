/*
 * Tests of src/encimg/encimg_key.c: the vectors' PEM keys load with the
 * right scheme and half; the device key derived from device_hmac_key.bin
 * is the vector's (same public PEM, same private scalar); other key types
 * and sizes are refused; generated keys round-trip through PEM.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "encimg/encimg_internal.h"
#include "matterfab/encimg.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "mfab_test.h"

static uint8_t *
load(const char *c, const char *file, size_t *len)
{
    char rel[512], path[4096];

    snprintf(rel, sizeof(rel), "production/enc-img/%s/%s", c, file);
    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

static void
expect_key(const char *c, const char *file, mfab_encimg_scheme scheme,
           int has_private)
{
    mfab_encimg_key *k = NULL;
    mfab_diag diag = MFAB_DIAG_INIT;
    size_t len;
    uint8_t *data = load(c, file, &len);

    assert_int_equal(mfab_encimg_key_load(&k, data, len, file, &diag), 0);
    assert_int_equal(mfab_encimg_key_scheme(k), scheme);
    assert_int_equal(mfab_encimg_key_has_private(k), has_private);
    mfab_encimg_key_free(k);
    free(data);
}

static void
test_encimg_key__vector_keys(void **state)
{
    (void)state;
    expect_key("encimg-rsa3072-01", "rsa_private.pem", MFAB_ENCIMG_RSA3072, 1);
    expect_key("encimg-rsa3072-01", "rsa_public.pem", MFAB_ENCIMG_RSA3072, 0);
    expect_key("encimg-ecies-p256-01", "device_private.pem",
               MFAB_ENCIMG_ECIES_P256, 1);
    expect_key("encimg-ecies-p256-01", "device_pub_key.pem",
               MFAB_ENCIMG_ECIES_P256, 0);
    expect_key("encimg-ecies-p256-01", "device_hmac_key.bin",
               MFAB_ENCIMG_ECIES_P256, 1);
}

static void
test_encimg_key__hmac_derivation_matches_vector(void **state)
{
    const char *c = "encimg-ecies-p256-01";
    char rel[512], path[4096], hex[65];
    mfab_encimg_key *k = NULL;
    BIGNUM *d = NULL;
    uint8_t scalar[32];
    char *pem = NULL;
    size_t hlen, plen, pemlen = 0;
    uint8_t *hmac = load(c, "device_hmac_key.bin", &hlen);
    uint8_t *pub = load(c, "device_pub_key.pem", &plen);
    json_t *j;
    (void)state;

    assert_int_equal(hlen, 32);
    assert_int_equal(mfab_encimg_key_from_hmac(&k, hmac, NULL), 0);
    assert_int_equal(mfab_encimg_key_pem(&pem, &pemlen, k, 0, NULL), 0);
    mfab_test_assert_bytes("device_pub_key.pem", pub, plen,
                           (const uint8_t *)pem, pemlen);
    assert_true(EVP_PKEY_get_bn_param(k->pkey, OSSL_PKEY_PARAM_PRIV_KEY, &d));
    assert_int_equal(BN_bn2binpad(d, scalar, 32), 32);
    mfab_hex_encode(hex, scalar, 32);
    snprintf(rel, sizeof(rel), "production/enc-img/%s/expected.json", c);
    mfab_test_vpath(path, sizeof(path), rel);
    j = mfab_test_json(path);
    assert_string_equal(hex, json_string_value(json_object_get(
                                 j, "device_private_scalar_hex")));
    json_decref(j);
    BN_clear_free(d);
    mfab_encimg_pem_free(pem, pemlen);
    mfab_encimg_key_free(k);
    free(hmac);
    free(pub);
}

/* PEM text of a freshly generated key of another kind. */
static char *
foreign_pem(const char *type, const char *param, size_t bits)
{
    EVP_PKEY *p = param ? EVP_PKEY_Q_keygen(NULL, NULL, type, param)
                        : bits ? EVP_PKEY_Q_keygen(NULL, NULL, type, bits)
                               : EVP_PKEY_Q_keygen(NULL, NULL, type);
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL, *copy;
    long n;

    assert_non_null(p);
    assert_true(PEM_write_bio_PUBKEY(bio, p));
    n = BIO_get_mem_data(bio, &data);
    copy = malloc((size_t)n + 1);
    assert_non_null(copy);
    memcpy(copy, data, (size_t)n);
    copy[n] = '\0';
    BIO_free(bio);
    EVP_PKEY_free(p);
    return copy;
}

static void
expect_refused(const char *pem, int code, const char *needle)
{
    mfab_encimg_key *k = NULL;
    mfab_diag diag = MFAB_DIAG_INIT;

    assert_int_equal(mfab_encimg_key_load(&k, (const uint8_t *)pem,
                                          strlen(pem), "k.pem", &diag),
                     code);
    assert_null(k);
    mfab_test_assert_diag(&diag, code, needle, NULL);
}

static void
test_encimg_key__refused(void **state)
{
    char *pem;
    (void)state;

    pem = foreign_pem("RSA", NULL, 2048);
    expect_refused(pem, MFAB_EUNSUPPORTED, "'k.pem' is RSA-2048");
    free(pem);
    pem = foreign_pem("EC", "P-384", 0);
    expect_refused(pem, MFAB_EUNSUPPORTED, "curve 'secp384r1'");
    free(pem);
    pem = foreign_pem("ED25519", NULL, 0);
    expect_refused(pem, MFAB_EUNSUPPORTED, "type 'ED25519'");
    free(pem);
    expect_refused("this is not a key at all, just text", MFAB_EFORMAT,
                   "cannot read key 'k.pem'");
}

static void
test_encimg_key__generate_and_pem(void **state)
{
    uint8_t hmac[32], zero[32] = { 0 };
    mfab_encimg_key *k = NULL, *back = NULL, *pub = NULL;
    mfab_diag diag = MFAB_DIAG_INIT;
    char *pem = NULL;
    size_t len = 0;
    (void)state;

    assert_int_equal(mfab_encimg_key_generate_rsa(&k, NULL), 0);
    assert_int_equal(mfab_encimg_key_scheme(k), MFAB_ENCIMG_RSA3072);
    assert_int_equal(mfab_encimg_key_pem(&pem, &len, k, 1, NULL), 0);
    assert_non_null(strstr(pem, "-----BEGIN PRIVATE KEY-----"));
    assert_int_equal(mfab_encimg_key_load(&back, (uint8_t *)pem, len, "p",
                                          NULL),
                     0);
    assert_true(mfab_encimg_key_has_private(back));
    assert_int_equal(EVP_PKEY_eq(k->pkey, back->pkey), 1);
    mfab_encimg_pem_free(pem, len);
    mfab_encimg_key_free(back);
    mfab_encimg_key_free(k);

    assert_int_equal(mfab_encimg_generate_hmac_key(hmac, NULL), 0);
    assert_memory_not_equal(hmac, zero, 32);
    assert_int_equal(mfab_encimg_key_from_hmac(&k, hmac, NULL), 0);
    assert_int_equal(mfab_encimg_key_pem(&pem, &len, k, 0, NULL), 0);
    assert_int_equal(mfab_encimg_key_load(&pub, (uint8_t *)pem, len, "p",
                                          NULL),
                     0);
    assert_false(mfab_encimg_key_has_private(pub));
    mfab_encimg_pem_free(pem, len);
    pem = NULL;
    assert_int_equal(mfab_encimg_key_pem(&pem, &len, pub, 1, &diag),
                     MFAB_EINVAL);
    assert_null(pem);
    mfab_encimg_key_free(pub);
    mfab_encimg_key_free(k);
    mfab_encimg_key_free(NULL);
    mfab_encimg_pem_free(NULL, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encimg_key__vector_keys),
        cmocka_unit_test(test_encimg_key__hmac_derivation_matches_vector),
        cmocka_unit_test(test_encimg_key__refused),
        cmocka_unit_test(test_encimg_key__generate_and_pem),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
