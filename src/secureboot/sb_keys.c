/*
 * sb_keys.c: Secure Boot signing keys (shared/spec/production-images.md
 * section 4.6 step 6, 4.9): loading, the scheme a key belongs to,
 * generation, PEM export.
 *
 * mfab_sb_key_load() is the one place Secure Boot keys are read; PKCS#11
 * URIs are handed to the PKI loader.
 */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "matterfab/io.h"
#include "pki/pki_internal.h"
#include "secureboot/sb_internal.h"

/* Try PEM then DER, private then public. */
static EVP_PKEY *
parse_key(const uint8_t *buf, size_t len)
{
    EVP_PKEY *k = NULL;
    const unsigned char *p;
    BIO *bio;

    bio = BIO_new_mem_buf(buf, (int)len);
    if (bio == NULL)
        return NULL;
    k = PEM_read_bio_PrivateKey(bio, NULL, NULL, (void *)"");
    if (k == NULL) {
        (void)BIO_reset(bio);
        k = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
    }
    BIO_free(bio);
    if (k == NULL) {
        p = buf;
        k = d2i_AutoPrivateKey(NULL, &p, (long)len);
    }
    if (k == NULL) {
        p = buf;
        k = d2i_PUBKEY(NULL, &p, (long)len);
    }
    return k;
}

/* see secureboot.h */
int
mfab_sb_key_load(EVP_PKEY **out, const char *path_or_uri, mfab_diag *diag)
{
    mfab_pki_key_options token_opts = MFAB_PKI_KEY_OPTIONS_INIT;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    /* Tokens go through the PKI loader's engine. Files are decoded here:
     * the public PKI loader only admits P-256 private keys, while Secure
     * Boot also takes RSA-3072, P-192, P-384 and public keys. */
    if (mfab_pki_is_pkcs11_uri(path_or_uri))
        return mfab_pki__pkcs11_load(out, path_or_uri, &token_opts, diag);
    rc = mfab_file_read(&buf, &len, path_or_uri, diag);
    if (rc != 0)
        return rc;
    if (len > ((size_t)1 << 20)) {
        rc = mfab_diag_set(diag, MFAB_EFORMAT,
                           "key file '%s' too large (%zu bytes)",
                           path_or_uri, len);
        goto out;
    }
    *out = parse_key(buf, len);
    if (*out == NULL)
        rc = mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                "key file '%s' holds no PEM or DER key "
                                "(unencrypted private key or public key "
                                "expected)", path_or_uri);
out:
    mfab_file_free(buf, len);
    return rc;
}

/* see secureboot.h */
int
mfab_sb_key_scheme(mfab_sb_scheme *out, EVP_PKEY *key, mfab_diag *diag)
{
    char group[64];
    size_t glen = 0;
    int nid;

    *out = MFAB_SB_NONE;
    if (EVP_PKEY_is_a(key, "RSA")) {
        if (EVP_PKEY_get_bits(key) != 3072)
            return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                                 "RSA key of %d bits not allowed (allowed: "
                                 "3072)", EVP_PKEY_get_bits(key));
        *out = MFAB_SB_RSA3072;
        return 0;
    }
    if (!EVP_PKEY_is_a(key, "EC"))
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "key type '%s' not allowed (allowed: RSA-3072, "
                             "ECDSA P-192, P-256, P-384)",
                             EVP_PKEY_get0_type_name(key)
                                 ? EVP_PKEY_get0_type_name(key)
                                 : "?");
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group,
                                       sizeof(group), &glen) != 1)
        return mfab_diag_set_ossl(diag, MFAB_EUNSUPPORTED,
                                  "EC key has no named curve");
    nid = OBJ_sn2nid(group);
    if (nid == NID_undef)
        nid = EC_curve_nist2nid(group);
    if (nid == NID_X9_62_prime192v1)
        *out = MFAB_SB_ECDSA192;
    else if (nid == NID_X9_62_prime256v1)
        *out = MFAB_SB_ECDSA256;
    else if (nid == NID_secp384r1)
        *out = MFAB_SB_ECDSA384;
    else
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "curve '%s' not allowed (allowed: P-192, P-256, "
                             "P-384)", group);
    return 0;
}

/* see secureboot.h */
int
mfab_sb_key_generate(EVP_PKEY **out, mfab_sb_scheme scheme, mfab_diag *diag)
{
    static const char *const curves[] = { NULL, NULL, "P-192", "P-256",
                                          "P-384" };

    *out = NULL;
    if (scheme == MFAB_SB_RSA3072)
        *out = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
    else if (scheme >= MFAB_SB_ECDSA192 && scheme <= MFAB_SB_ECDSA384)
        *out = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curves[scheme]);
    else
        return mfab_diag_set(diag, MFAB_EINVAL, "no scheme to generate");
    if (*out == NULL)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "cannot generate a %s key",
                                  mfab_sb_scheme_name(scheme));
    return 0;
}

/* see secureboot.h */
int
mfab_sb_key_pem(char **out, size_t *out_len, EVP_PKEY *key, int is_private,
                mfab_diag *diag)
{
    BIO *bio = NULL;
    char *data = NULL;
    long n;
    int ok, rc = 0;

    *out = NULL;
    *out_len = 0;
    bio = BIO_new(BIO_s_secmem());
    if (bio == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    if (is_private)
        ok = PEM_write_bio_PrivateKey_traditional(bio, key, NULL, NULL, 0,
                                                  NULL, NULL);
    else
        ok = PEM_write_bio_PUBKEY(bio, key);
    if (ok != 1) {
        rc = mfab_diag_set_ossl(diag, is_private ? MFAB_EINVAL : MFAB_ECRYPTO,
                                "cannot write the %s key as PEM",
                                is_private ? "private" : "public");
        goto out;
    }
    n = BIO_get_mem_data(bio, &data);
    *out = OPENSSL_malloc((size_t)n + 1);
    if (*out == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    memcpy(*out, data, (size_t)n);
    (*out)[n] = '\0';
    *out_len = (size_t)n;
out:
    BIO_free(bio);
    return rc;
}

/* see secureboot.h */
void
mfab_sb_pem_free(char *pem, size_t len)
{
    OPENSSL_clear_free(pem, len + 1);
}
