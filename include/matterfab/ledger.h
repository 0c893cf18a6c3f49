/*
 * matterfab/ledger.h: the production ledger, one SQLite database that
 * accounts for every device a factory made.
 *
 * A batch row records how a run was started (options, SHA-256 of every
 * input) and how it ended. A device row, with the SHA-256 of each file
 * written for it, is committed only after those files are durably in
 * place, so "in the ledger" means "complete". UNIQUE constraints over the
 * whole database (uuid, serial number, DAC serial, rd-id-uid) make a
 * duplicate impossible to record, whichever batch it comes from.
 *
 * One mfab_ledger handle belongs to one thread at a time: batch workers
 * hand their results to a single committing thread.
 */
#ifndef MATTERFAB_LEDGER_H
#define MATTERFAB_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mfab_ledger mfab_ledger;

/**
 * Open (creating if needed, mode 0600) the ledger at path and bring its
 * schema up to date.
 * @param[out] out caller frees with mfab_ledger_free()
 * @return 0, MFAB_EDB (not a ledger, newer schema, an old one that cannot
 *         be converted, locked, I/O error)
 */
int mfab_ledger_open(mfab_ledger **out, const char *path, mfab_diag *diag);

/** Close the ledger. NULL is a no-op. */
void mfab_ledger_free(mfab_ledger *ledger);

typedef enum mfab_ledger_batch_status {
    MFAB_LEDGER_BATCH_RUNNING = 0,
    MFAB_LEDGER_BATCH_COMPLETE,
    MFAB_LEDGER_BATCH_FAILED,
    MFAB_LEDGER_BATCH_INTERRUPTED
} mfab_ledger_batch_status;

/** "running", "complete", "failed" or "interrupted". */
const char *mfab_ledger_batch_status_name(mfab_ledger_batch_status status);

typedef struct mfab_ledger_batch {
    int64_t id;
    const char *outdir;       /**< folder the files are relative to */
    const char *options_json; /**< how the run was started */
    const char *inputs_json;  /**< {"path": "sha256", ...} */
    uint64_t device_count;    /**< devices the batch is to make */
    uint64_t devices_done;    /**< filled in by the readers */
    mfab_ledger_batch_status status;
    const char *started_at;   /**< ISO 8601 UTC, filled in by the ledger */
    const char *finished_at;  /**< NULL while running */
} mfab_ledger_batch;

/**
 * Record the start of a batch (status running). Reads outdir,
 * options_json, inputs_json and device_count from batch; all copied.
 * @param[out] out_id the new batch id
 * @return 0, MFAB_EINVAL (NULL field), MFAB_EDB
 */
int mfab_ledger_batch_begin(mfab_ledger *ledger, int64_t *out_id,
                            const mfab_ledger_batch *batch, mfab_diag *diag);

/**
 * Set a batch's final status and end time.
 * @return 0, MFAB_ENOTFOUND, MFAB_EDB
 */
int mfab_ledger_batch_end(mfab_ledger *ledger, int64_t id,
                          mfab_ledger_batch_status status, mfab_diag *diag);

/**
 * Call fn for each batch in id order (or just batch id when id > 0). The
 * strings in *batch are borrowed for the duration of the call.
 * fn returns 0 to go on, anything else to stop (returned as is).
 * @return 0, MFAB_ENOTFOUND (id > 0 and no such batch), MFAB_EDB,
 *         or fn's non-zero value
 */
int mfab_ledger_batch_each(mfab_ledger *ledger, int64_t id,
                           int (*fn)(void *ctx, const mfab_ledger_batch *batch),
                           void *ctx, mfab_diag *diag);

/** One file written for a device (or for the batch as a whole). */
typedef struct mfab_ledger_file {
    /** relative to the batch's outdir; no empty, "." or ".." part, no
     *  control character */
    const char *path;
    uint8_t sha256[32];
    uint64_t size;
} mfab_ledger_file;

