/*
 * ota_write.c: Matter OTA image writer (shared/spec/production-images.md
 * sections 1.2-1.7): the creation checks of ota_image_tool.py (1.6), the
 * canonical header TLV (1.3), "create" and "change_header" (1.7), and the
 * check of the version string against the payload's ESP app description
 * (sections 1.8 and 3.5).
 *
 *   0   1e f1 ee 1b | TotalSize u64 LE | HeaderSize u32 LE
 *   16  15 | 0:vid 1:pid 2:version 3:"version" 4:payload size
 *          | [5:min] [6:max] [7:"release notes"] | 8:digest type
 *          | 9:digest | 18
 *   16+HeaderSize   payload = the inputs concatenated
 *
 * Every integer and length field takes the smallest width (the TLV
 * writer's rule), which is what makes the output byte-identical to the
 * reference tool's.
 */
#include <stdio.h>
#include <string.h>

#include "matterfab/espimage.h"
#include "matterfab/tlv.h"
#include "ota/ota_internal.h"

#define U16_MAX 0xFFFFu
#define U32_MAX 0xFFFFFFFFu
/* esp_app_desc_t.version is char[32] */
#define APP_VERSION_FIELD 32

static int
check_range(const char *what, uint64_t v, uint64_t lo, uint64_t hi,
            mfab_diag *diag)
{
    if (v < lo || v > hi)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: %s '%llu' is out of range (allowed "
                             "%llu..%llu)",
                             what, (unsigned long long)v,
                             (unsigned long long)lo, (unsigned long long)hi);
    return 0;
}

/* see matterfab/ota.h */
int
mfab_ota_header_validate(const mfab_ota_header *h, mfab_diag *diag)
{
    size_t rn = h->release_notes_url_len;
    int rc;

    /* The reference tool's checks first, in its order and words. */
    if (h->vendor_id == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: vendor id is zero (allowed 1..65535)");
    if (h->product_id == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: product id is zero (allowed 1..65535)");
    if (h->version_string == NULL || h->version_string_len < 1 ||
        h->version_string_len > MFAB_OTA_MAX_VERSION_STRING)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: software version string is not of length "
                             "1-64 (it is %zu bytes)",
                             h->version_string ? h->version_string_len : 0);
    if (h->has_min_version && h->min_version >= h->software_version)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: minimum applicable version is greater or "
                             "equal to software version ('%llu' >= '%llu')",
                             (unsigned long long)h->min_version,
                             (unsigned long long)h->software_version);
    if (h->has_max_version && h->max_version >= h->software_version)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: maximum applicable version is greater or "
                             "equal to software version ('%llu' >= '%llu')",
                             (unsigned long long)h->max_version,
                             (unsigned long long)h->software_version);
    if (h->has_min_version && h->has_max_version &&
        h->max_version < h->min_version)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: minimum applicable version is greater "
                             "than maximum applicable version ('%llu' > "
                             "'%llu')",
                             (unsigned long long)h->min_version,
                             (unsigned long long)h->max_version);
    if (h->release_notes_url != NULL &&
        (rn < 1 || rn > MFAB_OTA_MAX_RELEASE_NOTES))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: release notes url must be of length "
                             "1-256 (it is %zu bytes)",
                             rn);
    /* Then what the device parser needs and the tool lets through. */
    rc = check_range("vendor id", h->vendor_id, 1, U16_MAX, diag);
    if (rc == 0)
        rc = check_range("product id", h->product_id, 1, U16_MAX, diag);
    if (rc == 0)
        rc = check_range("software version", h->software_version, 0,
                         U32_MAX, diag);
    if (rc == 0 && h->has_min_version)
        rc = check_range("minimum applicable version", h->min_version, 0,
                         U32_MAX, diag);
    if (rc == 0 && h->has_max_version)
        rc = check_range("maximum applicable version", h->max_version, 0,
                         U32_MAX, diag);
    if (rc == 0 && mfab_ota_digest_len(h->digest_type) == 0)
        rc = mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                           "ota: digest type '%llu' is not supported "
                           "(allowed 1, 7, 8, 9, 10, 11, 12)",
                           (unsigned long long)h->digest_type);
    return rc;
}

/* see matterfab/ota.h */
void
mfab_ota_header_warn(const mfab_ota_header *h, mfab_diag *diag)
{
    if (h->release_notes_url != NULL &&
        (h->release_notes_url_len < 8 ||
         memcmp(h->release_notes_url, "https://", 8) != 0))
        mfab_diag_warn(diag,
                       "ota: release notes url '%.*s' does not start with "
                       "'https://'",
                       (int)(h->release_notes_url_len > 80
                                 ? 80
                                 : h->release_notes_url_len),
                       h->release_notes_url);
    if (mfab_ota_digest_len(h->digest_type) != 0 &&
        mfab_ota_digest_len(h->digest_type) < 32)
        mfab_diag_warn(diag, "ota: digest '%s' is shorter than 256 bits, "
                             "which is not recommended",
                       mfab_ota_digest_name(h->digest_type));
}

