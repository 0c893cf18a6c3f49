/*
 * nvs_mfg.c: mfg_gen.py's config and values files (shared/spec/nvs.md
 * sections 14.2-14.4).
 *
 *   config.csv (no header)          values.csv
 *     app,namespace,                  id,serial,mac
 *     serial,data,string              1,SN1,a0b1c2
 *     mac,data,hex2bin,REPEAT         2,SN2,a0b1c3
 *
 * Config data keys must be values columns, in the same relative order.
 * REPEAT takes the first device's value for every device. Both files are
 * parsed once into field pointers, so everything after is linear in the
 * number of rows with no further allocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/csv.h"
#include "matterfab/io.h"
#include "matterfab/nvs_mfg.h"

#define MAX_CONFIG_FIELDS 8
#define MAX_VALUE_COLUMNS 1024
#define ID_MAX MFAB_NVS_MFG_ID_MAX

typedef struct cfg_line {
    mfab_csv_field f[4]; /* name/key, type, encoding, (REPEAT) */
    int is_ns;
    int repeat;
    size_t col; /* values column of a data key */
    unsigned long line;
} cfg_line;

struct mfab_nvs_mfg {
    uint8_t *cfg_text, *val_text;
    size_t cfg_len, val_len;
    cfg_line *cfg;
    size_t ncfg;
    size_t ncols;               /* values header width */
    mfab_csv_field *vals;       /* nrows x ncols; row 0 is the header */
    unsigned long *lines;       /* line of each values row */
    size_t nrows;               /* device rows (header excluded) */
    const mfab_csv_field **ids; /* --fileid values, or NULL */
};

/* The reference drops blank and whitespace-only lines before parsing. */
static int
blank_record(const mfab_csv_field *f, size_t n)
{
    size_t i;

    if (n != 1)
        return n == 0;
    for (i = 0; i < f[0].len; i++)
        if (f[0].str[i] != ' ' && f[0].str[i] != '\t')
            return 0;
    return 1;
}

static int
is(const mfab_csv_field *f, const char *s)
{
    return strcmp(f->str, s) == 0;
}

static int
allowed_encoding(const char *enc)
{
    /* mfg_gen's list plus i16, which it omits by mistake (e12) */
    static const char *const ok[] = {"string", "binary", "hex2bin", "u8",
                                     "i8",     "u16",    "i16",     "u32",
                                     "i32",    "u64",    "i64",     "base64"};
    size_t i;

    for (i = 0; i < MFAB_ARRAY_SIZE(ok); i++)
        if (strcmp(enc, ok[i]) == 0)
            return 1;
    return 0;
}

static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
    void *q;
    size_t ncap = *cap ? *cap : 16;

    if (need <= *cap)
        return 0;
    while (ncap < need)
        ncap *= 2;
    q = realloc(*p, ncap * elem);
    if (q == NULL)
        return MFAB_ENOMEM;
    *p = q;
    *cap = ncap;
    return 0;
}

