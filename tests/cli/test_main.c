/* End-to-end tests of cli/main.c and cli/opt.c: dispatch and exit codes. */
#include <string.h>

#include "mfab_test.h"

static void
test_main__version(void **state)
{
    mfab_test_run_result r;
    const char *args[] = { "--version", NULL };
    (void)state;

    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "matterfab "));
    mfab_test_run_free(&r);
}

static void
test_main__unknown_command_is_usage_error(void **state)
{
    mfab_test_run_result r;
    const char *args[] = { "no-such-command", NULL };
    (void)state;

    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "unknown command 'no-such-command'"));
    mfab_test_run_free(&r);
}

static void
test_main__help_lists_commands(void **state)
{
    mfab_test_run_result r;
    const char *args[] = { "--help", NULL };
    (void)state;

    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "usage: matterfab <command>"));
    mfab_test_run_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_main__version),
        cmocka_unit_test(test_main__unknown_command_is_usage_error),
        cmocka_unit_test(test_main__help_lists_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
