/*
 * nvs_csv.c: the CSV front end of nvs_partition_gen "generate"
 * (shared/spec/nvs.md sections 10 and 11; quirks Q2, Q9, Q10, Q11, Q16,
 * Q19, Q20, Q22).
 *
 * Input (after '#' lines are dropped):
 *
 *   key,type,encoding,value          header, columns in any order
 *   <name>,namespace,,               declares/selects a namespace
 *   <key>,data,<encoding>,<text>     inline value
 *   <key>,file,<encoding>,<path>     value read from a file
 *
 * Rows are handed to the mfab_nvs_writer in order; every error is
 * reported as "<csv>:<line>: key '<k>': what (allowed ...)".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "common/common_internal.h"
#include "matterfab/csv.h"
#include "matterfab/io.h"
#include "nvs/nvs_internal.h"

#define MAX_FIELDS 64
#define WIFI_VALUE_MAX 256

enum { COL_KEY, COL_TYPE, COL_ENCODING, COL_VALUE, NCOLS };
static const char *const col_names[NCOLS] = {"key", "type", "encoding",
                                             "value"};

enum { AP_SSID, AP_PASSWD, AP_AUTHMODE, NAP };
static const char *const ap_keys[NAP] = {"ap.ssid", "ap.passwd", "ap.authmode"};

typedef struct gen_ctx {
    mfab_nvs_writer w;
    const mfab_nvs_options *opts;
    uint8_t *scratch; /* decoded blob values; sized to the partition */
    size_t scratch_cap;
    int sta_done;
    struct {
        char v[WIFI_VALUE_MAX + 1];
        size_t len;
        int set;
    } ap[NAP];
    /* where we are, for messages and forwarded warnings */
    const char *name;
    unsigned long line;
    mfab_diag *outer;
} gen_ctx;

/* Warnings from the writer get the row's location prepended. */
static void
forward_warning(void *arg, const char *message)
{
    gen_ctx *c = arg;

    mfab_diag_warn(c->outer, "%s:%lu: %s", c->name, c->line, message);
}

/* Wi-Fi station extras, once per run (spec 10.7). */
static int
add_sta_extras(gen_ctx *c, mfab_diag *d)
{
    uint8_t apinfo[140], zeros[32];
    int rc;

    memset(apinfo, 0xff, sizeof(apinfo));
    memset(zeros, 0, sizeof(zeros));
    rc = mfab_nvs_writer_add_blob(&c->w, "sta.apinfo", apinfo, sizeof(apinfo),
                                  d);
    if (rc == 0)
        rc = mfab_nvs_writer_add_blob(&c->w, "sta.pmk", zeros, 32, d);
    if (rc == 0)
        rc = mfab_nvs_writer_add_blob(&c->w, "sta.apsw", zeros, 2, d);
    return rc;
}

/* ap.pmk_info = 100 zero bytes + PBKDF2-HMAC-SHA1(passwd, ssid, 4096). */
static int
add_ap_pmk(gen_ctx *c, mfab_diag *d)
{
    uint8_t info[132];
    int rc;

    memset(info, 0, sizeof(info));
    if (PKCS5_PBKDF2_HMAC(c->ap[AP_PASSWD].v, (int)c->ap[AP_PASSWD].len,
                          (const unsigned char *)c->ap[AP_SSID].v,
                          (int)c->ap[AP_SSID].len, 4096, EVP_sha1(), 32,
                          info + 100) != 1)
        return mfab_diag_set_ossl(d, MFAB_ECRYPTO,
                                  "cannot derive the ap.pmk_info PMK");
    rc = mfab_nvs_writer_add_blob(&c->w, "ap.pmk_info", info, sizeof(info), d);
    OPENSSL_cleanse(info, sizeof(info));
    return rc;
}

/* Remember ap.* values; 1 when the set is complete after this row. */
static int
note_ap(gen_ctx *c, const char *key, const char *val, size_t len, mfab_diag *d,
        int *out_complete)
{
    size_t i;

    *out_complete = 0;
    for (i = 0; i < NAP; i++)
        if (strcmp(key, ap_keys[i]) == 0)
            break;
    if (i == NAP)
        return 0;
    if (!(i == AP_AUTHMODE && strcmp(val, "0") == 0)) {
        if (len > WIFI_VALUE_MAX)
            return mfab_diag_set(d, MFAB_ERANGE,
                                 "key '%s': value of %zu bytes too long "
                                 "(max %d)",
                                 key, len, WIFI_VALUE_MAX);
        memcpy(c->ap[i].v, val, len);
        c->ap[i].v[len] = '\0';
        c->ap[i].len = len;
        c->ap[i].set = 1;
    }
    *out_complete =
        c->ap[AP_SSID].set && c->ap[AP_PASSWD].set && c->ap[AP_AUTHMODE].set;
    return 0;
}

