/*
 * ota_read.c: Matter OTA image reader (shared/spec/production-images.md
 * sections 1.1-1.3), as lenient as ota_image_tool.py "show" but never
 * reading past the buffer.
 *
 *   0   1e f1 ee 1b             FileIdentifier 0x1BEEF11E (LE)
 *   4   TotalSize   u64 LE
 *   12  HeaderSize  u32 LE      TLV bytes only
 *   16  15                      anonymous structure
 *         24/25/26/27 tag LE-int    unsigned ints   (tags 0,1,2,4,5,6,8)
 *         2c/2d/2e/2f tag LE-len s  UTF-8 strings   (tags 3, 7)
 *         30/31/32/33 tag LE-len b  byte string     (tag 9)
 *       18                      end of structure
 *   16+HeaderSize               payload
 */
#include <string.h>

#include "matterfab/tlv.h"
#include "ota/ota_internal.h"

static const char *const names[MFAB_OTA__TAG_COUNT] = {
    "vendor id",        "product id",          "software version",
    "version string",   "payload size",        "min applicable version",
    "max applicable version", "release notes url", "digest type",
    "digest",
};

static mfab_tlv_type
expected_type(uint32_t tag)
{
    if (tag == MFAB_OTA__TAG_VERSION_STRING ||
        tag == MFAB_OTA__TAG_RELEASE_NOTES)
        return MFAB_TLV_UTF8;
    if (tag == MFAB_OTA__TAG_DIGEST)
        return MFAB_TLV_BYTES;
    return MFAB_TLV_UINT;
}

static void
store(mfab_ota_header *h, uint32_t tag, const mfab_tlv_element *e)
{
    switch (tag) {
    case MFAB_OTA__TAG_VENDOR_ID: h->vendor_id = e->v.u; break;
    case MFAB_OTA__TAG_PRODUCT_ID: h->product_id = e->v.u; break;
    case MFAB_OTA__TAG_VERSION: h->software_version = e->v.u; break;
    case MFAB_OTA__TAG_VERSION_STRING:
        h->version_string = (const char *)e->v.s.p;
        h->version_string_len = e->v.s.len;
        break;
    case MFAB_OTA__TAG_PAYLOAD_SIZE: h->payload_size = e->v.u; break;
    case MFAB_OTA__TAG_MIN_VERSION:
        h->has_min_version = 1;
        h->min_version = e->v.u;
        break;
    case MFAB_OTA__TAG_MAX_VERSION:
        h->has_max_version = 1;
        h->max_version = e->v.u;
        break;
    case MFAB_OTA__TAG_RELEASE_NOTES:
        /* a zero-length URL must still read as present */
        h->release_notes_url = e->v.s.len ? (const char *)e->v.s.p : "";
        h->release_notes_url_len = e->v.s.len;
        break;
    case MFAB_OTA__TAG_DIGEST_TYPE: h->digest_type = e->v.u; break;
    default:
        h->digest = e->v.s.p;
        h->digest_len = e->v.s.len;
        break;
    }
}

static void
note_order(mfab_ota__layout *layout, int tag)
{
    if (layout == NULL)
        return;
    if (layout->norder < MFAB_ARRAY_SIZE(layout->order))
        layout->order[layout->norder] = tag;
    layout->norder++;
}

