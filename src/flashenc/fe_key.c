/*
 * fe_key.c: flash encryption key files (shared/spec/production-images.md
 * section 5.1): size rules per mode, 3/4-coding extension, the ESP32-C2
 * 128-bit key hashed to 256 bits, and key generation.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "flashenc/fe_internal.h"

/* see flashenc.h */
int
mfab_flashenc_key_init(mfab_flashenc_key *out, mfab_flashenc_mode mode,
                       const uint8_t *file, size_t len, mfab_diag *diag)
{
    unsigned int mdlen = 0;
    size_t half;

    memset(out, 0, sizeof(*out));
    out->mode = mode;
    if (mode == MFAB_FLASHENC_ESP32) {
        if (len == 32) {
            memcpy(out->key, file, 32);
        } else if (len == 24) {
            /* A 3/4-coded eFuse block holds 192 bits; the hardware
             * repeats bytes 8..15 to make an AES-256 key. */
            memcpy(out->key, file, 24);
            memcpy(out->key + 24, file + 8, 8);
        } else {
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "flash encryption key of %zu bytes not "
                                 "allowed for the ESP32 scheme (allowed: 24 "
                                 "or 32 bytes; use --aes-xts for other "
                                 "chips)", len);
        }
        out->len = 32;
        return 0;
    }
    if (mode != MFAB_FLASHENC_XTS)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "unknown flash encryption mode %d", (int)mode);
    if (len == 32 || len == 64) {
        memcpy(out->key, file, len);
        out->len = len;
    } else if (len == 16) {
        /* ESP32-C2 burns a 128-bit key; the hardware expands it with
         * SHA-256 into an XTS-AES-128 key pair. */
        if (EVP_Digest(file, len, out->key, &mdlen, EVP_sha256(), NULL) != 1)
            return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                      "cannot hash the 128-bit key");
        out->len = 32;
    } else {
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "flash encryption key of %zu bytes not allowed "
                             "for XTS-AES (allowed: 16, 32 or 64 bytes)",
                             len);
    }
    half = out->len / 2;
    if (CRYPTO_memcmp(out->key, out->key + half, half) == 0) {
        mfab_flashenc_key_wipe(out);
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "xts key halves are identical (the data key "
                             "must differ from the tweak key; generate a "
                             "new key)");
    }
    return 0;
}

/* see flashenc.h */
void
mfab_flashenc_key_wipe(mfab_flashenc_key *key)
{
    OPENSSL_cleanse(key, sizeof(*key));
}

/* see flashenc.h */
int
mfab_flashenc_key_generate(uint8_t *out, size_t cap, size_t *out_len,
                           unsigned bits, mfab_diag *diag)
{
    size_t n = bits / 8;

    if (bits != 128 && bits != 192 && bits != 256 && bits != 512)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "key length '%u' not allowed (allowed: 128, "
                             "192, 256, 512 bits)", bits);
    *out_len = n;
    if (out == NULL)
        return 0;
    if (cap < n)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "key buffer of %zu bytes too small (%zu needed)",
                             cap, n);
    if (RAND_bytes(out, (int)n) != 1)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "cannot get random bytes for the key");
    return 0;
}
