/*
 * matterfab/csv.h: RFC 4180 CSV reading and writing.
 *
 * The reader works in place over a caller buffer: quotes are removed, line
 * ends normalised and comment lines cut out by moving bytes down inside
 * that buffer, and each field comes back as a NUL-terminated pointer into
 * it. Nothing is allocated, so reading is linear and any number of readers
 * may run in parallel on their own buffers.
 */
#ifndef MATTERFAB_CSV_H
#define MATTERFAB_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Drop every physical line whose first byte is '#', even a continuation
 *  line inside a quoted field (as nvs_partition_gen does). */
#define MFAB_CSV_HASH_COMMENTS 0x1u
/** Report blank lines as records with zero fields instead of skipping. */
#define MFAB_CSV_KEEP_BLANK 0x2u

typedef struct mfab_csv_field {
    const char *str; /* NUL-terminated, inside the reader's buffer */
    size_t len;
} mfab_csv_field;

typedef struct mfab_csv_reader {
    char *buf; /* borrowed */
    size_t len;
    size_t rd;          /* next byte to read */
    size_t wr;          /* next byte to write (wr <= rd) */
    unsigned long line; /* physical line of buf[rd], from 1 */
    unsigned flags;
    int bol;          /* buf[rd] starts a physical line */
    const char *name; /* for messages */
} mfab_csv_reader;

/**
 * Start reading buf[0..len). buf is modified; buf[len] must be a writable
 * byte (mfab_file_read() leaves a NUL there). A UTF-8 BOM is skipped.
 * name (borrowed) prefixes error messages ("name:line: ...").
 */
void mfab_csv_reader_init(mfab_csv_reader *out, char *buf, size_t len,
                          unsigned flags, const char *name);

/**
 * Read the next record into fields[0..max).
 * @param[out] out_n  number of fields
 * @param[out] out_line physical line the record starts on
 * @return 1 (a record), 0 (end of input), MFAB_EFORMAT (unterminated
 *         quote, NUL byte, more than max fields)
 */
int mfab_csv_next(mfab_csv_reader *r, mfab_csv_field *fields, size_t max,
                  size_t *out_n, unsigned long *out_line, mfab_diag *diag);

/**
 * Append one record to buf as Python's csv writer does: fields joined by
 * ',', a field quoted (quotes doubled) when it holds ',', '"', CR or LF,
 * and "\r\n" at the end. buf == NULL measures.
 * @param[in,out] pos  write offset in buf; advanced by the record's length
 * @return 0, MFAB_EBUFS (pos is still advanced so the caller learns the
 *         size needed)
 */
int mfab_csv_write_record(char *buf, size_t cap, size_t *pos,
                          const mfab_csv_field *fields, size_t n);

#ifdef __cplusplus
}
#endif

#endif
