/*
 * securecert_read.c: walking and searching esp_secure_cert TLV images the
 * way the firmware does (shared/spec/attestation.md 5.2-5.3).
 *
 *   0 magic u32 | 4 flags | 5 reserved[3] | 8 type | 9 subtype
 *   | 10 length u16 | 12 data | padding to 16 | CRC u32
 * The walk stops at the first word that is not the magic (0xFF erased
 * flash, or the FF FF 00 00 end marker of tool 2.3.6).
 */
#include "common/common_internal.h"
#include "matterfab/error.h"
#include "matterfab/securecert.h"
#include "securecert/securecert_internal.h"

/* see matterfab/securecert.h */
void
mfab_securecert_reader_init(mfab_securecert_reader *r, const uint8_t *image,
                            size_t len)
{
    r->image = image;
    r->len = len;
    r->pos = 0;
    r->index = 0;
}

/* see matterfab/securecert.h */
int
mfab_securecert_next(mfab_securecert_reader *r, mfab_securecert_entry *out,
                     mfab_diag *diag)
{
    const uint8_t *p;
    size_t left, size;

    left = r->len - r->pos;
    if (left < 4 || mfab_le32(r->image + r->pos) != MFAB_SECURECERT_MAGIC)
        return MFAB_ENOTFOUND;
    p = r->image + r->pos;
    if (left < 12)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "secure-cert: entry %u at offset 0x%zx: header "
                             "cut off by the end of the image",
                             r->index, r->pos);
    out->flags = p[4];
    out->type = p[8];
    out->subtype = p[9];
    out->len = mfab_le16(p + 10);
    out->data = p + 12;
    out->offset = r->pos;
    size = mfab_securecert__entry_size(out->len);
    if (size > left)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "secure-cert: entry %u (%s/%u) at offset 0x%zx: "
                             "%u data bytes run past the end of the image",
                             r->index, mfab_securecert_type_name(out->type),
                             out->subtype, r->pos, out->len);
    out->crc = mfab_le32(p + size - 4);
    out->crc_ok = mfab_crc32_esp(p, size - 4) == out->crc;
    r->pos += size;
    r->index++;
    return 0;
}

/* see matterfab/securecert.h */
int
mfab_securecert_find(mfab_securecert_entry *out, const uint8_t *image,
                     size_t len, uint8_t type, int subtype, mfab_diag *diag)
{
    mfab_securecert_reader r;
    mfab_securecert_entry e;
    int rc, found = 0;

    mfab_securecert_reader_init(&r, image, len);
    while ((rc = mfab_securecert_next(&r, &e, diag)) == 0) {
        if (e.type != type)
            continue;
        if (subtype >= 0 && e.subtype != subtype)
            continue;
        if (subtype >= 0 || !found || e.subtype > out->subtype) {
            *out = e;
            found = 1;
        }
        if (subtype >= 0)
            break;
    }
    if (rc != 0 && rc != MFAB_ENOTFOUND)
        return rc;
    if (!found)
        return mfab_diag_set(diag, MFAB_ENOTFOUND,
                             "secure-cert: no %s entry%s", 
                             mfab_securecert_type_name(type),
                             subtype >= 0 ? " with that subtype" : "");
    if (!out->crc_ok)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "secure-cert: %s/%u at offset 0x%zx: CRC "
                             "mismatch (stored 0x%08X)",
                             mfab_securecert_type_name(type), out->subtype,
                             out->offset, out->crc);
    return 0;
}
