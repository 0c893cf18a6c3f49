/*
 * End-to-end tests of cli/cmd_cd.c: "cd decode --json" reproduces every
 * cd-decode vector; "cd generate" with chip-cert's options makes a CD that
 * "cd verify" and the SDK's content agree with; failures leave no output
 * and report the SDK result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>

#include "mfab_test.h"

static char *
copy_vectors(const char *rel)
{
    char src[1024];
    char *dir = mfab_test_tmpdir();

    mfab_test_vpath(src, sizeof(src), rel);
    mfab_test_copytree(src, dir);
    return dir;
}

static int
exists_in(const char *dir, const char *name)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return mfab_test_exists(path);
}

/* Every key of the vector's JSON except the informational one. */
static void
test_cd__decode_json_matches_vectors(void **state)
{
    char *dir = copy_vectors("pki/cd-decode");
    struct dirent *de;
    DIR *d = opendir(dir);
    int checked = 0;
    (void)state;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        char path[4096], *dot;
        const char *args[] = {"cd", "decode", NULL, "--json", NULL};
        mfab_test_run_result r;
        json_error_t jerr;
        json_t *want, *got, *v;
        const char *key;

        dot = strrchr(de->d_name, '.');
        if (dot == NULL || strcmp(dot, ".der") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%.*s.json", dir,
                 (int)(dot - de->d_name), de->d_name);
        want = mfab_test_json(path);
        args[2] = de->d_name;
        mfab_test_run(&r, dir, args);
        assert_int_equal(r.exit_code, 0);
        got = json_loads(r.out, 0, &jerr);
        if (got == NULL)
            fail_msg("%s: output is not JSON: %s", de->d_name, jerr.text);
        json_object_foreach(want, key, v)
        {
            if (strcmp(key, "signature_verifies_with") == 0)
                continue;
            if (!json_equal(v, json_object_get(got, key))) {
                char *a = json_dumps(v, JSON_COMPACT);
                char *b = json_dumps(json_object_get(got, key), JSON_COMPACT);
                fail_msg("%s: '%s' differs\n  want %s\n  got  %s", de->d_name,
                         key, a, b ? b : "(missing)");
            }
        }
        print_message("  %s\n", de->d_name);
        checked++;
        json_decref(want);
        json_decref(got);
        mfab_test_run_free(&r);
    }
    closedir(d);
    assert_true(checked >= 3);
    mfab_test_rmtree(dir);
}

static void
test_cd__decode_text_and_errors(void **state)
{
    char *dir = copy_vectors("pki/sdk-test");
    mfab_test_run_result r;
    (void)state;

    mfab_test_run_line(&r, dir, NULL, "cd decode Chip-Test-CD-FFF2-8001.der");
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "vendor_id: 0xFFF2\n"));
    assert_non_null(strstr(r.out, "product_id_array: 0x8001\n"));
    assert_non_null(strstr(r.out, "version_number: 0x9876\n"));
    mfab_test_run_free(&r);

    /* a certificate is not a CD */
    mfab_test_run_line(&r, dir, NULL,
                       "cd decode Chip-Test-CD-Signing-Cert.der");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "matterfab: cd: "));
    mfab_test_run_free(&r);

    mfab_test_run_line(&r, dir, NULL, "cd decode missing.der");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "missing.der"));
    mfab_test_run_free(&r);

    mfab_test_run_line(&r, dir, NULL, "cd decode");
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    mfab_test_rmtree(dir);
}

#define GEN_SDK                                                                \
    "cd generate -K Chip-Test-CD-Signing-Key.pem "                             \
    "-C Chip-Test-CD-Signing-Cert.pem -O out.der -f 1 -V FFF2 -p 8001 "        \
    "-d 1234 -c ZIG20141ZB330001-24 -l 0 -i 0 -n 9876 -t 0"

