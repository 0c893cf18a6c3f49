/*
 * cd_cms_sign.c: signs Certification Declaration content into the CMS
 * SignedData envelope the Matter SDK writes (RFC 5652 section 5;
 * shared/spec/attestation.md section 4.3, quirk 10 of section 7).
 *
 * The layout is fixed, so it is written field by field rather than through
 * OpenSSL's CMS encoder: that way the caller's buffer receives the bytes
 * directly, the size is known before signing, and no option of the CMS
 * API can add attributes or certificates behind our back. The signature
 * itself is OpenSSL's (EVP, ECDSA P-256 with SHA-256 over the raw content).
 *
 *   30 L  ContentInfo
 *     06 09 2A864886F70D010702                 signedData
 *     A0 L
 *       30 L  SignedData
 *         02 01 03                             version 3
 *         31 0D 30 0B 06 09 608648016503040201 digestAlgorithms {sha256}
 *         30 L  encapContentInfo
 *           06 09 2A864886F70D010701           pkcs7-data
 *           A0 L 04 L <CD TLV>                 eContent
 *         31 L  signerInfos
 *           30 L  SignerInfo
 *             02 01 03                         version 3
 *             80 14 <SKID>                     sid [0]
 *             30 0B 06 09 608648016503040201   digestAlgorithm sha256
 *             30 0A 06 08 2A8648CE3D040302     ecdsa-with-SHA256
 *             04 L <ECDSA-Sig-Value>           signature
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "cd/cd_internal.h"
#include "matterfab/cd.h"
#include "matterfab/pki.h"

static const uint8_t version3[] = {0x03};

/* Size of the SignerInfo SEQUENCE's value for a signature of siglen. */
static size_t
signer_info_len(size_t siglen)
{
    return mfab_der_size(1) + mfab_der_size(MFAB_CD_SKID_LEN) +
           mfab_der_size(mfab_der_size(9)) + mfab_der_size(mfab_der_size(8)) +
           mfab_der_size(siglen);
}

static void
put_alg(mfab_der_writer *w, const uint8_t *oid, size_t n)
{
    mfab_der_put_header(w, MFAB_CD__DER_SEQ, mfab_der_size(n));
    mfab_der_put(w, MFAB_CD__DER_OID, oid, n);
}

/* Write the whole envelope (or measure it when w->buf is NULL). */
static void
write_envelope(mfab_der_writer *w, const uint8_t *content, size_t content_len,
               const uint8_t *skid, const uint8_t *sig, size_t siglen)
{
    size_t si = signer_info_len(siglen);
    size_t econtent = mfab_der_size(content_len);
    size_t encap = mfab_der_size(9) + mfab_der_size(econtent);
    size_t digests = mfab_der_size(mfab_der_size(9));
    size_t sd = mfab_der_size(1) + mfab_der_size(digests) +
                mfab_der_size(encap) + mfab_der_size(mfab_der_size(si));
    size_t ci = mfab_der_size(9) + mfab_der_size(mfab_der_size(sd));

    mfab_der_put_header(w, MFAB_CD__DER_SEQ, ci);
    mfab_der_put(w, MFAB_CD__DER_OID, mfab_cd__oid_signed_data, 9);
    mfab_der_put_header(w, MFAB_CD__DER_CTX0_C, mfab_der_size(sd));
    mfab_der_put_header(w, MFAB_CD__DER_SEQ, sd);
    mfab_der_put(w, MFAB_CD__DER_INTEGER, version3, 1);
    mfab_der_put_header(w, MFAB_CD__DER_SET, digests);
    put_alg(w, mfab_cd__oid_sha256, 9);
    mfab_der_put_header(w, MFAB_CD__DER_SEQ, encap);
    mfab_der_put(w, MFAB_CD__DER_OID, mfab_cd__oid_data, 9);
    mfab_der_put_header(w, MFAB_CD__DER_CTX0_C, econtent);
    mfab_der_put(w, MFAB_CD__DER_OCTETS, content, content_len);
    mfab_der_put_header(w, MFAB_CD__DER_SET, mfab_der_size(si));
    mfab_der_put_header(w, MFAB_CD__DER_SEQ, si);
    mfab_der_put(w, MFAB_CD__DER_INTEGER, version3, 1);
    mfab_der_put(w, MFAB_CD__DER_CTX0, skid, MFAB_CD_SKID_LEN);
    put_alg(w, mfab_cd__oid_sha256, 9);
    put_alg(w, mfab_cd__oid_ecdsa_sha256, 8);
    mfab_der_put(w, MFAB_CD__DER_OCTETS, sig, siglen);
}

