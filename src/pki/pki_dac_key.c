/*
 * pki_dac_key.c: DAC key pairs as plain bytes (spec attestation.md 3.3,
 * the storage formats), encoded from fixed templates instead of OpenSSL's
 * encoder lookups: every P-256 key has the same structure, only d and the
 * point change.
 *
 *   SEC1 DER    30 77 02 01 01 04 20 <d> A0 0A 06 08 <prime256v1>
 *               A1 44 03 42 00 04 <X> <Y>                       121 bytes
 *   PKCS#8 DER  30 81 87 02 01 00 30 13 06 07 <id-ecPublicKey>
 *               06 08 <prime256v1> 04 6D 30 6B 02 01 01 04 20 <d>
 *               A1 44 03 42 00 04 <X> <Y>                       138 bytes
 *                (the inner ECPrivateKey omits the parameters, as
 *                 OpenSSL writes it)
 *   SPKI DER    30 59 30 13 06 07 <id-ecPublicKey> 06 08 <prime256v1>
 *               03 42 00 04 <X> <Y>                              91 bytes
 *   PEM         RFC 7468: BEGIN line, base64 in 64-character lines,
 *               END line, each ending in LF
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>

#include "matterfab/base64.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

#define D_LEN 32
#define PUB_LEN 65
#define PEM_LINE 64

/* n, the order of the P-256 base point (FIPS 186-4 D.1.2.3) */
static const uint8_t p256_order[D_LEN] = {
    0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF,
    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17,
    0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51};

static const uint8_t sec1_head[] = {0x30, 0x77, 0x02, 0x01, 0x01, 0x04, 0x20};
static const uint8_t sec1_mid[] = {0xA0, 0x0A, 0x06, 0x08, 0x2A, 0x86,
                                   0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07,
                                   0xA1, 0x44, 0x03, 0x42, 0x00};
static const uint8_t pkcs8_head[] = {
    0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86,
    0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D,
    0x03, 0x01, 0x07, 0x04, 0x6D, 0x30, 0x6B, 0x02, 0x01, 0x01, 0x04, 0x20};
static const uint8_t pkcs8_mid[] = {0xA1, 0x44, 0x03, 0x42, 0x00};
static const uint8_t spki_head[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A,
                                    0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06,
                                    0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03,
                                    0x01, 0x07, 0x03, 0x42, 0x00};

/* 1 when 1 <= d < n; constant time is not needed for a range check on
 * a value that is rejected and redrawn. */
static int
scalar_in_range(const uint8_t d[D_LEN])
{
    uint8_t any = 0;
    size_t i;

    for (i = 0; i < D_LEN; i++)
        any |= d[i];
    return any != 0 && memcmp(d, p256_order, D_LEN) < 0;
}

/* pub = d.G on P-256 */
static int
derive_public(mfab_pki_dac_key *k, mfab_diag *diag)
{
    const EC_GROUP *group = mfab_ec_p256();
    EC_POINT *point = NULL;
    BIGNUM *d = NULL;
    int rc = 0;

    if (group != NULL)
        point = EC_POINT_new(group);
    d = BN_secure_new();
    if (point == NULL || d == NULL || BN_bin2bn(k->priv, D_LEN, d) == NULL ||
        EC_POINT_mul(group, point, d, NULL, NULL, NULL) != 1 ||
        EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, k->pub,
                           PUB_LEN, NULL) != PUB_LEN)
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot compute the DAC public key");
    BN_clear_free(d);
    EC_POINT_free(point);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_dac_key_generate(mfab_pki_dac_key *out, mfab_diag *diag)
{
    int rc;

    do {
        if (RAND_priv_bytes(out->priv, D_LEN) != 1) {
            mfab_pki_dac_key_release(out);
            return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                      "cannot draw a DAC private key");
        }
    } while (!scalar_in_range(out->priv));
    rc = derive_public(out, diag);
    if (rc < 0)
        mfab_pki_dac_key_release(out);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_dac_key_from_secret(mfab_pki_dac_key *out, const uint8_t secret[32],
                             mfab_diag *diag)
{
    int rc;

    if (!scalar_in_range(secret)) {
        mfab_pki_dac_key_release(out);
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "DAC key secret is not a P-256 scalar (allowed "
                             "1 .. order - 1)");
    }
    memcpy(out->priv, secret, D_LEN);
    rc = derive_public(out, diag);
    if (rc < 0)
        mfab_pki_dac_key_release(out);
    return rc;
}

/* see matterfab/pki.h */
void
mfab_pki_dac_key_release(mfab_pki_dac_key *key)
{
    if (key != NULL)
        OPENSSL_cleanse(key, sizeof(*key));
}

/* DER form of fmt into der (at most 138 bytes); @return its length */
static size_t
encode_der(uint8_t *der, const mfab_pki_dac_key *k, mfab_pki_key_format fmt)
{
    size_t n = 0;

#define PUT(p, len)                                                            \
    do {                                                                       \
        memcpy(der + n, (p), (len));                                           \
        n += (len);                                                            \
    } while (0)
    switch (fmt) {
    case MFAB_PKI_KEY_SEC1_DER:
    case MFAB_PKI_KEY_SEC1_PEM:
        PUT(sec1_head, sizeof(sec1_head));
        PUT(k->priv, D_LEN);
        PUT(sec1_mid, sizeof(sec1_mid));
        break;
    case MFAB_PKI_KEY_PKCS8_DER:
    case MFAB_PKI_KEY_PKCS8_PEM:
        PUT(pkcs8_head, sizeof(pkcs8_head));
        PUT(k->priv, D_LEN);
        PUT(pkcs8_mid, sizeof(pkcs8_mid));
        break;
    default: PUT(spki_head, sizeof(spki_head)); break;
    }
    PUT(k->pub, PUB_LEN);
#undef PUT
    return n;
}

