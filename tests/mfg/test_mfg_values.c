/* Tests for src/mfg/mfg_values.c: the CSPRNG pool behind
 * mfab_mfg__random (every value fresh, none shared with a forked child). */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "matterfab/error.h"
#include "mfab_test.h"
#include "mfg/mfg_internal.h"

#define DRAWS 200
#define LEN 37 /* not a divisor of the pool: draws straddle refills */

static void
draw(const mfab_mfg_plan *p, uint8_t *out, size_t len)
{
    mfab_diag d = MFAB_DIAG_INIT;

    if (mfab_mfg__random(p, 0, "test", out, len, &d) != 0)
        fail_msg("random: %s", mfab_diag_message(&d));
}

static int
all_zero(const uint8_t *b, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (b[i] != 0)
            return 0;
    return 1;
}

static void
test_mfg_values__random_draws_are_fresh(void **state)
{
    static uint8_t v[DRAWS][LEN];
    uint8_t big[5000];
    mfab_mfg_plan p;
    size_t i, j;

    (void)state;
    memset(&p, 0, sizeof(p));
    for (i = 0; i < DRAWS; i++) {
        draw(&p, v[i], LEN);
        assert_false(all_zero(v[i], LEN)); /* never the wiped bytes */
        for (j = 0; j < i; j++)
            assert_memory_not_equal(v[i], v[j], LEN);
    }
    draw(&p, big, sizeof(big)); /* larger than the pool */
    for (i = 0; i + 32 <= sizeof(big); i += 32)
        assert_false(all_zero(big + i, 32));
}

static void
test_mfg_values__forked_child_draws_other_bytes(void **state)
{
    uint8_t mine[16], theirs[16];
    mfab_mfg_plan p;
    int fds[2], status = 0;
    pid_t pid;

    (void)state;
    memset(&p, 0, sizeof(p));
    draw(&p, mine, sizeof(mine)); /* the pool now holds unused bytes */
    assert_int_equal(pipe(fds), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        draw(&p, theirs, sizeof(theirs));
        _exit(write(fds[1], theirs, sizeof(theirs)) == sizeof(theirs) ? 0 : 1);
    }
    close(fds[1]);
    assert_int_equal(read(fds[0], theirs, sizeof(theirs)), sizeof(theirs));
    close(fds[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(status, 0);
    draw(&p, mine, sizeof(mine));
    assert_memory_not_equal(mine, theirs, sizeof(mine));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mfg_values__random_draws_are_fresh),
        cmocka_unit_test(test_mfg_values__forked_child_draws_other_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
