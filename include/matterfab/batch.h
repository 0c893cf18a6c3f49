/*
 * matterfab/batch.h: run a job for each of N items on a pool of worker
 * threads, with one committing thread, in constant memory.
 *
 * Workers make items (the CPU-heavy part: keys, signatures, PBKDF2) into
 * a fixed ring of result slots; the calling thread commits finished slots
 * one at a time (ledger rows), in completion order. Memory is the ring,
 * whatever the count. Items a resumed batch already has are skipped.
 *
 * The first failure, or a stop request, ends the run: no new item starts,
 * items being made are finished or dropped, and every item that was made
 * is committed before mfab_batch_run() returns, so nothing made is lost
 * and nothing half-made is recorded.
 */
#ifndef MATTERFAB_BATCH_H
#define MATTERFAB_BATCH_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most worker threads a run may use. */
#define MFAB_BATCH_MAX_WORKERS 256

typedef struct mfab_batch_ops {
    /**
     * Make items indexes[0..n-1] into slots[0..n-1] (n from 1 to the
     * options' group; each slot slot_size bytes, the first slot_clear of
     * them zeroed), on worker thread worker (0..workers-1). Items come in
     * groups so that a make can run their like parts side by side (PBKDF2
     * on SIMD lanes); a failure fails the whole group (none of it is
     * committed). Must be thread-safe across workers; the worker index
     * selects per-thread scratch. Returns 0 or MFAB_E*.
     */
    int (*make)(void *ctx, unsigned worker, const uint64_t *indexes,
                void *const *slots, size_t n, mfab_diag *diag);
    /** Record a made item; called on the calling thread only. */
    int (*commit)(void *ctx, uint64_t index, void *slot, mfab_diag *diag);
    /**
     * Optional: make the commits so far durable as one group (e.g. sync
     * the output files, then commit one ledger transaction), so that the
     * cost of durability is paid per group, not per item. Called on the
     * calling thread once flush_ms have passed since the last flush or
     * flush_max commits are pending, and at the end of the run.
     */
    int (*flush)(void *ctx, mfab_diag *diag);
    /** Optional: 1 when item index is already done (resume). */
    int (*is_done)(void *ctx, uint64_t index);
    /** Optional: after each commit (and flush), on the calling thread. */
    void (*progress)(void *ctx, uint64_t committed, uint64_t to_make);
} mfab_batch_ops;

typedef struct mfab_batch_options {
    uint64_t count;    /**< items 0..count-1 */
    unsigned workers;  /**< 1..MFAB_BATCH_MAX_WORKERS */
    size_t slot_size;  /**< bytes of one result slot */
    size_t slots;      /**< ring size; 0 = 2 x workers */
    /** optional: set non-zero (e.g. from a SIGINT handler) to stop */
    volatile sig_atomic_t *stop;
    unsigned flush_ms;  /**< longest wait before a flush; 0 = 100 */
    uint64_t flush_max; /**< most commits between flushes; 0 = 256 */
    /** bytes zeroed at the start of a slot before make (a make that
     * writes the rest itself need not pay for it); 0 = the whole slot */
    size_t slot_clear;
    /** most items a make call gets (a worker takes what is free, up to
     * this, without waiting for more); 0 = 1 */
    size_t group;
} mfab_batch_options;

#define MFAB_BATCH_OPTIONS_INIT { 0, 1, 0, 0, NULL, 0, 0, 0, 0 }

/** Outcome counts of a run. */
typedef struct mfab_batch_stats {
    uint64_t skipped;   /**< already done before the run */
    uint64_t committed; /**< made and committed by this run */
    int stopped;        /**< 1 when a stop request ended the run early */
} mfab_batch_stats;

/**
 * Run the batch. diag receives the first failure (a worker's message is
 * copied over).
 * @param[out] out_stats may be NULL
 * @return 0 (also when stopped by request: see stats.stopped);
 *         MFAB_EINVAL for bad options; MFAB_ENOMEM; or the first MFAB_E*
 *         that make or commit returned
 */
int mfab_batch_run(mfab_batch_stats *out_stats,
                   const mfab_batch_options *opts, const mfab_batch_ops *ops,
                   void *ctx, mfab_diag *diag);

/** Number of online CPUs (at least 1), the default worker count. */
unsigned mfab_batch_cpu_count(void);

/**
 * A two-stage pipeline: the caller fills slots in order (e.g. reads files)
 * while one thread consumes them in the same order (e.g. formats and
 * writes rows), so that a sequential job uses two cores in constant
 * memory (slots x slot_size).
 */
typedef struct mfab_batch_pipe mfab_batch_pipe;

/**
 * Start the consumer thread. consume(ctx, slot, diag) gets every pushed
 * slot, in push order, and releases what the slot owns. After its first
 * failure mfab_batch_pipe_slot() returns NULL and the slots still pushed
 * come with diag == NULL: release them only.
 * @return 0, MFAB_EINVAL, MFAB_ENOMEM
 */
int mfab_batch_pipe_start(mfab_batch_pipe **out, size_t slots, size_t slot_size,
                          int (*consume)(void *ctx, void *slot,
                                         mfab_diag *diag),
                          void *ctx, mfab_diag *diag);

/**
 * The next slot to fill (zeroed), waiting while all are in use; NULL when
 * the consumer failed (see mfab_batch_pipe_finish()).
 */
void *mfab_batch_pipe_slot(mfab_batch_pipe *p);

/** Hand the slot from mfab_batch_pipe_slot() to the consumer. */
void mfab_batch_pipe_push(mfab_batch_pipe *p);

/**
 * Wait until every pushed slot is consumed (or dropped after a failure),
 * stop the thread and free the pipe (NULL: nothing to do).
 * @return 0 or the consumer's first failure (message in diag)
 */
int mfab_batch_pipe_finish(mfab_batch_pipe *p, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
