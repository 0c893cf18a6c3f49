/* Tests for src/flashenc/fe_encrypt.c: every flashenc vector and esptool's
 * own encrypted bootloaders byte-exact, decryption back to the plaintext,
 * and the address/length/conf checks. */
#include "fe_test.h"

static const struct {
    const char *dir;
    mfab_flashenc_mode mode;
    uint32_t addr;
    unsigned conf;
} cases[] = {
    { "fe-esp32-01-0x1000", MFAB_FLASHENC_ESP32, 0x1000, 0xF },
    { "fe-esp32-02-0x10010", MFAB_FLASHENC_ESP32, 0x10010, 0xF },
    { "fe-esp32-03-192bit-conf3", MFAB_FLASHENC_ESP32, 0x3F0000, 0x3 },
    { "fe-xts128-c3-01-0x0", MFAB_FLASHENC_XTS, 0x0, 0 },
    { "fe-xts128-c3-02-0x12340", MFAB_FLASHENC_XTS, 0x12340, 0 },
    { "fe-xts256-s3-03-0x20000", MFAB_FLASHENC_XTS, 0x20000, 0 },
    { "fe-xts128-c2-04-128bitkey", MFAB_FLASHENC_XTS, 0x8000, 0 },
};

static void
test_fe_encrypt__vectors_byte_exact_and_round_trip(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(cases); i++) {
        char rel[256];
        size_t pl = 0, cl = 0;
        uint8_t *pt, *ct, *enc, *dec;
        mfab_flashenc_key key;

        snprintf(rel, sizeof(rel), FE "%s/key.bin", cases[i].dir);
        fe_vkey(&key, rel, cases[i].mode);
        snprintf(rel, sizeof(rel), FE "%s/plaintext.bin", cases[i].dir);
        pt = fe_vread(rel, &pl);
        snprintf(rel, sizeof(rel), FE "%s/expected/ciphertext.bin",
                 cases[i].dir);
        ct = fe_vread(rel, &cl);
        enc = fe_crypt(pt, pl, cases[i].addr, &key, cases[i].conf, 0);
        mfab_test_assert_bytes(cases[i].dir, ct, cl, enc, pl);
        dec = fe_crypt(ct, cl, cases[i].addr, &key, cases[i].conf,
                       MFAB_FLASHENC_DECRYPT);
        mfab_test_assert_bytes(cases[i].dir, pt, pl, dec, cl);
        free(pt);
        free(ct);
        free(enc);
        free(dec);
        mfab_flashenc_key_wipe(&key);
    }
}

/* esptool's test/secure_images: conf 0xF/0/3/9/C and XTS at 0x1000. */
static void
test_fe_encrypt__upstream_bootloaders(void **state)
{
    static const struct {
        const char *file;
        mfab_flashenc_mode mode;
        unsigned conf;
    } up[] = {
        { "bootloader-encrypted.bin", MFAB_FLASHENC_ESP32, 0xF },
        { "bootloader-encrypted-conf0.bin", MFAB_FLASHENC_ESP32, 0x0 },
        { "bootloader-encrypted-conf3.bin", MFAB_FLASHENC_ESP32, 0x3 },
        { "bootloader-encrypted-conf9.bin", MFAB_FLASHENC_ESP32, 0x9 },
        { "bootloader-encrypted-confc.bin", MFAB_FLASHENC_ESP32, 0xC },
        { "bootloader-encrypted-aes-xts.bin", MFAB_FLASHENC_XTS, 0 },
    };
    size_t i, pl = 0;
    uint8_t *pt = fe_vread("production/upstream-esptool/secure_images-subset/"
                           "bootloader.bin",
                           &pl);
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(up); i++) {
        char rel[256];
        size_t cl = 0;
        mfab_flashenc_key key;
        uint8_t *ct, *enc;

        fe_vkey(&key,
                "production/upstream-esptool/secure_images-subset/"
                "256bit_key.bin",
                up[i].mode);
        snprintf(rel, sizeof(rel),
                 "production/upstream-esptool/secure_images-subset/"
                 "expected/%s",
                 up[i].file);
        ct = fe_vread(rel, &cl);
        enc = fe_crypt(pt, pl, 0x1000, &key, up[i].conf, 0);
        mfab_test_assert_bytes(up[i].file, ct, cl, enc, pl);
        free(ct);
        free(enc);
    }
    free(pt);
}

static void
test_fe_encrypt__unaligned_address_is_einval(void **state)
{
    uint8_t buf[32] = { 0 };
    mfab_flashenc_key key;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    fe_vkey(&key, FE "fe-xts128-c3-01-0x0/key.bin", MFAB_FLASHENC_XTS);
    assert_int_equal(mfab_flashenc_crypt(buf, buf, 32, 0x1008, &key, 0, 0,
                                         &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'0x1008'", "multiple of 0x10",
                          NULL);
}

static void
test_fe_encrypt__bad_length_is_einval(void **state)
{
    uint8_t buf[32] = { 0 };
    mfab_flashenc_key key;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    fe_vkey(&key, FE "fe-esp32-01-0x1000/key.bin", MFAB_FLASHENC_ESP32);
    assert_int_equal(mfab_flashenc_crypt(buf, buf, 20, 0, &key, 0xF, 0, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "length 20", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_flashenc_crypt(buf, buf, 0, 0, &key, 0xF, 0, &d),
                     MFAB_EINVAL);
}

static void
test_fe_encrypt__conf_out_of_range_is_einval(void **state)
{
    uint8_t buf[32] = { 0 };
    mfab_flashenc_key key;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    fe_vkey(&key, FE "fe-esp32-01-0x1000/key.bin", MFAB_FLASHENC_ESP32);
    assert_int_equal(mfab_flashenc_crypt(buf, buf, 32, 0, &key, 0x10, 0, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'0x10'", "0x0..0xF", NULL);
}

static void
test_fe_encrypt__past_4gib_is_erange(void **state)
{
    uint8_t buf[32] = { 0 };
    mfab_flashenc_key key;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    fe_vkey(&key, FE "fe-xts128-c3-01-0x0/key.bin", MFAB_FLASHENC_XTS);
    assert_int_equal(mfab_flashenc_crypt(buf, buf, 32, 0xFFFFFFF0u, &key, 0,
                                         0, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "4 GiB", NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fe_encrypt__vectors_byte_exact_and_round_trip),
        cmocka_unit_test(test_fe_encrypt__upstream_bootloaders),
        cmocka_unit_test(test_fe_encrypt__unaligned_address_is_einval),
        cmocka_unit_test(test_fe_encrypt__bad_length_is_einval),
        cmocka_unit_test(test_fe_encrypt__conf_out_of_range_is_einval),
        cmocka_unit_test(test_fe_encrypt__past_4gib_is_erange),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
