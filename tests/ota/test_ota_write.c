/*
 * Tests of src/ota/ota_write.c: every production/ota vector's header TLV
 * and image are reproduced byte for byte, change-header reproduces the
 * vectors' changed.ota, and each creation rule fails with its code.
 */
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "ota_vectors.h"

static void
test_ota_write__vectors_header_tlv(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), i;
    (void)state;

    for (i = 0; i < n; i++) {
        const char *hex =
            json_string_value(json_object_get(v[i].json, "header_tlv_hex"));
        uint8_t digest[64], expected[1024], out[1024];
        mfab_ota_header h;
        size_t elen = 0, olen = 0;

        ota_vec_header(&h, digest,
                       json_object_get(v[i].json, "header_fields"));
        assert_int_equal(mfab_hex_decode(expected, sizeof(expected), &elen,
                                         hex, strlen(hex), NULL),
                         0);
        assert_int_equal(mfab_ota_header_encode(NULL, 0, &olen, &h, NULL),
                         0);
        assert_int_equal(olen, elen);
        assert_int_equal(
            mfab_ota_header_encode(out, sizeof(out), &olen, &h, NULL), 0);
        mfab_test_assert_bytes(v[i].name, expected, elen, out, olen);
    }
    ota_vec_free_all(v, n);
}

static void
test_ota_write__vectors_create(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), i;
    (void)state;

    for (i = 0; i < n; i++) {
        mfab_diag diag = MFAB_DIAG_INIT;
        mfab_ota_part part = { v[i].payload, v[i].payload_len };
        uint8_t digest[64], *out;
        mfab_ota_header h;
        size_t len = 0;

        ota_vec_header(&h, digest,
                       json_object_get(v[i].json, "header_fields"));
        /* create must compute these itself */
        h.payload_size = 12345;
        h.digest = NULL;
        h.digest_len = 0;
        assert_int_equal(mfab_ota_create(NULL, 0, &len, &h, &part, 1, &diag),
                         0);
        assert_int_equal(len, v[i].image_len);
        out = malloc(len);
        assert_non_null(out);
        assert_int_equal(mfab_ota_create(out, len - 1, &len, &h, &part, 1,
                                         NULL),
                         MFAB_EBUFS);
        assert_int_equal(mfab_ota_create(out, len, &len, &h, &part, 1, NULL),
                         0);
        mfab_test_assert_bytes(v[i].name, v[i].image, v[i].image_len, out,
                               len);
        free(out);
    }
    ota_vec_free_all(v, n);
}

static void
test_ota_write__two_inputs_are_concatenated(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), i, len = 0;
    (void)state;

    for (i = 0; i < n; i++) {
        mfab_ota_part parts[3];
        uint8_t digest[64], *out;
        mfab_ota_header h;

        if (json_array_size(json_object_get(v[i].json, "inputs")) != 2)
            continue;
        ota_vec_header(&h, digest,
                       json_object_get(v[i].json, "header_fields"));
        /* split anywhere, with an empty input: same image */
        parts[0].data = v[i].payload;
        parts[0].len = 7;
        parts[1].data = v[i].payload;
        parts[1].len = 0;
        parts[2].data = v[i].payload + 7;
        parts[2].len = v[i].payload_len - 7;
        out = malloc(v[i].image_len);
        assert_non_null(out);
        assert_int_equal(mfab_ota_create(out, v[i].image_len, &len, &h, parts,
                                         3, NULL),
                         0);
        mfab_test_assert_bytes(v[i].name, v[i].image, v[i].image_len, out,
                               len);
        free(out);
        ota_vec_free_all(v, n);
        return;
    }
    fail_msg("no two-input vector");
}

static void
test_ota_write__vectors_change_header(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), i, len = 0;
    unsigned done = 0;
    (void)state;

    for (i = 0; i < n; i++) {
        json_t *ch = json_object_get(v[i].json, "change_header");
        uint8_t digest[64], *out;
        mfab_ota_header h;
        unsigned set = MFAB_OTA_SET_VENDOR_ID | MFAB_OTA_SET_PRODUCT_ID |
                       MFAB_OTA_SET_VERSION | MFAB_OTA_SET_VERSION_STRING;

        if (ch == NULL)
            continue;
        assert_non_null(v[i].changed);
        ota_vec_header(&h, digest, json_object_get(ch, "header_fields"));
        if (h.has_min_version)
            set |= MFAB_OTA_SET_MIN_VERSION;
        if (h.has_max_version)
            set |= MFAB_OTA_SET_MAX_VERSION;
        if (h.release_notes_url != NULL)
            set |= MFAB_OTA_SET_RELEASE_NOTES;
        assert_int_equal(mfab_ota_change_header(NULL, 0, &len, v[i].image,
                                                v[i].image_len, set, &h,
                                                NULL),
                         0);
        assert_int_equal(len, v[i].changed_len);
        out = malloc(len);
        assert_non_null(out);
        /* every field but the digest type given: payload size and digest
         * are carried over from the image, never taken from h */
        h.payload_size = 1;
        assert_int_equal(mfab_ota_change_header(out, len, &len, v[i].image,
                                                v[i].image_len, set, &h,
                                                NULL),
                         0);
        mfab_test_assert_bytes(v[i].name, v[i].changed, v[i].changed_len, out,
                               len);
        free(out);
        done++;
    }
    assert_true(done >= 2);
    ota_vec_free_all(v, n);
}