static int
parse_config(mfab_nvs_mfg *m, const char *path, mfab_diag *diag)
{
    mfab_csv_field f[MAX_CONFIG_FIELDS];
    mfab_csv_reader r;
    unsigned long line = 0;
    size_t n, cap = 0, i;
    int rc;

    mfab_csv_reader_init(&r, (char *)m->cfg_text, m->cfg_len, 0, path);
    for (;;) {
        cfg_line *c;

        rc = mfab_csv_next(&r, f, MFAB_ARRAY_SIZE(f), &n, &line, diag);
        if (rc <= 0)
            return rc;
        if (blank_record(f, n))
            continue;
        if (grow((void **)&m->cfg, &cap, m->ncfg + 1, sizeof(*m->cfg)) < 0)
            return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        c = &m->cfg[m->ncfg];
        memset(c, 0, sizeof(*c));
        for (i = 0; i < n; i++)
            if (is(&f[i], "namespace"))
                c->is_ns = 1;
        c->line = line;
        c->repeat = n == 4 && is(&f[3], "REPEAT");
        if (!c->is_ns && n != 3 && !c->repeat)
            return mfab_diag_set_at(diag, MFAB_EINVAL, path, line,
                                    "data missing: %zu fields (format "
                                    "needed: key,type,encoding or "
                                    "key,type,encoding,REPEAT)",
                                    n);
        for (i = 0; i < n && i < 4; i++)
            c->f[i] = f[i];
        for (; i < 4; i++) {
            c->f[i].str = "";
            c->f[i].len = 0;
        }
        if (!c->is_ns && !is(&c->f[1], "data") && !is(&c->f[1], "file"))
            return mfab_diag_set_at(diag, MFAB_EINVAL, path, line,
                                    "key '%s': invalid type '%s' (allowed "
                                    "namespace, data, file)",
                                    c->f[0].str, c->f[1].str);
        if (!c->is_ns && !allowed_encoding(c->f[2].str))
            return mfab_diag_set_at(diag, MFAB_EINVAL, path, line,
                                    "key '%s': invalid encoding '%s' "
                                    "(allowed string, binary, hex2bin, "
                                    "base64, u8, i8, u16, i16, u32, i32, "
                                    "u64, i64)",
                                    c->f[0].str, c->f[2].str);
        m->ncfg++;
    }
}

