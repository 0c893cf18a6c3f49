/* Tests for src/nvs/nvs_keys.c: HMAC derivation and the keys partition
 * against spec 13.5 and vector s11, random generation, every error. */
#include <string.h>

#include "matterfab/hex.h"
#include "matterfab/nvs_crypt.h"
#include "mfab_test.h"
#include "nvs/nvs_internal.h"

static void
hex(uint8_t *out, size_t n, const char *text)
{
    size_t len = 0;

    assert_int_equal(mfab_hex_decode(out, n, &len, text, strlen(text), NULL),
                     0);
    assert_int_equal(len, n);
}

static uint8_t *
s11_keys(size_t *len)
{
    char p[4096];

    mfab_test_vpath(p, sizeof(p),
                    "nvs/s11_generate_key_hmac/expected/keys/nvs_keys.bin");
    return mfab_test_read(p, len);
}

static void
test_nvs_keys__hmac_worked_example(void **state)
{
    uint8_t hk[32], eky[32], tky[32];
    mfab_nvs_keys k;

    (void)state;
    hex(hk, 32, "223740a35e67faf24e4ed982608d431c"
                "c89600285e9dcc9c3ebf86216ccf5471");
    hex(eky, 32, "3c78f0c61872204cb56cc90181e6c734"
                 "b20c8981da7fdd3727931a5d6d1e7156");
    hex(tky, 32, "c762f99ff05a767a7a68904f04f5e6ed"
                 "4af60687b7b95f46c730130f203d14b4");
    assert_int_equal(mfab_nvs_keys_from_hmac(&k, hk, NULL), 0);
    mfab_test_assert_bytes("eky", eky, 32, k.eky, 32);
    mfab_test_assert_bytes("tky", tky, 32, k.tky, 32);
}

static void
test_nvs_keys__encode_matches_s11(void **state)
{
    uint8_t hk[32], out[MFAB_NVS_KEYS_SIZE];
    uint8_t *expect;
    size_t len;
    mfab_nvs_keys k;
    char p[4096];

    (void)state;
    mfab_test_vpath(p, sizeof(p), "nvs/s11_generate_key_hmac/hmac_key.bin");
    {
        uint8_t *raw = mfab_test_read(p, &len);
        assert_int_equal(len, 32);
        memcpy(hk, raw, 32);
        free(raw);
    }
    assert_int_equal(mfab_nvs_keys_from_hmac(&k, hk, NULL), 0);
    mfab_nvs_keys_encode(out, &k);
    expect = s11_keys(&len);
    mfab_test_assert_bytes("keys partition", expect, len, out, sizeof(out));
    /* spec 13.5: CRC 0xDB54EE43 stored as 43 ee 54 db */
    assert_memory_equal(out + 64, "\x43\xee\x54\xdb", 4);
    free(expect);
}

static void
test_nvs_keys__decode_roundtrip(void **state)
{
    mfab_nvs_keys k, back;
    uint8_t *buf;
    size_t len;

    (void)state;
    buf = s11_keys(&len);
    assert_int_equal(mfab_nvs_keys_decode(&k, buf, len, NULL), 0);
    assert_memory_equal(k.eky, buf, 32);
    assert_memory_equal(k.tky, buf + 32, 32);
    /* 64 raw bytes are eky || tky without CRC */
    assert_int_equal(mfab_nvs_keys_decode(&back, buf, 64, NULL), 0);
    assert_memory_equal(&back, &k, sizeof(k));
    mfab_nvs_keys_wipe(&k);
    assert_memory_not_equal(k.eky, buf, 32);
    mfab_nvs_keys_wipe(NULL);
    free(buf);
}

static void
test_nvs_keys__decode_bad_crc(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    mfab_nvs_keys k;
    uint8_t *buf;
    size_t len;

    (void)state;
    buf = s11_keys(&len);
    buf[66] ^= 0x01;
    assert_int_equal(mfab_nvs_keys_decode(&k, buf, len, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "CRC", "corrupt", NULL);
    free(buf);
}

static void
test_nvs_keys__decode_short(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    mfab_nvs_keys k;
    uint8_t *buf;
    size_t len;

    (void)state;
    buf = s11_keys(&len);
    assert_int_equal(mfab_nvs_keys_decode(&k, buf, 63, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "63 bytes", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_keys_decode(&k, buf, 66, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "66 bytes", NULL);
    free(buf);
}

static void
test_nvs_keys__decode_blank(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t buf[MFAB_NVS_KEYS_SIZE];
    mfab_nvs_keys k;

    (void)state;
    memset(buf, 0xFF, sizeof(buf));
    assert_int_equal(mfab_nvs_keys_decode(&k, buf, sizeof(buf), &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "not initialized", NULL);
}

static void
test_nvs_keys__decode_equal_halves(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t buf[MFAB_NVS_KEYS_SIZE];
    mfab_nvs_keys k;

    (void)state;
    memset(&k, 0x5A, sizeof(k));
    mfab_nvs_keys_encode(buf, &k);
    assert_int_equal(mfab_nvs_keys_decode(&k, buf, sizeof(buf), &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "eky equal to tky", NULL);
}

static void
test_nvs_keys__generate_random(void **state)
{
    uint8_t buf[MFAB_NVS_KEYS_SIZE];
    mfab_nvs_keys a, b, back;

    (void)state;
    assert_int_equal(mfab_nvs_keys_generate(&a, NULL), 0);
    assert_int_equal(mfab_nvs_keys_generate(&b, NULL), 0);
    assert_memory_not_equal(&a, &b, sizeof(a));
    assert_memory_not_equal(a.eky, a.tky, 32);
    mfab_nvs_keys_encode(buf, &a);
    assert_int_equal(mfab_nvs__crc32(buf, 64),
                     (uint32_t)buf[64] | (uint32_t)buf[65] << 8 |
                         (uint32_t)buf[66] << 16 | (uint32_t)buf[67] << 24);
    assert_int_equal(mfab_nvs_keys_decode(&back, buf, sizeof(buf), NULL), 0);
    assert_memory_equal(&back, &a, sizeof(a));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_keys__hmac_worked_example),
        cmocka_unit_test(test_nvs_keys__encode_matches_s11),
        cmocka_unit_test(test_nvs_keys__decode_roundtrip),
        cmocka_unit_test(test_nvs_keys__decode_bad_crc),
        cmocka_unit_test(test_nvs_keys__decode_short),
        cmocka_unit_test(test_nvs_keys__decode_blank),
        cmocka_unit_test(test_nvs_keys__decode_equal_halves),
        cmocka_unit_test(test_nvs_keys__generate_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
