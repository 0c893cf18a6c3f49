/*
 * hex.c: hexadecimal text <-> bytes (see matterfab/hex.h).
 */
#include "matterfab/hex.h"
#include "matterfab/error.h"

/* Digit value, or 0xFF for a non-hex byte; a table keeps the decoder
 * branch-free, which matters for large hex2bin values. */
#define H_(c)                                                              \
    ((c) >= '0' && (c) <= '9'   ? (c) - '0'                                \
     : (c) >= 'a' && (c) <= 'f' ? (c) - 'a' + 10                           \
     : (c) >= 'A' && (c) <= 'F' ? (c) - 'A' + 10                           \
                                : 0xFF)
#define H4_(c) H_(c), H_((c) + 1), H_((c) + 2), H_((c) + 3)
#define H16_(c) H4_(c), H4_((c) + 4), H4_((c) + 8), H4_((c) + 12)
#define H64_(c) H16_(c), H16_((c) + 16), H16_((c) + 32), H16_((c) + 48)

static const unsigned char hex_value[256] = { H64_(0), H64_(64), H64_(128),
                                              H64_(192) };

static int
nibble(char c)
{
    unsigned char v = hex_value[(unsigned char)c];
    return v == 0xFF ? -1 : v;
}

/* see matterfab/hex.h */
int
mfab_hex_decode(uint8_t *out, size_t cap, size_t *out_len, const char *hex,
                size_t len, size_t *bad_pos)
{
    size_t i;

    unsigned char any = 0;

    for (i = 0; i < len; i++)
        any |= hex_value[(unsigned char)hex[i]];
    /* only 0xFF has bit 4 set among the table's values */
    for (i = 0; (any & 0x10) != 0 && i < len; i++) {
        if (nibble(hex[i]) < 0) {
            if (bad_pos != NULL)
                *bad_pos = i;
            return MFAB_EFORMAT;
        }
    }
    if (len % 2 != 0) {
        if (bad_pos != NULL)
            *bad_pos = len;
        return MFAB_EFORMAT;
    }
    *out_len = len / 2;
    if (out == NULL)
        return 0;
    if (cap < len / 2)
        return MFAB_EBUFS;
    for (i = 0; i < len / 2; i++)
        out[i] = (uint8_t)((hex_value[(unsigned char)hex[2 * i]] << 4) |
                           hex_value[(unsigned char)hex[2 * i + 1]]);
    return 0;
}

/* see matterfab/hex.h */
void
mfab_hex_encode(char *out, const uint8_t *data, size_t len)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 0x0f];
    }
    out[2 * len] = '\0';
}
