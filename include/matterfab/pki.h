/*
 * matterfab/pki.h: the Matter attestation PKI (PAA, PAI, DAC).
 *
 * Keys come from files (PEM or DER; SEC1, PKCS#8, password-protected) or
 * from a PKCS#11 token named by an RFC 7512 URI ("pkcs11:token=...;
 * object=...;pin-value=..."). Either way the caller gets an EVP_PKEY that
 * signs through OpenSSL, so certificate and CMS code does not care where
 * the key lives. Every key must be EC P-256 (Matter's only curve).
 *
 * Certificates follow the Matter profile of spec attestation.md section 2;
 * validation reports the SDK's AttestationVerificationResult codes
 * (section 2.5).
 *
 * Ownership: EVP_PKEY and X509 out-params are owned by the caller
 * (EVP_PKEY_free / X509_free). Input pointers are borrowed for the call.
 */
#ifndef MATTERFAB_PKI_H
#define MATTERFAB_PKI_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- keys */

/** PKCS#11 module used when none is given: SoftHSM2's, else p11-kit's. */
#define MFAB_PKI_PKCS11_SOFTHSM \
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"
#define MFAB_PKI_PKCS11_PROXY "/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so"

typedef struct mfab_pki_key_options {
    /** passphrase of an encrypted PEM/PKCS#8 file, or the token PIN when
     *  the URI has no pin-value; NULL: none (never prompts) */
    const char *pass;
    /** PKCS#11 module (.so) for "pkcs11:" URIs; NULL: the URI's
     *  module-path attribute, else MFAB_PKI_PKCS11_SOFTHSM when present,
     *  else MFAB_PKI_PKCS11_PROXY */
    const char *pkcs11_module;
} mfab_pki_key_options;

#define MFAB_PKI_KEY_OPTIONS_INIT { NULL, NULL }

/**
 * Load a private key from a PEM/DER file (SEC1, PKCS#8, password-protected
 * PEM or PKCS#8 with pass != NULL) or a PKCS#11 URI ("pkcs11:..." RFC 7512).
 * The key must be EC P-256.
 * @param[out] out  caller frees with EVP_PKEY_free()
 * @return 0, MFAB_ENOTFOUND (no file / no such token object), MFAB_EIO,
 *         MFAB_EFORMAT (not a key, wrong passphrase), MFAB_EUNSUPPORTED
 *         (not EC P-256), MFAB_ECRYPTO (PKCS#11 engine or token failure),
 *         MFAB_ENOMEM
 */
int mfab_pki_key_load(EVP_PKEY **out, const char *path_or_uri,
                      const char *pass, mfab_diag *diag);

/** Same, with the PKCS#11 module choice. opts may be NULL. */
int mfab_pki_key_load_ex(EVP_PKEY **out, const char *path_or_uri,
                         const mfab_pki_key_options *opts, mfab_diag *diag);

/** @return 1 when s names a PKCS#11 object ("pkcs11:" prefix), else 0. */
int mfab_pki_is_pkcs11_uri(const char *s);

/**
 * Generate a fresh EC P-256 key pair.
 * @param[out] out  caller frees with EVP_PKEY_free()
 * @return 0, MFAB_ECRYPTO
 */
int mfab_pki_key_generate(EVP_PKEY **out, mfab_diag *diag);

/** Every key encoding the reference tools write (spec 3.3). */
typedef enum mfab_pki_key_format {
    MFAB_PKI_KEY_RAW_PRIVATE,  /**< 32-byte big-endian scalar d */
    MFAB_PKI_KEY_RAW_PUBLIC,   /**< 65 bytes 04||X||Y */
    MFAB_PKI_KEY_SEC1_DER,     /**< ECPrivateKey DER (121 bytes) */
    MFAB_PKI_KEY_SEC1_PEM,     /**< "EC PRIVATE KEY" PEM (chip-cert) */
    MFAB_PKI_KEY_PKCS8_DER,    /**< PrivateKeyInfo DER */
    MFAB_PKI_KEY_PKCS8_PEM,    /**< "PRIVATE KEY" PEM (mfg_tool) */
    MFAB_PKI_KEY_PUBLIC_DER,   /**< SubjectPublicKeyInfo DER */
    MFAB_PKI_KEY_PUBLIC_PEM    /**< "PUBLIC KEY" PEM */
} mfab_pki_key_format;

/** @return 1 when fmt holds the private key (file must be 0600). */
int mfab_pki_key_format_is_secret(mfab_pki_key_format fmt);

/**
 * Encode a key. buf == NULL measures; too small -> MFAB_EBUFS with
 * *out_len set. Private forms fail with MFAB_EUNSUPPORTED for a key whose
 * private part cannot leave its token.
 * @return 0, MFAB_EBUFS, MFAB_EINVAL (unknown format), MFAB_EUNSUPPORTED,
 *         MFAB_ECRYPTO
 */
int mfab_pki_key_encode(uint8_t *buf, size_t cap, size_t *out_len,
                        const EVP_PKEY *key, mfab_pki_key_format fmt,
                        mfab_diag *diag);

/**
 * Write a key to path atomically; private forms with mode 0600. The
 * encoded bytes are wiped from memory afterwards.
 * @return as mfab_pki_key_encode, plus MFAB_EIO, MFAB_ENOMEM
 */
int mfab_pki_key_write(const char *path, const EVP_PKEY *key,
                       mfab_pki_key_format fmt, mfab_diag *diag);

/**
 * Check that key is the private half of cert's public key.
 * @return 0, MFAB_ECRYPTO (they do not match; the message names cert_name)
 */
int mfab_pki_key_matches_cert(const EVP_PKEY *key, const X509 *cert,
                              const char *cert_name, mfab_diag *diag);

/* --------------------------------------------------------- certificates */

/**
 * Load a certificate from a PEM or DER file.
 * @param[out] out  caller frees with X509_free()
 * @return 0, MFAB_ENOTFOUND, MFAB_EIO, MFAB_EFORMAT
 */
int mfab_pki_cert_load(X509 **out, const char *path, mfab_diag *diag);

/**
 * Parse a DER or PEM certificate held in memory. DER must be exactly one
 * certificate with no trailing bytes.
 * @return 0, MFAB_EFORMAT
 */
int mfab_pki_cert_parse(X509 **out, const uint8_t *data, size_t len,
                        mfab_diag *diag);

/**
 * Encode a certificate as DER (pem == 0) or PEM. buf == NULL measures.
 * @return 0, MFAB_EBUFS, MFAB_ECRYPTO
 */
int mfab_pki_cert_encode(uint8_t *buf, size_t cap, size_t *out_len,
                         const X509 *cert, int pem, mfab_diag *diag);

/** Write a certificate (DER or PEM) atomically, mode 0644.
 * @return 0, MFAB_EIO, MFAB_ENOMEM, MFAB_ECRYPTO */
int mfab_pki_cert_write(const char *path, const X509 *cert, int pem,
                        mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
