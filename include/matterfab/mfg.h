/*
 * matterfab/mfg.h: mass manufacturing of Matter factory data, the
 * esp-matter-mfg-tool replacement (shared/spec/matter-commissioning.md
 * sections 5, 6 and 8).
 *
 * Three steps:
 *  - mfab_mfg_options: every option of the reference with its default
 *    (mfab_mfg_options_init), filled in by the caller (the CLI parses
 *    argv into it);
 *  - mfab_mfg_plan_new(): checks every option and loads every input (PAI
 *    certificate and key, CD, external DAC, --csv/--mcsv) before the
 *    first device is made; a bad batch fails here, writing nothing;
 *  - mfab_mfg_run(): makes the devices on worker threads, writes each
 *    device folder atomically and records it in the ledger, then writes
 *    the per-run files (staging, cn_dacs, summary).
 *
 * Ownership: strings in mfab_mfg_options are borrowed and must outlive
 * the plan.
 */
#ifndef MATTERFAB_MFG_H
#define MATTERFAB_MFG_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most --locales, --fixed-labels or --supported-modes values. */
#define MFAB_MFG_LIST_MAX 256

typedef struct mfab_mfg_options {
    int64_t count;          /**< -n; <= 0 makes nothing */
    const char *target;     /**< --target (DS check; a known chip name) */
    int64_t size;           /**< -s, NVS partition size */
    int encrypt;            /**< -e */
    int no_bin;             /**< --no-bin */
    int no_secure_cert_bin; /**< --no-secure-cert-bin */
    int has_passcode;
    int64_t passcode;
    int has_discriminator;
    int64_t discriminator;
    int64_t flow;           /**< -cf 0..2 */
    int64_t discovery_mode; /**< -dm 2, 4, 6 */
    int dynamic_passcode;   /**< --enable-dynamic-passcode */
    const char *salt;       /**< --salt (base64) */
    const char *verifier;   /**< --verifier (base64) */
    int64_t iterations;     /**< --iteration-count */
    /** --dac-in-secure-cert etc.: those values go into
     *  <uuid>_esp_secure_cert.bin instead of the NVS image */
    int commissionable_in_secure_cert;
    int dac_in_secure_cert;
    int rd_id_uid_in_secure_cert;
    /** --secure-cert-in: pre-provisioned images (files or folders of
     *  them), one device each; their chain is checked against verify_paa */
    const char *const *secure_cert_in;
    size_t n_secure_cert_in;
    int64_t lifetime;       /**< -lt, days */
    const char *valid_from; /**< -vf */
    const char *cn_prefix;  /**< -cn */
    const char *cert;       /**< -c: PAA or PAI certificate */
    const char *key;        /**< -k: PAA or PAI key (file or pkcs11:) */
    const char *cert_dclrn; /**< -cd */
    const char *cd_cert;    /**< --cd-cert: CD signing certificate */
    const char *dac_cert;
    const char *dac_key;
    int ds_peripheral;    /**< -ds */
    int64_t efuse_key_id; /**< -1..5 */
    const char *port;
    int paa;
    int pai;
    int has_vid, has_pid;
    int64_t vid, pid;
    const char *vendor_name;
    const char *product_name;
    int has_hw_ver;
    int64_t hw_ver;
    const char *hw_ver_str;
    const char *mfg_date;
    const char *serial_num;
    int rotating_device_id; /**< --enable-rotating-device-id */
    const char *rd_id_uid;
    int product_finish; /**< -1 = not given, else §5.3 value */
    int product_color;  /**< -1 = not given */
    const char *part_number;
    int has_calendar_types;
    uint32_t calendar_types; /**< bit mask */
    const char *const *locales;
    size_t n_locales;
    const char *const *fixed_labels;
    size_t n_fixed_labels;
    const char *const *supported_modes;
    size_t n_supported_modes;
    const char *product_label;
    const char *product_url;
    const char *csv;
    const char *mcsv;
    const char *outdir; /**< --outdir; NULL = "out" */
    /** --verify: every device passes matterfab verify before its files
     *  are written; the PAA is -c with --paa, else verify_paa (also the
     *  PAA of --secure-cert-in); a file or a folder of PAAs */
    int verify;
    const char *verify_paa;
    /** --seed: 32..128 hex digits; only with insecure_deterministic */
    const char *seed;
    int insecure_deterministic;
} mfab_mfg_options;

/** The reference's defaults: count 1, target esp32, size 0x6000, flow 0,
 *  discovery 2, 10000 iterations, lifetime 36500, cn-prefix "ESP32". */
