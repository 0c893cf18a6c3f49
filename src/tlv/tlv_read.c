/*
 * tlv_read.c: Matter TLV decoder (Matter Core Specification, Appendix A,
 * "Tag-length-value (TLV) Encoding Format").
 *
 *   control byte:  7 6 5 | 4 3 2 1 0
 *                  tag   | element type (0x00..0x18; 0x19..0x1F reserved)
 *                  form  |
 *
 *   [control][tag: 0,1,2,4,2,4,6,8 bytes by form][value | len + bytes]
 *
 *   fully qualified tag: vendor (LE16), profile (LE16), number (LE16|LE32)
 *
 * Hostile input is the normal case here (QR codes are scanned from the
 * outside world, CDs arrive from other parties): every field is bounds
 * checked through an mfab_cursor before it is read, a length field is
 * checked against the bytes left before a pointer is formed, and the
 * reader's position only moves once the whole element has been accepted.
 * Tag placement is checked the way CHIP's TLVReader::VerifyElement does
 * (structure members tagged, array members anonymous, no context tags at
 * the top level, END anonymous).
 */
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/tlv.h"
#include "tlv/tlv_internal.h"

/* see matterfab/tlv.h */
void
mfab_tlv_reader_init(mfab_tlv_reader *r, const uint8_t *buf, size_t len)
{
    r->p = buf;
    r->end = buf == NULL ? buf : buf + len;
    r->depth = 0;
    r->kinds = 0;
}

/* Little-endian unsigned number of width bytes (1, 2, 4 or 8). */
static int
take_le(mfab_cursor *c, size_t width, uint64_t *out)
{
    const uint8_t *p;
    uint64_t v = 0;
    size_t i;

    if (mfab_cursor_take(c, &p, width) < 0)
        return MFAB_EFORMAT;
    for (i = 0; i < width; i++)
        v |= (uint64_t)p[i] << (8 * i);
    *out = v;
    return 0;
}

static int
read_tag(mfab_cursor *c, uint8_t form, mfab_tlv_tag *out)
{
    uint64_t v;
    uint64_t vendor;
    uint64_t profile;
    size_t width;

    memset(out, 0, sizeof(*out));
    switch (form) {
    case MFAB_TLV__TAG_ANON:
        out->kind = MFAB_TLV_TAG_ANONYMOUS;
        return 0;
    case MFAB_TLV__TAG_CTX:
        out->kind = MFAB_TLV_TAG_CONTEXT;
        width = 1;
        break;
    case MFAB_TLV__TAG_COMMON2:
    case MFAB_TLV__TAG_COMMON4:
        out->kind = MFAB_TLV_TAG_COMMON;
        width = form == MFAB_TLV__TAG_COMMON2 ? 2 : 4;
        break;
    case MFAB_TLV__TAG_IMPL2:
    case MFAB_TLV__TAG_IMPL4:
        out->kind = MFAB_TLV_TAG_IMPLICIT;
        width = form == MFAB_TLV__TAG_IMPL2 ? 2 : 4;
        break;
    default: /* MFAB_TLV__TAG_FULL6, MFAB_TLV__TAG_FULL8 */
        out->kind = MFAB_TLV_TAG_FULL;
        if (take_le(c, 2, &vendor) < 0 || take_le(c, 2, &profile) < 0)
            return MFAB_EFORMAT;
        out->vendor = (uint16_t)vendor;
        out->profile = (uint16_t)profile;
        width = form == MFAB_TLV__TAG_FULL6 ? 2 : 4;
        break;
    }
    if (take_le(c, width, &v) < 0)
        return MFAB_EFORMAT;
    out->number = (uint32_t)v;
    return 0;
}

/* Two's complement value of the low width bytes of v. */
static int64_t
sign_extend(uint64_t v, size_t width)
{
    uint64_t sign;
    uint64_t mask;

    if (width == 8)
        return (int64_t)v;
    sign = (uint64_t)1 << (8 * width - 1);
    mask = (sign << 1) - 1;
    v &= mask;
    /* v - 2^(8*width), computed without leaving int64_t's range */
    if (v & sign)
        return -(int64_t)(mask - v) - 1;
    return (int64_t)v;
}

