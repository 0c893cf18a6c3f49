/* Tests for src/batch/batch_run.c */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/batch.h"
#include "matterfab/error.h"
#include "mfab_test.h"

typedef struct job {
    pthread_mutex_t lock;
    uint64_t count;
    unsigned char *committed; /* times each index was committed */
    uint64_t made, commits;
    long in_flight, max_in_flight; /* made, not yet committed */
    uint64_t fail_make_at, fail_commit_at; /* UINT64_MAX: never */
    int skip_even;
    uint64_t stop_after;
    volatile sig_atomic_t stop;
    uint64_t flushes, flushed, fail_flush_at; /* flushed: commits made durable */
    size_t group;     /* options' group; 0 = default */
    size_t max_group; /* largest group a make call got */
    uint64_t failed_group[64]; /* the indexes of the failed make call */
    size_t n_failed_group;
} job;

static void
job_init(job *j, uint64_t count)
{
    memset(j, 0, sizeof(*j));
    pthread_mutex_init(&j->lock, NULL);
    j->count = count;
    j->committed = calloc(count + 1, 1);
    assert_non_null(j->committed);
    j->fail_make_at = j->fail_commit_at = UINT64_MAX;
    j->stop_after = UINT64_MAX;
    j->fail_flush_at = UINT64_MAX;
}

static void
job_release(job *j)
{
    free(j->committed);
    pthread_mutex_destroy(&j->lock);
}

static int
make(void *ctx, unsigned worker, const uint64_t *indexes, void *const *slots,
     size_t n, mfab_diag *diag)
{
    job *j = ctx;
    size_t i;
    (void)worker;

    pthread_mutex_lock(&j->lock);
    if (n > j->max_group)
        j->max_group = n;
    for (i = 0; i < n; i++) {
        if (indexes[i] == j->fail_make_at) {
            memcpy(j->failed_group, indexes, n * sizeof(*indexes));
            j->n_failed_group = n;
            pthread_mutex_unlock(&j->lock);
            return mfab_diag_set(diag, MFAB_ECRYPTO,
                                 "item %llu: cannot sign",
                                 (unsigned long long)indexes[i]);
        }
    }
    for (i = 0; i < n; i++) {
        uint64_t *out = slots[i];

        out[0] = indexes[i] * 3 + 1;
        j->made++;
        j->in_flight++;
    }
    if (j->in_flight > j->max_in_flight)
        j->max_in_flight = j->in_flight;
    pthread_mutex_unlock(&j->lock);
    return 0;
}

static int
commit(void *ctx, uint64_t index, void *slot, mfab_diag *diag)
{
    job *j = ctx;
    const uint64_t *in = slot;

    pthread_mutex_lock(&j->lock);
    j->in_flight--;
    pthread_mutex_unlock(&j->lock);
    if (in[0] != index * 3 + 1)
        return mfab_diag_set(diag, MFAB_EFORMAT, "slot of %llu holds %llu",
                             (unsigned long long)index,
                             (unsigned long long)in[0]);
    if (index == j->fail_commit_at)
        return mfab_diag_set(diag, MFAB_EDB, "item %llu: ledger is full",
                             (unsigned long long)index);
    j->committed[index]++;
    j->commits++;
    if (j->commits == j->stop_after)
        j->stop = 1;
    return 0;
}

static int
flush(void *ctx, mfab_diag *diag)
{
    job *j = ctx;

    j->flushes++;
    if (j->flushes == j->fail_flush_at)
        return mfab_diag_set(diag, MFAB_EIO, "flush %llu: disk full",
                             (unsigned long long)j->flushes);
    j->flushed = j->commits;
    return 0;
}

static int
is_done(void *ctx, uint64_t index)
{
    job *j = ctx;
    return j->skip_even && index % 2 == 0;
}

static const mfab_batch_ops ops = { make, commit, flush, is_done, NULL };

static int
run(job *j, unsigned workers, mfab_batch_stats *stats, mfab_diag *diag)
{
    mfab_batch_options o = MFAB_BATCH_OPTIONS_INIT;

    o.count = j->count;
    o.workers = workers;
    o.slot_size = sizeof(uint64_t);
    o.stop = &j->stop;
    o.group = j->group;
    if (j->group > 1)
        o.slots = 4 * j->group * workers;
    return mfab_batch_run(stats, &o, &ops, j, diag);
}

/* A whole run of 2000 items with workers and group (0 = one at a time):
 * each item committed exactly once, flushed, in constant memory. */
static void
check_every_item_once(unsigned workers, size_t group)
{
    size_t ring = group > 1 ? 4 * group * workers : 2 * workers;
    job j;
    mfab_batch_stats s;
    uint64_t i;

    job_init(&j, 2000);
    j.group = group;
    assert_int_equal(run(&j, workers, &s, NULL), 0);
    for (i = 0; i < j.count; i++)
        assert_int_equal(j.committed[i], 1);
    assert_int_equal(s.committed, 2000);
    /* everything committed was flushed, in groups, not one by one */
    assert_int_equal(j.flushed, 2000);
    assert_true(j.flushes >= 1 && j.flushes <= 2000 / 256 + 200);
    assert_int_equal(s.skipped, 0);
    assert_false(s.stopped);
    /* constant memory: never more in flight than the ring holds */
    assert_true(j.max_in_flight <= (long)ring);
    /* a make call never gets more than a group, and groups do form */
    assert_true(j.max_group <= (group > 1 ? group : 1));
    if (group > 1)
        assert_true(j.max_group > 1);
    job_release(&j);
}

