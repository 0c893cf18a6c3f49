/*
 * tlv_write.c: Matter TLV encoder (Matter Core Specification, Appendix A,
 * "Tag-length-value (TLV) Encoding Format").
 *
 * Element on the wire, all multi-byte fields little-endian:
 *
 *   +---------+-----------+---------------------+-----------------+
 *   | control | tag 0..8  | value, or length    | string bytes    |
 *   | 1 byte  | bytes     | field 1/2/4/8 bytes | (strings only)  |
 *   +---------+-----------+---------------------+-----------------+
 *   control = tag form (bits 7..5) | element type (bits 4..0)
 *
 *   tag      anonymous: -     context: n(1)     common: n(2|4)
 *   bytes    implicit: n(2|4)   fully qualified: vendor(2) profile(2) n(2|4)
 *
 * The writer always picks the shortest tag form and, in the plain put
 * calls, the smallest value or length width (A.7: the encoder is free to,
 * and CHIP's TLVWriter::Put does, so byte-exact output depends on it).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/tlv.h"
#include "tlv/tlv_internal.h"

/* control + longest tag + longest value or length field */
#define HEAD_MAX (1 + 8 + 8)

/* see matterfab/tlv.h */
void
mfab_tlv_writer_init(mfab_tlv_writer *w, uint8_t *buf, size_t cap)
{
    w->buf = buf;
    w->cap = buf == NULL ? 0 : cap;
    w->len = 0;
    w->depth = 0;
    w->err = 0;
    w->kinds = 0;
}

/* A misuse beats a short buffer: the caller must fix the code, not the
 * buffer size. */
static int
fail(mfab_tlv_writer *w, int code)
{
    if (w->err != MFAB_EINVAL)
        w->err = code;
    return w->err;
}

/*
 * Append one element (head, then string data) whole, or only count it once
 * it no longer fits, so that a short buffer never ends in half an element.
 */
static void
emit(mfab_tlv_writer *w, const uint8_t *head, size_t n, const void *data,
     size_t dlen)
{
    size_t total = n + dlen;

    if (w->buf != NULL && w->err == 0) {
        if (w->len <= w->cap && total <= w->cap - w->len) {
            memcpy(w->buf + w->len, head, n);
            if (dlen > 0)
                memcpy(w->buf + w->len + n, data, dlen);
        } else {
            w->err = MFAB_EBUFS;
        }
    }
    w->len += total;
}

/* log2 of a width of 1, 2, 4 or 8 bytes: the offset within a type family */
static int
width_code(size_t width)
{
    switch (width) {
    case 1:
        return 0;
    case 2:
        return 1;
    case 4:
        return 2;
    case 8:
        return 3;
    default:
        return -1;
    }
}

static size_t
uint_width(uint64_t v)
{
    if (v <= 0xFF)
        return 1;
    if (v <= 0xFFFF)
        return 2;
    if (v <= 0xFFFFFFFFu)
        return 4;
    return 8;
}

static size_t
int_width(int64_t v)
{
    if (v >= INT8_MIN && v <= INT8_MAX)
        return 1;
    if (v >= INT16_MIN && v <= INT16_MAX)
        return 2;
    if (v >= INT32_MIN && v <= INT32_MAX)
        return 4;
    return 8;
}

