/* End-to-end tests of "matterfab secure" (cli/cmd_secure*.c): every
 * cmd.txt of the sbv1/sbv2/flashenc/upstream-esptool vectors run in a temp
 * copy with espsecure replaced by "matterfab secure", outputs checked with
 * the README's compare rules; then the refusals (tampered image, wrong
 * key, identical XTS halves, unaligned address) with their messages, exit
 * codes and no output file. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "matterfab/pki.h"
#include "matterfab/secureboot.h"
#include "mfab_test.h"

#define PROD "production/"
#define MFAB_PKI_SOFTHSM_LIB MFAB_PKI_PKCS11_SOFTHSM

typedef enum { RULE_EXACT, RULE_SBV2_RANDOM, RULE_SBV1 } compare_rule;

/* out = a "/" b; fails the test when it does not fit. */
static void
jpath(char *out, size_t cap, const char *a, const char *b)
{
    int n = snprintf(out, cap, "%s/%s", a, b);

    assert_true(n > 0 && (size_t)n < cap);
}

static void
run_ok(const char *cwd, const char *line, mfab_test_run_result *r)
{
    mfab_test_run_line(r, cwd, "secure", line);
    if (r->exit_code != 0)
        fail_msg("'%s' exited %d: %s", line, r->exit_code, r->err);
}

/* Replace every "expected/" of a cmd.txt line by "out/". */
static void
to_out(char *dst, size_t cap, const char *src)
{
    size_t n = 0;

    while (*src != '\0' && n + 5 < cap) {
        if (strncmp(src, "expected/", 9) == 0) {
            memcpy(dst + n, "out/", 4);
            n += 4;
            src += 9;
        } else {
            dst[n++] = *src++;
        }
    }
    dst[n] = '\0';
}

static void
assert_files_equal(const char *what, const char *a, const char *b)
{
    size_t la = 0, lb = 0;
    uint8_t *x = mfab_test_read(a, &la), *y = mfab_test_read(b, &lb);

    mfab_test_assert_bytes(what, x, la, y, lb);
    free(x);
    free(y);
}

/* Run one cmd.txt line; a "> FILE" redirect compares stdout with FILE of
 * the vector; "output == X" notes compare the output with input X. */
static void
run_cmd_line(const char *tmp, const char *vdir, char *line)
{
    char cmd[2100], line2[2048], *redir, *hash, *same, path[4096], path2[4096];
    char expect_txt[256] = "", same_as[256] = "", out_file[256] = "";
    mfab_test_run_result r;

    hash = strstr(line, "# output == ");
    if (hash != NULL) {
        same = hash + strlen("# output == ");
        sscanf(same, "%255s", same_as);
        *hash = '\0';
        redir = strstr(line, "--output ");
        if (redir != NULL)
            sscanf(redir + 9, "%255s", out_file);
    }
    redir = strchr(line, '>');
    if (redir != NULL) {
        sscanf(redir + 1, " %255s", expect_txt);
        *redir = '\0';
    }
    /* "espsecure verb ..." -> "<t> verb ...": the helper puts "secure"
     * in place of the tool name */
    to_out(line2, sizeof(line2), line + strlen("espsecure "));
    snprintf(cmd, sizeof(cmd), "<t> %s", line2);
    run_ok(tmp, cmd, &r);
    if (expect_txt[0] != '\0') {
        size_t n = 0;
        uint8_t *want;

        jpath(path, sizeof(path), vdir, expect_txt);
        want = mfab_test_read(path, &n);
        mfab_test_assert_bytes(expect_txt, want, n, (uint8_t *)r.out,
                               strlen(r.out));
        free(want);
    }
    if (same_as[0] != '\0') {
        char o[256];

        to_out(o, sizeof(o), out_file);
        jpath(path, sizeof(path), tmp, o);
        jpath(path2, sizeof(path2), vdir, same_as);
        assert_files_equal(o, path2, path);
    }
    mfab_test_run_free(&r);
}

/* Randomized V2 output: same size as the reference's, verifies with the
 * case's public key; and the reference's file verifies with ours. */
