/*
 * Tests of src/ota/ota_digest.c: digest names and lengths, the payload
 * digests of the vectors (recomputed and compared with the digest stored
 * in each expected.json), and the DCL otaChecksum of every vector for
 * types 1 and 8.
 */
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "ota_vectors.h"

static void
test_ota_digest__names(void **state)
{
    static const char *const names[] = { "sha256",   "sha384",   "sha512",
                                         "sha3_224", "sha3_256", "sha3_384",
                                         "sha3_512" };
    static const int ids[] = { 1, 7, 8, 9, 10, 11, 12 };
    static const size_t lens[] = { 32, 48, 64, 28, 32, 48, 64 };
    size_t i;
    (void)state;

    for (i = 0; i < 7; i++) {
        assert_int_equal(mfab_ota_digest_type(names[i]), ids[i]);
        assert_string_equal(mfab_ota_digest_name((uint64_t)ids[i]), names[i]);
        assert_int_equal(mfab_ota_digest_len((uint64_t)ids[i]), lens[i]);
    }
    assert_int_equal(mfab_ota_digest_type("sha256_128"), MFAB_EINVAL);
    assert_int_equal(mfab_ota_digest_type("SHA256"), MFAB_EINVAL);
    assert_int_equal(mfab_ota_digest_type(NULL), MFAB_EINVAL);
    assert_null(mfab_ota_digest_name(2));
    assert_int_equal(mfab_ota_digest_len(13), 0);
}

static void
test_ota_digest__vectors(void **state)
{
    ota_vec *v;
    size_t n = ota_vec_load_all(&v), i;
    (void)state;

    for (i = 0; i < n; i++) {
        json_t *f = json_object_get(v[i].json, "header_fields");
        json_t *dcl = json_object_get(v[i].json, "dcl_model_version");
        uint8_t want[64], got[64];
        mfab_ota_part part = { v[i].payload, v[i].payload_len };
        mfab_ota_header h;
        char b64[100];
        size_t len = 0;

        ota_vec_header(&h, want, f);
        assert_int_equal(mfab_ota_digest(got, &len, h.digest_type, &part, 1,
                                         NULL),
                         0);
        mfab_test_assert_bytes(v[i].name, h.digest, h.digest_len, got, len);
        assert_int_equal(mfab_ota_dcl_checksum(b64, sizeof(b64), 1,
                                               v[i].image, v[i].image_len,
                                               NULL),
                         0);
        assert_string_equal(
            b64, json_string_value(json_object_get(dcl, "otaChecksum")));
        assert_int_equal(mfab_ota_dcl_checksum(b64, sizeof(b64), 8,
                                               v[i].image, v[i].image_len,
                                               NULL),
                         0);
        assert_string_equal(b64, json_string_value(json_object_get(
                                     dcl, "otaChecksum_if_sha512_type8")));
    }
    ota_vec_free_all(v, n);
}

static void
test_ota_digest__errors(void **state)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_ota_part part = { (const uint8_t *)"abc", 3 };
    uint8_t d[64];
    char b64[88]; /* one short for SHA-512's 88 characters + NUL */
    size_t len = 0;
    (void)state;

    assert_int_equal(mfab_ota_digest(d, &len, 2, &part, 1, &diag),
                     MFAB_EUNSUPPORTED);
    mfab_test_assert_diag(&diag, MFAB_EUNSUPPORTED, "digest type '2'", NULL);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_ota_dcl_checksum(b64, sizeof(b64), 8,
                                           (const uint8_t *)"abc", 3, &diag),
                     MFAB_EBUFS);
    assert_int_equal(mfab_ota_dcl_checksum(b64, sizeof(b64), 1,
                                           (const uint8_t *)"abc", 3, NULL),
                     0);
    /* SHA-256("abc"), a FIPS 180-2 known answer */
    assert_string_equal(b64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
    mfab_diag_init(&diag);
    assert_int_equal(mfab_ota_dcl_checksum(b64, sizeof(b64), 6,
                                           (const uint8_t *)"abc", 3, &diag),
                     MFAB_EUNSUPPORTED);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ota_digest__names),
        cmocka_unit_test(test_ota_digest__vectors),
        cmocka_unit_test(test_ota_digest__errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