static int
read_value_file(gen_ctx *c, uint8_t **out, size_t *out_len, const char *key,
                const char *path, mfab_diag *d)
{
    char full[4096];
    const char *p = path;
    int rc;

    if (path[0] != '/' && c->opts->base_dir != NULL) {
        rc = mfab_path_join(full, sizeof(full), c->opts->base_dir, path);
        if (rc < 0)
            return mfab_diag_set(
                d, MFAB_EINVAL, "key '%s': file path '%s' too long", key, path);
        p = full;
    }
    rc = mfab_file_read(out, out_len, p, NULL);
    if (rc == MFAB_ENOTFOUND)
        return mfab_diag_set(d, rc, "key '%s': file '%s' not found", key, path);
    if (rc < 0)
        return mfab_diag_set(d, rc, "key '%s': cannot read file '%s'", key,
                             path);
    return 0;
}

/* One data row (spec 10.2 steps 2, 3, 5). */
static int
data_row(gen_ctx *c, const char *key, const char *type, const char *enc,
         const mfab_csv_field *value, mfab_diag *d)
{
    uint8_t *file = NULL;
    size_t file_len = 0;
    const uint8_t *val = (const uint8_t *)value->str;
    size_t len = value->len;
    int sta = strcmp(key, "sta.ssid") == 0 || strcmp(key, "sta.pswd") == 0;
    int ap_complete = 0, from_file = 0, rc;

    rc = note_ap(c, key, value->str, value->len, d, &ap_complete);
    if (rc < 0)
        goto out;
    /* sta.* values are used literally even for type 'file' (Q10) */
    if (strcmp(type, "file") == 0 && !sta) {
        rc = read_value_file(c, &file, &file_len, key, value->str, d);
        if (rc < 0)
            goto out;
        val = file;
        len = file_len;
        from_file = 1;
    } else if (strcmp(type, "data") != 0 && strcmp(type, "file") != 0) {
        mfab_diag_warn(d,
                       "key '%s': unknown type '%s' treated as 'data' "
                       "(allowed namespace, data, file)",
                       key, type);
    }
    if (ap_complete) {
        rc = add_ap_pmk(c, d);
        if (rc < 0)
            goto out;
    }
    rc = mfab_nvs_writer_add_encoded(&c->w, key, enc, val, len, from_file,
                                     c->scratch, c->scratch_cap, d);
    if (rc < 0)
        goto out;
    if (sta && !c->sta_done) {
        c->sta_done = 1;
        rc = add_sta_extras(c, d);
    }
out:
    mfab_file_free(file, file_len);
    return rc;
}

static int
process_row(gen_ctx *c, const int cols[NCOLS], const mfab_csv_field *f,
            size_t n, mfab_diag *d)
{
    const mfab_csv_field *v[NCOLS];
    size_t i;

    for (i = 0; i < NCOLS; i++) {
        if (cols[i] < 0)
            return mfab_diag_set(d, MFAB_EINVAL,
                                 "header has no column '%s' (needs key, "
                                 "type, encoding, value)",
                                 col_names[i]);
        v[i] = (size_t)cols[i] < n ? &f[cols[i]] : NULL;
    }
    if (v[COL_KEY] == NULL || v[COL_TYPE] == NULL)
        return mfab_diag_set(d, MFAB_EINVAL,
                             "row has %zu fields, needs at least key and "
                             "type",
                             n);
    if (strcmp(v[COL_TYPE]->str, "namespace") == 0)
        return mfab_nvs_writer_namespace(&c->w, v[COL_KEY]->str, d);
    if (v[COL_KEY]->len > MFAB_NVS_KEY_MAX)
        return mfab_diag_set(d, MFAB_EINVAL, "key '%s' is %zu bytes (max %u)",
                             v[COL_KEY]->str, v[COL_KEY]->len,
                             MFAB_NVS_KEY_MAX);
    if (v[COL_ENCODING] == NULL || v[COL_VALUE] == NULL)
        return mfab_diag_set(
            d, MFAB_EINVAL, "key '%s': row has %zu fields, the header %s",
            v[COL_KEY]->str, n, "needs encoding and value too");
    return data_row(c, v[COL_KEY]->str, v[COL_TYPE]->str, v[COL_ENCODING]->str,
                    v[COL_VALUE], d);
}

