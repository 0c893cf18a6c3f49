/*
 * sb_block.c: the Secure Boot V2 signature block and sector
 * (shared/spec/production-images.md sections 4.1-4.5, 4.7).
 *
 * Signature sector (last 4096 bytes of a signed image):
 *
 *   +0     block 0 (1216)  +1216  block 1  +2432  block 2  +3648  0xFF..
 *
 * RSA-3072 block (version 2):
 *   0 E7 | 1 02 | 2 00 00 | 4 SHA-256 (32) | 36 n LE (384) | 420 e LE32 |
 *   424 rinv LE (384) | 808 mdash LE32 | 812 sig LE (384) | 1196 CRC32 |
 *   1200 00 * 16
 * ECDSA block (version 3), L = 24/32 (in 32-byte fields), 48 for P-384:
 *   0 E7 | 1 03 | 2 hash (0 SHA-256, 1 SHA-384) | 3 00 | 4 digest (32/48) |
 *   curve id (1) | LE(X) LE(Y) (64/96) | LE(r) LE(s) (64/96) | 00.. |
 *   1196 CRC32 | 1200 00 * 16
 * The eFuse key digest is SHA-256 over the key area exactly as laid out.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "secureboot/sb_internal.h"

static const sb_layout sb_layouts[] = {
    /* version, hash, digest, key off/len, sig off/len, coord, curve */
    { 2, 0, 32, 36, 776, 812, 384, 0, 0 },  /* RSA-3072 */
    { 3, 0, 32, 36, 65, 101, 64, 24, 1 },   /* P-192 */
    { 3, 0, 32, 36, 65, 101, 64, 32, 2 },   /* P-256 */
    { 3, 1, 48, 52, 97, 149, 96, 48, 3 },   /* P-384 */
};

static const char *const sb_curve_names[] = { NULL, "prime192v1",
                                              "prime256v1", "secp384r1" };

/* see sb_internal.h */
const sb_layout *
mfab_sb__layout(mfab_sb_scheme scheme)
{
    if (scheme < MFAB_SB_RSA3072 || scheme > MFAB_SB_ECDSA384)
        return NULL;
    return &sb_layouts[scheme - MFAB_SB_RSA3072];
}

/* see secureboot.h */
const char *
mfab_sb_scheme_name(mfab_sb_scheme scheme)
{
    static const char *const names[] = { "none", "rsa3072", "ecdsa192",
                                         "ecdsa256", "ecdsa384" };

    if (scheme < MFAB_SB_NONE || scheme > MFAB_SB_ECDSA384)
        return "none";
    return names[scheme];
}

/* see secureboot.h */
int
mfab_sb_scheme_parse(mfab_sb_scheme *out, const char *name, mfab_diag *diag)
{
    int s;

    for (s = MFAB_SB_RSA3072; s <= MFAB_SB_ECDSA384; s++) {
        if (strcmp(name, mfab_sb_scheme_name((mfab_sb_scheme)s)) == 0) {
            *out = (mfab_sb_scheme)s;
            return 0;
        }
    }
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "scheme '%s' not known (allowed: rsa3072, "
                         "ecdsa192, ecdsa256, ecdsa384)", name);
}

/* Store bn as a fixed-width little-endian number. */
static int
put_bn_le(uint8_t *out, size_t width, const BIGNUM *bn, mfab_diag *diag)
{
    if (BN_bn2lebinpad(bn, out, (int)width) != (int)width)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "key value does not fit in %zu bytes", width);
    return 0;
}

/* n || e || rinv = 2^6144 mod n || mdash = -n^-1 mod 2^32 (spec 4.2). */
static int
rsa_key_area(uint8_t *out, EVP_PKEY *key, mfab_diag *diag)
{
    BIGNUM *n = NULL, *e = NULL, *r = NULL, *m = NULL, *w = NULL;
    BN_CTX *bctx = NULL;
    int rc = 0;

    bctx = BN_CTX_new();
    r = BN_new();
    m = BN_new();
    w = BN_new();
    if (bctx == NULL || r == NULL || m == NULL || w == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    if (EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) != 1 ||
        EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot read the RSA public key");
        goto out;
    }
    if (BN_num_bits(e) > 32) {
        rc = mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                           "RSA public exponent wider than 32 bits not "
                           "allowed");
        goto out;
    }
    rc = put_bn_le(out, SB_RSA_LEN, n, diag);
    if (rc != 0)
        goto out;
    mfab_put_le32(out + SB_RSA_LEN, (uint32_t)BN_get_word(e));
    /* rinv = R^2 mod n with R = 2^3072 */
    if (!BN_set_word(w, 1) || !BN_lshift(w, w, 6144) ||
        !BN_mod(r, w, n, bctx)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "cannot compute rinv");
        goto out;
    }
    rc = put_bn_le(out + SB_RSA_LEN + 4, SB_RSA_LEN, r, diag);
    if (rc != 0)
        goto out;
    /* mdash = 2^32 - (n^-1 mod 2^32) */
    if (!BN_set_word(w, 1) || !BN_lshift(w, w, 32) ||
        BN_mod_inverse(m, n, w, bctx) == NULL || !BN_sub(m, w, m)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "cannot compute mdash");
        goto out;
    }
    mfab_put_le32(out + 2 * SB_RSA_LEN + 4, (uint32_t)BN_get_word(m));
