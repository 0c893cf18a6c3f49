/*
 * crc32.h: the standard CRC-32 (IEEE 802.3, zlib's crc32()).
 */
#ifndef MFAB_COMMON_CRC32_H
#define MFAB_COMMON_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * zlib-compatible running CRC-32: start with crc = 0, feed pieces in
 * order. Reflected polynomial 0xEDB88320, register preset to 0xFFFFFFFF
 * and inverted at the end; "123456789" gives 0xCBF43926.
 */
uint32_t mfab_crc32(uint32_t crc, const uint8_t *p, size_t len);

#endif
