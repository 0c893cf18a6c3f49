/*
 * ledger_batch.c: batch rows (start, end, listing) and batch-level files.
 */
#include <string.h>

#include "common/common_internal.h"
#include "ledger/ledger_internal.h"
#include "matterfab/error.h"

static const char *const status_names[] = { "running", "complete", "failed",
                                            "interrupted" };

/* see ledger_internal.h */
int
mfab_ledger__batch_exists(mfab_ledger *ledger, int64_t id, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = mfab_ledger__prepare_cached(ledger, &st,
                                     MFAB_LEDGER_ST_BATCH_EXISTS,
                                     "SELECT 1 FROM batch WHERE id = ?", diag);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        rc = 0;
    else if (rc == SQLITE_DONE)
        rc = mfab_diag_set(diag, MFAB_ENOTFOUND,
                           "ledger '%s': no batch %lld", ledger->path,
                           (long long)id);
    else
        rc = mfab_ledger__fail(ledger, "cannot look up a batch", diag);
    sqlite3_reset(st);
    return rc;
}

/* see matterfab/ledger.h */
int
mfab_ledger_batch_begin(mfab_ledger *ledger, int64_t *out_id,
                        const mfab_ledger_batch *batch, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (batch->outdir == NULL || batch->options_json == NULL ||
        batch->inputs_json == NULL || batch->device_count > INT64_MAX)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ledger: a batch needs an outdir, options, "
                             "inputs and a device count");
    rc = mfab_ledger__prepare(
        ledger, &st,
        "INSERT INTO batch (outdir, options, inputs, device_count, status, "
        "started_at) VALUES (?, ?, ?, ?, 'running', "
        "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        diag);
    if (rc < 0)
        return rc;
    mfab_ledger__bind_text(st, 1, batch->outdir);
    mfab_ledger__bind_text(st, 2, batch->options_json);
    mfab_ledger__bind_text(st, 3, batch->inputs_json);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)batch->device_count);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = mfab_ledger__fail(ledger, "cannot record the batch", diag);
    else
        *out_id = sqlite3_last_insert_rowid(ledger->db);
    sqlite3_finalize(st);
    return rc;
}

/* see matterfab/ledger.h */
int
mfab_ledger_batch_end(mfab_ledger *ledger, int64_t id,
                      mfab_ledger_batch_status status, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if ((unsigned)status >= MFAB_ARRAY_SIZE(status_names))
        return mfab_diag_set(diag, MFAB_EINVAL, "ledger: bad batch status %d",
                             (int)status);
    rc = mfab_ledger__batch_exists(ledger, id, diag);
    if (rc < 0)
        return rc;
    rc = mfab_ledger__prepare(
        ledger, &st,
        "UPDATE batch SET status = ?, finished_at = "
        "CASE WHEN ? = 'running' THEN NULL "
        "ELSE strftime('%Y-%m-%dT%H:%M:%fZ', 'now') END WHERE id = ?",
        diag);
    if (rc < 0)
        return rc;
    mfab_ledger__bind_text(st, 1, status_names[status]);
    mfab_ledger__bind_text(st, 2, status_names[status]);
    sqlite3_bind_int64(st, 3, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = mfab_ledger__fail(ledger, "cannot update the batch", diag);
    sqlite3_finalize(st);
    return rc;
}

static mfab_ledger_batch_status
parse_status(const char *s)
{
    size_t i;

    for (i = 0; i < MFAB_ARRAY_SIZE(status_names); i++)
        if (s != NULL && strcmp(s, status_names[i]) == 0)
            return (mfab_ledger_batch_status)i;
    return MFAB_LEDGER_BATCH_FAILED;
}

/* see matterfab/ledger.h */
int
mfab_ledger_batch_each(mfab_ledger *ledger, int64_t id,
                       int (*fn)(void *ctx, const mfab_ledger_batch *batch),
                       void *ctx, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc, step, found = 0;

    rc = mfab_ledger__prepare(
        ledger, &st,
        "SELECT b.id, b.outdir, b.options, b.inputs, b.device_count, "
        "(SELECT count(*) FROM device d WHERE d.batch_id = b.id), "
        "b.status, b.started_at, b.finished_at FROM batch b "
        "WHERE ? = 0 OR b.id = ? ORDER BY b.id",
        diag);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        mfab_ledger_batch b;

        b.id = sqlite3_column_int64(st, 0);
        b.outdir = (const char *)sqlite3_column_text(st, 1);
        b.options_json = (const char *)sqlite3_column_text(st, 2);
        b.inputs_json = (const char *)sqlite3_column_text(st, 3);
        b.device_count = (uint64_t)sqlite3_column_int64(st, 4);
        b.devices_done = (uint64_t)sqlite3_column_int64(st, 5);
        b.status = parse_status((const char *)sqlite3_column_text(st, 6));
        b.started_at = (const char *)sqlite3_column_text(st, 7);
        b.finished_at = (const char *)sqlite3_column_text(st, 8);
        found = 1;
        rc = fn(ctx, &b);
        if (rc != 0)
            break;
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = mfab_ledger__fail(ledger, "cannot list batches", diag);
    else if (rc == 0 && !found && id > 0)
        rc = mfab_diag_set(diag, MFAB_ENOTFOUND, "ledger '%s': no batch %lld",
                           ledger->path, (long long)id);
    sqlite3_finalize(st);
    return rc;
}

/* see matterfab/ledger.h */
int
mfab_ledger_batch_files(mfab_ledger *ledger, int64_t batch_id,
                        const mfab_ledger_file *files, size_t n_files,
                        mfab_diag *diag)
{
    int rc;

    rc = mfab_ledger__batch_exists(ledger, batch_id, diag);
    if (rc < 0)
        return rc;
    rc = mfab_ledger__exec(ledger, "BEGIN IMMEDIATE", diag);
    if (rc < 0)
        return rc;
    /* rare (summaries): worth the queries that keep a path unique in the
     * batch */
    rc = mfab_ledger__insert_set(ledger, batch_id, 0, files, n_files, 1,
                                 diag);
    if (rc < 0) {
        sqlite3_exec(ledger->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return mfab_ledger__exec(ledger, "COMMIT", diag);
}