static void
check_sbv2_random(const char *tmp, const char *name)
{
    char line[512];
    mfab_test_run_result r;
    struct stat a, b;
    char p1[4096], p2[4096];

    snprintf(p1, sizeof(p1), "%s/out/%s", tmp, name);
    snprintf(p2, sizeof(p2), "%s/expected/%s", tmp, name);
    assert_int_equal(stat(p1, &a), 0);
    assert_int_equal(stat(p2, &b), 0);
    assert_int_equal(a.st_size, b.st_size);
    snprintf(line, sizeof(line),
             "<t> verify-signature --version 2 --keyfile pubkey.pem out/%s",
             name);
    run_ok(tmp, line, &r);
    mfab_test_run_free(&r);
    snprintf(line, sizeof(line),
             "<t> verify-signature --version 2 --keyfile pubkey.pem "
             "expected/%s", name);
    run_ok(tmp, line, &r);
    mfab_test_run_free(&r);
}

/* V1: byte-exact (RFC 6979 nonces), and the signature verifies with key. */
static void
check_sbv1(const char *tmp, const char *name, const char *key)
{
    char p1[4096], p2[4096], line[512];
    size_t la = 0, lb = 0;
    uint8_t *ours, *ref;
    mfab_test_run_result r;

    snprintf(p1, sizeof(p1), "%s/out/%s", tmp, name);
    snprintf(p2, sizeof(p2), "%s/expected/%s", tmp, name);
    ours = mfab_test_read(p1, &la);
    ref = mfab_test_read(p2, &lb);
    assert_int_equal(la, lb);
    mfab_test_assert_bytes(name, ref, lb, ours, la);
    snprintf(line, sizeof(line),
             "<t> verify-signature --version 1 --keyfile %s out/%s", key,
             name);
    run_ok(tmp, line, &r);
    assert_non_null(strstr(r.out, "Signature is valid."));
    mfab_test_run_free(&r);
    free(ours);
    free(ref);
}

static void
run_case(const char *rel, compare_rule rule, const char *v1key)
{
    char vdir[4096], path[4096], op[4096], ep[4096], line[2048];
    char *tmp = mfab_test_tmpdir();
    FILE *f;
    DIR *d;
    struct dirent *e;
    int checked = 0;

    mfab_test_vpath(vdir, sizeof(vdir), rel);
    mfab_test_copytree(vdir, tmp);
    assert_int_equal(chmod(tmp, 0700), 0);
    snprintf(path, sizeof(path), "%s/out", tmp);
    assert_int_equal(mkdir(path, 0700), 0);
    jpath(path, sizeof(path), vdir, "cmd.txt");
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strncmp(line, "espsecure ", 10) != 0)
            continue;
        line[strcspn(line, "\n")] = '\0';
        run_cmd_line(tmp, vdir, line);
    }
    fclose(f);
    jpath(path, sizeof(path), vdir, "expected");
    d = opendir(path);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;

        if (n[0] == '.' || strstr(n, ".txt") != NULL)
            continue;
        jpath(line, sizeof(line), tmp, "out");
        jpath(op, sizeof(op), line, n);
        jpath(ep, sizeof(ep), path, n);
        if (strstr(n, "signed") != NULL && rule == RULE_SBV2_RANDOM)
            check_sbv2_random(tmp, n);
        else if (strstr(n, "signed") != NULL && rule == RULE_SBV1)
            check_sbv1(tmp, n, v1key);
        else
            assert_files_equal(n, ep, op);
        checked++;
    }
    closedir(d);
    assert_true(checked > 0);
    mfab_test_rmtree(tmp);
}

static void
test_secure__vectors_sbv2(void **state)
{
    static const char *const random_cases[] = {
        "sbv2-rsa3072-01",  "sbv2-ecdsa192-01", "sbv2-ecdsa256-01",
        "sbv2-ecdsa384-01", "sbv2-rsa3072-append-3keys",
    };
    char rel[256];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(random_cases) / sizeof(random_cases[0]); i++) {
        snprintf(rel, sizeof(rel), PROD "sbv2/%s", random_cases[i]);
        run_case(rel, RULE_SBV2_RANDOM, NULL);
    }
    run_case(PROD "sbv2/sbv2-rsa3072-precalc", RULE_EXACT, NULL);
    run_case(PROD "sbv2/sbv2-ecdsa256-precalc", RULE_EXACT, NULL);
}

static void
test_secure__vectors_sbv1(void **state)
{
    (void)state;
    run_case(PROD "sbv1/sbv1-ecdsa256-01", RULE_SBV1, "key.pem");
}

