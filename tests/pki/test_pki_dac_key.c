/* Tests for src/pki/pki_dac_key.c: the byte-level DAC key pair against
 * OpenSSL (the same key through mfab_pki_key_encode must give the same
 * bytes in all eight forms), scalar range, files and every error code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "mfab_test.h"

static const mfab_pki_key_format all_formats[] = {
    MFAB_PKI_KEY_RAW_PRIVATE, MFAB_PKI_KEY_RAW_PUBLIC, MFAB_PKI_KEY_SEC1_DER,
    MFAB_PKI_KEY_SEC1_PEM,    MFAB_PKI_KEY_PKCS8_DER,  MFAB_PKI_KEY_PKCS8_PEM,
    MFAB_PKI_KEY_PUBLIC_DER,  MFAB_PKI_KEY_PUBLIC_PEM};

/* the P-256 order n and the base point G (FIPS 186-4 D.1.2.3) */
static const uint8_t order[32] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
    0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};
static const uint8_t gx[8] = {0x6B, 0x17, 0xD1, 0xF2, 0xE1, 0x2C, 0x42, 0x47};

static void
assert_same_as_openssl(const mfab_pki_dac_key *k)
{
    uint8_t a[1024], b[MFAB_PKI_DAC_KEY_ENC_MAX];
    size_t alen = 0, blen = 0, i;
    EVP_PKEY *pkey = NULL;

    assert_int_equal(mfab_pki_dac_key_to_pkey(&pkey, k, NULL), 0);
    for (i = 0; i < sizeof(all_formats) / sizeof(all_formats[0]); i++) {
        assert_int_equal(mfab_pki_key_encode(a, sizeof(a), &alen, pkey,
                                             all_formats[i], NULL),
                         0);
        assert_int_equal(mfab_pki_dac_key_encode(b, sizeof(b), &blen, k,
                                                 all_formats[i], NULL),
                         0);
        mfab_test_assert_bytes("key encoding", a, alen, b, blen);
        assert_int_equal(
            mfab_pki_dac_key_encode(NULL, 0, &blen, k, all_formats[i], NULL),
            0);
        assert_int_equal(blen, alen);
    }
    EVP_PKEY_free(pkey);
}

static void
test_pki_dac_key__encodings_equal_openssl(void **state)
{
    mfab_pki_dac_key k;
    uint8_t secret[32];
    int i;
    (void)state;

    for (i = 0; i < 20; i++) {
        assert_int_equal(mfab_pki_dac_key_generate(&k, NULL), 0);
        assert_same_as_openssl(&k);
    }
    /* leading zero bytes of d stay: fixed 32-byte field */
    memset(secret, 0, sizeof(secret));
    secret[31] = 1;
    assert_int_equal(mfab_pki_dac_key_from_secret(&k, secret, NULL), 0);
    assert_same_as_openssl(&k);
    mfab_pki_dac_key_release(&k);
}

static void
test_pki_dac_key__from_secret(void **state)
{
    mfab_pki_dac_key k, again;
    uint8_t secret[32];
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    memset(secret, 0, sizeof(secret));
    secret[31] = 1; /* d = 1: the public key is G */
    assert_int_equal(mfab_pki_dac_key_from_secret(&k, secret, NULL), 0);
    assert_int_equal(k.pub[0], 0x04);
    assert_memory_equal(k.pub + 1, gx, sizeof(gx));
    memcpy(secret, order, sizeof(secret));
    secret[31] -= 1; /* n - 1: largest valid scalar */
    assert_int_equal(mfab_pki_dac_key_from_secret(&k, secret, NULL), 0);
    assert_int_equal(mfab_pki_dac_key_from_secret(&again, secret, NULL), 0);
    assert_memory_equal(&k, &again, sizeof(k));
    assert_memory_equal(k.priv, secret, sizeof(secret));
    assert_same_as_openssl(&k);

    assert_int_equal(mfab_pki_dac_key_from_secret(&k, order, &diag),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&diag, MFAB_ERANGE, "not a P-256 scalar", NULL);
    memset(secret, 0, sizeof(secret));
    assert_int_equal(mfab_pki_dac_key_from_secret(&k, secret, NULL),
                     MFAB_ERANGE);
    mfab_pki_dac_key_release(&k);
    mfab_pki_dac_key_release(&again);
    mfab_pki_dac_key_release(NULL);
}

static void
test_pki_dac_key__errors(void **state)
{
    mfab_pki_dac_key k;
    uint8_t buf[64];
    size_t len = 0;
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_dac_key_generate(&k, NULL), 0);
    assert_int_equal(mfab_pki_dac_key_encode(buf, sizeof(buf), &len, &k,
                                             MFAB_PKI_KEY_SEC1_DER, &diag),
                     MFAB_EBUFS);
    assert_int_equal(len, 121);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_pki_dac_key_encode(buf, sizeof(buf), &len, &k,
                                             (mfab_pki_key_format)99, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "unknown key format", NULL);
    mfab_pki_dac_key_release(&k);
}

static void
test_pki_dac_key__write(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[1024];
    mfab_pki_dac_key k;
    uint8_t exp[MFAB_PKI_DAC_KEY_ENC_MAX], *got;
    size_t exp_len = 0, got_len = 0;
    struct stat st;
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_dac_key_generate(&k, NULL), 0);
    snprintf(path, sizeof(path), "%s/dac-key.pem", dir);
    assert_int_equal(
        mfab_pki_dac_key_write(path, &k, MFAB_PKI_KEY_PKCS8_PEM, NULL), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    got = mfab_test_read(path, &got_len);
    assert_int_equal(mfab_pki_dac_key_encode(exp, sizeof(exp), &exp_len, &k,
                                             MFAB_PKI_KEY_PKCS8_PEM, NULL),
                     0);
    mfab_test_assert_bytes("written key", exp, exp_len, got, got_len);
    free(got);
    snprintf(path, sizeof(path), "%s/dac-pub.bin", dir);
    assert_int_equal(
        mfab_pki_dac_key_write(path, &k, MFAB_PKI_KEY_RAW_PUBLIC, NULL), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    snprintf(path, sizeof(path), "%s/no/such/dir/key.der", dir);
    assert_int_equal(
        mfab_pki_dac_key_write(path, &k, MFAB_PKI_KEY_SEC1_DER, &diag),
        MFAB_EIO);
    mfab_pki_dac_key_release(&k);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_dac_key__encodings_equal_openssl),
        cmocka_unit_test(test_pki_dac_key__from_secret),
        cmocka_unit_test(test_pki_dac_key__errors),
        cmocka_unit_test(test_pki_dac_key__write),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
