/*
 * matterfab/nvs_read.h: reading and verifying ESP-IDF NVS partition images.
 *
 * Implements the reader rules of shared/spec/nvs.md section 15.2 on the
 * layout of sections 2-5, decrypting entries on the fly (section 13) when
 * keys are given.
 *
 * The reader allocates nothing and does no I/O: it walks the caller's
 * image bytes and reports pages, namespace declarations, values and
 * problems through callbacks, so firmware or station software can embed
 * it. Its working state (namespace table, chunk list, one payload) lives
 * on the stack, about 16 KiB. With keys, OpenSSL allocates two cipher
 * contexts for the duration of the call.
 *
 * Values are reported in flash order. A v2 blob (BLOB_DATA chunks plus a
 * BLOB_IDX) is reported once, at its BLOB_IDX, with the chunks reassembled
 * into the caller's value buffer.
 */
#ifndef MATTERFAB_NVS_READ_H
#define MATTERFAB_NVS_READ_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"
#include "matterfab/error.h"
#include "matterfab/nvs_crypt.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Page states (spec section 3); INVALID is any other state word. */
typedef enum mfab_nvs_page_state {
    MFAB_NVS_STATE_EMPTY,
    MFAB_NVS_STATE_ACTIVE,
    MFAB_NVS_STATE_FULL,
    MFAB_NVS_STATE_FREEING,
    MFAB_NVS_STATE_CORRUPT,
    MFAB_NVS_STATE_INVALID
} mfab_nvs_page_state;

/** "EMPTY", "ACTIVE", "FULL", "FREEING", "CORRUPT" or "INVALID". */
const char *mfab_nvs_page_state_name(mfab_nvs_page_state state);

/**
 * Name of an item type code as the listings print it: "u8" ... "i64",
 * "string", "blob" (v1), "blob(v2)" (BLOB_IDX), "blob_data"; NULL when
 * the code is unknown.
 */
const char *mfab_nvs_type_name(uint8_t type);

typedef struct mfab_nvs_page_info {
    uint32_t index; /**< page number in the image */
    mfab_nvs_page_state state;
    uint32_t state_word;   /**< raw state word */
    int has_header;        /**< 0 for a blank (EMPTY) page */
    uint32_t seq;          /**< sequence number, when has_header */
    uint8_t version;       /**< 0xFE (v2) or 0xFF (v1), when has_header */
    unsigned used_entries; /**< slots whose bitmap state is not EMPTY */
} mfab_nvs_page_info;

/** Where one BLOB_DATA chunk of a v2 blob lies. */
typedef struct mfab_nvs_chunk {
    uint32_t page;
    uint32_t slot;
    uint32_t size;
} mfab_nvs_chunk;

typedef struct mfab_nvs_item {
    int is_namespace;      /**< 1: a namespace declaration (U8 in ns 0) */
    uint32_t page, slot;   /**< the header (the BLOB_IDX for a v2 blob) */
    uint8_t ns_index;      /**< namespace index of the item */
    const char *ns_name;   /**< borrowed; NULL when never declared */
    char key[16];          /**< NUL-terminated */
    uint8_t type;          /**< type code (MFAB_NVS_TYPE_BLOB_IDX for v2) */
    const char *type_name; /**< as mfab_nvs_type_name() */
    uint64_t u;            /**< scalars: value zero-extended */
    int64_t i;             /**< scalars: value sign-extended by type */
    /** string (with its NUL; size counts it) or blob bytes; borrowed, valid
     *  during the callback; NULL when the value buffer is too small */
    const uint8_t *data;
    size_t size;
    unsigned nchunks;             /**< v2 blobs: BLOB_DATA items */
    const mfab_nvs_chunk *chunks; /**< v2 blobs: borrowed, nchunks */
} mfab_nvs_item;

/** One rule of section 15.1/15.2 that the image breaks. */
typedef struct mfab_nvs_problem {
    uint32_t page;
    int slot;            /**< -1 when the page as a whole is concerned */
    const char *message; /**< borrowed: "what ... at page P slot S" */
} mfab_nvs_problem;

typedef struct mfab_nvs_read_options {
    /** borrowed; NULL reads a plaintext image */
    const mfab_nvs_keys *keys;
    /** 1: also apply the generator-image rules of 15.2 */
    int generator_rules;
    /** 1 read-only partition, 0 read/write, -1 decide by size (< 0x3000) */
    int read_only;
    /** borrowed scratch for string and blob values; may be NULL */
    uint8_t *value_buf;
    size_t value_cap;
    /** callbacks, each optional; a non-zero return stops the walk and
     *  becomes the return value of mfab_nvs_read() */
    int (*on_page)(void *ctx, const mfab_nvs_page_info *page);
    int (*on_item)(void *ctx, const mfab_nvs_item *item);
    void (*on_problem)(void *ctx, const mfab_nvs_problem *problem);
    void *ctx;
} mfab_nvs_read_options;

#define MFAB_NVS_READ_OPTIONS_INIT                                             \
    {                                                                          \
        NULL, 1, -1, NULL, 0, NULL, NULL, NULL, NULL                           \
    }

typedef struct mfab_nvs_read_summary {
    size_t pages;
    size_t items;      /**< values reported (namespaces excluded) */
    size_t namespaces; /**< namespace declarations */
    size_t problems;
    size_t value_max; /**< largest value; a value_cap this big suffices */
} mfab_nvs_read_summary;

/**
 * Walk an NVS image: report every page (on_page, in order), then every
 * namespace declaration and value in flash order (on_item), and every
 * problem found (on_problem, with its page and slot).
 * @param[out] out  counts; may be NULL
 * @param image borrowed; len a non-zero multiple of 4096
 * @param opts  NULL means MFAB_NVS_READ_OPTIONS_INIT
 * @return 0 when the image breaks no rule; MFAB_EFORMAT when it breaks
 *         any (the diag holds the first problem); MFAB_EINVAL (len is not
 *         a non-zero multiple of 4096, or eky equals tky); MFAB_EBUFS
 *         (the walk finished but some value did not fit value_cap; see
 *         out->value_max); MFAB_ECRYPTO; or a callback's non-zero return
 */
int mfab_nvs_read(mfab_nvs_read_summary *out, const uint8_t *image, size_t len,
                  const mfab_nvs_read_options *opts, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