void mfab_mfg_options_init(mfab_mfg_options *out);

/**
 * Python int(text, 0), as the reference parses integer options: decimal
 * (leading zeros are accepted, unlike Python), 0x/0o/0b prefixes, a sign, '_'
 * separators and surrounding blanks.
 * @param what  names the option in messages
 * @return 0, MFAB_EINVAL (not an integer), MFAB_ERANGE (beyond 64 bits)
 */
int mfab_mfg_parse_int0(int64_t *out, const char *text, const char *what,
                        mfab_diag *diag);

/**
 * Names of the enumerated options (spec 5.3): product finish, product
 * color and calendar type. The value is the enumeration's number.
 * @return 0, MFAB_EINVAL (the message lists the allowed names)
 */
int mfab_mfg_parse_finish(int *out, const char *name, mfab_diag *diag);
int mfab_mfg_parse_color(int *out, const char *name, mfab_diag *diag);
int mfab_mfg_parse_calendar(int *out, const char *name, mfab_diag *diag);

typedef struct mfab_mfg_plan mfab_mfg_plan;

/**
 * Check the options (spec 6.3 order, with the fixes of section 8) and
 * load every input. Nothing is written.
 * @param[out] out  caller frees with mfab_mfg_plan_free()
 * @return 0; MFAB_EINVAL (bad option, mismatching inputs, a refused
 *         --secure-cert-in image); MFAB_EUNSUPPORTED (-ds, --efuse-key-id,
 *         --port: they need a connected chip); MFAB_ERANGE;
 *         MFAB_ENOTFOUND / MFAB_EIO / MFAB_EFORMAT (inputs); MFAB_ECRYPTO
 *         (key does not match certificate, CD or verifier check failed);
 *         MFAB_ENOMEM
 */
int mfab_mfg_plan_new(mfab_mfg_plan **out, const mfab_mfg_options *opts,
                      mfab_diag *diag);

/** Free a plan, wiping its secrets. NULL is a no-op. */
void mfab_mfg_plan_free(mfab_mfg_plan *plan);

/** Devices the plan makes. */
uint64_t mfab_mfg_plan_count(const mfab_mfg_plan *plan);

/** "<outdir>/<vid>_<pid>", the folder the devices go to (borrowed). */
const char *mfab_mfg_plan_product_dir(const mfab_mfg_plan *plan);

/**
 * JSON object {"path": "sha256 hex", ...} of every input file the plan
 * read (borrowed; lives as long as the plan).
 */
const char *mfab_mfg_plan_inputs_json(const mfab_mfg_plan *plan);

typedef struct mfab_mfg_run_options {
    unsigned jobs;               /**< worker threads; 0 = every core */
    const char *ledger;          /**< NULL = <outdir>/ledger.sqlite */
    const char *options_json;    /**< how the run was started (stored) */
    int64_t resume;              /**< batch id to finish, or 0 */
    volatile sig_atomic_t *stop; /**< set non-zero to stop cleanly */
    /** optional: after each device committed (calling thread) */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    /** test hook: stop after this many commits (0 = never) */
    uint64_t stop_after;
} mfab_mfg_run_options;

#define MFAB_MFG_RUN_OPTIONS_INIT                                              \
    {                                                                          \
        0, NULL, NULL, 0, NULL, NULL, NULL, 0                                  \
    }

typedef struct mfab_mfg_result {
    int64_t batch_id;
    uint64_t made;      /**< devices made by this run */
    uint64_t skipped;   /**< already made (resume) */
    uint64_t total;     /**< devices of the batch */
    int stopped;        /**< stopped early: the batch can be resumed */
    char summary[4096]; /**< path of summary-*.csv ("" when stopped) */
    char cn_dacs[4096]; /**< path of cn_dacs-*.csv ("" when stopped) */
} mfab_mfg_result;

/**
 * Make the plan's devices (or, with resume, the ones batch resume still
 * lacks) and the per-run files.
 * @return 0 (also when stopped: see result.stopped); MFAB_EINVAL (resume
 *         of a batch whose inputs or options differ); MFAB_EEXISTS
 *         (duplicate in the ledger); MFAB_EIO; MFAB_EDB; MFAB_ECRYPTO;
 *         MFAB_ENOMEM
 */
int mfab_mfg_run(mfab_mfg_result *out, mfab_mfg_plan *plan,
                 const mfab_mfg_run_options *ropts, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