static void
put_le(uint8_t *p, uint64_t v, size_t width)
{
    size_t i;

    for (i = 0; i < width; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/*
 * Control byte and tag into hdr; returns the bytes used, or 0 when the tag
 * cannot be encoded or may not appear in the open container.
 */
static size_t
encode_head(const mfab_tlv_writer *w, uint8_t *hdr, mfab_tlv_tag tag,
            uint8_t type)
{
    uint8_t form;
    size_t n = 1;

    if (type != MFAB_TLV__T_END &&
        !mfab_tlv__tag_allowed(mfab_tlv__kind_at(w->kinds, w->depth), tag))
        return 0;
    switch (tag.kind) {
    case MFAB_TLV_TAG_ANONYMOUS:
        form = MFAB_TLV__TAG_ANON;
        break;
    case MFAB_TLV_TAG_CONTEXT:
        if (tag.number > 0xFF)
            return 0;
        form = MFAB_TLV__TAG_CTX;
        hdr[n++] = (uint8_t)tag.number;
        break;
    case MFAB_TLV_TAG_COMMON:
    case MFAB_TLV_TAG_IMPLICIT: {
        int small = tag.number <= 0xFFFF;
        int common = tag.kind == MFAB_TLV_TAG_COMMON;

        if (common)
            form = small ? MFAB_TLV__TAG_COMMON2 : MFAB_TLV__TAG_COMMON4;
        else
            form = small ? MFAB_TLV__TAG_IMPL2 : MFAB_TLV__TAG_IMPL4;
        put_le(hdr + n, tag.number, small ? 2 : 4);
        n += small ? 2 : 4;
        break;
    }
    case MFAB_TLV_TAG_FULL:
        form = tag.number <= 0xFFFF ? MFAB_TLV__TAG_FULL6
                                    : MFAB_TLV__TAG_FULL8;
        mfab_put_le16(hdr + n, tag.vendor);
        mfab_put_le16(hdr + n + 2, tag.profile);
        n += 4;
        put_le(hdr + n, tag.number, tag.number <= 0xFFFF ? 2 : 4);
        n += tag.number <= 0xFFFF ? 2 : 4;
        break;
    default:
        return 0;
    }
    hdr[0] = (uint8_t)(form | type);
    return n;
}

/*
 * One element: head, then vlen bytes of the little-endian number v (value
 * or length field), then dlen bytes of string data.
 */
static int
put_elem(mfab_tlv_writer *w, mfab_tlv_tag tag, uint8_t type, uint64_t v,
         size_t vlen, const void *data, size_t dlen)
{
    uint8_t hdr[HEAD_MAX];
    size_t n;

    if (w->err == MFAB_EINVAL)
        return w->err;
    n = encode_head(w, hdr, tag, type);
    if (n == 0)
        return fail(w, MFAB_EINVAL);
    put_le(hdr + n, v, vlen);
    n += vlen;
    if (dlen > SIZE_MAX - HEAD_MAX - w->len)
        return fail(w, MFAB_EINVAL);
    emit(w, hdr, n, data, dlen);
    return w->err;
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_uint(mfab_tlv_writer *w, mfab_tlv_tag tag, uint64_t v)
{
    size_t width = uint_width(v);

    return put_elem(w, tag, (uint8_t)(MFAB_TLV__T_UINT + width_code(width)),
                    v, width, NULL, 0);
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_int(mfab_tlv_writer *w, mfab_tlv_tag tag, int64_t v)
{
    size_t width = int_width(v);

    return put_elem(w, tag, (uint8_t)(MFAB_TLV__T_INT + width_code(width)),
                    (uint64_t)v, width, NULL, 0);
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_bool(mfab_tlv_writer *w, mfab_tlv_tag tag, int v)
{
    return put_elem(w, tag, v ? MFAB_TLV__T_TRUE : MFAB_TLV__T_FALSE, 0, 0,
                    NULL, 0);
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_null(mfab_tlv_writer *w, mfab_tlv_tag tag)
{
    return put_elem(w, tag, MFAB_TLV__T_NULL, 0, 0, NULL, 0);
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_float(mfab_tlv_writer *w, mfab_tlv_tag tag, float v)
{
    uint32_t bits;

    memcpy(&bits, &v, sizeof(bits));
    return put_elem(w, tag, MFAB_TLV__T_FLOAT, bits, 4, NULL, 0);
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_double(mfab_tlv_writer *w, mfab_tlv_tag tag, double v)
{
    uint64_t bits;

    memcpy(&bits, &v, sizeof(bits));
    return put_elem(w, tag, MFAB_TLV__T_DOUBLE, bits, 8, NULL, 0);
}

static int
put_string(mfab_tlv_writer *w, mfab_tlv_tag tag, uint8_t family,
           const void *data, size_t len, size_t width)
{
    if (data == NULL && len > 0)
        return fail(w, MFAB_EINVAL);
    return put_elem(w, tag, (uint8_t)(family + width_code(width)), len,
                    width, data, len);
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_bytes(mfab_tlv_writer *w, mfab_tlv_tag tag, const void *data,
                   size_t len)
{
    return put_string(w, tag, MFAB_TLV__T_BYTES, data, len, uint_width(len));
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_utf8(mfab_tlv_writer *w, mfab_tlv_tag tag, const char *s,
                  size_t len)
{
    return put_string(w, tag, MFAB_TLV__T_UTF8, s, len, uint_width(len));
}

/* see matterfab/tlv.h */
int
mfab_tlv_start(mfab_tlv_writer *w, mfab_tlv_tag tag, mfab_tlv_type type)
{
    uint8_t code;
    unsigned kind;
    int rc;

    if (w->err == MFAB_EINVAL)
        return w->err;
    switch (type) {
    case MFAB_TLV_STRUCT:
        code = MFAB_TLV__T_STRUCT;
        kind = MFAB_TLV__KIND_STRUCT;
        break;
    case MFAB_TLV_ARRAY:
        code = MFAB_TLV__T_ARRAY;
        kind = MFAB_TLV__KIND_ARRAY;
        break;
    case MFAB_TLV_LIST:
        code = MFAB_TLV__T_LIST;
        kind = MFAB_TLV__KIND_LIST;
        break;
    default:
        return fail(w, MFAB_EINVAL);
    }
    if (w->depth >= MFAB_TLV_MAX_DEPTH)
        return fail(w, MFAB_EINVAL);
    rc = put_elem(w, tag, code, 0, 0, NULL, 0);
    if (rc == MFAB_EINVAL)
        return rc;
    w->kinds = mfab_tlv__kind_push(w->kinds, w->depth, kind);
    w->depth++;
    return rc;
}

/* see matterfab/tlv.h */
int
mfab_tlv_end(mfab_tlv_writer *w)
{
    int rc;

    if (w->err == MFAB_EINVAL)
        return w->err;
    if (w->depth == 0)
        return fail(w, MFAB_EINVAL);
    rc = put_elem(w, mfab_tlv_anon(), MFAB_TLV__T_END, 0, 0, NULL, 0);
    if (rc == MFAB_EINVAL)
        return rc;
    w->depth--;
    return rc;
}

/* 1 when v, read as the given signedness, is representable in width bytes */
static int
fits(uint64_t v, int is_signed, size_t width)
{
    if (width == 8)
        return 1;
    if (is_signed) {
        int64_t s = (int64_t)v;
        int64_t lim = (int64_t)1 << (8 * width - 1);

        return s >= -lim && s < lim;
    }
    return v < ((uint64_t)1 << (8 * width));
}

/* see matterfab/tlv.h */
int
mfab_tlv_put_element(mfab_tlv_writer *w, const mfab_tlv_element *e)
{
    int wc = width_code(e->width);

    switch (e->type) {
    case MFAB_TLV_INT:
    case MFAB_TLV_UINT: {
        int is_signed = e->type == MFAB_TLV_INT;

        if (wc < 0 || !fits(e->v.u, is_signed, e->width))
            return fail(w, MFAB_EINVAL);
        return put_elem(w, e->tag,
                        (uint8_t)((is_signed ? MFAB_TLV__T_INT
                                             : MFAB_TLV__T_UINT) + wc),
                        e->v.u, e->width, NULL, 0);
    }
    case MFAB_TLV_BOOL:
        return mfab_tlv_put_bool(w, e->tag, e->v.b);
    case MFAB_TLV_NULL:
        return mfab_tlv_put_null(w, e->tag);
    case MFAB_TLV_FLOAT:
        /* narrowing an out-of-range double to float is undefined */
        if (!isinf(e->v.f) && (e->v.f > FLT_MAX || e->v.f < -FLT_MAX))
            return fail(w, MFAB_EINVAL);
        return mfab_tlv_put_float(w, e->tag, (float)e->v.f);
    case MFAB_TLV_DOUBLE:
        return mfab_tlv_put_double(w, e->tag, e->v.f);
    case MFAB_TLV_UTF8:
    case MFAB_TLV_BYTES:
        if (wc < 0 || !fits(e->v.s.len, 0, e->width))
            return fail(w, MFAB_EINVAL);
        return put_string(w, e->tag,
                          e->type == MFAB_TLV_UTF8 ? MFAB_TLV__T_UTF8
                                                   : MFAB_TLV__T_BYTES,
                          e->v.s.p, e->v.s.len, e->width);
    case MFAB_TLV_STRUCT:
    case MFAB_TLV_ARRAY:
    case MFAB_TLV_LIST:
        return mfab_tlv_start(w, e->tag, e->type);
    case MFAB_TLV_END:
        return mfab_tlv_end(w);
    default:
        return fail(w, MFAB_EINVAL);
    }
}

/* see matterfab/tlv.h */
int
mfab_tlv_writer_finish(mfab_tlv_writer *w, size_t *out_len)
{
    if (out_len != NULL)
        *out_len = w->len;
    if (w->err != 0)
        return w->err;
    if (w->depth != 0)
        return fail(w, MFAB_EINVAL);
    return 0;
}
