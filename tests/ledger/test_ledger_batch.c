/* Tests for src/ledger/ledger_batch.c */
#include <string.h>

#include "ledger_fixture.h"
#include "matterfab/error.h"

typedef struct seen {
    int n;
    mfab_ledger_batch_status status;
    uint64_t done;
    int finished;
    char options[64];
} seen;

static int
collect(void *ctx, const mfab_ledger_batch *b)
{
    seen *s = ctx;

    s->n++;
    s->status = b->status;
    s->done = b->devices_done;
    s->finished = b->finished_at != NULL;
    snprintf(s->options, sizeof(s->options), "%s", b->options_json);
    return 0;
}

static void
test_ledger_batch__begin_then_end(void **state)
{
    ledger_fixture *f = *state;
    seen s = { 0 };

    assert_int_equal(mfab_ledger_batch_each(f->ledger, f->batch, collect, &s,
                                            NULL), 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.status, MFAB_LEDGER_BATCH_RUNNING);
    assert_false(s.finished);
    assert_string_equal(s.options, "{\"count\":3}");
    assert_int_equal(mfab_ledger_batch_end(f->ledger, f->batch,
                                           MFAB_LEDGER_BATCH_COMPLETE, NULL),
                     0);
    memset(&s, 0, sizeof(s));
    assert_int_equal(mfab_ledger_batch_each(f->ledger, 0, collect, &s, NULL),
                     0);
    assert_int_equal(s.status, MFAB_LEDGER_BATCH_COMPLETE);
    assert_true(s.finished);
}

static void
test_ledger_batch__counts_devices_done(void **state)
{
    ledger_fixture *f = *state;
    char bufs[4][64];
    mfab_ledger_device d = ledger_fixture_device(f->batch, 0, bufs);
    seen s = { 0 };

    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, NULL, 0, NULL),
                     0);
    assert_int_equal(mfab_ledger_batch_each(f->ledger, f->batch, collect, &s,
                                            NULL), 0);
    assert_int_equal(s.done, 1);
}

static void
test_ledger_batch__unknown_batch(void **state)
{
    ledger_fixture *f = *state;
    mfab_diag d = MFAB_DIAG_INIT;
    seen s = { 0 };

    assert_int_equal(mfab_ledger_batch_end(f->ledger, 999,
                                           MFAB_LEDGER_BATCH_FAILED, &d),
                     MFAB_ENOTFOUND);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "no batch 999", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_ledger_batch_each(f->ledger, 999, collect, &s, &d),
                     MFAB_ENOTFOUND);
    assert_int_equal(s.n, 0);
}

static void
test_ledger_batch__incomplete_batch_refused(void **state)
{
    ledger_fixture *f = *state;
    mfab_ledger_batch b = { 0 };
    mfab_diag d = MFAB_DIAG_INIT;
    int64_t id = 0;

    b.outdir = f->dir;
    assert_int_equal(mfab_ledger_batch_begin(f->ledger, &id, &b, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "needs an outdir", NULL);
    assert_int_equal(mfab_ledger_batch_end(f->ledger, f->batch,
                                           (mfab_ledger_batch_status)42, NULL),
                     MFAB_EINVAL);
}

static void
test_ledger_batch__batch_files_unique_per_batch(void **state)
{
    ledger_fixture *f = *state;
    mfab_ledger_file file = { "summary.csv", { 0 }, 10 };
    mfab_diag d = MFAB_DIAG_INIT;

    assert_int_equal(mfab_ledger_batch_files(f->ledger, f->batch, &file, 1,
                                             NULL), 0);
    assert_int_equal(mfab_ledger_batch_files(f->ledger, f->batch, &file, 1,
                                             &d), MFAB_EEXISTS);
    mfab_test_assert_diag(&d, MFAB_EEXISTS, "summary.csv", NULL);
    assert_int_equal(mfab_ledger_batch_files(f->ledger, 77, &file, 1, NULL),
                     MFAB_ENOTFOUND);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ledger_batch__begin_then_end,
                                        ledger_fixture_setup,
                                        ledger_fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_ledger_batch__counts_devices_done, ledger_fixture_setup,
            ledger_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_ledger_batch__unknown_batch,
                                        ledger_fixture_setup,
                                        ledger_fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_ledger_batch__incomplete_batch_refused, ledger_fixture_setup,
            ledger_fixture_teardown),
        cmocka_unit_test_setup_teardown(
            test_ledger_batch__batch_files_unique_per_batch,
            ledger_fixture_setup, ledger_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
