/*
 * Tests of src/ota/ota_read.c: every production/ota vector parses to the
 * header fields of its expected.json (and so does its changed.ota), the
 * lenient rules of "show" hold, and every malformed layout is refused with
 * MFAB_EFORMAT before any out-of-bounds read.
 */
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/tlv.h"
#include "ota_vectors.h"

static void
test_ota_read__vectors(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), i;
    (void)state;

    for (i = 0; i < n; i++) {
        json_t *fixed = json_object_get(v[i].json, "fixed_header");
        json_t *ch = json_object_get(v[i].json, "change_header");
        mfab_diag diag = MFAB_DIAG_INIT;
        mfab_ota_image img;

        assert_int_equal(mfab_ota_parse(&img, v[i].image, v[i].image_len,
                                        &diag),
                         0);
        assert_int_equal(img.file_identifier, MFAB_OTA_FILE_IDENTIFIER);
        assert_int_equal(img.total_size,
                         json_integer_value(json_object_get(fixed,
                                                            "total_size")));
        assert_int_equal(img.header_size,
                         json_integer_value(json_object_get(fixed,
                                                            "header_size")));
        ota_vec_assert_header(v[i].name,
                              json_object_get(v[i].json, "header_fields"),
                              &img.header);
        mfab_test_assert_bytes("payload", v[i].payload, v[i].payload_len,
                               img.payload, img.payload_len);
        if (ch != NULL) {
            assert_int_equal(mfab_ota_parse(&img, v[i].changed,
                                            v[i].changed_len, &diag),
                             0);
            ota_vec_assert_header(v[i].name,
                                  json_object_get(ch, "header_fields"),
                                  &img.header);
        }
    }
    ota_vec_free_all(v, n);
}

static void
expect_bad(const uint8_t *buf, size_t len, const char *needle)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_ota_image img;

    assert_int_equal(mfab_ota_parse(&img, buf, len, &diag), MFAB_EFORMAT);
    mfab_test_assert_diag(&diag, MFAB_EFORMAT, needle, NULL);
}

/* A header TLV with the members the caller writes after tags 0..3. */
static size_t
tlv_with(uint8_t *buf, size_t cap, int order_swap, int dup, int bad_type,
         int drop_digest)
{
    mfab_tlv_writer w;
    size_t len = 0;

    mfab_tlv_writer_init(&w, buf, cap);
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    if (order_swap) {
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(1), 2);
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(0), 1);
    } else {
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(0), 1);
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(1), 2);
    }
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(2), 3);
    if (bad_type)
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(3), 4);
    else
        mfab_tlv_put_utf8(&w, mfab_tlv_ctx(3), "v", 1);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(4), 1);
    /* an unknown member, skipped like the reference does */
    mfab_tlv_start(&w, mfab_tlv_ctx(42), MFAB_TLV_LIST);
    mfab_tlv_put_bool(&w, mfab_tlv_anon(), 1);
    mfab_tlv_end(&w);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(8), 1);
    if (dup)
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(8), 1);
    if (!drop_digest)
        mfab_tlv_put_bytes(&w, mfab_tlv_ctx(9),
                           "0123456789abcdef0123456789abcdef", 32);
    mfab_tlv_end(&w);
    assert_int_equal(mfab_tlv_writer_finish(&w, &len), 0);
    return len;
}

static void
test_ota_read__lenient_order_and_unknown_members(void **state)
{
    uint8_t tlv[256], *img;
    mfab_ota_image out;
    size_t tlen = tlv_with(tlv, sizeof(tlv), 1, 0, 0, 0), len;
    (void)state;

    img = ota_vec_build(&len, tlv, tlen, (const uint8_t *)"P", 1);
    assert_int_equal(mfab_ota_parse(&out, img, len, NULL), 0);
    assert_int_equal(out.header.vendor_id, 1);
    assert_int_equal(out.header.product_id, 2);
    assert_int_equal(out.header.digest_len, 32);
    assert_int_equal(out.payload_len, 1);
    assert_memory_equal(out.payload, "P", 1);
    free(img);
}

static void
test_ota_read__malformed(void **state)
{
    uint8_t tlv[256], *img;
    size_t tlen, len, cut;
    (void)state;

    tlen = tlv_with(tlv, sizeof(tlv), 0, 0, 0, 0);
    img = ota_vec_build(&len, tlv, tlen, NULL, 0);
    expect_bad(img, 15, "truncated image: 15 bytes");
    /* every truncation inside the TLV is caught */
    for (cut = 16; cut < len; cut++) {
        mfab_ota_image out;
        uint8_t *copy = malloc(cut);

        assert_non_null(copy);
        memcpy(copy, img, cut);
        assert_int_equal(mfab_ota_parse(&out, copy, cut, NULL), MFAB_EFORMAT);
        free(copy);
    }
    img[0] ^= 1;
    expect_bad(img, len, "wrong file identifier '0x1beef11f'");
    img[0] ^= 1;
    img[12] = 0xFF;
    expect_bad(img, len, "runs past the end");
    img[12] = (uint8_t)tlen;
    img[16] = 0x16; /* an array, not a structure */
    expect_bad(img, len, "anonymous structure");
    img[16] = 0x15;
    img[17] = 0x18; /* closes the structure at once: members missing */
    expect_bad(img, len, "member 0 (vendor id) is missing");
    free(img);

    tlen = tlv_with(tlv, sizeof(tlv), 0, 1, 0, 0);
    img = ota_vec_build(&len, tlv, tlen, NULL, 0);
    expect_bad(img, len, "member 8 (digest type) appears twice");
    free(img);
    tlen = tlv_with(tlv, sizeof(tlv), 0, 0, 1, 0);
    img = ota_vec_build(&len, tlv, tlen, NULL, 0);
    expect_bad(img, len, "member 3 (version string) has the wrong TLV type");
    free(img);
    tlen = tlv_with(tlv, sizeof(tlv), 0, 0, 0, 1);
    img = ota_vec_build(&len, tlv, tlen, NULL, 0);
    expect_bad(img, len, "member 9 (digest) is missing");
    free(img);
    tlv[0] = 0x15;
    tlv[1] = 0x1F; /* reserved element type */
    img = ota_vec_build(&len, tlv, 2, NULL, 0);
    expect_bad(img, len, "malformed");
    free(img);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ota_read__vectors),
        cmocka_unit_test(test_ota_read__lenient_order_and_unknown_members),
        cmocka_unit_test(test_ota_read__malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
