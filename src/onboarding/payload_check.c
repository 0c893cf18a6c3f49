/*
 * payload_check.c: onboarding payload contents and their validity rules
 * (Matter Core Specification 5.1.1 and 5.1.3; shared/spec/
 * matter-commissioning.md sections 1.2, 1.3 and 1.7), as the newest
 * connectedhomeip SDK applies them when producing a payload
 * (PayloadContents::isValidQRCodePayload, kProduce) and when parsing one.
 *
 * Vendor and product ID rules split the two: mfg_tool (and so every
 * existing factory flow) accepts VID 0xFFF5..0xFFFF and PID 0, so encoding
 * only warns, while decoding refuses what the SDK would refuse.
 */
#include <stdio.h>
#include <string.h>

#include "common/common_internal.h"
#include "onboarding/onboarding_internal.h"

/* Highest operationally valid vendor ID (0xFFF1..0xFFF4 are test IDs). */
#define VID_MAX_VALID 0xFFF4u

/* see matterfab/onboarding.h */
void
mfab_onboarding_payload_init(mfab_onb_payload *out)
{
    memset(out, 0, sizeof(*out));
    out->discovery = MFAB_DISCOVERY_BLE;
}

static int
add_extra(mfab_onb_payload *p, const mfab_onb_extra *e, mfab_diag *diag)
{
    size_t i;

    for (i = 0; i < p->n_extras; i++) {
        if (p->extras[i].tag == e->tag) {
            p->extras[i] = *e;
            return 0;
        }
    }
    if (p->n_extras >= MFAB_ONB_MAX_EXTRAS)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "optional data element 0x%02x is one too many "
                             "(allowed %d elements)",
                             e->tag, MFAB_ONB_MAX_EXTRAS);
    p->extras[p->n_extras++] = *e;
    return 0;
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_add_string(mfab_onb_payload *p, uint8_t tag, const char *s,
                           size_t len, mfab_diag *diag)
{
    mfab_onb_extra e;

    memset(&e, 0, sizeof(e));
    e.tag = tag;
    e.type = MFAB_ONB_EXTRA_STRING;
    e.v.s.p = s != NULL ? s : "";
    e.v.s.len = s != NULL ? len : 0;
    return add_extra(p, &e, diag);
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_add_int(mfab_onb_payload *p, uint8_t tag, int64_t v,
                        mfab_diag *diag)
{
    mfab_onb_extra e;

    memset(&e, 0, sizeof(e));
    e.tag = tag;
    e.type = MFAB_ONB_EXTRA_INT;
    e.v.i = v;
    return add_extra(p, &e, diag);
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_add_uint(mfab_onb_payload *p, uint8_t tag, uint64_t v,
                         mfab_diag *diag)
{
    mfab_onb_extra e;

    memset(&e, 0, sizeof(e));
    e.tag = tag;
    e.type = MFAB_ONB_EXTRA_UINT;
    e.v.u = v;
    return add_extra(p, &e, diag);
}

/*
 * Types and ranges CHIP's addOptionalExtensionData allows per tag (spec
 * section 1.3); reserved common tags 0x05..0x7F take any type.
 */
static int
check_extra(const mfab_onb_extra *e, const char *pre, const char *sep,
            mfab_diag *diag)
{
    int is_uint = e->type == MFAB_ONB_EXTRA_UINT;
    int is_str = e->type == MFAB_ONB_EXTRA_STRING;

    switch (e->tag) {
    case MFAB_ONB_TAG_SERIAL:
        if (is_str || (is_uint && e->v.u <= UINT32_MAX))
            return 0;
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s%soptional data 0x00 (serial number) must be "
                             "a string or an unsigned integer up to "
                             "4294967295",
                             pre, sep);
    case MFAB_ONB_TAG_PBKDF_ITERATIONS:
        if (is_uint && e->v.u >= 1000 && e->v.u <= 100000)
            return 0;
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "%s%soptional data 0x01 (pbkdf iterations) must "
                             "be an unsigned integer (allowed 1000..100000)",
                             pre, sep);
    case MFAB_ONB_TAG_PBKDF_SALT:
        if (is_str)
            return 0;
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s%soptional data 0x02 (pbkdf salt) must be a "
                             "string",
                             pre, sep);
    case MFAB_ONB_TAG_NUMBER_OF_DEVICES:
        if (is_uint && e->v.u >= 1 && e->v.u <= 255)
            return 0;
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "%s%soptional data 0x03 (number of devices) must "
                             "be an unsigned integer (allowed 1..255)",
                             pre, sep);
    case MFAB_ONB_TAG_COMMISSIONING_TIMEOUT:
        if (is_uint)
            return 0;
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s%soptional data 0x04 (commissioning timeout) "
                             "must be an unsigned integer",
                             pre, sep);
    default:
        return 0;
    }
}

