/*
 * verify_load.c: gather the inputs of mfab_verify_device() from a device
 * folder as esp-matter-mfg-tool lays it out (spec matter-commissioning.md
 * 6.6: <uuid>-partition.bin, <uuid>-keys-partition.bin,
 * <uuid>-onb_codes.csv, <uuid>_esp_secure_cert.bin), the trusted
 * certificates, and the passcode from the production ledger.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/ledger.h"
#include "matterfab/verify.h"

#define PART_SUFFIX "-partition.bin"
#define KEYS_SUFFIX "-keys-partition.bin"
#define MAX_CERTS 1024

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);

    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* The one <uuid>-partition.bin of a device folder. */
static int
find_partition(char *out, size_t cap, const char *dir, mfab_diag *diag)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0, rc = 0;

    if (d == NULL)
        return mfab_diag_set(diag, MFAB_ENOTFOUND, "cannot open folder '%s'",
                             dir);
    while ((e = readdir(d)) != NULL) {
        if (!ends_with(e->d_name, PART_SUFFIX) ||
            ends_with(e->d_name, KEYS_SUFFIX))
            continue;
        if (found++ > 0) {
            rc = mfab_diag_set(diag, MFAB_EINVAL,
                               "'%s' holds several *%s files: name the "
                               "image to verify",
                               dir, PART_SUFFIX);
            break;
        }
        rc = mfab_path_join(out, cap, dir, e->d_name);
    }
    closedir(d);
    if (rc == 0 && found == 0)
        rc = mfab_diag_set(diag, MFAB_ENOTFOUND,
                           "no <uuid>%s in '%s' (a device folder of "
                           "matterfab generate or esp-matter-mfg-tool "
                           "expected)",
                           PART_SUFFIX, dir);
    return rc;
}

/* Split path into its folder and the device name (the uuid prefix). */
static int
split(mfab_verify_files *f, char *dir, size_t cap, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(base);

    if (slash == NULL)
        dir[0] = '\0';
    else if ((size_t)(slash - path) + 1 > cap)
        return MFAB_ERANGE;
    else {
        memcpy(dir, path, (size_t)(slash - path));
        dir[slash - path] = '\0';
        if (dir[0] == '\0')
            memcpy(dir, "/", 2);
    }
    if (ends_with(base, PART_SUFFIX))
        n -= strlen(PART_SUFFIX);
    else if (n > 4 && strcmp(base + n - 4, ".bin") == 0)
        n -= 4;
    if (n >= sizeof(f->device))
        n = sizeof(f->device) - 1;
    memcpy(f->device, base, n);
    f->device[n] = '\0';
    return 0;
}

/* A named file must exist; a default one is read when present. */
static int
read_input(uint8_t **buf, size_t *len, char *path_out, size_t cap,
           const char *given, const char *dir, const char *device,
           const char *suffix, mfab_diag *diag)
{
    char name[512];

    if (given != NULL) {
        if (strlen(given) >= cap)
            return mfab_diag_set(diag, MFAB_ERANGE, "path too long: '%s'",
                                 given);
        memcpy(path_out, given, strlen(given) + 1);
    } else {
        snprintf(name, sizeof(name), "%s%s", device, suffix);
        if (mfab_path_join(path_out, cap, dir, name) != 0)
            return mfab_diag_set(diag, MFAB_ERANGE, "path too long in '%s'",
                                 dir);
        if (!mfab_path_exists(path_out)) {
            path_out[0] = '\0';
            return 0;
        }
    }
    return mfab_file_read(buf, len, path_out, diag);
}

static int
add_cert(uint8_t ***data, size_t **len, size_t *n, const char *path,
         mfab_diag *diag)
{
    if (*n >= MAX_CERTS)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "too many certificates (max %d)", MAX_CERTS);
    if (*data == NULL) {
        *data = calloc(MAX_CERTS, sizeof(**data));
        *len = calloc(MAX_CERTS, sizeof(**len));
        if (*data == NULL || *len == NULL)
            return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    }
    if (mfab_file_read(&(*data)[*n], &(*len)[*n], path, diag) < 0)
        return MFAB_EIO;
    (*n)++;
    return 0;
}

/* see matterfab/verify.h: a certificate file, or every *.der, *.pem,
 * *.crt of a folder */
int
mfab_verify_load_certs(uint8_t ***data, size_t **len, size_t *n,
                       const char *path, mfab_diag *diag)
{
    struct stat st;
    struct dirent *e;
    char file[4096];
    size_t before = *n;
    DIR *d;
    int rc = 0;

    if (stat(path, &st) != 0)
        return mfab_diag_set(diag, MFAB_ENOTFOUND,
                             "no such file or folder "
                             "'%s'",
                             path);
    if (!S_ISDIR(st.st_mode))
        return add_cert(data, len, n, path, diag);
    d = opendir(path);
    if (d == NULL)
        return mfab_diag_set(diag, MFAB_EIO, "cannot open folder '%s'", path);
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' ||
            !(ends_with(e->d_name, ".der") || ends_with(e->d_name, ".pem") ||
              ends_with(e->d_name, ".crt")))
            continue;
        rc = mfab_path_join(file, sizeof(file), path, e->d_name);
        if (rc == 0)
            rc = add_cert(data, len, n, file, diag);
    }
    closedir(d);
    if (rc == 0 && *n == before)
        rc =
            mfab_diag_set(diag, MFAB_ENOTFOUND,
                          "no certificate (*.der, *.pem, *.crt) in '%s'", path);
    return rc;
}