/* see matterfab/ota.h */
int
mfab_ota_header_encode(uint8_t *buf, size_t cap, size_t *out_len,
                       const mfab_ota_header *h, mfab_diag *diag)
{
    mfab_tlv_writer w;
    int rc;

    *out_len = 0;
    if (h->version_string == NULL || (h->digest == NULL && h->digest_len))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ota: header has no version string or digest");
    mfab_tlv_writer_init(&w, buf, cap);
    mfab_tlv_start(&w, mfab_tlv_anon(), MFAB_TLV_STRUCT);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(MFAB_OTA__TAG_VENDOR_ID), h->vendor_id);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(MFAB_OTA__TAG_PRODUCT_ID),
                      h->product_id);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(MFAB_OTA__TAG_VERSION),
                      h->software_version);
    mfab_tlv_put_utf8(&w, mfab_tlv_ctx(MFAB_OTA__TAG_VERSION_STRING),
                      h->version_string, h->version_string_len);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(MFAB_OTA__TAG_PAYLOAD_SIZE),
                      h->payload_size);
    if (h->has_min_version)
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(MFAB_OTA__TAG_MIN_VERSION),
                          h->min_version);
    if (h->has_max_version)
        mfab_tlv_put_uint(&w, mfab_tlv_ctx(MFAB_OTA__TAG_MAX_VERSION),
                          h->max_version);
    if (h->release_notes_url != NULL)
        mfab_tlv_put_utf8(&w, mfab_tlv_ctx(MFAB_OTA__TAG_RELEASE_NOTES),
                          h->release_notes_url, h->release_notes_url_len);
    mfab_tlv_put_uint(&w, mfab_tlv_ctx(MFAB_OTA__TAG_DIGEST_TYPE),
                      h->digest_type);
    mfab_tlv_put_bytes(&w, mfab_tlv_ctx(MFAB_OTA__TAG_DIGEST), h->digest,
                       h->digest_len);
    mfab_tlv_end(&w);
    rc = mfab_tlv_writer_finish(&w, out_len);
    if (rc == MFAB_EBUFS)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "ota: header TLV needs %zu bytes, buffer has "
                             "%zu",
                             *out_len, cap);
    if (rc < 0)
        return mfab_diag_set(diag, rc, "ota: cannot encode the header TLV");
    return 0;
}

/*
 * Fixed header + TLV + payload parts into buf. The size is known before
 * anything is written, so a short buffer is reported untouched.
 */
static int
write_image(uint8_t *buf, size_t cap, size_t *out_len,
            const mfab_ota_header *h, const mfab_ota_part *parts,
            size_t nparts, mfab_diag *diag)
{
    size_t hlen = 0, plen = 0, total, i;
    uint8_t *p;
    int rc;

    *out_len = 0;
    rc = mfab_ota_header_encode(NULL, 0, &hlen, h, diag);
    if (rc < 0)
        return rc;
    for (i = 0; i < nparts; i++)
        plen += parts[i].len;
    total = MFAB_OTA_FIXED_HEADER_LEN + hlen + plen;
    *out_len = total;
    if (hlen > U32_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "ota: header TLV of %zu bytes does not fit "
                             "HeaderSize",
                             hlen);
    if (buf == NULL)
        return 0;
    if (cap < total)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "ota: image needs %zu bytes, buffer has %zu",
                             total, cap);
    mfab_put_le32(buf, MFAB_OTA_FILE_IDENTIFIER);
    mfab_put_le64(buf + 4, (uint64_t)total);
    mfab_put_le32(buf + 12, (uint32_t)hlen);
    rc = mfab_ota_header_encode(buf + MFAB_OTA_FIXED_HEADER_LEN, hlen, &hlen,
                                h, diag);
    if (rc < 0)
        return rc;
    p = buf + MFAB_OTA_FIXED_HEADER_LEN + hlen;
    for (i = 0; i < nparts; i++) {
        if (parts[i].len > 0)
            memcpy(p, parts[i].data, parts[i].len);
        p += parts[i].len;
    }
    return 0;
}

/* see matterfab/ota.h */
int
mfab_ota_create(uint8_t *buf, size_t cap, size_t *out_len,
                const mfab_ota_header *h, const mfab_ota_part *parts,
                size_t nparts, mfab_diag *diag)
{
    static const uint8_t zeros[MFAB_OTA_MAX_DIGEST];
    uint8_t digest[MFAB_OTA_MAX_DIGEST];
    mfab_ota_header hh = *h;
    size_t i;
    int rc;

    *out_len = 0;
    rc = mfab_ota_header_validate(h, diag);
    if (rc < 0)
        return rc;
    hh.payload_size = 0;
    for (i = 0; i < nparts; i++)
        hh.payload_size += parts[i].len;
    /* Measuring needs only the digest length, not a pass over the data. */
    hh.digest = zeros;
    hh.digest_len = mfab_ota_digest_len(h->digest_type);
    rc = write_image(NULL, 0, out_len, &hh, parts, nparts, diag);
    if (rc < 0 || buf == NULL)
        return rc;
    if (cap < *out_len)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "ota: image needs %zu bytes, buffer has %zu",
                             *out_len, cap);
    rc = mfab_ota_digest(digest, &hh.digest_len, h->digest_type, parts,
                         nparts, diag);
    if (rc < 0)
        return rc;
    hh.digest = digest;
    return write_image(buf, cap, out_len, &hh, parts, nparts, diag);
}

