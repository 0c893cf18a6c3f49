/*
 * mfg_internal.h: the plan, the factory-data template and one device's
 * buffers, shared by the files of src/mfg.
 *
 *   plan      options checked, inputs loaded, the key template built
 *   template  chip-factory keys in the reference's order (spec 5.2), each
 *             with where its value comes from: fixed text, a per-device
 *             value, or a --mcsv column
 *   device    everything one device's files hold, built in a batch slot
 */
#ifndef MFAB_MFG_INTERNAL_H
#define MFAB_MFG_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "matterfab/ledger.h"
#include "matterfab/mfg.h"
#include "matterfab/nvs_mfg.h"
#include "matterfab/securecert.h"
#include "matterfab/spake2p.h"

#define MFG_PATH_MAX 4096
#define MFG_UUID_LEN 36
#define MFG_CERT_MAX 1024
#define MFG_PEM_MAX 2048
#define MFG_PNG_MAX 16384
#define MFG_FILES_MAX 16
#define MFG_USER_ROWS_MAX 512

/* Where an item's value comes from. */
typedef enum mfg_src {
    MFG_SRC_NAMESPACE, /* a namespace line */
    MFG_SRC_TEXT,      /* fixed text (plan) */
    MFG_SRC_FILE,      /* fixed bytes (plan), text = path shown in CSV */
    MFG_SRC_DISCRIMINATOR,
    MFG_SRC_SALT,
    MFG_SRC_RD_ID_UID,
    MFG_SRC_SERIAL,
    MFG_SRC_DAC_CERT,
    MFG_SRC_DAC_KEY,
    MFG_SRC_DAC_PUB,
    MFG_SRC_VERIFIER,
    MFG_SRC_USER /* --mcsv row value, row user_row of the device's CSV */
} mfg_src;

typedef struct mfg_item {
    char key[16];
    const char *type; /* "data" or "file" ("namespace" for namespaces) */
    const char *enc;  /* nvs_partition_gen encoding */
    mfg_src src;
    char *text; /* MFG_SRC_TEXT / MFG_SRC_FILE: owned by the plan */
    const uint8_t *bin;
    size_t bin_len;
    size_t user_row;
} mfg_item;

/* One --secure-cert-in image, checked by the plan (mfg_scin.c); the
 * entries point into image. */
typedef struct mfg_scin {
    char *path;
    uint8_t *image;
    size_t len;
    char uuid[MFG_UUID_LEN + 1]; /* "" = none in the DAC CN */
    const uint8_t *dac;
    size_t dac_len;
    char dac_serial_hex[64];
    char dac_pub_sha_hex[65];
    uint16_t discriminator; /* MATTER_TLV_1, when the batch's sc_comm */
    uint8_t verifier[MFAB_SPAKE2P_VERIFIER_LEN];
    uint8_t salt[MFAB_SPAKE2P_SALT_MAX];
    size_t salt_len;
    uint32_t iterations;
    uint8_t rd_id_uid[16]; /* when the batch's sc_rd */
} mfg_scin;

/* The one NVS image layout of a batch. */
typedef struct mfg_template {
    mfg_item *items;
    size_t n, cap;
} mfg_template;

struct mfab_mfg_plan {
    mfab_mfg_options o;
    uint64_t count;
    uint16_t vid, pid;
    size_t size;
    uint32_t iterations;
    int has_dac; /* DACs made here (generated or external) */
    int gen_dac; /* DACs generated from the PAI */
    /* what the devices' secure cert holds instead of NVS (spec 5.5) */
    int sc_dac, sc_comm, sc_rd;
    int sc_write;      /* <uuid>_esp_secure_cert.bin made here */
    mfg_scin *scin;    /* --secure-cert-in, count entries, or NULL */
    time_t not_before; /* generated DACs */
    uint32_t lifetime;
    /* PAI (given with --pai, or generated with --paa) */
    X509 *pai;
    EVP_PKEY *pai_key;
    uint8_t pai_der[MFG_CERT_MAX];
    size_t pai_der_len;
    X509 *paa;                      /* --paa */
    struct mfab_pki_issuer *issuer; /* issues the generated DACs */
    /* external DAC */
    X509 *ext_dac;
    EVP_PKEY *ext_dac_key;
    char ext_uuid[256];
    /* --verify: trusted PAA and CD signer, DER */
    uint8_t **verify_paa; /* a file's, or a folder's certificates */
    size_t *verify_paa_len;
    size_t n_verify_paa;
    uint8_t *verify_cd;
    size_t verify_cd_len;
    /* the same, parsed once for every device (NULL: did not parse, and
     * validation reports it) */
    X509 **verify_paa_x;
    X509 *verify_cd_x;
    /* CD */
    uint8_t *cd;
    size_t cd_len;
    char *cd_display; /* path relative to the current folder (Q7) */
    /* fixed commissioning values */
    uint8_t salt[MFAB_SPAKE2P_SALT_MAX];
    size_t salt_len;
    uint8_t verifier[MFAB_SPAKE2P_VERIFIER_LEN];
    /* --csv/--mcsv */
    mfab_nvs_mfg *user;
    size_t user_rows; /* rows of each device's user CSV */
    size_t user_text_max;
    /* deterministic mode */
    int seeded;
    uint8_t seed[64];
    size_t seed_len;
    /* folders */
    char outdir[MFG_PATH_MAX];  /* absolute */
    char product[MFG_PATH_MAX]; /* <outdir>/<vid>_<pid> */
    char product_name[16];      /* "<vid>_<pid>" */
    char *inputs_json;
    mfg_template t;
    size_t csv_cap; /* partition.csv buffer per device */
};

