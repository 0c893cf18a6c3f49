/* Tests for src/mfg/mfg_template.c: key order and sources (spec 5.2, 5.3,
 * 6.4). */
#include <stdio.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/mfg.h"
#include "mfab_test.h"
#include "mfg/mfg_internal.h"

static void
base(mfab_mfg_options *o)
{
    mfab_mfg_options_init(o);
    o->has_vid = o->has_pid = 1;
    o->vid = 0xFFF1;
    o->pid = 0x8000;
    o->outdir = "/nonexistent/never-written";
}

/* "key,key,..." of the plan's template, namespaces as "[ns]" */
static void
keys(char *out, size_t cap, const mfab_mfg_plan *p)
{
    size_t i, used = 0;

    out[0] = '\0';
    for (i = 0; i < p->t.n && used < cap; i++) {
        const mfg_item *it = &p->t.items[i];
        used +=
            (size_t)snprintf(out + used, cap - used,
                             it->src == MFG_SRC_NAMESPACE ? "%s[%s]" : "%s%s",
                             i ? "," : "", it->key);
    }
}

static mfab_mfg_plan *
plan(const mfab_mfg_options *o)
{
    mfab_mfg_plan *p = NULL;
    mfab_diag d = MFAB_DIAG_INIT;

    if (mfab_mfg_plan_new(&p, o, &d) != 0)
        fail_msg("plan: %s", mfab_diag_message(&d));
    return p;
}

static void
test_mfg_template__labels_and_modes_in_reference_order(void **state)
{
    static const char *const labels[] = {"10/room/den", "1/a/b", "10/x/y"};
    static const char *const modes[] = {"0/Normal/1/7\\0x0, 8\\0x8000",
                                        "3/Eco/2", "1/Quiet/1"};
    static const char *const locales[] = {"en-US"};
    mfab_mfg_options o;
    mfab_mfg_plan *p;
    char k[4096];
    (void)state;

    base(&o);
    o.fixed_labels = labels;
    o.n_fixed_labels = 3;
    o.supported_modes = modes;
    o.n_supported_modes = 3;
    o.locales = locales;
    o.n_locales = 1;
    o.has_calendar_types = 1;
    o.calendar_types = 0x30;
    o.product_label = "Lamp";
    p = plan(&o);
    keys(k, sizeof(k), p);
    assert_string_equal(
        k, "[chip-factory],discriminator,iteration-count,salt,vendor-id,"
           "product-id,serial-num,verifier,cal-types,locale-sz,locale/0,"
           "fl-sz/a,fl-k/a/0,fl-v/a/0,fl-k/a/1,fl-v/a/1,fl-sz/1,fl-k/1/0,"
           "fl-v/1/0,sm-sz/1,sm-label/1/0,sm-mode/1/0,sm-st-sz/1/0,"
           "st-v/1/0/0,st-mfg/1/0/0,st-v/1/0/1,st-mfg/1/0/1,sm-label/1/1,"
           "sm-mode/1/1,sm-st-sz/1/1,sm-sz/2,sm-label/2/0,sm-mode/2/0,"
           "sm-st-sz/2/0,product-label");
    mfab_mfg_plan_free(p);
}

