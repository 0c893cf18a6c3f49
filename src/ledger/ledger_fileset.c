/*
 * ledger_fileset.c: the files of one commit as one file_set row.
 *
 * A row holds the deepest folder that contains every path of the commit
 * (relative to the batch's outdir, "" for the top) and one line per file,
 * "<sha256 hex> <size> <name>\n", name relative to that folder. One row
 * per device instead of one per file keeps the per-device cost to a
 * single B-tree insert, and the text stays readable with the sqlite3
 * shell. Paths are checked strictly because the format relies on them:
 * a newline would split a line, and "..", "." or empty parts would let
 * two spellings name one file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "ledger/ledger_internal.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"

#define PATH_RULES                                                             \
    "paths are relative to the batch folder, without empty, '.' or '..' "      \
    "parts"

static int
check_path(const mfab_ledger_file *f, size_t i, mfab_diag *diag)
{
    const char *p = f->path, *part;
    size_t k;

    if (p == NULL || p[0] == '\0')
        return mfab_diag_set(diag, MFAB_EINVAL, "ledger: file %zu has no path",
                             i);
    /* before anything prints the path: it must not break a message */
    for (k = 0; p[k] != '\0'; k++)
        if ((unsigned char)p[k] < 0x20 || p[k] == 0x7f)
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "ledger: file %zu's path has a control "
                                 "character (0x%02x at byte %zu); paths may "
                                 "not contain control characters",
                                 i, (unsigned)(unsigned char)p[k], k);
    if (p[0] == '/')
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ledger: file path '%s' is absolute; " PATH_RULES,
                             p);
    for (part = p;; part += k + 1) {
        k = strcspn(part, "/");
        if (k == 0 || (k == 1 && part[0] == '.') ||
            (k == 2 && part[0] == '.' && part[1] == '.'))
            return mfab_diag_set(
                diag, MFAB_EINVAL,
                "ledger: file path '%s' is not allowed; " PATH_RULES, p);
        if (part[k] == '\0')
            break;
    }
    if (f->size > INT64_MAX)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ledger: file '%s' has a bad size", p);
    return 0;
}

