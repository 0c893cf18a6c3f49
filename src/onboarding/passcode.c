/*
 * passcode.c: setup passcode and discriminator validity (Matter Core
 * Specification 5.1.7.1 "Invalid Passcodes"; shared/spec/
 * matter-commissioning.md sections 2.1 and 2.2).
 *
 * The passcode occupies 27 bits of the QR payload but only 1..99999998 is
 * legal (8 decimal digits, minus 99999999), and the trivially guessable
 * values below are forbidden. mfg_tool enforces only the list (its range
 * test is dead code, spec section 8 B1); we enforce both.
 */
#include "common/common_internal.h"
#include "matterfab/onboarding.h"

static const uint32_t forbidden[] = {
    0,        11111111, 22222222, 33333333, 44444444, 55555555,
    66666666, 77777777, 88888888, 99999999, 12345678, 87654321,
};

#define ALLOWED                                                               \
    "allowed 1..99999998 except 11111111, 22222222, 33333333, 44444444, "     \
    "55555555, 66666666, 77777777, 88888888, 12345678, 87654321"

/* " in <what>" when the caller named the input, else "" */
#define WHERE(what) (what) ? " in " : "", (what) ? (what) : ""

static int
passcode_rule(uint64_t v, const char *what, mfab_diag *diag)
{
    size_t i;

    if (v < MFAB_PASSCODE_MIN || v > MFAB_PASSCODE_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "passcode '%llu'%s%s out of range (" ALLOWED ")",
                             (unsigned long long)v, WHERE(what));
    for (i = 0; i < MFAB_ARRAY_SIZE(forbidden); i++) {
        if (v == forbidden[i])
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "passcode '%08llu'%s%s is forbidden by the "
                                 "matter specification (" ALLOWED ")",
                                 (unsigned long long)v, WHERE(what));
    }
    return 0;
}

static int
discriminator_rule(uint64_t v, const char *what, mfab_diag *diag)
{
    if (v > MFAB_DISCRIMINATOR_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "discriminator '%llu'%s%s out of range "
                             "(allowed 0..4095)",
                             (unsigned long long)v, WHERE(what));
    return 0;
}

/* see matterfab/onboarding.h */
int
mfab_passcode_check(uint32_t passcode, mfab_diag *diag)
{
    return passcode_rule(passcode, NULL, diag);
}

/* see matterfab/onboarding.h */
int
mfab_discriminator_check(uint32_t discriminator, mfab_diag *diag)
{
    return discriminator_rule(discriminator, NULL, diag);
}

/*
 * Decimal digits only, at most 19 significant ones, so that no sign,
 * blank, hex prefix or overflow slips through as strtoul would let it.
 */
static int
parse_decimal(uint64_t *out, const char *text, const char *what,
              const char *name, mfab_diag *diag)
{
    const char *p;
    uint64_t v = 0;
    size_t digits = 0;

    if (text == NULL || *text == '\0')
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s is empty%s%s (allowed a decimal number)",
                             name, WHERE(what));
    for (p = text; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "%s '%s'%s%s is not a decimal number", name,
                                 text, WHERE(what));
        if (v != 0 || *p != '0')
            digits++;
        if (digits > 19)
            return mfab_diag_set(diag, MFAB_ERANGE,
                                 "%s '%s'%s%s out of range", name, text,
                                 WHERE(what));
        v = v * 10 + (uint64_t)(*p - '0');
    }
    *out = v;
    return 0;
}

/* see matterfab/onboarding.h */
int
mfab_passcode_parse(uint32_t *out, const char *text, const char *what,
                    mfab_diag *diag)
{
    uint64_t v = 0;
    int rc;

    rc = parse_decimal(&v, text, what, "passcode", diag);
    if (rc < 0)
        return rc;
    rc = passcode_rule(v, what, diag);
    if (rc < 0)
        return rc;
    *out = (uint32_t)v;
    return 0;
}

/* see matterfab/onboarding.h */
int
mfab_discriminator_parse(uint16_t *out, const char *text, const char *what,
                         mfab_diag *diag)
{
    uint64_t v = 0;
    int rc;

    rc = parse_decimal(&v, text, what, "discriminator", diag);
    if (rc < 0)
        return rc;
    rc = discriminator_rule(v, what, diag);
    if (rc < 0)
        return rc;
    *out = (uint16_t)v;
    return 0;
}
