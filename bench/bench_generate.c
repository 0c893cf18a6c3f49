/*
 * bench_generate.c: `matterfab generate` end to end, run as a user runs it
 * (the CLI in a child process, every output file written), against the
 * SHA-256 bound of this machine measured in the same run.
 *
 * The bound: a device's verifier costs at least 6 x iterations SHA-256
 * compressions (see bench_spake2p.c), so with every core compressing and
 * nothing else to do a machine makes at most
 *     cores x compressions/s / (6 x iterations)   devices/s.
 * Peak RSS is the child's ru_maxrss, for two batch sizes: memory must not
 * grow with the count.
 *
 * Output goes to a fresh folder under MFAB_BENCH_DIR, else /dev/shm when it
 * exists (to measure the CPU work, not the disk), else /tmp.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "matterfab/batch.h"
#include "spake2p/pbkdf2_sha256.h"
#include "bench_clock.h"
#include "bench_sha256.h"

extern char **environ;

#define PKI MFAB_VECTORS_DIR "/pki/sdk-test/"

typedef struct run_result {
    double seconds;
    long max_rss_kib;
} run_result;

/* Run argv to completion; 0 when it exited 0. */
static int
run(run_result *out, char *const argv[])
{
    struct rusage ru;
    pid_t pid;
    int status, rc;
    double t0 = bench_now();

    rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0) {
        fprintf(stderr, "bench_generate: cannot run %s: %s\n", argv[0],
                strerror(rc));
        return -1;
    }
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR)
            return -1;
    }
    out->seconds = bench_now() - t0;
    out->max_rss_kib = ru.ru_maxrss;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "bench_generate: %s failed (status %d)\n", argv[0],
                status);
        return -1;
    }
    return 0;
}

static int
remove_tree(const char *dir)
{
    char *const argv[] = { "/bin/rm", "-rf", (char *)dir, NULL };
    run_result r;

    return run(&r, argv);
}

/* One batch of count devices at iterations into a new folder under base. */
static int
generate(run_result *out, const char *base, unsigned count,
         unsigned iterations)
{
    char outdir[4096], n[16], it[16];
    int rc;

    snprintf(outdir, sizeof(outdir), "%s/n%u-i%u", base, count, iterations);
    snprintf(n, sizeof(n), "%u", count);
    snprintf(it, sizeof(it), "%u", iterations);
    {
        char *const argv[] = {
            MFAB_CLI_PATH, "generate", "--quiet", "-n", n, "-v", "0xFFF2",
            "-p", "0x8001", "--pai", "-k",
            PKI "Chip-Test-PAI-FFF2-8001-Key.pem", "-c",
            PKI "Chip-Test-PAI-FFF2-8001-Cert.pem", "-cd",
            PKI "Chip-Test-CD-FFF2-8001.der", "--iteration-count", it,
            "--outdir", outdir, NULL
        };
        rc = run(out, argv);
    }
    remove_tree(outdir);
    return rc;
}

/* Median of three runs of a batch, so one hiccup of the shared machine
 * neither makes nor breaks a figure (min and max are printed too). */
#define RUNS 3

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

int
main(void)
{
    static const unsigned iters[] = { 1000, 10000, 100000 };
    const char *env = getenv("MFAB_BENCH_DIR");
    char base[4096];
    unsigned cores = mfab_batch_cpu_count();
    double stream = bench_sha256_stream_rate(mfab_spake2p__sha256_best());
    double wide = bench_sha256_wide_rate();
    double comp = wide > stream ? wide : stream;
    run_result r, rss_small = { 0, 0 }, rss_large = { 0, 0 };
    size_t i;
    int failed = 0, k;
    struct stat st;

    snprintf(base, sizeof(base), "%s/mfab-bench-generate-%ld",
             env ? env
                 : (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode))
                       ? "/dev/shm"
                       : "/tmp",
             (long)getpid());
    if (mkdir(base, 0700) != 0) {
        fprintf(stderr, "bench_generate: cannot create %s: %s\n", base,
                strerror(errno));
        return 1;
    }
    printf("matterfab generate, n = 1000, all %u cores, output in %s\n",
           cores, base);
    printf("SHA-256 compressions/s per core: %.0f one stream (%s), %.0f "
           "16 streams side by side (%s)\n\n",
           stream, mfab_spake2p__sha256_best()->name, wide,
           wide > 0 ? "avx512" : "none on this CPU");
    printf("%8s %12s %19s %12s %8s\n", "iter", "devices/s", "(min..max)",
           "bound/s", "ratio");
    for (i = 0; i < sizeof(iters) / sizeof(iters[0]); i++) {
        double bound = cores * comp / (6.0 * iters[i]), rate[RUNS];

        for (k = 0; k < RUNS && !failed; k++) {
            if (generate(&r, base, 1000, iters[i]) != 0)
                failed = 1;
            rate[k] = 1000 / r.seconds;
            if (i == 0 && r.max_rss_kib > rss_small.max_rss_kib)
                rss_small = r;
        }
        if (failed)
            break;
        qsort(rate, RUNS, sizeof(rate[0]), cmp_double);
        printf("%8u %12.1f %8.1f..%-9.1f %12.1f %8.2f\n", iters[i],
               rate[RUNS / 2], rate[0], rate[RUNS - 1], bound,
               rate[RUNS / 2] / bound);
    }
    if (!failed && generate(&rss_large, base, 10000, 1000) == 0) {
        printf("\npeak RSS (1000 iterations): n=1000 %ld KiB, n=10000 %ld "
               "KiB, ratio %.2f (%.1f devices/s at n=10000)\n",
               rss_small.max_rss_kib, rss_large.max_rss_kib,
               (double)rss_large.max_rss_kib / (double)rss_small.max_rss_kib,
               10000 / rss_large.seconds);
    } else {
        failed = 1;
    }
    printf("\ndevices/s: median of %d runs; bound = cores x compressions/s "
           "(the faster way) / (6 x iterations): the verifier alone, at the "
           "SHA-256 limit\n", RUNS);
    rmdir(base);
    return failed;
}
