/* Tests for src/nvs/nvs_value.c: integer, hex2bin, base64 and blob_fill
 * cell encodings (spec 10.4, 10.5, 10.8). */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "matterfab/error.h"
#include "mfab_test.h"
#include "nvs/nvs_internal.h"

static int
pint(const char *s, uint64_t *mag, int *neg)
{
    return mfab_nvs__parse_int(mag, neg, s, strlen(s));
}

static void
test_nvs_value__python_int_rules(void **state)
{
    static const char *const bad[] = {"",   " ",  "+",   "0x10", "1.5", "1__0",
                                      "_1", "1_", "1e3", "- 1",  "12a"};
    uint64_t mag = 0;
    int neg = 0;
    size_t i;
    (void)state;

    assert_int_equal(pint("007", &mag, &neg), 0);
    assert_int_equal(mag, 7);
    assert_int_equal(pint(" +5\t", &mag, &neg), 0);
    assert_int_equal(mag, 5);
    assert_int_equal(neg, 0);
    assert_int_equal(pint("-1_000", &mag, &neg), 0);
    assert_int_equal(mag, 1000);
    assert_int_equal(neg, 1);
    assert_int_equal(pint("18446744073709551615", &mag, &neg), 0);
    assert_int_equal(mag, UINT64_MAX);
    assert_int_equal(pint("18446744073709551616", &mag, &neg), MFAB_ERANGE);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(pint(bad[i], &mag, &neg), MFAB_EINVAL);
}

static void
test_nvs_value__hex2bin(void **state)
{
    static const uint8_t want[4] = {0xde, 0xad, 0xbe, 0xef};
    uint8_t out[8];
    size_t n = 0, bad = 0;
    const char *s = "  DeadBeef \n";
    (void)state;

    assert_int_equal(
        mfab_nvs__hex2bin(out, sizeof(out), &n, s, strlen(s), &bad), 0);
    assert_int_equal(n, 4);
    assert_memory_equal(out, want, 4);
    assert_int_equal(mfab_nvs__hex2bin(out, sizeof(out), &n, "abc", 3, &bad),
                     MFAB_EINVAL);
    assert_int_equal(mfab_nvs__hex2bin(out, sizeof(out), &n, " 12zz", 5, &bad),
                     MFAB_EFORMAT);
    assert_int_equal(bad, 3);
    assert_int_equal(mfab_nvs__hex2bin(out, 1, &n, "0011", 4, &bad),
                     MFAB_EBUFS);
}

static void
b64(const char *s, int want_rc, const char *want)
{
    uint8_t out[64];
    size_t n = 0, bad = 0;
    int rc = mfab_nvs__base64(out, sizeof(out), &n, s, strlen(s), &bad);

    if (rc != want_rc)
        fail_msg("base64 '%s': rc %d, want %d", s, rc, want_rc);
    if (want != NULL) {
        assert_int_equal(n, strlen(want));
        assert_memory_equal(out, want, n);
    }
}

static void
test_nvs_value__base64(void **state)
{
    (void)state;
    b64("QQ==", 0, "A");
    b64("QUI=", 0, "AB");
    b64("QUJD", 0, "ABC");
    b64("", 0, "");
    b64("QU\nJD\r\n Q Q = =\n", 0, "ABCA");
    /* where the reference drops or stops, matterfab refuses */
    b64("YWJj=", MFAB_EFORMAT, NULL);
    b64("=YWJj", MFAB_EFORMAT, NULL);
    b64("YQ==YWJj", MFAB_EFORMAT, NULL);
    b64("YW*Jj", MFAB_EFORMAT, NULL);
    b64("YWJ=j", MFAB_EFORMAT, NULL);
    /* the reference's own errors */
    b64("Y", MFAB_EFORMAT, NULL);
    b64("YQ", MFAB_EFORMAT, NULL);
    b64("YQ=", MFAB_EFORMAT, NULL);
}

static void
test_nvs_value__base64_matches_openssl(void **state)
{
    uint8_t raw[300], dec[300];
    unsigned char text[401];
    size_t len, n = 0, bad = 0;
    int tlen;
    (void)state;

    /* random lengths 0..299: every padding case */
    for (len = 0; len < sizeof(raw); len += 7) {
        assert_int_equal(RAND_bytes(raw, (int)len), 1);
        tlen = EVP_EncodeBlock(text, raw, (int)len);
        assert_int_equal(mfab_nvs__base64(dec, sizeof(dec), &n,
                                          (const char *)text, (size_t)tlen,
                                          &bad),
                         0);
        assert_int_equal(n, len);
        assert_memory_equal(dec, raw, len);
    }
    assert_int_equal(mfab_nvs__base64(dec, 2, &n, "QUJD", 4, &bad), MFAB_EBUFS);
    assert_int_equal(n, 3);
}

static void
test_nvs_value__blob_fill(void **state)
{
    size_t n = 0;
    uint8_t pad = 0;
    int sz = -1;
    (void)state;

    assert_int_equal(mfab_nvs__parse_fill("blob_fill(8;0xAA)", &sz, &n, &pad),
                     1);
    assert_int_equal(sz, 0);
    assert_int_equal(n, 8);
    assert_int_equal(pad, 0xaa);
    assert_int_equal(
        mfab_nvs__parse_fill("blob_sz_fill(32;0x00)tail", &sz, &n, &pad), 1);
    assert_int_equal(sz, 1);
    assert_int_equal(n, 32);
    assert_int_equal(mfab_nvs__parse_fill("u8", &sz, &n, &pad), 0);
    assert_int_equal(mfab_nvs__parse_fill("blob_fill(8;0xA)", &sz, &n, &pad),
                     MFAB_EINVAL);
    assert_int_equal(mfab_nvs__parse_fill("blob_fill(;0xAA)", &sz, &n, &pad),
                     MFAB_EINVAL);
    assert_int_equal(mfab_nvs__parse_fill("blob_fill(8,0xAA)", &sz, &n, &pad),
                     MFAB_EINVAL);
    assert_int_equal(mfab_nvs__parse_fill("blob_fill(8;0xZZ)", &sz, &n, &pad),
                     MFAB_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_value__python_int_rules),
        cmocka_unit_test(test_nvs_value__hex2bin),
        cmocka_unit_test(test_nvs_value__base64),
        cmocka_unit_test(test_nvs_value__base64_matches_openssl),
        cmocka_unit_test(test_nvs_value__blob_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
