/*
 * ecdsa_rfc6979.c: deterministic ECDSA (RFC 6979, sections 2.3 and 3.2).
 *
 *   h1 = H(m); x = private scalar; q = group order, qlen = bits of q
 *   V = 0x01..01, K = 0x00..00 (hlen bytes each)
 *   K = HMAC_K(V || 00 || int2octets(x) || bits2octets(h1)); V = HMAC_K(V)
 *   K = HMAC_K(V || 01 || int2octets(x) || bits2octets(h1)); V = HMAC_K(V)
 *   loop: T = V = HMAC_K(V) ... until T has qlen bits; k = bits2int(T)
 *         if 1 <= k < q and the signature is non-zero: done
 *         else K = HMAC_K(V || 00); V = HMAC_K(V)
 *   r = (k.G).x mod q; s = k^-1 (bits2int(h1) + x.r) mod q
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include "common/common_internal.h"
#include "matterfab/ecdsa.h"

#define MAX_ORDER_BYTES 66 /* P-521 */

typedef struct drbg {
    const char *digest;
    size_t hlen;
    uint8_t k[EVP_MAX_MD_SIZE];
    uint8_t v[EVP_MAX_MD_SIZE];
} drbg;

/* out = HMAC_K(V || sep? || a || b); sep < 0 means none. */
static int
hmac(drbg *d, uint8_t *out, int sep, const uint8_t *a, size_t alen,
     const uint8_t *b, size_t blen)
{
    uint8_t msg[EVP_MAX_MD_SIZE + 1 + 2 * MAX_ORDER_BYTES];
    size_t n = 0, outlen = 0;

    memcpy(msg, d->v, d->hlen);
    n = d->hlen;
    if (sep >= 0)
        msg[n++] = (uint8_t)sep;
    if (alen > 0)
        memcpy(msg + n, a, alen);
    n += alen;
    if (blen > 0)
        memcpy(msg + n, b, blen);
    n += blen;
    return EVP_Q_mac(NULL, "HMAC", NULL, d->digest, NULL, d->k, d->hlen, msg,
                     n, out, EVP_MAX_MD_SIZE, &outlen) != NULL &&
                   outlen == d->hlen
               ? 0
               : -1;
}

/* bits2int: the leftmost qlen bits of b as an integer. */
static BIGNUM *
bits2int(const uint8_t *b, size_t blen, int qlen)
{
    BIGNUM *r = BN_bin2bn(b, (int)blen, NULL);

    if (r != NULL && (int)blen * 8 > qlen &&
        BN_rshift(r, r, (int)blen * 8 - qlen) != 1) {
        BN_free(r);
        return NULL;
    }
    return r;
}

/* 1 when x . G is the public point of key. */
static int
scalar_is_own(const EC_GROUP *group, const BIGNUM *x, EVP_PKEY *key)
{
    uint8_t pub[1 + 2 * MAX_ORDER_BYTES];
    size_t pub_len = 0;
    EC_POINT *want = EC_POINT_new(group), *got = EC_POINT_new(group);
    int own = want != NULL && got != NULL &&
              EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY,
                                              pub, sizeof(pub),
                                              &pub_len) == 1 &&
              EC_POINT_oct2point(group, want, pub, pub_len, NULL) == 1 &&
              EC_POINT_mul(group, got, x, NULL, NULL, NULL) == 1 &&
              EC_POINT_cmp(group, want, got, NULL) == 0;

    EC_POINT_free(want);
    EC_POINT_free(got);
    return own;
}

static int
private_scalar(BIGNUM **x, EC_GROUP **group, EVP_PKEY *key, mfab_diag *diag)
{
    char name[64];
    int nid;

    if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC ||
        EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name,
                                       sizeof(name), NULL) != 1)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "deterministic ECDSA needs an EC key on a named "
                             "curve");
    nid = OBJ_sn2nid(name);
    if (nid == NID_undef)
        nid = EC_curve_nist2nid(name);
    *group = EC_GROUP_new_by_curve_name(nid);
    if (*group == NULL)
        return mfab_diag_set_ossl(diag, MFAB_EINVAL, "unknown curve '%s'",
                                  name);
    /* a PKCS#11 engine key may export some scalar that is not the token's:
     * only a scalar that gives the key's public point is its own */
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, x) != 1 ||
        !scalar_is_own(*group, *x, key))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "deterministic ECDSA needs the private scalar "
                             "(a key held in an HSM cannot be used)");
    return 0;
}

/* see matterfab/ecdsa.h */
int
mfab_ecdsa_has_private_scalar(EVP_PKEY *key)
{
    EC_GROUP *group = NULL;
    BIGNUM *x = NULL;
    int rc = private_scalar(&x, &group, key, NULL);

    BN_clear_free(x);
    EC_GROUP_free(group);
    return rc == 0;
}

