/*
 * nvs_read_page.c: NVS image reader and verifier, pages and the entry
 * point (shared/spec/nvs.md sections 2-3 for the layout, 15.1 and 15.2
 * for the rules).
 *
 *   page:   0 state u32 | 4 seq u32 | 8 version (fe v2, ff v1)
 *           | 9 reserved (19 x ff) | 28 CRC of bytes 4..27
 *           | 32 bitmap (slots 126, 127 of byte 31 always 11)
 *   states: ffffffff EMPTY (whole page ff) | fffffffe ACTIVE
 *           | fffffffc FULL | fffffff8 FREEING | fffffff0 CORRUPT
 *
 * The first pass checks every page and, through nvs_read.c, every slot,
 * and builds the namespace table; nvs_read_values.c then reports values.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "nvs/nvs_read_internal.h"

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
header_crc_ok(const uint8_t *page)
{
    return mfab_le32(page + 28) == mfab_crc32_esp(page + 4, 24);
}

/* see nvs_read_internal.h */
int
mfab_nvs__page_readable(mfab_nvs__reader *r, size_t page)
{
    const uint8_t *p = mfab_nvs__page_at(r, page);
    mfab_nvs_page_state st = classify(mfab_le32(p));

    return (st == MFAB_NVS_STATE_ACTIVE || st == MFAB_NVS_STATE_FULL ||
            st == MFAB_NVS_STATE_FREEING) &&
           header_crc_ok(p) && p[8] >= MFAB_NVS_VERSION_2;
}

/* Page-level checks of one page; fills info. */
static void
check_page(mfab_nvs__reader *r, size_t pg, mfab_nvs_page_info *info)
{
    const uint8_t *p = mfab_nvs__page_at(r, pg);
    int gen = r->o->generator_rules;
    unsigned s;

    memset(info, 0, sizeof(*info));
    info->index = (uint32_t)pg;
    info->state_word = mfab_le32(p);
    info->state = classify(info->state_word);
    if (info->state == MFAB_NVS_STATE_EMPTY) {
        if (!mfab_nvs__all_ff(p, MFAB_NVS_PAGE_SIZE))
            mfab_nvs__problem(r, 1, pg, -1,
                              "page state is EMPTY but the page is not "
                              "blank");
        return;
    }
    info->has_header = 1;
    info->seq = mfab_le32(p + 4);
    info->version = p[8];
    for (s = 0; s < MFAB_NVS_SLOTS_PER_PAGE; s++)
        if (mfab_nvs__slot_state(p, s) != MFAB_NVS__ST_EMPTY)
            info->used_entries++;
    if (!header_crc_ok(p)) {
        mfab_nvs__problem(r, 1, pg, -1,
                          "header CRC 0x%08x does not match (computed "
                          "0x%08x)",
                          mfab_le32(p + 28), mfab_crc32_esp(p + 4, 24));
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
    if (!mfab_nvs__all_ff(p + 9, 19))
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
        if (mfab_le32(mfab_nvs__page_at(r, pg)) == MFAB_NVS_PAGE_EMPTY) {
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

        p = mfab_nvs__page_at(r, pg);
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
        if (mfab_le32(mfab_nvs__page_at(r, pg)) == MFAB_NVS_PAGE_EMPTY)
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

            for (;;) {
                rc = mfab_nvs__next_item(r, &w, &it);
                if (rc != 1)
                    break;
                if (mfab_nvs__is_varlen(it.h[1])) {
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
