/*
 * matterfab/nvs_mfg.h: the mass-manufacturing front end of NVS images
 * (mfg_gen.py; shared/spec/nvs.md section 14).
 *
 * A config CSV (one line per namespace or key, no header) and a values CSV
 * (header = key names, one row per device) become one NVS CSV per device.
 * mfab_nvs_mfg_new() reads and checks both files completely, so a caller
 * can refuse a bad batch before writing anything; the per-device CSV text
 * then goes to mfab_nvs_generate_text() to build the image.
 */
#ifndef MATTERFAB_NVS_MFG_H
#define MATTERFAB_NVS_MFG_H

#include <stddef.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mfab_nvs_mfg mfab_nvs_mfg;

/**
 * Read and validate a config and a values file.
 * @param fileid  values column whose value names each device's outputs,
 *                or NULL for running numbers 1, 2, 3, ...
 * @param[out] out caller frees with mfab_nvs_mfg_free()
 * @return 0, MFAB_EINVAL (bad config line, values row, missing key or
 *         column, device id unusable as a file name), MFAB_EEXISTS (two
 *         devices with the same --fileid value), MFAB_EFORMAT
 *         (malformed CSV), MFAB_ENOTFOUND / MFAB_EIO (unreadable file),
 *         MFAB_ENOMEM
 */
int mfab_nvs_mfg_new(mfab_nvs_mfg **out, const char *config_path,
                     const char *values_path, const char *fileid,
                     mfab_diag *diag);

/** Flag: take each config key's values from the column of that name
 *  wherever it stands (esp-matter-mfg-tool --mcsv), not in config order
 *  as mfg_gen requires. */
#define MFAB_NVS_MFG_COLUMNS_BY_NAME 0x1u

/** mfab_nvs_mfg_new() with flags (MFAB_NVS_MFG_*). */
int mfab_nvs_mfg_new_ex(mfab_nvs_mfg **out, const char *config_path,
                        const char *values_path, const char *fileid,
                        unsigned flags, mfab_diag *diag);

/** Number of devices (values rows). */
size_t mfab_nvs_mfg_count(const mfab_nvs_mfg *m);

/** Longest device id, in bytes. */
#define MFAB_NVS_MFG_ID_MAX 200

/**
 * Device i's id: its running number (from 1) or its --fileid value.
 * @return 0, MFAB_EINVAL (no such device), MFAB_EBUFS (cap too small;
 *         MFAB_NVS_MFG_ID_MAX + 1 always suffices)
 */
int mfab_nvs_mfg_id(char *buf, size_t cap, const mfab_nvs_mfg *m, size_t i);

/** Line of the values file device i comes from. */
unsigned long mfab_nvs_mfg_line(const mfab_nvs_mfg *m, size_t i);

/**
 * Device i's NVS CSV: "key,type,encoding,value" then one row per config
 * line, CRLF line ends, minimal quoting (as mfg_gen writes it). A NUL
 * follows the text when cap allows (not counted in *out_len).
 * buf == NULL measures.
 * @return 0, MFAB_EBUFS (*out_len = bytes needed without the NUL)
 */
int mfab_nvs_mfg_csv(char *buf, size_t cap, size_t *out_len,
                     const mfab_nvs_mfg *m, size_t i);

/** Free; NULL is a no-op. Wipes the values (they may be secrets). */
void mfab_nvs_mfg_free(mfab_nvs_mfg *m);

#ifdef __cplusplus
}
#endif

#endif
