/*
 * crc32.c: the CRC-32 variant Espressif formats use: NVS pages and items
 * (shared/spec/nvs.md section 1) and esp_secure_cert entries
 * (shared/spec/attestation.md 5.2), and the standard zlib CRC-32 of
 * Secure Boot V2 signature blocks (shared/spec/production-images.md
 * section 4.4). Table-driven, one table built at
 * compile time.
 */
#include "common/common_internal.h"

/* Reflected CRC-32 table for polynomial 0xEDB88320. */
#define T1(c) (((c) & 1) ? 0xEDB88320u ^ ((c) >> 1) : ((c) >> 1))
#define T8(c) T1(T1(T1(T1(T1(T1(T1(T1((uint32_t)(c)))))))))
#define R4(n) T8(n), T8(n + 1), T8(n + 2), T8(n + 3)
#define R16(n) R4(n), R4(n + 4), R4(n + 8), R4(n + 12)
#define R64(n) R16(n), R16(n + 16), R16(n + 32), R16(n + 48)

static const uint32_t crc_table[256] = { R64(0), R64(64), R64(128),
                                         R64(192) };

/* see common_internal.h */
uint32_t
mfab_crc32_esp(const uint8_t *p, size_t len)
{
    uint32_t c = 0;
    size_t i;

    for (i = 0; i < len; i++)
        c = crc_table[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

/* see common_internal.h */
uint32_t
mfab_crc32(uint32_t crc, const uint8_t *p, size_t len)
{
    uint32_t c = crc ^ 0xFFFFFFFFu;
    size_t i;

    for (i = 0; i < len; i++)
        c = crc_table[(c ^ p[i]) & 0xFFu] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}
