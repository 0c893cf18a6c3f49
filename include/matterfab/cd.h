/*
 * matterfab/cd.h: Matter Certification Declaration (CD).
 *
 * Implements shared/spec/attestation.md section 4: the CD content (a Matter
 * TLV structure, 4.1-4.2), its CMS SignedData envelope (4.3), and the
 * checks a commissioner runs on it (4.5 signature, 4.6 payload), which
 * report the SDK's AttestationVerificationResult numbers.
 *
 * The content codec and the envelope codec take caller buffers
 * (buf == NULL measures, a short cap gives MFAB_EBUFS with *out_len set)
 * and never allocate. Decoded pointers are borrowed from the input.
 */
#ifndef MATTERFAB_CD_H
#define MATTERFAB_CD_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MFAB_CD_MAX_PIDS 100   /**< product_id_array entries */
#define MFAB_CD_MAX_PAAS 10    /**< authorized_paa_list entries */
#define MFAB_CD_CERT_ID_LEN 19 /**< certificate_id characters */
#define MFAB_CD_SKID_LEN 20    /**< SKID in the envelope and PAA list */
/** Largest TLV content: every field at its widest, 100 PIDs, 10 PAAs. */
#define MFAB_CD_CONTENT_MAX 640
/** Largest envelope this module writes or reads (the SDK's own bound is
 *  smaller); enough for MFAB_CD_CONTENT_MAX plus a P-256 signature. */
#define MFAB_CD_CMS_MAX 1024

/** SDK AttestationVerificationResult values used by the CD checks. */
typedef enum mfab_cd_result {
    MFAB_CD_OK = 0,                   /**< kSuccess */
    MFAB_CD_NO_KEY_ID = 600,          /**< kCertificationDeclarationNoKeyId */
    MFAB_CD_NO_CERTIFICATE = 601,     /**< ...NoCertificateFound */
    MFAB_CD_INVALID_SIGNATURE = 602,  /**< ...InvalidSignature */
    MFAB_CD_INVALID_FORMAT = 603,     /**< ...InvalidFormat */
    MFAB_CD_INVALID_VENDOR_ID = 604,  /**< ...InvalidVendorId */
    MFAB_CD_INVALID_PRODUCT_ID = 605, /**< ...InvalidProductId */
    MFAB_CD_INVALID_PAA = 606,        /**< ...InvalidPAA */
    MFAB_CD_NO_MEMORY = 700,          /**< kNoMemory */
    MFAB_CD_INVALID_ARGUMENT = 800,   /**< kInvalidArgument */
    MFAB_CD_INTERNAL_ERROR = 900      /**< kInternalError */
} mfab_cd_result;

/* Names of these results: mfab_pki_result_name() (matterfab/pki.h). */

/** certification_type values (spec 4.1). */
#define MFAB_CD_TYPE_DEVELOPMENT 0
#define MFAB_CD_TYPE_PROVISIONAL 1
#define MFAB_CD_TYPE_OFFICIAL 2

/** The decoded content of a CD, field by field (spec 4.1). */
typedef struct mfab_cd_content {
    uint16_t format_version;                /**< tag 0; only 1 is valid */
    uint16_t vendor_id;                     /**< tag 1 */
    uint16_t product_ids[MFAB_CD_MAX_PIDS]; /**< tag 2 */
    size_t product_id_count;
    uint32_t device_type_id;                      /**< tag 3 */
    char certificate_id[MFAB_CD_CERT_ID_LEN + 1]; /**< tag 4, NUL ended */
    uint8_t security_level;                       /**< tag 5 */
    uint16_t security_information;                /**< tag 6 */
    uint16_t version_number;                      /**< tag 7 */
    uint8_t certification_type;                   /**< tag 8 */
    int has_dac_origin;                           /**< tags 9 and 10 */
    uint16_t dac_origin_vendor_id;
    uint16_t dac_origin_product_id;
    int has_authorized_paa_list; /**< tag 11, maybe empty */
    uint8_t authorized_paa_list[MFAB_CD_MAX_PAAS][MFAB_CD_SKID_LEN];
    size_t authorized_paa_count;
} mfab_cd_content;

/** A content with chip-cert gen-cd's defaults: format_version 1, all else 0. */
void mfab_cd_content_init(mfab_cd_content *out);

