/*
 * fe_encrypt.c: the flash encryption entry point
 * (shared/spec/production-images.md sections 5.2-5.4): checks that hold for
 * both algorithms, then hands over to the XTS or the ESP32 one.
 */
#include <string.h>

#include "flashenc/fe_internal.h"

/* see fe_internal.h */
void
mfab_fe__reverse(uint8_t *dst, const uint8_t *src, size_t n)
{
    size_t i;

    /* 8 bytes at a time where possible: this runs twice per flash unit,
     * and the byte loop was a third of the XTS cost */
    if (n % 16 == 0 && dst != src) {
        for (i = 0; i < n / 8; i++) {
            uint64_t w;

            memcpy(&w, src + n - 8 * (i + 1), 8);
            w = __builtin_bswap64(w);
            memcpy(dst + 8 * i, &w, 8);
        }
        return;
    }
    for (i = 0; i < n / 2; i++) {
        uint8_t a = src[i], b = src[n - 1 - i];
        dst[i] = b;
        dst[n - 1 - i] = a;
    }
    if (n % 2 == 1)
        dst[n / 2] = src[n / 2];
}

/* see flashenc.h */
int
mfab_flashenc_crypt(uint8_t *out, const uint8_t *in, size_t len,
                    uint32_t address, const mfab_flashenc_key *key,
                    unsigned conf, unsigned flags, mfab_diag *diag)
{
    int encrypt = (flags & MFAB_FLASHENC_DECRYPT) == 0;

    if (address % 16 != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "address '0x%x' not allowed: flash encryption "
                             "works on 16-byte blocks (use a multiple of "
                             "0x10)", (unsigned)address);
    if (len == 0 || len % 16 != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "data length %zu not allowed: must be a "
                             "non-zero multiple of 16 bytes", len);
    if ((uint64_t)address + len > ((uint64_t)1 << 32))
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "data of %zu bytes at '0x%x' runs past the "
                             "4 GiB flash address space", len,
                             (unsigned)address);
    if (key->mode == MFAB_FLASHENC_XTS)
        return mfab_fe__xts_crypt(out, in, len, address, key, encrypt, diag);
    if (conf > 0xF)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "flash crypt conf '0x%x' not allowed (allowed: "
                             "0x0..0xF)", conf);
    return mfab_fe__esp32_crypt(out, in, len, address, key, conf, encrypt,
                                diag);
}