out:
    BN_free(n);
    BN_free(e);
    BN_free(r);
    BN_free(m);
    BN_free(w);
    BN_CTX_free(bctx);
    return rc;
}

/*
 * A provider-native copy of the public half. Keys from a PKCS#11 engine are
 * legacy keys whose EC components EVP_PKEY_get_bn_param cannot read; going
 * through SubjectPublicKeyInfo DER works for every key.
 */
static EVP_PKEY *
public_copy(EVP_PKEY *key)
{
    unsigned char *der = NULL;
    const unsigned char *p;
    EVP_PKEY *pub = NULL;
    int n = i2d_PUBKEY(key, &der);

    if (n > 0) {
        p = der;
        pub = d2i_PUBKEY(NULL, &p, n);
    }
    OPENSSL_free(der);
    return pub;
}

/* The affine public point of an EC key; 1 on success. */
static int
ec_xy(EVP_PKEY *key, BIGNUM **x, BIGNUM **y)
{
    return EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, x) == 1 &&
           EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, y) == 1;
}

/* see sb_internal.h */
int
mfab_sb__key_area(uint8_t *out, size_t *out_len, mfab_sb_scheme *scheme,
                  EVP_PKEY *key, mfab_diag *diag)
{
    const sb_layout *lay;
    EVP_PKEY *pub = NULL;
    BIGNUM *x = NULL, *y = NULL;
    int rc;

    rc = mfab_sb_key_scheme(scheme, key, diag);
    if (rc != 0)
        return rc;
    lay = mfab_sb__layout(*scheme);
    *out_len = lay->key_len;
    memset(out, 0, lay->key_len);
    /* the DER round trip of public_copy() costs a point check: only
     * engine keys, whose components cannot be read directly, take it */
    if (*scheme == MFAB_SB_RSA3072) {
        rc = rsa_key_area(out, key, NULL);
        if (rc != 0) {
            pub = public_copy(key);
            rc = pub != NULL ? rsa_key_area(out, pub, diag)
                             : mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                                  "cannot export the public "
                                                  "key");
        }
        goto out;
    }
    if (!ec_xy(key, &x, &y)) {
        pub = public_copy(key);
        if (pub == NULL || !ec_xy(pub, &x, &y)) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "cannot read the EC public key");
            goto out;
        }
    }
    out[0] = lay->curve_id;
    rc = put_bn_le(out + 1, lay->coord_len, x, diag);
    if (rc == 0)
        rc = put_bn_le(out + 1 + lay->coord_len, lay->coord_len, y, diag);
out:
    BN_free(x);
    BN_free(y);
    EVP_PKEY_free(pub);
    return rc;
}

/* see secureboot.h */
int
mfab_sbv2_pubkey_digest(uint8_t out[32], EVP_PKEY *key, mfab_diag *diag)
{
    uint8_t area[776];
    size_t n = 0;
    unsigned int mdlen = 0;
    mfab_sb_scheme scheme = MFAB_SB_NONE;
    int rc;

    rc = mfab_sb__key_area(area, &n, &scheme, key, diag);
    if (rc != 0)
        return rc;
    if (EVP_Digest(area, n, out, &mdlen, EVP_sha256(), NULL) != 1)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "cannot hash the public key");
    return 0;
}