static int
parse_values(mfab_nvs_mfg *m, const char *path, mfab_diag *diag)
{
    mfab_csv_field *f = NULL;
    mfab_csv_reader r;
    unsigned long line = 0;
    size_t n, cap = 0, lcap = 0, rows = 0;
    int rc;

    f = malloc(MAX_VALUE_COLUMNS * sizeof(*f));
    if (f == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    mfab_csv_reader_init(&r, (char *)m->val_text, m->val_len, 0, path);
    for (;;) {
        rc = mfab_csv_next(&r, f, MAX_VALUE_COLUMNS, &n, &line, diag);
        if (rc <= 0)
            break;
        if (blank_record(f, n))
            continue;
        if (rows == 0) {
            m->ncols = n;
        } else if (n != m->ncols) {
            rc = mfab_diag_set_at(diag, MFAB_EINVAL, path, line,
                                  "%zu values but the header has %zu keys", n,
                                  m->ncols);
            break;
        }
        if (grow((void **)&m->vals, &cap, (rows + 1) * m->ncols,
                 sizeof(*m->vals)) < 0 ||
            grow((void **)&m->lines, &lcap, rows + 1, sizeof(*m->lines)) < 0) {
            rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
            break;
        }
        memcpy(m->vals + rows * m->ncols, f, n * sizeof(*f));
        m->lines[rows] = line;
        rows++;
    }
    free(f);
    if (rc == 0 && rows == 0)
        rc = mfab_diag_set_at(diag, MFAB_EINVAL, path, 0,
                              "no header row (expected the key names)");
    m->nrows = rows > 0 ? rows - 1 : 0;
    return rc;
}

static const mfab_csv_field *
cell(const mfab_nvs_mfg *m, size_t row, size_t col)
{
    return &m->vals[row * m->ncols + col];
}

/* Map config keys to columns: in order as mfg_gen does (spec 14.3), or
 * by name wherever they stand (esp-matter-mfg-tool's --mcsv). */
static int
match_columns(mfab_nvs_mfg *m, const char *cfg_path, const char *val_path,
              unsigned flags, mfab_diag *diag)
{
    int by_name = (flags & MFAB_NVS_MFG_COLUMNS_BY_NAME) != 0;
    size_t i, next = 0;

    for (i = 0; i < m->ncfg; i++) {
        cfg_line *c = &m->cfg[i];
        size_t k;

        if (c->is_ns)
            continue;
        for (k = by_name ? 0 : next; k < m->ncols; k++)
            if (strcmp(cell(m, 0, k)->str, c->f[0].str) == 0)
                break;
        if (k == m->ncols && by_name)
            return mfab_diag_set_at(diag, MFAB_EINVAL, cfg_path, c->line,
                                    "key '%s' is not a column of '%s'",
                                    c->f[0].str, val_path);
        if (k == m->ncols)
            return mfab_diag_set_at(
                diag, MFAB_EINVAL, cfg_path, c->line,
                "key '%s' is not a column of '%s' after the previous key's "
                "column (config keys must be values columns, in the same "
                "order)",
                c->f[0].str, val_path);
        c->col = k;
        next = k + 1;
    }
    return 0;
}

/* Device i's value of column col, after REPEAT substitution. */
static const mfab_csv_field *
value_of(const mfab_nvs_mfg *m, size_t i, const cfg_line *c)
{
    return cell(m, c->repeat ? 1 : i + 1, c->col);
}

typedef struct id_ref {
    const mfab_csv_field *v;
    size_t row;
} id_ref;

static int
cmp_ids(const void *a, const void *b)
{
    const id_ref *x = a, *y = b;
    int c = strcmp(x->v->str, y->v->str);

    /* equal ids: keep row order so the message names the later row */
    if (c == 0)
        c = x->row < y->row ? -1 : 1;
    return c;
}

static int
make_ids(mfab_nvs_mfg *m, const char *fileid, const char *val_path,
         mfab_diag *diag)
{
    id_ref *sorted = NULL;
    size_t i, j, col;
    int rc = 0;

    if (fileid == NULL)
        return 0;
    for (col = 0; col < m->ncols; col++)
        if (strcmp(cell(m, 0, col)->str, fileid) == 0)
            break;
    if (col == m->ncols)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "option '--fileid': '%s' is not a column of "
                             "'%s'",
                             fileid, val_path);
    m->ids = calloc(m->nrows + 1, sizeof(*m->ids));
    sorted = calloc(m->nrows + 1, sizeof(*sorted));
    if (m->ids == NULL || sorted == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; i < m->nrows; i++) {
        const mfab_csv_field *v = cell(m, i + 1, col);

        /* a REPEAT column repeats the first device's value */
        for (j = 0; j < m->ncfg; j++)
            if (!m->cfg[j].is_ns && m->cfg[j].col == col && m->cfg[j].repeat)
                v = cell(m, 1, col);
        if (v->len == 0 || v->len > ID_MAX || strchr(v->str, '/') != NULL ||
            strcmp(v->str, ".") == 0 || strcmp(v->str, "..") == 0) {
            rc = mfab_diag_set_at(diag, MFAB_EINVAL, val_path, m->lines[i + 1],
                                  "column '%s': value '%.*s' cannot name "
                                  "output files (needs 1..%d bytes, no '/')",
                                  fileid, (int)(v->len < 64 ? v->len : 64),
                                  v->str, ID_MAX);
            goto out;
        }
        m->ids[i] = v;
        sorted[i].v = v;
        sorted[i].row = i;
    }
    /* sort, not pairwise compare: stays fast for large batches */
    qsort(sorted, m->nrows, sizeof(*sorted), cmp_ids);
    for (i = 1; i < m->nrows; i++) {
        if (strcmp(sorted[i - 1].v->str, sorted[i].v->str) != 0)
            continue;
        j = sorted[i].row;
        rc = mfab_diag_set_at(diag, MFAB_EEXISTS, val_path, m->lines[j + 1],
                              "column '%s': device id '%s' already used on "
                              "line %lu (output files would collide)",
                              fileid, sorted[i].v->str,
                              m->lines[sorted[i - 1].row + 1]);
        goto out;
    }
out:
    free(sorted);
    return rc;
}

static int
read_csv_file(uint8_t **out, size_t *out_len, const char *path,
              const char *what, mfab_diag *diag)
{
    size_t len = strlen(path);
    int rc;

    if (len < 4 || strcmp(path + len - 4, ".csv") != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s file '%s' does not have the .csv extension",
                             what, path);
    rc = mfab_file_read(out, out_len, path, diag);
    if (rc < 0)
        return rc;
    if (*out_len == 0)
        return mfab_diag_set(diag, MFAB_EINVAL, "%s file '%s' is empty", what,
                             path);
    return 0;
}

