/*
 * nvs_test_image.h: builds small NVS images slot by slot for the reader
 * tests (test_nvs_read.c, test_nvs_read_values.c), reads them back through
 * callbacks that record a listing, and checks that a broken image reports
 * a given problem at a given page/slot.
 */
#ifndef MFAB_NVS_TEST_IMAGE_H
#define MFAB_NVS_TEST_IMAGE_H

#include <stdio.h>
#include <string.h>

#include "matterfab/nvs_read.h"
#include "mfab_test.h"
#include "nvs/nvs_internal.h"

#define PAGES 3
static uint8_t img[PAGES * 4096];

static inline void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline void
header(unsigned page, uint32_t state)
{
    uint8_t *p = img + page * 4096;

    put32(p, state);
    put32(p + 4, page);
    p[8] = 0xFE;
    memset(p + 9, 0xFF, 19);
    put32(p + 28, mfab_crc32_esp(p + 4, 24));
}

static inline void
mark(unsigned page, unsigned slot, unsigned state)
{
    uint8_t *b = img + page * 4096 + 32 + slot / 4;
    unsigned sh = 2 * (slot % 4);

    *b = (uint8_t)((*b & ~(3u << sh)) | (state << sh));
}

static inline uint8_t *
slot_at(unsigned page, unsigned slot)
{
    return img + page * 4096 + 64 + 32 * slot;
}

static inline void
fix_crc(unsigned page, unsigned slot)
{
    uint8_t *h = slot_at(page, slot), t[28];

    memcpy(t, h, 4);
    memcpy(t + 4, h + 8, 24);
    put32(h + 4, mfab_crc32_esp(t, 28));
}

/* One item header (and payload) written at page/slot, CRCs computed. */
static inline void
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
        put32(h + 28, mfab_crc32_esp(payload, size));
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

static inline void
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

static inline int
on_page(void *ctx, const mfab_nvs_page_info *p)
{
    ((seen *)ctx)->pages++;
    (void)p;
    return 0;
}

static inline int
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

static inline void
on_problem(void *ctx, const mfab_nvs_problem *p)
{
    seen *s = ctx;

    size_t n = strlen(s->problems_text);

    s->problems++;
    snprintf(s->problems_text + n, sizeof(s->problems_text) - n, "%s\n",
             p->message);
}

static uint8_t values[PAGES * 4096];

static inline int
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

/* Break the image with f, read it, expect one located message. */
static inline void
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

/* Breakers: each breaks one rule of the image build() makes. */
static inline void
b_hdr_crc(void)
{
    img[4096 * 0 + 29] ^= 1;
}
static inline void
b_empty_dirty(void)
{
    img[4096 * 1 + 100] = 0;
}
static inline void
b_state(void)
{
    header(0, 0xFFFFFFF0);
}
static inline void
b_version(void)
{
    img[8] = 0xFD;
    put32(img + 28, mfab_crc32_esp(img + 4, 24));
}
static inline void
b_reserved(void)
{
    img[12] = 0;
    put32(img + 28, mfab_crc32_esp(img + 4, 24));
}
static inline void
b_seq(void)
{
    img[4] = 5;
    put32(img + 28, mfab_crc32_esp(img + 4, 24));
}
static inline void
b_bitmap_tail(void)
{
    img[32 + 31] = 0x0F;
}
static inline void
b_item_crc(void)
{
    slot_at(0, 1)[24] ^= 1;
}
static inline void
b_type(void)
{
    slot_at(0, 1)[1] = 0x33;
    fix_crc(0, 1);
}
static inline void
b_span(void)
{
    slot_at(0, 1)[2] = 3;
    fix_crc(0, 1);
}
static inline void
b_span_end(void)
{
    item(0, 124, 1, 0x21, 0xFF, "z", (const uint8_t *)"0123456789", 11, 0);
    slot_at(0, 124)[2] = 3;
    slot_at(0, 124)[24] = 40;
    fix_crc(0, 124);
}
static inline void
b_payload_state(void)
{
    mark(0, 3, 0);
}
static inline void
b_payload_crc(void)
{
    slot_at(0, 3)[0] ^= 1;
}
static inline void
b_padding(void)
{
    slot_at(0, 3)[20] = 0;
}
static inline void
b_key(void)
{
    slot_at(0, 1)[20] = 'x';
    fix_crc(0, 1);
}
static inline void
b_chunk(void)
{
    slot_at(0, 1)[3] = 0;
    fix_crc(0, 1);
}
static inline void
b_unwritten(void)
{
    slot_at(0, 50)[3] = 0;
}
static inline void
b_gap(void)
{
    item(0, 20, 1, 0x01, 0xFF, "late", NULL, 0, 1);
}
static inline void
b_erased(void)
{
    mark(0, 1, 0);
}
static inline void
b_ns0(void)
{
    slot_at(0, 1)[0] = 0;
    fix_crc(0, 1);
}
static inline void
b_scalar_pad(void)
{
    slot_at(0, 1)[30] = 0;
    fix_crc(0, 1);
}
static inline void
b_reserved_sz(void)
{
    slot_at(0, 2)[26] = 0;
    fix_crc(0, 2);
}
static inline void
b_two_active(void)
{
    header(1, 0xFFFFFFFE);
}
static inline void
b_last_page(void)
{
    header(0, 0xFFFFFFFC);
    header(1, 0xFFFFFFFC);
    header(2, 0xFFFFFFFE);
}
static inline void
b_ns_index(void)
{
    slot_at(0, 0)[24] = 0;
    fix_crc(0, 0);
}

static inline void
b_missing_chunk(void)
{
    slot_at(0, 8)[28] = 2; /* index claims two chunks */
    fix_crc(0, 8);
}
static inline void
b_sizes(void)
{
    slot_at(0, 8)[24] = 41;
    fix_crc(0, 8);
}
static inline void
b_orphan(void)
{
    item(0, 9, 1, 0x42, 3, "b", blob40, 4, 0);
}

#endif
