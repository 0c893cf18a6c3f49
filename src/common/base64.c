/*
 * base64.c: standard base64 (RFC 4648 section 4), see matterfab/base64.h.
 *
 * Encoding is OpenSSL's EVP_EncodeBlock. Decoding is written here because
 * OpenSSL's decoders skip whitespace, keep the padding bytes in their
 * output length and accept non-zero unused bits; a salt must have exactly
 * one spelling (the reference's lenient decoder is bug B4 in
 * shared/spec/matter-commissioning.md section 8).
 *
 *   text  | c0 c1 c2 c3 | ... | c0 c1 c2 = | or | c0 c1 = = |
 *   bits  | 6  6  6  6  |     | 6  6  4+00 |    | 6  2+0000 |
 *   bytes |  b0 b1 b2   |     |   b0 b1    |    |    b0     |
 */
#include <openssl/evp.h>

#include "matterfab/base64.h"
#include "matterfab/error.h"

/* see matterfab/base64.h */
int
mfab_base64_sextet(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

static int
bad(size_t *bad_pos, size_t at)
{
    if (bad_pos != NULL)
        *bad_pos = at;
    return MFAB_EFORMAT;
}

/* see matterfab/base64.h */
int
mfab_base64_decode(uint8_t *out, size_t cap, size_t *out_len,
                   const char *text, size_t len, size_t *bad_pos)
{
    size_t pad = 0, i, n, o = 0;
    uint32_t acc = 0;

    if (len % 4 != 0)
        return bad(bad_pos, len);
    if (len > 0 && text[len - 1] == '=')
        pad = len > 1 && text[len - 2] == '=' ? 2 : 1;
    for (i = 0; i < len - pad; i++)
        if (mfab_base64_sextet(text[i]) < 0)
            return bad(bad_pos, i);
    /* the last sextet's unused low bits must be zero */
    if (pad == 1 && (mfab_base64_sextet(text[len - 2]) & 0x03) != 0)
        return bad(bad_pos, len - 2);
    if (pad == 2 && (mfab_base64_sextet(text[len - 3]) & 0x0F) != 0)
        return bad(bad_pos, len - 3);
    n = len / 4 * 3 - pad;
    *out_len = n;
    if (out == NULL)
        return 0;
    if (cap < n)
        return MFAB_EBUFS;
    for (i = 0; i < len - pad; i++) {
        acc = (acc << 6) | (uint32_t)mfab_base64_sextet(text[i]);
        if (i % 4 == 3) {
            out[o++] = (uint8_t)(acc >> 16);
            out[o++] = (uint8_t)(acc >> 8);
            out[o++] = (uint8_t)acc;
            acc = 0;
        }
    }
    if (pad == 1) {
        out[o++] = (uint8_t)(acc >> 10);
        out[o++] = (uint8_t)(acc >> 2);
    } else if (pad == 2) {
        out[o++] = (uint8_t)(acc >> 4);
    }
    return 0;
}

/* see matterfab/base64.h */
int
mfab_base64_encode(char *out, size_t cap, size_t *out_len,
                   const uint8_t *data, size_t len)
{
    size_t n = MFAB_BASE64_LEN(len);
    size_t done = 0;

    *out_len = n;
    if (out == NULL)
        return 0;
    if (cap < n + 1)
        return MFAB_EBUFS;
    /* EVP_EncodeBlock takes an int length: feed it in slices */
    while (len - done > 0) {
        size_t chunk = len - done > 3 * 1024 * 1024 ? 3 * 1024 * 1024
                                                    : len - done;
        EVP_EncodeBlock((unsigned char *)out + done / 3 * 4, data + done,
                        (int)chunk);
        done += chunk;
    }
    out[n] = '\0';
    return 0;
}
