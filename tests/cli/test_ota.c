/*
 * End-to-end tests of "matterfab ota": every production/ota case's cmd.txt
 * is run in a temporary copy (ota_image_tool.py -> matterfab ota) and its
 * outputs compared byte for byte with the vector's expected/ files; the
 * negative cases fail with exit 1, an equivalent message and no output;
 * "ota dcl" prints the vectors' DCL values.
 */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <openssl/evp.h>

#include "matterfab/hex.h"
#include "vector_cmd.h"

#define TOOL "ota_image_tool.py"
#define APP_CASE "production/ota/ota-04-sha384-esp32s2-app"

static void
sha256_hex(char *out, const uint8_t *p, size_t len)
{
    uint8_t d[32];

    assert_true(EVP_Digest(p, len, d, NULL, EVP_sha256(), NULL));
    mfab_hex_encode(out, d, 32);
}

/* Copy a case to a fresh folder with its expected/ emptied. */
static char *
stage(const char *case_dir)
{
    char path[2048];
    char *tmp = mfab_test_tmpdir();
    struct dirent *de;
    DIR *d;

    mfab_test_copytree(case_dir, tmp);
    snprintf(path, sizeof(path), "%s/expected", tmp);
    d = opendir(path);
    if (d != NULL) {
        while ((de = readdir(d)) != NULL) {
            char f[2400];

            if (de->d_name[0] == '.')
                continue;
            snprintf(f, sizeof(f), "%s/%s", path, de->d_name);
            assert_int_equal(remove(f), 0);
        }
        closedir(d);
    }
    return tmp;
}

static char *
read_text(const char *path)
{
    size_t len;
    return (char *)mfab_test_read(path, &len);
}

static void
run_case(const char *dir, const char *name)
{
    char path[4096], mine[4096], hex[65];
    char *tmp = stage(dir), *cmds, *line, *save = NULL;
    json_t *json;
    unsigned ran = 0, compared = 0;
    struct dirent *de;
    DIR *d;

    snprintf(path, sizeof(path), "%s/cmd.txt", dir);
    cmds = read_text(path);
    snprintf(path, sizeof(path), "%s/expected.json", dir);
    json = mfab_test_json(path);
    for (line = strtok_r(cmds, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        vector_cmd c;

        if (vector_cmd_run(&c, tmp, line, TOOL, "ota") < 0)
            continue;
        if (c.r.exit_code != 0)
            fail_msg("%s: '%s' exited %d: %s", name, line, c.r.exit_code,
                     c.r.err);
        if (c.stdout_file[0] != '\0') {
            char *want;
            snprintf(path, sizeof(path), "%s/%s", dir, c.stdout_file);
            want = read_text(path);
            mfab_test_assert_bytes(c.stdout_file, (const uint8_t *)want,
                                   strlen(want), (const uint8_t *)c.r.out,
                                   strlen(c.r.out));
            free(want);
            compared++;
        }
        vector_cmd_free(&c);
        ran++;
    }
    assert_true(ran >= 3);
    /* extract's output is not stored: its SHA-256 is */
    snprintf(mine, sizeof(mine), "%s/expected/extracted.bin", tmp);
    {
        size_t len;
        uint8_t *p = mfab_test_read(mine, &len);
        sha256_hex(hex, p, len);
        assert_string_equal(hex, json_string_value(json_object_get(
                                     json, "extract_output_sha256")));
        free(p);
    }
    snprintf(path, sizeof(path), "%s/expected", dir);
    d = opendir(path);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        uint8_t *want, *got;
        size_t wlen, glen;

        if (strstr(de->d_name, ".ota") == NULL)
            continue;
        snprintf(path, sizeof(path), "%s/expected/%s", dir, de->d_name);
        snprintf(mine, sizeof(mine), "%s/expected/%s", tmp, de->d_name);
        want = mfab_test_read(path, &wlen);
        got = mfab_test_read(mine, &glen);
        mfab_test_assert_bytes(de->d_name, want, wlen, got, glen);
        free(want);
        free(got);
        compared++;
    }
    closedir(d);
    assert_true(compared >= 2);
    json_decref(json);
    free(cmds);
    mfab_test_rmtree(tmp);
}