static void
test_ota_write__change_digest_type_rehashes(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), len = 0;
    mfab_ota_header h;
    mfab_diag diag = MFAB_DIAG_INIT;
    uint8_t *out;
    (void)state;

    memset(&h, 0, sizeof(h));
    h.digest_type = MFAB_OTA_DIGEST_SHA3_512;
    assert_int_equal(mfab_ota_change_header(NULL, 0, &len, v[0].image,
                                            v[0].image_len,
                                            MFAB_OTA_SET_DIGEST_TYPE, &h,
                                            NULL),
                     0);
    out = malloc(len);
    assert_non_null(out);
    assert_int_equal(mfab_ota_change_header(out, len, &len, v[0].image,
                                            v[0].image_len,
                                            MFAB_OTA_SET_DIGEST_TYPE, &h,
                                            NULL),
                     0);
    assert_int_equal(mfab_ota_verify(out, len, &diag), 0);
    free(out);
    ota_vec_free_all(v, n);
}

static void
test_ota_write__change_header_errors(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), len = 0;
    mfab_ota_header h;
    mfab_diag diag = MFAB_DIAG_INIT;
    uint8_t junk[32] = { 0 };
    (void)state;

    memset(&h, 0, sizeof(h));
    assert_int_equal(mfab_ota_change_header(NULL, 0, &len, junk,
                                            sizeof(junk), 0, &h, &diag),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&diag, MFAB_EFORMAT, "wrong file identifier", NULL);
    mfab_diag_init(&diag);
    h.min_version = 0xFFFFFF; /* above every vector's version */
    assert_int_equal(mfab_ota_change_header(NULL, 0, &len, v[0].image,
                                            v[0].image_len,
                                            MFAB_OTA_SET_MIN_VERSION, &h,
                                            &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "minimum applicable version",
                          NULL);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_ota_change_header(junk, sizeof(junk), &len,
                                            v[0].image, v[0].image_len, 0,
                                            &h, &diag),
                     MFAB_EBUFS);
    assert_int_equal(len, v[0].image_len);
    mfab_diag_init(&diag);
    h.digest_type = 3; /* sha-256-120: cannot re-hash with it */
    assert_int_equal(mfab_ota_change_header(NULL, 0, &len, v[0].image,
                                            v[0].image_len,
                                            MFAB_OTA_SET_DIGEST_TYPE, &h,
                                            &diag),
                     MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&diag, MFAB_EUNSUPPORTED, "digest type '3'", NULL);
    ota_vec_free_all(v, n);
}

static void
valid_header(mfab_ota_header *h)
{
    memset(h, 0, sizeof(*h));
    h->vendor_id = 0xFFF1;
    h->product_id = 0x8000;
    h->software_version = 5;
    h->version_string = "5.0";
    h->version_string_len = 3;
    h->digest_type = MFAB_OTA_DIGEST_SHA256;
}

static void
expect_invalid(const mfab_ota_header *h, int code, const char *needle)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_ota_part part = { (const uint8_t *)"x", 1 };
    size_t len = 0;

    assert_int_equal(mfab_ota_header_validate(h, &diag), code);
    mfab_test_assert_diag(&diag, code, needle, NULL);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_ota_create(NULL, 0, &len, h, &part, 1, &diag),
                     code);
}

