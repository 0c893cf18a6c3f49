/*
 * matterfab/verify.h: end-of-line verification of a produced Matter
 * device: read its factory data the way the device will and prove that it
 * commissions.
 *
 * mfab_verify_device() works on bytes already in memory (the factory NVS
 * partition, its keys partition, an esp_secure_cert image, the onboarding
 * codes, the trusted PAAs), so a generator can check each device it makes
 * without reading its files back. mfab_verify_load() gathers those bytes
 * from a device folder as esp-matter-mfg-tool lays it out
 * (shared/spec/matter-commissioning.md 6.6).
 *
 * Each check of the report passes, fails or is skipped (it does not apply,
 * or an earlier failure left it nothing to look at), with a one-line
 * detail. A device is good when no check failed.
 */
#ifndef MATTERFAB_VERIFY_H
#define MATTERFAB_VERIFY_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The checks, in the order they run and are reported. */
typedef enum mfab_verify_check_id {
    MFAB_VERIFY_KEYS,         /**< "keys": the nvs_keys partition decodes */
    MFAB_VERIFY_NVS,          /**< "nvs": the NVS image breaks no rule */
    MFAB_VERIFY_FACTORY_KEYS, /**< "factory-keys": chip-factory keys the
                                   ESP32 providers read, with their types */
    MFAB_VERIFY_SECURE_CERT,  /**< "secure-cert": entries and CRCs */
    MFAB_VERIFY_DAC_KEY,      /**< "dac-key": DAC matches its private key */
    MFAB_VERIFY_CHAIN,        /**< "chain": DAC -> PAI -> PAA (and CD) */
    MFAB_VERIFY_VID_PID,      /**< "vid-pid": DAC, PAI, CD, device info */
    MFAB_VERIFY_VERIFIER,     /**< "verifier": SPAKE2+(passcode, salt, it) */
    MFAB_VERIFY_ONBOARDING,   /**< "onboarding": QR and manual codes */
    MFAB_VERIFY_NCHECKS
} mfab_verify_check_id;

typedef enum mfab_verify_status {
    MFAB_VERIFY_PASS,
    MFAB_VERIFY_FAIL,
    MFAB_VERIFY_SKIP
} mfab_verify_status;

#define MFAB_VERIFY_DETAIL_MAX 512

typedef struct mfab_verify_check {
    const char *name; /**< static: "nvs", "chain", ... */
    mfab_verify_status status;
    char detail[MFAB_VERIFY_DETAIL_MAX];
} mfab_verify_check;

typedef struct mfab_verify_report {
    mfab_verify_check checks[MFAB_VERIFY_NCHECKS];
    unsigned failed; /**< number of checks that failed */
    int ok;          /**< 1 when failed == 0 */
} mfab_verify_report;

/** "pass", "fail" or "skip". */
const char *mfab_verify_status_name(mfab_verify_status status);

/** Everything a verification reads; all pointers borrowed for the call. */
typedef struct mfab_verify_input {
    /** the factory NVS partition image as flashed (maybe encrypted) */
    const uint8_t *partition;
    size_t partition_len;
    /** its nvs_keys partition (or 64 raw key bytes); NULL: plaintext */
    const uint8_t *keys;
    size_t keys_len;
    /** the device's esp_secure_cert image; NULL when it has none */
    const uint8_t *secure_cert;
    size_t secure_cert_len;
    /** the onboarding CSV text (header qrcode,manualcode,discriminator,
     *  passcode); NULL when there is none. onb_name names it in details. */
    const char *onb_csv;
    size_t onb_csv_len;
    const char *onb_name;
    /** the passcode from elsewhere (the ledger), used when the onboarding
     *  CSV gives none; passcode_source names it in details */
    int has_passcode;
    uint32_t passcode;
    const char *passcode_source;
    /** trusted PAAs (DER or PEM); the PAA is the one whose SKID is the
     *  PAI's AKID */
    const uint8_t *const *paa;
    const size_t *paa_len;
    size_t npaa;
    /** trusted CD signing certificates; with none, the CD's VID/PID are
     *  still checked but not its signature */
    const uint8_t *const *cd_certs;
    const size_t *cd_cert_len;
    size_t ncd_certs;
    /** "now" for the DAC validity check */
    time_t now;
    /** optional: paa[i] and cd_certs[i] already parsed (borrowed; NULL
     *  entries are parsed from the bytes), so that a caller verifying many
     *  devices parses its trust store once (mfab_pki_validate_input) */
    X509 *const *paa_x;
    X509 *const *cd_cert_x;
    /** optional: a PAI the caller has parsed (borrowed) and its DER; used
     *  instead of parsing the device's PAI when the device's bytes are
     *  exactly these (generate: every device carries the plan's PAI) */
    X509 *pai_x;
    const uint8_t *pai_der;
    size_t pai_der_len;
} mfab_verify_input;

