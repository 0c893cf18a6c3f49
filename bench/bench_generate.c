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

/* Chained compressions per second on one core (the verifier's backend). */
static double
compression_rate(void)
{
    static uint8_t blocks[64 * 1024];
    const mfab_sha256_backend *be = mfab_spake2p__sha256_best();
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

int
main(void)
{
    static const unsigned iters[] = { 1000, 10000, 100000 };
    const char *env = getenv("MFAB_BENCH_DIR");
    char base[4096];
    unsigned cores = mfab_batch_cpu_count();
    double comp = compression_rate();
    run_result r, rss_small = { 0, 0 }, rss_large = { 0, 0 };
    size_t i;
    int failed = 0;
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
    printf("SHA-256: %.0f compressions/s per core\n\n", comp);
    printf("%8s %12s %12s %8s\n", "iter", "devices/s", "bound/s", "ratio");
    for (i = 0; i < sizeof(iters) / sizeof(iters[0]); i++) {
        double bound = cores * comp / (6.0 * iters[i]);

        if (generate(&r, base, 1000, iters[i]) != 0) {
            failed = 1;
            continue;
        }
        printf("%8u %12.1f %12.1f %8.2f\n", iters[i], 1000 / r.seconds,
               bound, 1000 / r.seconds / bound);
        if (i == 0)
            rss_small = r;
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
    printf("\nbound = cores x compressions/s / (6 x iterations): the verifier "
           "alone, at the SHA-256 limit\n");
    rmdir(base);
    return failed;
}
