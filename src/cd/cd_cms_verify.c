/*
 * cd_cms_verify.c: parses and verifies the CMS SignedData envelope of a
 * Certification Declaration (RFC 5652 section 5; shared/spec/
 * attestation.md section 4.3 "Decoder strictness" and 4.5).
 *
 * Two readers, because the SDK has two and their failures map to
 * different results: CMS_ExtractKeyId reads only the SignerInfo strictly
 * (failure: kCertificationDeclarationNoKeyId, 600), CMS_Verify reads the
 * whole envelope strictly (failure: ...InvalidSignature, 602). OpenSSL's
 * CMS decoder accepts BER and other versions and does not expose the
 * version fields, so the checks are made here on the DER; the signature is
 * checked with EVP.
 *
 *   30 L  ContentInfo
 *     06 09 signedData                 (checked by decode_envelope only)
 *     A0 L
 *       30 L  SignedData
 *         02 01 03                     version 3            (decode)
 *         31 L { 30 L { 06 09 sha256 ... } ... }   first must be sha256
 *         30 L { 06 09 pkcs7-data  A0 L { 04 L <content> } }
 *         [A0 certificates] [A1 crls]  skipped if present
 *         31 L { SignerInfo }          exactly one, always strict:
 *           02 01 03  80 14 <SKID>  30 L { 06 09 sha256 ... }
 *           30 L { 06 08 ecdsa-with-SHA256 ... }  04 L <signature>
 *           [A1 unsignedAttrs]         ignored
 */
#include <string.h>

#include <openssl/evp.h>

#include "cd/cd_internal.h"
#include "matterfab/cd.h"

static int
enter(mfab_cursor *c, uint8_t tag, mfab_cursor *inner)
{
    mfab_cd__der e;
    int rc = mfab_cd__der_expect(c, tag, &e);

    if (rc < 0)
        return rc;
    mfab_cursor_init(inner, e.val, e.len);
    return 0;
}

/*
 * A SEQUENCE whose first member is the given OID; parameters are allowed
 * (the SDK does not look at them) and reported in env->algorithm_params.
 */
static int
expect_alg(mfab_cursor *c, const uint8_t *oid, size_t n, mfab_cd_envelope *env)
{
    mfab_cursor alg;
    mfab_cd__der e;
    int rc = enter(c, MFAB_CD__DER_SEQ, &alg);

    if (rc < 0)
        return rc;
    rc = mfab_cd__der_next(&alg, &e);
    if (rc < 0)
        return rc;
    if (mfab_cursor_left(&alg) != 0)
        env->algorithm_params = 1;
    return mfab_cd__der_is_oid(&e, oid, n) ? 0 : MFAB_EFORMAT;
}

static int
is_version3(const mfab_cd__der *e)
{
    return e->tag == MFAB_CD__DER_INTEGER && e->len == 1 && e->val[0] == 3;
}

/* Parse the signerInfos SET strictly; fills skid, signature, signer_info. */
static int
parse_signer_infos(mfab_cd_envelope *out, const mfab_cd__der *set,
                   mfab_diag *diag)
{
    mfab_cursor c, si;
    mfab_cd__der e, whole;

    mfab_cursor_init(&c, set->val, set->len);
    if (mfab_cd__der_expect(&c, MFAB_CD__DER_SEQ, &whole) < 0 ||
        mfab_cursor_left(&c) != 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: envelope must hold exactly one "
                             "SignerInfo");
    out->signer_info = whole.start;
    out->signer_info_len = (size_t)(whole.val + whole.len - whole.start);
    mfab_cursor_init(&si, whole.val, whole.len);
    if (mfab_cd__der_next(&si, &e) < 0 || !is_version3(&e))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignerInfo 'version' is not 3");
    if (mfab_cd__der_next(&si, &e) < 0 || e.tag != MFAB_CD__DER_CTX0 ||
        e.len != MFAB_CD_SKID_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignerInfo 'sid' is not a [0] 20-byte "
                             "subjectKeyIdentifier");
    memcpy(out->signer_skid, e.val, MFAB_CD_SKID_LEN);
    if (expect_alg(&si, mfab_cd__oid_sha256, 9, out) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignerInfo 'digestAlgorithm' is not "
                             "sha256 (or signed attributes are present)");
    if (expect_alg(&si, mfab_cd__oid_ecdsa_sha256, 8, out) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignerInfo 'signatureAlgorithm' is not "
                             "ecdsa-with-SHA256 (signed attributes are not "
                             "allowed)");
    if (mfab_cd__der_expect(&si, MFAB_CD__DER_OCTETS, &e) < 0 || e.len == 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignerInfo 'signature' is not an OCTET "
                             "STRING");
    out->signature = e.val;
    out->signature_len = e.len;
    if (mfab_cd__der_next(&si, &e) == 0 && e.tag == MFAB_CD__DER_CTX1_C)
        out->has_unsigned_attrs = 1;
    return 0;
}

/* Step over optional certificates [0] and crls [1] to the signerInfos. */
static int
next_signer_infos(mfab_cursor *sd, mfab_cd__der *out, mfab_cd_envelope *env)
{
    int rc;

    for (;;) {
        rc = mfab_cd__der_next(sd, out);
        if (rc < 0)
            return rc;
        if (out->tag == MFAB_CD__DER_CTX0_C)
            env->has_certificates = 1;
        else if (out->tag == MFAB_CD__DER_CTX1_C)
            env->has_crls = 1;
        else
            break;
    }
    return out->tag == MFAB_CD__DER_SET ? 0 : MFAB_EFORMAT;
}

