/*
 * Tests for src/cd/cd_tlv.c: every cd-decode vector decodes to its JSON
 * fields and re-encodes byte-exactly; the encoder follows the spec's
 * worked example and width rules; each decoder and checker rule fails with
 * its code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_test_util.h"
#include "matterfab/error.h"
#include "matterfab/tlv.h"

static void
assert_fields(json_t *d, const mfab_cd_content *c, const char *name)
{
    json_t *pids = json_object_get(d, "product_id_array");
    json_t *paas = json_object_get(d, "authorized_paa_list");
    size_t i, n;
    uint8_t skid[MFAB_CD_SKID_LEN];

    print_message("  %s\n", name);
    assert_int_equal(c->format_version, cd_test_num(d, "format_version"));
    assert_int_equal(c->vendor_id, cd_test_num(d, "vendor_id"));
    assert_int_equal(c->product_id_count, json_array_size(pids));
    for (i = 0; i < c->product_id_count; i++)
        assert_int_equal(
            c->product_ids[i],
            strtoul(json_string_value(json_array_get(pids, i)), NULL, 0));
    assert_int_equal(c->device_type_id, cd_test_num(d, "device_type_id"));
    assert_string_equal(c->certificate_id, json_string_value(json_object_get(
                                               d, "certificate_id")));
    assert_int_equal(c->security_level, cd_test_num(d, "security_level"));
    assert_int_equal(c->security_information,
                     cd_test_num(d, "security_information"));
    assert_int_equal(c->version_number, cd_test_num(d, "version_number"));
    assert_int_equal(c->certification_type,
                     cd_test_num(d, "certification_type"));
    assert_int_equal(c->has_dac_origin,
                     json_object_get(d, "dac_origin_vendor_id") != NULL);
    if (c->has_dac_origin) {
        assert_int_equal(c->dac_origin_vendor_id,
                         cd_test_num(d, "dac_origin_vendor_id"));
        assert_int_equal(c->dac_origin_product_id,
                         cd_test_num(d, "dac_origin_product_id"));
    }
    assert_int_equal(c->has_authorized_paa_list, paas != NULL);
    assert_int_equal(c->authorized_paa_count, json_array_size(paas));
    for (i = 0; i < c->authorized_paa_count; i++) {
        const char *h = json_string_value(json_array_get(paas, i));
        assert_int_equal(
            mfab_hex_decode(skid, sizeof(skid), &n, h, strlen(h), NULL), 0);
        assert_memory_equal(c->authorized_paa_list[i], skid, sizeof(skid));
    }
}

/* Every vector: fields as in its JSON, and decode -> encode is byte-exact. */
static void
test_cd_tlv__vectors_decode_and_reencode(void **state)
{
    char *names[CD_TEST_MAX_FILES], path[1024];
    size_t n, i, tlv_len, out_len;
    uint8_t out[MFAB_CD_CONTENT_MAX];
    (void)state;

    n = cd_test_list(names, "pki/cd-decode", ".json");
    assert_true(n >= 3);
    for (i = 0; i < n; i++) {
        mfab_cd_content c;
        mfab_diag diag = MFAB_DIAG_INIT;
        json_t *j;
        uint8_t *tlv;

        snprintf(path, sizeof(path), "%s/pki/cd-decode/%s", MFAB_VECTORS_DIR,
                 names[i]);
        j = mfab_test_json(path);
        tlv = cd_test_hex(j, "cd_tlv_hex", &tlv_len);
        assert_int_equal(mfab_cd_decode_content(&c, tlv, tlv_len, &diag), 0);
        assert_fields(json_object_get(j, "decoded"), &c, names[i]);
        assert_int_equal(
            mfab_cd_encode_content(out, sizeof(out), &out_len, &c, &diag), 0);
        mfab_test_assert_bytes(names[i], tlv, tlv_len, out, out_len);
        free(tlv);
        json_decref(j);
        free(names[i]);
    }
}

static void
sdk_example(mfab_cd_content *c)
{
    mfab_cd_content_init(c);
    c->vendor_id = 0xFFF2;
    c->product_ids[0] = 0x8001;
    c->product_id_count = 1;
    c->device_type_id = 0x1234;
    memcpy(c->certificate_id, "ZIG20141ZB330001-24", 20);
    c->version_number = 0x9876;
}

