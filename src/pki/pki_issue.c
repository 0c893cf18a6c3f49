/*
 * pki_issue.c: PAA / PAI / DAC certificates to the Matter profile, as
 * chip-cert gen-att-cert writes them (spec attestation.md 2.1-2.3, 3.1).
 *
 * TBSCertificate as written here:
 *   A0 03 02 01 02                      version v3
 *   02 xx <serial>                      20 random bytes, top bit clear
 *   30 0A 06 08 2A8648CE3D040302        ecdsa-with-SHA256, no parameters
 *   issuer                              the CA's subject, byte for byte
 *   validity                            UTCTime < 2050 <= GeneralizedTime
 *   subject  SET{CN UTF8} [SET{VID "XXXX"}] [SET{PID "YYYY"}]
 *   subjectPublicKeyInfo                P-256, uncompressed
 *   A3 ... extensions, in this order, with exactly these values:
 *     basicConstraints critical  DAC 30 00 | PAI 30 06 01 01 FF 02 01 00
 *                                PAA 30 06 01 01 FF 02 01 01
 *     keyUsage critical          DAC 03 02 07 80 | CA 03 02 01 06
 *     subjectKeyIdentifier       04 14 SHA-1(04||X||Y)
 *     authorityKeyIdentifier     30 16 80 14 <issuer's SKID value>
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

#define SERIAL_LEN 20
#define CN_MAX MFAB_PKI__CN_MAX
#define SECONDS_PER_DAY 86400

static const uint8_t bc_dac[] = {0x30, 0x00};
static const uint8_t bc_pai[] = {0x30, 0x06, 0x01, 0x01,
                                 0xFF, 0x02, 0x01, 0x00};
static const uint8_t bc_paa[] = {0x30, 0x06, 0x01, 0x01,
                                 0xFF, 0x02, 0x01, 0x01};
static const uint8_t ku_dac[] = {0x03, 0x02, 0x07, 0x80};
static const uint8_t ku_ca[] = {0x03, 0x02, 0x01, 0x06};

static const char *const vid_oid = "1.3.6.1.4.1.37244.2.1";
static const char *const pid_oid = "1.3.6.1.4.1.37244.2.2";

/* Append an extension whose extnValue holds exactly der. */
static int
add_ext(X509 *cert, int nid, int critical, const uint8_t *der, size_t len)
{
    ASN1_OCTET_STRING *val = ASN1_OCTET_STRING_new();
    X509_EXTENSION *ext = NULL;
    int ok = val != NULL && ASN1_OCTET_STRING_set(val, der, (int)len) == 1;

    if (ok)
        ext = X509_EXTENSION_create_by_NID(NULL, nid, critical, val);
    ok = ext != NULL && X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    ASN1_OCTET_STRING_free(val);
    return ok ? 0 : -1;
}

/* SKID method 1: SHA-1 over 04||X||Y (RFC 5280 4.2.1.2). */
static int
key_skid(uint8_t out[MFAB_PKI_KEY_ID_LEN], const EVP_PKEY *key, mfab_diag *diag)
{
    uint8_t point[65];
    size_t len = 0;
    int rc = mfab_pki_key_encode(point, sizeof(point), &len, key,
                                 MFAB_PKI_KEY_RAW_PUBLIC, diag);

    if (rc < 0)
        return rc;
    SHA1(point, len, out);
    return 0;
}

static int
random_serial(X509 *cert, mfab_diag *diag)
{
    uint8_t raw[SERIAL_LEN];
    BIGNUM *bn = NULL;
    ASN1_INTEGER *serial = NULL;
    int rc = 0;

    do {
        if (RAND_bytes(raw, sizeof(raw)) != 1) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "cannot draw a serial number");
            goto out;
        }
        raw[0] &= 0x7F;
        BN_free(bn);
        bn = BN_bin2bn(raw, sizeof(raw), NULL);
    } while (bn != NULL && BN_is_zero(bn));
    serial = bn != NULL ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    if (serial == NULL || X509_set_serialNumber(cert, serial) != 1)
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "cannot set the serial");
out:
    BN_free(bn);
    ASN1_INTEGER_free(serial);
    return rc;
}

