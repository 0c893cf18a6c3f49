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
 * (the tests compare the two). Batching: for a run of consecutive slots,
 * one ECB call encrypts all their tweaks and a second all their blocks.
 */
#include <string.h>

#include <openssl/crypto.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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
    OPENSSL_cleanse(x->t0, sizeof(x->t0));
}

/*
 * dst = src ^ (T0 || T1) for one 32-byte unit, T0 being its encrypted
 * tweak and T1 = T0 * alpha (a 128-bit little-endian shift left, 0x87
 * folded into the low byte on carry out of bit 127).
 */
#if defined(__SSE2__)
/* The same arithmetic in SSE2 (x86 is little-endian): double each 32-bit
 * lane, then move every lane's lost top bit into the next lane up, and
 * bit 127 into 0x87. This is half the work of the scalar loop. */
static inline __attribute__((always_inline)) void
xor_tweaks(uint8_t *dst, const uint8_t *src, const uint8_t *t0)
{
    const __m128i fold = _mm_set_epi32(1, 1, 1, 0x87);
    __m128i t = _mm_loadu_si128((const __m128i *)(const void *)t0);
    __m128i c =
        _mm_and_si128(_mm_shuffle_epi32(_mm_srai_epi32(t, 31), 0x93), fold);
    __m128i t1 = _mm_xor_si128(_mm_add_epi32(t, t), c);
    __m128i lo = _mm_loadu_si128((const __m128i *)(const void *)src);
    __m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(src + 16));

    _mm_storeu_si128((__m128i *)(void *)dst, _mm_xor_si128(lo, t));
    _mm_storeu_si128((__m128i *)(void *)(dst + 16), _mm_xor_si128(hi, t1));
}
#else
static inline void
xor_tweaks(uint8_t *dst, const uint8_t *src, const uint8_t *t0)
{
    uint64_t a = mfab_le64(t0), b = mfab_le64(t0 + 8);
    uint64_t c = (a << 1) ^ ((b >> 63) * 0x87u), d = (b << 1) | (a >> 63);

    mfab_put_le64(dst, mfab_le64(src) ^ a);
    mfab_put_le64(dst + 8, mfab_le64(src + 8) ^ b);
    mfab_put_le64(dst + 16, mfab_le64(src + 16) ^ c);
    mfab_put_le64(dst + 24, mfab_le64(src + 24) ^ d);
}
#endif

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

/* see nvs_xts.h */
int
mfab_nvs__xts_run(mfab_nvs__xts *x, uint8_t *units, uint32_t off0, size_t n,
                  mfab_diag *diag)
{
    size_t i, k;
    int rc;

    /* In place: units ^= T, AES over the whole run in one call, ^= T. */
    for (; n > 0; n -= k, units += 32 * k, off0 += (uint32_t)(32 * k)) {
        k = n < MFAB_NVS__XTS_BATCH ? n : MFAB_NVS__XTS_BATCH;
        for (i = 0; i < k; i++) {
            uint32_t off = off0 + (uint32_t)(32 * i);
#if defined(__SSE2__)
            _mm_storeu_si128((__m128i *)(void *)x->t0[i],
                             _mm_cvtsi32_si128((int)off));
#else
            memset(x->t0[i], 0, 16);
            mfab_put_le32(x->t0[i], off);
#endif
        }
        rc = ecb(x->tweak, x->t0[0], 16 * k, diag);
        if (rc < 0)
            return rc;
        for (i = 0; i < k; i++)
            xor_tweaks(units + 32 * i, units + 32 * i, x->t0[i]);
        rc = ecb(x->data, units, 32 * k, diag);
        if (rc < 0)
            return rc;
        for (i = 0; i < k; i++)
            xor_tweaks(units + 32 * i, units + 32 * i, x->t0[i]);
    }
    return 0;
}