/* Fields typed in from spec 4.2's worked example give the SDK's bytes. */
static void
test_cd_tlv__encode_spec_example(void **state)
{
    static const char hex[] =
        "152400012501F2FF360205018018250334122C04135A494732303134315A42333330"
        "3030312D32342405002406002507769824080018";
    uint8_t want[64], out[MFAB_CD_CONTENT_MAX];
    size_t want_len, out_len, measured = 0;
    mfab_cd_content c;
    (void)state;

    assert_int_equal(
        mfab_hex_decode(want, sizeof(want), &want_len, hex, strlen(hex), NULL),
        0);
    sdk_example(&c);
    assert_int_equal(mfab_cd_encode_content(NULL, 0, &measured, &c, NULL), 0);
    assert_int_equal(
        mfab_cd_encode_content(out, sizeof(out), &out_len, &c, NULL), 0);
    assert_int_equal(measured, out_len);
    mfab_test_assert_bytes("spec 4.2 example", want, want_len, out, out_len);
}

static int
contains(const uint8_t *p, size_t n, const uint8_t *s, size_t sn)
{
    size_t i;

    for (i = 0; i + sn <= n; i++)
        if (memcmp(p + i, s, sn) == 0)
            return 1;
    return 0;
}

/* Smallest widths whatever the field's size (spec 4.2 examples). */
static void
test_cd_tlv__minimal_widths_and_optionals(void **state)
{
    static const uint8_t vid[] = {0x24, 0x01, 0x0E};
    static const uint8_t dt[] = {0x26, 0x03, 0xCB, 0xED, 0xFF, 0xFF};
    static const uint8_t pid[] = {0x04, 0xB1};
    static const uint8_t origin[] = {0x25, 0x09, 0xF1, 0xFF,
                                     0x25, 0x0A, 0x00, 0x80};
    static const uint8_t paa[] = {0x36, 0x0B, 0x10, 0x14, 0xAA};
    uint8_t out[MFAB_CD_CONTENT_MAX];
    size_t len;
    mfab_cd_content c;
    (void)state;

    sdk_example(&c);
    c.vendor_id = 0x000E;
    c.device_type_id = 0xFFFFEDCB;
    c.product_ids[0] = 0x00B1;
    c.has_dac_origin = 1;
    c.dac_origin_vendor_id = 0xFFF1;
    c.dac_origin_product_id = 0x8000;
    c.has_authorized_paa_list = 1;
    c.authorized_paa_count = 1;
    memset(c.authorized_paa_list[0], 0xAA, MFAB_CD_SKID_LEN);
    assert_int_equal(mfab_cd_encode_content(out, sizeof(out), &len, &c, NULL),
                     0);
    assert_true(contains(out, len, vid, sizeof(vid)));
    assert_true(contains(out, len, dt, sizeof(dt)));
    assert_true(contains(out, len, pid, sizeof(pid)));
    assert_true(contains(out, len, origin, sizeof(origin)));
    assert_true(contains(out, len, paa, sizeof(paa)));
    /* origin (tag 9) comes after certification_type, before the PAA list */
    assert_memory_equal(out + 54 - 1, origin, sizeof(origin));
}

static void
test_cd_tlv__measure_and_ebufs(void **state)
{
    uint8_t out[16];
    size_t len = 0;
    mfab_cd_content c;
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    sdk_example(&c);
    assert_int_equal(mfab_cd_encode_content(out, sizeof(out), &len, &c, &diag),
                     MFAB_EBUFS);
    assert_int_equal(len, 54);
    mfab_test_assert_diag(&diag, MFAB_EBUFS, "54 bytes", NULL);
}