#define MFAB_VERIFY_INPUT_INIT                                                 \
    {                                                                          \
        NULL, 0, NULL, 0, NULL, 0, NULL, 0, NULL, 0, 0, NULL, NULL, NULL, 0,   \
            NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, 0                        \
    }

/**
 * Run every check on one device and fill the report. A bad device is a
 * report with failed checks, not an error.
 * @return 0 when the checks ran (whatever their outcome); MFAB_EINVAL (no
 *         partition bytes); MFAB_ENOMEM
 */
int mfab_verify_device(mfab_verify_report *out, const mfab_verify_input *in,
                       mfab_diag *diag);

/* ------------------------------------------------------------ loader */

/** Where the inputs of a device folder come from; NULL: the default. */
typedef struct mfab_verify_load_options {
    const char *keys;        /**< default: <uuid>-keys-partition.bin */
    const char *secure_cert; /**< default: <uuid>_esp_secure_cert.bin */
    const char *onb_codes;   /**< default: <uuid>-onb_codes.csv */
    const char *ledger;      /**< ledger to look the passcode up in */
    const char *const *paa;  /**< PAA files or folders (*.der, *.pem, *.crt) */
    size_t npaa;
    const char *const *cd_certs; /**< CD signing certificate files */
    size_t ncd_certs;
} mfab_verify_load_options;

/** The bytes of one device, owned; release with mfab_verify_files_free. */
typedef struct mfab_verify_files {
    char device[256]; /**< the device's uuid (file name prefix) */
    char partition_path[4096];
    char keys_path[4096];        /**< "" when none */
    char secure_cert_path[4096]; /**< "" when none */
    char onb_path[4096];         /**< "" when none */
    uint8_t *partition;
    size_t partition_len;
    uint8_t *keys;
    size_t keys_len;
    uint8_t *secure_cert;
    size_t secure_cert_len;
    uint8_t *onb;
    size_t onb_len;
    int has_passcode; /**< found in the ledger */
    uint32_t passcode;
    uint8_t **paa;
    size_t *paa_len;
    size_t npaa;
    uint8_t **cd_certs;
    size_t *cd_cert_len;
    size_t ncd_certs;
} mfab_verify_files;

/**
 * Gather a device's inputs. target is a device folder (holding one
 * <uuid>-partition.bin) or a partition image, whose folder is searched for
 * the other files. Files named in opts must exist; default ones are used
 * when present.
 * @param[out] out  release with mfab_verify_files_free() (also on error)
 * @return 0; MFAB_ENOTFOUND (no partition image, a named file or folder
 *         missing, no device row in the ledger); MFAB_EIO; MFAB_EDB;
 *         MFAB_ERANGE (path too long); MFAB_ENOMEM
 */
int mfab_verify_load(mfab_verify_files *out, const char *target,
                     const mfab_verify_load_options *opts, mfab_diag *diag);

/** Point in at the loaded bytes (other fields of in are left alone). */
void mfab_verify_files_input(mfab_verify_input *in,
                             const mfab_verify_files *files);

/**
 * Append the certificates of path (a file, or every *.der, *.pem, *.crt of
 * a folder) to data/len/n, as mfab_verify_load() reads --paa.
 * @return 0; MFAB_ENOTFOUND (no such path, or a folder without any);
 *         MFAB_EIO; MFAB_ERANGE (more than 256); MFAB_ENOMEM
 */
int mfab_verify_load_certs(uint8_t ***data, size_t **len, size_t *n,
                           const char *path, mfab_diag *diag);

/** Free what mfab_verify_load_certs() read. */
void mfab_verify_certs_free(uint8_t **data, size_t *len, size_t n);

/** Wipe and free what mfab_verify_load() read. NULL is a no-op. */
void mfab_verify_files_free(mfab_verify_files *files);

#ifdef __cplusplus
}
#endif

#endif
