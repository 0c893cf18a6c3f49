/* Tests for src/common/hex.c */
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "mfab_test.h"

static void
test_hex__roundtrip_mixed_case(void **state)
{
    uint8_t out[4];
    size_t n = 0;
    char text[9];
    (void)state;

    assert_int_equal(mfab_hex_decode(out, sizeof(out), &n, "dEaDbeEF", 8,
                                     NULL), 0);
    assert_int_equal(n, 4);
    mfab_hex_encode(text, out, n);
    assert_string_equal(text, "deadbeef");
}

static void
test_hex__rejects_odd_and_bad_digits(void **state)
{
    uint8_t out[4];
    size_t n = 0, bad = 99;
    (void)state;

    assert_int_equal(mfab_hex_decode(out, 4, &n, "abc", 3, &bad),
                     MFAB_EFORMAT);
    assert_int_equal(bad, 3);
    assert_int_equal(mfab_hex_decode(out, 4, &n, "a g0", 4, &bad),
                     MFAB_EFORMAT);
    assert_int_equal(bad, 1);
}

static void
test_hex__measure_and_short_buffer(void **state)
{
    uint8_t out[1];
    size_t n = 0;
    (void)state;

    assert_int_equal(mfab_hex_decode(NULL, 0, &n, "0102", 4, NULL), 0);
    assert_int_equal(n, 2);
    assert_int_equal(mfab_hex_decode(out, 1, &n, "0102", 4, NULL),
                     MFAB_EBUFS);
    assert_int_equal(n, 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hex__roundtrip_mixed_case),
        cmocka_unit_test(test_hex__rejects_odd_and_bad_digits),
        cmocka_unit_test(test_hex__measure_and_short_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