/* chip-cert's refusals, one at a time. */
static void
test_cd_tlv__check_rejects(void **state)
{
    mfab_cd_content c;
    mfab_diag diag;
    size_t len;
    (void)state;

#define REJECT(mutation, text)                                                 \
    do {                                                                       \
        sdk_example(&c);                                                       \
        mutation;                                                              \
        mfab_diag_init(&diag);                                                 \
        assert_int_equal(mfab_cd_encode_content(NULL, 0, &len, &c, &diag),     \
                         MFAB_EINVAL);                                         \
        mfab_test_assert_diag(&diag, MFAB_EINVAL, text, NULL);                 \
    } while (0)

    REJECT(c.format_version = 2, "'format_version'");
    REJECT(c.vendor_id = 0, "'vendor_id'");
    REJECT(c.product_id_count = 0, "'product_id_array' has 0");
    REJECT(c.product_id_count = 101, "'product_id_array' has 101");
    REJECT(c.product_ids[0] = 0, "entry 1 is 0");
    REJECT(c.certificate_id[18] = '\0', "'certificate_id'");
    REJECT(c.version_number = 0, "'version_number'");
    REJECT(c.certification_type = 3, "'certification_type'");
    REJECT((c.has_dac_origin = 1, c.dac_origin_vendor_id = 0xFFF1),
           "'dac_origin_product_id'");
    REJECT((c.has_authorized_paa_list = 1, c.authorized_paa_count = 11),
           "'authorized_paa_list' has 11");
#undef REJECT
}

/*
 * Variants of the SDK example written with the shared TLV writer; each
 * knob breaks one decoder rule.
 */
typedef struct variant {
    int skip_tag;       /* 0..8 leave out; -1 none */
    int swap_3_4;       /* misorder device_type_id and certificate_id */
    uint64_t vid;       /* value of tag 1 */
    int signed_vid;     /* tag 1 as a signed integer */
    size_t cert_id_len; /* bytes of certificate_id */
    size_t npids;
    int origin; /* 1: tags 9+10, 2: tag 9 only, 3: tag 10 only */
    size_t npaas;
    size_t paa_len;
    int extra_tag;   /* unknown tag 12 (a structure) after the list */
    int trailing;    /* a byte after the outer structure */
    int outer_array; /* outer container is an array */
} variant;

static size_t
build(uint8_t *buf, size_t cap, const variant *v)
{
    static const char id[] = "ZIG20141ZB330001-24XXXXXXXX";
    uint8_t skid[32];
    mfab_tlv_writer w;
    size_t i, len = 0;
    unsigned tag;

    memset(skid, 0x5A, sizeof(skid));
    mfab_tlv_writer_init(&w, buf, cap);
    mfab_tlv_start(&w, mfab_tlv_anon(),
                   v->outer_array ? MFAB_TLV_ARRAY : MFAB_TLV_STRUCT);
    for (tag = 0; tag <= 8; tag++) {
        unsigned t = tag;
        if ((int)tag == v->skip_tag)
            continue;
        if (v->swap_3_4 && (tag == 3 || tag == 4))
            t = 7 - tag;
        if (v->outer_array && t != 2) {
            mfab_tlv_put_uint(&w, mfab_tlv_anon(), 1);
            continue;
        }
        if (t == 1 && v->signed_vid)
            mfab_tlv_put_int(&w, mfab_tlv_ctx(1), -1);
        else if (t == 1)
            mfab_tlv_put_uint(&w, mfab_tlv_ctx(1), v->vid);
        else if (t == 2) {
            mfab_tlv_start(&w,
                           v->outer_array ? mfab_tlv_anon() : mfab_tlv_ctx(2),
                           MFAB_TLV_ARRAY);
            for (i = 0; i < v->npids; i++)
                mfab_tlv_put_uint(&w, mfab_tlv_anon(), 0x8000 + i);
            mfab_tlv_end(&w);
        } else if (t == 4)
            mfab_tlv_put_utf8(&w, mfab_tlv_ctx(4), id, v->cert_id_len);
        else
            mfab_tlv_put_uint(&w, mfab_tlv_ctx((uint8_t)t), t == 0 ? 1 : 7);
    }
    if (v->origin == 1 || v->origin == 2)
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(9), 0xFFF1);
    if (v->origin == 1 || v->origin == 3)
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(10), 0x8000);
    if (v->npaas > 0) {
        mfab_tlv_start(&w, mfab_tlv_ctx(11), MFAB_TLV_ARRAY);
        for (i = 0; i < v->npaas; i++)
            mfab_tlv_put_bytes(&w, mfab_tlv_anon(), skid, v->paa_len);
        mfab_tlv_end(&w);
    }
    if (v->extra_tag) {
        mfab_tlv_start(&w, mfab_tlv_ctx(12), MFAB_TLV_STRUCT);
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(0), 5);
        mfab_tlv_end(&w);
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(13), 5);
    }
    mfab_tlv_end(&w);
    assert_int_equal(mfab_tlv_writer_finish(&w, &len), 0);
    if (v->trailing) {
        assert_true(len < cap);
        buf[len++] = 0x18;
    }
    return len;
}