/* Parse one CSV text into the image (the header of each file counts). */
static int
process_text(gen_ctx *c, char *text, size_t len, const char *name)
{
    mfab_csv_field f[MAX_FIELDS];
    mfab_csv_reader r;
    mfab_diag local;
    int cols[NCOLS] = {-1, -1, -1, -1};
    int have_header = 0, rc;
    size_t n, i, k;

    mfab_csv_reader_init(&r, text, len, MFAB_CSV_HASH_COMMENTS, name);
    c->name = name;
    for (;;) {
        rc = mfab_csv_next(&r, f, MFAB_ARRAY_SIZE(f), &n, &c->line, c->outer);
        if (rc <= 0)
            return rc;
        if (!have_header) {
            /* a repeated column name: the last one wins, as in
             * Python's DictReader */
            for (i = 0; i < n; i++)
                for (k = 0; k < NCOLS; k++)
                    if (strcmp(f[i].str, col_names[k]) == 0)
                        cols[k] = (int)i;
            have_header = 1;
            continue;
        }
        mfab_diag_init(&local);
        local.warn = forward_warning;
        local.warn_ctx = c;
        rc = process_row(c, cols, f, n, &local);
        if (rc >= 0)
            continue;
        /* name the row's key when the failing layer could not */
        if (cols[COL_KEY] >= 0 && (size_t)cols[COL_KEY] < n &&
            strncmp(local.message, "key '", 5) != 0)
            return mfab_diag_set_at(c->outer, rc, name, c->line, "key '%s': %s",
                                    f[cols[COL_KEY]].str, local.message);
        return mfab_diag_set_at(c->outer, rc, name, c->line, "%s",
                                local.message);
    }
}

static int
ctx_new(gen_ctx **out, uint8_t *buf, size_t cap, const mfab_nvs_options *opts,
        mfab_diag *diag)
{
    gen_ctx *c = NULL;
    int rc;

    *out = NULL;
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    c->opts = opts;
    c->outer = diag;
    rc = mfab_nvs_writer_init(&c->w, buf, cap, opts->size, opts->version, diag);
    if (rc < 0)
        goto out;
    c->scratch_cap = opts->size + 8;
    c->scratch = malloc(c->scratch_cap);
    if (c->scratch == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    *out = c;
    c = NULL;
out:
    if (c != NULL)
        free(c->scratch);
    free(c);
    return rc;
}

static void
ctx_free(gen_ctx *c)
{
    if (c == NULL)
        return;
    /* values may be secrets (Wi-Fi passwords, factory keys) */
    OPENSSL_cleanse(c->scratch, c->scratch_cap);
    OPENSSL_cleanse(c->ap, sizeof(c->ap));
    free(c->scratch);
    free(c);
}

static int
check_args(uint8_t *buf, size_t cap, size_t *out_len,
           const mfab_nvs_options *opts, mfab_diag *diag)
{
    int rc;

    *out_len = 0;
    if (opts == NULL)
        return mfab_diag_set(diag, MFAB_EINVAL, "no NVS options given");
    rc = mfab_nvs_check_size(opts->size, diag);
    if (rc < 0)
        return rc;
    *out_len = opts->size;
    if (buf == NULL)
        return 0;
    if (cap < opts->size)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "image buffer of %zu bytes too small for "
                             "partition size 0x%zx",
                             cap, opts->size);
    return 1;
}

/* see matterfab/nvs.h */
int
mfab_nvs_generate_text(uint8_t *buf, size_t cap, size_t *out_len, char *text,
                       size_t len, const char *name,
                       const mfab_nvs_options *opts, mfab_diag *diag)
{
    gen_ctx *c = NULL;
    int rc;

    rc = check_args(buf, cap, out_len, opts, diag);
    if (rc <= 0)
        return rc;
    rc = ctx_new(&c, buf, cap, opts, diag);
    if (rc < 0)
        goto out;
    rc = process_text(c, text, len, name != NULL ? name : "csv");
    if (rc < 0)
        goto out;
    mfab_nvs_writer_finish(&c->w, out_len);
out:
    ctx_free(c);
    return rc;
}

/* see matterfab/nvs.h */
int
mfab_nvs_generate_csv(uint8_t *buf, size_t cap, size_t *out_len,
                      const char *const *csv_paths, size_t n_paths,
                      const mfab_nvs_options *opts, mfab_diag *diag)
{
    gen_ctx *c = NULL;
    uint8_t *text = NULL;
    size_t text_len = 0, i;
    int rc;

    rc = check_args(buf, cap, out_len, opts, diag);
    if (rc <= 0)
        return rc;
    rc = ctx_new(&c, buf, cap, opts, diag);
    if (rc < 0)
        goto out;
    for (i = 0; i < n_paths; i++) {
        rc = mfab_file_read(&text, &text_len, csv_paths[i], diag);
        if (rc < 0)
            goto out;
        rc = process_text(c, (char *)text, text_len, csv_paths[i]);
        mfab_file_free(text, text_len);
        text = NULL;
        if (rc < 0)
            goto out;
    }
    mfab_nvs_writer_finish(&c->w, out_len);
out:
    ctx_free(c);
    return rc;
}
