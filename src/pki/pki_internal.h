/*
 * pki_internal.h: helpers shared by the files of src/pki (not installed).
 */
#ifndef MFAB_PKI_INTERNAL_H
#define MFAB_PKI_INTERNAL_H

#include <time.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/common_internal.h"
#include "matterfab/pki.h"

/*
 * Load a private key from a PKCS#11 token through libp11's OpenSSL engine
 * (pki_pkcs11.c). The returned key keeps the engine alive until it is freed.
 */
int mfab_pki__pkcs11_load(EVP_PKEY **out, const char *uri,
                          const mfab_pki_key_options *opts, mfab_diag *diag);

/* 1 when key was loaded from a PKCS#11 token (its private half stays
 * there). */
int mfab_pki__is_token_key(const EVP_PKEY *key);

/*
 * Check that key is an EC key on P-256.
 * @return 0, MFAB_EUNSUPPORTED (message names what, e.g. the file)
 */
int mfab_pki__check_p256(const EVP_PKEY *key, const char *what,
                         mfab_diag *diag);

/* ASN1_TIME -> seconds since the epoch (UTC). @return 0, MFAB_EFORMAT */
int mfab_pki__asn1_time(time_t *out, const ASN1_TIME *t);

/*
 * RFC 5280 path validation DAC -> PAI -> PAA at DAC.notBefore (spec 2.4.4).
 * @return 0, MFAB_ECRYPTO (the message has OpenSSL's reason), MFAB_ENOMEM
 */
int mfab_pki__path_validate(X509 *dac, X509 *pai, X509 *paa, mfab_diag *diag);

/*
 * Certification Declaration steps of the full attestation (spec 4.5, 4.6)
 * after the chain passed: signature against in->cd_certs, then payload
 * against the basic-information VID/PID (default: the DAC's), the DAC and
 * PAI VID/PID and the PAA SKID. Sets out->code (MFAB_ATT_OK or 6xx).
 * @return 0, MFAB_EINVAL (no or too many signers), MFAB_EFORMAT (a signer
 *         certificate does not parse)
 */
int mfab_pki__verify_cd(mfab_pki_verdict *out,
                        const mfab_pki_validate_input *in,
                        const mfab_pki_vidpid *dac, const mfab_pki_vidpid *pai,
                        const uint8_t paa_skid[MFAB_PKI_KEY_ID_LEN],
                        mfab_diag *diag);

/* Copy len bytes into a caller buffer with the measure/EBUFS contract. */
int mfab_pki__emit(uint8_t *buf, size_t cap, size_t *out_len,
                   const uint8_t *data, size_t len, mfab_diag *diag);

/* Longest subject CN of an issued certificate, suffix included. */
#define MFAB_PKI__CN_MAX 64

/*
 * Issuing rules shared by mfab_pki_issue() and the DAC issuer (spec 2.2):
 * options on their own (has_ca: a CA certificate is given), the CA's
 * profile and VID/PID, the options' VID/PID against the CA's, and the
 * subject CN text (with the " Mvid:XXXX Mpid:YYYY" suffix when asked).
 * @return 0, MFAB_EINVAL
 */
int mfab_pki__issue_check_options(const mfab_pki_issue_options *o, int has_ca,
                                  mfab_diag *diag);
int mfab_pki__issue_check_ca(mfab_pki_vidpid *ca_id, const X509 *ca_cert,
                             mfab_pki_cert_type ca_type, mfab_diag *diag);
int mfab_pki__issue_check_ids(const mfab_pki_issue_options *o,
                              const mfab_pki_vidpid *ca_id, mfab_diag *diag);
int mfab_pki__issue_cn(char cn[MFAB_PKI__CN_MAX + 1],
                       const mfab_pki_issue_options *o, mfab_diag *diag);

#endif