/**
 * Check the content the way chip-cert gen-cd does before it signs:
 * format_version 1, vendor_id != 0, 1..100 product IDs each != 0,
 * certificate_id exactly 19 characters, version_number != 0,
 * certification_type <= 2, origin VID and PID both set or both unset and
 * then non-zero, at most 10 authorized PAAs.
 * @return 0, MFAB_EINVAL (diag names the field and what is allowed)
 */
int mfab_cd_content_check(const mfab_cd_content *content, mfab_diag *diag);

/**
 * Encode the content as the SDK does (fields in tag order, minimal
 * integer widths). Runs mfab_cd_content_check() first.
 * @param buf  output, may be NULL to measure
 * @param[out] out_len bytes written or needed, set even on MFAB_EBUFS
 * @return 0, MFAB_EINVAL (content check), MFAB_EBUFS
 */
int mfab_cd_encode_content(uint8_t *buf, size_t cap, size_t *out_len,
                           const mfab_cd_content *content, mfab_diag *diag);

/**
 * Decode CD TLV content with the SDK's decoder rules (spec 4.2). Values
 * the decoder accepts but a commissioner rejects (format_version != 1,
 * certification_type > 2, an empty PID list) decode fine; see
 * mfab_cd_check_payload().
 * @param[out] out  the fields
 * @param buf  borrowed for the call only
 * @return 0; MFAB_EFORMAT (not TLV, wrong outer element, missing or
 *         misordered tag, wrong element type, trailing bytes); MFAB_ERANGE
 *         (a value too wide for its field, a certificate_id not 19 bytes,
 *         more than 100 PIDs or 10 PAAs, a PAA entry not 20 bytes)
 */
int mfab_cd_decode_content(mfab_cd_content *out, const uint8_t *buf, size_t len,
                           mfab_diag *diag);

/* ---- CMS envelope (spec 4.3) ---------------------------------------- */

/** The parts of a CD envelope, borrowed from the DER it was decoded from. */
typedef struct mfab_cd_envelope {
    const uint8_t *content; /**< eContent octets: the CD TLV */
    size_t content_len;
    uint8_t signer_skid[MFAB_CD_SKID_LEN]; /**< SignerInfo sid */
    const uint8_t *signature;              /**< DER ECDSA-Sig-Value */
    size_t signature_len;
    const uint8_t *signer_info; /**< whole SignerInfo SEQUENCE */
    size_t signer_info_len;
    /* What a strict reader tolerates but a printout should show; set by
     * mfab_cd_decode_envelope() only. */
    size_t digest_algorithm_count; /**< entries in digestAlgorithms */
    int algorithm_params;          /**< an AlgorithmIdentifier has parameters */
    int has_certificates;          /**< SignedData certificates [0] present */
    int has_crls;                  /**< SignedData crls [1] present */
    int has_unsigned_attrs;        /**< SignerInfo unsignedAttrs [1] present */
} mfab_cd_envelope;

/**
 * Sign CD content into a CMS SignedData envelope laid out exactly as the
 * SDK writes it: version 3, sha256 without parameters, pkcs7-data
 * eContent, no certificates, sid = [0] SKID of cert, no signed
 * attributes, ECDSA-with-SHA256 over the raw content.
 * @param buf  output, may be NULL to measure; the measured size assumes
 *             the longest signature, the written one may be shorter
 * @param[out] out_len bytes written or needed, set even on MFAB_EBUFS
 * @param key  P-256 private key (borrowed)
 * @param cert certificate of key; only its SKID is used (borrowed)
 * @return 0; MFAB_EINVAL (key not P-256, cert without a 20-byte SKID,
 *         content empty or larger than MFAB_CD_CONTENT_MAX); MFAB_EBUFS;
 *         MFAB_ECRYPTO (key does not match cert, signing failed)
 */
int mfab_cd_sign(uint8_t *buf, size_t cap, size_t *out_len,
                 const uint8_t *content, size_t content_len, EVP_PKEY *key,
                 X509 *cert, mfab_diag *diag);

