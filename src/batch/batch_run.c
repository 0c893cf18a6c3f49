/*
 * batch_run.c: worker pool with one committing thread over a fixed ring
 * of result slots (see matterfab/batch.h).
 *
 * Slot life: FREE -> (worker takes it with the next index) BUSY -> READY
 * -> (caller commits it) FREE. All shared state is under one mutex; the
 * work itself (make, commit) runs unlocked. The caller's wait is timed so
 * that a stop flag set from a signal handler is noticed within 100 ms.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/common_internal.h"
#include "matterfab/batch.h"
#include "matterfab/error.h"

enum { SLOT_FREE, SLOT_BUSY, SLOT_READY };

typedef struct slot {
    int state;
    uint64_t index;
    unsigned char *data;
} slot;

typedef struct run {
    const mfab_batch_options *opts;
    const mfab_batch_ops *ops;
    void *ctx;
    pthread_mutex_t lock;
    pthread_cond_t slot_free;  /* a slot became FREE, or the run ends */
    pthread_cond_t slot_ready; /* a slot became READY, or a worker left */
    slot *slots;
    size_t n_slots;
    size_t clear; /* bytes of a slot zeroed before make */
    size_t ready;   /* slots READY (committing included) */
    size_t wake_at; /* READY slots that wake the committing thread */
    uint64_t next;       /* next index to consider */
    uint64_t skipped;
    unsigned active;     /* workers still running */
    int ending;          /* failure or stop: start nothing new */
    int rc;              /* first failure */
    mfab_diag failure;   /* its message */
} run;

typedef struct worker_arg {
    run *r;
    unsigned id;
} worker_arg;

/* Under the lock: keep the first failure and end the run. */
static void
fail_locked(run *r, int rc, const mfab_diag *diag)
{
    if (r->rc == 0) {
        r->rc = rc;
        mfab_diag_set(&r->failure, rc, "%s",
                      diag != NULL && diag->message[0] != '\0'
                          ? diag->message
                          : mfab_strerror(rc));
    }
    r->ending = 1;
    pthread_cond_broadcast(&r->slot_free);
}

/* Under the lock: the next index still to make, or count when none. */
static uint64_t
next_index_locked(run *r)
{
    while (r->next < r->opts->count && r->ops->is_done != NULL &&
           r->ops->is_done(r->ctx, r->next)) {
        r->next++;
        r->skipped++;
    }
    return r->next;
}

static slot *
free_slot_locked(run *r)
{
    size_t i;

    for (i = 0; i < r->n_slots; i++)
        if (r->slots[i].state == SLOT_FREE)
            return &r->slots[i];
    return NULL;
}

static void *
worker_main(void *p)
{
    worker_arg *a = p;
    run *r = a->r;
    mfab_diag diag = MFAB_DIAG_INIT;
    size_t group = r->opts->group != 0 ? r->opts->group : 1;
    slot **taken = calloc(group, sizeof(*taken));
    uint64_t *indexes = calloc(group, sizeof(*indexes));
    void **data = calloc(group, sizeof(*data));

    pthread_mutex_lock(&r->lock);
    if (taken == NULL || indexes == NULL || data == NULL) {
        mfab_diag_set(&diag, MFAB_ENOMEM, "batch: out of memory for a "
                      "group of %zu items", group);
        fail_locked(r, MFAB_ENOMEM, &diag);
    }
    for (;;) {
        size_t n = 0, i;
        int rc;

        /* as many free slots as the group holds, waiting for the first
         * one only */
        while (!r->ending && next_index_locked(r) < r->opts->count) {
            slot *s = free_slot_locked(r);

            if (s != NULL) {
                s->state = SLOT_BUSY;
                s->index = r->next++;
                taken[n++] = s;
                if (n == group)
                    break;
                continue;
            }
            if (n > 0)
                break;
            /* the committing thread frees slots: it must not sleep now */
            pthread_cond_signal(&r->slot_ready);
            pthread_cond_wait(&r->slot_free, &r->lock);
        }
        if (n == 0 || r->ending) {
            for (i = 0; i < n; i++)
                taken[i]->state = SLOT_FREE;
            break;
        }
        pthread_mutex_unlock(&r->lock);

        for (i = 0; i < n; i++) {
            memset(taken[i]->data, 0, r->clear);
            indexes[i] = taken[i]->index;
            data[i] = taken[i]->data;
        }
        mfab_diag_init(&diag);
        rc = r->ops->make(r->ctx, a->id, indexes, data, n, &diag);

        pthread_mutex_lock(&r->lock);
        for (i = 0; i < n; i++)
            taken[i]->state = rc != 0 ? SLOT_FREE : SLOT_READY;
        if (rc != 0) {
            fail_locked(r, rc, &diag);
            pthread_cond_signal(&r->slot_ready);
        } else {
            /* a wake-up per few items, not per item: the committing
             * thread then records them in one go */
            r->ready += n;
            if (r->ready >= r->wake_at)
                pthread_cond_signal(&r->slot_ready);
        }
    }
    r->active--;
    pthread_cond_broadcast(&r->slot_ready);
    pthread_mutex_unlock(&r->lock);
    free(taken);
    free(indexes);
    free(data);
    return NULL;
}

