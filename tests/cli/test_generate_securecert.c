/*
 * End-to-end tests of generate with esp_secure_cert images (issue 6):
 * 50 devices with the DAC and the commissionable data in the secure cert
 * all pass matterfab verify and their NVS images lack the moved keys; the
 * images are laid out as the reference's (vectors pki/secure_cert); B8 and
 * the DS options are refused; the pre-provisioned flow takes the images
 * back and refuses a damaged one or one of another vendor; -j1 and -j2
 * agree under --seed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "generate_cmd.h"
#include "mfab_test.h"

#define PKI GEN_PKI
#define SC "pki/secure_cert/"
#define SEED "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
#define BATCH 50
#define SC_SIZE 8192

/* The PAA the SDK test PAI FFF2/8001 chains to. */
#define PAA_FFF2 PKI "Chip-Test-PAA-NoVID-Cert.der"

typedef struct fixture {
    char *tmp;
    char out[1024];     /* the 50-device batch */
    char product[4096]; /* its <vid>_<pid> folder */
    char images[4096];  /* a copy of its secure-cert images */
} fixture;

static const char *const moved[] = {
    "discriminator", "iteration-count", "salt",        "verifier", "rd-id-uid",
    "dac-cert",      "dac-key",         "dac-pub-key", "pai-cert"};

static void
run_ok(mfab_test_run_result *r, const char *cwd, const char *const *args)
{
    mfab_test_run(r, cwd, args);
    if (r->exit_code != 0)
        fail_msg("%s exited %d: %s", args[0], r->exit_code, r->err);
}

/* Device folders of product, sorted, NULL-terminated; free each and it. */
static char **
devices(const char *product, size_t *n)
{
    struct dirent **names = NULL;
    char **out;
    int k, i;

    k = scandir(product, &names, NULL, alphasort);
    assert_true(k >= 0);
    out = calloc((size_t)k + 1, sizeof(*out));
    assert_non_null(out);
    *n = 0;
    for (i = 0; i < k; i++) {
        if (strlen(names[i]->d_name) == 36 && names[i]->d_name[8] == '-')
            out[(*n)++] = strdup(names[i]->d_name);
        free(names[i]);
    }
    free(names);
    return out;
}

static void
devices_free(char **v)
{
    size_t i;

    for (i = 0; v[i] != NULL; i++)
        free(v[i]);
    free(v);
}

static uint8_t *
device_file(const char *product, const char *uuid, const char *suffix,
            size_t *len)
{
    char path[16384];
    uint8_t *b;

    snprintf(path, sizeof(path), "%s/%s/%s%s", product, uuid, uuid, suffix);
    b = mfab_test_read(path, len);
    if (b == NULL)
        fail_msg("no '%s'", path);
    return b;
}

static void
verify_device(const char *product, const char *uuid, const char *paa_rel,
              int whole)
{
    char dir[8192], paa[4096];
    mfab_test_run_result r;

    snprintf(dir, sizeof(dir), "%s/%s", product, uuid);
    mfab_test_vpath(paa, sizeof(paa), paa_rel);
    mfab_test_run(&r, NULL,
                  (const char *[]){"verify", dir, "--paa", paa, NULL});
    if (whole && r.exit_code != 0)
        fail_msg("verify %s: %s%s", uuid, r.out, r.err);
    /* every check but the verifier, whose passcode the image lacks */
    assert_non_null(strstr(r.out, "pass  secure-cert"));
    assert_non_null(strstr(r.out, "pass  dac-key"));
    assert_non_null(strstr(r.out, "pass  chain"));
    assert_non_null(strstr(r.out, "pass  vid-pid"));
    assert_non_null(strstr(r.out, "pass  factory-keys"));
    mfab_test_run_free(&r);
}

/* None of the moved keys is in the device's NVS image. */
static void
assert_nvs_lacks(const char *product, const char *uuid, size_t from, size_t to)
{
    char img[8192], key[64];
    mfab_test_run_result r;
    size_t i;

    snprintf(img, sizeof(img), "%s/%s/%s-partition.bin", product, uuid, uuid);
    run_ok(&r, NULL, (const char *[]){"nvs", "dump", img, NULL});
    assert_non_null(strstr(r.out, "chip-factory:vendor-id "));
    for (i = from; i < to; i++) {
        snprintf(key, sizeof(key), "chip-factory:%s ", moved[i]);
        if (strstr(r.out, key) != NULL)
            fail_msg("%s: '%s' is still in NVS", uuid, moved[i]);
    }
    mfab_test_run_free(&r);
}

