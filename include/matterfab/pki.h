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
#define MFAB_PKI_PKCS11_SOFTHSM                                                \
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

#define MFAB_PKI_KEY_OPTIONS_INIT                                              \
    {                                                                          \
        NULL, NULL                                                             \
    }

/**
 * Load a private key from a PEM/DER file (SEC1, PKCS#8, password-protected
 * PEM or PKCS#8 with pass != NULL) or a PKCS#11 URI ("pkcs11:..." RFC 7512).
 * The key must be EC P-256.
 * @param[out] out  caller frees with EVP_PKEY_free()
 * @return 0, MFAB_ENOTFOUND (no file, no PKCS#11 module file, no such
 *         token object), MFAB_EIO, MFAB_EFORMAT (not a key, wrong
 *         passphrase), MFAB_EUNSUPPORTED (not EC P-256), MFAB_ECRYPTO
 *         (PKCS#11 engine, module or token failure, e.g. wrong PIN),
 *         MFAB_EINVAL (empty name, URI too long), MFAB_ENOMEM
 */
int mfab_pki_key_load(EVP_PKEY **out, const char *path_or_uri, const char *pass,
                      mfab_diag *diag);

/** Same, with the PKCS#11 module choice. opts may be NULL. */
int mfab_pki_key_load_ex(EVP_PKEY **out, const char *path_or_uri,
                         const mfab_pki_key_options *opts, mfab_diag *diag);

/**
 * Parse a private key held in memory (PEM or DER; SEC1, PKCS#8, encrypted
 * with pass != NULL). name is only used in messages. The key must be
 * EC P-256.
 * @param[out] out  caller frees with EVP_PKEY_free()
 * @return 0, MFAB_EFORMAT, MFAB_EUNSUPPORTED, MFAB_ENOMEM
 */
int mfab_pki_key_parse(EVP_PKEY **out, const uint8_t *data, size_t len,
                       const char *name, const char *pass, mfab_diag *diag);

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
    MFAB_PKI_KEY_RAW_PRIVATE, /**< 32-byte big-endian scalar d */
    MFAB_PKI_KEY_RAW_PUBLIC,  /**< 65 bytes 04||X||Y */
    MFAB_PKI_KEY_SEC1_DER,    /**< ECPrivateKey DER (121 bytes) */
    MFAB_PKI_KEY_SEC1_PEM,    /**< "EC PRIVATE KEY" PEM (chip-cert) */
    MFAB_PKI_KEY_PKCS8_DER,   /**< PrivateKeyInfo DER */
    MFAB_PKI_KEY_PKCS8_PEM,   /**< "PRIVATE KEY" PEM (mfg_tool) */
    MFAB_PKI_KEY_PUBLIC_DER,  /**< SubjectPublicKeyInfo DER */
    MFAB_PKI_KEY_PUBLIC_PEM   /**< "PUBLIC KEY" PEM */
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

/* ------------------------------------------------- DAC keys, fast path */

/*
 * A DAC key pair as plain bytes, for the per-device path of mass
 * production: no EVP_PKEY, no encoder lookups. Secret: wipe it with
 * mfab_pki_dac_key_release().
 */
typedef struct mfab_pki_dac_key {
    uint8_t priv[32]; /**< private scalar d, big-endian, 1 <= d < n */
    uint8_t pub[65];  /**< public point 04 || X || Y */
} mfab_pki_dac_key;

/** Largest encoding mfab_pki_dac_key_encode() writes (PKCS#8 PEM). */
#define MFAB_PKI_DAC_KEY_ENC_MAX 256

/**
 * Generate a fresh P-256 key pair from the private random generator.
 * @return 0, MFAB_ECRYPTO
 */
int mfab_pki_dac_key_generate(mfab_pki_dac_key *out, mfab_diag *diag);

/**
 * Derive the key pair whose private scalar is secret (deterministic mode:
 * the caller draws secret from its seed). A secret of uniform random bytes
 * is out of range with probability below 2^-32; derive another then.
 * @return 0, MFAB_ERANGE (secret is 0 or not below the P-256 order),
 *         MFAB_ECRYPTO
 */
