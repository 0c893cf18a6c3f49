/*
 * Tests for src/spake2p/spake2p_params.c: generated passcodes are always
 * valid and in range over many draws, and spread over the whole range;
 * discriminators stay within 12 bits and reach both halves; salts and
 * rd-id-uids honour their length limits and are not constant.
 * Deterministic assertions only: each bound below fails for a correct
 * generator with probability far below 2^-60.
 */
#include <string.h>

#include "mfab_test.h"
#include "common/common_internal.h"
#include "matterfab/error.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"

#define DRAWS 20000

static void
test_spake2p_params__passcodes_valid_and_spread(void **state)
{
    uint32_t p, lo = 0xFFFFFFFFu, hi = 0;
    unsigned buckets[8] = { 0 };
    int i;
    (void)state;

    for (i = 0; i < DRAWS; i++) {
        assert_int_equal(mfab_spake2p_gen_passcode(&p, NULL), 0);
        assert_true(p >= 1 && p <= 99999998u);
        assert_int_equal(mfab_passcode_check(p, NULL), 0);
        lo = p < lo ? p : lo;
        hi = p > hi ? p : hi;
        buckets[(uint64_t)(p - 1) * 8 / 99999998u]++;
    }
    /* a biased generator (e.g. u32 % 2^27 without rejection, or the
     * reference's predecessor mapping) would still pass these; a broken
     * one (constant, 16-bit, top range missing) does not */
    assert_true(lo < 1000000u);
    assert_true(hi > 99000000u);
    for (i = 0; i < 8; i++)
        assert_true(buckets[i] > DRAWS / 8 / 2);
}

static void
test_spake2p_params__discriminators_in_12_bits(void **state)
{
    uint16_t d;
    unsigned low = 0, high = 0, odd = 0;
    int i;
    (void)state;

    for (i = 0; i < DRAWS; i++) {
        assert_int_equal(mfab_spake2p_gen_discriminator(&d, NULL), 0);
        assert_true(d <= MFAB_DISCRIMINATOR_MAX);
        if (d < 2048)
            low++;
        else
            high++;
        odd += d & 1;
    }
    assert_true(low > DRAWS / 4 && high > DRAWS / 4);
    assert_true(odd > DRAWS / 4 && odd < DRAWS * 3 / 4);
}

static void
test_spake2p_params__salt_lengths(void **state)
{
    uint8_t a[33], b[33];
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_spake2p_gen_salt(a, 15, &diag), MFAB_ERANGE);
    mfab_test_assert_diag(&diag, MFAB_ERANGE, "salt", "16..32", NULL);
    assert_int_equal(mfab_spake2p_gen_salt(a, 33, NULL), MFAB_ERANGE);
    assert_int_equal(mfab_spake2p_gen_salt(a, 16, NULL), 0);
    assert_int_equal(mfab_spake2p_gen_salt(a, MFAB_SPAKE2P_SALT_DEFAULT,
                                           NULL),
                     0);
    assert_int_equal(mfab_spake2p_gen_salt(b, MFAB_SPAKE2P_SALT_DEFAULT,
                                           NULL),
                     0);
    assert_memory_not_equal(a, b, MFAB_SPAKE2P_SALT_DEFAULT);
}

static void
test_spake2p_params__rd_id_uid_lengths(void **state)
{
    uint8_t a[32], b[32];
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_spake2p_gen_rd_id_uid(a, 15, &diag), MFAB_ERANGE);
    mfab_test_assert_diag(&diag, MFAB_ERANGE, "rd-id-uid", "15", NULL);
    assert_int_equal(mfab_spake2p_gen_rd_id_uid(a, 16, NULL), 0);
    assert_int_equal(mfab_spake2p_gen_rd_id_uid(b, 16, NULL), 0);
    assert_memory_not_equal(a, b, 16);
    assert_int_equal(mfab_spake2p_gen_rd_id_uid(a, 32, NULL), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spake2p_params__passcodes_valid_and_spread),
        cmocka_unit_test(test_spake2p_params__discriminators_in_12_bits),
        cmocka_unit_test(test_spake2p_params__salt_lengths),
        cmocka_unit_test(test_spake2p_params__rd_id_uid_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
