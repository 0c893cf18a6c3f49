/*
 * pki_cert_check.c: the Matter attestation certificate profile check
 * (spec attestation.md 2.1 and 2.3; SDK VerifyAttestationCertificateFormat,
 * spec 2.4.1), and SKID/AKID extraction.
 *
 * Extension = SEQUENCE { extnID OID, critical BOOLEAN DEFAULT FALSE,
 *                        extnValue OCTET STRING { value DER } }
 * Values the profile accepts:
 *   basicConstraints  PAA: 30 03 01 01 FF | 30 06 01 01 FF 02 01 01
 *                     PAI: 30 06 01 01 FF 02 01 00
 *                     DAC: 30 00                    (critical, all three)
 *   keyUsage          DAC: 03 02 07 80 (digitalSignature only)
 *                     CA:  keyCertSign + cRLSign, digitalSignature allowed
 *   SKID              04 14 <20>                     (non-critical)
 *   AKID              30 16 80 14 <20>               (non-critical)
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

/* RFC 5280 KeyUsage bit numbers */
enum {
    BIT_DIGITAL_SIGNATURE = 0,
    BIT_CONTENT_COMMITMENT = 1,
    BIT_KEY_ENCIPHERMENT = 2,
    BIT_DATA_ENCIPHERMENT = 3,
    BIT_KEY_AGREEMENT = 4,
    BIT_KEY_CERT_SIGN = 5,
    BIT_CRL_SIGN = 6,
    BIT_ENCIPHER_ONLY = 7,
    BIT_DECIPHER_ONLY = 8
};

static const char *const role_names[] = {"PAA", "PAI", "DAC"};

static const char *
role(mfab_pki_cert_type type)
{
    return role_names[type <= MFAB_PKI_DAC ? type : MFAB_PKI_DAC];
}

/* ecdsa-with-SHA256 with the parameters absent (2.1). */
static int
is_ecdsa_sha256(const X509_ALGOR *alg)
{
    const ASN1_OBJECT *obj = NULL;
    int ptype = 0;

    if (alg == NULL)
        return 0;
    X509_ALGOR_get0(&obj, &ptype, NULL, alg);
    return OBJ_obj2nid(obj) == NID_ecdsa_with_SHA256 && ptype == V_ASN1_UNDEF;
}

static int
check_key(const X509 *cert, const char *who, mfab_diag *diag)
{
    X509_PUBKEY *xpk = X509_get_X509_PUBKEY(cert);
    ASN1_OBJECT *kalg = NULL;
    const unsigned char *pk = NULL;
    int pklen = 0, ptype = 0;
    X509_ALGOR *pa = NULL;
    const void *pval = NULL;

    if (xpk == NULL ||
        X509_PUBKEY_get0_param(&kalg, &pk, &pklen, &pa, xpk) != 1)
        return mfab_diag_set(diag, MFAB_EFORMAT, "%s public key cannot be read",
                             who);
    if (pa != NULL)
        X509_ALGOR_get0((const ASN1_OBJECT **)&kalg, &ptype, &pval, pa);
    if (OBJ_obj2nid(kalg) != NID_X9_62_id_ecPublicKey ||
        ptype != V_ASN1_OBJECT || OBJ_obj2nid(pval) != NID_X9_62_prime256v1 ||
        pklen != 65 || pk[0] != 0x04)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s public key is not an uncompressed EC "
                             "prime256v1 point",
                             who);
    /* decoding checks that the point is on the curve */
    if (X509_get0_pubkey(cert) == NULL) {
        ERR_clear_error();
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s public key is not a valid P-256 point", who);
    }
    return 0;
}

static int
check_basic_constraints(const ASN1_OCTET_STRING *val, mfab_pki_cert_type type,
                        const char *who, mfab_diag *diag)
{
    const unsigned char *p = ASN1_STRING_get0_data(val);
    const unsigned char *end = p + ASN1_STRING_length(val);
    BASIC_CONSTRAINTS *bc = d2i_BASIC_CONSTRAINTS(NULL, &p, end - p);
    int64_t pathlen = -1;
    int ok, rc = 0;

    if (bc == NULL || p != end ||
        (bc->pathlen != NULL &&
         ASN1_INTEGER_get_int64(&pathlen, bc->pathlen) != 1)) {
        rc = mfab_diag_set(diag, MFAB_EFORMAT,
                           "%s basicConstraints does not decode", who);
        goto out;
    }
    if (type == MFAB_PKI_DAC)
        ok = !bc->ca && bc->pathlen == NULL;
    else if (type == MFAB_PKI_PAI)
        ok = bc->ca && bc->pathlen != NULL && pathlen == 0;
    else
        ok = bc->ca && (bc->pathlen == NULL || pathlen == 1);
    if (!ok)
        rc = mfab_diag_set(diag, MFAB_EFORMAT,
                           "%s basicConstraints cA=%s pathLen=%s (allowed: "
                           "%s)",
                           who, bc->ca ? "TRUE" : "FALSE",
                           bc->pathlen == NULL ? "absent"
                           : pathlen == 0      ? "0"
                           : pathlen == 1      ? "1"
                                               : "other",
                           type == MFAB_PKI_DAC   ? "cA absent, no pathLen"
                           : type == MFAB_PKI_PAI ? "cA TRUE, pathLen 0"
                                                  : "cA TRUE, pathLen "
                                                    "absent or 1");
out:
    ERR_clear_error();
    BASIC_CONSTRAINTS_free(bc);
    return rc;
}