static slot *
ready_slot_locked(run *r)
{
    size_t i;

    for (i = 0; i < r->n_slots; i++)
        if (r->slots[i].state == SLOT_READY)
            return &r->slots[i];
    return NULL;
}

static int
stop_requested(const run *r)
{
    return r->opts->stop != NULL && *r->opts->stop != 0;
}

/* The calling thread: commit READY slots until every worker has left. */
static uint64_t
now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000u + (uint64_t)t.tv_nsec / 1000000u;
}

/* Flush state of the committing thread. */
typedef struct flusher {
    uint64_t pending;
    uint64_t last_ms;
    uint64_t interval_ms;
    uint64_t max;
} flusher;

/*
 * Under the lock: flush the pending commits (unlocked) when the group is
 * due, or always with force.
 */
static int
flush_locked(run *r, flusher *f, int force)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    uint64_t now = now_ms();
    int rc;

    if (f->pending == 0 || r->ops->flush == NULL)
        return 0;
    if (!force && f->pending < f->max && now - f->last_ms < f->interval_ms)
        return 0;
    pthread_mutex_unlock(&r->lock);
    rc = r->ops->flush(r->ctx, &diag);
    pthread_mutex_lock(&r->lock);
    f->pending = 0;
    f->last_ms = now_ms();
    if (rc != 0)
        fail_locked(r, rc, &diag);
    return rc;
}

static void
commit_loop(run *r, mfab_batch_stats *stats)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    uint64_t committed = 0, to_make = r->opts->count;
    flusher f;
    int commit_failed = 0;

    f.pending = 0;
    f.last_ms = now_ms();
    f.interval_ms = r->opts->flush_ms != 0 ? r->opts->flush_ms : 100;
    f.max = r->opts->flush_max != 0 ? r->opts->flush_max : 256;

    pthread_mutex_lock(&r->lock);
    for (;;) {
        slot *s = ready_slot_locked(r);
        int rc;

        if (stop_requested(r) && !r->ending) {
            r->ending = 1;
            stats->stopped = 1;
            pthread_cond_broadcast(&r->slot_free);
        }
        if (s == NULL) {
            struct timespec until;

            if (!commit_failed &&
                flush_locked(r, &f, r->active == 0) != 0) {
                commit_failed = 1;
                continue;
            }
            /* the flush ran unlocked: a last item may have become ready */
            if (r->active == 0 && ready_slot_locked(r) == NULL)
                break;
            if (r->active == 0)
                continue;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += 100 * 1000 * 1000;
            if (until.tv_nsec >= 1000000000L) {
                until.tv_sec++;
                until.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&r->slot_ready, &r->lock, &until);
            continue;
        }
        if (commit_failed) {
            /* made but not recorded: the caller's resume rule applies */
            s->state = SLOT_FREE;
            r->ready--;
            pthread_cond_signal(&r->slot_free);
            continue;
        }
        pthread_mutex_unlock(&r->lock);
        mfab_diag_init(&diag);
        rc = r->ops->commit(r->ctx, s->index, s->data, &diag);
        pthread_mutex_lock(&r->lock);
        s->state = SLOT_FREE;
        r->ready--;
        pthread_cond_signal(&r->slot_free);
        if (rc != 0) {
            commit_failed = 1;
            fail_locked(r, rc, &diag);
            continue;
        }
        committed++;
        f.pending++;
        if (flush_locked(r, &f, 0) != 0) {
            commit_failed = 1;
            continue;
        }
        if (r->ops->progress != NULL) {
            to_make = r->opts->count - r->skipped;
            pthread_mutex_unlock(&r->lock);
            r->ops->progress(r->ctx, committed, to_make);
            pthread_mutex_lock(&r->lock);
        }
    }
    stats->skipped = r->skipped;
    stats->committed = committed;
    pthread_mutex_unlock(&r->lock);
}

