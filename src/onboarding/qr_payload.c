/*
 * qr_payload.c: the QR code onboarding payload (Matter Core Specification
 * 5.1.3; shared/spec/matter-commissioning.md sections 1.1, 1.5 and 1.6).
 *
 * Packed payload, an 88-bit little-endian integer, fields from bit 0 up:
 *
 *   bit  0      3          19          35   37        45          57        84  88
 *       +-------+-----------+-----------+----+---------+-----------+---------+---+
 *       |version| vendor ID | product ID|flow|discovery|discrimin. | passcode|pad|
 *       |  3    |    16     |    16     | 2  |    8    |    12     |   27    | 4 |
 *       +-------+-----------+-----------+----+---------+-----------+---------+---+
 *   byte i = bits 8i..8i+7; optional TLV data (qr_tlv.c) follows byte 10.
 *
 * Text: "MT:" + Base38(bytes). A scanned string may carry several
 * '%'-separated segments (the first starting with "MT:" counts) and, in
 * newer SDKs, several '*'-separated payloads after one "MT:".
 */
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "onboarding/onboarding_internal.h"

#define PREFIX "MT:"
#define PREFIX_LEN 3

static void
put_bits(uint8_t *b, unsigned *off, uint32_t v, unsigned width)
{
    unsigned i;

    for (i = 0; i < width; i++, (*off)++) {
        if ((v >> i) & 1u)
            b[*off / 8] |= (uint8_t)(1u << (*off % 8));
    }
}

static uint32_t
get_bits(const uint8_t *b, unsigned *off, unsigned width)
{
    uint32_t v = 0;
    unsigned i;

    for (i = 0; i < width; i++, (*off)++)
        v |= (uint32_t)((b[*off / 8] >> (*off % 8)) & 1u) << i;
    return v;
}