/* see sb_internal.h */
int
mfab_sb__key_from_block(EVP_PKEY **out, const uint8_t *block,
                        mfab_sb_scheme scheme, mfab_diag *diag)
{
    const sb_layout *lay = mfab_sb__layout(scheme);
    const uint8_t *area = block + (lay ? lay->key_off : 0);
    OSSL_PARAM_BLD *bld = NULL;
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    BIGNUM *n = NULL, *e = NULL;
    uint8_t point[1 + 2 * 48];
    int rc = 0;

    *out = NULL;
    if (lay == NULL)
        return mfab_diag_set(diag, MFAB_EFORMAT, "block has no known scheme");
    bld = OSSL_PARAM_BLD_new();
    if (bld == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    if (scheme == MFAB_SB_RSA3072) {
        n = BN_lebin2bn(area, (int)SB_RSA_LEN, NULL);
        e = BN_new();
        if (n == NULL || e == NULL ||
            !BN_set_word(e, mfab_le32(area + SB_RSA_LEN)) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)) {
            rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "out of memory");
            goto out;
        }
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    } else {
        size_t i, L = lay->coord_len;

        point[0] = 0x04; /* uncompressed X9.62 point, big-endian */
        for (i = 0; i < L; i++) {
            point[1 + i] = area[1 + L - 1 - i];
            point[1 + L + i] = area[1 + 2 * L - 1 - i];
        }
        if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                             sb_curve_names[lay->curve_id],
                                             0) ||
            !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
                                              point, 1 + 2 * L)) {
            rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "out of memory");
            goto out;
        }
        ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
    }
    params = OSSL_PARAM_BLD_to_param(bld);
    if (ctx == NULL || params == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                "public key in the signature block is not "
                                "a valid %s key", mfab_sb_scheme_name(scheme));
        goto out;
    }
out:
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    EVP_PKEY_CTX_free(ctx);
    BN_free(n);
    BN_free(e);
    return rc;
}

/* see sb_internal.h */
void
mfab_sb__block_parse(mfab_sbv2_block_info *out, const uint8_t *block)
{
    mfab_sb_scheme scheme = MFAB_SB_NONE;
    const sb_layout *lay;
    unsigned int mdlen = 0;

    memset(out, 0, sizeof(*out));
    out->crc = mfab_le32(block + SB_CRC_OFF);
    if (block[0] != SB_MAGIC || (block[1] != 2 && block[1] != 3) ||
        mfab_crc32(0, block, SB_CRC_OFF) != out->crc)
        return;
    if (block[1] == 2)
        scheme = MFAB_SB_RSA3072;
    else if (block[2] == 1 && block[52] == 3)
        scheme = MFAB_SB_ECDSA384;
    else if (block[2] == 0 && block[36] == 1)
        scheme = MFAB_SB_ECDSA192;
    else if (block[2] == 0 && block[36] == 2)
        scheme = MFAB_SB_ECDSA256;
    else
        return; /* CRC fine but no curve we know: not usable */
    lay = mfab_sb__layout(scheme);
    out->valid = 1;
    out->scheme = scheme;
    out->image_digest_len = lay->digest_len;
    memcpy(out->image_digest, block + 4, lay->digest_len);
    if (EVP_Digest(block + lay->key_off, lay->key_len, out->key_digest,
                   &mdlen, EVP_sha256(), NULL) != 1)
        out->valid = 0;
}

/* see sb_internal.h */
void
mfab_sb__sector_parse(mfab_sbv2_info *out, const uint8_t *data, size_t len)
{
    const uint8_t *sector = data + len - MFAB_SB_SECTOR;
    size_t i;

    memset(out, 0, sizeof(*out));
    out->contents_len = len - MFAB_SB_SECTOR;
    for (i = 0; i < MFAB_SBV2_MAX_BLOCKS; i++) {
        mfab_sb__block_parse(&out->blocks[i],
                             sector + i * MFAB_SBV2_BLOCK_LEN);
        if (out->blocks[i].valid && out->nblocks == i)
            out->nblocks = i + 1;
    }
}

/* see secureboot.h */
int
mfab_sbv2_info_read(mfab_sbv2_info *out, const uint8_t *data, size_t len,
                    mfab_diag *diag)
{
    memset(out, 0, sizeof(*out));
    if (len < MFAB_SB_SECTOR)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "image of %zu bytes too short for a signature "
                             "sector (needs at least 4096)", len);
    mfab_sb__sector_parse(out, data, len);
    if (out->nblocks == 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "no valid signature block at offset 0x%zx "
                             "(magic 0xE7, version 2 or 3 and CRC32 "
                             "expected)", out->contents_len);
    return 0;
}

/* see sb_internal.h */
int
mfab_sb__digest(uint8_t out[48], size_t *out_len, int hash_type,
                const uint8_t *data, size_t len, mfab_diag *diag)
{
    unsigned int mdlen = 0;

    if (EVP_Digest(data, len, out, &mdlen,
                   hash_type == 1 ? EVP_sha384() : EVP_sha256(),
                   NULL) != 1)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "cannot hash the image");
    *out_len = mdlen;
    return 0;
}
