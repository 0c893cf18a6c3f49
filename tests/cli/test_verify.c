/* End-to-end tests of cli/cmd_verify.c on device folders built from
 * esp-matter-mfg-tool run A (tests/verify/verify_fixture.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_fixture.h"

typedef struct cli_dev {
    char *dir;
    char paa[4096];
    char cd_cert[4096];
} cli_dev;

static void
setup(cli_dev *c, fx_device *d)
{
    c->dir = mfab_test_tmpdir();
    fx_device_write_dir(d, c->dir);
    mfab_test_vpath(c->paa, sizeof(c->paa), "pki/sdk-test");
    mfab_test_vpath(c->cd_cert, sizeof(c->cd_cert),
                    "pki/sdk-test/Chip-Test-CD-Signing-Cert.pem");
    fx_device_free(d);
}

static void
run(mfab_test_run_result *r, const cli_dev *c, const char *extra)
{
    const char *args[] = {"verify",    c->dir,     "--paa", c->paa,
                          "--cd-cert", c->cd_cert, extra,   NULL};
    mfab_test_run(r, NULL, args);
}

static void
test_verify__good_device_text_and_json(void **state)
{
    mfab_test_run_result r;
    cli_dev c;
    json_t *j, *checks;
    size_t i;
    (void)state;

    setup(&c, fx_device_new(NULL, 0));
    run(&r, &c, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "device " FX_UUID));
    assert_non_null(strstr(r.out, "  pass  chain"));
    assert_non_null(strstr(r.out, "\nOK\n"));
    mfab_test_run_free(&r);
    run(&r, &c, "--json");
    assert_int_equal(r.exit_code, 0);
    j = json_loads(r.out, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "device")),
                        FX_UUID);
    assert_true(json_is_true(json_object_get(j, "ok")));
    checks = json_object_get(j, "checks");
    assert_int_equal(json_array_size(checks), 9);
    for (i = 0; i < json_array_size(checks); i++) {
        json_t *k = json_array_get(checks, i);

        assert_true(json_is_true(json_object_get(k, "ok")));
        assert_non_null(json_string_value(json_object_get(k, "name")));
        assert_non_null(json_string_value(json_object_get(k, "detail")));
    }
    json_decref(j);
    mfab_test_run_free(&r);
    mfab_test_rmtree(c.dir);
}

static void
test_verify__encrypted_secure_cert_device(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_test_run_result r;
    cli_dev c;
    (void)state;

    fx_device_secure_cert(d, 1);
    fx_device_encrypt(d);
    setup(&c, d);
    run(&r, &c, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "  pass  keys"));
    assert_non_null(strstr(r.out, "  pass  secure-cert"));
    mfab_test_run_free(&r);
    mfab_test_rmtree(c.dir);
}

static void
test_verify__failures_named(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_test_run_result r;
    json_t *j;
    cli_dev c;
    (void)state;

    d->nvs[0x40 + 5 * 32 + 30] ^= 0x01;
    fx_device_onb(d, "MT:634J042C00KA0648G00,3497-011-2332,3840,20202022");
    setup(&c, d);
    run(&r, &c, NULL);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.out, "  fail  nvs"));
    assert_non_null(strstr(r.out, "\nFAILED\n"));
    assert_non_null(strstr(r.err, FX_UUID ": failed: nvs"));
    assert_non_null(strstr(r.err, "onboarding"));
    mfab_test_run_free(&r);
    run(&r, &c, "--json");
    assert_int_equal(r.exit_code, 1);
    j = json_loads(r.out, 0, NULL);
    assert_non_null(j);
    assert_true(json_is_false(json_object_get(j, "ok")));
    json_decref(j);
    mfab_test_run_free(&r);
    mfab_test_rmtree(c.dir);
}

static void
test_verify__no_paa_fails_chain(void **state)
{
    const char *args[] = {"verify", NULL, NULL};
    mfab_test_run_result r;
    cli_dev c;
    (void)state;

    setup(&c, fx_device_new(NULL, 0));
    args[1] = c.dir;
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "failed: chain"));
    assert_non_null(strstr(r.out, "no trusted PAA given"));
    mfab_test_run_free(&r);
    mfab_test_rmtree(c.dir);
}

static void
test_verify__usage_and_input_errors(void **state)
{
    const char *none[] = {"verify", NULL};
    const char *unknown[] = {"verify", "x", "--frobnicate", NULL};
    const char *missing[] = {"verify", "/nonexistent/device", NULL};
    const char *help[] = {"verify", "--help", NULL};
    mfab_test_run_result r;
    (void)state;

    mfab_test_run(&r, NULL, none);
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    mfab_test_run(&r, NULL, unknown);
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    mfab_test_run(&r, NULL, missing);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "no such device folder or image"));
    mfab_test_run_free(&r);
    mfab_test_run(&r, NULL, help);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "--secure-cert"));
    mfab_test_run_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify__good_device_text_and_json),
        cmocka_unit_test(test_verify__encrypted_secure_cert_device),
        cmocka_unit_test(test_verify__failures_named),
        cmocka_unit_test(test_verify__no_paa_fails_chain),
        cmocka_unit_test(test_verify__usage_and_input_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
