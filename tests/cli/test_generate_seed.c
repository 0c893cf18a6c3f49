/*
 * End-to-end tests of generate with generated DACs (SDK test PAI): the
 * deterministic test mode gives the same bytes with 1 and 2 workers,
 * encrypted images decrypt with their keys partition to the plain image,
 * private keys are 0600, the PAI key is never copied, and every DAC
 * verifies against the PAI with openssl.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "matterfab/nvs_crypt.h"
#include "generate_cmd.h"
#include "mfab_test.h"

#define PKI GEN_PKI
#define SEED "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"

/* Every output file below root but the ledger (its timestamps differ
 * from run to run). */
static void
output_files(mfab_test_files *l, const char *root)
{
    size_t i, kept = 0;

    mfab_test_list_files(l, root);
    for (i = 0; i < l->n; i++) {
        if (strncmp(l->names[i], "ledger.sqlite", 13) == 0)
            free(l->names[i]);
        else
            l->names[kept++] = l->names[i];
    }
    l->n = kept;
}

static void
generate(const char *dir, const char *outdir, const char *jobs, int encrypt,
         int count)
{
    mfab_test_run_result r;
    generate_cmd c;

    generate_cmd_init(&c, count, outdir);
    generate_cmd_add(&c, "-cd", c.cd, "-vf", "2024-01-01T00:00:00",
                     "--enable-rotating-device-id", "--seed", SEED,
                     "--insecure-deterministic", "-j", jobs, NULL);
    if (encrypt)
        generate_cmd_add(&c, "-e", NULL);
    mfab_test_run(&r, dir, c.args);
    if (r.exit_code != 0)
        fail_msg("generate -j %s failed: %s", jobs, r.err);
    mfab_test_run_free(&r);
}

/* Timestamped names compare by their prefix. */
static const char *
stable_name(const char *rel, char *buf, size_t cap)
{
    const char *base = strrchr(rel, '/');

    base = base ? base + 1 : rel;
    if (strncmp(base, "summary-", 8) == 0 || strncmp(base, "cn_dacs-", 8) == 0)
        snprintf(buf, cap, "%.*s%.8s", (int)(base - rel), rel, base);
    else
        snprintf(buf, cap, "%s", rel);
    return buf;
}

static void
test_generate_seed__one_and_two_workers_write_the_same_bytes(void **state)
{
    char *dir = mfab_test_tmpdir();
    char a[8192], b[8192], first[4200], out[4200], na[300], nb[300];
    mfab_test_files la = MFAB_TEST_FILES_INIT, lb = MFAB_TEST_FILES_INIT;
    size_t i, j;
    (void)state;

    generate(dir, "out", "1", 1, 6);
    snprintf(first, sizeof(first), "%s/first", dir);
    snprintf(out, sizeof(out), "%s/out", dir);
    assert_int_equal(rename(out, first), 0);
    generate(dir, "out", "2", 1, 6);
    output_files(&la, first);
    output_files(&lb, out);
    assert_int_equal(la.n, lb.n);
    assert_true(la.n >= 6 * 10);
    for (i = 0; i < la.n; i++) {
        uint8_t *x, *y;
        size_t xl, yl;

        stable_name(la.names[i], na, sizeof(na));
        for (j = 0; j < lb.n; j++)
            if (strcmp(stable_name(lb.names[j], nb, sizeof(nb)), na) == 0)
                break;
        if (j == lb.n)
            fail_msg("'%s' only in the -j 1 run", la.names[i]);
        snprintf(a, sizeof(a), "%s/%s", first, la.names[i]);
        snprintf(b, sizeof(b), "%s/%s", out, lb.names[j]);
        x = mfab_test_read(a, &xl);
        y = mfab_test_read(b, &yl);
        mfab_test_assert_bytes(la.names[i], x, xl, y, yl);
        free(x);
        free(y);
    }
    mfab_test_files_free(&la);
    mfab_test_files_free(&lb);
    mfab_test_rmtree(dir);
}

static int
contains(const uint8_t *hay, size_t hl, const uint8_t *needle, size_t nl)
{
    size_t i;

    for (i = 0; i + nl <= hl; i++)
        if (memcmp(hay + i, needle, nl) == 0)
            return 1;
    return 0;
}

