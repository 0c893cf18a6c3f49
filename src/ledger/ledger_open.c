/*
 * ledger_open.c: opening the ledger database and its schema.
 *
 * Schema (version 2):
 *   batch  (id, outdir, options, inputs, device_count, status,
 *           started_at, finished_at)
 *   device (id, batch_id, idx, uuid UNIQUE, serial_num UNIQUE,
 *           discriminator, passcode, salt, iterations,
 *           dac_serial UNIQUE, dac_pubkey_sha256, rd_id_uid UNIQUE,
 *           status, created_at; UNIQUE(batch_id, idx))
 *   file_set (id, batch_id, device_id NULL for batch-level files, dir,
 *           files: one "<sha256> <size> <name>" line per file, names
 *           relative to dir, dir relative to the batch's outdir)
 * Version 1 had one `file` row per file; opening such a ledger converts
 * it (ledger_migrate.c).
 * SQLite treats NULLs as distinct, so devices without a serial number or
 * a DAC of their own do not collide.
 *
 * WAL journal with synchronous=FULL: a committed device survives a crash
 * or power cut, and readers (ledger list) never block the writer.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common_internal.h"
#include "ledger/ledger_internal.h"
#include "matterfab/error.h"

#define LEDGER_SCHEMA_VERSION 2

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta ("
    "  key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE IF NOT EXISTS batch ("
    "  id INTEGER PRIMARY KEY,"
    "  outdir TEXT NOT NULL,"
    "  options TEXT NOT NULL,"
    "  inputs TEXT NOT NULL,"
    "  device_count INTEGER NOT NULL CHECK (device_count >= 0),"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('running', 'complete', 'failed', 'interrupted')),"
    "  started_at TEXT NOT NULL,"
    "  finished_at TEXT);"
    "CREATE TABLE IF NOT EXISTS device ("
    "  id INTEGER PRIMARY KEY,"
    "  batch_id INTEGER NOT NULL REFERENCES batch(id),"
    "  idx INTEGER NOT NULL CHECK (idx >= 0),"
    "  uuid TEXT NOT NULL UNIQUE,"
    "  serial_num TEXT UNIQUE,"
    "  discriminator INTEGER NOT NULL CHECK (discriminator BETWEEN 0 AND 4095),"
    "  passcode INTEGER NOT NULL,"
    "  salt TEXT NOT NULL,"
    "  iterations INTEGER NOT NULL,"
    "  dac_serial TEXT UNIQUE,"
    "  dac_pubkey_sha256 TEXT,"
    "  rd_id_uid TEXT UNIQUE,"
    "  status TEXT NOT NULL CHECK (status IN ('complete')),"
    "  created_at TEXT NOT NULL,"
    "  UNIQUE (batch_id, idx));"
    "CREATE TABLE IF NOT EXISTS file_set ("
    "  id INTEGER PRIMARY KEY,"
    "  batch_id INTEGER NOT NULL REFERENCES batch(id),"
    "  device_id INTEGER REFERENCES device(id),"
    "  dir TEXT NOT NULL,"
    "  files TEXT NOT NULL);"
    /* ledger check looks rows up by folder */
    "CREATE INDEX IF NOT EXISTS file_set_dir ON file_set(dir);";

/* see ledger_internal.h */
int
mfab_ledger__fail(mfab_ledger *ledger, const char *what, mfab_diag *diag)
{
    int ext = sqlite3_extended_errcode(ledger->db);
    const char *msg = sqlite3_errmsg(ledger->db);

    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return mfab_diag_set(diag, MFAB_EEXISTS, "ledger '%s': %s: %s",
                             ledger->path, what, msg);
    return mfab_diag_set(diag, MFAB_EDB, "ledger '%s': %s: %s", ledger->path,
                         what, msg);
}

/* see ledger_internal.h */
int
mfab_ledger__prepare(mfab_ledger *ledger, sqlite3_stmt **out, const char *sql,
                     mfab_diag *diag)
{
    if (sqlite3_prepare_v2(ledger->db, sql, -1, out, NULL) != SQLITE_OK)
        return mfab_ledger__fail(ledger, "cannot prepare a query", diag);
    return 0;
}

/* see ledger_internal.h */
int
mfab_ledger__prepare_cached(mfab_ledger *ledger, sqlite3_stmt **out,
                            enum mfab_ledger_stmt slot, const char *sql,
                            mfab_diag *diag)
{
    sqlite3_stmt *st = ledger->cached[slot];

    if (st != NULL) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        *out = st;
        return 0;
    }
    if (sqlite3_prepare_v3(ledger->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                           &st, NULL) != SQLITE_OK)
        return mfab_ledger__fail(ledger, "cannot prepare a query", diag);
    ledger->cached[slot] = st;
    *out = st;
    return 0;
}