/* Members of the structure, up to and including its END. */
static int
read_members(mfab_ota_header *h, mfab_ota__layout *layout,
             mfab_tlv_reader *r, const uint8_t *base, mfab_diag *diag)
{
    unsigned seen = 0;
    mfab_tlv_element e;
    uint32_t tag;
    int rc;

    for (;;) {
        rc = mfab_tlv_next(r, &e);
        if (rc < 0)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "ota: malformed or truncated header TLV "
                                 "near offset %zu",
                                 MFAB_OTA_FIXED_HEADER_LEN +
                                     (size_t)(r->p - base));
        if (e.type == MFAB_TLV_END)
            break;
        if (e.tag.kind != MFAB_TLV_TAG_CONTEXT ||
            e.tag.number >= MFAB_OTA__TAG_COUNT) {
            /* Unknown members are skipped, as the reference tool does. */
            note_order(layout, -1);
            if ((e.type == MFAB_TLV_STRUCT || e.type == MFAB_TLV_ARRAY ||
                 e.type == MFAB_TLV_LIST) &&
                mfab_tlv_skip_container(r) < 0)
                return mfab_diag_set(diag, MFAB_EFORMAT,
                                     "ota: malformed header TLV near offset "
                                     "%zu",
                                     MFAB_OTA_FIXED_HEADER_LEN +
                                         (size_t)(r->p - base));
            continue;
        }
        tag = e.tag.number;
        note_order(layout, (int)tag);
        if (e.type != expected_type(tag))
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "ota: header member %u (%s) has the wrong "
                                 "TLV type",
                                 tag, names[tag]);
        if (seen & (1u << tag))
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "ota: header member %u (%s) appears twice",
                                 tag, names[tag]);
        seen |= 1u << tag;
        store(h, tag, &e);
    }
    for (tag = 0; tag < MFAB_OTA__TAG_COUNT; tag++) {
        if (tag >= MFAB_OTA__TAG_MIN_VERSION &&
            tag <= MFAB_OTA__TAG_RELEASE_NOTES)
            continue;
        if (!(seen & (1u << tag)))
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "ota: header member %u (%s) is missing", tag,
                                 names[tag]);
    }
    return 0;
}

/* see ota_internal.h */
int
mfab_ota__parse(mfab_ota_image *out, mfab_ota__layout *layout,
                const uint8_t *buf, size_t len, mfab_diag *diag)
{
    mfab_tlv_reader r;
    mfab_tlv_element e;
    const uint8_t *tlv;
    int rc;

    memset(out, 0, sizeof(*out));
    if (layout != NULL)
        memset(layout, 0, sizeof(*layout));
    if (len < MFAB_OTA_FIXED_HEADER_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: truncated image: %zu bytes (the fixed "
                             "header alone is %d)",
                             len, MFAB_OTA_FIXED_HEADER_LEN);
    out->file_identifier = mfab_le32(buf);
    out->total_size = mfab_le64(buf + 4);
    out->header_size = mfab_le32(buf + 12);
    if (out->file_identifier != MFAB_OTA_FILE_IDENTIFIER)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: wrong file identifier '0x%08x' at offset "
                             "0 (expected 0x1beef11e): not a Matter OTA "
                             "image",
                             out->file_identifier);
    if (out->header_size > len - MFAB_OTA_FIXED_HEADER_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: truncated image: header size '%u' at "
                             "offset 12 runs past the end (%zu bytes)",
                             out->header_size, len);
    tlv = buf + MFAB_OTA_FIXED_HEADER_LEN;
    mfab_tlv_reader_init(&r, tlv, out->header_size);
    rc = mfab_tlv_next(&r, &e);
    if (rc < 0 || e.type != MFAB_TLV_STRUCT ||
        e.tag.kind != MFAB_TLV_TAG_ANONYMOUS)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: header TLV at offset 16 does not start "
                             "with an anonymous structure");
    rc = read_members(&out->header, layout, &r, tlv, diag);
    if (rc < 0)
        return rc;
    if (layout != NULL)
        layout->tlv_used = (size_t)(r.p - tlv);
    out->payload = tlv + out->header_size;
    out->payload_len = len - MFAB_OTA_FIXED_HEADER_LEN - out->header_size;
    return 0;
}

/* see matterfab/ota.h */
int
mfab_ota_parse(mfab_ota_image *out, const uint8_t *buf, size_t len,
               mfab_diag *diag)
{
    return mfab_ota__parse(out, NULL, buf, len, diag);
}
