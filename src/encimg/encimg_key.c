/*
 * encimg_key.c: device keys for pre-encrypted OTA payloads
 * (shared/spec/production-images.md sections 6.2 and 6.3): PEM loading,
 * the ECIES device key derived from the eFuse HMAC key, generation and PEM
 * export.
 *
 * HMAC key -> device key:
 *   d = BE( PBKDF2-HMAC-SHA256(password = hmac_key, salt = SALT,
 *                              2048 iterations, 32 bytes) ),
 *   used as is: it must lie in [1, n-1] (no reduction mod n).
 */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "encimg/encimg_internal.h"

static const uint8_t hmac_salt[32] = {
    0x0e, 0x21, 0x60, 0x64, 0x2d, 0xae, 0x76, 0xd3, 0x34, 0x48, 0xe4,
    0x3d, 0x77, 0x20, 0x12, 0x3d, 0x9f, 0x3b, 0x1e, 0xce, 0xb8, 0x8e,
    0x57, 0x3a, 0x4e, 0x8f, 0x7f, 0xb9, 0x4f, 0xf0, 0xc8, 0x69,
};
#define HMAC_KDF_ITERATIONS 2048

/* see encimg_internal.h */
int
mfab_encimg__key_wrap(mfab_encimg_key **out, EVP_PKEY *pkey, int has_private,
                      const char *name, mfab_diag *diag)
{
    mfab_encimg_key *k = NULL;
    char group[32] = "";
    mfab_encimg_scheme scheme;
    int rc = 0;

    *out = NULL;
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        if (EVP_PKEY_get_bits(pkey) != MFAB_ENCIMG__RSA_BITS) {
            rc = mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                               "encimg: key '%s' is RSA-%d (allowed "
                               "RSA-3072 or EC P-256)",
                               name, EVP_PKEY_get_bits(pkey));
            goto out;
        }
        scheme = MFAB_ENCIMG_RSA3072;
    } else if (EVP_PKEY_is_a(pkey, "EC")) {
        if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                            group, sizeof(group), NULL) ||
            strcmp(group, MFAB_ENCIMG__EC_GROUP) != 0) {
            ERR_clear_error();
            rc = mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                               "encimg: key '%s' is on curve '%s' (allowed "
                               "RSA-3072 or EC P-256)",
                               name, group[0] ? group : "unknown");
            goto out;
        }
        scheme = MFAB_ENCIMG_ECIES_P256;
    } else {
        rc = mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                           "encimg: key '%s' is of type '%s' (allowed "
                           "RSA-3072 or EC P-256)",
                           name, EVP_PKEY_get0_type_name(pkey));
        goto out;
    }
    k = OPENSSL_zalloc(sizeof(*k));
    if (k == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "encimg: out of memory");
        goto out;
    }
    k->pkey = pkey;
    k->scheme = scheme;
    k->has_private = has_private;
    pkey = NULL;
    *out = k;
out:
    EVP_PKEY_free(pkey);
    return rc;
}

/* Never prompt for a passphrase: factory tools run unattended. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

/* see matterfab/encimg.h */
int
mfab_encimg_key_load(mfab_encimg_key **out, const uint8_t *data, size_t len,
                     const char *name, mfab_diag *diag)
{
    EVP_PKEY *pkey = NULL;
    BIO *bio = NULL;
    int has_private = 1;
    int rc;

    *out = NULL;
    /* No PEM key is that short: 32 bytes are a raw eFuse HMAC key. */
    if (len == MFAB_ENCIMG_HMAC_KEY_LEN)
        return mfab_encimg_key_from_hmac(out, data, diag);
    if (len > 0x7FFFFFFF)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "encimg: key '%s' is too large to be a key",
                             name);
    bio = BIO_new_mem_buf(data, (int)len);
    if (bio == NULL)
        return mfab_diag_set_ossl(diag, MFAB_ENOMEM, "encimg: out of memory");
    pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, NULL);
    if (pkey == NULL) {
        has_private = 0;
        ERR_clear_error();
        (void)BIO_reset(bio);
        pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, NULL);
    }
    BIO_free(bio);
    if (pkey == NULL)
        return mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                  "encimg: cannot read key '%s' (allowed: "
                                  "unencrypted PEM RSA-3072 or EC P-256 "
                                  "key, or a 32-byte HMAC key)",
                                  name);
    rc = mfab_encimg__key_wrap(out, pkey, has_private, name, diag);
    return rc;
}

