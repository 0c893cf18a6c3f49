/*
 * Tests for src/tlv/tlv_read.c: decoding the Matter Core Specification
 * Appendix A.13 examples, the Certification Declarations' TLV in
 * vectors/pki/cd-decode (every element's offset, control byte and bytes,
 * then a byte-exact re-encode), and every malformed input the reader must
 * refuse.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/tlv.h"
#include "common/common_internal.h"
#include "mfab_test.h"

static size_t
unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t len = 0;

    assert_int_equal(mfab_hex_decode(out, cap, &len, hex, strlen(hex), NULL),
                     0);
    return len;
}

/* Read every element of buf; return the status that stopped the walk. */
static int
walk(const uint8_t *buf, size_t len, int *count)
{
    mfab_tlv_reader r;
    mfab_tlv_element e;
    int rc;

    *count = 0;
    mfab_tlv_reader_init(&r, buf, len);
    for (;;) {
        rc = mfab_tlv_next(&r, &e);
        if (rc < 0)
            return rc;
        (*count)++;
    }
}

static void
test_tlv_read__spec_scalars(void **state)
{
    uint8_t buf[64];
    size_t len;
    mfab_tlv_reader r;
    mfab_tlv_element e;
    (void)state;

    len = unhex(buf, sizeof(buf),
                "0802f067fdff0300902f50090000000c0754736368c3bc73"
                "0a33338f410b555555555555d53f14" "e4f1ffeddeedfe55aa2a");
    mfab_tlv_reader_init(&r, buf, len);

    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_BOOL);
    assert_int_equal(e.v.b, 0);
    assert_int_equal(e.tag.kind, MFAB_TLV_TAG_ANONYMOUS);

    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_INT);
    assert_int_equal(e.width, 4);
    assert_true(e.v.i == -170000);

    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_INT);
    assert_int_equal(e.width, 8);
    assert_true(e.v.i == 40000000000LL);

    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_UTF8);
    assert_int_equal(e.width, 1);
    assert_int_equal(e.v.s.len, 7);
    assert_memory_equal(e.v.s.p, "Tsch\xc3\xbcs", 7);
    assert_ptr_equal(e.start, buf + 15);
    assert_int_equal(e.encoded_len, 9);

    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_FLOAT);
    assert_true(e.v.f == (double)17.9f);

    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_DOUBLE);
    assert_true(e.v.f == 1.0 / 3.0);

    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_NULL);

    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_UINT);
    assert_int_equal(e.tag.kind, MFAB_TLV_TAG_FULL);
    assert_int_equal(e.tag.vendor, 0xFFF1);
    assert_int_equal(e.tag.profile, 0xDEED);
    assert_int_equal(e.tag.number, 0xAA55FEED);
    assert_int_equal(e.v.u, 42);

    assert_int_equal(mfab_tlv_next(&r, &e), MFAB_ENOTFOUND);
    assert_int_equal(mfab_tlv_next(&r, &e), MFAB_ENOTFOUND);
}

static void
test_tlv_read__sign_extension(void **state)
{
    uint8_t buf[32];
    size_t len;
    mfab_tlv_reader r;
    mfab_tlv_element e;
    (void)state;

    len = unhex(buf, sizeof(buf),
                "00800180ff020000008003000000000000008003ffffffffffffff7f");
    mfab_tlv_reader_init(&r, buf, len);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_true(e.v.i == -128);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_true(e.v.i == -128);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_true(e.v.i == INT32_MIN);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_true(e.v.i == INT64_MIN);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_true(e.v.i == INT64_MAX);
}

static void
test_tlv_read__containers_and_skip(void **state)
{
    uint8_t buf[64];
    size_t len;
    mfab_tlv_reader r;
    mfab_tlv_element e;
    mfab_tlv_tag t;
    (void)state;

    /* {1 = [42, -170000, {}, 17.9, "Hello!"], 2 = [[1, 0 = 42]]} */
    len = unhex(buf, sizeof(buf),
                "153601002a02f067fdff15180a33338f410c0648656c6c6f2118"
                "3702000120002a1818");
    mfab_tlv_reader_init(&r, buf, len);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_STRUCT);
    assert_int_equal(e.encoded_len, 1);
    assert_int_equal(r.depth, 1);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_ARRAY);
    t = mfab_tlv_ctx(1);
    assert_true(mfab_tlv_tag_equal(e.tag, t));
    assert_int_equal(mfab_tlv_next(&r, &e), 0); /* 42 */
    assert_int_equal(mfab_tlv_skip_container(&r), 0);
    assert_int_equal(r.depth, 1);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_LIST);
    assert_true(mfab_tlv_tag_equal(e.tag, mfab_tlv_ctx(2)));
    assert_int_equal(mfab_tlv_skip_container(&r), 0);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(e.type, MFAB_TLV_END);
    assert_int_equal(r.depth, 0);
    assert_int_equal(mfab_tlv_next(&r, &e), MFAB_ENOTFOUND);
    /* nothing open to skip */
    assert_int_equal(mfab_tlv_skip_container(&r), MFAB_EFORMAT);

    /* a skip that runs into the end of the buffer */
    mfab_tlv_reader_init(&r, buf, 6);
    assert_int_equal(mfab_tlv_next(&r, &e), 0);
    assert_int_equal(mfab_tlv_skip_container(&r), MFAB_EFORMAT);
}

