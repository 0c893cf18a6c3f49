/* Tests for src/mfg/mfg_check.c: the reference's rules and the fixes of
 * spec section 8, through mfab_mfg_plan_new (nothing is written). */
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/mfg.h"
#include "mfab_test.h"

static void
base(mfab_mfg_options *o)
{
    mfab_mfg_options_init(o);
    o->has_vid = o->has_pid = 1;
    o->vid = 0xFFF1;
    o->pid = 0x8000;
    o->outdir = "/nonexistent/never-written";
}

static void
refused(const mfab_mfg_options *o, int code, const char *what)
{
    mfab_mfg_plan *plan = NULL;
    mfab_diag d = MFAB_DIAG_INIT;

    assert_int_equal(mfab_mfg_plan_new(&plan, o, &d), code);
    assert_null(plan);
    mfab_test_assert_diag(&d, code, what, NULL);
}

static void
accepted(const mfab_mfg_options *o)
{
    mfab_mfg_plan *plan = NULL;
    mfab_diag d = MFAB_DIAG_INIT;

    if (mfab_mfg_plan_new(&plan, o, &d) != 0)
        fail_msg("refused: %s", mfab_diag_message(&d));
    mfab_mfg_plan_free(plan);
}

static void
test_mfg_check__discriminator_zero_is_kept_not_random(void **state)
{
    mfab_mfg_options o;
    (void)state;

    base(&o);
    o.has_discriminator = 1;
    o.discriminator = 0;
    accepted(&o);
    o.discriminator = 4096;
    refused(&o, MFAB_ERANGE, "Discriminator is out of range");
}

static void
test_mfg_check__passcode_range_and_trivial_values(void **state)
{
    mfab_mfg_options o;
    (void)state;

    base(&o);
    o.has_passcode = 1;
    o.passcode = 99999998;
    accepted(&o);
    o.passcode = 100000000; /* B1 */
    refused(&o, MFAB_EINVAL, "Invalid passcode 100000000");
    o.passcode = 12345678;
    refused(&o, MFAB_EINVAL, "Invalid passcode 12345678");
}

static void
test_mfg_check__strings_dates_and_labels(void **state)
{
    mfab_mfg_options o;
    static const char *const bad_label[] = {"a/orientation/up"};
    static const char *const good_label[] = {"10/room/den"};
    (void)state;

    base(&o);
    o.vendor_name = ""; /* B7 */
    refused(&o, MFAB_EINVAL, "Vendor name must be between 1 and 32");
    base(&o);
    o.mfg_date = "20241301";
    refused(&o, MFAB_EINVAL, "not a date");
    o.mfg_date = "20240229LOT7";
    accepted(&o);
    base(&o);
    o.fixed_labels = bad_label; /* B5 */
    o.n_fixed_labels = 1;
    refused(&o, MFAB_EINVAL, "Invalid fixed label: a/orientation/up");
    o.fixed_labels = good_label;
    accepted(&o);
    base(&o);
    o.rd_id_uid = "zz11223344556677889900aabbccddee"; /* B10 */
    refused(&o, MFAB_EINVAL, "32 hex digits");
}

static void
test_mfg_check__secure_cert_and_seed(void **state)
{
    mfab_mfg_options o;
    (void)state;

    base(&o);
    o.target = "esp99";
    refused(&o, MFAB_EINVAL, "invalid choice 'esp99'");
    o.target = "esp32c3";
    accepted(&o);
    base(&o);
    o.seed = "00112233445566778899aabbccddeeff";
    refused(&o, MFAB_EINVAL, "--insecure-deterministic");
    o.insecure_deterministic = 1;
    accepted(&o);
    o.seed = "0011";
    refused(&o, MFAB_EINVAL, "32..128 hex digits");
}

/* The SDK test PAI (FFF2/8001) with its key. */
static void
with_pai(mfab_mfg_options *o, char cert[4096], char key[4096])
{
    base(o);
    o->vid = 0xFFF2;
    o->pid = 0x8001;
    mfab_test_vpath(cert, 4096,
                    "pki/sdk-test/Chip-Test-PAI-FFF2-8001-Cert.der");
    mfab_test_vpath(key, 4096, "pki/sdk-test/Chip-Test-PAI-FFF2-8001-Key.der");
    o->pai = 1;
    o->cert = cert;
    o->key = key;
}