static void
test_batch_run__every_item_exactly_once(void **state)
{
    (void)state;
    check_every_item_once(1, 0);
    check_every_item_once(2, 0);
    check_every_item_once(7, 0);
}

static void
test_batch_run__groups_every_item_exactly_once(void **state)
{
    (void)state;
    check_every_item_once(1, 5);
    check_every_item_once(2, 5);
    check_every_item_once(3, 16);
}

static void
test_batch_run__skips_done_items(void **state)
{
    size_t group;
    (void)state;

    /* one at a time, and in groups of indexes with gaps */
    for (group = 0; group <= 5; group += 5) {
        job j;
        mfab_batch_stats s;
        uint64_t i;

        job_init(&j, 101);
        j.skip_even = 1;
        j.group = group;
        assert_int_equal(run(&j, 3, &s, NULL), 0);
        for (i = 0; i < j.count; i++)
            assert_int_equal(j.committed[i], i % 2);
        assert_int_equal(s.skipped, 51);
        assert_int_equal(s.committed, 50);
        job_release(&j);
    }
}

static void
test_batch_run__make_failure_stops_and_keeps_made_items(void **state)
{
    job j;
    mfab_batch_stats s;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    job_init(&j, 5000);
    j.fail_make_at = 37;
    assert_int_equal(run(&j, 4, &s, &d), MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "item 37: cannot sign", NULL);
    assert_int_equal(j.committed[37], 0);
    assert_true(s.committed < 5000);
    /* everything made was committed */
    assert_int_equal(j.made, j.commits);
    assert_int_equal(s.committed, j.commits);
    job_release(&j);
}

static void
test_batch_run__commit_failure_reported(void **state)
{
    job j;
    mfab_batch_stats s;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    job_init(&j, 300);
    j.fail_commit_at = 5;
    assert_int_equal(run(&j, 2, &s, &d), MFAB_EDB);
    mfab_test_assert_diag(&d, MFAB_EDB, "item 5: ledger is full", NULL);
    assert_int_equal(j.committed[5], 0);
    assert_true(s.committed < 300);
    job_release(&j);
}

static void
test_batch_run__stop_request_finishes_cleanly(void **state)
{
    job j;
    mfab_batch_stats s;
    (void)state;

    job_init(&j, 100000);
    j.stop_after = 10;
    assert_int_equal(run(&j, 2, &s, NULL), 0);
    assert_true(s.stopped);
    assert_true(s.committed >= 10);
    assert_true(s.committed < 100000);
    assert_int_equal(j.made, j.commits);
    job_release(&j);
}

static void
test_batch_run__flush_failure_reported(void **state)
{
    job j;
    mfab_batch_stats s;
    mfab_diag d = MFAB_DIAG_INIT;
    mfab_batch_options o = MFAB_BATCH_OPTIONS_INIT;
    (void)state;

    job_init(&j, 3000);
    j.fail_flush_at = 2;
    o.count = j.count;
    o.workers = 2;
    o.slot_size = sizeof(uint64_t);
    o.flush_max = 100;
    assert_int_equal(mfab_batch_run(&s, &o, &ops, &j, &d), MFAB_EIO);
    mfab_test_assert_diag(&d, MFAB_EIO, "flush 2: disk full", NULL);
    /* only the first group became durable */
    assert_true(j.flushed <= 100);
    assert_true(s.committed < 3000);
    job_release(&j);
}

static void
test_batch_run__empty_and_bad_options(void **state)
{
    job j;
    mfab_batch_stats s;
    mfab_batch_options o = MFAB_BATCH_OPTIONS_INIT;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    job_init(&j, 0);
    assert_int_equal(run(&j, 2, &s, NULL), 0);
    assert_int_equal(s.committed, 0);
    o.workers = 0;
    o.slot_size = 8;
    assert_int_equal(mfab_batch_run(&s, &o, &ops, &j, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "0 workers", NULL);
    o.workers = 1;
    o.slot_size = 0;
    assert_int_equal(mfab_batch_run(&s, &o, &ops, &j, NULL), MFAB_EINVAL);
    assert_true(mfab_batch_cpu_count() >= 1);
    job_release(&j);
}

static void
test_batch_run__group_failure_commits_none_of_the_group(void **state)
{
    job j;
    mfab_batch_stats s;
    mfab_diag d = MFAB_DIAG_INIT;
    size_t i;
    (void)state;

    job_init(&j, 500);
    j.group = 4;
    j.fail_make_at = 201;
    assert_int_equal(run(&j, 2, &s, &d), MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "item 201", NULL);
    assert_true(j.n_failed_group >= 1);
    for (i = 0; i < j.n_failed_group; i++)
        assert_int_equal(j.committed[j.failed_group[i]], 0);
    /* everything made before is still committed */
    assert_int_equal(s.committed, j.made);
    job_release(&j);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_run__every_item_exactly_once),
        cmocka_unit_test(test_batch_run__groups_every_item_exactly_once),
        cmocka_unit_test(test_batch_run__group_failure_commits_none_of_the_group),
        cmocka_unit_test(test_batch_run__skips_done_items),
        cmocka_unit_test(test_batch_run__make_failure_stops_and_keeps_made_items),
        cmocka_unit_test(test_batch_run__commit_failure_reported),
        cmocka_unit_test(test_batch_run__stop_request_finishes_cleanly),
        cmocka_unit_test(test_batch_run__flush_failure_reported),
        cmocka_unit_test(test_batch_run__empty_and_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
