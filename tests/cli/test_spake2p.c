/*
 * End-to-end tests of cli/cmd_spake2p.c: `spake2p verifier` prints every
 * spake2p.json verifier byte-exact (and w0, L with --json); the
 * invalid.json cases of categories passcode, spake2p_salt,
 * spake2p_iterations and spake2p_verifier exit non-zero with a specific
 * message (must_reject: false ones succeed); `spake2p gen` output is
 * checked cryptographically row by row; --out files are 0600 and never
 * left behind on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mfab_test.h"
#include "matterfab/base64.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"

#define SALT20 "U1BBS0UyUCBLZXkgU2FsdA=="

static json_t *
cases_of(const char *file, json_t **root)
{
    char path[1024];

    mfab_test_vpath(path, sizeof(path), file);
    *root = mfab_test_json(path);
    return json_object_get(*root, "cases");
}

static void
test_spake2p__verifier_golden_vectors(void **state)
{
    json_t *root, *cases = cases_of("commissioning/spake2p.json", &root);
    size_t i;
    (void)state;

    for (i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        const char *want = json_string_value(json_object_get(c, "verifier"));
        char pc[16], it[16], expect[256];
        mfab_test_run_result r;
        const char *args[] = { "spake2p", "verifier", "--passcode", pc,
                               "--salt", NULL, "--iterations", it, NULL,
                               NULL };

        snprintf(pc, sizeof(pc), "%lld",
                 (long long)json_integer_value(json_object_get(c,
                                                               "passcode")));
        snprintf(it, sizeof(it), "%lld",
                 (long long)json_integer_value(json_object_get(c,
                                                               "iterations")));
        args[5] = json_string_value(json_object_get(c, "salt"));
        /* every fifth case also through --json */
        if (i % 5 == 0)
            args[8] = "--json";
        mfab_test_run(&r, NULL, args);
        assert_int_equal(r.exit_code, 0);
        if (i % 5 != 0) {
            snprintf(expect, sizeof(expect), "%s\n", want);
            assert_string_equal(r.out, expect);
        } else {
            snprintf(expect, sizeof(expect), "\"verifier\": \"%s\"", want);
            assert_non_null(strstr(r.out, expect));
            snprintf(expect, sizeof(expect), "\"w0\": \"%s\"",
                     json_string_value(json_object_get(c, "w0_hex")));
            assert_non_null(strstr(r.out, expect));
            snprintf(expect, sizeof(expect), "\"L\": \"%s\"",
                     json_string_value(json_object_get(c, "L_hex")));
            assert_non_null(strstr(r.out, expect));
        }
        mfab_test_run_free(&r);
    }
    json_decref(root);
}

static void
test_spake2p__invalid_vectors(void **state)
{
    json_t *root, *cases = cases_of("commissioning/invalid.json", &root);
    size_t i, seen = 0;
    (void)state;

    for (i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        const char *cat = json_string_value(json_object_get(c, "category"));
        const char *id = json_string_value(json_object_get(c, "id"));
        json_t *in = json_object_get(c, "input");
        json_t *jv = json_object_get(in, "verifier");
        int must = json_is_true(json_object_get(c, "must_reject"));
        char pc[32] = "20202021", it[32] = "10000";
        const char *salt = "V2QKkHqfnRuSmj1m/1ZcYNwoAfhl5sihnkdYmHQahuM=";
        const char *want_msg;
        mfab_test_run_result r;
        const char *args[12];
        int n = 0;

        if (strcmp(cat, "passcode") == 0)
            want_msg = "passcode '";
        else if (strcmp(cat, "spake2p_salt") == 0)
            want_msg = "salt";
        else if (strcmp(cat, "spake2p_iterations") == 0)
            want_msg = "iteration count '";
        else if (strcmp(cat, "spake2p_verifier") == 0)
            want_msg = "verifier";
        else
            continue;
        seen++;
        if (json_object_get(in, "passcode") != NULL)
            snprintf(pc, sizeof(pc), "%lld",
                     (long long)json_integer_value(json_object_get(in,
                                                                   "passcode")));
        if (json_object_get(in, "passcode_cli_text") != NULL)
            snprintf(pc, sizeof(pc), "%s",
                     json_string_value(json_object_get(in,
                                                       "passcode_cli_text")));
        if (json_object_get(in, "iterations") != NULL)
            snprintf(it, sizeof(it), "%lld",
                     (long long)json_integer_value(json_object_get(in,
                                                                   "iterations")));
        if (json_object_get(in, "salt") != NULL)
            salt = json_string_value(json_object_get(in, "salt"));
        args[n++] = "spake2p";
        args[n++] = jv != NULL ? "check" : "verifier";
        args[n++] = "--passcode";
        args[n++] = pc;
        args[n++] = "--salt";
        args[n++] = salt;
        args[n++] = "--iterations";
        args[n++] = it;
        if (jv != NULL) {
            args[n++] = "--verifier";
            args[n++] = json_string_value(jv);
        }
        args[n] = NULL;
        mfab_test_run(&r, NULL, args);
        if (!must) {
            if (r.exit_code != 0)
                fail_msg("%s: rejected: %s", id, r.err);
        } else {
            if (r.exit_code != 1)
                fail_msg("%s: exit %d, stderr '%s'", id, r.exit_code,
                         r.err);
            assert_int_equal(r.out[0], '\0');
            if (strncmp(r.err, "matterfab: ", 11) != 0 ||
                strstr(r.err, want_msg) == NULL)
                fail_msg("%s: message '%s' lacks '%s'", id, r.err,
                         want_msg);
        }
        mfab_test_run_free(&r);
    }
    assert_int_equal(seen, 30);
    json_decref(root);
}

