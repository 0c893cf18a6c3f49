/* Tests for src/secureboot/sb_block.c: eFuse key digests (byte-exact
 * against espsecure and esptool's own files), reading the signature
 * sector of the reference's signed images, block validity rules. */
#include "sb_test.h"

/* Every key the reference digested gives the same 32 bytes. */
static void
test_sb_block__pubkey_digest_matches_reference(void **state)
{
    static const char *const cases[][2] = {
        { SBV2 "sbv2-rsa3072-01/key.pem",
          SBV2 "sbv2-rsa3072-01/expected/pubkey_digest.bin" },
        { SBV2 "sbv2-ecdsa192-01/key.pem",
          SBV2 "sbv2-ecdsa192-01/expected/pubkey_digest.bin" },
        { SBV2 "sbv2-ecdsa256-01/pubkey.pem",
          SBV2 "sbv2-ecdsa256-01/expected/pubkey_digest.bin" },
        { SBV2 "sbv2-ecdsa384-01/key.pem",
          SBV2 "sbv2-ecdsa384-01/expected/pubkey_digest.bin" },
        { SBV2 "sbv2-rsa3072-append-3keys/key2.pem",
          SBV2 "sbv2-rsa3072-append-3keys/expected/pubkey2_digest.bin" },
        { UPSTREAM "rsa_secure_boot_signing_key.pem",
          UPSTREAM "expected/rsa_public_key_digest.bin" },
        { UPSTREAM "ecdsa192_secure_boot_signing_key_v2.pem",
          UPSTREAM "expected/ecdsa192_public_key_digest_v2.bin" },
        { UPSTREAM "ecdsa256_secure_boot_signing_key_v2.pem",
          UPSTREAM "expected/ecdsa256_public_key_digest_v2.bin" },
    };
    size_t i;
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(cases); i++) {
        EVP_PKEY *key = sb_vkey(cases[i][0]);
        uint8_t digest[32];
        size_t elen = 0;
        uint8_t *expected = sb_vread(cases[i][1], &elen);
        mfab_diag d = MFAB_DIAG_INIT;

        assert_int_equal(mfab_sbv2_pubkey_digest(digest, key, &d), 0);
        mfab_test_assert_bytes(cases[i][0], expected, elen, digest, 32);
        free(expected);
        EVP_PKEY_free(key);
    }
}

/* Keys outside the Secure Boot schemes have no eFuse digest. */
static void
test_sb_block__pubkey_digest_unsupported_key(void **state)
{
    EVP_PKEY *p521 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-521");
    uint8_t digest[32];
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sbv2_pubkey_digest(digest, p521, &d),
                     MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&d, MFAB_EUNSUPPORTED, "not allowed", NULL);
    EVP_PKEY_free(p521);
}

/* The reference's 3-block image: every block valid, digests per key. */
static void
test_sb_block__info_reads_three_blocks(void **state)
{
    static const char *const digests[] = {
        SBV2 "sbv2-rsa3072-append-3keys/expected/pubkey_digest.bin",
        SBV2 "sbv2-rsa3072-append-3keys/expected/pubkey2_digest.bin",
        SBV2 "sbv2-rsa3072-append-3keys/expected/pubkey3_digest.bin",
    };
    mfab_sbv2_info info;
    mfab_diag d = MFAB_DIAG_INIT;
    size_t len = 0, i;
    uint8_t *img =
        sb_vread(SBV2 "sbv2-rsa3072-append-3keys/expected/signed_3keys.bin",
                 &len);
    (void)state;

    assert_int_equal(mfab_sbv2_info_read(&info, img, len, &d), 0);
    assert_int_equal(info.nblocks, 3);
    assert_int_equal(info.contents_len, len - 4096);
    for (i = 0; i < 3; i++) {
        size_t elen = 0;
        uint8_t *e = sb_vread(digests[i], &elen);

        assert_int_equal(info.blocks[i].scheme, MFAB_SB_RSA3072);
        assert_int_equal(info.blocks[i].image_digest_len, 32);
        mfab_test_assert_bytes(digests[i], e, elen,
                               info.blocks[i].key_digest, 32);
        free(e);
    }
    free(img);
}

