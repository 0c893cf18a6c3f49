/*
 * Tests for src/nvs/nvs_read.c and nvs_read_values.c: images built here
 * slot by slot break one rule of spec 15.2 each and must be reported with
 * their page/slot; sound images read back what was put in; every return
 * code; decryption on the fly equals reading the decrypted image.
 */
#include <stdio.h>
#include <string.h>

#include "matterfab/nvs_read.h"
#include "mfab_test.h"
#include "nvs/nvs_internal.h"

#define PAGES 3
static uint8_t img[PAGES * 4096];

static void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void
header(unsigned page, uint32_t state)
{
    uint8_t *p = img + page * 4096;

    put32(p, state);
    put32(p + 4, page);
    p[8] = 0xFE;
    memset(p + 9, 0xFF, 19);
    put32(p + 28, mfab_nvs__crc32(p + 4, 24));
}

static void
mark(unsigned page, unsigned slot, unsigned state)
{
    uint8_t *b = img + page * 4096 + 32 + slot / 4;
    unsigned sh = 2 * (slot % 4);

    *b = (uint8_t)((*b & ~(3u << sh)) | (state << sh));
}

static uint8_t *
slot_at(unsigned page, unsigned slot)
{
    return img + page * 4096 + 64 + 32 * slot;
}

static void
fix_crc(unsigned page, unsigned slot)
{
    uint8_t *h = slot_at(page, slot), t[28];

    memcpy(t, h, 4);
    memcpy(t + 4, h + 8, 24);
    put32(h + 4, mfab_nvs__crc32(t, 28));
}

/* One item header (and payload) written at page/slot, CRCs computed. */
static void
item(unsigned page, unsigned slot, uint8_t ns, uint8_t type, uint8_t chunk,
     const char *key, const uint8_t *payload, size_t size, uint64_t scalar)
{
    uint8_t *h = slot_at(page, slot);
    unsigned span = 1, k;

    memset(h, 0, 32);
    h[0] = ns;
    h[1] = type;
    h[3] = chunk;
    memcpy(h + 8, key, strlen(key));
    memset(h + 24, 0xFF, 8);
    if (type == 0x21 || type == 0x41 || type == 0x42) {
        span = 1 + (unsigned)((size + 31) / 32);
        h[24] = (uint8_t)size;
        h[25] = (uint8_t)(size >> 8);
        put32(h + 28, mfab_nvs__crc32(payload, size));
        memset(h + 32, 0xFF, (span - 1) * 32);
        memcpy(h + 32, payload, size);
    } else if (type == 0x48) {
        put32(h + 24, (uint32_t)scalar);
        h[28] = (uint8_t)(scalar >> 32);
        h[29] = 0;
    } else {
        for (k = 0; k < (type & 0x0Fu); k++)
            h[24 + k] = (uint8_t)(scalar >> (8 * k));
    }
    h[2] = (uint8_t)span;
    fix_crc(page, slot);
    for (k = 0; k < span; k++)
        mark(page, slot + k, 2);
}

/*
 * page 0 (ACTIVE): ns "app"=1, u16 "n"=513, string "s"="hi", i8 "neg"=-2,
 * blob(v2) "b" = 40 bytes in one chunk (slot 5..7) + index (slot 8).
 */
static const uint8_t blob40[40] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

static void
build(void)
{
    memset(img, 0xFF, sizeof(img));
    header(0, 0xFFFFFFFE);
    item(0, 0, 0, 0x01, 0xFF, "app", NULL, 0, 1);
    item(0, 1, 1, 0x02, 0xFF, "n", NULL, 0, 513);
    item(0, 2, 1, 0x21, 0xFF, "s", (const uint8_t *)"hi", 3, 0);
    item(0, 4, 1, 0x11, 0xFF, "neg", NULL, 0, 0xFE);
    item(0, 5, 1, 0x42, 0, "b", blob40, 40, 0);
    item(0, 8, 1, 0x48, 0xFF, "b", NULL, 0, 40 | (1ull << 32));
}

typedef struct seen {
    unsigned pages, items, problems;
    char problems_text[4096];
    char listing[2048];
} seen;

static int
on_page(void *ctx, const mfab_nvs_page_info *p)
{
    ((seen *)ctx)->pages++;
    (void)p;
    return 0;
}

