/*
 * crc32.c: the CRC-32 variant Espressif formats use: NVS pages and items
 * (shared/spec/nvs.md section 1) and esp_secure_cert entries
 * (shared/spec/attestation.md 5.2).
 *
 * It is zlib's CRC-32 started from 0xFFFFFFFF: zlib inverts the given
 * value on entry and the result on exit, so the register starts at 0 and
 * the result is inverted, as the ESP ROM's esp_rom_crc32_le(UINT32_MAX).
 * zlib's implementation is several times faster than a byte-wise table.
 */
#include <limits.h>

#include <zlib.h>

#include "common/common_internal.h"

/* see common_internal.h */
uint32_t
mfab_crc32_esp(const uint8_t *p, size_t len)
{
    uLong c = 0xFFFFFFFFul;

    if (len == 0)
        return 0xFFFFFFFFu;
    /* zlib takes uInt lengths */
    while (len > UINT_MAX) {
        c = crc32(c, p, UINT_MAX);
        c ^= 0xFFFFFFFFul; /* undo the exit inversion to chain */
        p += UINT_MAX;
        len -= UINT_MAX;
    }
    return (uint32_t)crc32(c, p, (uInt)len);
}