static int
check_key_usage(const ASN1_OCTET_STRING *val, mfab_pki_cert_type type,
                const char *who, mfab_diag *diag)
{
    const unsigned char *p = ASN1_STRING_get0_data(val);
    const unsigned char *end = p + ASN1_STRING_length(val);
    ASN1_BIT_STRING *ku = d2i_ASN1_BIT_STRING(NULL, &p, end - p);
    int i, nbits, ok = 1, rc = 0;

    if (ku == NULL || p != end) {
        rc = mfab_diag_set(diag, MFAB_EFORMAT, "%s keyUsage does not decode",
                           who);
        goto out;
    }
    nbits = ASN1_STRING_length(ku) * 8;
    if (type == MFAB_PKI_DAC) {
        ok = ASN1_BIT_STRING_get_bit(ku, BIT_DIGITAL_SIGNATURE);
        for (i = 1; i < nbits; i++) {
            if (ASN1_BIT_STRING_get_bit(ku, i))
                ok = 0;
        }
    } else {
        static const int banned[] = {
            BIT_CONTENT_COMMITMENT, BIT_KEY_ENCIPHERMENT, BIT_DATA_ENCIPHERMENT,
            BIT_KEY_AGREEMENT,      BIT_ENCIPHER_ONLY,    BIT_DECIPHER_ONLY};

        ok = ASN1_BIT_STRING_get_bit(ku, BIT_KEY_CERT_SIGN) &&
             ASN1_BIT_STRING_get_bit(ku, BIT_CRL_SIGN);
        for (i = 0; i < (int)MFAB_ARRAY_SIZE(banned); i++) {
            if (ASN1_BIT_STRING_get_bit(ku, banned[i]))
                ok = 0;
        }
    }
    if (!ok)
        rc = mfab_diag_set(
            diag, MFAB_EFORMAT, "%s keyUsage is wrong (allowed: %s)", who,
            type == MFAB_PKI_DAC ? "exactly digitalSignature"
                                 : "keyCertSign and cRLSign, optionally "
                                   "digitalSignature");
out:
    ERR_clear_error();
    ASN1_BIT_STRING_free(ku);
    return rc;
}

/* Decode an AKID extension value into its 20-byte keyIdentifier. */
static int
akid_value(uint8_t out[MFAB_PKI_KEY_ID_LEN], const ASN1_OCTET_STRING *val)
{
    const unsigned char *p = ASN1_STRING_get0_data(val);
    const unsigned char *end = p + ASN1_STRING_length(val);
    AUTHORITY_KEYID *akid = d2i_AUTHORITY_KEYID(NULL, &p, end - p);
    int ok = akid != NULL && p == end && akid->keyid != NULL &&
             ASN1_STRING_length(akid->keyid) == MFAB_PKI_KEY_ID_LEN;

    if (ok)
        memcpy(out, ASN1_STRING_get0_data(akid->keyid), MFAB_PKI_KEY_ID_LEN);
    AUTHORITY_KEYID_free(akid);
    ERR_clear_error();
    return ok ? 0 : -1;
}

static int
skid_value(uint8_t out[MFAB_PKI_KEY_ID_LEN], const ASN1_OCTET_STRING *val)
{
    const unsigned char *p = ASN1_STRING_get0_data(val);
    const unsigned char *end = p + ASN1_STRING_length(val);
    ASN1_OCTET_STRING *id = d2i_ASN1_OCTET_STRING(NULL, &p, end - p);
    int ok =
        id != NULL && p == end && ASN1_STRING_length(id) == MFAB_PKI_KEY_ID_LEN;

    if (ok)
        memcpy(out, ASN1_STRING_get0_data(id), MFAB_PKI_KEY_ID_LEN);
    ASN1_OCTET_STRING_free(id);
    ERR_clear_error();
    return ok ? 0 : -1;
}

/* The one extension with this NID: 0 found, MFAB_ENOTFOUND, or
 * MFAB_EFORMAT when it appears twice. */
