/*
 * Tests for src/onboarding/passcode.c: every passcode and discriminator
 * case of vectors/commissioning/invalid.json (rejected with a message that
 * names the value and what is allowed, or accepted when must_reject is
 * false), every passcode of payloads.json accepted, range boundaries, and
 * the text parser's refusals.
 */
#include <stdio.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/onboarding.h"
#include "common/common_internal.h"
#include "mfab_test.h"

static json_t *
load(const char *rel)
{
    char path[4096];

    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_json(path);
}

static void
test_passcode__invalid_json_cases(void **state)
{
    json_t *root = load("commissioning/invalid.json");
    json_t *cases = json_object_get(root, "cases");
    json_t *c;
    size_t i;
    int seen = 0;
    (void)state;

    json_array_foreach(cases, i, c) {
        const char *cat = json_string_value(json_object_get(c, "category"));
        json_t *in = json_object_get(c, "input");
        int must = json_is_true(json_object_get(c, "must_reject"));
        const char *id = json_string_value(json_object_get(c, "id"));
        char text[64];
        mfab_diag d = MFAB_DIAG_INIT;
        int rc;

        if (strcmp(cat, "passcode") == 0) {
            json_t *v = json_object_get(in, "passcode");
            uint32_t out = 0;

            if (v != NULL)
                snprintf(text, sizeof(text), "%lld",
                         (long long)json_integer_value(v));
            else
                snprintf(text, sizeof(text), "%s",
                         json_string_value(json_object_get(
                             in, "passcode_cli_text")));
            rc = mfab_passcode_parse(&out, text, "--passcode", &d);
            if (v != NULL && json_integer_value(v) >= 0)
                assert_int_equal(
                    mfab_passcode_check((uint32_t)json_integer_value(v),
                                        NULL),
                    rc);
        } else if (strcmp(cat, "discriminator") == 0) {
            uint16_t out = 0;

            snprintf(text, sizeof(text), "%lld",
                     (long long)json_integer_value(
                         json_object_get(in, "discriminator")));
            rc = mfab_discriminator_parse(&out, text, "--discriminator", &d);
        } else {
            continue;
        }
        seen++;
        if (!must) {
            if (rc != 0)
                fail_msg("%s: '%s' refused: %s", id, text, d.message);
            continue;
        }
        if (rc == 0)
            fail_msg("%s: '%s' accepted", id, text);
        assert_int_equal(rc, d.code);
        /* names the value as typed, where it came from, and a rule */
        if (strstr(d.message, text + (text[0] == '-')) == NULL ||
            strstr(d.message, "--") == NULL)
            fail_msg("%s: message '%s' lacks the value or option", id,
                     d.message);
        if (text[0] != '-' && strstr(d.message, "allowed") == NULL &&
            strstr(d.message, "forbidden") == NULL)
            fail_msg("%s: message '%s' lacks the rule", id, d.message);
    }
    assert_true(seen >= 19);
    json_decref(root);
}

static void
test_passcode__payload_vectors_accepted(void **state)
{
    json_t *root = load("commissioning/payloads.json");
    json_t *c;
    size_t i;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        json_int_t p = json_integer_value(json_object_get(c, "passcode"));
        json_int_t d = json_integer_value(json_object_get(c, "discriminator"));

        assert_int_equal(mfab_passcode_check((uint32_t)p, NULL), 0);
        assert_int_equal(mfab_discriminator_check((uint32_t)d, NULL), 0);
    }
    json_decref(root);
}

static void
test_passcode__boundaries(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_passcode_check(1, NULL), 0);
    assert_int_equal(mfab_passcode_check(99999998, NULL), 0);
    assert_int_equal(mfab_passcode_check(11111110, NULL), 0);
    assert_int_equal(mfab_passcode_check(87654320, NULL), 0);
    assert_int_equal(mfab_passcode_check(0, NULL), MFAB_ERANGE);
    assert_int_equal(mfab_passcode_check(99999999, NULL), MFAB_ERANGE);
    assert_int_equal(mfab_passcode_check(UINT32_MAX, NULL), MFAB_ERANGE);
    assert_int_equal(mfab_passcode_check(12345678, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'12345678'", "forbidden",
                          "allowed 1..99999998", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_passcode_check(100000000, &d), MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "'100000000'", "out of range",
                          NULL);
    assert_int_equal(mfab_discriminator_check(4095, NULL), 0);
    assert_int_equal(mfab_discriminator_check(0, NULL), 0);
    assert_int_equal(mfab_discriminator_check(4096, NULL), MFAB_ERANGE);
}

static void
test_passcode__parse(void **state)
{
    static const char *const not_numbers[] = { "",   "12a", "+5",  " 5",
                                               "5 ", "0x10", "-0", "1.0" };
    mfab_diag d = MFAB_DIAG_INIT;
    uint32_t p = 0;
    uint16_t disc = 0;
    size_t i;
    (void)state;

    assert_int_equal(mfab_passcode_parse(&p, "00000001", NULL, NULL), 0);
    assert_int_equal(p, 1);
    assert_int_equal(mfab_passcode_parse(&p, "20202021", NULL, NULL), 0);
    assert_int_equal(p, 20202021);
    assert_int_equal(mfab_discriminator_parse(&disc, "0003840", NULL, NULL),
                     0);
    assert_int_equal(disc, 3840);
    for (i = 0; i < MFAB_ARRAY_SIZE(not_numbers); i++) {
        mfab_diag_init(&d);
        assert_int_equal(mfab_passcode_parse(&p, not_numbers[i], "x.csv:3",
                                             &d),
                         MFAB_EINVAL);
        mfab_test_assert_diag(&d, MFAB_EINVAL, "passcode", "x.csv:3", NULL);
        assert_int_equal(mfab_discriminator_parse(&disc, not_numbers[i],
                                                  NULL, NULL),
                         MFAB_EINVAL);
    }
    assert_int_equal(mfab_passcode_parse(&p, NULL, NULL, NULL), MFAB_EINVAL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_passcode_parse(&p, "99999999999999999999999",
                                         NULL, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "'99999999999999999999999'",
                          NULL);
    assert_int_equal(mfab_passcode_parse(&p, "4294967297", NULL, NULL),
                     MFAB_ERANGE);
    assert_int_equal(mfab_discriminator_parse(&disc, "65536", NULL, NULL),
                     MFAB_ERANGE);
    assert_int_equal(disc, 3840); /* untouched on failure */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_passcode__invalid_json_cases),
        cmocka_unit_test(test_passcode__payload_vectors_accepted),
        cmocka_unit_test(test_passcode__boundaries),
        cmocka_unit_test(test_passcode__parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
