/* Tests for src/verify/verify_load.c: a device folder as the generator
 * writes it, read back into verify's inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/ledger.h"
#include "verify_fixture.h"

typedef struct paths {
    char paa_dir[4096];
    char cd_cert[4096];
    const char *paa[1];
    const char *cd[1];
} paths;

static void
trust(paths *p, mfab_verify_load_options *o)
{
    mfab_test_vpath(p->paa_dir, sizeof(p->paa_dir), "pki/sdk-test");
    mfab_test_vpath(p->cd_cert, sizeof(p->cd_cert),
                    "pki/sdk-test/Chip-Test-CD-Signing-Cert.der");
    p->paa[0] = p->paa_dir;
    p->cd[0] = p->cd_cert;
    o->paa = p->paa;
    o->npaa = 1;
    o->cd_certs = p->cd;
    o->ncd_certs = 1;
}

static void
load_and_verify(const char *target, const mfab_verify_load_options *o,
                mfab_verify_report *r, mfab_verify_files *f)
{
    mfab_verify_input in = MFAB_VERIFY_INPUT_INIT;
    mfab_diag diag = MFAB_DIAG_INIT;

    if (mfab_verify_load(f, target, o, &diag) != 0)
        fail_msg("load: %s", mfab_diag_message(&diag));
    mfab_verify_files_input(&in, f);
    in.now = 1800000000;
    assert_int_equal(mfab_verify_device(r, &in, NULL), 0);
}

/* An encrypted secure-cert device: every file of the folder is found. */
static void
test_verify_load__device_folder(void **state)
{
    char *dir = mfab_test_tmpdir(), part[4200];
    mfab_verify_load_options o = {0};
    mfab_verify_files f;
    mfab_verify_report r;
    fx_device *d = fx_device_new(NULL, 0);
    paths p;
    (void)state;

    fx_device_secure_cert(d, 1);
    fx_device_encrypt(d);
    fx_device_write_dir(d, dir);
    trust(&p, &o);
    load_and_verify(dir, &o, &r, &f);
    fx_assert_failed(&r, NULL, NULL);
    assert_string_equal(f.device, FX_UUID);
    assert_non_null(strstr(f.keys_path, FX_UUID "-keys-partition.bin"));
    assert_non_null(strstr(f.secure_cert_path, FX_UUID "_esp_secure_cert"));
    assert_non_null(strstr(f.onb_path, FX_UUID "-onb_codes.csv"));
    assert_true(f.npaa >= 5); /* every certificate of sdk-test */
    mfab_verify_files_free(&f);
    /* the partition image as the target: its folder is searched */
    snprintf(part, sizeof(part), "%s/%s-partition.bin", dir, FX_UUID);
    load_and_verify(part, &o, &r, &f);
    fx_assert_failed(&r, NULL, NULL);
    mfab_verify_files_free(&f);
    /* --keys naming another partition wins over the default */
    o.keys = part;
    load_and_verify(dir, &o, &r, &f);
    fx_assert_failed(&r, "keys partition unusable", "keys", "nvs", NULL);
    mfab_verify_files_free(&f);
    fx_device_free(d);
    mfab_test_rmtree(dir);
}

static void
expect_load_error(const char *target, const mfab_verify_load_options *o,
                  int code, const char *text)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_verify_files f;

    assert_int_equal(mfab_verify_load(&f, target, o, &diag), code);
    mfab_test_assert_diag(&diag, code, text, NULL);
    mfab_verify_files_free(&f);
}

static void
test_verify_load__folder_errors(void **state)
{
    char *dir = mfab_test_tmpdir(), path[4200];
    mfab_verify_load_options o = {0};
    fx_device *d = fx_device_new(NULL, 0);
    const char *missing[1];
    (void)state;

    snprintf(path, sizeof(path), "%s/nope", dir);
    expect_load_error(path, NULL, MFAB_ENOTFOUND, "no such device folder");
    expect_load_error(dir, NULL, MFAB_ENOTFOUND, "-partition.bin in");
    fx_device_write_dir(d, dir);
    o.onb_codes = path;
    expect_load_error(dir, &o, MFAB_ENOTFOUND, "nope");
    o.onb_codes = NULL;
    missing[0] = path;
    o.paa = missing;
    o.npaa = 1;
    expect_load_error(dir, &o, MFAB_ENOTFOUND, "no such file or folder");
    o.npaa = 0;
    o.ledger = path;
    expect_load_error(dir, &o, MFAB_ENOTFOUND, "no ledger at");
    snprintf(path, sizeof(path), "%s/other-partition.bin", dir);
    assert_int_equal(mfab_file_write_atomic(path, d->nvs, 4096, 0644, NULL), 0);
    expect_load_error(dir, NULL, MFAB_EINVAL, "several");
    fx_device_free(d);
    mfab_test_rmtree(dir);
}

static void
test_verify_load__passcode_from_ledger(void **state)
{
    char *dir = mfab_test_tmpdir(), ledger_path[4200], onb[4200];
    char other[4200];
    mfab_verify_load_options o = {0};
    mfab_ledger_batch b = {0};
    mfab_ledger_device dev = {0};
    mfab_ledger *l = NULL;
    mfab_verify_files f;
    mfab_verify_report r;
    fx_device *d = fx_device_new(NULL, 0);
    int64_t batch = 0;
    paths p;
    (void)state;

    fx_device_write_dir(d, dir);
    snprintf(onb, sizeof(onb), "%s/%s-onb_codes.csv", dir, FX_UUID);
    assert_int_equal(remove(onb), 0);
    snprintf(ledger_path, sizeof(ledger_path), "%s/ledger.sqlite", dir);
    assert_int_equal(mfab_ledger_open(&l, ledger_path, NULL), 0);
    b.outdir = dir;
    b.options_json = "{}";
    b.inputs_json = "{}";
    b.device_count = 1;
    assert_int_equal(mfab_ledger_batch_begin(l, &batch, &b, NULL), 0);
    dev.batch_id = batch;
    dev.uuid = FX_UUID;
    dev.discriminator = 3840;
    dev.passcode = FX_PASSCODE;
    dev.salt_b64 = "V2QKkHqfnRuSmj1m/1ZcYNwoAfhl5sihnkdYmHQahuM=";
    dev.iterations = FX_ITERATIONS;
    assert_int_equal(mfab_ledger_device_commit(l, &dev, NULL, 0, NULL), 0);
    mfab_ledger_free(l);
    trust(&p, &o);
    o.ledger = ledger_path;
    load_and_verify(dir, &o, &r, &f);
    assert_true(f.has_passcode);
    fx_assert_failed(&r, NULL, NULL);
    assert_non_null(
        strstr(fx_check(&r, "verifier")->detail, "passcode from the ledger"));
    assert_int_equal(fx_check(&r, "onboarding")->status, MFAB_VERIFY_SKIP);
    mfab_verify_files_free(&f);
    /* a device the ledger does not know */
    snprintf(onb, sizeof(onb), "%s/%s-partition.bin", dir, FX_UUID);
    snprintf(other, sizeof(other), "%s/1234-partition.bin", dir);
    assert_int_equal(rename(onb, other), 0);
    expect_load_error(dir, &o, MFAB_ENOTFOUND,
                      "no device with uuid or serial number '1234'");
    fx_device_free(d);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_load__device_folder),
        cmocka_unit_test(test_verify_load__folder_errors),
        cmocka_unit_test(test_verify_load__passcode_from_ledger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
