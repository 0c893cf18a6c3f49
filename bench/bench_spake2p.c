/*
 * bench_spake2p.c: SPAKE2+ verifier and PBKDF2-HMAC-SHA256 throughput
 * against the SHA-256 compression bound and OpenSSL, measured in one run
 * (single thread).
 *
 * The bound: a PBKDF2 iteration is one HMAC per 32-byte output block, and
 * with precomputed keyed states an HMAC of a 32-byte value is exactly two
 * compressions; the verifier's 80 bytes are 3 blocks, so a derivation of
 * c iterations costs at least 6c compressions. ratio = measured
 * derivations/s / (compressions/s / 6c). Verifiers made five at a time
 * (mfab_spake2p_verifier_many, as generate does) run on the wide AVX-512
 * backend where the CPU has it, against its own 16-lane compression rate.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "matterfab/spake2p.h"
#include "spake2p/pbkdf2_sha256.h"
#include "bench_clock.h"

/* Each figure is the best of TRIALS short runs, and the trials of all
 * figures are interleaved, so that a busy shared machine slows every
 * figure alike instead of skewing the ratios. */
#define TRIAL_SECONDS 0.08
#define TRIALS 5

static const uint8_t salt[32] = "SPAKE2P Key Salt and some more..";
static const uint8_t pw[4] = { 0x25, 0x42, 0x34, 0x01 }; /* 20202021 LE */

typedef int (*work_fn)(const void *arg, uint32_t iterations);

/* Repetitions per second of fn over at least TRIAL_SECONDS. */
static double
rate(work_fn fn, const void *arg, uint32_t iterations)
{
    double t0 = bench_now(), t;
    long reps = 0;

    do {
        if (fn(arg, iterations) != 0) {
            fprintf(stderr, "bench_spake2p: work failed\n");
            return 0;
        }
        reps++;
        t = bench_now() - t0;
    } while (t < TRIAL_SECONDS);
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

/* Five verifiers per call, as generate makes them; the rate is per call. */
#define MANY 5

static int
work_verifier_many(const void *arg, uint32_t iterations)
{
    mfab_spake2p_verifier_job jobs[MANY];
    int i;

    (void)arg;
    for (i = 0; i < MANY; i++) {
        jobs[i].passcode = 20202021 + (uint32_t)i;
        jobs[i].salt = salt;
        jobs[i].salt_len = sizeof(salt);
        jobs[i].iterations = iterations;
    }
    return mfab_spake2p_verifier_many(jobs, MANY, NULL);
}

/* 16 lanes x 1000 rounds x 2 compressions per call. */
static int
work_wide(const void *arg, uint32_t unused)
{
    const mfab_pbkdf2_wide *wide = arg;
    mfab_pbkdf2_lane lanes[MFAB_PBKDF2_WIDE_LANES];

    (void)unused;
    memset(lanes, 0x5A, sizeof(lanes));
    wide->iterate(lanes, MFAB_PBKDF2_WIDE_LANES, 1000);
    return 0;
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

typedef struct measure {
    work_fn fn;
    const void *arg;
    uint32_t iterations;
    double best;
} measure;

#define NITER 3

int
main(void)
{
    static const uint32_t iters[NITER] = { 1000, 10000, 100000 };
    const mfab_sha256_backend *best = mfab_spake2p__sha256_best();
    const mfab_sha256_backend *portable = mfab_spake2p__sha256_portable();
    const mfab_pbkdf2_wide *wide = mfab_spake2p__pbkdf2_avx512();
    const double per_call = sizeof(blocks) / 64.0;
    const double wide_per_call = 2000.0 * MFAB_PBKDF2_WIDE_LANES;
    /* 0..3 compression rates, then per iteration count: verifier, pbkdf2
     * (best), pbkdf2 (portable), openssl, verifiers five at a time */
    measure m[4 + 5 * NITER];
    size_t i, k, n = 0;
    int t;

    m[n++] = (measure){ work_compress, best, 0, 0 };
    m[n++] = (measure){ work_compress, portable, 0, 0 };
    m[n++] = (measure){ work_openssl_sha, NULL, 0, 0 };
    m[n++] = (measure){ wide ? work_wide : NULL, wide, 0, 0 };
    for (i = 0; i < NITER; i++) {
        m[n++] = (measure){ work_verifier, NULL, iters[i], 0 };
        m[n++] = (measure){ work_pbkdf2, best, iters[i], 0 };
        m[n++] = (measure){ work_pbkdf2, portable, iters[i], 0 };
        m[n++] = (measure){ work_openssl, NULL, iters[i], 0 };
        m[n++] = (measure){ work_verifier_many, NULL, iters[i], 0 };
    }
    for (t = 0; t < TRIALS; t++) {
        for (k = 0; k < n; k++) {
            double r;

            if (m[k].fn == NULL)
                continue;
            r = rate(m[k].fn, m[k].arg, m[k].iterations);
            if (r > m[k].best)
                m[k].best = r;
        }
    }

    printf("SHA-256 compressions/s (64-byte blocks, chained), best of %d:\n",
           TRIALS);
    printf("  %-10s %12.0f\n", best->name, m[0].best * per_call);
    if (best != portable)
        printf("  %-10s %12.0f\n", portable->name, m[1].best * per_call);
    printf("  %-10s %12.0f  (EVP_Digest, its own SHA-NI/asm)\n", "openssl",
           m[2].best * per_call);
    if (wide != NULL)
        printf("  %-10s %12.0f  (16 streams side by side, %.2fx %s)\n",
               wide->name, m[3].best * wide_per_call,
               m[3].best * wide_per_call / (m[0].best * per_call),
               best->name);

    printf("\n%8s %12s %12s %8s %12s %8s %12s %8s\n", "iter", "verifier/s",
           "pbkdf2/s", "bound", "portable/s", "bound", "openssl/s",
           "speedup");
    for (i = 0; i < NITER; i++) {
        double c = 6.0 * iters[i];
        const measure *row = &m[4 + 5 * i];

        printf("%8u %12.1f %12.1f %8.2f %12.1f %8.2f %12.1f %7.2fx\n",
               (unsigned)iters[i], row[0].best, row[1].best,
               row[1].best / (m[0].best * per_call / c), row[2].best,
               row[2].best / (m[1].best * per_call / c), row[3].best,
               row[1].best / row[3].best);
    }
    printf("\nbound = pbkdf2/s / (compressions/s / (6 x iter)); speedup = "
           "pbkdf2/s / openssl PKCS5_PBKDF2_HMAC/s (80 bytes, same "
           "inputs)\n");
    if (wide == NULL)
        return 0;
    printf("\nverifiers made %d at a time (mfab_spake2p_verifier_many):\n",
           MANY);
    printf("%8s %12s %10s %12s\n", "iter", "verifier/s", "bound",
           "x one by one");
    for (i = 0; i < NITER; i++) {
        double c = 6.0 * iters[i];
        const measure *row = &m[4 + 5 * i];
        double per_s = row[4].best * MANY;

        printf("%8u %12.1f %10.2f %11.2fx\n", (unsigned)iters[i], per_s,
               per_s / (m[3].best * wide_per_call / c), per_s / row[0].best);
    }
    printf("bound = verifiers/s / (%s compressions/s / (6 x iter)); the "
           "wide pass runs 16 lanes, five verifiers fill 15\n",
           wide->name);
    return 0;
}
