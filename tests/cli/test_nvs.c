/*
 * End-to-end tests of cli/cmd_nvs.c and cli/cmd_nvs_mfg.c: every
 * generate/mfg case of ../shared/vectors/nvs is run from a copy of its
 * folder and every expected file compared byte for byte.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "matterfab/nvs_crypt.h"
#include "mfab_test.h"


/* snprintf that fails the test instead of truncating */
static void __attribute__((format(printf, 3, 4)))
fmt(char *out, size_t cap, const char *f, ...)
{
    va_list ap;
    int n;

    va_start(ap, f);
    n = vsnprintf(out, cap, f, ap);
    va_end(ap);
    assert_true(n >= 0 && (size_t)n < cap);
}

static char *
read_text(const char *path)
{
    size_t len = 0;
    char *t = (char *)mfab_test_read(path, &len);
    return t;
}

/* Outputs = files after the run that were not there before. */
static void
new_files(mfab_test_files *out, const mfab_test_files *before,
          const char *dir)
{
    mfab_test_files after = MFAB_TEST_FILES_INIT;
    size_t i;

    mfab_test_list_files(&after, dir);
    for (i = 0; i < after.n; i++)
        if (!mfab_test_files_has(before, after.names[i])) {
            mfab_test_files_add(out, after.names[i]);
            after.names[i] = NULL;
        }
    mfab_test_files_free(&after);
}

static void
check_success(const char *casedir, const char *tmp, const mfab_test_files *outs,
              const mfab_test_run_result *r)
{
    mfab_test_files expected = MFAB_TEST_FILES_INIT;
    char exp_dir[4096], a[4096], b[4096];
    size_t i;

    fmt(exp_dir, sizeof(exp_dir), "%s/expected", casedir);
    mfab_test_list_files(&expected, exp_dir);
    assert_true(expected.n > 0);
    for (i = 0; i < expected.n; i++) {
        uint8_t *x, *y;
        size_t xl, yl;

        fmt(a, sizeof(a), "%s/%s", exp_dir, expected.names[i]);
        fmt(b, sizeof(b), "%s/%s", tmp, expected.names[i]);
        if (!mfab_test_exists(b))
            fail_msg("%s: output '%s' missing", casedir, expected.names[i]);
        x = mfab_test_read(a, &xl);
        y = mfab_test_read(b, &yl);
        mfab_test_assert_bytes(expected.names[i], x, xl, y, yl);
        free(x);
        free(y);
    }
    for (i = 0; i < outs->n; i++)
        if (!mfab_test_files_has(&expected, outs->names[i]))
            fail_msg("%s: unexpected output '%s'", casedir, outs->names[i]);
    fmt(a, sizeof(a), "%s/reference_stdout.txt", casedir);
    if (mfab_test_exists(a)) {
        char *ref = read_text(a);
        if (strcmp(ref, r->out) != 0)
            fail_msg("%s: stdout differs:\n--- reference\n%s\n--- ours\n%s",
                     casedir, ref, r->out);
        free(ref);
    }
    mfab_test_files_free(&expected);
}

/* A located message: "<file>.csv:<line>:" or the argument it is about. */
static int
located(const char *err)
{
    const char *p = strstr(err, ".csv:");

    if (p != NULL && p[5] >= '1' && p[5] <= '9')
        return 1;
    return strstr(err, "SIZE '") != NULL || strstr(err, "option '--") != NULL;
}

static void
check_e12(const char *tmp, const mfab_test_files *outs, const mfab_test_run_result *r)
{
    char path[4096];
    uint8_t *img;
    size_t len;

    /* the reference refuses i16 in a config; matterfab accepts it */
    if (r->exit_code != 0)
        fail_msg("e12: exit %d: %s", r->exit_code, r->err);
    assert_int_equal(outs->n, 2);
    fmt(path, sizeof(path), "%s/out/bin/dev-1.bin", tmp);
    img = mfab_test_read(path, &len);
    assert_int_equal(len, 0x3000);
    /* slot 1 of page 0: ns 1, type I16 (0x12), value -5 = fb ff */
    assert_int_equal(img[64 + 32 + 0], 1);
    assert_int_equal(img[64 + 32 + 1], 0x12);
    assert_int_equal(img[64 + 32 + 24], 0xfb);
    assert_int_equal(img[64 + 32 + 25], 0xff);
    free(img);
    fmt(path, sizeof(path), "%s/out/csv/dev-1.csv", tmp);
    assert_true(mfab_test_exists(path));
}

