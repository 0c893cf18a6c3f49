/*
 * bench_clock.h: the one clock every benchmark reads (monotonic seconds).
 */
#ifndef MFAB_BENCH_CLOCK_H
#define MFAB_BENCH_CLOCK_H

#include <time.h>

static inline double
bench_now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

#endif
