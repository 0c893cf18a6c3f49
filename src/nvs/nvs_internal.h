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

/* The NVS CRC-32 (spec section 1) is the Espressif variant. */
#define mfab_nvs__crc32 mfab_crc32_esp

#endif
