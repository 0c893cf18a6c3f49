/*
 * End-to-end tests of "matterfab nvs encrypt / decrypt / generate-key":
 * vectors s10-s13 run from their cmd.txt in a temp copy and every expected
 * file compared byte for byte; random keys checked by decrypting with
 * them; key files 0600; bad input leaves no output behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "matterfab/nvs_crypt.h"
#include "mfab_test.h"

/* Run case <name>'s cmd.txt in a temp copy; compare expected/ files. */
static void
run_case(const char *name, const char *const *expected_files)
{
    char src[4096], path[8192], want[8192];
    char *tmp = mfab_test_tmpdir();
    mfab_test_run_result r;
    size_t i, len, wlen, glen;
    char *cmd;

    snprintf(src, sizeof(src), "%s/nvs/%s", MFAB_VECTORS_DIR, name);
    mfab_test_copytree(src, tmp);
    chmod(tmp, 0700); /* cp -a copied the read-only mode of the vectors */
    snprintf(path, sizeof(path), "%s/cmd.txt", src);
    cmd = (char *)mfab_test_read(path, &len);
    mfab_test_run_line(&r, tmp, "nvs", cmd);
    if (r.exit_code != 0)
        fail_msg("%s: exit %d: %s", name, r.exit_code, r.err);
    /* stdout equals the reference's (which prints the same paths) */
    snprintf(path, sizeof(path), "%s/reference_stdout.txt", src);
    {
        uint8_t *ref = mfab_test_read(path, &len);
        mfab_test_assert_bytes("stdout", ref, len, (const uint8_t *)r.out,
                               strlen(r.out));
        free(ref);
    }
    for (i = 0; expected_files[i] != NULL; i++) {
        uint8_t *w, *g;
        struct stat st;

        snprintf(want, sizeof(want), "%s/expected/%s", src, expected_files[i]);
        snprintf(path, sizeof(path), "%s/%s", tmp, expected_files[i]);
        w = mfab_test_read(want, &wlen);
        g = mfab_test_read(path, &glen);
        mfab_test_assert_bytes(expected_files[i], w, wlen, g, glen);
        if (strncmp(expected_files[i], "keys/", 5) == 0) {
            assert_int_equal(stat(path, &st), 0);
            assert_int_equal(st.st_mode & 0777, 0600);
        }
        free(w);
        free(g);
    }
    mfab_test_run_free(&r);
    free(cmd);
    mfab_test_rmtree(tmp);
}

static void
test_nvs_crypt__s10_encrypt_inputkey(void **state)
{
    const char *files[] = {"out.bin", NULL};
    (void)state;
    run_case("s10_encrypt_inputkey", files);
}

static void
test_nvs_crypt__s11_generate_key_hmac(void **state)
{
    const char *files[] = {"keys/nvs_keys.bin", NULL};
    (void)state;
    run_case("s11_generate_key_hmac", files);
}

static void
test_nvs_crypt__s12_encrypt_keygen_hmac(void **state)
{
    const char *files[] = {"out.bin", "keys/enc_keys.bin", NULL};
    (void)state;
    run_case("s12_encrypt_keygen_hmac", files);
}

static void
test_nvs_crypt__s13_decrypt(void **state)
{
    const char *files[] = {"dec.bin", NULL};
    (void)state;
    run_case("s13_decrypt", files);
}

static void
run_ok(const char *cwd, const char *line)
{
    mfab_test_run_result r;

    mfab_test_run_line(&r, cwd, NULL, line);
    if (r.exit_code != 0)
        fail_msg("'%s': exit %d: %s", line, r.exit_code, r.err);
    mfab_test_run_free(&r);
}

static void
run_fails(const char *cwd, const char *line, int code, const char *msg)
{
    mfab_test_run_result r;

    mfab_test_run_line(&r, cwd, NULL, line);
    if (r.exit_code != code || strstr(r.err, msg) == NULL)
        fail_msg("'%s': exit %d (want %d), stderr lacks '%s': %s", line,
                 r.exit_code, code, msg, r.err);
    mfab_test_run_free(&r);
}

