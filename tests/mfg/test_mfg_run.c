/* Tests for src/mfg/mfg_run.c: stop, resume, orphans, ledger. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "matterfab/error.h"
#include "matterfab/ledger.h"
#include "matterfab/mfg.h"
#include "mfab_test.h"

#define PKI "pki/sdk-test/"
/* more than a stop leaves in flight: the ring of 2 workers holds 40
 * devices (4 groups of 5 each with AVX-512) */
#define N_DEVICES 120
#define SEED "8899aabbccddeeff00112233445566778899aabbccddeeff0011223344556677"

static char pai[4096], key[4096];

static void
options(mfab_mfg_options *o, const char *outdir, int64_t count)
{
    mfab_mfg_options_init(o);
    mfab_test_vpath(pai, sizeof(pai), PKI "Chip-Test-PAI-FFF2-8001-Cert.pem");
    mfab_test_vpath(key, sizeof(key), PKI "Chip-Test-PAI-FFF2-8001-Key.pem");
    o->count = count;
    o->has_vid = o->has_pid = 1;
    o->vid = 0xFFF2;
    o->pid = 0x8001;
    o->pai = 1;
    o->cert = pai;
    o->key = key;
    o->iterations = 1000;
    o->valid_from = "2024-01-01";
    o->rotating_device_id = 1;
    o->seed = SEED;
    o->insecure_deterministic = 1;
    o->outdir = outdir;
}

static int
run(mfab_mfg_result *res, const char *outdir, int64_t count,
    uint64_t stop_after, int64_t resume)
{
    mfab_mfg_run_options ro = MFAB_MFG_RUN_OPTIONS_INIT;
    mfab_mfg_options o;
    mfab_mfg_plan *plan = NULL;
    mfab_diag diag = MFAB_DIAG_INIT;
    int rc;

    options(&o, outdir, count);
    rc = mfab_mfg_plan_new(&plan, &o, &diag);
    if (rc < 0)
        fail_msg("plan: %s", mfab_diag_message(&diag));
    ro.jobs = 2;
    ro.stop_after = stop_after;
    ro.resume = resume;
    ro.options_json = "{}";
    rc = mfab_mfg_run(res, plan, &ro, &diag);
    if (rc < 0)
        fail_msg("run: %s", mfab_diag_message(&diag));
    mfab_mfg_plan_free(plan);
    return rc;
}

static size_t
count_devices(const char *product)
{
    struct dirent *e;
    DIR *d = opendir(product);
    size_t n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += strlen(e->d_name) == 36;
    closedir(d);
    return n;
}

static void
put(const char *path)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs("half", f);
    fclose(f);
}

static void
test_mfg_run__resume_after_stop_gives_the_uninterrupted_batch(void **state)
{
    char *dir = mfab_test_tmpdir();
    char a[4200], b[4200], pa[4300], pb[4300], orphan[4400], ledger[4300];
    mfab_mfg_result r1, r2, full;
    mfab_ledger *l = NULL;
    uint64_t problems = 99;
    struct dirent *e;
    DIR *d;
    size_t same = 0;
    (void)state;

    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(b, sizeof(b), "%s/b", dir);
    snprintf(pa, sizeof(pa), "%s/fff2_8001", a);
    snprintf(pb, sizeof(pb), "%s/fff2_8001", b);
    run(&r1, a, N_DEVICES, 5, 0);
    assert_true(r1.stopped);
    assert_true(r1.made >= 5 && r1.made < N_DEVICES);
    assert_string_equal(r1.summary, "");
    /* what a kill -9 leaves: a half-written folder, a folder whose row
     * was never committed */
    snprintf(orphan, sizeof(orphan), "%s/.0badf00d.part", pa);
    assert_int_equal(mkdir(orphan, 0755), 0);
    snprintf(orphan, sizeof(orphan), "%s/11111111-2222-4333-8444-555555555555",
             pa);
    assert_int_equal(mkdir(orphan, 0755), 0);
    snprintf(orphan, sizeof(orphan),
             "%s/11111111-2222-4333-8444-555555555555/x", pa);
    put(orphan);
    run(&r2, a, N_DEVICES, 0, r1.batch_id);
    assert_false(r2.stopped);
    assert_int_equal(r2.skipped, r1.made);
    assert_int_equal(r2.made + r2.skipped, N_DEVICES);
    assert_int_equal(count_devices(pa), N_DEVICES);
    snprintf(orphan, sizeof(orphan), "%s/.0badf00d.part", pa);
    assert_false(mfab_test_exists(orphan));
    snprintf(ledger, sizeof(ledger), "%s/ledger.sqlite", a);
    assert_int_equal(mfab_ledger_open(&l, ledger, NULL), 0);
    assert_int_equal(mfab_ledger_check(l, 0, &problems, NULL, NULL, NULL), 0);
    assert_int_equal(problems, 0);
    mfab_ledger_free(l);
    /* the same seed without a stop: the same devices, byte for byte */
    run(&full, b, N_DEVICES, 0, 0);
    d = opendir(pb);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char x[8192], y[8192];
        uint8_t *bx, *by;
        size_t lx, ly;

        if (strlen(e->d_name) != 36)
            continue;
        snprintf(x, sizeof(x), "%s/%s/%s-partition.bin", pb, e->d_name,
                 e->d_name);
        snprintf(y, sizeof(y), "%s/%s/%s-partition.bin", pa, e->d_name,
                 e->d_name);
        bx = mfab_test_read(x, &lx);
        by = mfab_test_read(y, &ly);
        mfab_test_assert_bytes(e->d_name, bx, lx, by, ly);
        free(bx);
        free(by);
        same++;
    }
    closedir(d);
    assert_int_equal(same, N_DEVICES);
    mfab_test_rmtree(dir);
}

