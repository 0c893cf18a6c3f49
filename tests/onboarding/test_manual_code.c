/*
 * Tests for src/onboarding/manual_code.c: every payloads.json case encodes
 * to its manual code and dashed mfg_tool form and decodes back (short
 * discriminator, VID/PID for the 21-digit form); the spec's worked
 * examples; every manual_parse case of invalid.json refused with the
 * message of its error class.
 */
#include <stdlib.h>

#include "common/common_internal.h"
#include "matterfab/error.h"
#include "onb_vectors.h"

static void
test_manual_code__vectors(void **state)
{
    json_t *root = onb_load("payloads.json");
    json_t *c;
    size_t i;
    mfab_onb_payload *q = malloc(sizeof(*q));
    (void)state;

    assert_non_null(q);
    json_array_foreach(json_object_get(root, "cases"), i, c) {
        mfab_onb_payload p;
        char code[32];
        char fmt[32];
        size_t len = 0;
        size_t need = 0;
        mfab_diag d = MFAB_DIAG_INIT;
        long long vid = onb_int(c, "vid");
        long long pid = onb_int(c, "pid");
        int rc;

        onb_payload_from_case(&p, c);
        assert_int_equal(mfab_onboarding_manual_encode(NULL, 0, &need, &p,
                                                       NULL),
                         0);
        assert_int_equal(mfab_onboarding_manual_encode(code, sizeof(code),
                                                       &len, &p, NULL),
                         0);
        assert_int_equal(len, need);
        assert_string_equal(code, onb_str(c, "manual"));
        assert_int_equal(len, onb_int(c, "manual_len"));
        assert_int_equal(mfab_onboarding_manual_format(fmt, sizeof(fmt),
                                                       &len, code, NULL),
                         0);
        assert_string_equal(fmt, onb_str(c, "manual_formatted_mfg_tool"));

        /* decoding accepts the dashed form as well as the digits */
        rc = mfab_onboarding_manual_decode(q, fmt, &d);
        if (len > 13 && (vid > 0xFFF4 || (vid != 0 && pid == 0))) {
            assert_int_equal(rc, MFAB_EINVAL);
            continue;
        }
        if (rc != 0)
            fail_msg("%s: %s", code, d.message);
        assert_int_equal(q->passcode, onb_int(c, "passcode"));
        assert_int_equal(q->discriminator >> 8,
                         onb_int(c, "short_discriminator"));
        assert_int_equal(q->short_discriminator_only, 1);
        if (onb_int(c, "manual_len") == 21) {
            assert_int_equal(q->vendor_id, vid);
            assert_int_equal(q->product_id, pid);
            assert_int_equal(q->flow, MFAB_FLOW_CUSTOM);
            assert_int_equal(q->no_vid_pid, 0);
        } else {
            assert_int_equal(q->flow, MFAB_FLOW_STANDARD);
            assert_int_equal(q->no_vid_pid, 1);
        }
    }
    json_decref(root);
    free(q);
}

/* Spec section 1.8 worked example, and user-intent uses the long form. */
static void
test_manual_code__spec_example(void **state)
{
    mfab_onb_payload p;
    char code[32];
    size_t len;
    (void)state;

    mfab_onboarding_payload_init(&p);
    p.discriminator = 3840;
    p.passcode = 20202021;
    assert_int_equal(mfab_onboarding_manual_encode(code, sizeof(code), &len,
                                                   &p, NULL),
                     0);
    assert_string_equal(code, "34970112332");
    p.flow = MFAB_FLOW_CUSTOM;
    p.vendor_id = 0xFFF1;
    p.product_id = 0x8000;
    assert_int_equal(mfab_onboarding_manual_encode(code, sizeof(code), &len,
                                                   &p, NULL),
                     0);
    assert_string_equal(code, "749701123365521327687");
    p.flow = MFAB_FLOW_USER_INTENT;
    assert_int_equal(mfab_onboarding_manual_encode(code, sizeof(code), &len,
                                                   &p, NULL),
                     0);
    assert_int_equal(len, 21);
    /* 21 digits need 22 bytes */
    assert_int_equal(mfab_onboarding_manual_encode(code, 21, &len, &p, NULL),
                     MFAB_EBUFS);
    assert_int_equal(len, 21);
    p.passcode = 11111111;
    assert_int_equal(mfab_onboarding_manual_encode(code, sizeof(code), &len,
                                                   &p, NULL),
                     MFAB_EINVAL);
}

