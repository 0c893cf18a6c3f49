/*
 * base38.c: Base38 as used by the Matter QR code (Matter Core
 * Specification 5.1.3.1; shared/spec/matter-commissioning.md section 1.5).
 *
 *   bytes:  | b0 b1 b2 | b3 b4 b5 | ... | b(n-2) b(n-1) |
 *   chunk value v = b0 + 256*b1 + 65536*b2 (little-endian)
 *   chars:  | d0 d1 d2 d3 d4 | ...       | d0 d1 d2 d3 |
 *           least significant base-38 digit first
 *   3 bytes -> 5 characters, 2 -> 4, 1 -> 2
 */
#include <string.h>

#include "onboarding/onboarding_internal.h"

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-.";

/* characters per chunk of 0, 1, 2, 3 bytes */
static const uint8_t chars_for[4] = { 0, 2, 4, 5 };

/* see onboarding_internal.h */
size_t
mfab_onboarding__base38_len(size_t n)
{
    return 5 * (n / 3) + chars_for[n % 3];
}

/* see onboarding_internal.h */
void
mfab_onboarding__base38_encode(char *out, const uint8_t *data, size_t n)
{
    size_t i = 0;
    size_t o = 0;

    while (i < n) {
        size_t take = n - i < 3 ? n - i : 3;
        uint32_t v = 0;
        size_t k;

        for (k = 0; k < take; k++)
            v |= (uint32_t)data[i + k] << (8 * k);
        for (k = 0; k < chars_for[take]; k++) {
            out[o++] = alphabet[v % 38];
            v /= 38;
        }
        i += take;
    }
    out[o] = '\0';
}

static int
digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    if (c == '-')
        return 36;
    if (c == '.')
        return 37;
    return -1;
}

/* see onboarding_internal.h */
mfab_base38_error
mfab_onboarding__base38_decode(uint8_t *out, size_t cap, size_t *out_len,
                               const char *text, size_t len, size_t *bad_pos)
{
    size_t i = 0;
    size_t o = 0;

    while (i < len) {
        size_t left = len - i;
        size_t nchars;
        size_t nbytes;
        uint32_t v = 0;
        size_t k;

        if (left >= 5) {
            nchars = 5;
            nbytes = 3;
        } else if (left == 4) {
            nchars = 4;
            nbytes = 2;
        } else if (left == 2) {
            nchars = 2;
            nbytes = 1;
        } else {
            *bad_pos = i;
            return MFAB_BASE38_LENGTH;
        }
        /* the last character of a chunk is its most significant digit */
        for (k = nchars; k-- > 0;) {
            int d = digit_value(text[i + k]);

            if (d < 0) {
                *bad_pos = i + k;
                return MFAB_BASE38_CHAR;
            }
            v = v * 38 + (uint32_t)d; /* 38^5 - 1 < 2^32 */
        }
        if ((uint64_t)v >> (8 * nbytes) != 0) {
            *bad_pos = i;
            return MFAB_BASE38_OVERFLOW;
        }
        if (nbytes > cap - o) {
            *bad_pos = i;
            return MFAB_BASE38_SPACE;
        }
        for (k = 0; k < nbytes; k++)
            out[o++] = (uint8_t)(v >> (8 * k));
        i += nchars;
    }
    *out_len = o;
    return MFAB_BASE38_OK;
}
