/* Tests for src/mfg/mfg_options.c: defaults, int(x, 0), enumerations. */
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/mfg.h"
#include "mfab_test.h"

static void
test_mfg_options__defaults_are_the_reference_ones(void **state)
{
    mfab_mfg_options o;
    (void)state;

    mfab_mfg_options_init(&o);
    assert_int_equal(o.count, 1);
    assert_int_equal(o.size, 0x6000);
    assert_int_equal(o.iterations, 10000);
    assert_int_equal(o.discovery_mode, 2);
    assert_int_equal(o.flow, 0);
    assert_int_equal(o.lifetime, 36500);
    assert_int_equal(o.efuse_key_id, -1);
    assert_int_equal(o.product_finish, -1);
    assert_int_equal(o.product_color, -1);
    assert_string_equal(o.cn_prefix, "ESP32");
    assert_string_equal(o.target, "esp32");
    assert_null(o.outdir);
}

static void
test_mfg_options__int0_reads_python_literals(void **state)
{
    static const struct {
        const char *text;
        int64_t value;
    } ok[] = {{"0", 0},
              {"42", 42},
              {"0xFFF2", 0xFFF2},
              {"0XfF", 255},
              {"0o17", 15},
              {"0b101", 5},
              {" 7 ", 7},
              {"-5", -5},
              {"+9", 9},
              {"1_000", 1000},
              {"0x_ff", 255},
              {"00000001", 1},
              {"9223372036854775807", INT64_MAX}};
    static const char *const bad[] = {"",    "x",   "0x",  "1__0",
                                      "_1",  "1_",  "0b2", "12a",
                                      "- 1", "0o8", "1.5", "0x-1"};
    int64_t v;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        assert_int_equal(mfab_mfg_parse_int0(&v, ok[i].text, "-n", NULL), 0);
        assert_int_equal(v, ok[i].value);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mfab_diag d = MFAB_DIAG_INIT;
        if (mfab_mfg_parse_int0(&v, bad[i], "-n", &d) != MFAB_EINVAL)
            fail_msg("'%s' accepted", bad[i]);
        mfab_test_assert_diag(&d, MFAB_EINVAL, "'-n'", NULL);
    }
    {
        mfab_diag d = MFAB_DIAG_INIT;
        assert_int_equal(
            mfab_mfg_parse_int0(&v, "99999999999999999999", "-v", &d),
            MFAB_ERANGE);
        mfab_test_assert_diag(&d, MFAB_ERANGE, "too large", NULL);
    }
}

static void
test_mfg_options__enumerations(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    int v = -1;
    (void)state;

    assert_int_equal(mfab_mfg_parse_finish(&v, "satin", NULL), 0);
    assert_int_equal(v, 2);
    assert_int_equal(mfab_mfg_parse_color(&v, "navy", NULL), 0);
    assert_int_equal(v, 1);
    assert_int_equal(mfab_mfg_parse_color(&v, "gold", NULL), 0);
    assert_int_equal(v, 20);
    assert_int_equal(mfab_mfg_parse_calendar(&v, "Gregorian", NULL), 0);
    assert_int_equal(v, 4);
    assert_int_equal(mfab_mfg_parse_calendar(&v, "Taiwanese", NULL), 0);
    assert_int_equal(v, 11);
    assert_int_equal(mfab_mfg_parse_color(&v, "pink", &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'pink'", "black", "gold", NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mfg_options__defaults_are_the_reference_ones),
        cmocka_unit_test(test_mfg_options__int0_reads_python_literals),
        cmocka_unit_test(test_mfg_options__enumerations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