/* 1 when the case is run here, 0 when it belongs to nvs encrypt/decrypt/
 * generate-key (tested with those verbs). Fails on anything else. */
static int
run_case(const char *name, int *n_ok, int *n_err)
{
    char casedir[4096], path[4096];
    mfab_test_files before = MFAB_TEST_FILES_INIT, outs = MFAB_TEST_FILES_INIT;
    mfab_test_run_result r;
    const char *prefix;
    char *cmd, *tmp;
    int is_error;

    fmt(casedir, sizeof(casedir), "%s/nvs/%s", MFAB_VECTORS_DIR, name);
    fmt(path, sizeof(path), "%s/cmd.txt", casedir);
    cmd = read_text(path);
    if (strncmp(cmd, "<generator> generate ", 21) == 0) {
        prefix = "nvs";
    } else if (strncmp(cmd, "<mfg_gen> generate ", 19) == 0) {
        prefix = "nvs mfg";
    } else if (strncmp(cmd, "<generator> encrypt ", 20) == 0 ||
               strncmp(cmd, "<generator> decrypt ", 20) == 0 ||
               strncmp(cmd, "<generator> generate-key", 24) == 0) {
        free(cmd);
        return 0;
    } else {
        fail_msg("vector case '%s' is not handled by any test: %s", name, cmd);
        return 0;
    }
    fmt(path, sizeof(path), "%s/expected_error.txt", casedir);
    is_error = mfab_test_exists(path);
    tmp = mfab_test_tmpdir();
    mfab_test_copytree(casedir, tmp);
    fmt(path, sizeof(path), "%s/expected", tmp);
    if (mfab_test_exists(path)) {
        char rm[4200];
        fmt(rm, sizeof(rm), "rm -rf '%s'", path);
        assert_int_equal(system(rm), 0);
    }
    mfab_test_list_files(&before, tmp);
    mfab_test_run_line(&r, tmp, prefix, cmd);
    new_files(&outs, &before, tmp);
    if (strncmp(name, "e12_", 4) == 0) {
        check_e12(tmp, &outs, &r);
        (*n_ok)++;
    } else if (is_error) {
        if (r.exit_code == 0)
            fail_msg("%s: exit 0, expected an error", name);
        if (!located(r.err))
            fail_msg("%s: message does not name a location: %s", name, r.err);
        if (outs.n != 0)
            fail_msg("%s: output '%s' left behind", name, outs.names[0]);
        (*n_err)++;
    } else {
        if (r.exit_code != 0)
            fail_msg("%s: exit %d: %s", name, r.exit_code, r.err);
        check_success(casedir, tmp, &outs, &r);
        (*n_ok)++;
    }
    mfab_test_run_free(&r);
    mfab_test_files_free(&before);
    mfab_test_files_free(&outs);
    mfab_test_rmtree(tmp);
    free(cmd);
    return 1;
}

static void
test_nvs__every_vector_case(void **state)
{
    char dir[4096];
    struct dirent *e;
    DIR *d;
    int n_ok = 0, n_err = 0, n_other = 0;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "nvs");
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char sub[4096];
        struct stat st;

        if (e->d_name[0] == '.')
            continue;
        fmt(sub, sizeof(sub), "%s/%s", dir, e->d_name);
        if (stat(sub, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        if (!run_case(e->d_name, &n_ok, &n_err))
            n_other++;
    }
    closedir(d);
    print_message("nvs vectors: %d ok, %d errors, %d for nvs-crypto\n", n_ok,
                  n_err, n_other);
    /* 20 success + 12 error + e12 when this was written; never fewer */
    assert_true(n_ok >= 21);
    assert_true(n_err >= 12);
}

static void
run_in(mfab_test_run_result *r, const char *dir, const char *line)
{
    mfab_test_run_line(r, dir, "nvs", line);
}

static void
write_text(const char *dir, const char *name, const char *text)
{
    char path[4096];
    FILE *f;

    fmt(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
test_nvs__usage_errors(void **state)
{
    mfab_test_run_result r;
    char *tmp = mfab_test_tmpdir();
    (void)state;

    write_text(tmp, "in.csv", "key,type,encoding,value\nns,namespace,,\n");
    run_in(&r, tmp, "<g> generate in.csv out.bin 0x3000 --version 3");
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "--version"));
    mfab_test_run_free(&r);
    run_in(&r, tmp, "<g> generate in.csv out.txt 0x3000");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, ".bin"));
    mfab_test_run_free(&r);
    run_in(&r, tmp, "<g> generate in.csv out.bin 12ab");
    assert_int_equal(r.exit_code, 1);
    mfab_test_run_free(&r);
    run_in(&r, tmp, "<g> generate out.bin");
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    assert_false(mfab_test_exists("out.bin"));
    mfab_test_rmtree(tmp);
}

