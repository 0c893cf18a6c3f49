/*
 * End-to-end tests of "matterfab encimg": each enc-img case's cmd.txt runs
 * in a temporary copy (esp_enc_img_gen.py -> matterfab encimg) and its
 * decrypt line must give plaintext.bin; the reference's encrypted.bin
 * decrypts too; generated keys work and are private; wrong keys and bad
 * images exit 1 with no output file.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "vector_cmd.h"

#define TOOL "esp_enc_img_gen.py"

static void
assert_same_file(const char *a, const char *b)
{
    size_t alen, blen;
    uint8_t *x = mfab_test_read(a, &alen), *y = mfab_test_read(b, &blen);

    mfab_test_assert_bytes(b, x, alen, y, blen);
    free(x);
    free(y);
}

static void
run_case(const char *dir)
{
    char path[4096], mine[4096];
    char *tmp = mfab_test_tmpdir(), *cmds, *line, *save = NULL;
    unsigned ran = 0;
    size_t len;

    mfab_test_copytree(dir, tmp);
    /* the reference's own image first, before our encrypt replaces it */
    snprintf(path, sizeof(path), "%s/cmd.txt", dir);
    cmds = (char *)mfab_test_read(path, &len);
    for (line = strtok_r(cmds, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        vector_cmd c;

        if (strstr(line, " decrypt ") == NULL ||
            vector_cmd_run(&c, tmp, line, TOOL, "encimg") < 0)
            continue;
        if (c.r.exit_code != 0)
            fail_msg("'%s': exit %d: %s", line, c.r.exit_code, c.r.err);
        vector_cmd_free(&c);
    }
    snprintf(path, sizeof(path), "%s/plaintext.bin", dir);
    snprintf(mine, sizeof(mine), "%s/expected/decrypted.bin", tmp);
    assert_same_file(path, mine);
    assert_int_equal(remove(mine), 0);
    free(cmds);

    /* then every line in order: our encrypt, then the decrypt */
    snprintf(path, sizeof(path), "%s/cmd.txt", dir);
    cmds = (char *)mfab_test_read(path, &len);
    save = NULL;
    for (line = strtok_r(cmds, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save)) {
        vector_cmd c;

        if (vector_cmd_run(&c, tmp, line, TOOL, "encimg") < 0)
            continue;
        if (c.r.exit_code != 0)
            fail_msg("'%s': exit %d: %s", line, c.r.exit_code, c.r.err);
        vector_cmd_free(&c);
        ran++;
    }
    assert_int_equal(ran, 2);
    snprintf(path, sizeof(path), "%s/plaintext.bin", dir);
    assert_same_file(path, mine);
    free(cmds);
    mfab_test_rmtree(tmp);
}

static void
test_encimg__vector_commands(void **state)
{
    char dir[2048], sub[2400];
    struct dirent *de;
    unsigned cases = 0;
    DIR *d;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "production/enc-img");
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
        run_case(sub);
        cases++;
    }
    closedir(d);
    assert_int_equal(cases, 2);
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
test_encimg__generated_keys(void **state)
{
    char path[4096], src[2048];
    char *tmp = mfab_test_tmpdir();
    struct stat st;
    (void)state;

    mfab_test_vpath(src, sizeof(src),
                    "production/enc-img/encimg-rsa3072-01/plaintext.bin");
    run_expect(tmp, "encimg --generate_rsa_key", 0, "");
    run_expect(tmp, "encimg --generate_ecc_key", 0, "");
    snprintf(path, sizeof(path), "%s/rsa_priv_key.pem", tmp);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(path, sizeof(path), "%s/device_hmac_key.bin", tmp);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 32);
    snprintf(path, sizeof(path), "encimg encrypt %s rsa_pub_key.pem a.bin",
             src);
    run_expect(tmp, path, 0, "");
    run_expect(tmp, "encimg decrypt a.bin rsa_priv_key.pem a.out", 0, "");
    snprintf(path, sizeof(path), "%s/a.out", tmp);
    assert_same_file(src, path);
    snprintf(path, sizeof(path), "encimg encrypt %s device_pub_key.pem b.bin",
             src);
    run_expect(tmp, path, 0, "");
    run_expect(tmp, "encimg decrypt b.bin device_hmac_key.bin b.out", 0, "");
    snprintf(path, sizeof(path), "%s/b.out", tmp);
    assert_same_file(src, path);
    /* keys are never overwritten */
    run_expect(tmp, "encimg --generate_rsa_key", 1, "exists already");
    mfab_test_rmtree(tmp);
}

static void
test_encimg__bad_input(void **state)
{
    char dir[2048], path[4096];
    char *tmp = mfab_test_tmpdir();
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "production/enc-img");
    snprintf(path, sizeof(path), "%s/encimg-ecies-p256-01", dir);
    mfab_test_copytree(path, tmp);
    snprintf(path, sizeof(path),
             "encimg decrypt expected/encrypted.bin %s/encimg-rsa3072-01/"
             "rsa_private.pem out.bin",
             dir);
    run_expect(tmp, path, 1, "cannot unwrap the AES key");
    run_expect(tmp, "encimg decrypt expected/encrypted.bin device_pub_key.pem "
                    "out.bin",
               1, "needs the device's private key");
    run_expect(tmp, "encimg decrypt plaintext.bin device_private.pem out.bin",
               1, "wrong magic");
    run_expect(tmp,
               "encimg decrypt device_hmac_key.bin device_private.pem out.bin",
               1, "truncated image");
    run_expect(tmp, "encimg encrypt plaintext.bin cmd.txt out.bin", 1,
               "cannot read key 'cmd.txt'");
    run_expect(tmp, "encimg encrypt plaintext.bin", 2, "wrong number");
    run_expect(tmp, "encimg", 2, "give a command");
    snprintf(path, sizeof(path), "%s/out.bin", tmp);
    assert_false(mfab_test_exists(path));
    mfab_test_rmtree(tmp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encimg__vector_commands),
        cmocka_unit_test(test_encimg__generated_keys),
        cmocka_unit_test(test_encimg__bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