static void
test_ota__vector_commands(void **state)
{
    char dir[2048], sub[2400];
    struct dirent *de;
    unsigned cases = 0;
    DIR *d;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "production/ota");
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strstr(de->d_name, "-neg-") != NULL)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
        run_case(sub, de->d_name);
        cases++;
    }
    closedir(d);
    assert_int_equal(cases, 6);
}

static void
lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static void
test_ota__negative_validation(void **state)
{
    char dir[2048], path[4096];
    char *tmp, *cmds, *line, *save = NULL;
    json_t *json, *cases;
    size_t k = 0;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "production/ota/ota-neg-validation");
    tmp = stage(dir);
    snprintf(path, sizeof(path), "%s/expected", tmp);
    if (!mfab_test_exists(path))
        assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/expected.json", dir);
    json = mfab_test_json(path);
    cases = json_object_get(json, "negative_cases");
    snprintf(path, sizeof(path), "%s/cmd.txt", dir);
    cmds = read_text(path);
    for (line = strtok_r(cmds, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        json_t *nc = json_array_get(cases, k);
        char want[256], never[4096];
        vector_cmd c;

        if (vector_cmd_run(&c, tmp, line, TOOL, "ota") < 0)
            continue;
        assert_non_null(nc);
        assert_int_equal(c.r.exit_code,
                         json_integer_value(json_object_get(nc,
                                                            "exit_status")));
        /* same words as the reference's "error: <Text>", lower-cased */
        snprintf(want, sizeof(want), "matterfab: ota: %s",
                 json_string_value(json_object_get(nc, "stderr")) + 7);
        lower(want);
        if (strstr(c.r.err, want) == NULL)
            fail_msg("case %zu: stderr '%s' lacks '%s'", k, c.r.err, want);
        snprintf(never, sizeof(never), "%s/expected/never.ota", tmp);
        assert_false(mfab_test_exists(never));
        vector_cmd_free(&c);
        k++;
    }
    assert_int_equal(k, json_array_size(cases));
    assert_int_equal(k, 7);
    json_decref(json);
    free(cmds);
    mfab_test_rmtree(tmp);
}

static void
check_dcl(const char *dir, json_t *want)
{
    char path[4096];
    const char *args[] = { "ota", "dcl", path, "--url",
                           "https://example.com/fw.ota", "--json", NULL,
                           NULL, NULL };
    static const char *const keys[] = {
        "vid", "pid", "softwareVersion", "softwareVersionString",
        "otaFileSize", "otaChecksum", "otaChecksumType",
        "minApplicableSoftwareVersion", "maxApplicableSoftwareVersion",
        "releaseNotesUrl",
    };
    mfab_test_run_result r;
    json_error_t jerr;
    json_t *got;
    size_t i;

    snprintf(path, sizeof(path), "%s/expected/image.ota", dir);
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    got = json_loads(r.out, 0, &jerr);
    assert_non_null(got);
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *w = json_object_get(want, keys[i]);
        json_t *g = json_object_get(got, keys[i]);

        if (w == NULL)
            w = json_null();
        if (!json_equal(w, g))
            fail_msg("%s: dcl field '%s' differs", dir, keys[i]);
    }
    assert_string_equal(
        json_string_value(json_object_get(got, "otaUrl")),
        "https://example.com/fw.ota");
    json_decref(got);
    mfab_test_run_free(&r);

    args[5] = "--checksum-type";
    args[6] = "8";
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out,
                           json_string_value(json_object_get(
                               want, "otaChecksum_if_sha512_type8"))));
    assert_non_null(strstr(r.out, "otaChecksumType: 8"));
    assert_non_null(strstr(r.err, "warning: otaChecksum is 88 characters"));
    mfab_test_run_free(&r);
}

static void
test_ota__dcl(void **state)
{
    char dir[2048], sub[2400], path[2600];
    struct dirent *de;
    unsigned cases = 0;
    DIR *d;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "production/ota");
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        json_t *json;

        if (de->d_name[0] == '.' || strstr(de->d_name, "-neg-") != NULL)
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
        snprintf(path, sizeof(path), "%s/expected.json", sub);
        json = mfab_test_json(path);
        check_dcl(sub, json_object_get(json, "dcl_model_version"));
        json_decref(json);
        cases++;
    }
    closedir(d);
    assert_int_equal(cases, 6);
}

