/*
 * cd_tlv.c: the Certification Declaration content, a Matter TLV structure
 * (Matter Core Specification 6.3.1; shared/spec/attestation.md sections
 * 4.1 and 4.2), encoded and decoded with the shared TLV codec
 * (matterfab/tlv.h).
 *
 *   15                              anonymous structure
 *     24 00 01                      0  format_version        uint
 *     25 01 F2 FF                   1  vendor_id             uint16
 *     36 02 (05 01 80)* 18          2  product_id_array      [uint16]
 *     25 03 34 12                   3  device_type_id        uint32
 *     2C 04 13 "ZIG20141ZB330001-24"  4  certificate_id      utf8[19]
 *     24 05 00                      5  security_level        uint8
 *     24 06 00                      6  security_information  uint16
 *     25 07 76 98                   7  version_number        uint16
 *     24 08 00                      8  certification_type    uint8
 *     25 09 F1 FF  25 0A 00 80      9, 10 dac_origin VID, PID (both or none)
 *     36 0B (10 14 <SKID>)* 18      11 authorized_paa_list   [bytes[20]]
 *   18
 *
 * Integers take the smallest width on encode; on decode the width is free
 * but the value must fit the field (the SDK's rule).
 */
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/cd.h"
#include "matterfab/tlv.h"

/* Field names by tag, for messages. */
static const char *const field_names[] = {
    "format_version",        "vendor_id",
    "product_id_array",      "device_type_id",
    "certificate_id",        "security_level",
    "security_information",  "version_number",
    "certification_type",    "dac_origin_vendor_id",
    "dac_origin_product_id", "authorized_paa_list",
};

/* see matterfab/cd.h */
void
mfab_cd_content_init(mfab_cd_content *out)
{
    memset(out, 0, sizeof(*out));
    out->format_version = 1;
}

/* see matterfab/cd.h */
int
mfab_cd_content_check(const mfab_cd_content *c, mfab_diag *diag)
{
    size_t i;

    if (c->format_version != 1)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: 'format_version' is %u (allowed: 1)",
                             c->format_version);
    if (c->vendor_id == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: 'vendor_id' is 0 (allowed 0x0001..0xFFFF)");
    if (c->product_id_count == 0 || c->product_id_count > MFAB_CD_MAX_PIDS)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: 'product_id_array' has %zu entries "
                             "(allowed 1..%d)",
                             c->product_id_count, MFAB_CD_MAX_PIDS);
    for (i = 0; i < c->product_id_count; i++)
        if (c->product_ids[i] == 0)
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "cd: 'product_id_array' entry %zu is 0 "
                                 "(allowed 0x0001..0xFFFF)",
                                 i + 1);
    if (strnlen(c->certificate_id, sizeof(c->certificate_id)) !=
        MFAB_CD_CERT_ID_LEN)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: 'certificate_id' '%.*s' is not %d "
                             "characters",
                             (int)sizeof(c->certificate_id), c->certificate_id,
                             MFAB_CD_CERT_ID_LEN);
    if (c->version_number == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: 'version_number' is 0 (allowed "
                             "0x0001..0xFFFF)");
    if (c->certification_type > MFAB_CD_TYPE_OFFICIAL)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: 'certification_type' is %u (allowed 0 "
                             "development, 1 provisional, 2 official)",
                             c->certification_type);
    if (c->has_dac_origin &&
        (c->dac_origin_vendor_id == 0 || c->dac_origin_product_id == 0))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: 'dac_origin_vendor_id' and "
                             "'dac_origin_product_id' must both be set and "
                             "non-zero");
    if (c->has_authorized_paa_list &&
        c->authorized_paa_count > MFAB_CD_MAX_PAAS)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: 'authorized_paa_list' has %zu entries "
                             "(allowed up to %d)",
                             c->authorized_paa_count, MFAB_CD_MAX_PAAS);
    return 0;
}