static void
test_ota_write__validation_rules(void **state)
{
    char long_url[300];
    mfab_ota_header h;
    (void)state;

    valid_header(&h);
    assert_int_equal(mfab_ota_header_validate(&h, NULL), 0);
    h.vendor_id = 0;
    expect_invalid(&h, MFAB_EINVAL, "vendor id is zero");
    valid_header(&h);
    h.product_id = 0;
    expect_invalid(&h, MFAB_EINVAL, "product id is zero");
    valid_header(&h);
    h.version_string_len = 0;
    expect_invalid(&h, MFAB_EINVAL, "not of length 1-64");
    memset(long_url, 'x', sizeof(long_url));
    h.version_string = long_url;
    h.version_string_len = 65;
    expect_invalid(&h, MFAB_EINVAL, "not of length 1-64");
    valid_header(&h);
    h.has_min_version = 1;
    h.min_version = 5;
    expect_invalid(&h, MFAB_EINVAL,
                   "minimum applicable version is greater or equal");
    valid_header(&h);
    h.has_max_version = 1;
    h.max_version = 5;
    expect_invalid(&h, MFAB_EINVAL,
                   "maximum applicable version is greater or equal");
    h.has_min_version = 1;
    h.min_version = 3;
    h.max_version = 2;
    expect_invalid(&h, MFAB_EINVAL, "greater than maximum applicable");
    valid_header(&h);
    memset(long_url, 'r', sizeof(long_url));
    h.release_notes_url = long_url;
    h.release_notes_url_len = 257;
    expect_invalid(&h, MFAB_EINVAL, "release notes url must be of length");
    h.release_notes_url_len = 0;
    expect_invalid(&h, MFAB_EINVAL, "release notes url must be of length");
    /* ranges the reference tool does not check */
    valid_header(&h);
    h.vendor_id = 0x10000;
    expect_invalid(&h, MFAB_EINVAL, "vendor id '65536' is out of range");
    valid_header(&h);
    h.software_version = 0x100000000ull;
    expect_invalid(&h, MFAB_EINVAL, "software version");
    valid_header(&h);
    h.digest_type = 2; /* sha-256-128: not producible */
    expect_invalid(&h, MFAB_EUNSUPPORTED, "digest type '2'");
}

static unsigned warnings_seen;

static void
count_warning(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
    warnings_seen++;
}

static void
test_ota_write__warnings(void **state)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_ota_header h;
    (void)state;

    diag.warn = count_warning;
    valid_header(&h);
    warnings_seen = 0;
    mfab_ota_header_warn(&h, &diag);
    assert_int_equal(warnings_seen, 0);
    h.release_notes_url = "http://x";
    h.release_notes_url_len = 8;
    h.digest_type = MFAB_OTA_DIGEST_SHA3_224;
    mfab_ota_header_warn(&h, &diag);
    assert_int_equal(warnings_seen, 2);
}

static void
test_ota_write__encode_errors(void **state)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_ota_header h;
    uint8_t buf[8];
    size_t len = 0;
    (void)state;

    valid_header(&h);
    assert_int_equal(mfab_ota_header_encode(buf, sizeof(buf), &len, &h,
                                            &diag),
                     MFAB_EBUFS);
    assert_true(len > sizeof(buf));
    mfab_diag_init(&diag);
    h.version_string = NULL;
    assert_int_equal(mfab_ota_header_encode(NULL, 0, &len, &h, &diag),
                     MFAB_EINVAL);
}

static void
test_ota_write__app_version(void **state)
{
    char app[40], path[4096];
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_ota_header h;
    uint8_t *img;
    size_t len;
    (void)state;

    mfab_test_vpath(path, sizeof(path),
                    "production/ota/ota-04-sha384-esp32s2-app/app.bin");
    img = mfab_test_read(path, &len);
    mfab_ota_app_version(app, sizeof(app), img, len);
    assert_string_equal(app, "qa-test-v5.0-20220830-4-g4532e6");
    valid_header(&h);
    h.version_string = "qa-test-v5.0";
    h.version_string_len = strlen(h.version_string);
    assert_int_equal(mfab_ota_check_app_version(&h, app, &diag), 0);
    h.version_string = "qa-test-v5.0-20220830-4-g4532e6";
    h.version_string_len = strlen(h.version_string);
    assert_int_equal(mfab_ota_check_app_version(&h, app, &diag), 0);
    h.version_string = "qa-test-v5";
    h.version_string_len = strlen(h.version_string);
    assert_int_equal(mfab_ota_check_app_version(&h, app, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "'qa-test-v5'",
                          "disagrees with the firmware", NULL);
    /* no description: nothing to disagree with */
    mfab_ota_app_version(app, sizeof(app), img + 1, len - 1);
    assert_string_equal(app, "");
    assert_int_equal(mfab_ota_check_app_version(&h, app, NULL), 0);
    free(img);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ota_write__vectors_header_tlv),
        cmocka_unit_test(test_ota_write__vectors_create),
        cmocka_unit_test(test_ota_write__two_inputs_are_concatenated),
        cmocka_unit_test(test_ota_write__vectors_change_header),
        cmocka_unit_test(test_ota_write__change_digest_type_rehashes),
        cmocka_unit_test(test_ota_write__change_header_errors),
        cmocka_unit_test(test_ota_write__validation_rules),
        cmocka_unit_test(test_ota_write__warnings),
        cmocka_unit_test(test_ota_write__encode_errors),
        cmocka_unit_test(test_ota_write__app_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
