/*
 * qr_tlv.c: the QR code's optional data, one anonymous TLV structure after
 * the 11 fixed bytes (Matter Core Specification 5.1.5; shared/spec/
 * matter-commissioning.md section 1.3).
 *
 *   15                          anonymous structure
 *     2c 82 06 "myData"         vendor tags 0x80..0xFF, ascending
 *     20 83 0c
 *     2c 00 09 "123456789"      then common tags 0x00..0x7F, ascending
 *   18                          end of container
 *
 * Every element has a context tag; strings and integers use the smallest
 * length or value width. CHIP keeps vendor and common tags in two sorted
 * maps and writes the vendor map first, hence the order.
 */
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/tlv.h"
#include "onboarding/onboarding_internal.h"

/* Sort key: vendor tags before common tags, each ascending. */
static unsigned
order_key(uint8_t tag)
{
    return tag >= 0x80 ? (unsigned)tag - 0x80 : (unsigned)tag + 0x80;
}

static int
put_extra(mfab_tlv_writer *w, const mfab_onb_extra *e)
{
    mfab_tlv_tag tag = mfab_tlv_ctx(e->tag);

    switch (e->type) {
    case MFAB_ONB_EXTRA_STRING:
        return mfab_tlv_put_utf8(w, tag, e->v.s.p, e->v.s.len);
    case MFAB_ONB_EXTRA_INT:
        return mfab_tlv_put_int(w, tag, e->v.i);
    default:
        return mfab_tlv_put_uint(w, tag, e->v.u);
    }
}

/* see onboarding_internal.h */
int
mfab_onboarding__tlv_write(uint8_t *buf, size_t cap, size_t *out_len,
                           const mfab_onb_payload *p, mfab_diag *diag)
{
    mfab_tlv_writer w;
    unsigned key;
    size_t i;
    int rc;

    mfab_tlv_writer_init(&w, buf, cap);
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    /* tags are unique (add_extra replaces), so one pass per key value
     * yields the order without sorting the caller's array */
    for (key = 0; key < 256; key++) {
        for (i = 0; i < p->n_extras; i++) {
            if (order_key(p->extras[i].tag) == key)
                put_extra(&w, &p->extras[i]);
        }
    }
    mfab_tlv_end(&w);
    rc = mfab_tlv_writer_finish(&w, out_len);
    if (rc == MFAB_EBUFS)
        return rc;
    if (rc < 0)
        return mfab_diag_set(diag, rc, "cannot encode the optional data");
    return 0;
}

/* Copy a decoded string into the payload's pool. */
static int
keep_string(mfab_onb_payload *p, size_t *pool_used,
            const mfab_tlv_element *e, const char *subject, mfab_diag *diag)
{
    char *dst;

    if (e->v.s.len > sizeof(p->pool) - *pool_used)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "%s: optional data strings exceed %d bytes",
                             subject, MFAB_ONB_POOL_SIZE);
    dst = p->pool + *pool_used;
    if (e->v.s.len > 0)
        memcpy(dst, e->v.s.p, e->v.s.len);
    *pool_used += e->v.s.len;
    return mfab_onboarding_add_string(p, (uint8_t)e->tag.number, dst,
                                      e->v.s.len, diag);
}

/*
 * Reason for a reader failure, from the element it stopped at: a member
 * whose tag form is not context-specific, or a truncated/overlong one.
 */
static int
member_error(const uint8_t *elem, const uint8_t *end, const uint8_t *base,
             const char *subject, mfab_diag *diag)
{
    size_t at = (size_t)(elem - base) + MFAB_ONB__FIXED_LEN;
    uint8_t ctl = elem < end ? elem[0] : 0x18;

    if ((ctl & 0x1F) != 0x18 && (ctl & 0xE0) != 0x20)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s: optional data element at byte %zu has no "
                             "context tag (allowed context tags 0x00..0xff)",
                             subject, at);
    return mfab_diag_set(diag, MFAB_EFORMAT,
                         "%s: optional data is truncated or malformed tlv "
                         "at byte %zu",
                         subject, at);
}

/* see onboarding_internal.h */
int
mfab_onboarding__tlv_read(mfab_onb_payload *p, const uint8_t *buf,
                          size_t len, const char *subject, mfab_diag *diag)
{
    mfab_tlv_reader r;
    mfab_tlv_element e;
    size_t pool_used = 0;
    int rc;

    mfab_tlv_reader_init(&r, buf, len);
    rc = mfab_tlv_next(&r, &e);
    if (rc < 0 || e.type != MFAB_TLV_STRUCT ||
        e.tag.kind != MFAB_TLV_TAG_ANONYMOUS)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s: optional data at byte %d is not one "
                             "anonymous tlv structure",
                             subject, MFAB_ONB__FIXED_LEN);
    for (;;) {
        rc = mfab_tlv_next(&r, &e);
        if (rc < 0)
            return member_error(r.p, r.end, buf, subject, diag);
        if (r.depth == 0)
            break; /* the structure's END */
        if (e.tag.kind != MFAB_TLV_TAG_CONTEXT)
            return member_error(e.start, r.end, buf, subject, diag);
        switch (e.type) {
        case MFAB_TLV_UTF8:
            rc = keep_string(p, &pool_used, &e, subject, diag);
            break;
        case MFAB_TLV_INT:
            rc = mfab_onboarding_add_int(p, (uint8_t)e.tag.number, e.v.i,
                                         diag);
            break;
        case MFAB_TLV_UINT:
            rc = mfab_onboarding_add_uint(p, (uint8_t)e.tag.number, e.v.u,
                                          diag);
            break;
        case MFAB_TLV_STRUCT:
        case MFAB_TLV_ARRAY:
        case MFAB_TLV_LIST:
            /* CHIP skips element types it does not keep */
            rc = mfab_tlv_skip_container(&r);
            if (rc < 0)
                return member_error(r.p, r.end, buf, subject, diag);
            break;
        default:
            rc = 0;
            break;
        }
        if (rc < 0)
            return rc;
    }
    if (r.p != r.end)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s: %zu bytes follow the optional data "
                             "structure (allowed none)",
                             subject, (size_t)(r.end - r.p));
    return 0;
}