static void
add_secure_cert_all(generate_cmd *c)
{
    generate_cmd_add(c, "--dac-in-secure-cert",
                     "--commissionable-data-in-secure-cert",
                     "--rd-id-uid-in-secure-cert", NULL);
}

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    mfab_test_run_result r;
    generate_cmd c;
    char **dev, src[8192], dst[8192];
    size_t n, i, len;
    uint8_t *b;
    FILE *fp;

    assert_non_null(f);
    f->tmp = mfab_test_tmpdir();
    snprintf(f->out, sizeof(f->out), "%s/batch", f->tmp);
    snprintf(f->product, sizeof(f->product), "%s/fff2_8001", f->out);
    snprintf(f->images, sizeof(f->images), "%s/images", f->tmp);
    generate_cmd_init(&c, BATCH, f->out);
    /* a DAC valid from this second would not be valid "now" yet */
    generate_cmd_add(&c, "-cd", c.cd, "-j", "2", "-vf", "2024-01-01T00:00:00",
                     NULL);
    add_secure_cert_all(&c);
    run_ok(&r, f->tmp, c.args);
    mfab_test_run_free(&r);
    assert_int_equal(mkdir(f->images, 0700), 0);
    dev = devices(f->product, &n);
    for (i = 0; i < n; i++) {
        snprintf(src, sizeof(src), "_esp_secure_cert.bin");
        b = device_file(f->product, dev[i], src, &len);
        snprintf(dst, sizeof(dst), "%s/%s.bin", f->images, dev[i]);
        fp = fopen(dst, "wb");
        assert_non_null(fp);
        assert_int_equal(fwrite(b, 1, len, fp), len);
        fclose(fp);
        free(b);
    }
    devices_free(dev);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    mfab_test_rmtree(f->tmp);
    free(f);
    return 0;
}

static void
test_generate_securecert__fifty_devices_pass_verify(void **state)
{
    fixture *f = *state;
    char **dev, path[8192];
    struct stat st;
    size_t n, i;

    dev = devices(f->product, &n);
    assert_int_equal(n, BATCH);
    for (i = 0; i < n; i++) {
        verify_device(f->product, dev[i], PAA_FFF2, 1);
        assert_nvs_lacks(f->product, dev[i], 0,
                         sizeof(moved) / sizeof(moved[0]));
        /* the image holds the DAC private key */
        snprintf(path, sizeof(path), "%s/%s/%s_esp_secure_cert.bin", f->product,
                 dev[i], dev[i]);
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        assert_int_equal(st.st_size, SC_SIZE);
    }
    devices_free(dev);
}

/* The reference's image for the same DAC, PAI and key (vector inputs). */
static void
make_vector_inputs(generate_cmd *c, const char *outdir, char paths[3][4096])
{
    mfab_test_vpath(paths[0], 4096, SC "mfgtool-PAI-FFF2-8001-Cert.der");
    mfab_test_vpath(paths[1], 4096, SC "mfgtool-DAC-FFF2-8001-Cert.der");
    mfab_test_vpath(paths[2], 4096, SC "mfgtool-DAC-FFF2-8001-Key.der");
    memset(c, 0, sizeof(*c));
    generate_cmd_add(c, "generate", "-v", "0xFFF2", "-p", "0x8001", "--pai",
                     "-c", paths[0], "--dac-cert", paths[1], "--dac-key",
                     paths[2], "--outdir", outdir, "--quiet",
                     "--dac-in-secure-cert", NULL);
}

