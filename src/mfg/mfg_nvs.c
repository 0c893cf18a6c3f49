/*
 * mfg_nvs.c: one device's factory NVS image and its internal/partition.csv
 * (spec 5.2, 6.7), both from the plan's template in a single walk, so the
 * CSV always describes the image byte for byte: the image is what
 * nvs_partition_gen makes of the CSV (spec 7, NVS version 2).
 */
#include <stdio.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/csv.h"
#include "matterfab/io.h"
#include "matterfab/nvs.h"
#include "mfg/mfg_internal.h"

typedef struct user_row {
    const char *v;
    size_t len;
} user_row;

/* This device's --mcsv values, in --csv order. */
static int
user_values(const mfab_mfg_plan *p, mfg_device *d, user_row *rows,
            mfab_diag *diag)
{
    mfab_csv_field f[8];
    mfab_csv_reader r;
    unsigned long line;
    size_t n, len = 0, row = 0;
    int rc;

    if (p->user == NULL)
        return 0;
    rc = mfab_nvs_mfg_csv(d->user_text, p->user_text_max + 1, &len, p->user,
                          (size_t)d->index);
    if (rc < 0)
        return mfab_diag_set(diag, rc, "%s: device %llu: values too long",
                             p->o.mcsv, (unsigned long long)d->index);
    mfab_csv_reader_init(&r, d->user_text, len, 0, p->o.mcsv);
    for (;;) {
        rc = mfab_csv_next(&r, f, MFAB_ARRAY_SIZE(f), &n, &line, diag);
        if (rc <= 0)
            return rc;
        if (line == 1 || n < 4 || strcmp(f[1].str, "namespace") == 0)
            continue;
        if (row == MFG_USER_ROWS_MAX)
            return mfab_diag_set(diag, MFAB_ERANGE, "'%s': more than %d keys",
                                 p->o.csv, MFG_USER_ROWS_MAX);
        rows[row].v = f[3].str;
        rows[row].len = f[3].len;
        row++;
    }
}

static int
csv_row(const mfab_mfg_plan *p, mfg_device *d, const char *key,
        const char *type, const char *enc, const char *value, mfab_diag *diag)
{
    mfab_csv_field f[4];
    size_t pos = d->csv_len;

    f[0].str = key;
    f[1].str = type;
    f[2].str = enc;
    f[3].str = value;
    f[0].len = strlen(key);
    f[1].len = strlen(type);
    f[2].len = strlen(enc);
    f[3].len = strlen(value);
    if (mfab_csv_write_record(d->csv, p->csv_cap, &pos, f, 4) < 0)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "partition.csv of device %llu exceeds %zu bytes",
                             (unsigned long long)d->index, p->csv_cap);
    d->csv_len = pos;
    return 0;
}

/* A user 'file' row: the file's bytes (read per device; rare). */
static int
user_file(mfab_nvs_writer *w, const mfg_item *it, const char *path,
          mfab_diag *diag)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc = mfab_file_read(&buf, &len, path, diag);

    if (rc == 0)
        rc = mfab_nvs_writer_add_blob(w, it->key, buf, len, diag);
    mfab_file_free(buf, len);
    return rc;
}

/* see mfg_internal.h */
int
mfab_mfg__build_nvs(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    static user_row none[1];
    user_row rows[MFG_USER_ROWS_MAX];
    mfab_nvs_writer w;
    char num[16];
    size_t i;
    int rc;

    d->csv_len = 0;
    rc = p->user != NULL ? user_values(p, d, rows, diag) : 0;
    if (rc == 0)
        rc = mfab_nvs_writer_init(&w, d->image, p->size, p->size, 2, diag);
    if (rc == 0)
        rc = csv_row(p, d, "key", "type", "encoding", "value", diag);
    for (i = 0; rc == 0 && i < p->t.n; i++) {
        const mfg_item *it = &p->t.items[i];
        const char *text = "";
        const uint8_t *bin = NULL;
        size_t bin_len = 0;

        switch (it->src) {
        case MFG_SRC_NAMESPACE:
            rc = mfab_nvs_writer_namespace(&w, it->key, diag);
            if (rc == 0)
                rc = csv_row(p, d, it->key, "namespace", "", "", diag);
            continue;
        case MFG_SRC_TEXT: text = it->text; break;
        case MFG_SRC_FILE:
            text = it->text;
            bin = it->bin;
            bin_len = it->bin_len;
            break;
        case MFG_SRC_DISCRIMINATOR:
            snprintf(num, sizeof(num), "%u", d->discriminator);
            text = num;
            break;
        case MFG_SRC_SALT: text = d->salt_b64; break;
        case MFG_SRC_RD_ID_UID: text = d->rd_hex; break;
        case MFG_SRC_SERIAL: text = d->serial; break;
        case MFG_SRC_DAC_CERT:
            text = d->dac_paths[0];
            bin = d->dac_der;
            bin_len = d->dac_der_len;
            break;
        case MFG_SRC_DAC_KEY:
            text = d->dac_paths[1];
            bin = d->dac_priv;
            bin_len = sizeof(d->dac_priv);
            break;
        case MFG_SRC_DAC_PUB:
            text = d->dac_paths[2];
            bin = d->dac_pub;
            bin_len = sizeof(d->dac_pub);
            break;
        case MFG_SRC_VERIFIER: text = d->verifier_b64; break;
        case MFG_SRC_USER:
            text = (p->user ? rows : none)[it->user_row].v;
            if (text == NULL)
                text = "";
            break;
        }
        if (it->src == MFG_SRC_USER && strcmp(it->type, "file") == 0)
            rc = user_file(&w, it, text, diag);
        else if (bin != NULL)
            rc = mfab_nvs_writer_add_blob(&w, it->key, bin, bin_len, diag);
        else
            rc = mfab_nvs_writer_add_encoded(
                &w, it->key, it->enc, (const uint8_t *)text, strlen(text), 0,
                d->scratch, p->size + 8, diag);
        if (rc == 0)
            rc = csv_row(p, d, it->key, it->type, it->enc, text, diag);
    }
    if (rc == 0)
        mfab_nvs_writer_finish(&w, &d->image_len);
    return rc;
}