static const char *
pem_label(mfab_pki_key_format fmt)
{
    if (fmt == MFAB_PKI_KEY_SEC1_PEM)
        return "EC PRIVATE KEY";
    if (fmt == MFAB_PKI_KEY_PKCS8_PEM)
        return "PRIVATE KEY";
    return "PUBLIC KEY";
}

/* "-----BEGIN <label>-----\n" or the END line; @return its length */
static size_t
boundary(char *out, const char *word, const char *label)
{
    size_t w = strlen(word), l = strlen(label);

    memcpy(out, "-----", 5);
    memcpy(out + 5, word, w);
    out[5 + w] = ' ';
    memcpy(out + 6 + w, label, l);
    memcpy(out + 6 + w + l, "-----\n", 6);
    return 12 + w + l;
}

/* RFC 7468 text of der into out (large enough); @return its length */
static size_t
encode_pem(char *out, const uint8_t *der, size_t der_len, const char *label)
{
    char b64[MFAB_BASE64_LEN(sizeof(pkcs8_head) + D_LEN + sizeof(pkcs8_mid) +
                             PUB_LEN) +
             1];
    size_t b64_len = 0, n, i, line;

    (void)mfab_base64_encode(b64, sizeof(b64), &b64_len, der, der_len);
    n = boundary(out, "BEGIN", label);
    for (i = 0; i < b64_len; i += line) {
        line = b64_len - i < PEM_LINE ? b64_len - i : PEM_LINE;
        memcpy(out + n, b64 + i, line);
        n += line;
        out[n++] = '\n';
    }
    n += boundary(out + n, "END", label);
    OPENSSL_cleanse(b64, sizeof(b64));
    return n;
}

/* see matterfab/pki.h */
int
mfab_pki_dac_key_encode(uint8_t *buf, size_t cap, size_t *out_len,
                        const mfab_pki_dac_key *key, mfab_pki_key_format fmt,
                        mfab_diag *diag)
{
    uint8_t der[sizeof(pkcs8_head) + D_LEN + sizeof(pkcs8_mid) + PUB_LEN];
    char pem[MFAB_PKI_DAC_KEY_ENC_MAX];
    size_t der_len, pem_len;
    int rc;

    *out_len = 0;
    switch (fmt) {
    case MFAB_PKI_KEY_RAW_PRIVATE:
        return mfab_pki__emit(buf, cap, out_len, key->priv, D_LEN, diag);
    case MFAB_PKI_KEY_RAW_PUBLIC:
        return mfab_pki__emit(buf, cap, out_len, key->pub, PUB_LEN, diag);
    case MFAB_PKI_KEY_SEC1_DER:
    case MFAB_PKI_KEY_PKCS8_DER:
    case MFAB_PKI_KEY_PUBLIC_DER:
        der_len = encode_der(der, key, fmt);
        rc = mfab_pki__emit(buf, cap, out_len, der, der_len, diag);
        OPENSSL_cleanse(der, sizeof(der));
        return rc;
    case MFAB_PKI_KEY_SEC1_PEM:
    case MFAB_PKI_KEY_PKCS8_PEM:
    case MFAB_PKI_KEY_PUBLIC_PEM:
        der_len = encode_der(der, key, fmt);
        pem_len = encode_pem(pem, der, der_len, pem_label(fmt));
        rc = mfab_pki__emit(buf, cap, out_len, (const uint8_t *)pem, pem_len,
                            diag);
        OPENSSL_cleanse(der, sizeof(der));
        OPENSSL_cleanse(pem, sizeof(pem));
        return rc;
    }
    return mfab_diag_set(diag, MFAB_EINVAL, "unknown key format %d", (int)fmt);
}

/* see matterfab/pki.h */
int
mfab_pki_dac_key_write(const char *path, const mfab_pki_dac_key *key,
                       mfab_pki_key_format fmt, mfab_diag *diag)
{
    uint8_t buf[MFAB_PKI_DAC_KEY_ENC_MAX];
    size_t len = 0;
    int rc;

    rc = mfab_pki_dac_key_encode(buf, sizeof(buf), &len, key, fmt, diag);
    if (rc == 0)
        rc = mfab_file_write_atomic(path, buf, len,
                                    mfab_pki_key_format_is_secret(fmt)
                                        ? MFAB_MODE_SECRET
                                        : MFAB_MODE_PUBLIC,
                                    diag);
    OPENSSL_cleanse(buf, sizeof(buf));
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_dac_key_to_pkey(EVP_PKEY **out, const mfab_pki_dac_key *key,
                         mfab_diag *diag)
{
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    BIGNUM *d = BN_secure_new();
    int rc = 0;

    *out = NULL;
    if (bld == NULL || d == NULL || BN_bin2bn(key->priv, D_LEN, d) == NULL ||
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                        "prime256v1", 0) != 1 ||
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) != 1 ||
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, key->pub,
                                         PUB_LEN) != 1)
        goto fail;
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, out, EVP_PKEY_KEYPAIR, params) != 1)
        goto fail;
    goto out;
fail:
    rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                            "cannot make an OpenSSL key of the DAC key");
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_clear_free(d);
    return rc;
}
