/*
 * bench_sha256.h: this machine's SHA-256 compression rates on one core,
 * the bound the PBKDF2 figures are measured against: chained compressions
 * of one stream (SHA-NI), and compressions of 16 independent streams side
 * by side (the wide AVX-512 backend; 0 when the CPU lacks it).
 */
#ifndef MFAB_BENCH_SHA256_H
#define MFAB_BENCH_SHA256_H

#include <string.h>

#include "bench_clock.h"
#include "spake2p/pbkdf2_sha256.h"

/* Compressions/s of one stream on backend, best of 5 runs of 0.1 s. */
static inline double
bench_sha256_stream_rate(const mfab_sha256_backend *be)
{
    static uint8_t blocks[64 * 1024];
    double t0, t, best = 0;
    int trial;

    for (trial = 0; trial < 5; trial++) {
        long reps = 0;
        uint32_t h[8];

        t0 = bench_now();
        do {
            memcpy(h, mfab_spake2p__sha256_iv, sizeof(h));
            be->compress(h, blocks, sizeof(blocks) / 64);
            reps++;
            t = bench_now() - t0;
        } while (t < 0.1);
        if (reps * (sizeof(blocks) / 64.0) / t > best)
            best = reps * (sizeof(blocks) / 64.0) / t;
    }
    return best;
}

/* Compressions/s of the wide backend with every lane busy (a PBKDF2
 * round is two compressions a lane), best of 5 runs of 0.1 s; 0 when
 * there is none. */
static inline double
bench_sha256_wide_rate(void)
{
    const mfab_pbkdf2_wide *wide = mfab_spake2p__pbkdf2_avx512();
    mfab_pbkdf2_lane lanes[MFAB_PBKDF2_WIDE_LANES];
    double t0, t, best = 0;
    int trial;

    if (wide == NULL)
        return 0;
    memset(lanes, 0x5A, sizeof(lanes));
    for (trial = 0; trial < 5; trial++) {
        long reps = 0;

        t0 = bench_now();
        do {
            wide->iterate(lanes, MFAB_PBKDF2_WIDE_LANES, 1000);
            reps++;
            t = bench_now() - t0;
        } while (t < 0.1);
        if (reps * 2000.0 * MFAB_PBKDF2_WIDE_LANES / t > best)
            best = reps * 2000.0 * MFAB_PBKDF2_WIDE_LANES / t;
    }
    return best;
}

#endif