static const variant base = {-1, 0, 0xFFF1, 0, 19, 1, 0, 0, 20, 0, 0, 0};

static void
expect(const variant *v, int code, const char *text)
{
    uint8_t buf[1024];
    size_t len = build(buf, sizeof(buf), v);
    mfab_cd_content c;
    mfab_diag diag = MFAB_DIAG_INIT;

    assert_int_equal(mfab_cd_decode_content(&c, buf, len, &diag), code);
    if (code != 0)
        mfab_test_assert_diag(&diag, code, text, NULL);
}

static void
test_cd_tlv__decoder_rules(void **state)
{
    variant v;
    unsigned tag;
    (void)state;

    expect(&base, 0, NULL);
    for (tag = 0; tag <= 8; tag++) {
        v = base;
        v.skip_tag = (int)tag;
        expect(&v, MFAB_EFORMAT, "cd: field");
    }
    v = base, v.swap_3_4 = 1, expect(&v, MFAB_EFORMAT, "'device_type_id'");
    v = base, v.vid = 0x10000, expect(&v, MFAB_ERANGE, "'vendor_id' value");
    v = base, v.signed_vid = 1, expect(&v, MFAB_EFORMAT, "not an unsigned");
    v = base, v.cert_id_len = 18, expect(&v, MFAB_ERANGE, "18 bytes");
    v = base, v.cert_id_len = 20, expect(&v, MFAB_ERANGE, "20 bytes");
    v = base, v.npids = 0, expect(&v, 0, NULL); /* caught later as 605 */
    v = base, v.npids = 100, expect(&v, 0, NULL);
    v = base, v.npids = 101, expect(&v, MFAB_ERANGE, "more than 100");
    v = base, v.origin = 1, expect(&v, 0, NULL);
    v = base, v.origin = 2, expect(&v, MFAB_EFORMAT, "'dac_origin_product_id'");
    v = base, v.origin = 3, expect(&v, MFAB_EFORMAT, "without");
    v = base, v.npaas = 10, expect(&v, 0, NULL);
    v = base, v.npaas = 11, expect(&v, MFAB_ERANGE, "more than 10");
    v = base, v.npaas = 1, v.paa_len = 19, expect(&v, MFAB_ERANGE, "19 bytes");
    v = base, v.origin = 1, v.npaas = 2, v.extra_tag = 1, expect(&v, 0, NULL);
    v = base, v.trailing = 1, expect(&v, MFAB_EFORMAT, "bytes follow");
    v = base, v.outer_array = 1,
    expect(&v, MFAB_EFORMAT, "anonymous structure");
}

/* Every truncation of a valid content fails cleanly. */
static void
test_cd_tlv__truncations(void **state)
{
    uint8_t buf[1024];
    variant v = base;
    size_t len, i;
    mfab_cd_content c;
    (void)state;

    v.origin = 1;
    v.npaas = 2;
    len = build(buf, sizeof(buf), &v);
    for (i = 0; i < len; i++)
        assert_int_equal(mfab_cd_decode_content(&c, buf, i, NULL),
                         MFAB_EFORMAT);
    assert_int_equal(mfab_cd_decode_content(&c, NULL, 0, NULL), MFAB_EFORMAT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cd_tlv__vectors_decode_and_reencode),
        cmocka_unit_test(test_cd_tlv__encode_spec_example),
        cmocka_unit_test(test_cd_tlv__minimal_widths_and_optionals),
        cmocka_unit_test(test_cd_tlv__measure_and_ebufs),
        cmocka_unit_test(test_cd_tlv__check_rejects),
        cmocka_unit_test(test_cd_tlv__decoder_rules),
        cmocka_unit_test(test_cd_tlv__truncations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
