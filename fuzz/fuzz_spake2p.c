/*
 * fuzz_spake2p.c: libFuzzer target for the SPAKE2+ code paths that take
 * arbitrary values: PBKDF2 on both SHA-256 backends against OpenSSL's
 * PKCS5_PBKDF2_HMAC (any password, salt and output length, small
 * iteration counts), and six such derivations at once on the wide AVX-512
 * backend (mfab_spake2p__pbkdf2_many, where the CPU has it), the verifier against a reference built from
 * PKCS5_PBKDF2_HMAC and OpenSSL EC, and strict base64 decoding (whatever
 * decodes must re-encode to the same text). Any mismatch aborts.
 *
 * Input: | mode (1) | iter (1) | out_len (1) | pw_len (1) | pw | salt... |
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>

#include "matterfab/base64.h"
#include "matterfab/error.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"
#include "spake2p/pbkdf2_sha256.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Six jobs with passwords pw[0..pw_len - i], side by side: each must
 * equal OpenSSL's derivation. */
static void
check_many(const uint8_t *pw, size_t pw_len, const uint8_t *salt,
           size_t salt_len, uint32_t iter, size_t out_len)
{
    enum { JOBS = 6 };
    const mfab_pbkdf2_wide *wide = mfab_spake2p__pbkdf2_avx512();
    static uint8_t got[JOBS][256];
    uint8_t want[256];
    mfab_pbkdf2_job jobs[JOBS];
    size_t i;

    if (wide == NULL)
        return;
    for (i = 0; i < JOBS; i++)
        jobs[i] = (mfab_pbkdf2_job){ got[i], out_len, pw,
                                     pw_len > i ? pw_len - i : 0, salt,
                                     salt_len, iter };
    if (mfab_spake2p__pbkdf2_many(jobs, JOBS, wide, NULL, NULL) != 0)
        abort();
    for (i = 0; i < JOBS; i++) {
        if (PKCS5_PBKDF2_HMAC((const char *)pw, (int)jobs[i].pw_len, salt,
                              (int)salt_len, (int)iter, EVP_sha256(),
                              (int)out_len, want) != 1 ||
            memcmp(want, got[i], out_len) != 0)
            abort();
    }
}

static void
check_pbkdf2(const uint8_t *pw, size_t pw_len, const uint8_t *salt,
             size_t salt_len, uint32_t iter, size_t out_len)
{
    const mfab_sha256_backend *be[2] = { mfab_spake2p__sha256_portable(),
                                         mfab_spake2p__sha256_shani() };
    uint8_t want[256], got[256];
    int b;

    if (PKCS5_PBKDF2_HMAC((const char *)pw, (int)pw_len, salt, (int)salt_len,
                          (int)iter, EVP_sha256(), (int)out_len, want) != 1)
        abort();
    for (b = 0; b < 2; b++) {
        if (be[b] == NULL)
            continue;
        if (mfab_spake2p__pbkdf2(got, out_len, pw, pw_len, salt, salt_len,
                                 iter, be[b], NULL) != 0 ||
            memcmp(want, got, out_len) != 0)
            abort();
    }
    check_many(pw, pw_len, salt, salt_len, iter, out_len);
}

/* Reference verifier: OpenSSL PBKDF2, BN reductions, EC multiplication. */
static int
reference_verifier(uint8_t out[97], uint32_t passcode, const uint8_t *salt,
                   size_t salt_len, uint32_t iter)
{
    uint8_t pw[4] = { (uint8_t)passcode, (uint8_t)(passcode >> 8),
                      (uint8_t)(passcode >> 16), (uint8_t)(passcode >> 24) };
    uint8_t ws[80];
    EC_GROUP *g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *w0 = BN_new(), *w1 = BN_new();
    EC_POINT *l = g != NULL ? EC_POINT_new(g) : NULL;
    int ok = 0;

    if (g == NULL || ctx == NULL || w0 == NULL || w1 == NULL || l == NULL)
        goto out;
    if (PKCS5_PBKDF2_HMAC((const char *)pw, 4, salt, (int)salt_len,
                          (int)iter, EVP_sha256(), 80, ws) != 1)
        goto out;
    BN_bin2bn(ws, 40, w0);
    BN_bin2bn(ws + 40, 40, w1);
    ok = BN_nnmod(w0, w0, EC_GROUP_get0_order(g), ctx) &&
         BN_nnmod(w1, w1, EC_GROUP_get0_order(g), ctx) &&
         BN_bn2binpad(w0, out, 32) == 32 &&
         EC_POINT_mul(g, l, w1, NULL, NULL, ctx) &&
         EC_POINT_point2oct(g, l, POINT_CONVERSION_UNCOMPRESSED, out + 32, 65,
                            ctx) == 65;
out:
    EC_POINT_free(l);
    BN_free(w0);
    BN_free(w1);
    BN_CTX_free(ctx);
    EC_GROUP_free(g);
    return ok;
}

static void
check_verifier(uint32_t passcode, const uint8_t *salt, size_t salt_len,
               uint32_t iter)
{
    uint8_t want[97], got[97];
    size_t n = 0;
    int rc = mfab_spake2p_verifier(got, sizeof(got), &n, passcode, salt,
                                   salt_len, iter, NULL);
    int valid = mfab_passcode_check(passcode, NULL) == 0 &&
                salt_len >= MFAB_SPAKE2P_SALT_MIN &&
                salt_len <= MFAB_SPAKE2P_SALT_MAX &&
                iter >= MFAB_SPAKE2P_ITER_MIN && iter <= MFAB_SPAKE2P_ITER_MAX;

    if (!valid) {
        if (rc == 0)
            abort();
        return;
    }
    if (rc != 0 || n != 97 || !reference_verifier(want, passcode, salt,
                                                   salt_len, iter) ||
        memcmp(want, got, 97) != 0)
        abort();
    if (mfab_spake2p_verifier_check(want, 97, passcode, salt, salt_len, iter,
                                    NULL) != 0)
        abort();
}

static void
check_base64(const uint8_t *data, size_t size)
{
    uint8_t bytes[512];
    char text[MFAB_BASE64_LEN(512) + 1];
    size_t n, m;

    if (size > MFAB_BASE64_LEN(sizeof(bytes)))
        return;
    if (mfab_base64_decode(bytes, sizeof(bytes), &n, (const char *)data,
                           size, NULL) != 0)
        return;
    if (mfab_base64_encode(text, sizeof(text), &m, bytes, n) != 0 ||
        m != size || memcmp(text, data, size) != 0)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t pw_len, out_len;
    uint32_t iter;

    if (size < 4)
        return 0;
    switch (data[0] % 3) {
    case 0:
        pw_len = data[3] < size - 4 ? data[3] : size - 4;
        out_len = (size_t)data[2] % 200 + 1;
        iter = (uint32_t)data[1] % 16 + 1;
        check_pbkdf2(data + 4, pw_len, data + 4 + pw_len, size - 4 - pw_len,
                     iter, out_len);
        break;
    case 1:
        /* passcode from bytes 1..4 (31 bits), salt from the rest; the
         * iteration count is 1000 (the minimum, to keep the fuzzer fast)
         * or a small out-of-range one */
        if (size < 5)
            return 0;
        iter = data[4] & 1 ? MFAB_SPAKE2P_ITER_MIN : data[4];
        check_verifier((uint32_t)data[1] | (uint32_t)data[2] << 8 |
                           (uint32_t)data[3] << 16 |
                           (uint32_t)(data[4] >> 1) << 24,
                       data + 5, size - 5, iter);
        break;
    default:
        check_base64(data + 1, size - 1);
        break;
    }
    return 0;
}
