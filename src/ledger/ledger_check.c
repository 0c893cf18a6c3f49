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
    sqlite3_stmt *known; /* the file_set rows of (folder, outdir) */
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

/* Re-hash outdir/dir/<name> of one line of a file_set row. */
static int
check_line(check_state *s, const char *outdir, const char *dir,
           const mfab_ledger_line *line, mfab_diag *diag)
{
    char name[4096], rel[4096], path[4096], hex[65];
    mfab_diag local = MFAB_DIAG_INIT;
    uint8_t digest[32];
    uint64_t size = 0;
    int rc;

    if (line->name_len >= sizeof(name) ||
        (memcpy(name, line->name, line->name_len),
         name[line->name_len] = '\0',
         mfab_path_join(rel, sizeof(rel), dir, name) != 0) ||
        mfab_path_join(path, sizeof(path), outdir, rel) != 0)
        return mfab_diag_set(diag, MFAB_EIO, "ledger: path too long in '%s'",
                             dir);
    rc = mfab_file_sha256(digest, &size, path, &local);
    if (rc == MFAB_ENOTFOUND) {
        report(s, MFAB_LEDGER_MISSING, path);
        return 0;
    }
    if (rc < 0)
        return mfab_diag_set(diag, rc, "%s", local.message);
    mfab_hex_encode(hex, digest, sizeof(digest));
    if (size != line->size || memcmp(hex, line->sha256_hex, 64) != 0)
        report(s, MFAB_LEDGER_ALTERED, path);
    return 0;
}

static int
malformed(check_state *s, int64_t row, const char *files, const char *at,
          mfab_diag *diag)
{
    return mfab_diag_set(diag, MFAB_EDB,
                         "ledger '%s': file_set row %lld: line at byte %zu is "
                         "not '<sha256 hex> <size> <name>'",
                         s->ledger->path, (long long)row,
                         (size_t)(at - files));
}

static int
check_recorded(check_state *s, int64_t batch_id, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc, step;

    rc = mfab_ledger__prepare(s->ledger, &st,
                              "SELECT b.outdir, f.dir, f.files, f.id "
                              "FROM file_set f JOIN batch b "
                              "ON b.id = f.batch_id "
                              "WHERE ? = 0 OR f.batch_id = ? "
                              /* rowid order: no sort of the ledger */
                              "ORDER BY f.id",
                              diag);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, batch_id);
    sqlite3_bind_int64(st, 2, batch_id);
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *outdir = (const char *)sqlite3_column_text(st, 0);
        const char *dir = (const char *)sqlite3_column_text(st, 1);
        const char *files = (const char *)sqlite3_column_text(st, 2);
        const char *cur = files;
        mfab_ledger_line line;
        int got;

        while ((got = mfab_ledger__set_next(&cur, &line)) == 1 && rc == 0)
            rc = check_line(s, outdir, dir, &line, diag);
        if (rc == 0 && got < 0)
            rc = malformed(s, sqlite3_column_int64(st, 3), files, cur, diag);
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

/*
 * The names recorded by the file_set rows of one folder, for the walk
 * below it: a file is known when its own folder or an ancestor names it.
 * Only the folders on the current path are loaded at a time.
 */
typedef struct known_level {
    const struct known_level *up;
    size_t dir_len; /* names are relative to the first dir_len bytes */
    char **names;   /* sorted, pointing into texts */
    size_t n, cap;
    char **texts;
    size_t n_texts;
} known_level;

static void
level_free(known_level *l)
{
    size_t i;

    for (i = 0; i < l->n_texts; i++)
        free(l->texts[i]);
    free(l->texts);
    free(l->names);
}

static int
cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Keep one row's text and its names (NUL-terminated in place). */
static int
level_add(check_state *s, known_level *l, const char *files, int64_t row,
          mfab_diag *diag)
{
    char **t, *text = strdup(files);
    const char *cur = text;
    mfab_ledger_line line;
    int got;

    t = text ? realloc(l->texts, (l->n_texts + 1) * sizeof(*t)) : NULL;
    if (t == NULL) {
        free(text);
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    }
    l->texts = t;
    l->texts[l->n_texts++] = text;
    while ((got = mfab_ledger__set_next(&cur, &line)) == 1) {
        if (l->n == l->cap) {
            size_t cap = l->cap ? 2 * l->cap : 16;
            char **v = realloc(l->names, cap * sizeof(*v));

            if (v == NULL)
                return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
            l->names = v;
            l->cap = cap;
        }
        /* the parser is past this line: its newline can end the name */
        l->names[l->n] = (char *)line.name;
        l->names[l->n++][line.name_len] = '\0';
    }
    if (got < 0)
        return malformed(s, row, text, cur, diag);
    return 0;
}

static int
level_load(check_state *s, known_level *l, const char *outdir,
           const char *rel, mfab_diag *diag)
{
    int rc = 0, step;

    sqlite3_reset(s->known);
    mfab_ledger__bind_text(s->known, 1, rel);
    mfab_ledger__bind_text(s->known, 2, outdir);
    while (rc == 0 && (step = sqlite3_step(s->known)) == SQLITE_ROW)
        rc = level_add(s, l,
                       (const char *)sqlite3_column_text(s->known, 0),
                       sqlite3_column_int64(s->known, 1), diag);
    if (rc == 0 && step != SQLITE_DONE)
        rc = mfab_ledger__fail(s->ledger, "cannot look up files", diag);
    sqlite3_reset(s->known);
    if (rc == 0 && l->n > 1)
        qsort(l->names, l->n, sizeof(*l->names), cmp_name);
    return rc;
}

static int
is_known(const known_level *l, const char *rel)
{
    for (; l != NULL; l = l->up) {
        const char *name = rel + (l->dir_len > 0 ? l->dir_len + 1 : 0);

        if (l->n > 0 && bsearch(&name, l->names, l->n, sizeof(*l->names),
                                cmp_name) != NULL)
            return 1;
    }
    return 0;
}

/* Walk outdir/rel recursively; rel is "" at the top. */
static int
walk(check_state *s, const char *outdir, const char *rel, int depth,
     const known_level *up, mfab_diag *diag)
{
    known_level here = { up, strlen(rel), NULL, 0, 0, NULL, 0 };
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
    rc = level_load(s, &here, outdir, rel, diag);
    while (rc == 0 && (e = readdir(d)) != NULL) {
        struct stat st;

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
            rc = walk(s, outdir, child_rel, depth + 1, &here, diag);
            continue;
        }
        if (is_ledger_file(s, &st))
            continue;
        if (!is_known(&here, child_rel))
            report(s, MFAB_LEDGER_ORPHAN, child);
    }
    closedir(d);
    level_free(&here);
    return rc;
}

static int
check_orphans(check_state *s, int64_t batch_id, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc, step;

    rc = mfab_ledger__prepare(s->ledger, &s->known,
                              "SELECT f.files, f.id FROM file_set f "
                              "JOIN batch b ON b.id = f.batch_id "
                              "WHERE f.dir = ? AND b.outdir = ?",
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
        rc = walk(s, outdir, "", 0, NULL, diag);
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
