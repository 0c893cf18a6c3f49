/*
 * matterfab/onboarding.h: Matter onboarding payloads (QR code and manual
 * pairing code), passcode and discriminator rules, QR images.
 *
 * Implements the Matter Core Specification, section 5.1 (Onboarding
 * Payload), as written up in shared/spec/matter-commissioning.md sections
 * 1 and 2: the 88-bit packed payload, Base38, the optional TLV data, the
 * 11- and 21-digit manual codes with their Verhoeff check digit, and the
 * validity rules the newest connectedhomeip SDK applies.
 *
 * The text codecs fill caller buffers ((buf, cap, out_len): buf == NULL
 * measures, a short buffer gives MFAB_EBUFS with *out_len set) and neither
 * allocate nor keep state, so any number of threads may call them.
 * Strings are written NUL-terminated; *out_len never counts the NUL, so
 * cap must be at least *out_len + 1.
 */
#ifndef MATTERFAB_ONBOARDING_H
#define MATTERFAB_ONBOARDING_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- passcode and discriminator (spec section 2) -------------------- */

#define MFAB_PASSCODE_MIN 1u
#define MFAB_PASSCODE_MAX 99999998u
#define MFAB_DISCRIMINATOR_MAX 4095u

/**
 * Check a setup passcode: 1..99999998 and not one of the values Matter
 * forbids (00000000, 11111111 ... 99999999, 12345678, 87654321).
 * @return 0; MFAB_ERANGE outside 1..99999998; MFAB_EINVAL for a forbidden
 *         value. The message names the value and what is allowed.
 */
int mfab_passcode_check(uint32_t passcode, mfab_diag *diag);

/**
 * Check a (long, 12-bit) discriminator.
 * @return 0, MFAB_ERANGE above 4095
 */
int mfab_discriminator_check(uint32_t discriminator, mfab_diag *diag);

/**
 * Parse a passcode written in decimal (leading zeros allowed: "00000001"
 * is 1, unlike mfg_tool, which fails on it), then mfab_passcode_check().
 * @param what names the input in messages (e.g. "--passcode"); may be NULL
 * @return 0; MFAB_EINVAL (not a decimal number, or a forbidden value);
 *         MFAB_ERANGE
 */
int mfab_passcode_parse(uint32_t *out, const char *text, const char *what,
                        mfab_diag *diag);

/**
 * Parse a decimal discriminator, then mfab_discriminator_check().
 * @return 0, MFAB_EINVAL (not a decimal number), MFAB_ERANGE
 */
int mfab_discriminator_parse(uint16_t *out, const char *text,
                             const char *what, mfab_diag *diag);

/* ---- payload contents ----------------------------------------------- */

/** Commissioning flow (2 bits; 3 is reserved). */
#define MFAB_FLOW_STANDARD 0u
#define MFAB_FLOW_USER_INTENT 1u
#define MFAB_FLOW_CUSTOM 2u

/** Discovery capability bits (QR code only). */
#define MFAB_DISCOVERY_SOFTAP 0x01u
#define MFAB_DISCOVERY_BLE 0x02u
#define MFAB_DISCOVERY_ON_NETWORK 0x04u
#define MFAB_DISCOVERY_PAF 0x08u
#define MFAB_DISCOVERY_NFC 0x10u
#define MFAB_DISCOVERY_THREAD 0x20u
/** Every bit the newest SDK accepts when producing a payload. */
#define MFAB_DISCOVERY_ALL 0x3Fu

/** Optional QR data tags (spec section 1.3). */
#define MFAB_ONB_TAG_SERIAL 0x00u
#define MFAB_ONB_TAG_PBKDF_ITERATIONS 0x01u
#define MFAB_ONB_TAG_PBKDF_SALT 0x02u
#define MFAB_ONB_TAG_NUMBER_OF_DEVICES 0x03u
#define MFAB_ONB_TAG_COMMISSIONING_TIMEOUT 0x04u

/** Most optional data elements a payload holds. */
#define MFAB_ONB_MAX_EXTRAS 32
/** Bytes of string data a decoded payload can hold (a version 40 QR code
 *  carries at most 2577 payload bytes in alphanumeric mode). */
#define MFAB_ONB_POOL_SIZE 2600
/** Longest QR text accepted (version 40, alphanumeric mode). */
#define MFAB_ONB_QR_TEXT_MAX 4296

