/*
 * Tests for src/onboarding/verhoeff.c: the check digit of every manual
 * code in payloads.json, and the algorithm's guarantees (every single-digit
 * error and every adjacent transposition of distinct digits is detected).
 */
#include "onb_vectors.h"
#include "onboarding/onboarding_internal.h"

static void
test_verhoeff__vectors(void **state)
{
    json_t *root = onb_load("payloads.json");
    json_t *c;
    size_t i;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        const char *m = onb_str(c, "manual");
        size_t n = strlen(m);

        assert_int_equal(mfab_onboarding__verhoeff_digit(m, n - 1),
                         m[n - 1]);
        assert_true(mfab_onboarding__verhoeff_valid(m, n));
    }
    json_decref(root);
    /* the classic textbook value: 236 -> 3 */
    assert_int_equal(mfab_onboarding__verhoeff_digit("236", 3), '3');
    assert_true(mfab_onboarding__verhoeff_valid("2363", 4));
    assert_false(mfab_onboarding__verhoeff_valid("", 0));
}

static void
test_verhoeff__detects_errors(void **state)
{
    char code[] = "749701123365521327687";
    size_t n = sizeof(code) - 1;
    size_t i;
    (void)state;

    assert_true(mfab_onboarding__verhoeff_valid(code, n));
    for (i = 0; i < n; i++) {
        char orig = code[i];
        char d;

        for (d = '0'; d <= '9'; d++) {
            if (d == orig)
                continue;
            code[i] = d;
            assert_false(mfab_onboarding__verhoeff_valid(code, n));
        }
        code[i] = orig;
        if (i + 1 < n && code[i] != code[i + 1]) {
            code[i] = code[i + 1];
            code[i + 1] = orig;
            assert_false(mfab_onboarding__verhoeff_valid(code, n));
            code[i + 1] = code[i];
            code[i] = orig;
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verhoeff__vectors),
        cmocka_unit_test(test_verhoeff__detects_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
