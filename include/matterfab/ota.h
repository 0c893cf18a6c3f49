/*
 * matterfab/ota.h: Matter OTA software images (.ota) and the DCL
 * ModelVersion fields that publish them.
 *
 * Spec: shared/spec/production-images.md sections 1 (OTA image) and 2
 * (DCL). The output of mfab_ota_create() is byte-identical to
 * connectedhomeip's ota_image_tool.py "create": members in tag order,
 * integers and length fields in the smallest width.
 *
 *   0   1e f1 ee 1b | TotalSize u64 | HeaderSize u32      fixed header
 *   16  Matter TLV anonymous structure (HeaderSize bytes)
 *   16+HeaderSize   payload (PayloadSize bytes)
 *
 * Codec functions write into caller buffers (buf == NULL measures: it
 * returns 0 with *out_len set; a short cap gives MFAB_EBUFS with *out_len
 * set) and keep borrowed pointers into
 * the caller's input; they never allocate or touch files. Thread-safe.
 */
#ifndef MATTERFAB_OTA_H
#define MATTERFAB_OTA_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MFAB_OTA_FILE_IDENTIFIER 0x1BEEF11Eu
#define MFAB_OTA_FIXED_HEADER_LEN 16
/** Largest HeaderSize the device-side parser accepts. */
#define MFAB_OTA_DEVICE_MAX_HEADER_LEN 1024
#define MFAB_OTA_MAX_VERSION_STRING 64
#define MFAB_OTA_MAX_RELEASE_NOTES 256
#define MFAB_OTA_MAX_DIGEST 64

/** ImageDigestType values (IANA Named Information Hash Algorithm ids). */
#define MFAB_OTA_DIGEST_SHA256 1
#define MFAB_OTA_DIGEST_SHA384 7
#define MFAB_OTA_DIGEST_SHA512 8
#define MFAB_OTA_DIGEST_SHA3_224 9
#define MFAB_OTA_DIGEST_SHA3_256 10
#define MFAB_OTA_DIGEST_SHA3_384 11
#define MFAB_OTA_DIGEST_SHA3_512 12

/**
 * The header TLV. Integers are held in 64 bits so that a header written by
 * a lenient tool can still be shown; mfab_ota_header_validate() enforces
 * the device's u16/u32 ranges. Strings and the digest are borrowed (from
 * the caller, or from the image parsed) and not NUL-terminated.
 */
typedef struct mfab_ota_header {
    uint64_t vendor_id;        /**< tag 0 */
    uint64_t product_id;       /**< tag 1 */
    uint64_t software_version; /**< tag 2 */
    const char *version_string; /**< tag 3 */
    size_t version_string_len;
    uint64_t payload_size; /**< tag 4 */
    int has_min_version;
    uint64_t min_version; /**< tag 5, optional */
    int has_max_version;
    uint64_t max_version; /**< tag 6, optional */
    const char *release_notes_url; /**< tag 7, optional: NULL = absent */
    size_t release_notes_url_len;
    uint64_t digest_type;  /**< tag 8 */
    const uint8_t *digest; /**< tag 9 */
    size_t digest_len;
} mfab_ota_header;

/** A parsed image; every pointer borrows from the parsed buffer. */
typedef struct mfab_ota_image {
    uint32_t file_identifier;
    uint64_t total_size;
    uint32_t header_size;
    mfab_ota_header header;
    const uint8_t *payload; /**< bytes after 16 + header_size */
    size_t payload_len;
} mfab_ota_image;

/** One input of the payload; the payload is the inputs concatenated. */
typedef struct mfab_ota_part {
    const uint8_t *data; /**< borrowed */
    size_t len;
} mfab_ota_part;

/* ---- digests --------------------------------------------------------- */

/**
 * Digest type id for an ota_image_tool "-da" name ("sha256", "sha384",
 * "sha512", "sha3_224", "sha3_256", "sha3_384", "sha3_512").
 * @return the id, or MFAB_EINVAL for any other name
 */
int mfab_ota_digest_type(const char *name);

/** "-da" name of a digest type id, or NULL when matterfab cannot hash it. */
const char *mfab_ota_digest_name(uint64_t type);

/** Digest length in bytes for a type id, 0 when unknown. */
size_t mfab_ota_digest_len(uint64_t type);

/**
 * Digest of the concatenation of parts.
 * @param out  at least MFAB_OTA_MAX_DIGEST bytes
 * @param[out] out_len the digest length
 * @return 0; MFAB_EUNSUPPORTED for an unknown type; MFAB_ECRYPTO
 */
int mfab_ota_digest(uint8_t *out, size_t *out_len, uint64_t type,
                    const mfab_ota_part *parts, size_t nparts,
                    mfab_diag *diag);

/* ---- writing --------------------------------------------------------- */

/**
 * The creation checks of ota_image_tool.py, in its order, then the ranges
 * the device parser needs (vid/pid 1..0xFFFF, versions <= 0xFFFFFFFF,
 * string limits counted in UTF-8 bytes) and a digest type matterfab can
 * compute. Warnings are left to mfab_ota_header_warn().
 * @return 0; MFAB_EINVAL naming the first failed rule; MFAB_EUNSUPPORTED
 *         for a digest type matterfab cannot compute
 */
int mfab_ota_header_validate(const mfab_ota_header *h, mfab_diag *diag);

/**
 * The reference tool's two warnings, through mfab_diag_warn(): a release
 * notes URL not starting with "https://", a digest shorter than 256 bits.
 */
