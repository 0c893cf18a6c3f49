/*
 * sb_sig.c: raw signature operations of Secure Boot
 * (shared/spec/production-images.md sections 4.2, 4.3, 4.6 step 5, 4.9).
 *
 * RSA-3072: PSS over an already computed SHA-256 digest (MGF1-SHA-256,
 * salt 32), 384 big-endian bytes; the block stores them reversed.
 * ECDSA: over the digest as a pre-hashed value; DER outside, and in the
 * block LE(r, L) || LE(s, L) inside a field that may be wider (P-192).
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include "secureboot/sb_internal.h"

/* PSS as Secure Boot uses it; the digest is the message. */
static int
setup_ctx(EVP_PKEY_CTX *ctx, mfab_sb_scheme scheme)
{
    if (scheme != MFAB_SB_RSA3072)
        return 1;
    return EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, EVP_sha256()) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, 32) == 1;
}

/* see sb_internal.h */
int
mfab_sb__sign_digest(uint8_t **out, size_t *out_len, EVP_PKEY *key,
                     mfab_sb_scheme scheme, const uint8_t *digest,
                     size_t digest_len, mfab_diag *diag)
{
    EVP_PKEY_CTX *ctx = NULL;
    uint8_t *sig = NULL;
    size_t n = 0;
    int rc = 0;

    *out = NULL;
    ctx = EVP_PKEY_CTX_new(key, NULL);
    if (ctx == NULL || EVP_PKEY_sign_init(ctx) != 1 ||
        !setup_ctx(ctx, scheme) ||
        EVP_PKEY_sign(ctx, NULL, &n, digest, digest_len) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot sign with the %s key (is it a "
                                "private key?)", mfab_sb_scheme_name(scheme));
        goto out;
    }
    sig = OPENSSL_malloc(n);
    if (sig == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    if (EVP_PKEY_sign(ctx, sig, &n, digest, digest_len) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "signing failed");
        goto out;
    }
    *out = sig;
    *out_len = n;
    sig = NULL;
out:
    OPENSSL_free(sig);
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

/* see sb_internal.h */
int
mfab_sb__verify_digest(EVP_PKEY *key, mfab_sb_scheme scheme,
                       const uint8_t *digest, size_t digest_len,
                       const uint8_t *sig, size_t sig_len, mfab_diag *diag)
{
    EVP_PKEY_CTX *ctx = NULL;
    int rc = 0, v;

    ctx = EVP_PKEY_CTX_new(key, NULL);
    if (ctx == NULL || EVP_PKEY_verify_init(ctx) != 1 ||
        !setup_ctx(ctx, scheme)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot set up %s verification",
                                mfab_sb_scheme_name(scheme));
        goto out;
    }
    v = EVP_PKEY_verify(ctx, sig, sig_len, digest, digest_len);
    if (v != 1)
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "%s signature does not verify with the key",
                                mfab_sb_scheme_name(scheme));
out:
    EVP_PKEY_CTX_free(ctx);
    return rc;
}

/* Fixed-width big- or little-endian store of a coordinate. */
static int
put_coord(uint8_t *out, size_t width, int little, const BIGNUM *bn)
{
    int w = (int)width;

    return (little ? BN_bn2lebinpad(bn, out, w) : BN_bn2binpad(bn, out, w)) ==
           w;
}

/* see sb_internal.h */
int
mfab_sb__ecdsa_der_to_rs(uint8_t *out, size_t coord_len, int little,
                         const uint8_t *der, size_t der_len, mfab_diag *diag)
{
    const unsigned char *p = der;
    ECDSA_SIG *es = NULL;
    int rc = 0;

    es = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
    if (es == NULL || p != der + der_len) {
        rc = mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                "ECDSA signature is not valid DER");
        goto out;
    }
    if (!put_coord(out, coord_len, little, ECDSA_SIG_get0_r(es)) ||
        !put_coord(out + coord_len, coord_len, little,
                   ECDSA_SIG_get0_s(es)))
        rc = mfab_diag_set(diag, MFAB_EFORMAT,
                           "ECDSA signature value wider than %zu bytes",
                           coord_len);
out:
    ECDSA_SIG_free(es);
    return rc;
}

/* see sb_internal.h */
int
mfab_sb__ecdsa_rs_to_der(uint8_t **out, size_t *out_len, const uint8_t *rs,
                         size_t coord_len, int little, mfab_diag *diag)
{
    ECDSA_SIG *es = NULL;
    BIGNUM *r = NULL, *s = NULL;
    unsigned char *der = NULL;
    int n, rc = 0;

    *out = NULL;
    r = little ? BN_lebin2bn(rs, (int)coord_len, NULL)
               : BN_bin2bn(rs, (int)coord_len, NULL);
    s = little ? BN_lebin2bn(rs + coord_len, (int)coord_len, NULL)
               : BN_bin2bn(rs + coord_len, (int)coord_len, NULL);
    es = ECDSA_SIG_new();
    if (r == NULL || s == NULL || es == NULL || !ECDSA_SIG_set0(es, r, s)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    r = NULL; /* owned by es now */
    s = NULL;
    n = i2d_ECDSA_SIG(es, &der);
    if (n <= 0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot encode the ECDSA signature");
        goto out;
    }
    *out = der;
    *out_len = (size_t)n;
out:
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return rc;
}

/* see sb_internal.h */
int
mfab_sb__sig_to_block(uint8_t *field, const sb_layout *lay,
                      const uint8_t *sig, size_t sig_len, mfab_diag *diag)
{
    size_t i;

    memset(field, 0, lay->sig_len);
    if (lay->coord_len != 0)
        return mfab_sb__ecdsa_der_to_rs(field, lay->coord_len, 1, sig,
                                        sig_len, diag);
    if (sig_len != SB_RSA_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "RSA signature of %zu bytes not allowed "
                             "(allowed: 384, raw big-endian)", sig_len);
    for (i = 0; i < SB_RSA_LEN; i++)
        field[i] = sig[SB_RSA_LEN - 1 - i];
    return 0;
}

/* see sb_internal.h */
int
mfab_sb__sig_from_block(uint8_t **out, size_t *out_len, const sb_layout *lay,
                        const uint8_t *field, mfab_diag *diag)
{
    size_t i;

    if (lay->coord_len != 0)
        return mfab_sb__ecdsa_rs_to_der(out, out_len, field, lay->coord_len,
                                        1, diag);
    *out = OPENSSL_malloc(SB_RSA_LEN);
    if (*out == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    for (i = 0; i < SB_RSA_LEN; i++)
        (*out)[i] = field[SB_RSA_LEN - 1 - i];
    *out_len = SB_RSA_LEN;
    return 0;
}
