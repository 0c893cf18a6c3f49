/*
 * sb_bootloader.c: Secure Boot V1 re-flashable bootloader digest of the
 * original ESP32 (shared/spec/production-images.md section 4.9).
 *
 *   output: [ IV (as given, 128 on a device) ][ digest 64 ][ FF to 0x1000 ]
 *           [ image, 0xFF-padded to a multiple of 128 ]
 *
 *   digest = wordswap(SHA-512( for each 16-byte block b of IV || image:
 *                              wordrev(AES-256-ECB-encrypt(K, rev(b))) ))
 *
 * rev reverses the 16 bytes, wordrev reverses the order of the four
 * 32-bit words, wordswap reverses the bytes inside each 32-bit word.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "matterfab/flashenc.h"
#include "secureboot/sb_internal.h"

#define SB_DIGEST_SECTOR 0x1000u

/* Image length to digest: a trailing SHA-256 is dropped when it hangs
 * over a 128-byte boundary by no more than its own size. */
static size_t
image_len(const uint8_t *image, size_t len)
{
    if (len >= 24 && image[0] == 0xE9 && image[23] == 1 && len % 128 <= 32)
        return len - len % 128;
    return len;
}

/* see secureboot.h */
int
mfab_sbv1_bootloader_digest(uint8_t *buf, size_t cap, size_t *out_len,
                            const uint8_t *image, size_t len,
                            const uint8_t *key, size_t key_len,
                            const uint8_t *iv, size_t iv_len,
                            mfab_diag *diag)
{
    mfab_flashenc_key k;
    EVP_CIPHER_CTX *ctx = NULL;
    EVP_MD_CTX *md = NULL;
    uint8_t blk[16], ct[16], words[16], digest[64];
    size_t ilen = image_len(image, len), plen, total, off, i;
    unsigned int mdlen = 0;
    uint8_t *img;
    int olen = 0, rc;

    memset(&k, 0, sizeof(k));
    if (key_len != 16 && key_len != 24 && key_len != 32)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "secure boot key of %zu bytes not allowed "
                             "(allowed: 16, 24 or 32 bytes)", key_len);
    if (iv_len == 0 || iv_len > MFAB_SBV1_IV_LEN || iv_len % 16 != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "IV of %zu bytes not allowed (allowed: a "
                             "multiple of 16 up to 128; devices use 128)",
                             iv_len);
    plen = (ilen + 127) / 128 * 128;
    total = SB_DIGEST_SECTOR + plen;
    *out_len = total;
    if (buf == NULL)
        return 0;
    if (cap < total)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "output buffer of %zu bytes too small (%zu "
                             "needed)", cap, total);
    /* the same key-file rules as flash encryption: 24 bytes are a
     * 3/4-coded key, 16 bytes are expanded with SHA-256 */
    rc = mfab_flashenc_key_init(&k,
                                key_len == 16 ? MFAB_FLASHENC_XTS
                                              : MFAB_FLASHENC_ESP32,
                                key, key_len, diag);
    if (rc != 0)
        goto out;
    memset(buf, 0xFF, total);
    memcpy(buf, iv, iv_len);
    img = buf + SB_DIGEST_SECTOR;
    memcpy(img, image, ilen);
    ctx = EVP_CIPHER_CTX_new();
    md = EVP_MD_CTX_new();
    if (ctx == NULL || md == NULL ||
        EVP_EncryptInit_ex(ctx, EVP_aes_256_ecb(), NULL, k.key, NULL) != 1 ||
        EVP_CIPHER_CTX_set_padding(ctx, 0) != 1 ||
        EVP_DigestInit_ex(md, EVP_sha512(), NULL) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot set up AES-256 / SHA-512");
        goto out;
    }
    for (off = 0; off < iv_len + plen; off += 16) {
        const uint8_t *src = off < iv_len ? iv + off : img + (off - iv_len);

        for (i = 0; i < 16; i++)
            blk[i] = src[15 - i];
        if (EVP_EncryptUpdate(ctx, ct, &olen, blk, 16) != 1 || olen != 16) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "AES-256 failed");
            goto out;
        }
        for (i = 0; i < 4; i++)
            memcpy(words + 4 * i, ct + 4 * (3 - i), 4);
        if (EVP_DigestUpdate(md, words, 16) != 1) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "SHA-512 failed");
            goto out;
        }
    }
    if (EVP_DigestFinal_ex(md, digest, &mdlen) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "SHA-512 failed");
        goto out;
    }
    for (i = 0; i < 64; i++)
        buf[iv_len + i] = digest[(i & ~(size_t)3) + 3 - (i & 3)];
out:
    mfab_flashenc_key_wipe(&k);
    OPENSSL_cleanse(blk, sizeof(blk));
    EVP_CIPHER_CTX_free(ctx);
    EVP_MD_CTX_free(md);
    return rc;
}
