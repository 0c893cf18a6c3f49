/*
 * der_write.c: DER element writer (ITU-T X.690 section 8.1 and 10.1:
 * identifier, definite minimal length, value), shared by the CD envelope
 * (src/cd) and the certificate builder (src/pki).
 *
 *   +-----+----------------------+-----------+
 *   | tag | length               | value     |
 *   +-----+----------------------+-----------+
 *     1     1: 00..7F             len bytes
 *           2: 81 LL       (LL >= 0x80)
 *           3: 82 HH LL    (HHLL >= 0x100)
 *           4: 83 HH MM LL (>= 0x10000)
 */
#include <string.h>

#include "common/common_internal.h"

static size_t
length_octets(size_t len)
{
    if (len < 0x80)
        return 1;
    if (len < 0x100)
        return 2;
    if (len < 0x10000)
        return 3;
    return 4;
}

/* see common_internal.h */
size_t
mfab_der_size(size_t len)
{
    return 1 + length_octets(len) + len;
}

/* see common_internal.h */
void
mfab_der_put_raw(mfab_der_writer *w, const uint8_t *p, size_t n)
{
    if (w->buf != NULL && w->len <= w->cap && n <= w->cap - w->len)
        memcpy(w->buf + w->len, p, n);
    w->len += n;
}

/* see common_internal.h */
void
mfab_der_put_header(mfab_der_writer *w, uint8_t tag, size_t len)
{
    uint8_t h[5];
    size_t n = length_octets(len), i;

    h[0] = tag;
    if (n == 1) {
        h[1] = (uint8_t)len;
    } else {
        h[1] = (uint8_t)(0x80 | (n - 1));
        for (i = 0; i < n - 1; i++)
            h[2 + i] = (uint8_t)(len >> (8 * (n - 2 - i)));
    }
    mfab_der_put_raw(w, h, 1 + n);
}

/* see common_internal.h */
void
mfab_der_put(mfab_der_writer *w, uint8_t tag, const uint8_t *p, size_t n)
{
    mfab_der_put_header(w, tag, n);
    mfab_der_put_raw(w, p, n);
}
