/*
 * mfg_scin.c: generate --secure-cert-in, modules whose esp_secure_cert
 * partition is already flashed (issue 6). Every image is read and checked
 * before the first device is made: all entry CRCs, DAC and PAI present,
 * the chain to the PAA (--verify-paa) as a commissioner checks it, the
 * DAC's VID/PID against -v/-p, PRIV_KEY against the DAC, and the
 * MATTER_TLV_1 commissionable data (shared/spec/attestation.md 5.5).
 * Device i is image i in sorted path order; its NVS image then leaves out
 * what the secure cert holds.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/err.h>

#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "mfg/mfg_internal.h"

/* An esp_secure_cert partition is 8 KiB (24 KiB for the legacy layouts). */
#define SCIN_MAX (64u * 1024u)

typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list;

static int
push_path(path_list *l, const char *path, mfab_diag *diag)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof(*v));
        if (v == NULL)
            return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n] = strdup(path);
    if (l->v[l->n] == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    l->n++;
    return 0;
}

/* A folder gives its *.bin files; a file is itself. */
static int
expand(path_list *l, const char *arg, mfab_diag *diag)
{
    char path[MFG_PATH_MAX];
    struct dirent *e;
    struct stat st;
    size_t before = l->n;
    DIR *dir;
    int rc = 0;

    if (stat(arg, &st) != 0)
        return mfab_diag_set(diag, MFAB_ENOTFOUND,
                             "--secure-cert-in: no such file or folder '%s'",
                             arg);
    if (!S_ISDIR(st.st_mode))
        return push_path(l, arg, diag);
    dir = opendir(arg);
    if (dir == NULL)
        return mfab_diag_set(diag, MFAB_EIO,
                             "--secure-cert-in: cannot open folder '%s'", arg);
    while (rc == 0 && (e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (e->d_name[0] == '.' || len < 5 ||
            strcmp(e->d_name + len - 4, ".bin") != 0)
            continue;
        if (mfab_path_join(path, sizeof(path), arg, e->d_name) != 0)
            rc = mfab_diag_set(diag, MFAB_EINVAL, "path too long in '%s'", arg);
        else
            rc = push_path(l, path, diag);
    }
    closedir(dir);
    if (rc == 0 && l->n == before)
        rc = mfab_diag_set(diag, MFAB_ENOTFOUND,
                           "--secure-cert-in: no image (*.bin) in '%s'", arg);
    return rc;
}

static int
by_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every entry's CRC, as the firmware would meet them. */
static int
check_entries(const mfg_scin *s, mfab_diag *diag)
{
    mfab_securecert_reader r;
    mfab_securecert_entry e;
    mfab_diag why = MFAB_DIAG_INIT;
    unsigned n = 0;
    int rc;

    mfab_securecert_reader_init(&r, s->image, s->len);
    while ((rc = mfab_securecert_next(&r, &e, &why)) == 0) {
        if (!e.crc_ok)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "'%s': entry %u (%s/%u) at offset 0x%zx: CRC "
                                 "mismatch (stored 0x%08X)",
                                 s->path, n, mfab_securecert_type_name(e.type),
                                 e.subtype, e.offset, e.crc);
        n++;
    }
    if (rc != MFAB_ENOTFOUND)
        return mfab_diag_set(diag, MFAB_EFORMAT, "'%s': %s", s->path,
                             mfab_diag_message(&why));
    if (n == 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "'%s': not an esp_secure_cert image (no entry "
                             "at offset 0, magic 0xBA5EBA11 expected)",
                             s->path);
    return 0;
}

static int
find(mfab_securecert_entry *e, const mfg_scin *s, uint8_t type, int subtype)
{
    return mfab_securecert_find(e, s->image, s->len, type, subtype, NULL);
}

