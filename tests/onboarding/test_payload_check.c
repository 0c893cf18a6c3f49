/*
 * Tests for src/onboarding/payload_check.c: the vendor_id, product_id,
 * discovery_bits, discovery_mode and commissioning_flow cases of
 * invalid.json (refused with a specific message, or accepted with a
 * warning where must_reject is false), the optional data type rules,
 * the extras table limits, and the warning for discovery bits 3..5.
 */
#include <stdio.h>

#include "common/common_internal.h"
#include "matterfab/error.h"
#include "onb_vectors.h"

static void
base_payload(mfab_onb_payload *p)
{
    mfab_onboarding_payload_init(p);
    p->vendor_id = 0xFFF1;
    p->product_id = 0x8000;
    p->discriminator = 3840;
    p->passcode = 20202021;
}

static void
set_num(mfab_onb_payload *p, const char *field, long long v, int *rc,
        mfab_diag *d)
{
    char text[32];

    snprintf(text, sizeof(text), "%lld", v);
    *rc = mfab_onboarding_set_field(p, field, text, "--x", d);
}

static void
test_payload_check__invalid_vectors(void **state)
{
    json_t *root = onb_load("invalid.json");
    json_t *c;
    size_t i;
    int seen = 0;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        const char *cat = onb_str(c, "category");
        const char *id = onb_str(c, "id");
        json_t *in = json_object_get(c, "input");
        int must = json_is_true(json_object_get(c, "must_reject"));
        onb_warns warns = { 0, { 0 } };
        mfab_diag d = MFAB_DIAG_INIT;
        mfab_onb_payload p;
        const char *needle;
        int rc = 0;

        d.warn = onb_warn_sink;
        d.warn_ctx = &warns;
        base_payload(&p);
        if (strcmp(cat, "vendor_id") == 0 || strcmp(cat, "product_id") == 0) {
            if (json_object_get(in, "vendor_id") != NULL)
                set_num(&p, "vendor-id", onb_int(in, "vendor_id"), &rc, &d);
            if (rc == 0 && json_object_get(in, "product_id") != NULL)
                set_num(&p, "product-id", onb_int(in, "product_id"), &rc,
                        &d);
            if (rc == 0)
                rc = mfab_onboarding_check(&p, &d);
            needle = must ? "out of range (allowed 0..65535)"
                          : "not operationally valid";
            if (!must && strcmp(cat, "product_id") == 0)
                needle = "product id '0'";
        } else if (strcmp(cat, "discovery_bits") == 0) {
            p.discovery = (uint8_t)onb_int(in, "discovery");
            rc = mfab_onboarding_check(&p, &d);
            needle = "reserved bits 6..7";
            /* the text parser refuses it too */
            assert_int_equal(mfab_onboarding_set_field(
                                 &p, "discovery",
                                 onb_int(in, "discovery") == 64 ? "64"
                                                                : "0x80",
                                 NULL, NULL),
                             MFAB_EINVAL);
        } else if (strcmp(cat, "discovery_mode") == 0) {
            rc = mfab_onboarding_check_mfg_discovery_mode(
                (uint32_t)onb_int(in, "discovery_mode"), &d);
            needle = "allowed 2 ble, 4 on-network, 6 both";
        } else if (strcmp(cat, "commissioning_flow") == 0) {
            set_num(&p, "flow", onb_int(in, "flow"), &rc, &d);
            needle = "is reserved";
            p.flow = (uint8_t)onb_int(in, "flow");
            assert_int_equal(mfab_onboarding_check(&p, NULL), MFAB_EINVAL);
        } else {
            continue;
        }
        seen++;
        if (!must) {
            if (rc != 0)
                fail_msg("%s: refused: %s", id, d.message);
            if (warns.count == 0 || strstr(warns.last, needle) == NULL)
                fail_msg("%s: no warning with '%s' (got '%s')", id, needle,
                         warns.last);
            continue;
        }
        if (rc == 0)
            fail_msg("%s: accepted", id);
        if (strstr(d.message, needle) == NULL)
            fail_msg("%s: message '%s' lacks '%s'", id, d.message, needle);
    }
    assert_int_equal(seen, 13);
    json_decref(root);
}

static void
test_payload_check__mfg_discovery_modes(void **state)
{
    uint32_t m;
    int ok = 0;
    (void)state;

    for (m = 0; m < 300; m++) {
        if (mfab_onboarding_check_mfg_discovery_mode(m, NULL) == 0)
            ok++;
    }
    assert_int_equal(ok, 3);
    assert_int_equal(mfab_onboarding_check_mfg_discovery_mode(6, NULL), 0);
}

