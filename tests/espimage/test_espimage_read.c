/*
 * Tests of src/espimage/espimage_read.c: every field of every
 * esp-image/<case>/expected.json is compared with what the parser reads
 * from the case's image.bin, and each way an image can be broken is
 * triggered on a modified copy.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/espimage.h"
#include "matterfab/hex.h"
#include "mfab_test.h"

static json_t *
hex_str(const uint8_t *p, size_t n)
{
    char buf[129];

    assert_true(n <= 64);
    mfab_hex_encode(buf, p, n);
    return json_string(buf);
}

static json_t *
fmt_str(const char *fmt, unsigned long v)
{
    char buf[32];

    snprintf(buf, sizeof(buf), fmt, v);
    return json_string(buf);
}

/* The parser's view in the vectors' spelling (hex case, key names). */
static json_t *
info_to_json(const mfab_espimage_info *in)
{
    json_t *o = json_object(), *h = json_object(), *segs = json_array();
    unsigned i;

    json_object_set_new(o, "chip",
                        json_string(mfab_espimage_chip_name(in->chip_id)));
    json_object_set_new(o, "file_size", json_integer((json_int_t)in->file_len));
    json_object_set_new(h, "segments_count", json_integer(in->segment_count));
    json_object_set_new(h, "flash_mode", json_integer(in->flash_mode));
    json_object_set_new(h, "flash_size_code",
                        json_integer(in->flash_size_code));
    json_object_set_new(h, "flash_freq_code",
                        json_integer(in->flash_freq_code));
    json_object_set_new(h, "entry", fmt_str("0x%08lX", in->entry));
    json_object_set_new(h, "wp_pin", json_integer(in->wp_pin));
    json_object_set_new(h, "chip_id", json_integer(in->chip_id));
    json_object_set_new(h, "min_rev_legacy", json_integer(in->min_rev_legacy));
    json_object_set_new(h, "min_rev_full", json_integer(in->min_rev_full));
    json_object_set_new(h, "max_rev_full", json_integer(in->max_rev_full));
    json_object_set_new(h, "hash_appended", json_integer(in->hash_appended));
    json_object_set_new(o, "header", h);
    for (i = 0; i < in->segment_count; i++) {
        const mfab_espimage_segment *s = &in->segments[i];
        json_t *js = json_object();

        json_object_set_new(js, "load_addr", fmt_str("0x%08lX", s->load_addr));
        json_object_set_new(js, "length", json_integer(s->length));
        json_object_set_new(js, "file_offset",
                            json_integer((json_int_t)s->file_offset));
        json_object_set_new(js, "data_offset",
                            json_integer((json_int_t)s->data_offset));
        json_array_append_new(segs, js);
    }
    json_object_set_new(o, "segments", segs);
    json_object_set_new(o, "checksum_offset",
                        json_integer((json_int_t)in->checksum_offset));
    json_object_set_new(o, "checksum", fmt_str("0x%02lX", in->checksum));
    json_object_set_new(o, "checksum_valid", json_boolean(in->checksum_valid));
    json_object_set_new(o, "image_length_excluding_digest",
                        json_integer((json_int_t)in->image_len));
    json_object_set_new(o, "appended_sha256", hex_str(in->sha256, 32));
    json_object_set_new(o, "appended_sha256_valid",
                        json_boolean(in->sha256_valid));
    json_object_set_new(o, "image_length_including_digest",
                        json_integer((json_int_t)in->image_len_total));
    json_object_set_new(o, "trailing_bytes_after_image",
                        json_integer((json_int_t)in->trailing_len));
    if (in->has_app_desc) {
        const mfab_espimage_app_desc *d = &in->app_desc;
        json_t *a = json_object();

        json_object_set_new(o, "app_desc_offset", json_string("0x20"));
        json_object_set_new(a, "magic", fmt_str("0x%08lx", d->magic));
        json_object_set_new(a, "secure_version",
                            json_integer(d->secure_version));
        json_object_set_new(a, "version", json_string(d->version));
        json_object_set_new(a, "project_name", json_string(d->project_name));
        json_object_set_new(a, "time", json_string(d->time));
        json_object_set_new(a, "date", json_string(d->date));
        json_object_set_new(a, "idf_ver", json_string(d->idf_ver));
        json_object_set_new(a, "app_elf_sha256",
                            hex_str(d->app_elf_sha256, 32));
        json_object_set_new(a, "min_efuse_blk_rev_full",
                            json_integer(d->min_efuse_blk_rev_full));
        json_object_set_new(a, "max_efuse_blk_rev_full",
                            json_integer(d->max_efuse_blk_rev_full));
        json_object_set_new(a, "mmu_page_size_log2",
                            json_integer(d->mmu_page_size_log2));
        json_object_set_new(o, "app_desc", a);
    }
    if (in->has_bootloader_desc) {
        const mfab_espimage_bootloader_desc *d = &in->bootloader_desc;
        json_t *b = json_object();

        json_object_set_new(o, "bootloader_desc_offset", json_string("0x20"));
        json_object_set_new(b, "magic_byte", fmt_str("0x%02lx", d->magic));
        json_object_set_new(b, "version", json_integer(d->version));
        json_object_set_new(b, "idf_ver", json_string(d->idf_ver));
        json_object_set_new(b, "date_time", json_string(d->date_time));
        json_object_set_new(o, "bootloader_desc", b);
    }
    return o;
}