void mfab_ota_header_warn(const mfab_ota_header *h, mfab_diag *diag);

/**
 * Encode the header TLV alone (members in tag order, smallest widths).
 * @return 0; MFAB_EBUFS; MFAB_EINVAL when a required pointer is NULL
 */
int mfab_ota_header_encode(uint8_t *buf, size_t cap, size_t *out_len,
                           const mfab_ota_header *h, mfab_diag *diag);

/**
 * Validate h, compute the payload size and digest of the parts (h's
 * payload_size, digest and digest_len are ignored and replaced) and write
 * the whole image: fixed header, TLV, payload.
 * @return 0 (buf NULL: *out_len is the size needed); MFAB_EBUFS;
 *         MFAB_EINVAL (validation); MFAB_EUNSUPPORTED (digest type);
 *         MFAB_ECRYPTO
 */
int mfab_ota_create(uint8_t *buf, size_t cap, size_t *out_len,
                    const mfab_ota_header *h, const mfab_ota_part *parts,
                    size_t nparts, mfab_diag *diag);

/** Which fields mfab_ota_change_header() replaces (bits of "set"). */
#define MFAB_OTA_SET_VENDOR_ID (1u << 0)
#define MFAB_OTA_SET_PRODUCT_ID (1u << 1)
#define MFAB_OTA_SET_VERSION (1u << 2)
#define MFAB_OTA_SET_VERSION_STRING (1u << 3)
#define MFAB_OTA_SET_MIN_VERSION (1u << 4)
#define MFAB_OTA_SET_MAX_VERSION (1u << 5)
#define MFAB_OTA_SET_RELEASE_NOTES (1u << 6)
#define MFAB_OTA_SET_DIGEST_TYPE (1u << 7)

/**
 * ota_image_tool.py "change_header": re-emit the header of image with the
 * fields in set replaced by those of values and every other field (the
 * payload size and the stored digest included) copied; the payload bytes
 * follow unchanged. Unlike the reference, a new digest type re-hashes the
 * payload (the reference keeps the old bytes under the new type) and the
 * resulting header must pass mfab_ota_header_validate().
 * @return 0; MFAB_EBUFS; MFAB_EFORMAT (image unreadable, see
 *         mfab_ota_parse); MFAB_EINVAL, MFAB_EUNSUPPORTED (validation);
 *         MFAB_ECRYPTO
 */
int mfab_ota_change_header(uint8_t *buf, size_t cap, size_t *out_len,
                           const uint8_t *image, size_t image_len,
                           unsigned set, const mfab_ota_header *values,
                           mfab_diag *diag);

/**
 * The version string of the ESP app description (esp_app_desc_t) at the
 * start of payload, copied into out (33 bytes hold any); "" when payload
 * is not an ESP app image with a description. Never fails.
 */
void mfab_ota_app_version(char *out, size_t cap, const uint8_t *payload,
                          size_t len);

/**
 * Refuse a header version string that disagrees with the firmware's own
 * (app_version from mfab_ota_app_version(); "" or NULL always passes).
 * They agree when equal, when the firmware's is the header's followed by
 * a '-' or '+' suffix (git describe, build metadata), or when the header's
 * extends a firmware version cut at the field's 31 characters.
 * @return 0; MFAB_EINVAL when they disagree
 */
int mfab_ota_check_app_version(const mfab_ota_header *h,
                               const char *app_version, mfab_diag *diag);

/* ---- reading --------------------------------------------------------- */

/**
 * Parse the fixed header and header TLV as leniently as ota_image_tool.py
 * "show": members may come in any order and width; unknown context tags
 * are skipped. The file identifier, the sizes and the TLV structure are
 * still checked, so no read ever leaves the buffer.
 * @return 0; MFAB_EFORMAT for a short file, a wrong file identifier, a
 *         HeaderSize past the end, malformed TLV, a member of the wrong
 *         type, a duplicate member or a missing required member
 */
int mfab_ota_parse(mfab_ota_image *out, const uint8_t *buf, size_t len,
                   mfab_diag *diag);

/**
 * Everything a device and a careful publisher expect of an image
 * (spec 1.6 "recommended verify"): TotalSize == file length, HeaderSize
 * <= 1024, members in the device's order with optional ones in place,
 * PayloadSize == payload length, ranges and string limits, a known digest
 * type whose length matches, and the recomputed payload digest.
 * @param buf, len  the image, as given to mfab_ota_parse()
 * @return 0; MFAB_EFORMAT (layout); MFAB_EINVAL (a value out of range);
 *         MFAB_EUNSUPPORTED (digest type); MFAB_ECRYPTO (digest mismatch)
 */
int mfab_ota_verify(const uint8_t *buf, size_t len, mfab_diag *diag);

/* ---- DCL ------------------------------------------------------------- */

/**
 * otaChecksum of a DCL ModelVersion: standard base64 (with padding, no
 * line breaks) of the digest of the WHOLE .ota file, not the payload
 * digest stored in its header.
 * @param out  NUL-terminated; 89 bytes hold every type
 * @param type  otaChecksumType: 1, 7, 8, 10, 11 or 12
 * @return 0; MFAB_EBUFS; MFAB_EUNSUPPORTED (type); MFAB_ECRYPTO
 */
int mfab_ota_dcl_checksum(char *out, size_t cap, uint64_t type,
                          const uint8_t *file, size_t len, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
