/*
 * Crash safety of generate, end to end: a batch stopped with Ctrl-C
 * (SIGINT) or killed with SIGKILL at several random moments, resumed each
 * time, ends with every device made exactly once, no orphan file, and a
 * clean `ledger check`. The moments are chosen by device counts seen on
 * disk, never by timing assertions.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "mfab_test.h"

#define PKI "pki/sdk-test/"

static char pai[4096], key[4096];

/* Start the CLI in dir (output discarded); returns its pid. */
static pid_t
spawn(const char *dir, const char *const *args)
{
    const char *argv[64];
    size_t n = 0;
    pid_t pid;

    argv[n++] = MFAB_CLI_PATH;
    while (*args != NULL && n < 63)
        argv[n++] = *args++;
    argv[n] = NULL;
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (chdir(dir) != 0 || fd < 0)
            _exit(127);
        dup2(fd, 1);
        dup2(fd, 2);
        execv(MFAB_CLI_PATH, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

static size_t
devices(const char *product)
{
    struct dirent *e;
    DIR *d = opendir(product);
    size_t n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL)
        n += strlen(e->d_name) == 36;
    closedir(d);
    return n;
}

/* Wait until at least target devices exist or pid ended; then signal it.
 * @return the exit code, 128+signal when it was killed */
static int
stop_at(pid_t pid, const char *product, size_t target, int sig)
{
    struct timespec nap = {0, 2000000};
    int status, done = 0;

    while (devices(product) < target) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            done = 1;
            break;
        }
        nanosleep(&nap, NULL);
    }
    if (!done) {
        kill(pid, sig);
        assert_int_equal(waitpid(pid, &status, 0), pid);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void
args_for(const char **args, const char *count)
{
    size_t k = 0;

    mfab_test_vpath(pai, sizeof(pai), PKI "Chip-Test-PAI-FFF2-8001-Cert.pem");
    mfab_test_vpath(key, sizeof(key), PKI "Chip-Test-PAI-FFF2-8001-Key.pem");
    args[k++] = "generate";
    args[k++] = "-n";
    args[k++] = count;
    args[k++] = "-v";
    args[k++] = "0xFFF2";
    args[k++] = "-p";
    args[k++] = "0x8001";
    args[k++] = "--pai";
    args[k++] = "-c";
    args[k++] = pai;
    args[k++] = "-k";
    args[k++] = key;
    args[k++] = "--iteration-count";
    args[k++] = "1000";
    args[k++] = "--enable-rotating-device-id";
    args[k++] = "--outdir";
    args[k++] = "out";
    args[k++] = "--quiet";
    args[k++] = "-j";
    args[k++] = "2";
    args[k] = NULL;
}

static const char *const resume_args[] = {
    "generate", "--resume", "1", "--outdir", "out", "--quiet", NULL};

/* ledger check is clean, n devices, and no dot file left anywhere */
static void
check_complete(const char *dir, size_t n)
{
    const char *check[] = {"ledger", "check", "--ledger", "out/ledger.sqlite",
                           NULL};
    char product[4200];
    mfab_test_run_result r;

    snprintf(product, sizeof(product), "%s/out/fff2_8001", dir);
    mfab_test_run(&r, dir, check);
    if (r.exit_code != 0)
        fail_msg("ledger check: %s %s", r.out, r.err);
    mfab_test_run_free(&r);
    assert_int_equal(devices(product), n);
}

static void
test_generate_crash__sigint_leaves_a_resumable_batch(void **state)
{
    char *dir = mfab_test_tmpdir();
    char product[4200];
    const char *args[32];
    mfab_test_run_result r;
    int code;
    (void)state;

    snprintf(product, sizeof(product), "%s/out/fff2_8001", dir);
    args_for(args, "800");
    code = stop_at(spawn(dir, args), product, 50, SIGINT);
    if (code == 0) {
        /* finished before the signal: nothing to resume */
        check_complete(dir, 800);
        mfab_test_rmtree(dir);
        return;
    }
    assert_int_equal(code, 130);
    mfab_test_run(&r, dir, resume_args);
    if (r.exit_code != 0)
        fail_msg("resume failed: %s", r.err);
    mfab_test_run_free(&r);
    check_complete(dir, 800);
    mfab_test_rmtree(dir);
}

static void
test_generate_crash__kill_9_five_times_then_complete(void **state)
{
    char *dir = mfab_test_tmpdir();
    char product[4200];
    const char *args[32];
    mfab_test_run_result r;
    size_t seen = 0;
    int round, complete = 0;
    (void)state;

    snprintf(product, sizeof(product), "%s/out/fff2_8001", dir);
    args_for(args, "1000");
    for (round = 0; round < 5 && !complete; round++) {
        uint8_t rnd[2];
        size_t target;
        int code;

        assert_int_equal(RAND_bytes(rnd, sizeof(rnd)), 1);
        target = seen + 1 + (((size_t)rnd[0] << 8 | rnd[1]) % 150);
        code = stop_at(spawn(dir, round == 0 ? args : resume_args), product,
                       target, SIGKILL);
        if (code == 0)
            complete = 1;
        else
            assert_int_equal(code, 128 + SIGKILL);
        seen = devices(product);
    }
    if (!complete) {
        mfab_test_run(&r, dir, resume_args);
        if (r.exit_code != 0)
            fail_msg("final resume failed: %s", r.err);
        mfab_test_run_free(&r);
    }
    check_complete(dir, 1000);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_crash__sigint_leaves_a_resumable_batch),
        cmocka_unit_test(test_generate_crash__kill_9_five_times_then_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