static int
on_device(void *ctx, const mfab_ledger_device *dev)
{
    mfab_verify_files *f = ctx;

    f->has_passcode = 1;
    f->passcode = dev->passcode;
    return 0;
}

static int
ledger_passcode(mfab_verify_files *f, const char *path, mfab_diag *diag)
{
    mfab_ledger *l = NULL;
    int rc;

    /* opening creates a missing ledger: a typo must not */
    if (!mfab_path_exists(path))
        return mfab_diag_set(diag, MFAB_ENOTFOUND, "no ledger at '%s'", path);
    rc = mfab_ledger_open(&l, path, diag);
    if (rc == 0)
        rc = mfab_ledger_device_find(l, f->device, on_device, f, diag);
    mfab_ledger_free(l);
    return rc;
}

/* see matterfab/verify.h */
int
mfab_verify_load(mfab_verify_files *out, const char *target,
                 const mfab_verify_load_options *opts, mfab_diag *diag)
{
    static const mfab_verify_load_options none;
    char dir[4096];
    struct stat st;
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    if (opts == NULL)
        opts = &none;
    if (stat(target, &st) != 0)
        return mfab_diag_set(diag, MFAB_ENOTFOUND,
                             "no such device folder or image '%s'", target);
    if (S_ISDIR(st.st_mode)) {
        rc = find_partition(out->partition_path, sizeof(out->partition_path),
                            target, diag);
        if (rc < 0)
            return rc;
    } else if (strlen(target) < sizeof(out->partition_path)) {
        memcpy(out->partition_path, target, strlen(target) + 1);
    } else {
        return mfab_diag_set(diag, MFAB_ERANGE, "path too long: '%s'", target);
    }
    if (split(out, dir, sizeof(dir), out->partition_path) != 0)
        return mfab_diag_set(diag, MFAB_ERANGE, "path too long: '%s'", target);
    rc = mfab_file_read(&out->partition, &out->partition_len,
                        out->partition_path, diag);
    if (rc == 0)
        rc = read_input(&out->keys, &out->keys_len, out->keys_path,
                        sizeof(out->keys_path), opts->keys, dir, out->device,
                        KEYS_SUFFIX, diag);
    if (rc == 0)
        rc = read_input(&out->secure_cert, &out->secure_cert_len,
                        out->secure_cert_path, sizeof(out->secure_cert_path),
                        opts->secure_cert, dir, out->device,
                        "_esp_secure_cert.bin", diag);
    if (rc == 0)
        rc = read_input(&out->onb, &out->onb_len, out->onb_path,
                        sizeof(out->onb_path), opts->onb_codes, dir,
                        out->device, "-onb_codes.csv", diag);
    for (i = 0; rc == 0 && i < opts->npaa; i++)
        rc = mfab_verify_load_certs(&out->paa, &out->paa_len, &out->npaa,
                                    opts->paa[i], diag);
    for (i = 0; rc == 0 && i < opts->ncd_certs; i++)
        rc = add_cert(&out->cd_certs, &out->cd_cert_len, &out->ncd_certs,
                      opts->cd_certs[i], diag);
    if (rc == 0 && opts->ledger != NULL)
        rc = ledger_passcode(out, opts->ledger, diag);
    return rc;
}

/* see matterfab/verify.h */
void
mfab_verify_files_input(mfab_verify_input *in, const mfab_verify_files *f)
{
    in->partition = f->partition;
    in->partition_len = f->partition_len;
    in->keys = f->keys;
    in->keys_len = f->keys_len;
    in->secure_cert = f->secure_cert;
    in->secure_cert_len = f->secure_cert_len;
    in->onb_csv = (const char *)f->onb;
    in->onb_csv_len = f->onb_len;
    in->onb_name = f->onb_path;
    in->has_passcode = f->has_passcode;
    in->passcode = f->passcode;
    in->passcode_source = "the ledger";
    in->paa = (const uint8_t *const *)f->paa;
    in->paa_len = f->paa_len;
    in->npaa = f->npaa;
    in->cd_certs = (const uint8_t *const *)f->cd_certs;
    in->cd_cert_len = f->cd_cert_len;
    in->ncd_certs = f->ncd_certs;
}

/* see matterfab/verify.h */
void
mfab_verify_certs_free(uint8_t **data, size_t *len, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        mfab_file_free(data[i], len[i]);
    free(data);
    free(len);
}

/* see matterfab/verify.h */
void
mfab_verify_files_free(mfab_verify_files *f)
{
    if (f == NULL)
        return;
    mfab_file_free(f->partition, f->partition_len);
    mfab_file_free(f->keys, f->keys_len);
    mfab_file_free(f->secure_cert, f->secure_cert_len);
    mfab_file_free(f->onb, f->onb_len);
    mfab_verify_certs_free(f->paa, f->paa_len, f->npaa);
    mfab_verify_certs_free(f->cd_certs, f->cd_cert_len, f->ncd_certs);
    memset(f, 0, sizeof(*f));
}
