/*
 * common_internal.h: helpers shared by every libmatterfab domain.
 *
 * Not installed. Domains include it as "common/common_internal.h".
 */
#ifndef MFAB_COMMON_INTERNAL_H
#define MFAB_COMMON_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"
#include "matterfab/error.h"

/* static in release builds, visible to the tests under MFAB_TEST_HOOKS. */
#ifdef MFAB_TEST_HOOKS
#define MFAB_STATIC_TESTABLE
#else
#define MFAB_STATIC_TESTABLE static
#endif

#define MFAB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Little- and big-endian loads and stores on unaligned bytes. */
static inline uint16_t
mfab_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static inline uint32_t
mfab_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static inline uint64_t
mfab_le64(const uint8_t *p)
{
    return (uint64_t)mfab_le32(p) | ((uint64_t)mfab_le32(p + 4) << 32);
}

static inline void
mfab_put_le16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void
mfab_put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void
mfab_put_le64(uint8_t *p, uint64_t v)
{
    mfab_put_le32(p, (uint32_t)v);
    mfab_put_le32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t
mfab_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

static inline void
mfab_put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/*
 * The CRC-32 of Espressif's formats (NVS, esp_secure_cert): reflected
 * polynomial 0xEDB88320, register starting at 0, result inverted. Equals
 * zlib's crc32(0xFFFFFFFF, p, len) and esp_rom_crc32_le(UINT32_MAX, ...);
 * "123456789" gives 0xD202D277.
 */
uint32_t mfab_crc32_esp(const uint8_t *p, size_t len);

/*
 * The standard CRC-32 (zlib's crc32(), IEEE 802.3), running: start with
 * crc = 0 and feed pieces in order; "123456789" gives 0xCBF43926. The
 * Secure Boot V2 signature block uses it. mfab_crc32(0xFFFFFFFF, p, len)
 * equals mfab_crc32_esp(p, len).
 */
uint32_t mfab_crc32(uint32_t crc, const uint8_t *p, size_t len);

/*
 * Bounds-checked reader over caller bytes: every read checks the room left
 * first and fails with MFAB_EFORMAT instead of running off the end.
 */
typedef struct mfab_cursor {
    const uint8_t *p;
    const uint8_t *end;
} mfab_cursor;

static inline void
mfab_cursor_init(mfab_cursor *c, const uint8_t *buf, size_t len)
{
    c->p = buf;
    c->end = buf + len;
}

static inline size_t
mfab_cursor_left(const mfab_cursor *c)
{
    return (size_t)(c->end - c->p);
}

static inline int
mfab_cursor_take(mfab_cursor *c, const uint8_t **out, size_t n)
{
    if (mfab_cursor_left(c) < n)
        return MFAB_EFORMAT;
    *out = c->p;
    c->p += n;
    return 0;
}

/* Size of an element with a value of len bytes (header included). */
size_t mfab_der_size(size_t len);

/*
 * Sequential writer into a caller buffer: stores only while the bytes fit,
 * always counts, so that buf == NULL measures.
 */
typedef struct mfab_der_writer {
    uint8_t *buf;
    size_t cap;
    size_t len;
} mfab_der_writer;

/* Identifier and length octets of an element with a value of len bytes. */
void mfab_der_put_header(mfab_der_writer *w, uint8_t tag, size_t len);
/* Raw bytes. */
void mfab_der_put_raw(mfab_der_writer *w, const uint8_t *p, size_t n);
/* A whole primitive element. */
void mfab_der_put(mfab_der_writer *w, uint8_t tag, const uint8_t *p, size_t n);

/* The P-256 group (OpenSSL's EC_GROUP), shared read-only by all threads
 * for the life of the process; NULL when OpenSSL cannot build it (out of
 * memory). */
const struct ec_group_st *mfab_ec_p256(void);

/* SHA-256 of data (OpenSSL's, fetched once per process; thread-safe). */
void mfab_sha256(const void *data, size_t len, uint8_t out[32]);

#endif
