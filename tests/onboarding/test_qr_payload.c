/*
 * Tests for src/onboarding/qr_payload.c: every payloads.json case packs to
 * its payload_hex and encodes to its QR string, and every QR string
 * decodes back to the case's fields and optional data; every qr_parse case
 * of invalid.json is refused with the message of its error class;
 * multi-payload and '%'-segment handling; buffer sizing.
 */
#include <stdlib.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "common/common_internal.h"
#include "onb_vectors.h"

static void
test_qr_payload__vectors_encode(void **state)
{
    json_t *root = onb_load("payloads.json");
    json_t *c;
    size_t i;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        mfab_onb_payload p;
        uint8_t packed[600];
        uint8_t want[600];
        size_t want_len = 0;
        size_t len = 0;
        size_t need = 0;
        char qr[1200];
        const char *hex = onb_str(c, "payload_hex");

        onb_payload_from_case(&p, c);
        assert_int_equal(mfab_onboarding_pack(packed, sizeof(packed), &len,
                                              &p, NULL),
                         0);
        assert_int_equal(mfab_hex_decode(want, sizeof(want), &want_len, hex,
                                         strlen(hex), NULL),
                         0);
        mfab_test_assert_bytes(hex, want, want_len, packed, len);

        assert_int_equal(mfab_onboarding_qr_encode(NULL, 0, &need, &p, NULL),
                         0);
        assert_int_equal(mfab_onboarding_qr_encode(qr, sizeof(qr), &len, &p,
                                                   NULL),
                         0);
        assert_int_equal(len, need);
        assert_int_equal(strlen(qr), len);
        assert_string_equal(qr, onb_str(c, "qr"));
    }
    json_decref(root);
}

static void
test_qr_payload__vectors_decode(void **state)
{
    json_t *root = onb_load("payloads.json");
    json_t *c;
    size_t i;
    mfab_onb_payload *q = malloc(sizeof(*q));
    (void)state;

    assert_non_null(q);
    json_array_foreach(json_object_get(root, "cases"), i, c) {
        mfab_diag d = MFAB_DIAG_INIT;
        int rc = mfab_onboarding_qr_decode(q, onb_str(c, "qr"), 0, &d);
        long long vid = onb_int(c, "vid");
        long long pid = onb_int(c, "pid");

        /* the SDK's decoder refuses what its validity rules refuse; the
         * vectors hold a few such payloads that mfg_tool produces */
        if (vid > 0xFFF4 || (vid != 0 && pid == 0)) {
            assert_int_equal(rc, MFAB_EINVAL);
            continue;
        }
        if (rc != 0)
            fail_msg("%s: %s", onb_str(c, "qr"), d.message);
        assert_int_equal(q->vendor_id, vid);
        assert_int_equal(q->product_id, pid);
        assert_int_equal(q->flow, onb_int(c, "flow"));
        assert_int_equal(q->discovery, onb_int(c, "discovery"));
        assert_int_equal(q->discriminator, onb_int(c, "discriminator"));
        assert_int_equal(q->passcode, onb_int(c, "passcode"));
        assert_int_equal(q->short_discriminator_only, 0);
        onb_assert_extras(q, c);
    }
    json_decref(root);
    free(q);
}

/* Substring that identifies each error class of invalid.json. */
static const struct {
    const char *error;
    int code;
    const char *needle;
} qr_classes[] = {
    { "missing_prefix_or_empty", MFAB_EFORMAT, "does not start with 'MT:'" },
    { "base38_length", MFAB_EFORMAT, "ends in a chunk of" },
    { "base38_invalid_char", MFAB_EFORMAT, "is not base38" },
    { "base38_overflow", MFAB_EFORMAT, "overflows its bytes" },
    { "too_short", MFAB_EFORMAT, "need at least 11" },
    { "padding_not_zero", MFAB_EFORMAT, "padding bits" },
    { "version_not_zero", MFAB_EUNSUPPORTED, "version '" },
    { "reserved_commissioning_flow", MFAB_EINVAL, "flow '3' is reserved" },
    { "reserved_discovery_bits", MFAB_EINVAL, "reserved bits 6..7" },
    { "invalid_passcode", 0, "passcode '" },
    { "vendor_id_not_operational", MFAB_EINVAL, "not operationally valid" },
    { "product_id_zero_with_vendor_id", MFAB_EINVAL, "product id '0'" },
    { "tlv_not_anonymous_structure", MFAB_EFORMAT,
      "not one anonymous tlv structure" },
    { "tlv_underrun", MFAB_EFORMAT, "truncated or malformed tlv" },
    { "tlv_tag_not_context", MFAB_EFORMAT, "has no context tag" },
};