static void
test_tlv_read__tag_equal(void **state)
{
    mfab_tlv_tag a = { MFAB_TLV_TAG_FULL, 1, 2, 3 };
    mfab_tlv_tag b = a;
    mfab_tlv_tag c = { MFAB_TLV_TAG_ANONYMOUS, 0, 0, 7 };
    (void)state;

    assert_true(mfab_tlv_tag_equal(a, b));
    b.vendor = 9;
    assert_false(mfab_tlv_tag_equal(a, b));
    b = a;
    b.number = 4;
    assert_false(mfab_tlv_tag_equal(a, b));
    b.kind = MFAB_TLV_TAG_COMMON;
    assert_false(mfab_tlv_tag_equal(a, b));
    assert_true(mfab_tlv_tag_equal(c, mfab_tlv_anon()));
    assert_false(mfab_tlv_tag_equal(mfab_tlv_ctx(1), mfab_tlv_ctx(2)));
}

static void
test_tlv_read__malformed(void **state)
{
    static const char *const bad[] = {
        "19",                 /* reserved element type */
        "1f",                 /* reserved element type */
        "18",                 /* END at the top level */
        "15",                 /* buffer ends inside a container */
        "152001",             /* member value truncated */
        "153818",             /* END with a tag */
        "2401",               /* context tag at the top level */
        "150401" "18",        /* anonymous member of a structure */
        "16240101" "18",      /* tagged member of an array */
        "0c05616263",         /* string longer than the buffer */
        "10ff",               /* byte string length, no bytes */
        "13ffffffffffffffff", /* 8-byte length far beyond the buffer */
        "0d01",               /* length field truncated */
        "0a0000",             /* float truncated */
        "0b00000000000000",   /* double truncated */
        "44",                 /* common tag truncated */
        "c4f1ffedde01",       /* fully qualified tag, no value */
        "e4f1ffeddeedfe55",   /* 8-byte tag truncated */
        "030000",             /* int64 truncated */
    };
    uint8_t buf[32];
    size_t len;
    size_t i;
    int n;
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(bad); i++) {
        len = unhex(buf, sizeof(buf), bad[i]);
        if (walk(buf, len, &n) != MFAB_EFORMAT)
            fail_msg("'%s' was not refused", bad[i]);
    }
}

/* MFAB_TLV_MAX_DEPTH containers open fine; one more is refused. */
static void
test_tlv_read__depth_limit(void **state)
{
    uint8_t buf[2 * (MFAB_TLV_MAX_DEPTH + 1)];
    int d;
    int n;
    (void)state;

    for (d = 0; d < MFAB_TLV_MAX_DEPTH; d++) {
        buf[d] = 0x16;
        buf[2 * MFAB_TLV_MAX_DEPTH - 1 - d] = 0x18;
    }
    assert_int_equal(walk(buf, 2 * MFAB_TLV_MAX_DEPTH, &n), MFAB_ENOTFOUND);
    assert_int_equal(n, 2 * MFAB_TLV_MAX_DEPTH);

    for (d = 0; d <= MFAB_TLV_MAX_DEPTH; d++) {
        buf[d] = 0x16;
        buf[2 * MFAB_TLV_MAX_DEPTH + 1 - d] = 0x18;
    }
    assert_int_equal(walk(buf, sizeof(buf), &n), MFAB_EFORMAT);
    assert_int_equal(n, MFAB_TLV_MAX_DEPTH);
}

/* Every strict prefix of a well-formed container is refused, without
 * reading past the prefix (ASan catches an overread: the prefix is copied
 * into an exact-size heap block). */
static void
test_tlv_read__every_prefix_refused(void **state)
{
    uint8_t buf[64];
    size_t len;
    size_t cut;
    int n;
    (void)state;

    len = unhex(buf, sizeof(buf),
                "153601002a02f067fdff15180a33338f410c0648656c6c6f2118"
                "e4f1ffeddeedfe55aa2a18");
    for (cut = 1; cut < len; cut++) {
        uint8_t *copy = malloc(cut);

        assert_non_null(copy);
        memcpy(copy, buf, cut);
        assert_int_equal(walk(copy, cut, &n), MFAB_EFORMAT);
        free(copy);
    }
    assert_int_equal(walk(buf, len, &n), MFAB_ENOTFOUND);
    assert_int_equal(walk(NULL, 0, &n), MFAB_ENOTFOUND);
}

