/* Tests for src/verify/verify_codes.c: the SPAKE2+ verifier and the
 * onboarding codes against run A's stored commissionable data. */
#include <stdlib.h>
#include <string.h>

#include "matterfab/base64.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"
#include "verify_fixture.h"

#define RUN_A_QR "MT:634J042C00KA0648G00"
#define RUN_A_MANUAL "3497-011-2332"

static void
test_verify_codes__wrong_passcode_on_label(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_onb(d, RUN_A_QR "," RUN_A_MANUAL ",3840,20202022");
    fx_run(d, &r);
    fx_assert_failed(&r, "is not SPAKE2+ of the passcode from", "verifier",
                     "onboarding", NULL);
    assert_non_null(strstr(fx_check(&r, "onboarding")->detail,
                           "QR passcode differs from the passcode column"));
    fx_device_free(d);
}

static void
test_verify_codes__verifier_of_another_passcode(void **state)
{
    static const char salt_b64[] =
        "V2QKkHqfnRuSmj1m/1ZcYNwoAfhl5sihnkdYmHQahuM=";
    uint8_t salt[32], v[MFAB_SPAKE2P_VERIFIER_LEN];
    char text[160];
    size_t n = 0, tn = 0;
    fx_change ch = {"verifier", 0, NULL, 0, NULL, 0};
    mfab_verify_report r;
    fx_device *d;
    (void)state;

    assert_int_equal(mfab_base64_decode(salt, sizeof(salt), &n, salt_b64,
                                        strlen(salt_b64), NULL),
                     0);
    assert_int_equal(mfab_spake2p_verifier(v, sizeof(v), &n, 20202022, salt, 32,
                                           FX_ITERATIONS, NULL),
                     0);
    assert_int_equal(mfab_base64_encode(text, sizeof(text), &tn, v, n), 0);
    ch.data = (const uint8_t *)text;
    ch.len = tn;
    d = fx_device_new(&ch, 1);
    fx_run(d, &r);
    fx_assert_failed(&r, "the verifier stored in NVS is not SPAKE2+",
                     "verifier", NULL);
    fx_device_free(d);
}

/* Run A's label with its QR code (qr != 0) or its manual code re-encoded
 * from run A's payload with one field changed, and the check that fails. */
static void
run_relabelled(int qr, uint16_t discriminator, uint8_t flow, const char *want)
{
    mfab_onb_payload *p = calloc(1, sizeof(*p));
    char code[64], row[160];
    size_t n = 0;
    mfab_verify_report r;
    fx_device *d = fx_device_new(NULL, 0);

    assert_non_null(p);
    assert_int_equal(mfab_onboarding_qr_decode(p, RUN_A_QR, 0, NULL), 0);
    p->discriminator = discriminator;
    p->flow = flow;
    if (qr) {
        assert_int_equal(
            mfab_onboarding_qr_encode(code, sizeof(code), &n, p, NULL), 0);
        snprintf(row, sizeof(row), "%s," RUN_A_MANUAL ",3840,20202021", code);
    } else {
        assert_int_equal(
            mfab_onboarding_manual_encode(code, sizeof(code), &n, p, NULL), 0);
        snprintf(row, sizeof(row), RUN_A_QR ",%s,3840,20202021", code);
    }
    fx_device_onb(d, row);
    fx_run(d, &r);
    fx_assert_failed(&r, want, "onboarding", NULL);
    free(p);
    fx_device_free(d);
}

static void
test_verify_codes__qr_of_another_discriminator(void **state)
{
    (void)state;
    run_relabelled(1, 3841, MFAB_FLOW_STANDARD,
                   "QR discriminator 3841 != stored 3840");
}

static void
test_verify_codes__long_manual_code_for_standard_flow(void **state)
{
    (void)state;
    run_relabelled(0, 3840, MFAB_FLOW_CUSTOM,
                   "QR flow 0 but a 21-digit manual code");
}

static void
test_verify_codes__manual_code_of_another_discriminator(void **state)
{
    (void)state;
    run_relabelled(0, 0x100, MFAB_FLOW_STANDARD,
                   "manual code short discriminator 1 != stored 3840 >> 8");
}

static void
test_verify_codes__passcode_from_the_ledger(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    d->in.onb_csv = NULL;
    d->in.has_passcode = 1;
    d->in.passcode = FX_PASSCODE;
    d->in.passcode_source = "the ledger";
    fx_run(d, &r);
    fx_assert_failed(&r, NULL, NULL);
    assert_non_null(
        strstr(fx_check(&r, "verifier")->detail, "passcode from the ledger"));
    assert_int_equal(fx_check(&r, "onboarding")->status, MFAB_VERIFY_SKIP);
    d->in.passcode = 20202022;
    fx_run(d, &r);
    fx_assert_failed(&r, "passcode from the ledger", "verifier", NULL);
    fx_device_free(d);
}

static void
test_verify_codes__no_passcode_anywhere(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    d->in.onb_csv = NULL;
    fx_run(d, &r);
    fx_assert_failed(&r, "no passcode", "verifier", NULL);
    fx_device_free(d);
}

static void
test_verify_codes__malformed_csv(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    memcpy(d->onb,
           "qrcode,manual,discriminator,passcode\n" RUN_A_QR "," RUN_A_MANUAL
           ",3840,20202021\n",
           sizeof("qrcode,manual,discriminator,passcode\n" RUN_A_QR
                  "," RUN_A_MANUAL ",3840,20202021\n"));
    d->in.onb_csv_len = strlen(d->onb);
    fx_run(d, &r);
    fx_assert_failed(&r, "no 'manualcode' column", "onboarding", "verifier",
                     NULL);
    fx_device_onb(d, "");
    fx_run(d, &r);
    fx_assert_failed(&r, "no device row", "onboarding", "verifier", NULL);
    assert_non_null(strstr(fx_check(&r, "verifier")->detail,
                           "the onboarding CSV gives no usable passcode"));
    fx_device_free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_codes__wrong_passcode_on_label),
        cmocka_unit_test(test_verify_codes__verifier_of_another_passcode),
        cmocka_unit_test(test_verify_codes__qr_of_another_discriminator),
        cmocka_unit_test(test_verify_codes__long_manual_code_for_standard_flow),
        cmocka_unit_test(
            test_verify_codes__manual_code_of_another_discriminator),
        cmocka_unit_test(test_verify_codes__passcode_from_the_ledger),
        cmocka_unit_test(test_verify_codes__no_passcode_anywhere),
        cmocka_unit_test(test_verify_codes__malformed_csv),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