/* see encimg_internal.h */
int
mfab_encimg__ec_public(EVP_PKEY **out, const uint8_t xy[64], mfab_diag *diag)
{
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    uint8_t point[65];
    int rc = 0;

    *out = NULL;
    point[0] = 0x04;
    memcpy(point + 1, xy, 64);
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL ||
        !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                         MFAB_ENCIMG__EC_GROUP, 0) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                          sizeof(point))) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "encimg: out of memory");
        goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "encimg: the key parameters at offset 4 are "
                                "not a P-256 point");
        goto out;
    }
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    return rc;
}

/* d -> key pair with its public point, as EC_POINT_mul is not deprecated
 * while the EC_KEY route is. */
static int
ec_keypair(EVP_PKEY **out, const BIGNUM *d, mfab_diag *diag)
{
    EC_GROUP *group = NULL;
    EC_POINT *pub = NULL;
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    uint8_t point[65];
    int rc = 0;

    *out = NULL;
    group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    pub = group ? EC_POINT_new(group) : NULL;
    if (pub == NULL || !EC_POINT_mul(group, pub, d, NULL, NULL, NULL) ||
        EC_POINT_point2oct(group, pub, POINT_CONVERSION_UNCOMPRESSED, point,
                           sizeof(point), NULL) != sizeof(point)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "encimg: cannot compute the public key");
        goto out;
    }
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL ||
        !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                         MFAB_ENCIMG__EC_GROUP, 0) ||
        !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) ||
        !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                          sizeof(point))) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "encimg: out of memory");
        goto out;
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    if (params == NULL || ctx == NULL || EVP_PKEY_fromdata_init(ctx) <= 0 ||
        EVP_PKEY_fromdata(ctx, out, EVP_PKEY_KEYPAIR, params) <= 0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "encimg: cannot build the device key");
        goto out;
    }
out:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params); /* BLD_to_param copies d into secure memory */
    OSSL_PARAM_BLD_free(bld);
    EC_POINT_free(pub);
    EC_GROUP_free(group);
    return rc;
}

/* see matterfab/encimg.h */
int
mfab_encimg_key_from_hmac(mfab_encimg_key **out,
                          const uint8_t hmac_key[MFAB_ENCIMG_HMAC_KEY_LEN],
                          mfab_diag *diag)
{
    uint8_t scalar[32];
    EC_GROUP *group = NULL;
    EVP_PKEY *pkey = NULL;
    BIGNUM *d = NULL;
    int rc = 0;

    *out = NULL;
    if (!PKCS5_PBKDF2_HMAC((const char *)hmac_key, MFAB_ENCIMG_HMAC_KEY_LEN,
                           hmac_salt, sizeof(hmac_salt), HMAC_KDF_ITERATIONS,
                           EVP_sha256(), sizeof(scalar), scalar)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "encimg: cannot derive the device key");
        goto out;
    }
    d = BN_secure_new();
    group = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    if (d == NULL || group == NULL ||
        BN_bin2bn(scalar, sizeof(scalar), d) == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "encimg: out of memory");
        goto out;
    }
    if (BN_is_zero(d) || BN_cmp(d, EC_GROUP_get0_order(group)) >= 0) {
        rc = mfab_diag_set(diag, MFAB_ERANGE,
                           "encimg: the HMAC key derives a P-256 scalar "
                           "outside [1, n-1]; generate another HMAC key");
        goto out;
    }
    rc = ec_keypair(&pkey, d, diag);
    if (rc < 0)
        goto out;
    rc = mfab_encimg__key_wrap(out, pkey, 1, "hmac key", diag);