static void
test_secure__vectors_flashenc(void **state)
{
    static const char *const cases[] = {
        "fe-esp32-01-0x1000",        "fe-esp32-02-0x10010",
        "fe-esp32-03-192bit-conf3",  "fe-xts128-c3-01-0x0",
        "fe-xts128-c3-02-0x12340",   "fe-xts256-s3-03-0x20000",
        "fe-xts128-c2-04-128bitkey",
    };
    char rel[256];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        snprintf(rel, sizeof(rel), PROD "flashenc/%s", cases[i]);
        run_case(rel, RULE_EXACT, NULL);
    }
}

static void
test_secure__vectors_upstream_esptool(void **state)
{
    (void)state;
    run_case(PROD "upstream-esptool/secure_images-subset", RULE_SBV1,
             "ecdsa256_secure_boot_signing_key.pem");
}

/* A fresh temp copy of a vector folder, writable. */
static char *
case_copy(const char *rel)
{
    char vdir[4096];
    char *tmp = mfab_test_tmpdir();

    mfab_test_vpath(vdir, sizeof(vdir), rel);
    mfab_test_copytree(vdir, tmp);
    assert_int_equal(chmod(tmp, 0700), 0);
    return tmp;
}

static void
write_file(const char *dir, const char *name, const uint8_t *p, size_t n)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

static int
exists_in(const char *dir, const char *name)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return mfab_test_exists(path);
}

/* Fails with exit 1, the message on stderr, and no output file. */
static void
run_fails(const char *dir, const char *line, const char *msg,
          const char *no_output)
{
    mfab_test_run_result r;

    mfab_test_run_line(&r, dir, "secure", line);
    if (r.exit_code != 1 || strstr(r.err, msg) == NULL)
        fail_msg("'%s': exit %d, stderr '%s' (wanted '%s')", line,
                 r.exit_code, r.err, msg);
    assert_non_null(strstr(r.err, "matterfab: "));
    if (no_output != NULL)
        assert_false(exists_in(dir, no_output));
    mfab_test_run_free(&r);
}

static void
test_secure__tampered_image_fails(void **state)
{
    char *tmp = case_copy(PROD "sbv2/sbv2-ecdsa256-01");
    char path[4096];
    size_t n = 0;
    uint8_t *img;
    (void)state;

    snprintf(path, sizeof(path), "%s/expected/signed.bin", tmp);
    img = mfab_test_read(path, &n);
    img[1000] ^= 0x20;
    write_file(tmp, "tampered.bin", img, n);
    run_fails(tmp,
              "<t> verify-signature --version 2 --keyfile pubkey.pem "
              "tampered.bin",
              "image modified", NULL);
    free(img);
    mfab_test_rmtree(tmp);
}

static void
test_secure__wrong_key_fails(void **state)
{
    char *tmp = case_copy(PROD "sbv2/sbv2-rsa3072-01");
    char vpath[4096], cmd[4600];
    (void)state;

    mfab_test_vpath(vpath, sizeof(vpath),
                    PROD "sbv2/sbv2-rsa3072-precalc/pubkey.pem");
    snprintf(cmd, sizeof(cmd),
             "<t> verify-signature --version 2 --keyfile %s "
             "expected/signed.bin", vpath);
    run_fails(tmp, cmd, "signed by another key", NULL);
    mfab_test_rmtree(tmp);
}

static void
test_secure__identical_xts_halves_fail(void **state)
{
    char *tmp = case_copy(PROD "flashenc/fe-xts128-c3-01-0x0");
    uint8_t key[32];
    (void)state;

    memset(key, 0x11, sizeof(key));
    write_file(tmp, "same.bin", key, sizeof(key));
    run_fails(tmp,
              "<t> encrypt-flash-data --keyfile same.bin --address 0x0 "
              "--aes-xts --output ct.bin plaintext.bin",
              "halves are identical", "ct.bin");
    mfab_test_rmtree(tmp);
}

static void
test_secure__unaligned_address_fails(void **state)
{
    char *tmp = case_copy(PROD "flashenc/fe-esp32-01-0x1000");
    (void)state;

    run_fails(tmp,
              "<t> encrypt-flash-data -k key.bin -a 0x1008 -o ct.bin "
              "plaintext.bin",
              "'0x1008' not allowed", "ct.bin");
    run_fails(tmp,
              "<t> decrypt-flash-data -k key.bin -a 0x1004 -x -o pt.bin "
              "plaintext.bin",
              "not allowed", "pt.bin");
    mfab_test_rmtree(tmp);
}