static int
add_id_attr(X509_NAME *name, const char *oid, uint16_t v)
{
    char text[5];
    ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
    int ok;

    snprintf(text, sizeof(text), "%04X", v);
    ok = obj != NULL &&
         X509_NAME_add_entry_by_OBJ(name, obj, V_ASN1_UTF8STRING,
                                    (const unsigned char *)text, 4, -1, 0) == 1;
    ASN1_OBJECT_free(obj);
    return ok ? 0 : -1;
}

/* see pki_internal.h */
int
mfab_pki__issue_cn(char cn[MFAB_PKI__CN_MAX + 1],
                   const mfab_pki_issue_options *o, mfab_diag *diag)
{
    size_t used;

    used = (size_t)snprintf(cn, CN_MAX + 1, "%s", o->subject_cn);
    if (used <= CN_MAX && o->vid_pid_as_cn && o->has_vid)
        used += (size_t)snprintf(cn + used, CN_MAX + 1 - used, " Mvid:%04X",
                                 o->vid);
    if (used <= CN_MAX && o->vid_pid_as_cn && o->has_pid)
        used += (size_t)snprintf(cn + used, CN_MAX + 1 - used, " Mpid:%04X",
                                 o->pid);
    if (used > CN_MAX)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "subject CN '%.20s...' is too long (max %d "
                             "bytes%s)",
                             o->subject_cn, CN_MAX,
                             o->vid_pid_as_cn ? " with the Mvid/Mpid suffix"
                                              : "");
    return 0;
}

static int
build_subject(X509 *cert, const mfab_pki_issue_options *o, mfab_diag *diag)
{
    char cn[CN_MAX + 1];
    X509_NAME *name = NULL;
    int rc;

    rc = mfab_pki__issue_cn(cn, o, diag);
    if (rc < 0)
        return rc;
    name = X509_NAME_new();
    if (name == NULL ||
        X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
                                   (const unsigned char *)cn, -1, -1, 0) != 1 ||
        (!o->vid_pid_as_cn && o->has_vid &&
         add_id_attr(name, vid_oid, o->vid) != 0) ||
        (!o->vid_pid_as_cn && o->has_pid &&
         add_id_attr(name, pid_oid, o->pid) != 0) ||
        X509_set_subject_name(cert, name) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_EINVAL,
                                "cannot build the subject from CN '%s'", cn);
        goto out;
    }
out:
    X509_NAME_free(name);
    return rc;
}

static int
set_validity(X509 *cert, const mfab_pki_issue_options *o, mfab_diag *diag)
{
    ASN1_TIME *nb = ASN1_TIME_set(NULL, o->not_before);
    ASN1_TIME *na = NULL;
    int rc = 0;

    if (o->lifetime_days == MFAB_PKI_LIFETIME_NO_EXPIRY) {
        na = ASN1_TIME_new();
        if (na != NULL && ASN1_TIME_set_string(na, "99991231235959Z") != 1) {
            ASN1_TIME_free(na);
            na = NULL;
        }
    } else {
        na = ASN1_TIME_set(NULL,
                           o->not_before +
                               (time_t)o->lifetime_days * SECONDS_PER_DAY - 1);
    }
    if (nb == NULL || na == NULL || X509_set1_notBefore(cert, nb) != 1 ||
        X509_set1_notAfter(cert, na) != 1)
        rc =
            mfab_diag_set_ossl(diag, MFAB_EINVAL, "validity cannot be encoded");
    ASN1_TIME_free(nb);
    ASN1_TIME_free(na);
    return rc;
}

/* see pki_internal.h */
int
mfab_pki__issue_check_options(const mfab_pki_issue_options *o, int has_ca,
                              mfab_diag *diag)
{
    if (o->subject_cn == NULL || o->subject_cn[0] == '\0')
        return mfab_diag_set(diag, MFAB_EINVAL, "a subject CN is required");
    if (o->type == MFAB_PKI_PAA && o->has_pid)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "a PAA must not carry a product ID");
    if (o->type != MFAB_PKI_PAA && !o->has_vid)
        return mfab_diag_set(diag, MFAB_EINVAL, "a %s needs a vendor ID",
                             o->type == MFAB_PKI_PAI ? "PAI" : "DAC");
    if (o->type == MFAB_PKI_DAC && !o->has_pid)
        return mfab_diag_set(diag, MFAB_EINVAL, "a DAC needs a product ID");
    if (o->lifetime_days == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "lifetime must be at least 1 day");
    if ((o->type == MFAB_PKI_PAA) != !has_ca)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             o->type == MFAB_PKI_PAA
                                 ? "a PAA is self-signed: no CA certificate"
                                 : "a CA certificate is required");
    return 0;
}