/* Spec 5.2: what the secure cert holds is left out of NVS. */
static void
test_mfg_template__secure_cert_leaves_keys_out(void **state)
{
    char cert[4096], key[4096], k[4096];
    mfab_mfg_options o;
    mfab_mfg_plan *p;
    (void)state;

    base(&o);
    o.vid = 0xFFF2;
    o.pid = 0x8001;
    mfab_test_vpath(cert, sizeof(cert),
                    "pki/sdk-test/Chip-Test-PAI-FFF2-8001-Cert.der");
    mfab_test_vpath(key, sizeof(key),
                    "pki/sdk-test/Chip-Test-PAI-FFF2-8001-Key.der");
    o.pai = 1;
    o.cert = cert;
    o.key = key;
    o.rotating_device_id = 1;
    p = plan(&o);
    keys(k, sizeof(k), p);
    assert_string_equal(k, "[chip-factory],discriminator,iteration-count,"
                           "salt,vendor-id,product-id,rd-id-uid,serial-num,"
                           "dac-cert,dac-key,dac-pub-key,pai-cert,verifier");
    mfab_mfg_plan_free(p);
    o.dac_in_secure_cert = 1;
    p = plan(&o);
    keys(k, sizeof(k), p);
    assert_string_equal(k, "[chip-factory],discriminator,iteration-count,"
                           "salt,vendor-id,product-id,rd-id-uid,serial-num,"
                           "verifier");
    mfab_mfg_plan_free(p);
    o.commissionable_in_secure_cert = o.rd_id_uid_in_secure_cert = 1;
    p = plan(&o);
    keys(k, sizeof(k), p);
    assert_string_equal(k, "[chip-factory],vendor-id,product-id,serial-num");
    mfab_mfg_plan_free(p);
}

static void
test_mfg_template__malformed_mode_refused(void **state)
{
    static const char *const bad[] = {"0/Normal/1/7\\zz"};
    static const char *const short_[] = {"0/Normal"};
    mfab_mfg_options o;
    mfab_mfg_plan *p = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    base(&o);
    o.supported_modes = bad;
    o.n_supported_modes = 1;
    assert_int_equal(mfab_mfg_plan_new(&p, &o, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "semantic tags", NULL);
    mfab_diag_init(&d);
    o.supported_modes = short_;
    assert_int_equal(mfab_mfg_plan_new(&p, &o, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "Invalid supported mode: 0/Normal",
                          NULL);
}

static void
write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");

    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
test_mfg_template__user_keys_replace_in_place_and_append(void **state)
{
    char *dir = mfab_test_tmpdir();
    char csv[4200], mcsv[4200], k[4096];
    mfab_mfg_options o;
    mfab_mfg_plan *p;
    size_t i;
    (void)state;

    snprintf(csv, sizeof(csv), "%s/c.csv", dir);
    snprintf(mcsv, sizeof(mcsv), "%s/v.csv", dir);
    write_text(csv, "serial-num,data,string\ncustom,data,u8\n"
                    "app,namespace,\nfw,data,hex2bin\n");
    write_text(mcsv, "serial-num,custom,fw\nSN-1,7,0a0b\nSN-2,8,0c0d\n");
    base(&o);
    o.csv = csv;
    o.mcsv = mcsv;
    o.product_url = "https://x";
    p = plan(&o);
    assert_int_equal(mfab_mfg_plan_count(p), 2);
    keys(k, sizeof(k), p);
    assert_string_equal(k, "[chip-factory],discriminator,iteration-count,"
                           "salt,vendor-id,product-id,serial-num,verifier,"
                           "custom,product-url,[app],fw");
    for (i = 0; i < p->t.n; i++)
        if (strcmp(p->t.items[i].key, "serial-num") == 0)
            assert_int_equal(p->t.items[i].src, MFG_SRC_USER);
    mfab_mfg_plan_free(p);
    /* a bad cell names the values file and its line */
    write_text(mcsv, "serial-num,custom,fw\nSN-1,7,0a0b\nSN-2,300,0c0d\n");
    {
        mfab_diag d = MFAB_DIAG_INIT;
        p = NULL;
        assert_int_equal(mfab_mfg_plan_new(&p, &o, &d), MFAB_ERANGE);
        mfab_test_assert_diag(&d, MFAB_ERANGE, "v.csv:3:", "custom", NULL);
    }
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_mfg_template__labels_and_modes_in_reference_order),
        cmocka_unit_test(test_mfg_template__malformed_mode_refused),
        cmocka_unit_test(test_mfg_template__secure_cert_leaves_keys_out),
        cmocka_unit_test(
            test_mfg_template__user_keys_replace_in_place_and_append),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
