/*
 * Tests for src/tlv/tlv_write.c: the encodings listed in the Matter Core
 * Specification, Appendix A.13 ("TLV Encoding Examples"), the smallest-width
 * rules, measuring, and every misuse the writer reports.
 */
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/tlv.h"
#include "mfab_test.h"

static mfab_tlv_tag
common_tag(uint32_t n)
{
    mfab_tlv_tag t = { MFAB_TLV_TAG_COMMON, 0, 0, n };
    return t;
}

static mfab_tlv_tag
implicit_tag(uint32_t n)
{
    mfab_tlv_tag t = { MFAB_TLV_TAG_IMPLICIT, 0, 0, n };
    return t;
}

static mfab_tlv_tag
full_tag(uint16_t vendor, uint16_t profile, uint32_t n)
{
    mfab_tlv_tag t = { MFAB_TLV_TAG_FULL, vendor, profile, n };
    return t;
}

/* Finish w and compare what it wrote with the expected hex. */
static void
expect(mfab_tlv_writer *w, const char *hex)
{
    uint8_t want[256];
    size_t want_len;
    size_t len = 0;

    assert_int_equal(mfab_hex_decode(want, sizeof(want), &want_len, hex,
                                     strlen(hex), NULL), 0);
    assert_int_equal(mfab_tlv_writer_finish(w, &len), 0);
    mfab_test_assert_bytes(hex, want, want_len, w->buf, len);
}

static void
test_tlv_write__spec_scalars(void **state)
{
    uint8_t buf[64];
    mfab_tlv_writer w;
    static const uint8_t octets[] = { 0, 1, 2, 3, 4 };
    (void)state;

#define CASE(call, hex)                                                       \
    do {                                                                      \
        mfab_tlv_writer_init(&w, buf, sizeof(buf));                           \
        assert_int_equal(call, 0);                                            \
        expect(&w, hex);                                                      \
    } while (0)
    CASE(mfab_tlv_put_bool(&w, mfab_tlv_anon(), 0), "08");
    CASE(mfab_tlv_put_bool(&w, mfab_tlv_anon(), 1), "09");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), 42), "002a");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), -17), "00ef");
    CASE(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 42), "042a");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), -170000), "02f067fdff");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), 40000000000LL),
         "0300902f5009000000");
    CASE(mfab_tlv_put_utf8(&w, mfab_tlv_anon(), "Hello!", 6),
         "0c0648656c6c6f21");
    CASE(mfab_tlv_put_utf8(&w, mfab_tlv_anon(), "Tsch\xc3\xbcs", 7),
         "0c0754736368c3bc73");
    CASE(mfab_tlv_put_bytes(&w, mfab_tlv_anon(), octets, sizeof(octets)),
         "10050001020304");
    CASE(mfab_tlv_put_null(&w, mfab_tlv_anon()), "14");
    CASE(mfab_tlv_put_float(&w, mfab_tlv_anon(), 0.0f), "0a00000000");
    CASE(mfab_tlv_put_float(&w, mfab_tlv_anon(), 1.0f / 3.0f), "0aabaaaa3e");
    CASE(mfab_tlv_put_float(&w, mfab_tlv_anon(), 17.9f), "0a33338f41");
    CASE(mfab_tlv_put_double(&w, mfab_tlv_anon(), 1.0 / 3.0),
         "0b555555555555d53f");
    CASE(mfab_tlv_put_double(&w, mfab_tlv_anon(), 17.9),
         "0b6666666666e63140");
}

static void
test_tlv_write__spec_tags(void **state)
{
    uint8_t buf[64];
    mfab_tlv_writer w;
    (void)state;

    CASE(mfab_tlv_put_uint(&w, common_tag(1), 42), "4401002a");
    CASE(mfab_tlv_put_uint(&w, common_tag(100000), 42), "64a08601002a");
    CASE(mfab_tlv_put_uint(&w, implicit_tag(1), 42), "8401002a");
    CASE(mfab_tlv_put_uint(&w, implicit_tag(0x10000), 42), "a4000001002a");
    CASE(mfab_tlv_put_uint(&w, full_tag(0xFFF1, 0xDEED, 1), 42),
         "c4f1ffedde01002a");
    CASE(mfab_tlv_put_uint(&w, full_tag(0xFFF1, 0xDEED, 0xAA55FEED), 42),
         "e4f1ffeddeedfe55aa2a");
}