static void
same_file(const char *x, const char *y)
{
    uint8_t *bx, *by;
    size_t lx, ly;

    bx = mfab_test_read(x, &lx);
    by = mfab_test_read(y, &ly);
    assert_non_null(bx);
    assert_non_null(by);
    mfab_test_assert_bytes(y, bx, lx, by, ly);
    free(bx);
    free(by);
}

/* The per-run files come from this run's devices as they were committed
 * and, after a resume, from the files of the earlier run's: the same
 * bytes as a batch made in one go (same folder, so the same paths). */
static void
test_mfg_run__resumed_reports_equal_the_uninterrupted_ones(void **state)
{
    static const char *const staged[] = {
        "staging/master.csv", "staging/pin_disc.csv", "staging/config.csv"};
    char *dir = mfab_test_tmpdir();
    char a[4200], c[4200], x[8400], y[8400];
    mfab_mfg_result r1, r2, full;
    size_t i;
    (void)state;

    snprintf(a, sizeof(a), "%s/a", dir);
    snprintf(c, sizeof(c), "%s/c", dir);
    run(&r1, a, N_DEVICES, 5, 0);
    assert_true(r1.stopped);
    run(&r2, a, N_DEVICES, 0, r1.batch_id);
    assert_true(r2.skipped > 0 && r2.made > 0);
    assert_int_equal(rename(a, c), 0);
    run(&full, a, N_DEVICES, 0, 0);
    for (i = 0; i < sizeof(staged) / sizeof(staged[0]); i++) {
        snprintf(x, sizeof(x), "%s/fff2_8001/%s", a, staged[i]);
        snprintf(y, sizeof(y), "%s/fff2_8001/%s", c, staged[i]);
        same_file(x, y);
    }
    snprintf(y, sizeof(y), "%s/fff2_8001/%s", c, strrchr(r2.summary, '/') + 1);
    same_file(full.summary, y);
    snprintf(y, sizeof(y), "%s/fff2_8001/%s", c, strrchr(r2.cn_dacs, '/') + 1);
    same_file(full.cn_dacs, y);
    mfab_test_rmtree(dir);
}

static void
test_mfg_run__resume_of_a_complete_batch_is_refused(void **state)
{
    char *dir = mfab_test_tmpdir();
    char a[4200];
    mfab_mfg_run_options ro = MFAB_MFG_RUN_OPTIONS_INIT;
    mfab_mfg_result res;
    mfab_mfg_options o;
    mfab_mfg_plan *plan = NULL;
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    snprintf(a, sizeof(a), "%s/a", dir);
    run(&res, a, 2, 0, 0);
    options(&o, a, 2);
    assert_int_equal(mfab_mfg_plan_new(&plan, &o, NULL), 0);
    ro.resume = res.batch_id;
    assert_int_equal(mfab_mfg_run(&res, plan, &ro, &diag), MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "complete", NULL);
    mfab_mfg_plan_free(plan);
    mfab_test_rmtree(dir);
}

static void
test_mfg_run__duplicate_serial_across_batches_is_refused(void **state)
{
    char *dir = mfab_test_tmpdir();
    char a[4200];
    mfab_mfg_run_options ro = MFAB_MFG_RUN_OPTIONS_INIT;
    mfab_mfg_result res;
    mfab_mfg_options o;
    mfab_mfg_plan *plan = NULL;
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    snprintf(a, sizeof(a), "%s/a", dir);
    options(&o, a, 1);
    o.serial_num = "SN-1";
    o.seed = NULL;
    o.insecure_deterministic = 0;
    assert_int_equal(mfab_mfg_plan_new(&plan, &o, NULL), 0);
    assert_int_equal(mfab_mfg_run(&res, plan, &ro, NULL), 0);
    assert_int_equal(mfab_mfg_run(&res, plan, &ro, &diag), MFAB_EEXISTS);
    mfab_test_assert_diag(&diag, MFAB_EEXISTS, "SN-1", NULL);
    mfab_mfg_plan_free(plan);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_mfg_run__resume_after_stop_gives_the_uninterrupted_batch),
        cmocka_unit_test(test_mfg_run__resume_of_a_complete_batch_is_refused),
        cmocka_unit_test(
            test_mfg_run__resumed_reports_equal_the_uninterrupted_ones),
        cmocka_unit_test(
            test_mfg_run__duplicate_serial_across_batches_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