/* Pack a payload already validated (so warnings are given once). */
static int
pack(uint8_t *buf, size_t cap, size_t *out_len, const mfab_onb_payload *p,
     mfab_diag *diag)
{
    uint8_t fixed[MFAB_ONB__FIXED_LEN];
    size_t tlv_len = 0;
    unsigned off = 0;
    int rc;

    *out_len = 0;
    if (p->n_extras > 0) {
        rc = mfab_onboarding__tlv_write(NULL, 0, &tlv_len, p, diag);
        if (rc < 0)
            return rc;
    }
    *out_len = MFAB_ONB__FIXED_LEN + tlv_len;
    if (buf == NULL)
        return 0;
    if (cap < *out_len)
        return MFAB_EBUFS;

    memset(fixed, 0, sizeof(fixed));
    put_bits(fixed, &off, p->version, 3);
    put_bits(fixed, &off, p->vendor_id, 16);
    put_bits(fixed, &off, p->product_id, 16);
    put_bits(fixed, &off, p->flow, 2);
    put_bits(fixed, &off, p->discovery, 8);
    put_bits(fixed, &off, p->discriminator, 12);
    put_bits(fixed, &off, p->passcode, 27);
    memcpy(buf, fixed, sizeof(fixed));
    if (tlv_len > 0)
        return mfab_onboarding__tlv_write(buf + MFAB_ONB__FIXED_LEN,
                                          tlv_len, &tlv_len, p, diag);
    return 0;
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_pack(uint8_t *buf, size_t cap, size_t *out_len,
                     const mfab_onb_payload *p, mfab_diag *diag)
{
    int rc;

    *out_len = 0;
    rc = mfab_onboarding__validate(p, 0, NULL, diag);
    if (rc < 0)
        return rc;
    return pack(buf, cap, out_len, p, diag);
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_qr_encode(char *buf, size_t cap, size_t *out_len,
                          const mfab_onb_payload *p, mfab_diag *diag)
{
    uint8_t packed[MFAB_ONB__PACKED_MAX];
    size_t n = 0;
    int rc;

    *out_len = 0;
    rc = mfab_onboarding__validate(p, 0, NULL, diag);
    if (rc < 0)
        return rc;
    rc = pack(NULL, 0, &n, p, diag);
    if (rc < 0)
        return rc;
    if (n > sizeof(packed))
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "onboarding payload of %zu bytes does not fit "
                             "a qr code (allowed %d bytes)",
                             n, MFAB_ONB__PACKED_MAX);
    *out_len = PREFIX_LEN + mfab_onboarding__base38_len(n);
    if (buf == NULL)
        return 0;
    if (cap <= *out_len)
        return MFAB_EBUFS;
    rc = pack(packed, sizeof(packed), &n, p, diag);
    if (rc < 0)
        return rc;
    memcpy(buf, PREFIX, PREFIX_LEN);
    mfab_onboarding__base38_encode(buf + PREFIX_LEN, packed, n);
    OPENSSL_cleanse(packed, n);
    return 0;
}

/*
 * Locate the index-th payload: the first '%'-segment that starts with
 * "MT:" and has more after it, then the index-th '*'-piece of that.
 */
static int
find_piece(const char *text, size_t index, const char **out,
           size_t *out_len)
{
    const char *seg = text;
    const char *seg_end;
    const char *p;
    size_t k;

    for (;;) {
        seg_end = strchr(seg, '%');
        if (seg_end == NULL)
            seg_end = seg + strlen(seg);
        if ((size_t)(seg_end - seg) > PREFIX_LEN &&
            memcmp(seg, PREFIX, PREFIX_LEN) == 0)
            break;
        if (*seg_end == '\0')
            return MFAB_EFORMAT;
        seg = seg_end + 1;
    }
    p = seg + PREFIX_LEN;
    for (k = 0; k < index; k++) {
        p = memchr(p, '*', (size_t)(seg_end - p));
        if (p == NULL)
            return MFAB_ENOTFOUND;
        p++;
    }
    *out = p;
    p = memchr(p, '*', (size_t)(seg_end - p));
    *out_len = (size_t)((p != NULL ? p : seg_end) - *out);
    return 0;
}

static int
base38_error(mfab_base38_error e, size_t pos, size_t len, const char *piece,
             const char *subject, mfab_diag *diag)
{
    switch (e) {
    case MFAB_BASE38_LENGTH:
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s: base38 text of %zu characters ends in a "
                             "chunk of %zu (allowed chunks of 5, 4 or 2)",
                             subject, len, len - pos);
    case MFAB_BASE38_CHAR: {
        unsigned char c = (unsigned char)piece[pos];

        if (c >= 0x20 && c < 0x7F)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "%s: character '%c' at payload offset %zu "
                                 "is not base38 (allowed 0-9, A-Z, '-', "
                                 "'.')",
                                 subject, c, pos);
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s: byte 0x%02x at payload offset %zu is not "
                             "base38 (allowed 0-9, A-Z, '-', '.')",
                             subject, c, pos);
    }
    case MFAB_BASE38_OVERFLOW:
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s: base38 chunk at payload offset %zu "
                             "overflows its bytes",
                             subject, pos);
    default:
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s: payload is too long (allowed %d "
                             "characters)",
                             subject, MFAB_ONB_QR_TEXT_MAX);
    }
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_qr_decode(mfab_onb_payload *out, const char *text,
                          size_t index, mfab_diag *diag)
{
    char subject[96];
    uint8_t bytes[MFAB_ONB_POOL_SIZE];
    const char *piece = NULL;
    size_t piece_len = 0;
    size_t n = 0;
    size_t bad = 0;
    unsigned off = 0;
    mfab_base38_error be;
    int rc;

    mfab_onboarding_payload_init(out);
    mfab_onboarding__subject(subject, sizeof(subject), "qr code", text);
    if (text == NULL)
        text = "";
    rc = find_piece(text, index, &piece, &piece_len);
    if (rc == MFAB_ENOTFOUND)
        return mfab_diag_set(diag, rc, "%s holds no payload number %zu",
                             subject, index + 1);
    if (rc < 0 || piece_len == 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s does not start with 'MT:' followed by a "
                             "payload",
                             subject);
    if (piece_len > MFAB_ONB_QR_TEXT_MAX)
        return base38_error(MFAB_BASE38_SPACE, 0, piece_len, piece, subject,
                            diag);
    be = mfab_onboarding__base38_decode(bytes, sizeof(bytes), &n, piece,
                                        piece_len, &bad);
    if (be != MFAB_BASE38_OK) {
        rc = base38_error(be, bad, piece_len, piece, subject, diag);
        goto out;
    }
    if (n < MFAB_ONB__FIXED_LEN) {
        rc = mfab_diag_set(diag, MFAB_EFORMAT,
                           "%s decodes to %zu bytes (need at least %d)",
                           subject, n, MFAB_ONB__FIXED_LEN);
        goto out;
    }

    out->version = (uint8_t)get_bits(bytes, &off, 3);
    out->vendor_id = (uint16_t)get_bits(bytes, &off, 16);
    out->product_id = (uint16_t)get_bits(bytes, &off, 16);
    out->flow = (uint8_t)get_bits(bytes, &off, 2);
    out->discovery = (uint8_t)get_bits(bytes, &off, 8);
    out->discriminator = (uint16_t)get_bits(bytes, &off, 12);
    out->passcode = get_bits(bytes, &off, 27);
    if (get_bits(bytes, &off, 4) != 0) {
        rc = mfab_diag_set(diag, MFAB_EFORMAT,
                           "%s: padding bits 84..87 are not zero", subject);
        goto out;
    }
    if (n > MFAB_ONB__FIXED_LEN) {
        rc = mfab_onboarding__tlv_read(out, bytes + MFAB_ONB__FIXED_LEN,
                                       n - MFAB_ONB__FIXED_LEN, subject,
                                       diag);
        if (rc < 0)
            goto out;
    }
    rc = mfab_onboarding__validate(out, 1, subject, diag);
out:
    /* the packed bytes hold the passcode */
    OPENSSL_cleanse(bytes, sizeof(bytes));
    return rc;
}