static void
test_tlv_write__spec_containers(void **state)
{
    uint8_t buf[64];
    mfab_tlv_writer w;
    int i;
    (void)state;

    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_end(&w);
    expect(&w, "1518");

    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_ARRAY);
    mfab_tlv_end(&w);
    expect(&w, "1618");

    /* {0 = 42, 1 = -17} */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_int(&w, mfab_tlv_ctx(0), 42);
    mfab_tlv_put_int(&w, mfab_tlv_ctx(1), -17);
    mfab_tlv_end(&w);
    expect(&w, "1520002a2001ef18");

    /* [0, 1, 2, 3, 4] */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_ARRAY);
    for (i = 0; i < 5; i++)
        mfab_tlv_put_int(&w, mfab_tlv_anon(), i);
    mfab_tlv_end(&w);
    expect(&w, "1600000001000200030004" "18");

    /* [[1, 0 = 42, 2, 3, 0 = -17]] */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_LIST);
    mfab_tlv_put_int(&w, mfab_tlv_anon(), 1);
    mfab_tlv_put_int(&w, mfab_tlv_ctx(0), 42);
    mfab_tlv_put_int(&w, mfab_tlv_anon(), 2);
    mfab_tlv_put_int(&w, mfab_tlv_anon(), 3);
    mfab_tlv_put_int(&w, mfab_tlv_ctx(0), -17);
    mfab_tlv_end(&w);
    expect(&w, "17000120002a000200032000ef18");

    /* [42, -170000, {}, 17.9, "Hello!"] */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_ARRAY);
    mfab_tlv_put_int(&w, mfab_tlv_anon(), 42);
    mfab_tlv_put_int(&w, mfab_tlv_anon(), -170000);
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_end(&w);
    mfab_tlv_put_float(&w, mfab_tlv_anon(), 17.9f);
    mfab_tlv_put_utf8(&w, mfab_tlv_anon(), "Hello!", 6);
    mfab_tlv_end(&w);
    expect(&w, "16002a02f067fdff15180a33338f410c0648656c6c6f2118");
}

/* The smallest width is chosen at every boundary (spec section 1.4). */
static void
test_tlv_write__smallest_width(void **state)
{
    uint8_t buf[80000];
    mfab_tlv_writer w;
    static const char big[70000];
    (void)state;

    CASE(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 0xFF), "04ff");
    CASE(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 0x100), "050001");
    CASE(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 0xFFFF), "05ffff");
    CASE(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 0x10000), "0600000100");
    CASE(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 0xFFFFFFFFu), "06ffffffff");
    CASE(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 0x100000000ULL),
         "070000000001000000");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), -128), "0080");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), 127), "007f");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), 128), "018000");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), -129), "017fff");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), 32768), "0200800000");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), INT32_MIN), "0200000080");
    CASE(mfab_tlv_put_int(&w, mfab_tlv_anon(), INT64_MIN),
         "030000000000000080");
    CASE(mfab_tlv_put_utf8(&w, mfab_tlv_anon(), "", 0), "0c00");
    CASE(mfab_tlv_put_bytes(&w, mfab_tlv_anon(), NULL, 0), "1000");

    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_bytes(&w, mfab_tlv_anon(), big, 256), 0);
    assert_int_equal(w.len, 3 + 256);
    assert_int_equal(buf[0], 0x11);
    assert_int_equal(buf[1], 0x00);
    assert_int_equal(buf[2], 0x01);
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_utf8(&w, mfab_tlv_anon(), big, 70000), 0);
    assert_int_equal(w.len, 5 + 70000);
    assert_int_equal(buf[0], 0x0e);
    assert_int_equal(buf[3], 0x01);
}

/* The onboarding example of spec section 1.3, written element by element. */
static void
test_tlv_write__onboarding_example(void **state)
{
    uint8_t buf[64];
    mfab_tlv_writer w;
    (void)state;

    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(0x82), "myData", 6);
    mfab_tlv_put_int(&w, mfab_tlv_ctx(0x83), 12);
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(0), "123456789", 9);
    mfab_tlv_end(&w);
    expect(&w, "152c82066d794461746120830c2c0009313233343536373839" "18");

    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(0), 123456789);
    mfab_tlv_end(&w);
    expect(&w, "15260015cd5b0718");
}

/* NULL measures; a short buffer reports MFAB_EBUFS and the size needed,
 * and writes nothing past cap. */
static void
test_tlv_write__measure_and_ebufs(void **state)
{
    uint8_t buf[8];
    mfab_tlv_writer w;
    size_t len = 0;
    (void)state;

    mfab_tlv_writer_init(&w, NULL, 0);
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(0), "123456789", 9);
    mfab_tlv_end(&w);
    assert_int_equal(mfab_tlv_writer_finish(&w, &len), 0);
    assert_int_equal(len, 14);

    memset(buf, 0xAA, sizeof(buf));
    mfab_tlv_writer_init(&w, buf, 4);
    assert_int_equal(mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT), 0);
    assert_int_equal(mfab_tlv_put_utf8(&w, mfab_tlv_ctx(0), "123456789", 9),
                     MFAB_EBUFS);
    /* sticky, but keeps counting */
    assert_int_equal(mfab_tlv_end(&w), MFAB_EBUFS);
    assert_int_equal(mfab_tlv_writer_finish(&w, &len), MFAB_EBUFS);
    assert_int_equal(len, 14);
    assert_int_equal(buf[0], 0x15);
    assert_int_equal(buf[1], 0xAA); /* the element that did not fit: absent */
    assert_int_equal(buf[4], 0xAA);
}