/* see pki_internal.h */
int
mfab_pki__issue_check_ids(const mfab_pki_issue_options *o,
                          const mfab_pki_vidpid *ca_id, mfab_diag *diag)
{
    if (ca_id->has_vid && ca_id->vid != o->vid)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "vendor ID %04X differs from the issuer's %04X",
                             o->vid, ca_id->vid);
    if (o->type == MFAB_PKI_DAC && ca_id->has_pid && ca_id->pid != o->pid)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "product ID %04X differs from the PAI's %04X",
                             o->pid, ca_id->pid);
    return 0;
}

/* see pki_internal.h */
int
mfab_pki__issue_check_ca(mfab_pki_vidpid *ca_id, const X509 *ca_cert,
                         mfab_pki_cert_type ca_type, mfab_diag *diag)
{
    mfab_diag why = MFAB_DIAG_INIT;

    if (mfab_pki_cert_check_format(ca_cert, ca_type, &why) < 0)
        return mfab_diag_set(
            diag, MFAB_EINVAL, "CA certificate is not a valid %s: %s",
            ca_type == MFAB_PKI_PAI ? "PAI" : "PAA", mfab_diag_message(&why));
    if (mfab_pki_cert_vidpid(ca_id, ca_cert, &why) < 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "CA certificate VID/PID unreadable: %s",
                             mfab_diag_message(&why));
    return 0;
}

/* Refuse what a commissioner would refuse later (spec 2.2 table). */
static int
check_options(const mfab_pki_issue_options *o, const X509 *ca_cert,
              mfab_diag *diag)
{
    mfab_pki_vidpid ca_id;
    int rc = mfab_pki__issue_check_options(o, ca_cert != NULL, diag);

    if (rc < 0 || ca_cert == NULL)
        return rc;
    rc = mfab_pki__issue_check_ca(
        &ca_id, ca_cert, o->type == MFAB_PKI_DAC ? MFAB_PKI_PAI : MFAB_PKI_PAA,
        diag);
    if (rc < 0)
        return rc;
    return mfab_pki__issue_check_ids(o, &ca_id, diag);
}

/* see matterfab/pki.h */
int
mfab_pki_issue(X509 **out, const mfab_pki_issue_options *opts,
               EVP_PKEY *subject_key, const X509 *ca_cert, EVP_PKEY *ca_key,
               mfab_diag *diag)
{
    uint8_t skid[MFAB_PKI_KEY_ID_LEN], akid[4 + MFAB_PKI_KEY_ID_LEN];
    uint8_t skid_der[2 + MFAB_PKI_KEY_ID_LEN];
    const uint8_t *bc = bc_dac;
    size_t bc_len = sizeof(bc_dac);
    X509 *cert = NULL;
    int rc;

    *out = NULL;
    rc = check_options(opts, ca_cert, diag);
    if (rc < 0)
        goto out;
    rc = mfab_pki__check_p256(subject_key, "subject", diag);
    if (rc == 0)
        rc = mfab_pki__check_p256(ca_key, "CA", diag);
    if (rc == 0 && ca_cert != NULL)
        rc = mfab_pki_key_matches_cert(ca_key, ca_cert, "CA certificate", diag);
    if (rc < 0)
        goto out;
    rc = key_skid(skid, subject_key, diag);
    if (rc < 0)
        goto out;
    akid[0] = 0x30;
    akid[1] = 2 + MFAB_PKI_KEY_ID_LEN;
    akid[2] = 0x80;
    akid[3] = MFAB_PKI_KEY_ID_LEN;
    if (ca_cert == NULL)
        memcpy(akid + 4, skid, sizeof(skid));
    else if (mfab_pki_cert_skid(akid + 4, ca_cert, diag) < 0) {
        rc = mfab_diag_set(diag, MFAB_ENOTFOUND,
                           "CA certificate has no 20-byte subject key "
                           "identifier to use as AKID");
        goto out;
    }
    skid_der[0] = 0x04;
    skid_der[1] = MFAB_PKI_KEY_ID_LEN;
    memcpy(skid_der + 2, skid, sizeof(skid));
    if (opts->type == MFAB_PKI_PAI) {
        bc = bc_pai;
        bc_len = sizeof(bc_pai);
    } else if (opts->type == MFAB_PKI_PAA) {
        bc = bc_paa;
        bc_len = sizeof(bc_paa);
    }
    cert = X509_new();
    if (cert == NULL || X509_set_version(cert, X509_VERSION_3) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "cannot create X509");
        goto out;
    }
    rc = random_serial(cert, diag);
    if (rc == 0)
        rc = build_subject(cert, opts, diag);
    if (rc == 0)
        rc = set_validity(cert, opts, diag);
    if (rc < 0)
        goto out;
    if (X509_set_issuer_name(cert, ca_cert != NULL
                                       ? X509_get_subject_name(ca_cert)
                                       : X509_get_subject_name(cert)) != 1 ||
        X509_set_pubkey(cert, subject_key) != 1 ||
        add_ext(cert, NID_basic_constraints, 1, bc, bc_len) != 0 ||
        add_ext(cert, NID_key_usage, 1,
                opts->type == MFAB_PKI_DAC ? ku_dac : ku_ca,
                sizeof(ku_dac)) != 0 ||
        add_ext(cert, NID_subject_key_identifier, 0, skid_der,
                sizeof(skid_der)) != 0 ||
        add_ext(cert, NID_authority_key_identifier, 0, akid, sizeof(akid)) !=
            0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM,
                                "cannot assemble the certificate");
        goto out;
    }
    if (X509_sign(cert, ca_key, EVP_sha256()) <= 0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot sign the certificate");
        goto out;
    }
    *out = cert;
    cert = NULL;
