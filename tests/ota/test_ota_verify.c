/*
 * Tests of src/ota/ota_verify.c: the vectors' images pass the strict
 * check, and each rule of spec 1.6's recommended verify fails on an image
 * built to break just that rule.
 */
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/tlv.h"
#include "ota_vectors.h"

static const uint8_t payload[] = "payload bytes of the test image";

static void
base_header(mfab_ota_header *h, uint8_t *digest)
{
    mfab_ota_part part = { payload, sizeof(payload) };
    size_t len = 0;

    memset(h, 0, sizeof(*h));
    h->vendor_id = 0xFFF1;
    h->product_id = 0x8001;
    h->software_version = 7;
    h->version_string = "7.0";
    h->version_string_len = 3;
    h->payload_size = sizeof(payload);
    h->digest_type = MFAB_OTA_DIGEST_SHA256;
    assert_int_equal(mfab_ota_digest(digest, &len, 1, &part, 1, NULL), 0);
    h->digest = digest;
    h->digest_len = len;
}

/* Encode h (no validation) into a whole image. */
static uint8_t *
image_of(size_t *len, const mfab_ota_header *h)
{
    uint8_t tlv[2048];
    size_t tlen = 0;

    assert_int_equal(mfab_ota_header_encode(tlv, sizeof(tlv), &tlen, h, NULL),
                     0);
    return ota_vec_build(len, tlv, tlen, payload, sizeof(payload));
}

static void
expect_fail(uint8_t *img, size_t len, int code, const char *needle)
{
    mfab_diag diag = MFAB_DIAG_INIT;

    assert_int_equal(mfab_ota_verify(img, len, &diag), code);
    mfab_test_assert_diag(&diag, code, needle, NULL);
    free(img);
}

static void
test_ota_verify__vectors_pass(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), i;
    (void)state;

    for (i = 0; i < n; i++) {
        mfab_diag diag = MFAB_DIAG_INIT;

        assert_int_equal(mfab_ota_verify(v[i].image, v[i].image_len, &diag),
                         0);
        if (v[i].changed != NULL)
            assert_int_equal(mfab_ota_verify(v[i].changed, v[i].changed_len,
                                             &diag),
                             0);
    }
    ota_vec_free_all(v, n);
}

static void
test_ota_verify__sizes(void **state)
{
    uint8_t digest[64], *img;
    mfab_ota_header h;
    size_t len;
    (void)state;

    base_header(&h, digest);
    img = image_of(&len, &h);
    assert_int_equal(mfab_ota_verify(img, len, NULL), 0);
    img[4]++;
    expect_fail(img, len, MFAB_EFORMAT, "total size");

    h.payload_size++;
    img = image_of(&len, &h);
    expect_fail(img, len, MFAB_EFORMAT, "payload size");
}

static void
test_ota_verify__header_layout(void **state)
{
    static uint8_t big[1100];
    uint8_t digest[64], tlv[2048], *img;
    mfab_ota_header h;
    mfab_tlv_writer w;
    size_t len, tlen = 0;
    (void)state;

    base_header(&h, digest);
    /* members out of the device's order */
    mfab_tlv_writer_init(&w, tlv, sizeof(tlv));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(1), h.product_id);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(0), h.vendor_id);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(2), 7);
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(3), "7.0", 3);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(4), sizeof(payload));
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(8), 1);
    mfab_tlv_put_bytes(&w, mfab_tlv_ctx(9), digest, 32);
    mfab_tlv_end(&w);
    assert_int_equal(mfab_tlv_writer_finish(&w, &tlen), 0);
    img = ota_vec_build(&len, tlv, tlen, payload, sizeof(payload));
    expect_fail(img, len, MFAB_EFORMAT, "member 1 (tag 1) is out of place");

    /* a byte after the structure, inside HeaderSize */
    assert_int_equal(mfab_ota_header_encode(tlv, sizeof(tlv), &tlen, &h,
                                            NULL),
                     0);
    tlv[tlen++] = 0x18;
    img = ota_vec_build(&len, tlv, tlen, payload, sizeof(payload));
    expect_fail(img, len, MFAB_EFORMAT, "header TLV ends at");

    /* an unknown member big enough to pass the device's 1024 bytes */
    mfab_tlv_writer_init(&w, tlv, sizeof(tlv));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(0), h.vendor_id);
    mfab_tlv_put_bytes(&w, mfab_tlv_ctx(100), big, sizeof(big));
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(1), h.product_id);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(2), 7);
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(3), "7.0", 3);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(4), sizeof(payload));
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(8), 1);
    mfab_tlv_put_bytes(&w, mfab_tlv_ctx(9), digest, 32);
    mfab_tlv_end(&w);
    assert_int_equal(mfab_tlv_writer_finish(&w, &tlen), 0);
    img = ota_vec_build(&len, tlv, tlen, payload, sizeof(payload));
    expect_fail(img, len, MFAB_EFORMAT, "too large for devices");
}

static void
test_ota_verify__values(void **state)
{
    uint8_t digest[64], *img;
    mfab_ota_header h;
    size_t len;
    (void)state;

    base_header(&h, digest);
    h.vendor_id = 0x10000;
    img = image_of(&len, &h);
    expect_fail(img, len, MFAB_EINVAL, "vendor id '65536'");

    base_header(&h, digest);
    h.has_min_version = 1;
    h.min_version = 0x100000000ull;
    img = image_of(&len, &h);
    expect_fail(img, len, MFAB_EINVAL, "32 bits");

    base_header(&h, digest);
    h.version_string_len = 0;
    img = image_of(&len, &h);
    expect_fail(img, len, MFAB_EINVAL, "version string is 0 bytes");
}

static void
test_ota_verify__digest(void **state)
{
    uint8_t digest[64], *img;
    mfab_ota_header h;
    size_t len;
    (void)state;

    base_header(&h, digest);
    h.digest_type = 2;
    img = image_of(&len, &h);
    expect_fail(img, len, MFAB_EUNSUPPORTED, "digest type '2'");

    base_header(&h, digest);
    h.digest_type = MFAB_OTA_DIGEST_SHA384;
    img = image_of(&len, &h);
    expect_fail(img, len, MFAB_EFORMAT, "needs 48");

    base_header(&h, digest);
    img = image_of(&len, &h);
    img[len - 1] ^= 1;
    expect_fail(img, len, MFAB_ECRYPTO, "does not match");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ota_verify__vectors_pass),
        cmocka_unit_test(test_ota_verify__sizes),
        cmocka_unit_test(test_ota_verify__header_layout),
        cmocka_unit_test(test_ota_verify__values),
        cmocka_unit_test(test_ota_verify__digest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
