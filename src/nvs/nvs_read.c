/*
 * nvs_read.c: NVS image reader and verifier, pages and slots
 * (shared/spec/nvs.md sections 2-5 for the layout, 15.1 and 15.2 for the
 * rules, 13 for decryption on the fly).
 *
 *   page:   0 state u32 | 4 seq u32 | 8 version | 9 reserved (19 x ff)
 *           | 28 CRC of bytes 4..27 | 32 bitmap (2 bits per slot, slot s
 *           at bits 2*(s%4) of byte s/4: 11 EMPTY 10 WRITTEN 00 ERASED
 *           01 ILLEGAL) | 64 slots 0..125 of 32 bytes
 *   item:   0 ns | 1 type | 2 span | 3 chunk | 4 CRC of 0..3 + 8..31
 *           | 8 key[16], NUL padded | 24 data[8]
 *   data:   scalar: value LE, unused bytes ff
 *           SZ/BLOB/BLOB_DATA: 24 size u16 | 26 ffff | 28 payload CRC
 *           BLOB_IDX: 24 total size u32 | 28 count | 29 start | 30 ffff
 *
 * The first pass checks everything that concerns one page or one slot and
 * builds the namespace table; nvs_read_values.c then reports the values.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "nvs/nvs_read_internal.h"

#define ST_EMPTY 3u
#define ST_WRITTEN 2u
#define ST_ERASED 0u

/* see matterfab/nvs_read.h */
const char *
mfab_nvs_page_state_name(mfab_nvs_page_state state)
{
    static const char *const names[] = {"EMPTY",   "ACTIVE",  "FULL",
                                        "FREEING", "CORRUPT", "INVALID"};

    if ((unsigned)state >= MFAB_ARRAY_SIZE(names))
        return "INVALID";
    return names[state];
}

/* see matterfab/nvs_read.h */
const char *
mfab_nvs_type_name(uint8_t type)
{
    switch (type) {
    case MFAB_NVS_TYPE_U8: return "u8";
    case MFAB_NVS_TYPE_I8: return "i8";
    case MFAB_NVS_TYPE_U16: return "u16";
    case MFAB_NVS_TYPE_I16: return "i16";
    case MFAB_NVS_TYPE_U32: return "u32";
    case MFAB_NVS_TYPE_I32: return "i32";
    case MFAB_NVS_TYPE_U64: return "u64";
    case MFAB_NVS_TYPE_I64: return "i64";
    case MFAB_NVS_TYPE_SZ: return "string";
    case MFAB_NVS_TYPE_BLOB: return "blob";
    case MFAB_NVS_TYPE_BLOB_DATA: return "blob_data";
    case MFAB_NVS_TYPE_BLOB_IDX: return "blob(v2)";
    default: return NULL;
    }
}

static mfab_nvs_page_state
classify(uint32_t word)
{
    switch (word) {
    case MFAB_NVS_PAGE_EMPTY: return MFAB_NVS_STATE_EMPTY;
    case MFAB_NVS_PAGE_ACTIVE: return MFAB_NVS_STATE_ACTIVE;
    case MFAB_NVS_PAGE_FULL: return MFAB_NVS_STATE_FULL;
    case MFAB_NVS_PAGE_FREEING: return MFAB_NVS_STATE_FREEING;
    case MFAB_NVS_PAGE_CORRUPT: return MFAB_NVS_STATE_CORRUPT;
    default: return MFAB_NVS_STATE_INVALID;
    }
}

static int
all_ff(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0xFF)
            return 0;
    return 1;
}

static const uint8_t *
page_at(const mfab_nvs__reader *r, size_t page)
{
    return r->img + page * MFAB_NVS_PAGE_SIZE;
}

static unsigned
slot_state(const uint8_t *page, unsigned slot)
{
    return (page[MFAB_NVS_BITMAP_OFFSET + slot / 4] >> (2 * (slot % 4))) & 3u;
}

static uint32_t
slot_offset(size_t page, unsigned slot)
{
    return (uint32_t)(page * MFAB_NVS_PAGE_SIZE + MFAB_NVS_FIRST_SLOT_OFFSET +
                      MFAB_NVS_SLOT_SIZE * slot);
}