/* see onboarding_internal.h */
int
mfab_onboarding__validate(const mfab_onb_payload *p, int decoding,
                          const char *subject, mfab_diag *diag)
{
    const char *pre = subject != NULL ? subject : "";
    const char *sep = subject != NULL ? ": " : "";
    size_t i;
    int rc;

    if (p->version != 0)
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "%s%sversion '%u' is not supported (allowed 0)",
                             pre, sep, p->version);
    if (p->flow > MFAB_FLOW_CUSTOM)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s%scommissioning flow '%u' is reserved "
                             "(allowed 0 standard, 1 user-intent, 2 custom)",
                             pre, sep, p->flow);
    if (!p->short_discriminator_only) {
        if (p->discovery & ~MFAB_DISCOVERY_ALL)
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "%s%sdiscovery capabilities '0x%02x' set "
                                 "reserved bits 6..7 (allowed 0x00..0x3f: "
                                 "1 soft-ap, 2 ble, 4 on-network, 8 wi-fi "
                                 "paf, 16 nfc, 32 thread)",
                                 pre, sep, p->discovery);
        if (!decoding && (p->discovery & 0x38))
            mfab_diag_warn(diag,
                           "discovery capabilities '0x%02x' use bits 3..5 "
                           "(wi-fi paf, nfc, thread) that commissioners "
                           "older than matter 1.4 refuse",
                           p->discovery);
    }
    rc = mfab_discriminator_check(p->discriminator, diag);
    if (rc < 0)
        return rc;
    rc = mfab_passcode_check(p->passcode, diag);
    if (rc < 0)
        return rc;

    if (!p->no_vid_pid) {
        if (p->vendor_id > VID_MAX_VALID) {
            if (decoding)
                return mfab_diag_set(diag, MFAB_EINVAL,
                                     "%s%svendor id '0x%04x' is not "
                                     "operationally valid (allowed 0 or "
                                     "0x0001..0xfff4)",
                                     pre, sep, p->vendor_id);
            mfab_diag_warn(diag,
                           "vendor id '0x%04x' is not operationally valid "
                           "(allowed 0 or 0x0001..0xfff4): current matter "
                           "commissioners refuse this payload",
                           p->vendor_id);
        }
        if (p->vendor_id != 0 && p->product_id == 0) {
            if (decoding)
                return mfab_diag_set(diag, MFAB_EINVAL,
                                     "%s%sproduct id '0' is not allowed "
                                     "with vendor id '0x%04x' (allowed "
                                     "0x0001..0xffff)",
                                     pre, sep, p->vendor_id);
            mfab_diag_warn(diag,
                           "product id '0' with vendor id '0x%04x' "
                           "(allowed 0x0001..0xffff): current matter "
                           "commissioners refuse this payload",
                           p->vendor_id);
        }
    }

    if (p->n_extras > MFAB_ONB_MAX_EXTRAS)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "%s%s%zu optional data elements (allowed %d)",
                             pre, sep, p->n_extras, MFAB_ONB_MAX_EXTRAS);
    for (i = 0; i < p->n_extras; i++) {
        rc = check_extra(&p->extras[i], pre, sep, diag);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_check(const mfab_onb_payload *p, mfab_diag *diag)
{
    return mfab_onboarding__validate(p, 0, NULL, diag);
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_check_mfg_discovery_mode(uint32_t mode, mfab_diag *diag)
{
    if (mode == 2 || mode == 4 || mode == 6)
        return 0;
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "discovery mode '%lu' is not accepted by "
                         "esp-matter-mfg-tool (allowed 2 ble, 4 on-network, "
                         "6 both)",
                         (unsigned long)mode);
}

/* see onboarding_internal.h */
void
mfab_onboarding__subject(char *out, size_t cap, const char *kind,
                         const char *text)
{
    enum { SHOW = 48 };
    char shown[SHOW + 4];
    size_t n = 0;
    size_t i;

    if (text == NULL)
        text = "";
    for (i = 0; text[i] != '\0' && n < SHOW; i++) {
        unsigned char c = (unsigned char)text[i];

        shown[n++] = (c >= 0x20 && c < 0x7F && c != '\'') ? (char)c : '?';
    }
    if (text[i] != '\0') {
        memcpy(shown + n, "...", 3);
        n += 3;
    }
    shown[n] = '\0';
    snprintf(out, cap, "%s '%s'", kind, shown);
}
