/*
 * pki_cert_io.c: X.509 certificates in files: load PEM or DER, encode and
 * write (RFC 5280 DER; RFC 7468 PEM "CERTIFICATE").
 */
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

static int
looks_pem(const uint8_t *data, size_t len)
{
    size_t i = 0;

    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                       data[i] == '\n'))
        i++;
    return len - i >= 11 && memcmp(data + i, "-----BEGIN ", 11) == 0;
}

/* see matterfab/pki.h */
int
mfab_pki_cert_parse(X509 **out, const uint8_t *data, size_t len,
                    mfab_diag *diag)
{
    const unsigned char *p = data;
    BIO *bio = NULL;
    X509 *cert = NULL;
    int rc = 0;

    *out = NULL;
    if (len > 0 && len <= INT32_MAX && looks_pem(data, len)) {
        bio = BIO_new_mem_buf(data, (int)len);
        if (bio != NULL)
            cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    } else if (len > 0 && len <= INT32_MAX) {
        cert = d2i_X509(NULL, &p, (long)len);
        if (cert != NULL && p != data + len) {
            X509_free(cert);
            cert = NULL;
            ERR_clear_error();
            rc = mfab_diag_set(diag, MFAB_EFORMAT,
                               "%zu trailing bytes after the certificate",
                               (size_t)(data + len - p));
            goto out;
        }
    }
    if (cert == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_EFORMAT,
                                "not an X.509 certificate (allowed: PEM or "
                                "DER)");
        goto out;
    }
    *out = cert;
out:
    BIO_free(bio);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_cert_load(X509 **out, const char *path, mfab_diag *diag)
{
    mfab_diag inner = MFAB_DIAG_INIT;
    uint8_t *data = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    rc = mfab_file_read(&data, &len, path, diag);
    if (rc < 0)
        goto out;
    rc = mfab_pki_cert_parse(out, data, len, &inner);
    if (rc < 0)
        mfab_diag_set(diag, rc, "cannot load certificate '%s': %s", path,
                      mfab_diag_message(&inner));
out:
    mfab_file_free(data, len);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_cert_encode(uint8_t *buf, size_t cap, size_t *out_len,
                     const X509 *cert, int pem, mfab_diag *diag)
{
    unsigned char *der = NULL;
    BIO *bio = NULL;
    char *text = NULL;
    long text_len;
    int der_len, rc = 0;

    *out_len = 0;
    if (!pem) {
        der_len = i2d_X509(cert, &der);
        if (der_len <= 0) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "cannot encode the certificate");
            goto out;
        }
        rc = mfab_pki__emit(buf, cap, out_len, der, (size_t)der_len, diag);
        goto out;
    }
    bio = BIO_new(BIO_s_mem());
    if (bio == NULL || PEM_write_bio_X509(bio, cert) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot encode the certificate as PEM");
        goto out;
    }
    text_len = BIO_get_mem_data(bio, &text);
    rc = mfab_pki__emit(buf, cap, out_len, (const uint8_t *)text,
                        (size_t)text_len, diag);
out:
    OPENSSL_free(der);
    BIO_free(bio);
    return rc;
}

/* see matterfab/pki.h */
int
mfab_pki_cert_write(const char *path, const X509 *cert, int pem,
                    mfab_diag *diag)
{
    uint8_t *buf = NULL;
    size_t cap = 0, len = 0;
    int rc;

    rc = mfab_pki_cert_encode(NULL, 0, &cap, cert, pem, diag);
    if (rc < 0)
        goto out;
    buf = OPENSSL_malloc(cap);
    if (buf == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM,
                           "cannot write '%s': out of memory", path);
        goto out;
    }
    rc = mfab_pki_cert_encode(buf, cap, &len, cert, pem, diag);
    if (rc < 0)
        goto out;
    rc = mfab_file_write_atomic(path, buf, len, MFAB_MODE_PUBLIC, diag);
out:
    OPENSSL_free(buf);
    return rc;
}