/* One file of a device, for the ledger. */
typedef struct mfg_file {
    char rel[160]; /* below the device folder */
    const void *data;
    size_t len;
    int secret;
} mfg_file;

/* The report inputs of the devices made in this run (mfg_spill.c); off
 * (buf NULL) when it could not be made, then the files are read. */
typedef struct mfg_spill {
    int data_fd, place_fd;
    uint8_t *buf;     /* records not yet written */
    size_t used;      /* bytes in buf */
    uint64_t written; /* bytes in data_fd */
} mfg_spill;

typedef struct mfg_device {
    uint64_t index;
    char uuid[MFG_UUID_LEN + 1];
    uint32_t passcode;
    uint16_t discriminator;
    uint8_t salt[MFAB_SPAKE2P_SALT_MAX];
    size_t salt_len;
    char salt_b64[64];
    uint8_t verifier[MFAB_SPAKE2P_VERIFIER_LEN];
    char verifier_b64[140];
    uint32_t iterations;
    char serial[40];
    uint8_t rd_id_uid[16];
    char rd_hex[33];
    /* DAC */
    uint8_t dac_der[MFG_CERT_MAX];
    size_t dac_der_len;
    char dac_pem[MFG_PEM_MAX];
    size_t dac_pem_len;
    uint8_t key_sec1[160];
    size_t key_sec1_len;
    char key_pkcs8_pem[512];
    size_t key_pkcs8_pem_len;
    uint8_t dac_priv[32];
    uint8_t dac_pub[65];
    char dac_serial_hex[64];
    char dac_pub_sha_hex[65];
    char dac_paths[3][MFG_PATH_MAX / 2]; /* absolute, for partition.csv */
    /* codes */
    char qr[128];
    char manual[32];
    char manual_fmt[40];
    char onb[256];
    size_t onb_len;
    uint8_t png[MFG_PNG_MAX];
    size_t png_len;
    /* esp_secure_cert image (made here, or the --secure-cert-in one) */
    uint8_t sc_buf[MFAB_SECURECERT_PARTITION_SIZE];
    const uint8_t *sc;
    size_t sc_len;
    /* NVS */
    uint8_t keys_part[4096];
    size_t image_len;
    size_t csv_len;
    /* files, for the ledger */
    mfg_file files[MFG_FILES_MAX];
    size_t n_files;
    uint8_t sha[MFG_FILES_MAX][32];
    /* variable part: image[size], scratch[size + 8], csv[csv_cap],
     * user text (user_text_max + 1) */
    uint8_t *image;
    uint8_t *scratch;
    char *csv;
    char *user_text;
} mfg_device;

/* mfg_check.c: option rules before any file is read (spec 6.3, 8). */
int mfab_mfg__check_options(const mfab_mfg_options *o, mfab_diag *diag);

/* mfg_template.c: the key template (spec 5.2, 6.4). */
int mfab_mfg__template_build(mfab_mfg_plan *p, mfab_diag *diag);
void mfab_mfg__template_release(mfg_template *t);

/* mfg_values.c: per-device values, random or derived from the seed. */
int mfab_mfg__random(const mfab_mfg_plan *p, uint64_t index, const char *label,
                     uint8_t *out, size_t len, mfab_diag *diag);
int mfab_mfg__device_values(const mfab_mfg_plan *p, mfg_device *d,
                            mfab_diag *diag);