/* chip-cert's own example: same content as the SDK's CD, verifies. */
static void
test_cd__generate_verify_decode(void **state)
{
    char *dir = copy_vectors("pki/sdk-test");
    char path[1024];
    mfab_test_run_result r;
    json_t *want, *got;
    json_error_t jerr;
    (void)state;

    mfab_test_run_line(&r, dir, NULL, GEN_SDK);
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.err, "");
    mfab_test_run_free(&r);
    assert_true(exists_in(dir, "out.der"));

    mfab_test_run_line(&r, dir, NULL,
                       "cd verify out.der --cd-cert "
                       "Chip-Test-CD-Signing-Cert.der");
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out, "OK\n");
    mfab_test_run_free(&r);

    mfab_test_run_line(&r, dir, NULL, "cd decode out.der --json");
    assert_int_equal(r.exit_code, 0);
    got = json_loads(r.out, 0, &jerr);
    assert_non_null(got);
    mfab_test_vpath(path, sizeof(path),
                    "pki/cd-decode/Chip-Test-CD-FFF2-8001.json");
    want = mfab_test_json(path);
    assert_true(json_equal(json_object_get(want, "cd_tlv_hex"),
                           json_object_get(got, "cd_tlv_hex")));
    assert_true(json_equal(json_object_get(want, "decoded"),
                           json_object_get(got, "decoded")));
    json_decref(want);
    json_decref(got);
    mfab_test_run_free(&r);
    mfab_test_rmtree(dir);
}

/* Long options, repeated --product-id / --authorized-paa-cert, origins. */
static void
test_cd__generate_repeatable_options(void **state)
{
    char *dir = copy_vectors("pki/sdk-test");
    mfab_test_run_result r;
    (void)state;

    mfab_test_run_line(
        &r, dir, NULL,
        "cd generate --key Chip-Test-CD-Signing-Key.der "
        "--cert Chip-Test-CD-Signing-Cert.pem --out cd.der --vendor-id 0xFFF1 "
        "--product-id 8000 --product-id=8001 -p 0x8002 "
        "--device-type-id FFFFEDCB --certificate-id ZIG20141ZB330001-24 "
        "--version-number 1 --certification-type 1 "
        "--dac-origin-vendor-id FFF1 --dac-origin-product-id 8000 "
        "--authorized-paa-cert Chip-Test-PAA-FFF1-Cert.pem "
        "-a Chip-Test-PAA-NoVID-Cert.der");
    assert_int_equal(r.exit_code, 0);
    mfab_test_run_free(&r);
    mfab_test_run_line(&r, dir, NULL, "cd decode cd.der");
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "product_id_array: 0x8000 0x8001 0x8002\n"));
    assert_non_null(strstr(r.out, "device_type_id: 0xFFFFEDCB\n"));
    assert_non_null(strstr(r.out, "certification_type: 1 (provisional)\n"));
    assert_non_null(strstr(r.out, "dac_origin_product_id: 0x8000\n"));
    assert_non_null(strstr(r.out,
                           "authorized_paa_list: "
                           "6AFD22771F511FECBF1641976710DCDC31A1717E "
                           "785CE705B86B8F4E6FC793AA60CB43EA696882D5\n"));
    mfab_test_run_free(&r);
    mfab_test_rmtree(dir);
}

/* Each failure: the right exit code, a message naming the problem, and
 * no output file. */
