/*
 * pki_key.c: P-256 private keys in files: load (PEM/DER, SEC1, PKCS#8,
 * encrypted), generate, encode in every form the reference tools write, and
 * match against a certificate. Spec attestation.md section 3.3 (storage
 * formats); PKCS#11 URIs are handed to pki_pkcs11.c.
 *
 * Encodings produced (P-256):
 *   raw private  d, 32 bytes big-endian, left zero-padded
 *   raw public   04 || X(32) || Y(32)                      65 bytes
 *   SEC1 DER     30 77 02 01 01 04 20 <d> A0 0A 06 08 <prime256v1>
 *                A1 44 03 42 00 04 <X> <Y>                121 bytes
 *   SPKI DER     30 59 30 13 06 07 <id-ecPublicKey> 06 08 <prime256v1>
 *                03 42 00 04 <X> <Y>                       91 bytes
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

#define SPKI_P256_LEN 91
#define RAW_PUB_LEN 65
#define RAW_PRIV_LEN 32

/* see matterfab/pki.h */
int
mfab_pki_is_pkcs11_uri(const char *s)
{
    return s != NULL && strncmp(s, "pkcs11:", 7) == 0;
}

/* see pki_internal.h */
int
mfab_pki__emit(uint8_t *buf, size_t cap, size_t *out_len, const uint8_t *data,
               size_t len, mfab_diag *diag)
{
    *out_len = len;
    if (buf == NULL)
        return 0;
    if (cap < len)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "buffer of %zu bytes too small (need %zu)", cap,
                             len);
    memcpy(buf, data, len);
    return 0;
}

/*
 * The SubjectPublicKeyInfo is the one view of a key that every backend
 * (provider key, legacy engine key) can produce, so curve checks and the
 * raw public point both read it.
 */
static int
spki_der(uint8_t **out, int *out_len, const EVP_PKEY *key)
{
    *out = NULL;
    *out_len = i2d_PUBKEY(key, out);
    return *out_len > 0 ? 0 : -1;
}

/* see pki_internal.h */
int
mfab_pki__check_p256(const EVP_PKEY *key, const char *what, mfab_diag *diag)
{
    uint8_t *der = NULL;
    const uint8_t *p;
    EVP_PKEY *pub = NULL;
    char group[64] = "";
    int der_len = 0, rc = 0;

    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
        rc = mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                           "key '%s' is not an EC key (allowed: EC P-256)",
                           what);
        goto out;
    }
    if (spki_der(&der, &der_len, key) != 0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot read the public key of '%s'", what);
        goto out;
    }
    p = der;
    pub = d2i_PUBKEY(NULL, &p, der_len);
    if (pub == NULL ||
        EVP_PKEY_get_utf8_string_param(pub, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                       sizeof(group), NULL) != 1 ||
        strcmp(group, "prime256v1") != 0 || der_len != SPKI_P256_LEN) {
        rc = mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                           "key '%s' is on curve '%s' (allowed: prime256v1 "
                           "with an uncompressed point)",
                           what, group[0] != '\0' ? group : "unknown");
        goto out;
    }
out:
    ERR_clear_error();
    EVP_PKEY_free(pub);
    OPENSSL_free(der);
    return rc;
}

/* Never let OpenSSL prompt on a terminal: no passphrase means failure. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return -1;
}

static int
contains(const uint8_t *data, size_t len, const char *needle, size_t n)
{
    size_t i;

    for (i = 0; i + n <= len; i++) {
        if (memcmp(data + i, needle, n) == 0)
            return 1;
    }
    return 0;
}

static int
decode_key_file(EVP_PKEY **out, const uint8_t *data, size_t len,
                const char *path, const char *pass, mfab_diag *diag)
{
    OSSL_DECODER_CTX *dctx = NULL;
    const unsigned char *p = data;
    size_t left = len;
    int rc = 0;

    dctx = OSSL_DECODER_CTX_new_for_pkey(out, NULL, NULL, NULL,
                                         EVP_PKEY_KEYPAIR, NULL, NULL);
    if (dctx == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM,
                                "cannot load key '%s'", path);
        goto out;
    }
    if (pass != NULL)
        OSSL_DECODER_CTX_set_passphrase(dctx, (const unsigned char *)pass,
                                        strlen(pass));
    else
        OSSL_DECODER_CTX_set_pem_password_cb(dctx, no_passphrase, NULL);
    if (OSSL_DECODER_from_data(dctx, &p, &left) != 1 || *out == NULL) {
        /* PEM "ENCRYPTED" or the PBES2 OID of an encrypted PKCS#8 DER */
        int encrypted = contains(data, len, "ENCRYPTED", 9) ||
                        contains(data, len,
                                 "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01"
                                 "\x05\x0d", 11);

        EVP_PKEY_free(*out);
        *out = NULL;
        if (encrypted)
            rc = mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                    "cannot decrypt key '%s': %s", path,
                                    pass == NULL ? "no passphrase given"
                                                 : "wrong passphrase");
        else
            rc = mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                    "'%s' is not a private key (allowed: PEM "
                                    "or DER, SEC1 or PKCS#8)",
                                    path);
        goto out;
    }