static void
test_generate_seed__keys_private_and_pai_key_never_copied(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[8192], out[4200], keyp[4096];
    mfab_test_files l = MFAB_TEST_FILES_INIT;
    uint8_t *pem, *der;
    size_t pl, dl, i, secrets = 0;
    (void)state;

    generate(dir, "out", "2", 1, 3);
    snprintf(out, sizeof(out), "%s/out", dir);
    mfab_test_vpath(keyp, sizeof(keyp), PKI "Chip-Test-PAI-FFF2-8001-Key.pem");
    pem = mfab_test_read(keyp, &pl);
    mfab_test_vpath(keyp, sizeof(keyp), PKI "Chip-Test-PAI-FFF2-8001-Key.der");
    der = mfab_test_read(keyp, &dl);
    assert_true(dl > 7 + 32);
    output_files(&l, out);
    for (i = 0; i < l.n; i++) {
        struct stat st;
        uint8_t *data;
        size_t len;
        const char *base = strrchr(l.names[i], '/');
        int secret;

        base = base ? base + 1 : l.names[i];
        snprintf(path, sizeof(path), "%s/%s", out, l.names[i]);
        assert_int_equal(stat(path, &st), 0);
        secret = strstr(base, "DAC_key") != NULL ||
                 strcmp(base, "DAC_private_key.bin") == 0 ||
                 strstr(base, "keys-partition") != NULL;
        if (secret) {
            if ((st.st_mode & 0777) != 0600)
                fail_msg("%s has mode %o (want 0600)", l.names[i],
                         (unsigned)(st.st_mode & 0777));
            secrets++;
        }
        data = mfab_test_read(path, &len);
        /* the PAI's private scalar sits at offset 7 of its SEC1 DER */
        if (contains(data, len, der + 7, 32) ||
            contains(data, len, pem + 40, 40))
            fail_msg("%s holds the PAI private key", l.names[i]);
        free(data);
    }
    assert_int_equal(secrets, 3 * 4);
    free(pem);
    free(der);
    mfab_test_files_free(&l);
    mfab_test_rmtree(dir);
}

/* device folders of out/fff2_8001, sorted */
static void
device_image(uint8_t **out, size_t *len, const char *root, const char *uuid,
             const char *suffix)
{
    char path[8192];

    snprintf(path, sizeof(path), "%s/fff2_8001/%s/%s%s", root, uuid, uuid,
             suffix);
    *out = mfab_test_read(path, len);
}

static void
test_generate_seed__encrypted_image_decrypts_to_the_plain_one(void **state)
{
    char *dir = mfab_test_tmpdir();
    char enc[4200], plain[4200], prod[8192];
    struct dirent *e;
    DIR *d;
    size_t checked = 0;
    (void)state;

    generate(dir, "enc", "2", 1, 3);
    generate(dir, "plain", "2", 0, 3);
    snprintf(enc, sizeof(enc), "%s/enc", dir);
    snprintf(plain, sizeof(plain), "%s/plain", dir);
    snprintf(prod, sizeof(prod), "%s/fff2_8001", enc);
    d = opendir(prod);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        uint8_t *img, *keys, *want;
        size_t il, kl, wl;
        mfab_nvs_keys k;

        if (strlen(e->d_name) != 36)
            continue;
        device_image(&img, &il, enc, e->d_name, "-partition.bin");
        device_image(&keys, &kl, enc, e->d_name, "-keys-partition.bin");
        device_image(&want, &wl, plain, e->d_name, "-partition.bin");
        assert_int_equal(mfab_nvs_keys_decode(&k, keys, kl, NULL), 0);
        assert_true(il != wl || memcmp(img, want, il) != 0);
        assert_int_equal(mfab_nvs_decrypt_image(img, il, &k, NULL), 0);
        mfab_test_assert_bytes(e->d_name, want, wl, img, il);
        free(img);
        free(keys);
        free(want);
        checked++;
    }
    closedir(d);
    assert_int_equal(checked, 3);
    mfab_test_rmtree(dir);
}