/* see nvs_read_internal.h */
void
mfab_nvs__problem(mfab_nvs__reader *r, int report, size_t page, int slot,
                  const char *fmt, ...)
{
    mfab_nvs_problem p;
    size_t n;
    int w;
    va_list ap;

    if (!report)
        return;
    va_start(ap, fmt);
    w = vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
    va_end(ap);
    n = w < 0 ? 0 : (size_t)w;
    if (n >= sizeof(r->msg))
        n = sizeof(r->msg) - 1;
    if (slot >= 0)
        snprintf(r->msg + n, sizeof(r->msg) - n, " at page %zu slot %d", page,
                 slot);
    else
        snprintf(r->msg + n, sizeof(r->msg) - n, " at page %zu", page);
    r->sum.problems++;
    mfab_diag_set(r->diag, MFAB_EFORMAT, "nvs: %s", r->msg);
    if (r->o->on_problem != NULL) {
        p.page = (uint32_t)page;
        p.slot = slot;
        p.message = r->msg;
        r->o->on_problem(r->o->ctx, &p);
    }
}

/* Copy n slots from the image and decrypt them when reading with keys. */
static int
load_slots(mfab_nvs__reader *r, size_t page, unsigned slot, unsigned n,
           uint8_t *dst)
{
    memcpy(dst, r->img + slot_offset(page, slot), (size_t)n * 32u);
    if (!r->enc)
        return 0;
    return mfab_nvs__xts_run(&r->xts, dst, slot_offset(page, slot), n, r->diag);
}

static int
header_crc_ok(const uint8_t *page)
{
    return mfab_le32(page + 28) == mfab_nvs__crc32(page + 4, 24);
}

/* see nvs_read_internal.h */
int
mfab_nvs__page_readable(mfab_nvs__reader *r, size_t page)
{
    const uint8_t *p = page_at(r, page);
    mfab_nvs_page_state st = classify(mfab_le32(p));

    return (st == MFAB_NVS_STATE_ACTIVE || st == MFAB_NVS_STATE_FULL ||
            st == MFAB_NVS_STATE_FREEING) &&
           header_crc_ok(p) && p[8] >= MFAB_NVS_VERSION_2;
}

static int
is_scalar(uint8_t type)
{
    switch (type) {
    case MFAB_NVS_TYPE_U8:
    case MFAB_NVS_TYPE_I8:
    case MFAB_NVS_TYPE_U16:
    case MFAB_NVS_TYPE_I16:
    case MFAB_NVS_TYPE_U32:
    case MFAB_NVS_TYPE_I32:
    case MFAB_NVS_TYPE_U64:
    case MFAB_NVS_TYPE_I64: return 1;
    default: return 0;
    }
}

static int
is_varlen(uint8_t type)
{
    return type == MFAB_NVS_TYPE_SZ || type == MFAB_NVS_TYPE_BLOB ||
           type == MFAB_NVS_TYPE_BLOB_DATA;
}

static int
item_crc_ok(const uint8_t *h)
{
    uint8_t tmp[28];

    memcpy(tmp, h, 4);
    memcpy(tmp + 4, h + 8, 24);
    return mfab_le32(h + 4) == mfab_nvs__crc32(tmp, sizeof(tmp));
}

/* Key: at most 15 bytes, then NUL up to 16 bytes (section 5.3). */
static int
key_ok(const uint8_t *key)
{
    size_t i = 0;

    while (i < 16 && key[i] != 0)
        i++;
    if (i == 16)
        return 0;
    for (; i < 16; i++)
        if (key[i] != 0)
            return 0;
    return 1;
}

/* Checks of a header that do not make the item unreadable. */
static void
soft_checks(mfab_nvs__reader *r, const mfab_nvs__walk *w,
            const mfab_nvs__slot *it)
{
    const uint8_t *h = it->h;
    int s = (int)it->slot;
    int gen = r->o->generator_rules && w->report;

    if (!key_ok(h + 8))
        mfab_nvs__problem(r, w->report, w->page, s,
                          "key is not NUL-terminated with NUL padding");
    if (h[1] != MFAB_NVS_TYPE_BLOB_DATA && h[3] != 0xFF)
        mfab_nvs__problem(r, w->report, w->page, s,
                          "chunk index 0x%02x on a type 0x%02x item "
                          "(allowed 0xff)",
                          h[3], h[1]);
    if (h[0] == 0xFF)
        mfab_nvs__problem(r, w->report, w->page, s,
                          "namespace index 255 is reserved");
    if (is_scalar(h[1]) && !all_ff(h + 24 + (h[1] & 0x0F), 8u - (h[1] & 0x0Fu)))
        mfab_nvs__problem(r, gen, w->page, s,
                          "unused bytes of a %s value are not 0xff",
                          mfab_nvs_type_name(h[1]));
    if (is_varlen(h[1]) && mfab_le16(h + 26) != 0xFFFF)
        mfab_nvs__problem(r, w->report, w->page, s,
                          "reserved bytes 26..27 are 0x%04x (allowed "
                          "0xffff)",
                          mfab_le16(h + 26));
    if (h[1] == MFAB_NVS_TYPE_BLOB_IDX && mfab_le16(h + 30) != 0xFFFF)
        mfab_nvs__problem(r, w->report, w->page, s,
                          "reserved bytes 30..31 are 0x%04x (allowed "
                          "0xffff)",
                          mfab_le16(h + 30));
    if (h[0] == 0 && h[1] != MFAB_NVS_TYPE_U8)
        mfab_nvs__problem(r, gen, w->page, s,
                          "type %s item in namespace 0 (only namespace "
                          "declarations, u8)",
                          mfab_nvs_type_name(h[1]));
    if (h[0] == 0 && h[1] == MFAB_NVS_TYPE_U8 && (h[24] == 0 || h[24] == 0xFF))
        mfab_nvs__problem(r, w->report, w->page, s,
                          "namespace '%.15s' has index %u (allowed 1..254)",
                          (const char *)h + 8, h[24]);
}

