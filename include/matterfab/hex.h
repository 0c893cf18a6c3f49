/*
 * matterfab/hex.h: hexadecimal text <-> bytes.
 */
#ifndef MATTERFAB_HEX_H
#define MATTERFAB_HEX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Decode len hex digits (either case, no separators, even count).
 * @param[out] out  receives len/2 bytes; may be NULL to measure
 * @param[out] out_len number of bytes (len/2), set even on MFAB_EBUFS
 * @param[out] bad_pos when not NULL, receives the offset of the first
 *                  offending character on MFAB_EFORMAT (len for odd count)
 * @return 0, MFAB_EFORMAT (odd count or non-hex digit), MFAB_EBUFS
 */
int mfab_hex_decode(uint8_t *out, size_t cap, size_t *out_len,
                    const char *hex, size_t len, size_t *bad_pos);

/**
 * Encode len bytes as lower-case hex followed by a NUL.
 * @param out  at least 2*len + 1 bytes
 */
void mfab_hex_encode(char *out, const uint8_t *data, size_t len);

#ifdef __cplusplus
}
#endif

#endif
