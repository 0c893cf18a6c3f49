/*
 * spake2p_verifier.c: the SPAKE2+ verifier a device stores for
 * commissioning (shared/spec/matter-commissioning.md section 3; Matter
 * Core Specification 3.10, "Password-based Key Derivation").
 *
 *   ws  = PBKDF2-HMAC-SHA256(passcode as 4 LE bytes, salt, iterations, 80)
 *         0                 40                80
 *         | w0s (40 bytes)  | w1s (40 bytes)  |
 *   w0  = w0s mod n,  w1 = w1s mod n          (n = P-256 group order)
 *   L   = w1 * G
 *
 *   verifier (97 bytes)
 *         0            32    33           65           97
 *         | w0 (BE)    | 04  | X (BE)     | Y (BE)     |
 *
 * The 8 extra bytes of each half make the reduction mod n close to
 * uniform. The BN_CTX is created per call; the P-256 group is the
 * process's shared read-only one (mfab_ec_p256).
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>

#include "common/common_internal.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"
#include "spake2p/pbkdf2_sha256.h"

#define WS_HALF 40

/* see matterfab/spake2p.h */
int
mfab_spake2p_check_salt_len(size_t salt_len, mfab_diag *diag)
{
    if (salt_len < MFAB_SPAKE2P_SALT_MIN || salt_len > MFAB_SPAKE2P_SALT_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "spake2p: salt of %zu bytes out of range "
                             "(allowed %d..%d bytes)",
                             salt_len, MFAB_SPAKE2P_SALT_MIN,
                             MFAB_SPAKE2P_SALT_MAX);
    return 0;
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_check_iterations(uint32_t iterations, mfab_diag *diag)
{
    if (iterations < MFAB_SPAKE2P_ITER_MIN ||
        iterations > MFAB_SPAKE2P_ITER_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "spake2p: iteration count '%u' out of range "
                             "(allowed %d..%d)",
                             (unsigned)iterations, MFAB_SPAKE2P_ITER_MIN,
                             MFAB_SPAKE2P_ITER_MAX);
    return 0;
}

/* w = bytes mod n, as a 32-byte big-endian scalar in out. */
static int
reduce(BIGNUM *w, const uint8_t *half, const BIGNUM *order, BN_CTX *ctx)
{
    if (BN_bin2bn(half, WS_HALF, w) == NULL)
        return 0;
    return BN_nnmod(w, w, order, ctx);
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_verifier(uint8_t *buf, size_t cap, size_t *out_len,
                      uint32_t passcode, const uint8_t *salt, size_t salt_len,
                      uint32_t iterations, mfab_diag *diag)
{
    uint8_t pw[4], ws[2 * WS_HALF];
    const EC_GROUP *group;
    EC_POINT *l_point = NULL;
    BN_CTX *ctx = NULL;
    BIGNUM *w0 = NULL, *w1 = NULL;
    int rc;

    rc = mfab_passcode_check(passcode, diag);
    if (rc < 0)
        return rc;
    rc = mfab_spake2p_check_salt_len(salt_len, diag);
    if (rc < 0)
        return rc;
    rc = mfab_spake2p_check_iterations(iterations, diag);
    if (rc < 0)
        return rc;
    *out_len = MFAB_SPAKE2P_VERIFIER_LEN;
    if (buf == NULL)
        return 0;
    if (cap < MFAB_SPAKE2P_VERIFIER_LEN)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "spake2p: verifier needs %d bytes, buffer has "
                             "%zu",
                             MFAB_SPAKE2P_VERIFIER_LEN, cap);

    mfab_put_le32(pw, passcode);
    rc = mfab_spake2p__pbkdf2(ws, sizeof(ws), pw, sizeof(pw), salt, salt_len,
                              iterations, NULL, diag);
    if (rc < 0)
        goto out;

    rc = MFAB_ECRYPTO;
    group = mfab_ec_p256();
    ctx = BN_CTX_secure_new();
    w0 = BN_secure_new();
    w1 = BN_secure_new();
    if (group == NULL || ctx == NULL || w0 == NULL || w1 == NULL) {
        mfab_diag_set_ossl(diag, rc, "spake2p: cannot set up P-256");
        goto out;
    }
    l_point = EC_POINT_new(group);
    if (l_point == NULL ||
        !reduce(w0, ws, EC_GROUP_get0_order(group), ctx) ||
        !reduce(w1, ws + WS_HALF, EC_GROUP_get0_order(group), ctx) ||
        BN_bn2binpad(w0, buf, MFAB_SPAKE2P_W0_LEN) != MFAB_SPAKE2P_W0_LEN ||
        !EC_POINT_mul(group, l_point, w1, NULL, NULL, ctx)) {
        mfab_diag_set_ossl(diag, rc, "spake2p: cannot compute w0 and L");
        goto out;
    }
    /* w1 = 0 (probability 2^-256) would make L the point at infinity */
    if (EC_POINT_point2oct(group, l_point, POINT_CONVERSION_UNCOMPRESSED,
                           buf + MFAB_SPAKE2P_W0_LEN, MFAB_SPAKE2P_L_LEN,
                           ctx) != MFAB_SPAKE2P_L_LEN) {
        mfab_diag_set_ossl(diag, rc, "spake2p: cannot encode L");
        goto out;
    }
    rc = 0;
out:
    if (rc < 0)
        OPENSSL_cleanse(buf, MFAB_SPAKE2P_VERIFIER_LEN);
    OPENSSL_cleanse(pw, sizeof(pw));
    OPENSSL_cleanse(ws, sizeof(ws));
    BN_clear_free(w0);
    BN_clear_free(w1);
    EC_POINT_clear_free(l_point);
    BN_CTX_free(ctx);
    return rc;
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_verifier_check(const uint8_t *verifier, size_t verifier_len,
                            uint32_t passcode, const uint8_t *salt,
                            size_t salt_len, uint32_t iterations,
                            mfab_diag *diag)
{
    uint8_t want[MFAB_SPAKE2P_VERIFIER_LEN];
    size_t n;
    int rc;

    if (verifier_len != MFAB_SPAKE2P_VERIFIER_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "spake2p: verifier is %zu bytes (must be %d)",
                             verifier_len, MFAB_SPAKE2P_VERIFIER_LEN);
    rc = mfab_spake2p_verifier(want, sizeof(want), &n, passcode, salt,
                               salt_len, iterations, diag);
    if (rc < 0)
        goto out;
    if (CRYPTO_memcmp(want, verifier, sizeof(want)) != 0)
        rc = mfab_diag_set(diag, MFAB_ECRYPTO,
                           "spake2p: verifier does not match passcode, salt "
                           "and iteration count %u",
                           (unsigned)iterations);
out:
    OPENSSL_cleanse(want, sizeof(want));
    return rc;
}
