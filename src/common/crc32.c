/*
 * crc32.c: the two CRC-32 flavours the formats use, both zlib's CRC-32
 * (reflected polynomial 0xEDB88320):
 *  - mfab_crc32(): the standard running CRC (Secure Boot V2 signature
 *    blocks); start with 0, "123456789" gives 0xCBF43926;
 *  - mfab_crc32_esp(): Espressif's variant for NVS pages and items
 *    (shared/spec/nvs.md section 1) and esp_secure_cert entries
 *    (shared/spec/attestation.md 5.2): the register starts at 0 instead of
 *    0xFFFFFFFF, which is zlib's crc32() started from 0xFFFFFFFF (zlib
 *    inverts the given value on entry); "123456789" gives 0xD202D277.
 */
#include <limits.h>

#include <zlib.h>

#include "common/common_internal.h"

/* see common_internal.h */
uint32_t
mfab_crc32(uint32_t crc, const uint8_t *p, size_t len)
{
    uLong c = crc;

    /* zlib answers 0 for a NULL buffer; an empty piece changes nothing */
    if (len == 0)
        return crc;
    /* zlib takes uInt lengths */
    while (len > UINT_MAX) {
        c = crc32(c, p, UINT_MAX);
        p += UINT_MAX;
        len -= UINT_MAX;
    }
    return (uint32_t)crc32(c, p, (uInt)len);
}

/* see common_internal.h */
uint32_t
mfab_crc32_esp(const uint8_t *p, size_t len)
{
    return mfab_crc32(0xFFFFFFFFu, p, len);
}