typedef struct mfab_ledger_device {
    int64_t batch_id;
    uint64_t index;              /**< 0-based position in the batch */
    const char *uuid;
    const char *serial_num;      /**< NULL when the device has none */
    uint16_t discriminator;
    uint32_t passcode;
    const char *salt_b64;
    uint32_t iterations;
    const char *dac_serial_hex;  /**< NULL when the DAC is not ours */
    const char *dac_pubkey_sha256_hex; /**< NULL likewise */
    const char *rd_id_uid_hex;   /**< NULL when not generated */
    const char *created_at;      /**< filled in by the readers */
} mfab_ledger_device;

/**
 * Group the following commits into one transaction, so that one disk sync
 * makes a whole group of devices durable (batch flushes). Each device
 * commit stays atomic on its own inside the group.
 * @return 0, MFAB_EINVAL (a group is open already), MFAB_EDB
 */
int mfab_ledger_group_begin(mfab_ledger *ledger, mfab_diag *diag);

/**
 * Make the open group durable.
 * @return 0, MFAB_EINVAL (no group open), MFAB_EDB (the group is rolled
 *         back: none of its devices is recorded)
 */
int mfab_ledger_group_commit(mfab_ledger *ledger, mfab_diag *diag);

/** Drop the open group, if any: none of its devices is recorded. */
void mfab_ledger_group_rollback(mfab_ledger *ledger);

/**
 * Record a complete device and its files atomically (inside the open
 * group, or as a transaction of its own). Call it only
 * after the files are durably written (fsync + rename).
 * @return 0; MFAB_EEXISTS when uuid, serial number, DAC serial, rd-id-uid
 *         or (batch, index) is already in the ledger (the message names the
 *         column and value) or a path is given twice; MFAB_EINVAL (a bad
 *         path or device field); MFAB_ENOTFOUND (no such batch); MFAB_EDB
 */
int mfab_ledger_device_commit(mfab_ledger *ledger,
                              const mfab_ledger_device *device,
                              const mfab_ledger_file *files, size_t n_files,
                              mfab_diag *diag);

/**
 * Record files that belong to a batch as a whole (summary CSVs).
 * @return 0, MFAB_EEXISTS (a path the batch records already),
 *         MFAB_EINVAL (a bad path), MFAB_ENOTFOUND, MFAB_EDB
 */
int mfab_ledger_batch_files(mfab_ledger *ledger, int64_t batch_id,
                            const mfab_ledger_file *files, size_t n_files,
                            mfab_diag *diag);

/**
 * Call fn for each device of a batch (all batches when batch_id is 0), in
 * (batch, index) order; strings borrowed for the call.
 * @return as mfab_ledger_batch_each()
 */
int mfab_ledger_device_each(mfab_ledger *ledger, int64_t batch_id,
                            int (*fn)(void *ctx,
                                      const mfab_ledger_device *device),
                            void *ctx, mfab_diag *diag);

/**
 * Look a device up by uuid or serial number.
 * @return 0 (fn called once), MFAB_ENOTFOUND, MFAB_EDB
 */
int mfab_ledger_device_find(mfab_ledger *ledger, const char *uuid_or_serial,
                            int (*fn)(void *ctx,
                                      const mfab_ledger_device *device),
                            void *ctx, mfab_diag *diag);

typedef enum mfab_ledger_problem {
    MFAB_LEDGER_MISSING, /**< recorded file does not exist */
    MFAB_LEDGER_ALTERED, /**< recorded file's SHA-256 or size differs */
    MFAB_LEDGER_ORPHAN   /**< file in a batch folder the ledger lacks */
} mfab_ledger_problem;

/** "missing", "altered" or "orphan". */
const char *mfab_ledger_problem_name(mfab_ledger_problem problem);

/**
 * Re-hash every file recorded for a batch (all when batch_id is 0) and
 * walk each batch folder for files the ledger does not know (the ledger
 * database itself is not an orphan). fn is called once per problem with
 * the file's path as it is on disk.
 * @param[out] out_problems number of problems found
 * @return 0 (also when problems were found), MFAB_ENOTFOUND, MFAB_EIO,
 *         MFAB_EDB
 */
int mfab_ledger_check(mfab_ledger *ledger, int64_t batch_id,
                      uint64_t *out_problems,
                      void (*fn)(void *ctx, mfab_ledger_problem problem,
                                 const char *path),
                      void *ctx, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