/* see matterfab/ota.h */
int
mfab_ota_change_header(uint8_t *buf, size_t cap, size_t *out_len,
                       const uint8_t *image, size_t image_len, unsigned set,
                       const mfab_ota_header *v, mfab_diag *diag)
{
    uint8_t digest[MFAB_OTA_MAX_DIGEST];
    mfab_ota_image img;
    mfab_ota_header *h = &img.header;
    mfab_ota_part part;
    int rc;

    *out_len = 0;
    rc = mfab_ota_parse(&img, image, image_len, diag);
    if (rc < 0)
        return rc;
    if (set & MFAB_OTA_SET_VENDOR_ID)
        h->vendor_id = v->vendor_id;
    if (set & MFAB_OTA_SET_PRODUCT_ID)
        h->product_id = v->product_id;
    if (set & MFAB_OTA_SET_VERSION)
        h->software_version = v->software_version;
    if (set & MFAB_OTA_SET_VERSION_STRING) {
        h->version_string = v->version_string;
        h->version_string_len = v->version_string_len;
    }
    if (set & MFAB_OTA_SET_MIN_VERSION) {
        h->has_min_version = 1;
        h->min_version = v->min_version;
    }
    if (set & MFAB_OTA_SET_MAX_VERSION) {
        h->has_max_version = 1;
        h->max_version = v->max_version;
    }
    if (set & MFAB_OTA_SET_RELEASE_NOTES) {
        h->release_notes_url = v->release_notes_url;
        h->release_notes_url_len = v->release_notes_url_len;
    }
    part.data = img.payload;
    part.len = img.payload_len;
    if (set & MFAB_OTA_SET_DIGEST_TYPE) {
        /* The reference keeps the old digest bytes under the new type,
         * which no device can check; re-hash instead. */
        h->digest_type = v->digest_type;
        rc = mfab_ota_digest(digest, &h->digest_len, h->digest_type, &part,
                             1, diag);
        if (rc < 0)
            return rc;
        h->digest = digest;
    }
    /* The reference runs no check here; an image a device would refuse is
     * not worth writing. */
    rc = mfab_ota_header_validate(h, diag);
    if (rc < 0)
        return rc;
    return write_image(buf, cap, out_len, h, &part, 1, diag);
}

/* see matterfab/ota.h */
void
mfab_ota_app_version(char *out, size_t cap, const uint8_t *payload,
                     size_t len)
{
    mfab_espimage_info info;

    if (cap == 0)
        return;
    out[0] = '\0';
    if (len == 0 || payload[0] != MFAB_ESPIMAGE_MAGIC ||
        mfab_espimage_parse(&info, payload, len, NULL) < 0 ||
        !info.has_app_desc)
        return;
    snprintf(out, cap, "%s", info.app_desc.version);
}

/*
 * PROJECT_VER is usually "git describe" output ("v5.0-4-g4532e6") or a
 * release label with build metadata, so the header's string may be a
 * prefix ending where a '-' or '+' suffix starts. esp_app_desc_t keeps 31
 * characters, so a longer header string may extend a truncated one.
 */
static int
versions_agree(const char *vs, size_t vs_len, const char *app)
{
    size_t alen = strlen(app);

    if (vs_len == alen)
        return memcmp(vs, app, alen) == 0;
    if (vs_len < alen)
        return memcmp(vs, app, vs_len) == 0 &&
               (app[vs_len] == '-' || app[vs_len] == '+');
    return alen == APP_VERSION_FIELD - 1 && memcmp(vs, app, alen) == 0;
}

/* see matterfab/ota.h */
int
mfab_ota_check_app_version(const mfab_ota_header *h, const char *app_version,
                           mfab_diag *diag)
{
    if (app_version == NULL || app_version[0] == '\0')
        return 0;
    if (h->version_string != NULL &&
        versions_agree(h->version_string, h->version_string_len,
                       app_version))
        return 0;
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "ota: version string '%.*s' disagrees with the "
                         "firmware's own version '%s' (esp_app_desc_t of the "
                         "payload; allowed: equal, or its start up to a "
                         "'-' or '+')",
                         h->version_string
                             ? (int)(h->version_string_len > 64
                                         ? 64
                                         : h->version_string_len)
                             : 0,
                         h->version_string ? h->version_string : "",
                         app_version);
}