typedef enum mfab_onb_extra_type {
    MFAB_ONB_EXTRA_STRING,
    MFAB_ONB_EXTRA_INT,
    MFAB_ONB_EXTRA_UINT
} mfab_onb_extra_type;

/** One optional data element (context tag 0x00..0xFF). */
typedef struct mfab_onb_extra {
    uint8_t tag;
    mfab_onb_extra_type type;
    union {
        int64_t i;
        uint64_t u;
        struct {
            const char *p; /**< borrowed: the caller's (encode) or the
                                payload's pool (decode); not NUL-ended */
            size_t len;
        } s;
    } v;
} mfab_onb_extra;

typedef struct mfab_onb_payload {
    uint8_t version;        /**< always 0 */
    uint16_t vendor_id;
    uint16_t product_id;
    uint8_t flow;           /**< MFAB_FLOW_* */
    uint8_t discovery;      /**< MFAB_DISCOVERY_* bits (QR only) */
    uint16_t discriminator; /**< 12-bit long form */
    uint32_t passcode;
    /** Set by the manual-code decoder: only discriminator >> 8 is known
     *  and the discovery bits are unknown. */
    int short_discriminator_only;
    /** Set by the manual-code decoder for the 11-digit form (no VID/PID). */
    int no_vid_pid;
    size_t n_extras;
    mfab_onb_extra extras[MFAB_ONB_MAX_EXTRAS];
    /** Decoded string data; extras[].v.s.p point in here after a decode,
     *  so copy the struct only while the original lives. */
    char pool[MFAB_ONB_POOL_SIZE];
} mfab_onb_payload;

/** Empty payload: everything 0, discovery BLE (mfg_tool's default). */
void mfab_onboarding_payload_init(mfab_onb_payload *out);

/**
 * Add or replace (same tag: the last value wins, as in CHIP) an optional
 * string element; s is borrowed and must outlive the payload's use.
 * @return 0; MFAB_ERANGE when MFAB_ONB_MAX_EXTRAS are present already
 */
int mfab_onboarding_add_string(mfab_onb_payload *p, uint8_t tag,
                               const char *s, size_t len, mfab_diag *diag);
/** Same for a signed integer. @return 0, MFAB_ERANGE */
int mfab_onboarding_add_int(mfab_onb_payload *p, uint8_t tag, int64_t v,
                            mfab_diag *diag);
/** Same for an unsigned integer. @return 0, MFAB_ERANGE */
int mfab_onboarding_add_uint(mfab_onb_payload *p, uint8_t tag, uint64_t v,
                             mfab_diag *diag);

/**
 * Validate a payload the way the newest connectedhomeip SDK does before
 * producing one: version 0, flow 0..2, discovery bits 0..5 only,
 * discriminator 0..4095, passcode rules, and the optional data types of
 * spec section 1.3. Vendor ID 0 or 0x0001..0xFFF4 and a non-zero product
 * ID (unless the vendor ID is 0) are warnings here (mfg_tool and the
 * vectors accept such payloads) but errors when decoding.
 * @return 0, MFAB_EINVAL, MFAB_ERANGE
 */
int mfab_onboarding_check(const mfab_onb_payload *p, mfab_diag *diag);

/**
 * Packed binary payload: 11 bytes (spec section 1.1) followed by the
 * optional data as one TLV structure (section 1.3: vendor tags ascending,
 * then common tags ascending).
 * @return 0, MFAB_EBUFS, or the codes of mfab_onboarding_check()
 */
int mfab_onboarding_pack(uint8_t *buf, size_t cap, size_t *out_len,
                         const mfab_onb_payload *p, mfab_diag *diag);

/**
 * QR code text "MT:" + Base38(packed payload).
 * @return 0, MFAB_EBUFS, or the codes of mfab_onboarding_check()
 */
int mfab_onboarding_qr_encode(char *buf, size_t cap, size_t *out_len,
                              const mfab_onb_payload *p, mfab_diag *diag);

