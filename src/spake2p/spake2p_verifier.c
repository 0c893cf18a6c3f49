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
 * process's shared read-only one (mfab_ec_p256). A call may compute many
 * verifiers: their PBKDF2 runs side by side (pbkdf2_sha256.h).
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

static int
check_inputs(uint32_t passcode, size_t salt_len, uint32_t iterations,
             mfab_diag *diag)
{
    int rc = mfab_passcode_check(passcode, diag);

    if (rc == 0)
        rc = mfab_spake2p_check_salt_len(salt_len, diag);
    if (rc == 0)
        rc = mfab_spake2p_check_iterations(iterations, diag);
    return rc;
}

/* Verifiers computed together: PBKDF2 side by side (the wide backend
 * fills from five verifiers on), then w0 and L one by one. */
#define CHUNK 16

/* verifier = w0 || w1*G from ws = w0s || w1s. */
static int
from_ws(uint8_t verifier[MFAB_SPAKE2P_VERIFIER_LEN], const uint8_t *ws,
        const EC_GROUP *group, EC_POINT *l_point, BIGNUM *w0, BIGNUM *w1,
        BN_CTX *ctx, mfab_diag *diag)
{
    if (!reduce(w0, ws, EC_GROUP_get0_order(group), ctx) ||
        !reduce(w1, ws + WS_HALF, EC_GROUP_get0_order(group), ctx) ||
        BN_bn2binpad(w0, verifier, MFAB_SPAKE2P_W0_LEN) !=
            MFAB_SPAKE2P_W0_LEN ||
        !EC_POINT_mul(group, l_point, w1, NULL, NULL, ctx))
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "spake2p: cannot compute w0 and L");
    /* w1 = 0 (probability 2^-256) would make L the point at infinity */
    if (EC_POINT_point2oct(group, l_point, POINT_CONVERSION_UNCOMPRESSED,
                           verifier + MFAB_SPAKE2P_W0_LEN, MFAB_SPAKE2P_L_LEN,
                           ctx) != MFAB_SPAKE2P_L_LEN)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "spake2p: cannot encode L");
    return 0;
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_verifier_many(mfab_spake2p_verifier_job *jobs, size_t n,
                           mfab_diag *diag)
{
    uint8_t pw[CHUNK][4], ws[CHUNK][2 * WS_HALF];
    mfab_pbkdf2_job pj[CHUNK];
    const EC_GROUP *group = mfab_ec_p256();
    EC_POINT *l_point = NULL;
    BN_CTX *ctx = NULL;
    BIGNUM *w0 = NULL, *w1 = NULL;
    size_t first, i, k = 0;
    int rc = 0;

    for (i = 0; i < n && rc == 0; i++)
        rc = check_inputs(jobs[i].passcode, jobs[i].salt_len,
                          jobs[i].iterations, diag);
    if (rc < 0)
        return rc;
    rc = MFAB_ECRYPTO;
    ctx = BN_CTX_secure_new();
    w0 = BN_secure_new();
    w1 = BN_secure_new();
    if (group != NULL)
        l_point = EC_POINT_new(group);
    if (l_point == NULL || ctx == NULL || w0 == NULL || w1 == NULL) {
        mfab_diag_set_ossl(diag, rc, "spake2p: cannot set up P-256");
        goto out;
    }
    rc = 0;
    for (first = 0; first < n && rc == 0; first += k) {
        k = n - first < CHUNK ? n - first : CHUNK;
        for (i = 0; i < k; i++) {
            mfab_spake2p_verifier_job *j = &jobs[first + i];

            mfab_put_le32(pw[i], j->passcode);
            pj[i] = (mfab_pbkdf2_job){ ws[i], sizeof(ws[i]), pw[i],
                                       sizeof(pw[i]), j->salt, j->salt_len,
                                       j->iterations };
        }
        rc = mfab_spake2p__pbkdf2_many(pj, k, NULL, NULL, diag);
        for (i = 0; i < k && rc == 0; i++)
            rc = from_ws(jobs[first + i].verifier, ws[i], group, l_point, w0,
                         w1, ctx, diag);
    }
out:
    if (rc < 0)
        for (i = 0; i < n; i++)
            OPENSSL_cleanse(jobs[i].verifier, sizeof(jobs[i].verifier));
    OPENSSL_cleanse(pw, sizeof(pw));
    OPENSSL_cleanse(ws, sizeof(ws));
    BN_clear_free(w0);
    BN_clear_free(w1);
    EC_POINT_clear_free(l_point);
    BN_CTX_free(ctx);
    return rc;
}

/* see matterfab/spake2p.h */
size_t
mfab_spake2p_verifier_batch(void)
{
    const size_t lanes = (2 * WS_HALF + 31) / 32; /* PBKDF2 blocks */

    return mfab_spake2p__pbkdf2_avx512() != NULL
               ? MFAB_PBKDF2_WIDE_LANES / lanes
               : 1;
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_verifier(uint8_t *buf, size_t cap, size_t *out_len,
                      uint32_t passcode, const uint8_t *salt, size_t salt_len,
                      uint32_t iterations, mfab_diag *diag)
{
    mfab_spake2p_verifier_job job;
    int rc;

    rc = check_inputs(passcode, salt_len, iterations, diag);
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
    job.passcode = passcode;
    job.salt = salt;
    job.salt_len = salt_len;
    job.iterations = iterations;
    rc = mfab_spake2p_verifier_many(&job, 1, diag);
    if (rc == 0)
        memcpy(buf, job.verifier, MFAB_SPAKE2P_VERIFIER_LEN);
    OPENSSL_cleanse(&job, sizeof(job));
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
