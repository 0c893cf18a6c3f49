/*
 * sb_v1.c: Secure Boot V1 app signatures of the original ESP32
 * (shared/spec/production-images.md section 4.9).
 *
 *   [ data ][ LE32 version = 0 ][ BE(r, 32) ][ BE(s, 32) ]
 *
 * ECDSA P-256 with SHA-256 over data. The reference uses RFC 6979 nonces,
 * and so do we (matterfab/ecdsa.h), so that outputs are byte-identical. A
 * key whose scalar cannot be read (held in an HSM) signs with OpenSSL's
 * random nonce instead: the signature is just as valid on the device.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>

#include "matterfab/ecdsa.h"
#include "secureboot/sb_internal.h"

/* ECDSA with OpenSSL's random nonce, for keys RFC 6979 cannot use. */
static int
sign_random(uint8_t *der, size_t *dlen, const uint8_t *data, size_t len,
            EVP_PKEY *key, mfab_diag *diag)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    int rc = 0;

    if (md == NULL ||
        EVP_DigestSignInit_ex(md, NULL, "SHA256", NULL, NULL, key, NULL) !=
            1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot sign with the key (is it a private "
                                "key?)");
    } else if (EVP_DigestSign(md, der, dlen, data, len) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "signing failed");
    }
    EVP_MD_CTX_free(md);
    return rc;
}

/* Only P-256 is a V1 key. */
static int
check_p256(EVP_PKEY *key, mfab_diag *diag)
{
    mfab_sb_scheme scheme = MFAB_SB_NONE;
    int rc = mfab_sb_key_scheme(&scheme, key, NULL);

    if (rc != 0 || scheme != MFAB_SB_ECDSA256)
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "Secure Boot V1 key must be ECDSA P-256 (got "
                             "%s)", rc == 0 ? mfab_sb_scheme_name(scheme)
                                            : "another type");
    return 0;
}

/* see secureboot.h */
int
mfab_sbv1_pubkey_raw(uint8_t out[64], EVP_PKEY *key, mfab_diag *diag)
{
    uint8_t area[776];
    size_t n = 0, i;
    mfab_sb_scheme scheme = MFAB_SB_NONE;
    int rc;

    rc = check_p256(key, diag);
    if (rc == 0)
        rc = mfab_sb__key_area(area, &n, &scheme, key, diag);
    if (rc != 0)
        return rc;
    /* the V2 key area is id || LE(X) || LE(Y); V1 wants big-endian */
    for (i = 0; i < 32; i++) {
        out[i] = area[1 + 31 - i];
        out[32 + i] = area[33 + 31 - i];
    }
    return 0;
}

/* see secureboot.h */
int
mfab_sbv1_pubkey_from_raw(EVP_PKEY **out, const uint8_t raw[64],
                          mfab_diag *diag)
{
    uint8_t block[MFAB_SBV2_BLOCK_LEN];
    const sb_layout *lay = mfab_sb__layout(MFAB_SB_ECDSA256);
    size_t i;

    /* reuse the block key decoder: lay the key out as a V2 block would */
    memset(block, 0, sizeof(block));
    block[lay->key_off] = lay->curve_id;
    for (i = 0; i < 32; i++) {
        block[lay->key_off + 1 + i] = raw[31 - i];
        block[lay->key_off + 33 + i] = raw[63 - i];
    }
    return mfab_sb__key_from_block(out, block, MFAB_SB_ECDSA256, diag);
}

/* see secureboot.h */
int
mfab_sbv1_sign(uint8_t *buf, size_t cap, size_t *out_len,
               const uint8_t *data, size_t len, EVP_PKEY *key,
               mfab_diag *diag)
{
    uint8_t der[80];
    size_t dlen = sizeof(der);
    int rc;

    rc = check_p256(key, diag);
    if (rc != 0)
        return rc;
    *out_len = len + MFAB_SBV1_TRAILER_LEN;
    if (buf == NULL)
        return 0;
    if (cap < *out_len)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "output buffer of %zu bytes too small (%zu "
                             "needed)", cap, *out_len);
    if (mfab_ecdsa_has_private_scalar(key))
        rc = mfab_ecdsa_sign_rfc6979(der, sizeof(der), &dlen, key, "SHA256",
                                     data, len, diag);
    else
        rc = sign_random(der, &dlen, data, len, key, diag);
    if (rc != 0)
        return rc;
    memcpy(buf, data, len);
    mfab_put_le32(buf + len, 0);
    return mfab_sb__ecdsa_der_to_rs(buf + len + 4, 32, 0, der, dlen, diag);
}

/* see secureboot.h */
int
mfab_sbv1_verify(const uint8_t *data, size_t len, EVP_PKEY *key,
                 mfab_diag *diag)
{
    EVP_MD_CTX *md = NULL;
    uint8_t *der = NULL;
    size_t dlen = 0, body;
    int rc;

    rc = check_p256(key, diag);
    if (rc != 0)
        return rc;
    if (len < MFAB_SBV1_TRAILER_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "signed image of %zu bytes too short for the "
                             "68-byte V1 signature", len);
    body = len - MFAB_SBV1_TRAILER_LEN;
    if (mfab_le32(data + body) != 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "signature version word %u at offset 0x%zx not "
                             "allowed (allowed: 0)",
                             (unsigned)mfab_le32(data + body), body);
    rc = mfab_sb__ecdsa_rs_to_der(&der, &dlen, data + body + 4, 32, 0, diag);
    if (rc != 0)
        goto out;
    md = EVP_MD_CTX_new();
    if (md == NULL ||
        EVP_DigestVerifyInit_ex(md, NULL, "SHA256", NULL, NULL, key,
                                NULL) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot set up verification");
        goto out;
    }
    if (EVP_DigestVerify(md, der, dlen, data, body) != 1)
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "signature verification failed: the V1 "
                                "signature does not match the data and key");
out:
    OPENSSL_free(der);
    EVP_MD_CTX_free(md);
    return rc;
}

/* see secureboot.h */
int
mfab_sbv1_private_key_digest(uint8_t *out, size_t out_len, EVP_PKEY *key,
                             mfab_diag *diag)
{
    BIGNUM *d = NULL;
    uint8_t scalar[32], md[32];
    unsigned int mdlen = 0;
    int rc;

    if (out_len != 24 && out_len != 32)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "key digest length %zu not allowed (allowed: "
                             "24 or 32 bytes)", out_len);
    rc = check_p256(key, diag);
    if (rc != 0)
        return rc;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1 ||
        BN_bn2binpad(d, scalar, 32) != 32) {
        rc = mfab_diag_set_ossl(diag, MFAB_EUNSUPPORTED,
                                "key has no readable private part");
        goto out;
    }
    if (EVP_Digest(scalar, 32, md, &mdlen, EVP_sha256(), NULL) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "cannot hash the key");
        goto out;
    }
    memcpy(out, md, out_len);
out:
    OPENSSL_cleanse(scalar, sizeof(scalar));
    OPENSSL_cleanse(md, sizeof(md));
    BN_clear_free(d);
    return rc;
}