/**
 * Parse QR code text as the newest SDK does: the first '%'-separated
 * segment that starts with "MT:", then the index-th of its '*'-separated
 * payloads; Base38, the packed fields, the optional TLV data, and the
 * validity rules (vendor/product ID rules are errors here).
 * @param index 0 for the first (usually only) payload
 * @return 0; MFAB_ENOTFOUND when index is past the last payload;
 *         MFAB_EFORMAT for text that is not a QR payload (prefix, Base38,
 *         length, padding, TLV); MFAB_EINVAL / MFAB_ERANGE for a payload
 *         that breaks a validity rule; MFAB_EUNSUPPORTED for version != 0
 */
int mfab_onboarding_qr_decode(mfab_onb_payload *out, const char *text,
                              size_t index, mfab_diag *diag);

/**
 * Manual pairing code digits (no separators): 11 digits for the standard
 * flow, 21 (with VID and PID) otherwise; Verhoeff check digit last.
 * @return 0, MFAB_EBUFS, or the codes of mfab_onboarding_check()
 */
int mfab_onboarding_manual_encode(char *buf, size_t cap, size_t *out_len,
                                  const mfab_onb_payload *p,
                                  mfab_diag *diag);

/**
 * Parse a manual pairing code; '-', ' ' and line breaks are ignored.
 * The result has short_discriminator_only set, flow MFAB_FLOW_CUSTOM for
 * a 21-digit code (user-intent cannot be told apart) and no_vid_pid for
 * an 11-digit one.
 * @return 0; MFAB_EFORMAT (length, non-digit, check digit, reserved first
 *         digit, VID/PID above 65535); MFAB_EINVAL / MFAB_ERANGE for a
 *         validity rule
 */
int mfab_onboarding_manual_decode(mfab_onb_payload *out, const char *text,
                                  mfab_diag *diag);

/**
 * mfg_tool's presentation of a manual code: "DDDD-DDD-DDDD" for 11
 * digits, and for 21 digits that, a line feed, then "DDDD-DDD-DD-D".
 * @return 0, MFAB_EBUFS, MFAB_EINVAL (not 11 or 21 digits)
 */
int mfab_onboarding_manual_format(char *buf, size_t cap, size_t *out_len,
                                  const char *digits, mfab_diag *diag);

/**
 * mfg_tool's `--discovery-mode` rule: only 2 (BLE), 4 (on-network) and 6
 * (both) are accepted by its command line, although a QR code can carry
 * any of MFAB_DISCOVERY_ALL.
 * @return 0, MFAB_EINVAL
 */
int mfab_onboarding_check_mfg_discovery_mode(uint32_t mode, mfab_diag *diag);

/* ---- QR images ------------------------------------------------------- */

typedef enum mfab_qr_format {
    MFAB_QR_PNG,  /**< 1-bit greyscale PNG, scale 6, 4-module quiet zone */
    MFAB_QR_SVG,  /**< SVG, one unit per module, 4-module quiet zone */
    MFAB_QR_TEXT  /**< UTF-8 half blocks, two module rows per line */
} mfab_qr_format;

/** Smallest QR version used, as mfg_tool's pyqrcode.create(version=2). */
#define MFAB_QR_MIN_VERSION 2
/** Pixels per module and quiet-zone modules of mfg_tool's PNG. */
#define MFAB_QR_PNG_SCALE 6
#define MFAB_QR_QUIET_ZONE 4

/**
 * Module grid of text as a QR symbol: version >= 2 (larger only when the
 * text does not fit), error correction M, alphanumeric mode.
 * @param[out] out   size*size bytes, 1 = dark, row by row, no quiet zone;
 *                   NULL measures
 * @param[out] out_size modules per side (25 for version 2)
 * @param[out] out_version QR version (may be NULL)
 * @return 0, MFAB_EBUFS (cap < size*size), MFAB_EINVAL (text not in the QR
 *         alphanumeric set, or too long), MFAB_ENOMEM
 */
int mfab_onboarding_qr_matrix(uint8_t *out, size_t cap, int *out_size,
                              int *out_version, const char *text,
                              mfab_diag *diag);

/**
 * Render text as a QR image into buf (buf == NULL measures).
 * @return 0, MFAB_EBUFS, MFAB_EINVAL, MFAB_ENOMEM, MFAB_EIO (the PNG
 *         encoder failed)
 */
int mfab_onboarding_qr_image(uint8_t *buf, size_t cap, size_t *out_len,
                             const char *text, mfab_qr_format format,
                             mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
