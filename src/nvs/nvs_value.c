/*
 * nvs_value.c: value encodings of nvs_partition_gen CSV cells
 * (shared/spec/nvs.md sections 10.4, 10.5, 10.8; quirks Q12, Q13).
 *
 * Each converter takes the cell text and writes bytes into a caller
 * buffer; none allocates. Where the reference silently drops data
 * (base64 garbage, trailing text after padding) these reject instead.
 */
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/hex.h"
#include "matterfab/base64.h"
#include "nvs/nvs_internal.h"

/* Python's str.strip() set for ASCII text. */
static int
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
           c == '\f' || (c >= 0x1c && c <= 0x1f);
}

static void
strip(const char **s, size_t *len)
{
    while (*len > 0 && is_space((*s)[0])) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && is_space((*s)[*len - 1]))
        (*len)--;
}

/*
 * Python int(text, 10): surrounding whitespace, optional sign, digits with
 * single '_' between digits. Magnitudes above 2^64-1 give MFAB_ERANGE.
 */
int
mfab_nvs__parse_int(uint64_t *out_mag, int *out_neg, const char *s, size_t len)
{
    size_t i = 0;
    uint64_t v = 0;
    int digits = 0, prev_us = 0, big = 0;

    strip(&s, &len);
    *out_neg = 0;
    if (len > 0 && (s[0] == '+' || s[0] == '-')) {
        *out_neg = s[0] == '-';
        i = 1;
    }
    for (; i < len; i++) {
        if (s[i] == '_') {
            if (digits == 0 || prev_us)
                return MFAB_EINVAL;
            prev_us = 1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9')
            return MFAB_EINVAL;
        if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
            big = 1;
        else
            v = v * 10 + (uint64_t)(s[i] - '0');
        digits++;
        prev_us = 0;
    }
    if (digits == 0 || prev_us)
        return MFAB_EINVAL;
    *out_mag = v;
    return big ? MFAB_ERANGE : 0;
}

/* see nvs_internal.h */
int
mfab_nvs__hex2bin(uint8_t *buf, size_t cap, size_t *out_len, const char *s,
                  size_t len, size_t *bad_pos)
{
    const char *start = s;
    size_t pos = 0;
    int rc;

    strip(&s, &len);
    if (len % 2 != 0)
        return MFAB_EINVAL;
    rc = mfab_hex_decode(buf, cap, out_len, s, len, &pos);
    if (rc == MFAB_EFORMAT && bad_pos != NULL)
        *bad_pos = (size_t)(s - start) + pos;
    return rc;
}

/*
 * Base64 (RFC 4648) skipping whitespace. Input the reference decodes the
 * same way decodes identically; input where it would drop characters or
 * stop early is refused with *bad_pos set (MFAB_EFORMAT).
 */
int
mfab_nvs__base64(uint8_t *buf, size_t cap, size_t *out_len, const char *s,
                 size_t len, size_t *bad_pos)
{
    size_t i, n = 0, pads = 0;
    unsigned quad = 0;
    uint32_t acc = 0;

    for (i = 0; i < len; i++) {
        int v;

        if (is_space(s[i]))
            continue;
        if (s[i] == '=') {
            /* padding only closes a group of 2 or 3 characters */
            if (quad < 2 || quad + pads + 1 > 4) {
                *bad_pos = i;
                return MFAB_EFORMAT;
            }
            pads++;
            continue;
        }
        v = mfab_base64_sextet(s[i]);
        if (v < 0 || pads > 0) {
            *bad_pos = i;
            return MFAB_EFORMAT;
        }
        acc = (acc << 6) | (uint32_t)v;
        quad++;
        if (quad == 4) {
            if (n + 3 <= cap && buf != NULL) {
                buf[n] = (uint8_t)(acc >> 16);
                buf[n + 1] = (uint8_t)(acc >> 8);
                buf[n + 2] = (uint8_t)acc;
            }
            n += 3;
            quad = 0;
            acc = 0;
        }
    }
    if (quad != 0) {
        /* 2 or 3 characters need "==" or "=" (the reference's "Incorrect
         * padding"); a single one can never be decoded */
        if (quad == 1 || quad + pads != 4) {
            *bad_pos = len;
            return MFAB_EFORMAT;
        }
        acc <<= 6 * (4 - quad);
        if (buf != NULL && n + quad - 1 <= cap) {
            buf[n] = (uint8_t)(acc >> 16);
            if (quad == 3)
                buf[n + 1] = (uint8_t)(acc >> 8);
        }
        n += quad - 1;
    }
    *out_len = n;
    return buf != NULL && n > cap ? MFAB_EBUFS : 0;
}

/*
 * "blob_fill(N;0xHH)" / "blob_sz_fill(N;0xHH)", anything after ')' ignored
 * (spec 10.5). @return 1 when enc is one of them, 0 when it is not,
 * MFAB_EINVAL when it starts like one but is malformed.
 */
int
mfab_nvs__parse_fill(const char *enc, int *out_sz, size_t *out_n,
                     uint8_t *out_pad)
{
    const char *p;
    size_t n = 0;
    size_t hexlen = 0;
    int digits = 0;

    if (strncmp(enc, "blob_fill(", 10) == 0) {
        *out_sz = 0;
        p = enc + 10;
    } else if (strncmp(enc, "blob_sz_fill(", 13) == 0) {
        *out_sz = 1;
        p = enc + 13;
    } else {
        return 0;
    }
    while (*p >= '0' && *p <= '9') {
        if (n > (SIZE_MAX - 9) / 10)
            return MFAB_EINVAL;
        n = n * 10 + (size_t)(*p - '0');
        digits++;
        p++;
    }
    if (digits == 0 || p[0] != ';' || p[1] != '0' || p[2] != 'x' ||
        p[3] == '\0' || p[4] == '\0' || p[5] != ')')
        return MFAB_EINVAL;
    if (mfab_hex_decode(out_pad, 1, &hexlen, p + 3, 2, NULL) != 0)
        return MFAB_EINVAL;
    *out_n = n;
    return 1;
}