/* Key usable and matching cert; fills the cert's SKID (the CMS sid). */
static int
check_signer(EVP_PKEY *key, X509 *cert, uint8_t skid[MFAB_CD_SKID_LEN],
             mfab_diag *diag)
{
    char group[32] = "";

    if (key == NULL || cert == NULL)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: no signing key or certificate given");
    if (!EVP_PKEY_is_a(key, "EC") ||
        EVP_PKEY_get_utf8_string_param(key, "group", group, sizeof(group),
                                       NULL) != 1 ||
        strcmp(group, "prime256v1") != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: signing key is '%s %s' (allowed: EC "
                             "prime256v1)",
                             EVP_PKEY_get0_type_name(key), group);
    if (mfab_pki_cert_skid(skid, cert, NULL) < 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: signing certificate has no 20-byte "
                             "subjectKeyIdentifier (the CMS sid needs it)");
    return mfab_pki_key_matches_cert(key, cert, "CD signing certificate", diag);
}

static int
ecdsa_sign(uint8_t *sig, size_t *siglen, EVP_PKEY *key, const uint8_t *msg,
           size_t len, mfab_diag *diag)
{
    EVP_MD_CTX *ctx = NULL;
    int rc = 0;

    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "cd: out of memory");
        goto out;
    }
    if (EVP_DigestSignInit_ex(ctx, NULL, "SHA256", NULL, NULL, key, NULL) !=
            1 ||
        EVP_DigestSign(ctx, sig, siglen, msg, len) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cd: cannot sign the declaration");
        goto out;
    }
out:
    EVP_MD_CTX_free(ctx);
    return rc;
}

/* see matterfab/cd.h */
int
mfab_cd_sign(uint8_t *buf, size_t cap, size_t *out_len, const uint8_t *content,
             size_t content_len, EVP_PKEY *key, X509 *cert, mfab_diag *diag)
{
    uint8_t sig[80], skid[MFAB_CD_SKID_LEN];
    size_t siglen = 0;
    mfab_der_writer w = {NULL, 0, 0};
    int rc;

    *out_len = 0;
    if (content == NULL || content_len == 0 ||
        content_len > MFAB_CD_CONTENT_MAX)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: content is %zu bytes (allowed 1..%d)",
                             content_len, MFAB_CD_CONTENT_MAX);
    rc = check_signer(key, cert, skid, diag);
    if (rc < 0)
        return rc;
    if (buf == NULL) {
        /* P-256 ECDSA-Sig-Value: at most 30 46 (02 21 ..) (02 21 ..). */
        write_envelope(&w, content, content_len, sig, sig, 72);
        *out_len = w.len;
        return 0;
    }
    siglen = sizeof(sig);
    rc = ecdsa_sign(sig, &siglen, key, content, content_len, diag);
    if (rc < 0)
        goto out;
    w.buf = buf;
    w.cap = cap;
    write_envelope(&w, content, content_len, skid, sig, siglen);
    *out_len = w.len;
    if (w.len > cap)
        rc = mfab_diag_set(diag, MFAB_EBUFS,
                           "cd: envelope needs %zu bytes, buffer has %zu",
                           w.len, cap);
out:
    OPENSSL_cleanse(sig, sizeof(sig));
    return rc;
}
