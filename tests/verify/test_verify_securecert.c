/* Tests for src/verify/verify_securecert.c: devices whose DAC (and
 * commissionable data) live in an esp_secure_cert image written by
 * mfab_securecert_write, next to an NVS image without them. */
#include <stdlib.h>
#include <string.h>

#include "matterfab/securecert.h"
#include "verify_fixture.h"

static void
test_verify_securecert__dac_and_commissionable_data(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_secure_cert(d, 1);
    fx_run(d, &r);
    fx_assert_failed(&r, NULL, NULL);
    assert_int_equal(fx_check(&r, "secure-cert")->status, MFAB_VERIFY_PASS);
    assert_non_null(strstr(fx_check(&r, "secure-cert")->detail,
                           "the DAC, its key, the PAI and the commissionable "
                           "data"));
    assert_non_null(strstr(fx_check(&r, "chain")->detail, "secure-cert"));
    assert_non_null(
        strstr(fx_check(&r, "verifier")->detail, "verifier in secure-cert"));
    fx_device_free(d);
}

static void
test_verify_securecert__dac_only_encrypted_nvs(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_secure_cert(d, 0);
    fx_device_encrypt(d);
    fx_run(d, &r);
    fx_assert_failed(&r, NULL, NULL);
    assert_non_null(
        strstr(fx_check(&r, "verifier")->detail, "verifier in NVS"));
    fx_device_free(d);
}

/* NVS without the DAC keys and no secure cert: the device has no DAC. */
static void
test_verify_securecert__missing_image(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_secure_cert(d, 1);
    d->in.secure_cert = NULL;
    fx_run(d, &r);
    fx_assert_failed(&r, "missing: discriminator", "factory-keys", "dac-key",
                     "chain", "onboarding", NULL);
    fx_device_free(d);
}

static void
test_verify_securecert__flipped_byte_names_entry(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_secure_cert(d, 1);
    d->sc[0x230] ^= 0x80; /* inside CA_CERT's data */
    fx_run(d, &r);
    assert_int_equal(fx_check(&r, "secure-cert")->status, MFAB_VERIFY_FAIL);
    assert_non_null(strstr(fx_check(&r, "secure-cert")->detail,
                           "entry 1 (CA_CERT/0) at offset 0x210: CRC "
                           "mismatch"));
    assert_false(r.ok);
    fx_device_free(d);
}

static void
test_verify_securecert__not_an_image(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_secure_cert(d, 1);
    memset(d->sc, 0xFF, d->sc_len);
    fx_run(d, &r);
    assert_int_equal(fx_check(&r, "secure-cert")->status, MFAB_VERIFY_FAIL);
    assert_non_null(
        strstr(fx_check(&r, "secure-cert")->detail, "magic 0xBA5EBA11"));
    fx_device_free(d);
}

/* The image esp-secure-cert-tool 2.3.6 made through mfg_tool: its DAC
 * chains to the SDK test PAA and its verifier is the SDK test verifier of
 * passcode 20202021, run A's passcode, so run A's label fits it too. */
static void
test_verify_securecert__reference_image_passes(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    uint8_t *img;
    size_t len;
    (void)state;

    fx_device_secure_cert(d, 1);
    img = fx_vector("pki/secure_cert/esp_secure_cert_all.bin", &len);
    assert_true(len <= sizeof(d->sc));
    memcpy(d->sc, img, len);
    d->in.secure_cert_len = len;
    free(img);
    fx_run(d, &r);
    fx_assert_failed(&r, NULL, NULL);
    assert_non_null(strstr(fx_check(&r, "secure-cert")->detail, "10 entries"));
    assert_non_null(strstr(fx_check(&r, "verifier")->detail,
                           "16-byte salt, 1000 iterations"));
    fx_device_free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_securecert__dac_and_commissionable_data),
        cmocka_unit_test(test_verify_securecert__dac_only_encrypted_nvs),
        cmocka_unit_test(test_verify_securecert__missing_image),
        cmocka_unit_test(test_verify_securecert__flipped_byte_names_entry),
        cmocka_unit_test(test_verify_securecert__not_an_image),
        cmocka_unit_test(test_verify_securecert__reference_image_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