static void
test_payload_check__rules(void **state)
{
    mfab_onb_payload p;
    mfab_diag d = MFAB_DIAG_INIT;
    onb_warns warns = { 0, { 0 } };
    (void)state;

    base_payload(&p);
    assert_int_equal(mfab_onboarding_check(&p, NULL), 0);
    p.version = 1;
    assert_int_equal(mfab_onboarding_check(&p, &d), MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&d, MFAB_EUNSUPPORTED, "version '1'", NULL);
    base_payload(&p);
    p.discriminator = 4096;
    assert_int_equal(mfab_onboarding_check(&p, NULL), MFAB_ERANGE);
    base_payload(&p);
    p.passcode = 87654321;
    assert_int_equal(mfab_onboarding_check(&p, NULL), MFAB_EINVAL);

    /* bits 3..5 are valid but older commissioners refuse them */
    base_payload(&p);
    d.warn = onb_warn_sink;
    d.warn_ctx = &warns;
    p.discovery = MFAB_DISCOVERY_THREAD;
    mfab_diag_init(&d);
    assert_int_equal(mfab_onboarding_check(&p, &d), 0);
    assert_int_equal(warns.count, 1);
    assert_non_null(strstr(warns.last, "'0x20'"));
    p.discovery = MFAB_DISCOVERY_BLE | MFAB_DISCOVERY_ON_NETWORK;
    assert_int_equal(mfab_onboarding_check(&p, &d), 0);
    assert_int_equal(warns.count, 1);
}

static void
test_payload_check__extras_rules(void **state)
{
    static const struct {
        uint8_t tag;
        mfab_onb_extra_type type;
        uint64_t u;
        int rc;
    } cases[] = {
        { 0x00, MFAB_ONB_EXTRA_UINT, 0xFFFFFFFFu, 0 },
        { 0x00, MFAB_ONB_EXTRA_UINT, 0x100000000ull, MFAB_EINVAL },
        { 0x00, MFAB_ONB_EXTRA_INT, 5, MFAB_EINVAL },
        { 0x01, MFAB_ONB_EXTRA_UINT, 1000, 0 },
        { 0x01, MFAB_ONB_EXTRA_UINT, 100000, 0 },
        { 0x01, MFAB_ONB_EXTRA_UINT, 999, MFAB_ERANGE },
        { 0x01, MFAB_ONB_EXTRA_UINT, 100001, MFAB_ERANGE },
        { 0x01, MFAB_ONB_EXTRA_STRING, 0, MFAB_ERANGE },
        { 0x02, MFAB_ONB_EXTRA_STRING, 0, 0 },
        { 0x02, MFAB_ONB_EXTRA_UINT, 7, MFAB_EINVAL },
        { 0x03, MFAB_ONB_EXTRA_UINT, 1, 0 },
        { 0x03, MFAB_ONB_EXTRA_UINT, 0, MFAB_ERANGE },
        { 0x03, MFAB_ONB_EXTRA_UINT, 256, MFAB_ERANGE },
        { 0x04, MFAB_ONB_EXTRA_UINT, 900, 0 },
        { 0x04, MFAB_ONB_EXTRA_INT, 900, MFAB_EINVAL },
        { 0x05, MFAB_ONB_EXTRA_INT, 1, 0 },
        { 0x7F, MFAB_ONB_EXTRA_STRING, 0, 0 },
        { 0x80, MFAB_ONB_EXTRA_INT, 1, 0 },
        { 0xFF, MFAB_ONB_EXTRA_UINT, UINT64_MAX, 0 },
    };
    mfab_onb_payload p;
    size_t i;
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(cases); i++) {
        base_payload(&p);
        if (cases[i].type == MFAB_ONB_EXTRA_STRING)
            mfab_onboarding_add_string(&p, cases[i].tag, "s", 1, NULL);
        else if (cases[i].type == MFAB_ONB_EXTRA_INT)
            mfab_onboarding_add_int(&p, cases[i].tag, (int64_t)cases[i].u,
                                    NULL);
        else
            mfab_onboarding_add_uint(&p, cases[i].tag, cases[i].u, NULL);
        if (mfab_onboarding_check(&p, NULL) != cases[i].rc)
            fail_msg("case %zu (tag 0x%02x) not %d", i, cases[i].tag,
                     cases[i].rc);
    }
}

static void
test_payload_check__extras_table(void **state)
{
    mfab_onb_payload p;
    mfab_diag d = MFAB_DIAG_INIT;
    int t;
    (void)state;

    base_payload(&p);
    for (t = 0; t < MFAB_ONB_MAX_EXTRAS; t++)
        assert_int_equal(mfab_onboarding_add_int(&p, (uint8_t)(0x80 + t), t,
                                                 NULL),
                         0);
    /* replacing an existing tag still works when full */
    assert_int_equal(mfab_onboarding_add_string(&p, 0x80, "x", 1, NULL), 0);
    assert_int_equal(p.n_extras, MFAB_ONB_MAX_EXTRAS);
    assert_int_equal(p.extras[0].type, MFAB_ONB_EXTRA_STRING);
    assert_int_equal(mfab_onboarding_add_uint(&p, 0x10, 1, &d), MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "0x10", "allowed 32", NULL);
    assert_int_equal(mfab_onboarding_add_string(&p, 0x11, NULL, 4, NULL),
                     MFAB_ERANGE);
    /* a corrupted count is refused, not read past the table */
    p.n_extras = MFAB_ONB_MAX_EXTRAS + 1;
    assert_int_equal(mfab_onboarding_check(&p, NULL), MFAB_ERANGE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payload_check__invalid_vectors),
        cmocka_unit_test(test_payload_check__mfg_discovery_modes),
        cmocka_unit_test(test_payload_check__rules),
        cmocka_unit_test(test_payload_check__extras_rules),
        cmocka_unit_test(test_payload_check__extras_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
