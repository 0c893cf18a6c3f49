/*
 * ledger_check.c: re-hash every recorded file and find files the ledger
 * does not know (ledger check).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "ledger/ledger_internal.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"

typedef void (*problem_fn)(void *ctx, mfab_ledger_problem problem,
                           const char *path);

typedef struct check_state {
    mfab_ledger *ledger;
    problem_fn fn;
    void *ctx;
    uint64_t problems;
    sqlite3_stmt *known; /* is (outdir, path) recorded? */
    struct stat db[4];   /* the ledger and its -wal, -shm, -journal */
    int n_db;
} check_state;

static void
report(check_state *s, mfab_ledger_problem problem, const char *path)
{
    s->problems++;
    if (s->fn != NULL)
        s->fn(s->ctx, problem, path);
}

static int
check_recorded(check_state *s, int64_t batch_id, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    char path[4096], hex[65];
    int rc, step;

    rc = mfab_ledger__prepare(s->ledger, &st,
                              "SELECT b.outdir, f.path, f.sha256, f.size "
                              "FROM file f JOIN batch b ON b.id = f.batch_id "
                              "WHERE ? = 0 OR f.batch_id = ? "
                              "ORDER BY f.batch_id, f.path",
                              diag);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, batch_id);
    sqlite3_bind_int64(st, 2, batch_id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *outdir = (const char *)sqlite3_column_text(st, 0);
        const char *rel = (const char *)sqlite3_column_text(st, 1);
        const char *want = (const char *)sqlite3_column_text(st, 2);
        uint64_t want_size = (uint64_t)sqlite3_column_int64(st, 3);
        uint8_t digest[32];
        uint64_t size = 0;
        mfab_diag local = MFAB_DIAG_INIT;

        if (mfab_path_join(path, sizeof(path), outdir, rel) != 0) {
            rc = mfab_diag_set(diag, MFAB_EIO, "ledger: path too long: '%s'",
                               rel);
            break;
        }
        rc = mfab_file_sha256(digest, &size, path, &local);
        if (rc == MFAB_ENOTFOUND) {
            report(s, MFAB_LEDGER_MISSING, path);
            rc = 0;
            continue;
        }
        if (rc < 0) {
            mfab_diag_set(diag, rc, "%s", local.message);
            break;
        }
        mfab_hex_encode(hex, digest, sizeof(digest));
        if (size != want_size || want == NULL || strcmp(hex, want) != 0)
            report(s, MFAB_LEDGER_ALTERED, path);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = mfab_ledger__fail(s->ledger, "cannot list files", diag);
    sqlite3_finalize(st);
    return rc;
}

static int
is_ledger_file(const check_state *s, const struct stat *st)
{
    int i;

    for (i = 0; i < s->n_db; i++)
        if (s->db[i].st_dev == st->st_dev && s->db[i].st_ino == st->st_ino)
            return 1;
    return 0;
}

static int
is_known(check_state *s, const char *outdir, const char *rel, int *out,
         mfab_diag *diag)
{
    int step;

    sqlite3_reset(s->known);
    mfab_ledger__bind_text(s->known, 1, outdir);
    mfab_ledger__bind_text(s->known, 2, rel);
    step = sqlite3_step(s->known);
    if (step != SQLITE_ROW && step != SQLITE_DONE)
        return mfab_ledger__fail(s->ledger, "cannot look up a file", diag);
    *out = step == SQLITE_ROW;
    return 0;
}

/* Walk outdir/rel recursively; rel is "" at the top. */
static int
walk(check_state *s, const char *outdir, const char *rel, int depth,
     mfab_diag *diag)
{
    char dirpath[4096], child_rel[4096], child[4096];
    struct dirent *e;
    DIR *d;
    int rc = 0;

    if (depth > 32)
        return mfab_diag_set(diag, MFAB_EIO, "ledger: '%s' nests too deep",
                             outdir);
    if (mfab_path_join(dirpath, sizeof(dirpath), outdir, rel) != 0)
        return mfab_diag_set(diag, MFAB_EIO, "ledger: path too long");
    d = opendir(dirpath);
    if (d == NULL) {
        if (errno == ENOENT && depth == 0)
            return 0; /* every recorded file is reported missing already */
        return mfab_diag_set(diag, MFAB_EIO, "ledger: cannot read folder "
                             "'%s': %s", dirpath, strerror(errno));
    }
    while (rc == 0 && (e = readdir(d)) != NULL) {
        struct stat st;
        int known = 0;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (mfab_path_join(child_rel, sizeof(child_rel), rel, e->d_name) != 0 ||
            mfab_path_join(child, sizeof(child), outdir, child_rel) != 0) {
            rc = mfab_diag_set(diag, MFAB_EIO, "ledger: path too long");
            break;
        }
        if (lstat(child, &st) != 0)
            continue; /* vanished while walking */
        if (S_ISDIR(st.st_mode)) {
            rc = walk(s, outdir, child_rel, depth + 1, diag);
            continue;
        }
        if (is_ledger_file(s, &st))
            continue;
        rc = is_known(s, outdir, child_rel, &known, diag);
        if (rc == 0 && !known)
            report(s, MFAB_LEDGER_ORPHAN, child);
    }
    closedir(d);
    return rc;
}

static int
check_orphans(check_state *s, int64_t batch_id, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc, step;

    rc = mfab_ledger__prepare(s->ledger, &s->known,
                              "SELECT 1 FROM file f JOIN batch b "
                              "ON b.id = f.batch_id "
                              "WHERE b.outdir = ? AND f.path = ? LIMIT 1",
                              diag);
    if (rc < 0)
        return rc;
    rc = mfab_ledger__prepare(s->ledger, &st,
                              "SELECT DISTINCT outdir FROM batch "
                              "WHERE ? = 0 OR id = ? ORDER BY outdir",
                              diag);
    if (rc < 0)
        goto out;
    sqlite3_bind_int64(st, 1, batch_id);
    sqlite3_bind_int64(st, 2, batch_id);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        /* copy: walking runs other queries on the connection */
        char outdir[4096];

        snprintf(outdir, sizeof(outdir), "%s",
                 (const char *)sqlite3_column_text(st, 0));
        rc = walk(s, outdir, "", 0, diag);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = mfab_ledger__fail(s->ledger, "cannot list batch folders", diag);
out:
    sqlite3_finalize(st);
    sqlite3_finalize(s->known);
    s->known = NULL;
    return rc;
}

/* see matterfab/ledger.h */
int
mfab_ledger_check(mfab_ledger *ledger, int64_t batch_id,
                  uint64_t *out_problems, problem_fn fn, void *ctx,
                  mfab_diag *diag)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    check_state s;
    size_t i;
    int rc;

    memset(&s, 0, sizeof(s));
    s.ledger = ledger;
    s.fn = fn;
    s.ctx = ctx;
    *out_problems = 0;
    for (i = 0; i < MFAB_ARRAY_SIZE(suffixes); i++) {
        char p[4200];

        snprintf(p, sizeof(p), "%s%s", ledger->path, suffixes[i]);
        if (stat(p, &s.db[s.n_db]) == 0)
            s.n_db++;
    }
    if (batch_id > 0) {
        rc = mfab_ledger__batch_exists(ledger, batch_id, diag);
        if (rc < 0)
            return rc;
    }
    rc = check_recorded(&s, batch_id, diag);
    if (rc == 0)
        rc = check_orphans(&s, batch_id, diag);
    *out_problems = s.problems;
    return rc;
}