/* see matterfab/ecdsa.h */
int
mfab_ecdsa_sign_rfc6979(uint8_t *sig, size_t cap, size_t *sig_len,
                        EVP_PKEY *key, const char *digest, const uint8_t *msg,
                        size_t len, mfab_diag *diag)
{
    EC_GROUP *group = NULL;
    EC_POINT *point = NULL;
    BIGNUM *x = NULL, *e = NULL, *k = NULL, *r = NULL, *s = NULL, *t = NULL;
    const BIGNUM *q;
    BN_CTX *bn = NULL;
    ECDSA_SIG *es = NULL;
    uint8_t h1[EVP_MAX_MD_SIZE], xo[MAX_ORDER_BYTES], ho[MAX_ORDER_BYTES];
    uint8_t tbuf[MAX_ORDER_BYTES + EVP_MAX_MD_SIZE];
    unsigned int hlen = 0;
    drbg d;
    int qlen, rlen, rc = 0, der_len;
    unsigned char *p;

    memset(&d, 0, sizeof(d));
    rc = private_scalar(&x, &group, key, diag);
    if (rc != 0)
        goto out;
    q = EC_GROUP_get0_order(group);
    qlen = BN_num_bits(q);
    rlen = (qlen + 7) / 8;
    if (rlen > MAX_ORDER_BYTES) {
        rc = mfab_diag_set(diag, MFAB_EINVAL, "curve order too large");
        goto out;
    }
    /* the longest DER: two INTEGERs of rlen + 1 bytes in a SEQUENCE */
    *sig_len = (size_t)(2 * (rlen + 3) + 3);
    if (sig == NULL)
        goto out;
    if (EVP_Digest(msg, len, h1, &hlen, EVP_get_digestbyname(digest),
                   NULL) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "cannot hash with '%s'",
                                digest);
        goto out;
    }
    bn = BN_CTX_new();
    e = bits2int(h1, hlen, qlen);
    k = BN_new();
    r = BN_new();
    s = BN_new();
    t = BN_new();
    point = EC_POINT_new(group);
    if (bn == NULL || e == NULL || k == NULL || r == NULL || s == NULL ||
        t == NULL || point == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    /* bits2octets(h1) = int2octets(bits2int(h1) mod q) */
    if (BN_nnmod(t, e, q, bn) != 1 || BN_bn2binpad(t, ho, rlen) != rlen ||
        BN_bn2binpad(x, xo, rlen) != rlen) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "bad private key");
        goto out;
    }
    d.digest = digest;
    d.hlen = hlen;
    memset(d.v, 0x01, hlen);
    memset(d.k, 0x00, hlen);
    if (hmac(&d, d.k, 0x00, xo, (size_t)rlen, ho, (size_t)rlen) != 0 ||
        hmac(&d, d.v, -1, NULL, 0, NULL, 0) != 0 ||
        hmac(&d, d.k, 0x01, xo, (size_t)rlen, ho, (size_t)rlen) != 0 ||
        hmac(&d, d.v, -1, NULL, 0, NULL, 0) != 0)
        goto crypto;
    for (;;) {
        size_t tlen = 0;
        BIGNUM *cand;

        while (tlen * 8 < (size_t)qlen) {
            if (hmac(&d, d.v, -1, NULL, 0, NULL, 0) != 0)
                goto crypto;
            memcpy(tbuf + tlen, d.v, hlen);
            tlen += hlen;
        }
        cand = bits2int(tbuf, tlen, qlen);
        if (cand == NULL)
            goto crypto;
        BN_copy(k, cand);
        BN_free(cand);
        if (!BN_is_zero(k) && BN_cmp(k, q) < 0) {
            /* r = (k.G).x mod q; s = k^-1 (e + x.r) mod q */
            if (EC_POINT_mul(group, point, k, NULL, NULL, bn) != 1 ||
                EC_POINT_get_affine_coordinates(group, point, t, NULL, bn) !=
                    1 ||
                BN_nnmod(r, t, q, bn) != 1 ||
                BN_mod_mul(t, x, r, q, bn) != 1 ||
                BN_mod_add(t, t, e, q, bn) != 1 ||
                BN_mod_inverse(s, k, q, bn) == NULL ||
                BN_mod_mul(s, s, t, q, bn) != 1)
                goto crypto;
            if (!BN_is_zero(r) && !BN_is_zero(s))
                break;
        }
        if (hmac(&d, d.k, 0x00, NULL, 0, NULL, 0) != 0 ||
            hmac(&d, d.v, -1, NULL, 0, NULL, 0) != 0)
            goto crypto;
    }
    es = ECDSA_SIG_new();
    if (es == NULL || ECDSA_SIG_set0(es, r, s) != 1)
        goto crypto;
    r = s = NULL; /* owned by es */
    der_len = i2d_ECDSA_SIG(es, NULL);
    if (der_len <= 0)
        goto crypto;
    if ((size_t)der_len > cap) {
        *sig_len = (size_t)der_len;
        rc = mfab_diag_set(diag, MFAB_EBUFS,
                           "signature buffer of %zu bytes too small (%d "
                           "needed)", cap, der_len);
        goto out;
    }
    p = sig;
    *sig_len = (size_t)i2d_ECDSA_SIG(es, &p);
    goto out;
crypto:
    rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "deterministic ECDSA failed");
out:
    OPENSSL_cleanse(&d, sizeof(d));
    OPENSSL_cleanse(xo, sizeof(xo));
    OPENSSL_cleanse(tbuf, sizeof(tbuf));
    ECDSA_SIG_free(es);
    EC_POINT_free(point);
    EC_GROUP_free(group);
    BN_clear_free(x);
    BN_clear_free(k);
    BN_free(e);
    BN_free(r);
    BN_free(s);
    BN_clear_free(t);
    BN_CTX_free(bn);
    return rc;
}
