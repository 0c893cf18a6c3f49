/*
 * nvs_read.c: NVS image reader and verifier, the slots of one page
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
 * nvs_read_page.c walks the pages; the iterator here walks the items of
 * one page and checks every slot on the way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/common_internal.h"
#include "nvs/nvs_read_internal.h"

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
    memcpy(dst, r->img + mfab_nvs__slot_offset(page, slot), (size_t)n * 32u);
    if (!r->enc)
        return 0;
    return mfab_nvs__xts_run(&r->xts, dst, mfab_nvs__slot_offset(page, slot), n,
                             r->diag);
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
item_crc_ok(const uint8_t *h)
{
    uint8_t tmp[28];

    memcpy(tmp, h, 4);
    memcpy(tmp + 4, h + 8, 24);
    return mfab_le32(h + 4) == mfab_crc32_esp(tmp, sizeof(tmp));
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
    if (is_scalar(h[1]) &&
        !mfab_nvs__all_ff(h + 24 + (h[1] & 0x0F), 8u - (h[1] & 0x0Fu)))
        mfab_nvs__problem(r, gen, w->page, s,
                          "unused bytes of a %s value are not 0xff",
                          mfab_nvs_type_name(h[1]));
    if (mfab_nvs__is_varlen(h[1]) && mfab_le16(h + 26) != 0xFFFF)
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
    crc = mfab_crc32_esp(r->payload, size);
    if (crc != mfab_le32(it->h + 28)) {
        mfab_nvs__problem(r, report, page, (int)it->slot,
                          "payload CRC 0x%08x of key '%.15s' does not match "
                          "its data (0x%08x)",
                          mfab_le32(it->h + 28), (const char *)it->h + 8, crc);
        return 0;
    }
    if (!mfab_nvs__all_ff(r->payload + size, (size_t)n * 32u - size))
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

    if (mfab_nvs__is_varlen(h[1]))
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
        if (mfab_nvs__slot_state(page, it->slot + k) != MFAB_NVS__ST_WRITTEN) {
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
    const uint8_t *page = mfab_nvs__page_at(r, w->page);
    int gen = r->o->generator_rules && w->report;
    int rc;

    while (w->pos < MFAB_NVS_SLOTS_PER_PAGE) {
        unsigned s = w->pos;
        unsigned st = mfab_nvs__slot_state(page, s);

        if (st == MFAB_NVS__ST_EMPTY) {
            if (!mfab_nvs__all_ff(page + mfab_nvs__slot_offset(0, s), 32))
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
        if (st != MFAB_NVS__ST_WRITTEN) {
            mfab_nvs__problem(r, gen, w->page, (int)s, "slot is %s",
                              st == MFAB_NVS__ST_ERASED ? "ERASED" : "ILLEGAL");
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
