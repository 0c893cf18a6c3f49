/* Tests for src/secureboot/sb_verify.c: the reference's signed images
 * verify; tampered images, wrong keys and a block carrying another key are
 * refused; every valid block is tried (unlike the reference). */
#include "sb_test.h"

/* Every signed image of the reference verifies with its pubkey.pem. */
static void
test_sb_verify__reference_images_verify(void **state)
{
    static const char *const dirs[] = {
        "sbv2-rsa3072-01",      "sbv2-ecdsa192-01",
        "sbv2-ecdsa256-01",     "sbv2-ecdsa384-01",
        "sbv2-rsa3072-precalc", "sbv2-ecdsa256-precalc",
    };
    size_t i;
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(dirs); i++) {
        char rel[256];
        size_t len = 0;
        uint8_t *img;
        EVP_PKEY *pub;
        mfab_sbv2_verify_result res;
        mfab_diag d = MFAB_DIAG_INIT;

        snprintf(rel, sizeof(rel), SBV2 "%s/expected/signed.bin", dirs[i]);
        img = sb_vread(rel, &len);
        snprintf(rel, sizeof(rel), SBV2 "%s/pubkey.pem", dirs[i]);
        pub = sb_vkey(rel);
        if (mfab_sbv2_verify(&res, img, len, pub, 0, &d) != 0)
            fail_msg("%s: %s", dirs[i], mfab_diag_message(&d));
        assert_int_equal(res.verified_block, 0);
        assert_int_equal(res.slot[0], MFAB_SBV2_SLOT_VERIFIED);
        assert_int_equal(res.slot[1], MFAB_SBV2_SLOT_INVALID);
        free(img);
        EVP_PKEY_free(pub);
    }
}

/* One changed byte of contents: the block's digest no longer matches. */
static void
test_sb_verify__tampered_image_is_ecrypto(void **state)
{
    size_t len = 0;
    uint8_t *img = sb_vread(SBV2 "sbv2-ecdsa256-01/expected/signed.bin",
                            &len);
    EVP_PKEY *pub = sb_vkey(SBV2 "sbv2-ecdsa256-01/pubkey.pem");
    mfab_sbv2_verify_result res;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    img[100] ^= 0x01;
    assert_int_equal(mfab_sbv2_verify(&res, img, len, pub, 0, &d),
                     MFAB_ECRYPTO);
    assert_int_equal(res.slot[0], MFAB_SBV2_SLOT_BAD_DIGEST);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "block 0", "image modified",
                          NULL);
    free(img);
    EVP_PKEY_free(pub);
}

/* Digest fine, signature bytes changed (CRC fixed up): bad signature. */
static void
test_sb_verify__forged_signature_is_ecrypto(void **state)
{
    size_t len = 0;
    uint8_t *img = sb_vread(SBV2 "sbv2-rsa3072-01/expected/signed.bin",
                            &len);
    EVP_PKEY *pub = sb_vkey(SBV2 "sbv2-rsa3072-01/pubkey.pem");
    uint8_t *block = img + len - 4096;
    mfab_sbv2_verify_result res;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    block[812 + 7] ^= 0x40;
    mfab_put_le32(block + 1196, mfab_crc32(0, block, 1196));
    assert_int_equal(mfab_sbv2_verify(&res, img, len, pub, 0, &d),
                     MFAB_ECRYPTO);
    assert_int_equal(res.slot[0], MFAB_SBV2_SLOT_BAD_SIGNATURE);
    free(img);
    EVP_PKEY_free(pub);
}

/* A key of the same scheme that did not sign: "signed by another key". */
static void
test_sb_verify__wrong_key_is_ecrypto(void **state)
{
    size_t len = 0;
    uint8_t *img = sb_vread(SBV2 "sbv2-rsa3072-01/expected/signed.bin",
                            &len);
    EVP_PKEY *other = sb_vkey(SBV2 "sbv2-rsa3072-precalc/pubkey.pem");
    mfab_sbv2_verify_result res;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sbv2_verify(&res, img, len, other, 0, &d),
                     MFAB_ECRYPTO);
    assert_int_equal(res.slot[0], MFAB_SBV2_SLOT_OTHER_KEY);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "another key", NULL);
    free(img);
    EVP_PKEY_free(other);
}

