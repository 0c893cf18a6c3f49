/* Tests for src/pki/pki_verify.c (library API of the validation order):
 * verdicts that need a trust store lookup, argument errors, result names,
 * and "now" handling of the DAC validity check. */
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "mfab_test.h"

typedef struct blob {
    uint8_t *data;
    size_t len;
} blob;

static blob
vec(const char *rel)
{
    char path[1024];
    blob b;

    mfab_test_vpath(path, sizeof(path), rel);
    b.data = mfab_test_read(path, &b.len);
    return b;
}

#define SDK "pki/sdk-test/"

static void
test_pki_verify__store_lookup_by_akid(void **state)
{
    blob dac = vec(SDK "Chip-Test-DAC-FFF2-8001-0008-Cert.der");
    blob pai = vec(SDK "Chip-Test-PAI-FFF2-8001-Cert.pem");
    blob fff1 = vec(SDK "Chip-Test-PAA-FFF1-Cert.der");
    blob novid = vec(SDK "Chip-Test-PAA-NoVID-Cert.pem");
    const uint8_t *store[2] = {fff1.data, novid.data};
    size_t lens[2] = {fff1.len, novid.len};
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict v;
    (void)state;

    in.dac = dac.data;
    in.dac_len = dac.len;
    in.pai = pai.data;
    in.pai_len = pai.len;
    in.paa = store;
    in.paa_len = lens;
    in.npaa = 2;
    in.now = 1767225600; /* 2026-01-01 */
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_OK);
    /* only the wrong root in the store */
    in.npaa = 1;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_PAA_NOT_FOUND);
    /* the wrong root given explicitly: its VID FFF1 is checked before the
     * signatures (spec 2.4.2 step 7 before step 10) */
    in.paa_explicit = 1;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_PAI_VENDOR_ID_MISMATCH);
    /* before the DAC's notBefore (2021-06-28) */
    in.paa = store + 1;
    in.paa_len = lens + 1;
    in.now = 1577836800; /* 2020-01-01 */
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_DAC_EXPIRED);
    free(dac.data);
    free(pai.data);
    free(fff1.data);
    free(novid.data);
}

static void
test_pki_verify__wrong_root_breaks_signature_chain(void **state)
{
    blob dac = vec(SDK "Chip-Test-DAC-FFF1-8000-0000-Cert.der");
    blob pai = vec(SDK "Chip-Test-PAI-FFF1-8000-Cert.der");
    blob novid = vec(SDK "Chip-Test-PAA-NoVID-Cert.der");
    const uint8_t *store[1] = {novid.data};
    size_t lens[1] = {novid.len};
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict v;
    (void)state;

    in.dac = dac.data;
    in.dac_len = dac.len;
    in.pai = pai.data;
    in.pai_len = pai.len;
    in.paa = store;
    in.paa_len = lens;
    in.npaa = 1;
    in.paa_explicit = 1;
    in.now = 1767225600;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_DAC_SIGNATURE_INVALID);
    assert_non_null(strstr(v.detail, "chain does not validate"));
    free(dac.data);
    free(pai.data);
    free(novid.data);
}

static void
test_pki_verify__garbage_is_a_format_verdict(void **state)
{
    blob paa = vec(SDK "Chip-Test-PAA-FFF1-Cert.der");
    blob pai = vec(SDK "Chip-Test-PAI-FFF1-8000-Cert.der");
    static const uint8_t junk[] = {0x30, 0x03, 0x02, 0x01};
    const uint8_t *store[1] = {paa.data};
    size_t lens[1] = {paa.len};
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict v;
    (void)state;

    in.dac = junk;
    in.dac_len = sizeof(junk);
    in.pai = pai.data;
    in.pai_len = pai.len;
    in.paa = store;
    in.paa_len = lens;
    in.npaa = 1;
    in.paa_explicit = 1;
    in.now = 1767225600;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_DAC_FORMAT_INVALID);
    in.pai = junk;
    in.pai_len = sizeof(junk);
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_PAI_FORMAT_INVALID);
    free(paa.data);
    free(pai.data);
}

static void
test_pki_verify__argument_errors(void **state)
{
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict v;
    mfab_diag d = MFAB_DIAG_INIT;
    static const uint8_t one[] = {0};
    const uint8_t *store[2] = {one, one};
    size_t lens[2] = {1, 1};
    (void)state;

    assert_int_equal(mfab_pki_validate(&v, &in, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "needs a DAC", NULL);
    in.dac = in.pai = one;
    in.dac_len = in.pai_len = 1;
    in.paa = store;
    in.paa_len = lens;
    in.npaa = 2;
    in.paa_explicit = 1;
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_validate(&v, &in, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "exactly one", NULL);
    /* with a CD, empty inputs are verdicts (spec 2.4.3 step 1) */
    in.cd = one;
    in.cd_len = 1;
    in.pai_len = 0;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_PAI_MISSING);
    in.dac_len = 0;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_INVALID_ARGUMENT);
}

