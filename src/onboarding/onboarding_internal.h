/*
 * onboarding_internal.h: pieces shared by the onboarding payload files
 * (shared/spec/matter-commissioning.md sections 1 and 2).
 */
#ifndef MFAB_ONBOARDING_INTERNAL_H
#define MFAB_ONBOARDING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"
#include "matterfab/onboarding.h"

/* Fixed part of the packed payload: 88 bits. */
#define MFAB_ONB__FIXED_LEN 11
/* Largest packed payload whose "MT:" text still fits a QR code. */
#define MFAB_ONB__PACKED_MAX 2575

/* ---- base38.c ---- */

/* Characters Base38 makes of n bytes. */
size_t mfab_onboarding__base38_len(size_t n);

/* Encode n bytes; out needs base38_len(n) + 1 bytes (NUL-terminated). */
void mfab_onboarding__base38_encode(char *out, const uint8_t *data,
                                    size_t n);

typedef enum mfab_base38_error {
    MFAB_BASE38_OK,
    MFAB_BASE38_LENGTH,   /* a trailing chunk of 1 or 3 characters */
    MFAB_BASE38_CHAR,     /* a character outside the alphabet */
    MFAB_BASE38_OVERFLOW, /* a chunk's value does not fit its bytes */
    MFAB_BASE38_SPACE     /* out is too small */
} mfab_base38_error;

/*
 * Decode len characters into out (cap bytes); on failure *bad_pos is the
 * offset of the offending character or chunk.
 */
mfab_base38_error mfab_onboarding__base38_decode(uint8_t *out, size_t cap,
                                                 size_t *out_len,
                                                 const char *text,
                                                 size_t len,
                                                 size_t *bad_pos);

/* ---- verhoeff.c ---- */

/* Check digit ('0'..'9') for n decimal digits. */
char mfab_onboarding__verhoeff_digit(const char *digits, size_t n);

/* 1 when the last of the n digits is the check digit of the others. */
int mfab_onboarding__verhoeff_valid(const char *digits, size_t n);

/* ---- payload_check.c ---- */

/*
 * Validity rules. decoding = 1 makes the vendor/product ID rules errors
 * (else warnings) and skips what a manual code cannot carry; subject
 * ("qr code 'MT:...'") prefixes the messages, or is NULL.
 */
int mfab_onboarding__validate(const mfab_onb_payload *p, int decoding,
                              const char *subject, mfab_diag *diag);

/*
 * "<kind> '<text>'" for messages: non-printable bytes shown as '?', long
 * text shortened with "...", so hostile input cannot flood the message.
 */
void mfab_onboarding__subject(char *out, size_t cap, const char *kind,
                              const char *text);

/* ---- qr_tlv.c ---- */

/* Optional data as one anonymous TLV structure (section 1.3 order). */
int mfab_onboarding__tlv_write(uint8_t *buf, size_t cap, size_t *out_len,
                               const mfab_onb_payload *p, mfab_diag *diag);

/* Parse the optional data into p->extras, strings copied into p->pool. */
int mfab_onboarding__tlv_read(mfab_onb_payload *p, const uint8_t *buf,
                              size_t len, const char *subject,
                              mfab_diag *diag);

#endif