/* Split "a,b,c,d,e" in place into 5 fields. */
static void
split5(char *line, char **f)
{
    int k;

    for (k = 0; k < 5; k++) {
        f[k] = line;
        line = strchr(line, k < 4 ? ',' : '\0');
        assert_non_null(line);
        if (k < 4)
            *line++ = '\0';
    }
}

static void
check_gen_csv(char *out, int rows, unsigned iterations, size_t salt_len)
{
    char *save = NULL, *line;
    int k = -1;

    for (line = strtok_r(out, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save), k++) {
        uint8_t salt[64], v[128];
        size_t sl, vl;
        char *f[5];
        uint32_t pc;

        if (k < 0) {
            assert_string_equal(line,
                                "Index,PIN Code,Iteration Count,Salt,"
                                "Verifier");
            continue;
        }
        split5(line, f);
        assert_int_equal(strtol(f[0], NULL, 10), k);
        assert_int_equal(strlen(f[1]), 8); /* zero-padded like CHIP */
        assert_int_equal(mfab_passcode_parse(&pc, f[1], NULL, NULL), 0);
        assert_int_equal(strtoul(f[2], NULL, 10), iterations);
        assert_int_equal(mfab_base64_decode(salt, sizeof(salt), &sl, f[3],
                                            strlen(f[3]), NULL),
                         0);
        assert_int_equal(sl, salt_len);
        assert_int_equal(mfab_base64_decode(v, sizeof(v), &vl, f[4],
                                            strlen(f[4]), NULL),
                         0);
        assert_int_equal(mfab_spake2p_verifier_check(v, vl, pc, salt, sl,
                                                     iterations, NULL),
                         0);
    }
    assert_int_equal(k, rows);
}

static void
test_spake2p__gen_rows_verify(void **state)
{
    mfab_test_run_result r;
    /* 37 rows: groups of 16, 16 and 5 computed side by side (each row
     * is checked on its own, one verifier at a time) */
    const char *args[] = { "spake2p", "gen", "--count", "37", "--iterations",
                           "1000", "-l", "16", NULL };
    (void)state;

    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    check_gen_csv(r.out, 37, 1000, 16);
    mfab_test_run_free(&r);
}

