/*
 * payload_fields.c: onboarding payload fields from text, each with the
 * width of its packed field (shared/spec/matter-commissioning.md sections
 * 1.1, 1.2 and 2), so that no caller can pass a value that would spill
 * into its neighbour (mfg_tool's B3 bug).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "onboarding/onboarding_internal.h"

#define WHERE(what) (what) ? " in " : "", (what) ? (what) : ""

/* Decimal or 0x-hex, no sign, no blanks, no octal surprise. */
static int
parse_number(unsigned long long *out, const char *name, const char *text,
             const char *what, mfab_diag *diag)
{
    const char *digits = text;
    int base = 10;
    char *end = NULL;
    unsigned long long v;

    if (text != NULL && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        digits = text + 2;
        base = 16;
    }
    if (text == NULL || digits[0] == '\0' ||
        strspn(digits, base == 16 ? "0123456789abcdefABCDEF"
                                  : "0123456789") != strlen(digits))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s '%s'%s%s is not a number (allowed decimal "
                             "or 0x-hex)",
                             name, text != NULL ? text : "", WHERE(what));
    errno = 0;
    v = strtoull(digits, &end, base);
    if (errno != 0)
        return mfab_diag_set(diag, MFAB_ERANGE, "%s '%s'%s%s out of range",
                             name, text, WHERE(what));
    *out = v;
    return 0;
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_set_field(mfab_onb_payload *p, const char *field,
                          const char *text, const char *what,
                          mfab_diag *diag)
{
    unsigned long long v = 0;
    int rc;

    if (field == NULL)
        field = "";
    if (strcmp(field, "passcode") == 0)
        return mfab_passcode_parse(&p->passcode, text, what, diag);
    if (strcmp(field, "discriminator") == 0)
        return mfab_discriminator_parse(&p->discriminator, text, what, diag);

    if (strcmp(field, "vendor-id") == 0 || strcmp(field, "product-id") == 0) {
        int vid = field[0] == 'v';
        const char *name = vid ? "vendor id" : "product id";

        rc = parse_number(&v, name, text, what, diag);
        if (rc < 0)
            return rc;
        if (v > 0xFFFF)
            return mfab_diag_set(diag, MFAB_ERANGE,
                                 "%s '%s'%s%s out of range (allowed "
                                 "0..65535)",
                                 name, text, WHERE(what));
        if (vid)
            p->vendor_id = (uint16_t)v;
        else
            p->product_id = (uint16_t)v;
        return 0;
    }
    if (strcmp(field, "flow") == 0) {
        rc = parse_number(&v, "commissioning flow", text, what, diag);
        if (rc < 0)
            return rc;
        if (v > MFAB_FLOW_CUSTOM)
            return mfab_diag_set(diag, v == 3 ? MFAB_EINVAL : MFAB_ERANGE,
                                 "commissioning flow '%s'%s%s is %s "
                                 "(allowed 0 standard, 1 user-intent, "
                                 "2 custom)",
                                 text, WHERE(what),
                                 v == 3 ? "reserved" : "out of range");
        p->flow = (uint8_t)v;
        return 0;
    }
    if (strcmp(field, "discovery") == 0) {
        rc = parse_number(&v, "discovery capabilities", text, what, diag);
        if (rc < 0)
            return rc;
        if (v > MFAB_DISCOVERY_ALL)
            return mfab_diag_set(diag, v > 0xFF ? MFAB_ERANGE : MFAB_EINVAL,
                                 "discovery capabilities '%s'%s%s set "
                                 "reserved bits (allowed 0x00..0x3f: 1 "
                                 "soft-ap, 2 ble, 4 on-network, 8 wi-fi "
                                 "paf, 16 nfc, 32 thread)",
                                 text, WHERE(what));
        p->discovery = (uint8_t)v;
        return 0;
    }
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "payload field '%s' is unknown (allowed vendor-id, "
                         "product-id, flow, discovery, discriminator, "
                         "passcode)",
                         field);
}