static void
test_generate_securecert__dac_only_is_the_reference_image(void **state)
{
    fixture *f = *state;
    char out[1024], product[4096], paths[3][4096], **dev;
    mfab_test_run_result r;
    generate_cmd c;
    uint8_t *got, *want;
    size_t n, glen, wlen;

    snprintf(out, sizeof(out), "%s/dac-only", f->tmp);
    snprintf(product, sizeof(product), "%s/fff2_8001", out);
    make_vector_inputs(&c, out, paths);
    run_ok(&r, f->tmp, c.args);
    mfab_test_run_free(&r);
    dev = devices(product, &n);
    assert_int_equal(n, 1);
    got = device_file(product, dev[0], "_esp_secure_cert.bin", &glen);
    mfab_test_vpath(paths[0], 4096, SC "esp_secure_cert_dac_only.bin");
    want = mfab_test_read(paths[0], &wlen);
    assert_non_null(want);
    mfab_test_assert_bytes("dac-only image", want, wlen, got, glen);
    /* the DAC rows left NVS, the commissionable data stayed */
    assert_nvs_lacks(product, dev[0], 5, 9);
    {
        char img[8192];
        snprintf(img, sizeof(img), "%s/%s/%s-partition.bin", product, dev[0],
                 dev[0]);
        run_ok(&r, NULL, (const char *[]){"nvs", "dump", img, NULL});
        assert_non_null(strstr(r.out, "chip-factory:discriminator "));
        assert_non_null(strstr(r.out, "chip-factory:verifier "));
        mfab_test_run_free(&r);
    }
    free(got);
    free(want);
    devices_free(dev);
}

static void
test_generate_securecert__all_entries_laid_out_as_the_reference(void **state)
{
    fixture *f = *state;
    char out[1024], product[4096], paths[3][4096], vec[4096], **dev;
    char verifier[256];
    mfab_test_run_result r;
    generate_cmd c;
    uint8_t *got, *want;
    size_t n, glen, wlen;

    mfab_test_vpath(vec, sizeof(vec), SC "esp_secure_cert_all.bin");
    want = mfab_test_read(vec, &wlen);
    assert_non_null(want);
    assert_int_equal(wlen, SC_SIZE);
    /* MATTER_TLV_1/1 at 0x4B0: the SDK test verifier, given as typed */
    EVP_EncodeBlock((unsigned char *)verifier, want + 0x4B0 + 12, 97);
    snprintf(out, sizeof(out), "%s/all", f->tmp);
    snprintf(product, sizeof(product), "%s/fff2_8001", out);
    make_vector_inputs(&c, out, paths);
    generate_cmd_add(&c, "--commissionable-data-in-secure-cert",
                     "--rd-id-uid-in-secure-cert", "--discriminator", "3840",
                     "--passcode", "20202021", "--salt",
                     "U1BBS0UyUCBLZXkgU2FsdA==", "--verifier", verifier,
                     "--iteration-count", "1000", "--rd-id-uid",
                     "00112233445566778899aabbccddeeff", NULL);
    run_ok(&r, f->tmp, c.args);
    mfab_test_run_free(&r);
    dev = devices(product, &n);
    assert_int_equal(n, 1);
    got = device_file(product, dev[0], "_esp_secure_cert.bin", &glen);
    assert_int_equal(glen, wlen);
    /* entries 128 (0x590) and 129 (0x5C0) are os.urandom: their data and
     * CRCs differ, their headers and everything else must not */
    mfab_test_assert_bytes("entries up to 201/128 data", want, 0x590 + 12, got,
                           0x590 + 12);
    mfab_test_assert_bytes("201/129 header", want + 0x5C0, 12, got + 0x5C0, 12);
    mfab_test_assert_bytes("end marker and fill", want + 0x5F0, wlen - 0x5F0,
                           got + 0x5F0, glen - 0x5F0);
    free(got);
    free(want);
    devices_free(dev);
}

static void
refused(const char *cwd, const char *const *args, const char *what,
        const char *product)
{
    mfab_test_run_result r;

    mfab_test_run(&r, cwd, args);
    assert_int_not_equal(r.exit_code, 0);
    if (strstr(r.err, what) == NULL)
        fail_msg("expected '%s' in: %s", what, r.err);
    mfab_test_run_free(&r);
    /* nothing half-made */
    assert_int_equal(generate_count_devices(product), 0);
}