static void
assert_file_mode(const char *dir, const char *rel, unsigned mode)
{
    char p[8192];
    struct stat st;

    snprintf(p, sizeof(p), "%s/%s", dir, rel);
    if (stat(p, &st) != 0)
        fail_msg("'%s' was not created", rel);
    assert_int_equal(st.st_mode & 0777, mode);
}

static void
assert_same_files(const char *dir, const char *a, const char *b)
{
    char pa[8192], pb[8192];
    uint8_t *x, *y;
    size_t xl, yl;

    snprintf(pa, sizeof(pa), "%s/%s", dir, a);
    snprintf(pb, sizeof(pb), "%s/%s", dir, b);
    x = mfab_test_read(pa, &xl);
    y = mfab_test_read(pb, &yl);
    mfab_test_assert_bytes(b, x, xl, y, yl);
    free(x);
    free(y);
}

static void
assert_absent(const char *dir, const char *rel)
{
    char p[8192];

    snprintf(p, sizeof(p), "%s/%s", dir, rel);
    if (mfab_test_exists(p))
        fail_msg("'%s' left behind", rel);
}

/* Random keys cannot be compared: decrypting with them must give the
 * plaintext image of the same CSV, and two runs must differ. */
static void
test_nvs_crypt__keygen_random_roundtrip(void **state)
{
    char src[4096];
    char *tmp = mfab_test_tmpdir();
    char p1[8192], p2[8192];
    uint8_t *k1, *k2;
    size_t l1, l2;
    mfab_nvs_keys keys;

    (void)state;
    mfab_test_vpath(src, sizeof(src), "nvs/s10_encrypt_inputkey");
    mfab_test_copytree(src, tmp);
    chmod(tmp, 0700); /* cp -a copied the read-only mode of the vectors */
    run_ok(tmp, "nvs generate input.csv plain.bin 0x5000");
    run_ok(tmp, "nvs encrypt input.csv enc.bin 0x5000 --keygen "
                "--keyfile k1.bin --outdir o");
    run_ok(tmp, "nvs decrypt o/enc.bin o/keys/k1.bin dec.bin");
    assert_same_files(tmp, "plain.bin", "dec.bin");
    assert_file_mode(tmp, "o/keys/k1.bin", 0600);
    assert_file_mode(tmp, "dec.bin", 0600);
    /* the default name keys-MM-DD_HH-MM.bin goes to keys/ as well */
    run_ok(tmp, "nvs generate-key --keyfile k2");
    assert_file_mode(tmp, "keys/k2.bin", 0600);
    snprintf(p1, sizeof(p1), "%s/o/keys/k1.bin", tmp);
    snprintf(p2, sizeof(p2), "%s/keys/k2.bin", tmp);
    k1 = mfab_test_read(p1, &l1);
    k2 = mfab_test_read(p2, &l2);
    assert_int_equal(l1, 4096);
    assert_int_equal(l2, 4096);
    assert_memory_not_equal(k1, k2, 64);
    assert_int_equal(mfab_nvs_keys_decode(&keys, k1, l1, NULL), 0);
    assert_int_equal(mfab_nvs_keys_decode(&keys, k2, l2, NULL), 0);
    free(k1);
    free(k2);
    mfab_test_rmtree(tmp);
}