static int
on_item(void *ctx, const mfab_nvs_item *it)
{
    seen *s = ctx;
    size_t n = strlen(s->listing);

    s->items++;
    snprintf(s->listing + n, sizeof(s->listing) - n, "%s/%s/%s/%lld/%zu/",
             it->ns_name ? it->ns_name : "-", it->key, it->type_name,
             (long long)it->i, it->size);
    n = strlen(s->listing);
    if (it->data != NULL && it->size > 0)
        snprintf(s->listing + n, sizeof(s->listing) - n, "%02x%02x;",
                 it->data[0], it->data[it->size - 1]);
    else
        snprintf(s->listing + n, sizeof(s->listing) - n, ";");
    return 0;
}

static void
on_problem(void *ctx, const mfab_nvs_problem *p)
{
    seen *s = ctx;

    size_t n = strlen(s->problems_text);

    s->problems++;
    snprintf(s->problems_text + n, sizeof(s->problems_text) - n, "%s\n",
             p->message);
}

static uint8_t values[PAGES * 4096];

static int
read_img(seen *s, const mfab_nvs_keys *keys, int gen, mfab_diag *d)
{
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;

    memset(s, 0, sizeof(*s));
    o.keys = keys;
    o.generator_rules = gen;
    o.value_buf = values;
    o.value_cap = sizeof(values);
    o.on_page = on_page;
    o.on_item = on_item;
    o.on_problem = on_problem;
    o.ctx = s;
    return mfab_nvs_read(NULL, img, sizeof(img), &o, d);
}

static void
test_nvs_read__sound_image(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    seen s;

    (void)state;
    build();
    assert_int_equal(read_img(&s, NULL, 1, &d), 0);
    assert_int_equal(s.pages, PAGES);
    assert_int_equal(s.problems, 0);
    assert_string_equal(s.listing, "-/app/u8/1/0/;app/n/u16/513/0/;"
                                   "app/s/string/0/3/6800;app/neg/i8/-2/0/;"
                                   "app/b/blob(v2)/0/40/0100;");
}

/* Break the image with f, read it, expect one located message. */
static void
expect(void (*f)(void), int gen, const char *what, const char *where)
{
    mfab_diag d = MFAB_DIAG_INIT;
    seen s;

    build();
    f();
    assert_int_equal(read_img(&s, NULL, gen, &d), MFAB_EFORMAT);
    assert_true(s.problems >= 1);
    {
        /* the problem is one line holding both what and where */
        char *line = strstr(s.problems_text, what);
        char *eol = line != NULL ? strchr(line, '\n') : NULL;

        if (line == NULL || eol == NULL || strstr(line, where) == NULL ||
            strstr(line, where) > eol)
            fail_msg("problems lack '%s' ... '%s':\n%s", what, where,
                     s.problems_text);
    }
    mfab_test_assert_diag(&d, MFAB_EFORMAT, NULL);
}

static void
b_hdr_crc(void)
{
    img[4096 * 0 + 29] ^= 1;
}
static void
b_empty_dirty(void)
{
    img[4096 * 1 + 100] = 0;
}
static void
b_state(void)
{
    header(0, 0xFFFFFFF0);
}
static void
b_version(void)
{
    img[8] = 0xFD;
    put32(img + 28, mfab_nvs__crc32(img + 4, 24));
}
static void
b_reserved(void)
{
    img[12] = 0;
    put32(img + 28, mfab_nvs__crc32(img + 4, 24));
}
static void
b_seq(void)
{
    img[4] = 5;
    put32(img + 28, mfab_nvs__crc32(img + 4, 24));
}
static void
b_bitmap_tail(void)
{
    img[32 + 31] = 0x0F;
}
static void
b_item_crc(void)
{
    slot_at(0, 1)[24] ^= 1;
}
static void
b_type(void)
{
    slot_at(0, 1)[1] = 0x33;
    fix_crc(0, 1);
}
static void
b_span(void)
{
    slot_at(0, 1)[2] = 3;
    fix_crc(0, 1);
}
static void
b_span_end(void)
{
    item(0, 124, 1, 0x21, 0xFF, "z", (const uint8_t *)"0123456789", 11, 0);
    slot_at(0, 124)[2] = 3;
    slot_at(0, 124)[24] = 40;
    fix_crc(0, 124);
}
static void
b_payload_state(void)
{
    mark(0, 3, 0);
}
static void
b_payload_crc(void)
{
    slot_at(0, 3)[0] ^= 1;
}
static void
b_padding(void)
{
    slot_at(0, 3)[20] = 0;
}
static void
b_key(void)
{
    slot_at(0, 1)[20] = 'x';
    fix_crc(0, 1);
}
static void
b_chunk(void)
{
    slot_at(0, 1)[3] = 0;
    fix_crc(0, 1);
}
static void
b_unwritten(void)
{
    slot_at(0, 50)[3] = 0;
}
static void
b_gap(void)
{
    item(0, 20, 1, 0x01, 0xFF, "late", NULL, 0, 1);
}
static void
b_erased(void)
{
    mark(0, 1, 0);
}
static void
b_ns0(void)
{
    slot_at(0, 1)[0] = 0;
    fix_crc(0, 1);
}
static void
b_scalar_pad(void)
{
    slot_at(0, 1)[30] = 0;
    fix_crc(0, 1);
}
static void
b_reserved_sz(void)
{
    slot_at(0, 2)[26] = 0;
    fix_crc(0, 2);
}
static void
b_two_active(void)
{
    header(1, 0xFFFFFFFE);
}
static void
b_last_page(void)
{
    header(0, 0xFFFFFFFC);
    header(1, 0xFFFFFFFC);
    header(2, 0xFFFFFFFE);
}
static void
b_missing_chunk(void)
{
    slot_at(0, 8)[28] = 2; /* index claims two chunks */
    fix_crc(0, 8);
}
static void
b_sizes(void)
{
    slot_at(0, 8)[24] = 41;
    fix_crc(0, 8);
}
static void
b_orphan(void)
{
    item(0, 9, 1, 0x42, 3, "b", blob40, 4, 0);
}
static void
b_ns_index(void)
{
    slot_at(0, 0)[24] = 0;
    fix_crc(0, 0);
}

