/*
 * nvs_xts.c: XTS-AES-256 over 32-byte NVS slots, batched (shared/spec/
 * nvs.md section 13.1; IEEE P1619 XTS-AES without ciphertext stealing).
 *
 * For a slot at partition offset o with 16-byte blocks P0, P1:
 *
 *   T0 = AES-ENC(tky, o as u32 LE || 12 x 00)     tweak of block 0
 *   T1 = T0 * alpha in GF(2^128) (shift left as a 128-bit LE number,
 *        0x87 folded into byte 0 on carry out of bit 127)
 *   Cj = AES-ENC(eky, Pj ^ Tj) ^ Tj               (AES-DEC for decryption)
 *
 * which is exactly what EVP_aes_256_xts computes for one 32-byte data unit
 * (the tests compare the two). Batching: one ECB call encrypts the tweaks
 * of up to MFAB_NVS__XTS_BATCH slots, a second transforms their blocks.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "nvs/nvs_xts.h"

static int
ecb_init(EVP_CIPHER_CTX **out, const EVP_CIPHER *cipher, const uint8_t *key,
         int enc, mfab_diag *diag)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();

    if (ctx == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "nvs: out of memory");
    if (EVP_CipherInit_ex(ctx, cipher, NULL, key, NULL, enc) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx, 0) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "nvs: cannot set up AES-256");
    }
    *out = ctx;
    return 0;
}

/* see nvs_xts.h */
int
mfab_nvs__xts_init(mfab_nvs__xts *x, const mfab_nvs_keys *keys, int enc,
                   mfab_diag *diag)
{
    EVP_CIPHER *ecb = NULL;
    int rc;

    x->data = NULL;
    x->tweak = NULL;
    /* OpenSSL's XTS refuses equal halves (a known weakness); so do we. */
    if (CRYPTO_memcmp(keys->eky, keys->tky, sizeof(keys->eky)) == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "nvs: encryption key 'eky' equals tweak key "
                             "'tky' (XTS needs two different keys)");
    ecb = EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL);
    if (ecb == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "nvs: AES-256-ECB is not available");
        goto out;
    }
    rc = ecb_init(&x->data, ecb, keys->eky, enc, diag);
    if (rc < 0)
        goto out;
    rc = ecb_init(&x->tweak, ecb, keys->tky, 1, diag);
    if (rc < 0)
        goto out;
out:
    EVP_CIPHER_free(ecb);
    if (rc < 0)
        mfab_nvs__xts_release(x);
    return rc;
}

/* see nvs_xts.h */
void
mfab_nvs__xts_release(mfab_nvs__xts *x)
{
    EVP_CIPHER_CTX_free(x->data);
    EVP_CIPHER_CTX_free(x->tweak);
    x->data = NULL;
    x->tweak = NULL;
}

static void
xor32(uint8_t *dst, const uint8_t *a, const uint8_t *t)
{
    size_t i;

    for (i = 0; i < 32; i++)
        dst[i] = a[i] ^ t[i];
}

static int
ecb(EVP_CIPHER_CTX *ctx, uint8_t *buf, size_t len, mfab_diag *diag)
{
    int outl = 0;

    if (EVP_CipherUpdate(ctx, buf, &outl, buf, (int)len) != 1 ||
        (size_t)outl != len)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "nvs: AES-256 operation failed");
    return 0;
}

static int
xts_batch(mfab_nvs__xts *x, uint8_t *const *units, const uint32_t *offsets,
          size_t n, mfab_diag *diag)
{
    /* tweaks[i] = T0 || T1 of unit i; blocks[i] = the unit ^ tweaks[i] */
    uint8_t tweaks[MFAB_NVS__XTS_BATCH][32];
    uint8_t blocks[MFAB_NVS__XTS_BATCH][32];
    size_t i;
    int rc;

    for (i = 0; i < n; i++) {
        memset(tweaks[i], 0, 16);
        mfab_put_le32(tweaks[i], offsets[i]);
    }
    /* T0 of every unit, packed: encrypt the first halves in one call by
     * laying them out contiguously in blocks[] first. */
    for (i = 0; i < n; i++)
        memcpy(blocks[0] + 16 * i, tweaks[i], 16);
    rc = ecb(x->tweak, blocks[0], 16 * n, diag);
    if (rc < 0)
        goto out;
    for (i = 0; i < n; i++) {
        const uint8_t *t0 = blocks[0] + 16 * i;
        uint64_t lo = mfab_le64(t0), hi = mfab_le64(t0 + 8);
        uint64_t carry = hi >> 63;

        memcpy(tweaks[i], t0, 16);
        hi = (hi << 1) | (lo >> 63);
        lo = (lo << 1) ^ (carry * 0x87u);
        mfab_put_le64(tweaks[i] + 16, lo);
        mfab_put_le64(tweaks[i] + 24, hi);
    }
    for (i = 0; i < n; i++)
        xor32(blocks[i], units[i], tweaks[i]);
    rc = ecb(x->data, blocks[0], 32 * n, diag);
    if (rc < 0)
        goto out;
    for (i = 0; i < n; i++)
        xor32(units[i], blocks[i], tweaks[i]);
out:
    OPENSSL_cleanse(blocks, 32 * n);
    OPENSSL_cleanse(tweaks, 32 * n);
    return rc;
}

/* see nvs_xts.h */
int
mfab_nvs__xts_units(mfab_nvs__xts *x, uint8_t *const *units,
                    const uint32_t *offsets, size_t n, mfab_diag *diag)
{
    size_t done = 0;
    int rc = 0;

    while (done < n) {
        size_t k = n - done;

        if (k > MFAB_NVS__XTS_BATCH)
            k = MFAB_NVS__XTS_BATCH;
        rc = xts_batch(x, units + done, offsets + done, k, diag);
        if (rc < 0)
            break;
        done += k;
    }
    return rc;
}
