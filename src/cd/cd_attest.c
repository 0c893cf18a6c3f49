/*
 * cd_attest.c: the Certification Declaration checks a commissioner runs
 * during device attestation, in the SDK's order and with its result codes
 * (shared/spec/attestation.md sections 2.5, 4.4, 4.5 and 4.6; SDK
 * DefaultDACVerifier::ValidateCertificationDeclarationSignature and
 * ::ValidateCertificateDeclarationPayload).
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/x509v3.h>

#include "common/common_internal.h"
#include "matterfab/cd.h"
#include "matterfab/hex.h"
#include "matterfab/pki.h"

/* SKID of the SDK's test CD signing key (spec 4.4). */
static const uint8_t test_cd_skid[MFAB_CD_SKID_LEN] = {
    0x62, 0xFA, 0x82, 0x33, 0x59, 0xAC, 0xFA, 0xA9, 0x96, 0x3E,
    0x1C, 0xFA, 0x14, 0x0A, 0xDD, 0xF5, 0x04, 0xF3, 0x71, 0x60,
};

static void
skid_hex(char out[2 * MFAB_CD_SKID_LEN + 1], const uint8_t *skid)
{
    size_t i;

    mfab_hex_encode(out, skid, MFAB_CD_SKID_LEN);
    for (i = 0; out[i] != '\0'; i++)
        if (out[i] >= 'a' && out[i] <= 'f')
            out[i] = (char)(out[i] - 'a' + 'A');
}

/* The trusted certificate whose SKID is skid, or NULL. */
static X509 *
find_signer(X509 *const *signers, size_t n, const uint8_t *skid)
{
    uint8_t id[MFAB_PKI_KEY_ID_LEN];
    size_t i;

    for (i = 0; i < n; i++) {
        if (signers[i] != NULL &&
            mfab_pki_cert_skid(id, signers[i], NULL) == 0 &&
            memcmp(id, skid, MFAB_CD_SKID_LEN) == 0)
            return signers[i];
    }
    return NULL;
}

/* Record a failing verdict: *out = result, returns code. */
static int
verdict(int *out, int result, int code)
{
    *out = result;
    return code;
}

/* see matterfab/cd.h */
int
mfab_cd_verify(int *out, mfab_cd_envelope *out_env,
               mfab_cd_content *out_content, const uint8_t *der, size_t len,
               X509 *const *signers, size_t nsigners, mfab_diag *diag)
{
    uint8_t skid[MFAB_CD_SKID_LEN];
    char hex[2 * MFAB_CD_SKID_LEN + 1];
    mfab_cd_envelope env;
    mfab_cd_content content;
    X509 *signer = NULL;
    int rc;

    *out = MFAB_CD_INTERNAL_ERROR;
    if (signers == NULL || nsigners == 0)
        return verdict(out, MFAB_CD_INVALID_ARGUMENT,
                       mfab_diag_set(diag, MFAB_EINVAL,
                                     "cd: no CD signing certificate given"));
    rc = mfab_cd_extract_key_id(skid, der, len, diag);
    if (rc < 0)
        return verdict(out, MFAB_CD_NO_KEY_ID, rc);
    signer = find_signer(signers, nsigners, skid);
    skid_hex(hex, skid);
    if (signer == NULL)
        return verdict(out, MFAB_CD_NO_CERTIFICATE,
                       mfab_diag_set(diag, MFAB_ENOTFOUND,
                                     "cd: no CD signing certificate with "
                                     "SKID '%s' (the envelope's signer)",
                                     hex));
    rc = mfab_cd_decode_envelope(&env, der, len, diag);
    if (rc < 0)
        return verdict(out, MFAB_CD_INVALID_SIGNATURE, rc);
    rc = mfab_cd_verify_signature(&env, X509_get0_pubkey(signer), diag);
    if (rc < 0)
        return verdict(out, MFAB_CD_INVALID_SIGNATURE, MFAB_ECRYPTO);
    rc = mfab_cd_decode_content(&content, env.content, env.content_len, diag);
    if (rc < 0)
        return verdict(out, MFAB_CD_INVALID_FORMAT, MFAB_EFORMAT);
    /* The test key may sign development and provisional CDs only. */
    if (CRYPTO_memcmp(skid, test_cd_skid, MFAB_CD_SKID_LEN) == 0 &&
        content.certification_type > MFAB_CD_TYPE_PROVISIONAL)
        return verdict(out, MFAB_CD_NO_CERTIFICATE,
                       mfab_diag_set(diag, MFAB_ENOTFOUND,
                                     "cd: 'certification_type' %u is signed "
                                     "with the test CD signing key '%s' "
                                     "(allowed only for 0 and 1)",
                                     content.certification_type, hex));
    if (out_env != NULL)
        *out_env = env;
    if (out_content != NULL)
        *out_content = content;
    *out = MFAB_CD_OK;
    return 0;
}