/* P-384 uses the 48-byte digest layout, hash type 1. */
static void
test_sb_block__info_reads_p384_layout(void **state)
{
    json_t *j;
    char path[1024];
    mfab_sbv2_info info;
    uint8_t expect[48];
    size_t len = 0;
    uint8_t *img = sb_vread(SBV2 "sbv2-ecdsa384-01/expected/signed.bin",
                            &len);
    (void)state;

    mfab_test_vpath(path, sizeof(path), SBV2 "sbv2-ecdsa384-01/expected.json");
    j = mfab_test_json(path);
    sb_unhex(expect, sizeof(expect),
             json_string_value(json_object_get(
                 json_array_get(json_object_get(j, "blocks"), 0),
                 "image_sha384")));
    assert_int_equal(mfab_sbv2_info_read(&info, img, len, NULL), 0);
    assert_int_equal(info.nblocks, 1);
    assert_int_equal(info.blocks[0].scheme, MFAB_SB_ECDSA384);
    mfab_test_assert_bytes("sha384", expect, 48, info.blocks[0].image_digest,
                           info.blocks[0].image_digest_len);
    assert_false(info.blocks[1].valid);
    json_decref(j);
    free(img);
}

/* A flipped byte breaks the CRC; a bad magic or version is invalid too. */
static void
test_sb_block__invalid_blocks_are_skipped(void **state)
{
    mfab_sbv2_info info;
    mfab_diag d = MFAB_DIAG_INIT;
    size_t len = 0;
    uint8_t *img =
        sb_vread(SBV2 "sbv2-rsa3072-append-3keys/expected/signed_3keys.bin",
                 &len);
    uint8_t *sector = img + len - 4096;
    (void)state;

    sector[1216 + 500] ^= 1; /* block 1 body: CRC mismatch */
    assert_int_equal(mfab_sbv2_info_read(&info, img, len, NULL), 0);
    assert_int_equal(info.nblocks, 1);
    assert_false(info.blocks[1].valid);
    assert_true(info.blocks[2].valid);

    sector[0] = 0xE8; /* block 0 magic */
    mfab_put_le32(sector + 1196, mfab_crc32(0, sector, 1196));
    assert_int_equal(mfab_sbv2_info_read(&info, img, len, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "no valid signature block",
                          NULL);
    free(img);
}

static void
test_sb_block__short_image_is_eformat(void **state)
{
    uint8_t small[4095];
    mfab_sbv2_info info;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    memset(small, 0xFF, sizeof(small));
    assert_int_equal(mfab_sbv2_info_read(&info, small, sizeof(small), &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "too short", "4096", NULL);
}

static void
test_sb_block__scheme_names(void **state)
{
    mfab_sb_scheme s = MFAB_SB_NONE;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sb_scheme_parse(&s, "ecdsa384", NULL), 0);
    assert_int_equal(s, MFAB_SB_ECDSA384);
    assert_string_equal(mfab_sb_scheme_name(MFAB_SB_RSA3072), "rsa3072");
    assert_string_equal(mfab_sb_scheme_name((mfab_sb_scheme)42), "none");
    assert_int_equal(mfab_sb_scheme_parse(&s, "rsa2048", &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'rsa2048'", "rsa3072", NULL);
}

/* The standard CRC-32 check value (zlib). */
static void
test_sb_block__crc32_check_value(void **state)
{
    (void)state;
    assert_int_equal(mfab_crc32(0, (const uint8_t *)"123456789", 9),
                     0xCBF43926u);
    assert_int_equal(mfab_crc32(mfab_crc32(0, (const uint8_t *)"1234", 4),
                                (const uint8_t *)"56789", 5),
                     0xCBF43926u);
    assert_int_equal(mfab_crc32(0xFFFFFFFFu, (const uint8_t *)"123456789", 9),
                     mfab_crc32_esp((const uint8_t *)"123456789", 9));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_block__pubkey_digest_matches_reference),
        cmocka_unit_test(test_sb_block__pubkey_digest_unsupported_key),
        cmocka_unit_test(test_sb_block__info_reads_three_blocks),
        cmocka_unit_test(test_sb_block__info_reads_p384_layout),
        cmocka_unit_test(test_sb_block__invalid_blocks_are_skipped),
        cmocka_unit_test(test_sb_block__short_image_is_eformat),
        cmocka_unit_test(test_sb_block__scheme_names),
        cmocka_unit_test(test_sb_block__crc32_check_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
