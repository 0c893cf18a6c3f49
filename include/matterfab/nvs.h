/*
 * matterfab/nvs.h: ESP-IDF NVS partition images (writer side).
 *
 * Two layers:
 *  - mfab_nvs_generate_csv() / mfab_nvs_generate_text(): the byte-exact
 *    equivalent of nvs_partition_gen's "generate" over CSV input;
 *  - mfab_nvs_writer: add namespaces and typed values directly, for
 *    callers that build factory data without CSV text. Both produce the
 *    same bytes for the same sequence of items.
 *
 * The writer allocates nothing and does no I/O: the image is built in a
 * caller buffer. Spec: shared/spec/nvs.md sections 2-12.
 */
#ifndef MATTERFAB_NVS_H
#define MATTERFAB_NVS_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MFAB_NVS_PAGE_BYTES 4096u
/** Longest key or namespace name, in bytes (a NUL always follows). */
#define MFAB_NVS_KEY_MAX_BYTES 15u
/** Most namespaces one image can hold (device indices 1..254). */
#define MFAB_NVS_NAMESPACES_MAX 254u

typedef struct mfab_nvs_options {
    size_t size;          /* partition size in bytes */
    int version;          /* 1 or 2 */
    const char *base_dir; /* where 'file' values resolve; NULL = cwd */
} mfab_nvs_options;

/* clang-format off */
#define MFAB_NVS_OPTIONS_INIT { 0, 2, NULL }
/* clang-format on */

/* Scalar item types; the values are the on-flash type codes. */
typedef enum mfab_nvs_type {
    MFAB_NVS_U8 = 0x01,
    MFAB_NVS_I8 = 0x11,
    MFAB_NVS_U16 = 0x02,
    MFAB_NVS_I16 = 0x12,
    MFAB_NVS_U32 = 0x04,
    MFAB_NVS_I32 = 0x14,
    MFAB_NVS_U64 = 0x08,
    MFAB_NVS_I64 = 0x18
} mfab_nvs_type;

/*
 * Writer state. Initialise with mfab_nvs_writer_init(); fields are private.
 * It holds no pointers to free; after any error other than MFAB_EINVAL on a
 * key the image is incomplete and the writer should be discarded.
 */
typedef struct mfab_nvs_writer {
    uint8_t *buf;         /* borrowed image buffer, size bytes */
    size_t size;          /* partition size */
    size_t pages;         /* pages created so far */
    size_t budget;        /* pages that may still be created */
    unsigned used;        /* slots used on the current page */
    uint8_t version_byte; /* 0xFE (v2) or 0xFF (v1) */
    uint8_t readonly;     /* 0x1000/0x2000: no reserved page (Q6) */
    unsigned ns_count;    /* namespaces created; stamped on items (Q1) */
    char ns_names[MFAB_NVS_NAMESPACES_MAX][MFAB_NVS_KEY_MAX_BYTES + 1];
    uint8_t ns_len[MFAB_NVS_NAMESPACES_MAX];
} mfab_nvs_writer;

/**
 * Check a partition size the way nvs_partition_gen does (multiple of 4096
 * first, then at least 4096).
 * @return 0, MFAB_EINVAL
 */
int mfab_nvs_check_size(size_t size, mfab_diag *diag);

/**
 * Start an image of size bytes in buf (borrowed; must outlive the writer):
 * fills it with 0xFF and creates page 0.
 * @param version 1 (single-page blobs) or 2 (multi-page blobs)
 * @return 0, MFAB_EINVAL (bad size or version), MFAB_EBUFS (cap < size)
 */
int mfab_nvs_writer_init(mfab_nvs_writer *out, uint8_t *buf, size_t cap,
                         size_t size, int version, mfab_diag *diag);

/**
 * Select namespace name, creating it on first use. As in the reference,
 * items that follow are stamped with the most recently CREATED namespace,
 * even when an older one is selected again (quirk Q1).
 * @return 0, MFAB_EINVAL (name longer than 15 bytes or not UTF-8),
 *         MFAB_ERANGE (more than 254 namespaces, or partition full)
 */
