/* Tests for src/secureboot/sb_keys.c: loading every key form the vectors
 * hold, the scheme rules (RSA-3072, P-192/256/384 only), generation in
 * espsecure's traditional PEM, and the load errors. */
#include <openssl/pem.h>

#include "sb_test.h"

static void
test_sb_keys__schemes_of_vector_keys(void **state)
{
    static const struct {
        const char *rel;
        mfab_sb_scheme scheme;
    } cases[] = {
        { SBV2 "sbv2-rsa3072-01/key.pem", MFAB_SB_RSA3072 },
        { SBV2 "sbv2-rsa3072-01/pubkey.pem", MFAB_SB_RSA3072 },
        { SBV2 "sbv2-ecdsa192-01/key.pem", MFAB_SB_ECDSA192 },
        { SBV2 "sbv2-ecdsa256-01/pubkey.pem", MFAB_SB_ECDSA256 },
        { SBV2 "sbv2-ecdsa384-01/key.pem", MFAB_SB_ECDSA384 },
        { UPSTREAM "rsa_secure_boot_signing_key.pem", MFAB_SB_RSA3072 },
    };
    size_t i;
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(cases); i++) {
        EVP_PKEY *k = sb_vkey(cases[i].rel);
        mfab_sb_scheme s = MFAB_SB_NONE;

        assert_int_equal(mfab_sb_key_scheme(&s, k, NULL), 0);
        assert_int_equal(s, cases[i].scheme);
        EVP_PKEY_free(k);
    }
}

/* Generated keys: right scheme, traditional PEM that loads back. */
static void
test_sb_keys__generate_every_scheme(void **state)
{
    static const char *const headers[] = {
        NULL, "-----BEGIN RSA PRIVATE KEY-----",
        "-----BEGIN EC PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----",
        "-----BEGIN EC PRIVATE KEY-----"
    };
    int s;
    (void)state;

    for (s = MFAB_SB_RSA3072; s <= MFAB_SB_ECDSA384; s++) {
        EVP_PKEY *k = NULL, *back = NULL;
        mfab_sb_scheme got = MFAB_SB_NONE;
        char *pem = NULL, *pub = NULL;
        size_t n = 0, pn = 0;
        BIO *bio;

        assert_int_equal(mfab_sb_key_generate(&k, (mfab_sb_scheme)s, NULL),
                         0);
        assert_int_equal(mfab_sb_key_scheme(&got, k, NULL), 0);
        assert_int_equal(got, s);
        assert_int_equal(mfab_sb_key_pem(&pem, &n, k, 1, NULL), 0);
        assert_non_null(strstr(pem, headers[s]));
        assert_int_equal(mfab_sb_key_pem(&pub, &pn, k, 0, NULL), 0);
        assert_non_null(strstr(pub, "-----BEGIN PUBLIC KEY-----"));
        bio = BIO_new_mem_buf(pem, (int)n);
        back = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
        assert_non_null(back);
        assert_int_equal(EVP_PKEY_eq(back, k), 1);
        BIO_free(bio);
        EVP_PKEY_free(back);
        mfab_sb_pem_free(pem, n);
        mfab_sb_pem_free(pub, pn);
        EVP_PKEY_free(k);
    }
}

static void
test_sb_keys__generate_none_is_einval(void **state)
{
    EVP_PKEY *k = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sb_key_generate(&k, MFAB_SB_NONE, &d), MFAB_EINVAL);
    assert_null(k);
}

/* A public key has no private PEM. */
static void
test_sb_keys__private_pem_of_public_key_is_einval(void **state)
{
    EVP_PKEY *pub = sb_vkey(SBV2 "sbv2-ecdsa256-01/pubkey.pem");
    char *pem = NULL;
    size_t n = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sb_key_pem(&pem, &n, pub, 1, &d), MFAB_EINVAL);
    assert_null(pem);
    EVP_PKEY_free(pub);
}

static void
test_sb_keys__unsupported_keys(void **state)
{
    EVP_PKEY *p521 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
    EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    mfab_sb_scheme s;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sb_key_scheme(&s, p521, &d), MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&d, MFAB_EUNSUPPORTED, "secp521r1", "P-384", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_sb_key_scheme(&s, rsa, &d), MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&d, MFAB_EUNSUPPORTED, "2048 bits", NULL);
    EVP_PKEY_free(p521);
    EVP_PKEY_free(rsa);
}

static void
test_sb_keys__load_errors(void **state)
{
    char path[1024];
    EVP_PKEY *k = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sb_key_load(&k, "/nonexistent/key.pem", &d),
                     MFAB_ENOTFOUND);
    mfab_diag_init(&d);
    /* a data file is no key */
    mfab_test_vpath(path, sizeof(path), SBV2 "sbv2-rsa3072-01/input.bin");
    assert_int_equal(mfab_sb_key_load(&k, path, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "no PEM or DER key", NULL);
    assert_null(k);
    /* a folder cannot be read as a key file */
    mfab_diag_init(&d);
    mfab_test_vpath(path, sizeof(path), SBV2 "sbv2-rsa3072-01");
    assert_int_equal(mfab_sb_key_load(&k, path, &d), MFAB_EIO);
    assert_null(k);
}

/* DER private keys load as well as PEM ones. */
static void
test_sb_keys__der_key_loads(void **state)
{
    EVP_PKEY *pem = sb_vkey(SBV2 "sbv2-ecdsa384-01/key.pem"), *der = NULL;
    char *dir = mfab_test_tmpdir(), path[1024];
    unsigned char *buf = NULL;
    int n = i2d_PrivateKey(pem, &buf);
    FILE *f;
    (void)state;

    snprintf(path, sizeof(path), "%s/key.der", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    assert_int_equal(mfab_sb_key_load(&der, path, NULL), 0);
    assert_int_equal(EVP_PKEY_eq(der, pem), 1);
    OPENSSL_free(buf);
    EVP_PKEY_free(pem);
    EVP_PKEY_free(der);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_keys__schemes_of_vector_keys),
        cmocka_unit_test(test_sb_keys__generate_every_scheme),
        cmocka_unit_test(test_sb_keys__generate_none_is_einval),
        cmocka_unit_test(test_sb_keys__private_pem_of_public_key_is_einval),
        cmocka_unit_test(test_sb_keys__unsupported_keys),
        cmocka_unit_test(test_sb_keys__load_errors),
        cmocka_unit_test(test_sb_keys__der_key_loads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