/* DAC and PAI: the chain to the PAA, VID/PID, PRIV_KEY, CN, ledger facts. */
static int
check_dac(const mfab_mfg_plan *p, mfg_scin *s, mfab_diag *diag)
{
    mfab_pki_validate_input v = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_securecert_entry dac, pai, key;
    mfab_pki_verdict verdict;
    mfab_pki_vidpid ids;
    mfab_diag why = MFAB_DIAG_INIT;
    EVP_PKEY *k = NULL;
    X509 *x = NULL;
    uint8_t point[65], sha[32];
    char cn[256];
    size_t n = 0;
    int rc;

    if (find(&dac, s, MFAB_SECURECERT_DEV_CERT, 0) < 0 ||
        find(&pai, s, MFAB_SECURECERT_CA_CERT, 0) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "'%s': no DEV_CERT/0 (DAC) and CA_CERT/0 (PAI) "
                             "entries",
                             s->path);
    s->dac = dac.data;
    s->dac_len = dac.len;
    v.dac = dac.data;
    v.dac_len = dac.len;
    v.pai = pai.data;
    v.pai_len = pai.len;
    v.paa = (const uint8_t *const *)p->verify_paa;
    v.paa_len = p->verify_paa_len;
    v.npaa = p->n_verify_paa;
    v.paa_x = p->verify_paa_x;
    v.now = time(NULL);
    rc = mfab_pki_validate(&verdict, &v, &why);
    if (rc == 0 && verdict.code != MFAB_ATT_OK)
        rc = mfab_diag_set(&why, MFAB_ECRYPTO, "%s(%d): %s",
                           mfab_pki_result_name(verdict.code), verdict.code,
                           verdict.detail);
    if (rc < 0)
        return mfab_diag_set(diag, rc,
                             "'%s': DAC chain to the PAA '%s' refused: %s",
                             s->path, p->o.verify_paa, mfab_diag_message(&why));
    rc = mfab_pki_cert_parse(&x, dac.data, dac.len, &why);
    if (rc == 0)
        rc = mfab_pki_cert_vidpid(&ids, x, &why);
    if (rc == 0 && (!ids.has_vid || !ids.has_pid || ids.vid != p->vid ||
                    ids.pid != p->pid))
        rc = mfab_diag_set(&why, MFAB_EINVAL,
                           "the DAC is for VID/PID %04X/%04X, not -v/-p "
                           "%04X/%04X",
                           ids.vid, ids.pid, p->vid, p->pid);
    if (rc == 0 && find(&key, s, MFAB_SECURECERT_PRIV_KEY, 0) == 0 &&
        key.len > 0) {
        rc = mfab_pki_key_parse(&k, key.data, key.len, "PRIV_KEY", NULL, &why);
        if (rc == 0)
            rc = mfab_pki_key_matches_cert(k, x, "DEV_CERT", &why);
        if (rc < 0)
            rc = mfab_diag_set(&why, rc, "PRIV_KEY is not the DAC's key");
    }
    if (rc == 0)
        rc = mfab_pki_key_encode(point, sizeof(point), &n, X509_get0_pubkey(x),
                                 MFAB_PKI_KEY_RAW_PUBLIC, &why);
    if (rc == 0)
        rc = mfab_mfg__dac_serial_hex(s->dac_serial_hex,
                                      sizeof(s->dac_serial_hex), dac.data,
                                      dac.len, &why);
    s->uuid[0] = '\0';
    if (rc == 0 &&
        X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, cn,
                                  sizeof(cn)) > 0)
        (void)mfab_mfg__parse_uuid(s->uuid, cn);
    EVP_PKEY_free(k);
    X509_free(x);
    ERR_clear_error();
    if (rc < 0)
        return mfab_diag_set(diag, rc, "'%s': %s", s->path,
                             mfab_diag_message(&why));
    mfab_sha256(point, n, sha);
    mfab_hex_encode(s->dac_pub_sha_hex, sha, sizeof(sha));
    return 0;
}