out:
    OPENSSL_cleanse(scalar, sizeof(scalar));
    BN_clear_free(d);
    EC_GROUP_free(group);
    return rc;
}

/* see matterfab/encimg.h */
int
mfab_encimg_key_generate_rsa(mfab_encimg_key **out, mfab_diag *diag)
{
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
                                       (size_t)MFAB_ENCIMG__RSA_BITS);

    *out = NULL;
    if (pkey == NULL)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "encimg: cannot generate an RSA-3072 key");
    return mfab_encimg__key_wrap(out, pkey, 1, "generated", diag);
}

/* see matterfab/encimg.h */
int
mfab_encimg_generate_hmac_key(uint8_t hmac_key[MFAB_ENCIMG_HMAC_KEY_LEN],
                              mfab_diag *diag)
{
    mfab_encimg_key *k = NULL;
    int tries, rc = MFAB_ERANGE;

    /* A derived scalar >= n happens with probability ~2^-32: retry. */
    for (tries = 0; tries < 8 && rc == MFAB_ERANGE; tries++) {
        if (RAND_bytes(hmac_key, MFAB_ENCIMG_HMAC_KEY_LEN) != 1)
            return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                      "encimg: no random bytes");
        rc = mfab_encimg_key_from_hmac(&k, hmac_key, NULL);
        mfab_encimg_key_free(k);
        k = NULL;
    }
    if (rc < 0) {
        OPENSSL_cleanse(hmac_key, MFAB_ENCIMG_HMAC_KEY_LEN);
        return mfab_diag_set(diag, rc, "encimg: cannot generate an HMAC key");
    }
    return 0;
}

/* see matterfab/encimg.h */
mfab_encimg_scheme
mfab_encimg_key_scheme(const mfab_encimg_key *key)
{
    return key->scheme;
}

/* see matterfab/encimg.h */
int
mfab_encimg_key_has_private(const mfab_encimg_key *key)
{
    return key->has_private;
}

/* see matterfab/encimg.h */
int
mfab_encimg_key_pem(char **out, size_t *out_len, const mfab_encimg_key *key,
                    int private_half, mfab_diag *diag)
{
    BIO *bio = NULL;
    char *data = NULL, *copy = NULL;
    long n;
    int ok, rc = 0;

    *out = NULL;
    *out_len = 0;
    if (private_half && !key->has_private)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "encimg: the key has no private half");
    bio = BIO_new(private_half ? BIO_s_secmem() : BIO_s_mem());
    if (bio == NULL)
        return mfab_diag_set_ossl(diag, MFAB_ENOMEM, "encimg: out of memory");
    if (private_half)
        ok = PEM_write_bio_PrivateKey(bio, key->pkey, NULL, NULL, 0, NULL,
                                      NULL);
    else
        ok = PEM_write_bio_PUBKEY(bio, key->pkey);
    n = BIO_get_mem_data(bio, &data);
    if (!ok || n <= 0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "encimg: cannot write the key as PEM");
        goto out;
    }
    copy = OPENSSL_malloc((size_t)n + 1);
    if (copy == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "encimg: out of memory");
        goto out;
    }
    memcpy(copy, data, (size_t)n);
    copy[n] = '\0';
    *out = copy;
    *out_len = (size_t)n;
out:
    BIO_free(bio);
    return rc;
}

/* see matterfab/encimg.h */
void
mfab_encimg_pem_free(char *pem, size_t len)
{
    if (pem == NULL)
        return;
    OPENSSL_clear_free(pem, len + 1);
}

/* see matterfab/encimg.h */
void
mfab_encimg_key_free(mfab_encimg_key *key)
{
    if (key == NULL)
        return;
    EVP_PKEY_free(key->pkey); /* OpenSSL clears private key material */
    OPENSSL_clear_free(key, sizeof(*key));
}
