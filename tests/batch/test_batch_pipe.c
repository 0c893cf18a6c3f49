/* Tests for src/batch/batch_pipe.c */
#include <stdlib.h>
#include <string.h>

#include "matterfab/batch.h"
#include "matterfab/error.h"
#include "mfab_test.h"

typedef struct item {
    uint64_t n;
    uint64_t *owned; /* released by the consumer, consumed or dropped */
} item;

typedef struct sink {
    uint64_t next;     /* the n the consumer expects */
    uint64_t released; /* slots dropped after a failure */
    uint64_t fail_at;  /* UINT64_MAX: never */
} sink;

static int
consume(void *ctx, void *slot, mfab_diag *diag)
{
    sink *s = ctx;
    item *it = slot;
    int rc = 0;

    assert_non_null(it->owned);
    assert_int_equal(*it->owned, it->n);
    if (diag == NULL) {
        s->released++;
    } else if (it->n == s->fail_at) {
        rc = mfab_diag_set(diag, MFAB_EIO, "cannot write row %llu",
                           (unsigned long long)it->n);
    } else {
        assert_int_equal(it->n, s->next); /* in push order */
        s->next++;
    }
    free(it->owned);
    return rc;
}

/* Push items 0..count-1 (fewer when the consumer fails); returns pushed. */
static uint64_t
push_all(mfab_batch_pipe *p, uint64_t count)
{
    uint64_t n;

    for (n = 0; n < count; n++) {
        item *it = mfab_batch_pipe_slot(p);
        if (it == NULL)
            break;
        assert_int_equal(it->n, 0); /* zeroed */
        assert_null(it->owned);
        it->n = n;
        it->owned = malloc(sizeof(*it->owned));
        assert_non_null(it->owned);
        *it->owned = n;
        mfab_batch_pipe_push(p);
    }
    return n;
}

static void
test_batch_pipe__consumes_every_item_in_order(void **state)
{
    sink s = {0, 0, UINT64_MAX};
    mfab_batch_pipe *p = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(
        mfab_batch_pipe_start(&p, 3, sizeof(item), consume, &s, &d), 0);
    assert_int_equal(push_all(p, 5000), 5000);
    assert_int_equal(mfab_batch_pipe_finish(p, &d), 0);
    assert_int_equal(s.next, 5000);
    assert_int_equal(s.released, 0);

    /* nothing pushed */
    assert_int_equal(
        mfab_batch_pipe_start(&p, 1, sizeof(item), consume, &s, &d), 0);
    assert_int_equal(mfab_batch_pipe_finish(p, &d), 0);
    assert_int_equal(mfab_batch_pipe_finish(NULL, &d), 0);
}

static void
test_batch_pipe__first_failure_stops_the_producer(void **state)
{
    sink s = {0, 0, 100};
    mfab_batch_pipe *p = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    uint64_t pushed;
    (void)state;

    assert_int_equal(
        mfab_batch_pipe_start(&p, 4, sizeof(item), consume, &s, &d), 0);
    pushed = push_all(p, 100000);
    assert_true(pushed > 100 && pushed < 100000);
    assert_int_equal(mfab_batch_pipe_finish(p, &d), MFAB_EIO);
    mfab_test_assert_diag(&d, MFAB_EIO, "cannot write row 100", NULL);
    assert_int_equal(s.next, 100);
    /* every slot pushed after the failure was handed back to release */
    assert_int_equal(s.next + 1 + s.released, pushed);
}

static void
test_batch_pipe__bad_options(void **state)
{
    sink s = {0, 0, UINT64_MAX};
    mfab_batch_pipe *p = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(
        mfab_batch_pipe_start(&p, 0, sizeof(item), consume, &s, &d),
        MFAB_EINVAL);
    assert_null(p);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "pipe:", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_batch_pipe_start(&p, 2, sizeof(item), NULL, &s, &d),
                     MFAB_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_batch_pipe__consumes_every_item_in_order),
        cmocka_unit_test(test_batch_pipe__first_failure_stops_the_producer),
        cmocka_unit_test(test_batch_pipe__bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