/* MATTER_TLV_1 subtypes 0-3 (all or none) and 4. */
static int
check_matter(mfg_scin *s, int *has_comm, int *has_rd, mfab_diag *diag)
{
    mfab_securecert_matter m;
    mfab_diag why = MFAB_DIAG_INIT;

    if (mfab_securecert_matter_read(&m, s->image, s->len, &why) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT, "'%s': %s", s->path,
                             mfab_diag_message(&why));
    if (m.has_rd_id_uid && m.rd_id_uid_len != sizeof(s->rd_id_uid))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "'%s': MATTER_TLV_1/4 rd-id-uid is %zu bytes, "
                             "not 16",
                             s->path, m.rd_id_uid_len);
    *has_comm = m.has_commissionable;
    *has_rd = m.has_rd_id_uid;
    if (m.has_rd_id_uid)
        memcpy(s->rd_id_uid, m.rd_id_uid, sizeof(s->rd_id_uid));
    if (!m.has_commissionable)
        return 0;
    s->discriminator = m.discriminator;
    memcpy(s->verifier, m.verifier, sizeof(s->verifier));
    memcpy(s->salt, m.salt, m.salt_len);
    s->salt_len = m.salt_len;
    s->iterations = m.iterations;
    return 0;
}

/* The batch has one NVS layout: every image holds the same kinds of data. */
static int
check_same(const mfab_mfg_plan *p, const mfg_scin *s, int has_comm, int has_rd,
           mfab_diag *diag)
{
    const char *what = has_comm != p->sc_comm ? "commissionable data"
                       : has_rd != p->sc_rd   ? "an rd-id-uid"
                                              : NULL;
    int has = has_comm != p->sc_comm ? has_comm : has_rd;

    if (what == NULL)
        return 0;
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "'%s' %s %s (MATTER_TLV_1) and '%s' %s: the images "
                         "of one batch must hold the same data (one NVS "
                         "layout)",
                         s->path, has ? "holds" : "lacks", what,
                         p->scin[0].path, has ? "does not" : "does");
}

/* Given values that the images' commissionable data would contradict. */
static int
check_given(const mfab_mfg_plan *p, const mfg_scin *s, mfab_diag *diag)
{
    const mfab_mfg_options *o = &p->o;

    if (o->salt != NULL || (o->has_discriminator &&
                            (uint16_t)o->discriminator != s->discriminator))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "'%s' holds the commissionable data: "
                             "--discriminator, --salt and --verifier cannot "
                             "replace it",
                             s->path);
    if (o->has_passcode &&
        mfab_spake2p_verifier_check(s->verifier, sizeof(s->verifier),
                                    (uint32_t)o->passcode, s->salt, s->salt_len,
                                    s->iterations, NULL) < 0)
        return mfab_diag_set(diag, MFAB_ECRYPTO,
                             "'%s': --passcode %lld does not match the "
                             "image's verifier (salt and %u iterations from "
                             "MATTER_TLV_1)",
                             s->path, (long long)o->passcode, s->iterations);
    return 0;
}

static int
load_one(mfab_mfg_plan *p, mfg_scin *s, size_t i, mfab_diag *diag)
{
    int has_comm = 0, has_rd = 0, rc;
    size_t k;

    rc = mfab_file_read(&s->image, &s->len, s->path, diag);
    if (rc == 0 && s->len > SCIN_MAX)
        rc = mfab_diag_set(diag, MFAB_EFORMAT,
                           "'%s': %zu bytes, larger than any esp_secure_cert "
                           "partition",
                           s->path, s->len);
    if (rc == 0)
        rc = check_entries(s, diag);
    if (rc == 0)
        rc = check_dac(p, s, diag);
    if (rc == 0)
        rc = check_matter(s, &has_comm, &has_rd, diag);
    if (rc == 0 && i == 0) {
        p->sc_comm = has_comm;
        p->sc_rd = has_rd;
    }
    if (rc == 0)
        rc = check_same(p, s, has_comm, has_rd, diag);
    if (rc == 0 && has_comm)
        rc = check_given(p, s, diag);
    for (k = 0; rc == 0 && s->uuid[0] != '\0' && k < i; k++)
        if (strcmp(p->scin[k].uuid, s->uuid) == 0)
            rc = mfab_diag_set(diag, MFAB_EEXISTS,
                               "'%s' and '%s' hold DACs of the same device "
                               "(CN %s)",
                               p->scin[k].path, s->path, s->uuid);
    return rc;
}

