/*
 * ledger_internal.h: what the ledger's files share (not installed).
 */
#ifndef MFAB_LEDGER_INTERNAL_H
#define MFAB_LEDGER_INTERNAL_H

#include <sqlite3.h>

#include "matterfab/ledger.h"

struct mfab_ledger {
    sqlite3 *db;
    char *path; /* as given to mfab_ledger_open */
    int in_group; /* a group transaction is open */
};

/*
 * Record the database's current error as MFAB_EDB, or MFAB_EEXISTS for a
 * UNIQUE violation, prefixed by what was being done.
 */
int mfab_ledger__fail(mfab_ledger *ledger, const char *what,
                      mfab_diag *diag);

/* Prepare sql or record the failure. */
int mfab_ledger__prepare(mfab_ledger *ledger, sqlite3_stmt **out,
                         const char *sql, mfab_diag *diag);

/* Run a statement that returns no rows (BEGIN, COMMIT, ROLLBACK). */
int mfab_ledger__exec(mfab_ledger *ledger, const char *sql, mfab_diag *diag);

/* Bind text, or NULL when s is NULL. */
int mfab_ledger__bind_text(sqlite3_stmt *st, int col, const char *s);

/* Insert files for (batch, device or 0 for batch-level files). */
int mfab_ledger__insert_files(mfab_ledger *ledger, int64_t batch_id,
                              int64_t device_id,
                              const mfab_ledger_file *files, size_t n,
                              mfab_diag *diag);

/* 0 when the batch exists, else MFAB_ENOTFOUND / MFAB_EDB. */
int mfab_ledger__batch_exists(mfab_ledger *ledger, int64_t id,
                              mfab_diag *diag);

#endif