int mfab_pki_dac_key_from_secret(mfab_pki_dac_key *out,
                                 const uint8_t secret[32], mfab_diag *diag);

/** Wipe key (NULL is a no-op). */
void mfab_pki_dac_key_release(mfab_pki_dac_key *key);

/**
 * Encode key in any form of mfab_pki_key_format, byte for byte as
 * mfab_pki_key_encode() does for the same key. buf == NULL measures; too
 * small -> MFAB_EBUFS with *out_len set.
 * @return 0, MFAB_EBUFS, MFAB_EINVAL (unknown format)
 */
int mfab_pki_dac_key_encode(uint8_t *buf, size_t cap, size_t *out_len,
                            const mfab_pki_dac_key *key,
                            mfab_pki_key_format fmt, mfab_diag *diag);

/**
 * Write key to path atomically in form fmt; private forms with mode 0600.
 * The encoded bytes are wiped afterwards.
 * @return 0, MFAB_EINVAL, MFAB_EIO
 */
int mfab_pki_dac_key_write(const char *path, const mfab_pki_dac_key *key,
                           mfab_pki_key_format fmt, mfab_diag *diag);

/**
 * The same key as an OpenSSL key pair (to sign or to hand to APIs taking
 * EVP_PKEY).
 * @param[out] out  caller frees with EVP_PKEY_free()
 * @return 0, MFAB_ECRYPTO
 */
int mfab_pki_dac_key_to_pkey(EVP_PKEY **out, const mfab_pki_dac_key *key,
                             mfab_diag *diag);

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

/* ---------------------------------------------- Matter profile and checks */

/** Certificate roles of the attestation chain (spec 1). */
typedef enum mfab_pki_cert_type {
    MFAB_PKI_PAA,
    MFAB_PKI_PAI,
    MFAB_PKI_DAC
} mfab_pki_cert_type;

/** Length of subject/authority key identifiers in the Matter profile. */
#define MFAB_PKI_KEY_ID_LEN 20

/** Matter VID/PID of a certificate subject (spec 2.2). */
typedef struct mfab_pki_vidpid {
    uint16_t vid;
    uint16_t pid;
    unsigned char has_vid;
    unsigned char has_pid;
} mfab_pki_vidpid;

/**
 * Extract the Matter VID/PID of cert's subject exactly as the SDK does
 * (OID attributes 1.3.6.1.4.1.37244.2.1/2.2, else "Mvid:"/"Mpid:" in the
 * CN; spec 2.2).
 * @return 0, MFAB_EFORMAT (malformed or duplicated attribute; the message
 *         says which)
 */
int mfab_pki_cert_vidpid(mfab_pki_vidpid *out, const X509 *cert,
                         mfab_diag *diag);

/**
 * The per-certificate format check of the SDK (spec 2.4.1) for the role
 * type: v3, ecdsa-with-SHA256, P-256 key, basicConstraints, keyUsage, SKID,
 * AKID. Validity and VID/PID are not checked here.
 * @return 0, MFAB_EFORMAT (the message names the failed rule)
 */
int mfab_pki_cert_check_format(const X509 *cert, mfab_pki_cert_type type,
                               mfab_diag *diag);

/**
 * Subject / authority key identifier (20 bytes).
 * @return 0, MFAB_ENOTFOUND (absent), MFAB_EFORMAT (not 20 bytes)
 */
int mfab_pki_cert_skid(uint8_t out[MFAB_PKI_KEY_ID_LEN], const X509 *cert,
                       mfab_diag *diag);
int mfab_pki_cert_akid(uint8_t out[MFAB_PKI_KEY_ID_LEN], const X509 *cert,
                       mfab_diag *diag);

/* ---------------------------------------------------------- validation */

/** AttestationVerificationResult values (spec 2.5) that validation
 *  reports. */