/* see mfg_internal.h */
int
mfab_mfg__load_scin(mfab_mfg_plan *p, mfab_diag *diag)
{
    path_list l;
    size_t i;
    int rc = 0;

    if (p->o.n_secure_cert_in == 0)
        return 0;
    memset(&l, 0, sizeof(l));
    for (i = 0; rc == 0 && i < p->o.n_secure_cert_in; i++)
        rc = expand(&l, p->o.secure_cert_in[i], diag);
    if (rc == 0) {
        qsort(l.v, l.n, sizeof(*l.v), by_path);
        p->scin = calloc(l.n, sizeof(*p->scin));
        if (p->scin == NULL)
            rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    }
    if (rc < 0) {
        for (i = 0; i < l.n; i++)
            free(l.v[i]);
        free(l.v);
        return rc;
    }
    for (i = 0; i < l.n; i++)
        p->scin[i].path = l.v[i]; /* owned by the plan from here */
    free(l.v);
    p->count = l.n;
    p->sc_dac = 1;
    if (p->count != 1 && (p->o.has_discriminator || p->o.has_passcode ||
                          p->o.serial_num != NULL || p->o.rd_id_uid != NULL ||
                          p->o.salt != NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Number of partitions should be 1 when "
                             "discriminator or passcode or serial number or "
                             "rotating device id or salt or verifier is "
                             "present (--secure-cert-in gives %llu images)",
                             (unsigned long long)p->count);
    for (i = 0; rc == 0 && i < p->count; i++)
        rc = load_one(p, &p->scin[i], i, diag);
    /* the passcode is not in the image: no onboarding codes without it */
    if (rc == 0 && p->sc_comm && !p->o.has_passcode)
        p->o.dynamic_passcode = 1;
    return rc;
}

/* see mfg_internal.h */
void
mfab_mfg__release_scin(mfab_mfg_plan *p)
{
    size_t i;

    for (i = 0; p->scin != NULL && i < p->count; i++) {
        mfab_file_free(p->scin[i].image, p->scin[i].len);
        free(p->scin[i].path);
    }
    free(p->scin);
    p->scin = NULL;
}

/* see mfg_internal.h */
int
mfab_mfg__scin_values(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    const mfg_scin *s = &p->scin[d->index];
    size_t n = 0;

    if (s->uuid[0] != '\0')
        memcpy(d->uuid, s->uuid, sizeof(d->uuid));
    if (s->dac_len > sizeof(d->dac_der))
        return mfab_diag_set(diag, MFAB_ERANGE, "'%s': DAC too large", s->path);
    memcpy(d->dac_der, s->dac, s->dac_len);
    d->dac_der_len = s->dac_len;
    memcpy(d->dac_serial_hex, s->dac_serial_hex, sizeof(d->dac_serial_hex));
    memcpy(d->dac_pub_sha_hex, s->dac_pub_sha_hex, sizeof(d->dac_pub_sha_hex));
    if (p->sc_rd) {
        memcpy(d->rd_id_uid, s->rd_id_uid, sizeof(d->rd_id_uid));
        mfab_hex_encode(d->rd_hex, d->rd_id_uid, sizeof(d->rd_id_uid));
    }
    if (!p->sc_comm)
        return 0;
    d->discriminator = s->discriminator;
    memcpy(d->salt, s->salt, s->salt_len);
    d->salt_len = s->salt_len;
    mfab_base64_encode(d->salt_b64, sizeof(d->salt_b64), &n, d->salt,
                       d->salt_len);
    memcpy(d->verifier, s->verifier, sizeof(d->verifier));
    mfab_base64_encode(d->verifier_b64, sizeof(d->verifier_b64), &n,
                       d->verifier, sizeof(d->verifier));
    d->iterations = s->iterations;
    return 0;
}
