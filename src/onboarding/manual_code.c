/*
 * manual_code.c: the manual pairing code (Matter Core Specification
 * 5.1.4; shared/spec/matter-commissioning.md section 1.8).
 *
 *   digit  0        1..5          6..9          10..14  15..19  last
 *         +--------+-------------+-------------+-------+-------+-----+
 *         | chunk1 |   chunk2    |   chunk3    |  VID  |  PID  |check|
 *         +--------+-------------+-------------+-------+-------+-----+
 *   chunk1 = short discriminator bits 3..2 | VID/PID flag << 2   (0..7)
 *   chunk2 = passcode bits 13..0 | short discriminator bits 1..0 << 14
 *   chunk3 = passcode bits 26..14
 *   VID/PID only when the flag is set (flow != standard): 21 digits,
 *   else 11. Short discriminator = 12-bit discriminator >> 8.
 *   check = Verhoeff over the preceding digits.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "onboarding/onboarding_internal.h"

#define SHORT_LEN 11
#define LONG_LEN 21
#define VID_PID_FLAG 4u

/* see matterfab/onboarding.h */
int
mfab_onboarding_manual_encode(char *buf, size_t cap, size_t *out_len,
                              const mfab_onb_payload *p, mfab_diag *diag)
{
    char digits[LONG_LEN + 1];
    unsigned short_disc = (unsigned)(p->discriminator >> 8) & 0xFu;
    unsigned flag = p->flow != MFAB_FLOW_STANDARD ? VID_PID_FLAG : 0;
    unsigned chunk1 = (short_disc >> 2) | flag;
    unsigned chunk2 = (unsigned)(p->passcode & 0x3FFFu) |
                      ((short_disc & 3u) << 14);
    unsigned chunk3 = (unsigned)(p->passcode >> 14) & 0x1FFFu;
    size_t n;
    int rc;

    *out_len = 0;
    rc = mfab_onboarding__validate(p, 0, NULL, diag);
    if (rc < 0)
        return rc;
    if (flag)
        snprintf(digits, sizeof(digits), "%01u%05u%04u%05u%05u", chunk1,
                 chunk2, chunk3, (unsigned)p->vendor_id,
                 (unsigned)p->product_id);
    else
        snprintf(digits, sizeof(digits), "%01u%05u%04u", chunk1, chunk2,
                 chunk3);
    n = strlen(digits);
    *out_len = n + 1;
    if (buf == NULL)
        return 0;
    if (cap <= *out_len)
        return MFAB_EBUFS;
    memcpy(buf, digits, n);
    buf[n] = mfab_onboarding__verhoeff_digit(digits, n);
    buf[n + 1] = '\0';
    OPENSSL_cleanse(digits, sizeof(digits));
    return 0;
}

static unsigned long
decimal(const char *d, size_t n)
{
    unsigned long v = 0;
    size_t i;

    for (i = 0; i < n; i++)
        v = v * 10 + (unsigned long)(d[i] - '0');
    return v;
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_manual_decode(mfab_onb_payload *out, const char *text,
                              mfab_diag *diag)
{
    char subject[96];
    char d[LONG_LEN + 1];
    size_t n = 0;
    size_t total = 0;
    size_t i;
    unsigned chunk1;
    unsigned long chunk2;
    unsigned long chunk3;
    unsigned short_disc;
    size_t want;

    mfab_onboarding_payload_init(out);
    out->discovery = 0;
    mfab_onboarding__subject(subject, sizeof(subject), "manual code", text);
    if (text == NULL)
        text = "";
    /* separators as printed by mfg_tool and on labels are ignored */
    for (i = 0; text[i] != '\0'; i++) {
        char c = text[i];

        if (c == '-' || c == ' ' || c == '\n' || c == '\r')
            continue;
        if (c < '0' || c > '9')
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "%s: character at offset %zu is not a "
                                 "digit (allowed 0-9 and '-')",
                                 subject, i);
        if (n < LONG_LEN)
            d[n++] = c;
        total++;
    }
    d[n] = '\0';
    if (total < 2)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s is too short (allowed 11 or 21 digits)",
                             subject);
    if (total > LONG_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s has %zu digits (allowed 11 or 21)", subject,
                             total);
    if (!mfab_onboarding__verhoeff_valid(d, n))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s: check digit '%c' is wrong (expected '%c')",
                             subject, d[n - 1],
                             mfab_onboarding__verhoeff_digit(d, n - 1));
    chunk1 = (unsigned)(d[0] - '0');
    if (chunk1 > 7)
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "%s: first digit '%u' is reserved for a future "
                             "version (allowed 0..7)",
                             subject, chunk1);
    want = (chunk1 & VID_PID_FLAG) ? LONG_LEN : SHORT_LEN;
    if (n != want)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s has %zu digits but its first digit '%u' "
                             "calls for %zu (allowed 11 with first digit "
                             "0..3, 21 with 4..7)",
                             subject, n, chunk1, want);

    chunk2 = decimal(d + 1, 5);
    chunk3 = decimal(d + 6, 4);
    short_disc = ((chunk1 & 3u) << 2) | (unsigned)((chunk2 >> 14) & 3u);
    out->discriminator = (uint16_t)(short_disc << 8);
    out->short_discriminator_only = 1;
    out->passcode = (uint32_t)((chunk2 & 0x3FFFu) | ((chunk3 & 0x1FFFu) << 14));
    if (want == LONG_LEN) {
        unsigned long vid = decimal(d + 10, 5);
        unsigned long pid = decimal(d + 15, 5);

        if (vid > 0xFFFF || pid > 0xFFFF)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "%s: %s id '%lu' does not fit 16 bits "
                                 "(allowed 0..65535)",
                                 subject, vid > 0xFFFF ? "vendor" : "product",
                                 vid > 0xFFFF ? vid : pid);
        out->vendor_id = (uint16_t)vid;
        out->product_id = (uint16_t)pid;
        /* user-intent and custom both give the long form; CHIP reports
         * custom */
        out->flow = MFAB_FLOW_CUSTOM;
    } else {
        out->no_vid_pid = 1;
        out->flow = MFAB_FLOW_STANDARD;
    }
    return mfab_onboarding__validate(out, 1, subject, diag);
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_manual_format(char *buf, size_t cap, size_t *out_len,
                              const char *digits, mfab_diag *diag)
{
    char tmp[32];
    size_t n = digits != NULL ? strlen(digits) : 0;
    size_t i;

    *out_len = 0;
    for (i = 0; i < n; i++) {
        if (digits[i] < '0' || digits[i] > '9')
            break;
    }
    if (i != n || (n != SHORT_LEN && n != LONG_LEN))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "manual code '%.32s' is not 11 or 21 digits",
                             digits != NULL ? digits : "");
    if (n == SHORT_LEN)
        snprintf(tmp, sizeof(tmp), "%.4s-%.3s-%.4s", digits, digits + 4,
                 digits + 7);
    else
        snprintf(tmp, sizeof(tmp), "%.4s-%.3s-%.4s\n%.4s-%.3s-%.2s-%.1s",
                 digits, digits + 4, digits + 7, digits + 11, digits + 15,
                 digits + 18, digits + 20);
    *out_len = strlen(tmp);
    if (buf == NULL)
        return 0;
    if (cap <= *out_len)
        return MFAB_EBUFS;
    memcpy(buf, tmp, *out_len + 1);
    return 0;
}