/* see matterfab/cd.h */
int
mfab_cd_encode_content(uint8_t *buf, size_t cap, size_t *out_len,
                       const mfab_cd_content *c, mfab_diag *diag)
{
    mfab_tlv_writer w;
    size_t i;
    int rc;

    *out_len = 0;
    rc = mfab_cd_content_check(c, diag);
    if (rc < 0)
        return rc;
    mfab_tlv_writer_init(&w, buf, buf == NULL ? 0 : cap);
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(0), c->format_version);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(1), c->vendor_id);
    mfab_tlv_start(&w, mfab_tlv_ctx(2), MFAB_TLV_ARRAY);
    for (i = 0; i < c->product_id_count; i++)
        mfab_tlv_put_uint(&w, mfab_tlv_anon(), c->product_ids[i]);
    mfab_tlv_end(&w);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(3), c->device_type_id);
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(4), c->certificate_id,
                      MFAB_CD_CERT_ID_LEN);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(5), c->security_level);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(6), c->security_information);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(7), c->version_number);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(8), c->certification_type);
    if (c->has_dac_origin) {
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(9), c->dac_origin_vendor_id);
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(10), c->dac_origin_product_id);
    }
    if (c->has_authorized_paa_list) {
        mfab_tlv_start(&w, mfab_tlv_ctx(11), MFAB_TLV_ARRAY);
        for (i = 0; i < c->authorized_paa_count; i++)
            mfab_tlv_put_bytes(&w, mfab_tlv_anon(), c->authorized_paa_list[i],
                               MFAB_CD_SKID_LEN);
        mfab_tlv_end(&w);
    }
    mfab_tlv_end(&w);
    rc = mfab_tlv_writer_finish(&w, out_len);
    if (rc == MFAB_EBUFS && buf == NULL)
        return 0;
    if (rc == MFAB_EBUFS)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "cd: content needs %zu bytes, buffer has %zu",
                             *out_len, cap);
    if (rc < 0)
        return mfab_diag_set(diag, rc, "cd: cannot encode the content");
    return 0;
}

/* ---- decoder ------------------------------------------------------- */

typedef struct decoder {
    mfab_tlv_reader r;
    mfab_tlv_element e;  /* the element just read */
    const uint8_t *base; /* start of the content, for offsets */
    mfab_diag *diag;
} decoder;

/* Read the next element; "what" names the field expected there. */
static int
next(decoder *d, const char *what)
{
    int rc = mfab_tlv_next(&d->r, &d->e);

    if (rc == MFAB_ENOTFOUND)
        return mfab_diag_set(d->diag, MFAB_EFORMAT,
                             "cd: content ends before '%s'", what);
    if (rc < 0)
        return mfab_diag_set(d->diag, MFAB_EFORMAT,
                             "cd: content is not valid TLV at offset %zu "
                             "(reading '%s')",
                             (size_t)(d->r.p - d->base), what);
    return 0;
}

static int
is_ctx(const mfab_tlv_element *e, unsigned tag)
{
    return e->tag.kind == MFAB_TLV_TAG_CONTEXT && e->tag.number == tag;
}

/* The element just read must be context tag `tag` holding an unsigned
 * integer no larger than max. */
static int
get_uint(decoder *d, unsigned tag, uint64_t max, uint64_t *out)
{
    if (d->e.type == MFAB_TLV_END || !is_ctx(&d->e, tag))
        return mfab_diag_set(d->diag, MFAB_EFORMAT,
                             "cd: field '%s' (tag %u) is missing or out of "
                             "order",
                             field_names[tag], tag);
    if (d->e.type != MFAB_TLV_UINT)
        return mfab_diag_set(d->diag, MFAB_EFORMAT,
                             "cd: field '%s' is not an unsigned integer",
                             field_names[tag]);
    if (d->e.v.u > max)
        return mfab_diag_set(d->diag, MFAB_ERANGE,
                             "cd: field '%s' value %llu is out of range "
                             "(allowed 0..%llu)",
                             field_names[tag], (unsigned long long)d->e.v.u,
                             (unsigned long long)max);
    *out = d->e.v.u;
    return 0;
}