/* Wrong key type for V2 and a truncated V1 image: clear refusal. */
static void
test_secure__bad_keys_and_images_fail(void **state)
{
    char *tmp = case_copy(PROD "sbv1/sbv1-ecdsa256-01");
    char vpath[4096], cmd[4600];
    (void)state;

    mfab_test_vpath(vpath, sizeof(vpath),
                    PROD "sbv2/sbv2-rsa3072-01/key.pem");
    snprintf(cmd, sizeof(cmd),
             "<t> sign-data --version 1 --keyfile %s --output s.bin "
             "input.bin", vpath);
    run_fails(tmp, cmd, "must be ECDSA P-256", "s.bin");
    run_fails(tmp,
              "<t> verify-signature --version 1 --keyfile key.pem input.bin",
              "not allowed", NULL);
    run_fails(tmp,
              "<t> sign-data --version 2 --keyfile input.bin --output s.bin "
              "input.bin",
              "no PEM or DER key", "s.bin");
    run_fails(tmp,
              "<t> signature-info-v2 input.bin", "too short for a signature",
              NULL);
    mfab_test_rmtree(tmp);
}

/* espsecure's spellings: underscore verbs and options, several keys after
 * one -k; then every block verifies with its own key. */
static void
test_secure__multi_key_and_underscore_spellings(void **state)
{
    char *tmp = case_copy(PROD "sbv2/sbv2-rsa3072-append-3keys");
    mfab_test_run_result r;
    (void)state;

    run_ok(tmp,
           "<t> sign_data --version 2 -k key.pem key2.pem key3.pem -o "
           "three.bin input.bin",
           &r);
    mfab_test_run_free(&r);
    run_ok(tmp, "<t> verify_signature -v 2 -k key3.pem three.bin", &r);
    assert_non_null(strstr(r.out, "Signature block 2 verification "
                                  "successful"));
    mfab_test_run_free(&r);
    run_ok(tmp, "<t> signature_info_v2 three.bin", &r);
    assert_null(strstr(r.out, "absent"));
    mfab_test_run_free(&r);
    /* the sector is full */
    run_fails(tmp,
              "<t> sign-data -v 2 -k key.pem --append_signatures -o four.bin "
              "three.bin",
              "slots", "four.bin");
    mfab_test_rmtree(tmp);
}

/* Generated keys are 0600, never overwritten, and sign/verify round trip
 * through extract-public-key. */
static void
test_secure__generate_keys(void **state)
{
    char *tmp = case_copy(PROD "sbv2/sbv2-ecdsa384-01");
    char path[4096];
    struct stat st;
    mfab_test_run_result r;
    (void)state;

    run_ok(tmp, "<t> generate-signing-key --version 2 --scheme ecdsa384 "
                "new.pem", &r);
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/new.pem", tmp);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    run_fails(tmp, "<t> generate-signing-key --version 2 --scheme rsa3072 "
                   "new.pem", "already exists", NULL);
    run_ok(tmp, "<t> extract-public-key --version 2 --keyfile new.pem "
                "new_pub.pem", &r);
    mfab_test_run_free(&r);
    run_ok(tmp, "<t> sign-data --version 2 --keyfile new.pem -o s.bin "
                "input.bin", &r);
    mfab_test_run_free(&r);
    run_ok(tmp, "<t> verify-signature --version 2 --keyfile new_pub.pem "
                "s.bin", &r);
    mfab_test_run_free(&r);

    run_ok(tmp, "<t> generate-flash-encryption-key -l 512 fe.bin", &r);
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/fe.bin", tmp);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 64);
    assert_int_equal(st.st_mode & 0777, 0600);
    run_fails(tmp, "<t> generate-flash-encryption-key fe.bin",
              "already exists", NULL);
    mfab_test_rmtree(tmp);
}

/* Signing keys on a SoftHSM token (RSA-3072 and P-256), named by PKCS#11
 * URIs: the outputs verify with the matching public keys, and the key
 * digest equals the reference's. */
