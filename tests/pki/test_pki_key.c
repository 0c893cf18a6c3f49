/* Tests for src/pki/pki_key.c: loading every key file form, encoding every
 * form the reference writes (byte-exact against mfg_tool's outputs), file
 * modes, curve and key/certificate mismatch errors. */
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "mfab_test.h"

#define MFG "pki/mfgtool/mfgtool-DAC-FFF2-8001-"
#define SDK "pki/sdk-test/"

static EVP_PKEY *
load_ok(const char *rel, const char *pass)
{
    char path[1024];
    EVP_PKEY *key = NULL;
    mfab_diag d = MFAB_DIAG_INIT;

    mfab_test_vpath(path, sizeof(path), rel);
    if (mfab_pki_key_load(&key, path, pass, &d) != 0)
        fail_msg("%s: %s", rel, mfab_diag_message(&d));
    return key;
}

static void
assert_encoding(EVP_PKEY *key, mfab_pki_key_format fmt, const char *rel)
{
    char path[1024];
    uint8_t buf[1024];
    size_t len = 0, elen = 0;
    uint8_t *expected;

    mfab_test_vpath(path, sizeof(path), rel);
    expected = mfab_test_read(path, &elen);
    assert_int_equal(mfab_pki_key_encode(buf, sizeof(buf), &len, key, fmt,
                                         NULL), 0);
    mfab_test_assert_bytes(rel, expected, elen, buf, len);
    free(expected);
}

static void
test_pki_key__mfgtool_forms_byte_exact(void **state)
{
    EVP_PKEY *sec1 = load_ok(MFG "Key.der", NULL);
    EVP_PKEY *pkcs8 = load_ok(MFG "Key.pem", NULL);
    (void)state;

    assert_true(EVP_PKEY_eq(sec1, pkcs8) == 1);
    assert_encoding(sec1, MFAB_PKI_KEY_RAW_PRIVATE, MFG "private_key.bin");
    assert_encoding(sec1, MFAB_PKI_KEY_RAW_PUBLIC, MFG "public_key.bin");
    assert_encoding(pkcs8, MFAB_PKI_KEY_SEC1_DER, MFG "Key.der");
    assert_encoding(sec1, MFAB_PKI_KEY_PKCS8_PEM, MFG "Key.pem");
    EVP_PKEY_free(sec1);
    EVP_PKEY_free(pkcs8);
}

static void
test_pki_key__sdk_sec1_pem_and_der(void **state)
{
    EVP_PKEY *pem = load_ok(SDK "Chip-Test-PAI-FFF1-8000-Key.pem", NULL);
    EVP_PKEY *der = load_ok(SDK "Chip-Test-PAI-FFF1-8000-Key.der", NULL);
    (void)state;

    assert_true(EVP_PKEY_eq(pem, der) == 1);
    assert_encoding(der, MFAB_PKI_KEY_SEC1_PEM,
                    SDK "Chip-Test-PAI-FFF1-8000-Key.pem");
    EVP_PKEY_free(pem);
    EVP_PKEY_free(der);
}

/* Writes key with PEM_write_bio_PKCS8PrivateKey (AES-256) into dir. */
static void
write_encrypted(const char *path, EVP_PKEY *key, const char *pass)
{
    BIO *bio = BIO_new_file(path, "w");

    assert_non_null(bio);
    assert_int_equal(PEM_write_bio_PKCS8PrivateKey(bio, key,
                                                   EVP_aes_256_cbc(), NULL, 0,
                                                   NULL, (void *)pass), 1);
    BIO_free(bio);
}

