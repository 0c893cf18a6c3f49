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

/*
 * XOR masks per address bit 5..23: mask[b - 5] has the key bits set whose
 * P[n] is b within the ranges conf enables. The tweaked key is then the
 * key XOR the masks of the address bits that are 1, so the per-block cost
 * is at most 19 32-byte XORs instead of a walk over 256 key bits.
 */
static void
tweak_masks(uint8_t masks[19][32], unsigned conf)
{
    unsigned r, i;

    memset(masks, 0, 19 * 32);
    for (r = 0; r < 4; r++) {
        unsigned n = fe_ranges[r].first;

        if ((conf & (1u << r)) == 0)
            continue;
        for (i = 0; i < fe_ranges[r].count; i++, n++) {
            /* three runs of 23..5 (19 entries each), then top..5 */
            unsigned bit = i < 57 ? 23 - i % 19 : fe_ranges[r].tail_top -
                                                      (i - 57);
            masks[bit - 5][n / 8] |= (uint8_t)(0x80u >> (n % 8));
        }
    }
}

static void
apply_masks(uint8_t out[32], const uint8_t key[32],
            const uint8_t masks[19][32], uint32_t address)
{
    uint64_t k[4], m[4];
    unsigned b, i;

    memcpy(k, key, 32);
    for (b = 5; b <= 23; b++) {
        if ((address & (1u << b)) == 0)
            continue;
        memcpy(m, masks[b - 5], 32);
        for (i = 0; i < 4; i++)
            k[i] ^= m[i];
    }
    memcpy(out, k, 32);
    OPENSSL_cleanse(k, sizeof(k));
}

/* see fe_internal.h */
void
mfab_fe__esp32_tweak_key(uint8_t out[32], const uint8_t key[32],
                         uint32_t address, unsigned conf)
{
    uint8_t masks[19][32];

    tweak_masks(masks, conf);
    apply_masks(out, key, masks, address);
}

/* see fe_internal.h */
int
mfab_fe__esp32_crypt(uint8_t *out, const uint8_t *in, size_t len,
                     uint32_t address, const mfab_flashenc_key *key,
                     unsigned conf, int encrypt, mfab_diag *diag)
{
    EVP_CIPHER_CTX *ctx = NULL;
    uint8_t masks[19][32], tkey[32], blk[32];
    int rc = 0, olen = 0;
    size_t off, n;

    tweak_masks(masks, conf);
    ctx = EVP_CIPHER_CTX_new();
    /* inverted direction: the hardware decrypts to encrypt */
    if (ctx == NULL ||
        EVP_CipherInit_ex(ctx, EVP_aes_256_ecb(), NULL, NULL, NULL,
                          encrypt ? 0 : 1) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "cannot set up AES-256");
        goto out;
    }
    /* one key and one AES call per 32-byte block (or its half at the
     * edges of the range) */
    for (off = 0; off < len; off += n) {
        uint32_t a = address + (uint32_t)off;
        size_t i;

        n = (a % 32 != 0 || len - off < 32) ? 16 : 32;
        apply_masks(tkey, key->key, masks, a & ~31u);
        for (i = 0; i < n; i += 16)
            mfab_fe__reverse(blk + i, in + off + i, 16);
        if (EVP_CipherInit_ex(ctx, NULL, NULL, tkey, NULL, -1) != 1 ||
            EVP_CipherUpdate(ctx, blk, &olen, blk, (int)n) != 1 ||
            olen != (int)n) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "AES-256 failed at 0x%x", (unsigned)a);
            goto out;
        }
        for (i = 0; i < n; i += 16)
            mfab_fe__reverse(out + off + i, blk + i, 16);
    }
out:
    OPENSSL_cleanse(masks, sizeof(masks));
    OPENSSL_cleanse(tkey, sizeof(tkey));
    OPENSSL_cleanse(blk, sizeof(blk));
    EVP_CIPHER_CTX_free(ctx);
    return rc;
}