/* Read the field with context tag `tag` as an unsigned integer. */
static int
read_uint(decoder *d, unsigned tag, uint64_t max, uint64_t *out)
{
    int rc = next(d, field_names[tag]);

    if (rc < 0)
        return rc;
    return get_uint(d, tag, max, out);
}

static int
read_pids(decoder *d, mfab_cd_content *out)
{
    int rc = next(d, field_names[2]);

    if (rc < 0)
        return rc;
    if (d->e.type == MFAB_TLV_END || !is_ctx(&d->e, 2) ||
        d->e.type != MFAB_TLV_ARRAY)
        return mfab_diag_set(d->diag, MFAB_EFORMAT,
                             "cd: field 'product_id_array' (tag 2) is "
                             "missing, out of order or not an array");
    for (;;) {
        rc = next(d, "product_id_array entry");
        if (rc < 0)
            return rc;
        if (d->e.type == MFAB_TLV_END)
            return 0;
        if (d->e.type != MFAB_TLV_UINT || d->e.v.u > 0xFFFF)
            return mfab_diag_set(d->diag, MFAB_EFORMAT,
                                 "cd: 'product_id_array' entry %zu is not a "
                                 "16-bit unsigned integer",
                                 out->product_id_count + 1);
        if (out->product_id_count == MFAB_CD_MAX_PIDS)
            return mfab_diag_set(d->diag, MFAB_ERANGE,
                                 "cd: 'product_id_array' has more than %d "
                                 "entries",
                                 MFAB_CD_MAX_PIDS);
        out->product_ids[out->product_id_count++] = (uint16_t)d->e.v.u;
    }
}

static int
read_cert_id(decoder *d, mfab_cd_content *out)
{
    int rc = next(d, field_names[4]);

    if (rc < 0)
        return rc;
    if (d->e.type == MFAB_TLV_END || !is_ctx(&d->e, 4) ||
        d->e.type != MFAB_TLV_UTF8)
        return mfab_diag_set(d->diag, MFAB_EFORMAT,
                             "cd: field 'certificate_id' (tag 4) is "
                             "missing, out of order or not a UTF-8 string");
    if (d->e.v.s.len != MFAB_CD_CERT_ID_LEN)
        return mfab_diag_set(d->diag, MFAB_ERANGE,
                             "cd: 'certificate_id' is %zu bytes (allowed "
                             "%d)",
                             d->e.v.s.len, MFAB_CD_CERT_ID_LEN);
    memcpy(out->certificate_id, d->e.v.s.p, MFAB_CD_CERT_ID_LEN);
    out->certificate_id[MFAB_CD_CERT_ID_LEN] = '\0';
    return 0;
}

/* The element just read opened authorized_paa_list. */
static int
read_paas(decoder *d, mfab_cd_content *out)
{
    int rc;

    if (d->e.type != MFAB_TLV_ARRAY)
        return mfab_diag_set(d->diag, MFAB_EFORMAT,
                             "cd: 'authorized_paa_list' is not an array");
    out->has_authorized_paa_list = 1;
    for (;;) {
        rc = next(d, "authorized_paa_list entry");
        if (rc < 0)
            return rc;
        if (d->e.type == MFAB_TLV_END)
            return 0;
        if (d->e.type != MFAB_TLV_BYTES)
            return mfab_diag_set(d->diag, MFAB_EFORMAT,
                                 "cd: 'authorized_paa_list' entry %zu is "
                                 "not a byte string",
                                 out->authorized_paa_count + 1);
        if (d->e.v.s.len != MFAB_CD_SKID_LEN)
            return mfab_diag_set(d->diag, MFAB_ERANGE,
                                 "cd: 'authorized_paa_list' entry %zu is "
                                 "%zu bytes (allowed %d)",
                                 out->authorized_paa_count + 1, d->e.v.s.len,
                                 MFAB_CD_SKID_LEN);
        if (out->authorized_paa_count == MFAB_CD_MAX_PAAS)
            return mfab_diag_set(d->diag, MFAB_ERANGE,
                                 "cd: 'authorized_paa_list' has more than "
                                 "%d entries",
                                 MFAB_CD_MAX_PAAS);
        memcpy(out->authorized_paa_list[out->authorized_paa_count++],
               d->e.v.s.p, MFAB_CD_SKID_LEN);
    }
}

