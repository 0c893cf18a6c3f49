/* End-to-end tests of "matterfab pki show" (cli/cmd_pki_show.c,
 * src/pki/pki_info.c): the Matter attributes of SDK certificates, JSON
 * form, and a refused non-certificate. */
#include <string.h>

#include "mfab_test.h"

static json_t *
show_json(const char *rel)
{
    char path[1024];
    mfab_test_run_result r;
    const char *args[] = {"pki", "show", "--json", path, NULL};
    json_error_t jerr;
    json_t *j;

    mfab_test_vpath(path, sizeof(path), rel);
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    j = json_loads(r.out, 0, &jerr);
    if (j == NULL)
        fail_msg("bad JSON: %s", r.out);
    mfab_test_run_free(&r);
    return j;
}

static void
test_pki_show__dac_and_paa(void **state)
{
    json_t *j = show_json("pki/sdk-test/Chip-Test-DAC-FFF2-8001-0008-Cert.der");
    (void)state;

    assert_string_equal(json_string_value(json_object_get(j, "vid")), "FFF2");
    assert_string_equal(json_string_value(json_object_get(j, "pid")), "8001");
    assert_string_equal(json_string_value(json_object_get(j, "role")), "DAC");
    assert_string_equal(json_string_value(json_object_get(j, "profile")), "ok");
    assert_string_equal(json_string_value(json_object_get(j, "akid")),
                        "d05a9b6771a1a37a9bc19d95e8b5db8f4300b63a");
    json_decref(j);
    j = show_json("pki/sdk-test/Chip-Test-PAA-NoVID-Cert.pem");
    assert_true(json_is_null(json_object_get(j, "vid")));
    assert_string_equal(json_string_value(json_object_get(j, "role")), "PAA");
    assert_string_equal(json_string_value(json_object_get(j, "skid")),
                        "785ce705b86b8f4e6fc793aa60cb43ea696882d5");
    json_decref(j);
    j = show_json("pki/cases/struct_dac_vidpid_fallback_encoding_07/dac.der");
    assert_non_null(strstr(
        json_string_value(json_object_get(j, "vid_pid_error")), "Mvid:"));
    json_decref(j);
}

static void
test_pki_show__text_and_errors(void **state)
{
    char path[1024];
    mfab_test_run_result r;
    const char *args[] = {"pki", "show", path, NULL};
    (void)state;

    mfab_test_vpath(path, sizeof(path),
                    "pki/cases/struct_dac_ext_basic_pathlen1/dac.der");
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "vendor id:   FFF1"));
    assert_non_null(strstr(r.out, "profile:     DAC basicConstraints"));
    mfab_test_run_free(&r);
    mfab_test_vpath(path, sizeof(path), "pki/manifest.json");
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "matterfab: cannot load certificate"));
    mfab_test_run_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_show__dac_and_paa),
        cmocka_unit_test(test_pki_show__text_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