out:
    X509_free(cert);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_parse_time(time_t *out, const char *text, mfab_diag *diag)
{
    struct tm tm;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, n = 0;
    size_t len = text != NULL ? strlen(text) : 0;

    if (len == 10)
        n = sscanf(text, "%4d-%2d-%2d", &y, &mo, &d) == 3 ? 3 : 0;
    else if (len == 19 && (text[10] == ' ' || text[10] == 'T'))
        n = sscanf(text, "%4d-%2d-%2d%*c%2d:%2d:%2d", &y, &mo, &d, &h, &mi,
                   &s) == 6
                ? 6
                : 0;
    if (n == 0 || y < 1950 || y > 9999 || mo < 1 || mo > 12 || d < 1 ||
        d > 31 || h > 23 || mi > 59 || s > 59)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "date '%s' is not valid (allowed: YYYY-MM-DD, "
                             "'YYYY-MM-DD HH:MM:SS' or YYYY-MM-DDTHH:MM:SS, "
                             "UTC)",
                             text != NULL ? text : "");
    memset(&tm, 0, sizeof(tm));
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = s;
    *out = timegm(&tm);
    /* timegm normalises 2024-02-31; refuse such dates */
    {
        struct tm back;

        if (gmtime_r(out, &back) == NULL || back.tm_mday != d ||
            back.tm_mon != mo - 1)
            return mfab_diag_set(diag, MFAB_EINVAL, "date '%s' does not exist",
                                 text);
    }
    return 0;
}

/* see matterfab/pki.h */
int
mfab_pki_csr_public_key(EVP_PKEY **out, const uint8_t *data, size_t len,
                        mfab_diag *diag)
{
    const unsigned char *p = data;
    X509_REQ *req = NULL;
    EVP_PKEY *pub = NULL;
    BIO *bio = NULL;
    int rc = 0;

    *out = NULL;
    if (len > 11 && memcmp(data, "-----BEGIN ", 11) == 0) {
        bio = BIO_new_mem_buf(data, (int)len);
        if (bio != NULL)
            req = PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL);
    } else if (len > 0 && len < INT32_MAX) {
        req = d2i_X509_REQ(NULL, &p, (long)len);
        if (req != NULL && p != data + len) {
            X509_REQ_free(req);
            req = NULL;
        }
    }
    if (req == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                "not a PKCS#10 certificate request (PEM or "
                                "DER)");
        goto out;
    }
    pub = X509_REQ_get_pubkey(req);
    if (pub == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                "CSR public key cannot be read");
        goto out;
    }
    rc = mfab_pki__check_p256(pub, "CSR", diag);
    if (rc < 0)
        goto out;
    if (X509_REQ_verify(req, pub) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "CSR signature does not verify with its own "
                                "key");
        goto out;
    }
    *out = pub;
    pub = NULL;
out:
    ERR_clear_error();
    EVP_PKEY_free(pub);
    X509_REQ_free(req);
    BIO_free(bio);
    return rc;
}
