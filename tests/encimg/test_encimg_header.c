/*
 * Tests of src/encimg/encimg_header.c: both enc-img vectors' headers read
 * as their expected.json says (magic, sizes, IV, tag, zero reserved
 * bytes), and short, foreign or resized images are refused.
 */
#include <stdlib.h>
#include <string.h>

#include "matterfab/encimg.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "mfab_test.h"

static const char *const cases[] = { "encimg-rsa3072-01",
                                     "encimg-ecies-p256-01" };

static uint8_t *
load(const char *c, const char *file, size_t *len)
{
    char rel[512], path[4096];

    snprintf(rel, sizeof(rel), "production/enc-img/%s/%s", c, file);
    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

static int
all_zero(const uint8_t *p, size_t n)
{
    while (n-- > 0)
        if (*p++ != 0)
            return 0;
    return 1;
}

static void
test_encimg_header__vectors(void **state)
{
    size_t i;
    (void)state;

    for (i = 0; i < 2; i++) {
        char rel[512], path[4096], hex[33];
        mfab_encimg_header h;
        json_t *j;
        size_t len;
        uint8_t *img = load(cases[i], "expected/encrypted.bin", &len);

        snprintf(rel, sizeof(rel), "production/enc-img/%s/expected.json",
                 cases[i]);
        mfab_test_vpath(path, sizeof(path), rel);
        j = mfab_test_json(path);
        assert_int_equal(mfab_encimg_parse(&h, img, len, NULL), 0);
        assert_int_equal(len, json_integer_value(json_object_get(j,
                                                                 "file_size")));
        assert_int_equal(MFAB_ENCIMG_HEADER_LEN,
                         json_integer_value(json_object_get(j,
                                                            "header_size")));
        assert_int_equal(h.bin_size,
                         json_integer_value(json_object_get(j, "bin_size")));
        mfab_hex_encode(hex, img, 4);
        assert_string_equal(hex, json_string_value(json_object_get(
                                     j, "magic_le_hex")));
        assert_int_equal(h.magic, MFAB_ENCIMG_MAGIC);
        mfab_hex_encode(hex, h.iv, 16);
        assert_string_equal(hex, json_string_value(json_object_get(
                                     j, "iv_hex_RANDOMIZED")));
        mfab_hex_encode(hex, h.tag, 16);
        assert_string_equal(hex, json_string_value(json_object_get(
                                     j, "auth_tag_hex_RANDOMIZED")));
        assert_true(json_is_true(json_object_get(j, "reserved_88_zero")));
        assert_true(all_zero(h.reserved, MFAB_ENCIMG_RESERVED_LEN));
        if (json_object_get(j, "reserved_288_zero") != NULL)
            assert_true(all_zero(h.key_params + 96, 288));
        assert_int_equal(h.ciphertext_len, h.bin_size);
        assert_ptr_equal(h.ciphertext, img + 512);
        json_decref(j);
        free(img);
    }
}

static void
expect_bad(const uint8_t *img, size_t len, const char *needle)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_encimg_header h;

    assert_int_equal(mfab_encimg_parse(&h, img, len, &diag), MFAB_EFORMAT);
    mfab_test_assert_diag(&diag, MFAB_EFORMAT, needle, NULL);
}

static void
test_encimg_header__bad(void **state)
{
    size_t len;
    uint8_t *img = load(cases[0], "expected/encrypted.bin", &len), *big;
    (void)state;

    expect_bad(img, 511, "truncated image: 511 bytes");
    expect_bad(img, 0, "truncated image: 0 bytes");
    expect_bad(img, len - 1, "truncated image");
    big = malloc(len + 1);
    assert_non_null(big);
    memcpy(big, img, len);
    big[len] = 0;
    expect_bad(big, len + 1, "trailing bytes");
    free(big);
    img[3] = 0x08;
    expect_bad(img, len, "wrong magic '0x0888b6cf'");
    free(img);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encimg_header__vectors),
        cmocka_unit_test(test_encimg_header__bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
