/*
 * pki_verify.c: attestation validation in the order a commissioner runs it
 * (spec attestation.md 2.4.2 chip-cert validate-att-cert; 2.4.3 SDK
 * DefaultDACVerifier, followed by the CD checks of 4.5 and 4.6), reporting
 * the SDK's AttestationVerificationResult (2.5).
 *
 * The first failed rule wins, so the order of the steps below is part of
 * the contract: it is what makes a vector's expected code come out.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

static const struct {
    int code;
    const char *name;
} result_names[] = {
    {0, "OK"},
    {100, "kPaaUntrusted"},
    {101, "kPaaNotFound"},
    {102, "kPaaExpired"},
    {103, "kPaaSignatureInvalid"},
    {104, "kPaaRevoked"},
    {105, "kPaaFormatInvalid"},
    {106, "kPaaArgumentInvalid"},
    {200, "kPaiExpired"},
    {201, "kPaiSignatureInvalid"},
    {202, "kPaiRevoked"},
    {203, "kPaiFormatInvalid"},
    {204, "kPaiArgumentInvalid"},
    {205, "kPaiVendorIdMismatch"},
    {206, "kPaiAuthorityNotFound"},
    {207, "kPaiMissing"},
    {300, "kDacExpired"},
    {301, "kDacSignatureInvalid"},
    {302, "kDacRevoked"},
    {303, "kDacFormatInvalid"},
    {304, "kDacArgumentInvalid"},
    {305, "kDacVendorIdMismatch"},
    {306, "kDacProductIdMismatch"},
    {307, "kDacAuthorityNotFound"},
    {400, "kFirmwareInformationMismatch"},
    {401, "kFirmwareInformationMissing"},
    {500, "kAttestationSignatureInvalid"},
    {501, "kAttestationElementsMalformed"},
    {502, "kAttestationNonceMismatch"},
    {503, "kAttestationSignatureInvalidFormat"},
    {600, "kCertificationDeclarationNoKeyId"},
    {601, "kCertificationDeclarationNoCertificateFound"},
    {602, "kCertificationDeclarationInvalidSignature"},
    {603, "kCertificationDeclarationInvalidFormat"},
    {604, "kCertificationDeclarationInvalidVendorId"},
    {605, "kCertificationDeclarationInvalidProductId"},
    {606, "kCertificationDeclarationInvalidPAA"},
    {700, "kNoMemory"},
    {800, "kInvalidArgument"},
    {900, "kInternalError"},
    {0xFFFF, "kNotImplemented"},
};

/* see matterfab/pki.h */
const char *
mfab_pki_result_name(int code)
{
    size_t i;

    for (i = 0; i < MFAB_ARRAY_SIZE(result_names); i++) {
        if (result_names[i].code == code)
            return result_names[i].name;
    }
    return "kUnknown";
}

/* The certificates under test, parsed, with what the rules read. */
typedef struct chain {
    X509 *dac, *pai, *paa;
    mfab_pki_vidpid dac_id, pai_id, paa_id;
    uint8_t paa_skid[MFAB_PKI_KEY_ID_LEN];
} chain;

