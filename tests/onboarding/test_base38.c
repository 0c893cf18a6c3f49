/*
 * Tests for src/onboarding/base38.c: the payload bytes of every
 * payloads.json case encode to the text after "MT:" and decode back;
 * chunk sizes 1, 2, 3; every error kind with its position.
 */
#include "matterfab/hex.h"
#include "onb_vectors.h"
#include "onboarding/onboarding_internal.h"

static void
test_base38__vectors_both_ways(void **state)
{
    json_t *root = onb_load("payloads.json");
    json_t *c;
    size_t i;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        const char *hex = onb_str(c, "payload_hex");
        const char *qr = onb_str(c, "qr") + 3;
        uint8_t bytes[600];
        uint8_t back[600];
        char text[1200];
        size_t n = 0;
        size_t m = 0;
        size_t bad = 0;

        assert_int_equal(mfab_hex_decode(bytes, sizeof(bytes), &n, hex,
                                         strlen(hex), NULL),
                         0);
        assert_int_equal(mfab_onboarding__base38_len(n), strlen(qr));
        mfab_onboarding__base38_encode(text, bytes, n);
        assert_string_equal(text, qr);
        assert_int_equal(mfab_onboarding__base38_decode(back, sizeof(back),
                                                        &m, qr, strlen(qr),
                                                        &bad),
                         MFAB_BASE38_OK);
        mfab_test_assert_bytes(qr, bytes, n, back, m);
    }
    json_decref(root);
}

static void
test_base38__chunks(void **state)
{
    static const uint8_t b[3] = { 0xFF, 0xFF, 0xFF };
    char t[8];
    uint8_t out[8];
    size_t n = 0;
    size_t bad = 0;
    (void)state;

    mfab_onboarding__base38_encode(t, b, 1);
    assert_string_equal(t, "R6"); /* 255 = 27 + 6*38 */
    mfab_onboarding__base38_encode(t, b, 2);
    assert_string_equal(t, "NE71"); /* 65535 */
    mfab_onboarding__base38_encode(t, b, 3);
    assert_string_equal(t, "PLS18"); /* 16777215 */
    mfab_onboarding__base38_encode(t, b, 0);
    assert_string_equal(t, "");
    assert_int_equal(mfab_onboarding__base38_decode(out, sizeof(out), &n,
                                                    "PLS18NE71", 9, &bad),
                     MFAB_BASE38_OK);
    assert_int_equal(n, 5);
    assert_int_equal(mfab_onboarding__base38_decode(out, sizeof(out), &n,
                                                    "", 0, &bad),
                     MFAB_BASE38_OK);
    assert_int_equal(n, 0);
}

static void
test_base38__errors(void **state)
{
    uint8_t out[8];
    size_t n = 0;
    size_t bad = 99;
    (void)state;

    assert_int_equal(mfab_onboarding__base38_decode(out, sizeof(out), &n,
                                                    "000000", 6, &bad),
                     MFAB_BASE38_LENGTH);
    assert_int_equal(bad, 5);
    assert_int_equal(mfab_onboarding__base38_decode(out, sizeof(out), &n,
                                                    "000", 3, &bad),
                     MFAB_BASE38_LENGTH);
    assert_int_equal(bad, 0);
    assert_int_equal(mfab_onboarding__base38_decode(out, sizeof(out), &n,
                                                    "00a00", 5, &bad),
                     MFAB_BASE38_CHAR);
    assert_int_equal(bad, 2);
    assert_int_equal(mfab_onboarding__base38_decode(out, sizeof(out), &n,
                                                    "00000QLS18", 10, &bad),
                     MFAB_BASE38_OVERFLOW);
    assert_int_equal(bad, 5);
    assert_int_equal(mfab_onboarding__base38_decode(out, sizeof(out), &n,
                                                    "NE72", 4, &bad),
                     MFAB_BASE38_OVERFLOW);
    assert_int_equal(mfab_onboarding__base38_decode(out, sizeof(out), &n,
                                                    "S6", 2, &bad),
                     MFAB_BASE38_OVERFLOW);
    assert_int_equal(mfab_onboarding__base38_decode(out, 2, &n, "00000", 5,
                                                    &bad),
                     MFAB_BASE38_SPACE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base38__vectors_both_ways),
        cmocka_unit_test(test_base38__chunks),
        cmocka_unit_test(test_base38__errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