static void
test_cd__generate_failures_leave_nothing(void **state)
{
    static const struct {
        const char *line;
        int exit_code;
        const char *text;
    } cases[] = {
        {GEN_SDK " -c ZIG20141ZB330001-2", 2, "--certificate-id"},
        {GEN_SDK " -V XYZ", 2, "invalid --vendor-id 'XYZ'"},
        {GEN_SDK " -V 0", 1, "'vendor_id' is 0"},
        {GEN_SDK " -n 0", 1, "'version_number' is 0"},
        {GEN_SDK " -t 3", 2, "--certification-type"},
        {GEN_SDK " -f 2", 1, "'format_version'"},
        {GEN_SDK " -o FFF1", 1, "'dac_origin_product_id'"},
        {GEN_SDK " -K Chip-Test-PAA-NoVID-Key.pem", 1, ""},
        {GEN_SDK " -K nokey.pem", 1, "nokey.pem"},
        {GEN_SDK " -a Chip-Test-CD-Signing-Key.pem", 1, ""},
        {"cd generate -K Chip-Test-CD-Signing-Key.pem -O out.der -V FFF1 "
         "-p 8000 -c ZIG20141ZB330001-24 -n 1",
         2, "'--cert' is required"},
        {"cd generate --bogus 1", 2, "unknown option"},
    };
    char *dir = copy_vectors("pki/sdk-test");
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mfab_test_run_result r;

        /* show only what each case adds to the good command */
        print_message("  %s\n",
                      strncmp(cases[i].line, GEN_SDK, strlen(GEN_SDK)) == 0
                          ? cases[i].line + strlen(GEN_SDK)
                          : cases[i].line);
        mfab_test_run_line(&r, dir, NULL, cases[i].line);
        if (r.exit_code != cases[i].exit_code ||
            strstr(r.err, cases[i].text) == NULL)
            fail_msg("'%s': exit %d, stderr '%s'", cases[i].line, r.exit_code,
                     r.err);
        assert_true(strncmp(r.err, "matterfab: ", 11) == 0);
        assert_false(exists_in(dir, "out.der"));
        mfab_test_run_free(&r);
    }
    mfab_test_rmtree(dir);
}

static void
test_cd__verify_failures(void **state)
{
    char *dir = mfab_test_tmpdir();
    char cmd[4096];
    mfab_test_run_result r;
    (void)state;

    /* wrong certificate: the SDK's NoCertificateFound */
    snprintf(cmd, sizeof(cmd),
             "cd verify %s/pki/sdk-test/Chip-Test-CD-FFF2-8001.der --cd-cert "
             "%s/pki/sdk-test/Chip-Test-PAA-FFF1-Cert.pem",
             MFAB_VECTORS_DIR, MFAB_VECTORS_DIR);
    mfab_test_run_line(&r, dir, NULL, cmd);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(
        strstr(r.err, "kCertificationDeclarationNoCertificateFound(601)"));
    mfab_test_run_free(&r);

    /* flipped signature byte, as JSON */
    snprintf(cmd, sizeof(cmd),
             "cd verify %s/pki/cases/struct_cd_cms_signature/cd.der "
             "--cd-cert %s/pki/sdk-test/Chip-Test-CD-Signing-Cert.pem --json",
             MFAB_VECTORS_DIR, MFAB_VECTORS_DIR);
    mfab_test_run_line(&r, dir, NULL, cmd);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.out, "\"result\": "
                                  "\"kCertificationDeclarationInvalidSignature"
                                  "\", \"code\": 602"));
    mfab_test_run_free(&r);

    /* SignerInfo version 2 */
    snprintf(cmd, sizeof(cmd),
             "cd verify %s/pki/cases/struct_cd_signer_info_v2/cd.der "
             "--cd-cert %s/pki/sdk-test/Chip-Test-CD-Signing-Cert.pem",
             MFAB_VECTORS_DIR, MFAB_VECTORS_DIR);
    mfab_test_run_line(&r, dir, NULL, cmd);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "kCertificationDeclarationNoKeyId(600)"));
    assert_non_null(strstr(r.err, "SignerInfo 'version'"));
    mfab_test_run_free(&r);

    mfab_test_run_line(&r, dir, NULL, "cd verify x.der");
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    mfab_test_rmtree(dir);
}

/*
 * The CD signing key in a SoftHSM2 token, named by a PKCS#11 URI (the
 * loader is pki's). SoftHSM missing = failure, not a skip.
 */