#define MFAB_ATT_OK 0
#define MFAB_ATT_PAA_NOT_FOUND 101
#define MFAB_ATT_PAA_FORMAT_INVALID 105
#define MFAB_ATT_PAI_FORMAT_INVALID 203
#define MFAB_ATT_PAI_VENDOR_ID_MISMATCH 205
#define MFAB_ATT_PAI_MISSING 207
#define MFAB_ATT_DAC_EXPIRED 300
#define MFAB_ATT_DAC_SIGNATURE_INVALID 301
#define MFAB_ATT_DAC_FORMAT_INVALID 303
#define MFAB_ATT_DAC_VENDOR_ID_MISMATCH 305
#define MFAB_ATT_DAC_PRODUCT_ID_MISMATCH 306
#define MFAB_ATT_CD_NO_KEY_ID 600
#define MFAB_ATT_CD_NO_CERTIFICATE 601
#define MFAB_ATT_CD_INVALID_SIGNATURE 602
#define MFAB_ATT_CD_INVALID_FORMAT 603
#define MFAB_ATT_CD_INVALID_VENDOR_ID 604
#define MFAB_ATT_CD_INVALID_PRODUCT_ID 605
#define MFAB_ATT_CD_INVALID_PAA 606
#define MFAB_ATT_INVALID_ARGUMENT 800

/**
 * SDK name of an AttestationVerificationResult ("kDacFormatInvalid"), or
 * "OK" for 0, or "kUnknown" for a value not in spec 2.5.
 */
const char *mfab_pki_result_name(int code);

/** Outcome of a validation run. */
typedef struct mfab_pki_verdict {
    int code;                       /**< MFAB_ATT_* */
    char detail[MFAB_DIAG_MSG_MAX]; /**< why (empty for OK) */
} mfab_pki_verdict;

/** Inputs of mfab_pki_validate(); certificates as DER or PEM bytes,
 *  borrowed for the call. */
typedef struct mfab_pki_validate_input {
    const uint8_t *dac;
    size_t dac_len;
    const uint8_t *pai;
    size_t pai_len;
    /** trust store: npaa PAA certificates */
    const uint8_t *const *paa;
    const size_t *paa_len;
    size_t npaa;
    /** 1: the single given PAA is the root (chip-cert validate-att-cert);
     *  0: the PAA is the store entry whose SKID equals PAI.AKID */
    int paa_explicit;
    /** optional Certification Declaration (CMS DER) and the trusted CD
     *  signing certificates; cd == NULL runs chain validation only */
    const uint8_t *cd;
    size_t cd_len;
    const uint8_t *const *cd_certs;
    const size_t *cd_cert_len;
    size_t ncd_certs;
    /** Basic Information VID/PID the device reports (default: the DAC's) */
    int has_basic_info;
    uint16_t basic_vid;
    uint16_t basic_pid;
    /** "now" for the DAC validity check */
    time_t now;
    /** optional: some of these certificates already parsed (borrowed,
     *  read-only; OpenSSL lets threads share them), so that a caller
     *  validating many devices parses its trust store once: dac_x and
     *  pai_x stand for dac and pai, paa_x[i] for paa[i] and cd_cert_x[i]
     *  for cd_certs[i] (NULL entries are parsed from the bytes). They must
     *  be those same certificates. */
    X509 *dac_x;
    X509 *pai_x;
    X509 *const *paa_x;
    X509 *const *cd_cert_x;
} mfab_pki_validate_input;

#define MFAB_PKI_VALIDATE_INPUT_INIT                                           \
    {                                                                          \
        NULL, 0, NULL, 0, NULL, NULL, 0, 0, NULL, 0, NULL, NULL, 0, 0, 0, 0,   \
            0, NULL, NULL, NULL, NULL                                          \
    }

