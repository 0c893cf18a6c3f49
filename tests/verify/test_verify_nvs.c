/* Tests for src/verify/verify_nvs.c: the keys, nvs and factory-keys
 * checks on run A, encrypted, damaged and with wrong or missing keys. */
#include <stdlib.h>
#include <string.h>

#include "matterfab/nvs_crypt.h"
#include "verify_fixture.h"

static void
test_verify_nvs__encrypted_device_passes(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_encrypt(d);
    fx_run(d, &r);
    fx_assert_failed(&r, NULL, NULL);
    assert_int_equal(fx_check(&r, "keys")->status, MFAB_VERIFY_PASS);
    assert_non_null(strstr(fx_check(&r, "nvs")->detail, "(decrypted)"));
    fx_device_free(d);
}

static void
test_verify_nvs__flipped_byte_fails_nvs(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    d->nvs[0x40 + 5 * 32 + 30] ^= 0x01; /* page 0: the salt's padding */
    fx_run(d, &r);
    fx_assert_failed(&r, "of key 'salt' is not 0xff at page 0 slot 3", "nvs",
                     NULL);
    fx_device_free(d);
}

static void
test_verify_nvs__flipped_byte_in_encrypted_image(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_encrypt(d);
    d->nvs[0x1000 + 0x40 + 7] ^= 0x80; /* page 1, entry 0 */
    fx_run(d, &r);
    assert_int_equal(fx_check(&r, "nvs")->status, MFAB_VERIFY_FAIL);
    fx_device_free(d);
}

static void
test_verify_nvs__wrong_keys_partition(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_nvs_keys other;
    mfab_verify_report r;
    (void)state;

    fx_device_encrypt(d);
    assert_int_equal(mfab_nvs_keys_generate(&other, NULL), 0);
    mfab_nvs_keys_encode(d->keys, &other);
    mfab_nvs_keys_wipe(&other);
    fx_run(d, &r);
    fx_assert_failed(&r, "(wrong keys partition?)", "nvs", NULL);
    assert_int_equal(fx_check(&r, "keys")->status, MFAB_VERIFY_PASS);
    assert_int_equal(fx_check(&r, "chain")->status, MFAB_VERIFY_SKIP);
    fx_device_free(d);
}

static void
test_verify_nvs__keys_partition_crc(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_encrypt(d);
    d->keys[3] ^= 0x01;
    fx_run(d, &r);
    fx_assert_failed(&r, "keys partition unusable", "keys", "nvs", NULL);
    fx_device_free(d);
}

static void
test_verify_nvs__encrypted_without_keys(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    fx_device_encrypt(d);
    d->in.keys = NULL;
    fx_run(d, &r);
    fx_assert_failed(&r, "encrypted image? give its keys partition", "nvs",
                     NULL);
    assert_int_equal(fx_check(&r, "keys")->status, MFAB_VERIFY_SKIP);
    fx_device_free(d);
}

static void
test_verify_nvs__wrong_type(void **state)
{
    static const fx_change ch[] = {
        {"vendor-id", 0, "string", 0, (const uint8_t *)"65522", 5},
        {"hardware-ver", 0, "u8", 2, NULL, 0},
    };
    fx_device *d = fx_device_new(ch, 2);
    mfab_verify_report r;
    (void)state;

    fx_run(d, &r);
    assert_int_equal(fx_check(&r, "factory-keys")->status, MFAB_VERIFY_FAIL);
    assert_non_null(strstr(fx_check(&r, "factory-keys")->detail,
                           "vendor-id is string, read as u32"));
    assert_non_null(strstr(fx_check(&r, "factory-keys")->detail,
                           "hardware-ver is u8, read as u32"));
    /* without a usable vendor-id the VID/PID cannot agree */
    assert_int_equal(fx_check(&r, "vid-pid")->status, MFAB_VERIFY_FAIL);
    fx_device_free(d);
}

static void
test_verify_nvs__missing_keys(void **state)
{
    static const fx_change ch[] = {
        {"verifier", 1, NULL, 0, NULL, 0},
        {"cert-dclrn", 1, NULL, 0, NULL, 0},
    };
    fx_device *d = fx_device_new(ch, 2);
    mfab_verify_report r;
    (void)state;

    fx_run(d, &r);
    fx_assert_failed(&r, "missing: cert-dclrn; verifier", "factory-keys", NULL);
    assert_int_equal(fx_check(&r, "verifier")->status, MFAB_VERIFY_SKIP);
    fx_device_free(d);
}

static void
test_verify_nvs__bad_values(void **state)
{
    static const fx_change ch[] = {
        {"discriminator", 0, NULL, 4096, NULL, 0},
        {"salt", 0, NULL, 0, (const uint8_t *)"AAAA", 4},
        {"dac-pub-key", 0, NULL, 0, (const uint8_t *)"\x04", 1},
    };
    fx_device *d = fx_device_new(ch, 3);
    mfab_verify_report r;
    const char *detail;
    (void)state;

    fx_run(d, &r);
    detail = fx_check(&r, "factory-keys")->detail;
    assert_int_equal(fx_check(&r, "factory-keys")->status, MFAB_VERIFY_FAIL);
    assert_non_null(strstr(detail, "discriminator 4096 above 4095"));
    assert_non_null(strstr(detail, "salt is not base64 of 16..32 bytes"));
    assert_non_null(strstr(detail, "dac-pub-key is 1 bytes, not 65"));
    fx_device_free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_nvs__encrypted_device_passes),
        cmocka_unit_test(test_verify_nvs__flipped_byte_fails_nvs),
        cmocka_unit_test(test_verify_nvs__flipped_byte_in_encrypted_image),
        cmocka_unit_test(test_verify_nvs__wrong_keys_partition),
        cmocka_unit_test(test_verify_nvs__keys_partition_crc),
        cmocka_unit_test(test_verify_nvs__encrypted_without_keys),
        cmocka_unit_test(test_verify_nvs__wrong_type),
        cmocka_unit_test(test_verify_nvs__missing_keys),
        cmocka_unit_test(test_verify_nvs__bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