static void
test_cd__generate_with_pkcs11_key(void **state)
{
    char *dir = copy_vectors("pki/sdk-test");
    char conf[4096], cmd[8192];
    mfab_test_run_result r;
    FILE *f;
    (void)state;

    snprintf(conf, sizeof(conf), "%s/softhsm2.conf", dir);
    f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f,
            "directories.tokendir = %s/tokens\nobjectstore.backend = "
            "file\nlog.level = ERROR\n",
            dir);
    fclose(f);
    setenv("SOFTHSM2_CONF", conf, 1);
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && mkdir tokens && softhsm2-util --init-token --free "
             "--label factory --pin 1234 --so-pin 5678 >/dev/null && "
             "openssl pkcs8 -topk8 -nocrypt -in Chip-Test-CD-Signing-Key.pem "
             "-out cd.pk8 && softhsm2-util --import cd.pk8 --token factory "
             "--label cd --id 02 --pin 1234 >/dev/null && rm cd.pk8",
             dir);
    assert_int_equal(system(cmd), 0);

    mfab_test_run_line(&r, dir, NULL,
                       "cd generate --key pkcs11:token=factory;object=cd;"
                       "pin-value=1234 --cert Chip-Test-CD-Signing-Cert.pem "
                       "--out hsm.der -V FFF2 -p 8001 -d 1234 "
                       "-c ZIG20141ZB330001-24 -n 9876");
    if (r.exit_code != 0)
        fail_msg("generate with a token key: %s", r.err);
    mfab_test_run_free(&r);
    mfab_test_run_line(&r, dir, NULL,
                       "cd verify hsm.der --cd-cert "
                       "Chip-Test-CD-Signing-Cert.pem");
    assert_int_equal(r.exit_code, 0);
    mfab_test_run_free(&r);

    /* a wrong PIN fails cleanly, writes nothing, and does not echo it */
    mfab_test_run_line(&r, dir, NULL,
                       "cd generate --key pkcs11:token=factory;object=cd;"
                       "pin-value=9999 --cert Chip-Test-CD-Signing-Cert.pem "
                       "--out bad.der -V FFF2 -p 8001 -c ZIG20141ZB330001-24 "
                       "-n 1");
    assert_int_equal(r.exit_code, 1);
    assert_null(strstr(r.err, "9999"));
    assert_false(exists_in(dir, "bad.der"));
    mfab_test_run_free(&r);
    unsetenv("SOFTHSM2_CONF");
    mfab_test_rmtree(dir);
}

/*
 * The acceptance check through the tool: same bytes as the SDK's
 * CD everywhere but the signature. Signatures are 70..72 bytes; run until
 * one is as long as the SDK's (each run has a chance of about 1/4, so 80
 * runs all miss with probability < 1e-9), then compare up to it.
 */
static void
test_cd__generate_equals_sdk_cd_but_signature(void **state)
{
    char *dir = copy_vectors("pki/sdk-test");
    char path[4096];
    uint8_t *sdk = NULL, *ours = NULL;
    size_t sdk_len, ours_len = 0;
    int tries;
    (void)state;

    snprintf(path, sizeof(path), "%s/Chip-Test-CD-FFF2-8001.der", dir);
    sdk = mfab_test_read(path, &sdk_len);
    snprintf(path, sizeof(path), "%s/out.der", dir);
    for (tries = 0; tries < 80 && ours_len != sdk_len; tries++) {
        mfab_test_run_result r;

        mfab_test_run_line(&r, dir, NULL, GEN_SDK);
        assert_int_equal(r.exit_code, 0);
        mfab_test_run_free(&r);
        free(ours);
        ours = mfab_test_read(path, &ours_len);
    }
    assert_int_equal(ours_len, sdk_len);
    /* the SDK vector's signature OCTET STRING is 04 46 + 70 bytes */
    assert_int_equal(sdk[sdk_len - 72], 0x04);
    assert_int_equal(sdk[sdk_len - 71], 0x46);
    mfab_test_assert_bytes("generated CD before the signature", sdk,
                           sdk_len - 70, ours, ours_len - 70);
    free(sdk);
    free(ours);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cd__decode_json_matches_vectors),
        cmocka_unit_test(test_cd__decode_text_and_errors),
        cmocka_unit_test(test_cd__generate_verify_decode),
        cmocka_unit_test(test_cd__generate_equals_sdk_cd_but_signature),
        cmocka_unit_test(test_cd__generate_repeatable_options),
        cmocka_unit_test(test_cd__generate_failures_leave_nothing),
        cmocka_unit_test(test_cd__verify_failures),
        cmocka_unit_test(test_cd__generate_with_pkcs11_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
