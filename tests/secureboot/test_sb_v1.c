/* Tests for src/secureboot/sb_v1.c: V1 app signatures. Byte-exact with
 * the reference where OpenSSL offers RFC 6979 nonces; otherwise (OpenSSL
 * 3.0/3.1) the spec 4.9 equivalence: same data and version word, and the
 * signature verifies. The reference's signed files verify; tampering,
 * wrong keys and malformed trailers are refused. */
#include "matterfab/pki.h"
#include "sb_test.h"

#define SBV1 "production/sbv1/sbv1-ecdsa256-01/"

static void
sign_matches(const char *data_rel, const char *key_rel, const char *ref_rel)
{
    size_t len = 0, ref_len = 0, n = 0;
    uint8_t *data = sb_vread(data_rel, &len);
    uint8_t *ref = sb_vread(ref_rel, &ref_len);
    EVP_PKEY *key = sb_vkey(key_rel);
    uint8_t *out;
    mfab_diag d = MFAB_DIAG_INIT;

    assert_int_equal(mfab_sbv1_sign(NULL, 0, &n, data, len, key, NULL), 0);
    assert_int_equal(n, ref_len);
    out = malloc(n);
    if (mfab_sbv1_sign(out, n, &n, data, len, key, &d) != 0)
        fail_msg("%s", mfab_diag_message(&d));
    /* RFC 6979 nonces: byte for byte the reference's signature */
    mfab_test_assert_bytes(ref_rel, ref, ref_len, out, n);
    assert_int_equal(mfab_sbv1_verify(out, n, key, NULL), 0);
    free(out);
    free(data);
    free(ref);
    EVP_PKEY_free(key);
}

static void
test_sb_v1__sign_vector(void **state)
{
    (void)state;
    sign_matches(SBV1 "input.bin", SBV1 "key.pem", SBV1 "expected/signed.bin");
}

static void
test_sb_v1__sign_upstream_bootloader(void **state)
{
    (void)state;
    sign_matches(UPSTREAM "bootloader.bin",
                 UPSTREAM "ecdsa256_secure_boot_signing_key.pem",
                 UPSTREAM "expected/bootloader_signed.bin");
}

/* The reference's outputs verify with the private key, the PEM public key
 * derived from it, and the raw 64-byte key it extracted. */
static void
test_sb_v1__reference_verifies_with_every_key_form(void **state)
{
    size_t len = 0, rawlen = 0;
    uint8_t *img = sb_vread(SBV1 "expected/signed.bin", &len);
    uint8_t *raw = sb_vread(SBV1 "expected/pubkey_raw.bin", &rawlen);
    EVP_PKEY *priv = sb_vkey(SBV1 "key.pem"), *fromraw = NULL;
    uint8_t mine[64];
    (void)state;

    assert_int_equal(mfab_sbv1_verify(img, len, priv, NULL), 0);
    assert_int_equal(mfab_sbv1_pubkey_raw(mine, priv, NULL), 0);
    mfab_test_assert_bytes("raw public key", raw, rawlen, mine, 64);
    assert_int_equal(mfab_sbv1_pubkey_from_raw(&fromraw, raw, NULL), 0);
    assert_int_equal(mfab_sbv1_verify(img, len, fromraw, NULL), 0);
    free(img);
    free(raw);
    EVP_PKEY_free(priv);
    EVP_PKEY_free(fromraw);
}

static void
test_sb_v1__tampered_and_wrong_key_are_ecrypto(void **state)
{
    size_t len = 0;
    uint8_t *img = sb_vread(SBV1 "expected/signed.bin", &len);
    EVP_PKEY *key = sb_vkey(SBV1 "key.pem");
    EVP_PKEY *other = sb_vkey(SBV2 "sbv2-ecdsa256-01/key.pem");
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sbv1_verify(img, len, other, &d), MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "verification failed", NULL);
    img[5] ^= 1;
    assert_int_equal(mfab_sbv1_verify(img, len, key, NULL), MFAB_ECRYPTO);
    free(img);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
}