static void
test_qr_payload__invalid_vectors(void **state)
{
    json_t *root = onb_load("invalid.json");
    json_t *c;
    size_t i;
    int seen = 0;
    mfab_onb_payload *q = malloc(sizeof(*q));
    (void)state;

    assert_non_null(q);
    json_array_foreach(json_object_get(root, "cases"), i, c) {
        const char *id = onb_str(c, "id");
        const char *qr;
        const char *error;
        mfab_diag d = MFAB_DIAG_INIT;
        size_t k;
        int rc;

        if (strcmp(onb_str(c, "category"), "qr_parse") != 0)
            continue;
        qr = onb_str(json_object_get(c, "input"), "qr");
        error = onb_str(c, "error");
        rc = mfab_onboarding_qr_decode(q, qr, 0, &d);
        if (!json_is_true(json_object_get(c, "must_reject"))) {
            assert_int_equal(rc, 0);
            continue;
        }
        seen++;
        for (k = 0; k < MFAB_ARRAY_SIZE(qr_classes); k++) {
            if (strcmp(qr_classes[k].error, error) == 0)
                break;
        }
        if (k == MFAB_ARRAY_SIZE(qr_classes))
            fail_msg("%s: unknown error class '%s'", id, error);
        if (rc == 0)
            fail_msg("%s: '%s' accepted", id, qr);
        if (qr_classes[k].code != 0 && rc != qr_classes[k].code)
            fail_msg("%s: code %d, expected %d (%s)", id, rc,
                     qr_classes[k].code, d.message);
        if (strstr(d.message, qr_classes[k].needle) == NULL)
            fail_msg("%s: message '%s' lacks '%s'", id, d.message,
                     qr_classes[k].needle);
        assert_int_equal(d.code, rc);
    }
    assert_int_equal(seen, 24);
    json_decref(root);
    free(q);
}

static void
test_qr_payload__segments_and_multiple(void **state)
{
    mfab_onb_payload *q = malloc(sizeof(*q));
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_non_null(q);
    /* '%' segments: the first that starts with MT: and has a payload */
    assert_int_equal(mfab_onboarding_qr_decode(
                         q, "foo%MT:%MT:Y.K9042C00KA0648G00%bar", 0, NULL),
                     0);
    assert_int_equal(q->passcode, 20202021);
    /* '*' separates several payloads after one prefix */
    assert_int_equal(mfab_onboarding_qr_decode(
                         q, "MT:Y.K9042C00KA0648G00*00000CQM00KA0648G00", 1,
                         NULL),
                     0);
    assert_int_equal(q->vendor_id, 0);
    assert_int_equal(q->discovery, 4);
    assert_int_equal(mfab_onboarding_qr_decode(
                         q, "MT:Y.K9042C00KA0648G00*00000CQM00KA0648G00", 0,
                         NULL),
                     0);
    assert_int_equal(q->vendor_id, 0xFFF1);
    assert_int_equal(mfab_onboarding_qr_decode(
                         q, "MT:Y.K9042C00KA0648G00*00000CQM00KA0648G00", 2,
                         &d),
                     MFAB_ENOTFOUND);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "no payload number 3", NULL);
    /* an empty piece, NULL text */
    assert_int_equal(mfab_onboarding_qr_decode(
                         q, "MT:Y.K9042C00KA0648G00*", 1, NULL),
                     MFAB_EFORMAT);
    assert_int_equal(mfab_onboarding_qr_decode(q, NULL, 0, NULL),
                     MFAB_EFORMAT);
    free(q);
}

static void
test_qr_payload__hostile_text(void **state)
{
    mfab_onb_payload *q = malloc(sizeof(*q));
    char *big = malloc(MFAB_ONB_QR_TEXT_MAX + 16);
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_non_null(q);
    assert_non_null(big);
    /* longer than any QR code: refused before decoding */
    memcpy(big, "MT:", 3);
    memset(big + 3, '0', MFAB_ONB_QR_TEXT_MAX + 5);
    big[MFAB_ONB_QR_TEXT_MAX + 8] = '\0';
    assert_int_equal(mfab_onboarding_qr_decode(q, big, 0, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "too long", "...'", NULL);
    /* control bytes are not echoed into the message */
    mfab_diag_init(&d);
    assert_int_equal(mfab_onboarding_qr_decode(q, "MT:0000\x1b" "000000", 0,
                                               &d),
                     MFAB_EFORMAT);
    assert_null(strchr(d.message, '\x1b'));
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "byte 0x1b", NULL);
    free(big);
    free(q);
}

static void
test_qr_payload__buffers(void **state)
{
    mfab_onb_payload p;
    char qr[22];
    uint8_t packed[10];
    size_t len = 0;
    static char huge[3000];
    (void)state;

    mfab_onboarding_payload_init(&p);
    p.vendor_id = 0xFFF1;
    p.product_id = 0x8000;
    p.discriminator = 3840;
    p.passcode = 20202021;
    /* 22 characters need 23 bytes with the NUL */
    assert_int_equal(mfab_onboarding_qr_encode(qr, sizeof(qr), &len, &p,
                                               NULL),
                     MFAB_EBUFS);
    assert_int_equal(len, 22);
    assert_int_equal(mfab_onboarding_pack(packed, sizeof(packed), &len, &p,
                                          NULL),
                     MFAB_EBUFS);
    assert_int_equal(len, 11);
    /* an invalid payload is refused before anything is written */
    p.passcode = 0;
    assert_int_equal(mfab_onboarding_qr_encode(NULL, 0, &len, &p, NULL),
                     MFAB_ERANGE);
    assert_int_equal(mfab_onboarding_pack(NULL, 0, &len, &p, NULL),
                     MFAB_ERANGE);
    /* optional data that no QR code can hold */
    p.passcode = 20202021;
    memset(huge, 'x', sizeof(huge));
    assert_int_equal(mfab_onboarding_add_string(&p, 0x80, huge, sizeof(huge),
                                                NULL),
                     0);
    assert_int_equal(mfab_onboarding_qr_encode(NULL, 0, &len, &p, NULL),
                     MFAB_ERANGE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_payload__vectors_encode),
        cmocka_unit_test(test_qr_payload__vectors_decode),
        cmocka_unit_test(test_qr_payload__invalid_vectors),
        cmocka_unit_test(test_qr_payload__segments_and_multiple),
        cmocka_unit_test(test_qr_payload__hostile_text),
        cmocka_unit_test(test_qr_payload__buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