static int
check_options(const mfab_batch_options *o, const mfab_batch_ops *ops,
              mfab_diag *diag)
{
    if (ops->make == NULL || ops->commit == NULL)
        return mfab_diag_set(diag, MFAB_EINVAL, "batch: make and commit "
                                                "are required");
    if (o->workers < 1 || o->workers > MFAB_BATCH_MAX_WORKERS)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "batch: %u workers (allowed 1..%d)", o->workers,
                             MFAB_BATCH_MAX_WORKERS);
    if (o->slot_size == 0 || o->slot_size > ((size_t)1 << 30))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "batch: slot size %zu (allowed 1..2^30)",
                             o->slot_size);
    return 0;
}

/* see matterfab/batch.h */
int
mfab_batch_run(mfab_batch_stats *out_stats, const mfab_batch_options *opts,
               const mfab_batch_ops *ops, void *ctx, mfab_diag *diag)
{
    pthread_t threads[MFAB_BATCH_MAX_WORKERS];
    worker_arg args[MFAB_BATCH_MAX_WORKERS];
    mfab_batch_stats stats = { 0, 0, 0 };
    unsigned char *data = NULL;
    unsigned i, started = 0;
    run r;
    int rc;

    rc = check_options(opts, ops, diag);
    if (rc < 0)
        return rc;
    memset(&r, 0, sizeof(r));
    r.opts = opts;
    r.ops = ops;
    r.ctx = ctx;
    r.n_slots = opts->slots != 0 ? opts->slots : 2u * opts->workers;
    r.clear = opts->slot_clear != 0 && opts->slot_clear < opts->slot_size
                  ? opts->slot_clear
                  : opts->slot_size;
    r.wake_at = r.n_slots / 2 > 0 ? r.n_slots / 2 : 1;
    r.slots = calloc(r.n_slots, sizeof(*r.slots));
    data = calloc(r.n_slots, opts->slot_size);
    if (r.slots == NULL || data == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "batch: out of memory for %zu "
                           "result slots", r.n_slots);
        goto out;
    }
    for (i = 0; i < r.n_slots; i++)
        r.slots[i].data = data + (size_t)i * opts->slot_size;
    pthread_mutex_init(&r.lock, NULL);
    pthread_cond_init(&r.slot_free, NULL);
    pthread_cond_init(&r.slot_ready, NULL);

    pthread_mutex_lock(&r.lock);
    for (i = 0; i < opts->workers; i++) {
        args[i].r = &r;
        args[i].id = i;
        if (pthread_create(&threads[i], NULL, worker_main, &args[i]) != 0) {
            mfab_diag d = MFAB_DIAG_INIT;
            mfab_diag_set(&d, MFAB_ENOMEM, "batch: cannot start worker %u",
                          i);
            fail_locked(&r, MFAB_ENOMEM, &d);
            break;
        }
        started++;
        r.active++;
    }
    pthread_mutex_unlock(&r.lock);

    commit_loop(&r, &stats);
    for (i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    pthread_cond_destroy(&r.slot_ready);
    pthread_cond_destroy(&r.slot_free);
    pthread_mutex_destroy(&r.lock);
    rc = r.rc;
    if (rc != 0)
        mfab_diag_set(diag, rc, "%s", r.failure.message);
out:
    free(data);
    free(r.slots);
    if (out_stats != NULL)
        *out_stats = stats;
    return rc;
}

/* see matterfab/batch.h */
unsigned
mfab_batch_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);

    if (n < 1)
        return 1;
    if (n > MFAB_BATCH_MAX_WORKERS)
        return MFAB_BATCH_MAX_WORKERS;
    return (unsigned)n;
}
