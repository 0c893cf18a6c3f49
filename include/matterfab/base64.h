/*
 * matterfab/base64.h: standard base64 text <-> bytes (RFC 4648 section 4,
 * '=' padding, no line breaks), the form SPAKE2+ salts and verifiers take
 * in NVS, CSV files and on the command line.
 */
#ifndef MATTERFAB_BASE64_H
#define MATTERFAB_BASE64_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Characters (without the NUL) that encoding len bytes produces. */
#define MFAB_BASE64_LEN(len) (((len) + 2) / 3 * 4)

/**
 * Decode base64 strictly: length a multiple of 4, only the RFC 4648
 * alphabet, at most two '=' and only at the end, unused bits zero (one
 * canonical text per byte string). No whitespace is skipped.
 * @param[out] out  receives the bytes; may be NULL to measure
 * @param[out] out_len number of bytes, set even on MFAB_EBUFS
 * @param[out] bad_pos when not NULL, receives the offset of the first
 *                  offending character on MFAB_EFORMAT (len when the
 *                  length is wrong)
 * @return 0, MFAB_EFORMAT, MFAB_EBUFS
 */
int mfab_base64_decode(uint8_t *out, size_t cap, size_t *out_len,
                       const char *text, size_t len, size_t *bad_pos);

/** Value 0..63 of a base64 alphabet character, or -1 for any other. */
int mfab_base64_sextet(char c);

/**
 * Encode len bytes as base64 followed by a NUL.
 * @param[out] out  cap >= MFAB_BASE64_LEN(len) + 1; may be NULL to measure
 * @param[out] out_len number of characters without the NUL
 * @return 0, MFAB_EBUFS
 */
int mfab_base64_encode(char *out, size_t cap, size_t *out_len,
                       const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