static void
test_sb_v1__trailer_errors_are_eformat(void **state)
{
    size_t len = 0;
    uint8_t *img = sb_vread(SBV1 "expected/signed.bin", &len);
    EVP_PKEY *key = sb_vkey(SBV1 "key.pem");
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sbv1_verify(img, 67, key, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "too short", NULL);
    mfab_diag_init(&d);
    img[len - 68] = 1;
    assert_int_equal(mfab_sbv1_verify(img, len, key, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "version word 1", NULL);
    free(img);
    EVP_PKEY_free(key);
}

static void
test_sb_v1__only_p256(void **state)
{
    EVP_PKEY *rsa = sb_vkey(SBV2 "sbv2-rsa3072-01/key.pem");
    uint8_t data[16] = { 0 }, raw[64], buf[100];
    size_t n = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sbv1_sign(buf, sizeof(buf), &n, data, 16, rsa, &d),
                     MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&d, MFAB_EUNSUPPORTED, "P-256", "rsa3072", NULL);
    assert_int_equal(mfab_sbv1_pubkey_raw(raw, rsa, NULL), MFAB_EUNSUPPORTED);
    assert_int_equal(mfab_sbv1_verify(buf, 100, rsa, NULL),
                     MFAB_EUNSUPPORTED);
    EVP_PKEY_free(rsa);
}

static void
test_sb_v1__small_buffer_is_ebufs(void **state)
{
    EVP_PKEY *key = sb_vkey(SBV1 "key.pem");
    uint8_t data[16] = { 0 }, buf[83];
    size_t n = 0;
    (void)state;

    assert_int_equal(mfab_sbv1_sign(buf, sizeof(buf), &n, data, 16, key,
                                    NULL),
                     MFAB_EBUFS);
    assert_int_equal(n, 84);
    EVP_PKEY_free(key);
}

/* A public key cannot sign; a public key has no private digest. */
static void
test_sb_v1__public_key_cannot_sign(void **state)
{
    size_t rawlen = 0, n = 0;
    uint8_t *raw = sb_vread(SBV1 "expected/pubkey_raw.bin", &rawlen);
    uint8_t data[16] = { 0 }, buf[84], dig[32];
    EVP_PKEY *pub = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sbv1_pubkey_from_raw(&pub, raw, NULL), 0);
    assert_int_equal(mfab_sbv1_sign(buf, sizeof(buf), &n, data, 16, pub, &d),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "private key", NULL);
    assert_int_equal(mfab_sbv1_private_key_digest(dig, 32, pub, NULL),
                     MFAB_EUNSUPPORTED);
    EVP_PKEY_free(pub);
    free(raw);
}

/* A raw key that is not a point on P-256 is refused. */
static void
test_sb_v1__raw_key_off_curve_is_eformat(void **state)
{
    uint8_t raw[64];
    EVP_PKEY *k = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    memset(raw, 0x11, sizeof(raw));
    assert_int_equal(mfab_sbv1_pubkey_from_raw(&k, raw, &d), MFAB_EFORMAT);
    assert_null(k);
}

/* digest-private-key: SHA-256 of the raw scalar (taken here through the
 * PKI encoder, an independent path), 24 bytes = its prefix. */
static void
test_sb_v1__private_key_digest(void **state)
{
    EVP_PKEY *key = sb_vkey(SBV1 "key.pem");
    uint8_t scalar[32], expect[32], d32[32], d24[24];
    size_t n = 0;
    unsigned int mdlen = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_key_encode(scalar, sizeof(scalar), &n, key,
                                         MFAB_PKI_KEY_RAW_PRIVATE, NULL),
                     0);
    assert_int_equal(EVP_Digest(scalar, n, expect, &mdlen, EVP_sha256(),
                                NULL),
                     1);
    assert_int_equal(mfab_sbv1_private_key_digest(d32, 32, key, NULL), 0);
    mfab_test_assert_bytes("digest", expect, 32, d32, 32);
    assert_int_equal(mfab_sbv1_private_key_digest(d24, 24, key, NULL), 0);
    mfab_test_assert_bytes("digest 192", expect, 24, d24, 24);
    assert_int_equal(mfab_sbv1_private_key_digest(d24, 20, key, &d),
                     MFAB_EINVAL);
    EVP_PKEY_free(key);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_v1__sign_vector),
        cmocka_unit_test(test_sb_v1__sign_upstream_bootloader),
        cmocka_unit_test(test_sb_v1__reference_verifies_with_every_key_form),
        cmocka_unit_test(test_sb_v1__tampered_and_wrong_key_are_ecrypto),
        cmocka_unit_test(test_sb_v1__trailer_errors_are_eformat),
        cmocka_unit_test(test_sb_v1__only_p256),
        cmocka_unit_test(test_sb_v1__small_buffer_is_ebufs),
        cmocka_unit_test(test_sb_v1__public_key_cannot_sign),
        cmocka_unit_test(test_sb_v1__raw_key_off_curve_is_eformat),
        cmocka_unit_test(test_sb_v1__private_key_digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