static void
test_spake2p__gen_json(void **state)
{
    mfab_test_run_result r;
    const char *args[] = { "spake2p", "gen", "-c", "2", "--iterations",
                           "1000", "--json", NULL };
    json_error_t err;
    json_t *arr;
    size_t i;
    (void)state;

    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    arr = json_loads(r.out, 0, &err);
    assert_non_null(arr);
    assert_int_equal(json_array_size(arr), 2);
    for (i = 0; i < 2; i++) {
        json_t *o = json_array_get(arr, i);
        const char *s = json_string_value(json_object_get(o, "salt"));
        const char *v = json_string_value(json_object_get(o, "verifier"));
        uint8_t salt[64], ver[128];
        size_t sl, vl;

        assert_int_equal(mfab_base64_decode(salt, sizeof(salt), &sl, s,
                                            strlen(s), NULL),
                         0);
        assert_int_equal(sl, MFAB_SPAKE2P_SALT_DEFAULT);
        assert_int_equal(mfab_base64_decode(ver, sizeof(ver), &vl, v,
                                            strlen(v), NULL),
                         0);
        assert_int_equal(
            mfab_spake2p_verifier_check(
                ver, vl,
                (uint32_t)json_integer_value(json_object_get(o, "passcode")),
                salt, sl, 1000, NULL),
            0);
    }
    json_decref(arr);
    mfab_test_run_free(&r);
}

static void
test_spake2p__gen_out_file_is_secret_and_atomic(void **state)
{
    char *dir = mfab_test_tmpdir();
    mfab_test_run_result r;
    const char *ok[] = { "spake2p", "gen", "--iterations", "1000", "-o",
                         "pins.csv", NULL };
    const char *bad_len[] = { "spake2p", "gen", "--salt-len", "33", "-o",
                              "bad.csv", NULL };
    const char *bad_dir[] = { "spake2p", "gen", "--iterations", "1000",
                              "--out", "missing/x.csv", NULL };
    char path[1024];
    struct stat st;
    uint8_t *text;
    size_t len;
    (void)state;

    mfab_test_run(&r, dir, ok);
    assert_int_equal(r.exit_code, 0);
    assert_int_equal(r.out[0], '\0');
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/pins.csv", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    text = mfab_test_read(path, &len);
    check_gen_csv((char *)text, 1, 1000, 32);
    free(text);

    mfab_test_run(&r, dir, bad_len);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "salt of 33 bytes out of range"));
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/bad.csv", dir);
    assert_false(mfab_test_exists(path));

    mfab_test_run(&r, dir, bad_dir);
    assert_int_equal(r.exit_code, 1);
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/missing", dir);
    assert_false(mfab_test_exists(path));
    mfab_test_rmtree(dir);
}

static void
test_spake2p__usage_errors(void **state)
{
    static const char *const lines[] = {
        "spake2p verifier --salt " SALT20 " --iterations 1000",
        "spake2p verifier --passcode 1 --salt " SALT20 " --iterations x",
        "spake2p verifier --passcode 1 --bogus",
        "spake2p check --passcode 1 --salt " SALT20 " --iterations 1000",
        "spake2p gen --count 0",
        "spake2p gen --count 100001",
        "spake2p nope",
    };
    mfab_test_run_result r;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        mfab_test_run_line(&r, NULL, NULL, lines[i]);
        if (r.exit_code != 2)
            fail_msg("'%s': exit %d", lines[i], r.exit_code);
        assert_int_equal(r.out[0], '\0');
        assert_non_null(strstr(r.err, "matterfab: "));
        mfab_test_run_free(&r);
    }
}

static void
test_spake2p__pin_code_alias(void **state)
{
    mfab_test_run_result r;
    (void)state;

    mfab_test_run_line(&r, NULL, NULL,
                       "spake2p verifier --pin-code 20202021 --salt " SALT20
                       " --iteration-count 1000");
    assert_int_equal(r.exit_code, 0);
    assert_string_equal(r.out,
                        "uWFwqugDNGiEck/po7KHwwMwwqZgN10XuyBajPGuyzUEV/iree4l"
                        "Orao5GuwnlQ65CJzbeUB49s31EH+NEkg0JVI5MGCQGMMT/SRPFNR"
                        "ODm3wH/MBiehuFc6FJ/NH6Rmzw==\n");
    mfab_test_run_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spake2p__verifier_golden_vectors),
        cmocka_unit_test(test_spake2p__invalid_vectors),
        cmocka_unit_test(test_spake2p__gen_rows_verify),
        cmocka_unit_test(test_spake2p__gen_json),
        cmocka_unit_test(test_spake2p__gen_out_file_is_secret_and_atomic),
        cmocka_unit_test(test_spake2p__usage_errors),
        cmocka_unit_test(test_spake2p__pin_code_alias),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
