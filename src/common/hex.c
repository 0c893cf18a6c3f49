/*
 * hex.c: hexadecimal text <-> bytes (see matterfab/hex.h).
 */
#include "matterfab/hex.h"
#include "matterfab/error.h"

static int
nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* see matterfab/hex.h */
int
mfab_hex_decode(uint8_t *out, size_t cap, size_t *out_len, const char *hex,
                size_t len, size_t *bad_pos)
{
    size_t i;

    for (i = 0; i < len; i++) {
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
        out[i] = (uint8_t)((nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]));
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
