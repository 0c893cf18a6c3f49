/*
 * ota_verify.c: the strict OTA image check of shared/spec/production-
 * images.md section 1.6 ("recommended verify"): what the device-side
 * OTAImageHeaderParser requires, plus sizes and the payload digest, which
 * neither the device nor ota_image_tool.py checks.
 *
 * Device order: 0 1 2 3 4 [5] [6] [7] 8 9, then the end of the structure,
 * which must be the last byte of the HeaderSize bytes.
 */
#include <openssl/crypto.h>

#include "ota/ota_internal.h"

static int
check_order(const mfab_ota__layout *l, mfab_diag *diag)
{
    static const int want[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
    size_t i, k = 0;

    if (l->norder > MFAB_ARRAY_SIZE(l->order))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: header TLV has %zu members (allowed at "
                             "most 10)",
                             l->norder);
    for (i = 0; i < l->norder; i++) {
        int tag = l->order[i];

        /* skip the optional members (5, 6, 7) this image leaves out */
        while (k < MFAB_ARRAY_SIZE(want) && want[k] != tag && want[k] >= 5 &&
               want[k] <= 7)
            k++;
        if (tag < 0 || k >= MFAB_ARRAY_SIZE(want) || want[k] != tag)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "ota: header member %zu (tag %d) is out of "
                                 "place (the device expects tags 0, 1, 2, 3, "
                                 "4, [5], [6], [7], 8, 9 in this order)",
                                 i + 1, tag);
        k++;
    }
    return 0;
}

static int
check_strings(const mfab_ota_header *h, mfab_diag *diag)
{
    if (h->vendor_id == 0 || h->vendor_id > 0xFFFF || h->product_id == 0 ||
        h->product_id > 0xFFFF)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: vendor id '%llu' or product id '%llu' out "
                             "of range (allowed 1..65535)",
                             (unsigned long long)h->vendor_id,
                             (unsigned long long)h->product_id);
    if (h->software_version > 0xFFFFFFFFu ||
        (h->has_min_version && h->min_version > 0xFFFFFFFFu) ||
        (h->has_max_version && h->max_version > 0xFFFFFFFFu))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: a version does not fit 32 bits");
    if (h->version_string_len < 1 ||
        h->version_string_len > MFAB_OTA_MAX_VERSION_STRING)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: version string is %zu bytes (allowed "
                             "1..64)",
                             h->version_string_len);
    if (h->release_notes_url != NULL &&
        h->release_notes_url_len > MFAB_OTA_MAX_RELEASE_NOTES)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: release notes url is %zu bytes (allowed "
                             "at most 256)",
                             h->release_notes_url_len);
    return 0;
}

/* see matterfab/ota.h */
int
mfab_ota_verify(const uint8_t *buf, size_t len, mfab_diag *diag)
{
    uint8_t digest[MFAB_OTA_MAX_DIGEST];
    mfab_ota__layout layout;
    mfab_ota_image img;
    mfab_ota_part part;
    size_t dlen = 0;
    int rc;

    rc = mfab_ota__parse(&img, &layout, buf, len, diag);
    if (rc < 0)
        return rc;
    if (img.total_size != len)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: total size '%llu' at offset 4 differs "
                             "from the file length %zu",
                             (unsigned long long)img.total_size, len);
    if (img.header_size > MFAB_OTA_DEVICE_MAX_HEADER_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: header size '%u' at offset 12 is too "
                             "large for devices (allowed at most 1024)",
                             img.header_size);
    if (layout.tlv_used != img.header_size)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: header TLV ends at offset %zu but header "
                             "size says %u",
                             MFAB_OTA_FIXED_HEADER_LEN + layout.tlv_used,
                             MFAB_OTA_FIXED_HEADER_LEN + img.header_size);
    rc = check_order(&layout, diag);
    if (rc == 0)
        rc = check_strings(&img.header, diag);
    if (rc < 0)
        return rc;
    if (img.header.payload_size != img.payload_len)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: payload size '%llu' in the header differs "
                             "from the %zu payload bytes",
                             (unsigned long long)img.header.payload_size,
                             img.payload_len);
    if (mfab_ota_digest_len(img.header.digest_type) == 0)
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "ota: digest type '%llu' is not supported "
                             "(allowed 1, 7, 8, 9, 10, 11, 12)",
                             (unsigned long long)img.header.digest_type);
    if (img.header.digest_len != mfab_ota_digest_len(img.header.digest_type))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "ota: digest is %zu bytes but type '%s' needs "
                             "%zu",
                             img.header.digest_len,
                             mfab_ota_digest_name(img.header.digest_type),
                             mfab_ota_digest_len(img.header.digest_type));
    part.data = img.payload;
    part.len = img.payload_len;
    rc = mfab_ota_digest(digest, &dlen, img.header.digest_type, &part, 1,
                         diag);
    if (rc < 0)
        return rc;
    if (CRYPTO_memcmp(digest, img.header.digest, dlen) != 0)
        return mfab_diag_set(diag, MFAB_ECRYPTO,
                             "ota: payload digest (%s) does not match the "
                             "digest in the header",
                             mfab_ota_digest_name(img.header.digest_type));
    return 0;
}