/* see nvs_read_internal.h */
int
mfab_nvs__load_payload(mfab_nvs__reader *r, int report, size_t page,
                       const mfab_nvs__slot *it)
{
    size_t size = mfab_le16(it->h + 24);
    unsigned n = it->span - 1;
    uint32_t crc;
    int rc;

    rc = load_slots(r, page, it->slot + 1, n, r->payload);
    if (rc < 0)
        return rc;
    crc = mfab_nvs__crc32(r->payload, size);
    if (crc != mfab_le32(it->h + 28)) {
        mfab_nvs__problem(r, report, page, (int)it->slot,
                          "payload CRC 0x%08x of key '%.15s' does not match "
                          "its data (0x%08x)",
                          mfab_le32(it->h + 28), (const char *)it->h + 8, crc);
        return 0;
    }
    if (!all_ff(r->payload + size, (size_t)n * 32u - size))
        mfab_nvs__problem(r, report, page, (int)it->slot,
                          "padding after the %zu-byte payload of key "
                          "'%.15s' is not 0xff",
                          size, (const char *)it->h + 8);
    return 1;
}

/* Span and payload-slot checks; 1 when the item can be read. */
static int
span_ok(mfab_nvs__reader *r, const mfab_nvs__walk *w, mfab_nvs__slot *it,
        const uint8_t *page)
{
    const uint8_t *h = it->h;
    unsigned need = 1, k;

    if (is_varlen(h[1]))
        need = 1 + (mfab_le16(h + 24) + 31u) / 32u;
    if (h[2] != need) {
        mfab_nvs__problem(r, w->report, w->page, (int)it->slot,
                          "span %u of key '%.15s' does not match its type "
                          "and size (expected %u)",
                          h[2], (const char *)h + 8, need);
        return 0;
    }
    if (it->slot + need > MFAB_NVS_SLOTS_PER_PAGE) {
        mfab_nvs__problem(r, w->report, w->page, (int)it->slot,
                          "item '%.15s' of span %u runs past slot 125",
                          (const char *)h + 8, need);
        return 0;
    }
    for (k = 1; k < need; k++) {
        if (slot_state(page, it->slot + k) != ST_WRITTEN) {
            mfab_nvs__problem(r, w->report, w->page, (int)(it->slot + k),
                              "payload slot of key '%.15s' is not WRITTEN",
                              (const char *)h + 8);
            return 0;
        }
    }
    it->span = need;
    return 1;
}

