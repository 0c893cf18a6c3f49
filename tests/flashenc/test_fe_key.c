/* Tests for src/flashenc/fe_key.c: key file sizes per mode (spec 5.1),
 * the 3/4-coding extension and the ESP32-C2 SHA-256 key (checked against
 * the effective keys the vectors record), identical XTS halves, and key
 * generation. */
#include "fe_test.h"

static void
check_effective(const char *dir, mfab_flashenc_mode mode)
{
    char rel[256], path[1024];
    json_t *j;
    uint8_t expect[64];
    size_t n = 0;
    mfab_flashenc_key key;
    const char *hex;

    snprintf(rel, sizeof(rel), FE "%s/expected.json", dir);
    mfab_test_vpath(path, sizeof(path), rel);
    j = mfab_test_json(path);
    hex = json_string_value(json_object_get(j, "effective_key_hex"));
    assert_non_null(hex);
    assert_int_equal(mfab_hex_decode(expect, sizeof(expect), &n, hex,
                                     strlen(hex), NULL),
                     0);
    snprintf(rel, sizeof(rel), FE "%s/key.bin", dir);
    fe_vkey(&key, rel, mode);
    mfab_test_assert_bytes(dir, expect, n, key.key, key.len);
    json_decref(j);
}

static void
test_fe_key__effective_keys(void **state)
{
    (void)state;
    check_effective("fe-esp32-03-192bit-conf3", MFAB_FLASHENC_ESP32);
    check_effective("fe-esp32-01-0x1000", MFAB_FLASHENC_ESP32);
    check_effective("fe-xts128-c2-04-128bitkey", MFAB_FLASHENC_XTS);
    check_effective("fe-xts256-s3-03-0x20000", MFAB_FLASHENC_XTS);
}

static void
test_fe_key__sizes_per_mode(void **state)
{
    static const struct {
        mfab_flashenc_mode mode;
        size_t len;
        int ok;
    } cases[] = {
        { MFAB_FLASHENC_ESP32, 16, 0 }, { MFAB_FLASHENC_ESP32, 24, 1 },
        { MFAB_FLASHENC_ESP32, 32, 1 }, { MFAB_FLASHENC_ESP32, 64, 0 },
        { MFAB_FLASHENC_XTS, 16, 1 },   { MFAB_FLASHENC_XTS, 24, 0 },
        { MFAB_FLASHENC_XTS, 32, 1 },   { MFAB_FLASHENC_XTS, 64, 1 },
        { MFAB_FLASHENC_XTS, 48, 0 },
    };
    uint8_t raw[64];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(raw); i++)
        raw[i] = (uint8_t)(i * 13 + 7);
    for (i = 0; i < MFAB_ARRAY_SIZE(cases); i++) {
        mfab_flashenc_key key;
        mfab_diag d = MFAB_DIAG_INIT;
        int rc = mfab_flashenc_key_init(&key, cases[i].mode, raw,
                                        cases[i].len, &d);

        if (cases[i].ok) {
            assert_int_equal(rc, 0);
        } else {
            assert_int_equal(rc, MFAB_EINVAL);
            assert_non_null(strstr(d.message, "not allowed"));
        }
    }
}

static void
test_fe_key__identical_xts_halves_refused(void **state)
{
    uint8_t raw[64];
    mfab_flashenc_key key;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    memset(raw, 0x77, sizeof(raw));
    assert_int_equal(mfab_flashenc_key_init(&key, MFAB_FLASHENC_XTS, raw, 32,
                                            &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "halves are identical", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_flashenc_key_init(&key, MFAB_FLASHENC_XTS, raw, 64,
                                            &d),
                     MFAB_EINVAL);
    /* the ESP32 scheme has no halves: the same bytes are a fine key */
    assert_int_equal(mfab_flashenc_key_init(&key, MFAB_FLASHENC_ESP32, raw,
                                            32, NULL),
                     0);
    assert_int_equal(mfab_flashenc_key_init(&key, (mfab_flashenc_mode)7, raw,
                                            32, NULL),
                     MFAB_EINVAL);
}

static void
test_fe_key__generate(void **state)
{
    uint8_t a[64], b[64];
    size_t na = 0, nb = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_flashenc_key_generate(NULL, 0, &na, 512, NULL), 0);
    assert_int_equal(na, 64);
    assert_int_equal(mfab_flashenc_key_generate(a, sizeof(a), &na, 256, NULL),
                     0);
    assert_int_equal(mfab_flashenc_key_generate(b, sizeof(b), &nb, 256, NULL),
                     0);
    assert_int_equal(na, 32);
    assert_memory_not_equal(a, b, 32);
    assert_int_equal(mfab_flashenc_key_generate(a, 16, &na, 192, &d),
                     MFAB_EBUFS);
    mfab_diag_init(&d);
    assert_int_equal(mfab_flashenc_key_generate(a, sizeof(a), &na, 100, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'100'", NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fe_key__effective_keys),
        cmocka_unit_test(test_fe_key__sizes_per_mode),
        cmocka_unit_test(test_fe_key__identical_xts_halves_refused),
        cmocka_unit_test(test_fe_key__generate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