static void
test_tlv_write__misuse_is_einval(void **state)
{
    uint8_t buf[64];
    mfab_tlv_writer w;
    mfab_tlv_element e;
    size_t len;
    int i;
    (void)state;

    /* unclosed container */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    assert_int_equal(mfab_tlv_writer_finish(&w, &len), MFAB_EINVAL);

    /* END with nothing open */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_end(&w), MFAB_EINVAL);
    assert_int_equal(mfab_tlv_put_null(&w, mfab_tlv_anon()), MFAB_EINVAL);
    assert_int_equal(mfab_tlv_writer_finish(&w, &len), MFAB_EINVAL);

    /* context tag at the top level, anonymous member of a structure,
     * tagged member of an array */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_uint(&w, mfab_tlv_ctx(1), 1), MFAB_EINVAL);
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    assert_int_equal(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 1), MFAB_EINVAL);
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_ARRAY);
    assert_int_equal(mfab_tlv_put_uint(&w, mfab_tlv_ctx(1), 1), MFAB_EINVAL);

    /* context tag number above 255, unknown tag kind, bad container type */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    {
        mfab_tlv_tag t = { MFAB_TLV_TAG_CONTEXT, 0, 0, 256 };
        assert_int_equal(mfab_tlv_put_uint(&w, t, 1), MFAB_EINVAL);
    }
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    {
        mfab_tlv_tag t = { (mfab_tlv_tag_kind)9, 0, 0, 0 };
        assert_int_equal(mfab_tlv_put_uint(&w, t, 1), MFAB_EINVAL);
    }
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_UINT),
                     MFAB_EINVAL);

    /* NULL data with a length */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_bytes(&w, mfab_tlv_anon(), NULL, 3),
                     MFAB_EINVAL);

    /* depth limit */
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    for (i = 0; i < MFAB_TLV_MAX_DEPTH; i++)
        assert_int_equal(mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_ARRAY),
                         0);
    assert_int_equal(mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_ARRAY),
                     MFAB_EINVAL);

    /* misuse wins over a short buffer */
    mfab_tlv_writer_init(&w, buf, 1);
    assert_int_equal(mfab_tlv_put_uint(&w, mfab_tlv_anon(), 300), MFAB_EBUFS);
    assert_int_equal(mfab_tlv_end(&w), MFAB_EINVAL);
    assert_int_equal(mfab_tlv_writer_finish(&w, &len), MFAB_EINVAL);

    /* put_element: width the type cannot have, value wider than its width */
    memset(&e, 0, sizeof(e));
    e.type = MFAB_TLV_UINT;
    e.width = 3;
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_element(&w, &e), MFAB_EINVAL);
    e.width = 1;
    e.v.u = 256;
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_element(&w, &e), MFAB_EINVAL);
    e.type = MFAB_TLV_INT;
    e.v.i = -129;
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_element(&w, &e), MFAB_EINVAL);
    e.type = MFAB_TLV_FLOAT;
    e.v.f = 1e300;
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_element(&w, &e), MFAB_EINVAL);
    e.type = MFAB_TLV_BYTES;
    e.width = 1;
    e.v.s.p = buf;
    e.v.s.len = 300;
    mfab_tlv_writer_init(&w, buf, sizeof(buf));
    assert_int_equal(mfab_tlv_put_element(&w, &e), MFAB_EINVAL);
}

/* put_element keeps non-minimal widths. */
static void
test_tlv_write__put_element_widths(void **state)
{
    uint8_t buf[64];
    mfab_tlv_writer w;
    mfab_tlv_element e;
    (void)state;

    memset(&e, 0, sizeof(e));
    e.type = MFAB_TLV_UINT;
    e.width = 8;
    e.v.u = 1;
    CASE(mfab_tlv_put_element(&w, &e), "070100000000000000");
    e.type = MFAB_TLV_INT;
    e.width = 2;
    e.v.i = -1;
    CASE(mfab_tlv_put_element(&w, &e), "01ffff");
    e.type = MFAB_TLV_UTF8;
    e.width = 2;
    e.v.s.p = (const uint8_t *)"ab";
    e.v.s.len = 2;
    CASE(mfab_tlv_put_element(&w, &e), "0d02006162");
    e.type = MFAB_TLV_FLOAT;
    e.width = 4;
    e.v.f = 17.9f;
    CASE(mfab_tlv_put_element(&w, &e), "0a33338f41");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tlv_write__spec_scalars),
        cmocka_unit_test(test_tlv_write__spec_tags),
        cmocka_unit_test(test_tlv_write__spec_containers),
        cmocka_unit_test(test_tlv_write__smallest_width),
        cmocka_unit_test(test_tlv_write__onboarding_example),
        cmocka_unit_test(test_tlv_write__measure_and_ebufs),
        cmocka_unit_test(test_tlv_write__misuse_is_einval),
        cmocka_unit_test(test_tlv_write__put_element_widths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