static int
find_ext(X509_EXTENSION **out, const X509 *cert, int nid)
{
    int n = X509_get_ext_count(cert), i;

    *out = NULL;
    for (i = 0; i < n; i++) {
        X509_EXTENSION *ext = X509_get_ext(cert, i);

        if (OBJ_obj2nid(X509_EXTENSION_get_object(ext)) != nid)
            continue;
        if (*out != NULL)
            return MFAB_EFORMAT;
        *out = ext;
    }
    return *out != NULL ? 0 : MFAB_ENOTFOUND;
}

static int
key_id(uint8_t out[MFAB_PKI_KEY_ID_LEN], const X509 *cert, int nid,
       mfab_diag *diag)
{
    const char *name = nid == NID_subject_key_identifier
                           ? "subjectKeyIdentifier"
                           : "authorityKeyIdentifier";
    X509_EXTENSION *ext = NULL;
    int rc = find_ext(&ext, cert, nid), bad;

    if (rc == MFAB_ENOTFOUND)
        return mfab_diag_set(diag, rc, "certificate has no %s", name);
    if (rc < 0)
        return mfab_diag_set(diag, rc, "certificate has two %s extensions",
                             name);
    if (nid == NID_subject_key_identifier)
        bad = skid_value(out, X509_EXTENSION_get_data(ext));
    else
        bad = akid_value(out, X509_EXTENSION_get_data(ext));
    if (bad)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s is not a %d-byte key identifier", name,
                             MFAB_PKI_KEY_ID_LEN);
    return 0;
}

/* see matterfab/pki.h */
int
mfab_pki_cert_skid(uint8_t out[MFAB_PKI_KEY_ID_LEN], const X509 *cert,
                   mfab_diag *diag)
{
    return key_id(out, cert, NID_subject_key_identifier, diag);
}

/* see matterfab/pki.h */
int
mfab_pki_cert_akid(uint8_t out[MFAB_PKI_KEY_ID_LEN], const X509 *cert,
                   mfab_diag *diag)
{
    return key_id(out, cert, NID_authority_key_identifier, diag);
}

/* One of the four profile extensions: present (unless optional), once,
 * with the required criticality. */
static int
profile_ext(X509_EXTENSION **out, const X509 *cert, int nid, int critical,
            int optional, const char *who, mfab_diag *diag)
{
    const char *name = OBJ_nid2sn(nid);
    int rc = find_ext(out, cert, nid);

    if (rc == MFAB_ENOTFOUND && optional)
        return 0;
    if (rc == MFAB_ENOTFOUND)
        return mfab_diag_set(diag, MFAB_EFORMAT, "%s has no %s extension", who,
                             name);
    if (rc < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT, "%s has %s more than once",
                             who, name);
    if (!X509_EXTENSION_get_critical(*out) != !critical)
        return mfab_diag_set(diag, MFAB_EFORMAT, "%s %s must %sbe critical",
                             who, name, critical ? "" : "not ");
    return 0;
}

/* see matterfab/pki.h */
int
mfab_pki_cert_check_format(const X509 *cert, mfab_pki_cert_type type,
                           mfab_diag *diag)
{
    const char *who = role(type);
    const X509_ALGOR *outer = NULL;
    X509_EXTENSION *ext = NULL;
    uint8_t id[MFAB_PKI_KEY_ID_LEN];
    int rc;

    if (X509_get_version(cert) != X509_VERSION_3)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s is X.509 v%ld (allowed: v3)", who,
                             X509_get_version(cert) + 1);
    X509_get0_signature(NULL, &outer, cert);
    if (!is_ecdsa_sha256(outer) || !is_ecdsa_sha256(X509_get0_tbs_sigalg(cert)))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s signature algorithm is not "
                             "ecdsa-with-SHA256 without parameters",
                             who);
    rc = check_key(cert, who, diag);
    if (rc < 0)
        return rc;
    rc = profile_ext(&ext, cert, NID_basic_constraints, 1, 0, who, diag);
    if (rc < 0)
        return rc;
    rc = check_basic_constraints(X509_EXTENSION_get_data(ext), type, who, diag);
    if (rc < 0)
        return rc;
    rc = profile_ext(&ext, cert, NID_key_usage, 1, 0, who, diag);
    if (rc < 0)
        return rc;
    rc = check_key_usage(X509_EXTENSION_get_data(ext), type, who, diag);
    if (rc < 0)
        return rc;
    rc = profile_ext(&ext, cert, NID_subject_key_identifier, 0, 0, who, diag);
    if (rc < 0)
        return rc;
    if (skid_value(id, X509_EXTENSION_get_data(ext)) != 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s subjectKeyIdentifier is not 20 bytes", who);
    rc = profile_ext(&ext, cert, NID_authority_key_identifier, 0,
                     type == MFAB_PKI_PAA, who, diag);
    if (rc < 0)
        return rc;
    if (ext != NULL && akid_value(id, X509_EXTENSION_get_data(ext)) != 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "%s authorityKeyIdentifier has no 20-byte "
                             "keyIdentifier",
                             who);
    return 0;
}