/* mfg_pki.c: every call into pki (DAC issuing, encodings). */
int mfab_mfg__load_pki(mfab_mfg_plan *p, mfab_diag *diag);
void mfab_mfg__release_pki(mfab_mfg_plan *p);
int mfab_mfg__make_dac(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag);
/* RFC 7468 text of a DER certificate (64-column base64 lines).
 * @return 0, MFAB_EBUFS */
int mfab_mfg__pem_wrap(char *out, size_t cap, size_t *out_len,
                       const uint8_t *der, size_t len);
/* Canonical lower-case form of a UUID as Python's uuid.UUID reads it
 * (braces, urn:uuid:, no dashes, upper case). @return 0 or -1 */
int mfab_mfg__parse_uuid(char out[MFG_UUID_LEN + 1], const char *s);
/* The serial number of a DER certificate in hex, for the ledger.
 * @return 0, MFAB_EFORMAT */
int mfab_mfg__dac_serial_hex(char *out, size_t cap, const uint8_t *der,
                             size_t len, mfab_diag *diag);
/* --paa: staging/pai_cert.pem and pai_key.pem (0600) of the made PAI */
int mfab_mfg__write_pai_files(const mfab_mfg_plan *p, const char *staging,
                              char paths[2][MFG_PATH_MAX + 32],
                              mfab_diag *diag);

/* mfg_securecert.c: a device's esp_secure_cert image (spec 5.5). */
int mfab_mfg__secure_cert(const mfab_mfg_plan *p, mfg_device *d,
                          mfab_diag *diag);

/* mfg_scin.c: --secure-cert-in images, every one checked before the
 * first device, and a device's values taken from its image. */
int mfab_mfg__load_scin(mfab_mfg_plan *p, mfab_diag *diag);
void mfab_mfg__release_scin(mfab_mfg_plan *p);
int mfab_mfg__scin_values(const mfab_mfg_plan *p, mfg_device *d,
                          mfab_diag *diag);

/* mfg_verify.c: --verify, on the device's bytes before they are written */
int mfab_mfg__load_verify(mfab_mfg_plan *p, mfab_diag *diag);
void mfab_mfg__release_verify(mfab_mfg_plan *p);
int mfab_mfg__verify_device(const mfab_mfg_plan *p, const mfg_device *d,
                            mfab_diag *diag);

/* mfg_nvs.c: the image and partition.csv of one device. */
int mfab_mfg__build_nvs(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag);

/* mfg_device.c: everything of one device, in memory. */
size_t mfab_mfg__slot_size(const mfab_mfg_plan *p);
void mfab_mfg__slot_bind(const mfab_mfg_plan *p, mfg_device *d);
/* Most devices made together (their verifiers side by side). */
#define MFAB_MFG_GROUP_MAX 16
/* Devices index[0..n-1] into d[0..n-1]; a failure fails the group. */
int mfab_mfg__make_devices(const mfab_mfg_plan *p, mfg_device *const *d,
                           const uint64_t *index, size_t n, mfab_diag *diag);
int mfab_mfg__codes(const mfab_mfg_plan *p, uint32_t passcode,
                    uint16_t discriminator, char qr[128], char manual[32],
                    char manual_fmt[40], mfab_diag *diag);

/* mfg_write.c: snprintf for paths; -1 (and "") when it does not fit. */
int mfab_mfg__path(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* mfg_write.c: one device folder, all or nothing. */
int mfab_mfg__write_device(const mfab_mfg_plan *p, mfg_device *d,
                           mfab_diag *diag);
int mfab_mfg__remove_tree(const char *path, mfab_diag *diag);

/* mfg_report.c: staging, cn_dacs and summary files of a batch. */
/* Start a spill in folder dir (off when the file system cannot). */
void mfab_mfg__spill_open(mfg_spill *s, const char *dir);

/* Keep device d's partition.csv and DAC certificate (calling thread, once
 * the device is committed). A failure turns the spill off. */
void mfab_mfg__spill_put(mfg_spill *s, uint64_t index, const mfg_device *d);

/* 1 and two malloc'ed, NUL-terminated buffers when device index is in the
 * spill; 0 when it is not (read its files). */
int mfab_mfg__spill_get(mfg_spill *s, uint64_t index, uint8_t **csv,
                        size_t *csv_len, uint8_t **der, size_t *der_len);

/* Close and forget the spill; safe on an off one. */
void mfab_mfg__spill_close(mfg_spill *s);

int mfab_mfg__write_reports(const mfab_mfg_plan *p, mfab_ledger *ledger,
                            int64_t batch_id, mfg_spill *spill,
                            mfab_mfg_result *res, mfab_diag *diag);

#endif
