/*
 * pki_info.c: a printable description of an attestation certificate for
 * "pki show": names (OpenSSL one-line form), serial, validity (RFC 5280 times
 * as ISO 8601 UTC), Matter VID/PID (spec attestation.md 2.2), key identifiers,
 * the role guessed from basicConstraints and the role's profile check
 * (2.4.1).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

static void
name_text(char *out, size_t cap, const X509_NAME *name)
{
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = NULL;
    long len;

    out[0] = '\0';
    if (bio == NULL)
        return;
    if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_ONELINE) >= 0) {
        len = BIO_get_mem_data(bio, &data);
        snprintf(out, cap, "%.*s", (int)len, data);
    }
    BIO_free(bio);
}

static void
time_text(char *out, size_t cap, const ASN1_TIME *t)
{
    time_t v = 0;
    struct tm tm;

    if (mfab_pki__asn1_time(&v, t) != 0 || gmtime_r(&v, &tm) == NULL) {
        snprintf(out, cap, "?");
        return;
    }
    strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* see matterfab/pki.h */
int
mfab_pki_cert_describe(mfab_pki_cert_info *out, const X509 *cert,
                       mfab_diag *diag)
{
    BIGNUM *bn = NULL;
    char *hex = NULL;
    unsigned int md_len = 0;
    mfab_diag why = MFAB_DIAG_INIT;
    uint32_t flags;

    memset(out, 0, sizeof(*out));
    name_text(out->subject, sizeof(out->subject), X509_get_subject_name(cert));
    name_text(out->issuer, sizeof(out->issuer), X509_get_issuer_name(cert));
    bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), NULL);
    hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    snprintf(out->serial, sizeof(out->serial), "%s", hex != NULL ? hex : "?");
    OPENSSL_free(hex);
    BN_free(bn);
    time_text(out->not_before, sizeof(out->not_before),
              X509_get0_notBefore(cert));
    time_text(out->not_after, sizeof(out->not_after), X509_get0_notAfter(cert));
    if (mfab_pki_cert_vidpid(&out->ids, cert, &why) == 0)
        out->ids_ok = 1;
    else
        snprintf(out->ids_error, sizeof(out->ids_error), "%s",
                 mfab_diag_message(&why));
    out->has_skid = mfab_pki_cert_skid(out->skid, cert, NULL) == 0;
    out->has_akid = mfab_pki_cert_akid(out->akid, cert, NULL) == 0;
    flags = X509_get_extension_flags((X509 *)cert);
    if (!(flags & EXFLAG_CA))
        out->role = MFAB_PKI_DAC;
    else if (flags & EXFLAG_SS)
        out->role = MFAB_PKI_PAA;
    else
        out->role = MFAB_PKI_PAI;
    mfab_diag_init(&why);
    if (mfab_pki_cert_check_format(cert, out->role, &why) < 0)
        snprintf(out->profile, sizeof(out->profile), "%s",
                 mfab_diag_message(&why));
    if (!X509_digest(cert, EVP_sha256(), out->sha256, &md_len)) {
        ERR_clear_error();
        return mfab_diag_set(diag, MFAB_ENOMEM,
                             "cannot compute the certificate fingerprint");
    }
    ERR_clear_error();
    return 0;
}
