/*
 * ledger_migrate.c: converting a version-1 ledger, which had one `file`
 * row per file, to file_set rows: one per batch, device and folder.
 *
 * It runs inside the schema transaction of mfab_ledger_open(), so a
 * ledger is converted whole or not at all. Rows go through the same
 * checks as new commits: a version-1 path the format cannot hold (a
 * newline, "..") stops the conversion rather than being mangled.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_internal.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"

typedef struct group {
    int64_t batch_id;
    int64_t device_id; /* 0: batch-level files */
    char *dir;
    mfab_ledger_file *files;
    size_t n, cap;
} group;

static void
group_clear(group *g)
{
    size_t i;

    for (i = 0; i < g->n; i++)
        free((char *)g->files[i].path);
    g->n = 0;
    free(g->dir);
    g->dir = NULL;
}

static int
group_flush(mfab_ledger *ledger, group *g, mfab_diag *diag)
{
    int rc = mfab_ledger__insert_set(ledger, g->batch_id, g->device_id,
                                     g->files, g->n, 0, diag);

    group_clear(g);
    return rc;
}

static int
group_add(group *g, const char *path, const char *hex, int64_t size)
{
    mfab_ledger_file *f;
    size_t len = 0;

    if (g->n == g->cap) {
        size_t cap = g->cap ? 2 * g->cap : 16;

        f = realloc(g->files, cap * sizeof(*f));
        if (f == NULL)
            return MFAB_ENOMEM;
        g->files = f;
        g->cap = cap;
    }
    f = &g->files[g->n];
    if (hex == NULL || size < 0 ||
        mfab_hex_decode(f->sha256, sizeof(f->sha256), &len, hex, strlen(hex),
                        NULL) != 0 ||
        len != sizeof(f->sha256))
        return MFAB_EFORMAT;
    f->size = (uint64_t)size;
    f->path = strdup(path);
    if (f->path == NULL)
        return MFAB_ENOMEM;
    g->n++;
    return 0;
}

static int
same_group(const group *g, int64_t batch_id, int64_t device_id, const char *dir)
{
    return g->dir != NULL && g->batch_id == batch_id &&
           g->device_id == device_id && strcmp(g->dir, dir) == 0;
}

/* Fill file_set from file; the caller's diag gets a MFAB_EDB message. */
static int
convert(mfab_ledger *ledger, sqlite3_stmt *st, group *g, mfab_diag *diag)
{
    int rc = 0, step;

    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t batch_id = sqlite3_column_int64(st, 0);
        int64_t device_id = sqlite3_column_int64(st, 1); /* NULL reads 0 */
        const char *path = (const char *)sqlite3_column_text(st, 2);
        const char *hex = (const char *)sqlite3_column_text(st, 3);
        const char *dir = (const char *)sqlite3_column_text(st, 5);

        if (path == NULL || dir == NULL)
            return mfab_diag_set(diag, MFAB_EDB, "a file row has no path");
        if (!same_group(g, batch_id, device_id, dir)) {
            if (g->n > 0)
                rc = group_flush(ledger, g, diag);
            if (rc < 0)
                return rc;
            g->batch_id = batch_id;
            g->device_id = device_id;
            g->dir = strdup(dir);
            if (g->dir == NULL)
                return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        }
        rc = group_add(g, path, hex, sqlite3_column_int64(st, 4));
        if (rc == MFAB_EFORMAT)
            return mfab_diag_set(diag, MFAB_EDB,
                                 "file '%s' has a bad SHA-256 or size", path);
        if (rc < 0)
            return mfab_diag_set(diag, rc, "out of memory");
    }
    if (rc == 0 && step != SQLITE_DONE)
        return mfab_ledger__fail(ledger, "cannot read file rows", diag);
    if (rc == 0 && g->n > 0)
        rc = group_flush(ledger, g, diag);
    return rc;
}

/* see ledger_internal.h */
int
mfab_ledger__migrate_v1(mfab_ledger *ledger, mfab_diag *diag)
{
    mfab_diag local = MFAB_DIAG_INIT;
    sqlite3_stmt *st = NULL;
    group g;
    int rc;

    memset(&g, 0, sizeof(g));
    /* rtrim(path, <path without '/'>) keeps the folder part and its
     * slash: ordering by it keeps each folder's rows together. device_id
     * first: SQLite walks file_device and sorts one device's rows at a
     * time (temp_store is memory), not the whole table. */
    rc = mfab_ledger__prepare(
        ledger, &st,
        "SELECT batch_id, device_id, path, sha256, size, "
        "rtrim(path, replace(path, '/', '')) AS folder FROM file "
        "ORDER BY device_id, batch_id, folder, path",
        &local);
    if (rc == 0)
        rc = convert(ledger, st, &g, &local);
    sqlite3_finalize(st);
    group_clear(&g);
    free(g.files);
    if (rc == 0)
        rc = mfab_ledger__exec(ledger,
                               "DROP INDEX IF EXISTS file_device;"
                               "DROP TABLE file;"
                               "UPDATE meta SET value = '2' "
                               "WHERE key = 'schema_version'",
                               &local);
    if (rc < 0)
        return mfab_diag_set(diag, MFAB_EDB,
                             "ledger '%s': cannot convert it from schema "
                             "version 1: %s",
                             ledger->path, local.message);
    return 0;
}