static void
test_generate_seed__dacs_verify_with_openssl(void **state)
{
    char *dir = mfab_test_tmpdir();
    char prod[4200], dac[8192], pai[4096];
    struct dirent *e;
    DIR *d;
    size_t checked = 0;
    (void)state;

    /* random mode: real CSPRNG keys and randomized signatures */
    {
        mfab_test_run_result r;
        generate_cmd c;

        generate_cmd_init(&c, 4, "out");
        snprintf(pai, sizeof(pai), "%s", c.pai);
        mfab_test_run(&r, dir, c.args);
        if (r.exit_code != 0)
            fail_msg("generate failed: %s", r.err);
        mfab_test_run_free(&r);
    }
    snprintf(prod, sizeof(prod), "%s/out/fff2_8001", dir);
    d = opendir(prod);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        mfab_test_run_result r;

        if (strlen(e->d_name) != 36)
            continue;
        snprintf(dac, sizeof(dac), "%s/%s/internal/DAC_cert.pem", prod,
                 e->d_name);
        {
            const char *argv[] = {"openssl", "verify", "-partial_chain",
                                  "-CAfile", pai,      dac,
                                  NULL};
            mfab_test_exec(&r, NULL, argv);
        }
        if (r.exit_code != 0)
            fail_msg("openssl verify %s: %s %s", dac, r.out, r.err);
        mfab_test_run_free(&r);
        checked++;
    }
    closedir(d);
    assert_int_equal(checked, 4);
    mfab_test_rmtree(dir);
}

static void
verify_run(const char *dir, const char *paa_name, const char *outdir,
           mfab_test_run_result *r)
{
    char paa[4096];
    generate_cmd c;

    mfab_test_vpath(paa, sizeof(paa), paa_name);
    generate_cmd_init(&c, 4, outdir);
    generate_cmd_add(&c, "-e", "-cd", c.cd, "--cd-cert", c.cd_signer,
                     "--verify", "--verify-paa", paa, NULL);
    mfab_test_run(r, dir, c.args);
}

static void
test_generate_seed__verify_passes_good_devices_and_stops_at_a_bad_one(
    void **state)
{
    char *dir = mfab_test_tmpdir();
    char product[4200];
    mfab_test_run_result r;
    struct dirent *e;
    DIR *d;
    size_t n = 0;
    (void)state;

    verify_run(dir, PKI "Chip-Test-PAA-NoVID-Cert.pem", "good", &r);
    if (r.exit_code != 0)
        fail_msg("--verify refused good devices: %s", r.err);
    mfab_test_run_free(&r);
    snprintf(product, sizeof(product), "%s/good/fff2_8001", dir);
    assert_int_equal(generate_count_devices(product), 4);
    /* a PAA that did not sign the PAI: the chain check fails, nothing is
     * written */
    verify_run(dir, PKI "Chip-Test-PAA-FFF1-Cert.pem", "bad", &r);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "fails verification: chain"));
    mfab_test_run_free(&r);
    snprintf(product, sizeof(product), "%s/bad/fff2_8001", dir);
    d = opendir(product);
    assert_non_null(d);
    n = 0;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    assert_int_equal(n, 0);
    mfab_test_rmtree(dir);
}

static void
test_generate_seed__seed_needs_the_insecure_flag(void **state)
{
    char *dir = mfab_test_tmpdir();
    const char *args[] = {"generate", "-v", "0xFFF2",   "-p",  "0x8001",
                          "--seed",   SEED, "--outdir", "out", NULL};
    mfab_test_run_result r;
    char out[4200];
    (void)state;

    mfab_test_run(&r, dir, args);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "--insecure-deterministic"));
    snprintf(out, sizeof(out), "%s/out", dir);
    assert_false(mfab_test_exists(out));
    mfab_test_run_free(&r);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_generate_seed__one_and_two_workers_write_the_same_bytes),
        cmocka_unit_test(
            test_generate_seed__keys_private_and_pai_key_never_copied),
        cmocka_unit_test(
            test_generate_seed__encrypted_image_decrypts_to_the_plain_one),
        cmocka_unit_test(test_generate_seed__dacs_verify_with_openssl),
        cmocka_unit_test(test_generate_seed__seed_needs_the_insecure_flag),
        cmocka_unit_test(
            test_generate_seed__verify_passes_good_devices_and_stops_at_a_bad_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
