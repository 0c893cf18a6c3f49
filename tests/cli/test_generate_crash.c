/*
 * Crash safety of generate, end to end: a batch stopped with Ctrl-C
 * (SIGINT) or killed with SIGKILL at several random moments, resumed each
 * time, ends with every device made exactly once, no orphan file, and a
 * clean `ledger check`. The moments are chosen by device counts seen on
 * disk, never by timing assertions.
 */
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

#include "generate_cmd.h"
#include "mfab_test.h"

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

/* Wait until at least target devices exist or pid ended; then signal it.
 * @return the exit code, 128+signal when it was killed */
static int
stop_at(pid_t pid, const char *product, size_t target, int sig)
{
    struct timespec nap = {0, 2000000};
    int status, done = 0;

    while (generate_count_devices(product) < target) {
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
    assert_int_equal(generate_count_devices(product), n);
}

static void
test_generate_crash__sigint_leaves_a_resumable_batch(void **state)
{
    char *dir = mfab_test_tmpdir();
    char product[4200];
    mfab_test_run_result r;
    generate_cmd c;
    int code;
    (void)state;

    snprintf(product, sizeof(product), "%s/out/fff2_8001", dir);
    generate_cmd_init(&c, 800, "out");
    generate_cmd_add(&c, "--enable-rotating-device-id", "-j", "2", NULL);
    code = stop_at(spawn(dir, c.args), product, 50, SIGINT);
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
test_generate_crash__kill_9_five_times_in_2000_devices_then_complete(
    void **state)
{
    char *dir = mfab_test_tmpdir();
    char product[4200];
    mfab_test_run_result r;
    generate_cmd c;
    size_t seen = 0;
    int round, complete = 0;
    (void)state;

    snprintf(product, sizeof(product), "%s/out/fff2_8001", dir);
    generate_cmd_init(&c, 2000, "out");
    generate_cmd_add(&c, "--enable-rotating-device-id", "-j", "2", NULL);
    for (round = 0; round < 5 && !complete; round++) {
        uint8_t rnd[2];
        size_t target;
        int code;

        assert_int_equal(RAND_bytes(rnd, sizeof(rnd)), 1);
        target = seen + 1 + (((size_t)rnd[0] << 8 | rnd[1]) % 300);
        code = stop_at(spawn(dir, round == 0 ? c.args : resume_args), product,
                       target, SIGKILL);
        if (code == 0)
            complete = 1;
        else
            assert_int_equal(code, 128 + SIGKILL);
        seen = generate_count_devices(product);
    }
    if (!complete) {
        mfab_test_run(&r, dir, resume_args);
        if (r.exit_code != 0)
            fail_msg("final resume failed: %s", r.err);
        mfab_test_run_free(&r);
    }
    check_complete(dir, 2000);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_crash__sigint_leaves_a_resumable_batch),
        cmocka_unit_test(
            test_generate_crash__kill_9_five_times_in_2000_devices_then_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