static void
test_generate_securecert__b8_no_image_is_refused(void **state)
{
    fixture *f = *state;
    char out[1024], product[4096];
    generate_cmd c;

    snprintf(out, sizeof(out), "%s/b8", f->tmp);
    snprintf(product, sizeof(product), "%s/fff2_8001", out);
    generate_cmd_init(&c, 2, out);
    add_secure_cert_all(&c);
    generate_cmd_add(&c, "--no-secure-cert-bin", NULL);
    refused(f->tmp, c.args, "written nowhere", product);
    /* without a DAC there is nothing to place either */
    refused(f->tmp,
            (const char *[]){"generate", "-v", "0xFFF2", "-p", "0x8001",
                             "--dac-in-secure-cert", "--outdir", out, NULL},
            "needs a DAC to place", product);
}

static void
test_generate_securecert__ds_options_are_refused(void **state)
{
    fixture *f = *state;
    char out[1024], product[4096];
    generate_cmd c;

    snprintf(out, sizeof(out), "%s/ds", f->tmp);
    snprintf(product, sizeof(product), "%s/fff2_8001", out);
    generate_cmd_init(&c, 1, out);
    generate_cmd_add(&c, "--dac-in-secure-cert", "-ds", NULL);
    refused(f->tmp, c.args, "only supported for esp32h2", product);
    generate_cmd_add(&c, "--target", "esp32h2", "--efuse-key-id", "1", NULL);
    refused(f->tmp, c.args, "needs a chip connected", product);
    generate_cmd_init(&c, 1, out);
    generate_cmd_add(&c, "--port", "/dev/ttyUSB0", NULL);
    refused(f->tmp, c.args, "'--port'", product);
}

static const char *
scin_cmd(generate_cmd *c, const char *out, const char *images, char paa[4096],
         const char *paa_rel, const char *vid, const char *pid)
{
    mfab_test_vpath(paa, 4096, paa_rel);
    memset(c, 0, sizeof(*c));
    mfab_test_vpath(c->cd, sizeof(c->cd), PKI "Chip-Test-CD-FFF2-8001.der");
    generate_cmd_add(c, "generate", "-v", vid, "-p", pid, "--secure-cert-in",
                     images, "--verify-paa", paa, "-cd", c->cd, "--outdir", out,
                     "--quiet", "--verify", NULL);
    return out;
}

static void
test_generate_securecert__pre_provisioned_images(void **state)
{
    fixture *f = *state;
    char out[1024], product[4096], paa[4096], **dev, **src, img[8192];
    mfab_test_run_result r;
    generate_cmd c;
    uint8_t *a, *b;
    size_t n, m, i, alen, blen;

    snprintf(out, sizeof(out), "%s/pre", f->tmp);
    snprintf(product, sizeof(product), "%s/fff2_8001", out);
    /* a folder of PAAs: the one the PAI names is the root */
    scin_cmd(&c, out, f->images, paa, "pki/sdk-test", "0xFFF2", "0x8001");
    run_ok(&r, f->tmp, c.args);
    mfab_test_run_free(&r);
    dev = devices(product, &n);
    src = devices(f->product, &m);
    assert_int_equal(n, BATCH);
    for (i = 0; i < n; i++) {
        /* uuid from the DAC CN; the image copied as it was */
        assert_string_equal(dev[i], src[i]);
        a = device_file(f->product, src[i], "_esp_secure_cert.bin", &alen);
        b = device_file(product, dev[i], "_esp_secure_cert.bin", &blen);
        mfab_test_assert_bytes("copied image", a, alen, b, blen);
        free(a);
        free(b);
        assert_nvs_lacks(product, dev[i], 0, sizeof(moved) / sizeof(moved[0]));
        verify_device(product, dev[i], PAA_FFF2, 0);
    }
    /* the ledger has the DAC of each */
    snprintf(img, sizeof(img), "%s/ledger.sqlite", out);
    run_ok(&r, NULL,
           (const char *[]){"ledger", "show", dev[0], "--ledger", img, NULL});
    assert_non_null(strstr(r.out, "dac_serial "));
    assert_null(strstr(r.out, "dac_serial         -"));
    mfab_test_run_free(&r);
    devices_free(dev);
    devices_free(src);
}

