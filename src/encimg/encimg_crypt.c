/*
 * encimg_crypt.c: encryption and decryption of pre-encrypted OTA payloads
 * (shared/spec/production-images.md section 6.2), as esp_enc_img_gen.py.
 *
 *   AES key:  RSA    32 random bytes, PKCS#1 v1.5-encrypted into the 384
 *                    key-parameter bytes
 *             ECIES  HKDF-SHA256(IKM = ECDH(ephemeral, device).x,
 *                    salt = 32 random bytes, info = "_esp_enc_img_ecc", 32);
 *                    key params = X(32) || Y(32) || salt(32) || zeros
 *   payload:  AES-256-GCM, 16-byte IV, no AAD, 16-byte tag in the header
 */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "encimg/encimg_internal.h"

static const char hkdf_info[] = "_esp_enc_img_ecc";

/* EVP takes int lengths: feed large payloads in slices. */
#define GCM_SLICE (1 << 30)

static int
hkdf(uint8_t key[32], const uint8_t *secret, size_t slen,
     const uint8_t *salt, mfab_diag *diag)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
    EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
    OSSL_PARAM params[5];
    int rc = 0;

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                 (char *)"SHA256", 0);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                  (void *)secret, slen);
    params[2] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_SALT, (void *)salt, MFAB_ENCIMG__SALT_LEN);
    params[3] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_INFO, (void *)hkdf_info, sizeof(hkdf_info) - 1);
    params[4] = OSSL_PARAM_construct_end();
    if (ctx == NULL || EVP_KDF_derive(ctx, key, 32, params) <= 0)
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "encimg: HKDF-SHA256 failed");
    EVP_KDF_CTX_free(ctx);
    EVP_KDF_free(kdf);
    return rc;
}

/* ECDH x-coordinate of mine (private) with peer (public), then HKDF. */
static int
ecies_key(uint8_t key[32], EVP_PKEY *mine, EVP_PKEY *peer,
          const uint8_t *salt, mfab_diag *diag)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, mine, NULL);
    uint8_t secret[32];
    size_t slen = sizeof(secret);
    int rc;

    if (ctx == NULL || EVP_PKEY_derive_init(ctx) <= 0 ||
        EVP_PKEY_derive_set_peer(ctx, peer) <= 0 ||
        EVP_PKEY_derive(ctx, secret, &slen) <= 0 || slen != sizeof(secret)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "encimg: ECDH failed");
        goto out;
    }
    rc = hkdf(key, secret, slen, salt, diag);
out:
    OPENSSL_cleanse(secret, sizeof(secret));
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

/* Fill the key parameters and the AES key for a new image. */
static int
wrap_key(uint8_t *params, uint8_t key[32], const mfab_encimg_key *k,
         mfab_diag *diag)
{
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *eph = NULL;
    size_t n = MFAB_ENCIMG_KEY_PARAMS_LEN;
    uint8_t point[65];
    int rc = 0;

    memset(params, 0, MFAB_ENCIMG_KEY_PARAMS_LEN);
    if (k->scheme == MFAB_ENCIMG_RSA3072) {
        ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
        if (RAND_bytes(key, MFAB_ENCIMG__AES_KEY_LEN) != 1 || ctx == NULL ||
            EVP_PKEY_encrypt_init(ctx) <= 0 ||
            EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0 ||
            EVP_PKEY_encrypt(ctx, params, &n, key, MFAB_ENCIMG__AES_KEY_LEN) <=
                0 ||
            n != MFAB_ENCIMG_KEY_PARAMS_LEN)
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "encimg: RSA key wrap failed");
        goto out;
    }
    eph = EVP_PKEY_Q_keygen(NULL, NULL, "EC", MFAB_ENCIMG__EC_GROUP);
    if (eph == NULL ||
        !EVP_PKEY_get_octet_string_param(eph,
                                         OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY,
                                         point, sizeof(point), &n) ||
        n != sizeof(point) || point[0] != 0x04 ||
        RAND_bytes(params + MFAB_ENCIMG__EC_POINT_LEN,
                   MFAB_ENCIMG__SALT_LEN) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "encimg: cannot make the ephemeral P-256 key");
        goto out;
    }
    memcpy(params, point + 1, MFAB_ENCIMG__EC_POINT_LEN);
    rc = ecies_key(key, eph, k->pkey, params + MFAB_ENCIMG__EC_POINT_LEN,
                   diag);
out:
    EVP_PKEY_free(eph);
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

/* The AES key of an existing image, from its key parameters. */
static int
unwrap_key(uint8_t key[32], const uint8_t *params, const mfab_encimg_key *k,
           mfab_diag *diag)
{
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *peer = NULL;
    uint8_t out[MFAB_ENCIMG_KEY_PARAMS_LEN];
    size_t n = sizeof(out);
    int rc = 0;

    if (k->scheme == MFAB_ENCIMG_RSA3072) {
        ctx = EVP_PKEY_CTX_new_from_pkey(NULL, k->pkey, NULL);
        if (ctx == NULL || EVP_PKEY_decrypt_init(ctx) <= 0 ||
            EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) <= 0 ||
            EVP_PKEY_decrypt(ctx, out, &n, params,
                             MFAB_ENCIMG_KEY_PARAMS_LEN) <= 0 ||
            n != MFAB_ENCIMG__AES_KEY_LEN) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "encimg: cannot unwrap the AES key: "
                                    "wrong RSA key or damaged image");
            goto out;
        }
        memcpy(key, out, MFAB_ENCIMG__AES_KEY_LEN);
        goto out;
    }
    rc = mfab_encimg__ec_public(&peer, params, diag);
    if (rc < 0)
        goto out;
    rc = ecies_key(key, k->pkey, peer, params + MFAB_ENCIMG__EC_POINT_LEN,
                   diag);
