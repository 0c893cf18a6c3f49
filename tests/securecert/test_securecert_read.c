/* Tests for src/securecert/securecert_read.c: every entry of the three
 * reference images as expected.json lists it. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/securecert.h"
#include "mfab_test.h"

static uint8_t *
read_image(const char *name, size_t *len)
{
    char path[4096], rel[256];

    snprintf(rel, sizeof(rel), "pki/secure_cert/%s", name);
    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

static void
check_image(const char *name, json_t *want)
{
    json_t *entries = json_object_get(want, "entries");
    mfab_securecert_reader r;
    mfab_securecert_entry e;
    uint8_t *img, digest[32];
    char hex[65], crc[16];
    size_t len, i = 0;
    int rc;

    img = read_image(name, &len);
    assert_int_equal(len, json_integer_value(json_object_get(want,
                                                             "file_size")));
    mfab_securecert_reader_init(&r, img, len);
    while ((rc = mfab_securecert_next(&r, &e, NULL)) == 0) {
        json_t *w = json_array_get(entries, i);

        assert_non_null(w);
        assert_int_equal(e.offset, json_integer_value(json_object_get(
                                       w, "offset")));
        assert_int_equal(e.type, json_integer_value(json_object_get(w,
                                                                    "type")));
        assert_string_equal(mfab_securecert_type_name(e.type),
                            json_string_value(json_object_get(w,
                                                              "type_name")));
        assert_int_equal(e.subtype, json_integer_value(json_object_get(
                                        w, "subtype")));
        assert_int_equal(e.flags, json_integer_value(json_object_get(
                                      w, "flags")));
        assert_int_equal(e.len, json_integer_value(json_object_get(
                                    w, "length")));
        snprintf(crc, sizeof(crc), "0x%08X", e.crc);
        assert_string_equal(crc, json_string_value(json_object_get(w,
                                                                   "crc32")));
        assert_true(e.crc_ok);
        EVP_Digest(e.data, e.len, digest, NULL, EVP_sha256(), NULL);
        mfab_hex_encode(hex, digest, 32);
        assert_string_equal(hex, json_string_value(json_object_get(
                                     w, "data_sha256")));
        i++;
    }
    assert_int_equal(rc, MFAB_ENOTFOUND);
    assert_int_equal(i, json_array_size(entries));
    free(img);
}

static void
test_securecert_read__all_reference_images(void **state)
{
    char path[4096];
    const char *name;
    json_t *all, *want;
    int n = 0;
    (void)state;

    mfab_test_vpath(path, sizeof(path), "pki/secure_cert/expected.json");
    all = mfab_test_json(path);
    json_object_foreach(all, name, want)
    {
        check_image(name, want);
        n++;
    }
    assert_int_equal(n, 3);
    json_decref(all);
}

static void
test_securecert_read__find_latest_and_exact(void **state)
{
    mfab_securecert_entry e;
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *img;
    size_t len;
    (void)state;

    img = read_image("upstream_tools_test_esp_secure_cert.bin", &len);
    assert_int_equal(mfab_securecert_find(&e, img, len, 0, -1, NULL), 0);
    assert_int_equal(e.subtype, 1);
    assert_int_equal(mfab_securecert_find(&e, img, len, 0, 0, NULL), 0);
    assert_int_equal(e.offset, 0);
    assert_int_equal(mfab_securecert_find(&e, img, len, 201, 0, &d),
                     MFAB_ENOTFOUND);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "no MATTER_TLV_1 entry", NULL);
    free(img);
}

static void
test_securecert_read__flipped_byte_names_entry(void **state)
{
    mfab_securecert_reader r;
    mfab_securecert_entry e;
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *img;
    size_t len;
    int bad = -1, i = 0;
    (void)state;

    img = read_image("esp_secure_cert_all.bin", &len);
    img[0x400 + 40] ^= 0x01; /* inside PRIV_KEY's data */
    mfab_securecert_reader_init(&r, img, len);
    while (mfab_securecert_next(&r, &e, NULL) == 0) {
        if (!e.crc_ok) {
            assert_int_equal(bad, -1);
            bad = i;
        }
        i++;
    }
    assert_int_equal(bad, 2);
    assert_int_equal(mfab_securecert_find(&e, img, len, 2, 0, &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "PRIV_KEY/0 at offset 0x400",
                          "CRC mismatch", NULL);
    /* other entries still read: the firmware checks only the one it wants */
    assert_int_equal(mfab_securecert_find(&e, img, len, 1, 0, NULL), 0);
    free(img);
}

static void
test_securecert_read__truncated_and_empty(void **state)
{
    mfab_securecert_reader r;
    mfab_securecert_entry e;
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *img, blank[64];
    size_t len;
    (void)state;

    img = read_image("esp_secure_cert_dac_only.bin", &len);
    mfab_securecert_reader_init(&r, img, 100);
    assert_int_equal(mfab_securecert_next(&r, &e, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "entry 0 (DEV_CERT/0)",
                          "past the end", NULL);
    mfab_diag_init(&d);
    mfab_securecert_reader_init(&r, img, 8);
    assert_int_equal(mfab_securecert_next(&r, &e, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "header cut off", NULL);
    memset(blank, 0xFF, sizeof(blank));
    mfab_securecert_reader_init(&r, blank, sizeof(blank));
    assert_int_equal(mfab_securecert_next(&r, &e, NULL), MFAB_ENOTFOUND);
    mfab_securecert_reader_init(&r, blank, 0);
    assert_int_equal(mfab_securecert_next(&r, &e, NULL), MFAB_ENOTFOUND);
    free(img);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_securecert_read__all_reference_images),
        cmocka_unit_test(test_securecert_read__find_latest_and_exact),
        cmocka_unit_test(test_securecert_read__flipped_byte_names_entry),
        cmocka_unit_test(test_securecert_read__truncated_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
