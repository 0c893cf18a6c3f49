/*
 * fe_xts.c: XTS-AES flash encryption of ESP32-S2/S3/C2/C3/C6/H2...
 * (shared/spec/production-images.md section 5.2).
 *
 * Flash is cut into 128-byte data units aligned to 0x80:
 *
 *   unit at U:  [ 128 bytes, zero where outside [A, A+L) ]
 *   tweak:      LE(U, 4) || 00 * 12
 *   out = rev( XTS-AES(K1 || K2, tweak, rev(unit)) )
 *
 * As A and L are multiples of 16 and a unit is whole AES blocks, the zero
 * fill never changes the bytes kept.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "flashenc/fe_internal.h"

#define FE_UNIT 128u

/* see fe_internal.h */
int
mfab_fe__xts_crypt(uint8_t *out, const uint8_t *in, size_t len,
                   uint32_t address, const mfab_flashenc_key *key,
                   int encrypt, mfab_diag *diag)
{
    EVP_CIPHER_CTX *ctx = NULL;
    uint8_t unit[FE_UNIT], rev[FE_UNIT], tweak[16];
    uint64_t end = (uint64_t)address + len;
    uint64_t u;
    int rc = 0, olen = 0;

    ctx = EVP_CIPHER_CTX_new();
    if (ctx == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    if (EVP_CipherInit_ex(ctx,
                          key->len == 64 ? EVP_aes_256_xts()
                                         : EVP_aes_128_xts(),
                          NULL, key->key, NULL, encrypt) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot set up XTS-AES with this key");
        goto out;
    }
    memset(tweak, 0, sizeof(tweak));
    for (u = address & ~(uint64_t)(FE_UNIT - 1); u < end; u += FE_UNIT) {
        uint64_t lo = u < address ? address : u;
        uint64_t hi = u + FE_UNIT > end ? end : u + FE_UNIT;
        size_t off = (size_t)(lo - u), n = (size_t)(hi - lo);

        if (n == FE_UNIT) {
            mfab_fe__reverse(unit, in + (lo - address), FE_UNIT);
        } else {
            memset(rev, 0, sizeof(rev));
            memcpy(rev + off, in + (lo - address), n);
            mfab_fe__reverse(unit, rev, FE_UNIT);
        }
        mfab_put_le32(tweak, (uint32_t)u);
        if (EVP_CipherInit_ex(ctx, NULL, NULL, NULL, tweak, -1) != 1 ||
            EVP_CipherUpdate(ctx, unit, &olen, unit, (int)FE_UNIT) != 1 ||
            olen != (int)FE_UNIT) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "XTS-AES failed on the unit at 0x%x",
                                    (unsigned)u);
            goto out;
        }
        if (n == FE_UNIT) {
            mfab_fe__reverse(out + (lo - address), unit, FE_UNIT);
        } else {
            mfab_fe__reverse(rev, unit, FE_UNIT);
            memcpy(out + (lo - address), rev + off, n);
        }
    }
out:
    OPENSSL_cleanse(unit, sizeof(unit));
    OPENSSL_cleanse(rev, sizeof(rev));
    EVP_CIPHER_CTX_free(ctx);
    return rc;
}