/* The SignedData SEQUENCE's contents, from the outer ContentInfo. */
static int
open_signed_data(mfab_cursor *out, const uint8_t *der, size_t len,
                 mfab_cd__der *content_type, mfab_diag *diag)
{
    mfab_cursor c, ci, expl;
    mfab_cd__der e;

    mfab_cursor_init(&c, der, len);
    if (enter(&c, MFAB_CD__DER_SEQ, &ci) < 0 || mfab_cursor_left(&c) != 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: not a DER ContentInfo (or bytes follow "
                             "it)");
    if (mfab_cd__der_next(&ci, content_type) < 0 ||
        enter(&ci, MFAB_CD__DER_CTX0_C, &expl) < 0 ||
        mfab_cd__der_expect(&expl, MFAB_CD__DER_SEQ, &e) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: ContentInfo does not hold a SignedData");
    mfab_cursor_init(out, e.val, e.len);
    return 0;
}

/* see matterfab/cd.h */
int
mfab_cd_extract_key_id(uint8_t out[MFAB_CD_SKID_LEN], const uint8_t *der,
                       size_t len, mfab_diag *diag)
{
    mfab_cd_envelope env;
    mfab_cursor sd;
    mfab_cd__der e;
    int i, rc;

    memset(&env, 0, sizeof(env));
    rc = open_signed_data(&sd, der, len, &e, diag);
    if (rc < 0)
        return rc;
    /* version, digestAlgorithms, encapContentInfo: read, not checked */
    for (i = 0; i < 3; i++) {
        if (mfab_cd__der_next(&sd, &e) < 0)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "cd: SignedData is truncated");
    }
    if (next_signer_infos(&sd, &e, &env) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignedData has no 'signerInfos' SET");
    rc = parse_signer_infos(&env, &e, diag);
    if (rc < 0)
        return rc;
    memcpy(out, env.signer_skid, MFAB_CD_SKID_LEN);
    return 0;
}

/* see matterfab/cd.h */
int
mfab_cd_decode_envelope(mfab_cd_envelope *out, const uint8_t *der, size_t len,
                        mfab_diag *diag)
{
    mfab_cursor sd, digests, encap, expl;
    mfab_cd__der e;
    int rc;

    memset(out, 0, sizeof(*out));
    rc = open_signed_data(&sd, der, len, &e, diag);
    if (rc < 0)
        return rc;
    if (!mfab_cd__der_is_oid(&e, mfab_cd__oid_signed_data, 9))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: ContentInfo 'contentType' is not "
                             "signedData (1.2.840.113549.1.7.2)");
    if (mfab_cd__der_next(&sd, &e) < 0 || !is_version3(&e))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignedData 'version' is not 3");
    if (enter(&sd, MFAB_CD__DER_SET, &digests) < 0 ||
        expect_alg(&digests, mfab_cd__oid_sha256, 9, out) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignedData 'digestAlgorithms' does not "
                             "start with sha256");
    /* Further digest algorithms are allowed; count them for printouts. */
    for (out->digest_algorithm_count = 1; mfab_cursor_left(&digests) > 0;
         out->digest_algorithm_count++) {
        if (mfab_cd__der_next(&digests, &e) < 0)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "cd: SignedData 'digestAlgorithms' is not "
                                 "valid DER");
    }
    if (enter(&sd, MFAB_CD__DER_SEQ, &encap) < 0 ||
        mfab_cd__der_next(&encap, &e) < 0 ||
        !mfab_cd__der_is_oid(&e, mfab_cd__oid_data, 9))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: 'eContentType' is not pkcs7-data "
                             "(1.2.840.113549.1.7.1)");
    if (enter(&encap, MFAB_CD__DER_CTX0_C, &expl) < 0 ||
        mfab_cd__der_expect(&expl, MFAB_CD__DER_OCTETS, &e) < 0 ||
        mfab_cursor_left(&expl) != 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: 'eContent' is missing or not one OCTET "
                             "STRING (detached content is not allowed)");
    out->content = e.val;
    out->content_len = e.len;
    if (next_signer_infos(&sd, &e, out) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "cd: SignedData has no 'signerInfos' SET");
    return parse_signer_infos(out, &e, diag);
}

/* see matterfab/cd.h */
int
mfab_cd_verify_signature(const mfab_cd_envelope *env, EVP_PKEY *pub,
                         mfab_diag *diag)
{
    EVP_MD_CTX *ctx = NULL;
    char group[32] = "";
    int rc = 0, ok;

    if (pub == NULL || !EVP_PKEY_is_a(pub, "EC") ||
        EVP_PKEY_get_utf8_string_param(pub, "group", group, sizeof(group),
                                       NULL) != 1 ||
        strcmp(group, "prime256v1") != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd: verifying key is not EC prime256v1");
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "cd: out of memory");
        goto out;
    }
    if (EVP_DigestVerifyInit_ex(ctx, NULL, "SHA256", NULL, NULL, pub, NULL) !=
        1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cd: cannot set up signature check");
        goto out;
    }
    ok = EVP_DigestVerify(ctx, env->signature, env->signature_len, env->content,
                          env->content_len);
    if (ok != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cd: signature does not verify with the CD "
                                "signing key");
        goto out;
    }
out:
    EVP_MD_CTX_free(ctx);
    return rc;
}