static void
test_nvs_read__page_rules(void **state)
{
    (void)state;
    expect(b_hdr_crc, 1, "header CRC", "at page 0");
    expect(b_empty_dirty, 1, "EMPTY but the page is not blank", "page 1");
    expect(b_state, 1, "is CORRUPT", "at page 0");
    expect(b_version, 1, "format version 0xfd", "at page 0");
    expect(b_reserved, 1, "reserved header bytes", "at page 0");
    expect(b_seq, 1, "sequence number 5", "at page 0");
    expect(b_bitmap_tail, 1, "slots 126..127", "at page 0");
    expect(b_two_active, 1, "not FULL", "at page 0");
    expect(b_last_page, 1, "not blank (the device needs a free page)",
           "at page 2");
    expect(b_last_page, 0, "no free page", "at page 2");
}

static void
test_nvs_read__slot_rules(void **state)
{
    (void)state;
    expect(b_item_crc, 1, "item CRC", "at page 0 slot 1");
    expect(b_type, 1, "unknown item type 0x33", "at page 0 slot 1");
    expect(b_span, 1, "span 3 of key 'n'", "at page 0 slot 1");
    expect(b_span_end, 1, "runs past slot 125", "at page 0 slot 124");
    expect(b_payload_state, 1, "not WRITTEN", "at page 0 slot 3");
    expect(b_payload_crc, 1, "payload CRC", "at page 0 slot 2");
    expect(b_padding, 1, "padding", "at page 0 slot 2");
    expect(b_key, 1, "NUL padding", "at page 0 slot 1");
    expect(b_chunk, 1, "chunk index 0x00", "at page 0 slot 1");
    expect(b_unwritten, 1, "unwritten slot is not blank", "at page 0 slot 50");
    expect(b_gap, 1, "written slot after an unwritten one",
           "at page 0 slot 20");
    expect(b_erased, 1, "slot is ERASED", "at page 0 slot 1");
    expect(b_ns0, 1, "in namespace 0", "at page 0 slot 1");
    expect(b_scalar_pad, 1, "unused bytes of a u16", "at page 0 slot 1");
    expect(b_reserved_sz, 1, "reserved bytes 26..27", "at page 0 slot 2");
    expect(b_ns_index, 1, "has index 0", "at page 0 slot 0");
}

static void
test_nvs_read__blob_rules(void **state)
{
    (void)state;
    expect(b_missing_chunk, 1, "has 1 of its 2 chunks", "at page 0 slot 8");
    expect(b_sizes, 1, "add up to 40 bytes, its index says 41",
           "at page 0 slot 8");
    expect(b_orphan, 1, "chunk 3 of blob 'b' belongs to no blob index",
           "at page 0 slot 9");
}

/* Without the generator rules, what the device tolerates passes. */
static void
test_nvs_read__device_rules(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    seen s;

    (void)state;
    build();
    b_erased();
    b_two_active();
    assert_int_equal(read_img(&s, NULL, 0, &d), 0);
    assert_int_equal(s.problems, 0);
    /* the erased u16 is gone, the rest is there */
    assert_null(strstr(s.listing, "app/n/"));
    assert_non_null(strstr(s.listing, "app/s/string"));
}