/* Record the verdict; the rule's diag text becomes the detail. */
static int verdict(mfab_pki_verdict *out, int code, const mfab_diag *why,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
verdict(mfab_pki_verdict *out, int code, const mfab_diag *why, const char *fmt,
        ...)
{
    va_list ap;
    size_t n;

    out->code = code;
    va_start(ap, fmt);
    vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
    va_end(ap);
    n = strlen(out->detail);
    if (why != NULL && why->message[0] != '\0' && n + 3 < sizeof(out->detail)) {
        size_t room = sizeof(out->detail) - n - 3;
        size_t len = strlen(why->message);

        memcpy(out->detail + n, ": ", 2);
        if (len > room)
            len = room;
        memcpy(out->detail + n + 2, why->message, len);
        out->detail[n + 2 + len] = '\0';
    }
    return 1;
}

static int
parse_role(X509 **out, const uint8_t *data, size_t len, mfab_diag *why)
{
    int rc = mfab_pki_cert_parse(out, data, len, why);

    ERR_clear_error();
    return rc;
}

/* A reference of the caller's parsed certificate, or NULL. */
static X509 *
given(X509 *const *list, size_t i)
{
    X509 *x = list != NULL ? list[i] : NULL;

    return x != NULL && X509_up_ref(x) == 1 ? x : NULL;
}

/* format = parse + profile check of one role (spec 2.4.1). */
static int
check_role(mfab_pki_verdict *out, X509 **cert, const uint8_t *data, size_t len,
           mfab_pki_cert_type type, int code)
{
    static const char *const names[] = {"PAA", "PAI", "DAC"};
    mfab_diag why = MFAB_DIAG_INIT;

    if (*cert == NULL && parse_role(cert, data, len, &why) < 0)
        return verdict(out, code, &why, "%s does not parse", names[type]);
    if (mfab_pki_cert_check_format(*cert, type, &why) < 0)
        return verdict(out, code, &why, "%s format invalid", names[type]);
    return 0;
}

static int
extract_ids(mfab_pki_verdict *out, mfab_pki_vidpid *id, const X509 *cert,
            const char *who, int code)
{
    mfab_diag why = MFAB_DIAG_INIT;

    if (mfab_pki_cert_vidpid(id, cert, &why) < 0)
        return verdict(out, code, &why, "%s VID/PID unreadable", who);
    return 0;
}

/* DAC valid now: notBefore < now < notAfter, strictly. */
static void
iso(char *out, size_t cap, time_t t)
{
    struct tm tm;

    if (gmtime_r(&t, &tm) == NULL)
        snprintf(out, cap, "%lld", (long long)t);
    else
        strftime(out, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int
check_dac_now(mfab_pki_verdict *out, const X509 *dac, time_t now)
{
    char a[32], b[32], c[32];
    time_t nb = 0, na = 0;

    if (mfab_pki__asn1_time(&nb, X509_get0_notBefore(dac)) != 0 ||
        mfab_pki__asn1_time(&na, X509_get0_notAfter(dac)) != 0)
        return verdict(out, MFAB_ATT_DAC_FORMAT_INVALID, NULL,
                       "DAC validity cannot be read");
    if (!(nb < now && now < na)) {
        iso(a, sizeof(a), nb);
        iso(b, sizeof(b), na);
        iso(c, sizeof(c), now);
        return verdict(out, MFAB_ATT_DAC_EXPIRED, NULL,
                       "DAC is not valid now (valid %s to %s, now %s)", a, b,
                       c);
    }
    return 0;
}

static int
check_path(mfab_pki_verdict *out, chain *c)
{
    mfab_diag why = MFAB_DIAG_INIT;

    if (mfab_pki__path_validate(c->dac, c->pai, c->paa, &why) < 0)
        return verdict(out, MFAB_ATT_DAC_SIGNATURE_INVALID, &why,
                       "chain does not validate");
    return 0;
}

/* Chip-cert validate-att-cert, spec 2.4.2 steps 1..10. */
static int
chain_rules(mfab_pki_verdict *out, chain *c, const uint8_t *paa, size_t paa_len,
            const mfab_pki_validate_input *in)
{
    if (check_role(out, &c->paa, paa, paa_len, MFAB_PKI_PAA,
                   MFAB_ATT_PAA_FORMAT_INVALID) ||
        check_role(out, &c->pai, in->pai, in->pai_len, MFAB_PKI_PAI,
                   MFAB_ATT_PAI_FORMAT_INVALID) ||
        check_role(out, &c->dac, in->dac, in->dac_len, MFAB_PKI_DAC,
                   MFAB_ATT_DAC_FORMAT_INVALID) ||
        check_dac_now(out, c->dac, in->now) ||
        extract_ids(out, &c->dac_id, c->dac, "DAC",
                    MFAB_ATT_DAC_FORMAT_INVALID) ||
        extract_ids(out, &c->pai_id, c->pai, "PAI",
                    MFAB_ATT_PAI_FORMAT_INVALID) ||
        extract_ids(out, &c->paa_id, c->paa, "PAA",
                    MFAB_ATT_PAA_FORMAT_INVALID))
        return 1;
    if (!c->dac_id.has_vid || !c->pai_id.has_vid ||
        c->dac_id.vid != c->pai_id.vid)
        return verdict(out, MFAB_ATT_DAC_VENDOR_ID_MISMATCH, NULL,
                       "DAC VID %04X%s does not match PAI VID %04X%s",
                       c->dac_id.vid, c->dac_id.has_vid ? "" : " (absent)",
                       c->pai_id.vid, c->pai_id.has_vid ? "" : " (absent)");
    if (c->paa_id.has_vid && c->dac_id.vid != c->paa_id.vid)
        return verdict(out, MFAB_ATT_PAI_VENDOR_ID_MISMATCH, NULL,
                       "DAC VID %04X does not match PAA VID %04X",
                       c->dac_id.vid, c->paa_id.vid);
    if (c->pai_id.has_pid &&
        (!c->dac_id.has_pid || c->dac_id.pid != c->pai_id.pid))
        return verdict(out, MFAB_ATT_DAC_PRODUCT_ID_MISMATCH, NULL,
                       "DAC PID %04X does not match PAI PID %04X",
                       c->dac_id.pid, c->pai_id.pid);
    if (c->paa_id.has_pid)
        return verdict(out, MFAB_ATT_PAA_FORMAT_INVALID, NULL,
                       "PAA carries a PID (%04X); a PAA must not",
                       c->paa_id.pid);
    return check_path(out, c);
}

/* Trust-store lookup by PAI.AKID == PAA.SKID (spec 2.4.3 step 5). */
static int
find_paa(mfab_pki_verdict *out, chain *c, const mfab_pki_validate_input *in)
{
    uint8_t akid[MFAB_PKI_KEY_ID_LEN], skid[MFAB_PKI_KEY_ID_LEN];
    mfab_diag why = MFAB_DIAG_INIT;
    size_t i;

    if (mfab_pki_cert_akid(akid, c->pai, &why) < 0)
        return verdict(out, MFAB_ATT_PAI_FORMAT_INVALID, &why,
                       "PAI authority key identifier unreadable");
    for (i = 0; i < in->npaa; i++) {
        X509 *paa = given(in->paa_x, i);

        if (paa == NULL && parse_role(&paa, in->paa[i], in->paa_len[i], NULL) < 0)
            continue;
        if (mfab_pki_cert_skid(skid, paa, NULL) == 0 &&
            memcmp(skid, akid, sizeof(skid)) == 0) {
            c->paa = paa;
            memcpy(c->paa_skid, skid, sizeof(skid));
            ERR_clear_error();
            return 0;
        }
        X509_free(paa);
    }
    ERR_clear_error();
    return verdict(out, MFAB_ATT_PAA_NOT_FOUND, NULL,
                   "no trusted PAA has SKID = PAI AKID "
                   "%02X%02X%02X%02X...",
                   akid[0], akid[1], akid[2], akid[3]);
}

/* SDK DefaultDACVerifier, spec 2.4.3 steps 2..8 and 10. */
static int
attestation_rules(mfab_pki_verdict *out, chain *c,
                  const mfab_pki_validate_input *in)
{
    mfab_diag why = MFAB_DIAG_INIT;

    if (check_role(out, &c->pai, in->pai, in->pai_len, MFAB_PKI_PAI,
                   MFAB_ATT_PAI_FORMAT_INVALID) ||
        check_role(out, &c->dac, in->dac, in->dac_len, MFAB_PKI_DAC,
                   MFAB_ATT_DAC_FORMAT_INVALID) ||
        extract_ids(out, &c->dac_id, c->dac, "DAC",
                    MFAB_ATT_DAC_FORMAT_INVALID) ||
        extract_ids(out, &c->pai_id, c->pai, "PAI",
                    MFAB_ATT_PAI_FORMAT_INVALID))
        return 1;
    if (!c->pai_id.has_vid || c->pai_id.vid != c->dac_id.vid ||
        !c->dac_id.has_vid)
        return verdict(out, MFAB_ATT_DAC_VENDOR_ID_MISMATCH, NULL,
                       "DAC VID %04X does not match PAI VID %04X",
                       c->dac_id.vid, c->pai_id.vid);
    if (!c->dac_id.has_pid)
        return verdict(out, MFAB_ATT_DAC_PRODUCT_ID_MISMATCH, NULL,
                       "DAC has no PID");
    if (c->pai_id.has_pid && c->pai_id.pid != c->dac_id.pid)
        return verdict(out, MFAB_ATT_DAC_PRODUCT_ID_MISMATCH, NULL,
                       "DAC PID %04X does not match PAI PID %04X",
                       c->dac_id.pid, c->pai_id.pid);
    if (find_paa(out, c, in) || extract_ids(out, &c->paa_id, c->paa, "PAA",
                                            MFAB_ATT_PAA_FORMAT_INVALID))
        return 1;
    if (c->paa_id.has_vid && c->paa_id.vid != c->pai_id.vid)
        return verdict(out, MFAB_ATT_PAI_VENDOR_ID_MISMATCH, NULL,
                       "PAI VID %04X does not match PAA VID %04X",
                       c->pai_id.vid, c->paa_id.vid);
    if (c->paa_id.has_pid)
        return verdict(out, MFAB_ATT_PAA_FORMAT_INVALID, NULL,
                       "PAA carries a PID (%04X)", c->paa_id.pid);
    if (check_dac_now(out, c->dac, in->now) || check_path(out, c))
        return 1;
    if (mfab_pki_cert_skid(c->paa_skid, c->paa, &why) < 0)
        return verdict(out, MFAB_ATT_PAA_FORMAT_INVALID, &why,
                       "PAA SKID unreadable");
    return 0;
}

/* see matterfab/pki.h */
int
mfab_pki_validate(mfab_pki_verdict *out, const mfab_pki_validate_input *in,
                  mfab_diag *diag)
{
    chain c;
    int rc = 0;

    memset(&c, 0, sizeof(c));
    memset(out, 0, sizeof(*out));
    if (in->dac == NULL || in->pai == NULL || in->npaa == 0 ||
        in->paa == NULL || in->paa_len == NULL)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "validation needs a DAC, a PAI and a PAA");
    c.dac = given(&in->dac_x, 0);
    c.pai = given(&in->pai_x, 0);
    if (in->cd != NULL) {
        /* spec 2.4.3 step 1 */
        if (in->dac_len == 0) {
            verdict(out, MFAB_ATT_INVALID_ARGUMENT, NULL, "DAC is empty");
            goto out;
        }
        if (in->pai_len == 0) {
            verdict(out, MFAB_ATT_PAI_MISSING, NULL, "PAI is empty");
            goto out;
        }
        if (attestation_rules(out, &c, in))
            goto out;
        rc = mfab_pki__verify_cd(out, in, &c.dac_id, &c.pai_id, c.paa_skid,
                                 diag);
        goto out;
    }
    if (in->paa_explicit) {
        if (in->npaa != 1)
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "an explicit PAA must be exactly one "
                                 "certificate (got %zu)",
                                 in->npaa);
        c.paa = given(in->paa_x, 0);
        chain_rules(out, &c, in->paa[0], in->paa_len[0], in);
        goto out;
    }
    /* chain validation with a trust store: look the PAA up first */
    if (c.pai == NULL && parse_role(&c.pai, in->pai, in->pai_len, NULL) < 0) {
        check_role(out, &c.pai, in->pai, in->pai_len, MFAB_PKI_PAI,
                   MFAB_ATT_PAI_FORMAT_INVALID);
        goto out;
    }
    if (find_paa(out, &c, in))
        goto out;
    chain_rules(out, &c, NULL, 0, in);
out:
    ERR_clear_error();
    X509_free(c.dac);
    X509_free(c.pai);
    X509_free(c.paa);
    return rc;
}
