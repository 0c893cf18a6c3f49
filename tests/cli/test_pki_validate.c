/* End-to-end tests of "matterfab pki validate" (cli/cmd_pki_validate.c)
 * over every case of ../shared/vectors/pki/manifest.json: the verdict must
 * be the case's expected_chain_validation without a CD and its
 * expected_full_attestation with the case's CD and basic-info VID/PID. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "mfab_test.h"

/* Run validate in dir; return "OK" or "name(code)" in got. */
static void
run_validate(char *got, size_t cap, int *exit_code, const char *dir,
             const char *const *extra)
{
    const char *args[32] = {"pki", "validate", "--json"};
    mfab_test_run_result r;
    json_error_t jerr;
    json_t *j;
    size_t n = 3;
    int code;

    while (*extra != NULL && n < 30)
        args[n++] = *extra++;
    args[n] = NULL;
    mfab_test_run(&r, dir, args);
    j = json_loads(r.out, 0, &jerr);
    if (j == NULL)
        fail_msg("no JSON from validate in %s: out '%s' err '%s'", dir, r.out,
                 r.err);
    code = (int)json_integer_value(json_object_get(j, "code"));
    if (code == 0)
        snprintf(got, cap, "OK");
    else
        snprintf(got, cap, "%s(%d)",
                 json_string_value(json_object_get(j, "result")), code);
    *exit_code = r.exit_code;
    json_decref(j);
    mfab_test_run_free(&r);
}

static void
check_case(json_t *c, const char *tmp)
{
    const char *name = json_string_value(json_object_get(c, "case"));
    const char *want =
        json_string_value(json_object_get(c, "expected_chain_validation"));
    char src[1024], dir[512], paa[1100], cd_cert[1100], got[256];
    int exit_code = -1;

    snprintf(src, sizeof(src), "%s/pki/cases/%s", MFAB_VECTORS_DIR, name);
    snprintf(dir, sizeof(dir), "%s/%s", tmp, name);
    assert_int_equal(mkdir(dir, 0755), 0);
    mfab_test_copytree(src, dir);
    snprintf(paa, sizeof(paa), "%s/paa.der", dir);
    if (!mfab_test_exists(paa))
        snprintf(paa, sizeof(paa), "%s/pki/%s", MFAB_VECTORS_DIR,
                 json_string_value(json_object_get(c, "trust_anchor")));
    {
        const char *extra[] = {"--dac", "dac.der", "--pai", "pai.der",
                               "--paa", paa,       NULL};

        run_validate(got, sizeof(got), &exit_code, dir, extra);
    }
    if (strcmp(got, want) != 0)
        fail_msg("case %s: chain validation gave %s, expected %s", name, got,
                 want);
    assert_int_equal(exit_code, strcmp(want, "OK") == 0 ? 0 : 1);

    /* full attestation: the SDK test trust store (README: a case's own
     * paa.der is not in it), the case's CD, its basic-info VID/PID */
    want = json_string_value(json_object_get(c, "expected_full_attestation"));
    snprintf(paa, sizeof(paa), "%s/pki/sdk-test/Chip-Test-PAA-FFF1-Cert.der",
             MFAB_VECTORS_DIR);
    snprintf(cd_cert, sizeof(cd_cert), "%s/pki/%s", MFAB_VECTORS_DIR,
             json_string_value(json_object_get(c, "cd_signing_cert")));
    {
        const char *extra[] = {
            "--dac",
            "dac.der",
            "--pai",
            "pai.der",
            "--paa",
            paa,
            "--cd",
            "cd.der",
            "--cd-cert",
            cd_cert,
            "--vid",
            json_string_value(json_object_get(c, "basic_info_vendor_id")),
            "--pid",
            json_string_value(json_object_get(c, "basic_info_product_id")),
            NULL};

        run_validate(got, sizeof(got), &exit_code, dir, extra);
    }
    /* "reject (CD error 6xx)": any Certification Declaration failure */
    if (strncmp(want, "reject (CD error 6xx)", 21) == 0) {
        if (strstr(got, "(6") == NULL)
            fail_msg("case %s: full attestation gave %s, expected a CD "
                     "error 6xx",
                     name, got);
    } else if (strcmp(got, want) != 0) {
        fail_msg("case %s: full attestation gave %s, expected %s", name, got,
                 want);
    }
    assert_int_equal(exit_code, strcmp(want, "OK") == 0 ? 0 : 1);
}

static void
test_pki_validate__manifest_verdicts(void **state)
{
    char path[1024];
    json_t *manifest;
    char *tmp = mfab_test_tmpdir();
    size_t i;
    (void)state;

    mfab_test_vpath(path, sizeof(path), "pki/manifest.json");
    manifest = mfab_test_json(path);
    assert_true(json_array_size(manifest) == 74);
    for (i = 0; i < json_array_size(manifest); i++)
        check_case(json_array_get(manifest, i), tmp);
    json_decref(manifest);
    mfab_test_rmtree(tmp);
}

static void
test_pki_validate__paa_dir_finds_root_by_akid(void **state)
{
    char dir[1024], got[256];
    int exit_code = -1;
    const char *extra[] = {"--dac",     "Chip-Test-DAC-FFF2-8001-0008-Cert.pem",
                           "--pai",     "Chip-Test-PAI-FFF2-8001-Cert.der",
                           "--paa-dir", ".",
                           NULL};
    (void)state;

    const char *two[] = {"--dac", "Chip-Test-DAC-FFF2-8001-0008-Cert.pem",
                         "--pai", "Chip-Test-PAI-FFF2-8001-Cert.der",
                         "--paa", "Chip-Test-PAA-FFF1-Cert.der",
                         "--paa", "Chip-Test-PAA-NoVID-Cert.der",
                         NULL};
    const char *wrong[] = {"--dac", "Chip-Test-DAC-FFF2-8001-0008-Cert.pem",
                           "--pai", "Chip-Test-PAI-FFF2-8001-Cert.der",
                           "--paa", "Chip-Test-PAA-FFF1-Cert.der",
                           "--paa", "Chip-Test-PAA-FFF1-Cert.pem",
                           NULL};

    mfab_test_vpath(dir, sizeof(dir), "pki/sdk-test");
    run_validate(got, sizeof(got), &exit_code, dir, extra);
    assert_string_equal(got, "OK");
    assert_int_equal(exit_code, 0);
    /* repeated --paa: a trust store searched by AKID */
    run_validate(got, sizeof(got), &exit_code, dir, two);
    assert_string_equal(got, "OK");
    run_validate(got, sizeof(got), &exit_code, dir, wrong);
    assert_string_equal(got, "kPaaNotFound(101)");
    assert_int_equal(exit_code, 1);
}

static void
test_pki_validate__usage_and_missing_file(void **state)
{
    mfab_test_run_result r;
    const char *usage[] = {"pki", "validate", "--dac", "x", NULL};
    const char *missing[] = {"pki",      "validate", "--dac",
                             "nope.der", "--pai",    "nope.der",
                             "--paa",    "nope.der", NULL};
    (void)state;

    mfab_test_run(&r, NULL, usage);
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    mfab_test_run(&r, NULL, missing);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "matterfab: cannot open 'nope.der'"));
    mfab_test_run_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_validate__manifest_verdicts),
        cmocka_unit_test(test_pki_validate__paa_dir_finds_root_by_akid),
        cmocka_unit_test(test_pki_validate__usage_and_missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