static void
test_nvs_read__bad_length(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;

    (void)state;
    assert_int_equal(mfab_nvs_read(NULL, img, 4095, NULL, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "4095 bytes", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_read(NULL, img, 0, NULL, &d), MFAB_EINVAL);
}

static void
test_nvs_read__small_value_buffer(void **state)
{
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;
    mfab_nvs_read_summary sum;
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t small[8];

    (void)state;
    build();
    o.value_buf = small;
    o.value_cap = sizeof(small);
    assert_int_equal(mfab_nvs_read(&sum, img, sizeof(img), &o, &d), MFAB_EBUFS);
    mfab_test_assert_diag(&d, MFAB_EBUFS, "40 bytes", NULL);
    assert_int_equal(sum.value_max, 40);
    assert_int_equal(sum.items, 4);
    assert_int_equal(sum.namespaces, 1);
    /* no buffer at all only checks */
    assert_int_equal(mfab_nvs_read(&sum, img, sizeof(img), NULL, NULL), 0);
}

static int
stop_at_second(void *ctx, const mfab_nvs_item *it)
{
    (void)it;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

static void
test_nvs_read__callback_stops(void **state)
{
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;
    int n = 0;

    (void)state;
    build();
    o.on_item = stop_at_second;
    o.ctx = &n;
    assert_int_equal(mfab_nvs_read(NULL, img, sizeof(img), &o, NULL), 42);
    assert_int_equal(n, 2);
}

/* s10 read with its keys lists exactly what s13's plaintext lists. */
static void
test_nvs_read__decrypts_on_the_fly(void **state)
{
    char p[4096];
    uint8_t *enc, *dec, *kb, *vb;
    size_t el, dl, kl;
    mfab_nvs_keys keys;
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;
    seen a, b;
    mfab_diag d = MFAB_DIAG_INIT;

    (void)state;
    mfab_test_vpath(p, sizeof(p), "nvs/s13_decrypt/enc.bin");
    enc = mfab_test_read(p, &el);
    mfab_test_vpath(p, sizeof(p), "nvs/s13_decrypt/expected/dec.bin");
    dec = mfab_test_read(p, &dl);
    mfab_test_vpath(p, sizeof(p), "nvs/s13_decrypt/keys.bin");
    kb = mfab_test_read(p, &kl);
    assert_int_equal(mfab_nvs_keys_decode(&keys, kb, kl, NULL), 0);
    vb = malloc(el);
    assert_non_null(vb);
    o.value_buf = vb;
    o.value_cap = el;
    o.on_item = on_item;
    o.on_problem = on_problem;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    o.ctx = &a;
    assert_int_equal(mfab_nvs_read(NULL, dec, dl, &o, &d), 0);
    o.keys = &keys;
    o.ctx = &b;
    assert_int_equal(mfab_nvs_read(NULL, enc, el, &o, &d), 0);
    assert_true(a.items > 100);
    assert_int_equal(a.items, b.items);
    assert_string_equal(a.listing, b.listing);
    /* the plaintext read with keys fails every item CRC */
    memset(&b, 0, sizeof(b));
    assert_int_equal(mfab_nvs_read(NULL, dec, dl, &o, &d), MFAB_EFORMAT);
    assert_non_null(strstr(b.problems_text, "wrong keys?"));
    /* equal key halves are refused */
    memset(&keys, 9, sizeof(keys));
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_read(NULL, enc, el, &o, &d), MFAB_EINVAL);
    free(vb);
    free(enc);
    free(dec);
    free(kb);
}

static void
test_nvs_read__names(void **state)
{
    (void)state;
    assert_string_equal(mfab_nvs_page_state_name(MFAB_NVS_STATE_FREEING),
                        "FREEING");
    assert_string_equal(mfab_nvs_page_state_name((mfab_nvs_page_state)99),
                        "INVALID");
    assert_string_equal(mfab_nvs_type_name(0x18), "i64");
    assert_null(mfab_nvs_type_name(0x99));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_read__sound_image),
        cmocka_unit_test(test_nvs_read__page_rules),
        cmocka_unit_test(test_nvs_read__slot_rules),
        cmocka_unit_test(test_nvs_read__blob_rules),
        cmocka_unit_test(test_nvs_read__device_rules),
        cmocka_unit_test(test_nvs_read__bad_length),
        cmocka_unit_test(test_nvs_read__small_value_buffer),
        cmocka_unit_test(test_nvs_read__callback_stops),
        cmocka_unit_test(test_nvs_read__decrypts_on_the_fly),
        cmocka_unit_test(test_nvs_read__names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
