/*
 * Tests for src/onboarding/payload_fields.c: each field's text forms and
 * range, and every refusal (not a number, reserved value, out of range,
 * unknown field), with the option name in the message.
 */
#include "matterfab/error.h"
#include "onb_vectors.h"

static void
test_payload_fields__accepts(void **state)
{
    mfab_onb_payload p;
    (void)state;

    mfab_onboarding_payload_init(&p);
    assert_int_equal(mfab_onboarding_set_field(&p, "vendor-id", "0xFFF1",
                                               NULL, NULL),
                     0);
    assert_int_equal(p.vendor_id, 0xFFF1);
    assert_int_equal(mfab_onboarding_set_field(&p, "product-id", "32768",
                                               NULL, NULL),
                     0);
    assert_int_equal(p.product_id, 0x8000);
    assert_int_equal(mfab_onboarding_set_field(&p, "flow", "2", NULL, NULL),
                     0);
    assert_int_equal(p.flow, 2);
    assert_int_equal(mfab_onboarding_set_field(&p, "discovery", "0x3f", NULL,
                                               NULL),
                     0);
    assert_int_equal(p.discovery, 0x3F);
    assert_int_equal(mfab_onboarding_set_field(&p, "discriminator", "3840",
                                               NULL, NULL),
                     0);
    assert_int_equal(p.discriminator, 3840);
    assert_int_equal(mfab_onboarding_set_field(&p, "passcode", "20202021",
                                               NULL, NULL),
                     0);
    assert_int_equal(p.passcode, 20202021);
    /* leading zeros are decimal, not octal */
    assert_int_equal(mfab_onboarding_set_field(&p, "product-id", "0010",
                                               NULL, NULL),
                     0);
    assert_int_equal(p.product_id, 10);
}

static void
test_payload_fields__refusals(void **state)
{
    static const struct {
        const char *field;
        const char *text;
        int rc;
        const char *needle;
    } bad[] = {
        { "vendor-id", "abc", MFAB_EINVAL, "is not a number" },
        { "vendor-id", "0x", MFAB_EINVAL, "is not a number" },
        { "vendor-id", "", MFAB_EINVAL, "is not a number" },
        { "vendor-id", NULL, MFAB_EINVAL, "is not a number" },
        { "vendor-id", "-1", MFAB_EINVAL, "is not a number" },
        { "vendor-id", " 1", MFAB_EINVAL, "is not a number" },
        { "vendor-id", "0x10000", MFAB_ERANGE, "allowed 0..65535" },
        { "product-id", "65536", MFAB_ERANGE, "allowed 0..65535" },
        { "product-id", "99999999999999999999999", MFAB_ERANGE,
          "out of range" },
        { "flow", "3", MFAB_EINVAL, "reserved" },
        { "flow", "4", MFAB_ERANGE, "out of range" },
        { "discovery", "0x40", MFAB_EINVAL, "reserved bits" },
        { "discovery", "256", MFAB_ERANGE, "reserved bits" },
        { "discriminator", "4096", MFAB_ERANGE, "allowed 0..4095" },
        { "passcode", "0x10", MFAB_EINVAL, "not a decimal number" },
        { "colour", "1", MFAB_EINVAL, "'colour' is unknown" },
        { NULL, "1", MFAB_EINVAL, "is unknown" },
    };
    mfab_onb_payload p;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mfab_diag d = MFAB_DIAG_INIT;
        int rc;

        mfab_onboarding_payload_init(&p);
        rc = mfab_onboarding_set_field(&p, bad[i].field, bad[i].text,
                                       "--opt", &d);
        if (rc != bad[i].rc || strstr(d.message, bad[i].needle) == NULL)
            fail_msg("%s '%s': %d '%s'", bad[i].field ? bad[i].field : "-",
                     bad[i].text ? bad[i].text : "-", rc, d.message);
        if (bad[i].field != NULL && strcmp(bad[i].field, "colour") != 0 &&
            strstr(d.message, "--opt") == NULL)
            fail_msg("%s: message '%s' lacks the option", bad[i].field,
                     d.message);
        /* nothing changed */
        assert_int_equal(p.vendor_id, 0);
        assert_int_equal(p.flow, 0);
        assert_int_equal(p.discovery, MFAB_DISCOVERY_BLE);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payload_fields__accepts),
        cmocka_unit_test(test_payload_fields__refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