static void
test_pki_key__encrypted_pem_needs_right_pass(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[1024];
    EVP_PKEY *src = load_ok(MFG "Key.der", NULL), *key = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    snprintf(path, sizeof(path), "%s/enc.pem", dir);
    write_encrypted(path, src, "s3cret");
    assert_int_equal(mfab_pki_key_load(&key, path, "s3cret", NULL), 0);
    assert_true(EVP_PKEY_eq(src, key) == 1);
    EVP_PKEY_free(key);
    key = NULL;
    assert_int_equal(mfab_pki_key_load(&key, path, "wrong", &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "wrong passphrase", "enc.pem",
                          NULL);
    assert_null(key);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_key_load(&key, path, NULL, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "no passphrase", NULL);
    EVP_PKEY_free(src);
    mfab_test_rmtree(dir);
}

static void
test_pki_key__garbage_missing_and_cert(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[1024];
    EVP_PKEY *key = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    snprintf(path, sizeof(path), "%s/garbage.pem", dir);
    assert_int_equal(mfab_file_write_atomic(path, "hello\n", 6, 0644, NULL),
                     0);
    assert_int_equal(mfab_pki_key_load(&key, path, NULL, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "garbage.pem",
                          "is not a private key", NULL);
    mfab_diag_init(&d);
    snprintf(path, sizeof(path), "%s/none.pem", dir);
    assert_int_equal(mfab_pki_key_load(&key, path, NULL, &d), MFAB_ENOTFOUND);
    mfab_diag_init(&d);
    mfab_test_vpath(path, sizeof(path), SDK "Chip-Test-PAI-FFF1-8000-Cert.pem");
    assert_int_equal(mfab_pki_key_load(&key, path, NULL, &d), MFAB_EFORMAT);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_key_load(&key, "", NULL, &d), MFAB_EINVAL);
    assert_null(key);
    mfab_test_rmtree(dir);
}

static void
test_pki_key__wrong_curve_rejected(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[1024];
    EVP_PKEY *k1 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
    EVP_PKEY *key = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    BIO *bio;
    (void)state;

    assert_non_null(k1);
    snprintf(path, sizeof(path), "%s/k1.pem", dir);
    bio = BIO_new_file(path, "w");
    assert_int_equal(PEM_write_bio_PrivateKey(bio, k1, NULL, NULL, 0, NULL,
                                              NULL), 1);
    BIO_free(bio);
    assert_int_equal(mfab_pki_key_load(&key, path, NULL, &d),
                     MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&d, MFAB_EUNSUPPORTED, "secp256k1", "prime256v1",
                          NULL);
    assert_null(key);
    EVP_PKEY_free(k1);
    mfab_test_rmtree(dir);
}

static void
test_pki_key__write_modes_and_roundtrip(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[1024];
    EVP_PKEY *key = NULL, *back = NULL;
    struct stat st;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_key_generate(&key, NULL), 0);
    snprintf(path, sizeof(path), "%s/k.der", dir);
    assert_int_equal(mfab_pki_key_write(path, key, MFAB_PKI_KEY_PKCS8_DER,
                                        &d), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(mfab_pki_key_load(&back, path, NULL, NULL), 0);
    assert_true(EVP_PKEY_eq(key, back) == 1);
    snprintf(path, sizeof(path), "%s/pub.pem", dir);
    assert_int_equal(mfab_pki_key_write(path, key, MFAB_PKI_KEY_PUBLIC_PEM,
                                        &d), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
    EVP_PKEY_free(key);
    EVP_PKEY_free(back);
    mfab_test_rmtree(dir);
}

static void
test_pki_key__encode_measure_bufs_and_bad_format(void **state)
{
    EVP_PKEY *key = load_ok(MFG "Key.der", NULL);
    uint8_t small[10];
    size_t len = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_key_encode(NULL, 0, &len, key,
                                         MFAB_PKI_KEY_SEC1_DER, NULL), 0);
    assert_int_equal(len, 121);
    assert_int_equal(mfab_pki_key_encode(small, sizeof(small), &len, key,
                                         MFAB_PKI_KEY_RAW_PUBLIC, &d),
                     MFAB_EBUFS);
    assert_int_equal(len, 65);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_key_encode(small, sizeof(small), &len, key,
                                         (mfab_pki_key_format)99, &d),
                     MFAB_EINVAL);
    EVP_PKEY_free(key);
}

static void
test_pki_key__public_only_key_cannot_export_private(void **state)
{
    char path[1024];
    X509 *cert = NULL;
    uint8_t buf[256];
    size_t len = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    mfab_test_vpath(path, sizeof(path), MFG "Cert.der");
    assert_int_equal(mfab_pki_cert_load(&cert, path, NULL), 0);
    assert_int_equal(mfab_pki_key_encode(buf, sizeof(buf), &len,
                                         X509_get0_pubkey(cert),
                                         MFAB_PKI_KEY_RAW_PRIVATE, &d),
                     MFAB_EUNSUPPORTED);
    X509_free(cert);
}

static void
test_pki_key__matches_cert(void **state)
{
    char path[1024];
    EVP_PKEY *key = load_ok(MFG "Key.pem", NULL);
    X509 *dac = NULL, *pai = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    mfab_test_vpath(path, sizeof(path), MFG "Cert.pem");
    assert_int_equal(mfab_pki_cert_load(&dac, path, NULL), 0);
    mfab_test_vpath(path, sizeof(path),
                    "pki/mfgtool/mfgtool-PAI-FFF2-8001-Cert.der");
    assert_int_equal(mfab_pki_cert_load(&pai, path, NULL), 0);
    assert_int_equal(mfab_pki_key_matches_cert(key, dac, "dac.pem", NULL), 0);
    assert_int_equal(mfab_pki_key_matches_cert(key, pai, "pai.der", &d),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "does not match", "'pai.der'",
                          NULL);
    X509_free(dac);
    X509_free(pai);
    EVP_PKEY_free(key);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_key__mfgtool_forms_byte_exact),
        cmocka_unit_test(test_pki_key__sdk_sec1_pem_and_der),
        cmocka_unit_test(test_pki_key__encrypted_pem_needs_right_pass),
        cmocka_unit_test(test_pki_key__garbage_missing_and_cert),
        cmocka_unit_test(test_pki_key__wrong_curve_rejected),
        cmocka_unit_test(test_pki_key__write_modes_and_roundtrip),
        cmocka_unit_test(test_pki_key__encode_measure_bufs_and_bad_format),
        cmocka_unit_test(
            test_pki_key__public_only_key_cannot_export_private),
        cmocka_unit_test(test_pki_key__matches_cert),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