out:
    OPENSSL_cleanse(out, sizeof(out));
    EVP_PKEY_free(peer);
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

/* AES-256-GCM over len bytes, in place-safe; enc selects the direction. */
static int
gcm(uint8_t *dst, const uint8_t *src, size_t len, const uint8_t key[32],
    const uint8_t *iv, uint8_t *tag, int enc)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    size_t done = 0;
    int n = 0, ok;

    ok = c != NULL &&
         EVP_CipherInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, MFAB_ENCIMG_IV_LEN,
                             NULL) &&
         EVP_CipherInit_ex(c, NULL, NULL, key, iv, enc);
    while (ok && done < len) {
        int slice = len - done > GCM_SLICE ? GCM_SLICE : (int)(len - done);
        ok = EVP_CipherUpdate(c, dst + done, &n, src + done, slice);
        done += (size_t)slice;
    }
    if (ok && !enc)
        ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, MFAB_ENCIMG_TAG_LEN,
                                 tag);
    if (ok)
        ok = EVP_CipherFinal_ex(c, dst + done, &n) > 0;
    if (ok && enc)
        ok = EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, MFAB_ENCIMG_TAG_LEN,
                                 tag);
    EVP_CIPHER_CTX_free(c);
    return ok ? 0 : -1;
}

/* see matterfab/encimg.h */
int
mfab_encimg_encrypt(uint8_t *buf, size_t cap, size_t *out_len,
                    const mfab_encimg_key *key, const uint8_t *plain,
                    size_t len, mfab_diag *diag)
{
    uint8_t aes[MFAB_ENCIMG__AES_KEY_LEN];
    uint8_t *iv, *tag;
    int rc;

    *out_len = MFAB_ENCIMG_HEADER_LEN + len;
    if (len > 0xFFFFFFFFu)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "encimg: image of %zu bytes does not fit the "
                             "32-bit bin_size (allowed up to 4 GiB - 1)",
                             len);
    if (buf == NULL)
        return 0;
    if (cap < *out_len)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "encimg: image needs %zu bytes, buffer has %zu",
                             *out_len, cap);
    memset(buf, 0, MFAB_ENCIMG_HEADER_LEN);
    mfab_put_le32(buf, MFAB_ENCIMG_MAGIC);
    iv = buf + 4 + MFAB_ENCIMG_KEY_PARAMS_LEN;
    tag = iv + MFAB_ENCIMG_IV_LEN + 4;
    mfab_put_le32(iv + MFAB_ENCIMG_IV_LEN, (uint32_t)len);
    rc = wrap_key(buf + 4, aes, key, diag);
    if (rc < 0)
        goto out;
    if (RAND_bytes(iv, MFAB_ENCIMG_IV_LEN) != 1 ||
        gcm(buf + MFAB_ENCIMG_HEADER_LEN, plain, len, aes, iv, tag, 1) < 0)
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "encimg: AES-256-GCM encryption failed");
out:
    OPENSSL_cleanse(aes, sizeof(aes));
    if (rc < 0)
        OPENSSL_cleanse(buf, *out_len);
    return rc;
}

/* see matterfab/encimg.h */
int
mfab_encimg_decrypt(uint8_t *buf, size_t cap, size_t *out_len,
                    const mfab_encimg_key *key, const uint8_t *image,
                    size_t len, mfab_diag *diag)
{
    uint8_t aes[MFAB_ENCIMG__AES_KEY_LEN];
    uint8_t tag[MFAB_ENCIMG_TAG_LEN];
    mfab_encimg_header h;
    int rc;

    *out_len = 0;
    rc = mfab_encimg_parse(&h, image, len, diag);
    if (rc < 0)
        return rc;
    *out_len = h.ciphertext_len;
    if (!key->has_private)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "encimg: decrypting needs the device's private "
                             "key, not a public key");
    if (buf == NULL)
        return 0;
    if (cap < *out_len)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "encimg: plaintext needs %zu bytes, buffer has "
                             "%zu",
                             *out_len, cap);
    rc = unwrap_key(aes, h.key_params, key, diag);
    if (rc < 0)
        goto out;
    memcpy(tag, h.tag, sizeof(tag));
    if (gcm(buf, h.ciphertext, h.ciphertext_len, aes, h.iv, tag, 0) < 0) {
        OPENSSL_cleanse(buf, h.ciphertext_len);
        rc = mfab_diag_set(diag, MFAB_ECRYPTO,
                           "encimg: authentication failed (AES-GCM tag "
                           "mismatch): wrong key or damaged image");
    }
out:
    OPENSSL_cleanse(aes, sizeof(aes));
    return rc;
}