/* After tag 8: optional 9+10, optional 11, then skip unknown members. */
static int
read_optional(decoder *d, mfab_cd_content *out)
{
    uint64_t v = 0;
    int rc = next(d, "end of structure");

    if (rc < 0)
        return rc;
    if (is_ctx(&d->e, 9) && d->e.type != MFAB_TLV_END) {
        rc = get_uint(d, 9, 0xFFFF, &v);
        if (rc < 0)
            return rc;
        out->dac_origin_vendor_id = (uint16_t)v;
        rc = read_uint(d, 10, 0xFFFF, &v);
        if (rc < 0)
            return rc;
        out->dac_origin_product_id = (uint16_t)v;
        out->has_dac_origin = 1;
        rc = next(d, "end of structure");
        if (rc < 0)
            return rc;
    } else if (is_ctx(&d->e, 10) && d->e.type != MFAB_TLV_END) {
        return mfab_diag_set(d->diag, MFAB_EFORMAT,
                             "cd: 'dac_origin_product_id' (tag 10) without "
                             "'dac_origin_vendor_id' (tag 9)");
    }
    if (is_ctx(&d->e, 11) && d->e.type != MFAB_TLV_END) {
        rc = read_paas(d, out);
        if (rc < 0)
            return rc;
        rc = next(d, "end of structure");
        if (rc < 0)
            return rc;
    }
    /* Later revisions may add fields: skip what follows, as the SDK does. */
    while (d->e.type != MFAB_TLV_END) {
        if (d->e.type == MFAB_TLV_STRUCT || d->e.type == MFAB_TLV_ARRAY ||
            d->e.type == MFAB_TLV_LIST) {
            rc = mfab_tlv_skip_container(&d->r);
            if (rc < 0)
                return mfab_diag_set(d->diag, MFAB_EFORMAT,
                                     "cd: content is not valid TLV after "
                                     "'certification_type'");
        }
        rc = next(d, "end of structure");
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* see matterfab/cd.h */
int
mfab_cd_decode_content(mfab_cd_content *out, const uint8_t *buf, size_t len,
                       mfab_diag *diag)
{
    static const uint64_t max[9] = {0xFFFF, 0xFFFF, 0,      0xFFFFFFFFu, 0,
                                    0xFF,   0xFFFF, 0xFFFF, 0xFF};
    uint64_t v[9] = {0};
    decoder d;
    unsigned tag;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&d, 0, sizeof(d));
    d.diag = diag;
    d.base = buf;
    mfab_tlv_reader_init(&d.r, buf, buf == NULL ? 0 : len);
    rc = next(&d, "structure");
    if (rc < 0)
        return rc;
    if (d.e.type != MFAB_TLV_STRUCT || d.e.tag.kind != MFAB_TLV_TAG_ANONYMOUS)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: content does not start with an anonymous "
                             "structure");
    for (tag = 0; tag <= 8; tag++) {
        if (tag == 2)
            rc = read_pids(&d, out);
        else if (tag == 4)
            rc = read_cert_id(&d, out);
        else
            rc = read_uint(&d, tag, max[tag], &v[tag]);
        if (rc < 0)
            return rc;
    }
    out->format_version = (uint16_t)v[0];
    out->vendor_id = (uint16_t)v[1];
    out->device_type_id = (uint32_t)v[3];
    out->security_level = (uint8_t)v[5];
    out->security_information = (uint16_t)v[6];
    out->version_number = (uint16_t)v[7];
    out->certification_type = (uint8_t)v[8];
    rc = read_optional(&d, out);
    if (rc < 0)
        return rc;
    if (mfab_tlv_next(&d.r, &d.e) != MFAB_ENOTFOUND)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: bytes follow the content structure");
    return 0;
}