/**
 * Validate a DAC/PAI against PAAs as a commissioner does: without a CD,
 * chip-cert validate-att-cert's order (spec 2.4.2; with paa_explicit == 0
 * the PAA is first looked up by PAI.AKID); with a CD, the SDK's
 * DefaultDACVerifier order (2.4.3, then 4.5 and 4.6).
 * The verdict (first failed rule) goes to *out; a certificate that does
 * not parse is a format failure of its role, not an error.
 * @return 0 when the rules ran (whatever the verdict), MFAB_EINVAL (no
 *         DAC/PAI/PAA bytes given, several PAAs with paa_explicit, a CD
 *         without 1..16 CD signing certificates), MFAB_EFORMAT (a CD
 *         signing certificate does not parse), MFAB_ENOMEM
 */
int mfab_pki_validate(mfab_pki_verdict *out, const mfab_pki_validate_input *in,
                      mfab_diag *diag);

/* ----------------------------------------------------------- generation */

/** chip-cert's --lifetime value meaning "no well-defined expiration":
 *  notAfter = 99991231235959Z. */
#define MFAB_PKI_LIFETIME_NO_EXPIRY 4294967295u

typedef struct mfab_pki_issue_options {
    mfab_pki_cert_type type;
    const char *subject_cn; /**< UTF-8, with the suffix at most 64 bytes */
    int has_vid;
    int has_pid;
    uint16_t vid;
    uint16_t pid;
    int vid_pid_as_cn;      /**< "<cn> Mvid:XXXX Mpid:YYYY" (chip-cert -a) */
    time_t not_before;      /**< UTC */
    uint32_t lifetime_days; /**< notAfter = notBefore + days - 1 s */
} mfab_pki_issue_options;

#define MFAB_PKI_ISSUE_OPTIONS_INIT                                            \
    {                                                                          \
        MFAB_PKI_DAC, NULL, 0, 0, 0, 0, 0, 0, 0                                \
    }

/**
 * Issue a certificate to the Matter profile (spec 2, 3.1): v3, 20-byte
 * random positive serial, subject CN then VID then PID, extensions
 * basicConstraints, keyUsage, SKID, AKID with the DER of spec 2.3,
 * ecdsa-with-SHA256 by ca_key.
 * @param subject_key  public key to certify (a private key is fine)
 * @param ca_cert      issuer (its subject becomes the issuer DN and its SKID
 *                     the AKID); NULL for a PAA, which is self-signed with
 *                     ca_key == subject_key
 * @param ca_key       signing key; must match ca_cert
 * @param[out] out     caller frees with X509_free()
 * @return 0, MFAB_EINVAL (option against the profile: PAA with PID, PAI
 *         without VID, DAC without VID/PID, CN too long, DAC VID/PID not
 *         those of its PAI, issuer fails the PAA/PAI profile, e.g. has no
 *         SKID), MFAB_ECRYPTO (ca_key does not match ca_cert, signing
 *         failed), MFAB_EUNSUPPORTED (key not P-256)
 */
int mfab_pki_issue(X509 **out, const mfab_pki_issue_options *opts,
                   EVP_PKEY *subject_key, const X509 *ca_cert, EVP_PKEY *ca_key,
                   mfab_diag *diag);

/* ------------------------------------------------- DAC issuing, fast path */

/*
 * A PAI ready to issue many DACs: the PAI profile, its key match, VID/PID
 * and SKID are checked once, and the constant parts of the DAC (issuer
 * name, algorithm, extensions but the SKID) are encoded once. Issuing then
 * writes the TBSCertificate DER directly and signs it, giving the same
 * profile as mfab_pki_issue() with type MFAB_PKI_DAC.
 *
 * Threads: after mfab_pki_issuer_new() returns, the issuer is read-only;
 * any number of threads may call mfab_pki_issuer_issue_dac() on it at
 * once, each with its own diag.
 */
typedef struct mfab_pki_issuer mfab_pki_issuer;

/** Largest DAC DER mfab_pki_issuer_issue_dac() writes. */
#define MFAB_PKI_DAC_DER_MAX 1024

