/*
 * End to end with the Matter SDK's test PKI (issue 5's acceptance run):
 * 200 devices from the SDK test PAI FFF2/8001 and its CD, real random
 * keys and signatures; every device then passes `matterfab verify` (as a
 * commissioner and the device read it, against the SDK test PAA and CD
 * signing certificate) and its DAC passes `openssl verify -x509_strict`
 * up to the PAA, an implementation that shares no code with ours.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generate_cmd.h"
#include "mfab_test.h"

#define DEVICES 200

static void
check_device(const char *prod, const char *uuid, const char *paa,
             const char *pai, const char *cd_signer)
{
    char dev[4600], dac[4700];
    mfab_test_run_result r;

    snprintf(dev, sizeof(dev), "%s/%s", prod, uuid);
    {
        const char *args[] = {"verify", dev,         "--paa", paa,
                              "--cd-cert", cd_signer, NULL};
        mfab_test_run(&r, NULL, args);
    }
    if (r.exit_code != 0)
        fail_msg("matterfab verify %s: %s%s", uuid, r.out, r.err);
    mfab_test_run_free(&r);

    snprintf(dac, sizeof(dac), "%s/internal/DAC_cert.pem", dev);
    {
        const char *argv[] = {"openssl", "verify", "-x509_strict", "-CAfile",
                              paa,       "-untrusted", pai, dac, NULL};
        mfab_test_exec(&r, NULL, argv);
    }
    if (r.exit_code != 0)
        fail_msg("openssl verify %s: %s%s", uuid, r.out, r.err);
    mfab_test_run_free(&r);
}

static void
test_generate_sdk__200_devices_pass_verify_and_openssl(void **state)
{
    char *dir = mfab_test_tmpdir();
    char out[4096], prod[4200], paa[4096];
    mfab_test_run_result r;
    generate_cmd c;
    struct dirent *e;
    DIR *d;
    size_t checked = 0;
    (void)state;

    snprintf(out, sizeof(out), "%s/out", dir);
    mfab_test_vpath(paa, sizeof(paa), GEN_PKI "Chip-Test-PAA-NoVID-Cert.pem");
    generate_cmd_init(&c, DEVICES, out);
    generate_cmd_add(&c, "-cd", c.cd, "--vendor-name", "SDK test vendor",
                     "--product-name", "SDK test product", "--hw-ver", "1",
                     "--mfg-date", "20261126", "--enable-rotating-device-id",
                     NULL);
    mfab_test_run(&r, dir, c.args);
    if (r.exit_code != 0)
        fail_msg("generate failed: %s", r.err);
    mfab_test_run_free(&r);

    snprintf(prod, sizeof(prod), "%s/fff2_8001", out);
    assert_int_equal(generate_count_devices(prod), DEVICES);
    d = opendir(prod);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strlen(e->d_name) != 36)
            continue;
        check_device(prod, e->d_name, paa, c.pai, c.cd_signer);
        checked++;
    }
    closedir(d);
    assert_int_equal(checked, DEVICES);
    mfab_test_rmtree(dir);
}

/* The same check must fail on a device whose chain is not the SDK's. */
static void
test_generate_sdk__verify_refuses_another_paa(void **state)
{
    char *dir = mfab_test_tmpdir();
    char out[4096], prod[4200], dev[4600], paa[4096];
    mfab_test_run_result r;
    generate_cmd c;
    struct dirent *e;
    DIR *d;
    (void)state;

    snprintf(out, sizeof(out), "%s/out", dir);
    /* the FFF1 PAA did not sign the FFF2 PAI */
    mfab_test_vpath(paa, sizeof(paa), GEN_PKI "Chip-Test-PAA-FFF1-Cert.pem");
    generate_cmd_init(&c, 1, out);
    generate_cmd_add(&c, "-cd", c.cd, NULL);
    mfab_test_run(&r, dir, c.args);
    assert_int_equal(r.exit_code, 0);
    mfab_test_run_free(&r);
    snprintf(prod, sizeof(prod), "%s/fff2_8001", out);
    d = opendir(prod);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL && strlen(e->d_name) != 36)
        ;
    assert_non_null(e);
    snprintf(dev, sizeof(dev), "%s/%s", prod, e->d_name);
    closedir(d);
    {
        const char *args[] = {"verify", dev, "--paa", paa, "--cd-cert",
                              c.cd_signer, NULL};
        mfab_test_run(&r, NULL, args);
    }
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "chain"));
    mfab_test_run_free(&r);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate_sdk__200_devices_pass_verify_and_openssl),
        cmocka_unit_test(test_generate_sdk__verify_refuses_another_paa),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
