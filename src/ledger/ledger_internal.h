/*
 * ledger_internal.h: what the ledger's files share (not installed).
 */
#ifndef MFAB_LEDGER_INTERNAL_H
#define MFAB_LEDGER_INTERNAL_H

#include <sqlite3.h>

#include "matterfab/ledger.h"

/* Statements run once per device, prepared once per handle. */
enum mfab_ledger_stmt {
    MFAB_LEDGER_ST_BATCH_EXISTS,
    MFAB_LEDGER_ST_INSERT_DEVICE,
    MFAB_LEDGER_ST_INSERT_SET,
    MFAB_LEDGER_ST_SAVEPOINT,
    MFAB_LEDGER_ST_RELEASE,
    MFAB_LEDGER_ST_COUNT
};

struct mfab_ledger {
    sqlite3 *db;
    char *path; /* as given to mfab_ledger_open */
    int in_group; /* a group transaction is open */
    int64_t group_batch; /* batch found inside the open group, else 0 */
    sqlite3_stmt *cached[MFAB_LEDGER_ST_COUNT];
    char *set_buf; /* a file_set row being encoded, reused per commit */
    size_t set_cap;
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

/*
 * The handle's prepared statement for slot (prepared from sql on first
 * use), reset and unbound. Do not finalize it; mfab_ledger_free() does.
 */
int mfab_ledger__prepare_cached(mfab_ledger *ledger, sqlite3_stmt **out,
                                enum mfab_ledger_stmt slot, const char *sql,
                                mfab_diag *diag);

/* Run a statement that returns no rows (BEGIN, COMMIT, ROLLBACK). */
int mfab_ledger__exec(mfab_ledger *ledger, const char *sql, mfab_diag *diag);

/* mfab_ledger__exec for a statement run per device, prepared once. */
int mfab_ledger__exec_cached(mfab_ledger *ledger, enum mfab_ledger_stmt slot,
                             const char *sql, mfab_diag *diag);

/* Bind text, or NULL when s is NULL. */
int mfab_ledger__bind_text(sqlite3_stmt *st, int col, const char *s);

/*
 * Record files of (batch, device or 0 for batch-level files) as one
 * file_set row (see ledger_fileset.c). Refuses bad paths (MFAB_EINVAL)
 * and a path given twice (MFAB_EEXISTS); with probe, also a path another
 * row of the batch records already (costs queries: not per device).
 */
int mfab_ledger__insert_set(mfab_ledger *ledger, int64_t batch_id,
                            int64_t device_id, const mfab_ledger_file *files,
                            size_t n, int probe, mfab_diag *diag);

/* One line of a file_set row; sha256_hex is 64 digits, name not
 * NUL-terminated. */
typedef struct mfab_ledger_line {
    const char *sha256_hex;
    uint64_t size;
    const char *name;
    size_t name_len;
} mfab_ledger_line;

/*
 * Parse the line at *cursor and step past it.
 * @return 1 a line, 0 the end, MFAB_EDB a malformed line
 */
int mfab_ledger__set_next(const char **cursor, mfab_ledger_line *out);

/* Convert a version-1 ledger (one file row per file); inside the schema
 * transaction. */
int mfab_ledger__migrate_v1(mfab_ledger *ledger, mfab_diag *diag);

/* 0 when the batch exists, else MFAB_ENOTFOUND / MFAB_EDB. */
int mfab_ledger__batch_exists(mfab_ledger *ledger, int64_t id,
                              mfab_diag *diag);

#endif
