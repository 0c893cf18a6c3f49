/*
 * pki_vidpid.c: Matter Vendor ID / Product ID of a certificate subject,
 * extracted exactly as the SDK does (spec attestation.md 2.2).
 *
 * Subject RDN attribute (one per SET):
 *   30 10 06 0A 2B 06 01 04 01 82 A2 7C 02 01   OID 1.3.6.1.4.1.37244.2.1
 *         0C 04 46 46 46 31                      UTF8String "FFF1"
 * Fallback in a CN: "...Mvid:FFF1...Mpid:8000..." (first 64 bytes only).
 */
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

/* kMax_CommonNameAttr_Length of the SDK */
#define CN_SCAN_MAX 64

static const uint8_t oid_vid[] = {0x2B, 0x06, 0x01, 0x04, 0x01,
                                  0x82, 0xA2, 0x7C, 0x02, 0x01};
static const uint8_t oid_pid[] = {0x2B, 0x06, 0x01, 0x04, 0x01,
                                  0x82, 0xA2, 0x7C, 0x02, 0x02};

static int
oid_is(const ASN1_OBJECT *obj, const uint8_t *der, size_t len)
{
    return (size_t)OBJ_length(obj) == len &&
           memcmp(OBJ_get0_data(obj), der, len) == 0;
}

/* 4 uppercase hex digits -> value; -1 otherwise. */
static long
hex4(const uint8_t *p)
{
    long v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        int c = p[i];

        if (c >= '0' && c <= '9')
            v = v * 16 + (c - '0');
        else if (c >= 'A' && c <= 'F')
            v = v * 16 + (c - 'A' + 10);
        else
            return -1;
    }
    return v;
}

/*
 * Scan a CN for prefix (spec 2.2 step 3).
 * @return 1 found (*value set), 0 no prefix, -1 prefix without 4 digits
 */
static int
scan_cn(long *value, const uint8_t *cn, size_t len, const char *prefix)
{
    size_t plen = strlen(prefix), pos;
    int seen = 0;

    for (pos = 0; pos + plen <= len; pos++) {
        if (memcmp(cn + pos, prefix, plen) != 0)
            continue;
        seen = 1;
        if (len - (pos + plen) < 4)
            break;
        *value = hex4(cn + pos + plen);
        if (*value >= 0)
            return 1;
    }
    return seen ? -1 : 0;
}

/* see matterfab/pki.h */
int
mfab_pki_cert_vidpid(mfab_pki_vidpid *out, const X509 *cert, mfab_diag *diag)
{
    const X509_NAME *name = X509_get_subject_name(cert);
    mfab_pki_vidpid oid = {0, 0, 0, 0}, cn = {0, 0, 0, 0};
    int i, n = X509_NAME_entry_count(name), cn_done = 0;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < n; i++) {
        const X509_NAME_ENTRY *e = X509_NAME_get_entry(name, i);
        const ASN1_OBJECT *obj = X509_NAME_ENTRY_get_object(e);
        const ASN1_STRING *s = X509_NAME_ENTRY_get_data(e);
        const uint8_t *v = ASN1_STRING_get0_data(s);
        size_t len = (size_t)ASN1_STRING_length(s);
        int is_vid = oid_is(obj, oid_vid, sizeof(oid_vid));

        if (is_vid || oid_is(obj, oid_pid, sizeof(oid_pid))) {
            long val = len == 4 ? hex4(v) : -1;
            const char *what = is_vid ? "VendorID" : "ProductID";

            if (val < 0)
                return mfab_diag_set(diag, MFAB_EFORMAT,
                                     "subject %s '%.*s' is not 4 uppercase "
                                     "hex digits",
                                     what, (int)(len < 16 ? len : 16), v);
            if (is_vid ? oid.has_vid : oid.has_pid)
                return mfab_diag_set(diag, MFAB_EFORMAT,
                                     "subject has two %s attributes", what);
            if (is_vid) {
                oid.vid = (uint16_t)val;
                oid.has_vid = 1;
            } else {
                oid.pid = (uint16_t)val;
                oid.has_pid = 1;
            }
        } else if (OBJ_obj2nid(obj) == NID_commonName && !cn_done) {
            long vid = 0, pid = 0;
            size_t scan = len < CN_SCAN_MAX ? len : CN_SCAN_MAX;
            int rv = scan_cn(&vid, v, scan, "Mvid:");
            int rp = scan_cn(&pid, v, scan, "Mpid:");

            if (rv < 0 || rp < 0)
                return mfab_diag_set(diag, MFAB_EFORMAT,
                                     "subject CN has '%s' without 4 "
                                     "uppercase hex digits",
                                     rv < 0 ? "Mvid:" : "Mpid:");
            if (rv > 0 || rp > 0) {
                cn.vid = (uint16_t)vid;
                cn.has_vid = rv > 0;
                cn.pid = (uint16_t)pid;
                cn.has_pid = rp > 0;
                cn_done = 1;
            }
        }
    }
    *out = (oid.has_vid || oid.has_pid) ? oid : cn;
    return 0;
}