static int
has_pid(const mfab_cd_content *c, uint16_t pid)
{
    size_t i;

    for (i = 0; i < c->product_id_count; i++)
        if (c->product_ids[i] == pid)
            return 1;
    return 0;
}

static int
vid_fail(int *out, mfab_diag *diag, const char *who, uint16_t vid,
         const char *field, uint16_t want)
{
    return verdict(out, MFAB_CD_INVALID_VENDOR_ID,
                   mfab_diag_set(diag, MFAB_EINVAL,
                                 "cd: %s VID '0x%04X' does not match CD "
                                 "'%s' 0x%04X",
                                 who, vid, field, want));
}

static int
pid_fail(int *out, mfab_diag *diag, const char *who, uint16_t pid,
         const char *field)
{
    return verdict(out, MFAB_CD_INVALID_PRODUCT_ID,
                   mfab_diag_set(diag, MFAB_EINVAL,
                                 "cd: %s PID '0x%04X' is not in CD '%s'", who,
                                 pid, field));
}

/* DAC and PAI VID/PID against the CD (spec 4.6 step 4). */
static int
check_origin(int *out, const mfab_cd_content *c,
             const mfab_cd_device_info *info, mfab_diag *diag)
{
    if (c->has_dac_origin) {
        if (info->dac_vid != c->dac_origin_vendor_id)
            return vid_fail(out, diag, "DAC", info->dac_vid,
                            "dac_origin_vendor_id", c->dac_origin_vendor_id);
        if (info->pai_vid != c->dac_origin_vendor_id)
            return vid_fail(out, diag, "PAI", info->pai_vid,
                            "dac_origin_vendor_id", c->dac_origin_vendor_id);
        if (info->dac_pid != c->dac_origin_product_id)
            return pid_fail(out, diag, "DAC", info->dac_pid,
                            "dac_origin_product_id");
        if (info->pai_pid != 0 && info->pai_pid != c->dac_origin_product_id)
            return pid_fail(out, diag, "PAI", info->pai_pid,
                            "dac_origin_product_id");
        return 0;
    }
    if (info->dac_vid != c->vendor_id)
        return vid_fail(out, diag, "DAC", info->dac_vid, "vendor_id",
                        c->vendor_id);
    if (info->pai_vid != c->vendor_id)
        return vid_fail(out, diag, "PAI", info->pai_vid, "vendor_id",
                        c->vendor_id);
    if (!has_pid(c, info->dac_pid))
        return pid_fail(out, diag, "DAC", info->dac_pid, "product_id_array");
    if (info->pai_pid != 0 && !has_pid(c, info->pai_pid))
        return pid_fail(out, diag, "PAI", info->pai_pid, "product_id_array");
    return 0;
}

/* see matterfab/cd.h */
int
mfab_cd_check_payload(int *out, const mfab_cd_content *c,
                      const mfab_cd_device_info *info, mfab_diag *diag)
{
    char hex[2 * MFAB_CD_SKID_LEN + 1];
    size_t i;
    int rc;

    *out = MFAB_CD_INTERNAL_ERROR;
    if (c->format_version != 1 || c->certification_type > MFAB_CD_TYPE_OFFICIAL)
        return verdict(out, MFAB_CD_INVALID_FORMAT,
                       mfab_diag_set(diag, MFAB_EFORMAT,
                                     "cd: 'format_version' %u / "
                                     "'certification_type' %u (allowed 1 / "
                                     "0..2)",
                                     c->format_version, c->certification_type));
    if (c->vendor_id != info->basic_vid)
        return vid_fail(out, diag, "basic information", info->basic_vid,
                        "vendor_id", c->vendor_id);
    if (!has_pid(c, info->basic_pid))
        return pid_fail(out, diag, "basic information", info->basic_pid,
                        "product_id_array");
    rc = check_origin(out, c, info, diag);
    if (rc < 0)
        return rc;
    if (c->has_authorized_paa_list) {
        for (i = 0; i < c->authorized_paa_count; i++)
            if (memcmp(c->authorized_paa_list[i], info->paa_skid,
                       MFAB_CD_SKID_LEN) == 0)
                break;
        if (i == c->authorized_paa_count) {
            skid_hex(hex, info->paa_skid);
            return verdict(out, MFAB_CD_INVALID_PAA,
                           mfab_diag_set(diag, MFAB_EINVAL,
                                         "cd: PAA SKID '%s' is not in CD "
                                         "'authorized_paa_list' (%zu "
                                         "entries)",
                                         hex, c->authorized_paa_count));
        }
    }
    *out = MFAB_CD_OK;
    return 0;
}

/* see matterfab/cd.h */
int
mfab_cd_attest(int *out, const uint8_t *der, size_t len, X509 *const *signers,
               size_t nsigners, const mfab_cd_device_info *info,
               mfab_diag *diag)
{
    mfab_cd_content content;
    int rc;

    rc = mfab_cd_verify(out, NULL, &content, der, len, signers, nsigners, diag);
    if (rc < 0)
        return rc;
    return mfab_cd_check_payload(out, &content, info, diag);
}