int mfab_nvs_writer_namespace(mfab_nvs_writer *w, const char *name,
                              mfab_diag *diag);

/**
 * Add an unsigned (U8..U64) or signed (I8..I64) scalar; the value must fit
 * the type's natural range.
 * @return 0, MFAB_EINVAL (bad key, or signedness does not match type),
 *         MFAB_ERANGE (value out of range, partition full)
 */
int mfab_nvs_writer_add_uint(mfab_nvs_writer *w, const char *key,
                             mfab_nvs_type type, uint64_t value,
                             mfab_diag *diag);
int mfab_nvs_writer_add_int(mfab_nvs_writer *w, const char *key,
                            mfab_nvs_type type, int64_t value, mfab_diag *diag);

/**
 * Add a string of len bytes (a NUL is appended; size limit 4000 bytes in
 * v2 / 1984 in v1 with the NUL, and at most 3968 fit a page in v2).
 * @return 0, MFAB_EINVAL (bad key), MFAB_ERANGE (too long, partition full)
 */
int mfab_nvs_writer_add_string(mfab_nvs_writer *w, const char *key,
                               const char *s, size_t len, mfab_diag *diag);

/**
 * Add a blob: v2 BLOB_DATA chunks + BLOB_IDX, or a v1 single-page BLOB
 * (at most 1984 bytes).
 * @return 0, MFAB_EINVAL (bad key), MFAB_ERANGE (too long, more than 255
 *         chunks, partition full)
 */
int mfab_nvs_writer_add_blob(mfab_nvs_writer *w, const char *key,
                             const uint8_t *data, size_t len, mfab_diag *diag);

/**
 * Add one value given as text (or a file's bytes, from_file = 1) in an
 * nvs_partition_gen encoding: u8..i64 (decimal), string, hex2bin, base64,
 * binary, blob_fill(N;0xHH), blob_sz_fill(N;0xHH) (spec section 10.4).
 * Messages name the key and what is allowed.
 * @param scratch  caller buffer for the decoded bytes; partition size + 8
 *                 always suffices
 * @return 0, MFAB_EINVAL (bad encoding or value), MFAB_ERANGE (does not
 *         fit), and the errors of the add functions above
 */
int mfab_nvs_writer_add_encoded(mfab_nvs_writer *w, const char *key,
                                const char *encoding, const uint8_t *val,
                                size_t len, int from_file, uint8_t *scratch,
                                size_t scratch_cap, mfab_diag *diag);

/**
 * Finish the image. *out_len = size for read/write partitions; for
 * read-only ones (0x1000, 0x2000) only the pages used (quirk Q6).
 */
void mfab_nvs_writer_finish(mfab_nvs_writer *w, size_t *out_len);

/*
 * Build the plaintext image from CSV files (processed in order, namespace
 * state carries over). buf: cap >= opts->size; *out_len = bytes of the
 * image (shorter than size for read-only 0x1000/0x2000, quirk Q6).
 * buf == NULL measures: *out_len = opts->size, nothing is read.
 * Error messages start with "<csv path>:<line>: ".
 * @return 0, MFAB_EINVAL (bad CSV or value), MFAB_ERANGE (value or data
 *         does not fit), MFAB_ENOTFOUND / MFAB_EIO (CSV or 'file' value
 *         unreadable), MFAB_EFORMAT (malformed CSV), MFAB_EBUFS,
 *         MFAB_ENOMEM, MFAB_ECRYPTO (Wi-Fi PMK derivation)
 */
int mfab_nvs_generate_csv(uint8_t *buf, size_t cap, size_t *out_len,
                          const char *const *csv_paths, size_t n_paths,
                          const mfab_nvs_options *opts, mfab_diag *diag);

/**
 * Same over CSV text already in memory. text is parsed in place (its
 * contents are destroyed) and text[len] must be a writable byte. name is
 * used in messages only.
 */
int mfab_nvs_generate_text(uint8_t *buf, size_t cap, size_t *out_len,
                           char *text, size_t len, const char *name,
                           const mfab_nvs_options *opts, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