static void
test_mfg_check__secure_cert_placement(void **state)
{
    char cert[4096], key[4096];
    mfab_mfg_options o;
    (void)state;

    with_pai(&o, cert, key);
    o.dac_in_secure_cert = 1;
    accepted(&o);
    o.commissionable_in_secure_cert = 1;
    refused(&o, MFAB_EINVAL, "are mandatory"); /* spec 6.3 message 12 */
    o.rd_id_uid_in_secure_cert = 1;
    accepted(&o);
    o.dynamic_passcode = 1;
    refused(&o, MFAB_EINVAL, "--enable-dynamic-passcode");
    o.dynamic_passcode = 0;
    /* B8: the data would be on no partition */
    o.no_secure_cert_bin = 1;
    refused(&o, MFAB_EINVAL, "written nowhere");
    base(&o);
    o.dac_in_secure_cert = 1;
    refused(&o, MFAB_EINVAL, "needs a DAC to place");
    base(&o);
    o.no_secure_cert_bin = 1;
    accepted(&o);
}

static void
test_mfg_check__ds_peripheral_needs_a_chip(void **state)
{
    char cert[4096], key[4096];
    mfab_mfg_options o;
    (void)state;

    /* the reference's own checks (spec 6.3 message 7) come first */
    with_pai(&o, cert, key);
    o.dac_in_secure_cert = 1;
    o.ds_peripheral = 1;
    refused(&o, MFAB_EINVAL, "only supported for esp32h2");
    o.target = "esp32h2";
    refused(&o, MFAB_EINVAL, "--efuse-key-id <value> is required");
    o.efuse_key_id = 2;
    refused(&o, MFAB_EUNSUPPORTED, "-ds/--ds-peripheral");
    o.ds_peripheral = 0;
    refused(&o, MFAB_EUNSUPPORTED, "'--efuse-key-id'");
    o.efuse_key_id = -1;
    o.port = "/dev/ttyUSB0";
    o.count = 2;
    refused(&o, MFAB_EINVAL, "Port not specified");
    o.count = 1;
    refused(&o, MFAB_EUNSUPPORTED, "connected on a serial port");
}

static void
test_mfg_check__secure_cert_in_brings_its_dac(void **state)
{
    char cert[4096], key[4096];
    const char *in[1] = {"/nonexistent/images"};
    mfab_mfg_options o;
    (void)state;

    with_pai(&o, cert, key);
    o.secure_cert_in = in;
    o.n_secure_cert_in = 1;
    refused(&o, MFAB_EINVAL, "not with --pai");
    base(&o);
    o.secure_cert_in = in;
    o.n_secure_cert_in = 1;
    refused(&o, MFAB_EINVAL, "--verify-paa FILE");
    o.verify_paa = cert;
    refused(&o, MFAB_ENOTFOUND, "/nonexistent/images");
}

static void
test_mfg_check__count_must_be_one_with_fixed_values(void **state)
{
    mfab_mfg_options o;
    (void)state;

    base(&o);
    o.count = 2;
    o.serial_num = "SN1";
    refused(&o, MFAB_EINVAL, "Number of partitions should be 1");
    o.serial_num = NULL;
    accepted(&o);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mfg_check__discriminator_zero_is_kept_not_random),
        cmocka_unit_test(test_mfg_check__passcode_range_and_trivial_values),
        cmocka_unit_test(test_mfg_check__strings_dates_and_labels),
        cmocka_unit_test(test_mfg_check__secure_cert_and_seed),
        cmocka_unit_test(test_mfg_check__secure_cert_placement),
        cmocka_unit_test(test_mfg_check__ds_peripheral_needs_a_chip),
        cmocka_unit_test(test_mfg_check__secure_cert_in_brings_its_dac),
        cmocka_unit_test(test_mfg_check__count_must_be_one_with_fixed_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