out:
    OSSL_DECODER_CTX_free(dctx);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_key_load_ex(EVP_PKEY **out, const char *path_or_uri,
                     const mfab_pki_key_options *opts, mfab_diag *diag)
{
    mfab_pki_key_options none = MFAB_PKI_KEY_OPTIONS_INIT;
    EVP_PKEY *key = NULL;
    uint8_t *data = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    if (opts == NULL)
        opts = &none;
    if (path_or_uri == NULL || path_or_uri[0] == '\0')
        return mfab_diag_set(diag, MFAB_EINVAL, "no key file or URI given");
    if (mfab_pki_is_pkcs11_uri(path_or_uri)) {
        rc = mfab_pki__pkcs11_load(&key, path_or_uri, opts, diag);
        if (rc < 0)
            goto out;
    } else {
        rc = mfab_file_read(&data, &len, path_or_uri, diag);
        if (rc < 0)
            goto out;
        rc = decode_key_file(&key, data, len, path_or_uri, opts->pass, diag);
        if (rc < 0)
            goto out;
    }
    rc = mfab_pki__check_p256(key, path_or_uri, diag);
    if (rc < 0)
        goto out;
    *out = key;
    key = NULL;
out:
    mfab_file_free(data, len);
    EVP_PKEY_free(key);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_key_load(EVP_PKEY **out, const char *path_or_uri, const char *pass,
                  mfab_diag *diag)
{
    mfab_pki_key_options opts = MFAB_PKI_KEY_OPTIONS_INIT;

    opts.pass = pass;
    return mfab_pki_key_load_ex(out, path_or_uri, &opts, diag);
}

/* see matterfab/pki.h */
int
mfab_pki_key_generate(EVP_PKEY **out, mfab_diag *diag)
{
    *out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
    if (*out == NULL)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "cannot generate a P-256 key");
    return 0;
}

/* see matterfab/pki.h */
int
mfab_pki_key_format_is_secret(mfab_pki_key_format fmt)
{
    return fmt == MFAB_PKI_KEY_RAW_PRIVATE || fmt == MFAB_PKI_KEY_SEC1_DER ||
           fmt == MFAB_PKI_KEY_SEC1_PEM || fmt == MFAB_PKI_KEY_PKCS8_DER ||
           fmt == MFAB_PKI_KEY_PKCS8_PEM;
}

static int
encode_raw_private(uint8_t *buf, size_t cap, size_t *out_len,
                   const EVP_PKEY *key, mfab_diag *diag)
{
    BIGNUM *d = NULL;
    uint8_t raw[RAW_PRIV_LEN];
    int rc = 0;

    *out_len = RAW_PRIV_LEN;
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) != 1 ||
        BN_bn2binpad(d, raw, sizeof(raw)) != (int)sizeof(raw)) {
        rc = mfab_diag_set_ossl(diag, MFAB_EUNSUPPORTED,
                                "cannot export the private key (a token key "
                                "never leaves its token)");
        goto out;
    }
    rc = mfab_pki__emit(buf, cap, out_len, raw, sizeof(raw), diag);
out:
    OPENSSL_cleanse(raw, sizeof(raw));
    BN_clear_free(d);
    return rc;
}

static int
encode_raw_public(uint8_t *buf, size_t cap, size_t *out_len,
                  const EVP_PKEY *key, mfab_diag *diag)
{
    uint8_t *der = NULL;
    int der_len = 0, rc;

    *out_len = RAW_PUB_LEN;
    if (spki_der(&der, &der_len, key) != 0 || der_len != SPKI_P256_LEN ||
        der[SPKI_P256_LEN - RAW_PUB_LEN] != 0x04) {
        rc = mfab_diag_set_ossl(diag, MFAB_EUNSUPPORTED,
                                "public key is not an uncompressed P-256 "
                                "point");
        goto out;
    }
    rc = mfab_pki__emit(buf, cap, out_len, der + SPKI_P256_LEN - RAW_PUB_LEN,
                        RAW_PUB_LEN, diag);
out:
    OPENSSL_free(der);
    return rc;
}