static void
test_secure__pkcs11_keys(void **state)
{
    char *tmp = case_copy(PROD "sbv2/sbv2-rsa3072-01");
    char vdir[4096], cmd[16384], conf[4200];
    mfab_test_run_result r;
    FILE *f;
    (void)state;

    if (system("command -v softhsm2-util >/dev/null 2>&1") != 0 ||
        !mfab_test_exists(MFAB_PKI_SOFTHSM_LIB)) {
        mfab_test_rmtree(tmp);
        skip();
    }
    mfab_test_vpath(vdir, sizeof(vdir), PROD "sbv2");
    jpath(conf, sizeof(conf), tmp, "softhsm2.conf");
    f = fopen(conf, "w");
    assert_non_null(f);
    fprintf(f, "directories.tokendir = %s/tokens\nobjectstore.backend = "
               "file\nlog.level = ERROR\n", tmp);
    fclose(f);
    assert_int_equal(setenv("SOFTHSM2_CONF", conf, 1), 0);
    snprintf(cmd, sizeof(cmd),
             "cd '%s' && mkdir tokens && "
             "softhsm2-util --init-token --free --label sb --pin 1234 "
             "--so-pin 5678 >/dev/null && "
             "openssl pkcs8 -topk8 -nocrypt -in '%s/sbv2-rsa3072-01/key.pem' "
             "-out rsa.p8 && "
             "openssl pkcs8 -topk8 -nocrypt -in '%s/sbv2-ecdsa256-01/key.pem' "
             "-out ec.p8 && "
             "softhsm2-util --import rsa.p8 --token sb --label rsa --id 01 "
             "--pin 1234 >/dev/null && "
             "softhsm2-util --import ec.p8 --token sb --label ec --id 02 "
             "--pin 1234 >/dev/null",
             tmp, vdir, vdir);
    assert_int_equal(system(cmd), 0);

    run_ok(tmp,
           "<t> sign-data --version 2 --keyfile "
           "pkcs11:token=sb;object=rsa;pin-value=1234 --output s.bin "
           "input.bin",
           &r);
    mfab_test_run_free(&r);
    run_ok(tmp, "<t> verify-signature --version 2 --keyfile pubkey.pem s.bin",
           &r);
    mfab_test_run_free(&r);
    snprintf(cmd, sizeof(cmd),
             "<t> sign-data --version 2 --keyfile "
             "pkcs11:token=sb;object=ec;pin-value=1234 --output e.bin "
             "%s/sbv2-ecdsa256-01/bootloader_unsigned_v2.bin", vdir);
    run_ok(tmp, cmd, &r);
    mfab_test_run_free(&r);
    snprintf(cmd, sizeof(cmd),
             "<t> verify-signature --version 2 --keyfile "
             "%s/sbv2-ecdsa256-01/pubkey.pem e.bin", vdir);
    run_ok(tmp, cmd, &r);
    mfab_test_run_free(&r);
    run_ok(tmp,
           "<t> digest-sbv2-public-key --keyfile "
           "pkcs11:token=sb;object=ec;pin-value=1234 --output d.bin",
           &r);
    mfab_test_run_free(&r);
    jpath(conf, sizeof(conf), tmp, "d.bin");
    jpath(cmd, sizeof(cmd), vdir, "sbv2-ecdsa256-01/expected/pubkey_digest.bin");
    assert_files_equal("pkcs11 key digest", cmd, conf);
    unsetenv("SOFTHSM2_CONF");
    mfab_test_rmtree(tmp);
}

static void
test_secure__usage_errors_exit_2(void **state)
{
    mfab_test_run_result r;
    (void)state;

    mfab_test_run_line(&r, NULL, "secure", "<t> no-such-verb");
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    mfab_test_run_line(&r, NULL, "secure",
                       "<t> encrypt-flash-data -o x.bin in.bin");
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "'--keyfile'"));
    mfab_test_run_free(&r);
    mfab_test_run_line(&r, NULL, "secure",
                       "<t> sign-data --version 3 -k k.pem in.bin");
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secure__vectors_sbv2),
        cmocka_unit_test(test_secure__vectors_sbv1),
        cmocka_unit_test(test_secure__vectors_flashenc),
        cmocka_unit_test(test_secure__vectors_upstream_esptool),
        cmocka_unit_test(test_secure__tampered_image_fails),
        cmocka_unit_test(test_secure__wrong_key_fails),
        cmocka_unit_test(test_secure__identical_xts_halves_fail),
        cmocka_unit_test(test_secure__unaligned_address_fails),
        cmocka_unit_test(test_secure__bad_keys_and_images_fail),
        cmocka_unit_test(test_secure__multi_key_and_underscore_spellings),
        cmocka_unit_test(test_secure__generate_keys),
        cmocka_unit_test(test_secure__pkcs11_keys),
        cmocka_unit_test(test_secure__usage_errors_exit_2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
