/*
 * bench_spake2p.c: SPAKE2+ verifier and PBKDF2-HMAC-SHA256 throughput
 * against the SHA-256 compression bound and OpenSSL, measured in one run
 * (single thread).
 *
 * The bound: a PBKDF2 iteration is one HMAC per 32-byte output block, and
 * with precomputed keyed states an HMAC of a 32-byte value is exactly two
 * compressions; the verifier's 80 bytes are 3 blocks, so a derivation of
 * c iterations costs at least 6c compressions. ratio = measured
 * derivations/s / (compressions/s / 6c).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "matterfab/spake2p.h"
#include "spake2p/pbkdf2_sha256.h"

#define MIN_SECONDS 0.4
#define MIN_REPS 3

static double
now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static const uint8_t salt[32] = "SPAKE2P Key Salt and some more..";
static const uint8_t pw[4] = { 0x25, 0x42, 0x34, 0x01 }; /* 20202021 LE */

typedef int (*work_fn)(const void *arg, uint32_t iterations);

/* Repetitions per second of fn, for at least MIN_SECONDS. */
static double
rate(work_fn fn, const void *arg, uint32_t iterations)
{
    double t0 = now(), t;
    long reps = 0;

    do {
        if (fn(arg, iterations) != 0) {
            fprintf(stderr, "bench_spake2p: work failed\n");
            return 0;
        }
        reps++;
        t = now() - t0;
    } while (t < MIN_SECONDS || reps < MIN_REPS);
    return (double)reps / t;
}

static int
work_verifier(const void *arg, uint32_t iterations)
{
    uint8_t v[MFAB_SPAKE2P_VERIFIER_LEN];
    size_t n;

    (void)arg;
    return mfab_spake2p_verifier(v, sizeof(v), &n, 20202021, salt, 32,
                                 iterations, NULL);
}

static int
work_pbkdf2(const void *arg, uint32_t iterations)
{
    uint8_t ws[80];

    return mfab_spake2p__pbkdf2(ws, sizeof(ws), pw, 4, salt, 32, iterations,
                                arg, NULL);
}

static int
work_openssl(const void *arg, uint32_t iterations)
{
    uint8_t ws[80];

    (void)arg;
    return PKCS5_PBKDF2_HMAC((const char *)pw, 4, salt, 32, (int)iterations,
                             EVP_sha256(), 80, ws) == 1
               ? 0
               : -1;
}

static uint8_t blocks[64 * 1024];

static int
work_compress(const void *arg, uint32_t unused)
{
    const mfab_sha256_backend *be = arg;
    uint32_t h[8];

    (void)unused;
    memcpy(h, mfab_spake2p__sha256_iv, sizeof(h));
    be->compress(h, blocks, sizeof(blocks) / 64);
    return 0;
}

static int
work_openssl_sha(const void *arg, uint32_t unused)
{
    uint8_t md[32];
    unsigned int n;

    (void)arg;
    (void)unused;
    return EVP_Digest(blocks, sizeof(blocks), md, &n, EVP_sha256(), NULL) == 1
               ? 0
               : -1;
}

int
main(void)
{
    static const uint32_t iters[] = { 1000, 10000, 100000 };
    const mfab_sha256_backend *best = mfab_spake2p__sha256_best();
    const mfab_sha256_backend *portable = mfab_spake2p__sha256_portable();
    const double per_call = sizeof(blocks) / 64.0;
    double c_best, c_port, c_ossl;
    size_t i;

    c_best = rate(work_compress, best, 0) * per_call;
    c_port = rate(work_compress, portable, 0) * per_call;
    c_ossl = rate(work_openssl_sha, NULL, 0) * per_call;
    printf("SHA-256 compressions/s (64-byte blocks, chained):\n");
    printf("  %-10s %12.0f\n", best->name, c_best);
    if (best != portable)
        printf("  %-10s %12.0f\n", portable->name, c_port);
    printf("  %-10s %12.0f  (EVP_Digest, its own SHA-NI/asm)\n", "openssl",
           c_ossl);

    printf("\n%8s %12s %12s %8s %12s %8s %12s %8s\n", "iter", "verifier/s",
           "pbkdf2/s", "bound", "portable/s", "bound", "openssl/s",
           "speedup");
    for (i = 0; i < sizeof(iters) / sizeof(iters[0]); i++) {
        uint32_t c = iters[i];
        double v = rate(work_verifier, NULL, c);
        double p = rate(work_pbkdf2, best, c);
        double pp = best != portable ? rate(work_pbkdf2, portable, c) : p;
        double o = rate(work_openssl, NULL, c);

        printf("%8u %12.1f %12.1f %8.2f %12.1f %8.2f %12.1f %7.2fx\n",
               (unsigned)c, v, p, p / (c_best / (6.0 * c)), pp,
               pp / (c_port / (6.0 * c)), o, p / o);
    }
    printf("\nbound = pbkdf2/s / (compressions/s / (6 x iter)); speedup = "
           "pbkdf2/s / openssl PKCS5_PBKDF2_HMAC/s (80 bytes, same "
           "inputs)\n");
    return 0;
}