/*
 * The signature is genuine but the block's key area was swapped for
 * another key: the ROM would check that key against eFuse, so a block
 * whose embedded key is not the supplied one never counts, even when the
 * signature itself verifies with the supplied key (the reference accepts
 * this image).
 */
static void
test_sb_verify__key_mismatch_in_block_is_refused(void **state)
{
    size_t len = 0, olen = 0;
    uint8_t *img = sb_vread(SBV2 "sbv2-rsa3072-01/expected/signed.bin",
                            &len);
    uint8_t *other = sb_vread(
        SBV2 "sbv2-rsa3072-precalc/expected/signed.bin", &olen);
    EVP_PKEY *pub = sb_vkey(SBV2 "sbv2-rsa3072-01/pubkey.pem");
    uint8_t *block = img + len - 4096;
    mfab_sbv2_verify_result res;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    memcpy(block + 36, other + olen - 4096 + 36, 776);
    mfab_put_le32(block + 1196, mfab_crc32(0, block, 1196));
    assert_int_equal(mfab_sbv2_verify(&res, img, len, pub, 0, &d),
                     MFAB_ECRYPTO);
    assert_int_equal(res.slot[0], MFAB_SBV2_SLOT_OTHER_KEY);
    free(img);
    free(other);
    EVP_PKEY_free(pub);
}

/* Block 0 broken, block 1 (key2) fine: verification goes on to block 1. */
static void
test_sb_verify__tries_every_block(void **state)
{
    size_t len = 0;
    uint8_t *img = sb_vread(
        SBV2 "sbv2-rsa3072-append-3keys/expected/signed_3keys.bin", &len);
    EVP_PKEY *k2 = sb_vkey(SBV2 "sbv2-rsa3072-append-3keys/key2.pem");
    EVP_PKEY *k1 = sb_vkey(SBV2 "sbv2-rsa3072-append-3keys/key.pem");
    uint8_t *sector = img + len - 4096;
    mfab_sbv2_verify_result res;
    (void)state;

    sector[4] ^= 0xFF; /* block 0 digest, CRC recomputed: still "valid" */
    mfab_put_le32(sector + 1196, mfab_crc32(0, sector, 1196));
    assert_int_equal(mfab_sbv2_verify(&res, img, len, k2, 0, NULL), 0);
    assert_int_equal(res.verified_block, 1);
    assert_int_equal(res.slot[0], MFAB_SBV2_SLOT_OTHER_KEY);
    assert_int_equal(res.slot[2], MFAB_SBV2_SLOT_OTHER_KEY);
    assert_int_equal(mfab_sbv2_verify(&res, img, len, k1, 0, NULL),
                     MFAB_ECRYPTO);
    assert_int_equal(res.slot[0], MFAB_SBV2_SLOT_BAD_DIGEST);
    free(img);
    EVP_PKEY_free(k1);
    EVP_PKEY_free(k2);
}

static void
test_sb_verify__shape_errors(void **state)
{
    uint8_t buf[8192];
    EVP_PKEY *pub = sb_vkey(SBV2 "sbv2-ecdsa256-01/pubkey.pem");
    EVP_PKEY *ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    mfab_sbv2_verify_result res;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    memset(buf, 0xFF, sizeof(buf));
    assert_int_equal(mfab_sbv2_verify(&res, buf, 4095, pub, 0, &d),
                     MFAB_EFORMAT);
    mfab_diag_init(&d);
    assert_int_equal(mfab_sbv2_verify(&res, buf, 5000, pub, 0, &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "multiple of 4096", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_sbv2_verify(&res, buf, 8192, pub, 0, &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "no valid signature block",
                          NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_sbv2_verify(&res, buf, 8192, ed, 0, &d),
                     MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&d, MFAB_EUNSUPPORTED, "ED25519", NULL);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(ed);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_verify__reference_images_verify),
        cmocka_unit_test(test_sb_verify__tampered_image_is_ecrypto),
        cmocka_unit_test(test_sb_verify__forged_signature_is_ecrypto),
        cmocka_unit_test(test_sb_verify__wrong_key_is_ecrypto),
        cmocka_unit_test(test_sb_verify__key_mismatch_in_block_is_refused),
        cmocka_unit_test(test_sb_verify__tries_every_block),
        cmocka_unit_test(test_sb_verify__shape_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