/* Value part of a scalar or string element. */
static int
read_value(mfab_cursor *c, uint8_t type, mfab_tlv_element *out)
{
    static const uint8_t widths[4] = { 1, 2, 4, 8 };
    uint64_t v;

    if (type <= 0x07) { /* signed 0x00..0x03, unsigned 0x04..0x07 */
        out->width = widths[type & 3];
        if (take_le(c, out->width, &v) < 0)
            return MFAB_EFORMAT;
        if (type < MFAB_TLV__T_UINT) {
            out->type = MFAB_TLV_INT;
            out->v.i = sign_extend(v, out->width);
        } else {
            out->type = MFAB_TLV_UINT;
            out->v.u = v;
        }
        return 0;
    }
    if (type == MFAB_TLV__T_FALSE || type == MFAB_TLV__T_TRUE) {
        out->type = MFAB_TLV_BOOL;
        out->v.b = type == MFAB_TLV__T_TRUE;
        return 0;
    }
    if (type == MFAB_TLV__T_FLOAT) {
        float f;
        uint32_t bits;

        out->type = MFAB_TLV_FLOAT;
        out->width = 4;
        if (take_le(c, 4, &v) < 0)
            return MFAB_EFORMAT;
        bits = (uint32_t)v;
        memcpy(&f, &bits, sizeof(f));
        out->v.f = f;
        return 0;
    }
    if (type == MFAB_TLV__T_DOUBLE) {
        out->type = MFAB_TLV_DOUBLE;
        out->width = 8;
        if (take_le(c, 8, &v) < 0)
            return MFAB_EFORMAT;
        memcpy(&out->v.f, &v, sizeof(v));
        return 0;
    }
    if (type >= MFAB_TLV__T_UTF8 && type < MFAB_TLV__T_NULL) {
        const uint8_t *p;

        out->type = type < MFAB_TLV__T_BYTES ? MFAB_TLV_UTF8 : MFAB_TLV_BYTES;
        out->width = widths[type & 3];
        if (take_le(c, out->width, &v) < 0)
            return MFAB_EFORMAT;
        if (v > mfab_cursor_left(c))
            return MFAB_EFORMAT;
        if (mfab_cursor_take(c, &p, (size_t)v) < 0)
            return MFAB_EFORMAT;
        out->v.s.p = p;
        out->v.s.len = (size_t)v;
        return 0;
    }
    if (type == MFAB_TLV__T_NULL) {
        out->type = MFAB_TLV_NULL;
        return 0;
    }
    return MFAB_EFORMAT; /* containers and END are handled by the caller */
}

/* see matterfab/tlv.h */
int
mfab_tlv_next(mfab_tlv_reader *r, mfab_tlv_element *out)
{
    mfab_cursor c;
    uint8_t ctl;
    uint8_t type;
    unsigned kind = 0;
    const uint8_t *p;

    memset(out, 0, sizeof(*out));
    if (r->p == NULL || r->p == r->end)
        return r->depth == 0 ? MFAB_ENOTFOUND : MFAB_EFORMAT;
    mfab_cursor_init(&c, r->p, (size_t)(r->end - r->p));
    if (mfab_cursor_take(&c, &p, 1) < 0)
        return MFAB_EFORMAT;
    ctl = p[0];
    type = ctl & MFAB_TLV__TYPE_MASK;
    if (type > MFAB_TLV__T_END)
        return MFAB_EFORMAT;
    if (read_tag(&c, ctl & MFAB_TLV__TAG_MASK, &out->tag) < 0)
        return MFAB_EFORMAT;

    if (type == MFAB_TLV__T_END) {
        if (r->depth == 0 || out->tag.kind != MFAB_TLV_TAG_ANONYMOUS)
            return MFAB_EFORMAT;
        out->type = MFAB_TLV_END;
    } else {
        if (!mfab_tlv__tag_allowed(mfab_tlv__kind_at(r->kinds, r->depth),
                                   out->tag))
            return MFAB_EFORMAT;
        switch (type) {
        case MFAB_TLV__T_STRUCT:
            out->type = MFAB_TLV_STRUCT;
            kind = MFAB_TLV__KIND_STRUCT;
            break;
        case MFAB_TLV__T_ARRAY:
            out->type = MFAB_TLV_ARRAY;
            kind = MFAB_TLV__KIND_ARRAY;
            break;
        case MFAB_TLV__T_LIST:
            out->type = MFAB_TLV_LIST;
            kind = MFAB_TLV__KIND_LIST;
            break;
        default:
            if (read_value(&c, type, out) < 0)
                return MFAB_EFORMAT;
            break;
        }
        if (kind != 0 && r->depth >= MFAB_TLV_MAX_DEPTH)
            return MFAB_EFORMAT;
    }

    /* the element is whole: commit */
    out->start = r->p;
    out->encoded_len = (size_t)(c.p - r->p);
    r->p = c.p;
    if (type == MFAB_TLV__T_END) {
        r->depth--;
    } else if (kind != 0) {
        r->kinds = mfab_tlv__kind_push(r->kinds, r->depth, kind);
        r->depth++;
    }
    return 0;
}

/* see matterfab/tlv.h */
int
mfab_tlv_skip_container(mfab_tlv_reader *r)
{
    mfab_tlv_element e;
    int target;
    int rc;

    if (r->depth == 0)
        return MFAB_EFORMAT;
    target = r->depth - 1;
    while (r->depth > target) {
        rc = mfab_tlv_next(r, &e);
        if (rc < 0)
            return MFAB_EFORMAT;
    }
    return 0;
}
