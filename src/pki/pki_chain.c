/*
 * pki_chain.c: X.509 path validation of a DAC -> PAI -> PAA chain as the
 * Matter SDK runs it (spec attestation.md 2.4.4): RFC 5280 with
 * X509_V_FLAG_X509_STRICT, the PAA as the only trust anchor, the PAI as
 * untrusted intermediate, and the verification time pinned to the DAC's
 * notBefore so that the CAs must have been valid when the DAC was issued.
 */
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

/* see pki_internal.h */
int
mfab_pki__asn1_time(time_t *out, const ASN1_TIME *t)
{
    struct tm tm;

    memset(&tm, 0, sizeof(tm));
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
        return MFAB_EFORMAT;
    *out = timegm(&tm);
    return 0;
}

/* see pki_internal.h */
int
mfab_pki__path_validate(X509 *dac, X509 *pai, X509 *paa, mfab_diag *diag)
{
    X509_STORE *store = NULL;
    X509_STORE_CTX *ctx = NULL;
    STACK_OF(X509) *untrusted = NULL;
    X509_VERIFY_PARAM *param;
    time_t at = 0;
    int rc = 0;

    if (mfab_pki__asn1_time(&at, X509_get0_notBefore(dac)) != 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "DAC notBefore cannot be read");
    store = X509_STORE_new();
    ctx = X509_STORE_CTX_new();
    untrusted = sk_X509_new_null();
    if (store == NULL || ctx == NULL || untrusted == NULL ||
        X509_STORE_add_cert(store, paa) != 1 ||
        sk_X509_push(untrusted, pai) <= 0 ||
        X509_STORE_CTX_init(ctx, store, dac, untrusted) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM,
                                "cannot set up chain validation");
        goto out;
    }
    param = X509_STORE_CTX_get0_param(ctx);
    X509_VERIFY_PARAM_set_time(param, at);
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
    if (X509_verify_cert(ctx) != 1) {
        int err = X509_STORE_CTX_get_error(ctx);

        ERR_clear_error();
        rc = mfab_diag_set(diag, MFAB_ECRYPTO,
                           "chain validation at DAC notBefore failed at "
                           "depth %d: %s",
                           X509_STORE_CTX_get_error_depth(ctx),
                           X509_verify_cert_error_string(err));
        goto out;
    }
out:
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    sk_X509_free(untrusted);
    return rc;
}