static void
run_expect(const char *cwd, const char *line, int code, const char *needle)
{
    mfab_test_run_result r;

    mfab_test_run_line(&r, cwd, NULL, line);
    if (r.exit_code != code || strstr(r.err, needle) == NULL)
        fail_msg("'%s': exit %d, stderr '%s' (wanted %d and '%s')", line,
                 r.exit_code, r.err, code, needle);
    mfab_test_run_free(&r);
}

static void
test_ota__bad_input(void **state)
{
    char dir[2048], path[4096];
    char *tmp;
    FILE *f;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), APP_CASE);
    tmp = stage(dir);
    snprintf(path, sizeof(path), "%s/short.ota", tmp);
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite("\x1e\xf1\xee\x1b\x00\x00", 1, 6, f);
    fclose(f);
    run_expect(tmp, "ota show short.ota", 1, "truncated image");
    run_expect(tmp, "ota show app.bin", 1, "wrong file identifier");
    run_expect(tmp, "ota extract app.bin out.bin", 1,
               "wrong file identifier");
    run_expect(tmp, "ota change-header -vn 9 app.bin out.ota", 1,
               "wrong file identifier");
    run_expect(tmp, "ota dcl short.ota --url https://x.example/a", 1,
               "truncated");
    run_expect(tmp, "ota create -v 1 -p 1 -vn 1 -vs 1 -da sha256 missing.bin "
                    "out.ota",
               1, "missing.bin");
    run_expect(tmp, "ota create -v 1 -p 1 -vn 1 -vs 1 -da md5 app.bin out.ota",
               1, "invalid digest algorithm 'md5'");
    run_expect(tmp, "ota create -v 0x10000 -p 1 -vn 1 -vs 1 -da sha256 "
                    "app.bin out.ota",
               1, "invalid vendor id");
    run_expect(tmp, "ota create -p 1 -vn 1 -vs 1 -da sha256 app.bin out.ota",
               2, "'--vendor-id' (-v) is required");
    /* the firmware says qa-test-v5.0-20220830-4-g4532e6 */
    run_expect(tmp, "ota create -v 1 -p 1 -vn 1 -vs 6.0 -da sha256 app.bin "
                    "out.ota",
               1, "disagrees with the firmware's own version");
    run_expect(tmp, "ota dcl short.ota --url http://x.example/a", 1,
               "url 'http://x.example/a' is not allowed");
    snprintf(path, sizeof(path), "%s/out.ota", tmp);
    assert_false(mfab_test_exists(path));
    snprintf(path, sizeof(path), "%s/out.bin", tmp);
    assert_false(mfab_test_exists(path));
    mfab_test_rmtree(tmp);
}

static void
test_ota__version_from_app_and_at_file(void **state)
{
    char dir[2048], path[4096];
    mfab_test_run_result r;
    char *tmp;
    FILE *f;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), APP_CASE);
    tmp = stage(dir);
    snprintf(path, sizeof(path), "%s/args.txt", tmp);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("-v\n0x131B\n-p\n0x1234\n", f);
    fclose(f);
    run_expect(tmp, "ota create -v 1 -p 1 -vn 1 -vs 6.0 --no-app-check -da "
                    "sha256 app.bin forced.ota",
               0, "");
    mfab_test_run_line(&r, tmp, NULL,
                       "ota create @args.txt -vn 0x50000 -da sha256 app.bin "
                       "auto.ota");
    assert_int_equal(r.exit_code, 0);
    mfab_test_run_free(&r);
    mfab_test_run_line(&r, tmp, NULL, "ota show auto.ota");
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "[0] Vendor Id: 4891 (0x131b)\n"));
    assert_non_null(strstr(
        r.out, "[3] Version String: qa-test-v5.0-20220830-4-g4532e6\n"));
    mfab_test_run_free(&r);
    mfab_test_rmtree(tmp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ota__vector_commands),
        cmocka_unit_test(test_ota__negative_validation),
        cmocka_unit_test(test_ota__dcl),
        cmocka_unit_test(test_ota__bad_input),
        cmocka_unit_test(test_ota__version_from_app_and_at_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