static void
test_nvs__dash_option_spelling(void **state)
{
    mfab_test_run_result r;
    char *tmp = mfab_test_tmpdir();
    char path[4096];
    (void)state;

    write_text(tmp, "in.csv", "key,type,encoding,value\nns,namespace,,\n");
    run_in(&r, tmp, "<g> generate in.csv out.bin 0x3000 --outdir=a/b");
    assert_int_equal(r.exit_code, 0);
    fmt(path, sizeof(path), "%s/a/b/out.bin", tmp);
    assert_true(mfab_test_exists(path));
    mfab_test_run_free(&r);
    mfab_test_rmtree(tmp);
}

static void
test_nvs__mfg_errors_write_nothing(void **state)
{
    mfab_test_run_result r;
    char *tmp = mfab_test_tmpdir();
    char path[4096];
    (void)state;

    write_text(tmp, "config.csv", "app,namespace,\nn,data,u8\n");
    /* device 2's value is out of range: device 1 must not be written */
    write_text(tmp, "values.csv", "n\n1\n300\n");
    mfab_test_run_line(&r, tmp, "nvs mfg",
                       "<m> generate config.csv values.csv dev 0x3000 "
                       "--outdir out");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "values.csv:3:"));
    assert_non_null(strstr(r.err, "'n'"));
    fmt(path, sizeof(path), "%s/out", tmp);
    assert_false(mfab_test_exists(path));
    mfab_test_run_free(&r);
    /* REPEAT column as --fileid: every device gets the same id */
    write_text(tmp, "config.csv", "app,namespace,\nn,data,u8,REPEAT\n");
    write_text(tmp, "values.csv", "n\n1\n2\n");
    mfab_test_run_line(&r, tmp, "nvs mfg",
                       "<m> generate config.csv values.csv dev 0x3000 "
                       "--outdir out --fileid n");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "values.csv:3:"));
    assert_false(mfab_test_exists(path));
    mfab_test_run_free(&r);
    mfab_test_rmtree(tmp);
}

static void
test_nvs__mfg_keygen_writes_keys(void **state)
{
    mfab_test_run_result r;
    char *tmp = mfab_test_tmpdir();
    char path[4096];
    struct stat st;
    (void)state;

    write_text(tmp, "config.csv", "app,namespace,\nn,data,u8\n");
    write_text(tmp, "values.csv", "n\n7\n");
    mfab_test_run_line(&r, tmp, "nvs mfg",
                       "<m> generate config.csv values.csv dev 0x3000 "
                       "--outdir out --keygen");
    assert_int_equal(r.exit_code, 0);
    fmt(path, sizeof(path), "%s/out/keys/keys-dev-1.bin", tmp);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 4096);
    assert_int_equal(st.st_mode & 0777, 0600);
    mfab_test_run_free(&r);
    {
        /* the image must decrypt, with those keys, to the plain image of
         * the device's CSV */
        mfab_nvs_keys keys;
        uint8_t *kb, *enc, *plain;
        size_t kl, el, pl;

        kb = mfab_test_read(path, &kl);
        assert_int_equal(mfab_nvs_keys_decode(&keys, kb, kl, NULL), 0);
        fmt(path, sizeof(path), "%s/out/bin/dev-1.bin", tmp);
        enc = mfab_test_read(path, &el);
        mfab_test_run_line(&r, tmp, "nvs",
                           "<g> generate out/csv/dev-1.csv plain.bin 0x3000");
        assert_int_equal(r.exit_code, 0);
        mfab_test_run_free(&r);
        fmt(path, sizeof(path), "%s/plain.bin", tmp);
        plain = mfab_test_read(path, &pl);
        assert_memory_not_equal(enc, plain, 128);
        assert_int_equal(mfab_nvs_decrypt_image(enc, el, &keys, NULL), 0);
        mfab_test_assert_bytes("decrypted", plain, pl, enc, el);
        free(kb);
        free(enc);
        free(plain);
    }
    mfab_test_rmtree(tmp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs__every_vector_case),
        cmocka_unit_test(test_nvs__usage_errors),
        cmocka_unit_test(test_nvs__dash_option_spelling),
        cmocka_unit_test(test_nvs__mfg_errors_write_nothing),
        cmocka_unit_test(test_nvs__mfg_keygen_writes_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