static int
encode_with_encoder(uint8_t *buf, size_t cap, size_t *out_len,
                    const EVP_PKEY *key, mfab_pki_key_format fmt,
                    mfab_diag *diag)
{
    OSSL_ENCODER_CTX *ectx = NULL;
    unsigned char *data = NULL;
    size_t len = 0;
    int secret = mfab_pki_key_format_is_secret(fmt);
    int pem = fmt == MFAB_PKI_KEY_SEC1_PEM || fmt == MFAB_PKI_KEY_PKCS8_PEM ||
              fmt == MFAB_PKI_KEY_PUBLIC_PEM;
    const char *structure = "SubjectPublicKeyInfo";
    int rc = 0;

    if (fmt == MFAB_PKI_KEY_SEC1_DER || fmt == MFAB_PKI_KEY_SEC1_PEM)
        structure = "type-specific";
    else if (fmt == MFAB_PKI_KEY_PKCS8_DER || fmt == MFAB_PKI_KEY_PKCS8_PEM)
        structure = "PrivateKeyInfo";
    ectx = OSSL_ENCODER_CTX_new_for_pkey(
        key, secret ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY,
        pem ? "PEM" : "DER", structure, NULL);
    if (ectx == NULL || OSSL_ENCODER_CTX_get_num_encoders(ectx) == 0 ||
        OSSL_ENCODER_to_data(ectx, &data, &len) != 1) {
        rc = mfab_diag_set_ossl(diag, secret ? MFAB_EUNSUPPORTED
                                             : MFAB_ECRYPTO,
                                "cannot encode the %s key%s",
                                secret ? "private" : "public",
                                secret ? " (a token key never leaves its "
                                         "token)"
                                       : "");
        goto out;
    }
    rc = mfab_pki__emit(buf, cap, out_len, data, len, diag);
out:
    OPENSSL_clear_free(data, len);
    OSSL_ENCODER_CTX_free(ectx);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_key_encode(uint8_t *buf, size_t cap, size_t *out_len,
                    const EVP_PKEY *key, mfab_pki_key_format fmt,
                    mfab_diag *diag)
{
    *out_len = 0;
    if (mfab_pki_key_format_is_secret(fmt) && mfab_pki__is_token_key(key))
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "cannot export the private key of a PKCS#11 "
                             "token key (it never leaves its token)");
    switch (fmt) {
    case MFAB_PKI_KEY_RAW_PRIVATE:
        return encode_raw_private(buf, cap, out_len, key, diag);
    case MFAB_PKI_KEY_RAW_PUBLIC:
        return encode_raw_public(buf, cap, out_len, key, diag);
    case MFAB_PKI_KEY_SEC1_DER:
    case MFAB_PKI_KEY_SEC1_PEM:
    case MFAB_PKI_KEY_PKCS8_DER:
    case MFAB_PKI_KEY_PKCS8_PEM:
    case MFAB_PKI_KEY_PUBLIC_DER:
    case MFAB_PKI_KEY_PUBLIC_PEM:
        return encode_with_encoder(buf, cap, out_len, key, fmt, diag);
    }
    return mfab_diag_set(diag, MFAB_EINVAL, "unknown key format %d",
                         (int)fmt);
}

/* see matterfab/pki.h */
int
mfab_pki_key_write(const char *path, const EVP_PKEY *key,
                   mfab_pki_key_format fmt, mfab_diag *diag)
{
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int rc;

    rc = mfab_pki_key_encode(NULL, 0, &cap, key, fmt, diag);
    if (rc < 0)
        goto out;
    buf = OPENSSL_malloc(cap);
    if (buf == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "cannot write '%s': out of "
                           "memory", path);
        goto out;
    }
    rc = mfab_pki_key_encode(buf, cap, &len, key, fmt, diag);
    if (rc < 0)
        goto out;
    rc = mfab_file_write_atomic(path, buf, len,
                                mfab_pki_key_format_is_secret(fmt)
                                    ? MFAB_MODE_SECRET
                                    : MFAB_MODE_PUBLIC,
                                diag);
out:
    OPENSSL_clear_free(buf, cap);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_key_matches_cert(const EVP_PKEY *key, const X509 *cert,
                          const char *cert_name, mfab_diag *diag)
{
    static const unsigned char probe[] = "matterfab key/certificate probe";
    EVP_MD_CTX *md = NULL;
    EVP_PKEY *pub = X509_get0_pubkey(cert);
    unsigned char sig[128];
    size_t sig_len = sizeof(sig);
    int rc = 0;

    /* Signing proves the private half too, also for a token key whose
     * public half is just what the token claims. */
    md = EVP_MD_CTX_new();
    if (md == NULL || pub == NULL ||
        EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL,
                           (EVP_PKEY *)key) != 1 ||
        EVP_DigestSign(md, sig, &sig_len, probe, sizeof(probe)) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot sign with the key of '%s'",
                                cert_name);
        goto out;
    }
    EVP_MD_CTX_free(md);
    md = EVP_MD_CTX_new();
    if (md == NULL ||
        EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, pub) != 1 ||
        EVP_DigestVerify(md, sig, sig_len, probe, sizeof(probe)) != 1) {
        ERR_clear_error();
        rc = mfab_diag_set(diag, MFAB_ECRYPTO,
                           "key does not match certificate '%s'", cert_name);
        goto out;
    }
out:
    EVP_MD_CTX_free(md);
    return rc;
}