/* --kp_hmac_keygen: the HMAC key file (0600) derives the keys file. */
static void
test_nvs_crypt__hmac_keygen(void **state)
{
    char *tmp = mfab_test_tmpdir();
    char p[8192];
    uint8_t *hk, *kf, expect[MFAB_NVS_KEYS_SIZE];
    size_t hl, kl;
    mfab_nvs_keys keys;

    (void)state;
    run_ok(tmp, "nvs generate-key --key_protect_hmac --kp_hmac_keygen "
                "--keyfile nk.bin --outdir out");
    assert_file_mode(tmp, "out/keys/hmac-nk.bin", 0600);
    assert_file_mode(tmp, "out/keys/nk.bin", 0600);
    snprintf(p, sizeof(p), "%s/out/keys/hmac-nk.bin", tmp);
    hk = mfab_test_read(p, &hl);
    assert_int_equal(hl, 32);
    snprintf(p, sizeof(p), "%s/out/keys/nk.bin", tmp);
    kf = mfab_test_read(p, &kl);
    assert_int_equal(mfab_nvs_keys_from_hmac(&keys, hk, NULL), 0);
    mfab_nvs_keys_encode(expect, &keys);
    mfab_test_assert_bytes("derived keys", expect, sizeof(expect), kf, kl);
    run_ok(tmp, "nvs generate-key --key-protect-hmac --kp-hmac-keygen "
                "--keyfile a.bin --kp_hmac_keyfile h");
    assert_file_mode(tmp, "keys/h.bin", 0600);
    free(hk);
    free(kf);
    mfab_test_rmtree(tmp);
}

static void
test_nvs_crypt__bad_input_leaves_nothing(void **state)
{
    char src[4096], p[8192];
    char *tmp = mfab_test_tmpdir();
    uint8_t *k;
    size_t kl;
    FILE *f;

    (void)state;
    mfab_test_vpath(src, sizeof(src), "nvs/s10_encrypt_inputkey");
    mfab_test_copytree(src, tmp);
    chmod(tmp, 0700); /* cp -a copied the read-only mode of the vectors */
    /* a keys file with a broken CRC */
    snprintf(p, sizeof(p), "%s/keys.bin", tmp);
    k = mfab_test_read(p, &kl);
    k[64] ^= 1;
    snprintf(p, sizeof(p), "%s/bad.bin", tmp);
    f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(k, 1, kl, f), kl);
    fclose(f);
    free(k);
    run_fails(tmp, "nvs encrypt input.csv out.bin 0x5000 --inputkey bad.bin", 1,
              "corrupt key partition");
    assert_absent(tmp, "out.bin");
    run_fails(tmp, "nvs decrypt out.bin bad.bin dec.bin", 1, "CRC");
    assert_absent(tmp, "dec.bin");
    /* --keygen and a CSV the writer refuses: no keys file either */
    run_fails(tmp,
              "nvs encrypt input.csv out.bin 0x1000 --keygen "
              "--keyfile k.bin",
              1, "");
    assert_absent(tmp, "keys/k.bin");
    assert_absent(tmp, "out.bin");
    run_fails(tmp, "nvs encrypt input.csv out.bin 0x5000", 2, "--keygen");
    run_fails(tmp,
              "nvs encrypt input.csv out.bin 0x5000 --keygen "
              "--inputkey keys.bin",
              2, "exclude");
    run_fails(tmp, "nvs generate-key --key_protect_hmac", 1,
              "--kp_hmac_inputkey");
    run_fails(tmp,
              "nvs generate-key --key_protect_hmac --kp_hmac_inputkey "
              "input.csv",
              1, "exactly 32");
    run_fails(tmp, "nvs generate-key --keyfile k.txt", 1, ".bin");
    assert_absent(tmp, "keys");
    /* a decrypt input that is not whole pages */
    run_fails(tmp, "nvs decrypt input.bin keys.bin dec.bin", 1, "input.bin");
    snprintf(p, sizeof(p), "%s/odd.bin", tmp);
    f = fopen(p, "wb");
    assert_non_null(f);
    fputs("not an image", f);
    fclose(f);
    run_fails(tmp, "nvs decrypt odd.bin keys.bin dec.bin", 1,
              "multiple of 4096");
    assert_absent(tmp, "dec.bin");
    mfab_test_rmtree(tmp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_crypt__s10_encrypt_inputkey),
        cmocka_unit_test(test_nvs_crypt__s11_generate_key_hmac),
        cmocka_unit_test(test_nvs_crypt__s12_encrypt_keygen_hmac),
        cmocka_unit_test(test_nvs_crypt__s13_decrypt),
        cmocka_unit_test(test_nvs_crypt__keygen_random_roundtrip),
        cmocka_unit_test(test_nvs_crypt__hmac_keygen),
        cmocka_unit_test(test_nvs_crypt__bad_input_leaves_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