/**
 * Read only the SignerInfo of an envelope, strictly (SDK
 * CMS_ExtractKeyId): version 3, sid [0] of 20 bytes, digest sha256,
 * signature algorithm ecdsa-with-SHA256. The fields before it are
 * skipped, not checked.
 * @param[out] out  the signer's SKID
 * @return 0, MFAB_EFORMAT
 */
int mfab_cd_extract_key_id(uint8_t out[MFAB_CD_SKID_LEN], const uint8_t *der,
                           size_t len, mfab_diag *diag);

/**
 * Decode a whole envelope strictly (SDK CMS_Verify's parsing): DER with
 * definite lengths, contentType signedData, SignedData version 3, first
 * digest algorithm sha256, eContentType pkcs7-data, eContent present,
 * exactly one SignerInfo as in mfab_cd_extract_key_id(), nothing after
 * the ContentInfo.
 * @param[out] out  parts borrowed from der (must outlive out)
 * @return 0, MFAB_EFORMAT
 */
int mfab_cd_decode_envelope(mfab_cd_envelope *out, const uint8_t *der,
                            size_t len, mfab_diag *diag);

/**
 * Check the envelope's signature (ECDSA-with-SHA256 over the content)
 * with a public key. The SKID is not compared; see mfab_cd_verify().
 * @return 0; MFAB_EINVAL (not an EC P-256 key); MFAB_ECRYPTO (bad
 *         signature)
 */
int mfab_cd_verify_signature(const mfab_cd_envelope *env, EVP_PKEY *pub,
                             mfab_diag *diag);

/**
 * Verify a CD against trusted CD signing certificates in the SDK's order
 * (spec 4.5): key id (600), a certificate with that SKID (601), envelope
 * and signature (602), content decodes (603), and a test-key signature
 * only on a development or provisional CD (601).
 * @param[out] out  MFAB_CD_OK or the failing result; always set
 * @param[out] out_env envelope parts when not NULL (valid when 0 returned)
 * @param[out] out_content decoded content when not NULL
 * @param signers  trusted certificates (borrowed), nsigners of them
 * @return 0 when *out is MFAB_CD_OK; else MFAB_EFORMAT (600, 603, and
 *         602 for a malformed envelope), MFAB_ENOTFOUND (601),
 *         MFAB_ECRYPTO (602 for a signature that does not verify),
 *         MFAB_EINVAL (no signer given; *out is 800)
 */
int mfab_cd_verify(int *out, mfab_cd_envelope *out_env,
                   mfab_cd_content *out_content, const uint8_t *der, size_t len,
                   X509 *const *signers, size_t nsigners, mfab_diag *diag);

/* ---- payload checks (spec 4.6) -------------------------------------- */

/** What the commissioner knows about the device, for the payload checks. */
typedef struct mfab_cd_device_info {
    uint16_t basic_vid; /**< Basic Information cluster VendorID */
    uint16_t basic_pid; /**< Basic Information cluster ProductID */
    uint16_t dac_vid;
    uint16_t dac_pid;
    uint16_t pai_vid;
    uint16_t pai_pid; /**< 0 when the PAI carries no PID */
    uint8_t paa_skid[MFAB_CD_SKID_LEN];
} mfab_cd_device_info;

/**
 * Check decoded content against the device (spec 4.6): format_version 1
 * and certification_type <= 2 (603), vendor_id (604), product_id_array
 * (605), DAC/PAI VID/PID against the origin fields or vendor_id and
 * product_id_array (604/605), authorized_paa_list (606).
 * @param[out] out  MFAB_CD_OK or the failing result; always set
 * @return 0 when *out is MFAB_CD_OK; else MFAB_EFORMAT (603),
 *         MFAB_EINVAL (604, 605, 606)
 */
int mfab_cd_check_payload(int *out, const mfab_cd_content *content,
                          const mfab_cd_device_info *info, mfab_diag *diag);

/**
 * mfab_cd_verify() then mfab_cd_check_payload(): the CD part of a
 * commissioner's attestation, reporting the first failure.
 * @param[out] out  MFAB_CD_OK or the failing result; always set
 * @return 0 when *out is MFAB_CD_OK, else as the two functions above
 */
int mfab_cd_attest(int *out, const uint8_t *der, size_t len,
                   X509 *const *signers, size_t nsigners,
                   const mfab_cd_device_info *info, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
