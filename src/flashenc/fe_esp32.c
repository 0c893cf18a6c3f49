/*
 * fe_esp32.c: flash encryption of the original ESP32
 * (shared/spec/production-images.md section 5.3).
 *
 * Each 16-byte block at address a uses the 256-bit key with bits flipped
 * according to the address of its 32-byte block (a & ~31):
 *
 *   key bit n (MSB-first)  0..66    67..131   132..194   195..255
 *   conf bit               0x1      0x2       0x4        0x8
 *   address bits P[n]      23..5 x3 23..5 x3  23..5 x3   23..5 x3
 *                          14..5    12..5     10..5      8..5
 *
 * Flash "encryption" is AES-256 *decryption* of the byte-reversed block,
 * result reversed again; flash "decryption" is AES-256 encryption.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "flashenc/fe_internal.h"

/* Key bits where each range starts, and the low run's top address bit. */
static const struct {
    unsigned first, count, tail_top;
} fe_ranges[4] = {
    { 0, 67, 14 }, { 67, 65, 12 }, { 132, 63, 10 }, { 195, 61, 8 }
};

/* see fe_internal.h */
void
mfab_fe__esp32_tweak_key(uint8_t out[32], const uint8_t key[32],
                         uint32_t address, unsigned conf)
{
    unsigned r, i;

    memcpy(out, key, 32);
    for (r = 0; r < 4; r++) {
        unsigned n = fe_ranges[r].first;

        if ((conf & (1u << r)) == 0)
            continue;
        for (i = 0; i < fe_ranges[r].count; i++, n++) {
            /* three runs of 23..5 (19 entries each), then top..5 */
            unsigned bit = i < 57 ? 23 - i % 19 : fe_ranges[r].tail_top -
                                                      (i - 57);
            if (address & (1u << bit))
                out[n / 8] ^= (uint8_t)(0x80u >> (n % 8));
        }
    }
}

/* see fe_internal.h */
int
mfab_fe__esp32_crypt(uint8_t *out, const uint8_t *in, size_t len,
                     uint32_t address, const mfab_flashenc_key *key,
                     unsigned conf, int encrypt, mfab_diag *diag)
{
    EVP_CIPHER_CTX *ctx = NULL;
    uint8_t tkey[32], blk[16];
    uint32_t keyed_for = 0;
    int have_key = 0, rc = 0, olen = 0;
    size_t off;

    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    for (off = 0; off < len; off += 16) {
        uint32_t a = address + (uint32_t)off;

        if (!have_key || (a & ~31u) != keyed_for) {
            keyed_for = a & ~31u;
            mfab_fe__esp32_tweak_key(tkey, key->key, keyed_for, conf);
            /* inverted direction: the hardware decrypts to encrypt */
            if (EVP_CipherInit_ex(ctx, EVP_aes_256_ecb(), NULL, tkey, NULL,
                                  encrypt ? 0 : 1) != 1 ||
                EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
                rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                        "cannot set up AES-256");
                goto out;
            }
            have_key = 1;
        }
        mfab_fe__reverse(blk, in + off, 16);
        if (EVP_CipherUpdate(ctx, blk, &olen, blk, 16) != 1 || olen != 16) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "AES-256 failed at 0x%x", (unsigned)a);
            goto out;
        }
        mfab_fe__reverse(out + off, blk, 16);
    }
out:
    OPENSSL_cleanse(tkey, sizeof(tkey));
    OPENSSL_cleanse(blk, sizeof(blk));
    EVP_CIPHER_CTX_free(ctx);
    return rc;
}
