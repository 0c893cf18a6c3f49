/*
 * matterfab/espimage.h: ESP-IDF application and bootloader images (.bin).
 *
 * Reads the image header, the segment table, the XOR checksum and the
 * appended SHA-256, plus the esp_app_desc_t (applications) or
 * esp_bootloader_desc_t (ESP-IDF >= 5.2 bootloaders) found at file offset
 * 0x20. Spec: shared/spec/production-images.md section 3.
 *
 * The parser does not allocate and keeps no pointer into the input: every
 * field is copied into mfab_espimage_info, so the caller may free the bytes
 * right after the call. Thread-safe.
 */
#ifndef MATTERFAB_ESPIMAGE_H
#define MATTERFAB_ESPIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MFAB_ESPIMAGE_MAGIC 0xE9
/** esptool refuses images with more segments. */
#define MFAB_ESPIMAGE_MAX_SEGMENTS 16
#define MFAB_ESPIMAGE_HEADER_LEN 24
#define MFAB_ESPIMAGE_APP_DESC_MAGIC 0xABCD5432u
#define MFAB_ESPIMAGE_BOOTLOADER_DESC_MAGIC 0x50
/** Where both descriptions sit: 24-byte header + first segment header. */
#define MFAB_ESPIMAGE_DESC_OFFSET 0x20

typedef struct mfab_espimage_segment {
    uint32_t load_addr;
    uint32_t length;
    size_t file_offset; /**< of the 8-byte segment header */
    size_t data_offset; /**< of the segment data */
} mfab_espimage_segment;

/** esp_app_desc_t; strings are NUL-terminated copies of the fixed fields. */
typedef struct mfab_espimage_app_desc {
    uint32_t magic;
    uint32_t secure_version;
    char version[33];
    char project_name[33];
    char time[17];
    char date[17];
    char idf_ver[33];
    uint8_t app_elf_sha256[32];
    uint16_t min_efuse_blk_rev_full;
    uint16_t max_efuse_blk_rev_full;
    uint8_t mmu_page_size_log2;
} mfab_espimage_app_desc;

/** esp_bootloader_desc_t (80 bytes). */
typedef struct mfab_espimage_bootloader_desc {
    uint8_t magic;
    uint32_t version;
    char idf_ver[33];
    char date_time[25];
} mfab_espimage_bootloader_desc;

typedef struct mfab_espimage_info {
    /* image header (8 bytes) + extended header (16 bytes) */
    uint8_t segment_count;
    uint8_t flash_mode;      /**< 0 QIO, 1 QOUT, 2 DIO, 3 DOUT */
    uint8_t flash_size_code; /**< high nibble of byte 3 */
    uint8_t flash_freq_code; /**< low nibble of byte 3 */
    uint32_t entry;
    uint8_t wp_pin;
    uint8_t drive[3]; /**< SPI pin drive strength bytes 9..11 */
    uint16_t chip_id;
    uint8_t min_rev_legacy;
    uint16_t min_rev_full;
    uint16_t max_rev_full;
    uint8_t hash_appended;

    mfab_espimage_segment segments[MFAB_ESPIMAGE_MAX_SEGMENTS];

    size_t checksum_offset;
    uint8_t checksum;            /**< as stored */
    uint8_t checksum_calculated; /**< 0xEF XOR every segment data byte */
    int checksum_valid;

    int has_sha256; /**< hash_appended == 1 */
    uint8_t sha256[32];            /**< as stored */
    uint8_t sha256_calculated[32]; /**< over [0, checksum_offset] */
    int sha256_valid;

    size_t image_len;       /**< header .. checksum byte */
    size_t image_len_total; /**< image_len + appended digest */
    size_t file_len;
    size_t trailing_len; /**< bytes after the image (signature, padding) */

    int has_app_desc;
    mfab_espimage_app_desc app_desc;
    int has_bootloader_desc;
    mfab_espimage_bootloader_desc bootloader_desc;
} mfab_espimage_info;

/**
 * Parse an ESP image. A wrong checksum or digest is not an error: it is
 * reported in checksum_valid / sha256_valid so that a caller can show the
 * whole picture; mfab_espimage_check() turns it into one.
 * @param[out] out  filled on success (zeroed first)
 * @param buf  the image bytes (borrowed for the call only)
 * @return 0; MFAB_EFORMAT for a wrong magic, too many segments, a bad
 *         hash_appended byte or a truncated header, segment, checksum or
 *         digest; MFAB_ECRYPTO when OpenSSL cannot hash
 */
int mfab_espimage_parse(mfab_espimage_info *out, const uint8_t *buf,
                        size_t len, mfab_diag *diag);

/**
 * @return 0 when checksum and appended digest (if any) are valid;
 *         MFAB_ECRYPTO naming the first one that is not
 */
int mfab_espimage_check(const mfab_espimage_info *info, mfab_diag *diag);

/** Chip name for an image chip id ("esp32s2"), or NULL when unknown. */
const char *mfab_espimage_chip_name(uint16_t chip_id);

/** SPI flash mode name ("DIO"), or NULL when unknown. */
const char *mfab_espimage_flash_mode_name(uint8_t mode);

#ifdef __cplusplus
}
#endif

#endif