/* One image with its passcode: onboarding codes, and verify passes whole. */
static void
test_generate_securecert__pre_provisioned_with_passcode(void **state)
{
    fixture *f = *state;
    char out[1024], product[4096], paa[4096], img[8192], pass[32], **src, **dev;
    mfab_test_run_result r;
    generate_cmd c;
    uint8_t *onb;
    size_t n, m, len;
    char *comma;

    src = devices(f->product, &m);
    onb = device_file(f->product, src[0], "-onb_codes.csv", &len);
    /* "...\n<qr>,<manual>,<discriminator>,<passcode>\n" */
    onb[len - 1] = '\0';
    comma = strrchr((char *)onb, ',');
    assert_non_null(comma);
    snprintf(pass, sizeof(pass), "%s", comma + 1);
    free(onb);
    snprintf(out, sizeof(out), "%s/pre1", f->tmp);
    snprintf(product, sizeof(product), "%s/fff2_8001", out);
    snprintf(img, sizeof(img), "%s/%s.bin", f->images, src[0]);
    scin_cmd(&c, out, img, paa, PAA_FFF2, "0xFFF2", "0x8001");
    generate_cmd_add(&c, "--passcode", pass, NULL);
    run_ok(&r, f->tmp, c.args);
    mfab_test_run_free(&r);
    dev = devices(product, &n);
    assert_int_equal(n, 1);
    verify_device(product, dev[0], PAA_FFF2, 1);
    /* a wrong passcode is refused */
    scin_cmd(&c, out, img, paa, PAA_FFF2, "0xFFF2", "0x8001");
    generate_cmd_add(&c, "--passcode", "12341234", NULL);
    mfab_test_run(&r, f->tmp, c.args);
    assert_int_not_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "does not match the image's verifier"));
    mfab_test_run_free(&r);
    devices_free(dev);
    devices_free(src);
}

static void
write_file(const char *path, const uint8_t *b, size_t len)
{
    FILE *fp = fopen(path, "wb");

    assert_non_null(fp);
    assert_int_equal(fwrite(b, 1, len, fp), len);
    fclose(fp);
}

static void
test_generate_securecert__damaged_image_is_refused(void **state)
{
    fixture *f = *state;
    char out[1024], product[4096], paa[4096], dir[4096], path[8192], **src;
    generate_cmd c;
    uint8_t *b;
    size_t m, len, i;

    snprintf(dir, sizeof(dir), "%s/damaged", f->tmp);
    assert_int_equal(mkdir(dir, 0700), 0);
    src = devices(f->product, &m);
    for (i = 0; i < 3; i++) {
        b = device_file(f->product, src[i], "_esp_secure_cert.bin", &len);
        if (i == 1)
            b[0x220 + 12 + 40] ^= 0x01; /* inside CA_CERT, the second entry */
        snprintf(path, sizeof(path), "%s/%s.bin", dir, src[i]);
        write_file(path, b, len);
        free(b);
    }
    snprintf(out, sizeof(out), "%s/damaged-out", f->tmp);
    snprintf(product, sizeof(product), "%s/fff2_8001", out);
    scin_cmd(&c, out, dir, paa, PAA_FFF2, "0xFFF2", "0x8001");
    snprintf(path, sizeof(path), "%s.bin", src[1]);
    refused(f->tmp, c.args, "entry 1 (CA_CERT/0) at offset 0x220: CRC mismatch",
            product);
    refused(f->tmp, c.args, path, product);
    devices_free(src);
}

