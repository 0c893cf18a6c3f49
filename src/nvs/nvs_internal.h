/*
 * nvs_internal.h: ESP-IDF NVS partition layout shared by the writer, the
 * reader and the encryption (spec: shared/spec/nvs.md sections 1-5).
 *
 *   page (4096 bytes):  0 header (32) | 32 entry-state bitmap (32)
 *                       | 64 126 entry slots of 32 bytes
 *   header:  0 state u32 | 4 seq u32 | 8 version u8 | 9 reserved (19 x ff)
 *            | 28 CRC u32 of bytes 4..27
 *   item:    0 ns u8 | 1 type u8 | 2 span u8 | 3 chunk u8 | 4 CRC u32 of
 *            bytes 0..3 + 8..31 | 8 key[16] | 24 data[8]
 */
#ifndef MFAB_NVS_INTERNAL_H
#define MFAB_NVS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#define MFAB_NVS_PAGE_SIZE 4096u
#define MFAB_NVS_SLOT_SIZE 32u
#define MFAB_NVS_SLOTS_PER_PAGE 126u
#define MFAB_NVS_FIRST_SLOT_OFFSET 64u
#define MFAB_NVS_BITMAP_OFFSET 32u
#define MFAB_NVS_KEY_MAX 15u

#define MFAB_NVS_PAGE_EMPTY 0xFFFFFFFFu
#define MFAB_NVS_PAGE_ACTIVE 0xFFFFFFFEu
#define MFAB_NVS_PAGE_FULL 0xFFFFFFFCu
#define MFAB_NVS_PAGE_FREEING 0xFFFFFFF8u
#define MFAB_NVS_PAGE_CORRUPT 0xFFFFFFF0u

#define MFAB_NVS_VERSION_1 0xFFu
#define MFAB_NVS_VERSION_2 0xFEu

/* Item type codes (spec 5.2). */
#define MFAB_NVS_TYPE_U8 0x01u
#define MFAB_NVS_TYPE_I8 0x11u
#define MFAB_NVS_TYPE_U16 0x02u
#define MFAB_NVS_TYPE_I16 0x12u
#define MFAB_NVS_TYPE_U32 0x04u
#define MFAB_NVS_TYPE_I32 0x14u
#define MFAB_NVS_TYPE_U64 0x08u
#define MFAB_NVS_TYPE_I64 0x18u
#define MFAB_NVS_TYPE_SZ 0x21u
#define MFAB_NVS_TYPE_BLOB 0x41u
#define MFAB_NVS_TYPE_BLOB_DATA 0x42u
#define MFAB_NVS_TYPE_BLOB_IDX 0x48u

#include "common/common_internal.h"

/* NVS checksums (spec section 1) use mfab_crc32_esp (common). */

/* ---- writer internals (nvs-writer) ---- */
#include "matterfab/diag.h"
#include "matterfab/nvs.h"

#define MFAB_NVS_CHUNK_ANY 0xFFu
/* Per-item payload limits of the reference (spec 8.1, 8.2). */
#define MFAB_NVS_STR_MAX_V2 4000u
#define MFAB_NVS_STR_MAX_V1 1984u
#define MFAB_NVS_CHUNKS_MAX 255u
#define MFAB_NVS_CHUNKS_WARN 127u

/* nvs_page.c: page creation and slot writes (spec 9.2, 9.3). */
int mfab_nvs__new_page(mfab_nvs_writer *w, mfab_diag *diag);
void mfab_nvs__put_item(mfab_nvs_writer *w, uint8_t ns, uint8_t type,
                        uint8_t span, uint8_t chunk, const uint8_t key[16],
                        const uint8_t data[8]);
void mfab_nvs__put_payload(mfab_nvs_writer *w, const uint8_t *p, size_t len);
void mfab_nvs__var_header(uint8_t data[8], const uint8_t *p, size_t len);

/* nvs_write.c: 1 when p[0..len) is well-formed UTF-8. */
int mfab_nvs__utf8_valid(const uint8_t *p, size_t len);
/* nvs_write.c: key validation shared with the CSV front end. */
int mfab_nvs__check_key(uint8_t out[16], const char *key, mfab_diag *diag);

/* nvs_value.c: cell encodings (spec 10.4, 10.5, 10.8). */
/* Python int(s, 10): 0, MFAB_EINVAL (not an integer), MFAB_ERANGE (>64 bit) */
int mfab_nvs__parse_int(uint64_t *out_mag, int *out_neg, const char *s,
                        size_t len);
/* 0, MFAB_EINVAL (odd digit count), MFAB_EFORMAT (*bad_pos), MFAB_EBUFS */
int mfab_nvs__hex2bin(uint8_t *buf, size_t cap, size_t *out_len,
                      const char *s, size_t len, size_t *bad_pos);
/* 0, MFAB_EFORMAT (*bad_pos; len for a bad ending), MFAB_EBUFS */
int mfab_nvs__base64(uint8_t *buf, size_t cap, size_t *out_len,
                     const char *s, size_t len, size_t *bad_pos);
/* 1 fill encoding, 0 other encoding, MFAB_EINVAL malformed */
int mfab_nvs__parse_fill(const char *enc, int *out_sz, size_t *out_n,
                         uint8_t *out_pad);

#endif
