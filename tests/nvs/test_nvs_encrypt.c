/* Tests for src/nvs/nvs_encrypt.c: spec 13.5 worked example, the s10/s13
 * images byte for byte in both directions, and the error cases. */
#include <string.h>

#include "matterfab/hex.h"
#include "matterfab/nvs_crypt.h"
#include "mfab_test.h"

static uint8_t *
vec(const char *rel, size_t *len)
{
    char p[4096];

    mfab_test_vpath(p, sizeof(p), rel);
    return mfab_test_read(p, len);
}

static void
load_keys(mfab_nvs_keys *k)
{
    size_t len;
    uint8_t *buf = vec("nvs/s10_encrypt_inputkey/keys.bin", &len);

    assert_int_equal(mfab_nvs_keys_decode(k, buf, len, NULL), 0);
    free(buf);
}

static void
hex(uint8_t *out, size_t n, const char *text)
{
    size_t len = 0;

    assert_int_equal(mfab_hex_decode(out, n, &len, text, strlen(text), NULL),
                     0);
    assert_int_equal(len, n);
}

static void
test_nvs_encrypt__worked_example(void **state)
{
    uint8_t img[2 * 4096], pt0[32], ct0[32], pt1[32], ct1[32];
    mfab_nvs_keys k;

    (void)state;
    hex(pt0, 32, "000101ff60bfbe297365637572650000"
                 "000000000000000001ffffffffffffff");
    hex(ct0, 32, "849dab80b538666b08c95de07535da3c"
                 "c3a98438e734395f053f8fdc5809db72");
    hex(pt1, 32, "010401ffe8a0f7606531303900000000"
                 "0000000000000000fb020000ffffffff");
    hex(ct1, 32, "e449ff3a4aadc4fc10fb3b1d176d08c1"
                 "a6bb2dbf41f186c98a2ebc64746719b0");
    memset(img, 0xFF, sizeof(img));
    /* two ACTIVE-looking pages with slot 0 written */
    memset(img, 0, 4);
    img[0] = 0xFE;
    img[32] = 0xFE;
    memcpy(img + 64, pt0, 32);
    memcpy(img + 4096, img, 64);
    memcpy(img + 4096 + 64, pt1, 32);
    load_keys(&k);
    assert_int_equal(mfab_nvs_encrypt_image(img, sizeof(img), &k, NULL), 0);
    mfab_test_assert_bytes("page 0 slot 0", ct0, 32, img + 64, 32);
    mfab_test_assert_bytes("page 1 slot 0", ct1, 32, img + 4096 + 64, 32);
    assert_int_equal(img[0], 0xFE); /* header untouched */
    assert_int_equal(img[96], 0xFF); /* unwritten slot untouched */
    assert_int_equal(mfab_nvs_decrypt_image(img, sizeof(img), &k, NULL), 0);
    mfab_test_assert_bytes("decrypted", pt0, 32, img + 64, 32);
    mfab_nvs_keys_wipe(&k);
}

static void
test_nvs_encrypt__s13_decrypt_and_reencrypt(void **state)
{
    size_t elen, dlen;
    uint8_t *enc = vec("nvs/s13_decrypt/enc.bin", &elen);
    uint8_t *dec = vec("nvs/s13_decrypt/expected/dec.bin", &dlen);
    uint8_t *work = malloc(elen);
    mfab_nvs_keys k;

    (void)state;
    assert_non_null(work);
    load_keys(&k);
    memcpy(work, enc, elen);
    assert_int_equal(mfab_nvs_decrypt_image(work, elen, &k, NULL), 0);
    mfab_test_assert_bytes("s13 decrypted", dec, dlen, work, elen);
    assert_int_equal(mfab_nvs_encrypt_image(work, elen, &k, NULL), 0);
    mfab_test_assert_bytes("s13 re-encrypted", enc, elen, work, elen);
    free(work);
    free(enc);
    free(dec);
}

static void
test_nvs_encrypt__bad_length(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t img[4096 + 32];
    mfab_nvs_keys k;

    (void)state;
    load_keys(&k);
    memset(img, 0xFF, sizeof(img));
    assert_int_equal(mfab_nvs_encrypt_image(img, sizeof(img), &k, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "4128 bytes", "4096", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_decrypt_image(img, 0, &k, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "0 bytes", NULL);
}

static void
test_nvs_encrypt__equal_key_halves(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t img[4096];
    mfab_nvs_keys k;

    (void)state;
    memset(&k, 7, sizeof(k));
    memset(img, 0xFF, sizeof(img));
    assert_int_equal(mfab_nvs_decrypt_image(img, sizeof(img), &k, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'eky'", NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_encrypt__worked_example),
        cmocka_unit_test(test_nvs_encrypt__s13_decrypt_and_reencrypt),
        cmocka_unit_test(test_nvs_encrypt__bad_length),
        cmocka_unit_test(test_nvs_encrypt__equal_key_halves),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