/* Every key of expected (bar the prose ones) must be in actual, equal. */
static unsigned
assert_fields(const char *where, json_t *expected, json_t *actual)
{
    const char *key;
    json_t *ev;
    unsigned n = 0;

    json_object_foreach(expected, key, ev) {
        json_t *av = json_object_get(actual, key);
        char *es, *as;

        if (strcmp(key, "case") == 0 || strcmp(key, "description") == 0 ||
            strcmp(key, "source") == 0)
            continue;
        if (av == NULL)
            fail_msg("%s: field '%s' not produced", where, key);
        if (json_is_object(ev)) {
            n += assert_fields(where, ev, av);
            continue;
        }
        if (!json_equal(ev, av)) {
            es = json_dumps(ev, JSON_ENCODE_ANY);
            as = json_dumps(av, JSON_ENCODE_ANY);
            print_error("%s: field '%s': expected %s, got %s\n", where, key,
                        es, as);
            free(es);
            free(as);
            fail_msg("%s: field '%s' differs", where, key);
        }
        n++;
    }
    return n;
}

static void
test_espimage_read__every_vector_field(void **state)
{
    char dir[2048], path[4096];
    struct dirent *de;
    DIR *d;
    unsigned cases = 0;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "production/esp-image");
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        mfab_espimage_info info;
        mfab_diag diag = MFAB_DIAG_INIT;
        json_t *expected, *actual;
        uint8_t *img;
        size_t len;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s/image.bin", dir, de->d_name);
        img = mfab_test_read(path, &len);
        assert_int_equal(mfab_espimage_parse(&info, img, len, &diag), 0);
        assert_int_equal(mfab_espimage_check(&info, &diag), 0);
        snprintf(path, sizeof(path), "%s/%s/expected.json", dir, de->d_name);
        expected = mfab_test_json(path);
        actual = info_to_json(&info);
        assert_true(assert_fields(de->d_name, expected, actual) > 20);
        json_decref(expected);
        json_decref(actual);
        free(img);
        cases++;
    }
    closedir(d);
    assert_int_equal(cases, 3);
}

static uint8_t *
load_app(size_t *len)
{
    char path[4096];

    mfab_test_vpath(path, sizeof(path),
                    "production/esp-image/img-02-esp32s2-app-blink/image.bin");
    return mfab_test_read(path, len);
}

static void
expect_format_error(const uint8_t *img, size_t len, const char *needle)
{
    mfab_espimage_info info;
    mfab_diag diag = MFAB_DIAG_INIT;

    assert_int_equal(mfab_espimage_parse(&info, img, len, &diag),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&diag, MFAB_EFORMAT, needle, NULL);
}

static void
test_espimage_read__truncations(void **state)
{
    size_t len;
    uint8_t *img = load_app(&len);
    (void)state;

    expect_format_error(img, 10, "truncated header");
    expect_format_error(img, 30, "segment 0 header");
    expect_format_error(img, 1000, "segment 0 at offset 24 claims 35864");
    /* segments end at 182320: the checksum is at 182335 */
    expect_format_error(img, 182330, "checksum byte at offset 182335");
    expect_format_error(img, len - 1, "appended SHA-256");
    free(img);
}

static void
test_espimage_read__bad_header_bytes(void **state)
{
    size_t len;
    uint8_t *img = load_app(&len);
    (void)state;

    img[0] = 0xE8;
    expect_format_error(img, len, "wrong magic byte '0xe8'");
    img[0] = 0xE9;
    img[1] = 17;
    expect_format_error(img, len, "segment count '17'");
    img[1] = 6;
    img[23] = 2;
    expect_format_error(img, len, "hash-appended byte '0x02'");
    free(img);
}

static void
test_espimage_read__checksum_and_digest_checked(void **state)
{
    mfab_espimage_info info;
    mfab_diag diag = MFAB_DIAG_INIT;
    size_t len;
    uint8_t *img = load_app(&len);
    (void)state;

    img[100] ^= 1; /* a data byte: breaks the checksum and the digest */
    assert_int_equal(mfab_espimage_parse(&info, img, len, &diag), 0);
    assert_false(info.checksum_valid);
    assert_false(info.sha256_valid);
    assert_int_equal(mfab_espimage_check(&info, &diag), MFAB_ECRYPTO);
    mfab_test_assert_diag(&diag, MFAB_ECRYPTO, "checksum mismatch", NULL);

    img[100] ^= 1;
    img[1 + 4] ^= 1; /* the entry point: covered by the digest only */
    mfab_diag_init(&diag);
    assert_int_equal(mfab_espimage_parse(&info, img, len, &diag), 0);
    assert_true(info.checksum_valid);
    assert_int_equal(mfab_espimage_check(&info, &diag), MFAB_ECRYPTO);
    mfab_test_assert_diag(&diag, MFAB_ECRYPTO, "appended SHA-256", NULL);
    free(img);
}

static void
test_espimage_read__no_desc_without_magic(void **state)
{
    mfab_espimage_info info;
    size_t len;
    uint8_t *img = load_app(&len);
    (void)state;

    img[0x20] ^= 0xFF;
    assert_int_equal(mfab_espimage_parse(&info, img, len, NULL), 0);
    assert_false(info.has_app_desc);
    assert_false(info.has_bootloader_desc);
    free(img);
}

static void
test_espimage_read__names(void **state)
{
    (void)state;
    assert_string_equal(mfab_espimage_chip_name(13), "esp32c6");
    assert_null(mfab_espimage_chip_name(1));
    assert_string_equal(mfab_espimage_flash_mode_name(3), "DOUT");
    assert_null(mfab_espimage_flash_mode_name(4));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_espimage_read__every_vector_field),
        cmocka_unit_test(test_espimage_read__truncations),
        cmocka_unit_test(test_espimage_read__bad_header_bytes),
        cmocka_unit_test(test_espimage_read__checksum_and_digest_checked),
        cmocka_unit_test(test_espimage_read__no_desc_without_magic),
        cmocka_unit_test(test_espimage_read__names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