/**
 * Set up an issuer for the PAI pai_cert with its key pai_key.
 * @param pai_cert  copied (reference taken); may be freed afterwards
 * @param pai_key   reference taken; may be a PKCS#11 token key (then only
 *                  randomized signatures are available)
 * @param[out] out  caller frees with mfab_pki_issuer_free()
 * @return 0, MFAB_EINVAL (pai_cert fails the PAI profile, e.g. has no
 *         SKID), MFAB_ECRYPTO (pai_key does not match pai_cert),
 *         MFAB_EUNSUPPORTED (key not P-256), MFAB_ENOMEM
 */
int mfab_pki_issuer_new(mfab_pki_issuer **out, const X509 *pai_cert,
                        EVP_PKEY *pai_key, mfab_diag *diag);

/** Free an issuer (NULL is a no-op). */
void mfab_pki_issuer_free(mfab_pki_issuer *iss);

/** Length of the seed of deterministic issuing. */
#define MFAB_PKI_DAC_SEED_LEN 32

/**
 * Issue one DAC as DER into buf (buf == NULL measures: the result is at
 * most MFAB_PKI_DAC_DER_MAX bytes).
 * @param opts  type must be MFAB_PKI_DAC; same rules as mfab_pki_issue()
 * @param pub   the DAC's public point 04||X||Y (mfab_pki_dac_key.pub)
 * @param seed  NULL: random serial and randomized ECDSA; else
 *              MFAB_PKI_DAC_SEED_LEN bytes from which the serial is
 *              derived, signed with RFC 6979 nonces, so that the same
 *              seed and inputs give the same bytes
 * @return 0, MFAB_EBUFS (with *out_len set), MFAB_EINVAL (options against
 *         the profile, pub not an uncompressed point of P-256, seed with
 *         a key whose scalar is not readable), MFAB_ECRYPTO
 */
int mfab_pki_issuer_issue_dac(uint8_t *buf, size_t cap, size_t *out_len,
                              const mfab_pki_issuer *iss,
                              const mfab_pki_issue_options *opts,
                              const uint8_t pub[65], const uint8_t *seed,
                              mfab_diag *diag);

/**
 * Parse a date for --valid-from: "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" or
 * "YYYY-MM-DDTHH:MM:SS" (mfg_tool), always UTC.
 * @return 0, MFAB_EINVAL
 */
int mfab_pki_parse_time(time_t *out, const char *text, mfab_diag *diag);

/**
 * Read a device CSR (PKCS#10, PEM or DER), verify its self-signature and
 * key type (EC P-256) and return only its public key.
 * @param[out] out  caller frees with EVP_PKEY_free()
 * @return 0, MFAB_EFORMAT (not a CSR), MFAB_ECRYPTO (signature does not
 *         verify), MFAB_EUNSUPPORTED (not P-256)
 */
int mfab_pki_csr_public_key(EVP_PKEY **out, const uint8_t *data, size_t len,
                            mfab_diag *diag);

/* ----------------------------------------------------------------- show */

/** What "pki show" prints about a certificate. */
typedef struct mfab_pki_cert_info {
    char subject[512]; /**< one-line form "CN = x, 1.3.6...2.1 = FFF1" */
    char issuer[512];
    char serial[64];     /**< hex, uppercase */
    char not_before[32]; /**< "YYYY-MM-DDTHH:MM:SSZ" */
    char not_after[32];
    mfab_pki_vidpid ids; /**< valid when ids_ok */
    int ids_ok;
    char ids_error[256]; /**< why ids could not be read */
    int has_skid;
    int has_akid;
    uint8_t skid[MFAB_PKI_KEY_ID_LEN];
    uint8_t akid[MFAB_PKI_KEY_ID_LEN];
    mfab_pki_cert_type role; /**< guessed from basicConstraints/self-signed */
    char profile[512];       /**< "" when the role's format check passes */
    uint8_t sha256[32];      /**< fingerprint of the DER */
} mfab_pki_cert_info;

/**
 * Describe a certificate: names, serial, validity, Matter VID/PID, key
 * identifiers, role and profile check.
 * @return 0, MFAB_ENOMEM
 */
int mfab_pki_cert_describe(mfab_pki_cert_info *out, const X509 *cert,
                           mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
