/*
 * mfg_plan.c: everything generate checks and loads before the first
 * device (spec 6.3, 6.5 up to "decide device directory names"): options,
 * PKI and CD, --csv/--mcsv with every device's values converted once, the
 * key template, the inputs' SHA-256 for the ledger.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/csv.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"
#include "matterfab/nvs.h"
#include "matterfab/pki.h"
#include "mfg/mfg_internal.h"

int mfab_mfg__abspath(char *out, size_t cap, const char *path);

/* see mfg_template.c: Python os.path.abspath */
int
mfab_mfg__abspath(char *out, size_t cap, const char *path)
{
    char buf[MFG_PATH_MAX], cwd[MFG_PATH_MAX];
    char *parts[512], *tok, *slash;
    size_t n = 0, i, used = 0;

    if (path[0] == '/') {
        snprintf(buf, sizeof(buf), "%s", path);
    } else {
        if (getcwd(cwd, sizeof(cwd)) == NULL)
            return -1;
        if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", cwd, path) >=
            sizeof(buf))
            return -1;
    }
    for (tok = buf; tok != NULL; tok = slash ? slash + 1 : NULL) {
        slash = strchr(tok, '/');
        if (slash != NULL)
            *slash = '\0';
        if (tok[0] == '\0' || strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            if (n > 0)
                n--;
            continue;
        }
        if (n == MFAB_ARRAY_SIZE(parts))
            return -1;
        parts[n++] = tok;
    }
    if (n == 0)
        return snprintf(out, cap, "/") >= (int)cap ? -1 : 0;
    for (i = 0; i < n; i++) {
        int w = snprintf(out + used, cap - used, "/%s", parts[i]);
        if (w < 0 || (size_t)w >= cap - used)
            return -1;
        used += (size_t)w;
    }
    return 0;
}

/* Python os.path.relpath(path) against the current folder (Q7). */
static int
relpath(char **out, const char *path)
{
    char a[MFG_PATH_MAX], c[MFG_PATH_MAX], res[MFG_PATH_MAX];
    size_t common = 0, i, used = 0;

    if (mfab_mfg__abspath(a, sizeof(a), path) < 0 ||
        mfab_mfg__abspath(c, sizeof(c), ".") < 0)
        return -1;
    if (strcmp(c, "/") == 0)
        c[0] = '\0';
    /* common leading folders */
    for (i = 0; a[i] != '\0' && a[i] == c[i]; i++)
        if (a[i] == '/')
            common = i;
    if (c[i] == '\0' && (a[i] == '/' || a[i] == '\0'))
        common = i;
    res[0] = '\0';
    for (i = common; c[i] != '\0'; i++)
        if (c[i] == '/')
            used += (size_t)snprintf(res + used, sizeof(res) - used, "../");
    snprintf(res + used, sizeof(res) - used, "%s",
             a[common] == '/' ? a + common + 1 : a + common);
    used = strlen(res);
    if (used > 0 && res[used - 1] == '/')
        res[used - 1] = '\0';
    *out = strdup(res[0] ? res : ".");
    return *out == NULL ? -1 : 0;
}

static int
load_seed(mfab_mfg_plan *p, mfab_diag *diag)
{
    size_t len = strlen(p->o.seed), n = 0;

    if (len < 32 || len > 128 ||
        mfab_hex_decode(p->seed, sizeof(p->seed), &n, p->o.seed, len, NULL) < 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--seed '%s': needs 32..128 hex digits",
                             p->o.seed);
    p->seed_len = n;
    p->seeded = 1;
    return 0;
}

/* Convert every device's --mcsv values once, so a bad cell stops the
 * batch before any device is made (file:line in the message). */