static void
test_generate_securecert__other_vendor_is_refused(void **state)
{
    fixture *f = *state;
    char out[1024], product[4096], paa[4096], pai[4096], key[4096], **dev;
    char img[16384];
    mfab_test_run_result r;
    generate_cmd c;
    size_t n;

    /* an image made for FFF1/8000 */
    snprintf(out, sizeof(out), "%s/fff1", f->tmp);
    snprintf(product, sizeof(product), "%s/fff1_8000", out);
    mfab_test_vpath(pai, sizeof(pai), PKI "Chip-Test-PAI-FFF1-8000-Cert.der");
    mfab_test_vpath(key, sizeof(key), PKI "Chip-Test-PAI-FFF1-8000-Key.der");
    run_ok(&r, f->tmp,
           (const char *[]){"generate", "-v", "0xFFF1", "-p", "0x8000", "--pai",
                            "-c", pai, "-k", key, "--iteration-count", "1000",
                            "--outdir", out, "--quiet", "--dac-in-secure-cert",
                            "-vf", "2024-01-01T00:00:00", NULL});
    mfab_test_run_free(&r);
    dev = devices(product, &n);
    assert_int_equal(n, 1);
    snprintf(img, sizeof(img), "%s/%s/%s_esp_secure_cert.bin", product, dev[0],
             dev[0]);
    /* its chain is sound (PAA FFF1), its vendor is not -v */
    snprintf(out, sizeof(out), "%s/fff1-as-fff2", f->tmp);
    snprintf(product, sizeof(product), "%s/fff2_8001", out);
    scin_cmd(&c, out, img, paa, PKI "Chip-Test-PAA-FFF1-Cert.der", "0xFFF2",
             "0x8001");
    refused(f->tmp, c.args, "the DAC is for VID/PID FFF1/8000", product);
    /* against the FFF2 PAA, the chain is refused first */
    scin_cmd(&c, out, img, paa, PAA_FFF2, "0xFFF2", "0x8001");
    refused(f->tmp, c.args, "DAC chain to the PAA", product);
    devices_free(dev);
}

static void
seeded(const char *cwd, const char *out, const char *jobs)
{
    mfab_test_run_result r;
    generate_cmd c;

    generate_cmd_init(&c, 6, out);
    add_secure_cert_all(&c);
    generate_cmd_add(&c, "-vf", "2024-01-01T00:00:00", "--seed", SEED,
                     "--insecure-deterministic", "-j", jobs, NULL);
    run_ok(&r, cwd, c.args);
    mfab_test_run_free(&r);
}

static void
test_generate_securecert__seeded_j1_j2_identical(void **state)
{
    static const char *const files[] = {"_esp_secure_cert.bin",
                                        "-partition.bin", "-onb_codes.csv"};
    fixture *f = *state;
    char o1[1024], o2[1024], p1[4096], p2[4096], **d1, **d2;
    size_t n1, n2, i, k, l1, l2;
    uint8_t *a, *b;

    snprintf(o1, sizeof(o1), "%s/seed1", f->tmp);
    snprintf(o2, sizeof(o2), "%s/seed2", f->tmp);
    snprintf(p1, sizeof(p1), "%s/fff2_8001", o1);
    snprintf(p2, sizeof(p2), "%s/fff2_8001", o2);
    seeded(f->tmp, o1, "1");
    seeded(f->tmp, o2, "2");
    d1 = devices(p1, &n1);
    d2 = devices(p2, &n2);
    assert_int_equal(n1, 6);
    assert_int_equal(n2, 6);
    for (i = 0; i < n1; i++) {
        assert_string_equal(d1[i], d2[i]);
        for (k = 0; k < sizeof(files) / sizeof(files[0]); k++) {
            a = device_file(p1, d1[i], files[k], &l1);
            b = device_file(p2, d2[i], files[k], &l2);
            mfab_test_assert_bytes(files[k], a, l1, b, l2);
            free(a);
            free(b);
        }
    }
    devices_free(d1);
    devices_free(d2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_securecert__fifty_devices_pass_verify),
        cmocka_unit_test(
            test_generate_securecert__dac_only_is_the_reference_image),
        cmocka_unit_test(
            test_generate_securecert__all_entries_laid_out_as_the_reference),
        cmocka_unit_test(test_generate_securecert__b8_no_image_is_refused),
        cmocka_unit_test(test_generate_securecert__ds_options_are_refused),
        cmocka_unit_test(test_generate_securecert__pre_provisioned_images),
        cmocka_unit_test(
            test_generate_securecert__pre_provisioned_with_passcode),
        cmocka_unit_test(test_generate_securecert__damaged_image_is_refused),
        cmocka_unit_test(test_generate_securecert__other_vendor_is_refused),
        cmocka_unit_test(test_generate_securecert__seeded_j1_j2_identical),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
