/* Tests for src/verify/verify.c: the report of a good device, built from
 * esp-matter-mfg-tool run A, and the argument rules. */
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/verify.h"
#include "verify_fixture.h"

/* The fixture rebuilds run A's image byte for byte, so the devices the
 * other tests damage differ from the reference only where they say. */
static void
test_verify__fixture_is_run_a(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    uint8_t *ref;
    size_t len;
    (void)state;

    ref = fx_vector("commissioning/mfg_tool_runs/runA/partition.bin", &len);
    mfab_test_assert_bytes("rebuilt run A", ref, len, d->nvs, sizeof(d->nvs));
    free(ref);
    fx_device_free(d);
}

static void
test_verify__run_a_passes_every_check(void **state)
{
    static const char *const order[] = {
        "keys",  "nvs",     "factory-keys", "secure-cert", "dac-key",
        "chain", "vid-pid", "verifier",     "onboarding",
    };
    static const mfab_verify_status want[] = {
        MFAB_VERIFY_SKIP, MFAB_VERIFY_PASS, MFAB_VERIFY_PASS,
        MFAB_VERIFY_SKIP, MFAB_VERIFY_PASS, MFAB_VERIFY_PASS,
        MFAB_VERIFY_PASS, MFAB_VERIFY_PASS, MFAB_VERIFY_PASS,
    };
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    size_t i;
    (void)state;

    fx_run(d, &r);
    fx_assert_failed(&r, NULL, NULL);
    for (i = 0; i < MFAB_VERIFY_NCHECKS; i++) {
        assert_string_equal(r.checks[i].name, order[i]);
        assert_int_equal(r.checks[i].status, want[i]);
        assert_true(r.checks[i].detail[0] != '\0');
    }
    assert_non_null(strstr(fx_check(&r, "chain")->detail,
                           "CD signature and content accepted"));
    assert_non_null(
        strstr(fx_check(&r, "onboarding")->detail, "MT:634J042C00KA0648G00"));
    fx_device_free(d);
}

static void
test_verify__no_partition_is_an_error(void **state)
{
    mfab_verify_input in = MFAB_VERIFY_INPUT_INIT;
    mfab_verify_report r;
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_verify_device(&r, &in, &diag), MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "no partition image", NULL);
}

static void
test_verify__status_names(void **state)
{
    (void)state;
    assert_string_equal(mfab_verify_status_name(MFAB_VERIFY_PASS), "pass");
    assert_string_equal(mfab_verify_status_name(MFAB_VERIFY_FAIL), "fail");
    assert_string_equal(mfab_verify_status_name(MFAB_VERIFY_SKIP), "skip");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify__fixture_is_run_a),
        cmocka_unit_test(test_verify__run_a_passes_every_check),
        cmocka_unit_test(test_verify__no_partition_is_an_error),
        cmocka_unit_test(test_verify__status_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
