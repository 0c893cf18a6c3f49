/*
 * Tests for src/onboarding/qr_tlv.c: the optional data of every
 * payloads.json case written in the spec's order (vendor tags, then
 * common tags), and the reader's handling of element types it skips,
 * duplicate tags, non-context tags, trailing bytes and the limits.
 */
#include <stdlib.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/tlv.h"
#include "onb_vectors.h"
#include "onboarding/onboarding_internal.h"

static void
test_qr_tlv__vectors_written_in_order(void **state)
{
    json_t *root = onb_load("payloads.json");
    json_t *c;
    size_t i;
    int seen = 0;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        mfab_onb_payload p;
        uint8_t tlv[600];
        uint8_t want[600];
        size_t n = 0;
        size_t want_len = 0;
        const char *hex;

        if (json_object_get(c, "tlv_hex") == NULL)
            continue;
        seen++;
        hex = onb_str(c, "tlv_hex");
        onb_payload_from_case(&p, c);
        assert_int_equal(mfab_onboarding__tlv_write(tlv, sizeof(tlv), &n, &p,
                                                    NULL),
                         0);
        assert_int_equal(mfab_hex_decode(want, sizeof(want), &want_len, hex,
                                         strlen(hex), NULL),
                         0);
        mfab_test_assert_bytes(hex, want, want_len, tlv, n);
        assert_int_equal(mfab_onboarding__tlv_write(tlv, n - 1, &n, &p,
                                                    NULL),
                         MFAB_EBUFS);
    }
    assert_int_equal(seen, 8);
    json_decref(root);
}

static int
read_hex(mfab_onb_payload *p, const char *hex, mfab_diag *d)
{
    uint8_t buf[256];
    size_t n = 0;

    assert_int_equal(mfab_hex_decode(buf, sizeof(buf), &n, hex, strlen(hex),
                                     NULL),
                     0);
    mfab_onboarding_payload_init(p);
    return mfab_onboarding__tlv_read(p, buf, n, "qr code 'x'", d);
}

static void
test_qr_tlv__read_skips_and_duplicates(void **state)
{
    mfab_onb_payload *p = malloc(sizeof(*p));
    (void)state;

    assert_non_null(p);
    /* bool, null, bytes, float, a nested structure and an array are
     * skipped; tag 0x82 given twice keeps the last value */
    assert_int_equal(read_hex(p,
                              "15" "2981" "3482" "30830161" "2a8400000000"
                              "3585" "2001" "05" "18"
                              "3686" "0001" "18"
                              "2c8201" "61" "2c8201" "62" "240105" "18",
                              NULL),
                     0);
    assert_int_equal(p->n_extras, 2);
    assert_int_equal(p->extras[0].tag, 0x82);
    assert_int_equal(p->extras[0].type, MFAB_ONB_EXTRA_STRING);
    assert_memory_equal(p->extras[0].v.s.p, "b", 1);
    assert_ptr_equal(p->extras[0].v.s.p, p->pool + 1);
    assert_int_equal(p->extras[1].tag, 0x01);
    assert_int_equal(p->extras[1].v.u, 5);
    free(p);
}

static void
test_qr_tlv__read_refusals(void **state)
{
    static const struct {
        const char *hex;
        const char *needle;
    } bad[] = {
        { "18", "not one anonymous tlv structure" },
        { "2001" "05", "not one anonymous tlv structure" },
        { "1601" "18", "not one anonymous tlv structure" },
        { "3501" "18", "not one anonymous tlv structure" },
        { "15" "440100" "05" "18", "byte 12 has no context tag" },
        { "15" "0401" "18", "byte 12 has no context tag" },
        { "15" "2c0105" "61", "truncated or malformed tlv at byte 12" },
        { "15" "240105", "truncated or malformed tlv at byte 15" },
        { "15" "3581" "2001", "truncated or malformed tlv" },
        { "15" "18" "00", "1 bytes follow" },
    };
    mfab_onb_payload *p = malloc(sizeof(*p));
    size_t i;
    (void)state;

    assert_non_null(p);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mfab_diag d = MFAB_DIAG_INIT;

        if (read_hex(p, bad[i].hex, &d) != MFAB_EFORMAT ||
            strstr(d.message, bad[i].needle) == NULL)
            fail_msg("'%s': '%s' lacks '%s'", bad[i].hex, d.message,
                     bad[i].needle);
    }
    free(p);
}

static void
test_qr_tlv__read_limits(void **state)
{
    mfab_onb_payload *p = malloc(sizeof(*p));
    uint8_t *buf = malloc(4000);
    static char big[1500];
    mfab_tlv_writer w;
    mfab_diag d = MFAB_DIAG_INIT;
    size_t n = 0;
    int t;
    (void)state;

    assert_non_null(p);
    assert_non_null(buf);
    /* strings beyond the pool */
    memset(big, 'x', sizeof(big));
    mfab_tlv_writer_init(&w, buf, 4000);
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(0x80), big, sizeof(big));
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(0x81), big, sizeof(big));
    mfab_tlv_end(&w);
    assert_int_equal(mfab_tlv_writer_finish(&w, &n), 0);
    mfab_onboarding_payload_init(p);
    assert_int_equal(mfab_onboarding__tlv_read(p, buf, n, "qr code 'x'", &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "exceed 2600 bytes", NULL);

    /* more elements than the table holds */
    mfab_tlv_writer_init(&w, buf, 4000);
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    for (t = 0; t <= MFAB_ONB_MAX_EXTRAS; t++)
        mfab_tlv_put_uint(&w, mfab_tlv_ctx((uint8_t)(0x80 + t)), 1);
    mfab_tlv_end(&w);
    assert_int_equal(mfab_tlv_writer_finish(&w, &n), 0);
    mfab_onboarding_payload_init(p);
    assert_int_equal(mfab_onboarding__tlv_read(p, buf, n, "qr code 'x'",
                                               NULL),
                     MFAB_ERANGE);
    free(buf);
    free(p);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_tlv__vectors_written_in_order),
        cmocka_unit_test(test_qr_tlv__read_skips_and_duplicates),
        cmocka_unit_test(test_qr_tlv__read_refusals),
        cmocka_unit_test(test_qr_tlv__read_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