/* see nvs_read_internal.h */
int
mfab_nvs__next_item(mfab_nvs__reader *r, mfab_nvs__walk *w, mfab_nvs__slot *out)
{
    const uint8_t *page = page_at(r, w->page);
    int gen = r->o->generator_rules && w->report;
    int rc;

    while (w->pos < MFAB_NVS_SLOTS_PER_PAGE) {
        unsigned s = w->pos;
        unsigned st = slot_state(page, s);

        if (st == ST_EMPTY) {
            if (!all_ff(page + slot_offset(0, s), 32))
                mfab_nvs__problem(r, gen, w->page, (int)s,
                                  "unwritten slot is not blank");
            w->seen_unwritten = 1;
            w->pos++;
            continue;
        }
        if (w->seen_unwritten) {
            mfab_nvs__problem(r, gen, w->page, (int)s,
                              "written slot after an unwritten one");
            w->seen_unwritten = 0;
        }
        if (st != ST_WRITTEN) {
            mfab_nvs__problem(r, gen, w->page, (int)s, "slot is %s",
                              st == ST_ERASED ? "ERASED" : "ILLEGAL");
            w->pos++;
            continue;
        }
        out->slot = s;
        out->span = 1;
        rc = load_slots(r, w->page, s, 1, out->h);
        if (rc < 0)
            return rc;
        if (!item_crc_ok(out->h)) {
            mfab_nvs__problem(r, w->report, w->page, (int)s,
                              "item CRC 0x%08x does not match%s",
                              mfab_le32(out->h + 4),
                              r->enc ? " (wrong keys?)" : "");
            w->pos++;
            continue;
        }
        if (mfab_nvs_type_name(out->h[1]) == NULL) {
            mfab_nvs__problem(r, w->report, w->page, (int)s,
                              "unknown item type 0x%02x", out->h[1]);
            w->pos++;
            continue;
        }
        if (!span_ok(r, w, out, page)) {
            w->pos++;
            continue;
        }
        soft_checks(r, w, out);
        w->pos += out->span;
        return 1;
    }
    return 0;
}

/* Page-level checks of one page; fills info. */
static void
check_page(mfab_nvs__reader *r, size_t pg, mfab_nvs_page_info *info)
{
    const uint8_t *p = page_at(r, pg);
    int gen = r->o->generator_rules;
    unsigned s;

    memset(info, 0, sizeof(*info));
    info->index = (uint32_t)pg;
    info->state_word = mfab_le32(p);
    info->state = classify(info->state_word);
    if (info->state == MFAB_NVS_STATE_EMPTY) {
        if (!all_ff(p, MFAB_NVS_PAGE_SIZE))
            mfab_nvs__problem(r, 1, pg, -1,
                              "page state is EMPTY but the page is not "
                              "blank");
        return;
    }
    info->has_header = 1;
    info->seq = mfab_le32(p + 4);
    info->version = p[8];
    for (s = 0; s < MFAB_NVS_SLOTS_PER_PAGE; s++)
        if (slot_state(p, s) != ST_EMPTY)
            info->used_entries++;
    if (!header_crc_ok(p)) {
        mfab_nvs__problem(r, 1, pg, -1,
                          "header CRC 0x%08x does not match (computed "
                          "0x%08x)",
                          mfab_le32(p + 28), mfab_nvs__crc32(p + 4, 24));
        return;
    }
    if (info->state == MFAB_NVS_STATE_CORRUPT ||
        info->state == MFAB_NVS_STATE_INVALID)
        mfab_nvs__problem(r, 1, pg, -1,
                          "page state 0x%08x is %s (allowed ACTIVE, FULL, "
                          "FREEING)",
                          info->state_word,
                          mfab_nvs_page_state_name(info->state));
    else if (info->state == MFAB_NVS_STATE_FREEING)
        mfab_nvs__problem(r, gen, pg, -1, "page state is FREEING");
    if (info->version < MFAB_NVS_VERSION_2)
        mfab_nvs__problem(r, 1, pg, -1,
                          "format version 0x%02x is newer than this reader "
                          "(allowed 0xfe, 0xff)",
                          info->version);
    if (!all_ff(p + 9, 19))
        mfab_nvs__problem(r, 1, pg, -1,
                          "reserved header bytes 9..27 are not 0xff");
    if ((p[MFAB_NVS_BITMAP_OFFSET + 31] & 0xF0) != 0xF0)
        mfab_nvs__problem(r, 1, pg, -1,
                          "bitmap bits of the missing slots 126..127 are "
                          "not set");
    if (gen && info->seq != pg)
        mfab_nvs__problem(r, 1, pg, -1,
                          "sequence number %u differs from the page index",
                          info->seq);
}