/* SDK test CD FFF2/8001 over DAC 0008 <- PAI FFF2-8001 <- PAA NoVID */
static void
test_pki_verify__full_attestation_with_cd(void **state)
{
    blob dac = vec(SDK "Chip-Test-DAC-FFF2-8001-0008-Cert.der");
    blob pai = vec(SDK "Chip-Test-PAI-FFF2-8001-Cert.der");
    blob paa = vec(SDK "Chip-Test-PAA-NoVID-Cert.der");
    blob cd = vec(SDK "Chip-Test-CD-FFF2-8001.der");
    blob signer = vec(SDK "Chip-Test-CD-Signing-Cert.der");
    const uint8_t *store[1] = {paa.data}, *signers[1] = {signer.data};
    size_t lens[1] = {paa.len}, slens[1] = {signer.len};
    static const uint8_t junk[] = {0x30, 0x00};
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict v;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    in.dac = dac.data;
    in.dac_len = dac.len;
    in.pai = pai.data;
    in.pai_len = pai.len;
    in.paa = store;
    in.paa_len = lens;
    in.npaa = 1;
    in.cd = cd.data;
    in.cd_len = cd.len;
    in.now = 1767225600;
    assert_int_equal(mfab_pki_validate(&v, &in, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "CD signing certificates", NULL);
    in.cd_certs = signers;
    in.cd_cert_len = slens;
    in.ncd_certs = 1;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_OK);
    /* basic info PID not in the CD */
    in.has_basic_info = 1;
    in.basic_vid = 0xFFF2;
    in.basic_pid = 0x8002;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_CD_INVALID_PRODUCT_ID);
    /* a signer that is not a certificate */
    signers[0] = junk;
    slens[0] = sizeof(junk);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_validate(&v, &in, &d), MFAB_EFORMAT);
    free(dac.data);
    free(pai.data);
    free(paa.data);
    free(cd.data);
    free(signer.data);
}

/* Certificates given parsed (as generate --verify passes its trust store
 * and each device's DAC and PAI) give the verdicts their bytes give, and
 * are the ones used: the bytes are not parsed again. */
static void
test_pki_verify__parsed_certificates(void **state)
{
    blob dac = vec(SDK "Chip-Test-DAC-FFF2-8001-0008-Cert.der");
    blob pai = vec(SDK "Chip-Test-PAI-FFF2-8001-Cert.der");
    blob fff1 = vec(SDK "Chip-Test-PAA-FFF1-Cert.der");
    blob novid = vec(SDK "Chip-Test-PAA-NoVID-Cert.der");
    blob cd = vec(SDK "Chip-Test-CD-FFF2-8001.der");
    blob signer = vec(SDK "Chip-Test-CD-Signing-Cert.der");
    static const uint8_t junk[] = {0x30, 0x00};
    const uint8_t *store[2] = {fff1.data, novid.data};
    const uint8_t *junk_store[2] = {junk, junk}, *signers[1] = {junk};
    size_t lens[2] = {fff1.len, novid.len}, junk_lens[2] = {2, 2};
    size_t slens[1] = {sizeof(junk)};
    X509 *dac_x = NULL, *pai_x = NULL, *paa_x[2] = {NULL, NULL};
    X509 *fallback[2] = {NULL, NULL}, *signer_x = NULL;
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict v;
    (void)state;

    assert_int_equal(mfab_pki_cert_parse(&dac_x, dac.data, dac.len, NULL), 0);
    assert_int_equal(mfab_pki_cert_parse(&pai_x, pai.data, pai.len, NULL), 0);
    assert_int_equal(mfab_pki_cert_parse(&paa_x[0], fff1.data, fff1.len,
                                         NULL),
                     0);
    assert_int_equal(mfab_pki_cert_parse(&paa_x[1], novid.data, novid.len,
                                         NULL),
                     0);
    assert_int_equal(mfab_pki_cert_parse(&signer_x, signer.data, signer.len,
                                         NULL),
                     0);
    in.dac = dac.data;
    in.dac_len = dac.len;
    in.pai = pai.data;
    in.pai_len = pai.len;
    in.dac_x = dac_x;
    in.pai_x = pai_x;
    in.paa = junk_store; /* only the parsed ones can validate */
    in.paa_len = junk_lens;
    in.paa_x = paa_x;
    in.npaa = 2;
    in.now = 1767225600;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_OK);
    in.npaa = 1; /* only the wrong root */
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_PAA_NOT_FOUND);
    /* NULL entries are parsed from their bytes */
    in.paa = store;
    in.paa_len = lens;
    in.paa_x = fallback;
    in.npaa = 2;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_OK);
    /* full attestation with the CD signer parsed: its bytes are junk */
    in.paa_x = paa_x;
    in.cd = cd.data;
    in.cd_len = cd.len;
    in.cd_certs = signers;
    in.cd_cert_len = slens;
    in.cd_cert_x = &signer_x;
    in.ncd_certs = 1;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_OK);
    in.has_basic_info = 1;
    in.basic_vid = 0xFFF2;
    in.basic_pid = 0x8002;
    assert_int_equal(mfab_pki_validate(&v, &in, NULL), 0);
    assert_int_equal(v.code, MFAB_ATT_CD_INVALID_PRODUCT_ID);
    /* the caller's certificates are borrowed, not freed */
    assert_non_null(X509_get_subject_name(dac_x));
    X509_free(dac_x);
    X509_free(pai_x);
    X509_free(paa_x[0]);
    X509_free(paa_x[1]);
    X509_free(signer_x);
    free(dac.data);
    free(pai.data);
    free(fff1.data);
    free(novid.data);
    free(cd.data);
    free(signer.data);
}

static void
test_pki_verify__result_names(void **state)
{
    (void)state;
    assert_string_equal(mfab_pki_result_name(0), "OK");
    assert_string_equal(mfab_pki_result_name(303), "kDacFormatInvalid");
    assert_string_equal(mfab_pki_result_name(606),
                        "kCertificationDeclarationInvalidPAA");
    assert_string_equal(mfab_pki_result_name(12345), "kUnknown");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_verify__store_lookup_by_akid),
        cmocka_unit_test(test_pki_verify__wrong_root_breaks_signature_chain),
        cmocka_unit_test(test_pki_verify__garbage_is_a_format_verdict),
        cmocka_unit_test(test_pki_verify__argument_errors),
        cmocka_unit_test(test_pki_verify__full_attestation_with_cd),
        cmocka_unit_test(test_pki_verify__parsed_certificates),
        cmocka_unit_test(test_pki_verify__result_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
