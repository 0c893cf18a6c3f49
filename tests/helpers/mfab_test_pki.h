/*
 * mfab_test_pki.h: certificate and key fixtures for the pki tests.
 * Like mfab_test.h, a helper that cannot do its job fails the running
 * test (with the library's message) instead of returning an error.
 */
#ifndef MFAB_TEST_PKI_H
#define MFAB_TEST_PKI_H

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "matterfab/pki.h"

/* Certificate (PEM or DER) below the vectors folder; X509_free() it. */
X509 *mfab_test_cert(const char *rel);

/* Private key file below the vectors folder; EVP_PKEY_free() it. */
EVP_PKEY *mfab_test_key(const char *rel);

/* DAC options of the SDK FFF1/8000 chain: CN "Matter DAC", VID FFF1,
 * PID 8000, notBefore 2024-07-01, 365 days. */
void mfab_test_dac_options(mfab_pki_issue_options *o);

#endif