static int
cmp_path(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Paths are canonical once checked, so equal strings are the one file. */
static int
check_unique(mfab_ledger *ledger, const mfab_ledger_file *files, size_t n,
             mfab_diag *diag)
{
    const char *small[32], **v = small;
    size_t i;
    int rc = 0;

    if (n > MFAB_ARRAY_SIZE(small)) {
        v = malloc(n * sizeof(*v));
        if (v == NULL)
            return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    }
    for (i = 0; i < n; i++)
        v[i] = files[i].path;
    qsort(v, n, sizeof(*v), cmp_path);
    for (i = 1; i < n && rc == 0; i++)
        if (strcmp(v[i - 1], v[i]) == 0)
            rc = mfab_diag_set(diag, MFAB_EEXISTS,
                               "ledger '%s': file '%s' is recorded twice",
                               ledger->path, v[i]);
    if (v != small)
        free(v);
    return rc;
}

/* Length of the deepest folder that holds every path (0: the top). */
static size_t
common_dir(const mfab_ledger_file *files, size_t n)
{
    const char *first = files[0].path, *slash = strrchr(first, '/');
    size_t len = slash != NULL ? (size_t)(slash - first) : 0, i;

    for (i = 1; i < n && len > 0; i++) {
        const char *p = files[i].path;

        while (len > 0 && (strncmp(p, first, len) != 0 || p[len] != '/'))
            while (len > 0 && first[--len] != '/')
                ;
    }
    return len;
}

/* see ledger_internal.h */
int
mfab_ledger__set_next(const char **cursor, mfab_ledger_line *out)
{
    const char *p = *cursor, *end;
    uint64_t size = 0;
    size_t k;

    if (*p == '\0')
        return 0;
    for (k = 0; k < 64; k++)
        if (!((p[k] >= '0' && p[k] <= '9') || (p[k] >= 'a' && p[k] <= 'f')))
            return MFAB_EDB;
    if (p[64] != ' ' || p[65] < '0' || p[65] > '9')
        return MFAB_EDB;
    out->sha256_hex = p;
    for (p += 65; *p >= '0' && *p <= '9'; p++) {
        if (size > (INT64_MAX - (uint64_t)(*p - '0')) / 10)
            return MFAB_EDB;
        size = size * 10 + (uint64_t)(*p - '0');
    }
    if (*p != ' ' || p[1] == '\n' || p[1] == '\0')
        return MFAB_EDB;
    end = strchr(++p, '\n');
    if (end == NULL)
        return MFAB_EDB;
    out->size = size;
    out->name = p;
    out->name_len = (size_t)(end - p);
    *cursor = end + 1;
    return 1;
}

/* Grow the handle's encoding buffer (kept: one commit per device). */
static int
reserve(mfab_ledger *ledger, size_t need, mfab_diag *diag)
{
    char *p;

    if (need <= ledger->set_cap)
        return 0;
    p = realloc(ledger->set_buf, need);
    if (p == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    ledger->set_buf = p;
    ledger->set_cap = need;
    return 0;
}

static int
encode(mfab_ledger *ledger, const mfab_ledger_file *files, size_t n,
       size_t dir_len, size_t *out_len, mfab_diag *diag)
{
    size_t i, need = 1, skip = dir_len > 0 ? dir_len + 1 : 0, len = 0;
    int rc;

    for (i = 0; i < n; i++)
        need += 64 + 1 + 20 + 1 + strlen(files[i].path) - skip + 1;
    rc = reserve(ledger, need, diag);
    if (rc < 0)
        return rc;
    for (i = 0; i < n; i++) {
        char *o = ledger->set_buf + len;
        int w;

        mfab_hex_encode(o, files[i].sha256, sizeof(files[i].sha256));
        w = snprintf(o + 64, need - len - 64, " %llu %s\n",
                     (unsigned long long)files[i].size, files[i].path + skip);
        len += 64 + (size_t)w;
    }
    *out_len = len;
    return 0;
}

/* Is batch/path in a row already? Only rows whose folder is an
 * ancestor-or-self of the path's folder can name it. */
static int
recorded(mfab_ledger *ledger, int64_t batch_id, const char *path,
         mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    size_t dir_len = 0;
    int rc, step = SQLITE_DONE, found = 0;

    rc = mfab_ledger__prepare(ledger, &st,
                              "SELECT files FROM file_set "
                              "WHERE dir = ? AND batch_id = ?",
                              diag);
    if (rc < 0)
        return rc;
    for (;;) {
        const char *name = path + (dir_len > 0 ? dir_len + 1 : 0);
        const char *slash;

        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, path, (int)dir_len, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, batch_id);
        while (!found && (step = sqlite3_step(st)) == SQLITE_ROW) {
            const char *cur = (const char *)sqlite3_column_text(st, 0);
            mfab_ledger_line line;

            while (cur != NULL && mfab_ledger__set_next(&cur, &line) == 1)
                if (line.name_len == strlen(name) &&
                    memcmp(line.name, name, line.name_len) == 0)
                    found = 1;
        }
        if (!found && step != SQLITE_DONE) {
            rc = mfab_ledger__fail(ledger, "cannot look up a file", diag);
            break;
        }
        slash = strchr(name, '/');
        if (found || slash == NULL)
            break;
        dir_len = (size_t)(slash - path);
    }
    sqlite3_finalize(st);
    if (rc == 0 && found)
        rc = mfab_diag_set(diag, MFAB_EEXISTS,
                           "ledger '%s': file '%s' is already recorded in "
                           "batch %lld",
                           ledger->path, path, (long long)batch_id);
    return rc;
}

/* see ledger_internal.h */
int
mfab_ledger__insert_set(mfab_ledger *ledger, int64_t batch_id,
                        int64_t device_id, const mfab_ledger_file *files,
                        size_t n, int probe, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    size_t i, dir_len, len = 0;
    int rc = 0;

    if (n == 0)
        return 0;
    for (i = 0; i < n && rc == 0; i++)
        rc = check_path(&files[i], i, diag);
    if (rc == 0)
        rc = check_unique(ledger, files, n, diag);
    for (i = 0; probe && i < n && rc == 0; i++)
        rc = recorded(ledger, batch_id, files[i].path, diag);
    if (rc < 0)
        return rc;
    dir_len = common_dir(files, n);
    rc = encode(ledger, files, n, dir_len, &len, diag);
    if (rc == 0)
        rc = mfab_ledger__prepare_cached(
            ledger, &st, MFAB_LEDGER_ST_INSERT_SET,
            "INSERT INTO file_set (batch_id, device_id, dir, files) "
            "VALUES (?, ?, ?, ?)",
            diag);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, batch_id);
    if (device_id > 0)
        sqlite3_bind_int64(st, 2, device_id);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_text(st, 3, files[0].path, (int)dir_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ledger->set_buf, (int)len, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = mfab_ledger__fail(ledger, "cannot record the files", diag);
    sqlite3_reset(st);
    return rc;
}
