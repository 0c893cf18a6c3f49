/*
 * cd_der.c: the DER subset of the CD's CMS envelope (ITU-T X.690 section
 * 8.1 and 10.1: identifier, definite minimal length, value), shared by the
 * envelope writer (cd_cms_sign.c) and reader (cd_cms_verify.c), per
 * shared/spec/attestation.md section 4.3.
 *
 * Element layout handled here:
 *
 *   +-----+----------------------+-----------+
 *   | tag | length               | value     |
 *   +-----+----------------------+-----------+
 *     1     1: 00..7F             len bytes
 *           2: 81 LL       (LL >= 0x80)
 *           3: 82 HH LL    (HHLL >= 0x100)
 *           4: 83 HH MM LL (>= 0x10000)
 *
 * Tag numbers >= 31 (identifier xx11111) and the indefinite form (80) are
 * BER, not DER, and are refused, as are non-minimal lengths. A CD envelope
 * is a few hundred bytes, so three length octets are plenty.
 */
#include <string.h>

#include "cd/cd_internal.h"

/* 1.2.840.113549.1.7.2 */
const uint8_t mfab_cd__oid_signed_data[9] = {0x2A, 0x86, 0x48, 0x86, 0xF7,
                                             0x0D, 0x01, 0x07, 0x02};
/* 1.2.840.113549.1.7.1 */
const uint8_t mfab_cd__oid_data[9] = {0x2A, 0x86, 0x48, 0x86, 0xF7,
                                      0x0D, 0x01, 0x07, 0x01};
/* 2.16.840.1.101.3.4.2.1 */
const uint8_t mfab_cd__oid_sha256[9] = {0x60, 0x86, 0x48, 0x01, 0x65,
                                        0x03, 0x04, 0x02, 0x01};
/* 1.2.840.10045.4.3.2 */
const uint8_t mfab_cd__oid_ecdsa_sha256[8] = {0x2A, 0x86, 0x48, 0xCE,
                                              0x3D, 0x04, 0x03, 0x02};

/* see cd_internal.h */
int
mfab_cd__der_next(mfab_cursor *c, mfab_cd__der *out)
{
    const uint8_t *p = NULL;
    size_t len, nlen, i;
    int rc;

    out->start = c->p;
    rc = mfab_cursor_take(c, &p, 2);
    if (rc < 0)
        return rc;
    if ((p[0] & 0x1F) == 0x1F)
        return MFAB_EFORMAT;
    out->tag = p[0];
    len = p[1];
    if (len & 0x80) {
        nlen = len & 0x7F;
        if (nlen == 0 || nlen > 3)
            return MFAB_EFORMAT;
        rc = mfab_cursor_take(c, &p, nlen);
        if (rc < 0)
            return rc;
        if (p[0] == 0)
            return MFAB_EFORMAT; /* leading zero octet: not minimal */
        len = 0;
        for (i = 0; i < nlen; i++)
            len = (len << 8) | p[i];
        if (len < 0x80)
            return MFAB_EFORMAT;
    }
    rc = mfab_cursor_take(c, &p, len);
    if (rc < 0)
        return rc;
    out->val = p;
    out->len = len;
    return 0;
}

/* see cd_internal.h */
int
mfab_cd__der_expect(mfab_cursor *c, uint8_t tag, mfab_cd__der *out)
{
    int rc = mfab_cd__der_next(c, out);

    if (rc < 0)
        return rc;
    return out->tag == tag ? 0 : MFAB_EFORMAT;
}

/* see cd_internal.h */
int
mfab_cd__der_is_oid(const mfab_cd__der *e, const uint8_t *oid, size_t n)
{
    return e->tag == MFAB_CD__DER_OID && e->len == n &&
           memcmp(e->val, oid, n) == 0;
}