/* see ledger_internal.h */
int
mfab_ledger__exec(mfab_ledger *ledger, const char *sql, mfab_diag *diag)
{
    if (sqlite3_exec(ledger->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return mfab_ledger__fail(ledger, sql, diag);
    return 0;
}

/* see ledger_internal.h */
int
mfab_ledger__exec_cached(mfab_ledger *ledger, enum mfab_ledger_stmt slot,
                         const char *sql, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc = mfab_ledger__prepare_cached(ledger, &st, slot, sql, diag);

    if (rc < 0)
        return rc;
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = mfab_ledger__fail(ledger, sql, diag);
    sqlite3_reset(st);
    return rc;
}

/* see ledger_internal.h */
int
mfab_ledger__bind_text(sqlite3_stmt *st, int col, const char *s)
{
    if (s == NULL)
        return sqlite3_bind_null(st, col);
    return sqlite3_bind_text(st, col, s, -1, SQLITE_TRANSIENT);
}

static int
schema_version(mfab_ledger *ledger, int *out, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc;

    rc = mfab_ledger__prepare(
        ledger, &st, "SELECT value FROM meta WHERE key = 'schema_version'",
        diag);
    if (rc < 0)
        return rc;
    *out = 0;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    else if (rc != SQLITE_DONE)
        rc = mfab_ledger__fail(ledger, "cannot read the schema version", diag);
    sqlite3_finalize(st);
    return rc < 0 ? rc : 0;
}

static int
ensure_schema(mfab_ledger *ledger, mfab_diag *diag)
{
    int rc, version = 0;

    rc = mfab_ledger__exec(ledger, "BEGIN IMMEDIATE", diag);
    if (rc < 0)
        return rc;
    if (sqlite3_exec(ledger->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
        rc = mfab_ledger__fail(ledger, "cannot create the schema", diag);
        goto out;
    }
    rc = schema_version(ledger, &version, diag);
    if (rc < 0)
        goto out;
    if (version > LEDGER_SCHEMA_VERSION) {
        rc = mfab_diag_set(diag, MFAB_EDB,
                           "ledger '%s': schema version %d is newer than this "
                           "matterfab understands (%d)",
                           ledger->path, version, LEDGER_SCHEMA_VERSION);
        goto out;
    }
    if (version == 0)
        rc = mfab_ledger__exec(ledger,
                               "INSERT INTO meta (key, value) "
                               "VALUES ('schema_version', '2')",
                               diag);
    else if (version == 1)
        rc = mfab_ledger__migrate_v1(ledger, diag);
out:
    if (rc < 0) {
        sqlite3_exec(ledger->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    return mfab_ledger__exec(ledger, "COMMIT", diag);
}

/* The ledger holds passcodes: create it private before SQLite opens it. */
static int
create_private(const char *path, mfab_diag *diag)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

    if (fd < 0)
        return mfab_diag_set(diag, MFAB_EDB, "cannot create ledger '%s'",
                             path);
    close(fd);
    return 0;
}

/* see matterfab/ledger.h */
int
mfab_ledger_open(mfab_ledger **out, const char *path, mfab_diag *diag)
{
    mfab_ledger *ledger = NULL;
    int rc;

    *out = NULL;
    rc = create_private(path, diag);
    if (rc < 0)
        return rc;
    ledger = calloc(1, sizeof(*ledger));
    if (ledger == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    ledger->path = strdup(path);
    if (ledger->path == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    if (sqlite3_open_v2(path, &ledger->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
                        NULL) != SQLITE_OK) {
        rc = mfab_ledger__fail(ledger, "cannot open", diag);
        goto out;
    }
    sqlite3_busy_timeout(ledger->db, 10000);
    rc = mfab_ledger__exec(ledger,
                           "PRAGMA journal_mode = WAL;"
                           "PRAGMA synchronous = FULL;"
                           "PRAGMA foreign_keys = ON;"
                           "PRAGMA temp_store = MEMORY;",
                           diag);
    if (rc < 0)
        goto out;
    rc = ensure_schema(ledger, diag);
out:
    if (rc < 0) {
        mfab_ledger_free(ledger);
        return rc;
    }
    *out = ledger;
    return 0;
}

/* see matterfab/ledger.h */
void
mfab_ledger_free(mfab_ledger *ledger)
{
    int i;

    if (ledger == NULL)
        return;
    mfab_ledger_group_rollback(ledger);
    for (i = 0; i < MFAB_LEDGER_ST_COUNT; i++)
        sqlite3_finalize(ledger->cached[i]);
    sqlite3_close(ledger->db);
    free(ledger->set_buf);
    free(ledger->path);
    free(ledger);
}

/* see matterfab/ledger.h */
const char *
mfab_ledger_batch_status_name(mfab_ledger_batch_status status)
{
    switch (status) {
    case MFAB_LEDGER_BATCH_RUNNING: return "running";
    case MFAB_LEDGER_BATCH_COMPLETE: return "complete";
    case MFAB_LEDGER_BATCH_FAILED: return "failed";
    case MFAB_LEDGER_BATCH_INTERRUPTED: return "interrupted";
    }
    return "unknown";
}

/* see matterfab/ledger.h */
const char *
mfab_ledger_problem_name(mfab_ledger_problem problem)
{
    switch (problem) {
    case MFAB_LEDGER_MISSING: return "missing";
    case MFAB_LEDGER_ALTERED: return "altered";
    case MFAB_LEDGER_ORPHAN: return "orphan";
    }
    return "unknown";
}