/* Type name used by the cd-decode JSON for an element. */
static void
type_name(char *out, size_t cap, const mfab_tlv_element *e)
{
    switch (e->type) {
    case MFAB_TLV_UINT:
        snprintf(out, cap, "uint%u", 8u * e->width);
        break;
    case MFAB_TLV_INT:
        snprintf(out, cap, "int%u", 8u * e->width);
        break;
    case MFAB_TLV_UTF8:
        snprintf(out, cap, "utf8-len%u", 8u * e->width);
        break;
    case MFAB_TLV_BYTES:
        snprintf(out, cap, "bytes-len%u", 8u * e->width);
        break;
    case MFAB_TLV_STRUCT:
        snprintf(out, cap, "structure");
        break;
    case MFAB_TLV_ARRAY:
        snprintf(out, cap, "array");
        break;
    case MFAB_TLV_LIST:
        snprintf(out, cap, "list");
        break;
    case MFAB_TLV_END:
        snprintf(out, cap, "end-of-container");
        break;
    default:
        snprintf(out, cap, "other");
        break;
    }
}

static void
check_cd_vector(const char *path)
{
    json_t *root = mfab_test_json(path);
    json_t *elems = json_object_get(root, "tlv_elements");
    const char *hex = json_string_value(json_object_get(root, "cd_tlv_hex"));
    uint8_t tlv[1024];
    uint8_t out[1024];
    char name[32];
    char bytes_hex[2 * 1024 + 1];
    size_t len;
    size_t out_len = 0;
    size_t i;
    mfab_tlv_reader r;
    mfab_tlv_element e;
    mfab_tlv_writer w;

    assert_non_null(hex);
    assert_true(json_is_array(elems));
    len = unhex(tlv, sizeof(tlv), hex);
    assert_int_equal(len, json_integer_value(json_object_get(root,
                                                             "cd_tlv_length")));
    mfab_tlv_reader_init(&r, tlv, len);
    mfab_tlv_writer_init(&w, out, sizeof(out));
    for (i = 0; i < json_array_size(elems); i++) {
        json_t *je = json_array_get(elems, i);
        long depth;

        assert_int_equal(mfab_tlv_next(&r, &e), 0);
        depth = e.type == MFAB_TLV_STRUCT || e.type == MFAB_TLV_ARRAY ||
                        e.type == MFAB_TLV_LIST
                    ? r.depth - 1
                    : r.depth;
        assert_int_equal(e.start - tlv,
                         json_integer_value(json_object_get(je, "offset")));
        assert_int_equal(depth,
                         json_integer_value(json_object_get(je, "depth")));
        type_name(name, sizeof(name), &e);
        assert_string_equal(name,
                            json_string_value(json_object_get(je, "type")));
        mfab_hex_encode(bytes_hex, e.start, e.encoded_len);
        if (strcasecmp(bytes_hex, json_string_value(
                                      json_object_get(je, "bytes"))) != 0)
            fail_msg("%s: element %zu is %s", path, i, bytes_hex);
        if (json_is_integer(json_object_get(je, "value")))
            assert_int_equal(e.v.u, json_integer_value(
                                        json_object_get(je, "value")));
        assert_int_equal(mfab_tlv_put_element(&w, &e), 0);
    }
    assert_int_equal(mfab_tlv_next(&r, &e), MFAB_ENOTFOUND);
    assert_int_equal(mfab_tlv_writer_finish(&w, &out_len), 0);
    mfab_test_assert_bytes(path, tlv, len, out, out_len);
    json_decref(root);
}

static void
test_tlv_read__cd_vectors_round_trip(void **state)
{
    char dir[4096];
    char path[4096 + 256];
    DIR *d;
    struct dirent *de;
    int seen = 0;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "pki/cd-decode");
    d = opendir(dir);
    assert_non_null(d);
    for (de = readdir(d); de != NULL; de = readdir(d)) {
        size_t n = strlen(de->d_name);

        if (n < 5 || strcmp(de->d_name + n - 5, ".json") != 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        check_cd_vector(path);
        seen++;
    }
    closedir(d);
    assert_true(seen >= 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tlv_read__spec_scalars),
        cmocka_unit_test(test_tlv_read__sign_extension),
        cmocka_unit_test(test_tlv_read__containers_and_skip),
        cmocka_unit_test(test_tlv_read__tag_equal),
        cmocka_unit_test(test_tlv_read__malformed),
        cmocka_unit_test(test_tlv_read__depth_limit),
        cmocka_unit_test(test_tlv_read__every_prefix_refused),
        cmocka_unit_test(test_tlv_read__cd_vectors_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