/* Generator-image rules over the page sequence (section 15.2). */
static void
check_sequence(mfab_nvs__reader *r)
{
    size_t pg, last = 0, first_blank = r->npages;
    int any = 0;
    const uint8_t *p;

    for (pg = 0; pg < r->npages; pg++) {
        if (mfab_le32(page_at(r, pg)) == MFAB_NVS_PAGE_EMPTY) {
            if (first_blank == r->npages)
                first_blank = pg;
            continue;
        }
        if (first_blank < pg)
            mfab_nvs__problem(r, 1, pg, -1,
                              "page has a header after blank page %zu",
                              first_blank);
        last = pg;
        any = 1;
    }
    if (!any) {
        mfab_nvs__problem(r, 1, 0, -1, "no page has a header");
        return;
    }
    for (pg = 0; pg <= last; pg++) {
        uint32_t st;

        p = page_at(r, pg);
        st = mfab_le32(p);
        if (st == MFAB_NVS_PAGE_EMPTY)
            continue;
        if (pg == last && st != MFAB_NVS_PAGE_ACTIVE)
            mfab_nvs__problem(r, 1, pg, -1, "last written page is not ACTIVE");
        if (pg != last && st != MFAB_NVS_PAGE_FULL)
            mfab_nvs__problem(r, 1, pg, -1,
                              "page before the last written one is not "
                              "FULL");
    }
    if (!r->read_only && last == r->npages - 1)
        mfab_nvs__problem(r, 1, last, -1,
                          "last page of a read/write partition is not "
                          "blank (the device needs a free page)");
}

/* The device refuses a read/write partition without a free page. */
static void
check_free_page(mfab_nvs__reader *r)
{
    size_t pg;

    for (pg = 0; pg < r->npages; pg++)
        if (mfab_le32(page_at(r, pg)) == MFAB_NVS_PAGE_EMPTY)
            return;
    mfab_nvs__problem(r, 1, r->npages - 1, -1,
                      "read/write partition has no free page");
}

/* First pass: pages, slots, namespace table. */
static int
check_pass(mfab_nvs__reader *r)
{
    mfab_nvs_page_info info;
    mfab_nvs__slot it;
    size_t pg;
    int rc;

    for (pg = 0; pg < r->npages; pg++) {
        check_page(r, pg, &info);
        if (r->o->on_page != NULL) {
            rc = r->o->on_page(r->o->ctx, &info);
            if (rc != 0)
                return rc;
        }
        if (!mfab_nvs__page_readable(r, pg))
            continue;
        {
            mfab_nvs__walk w = {pg, 0, 0, 1};

            while ((rc = mfab_nvs__next_item(r, &w, &it)) == 1) {
                if (is_varlen(it.h[1])) {
                    rc = mfab_nvs__load_payload(r, 1, pg, &it);
                    if (rc < 0)
                        return rc;
                }
                if (it.h[0] == 0 && it.h[1] == MFAB_NVS_TYPE_U8) {
                    memcpy(r->ns[it.h[24]], it.h + 8, 16);
                    r->ns[it.h[24]][15] = '\0';
                    r->ns_known[it.h[24]] = 1;
                }
            }
            if (rc < 0)
                return rc;
        }
    }
    if (r->o->generator_rules)
        check_sequence(r);
    else if (!r->read_only)
        check_free_page(r);
    return 0;
}

/* see matterfab/nvs_read.h */
int
mfab_nvs_read(mfab_nvs_read_summary *out, const uint8_t *image, size_t len,
              const mfab_nvs_read_options *opts, mfab_diag *diag)
{
    static const mfab_nvs_read_options defaults = MFAB_NVS_READ_OPTIONS_INIT;
    mfab_nvs__reader r;
    int rc;

    memset(&r, 0, sizeof(r));
    r.o = opts != NULL ? opts : &defaults;
    r.diag = diag;
    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if (len == 0 || len % MFAB_NVS_PAGE_SIZE != 0 || len > 0xFFFFF000u)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "nvs: image is %zu bytes (allowed: a non-zero "
                             "multiple of 4096)",
                             len);
    r.img = image;
    r.len = len;
    r.npages = len / MFAB_NVS_PAGE_SIZE;
    r.read_only = r.o->read_only >= 0 ? r.o->read_only : len < 0x3000;
    if (r.o->keys != NULL) {
        rc = mfab_nvs__xts_init(&r.xts, r.o->keys, 0, diag);
        if (rc < 0)
            goto out;
        r.enc = 1;
    }
    r.sum.pages = r.npages;
    rc = check_pass(&r);
    if (rc != 0)
        goto out;
    rc = mfab_nvs__emit_values(&r);
    if (rc != 0)
        goto out;
    if (r.sum.problems > 0)
        rc = MFAB_EFORMAT;
    else if (r.ebufs)
        rc = mfab_diag_set(diag, MFAB_EBUFS,
                           "nvs: value buffer of %zu bytes is too small "
                           "(largest value %zu bytes)",
                           r.o->value_cap, r.sum.value_max);
out:
    if (r.enc)
        mfab_nvs__xts_release(&r.xts);
    if (out != NULL)
        *out = r.sum;
    OPENSSL_cleanse(r.payload, sizeof(r.payload));
    return rc;
}