/* see matterfab/nvs_mfg.h */
int
mfab_nvs_mfg_new(mfab_nvs_mfg **out, const char *config_path,
                 const char *values_path, const char *fileid, mfab_diag *diag)
{
    return mfab_nvs_mfg_new_ex(out, config_path, values_path, fileid, 0,
                               diag);
}

/* see matterfab/nvs_mfg.h */
int
mfab_nvs_mfg_new_ex(mfab_nvs_mfg **out, const char *config_path,
                    const char *values_path, const char *fileid,
                    unsigned flags, mfab_diag *diag)
{
    mfab_nvs_mfg *m = NULL;
    int rc;

    *out = NULL;
    m = calloc(1, sizeof(*m));
    if (m == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    rc = read_csv_file(&m->cfg_text, &m->cfg_len, config_path, "config", diag);
    if (rc < 0)
        goto out;
    rc = read_csv_file(&m->val_text, &m->val_len, values_path, "values", diag);
    if (rc < 0)
        goto out;
    rc = parse_config(m, config_path, diag);
    if (rc < 0)
        goto out;
    rc = parse_values(m, values_path, diag);
    if (rc < 0)
        goto out;
    rc = match_columns(m, config_path, values_path, flags, diag);
    if (rc < 0)
        goto out;
    rc = make_ids(m, fileid, values_path, diag);
    if (rc < 0)
        goto out;
    *out = m;
    m = NULL;
out:
    mfab_nvs_mfg_free(m);
    return rc;
}

/* see matterfab/nvs_mfg.h */
size_t
mfab_nvs_mfg_count(const mfab_nvs_mfg *m)
{
    return m->nrows;
}

/* see matterfab/nvs_mfg.h */
int
mfab_nvs_mfg_id(char *buf, size_t cap, const mfab_nvs_mfg *m, size_t i)
{
    int n;

    if (i >= m->nrows)
        return MFAB_EINVAL;
    if (m->ids != NULL)
        n = snprintf(buf, cap, "%s", m->ids[i]->str);
    else
        n = snprintf(buf, cap, "%zu", i + 1);
    return n < 0 || (size_t)n >= cap ? MFAB_EBUFS : 0;
}

/* see matterfab/nvs_mfg.h */
unsigned long
mfab_nvs_mfg_line(const mfab_nvs_mfg *m, size_t i)
{
    return i < m->nrows ? m->lines[i + 1] : 0;
}

/* see matterfab/nvs_mfg.h */
int
mfab_nvs_mfg_csv(char *buf, size_t cap, size_t *out_len, const mfab_nvs_mfg *m,
                 size_t i)
{
    static const mfab_csv_field header[4] = {
        {"key", 3}, {"type", 4}, {"encoding", 8}, {"value", 5}};
    mfab_csv_field row[4];
    size_t pos = 0, k;

    mfab_csv_write_record(buf, cap, &pos, header, 4);
    for (k = 0; k < m->ncfg; k++) {
        const cfg_line *c = &m->cfg[k];

        row[0] = c->f[0];
        if (c->is_ns) {
            row[1].str = "namespace";
            row[1].len = 9;
            row[2].str = "";
            row[2].len = 0;
            row[3] = row[2];
        } else {
            row[1] = c->f[1];
            row[2] = c->f[2];
            row[3] = *value_of(m, i, c);
        }
        mfab_csv_write_record(buf, cap, &pos, row, 4);
    }
    *out_len = pos;
    if (buf == NULL)
        return 0;
    if (pos >= cap)
        return MFAB_EBUFS;
    buf[pos] = '\0';
    return 0;
}

/* see matterfab/nvs_mfg.h */
void
mfab_nvs_mfg_free(mfab_nvs_mfg *m)
{
    if (m == NULL)
        return;
    mfab_file_free(m->cfg_text, m->cfg_len);
    mfab_file_free(m->val_text, m->val_len);
    free(m->cfg);
    free(m->vals);
    free(m->lines);
    free(m->ids);
    free(m);
}