static const struct {
    const char *error;
    int code;
    const char *needle;
} manual_classes[] = {
    { "check_digit", MFAB_EFORMAT, "check digit" },
    { "length", MFAB_EFORMAT, "digits" },
    { "first_digit_8_or_9", MFAB_EUNSUPPORTED, "reserved for a future" },
    { "invalid_passcode", 0, "passcode '" },
    { "non_digit", MFAB_EFORMAT, "is not a digit" },
    { "vid_pid_overflow", MFAB_EFORMAT, "does not fit 16 bits" },
    { "vendor_id_not_operational", MFAB_EINVAL, "not operationally valid" },
    { "product_id_zero_with_vendor_id", MFAB_EINVAL, "product id '0'" },
    { "too_short", MFAB_EFORMAT, "too short" },
};

static void
test_manual_code__invalid_vectors(void **state)
{
    json_t *root = onb_load("invalid.json");
    json_t *c;
    size_t i;
    int seen = 0;
    mfab_onb_payload *q = malloc(sizeof(*q));
    (void)state;

    assert_non_null(q);
    json_array_foreach(json_object_get(root, "cases"), i, c) {
        const char *id = onb_str(c, "id");
        const char *code;
        const char *error;
        mfab_diag d = MFAB_DIAG_INIT;
        size_t k;
        int rc;

        if (strcmp(onb_str(c, "category"), "manual_parse") != 0)
            continue;
        code = onb_str(json_object_get(c, "input"), "manual");
        error = onb_str(c, "error");
        rc = mfab_onboarding_manual_decode(q, code, &d);
        if (!json_is_true(json_object_get(c, "must_reject"))) {
            assert_int_equal(rc, 0);
            continue;
        }
        seen++;
        for (k = 0; k < MFAB_ARRAY_SIZE(manual_classes); k++) {
            if (strcmp(manual_classes[k].error, error) == 0)
                break;
        }
        if (k == MFAB_ARRAY_SIZE(manual_classes))
            fail_msg("%s: unknown error class '%s'", id, error);
        if (rc == 0)
            fail_msg("%s: '%s' accepted", id, code);
        if (manual_classes[k].code != 0 && rc != manual_classes[k].code)
            fail_msg("%s: code %d, expected %d (%s)", id, rc,
                     manual_classes[k].code, d.message);
        if (strstr(d.message, manual_classes[k].needle) == NULL)
            fail_msg("%s: message '%s' lacks '%s'", id, d.message,
                     manual_classes[k].needle);
    }
    assert_int_equal(seen, 13);
    json_decref(root);
    free(q);
}

static void
test_manual_code__decode_edges(void **state)
{
    mfab_onb_payload *q = malloc(sizeof(*q));
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_non_null(q);
    assert_int_equal(mfab_onboarding_manual_decode(q, NULL, NULL),
                     MFAB_EFORMAT);
    assert_int_equal(mfab_onboarding_manual_decode(
                         q, "7497011233655213276870", &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "22 digits", NULL);
    /* separators only */
    assert_int_equal(mfab_onboarding_manual_decode(q, "- -\n", NULL),
                     MFAB_EFORMAT);
    assert_int_equal(mfab_onboarding_manual_decode(q, " 3497 011 2332\r\n",
                                                   NULL),
                     0);
    assert_int_equal(q->passcode, 20202021);
    free(q);
}

static void
test_manual_code__format_errors(void **state)
{
    char out[32];
    size_t len = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_onboarding_manual_format(out, sizeof(out), &len,
                                                   "1234", &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'1234'", "11 or 21", NULL);
    assert_int_equal(mfab_onboarding_manual_format(out, sizeof(out), &len,
                                                   "3497011233a", NULL),
                     MFAB_EINVAL);
    assert_int_equal(mfab_onboarding_manual_format(out, sizeof(out), &len,
                                                   NULL, NULL),
                     MFAB_EINVAL);
    assert_int_equal(mfab_onboarding_manual_format(out, 13, &len,
                                                   "34970112332", NULL),
                     MFAB_EBUFS);
    assert_int_equal(len, 13);
    assert_int_equal(mfab_onboarding_manual_format(NULL, 0, &len,
                                                   "749701123365521327687",
                                                   NULL),
                     0);
    assert_int_equal(len, 27);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_manual_code__vectors),
        cmocka_unit_test(test_manual_code__spec_example),
        cmocka_unit_test(test_manual_code__invalid_vectors),
        cmocka_unit_test(test_manual_code__decode_edges),
        cmocka_unit_test(test_manual_code__format_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