static int
check_user_values(mfab_mfg_plan *p, mfab_diag *diag)
{
    uint8_t *image = NULL, *scratch = NULL;
    char *text = NULL;
    size_t cap = 0, i, k;
    mfab_nvs_writer w;
    int rc = 0;

    image = malloc(p->size);
    scratch = malloc(p->size + 8);
    if (image == NULL || scratch == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    for (i = 0; rc == 0 && i < p->count; i++) {
        mfab_csv_field f[8];
        mfab_csv_reader r;
        unsigned long line;
        size_t n, len = 0, row = 0;

        mfab_nvs_mfg_csv(NULL, 0, &len, p->user, i);
        if (len + 1 > cap) {
            char *t = realloc(text, len + 1);
            if (t == NULL) {
                rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
                break;
            }
            text = t;
            cap = len + 1;
        }
        if (len > p->user_text_max)
            p->user_text_max = len;
        mfab_nvs_mfg_csv(text, cap, &len, p->user, i);
        rc = mfab_nvs_writer_init(&w, image, p->size, p->size, 2, diag);
        mfab_csv_reader_init(&r, text, len, 0, p->o.mcsv);
        while (rc == 0) {
            rc = mfab_csv_next(&r, f, MFAB_ARRAY_SIZE(f), &n, &line, diag);
            if (rc <= 0)
                break;
            rc = 0;
            if (line == 1 || n < 4 || strcmp(f[1].str, "namespace") == 0)
                continue;
            if (row == 0)
                rc = mfab_nvs_writer_namespace(&w, "chip-factory", diag);
            row++;
            if (rc == 0 && strcmp(f[1].str, "file") == 0) {
                if (!mfab_path_exists(f[3].str))
                    rc = mfab_diag_set(diag, MFAB_ENOTFOUND, "no file '%s'",
                                       f[3].str);
                continue;
            }
            if (rc == 0)
                rc = mfab_nvs_writer_add_encoded(
                    &w, f[0].str, f[2].str, (const uint8_t *)f[3].str, f[3].len,
                    0, scratch, p->size + 8, diag);
        }
        if (rc < 0) {
            mfab_diag why = *diag;
            mfab_diag_init(diag);
            rc = mfab_diag_set_at(diag, rc, p->o.mcsv,
                                  mfab_nvs_mfg_line(p->user, i), "%s",
                                  mfab_diag_message(&why));
        }
        (void)k;
    }
out:
    free(image);
    free(scratch);
    if (text != NULL)
        OPENSSL_cleanse(text, cap);
    free(text);
    return rc;
}

static int
load_user(mfab_mfg_plan *p, mfab_diag *diag)
{
    int rc = mfab_nvs_mfg_new_ex(&p->user, p->o.csv, p->o.mcsv, NULL,
                                 MFAB_NVS_MFG_COLUMNS_BY_NAME, diag);

    if (rc < 0)
        return rc;
    p->count = mfab_nvs_mfg_count(p->user);
    if (p->count != 1 && (p->o.has_discriminator || p->o.has_passcode ||
                          p->o.dac_cert != NULL || p->o.serial_num != NULL ||
                          p->o.rd_id_uid != NULL || p->o.salt != NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Number of partitions should be 1 when "
                             "discriminator or passcode or DAC or serial "
                             "number or rotating device id or salt or "
                             "verifier is present ('%s' has %llu devices)",
                             p->o.mcsv, (unsigned long long)p->count);
    return check_user_values(p, diag);
}

static int
is_dir(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
hash_input(char **json, size_t *used, size_t *cap, const char *path,
           mfab_diag *diag)
{
    uint8_t sha[32];
    char hex[65], abs[MFG_PATH_MAX];
    uint64_t size;
    size_t need;
    int rc;

    /* a folder (--verify-paa DIR) is not an input file of its own */
    if (path == NULL || mfab_pki_is_pkcs11_uri(path) || is_dir(path))
        return 0;
    rc = mfab_file_sha256(sha, &size, path, diag);
    if (rc < 0)
        return rc;
    mfab_hex_encode(hex, sha, sizeof(sha));
    if (mfab_mfg__abspath(abs, sizeof(abs), path) < 0)
        snprintf(abs, sizeof(abs), "%s", path);
    need = *used + strlen(abs) * 2 + 80;
    if (need > *cap) {
        char *j = realloc(*json, need * 2);
        if (j == NULL)
            return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        *json = j;
        *cap = need * 2;
    }
    *used += (size_t)snprintf(*json + *used, *cap - *used, "%s\"",
                              *used > 1 ? "," : "");
    for (const char *s = abs; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\')
            (*json)[(*used)++] = '\\';
        (*json)[(*used)++] = *s;
    }
    *used += (size_t)snprintf(*json + *used, *cap - *used, "\":\"%s\"", hex);
    return 0;
}

static int
inputs_json(mfab_mfg_plan *p, mfab_diag *diag)
{
    const mfab_mfg_options *o = &p->o;
    const char *paths[] = {o->cert,       o->key,      o->cert_dclrn,
                           o->cd_cert,    o->dac_cert, o->dac_key,
                           o->verify_paa, o->csv,      o->mcsv};
    size_t used = 1, cap = 256, i;
    int rc = 0;

    p->inputs_json = malloc(cap);
    if (p->inputs_json == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    p->inputs_json[0] = '{';
    for (i = 0; rc == 0 && i < MFAB_ARRAY_SIZE(paths); i++)
        rc = hash_input(&p->inputs_json, &used, &cap, paths[i], diag);
    for (i = 0; rc == 0 && p->scin != NULL && i < p->count; i++)
        rc = hash_input(&p->inputs_json, &used, &cap, p->scin[i].path, diag);
    if (rc == 0) {
        p->inputs_json[used++] = '}';
        p->inputs_json[used] = '\0';
    }
    return rc;
}

/* see matterfab/mfg.h */
int
mfab_mfg_plan_new(mfab_mfg_plan **out, const mfab_mfg_options *opts,
                  mfab_diag *diag)
{
    mfab_mfg_plan *p = calloc(1, sizeof(*p));
    size_t n = 0;
    int rc;

    *out = NULL;
    if (p == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    p->o = *opts;
    rc = mfab_mfg__check_options(&p->o, diag);
    if (rc < 0)
        goto out;
    p->vid = (uint16_t)p->o.vid;
    p->pid = (uint16_t)p->o.pid;
    p->iterations = (uint32_t)p->o.iterations;
    p->lifetime = (uint32_t)p->o.lifetime;
    p->count = p->o.count > 0 ? (uint64_t)p->o.count : 0;
    if (p->o.size <= 0 || p->o.size > 64 * 1024 * 1024 ||
        mfab_nvs_check_size((size_t)p->o.size, diag) < 0) {
        mfab_diag_init(diag);
        rc = mfab_diag_set(diag, MFAB_EINVAL,
                           "-s 0x%llx: partition size must be a multiple of "
                           "4096, at least 4096 and at most 64 MiB",
                           (unsigned long long)p->o.size);
        goto out;
    }
    p->size = (size_t)p->o.size;
    if (p->o.seed != NULL) {
        rc = load_seed(p, diag);
        if (rc < 0)
            goto out;
    }
    if (p->o.salt != NULL)
        mfab_base64_decode(p->salt, sizeof(p->salt), &p->salt_len, p->o.salt,
                           strlen(p->o.salt), NULL);
    if (mfab_mfg__abspath(p->outdir, sizeof(p->outdir),
                          p->o.outdir ? p->o.outdir : "out") < 0) {
        rc = mfab_diag_set(diag, MFAB_EINVAL, "--outdir: path too long");
        goto out;
    }
    snprintf(p->product_name, sizeof(p->product_name), "%x_%x", p->vid, p->pid);
    if ((size_t)snprintf(p->product, sizeof(p->product), "%s/%s", p->outdir,
                         p->product_name) >= sizeof(p->product) - 200) {
        rc = mfab_diag_set(diag, MFAB_EINVAL, "--outdir: path too long");
        goto out;
    }
    if (p->o.mcsv != NULL) {
        rc = load_user(p, diag);
        if (rc < 0)
            goto out;
    }
    rc = mfab_mfg__load_pki(p, diag);
    if (rc < 0)
        goto out;
    if (p->cd != NULL && relpath(&p->cd_display, p->o.cert_dclrn) < 0) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    p->sc_dac = p->sc_write = p->o.dac_in_secure_cert;
    p->sc_comm = p->o.commissionable_in_secure_cert;
    p->sc_rd = p->o.rd_id_uid_in_secure_cert;
    rc = mfab_mfg__load_verify(p, diag);
    if (rc == 0)
        rc = mfab_mfg__load_scin(p, diag);
    if (rc == 0 && p->scin != NULL && p->user != NULL &&
        mfab_nvs_mfg_count(p->user) != p->count)
        rc = mfab_diag_set(diag, MFAB_EINVAL,
                           "'%s' has %llu devices and --secure-cert-in %llu "
                           "images: one row per image",
                           p->o.mcsv,
                           (unsigned long long)mfab_nvs_mfg_count(p->user),
                           (unsigned long long)p->count);
    if (rc == 0)
        rc = mfab_mfg__template_build(p, diag);
    if (rc == 0)
        rc = inputs_json(p, diag);
    if (rc < 0)
        goto out;
    for (n = 0; n < p->t.n; n++)
        p->csv_cap += 64 + 2 * strlen(p->t.items[n].key) +
                      (p->t.items[n].text ? 2 * strlen(p->t.items[n].text) : 0);
    p->csv_cap += 4 * MFG_PATH_MAX + 1024 + 2 * p->user_text_max;
    *out = p;
    p = NULL;
out:
    mfab_mfg_plan_free(p);
    return rc;
}

/* see matterfab/mfg.h */
void
mfab_mfg_plan_free(mfab_mfg_plan *plan)
{
    if (plan == NULL)
        return;
    mfab_mfg__release_pki(plan);
    mfab_mfg__release_verify(plan);
    mfab_mfg__release_scin(plan);
    mfab_mfg__template_release(&plan->t);
    mfab_nvs_mfg_free(plan->user);
    mfab_file_free(plan->cd, plan->cd_len);
    free(plan->cd_display);
    free(plan->inputs_json);
    OPENSSL_cleanse(plan, sizeof(*plan));
    free(plan);
}

/* see matterfab/mfg.h */
uint64_t
mfab_mfg_plan_count(const mfab_mfg_plan *plan)
{
    return plan->count;
}

/* see matterfab/mfg.h */
const char *
mfab_mfg_plan_product_dir(const mfab_mfg_plan *plan)
{
    return plan->product;
}

/* see matterfab/mfg.h */
const char *
mfab_mfg_plan_inputs_json(const mfab_mfg_plan *plan)
{
    return plan->inputs_json;
}
