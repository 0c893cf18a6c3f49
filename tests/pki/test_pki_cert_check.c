/* Tests for src/pki/pki_cert_check.c: the profile check per role on the
 * SDK credentials and the fault-injected vector certificates, and key
 * identifiers. */
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/pki.h"
#include "mfab_test.h"
#include "mfab_test_pki.h"

static void
test_pki_cert_check__sdk_roles(void **state)
{
    X509 *paa = mfab_test_cert("pki/sdk-test/Chip-Test-PAA-FFF1-Cert.der");
    X509 *pai = mfab_test_cert("pki/sdk-test/Chip-Test-PAI-FFF1-8000-Cert.pem");
    X509 *dac =
        mfab_test_cert("pki/sdk-test/Chip-Test-DAC-FFF1-8000-0000-Cert.der");
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_cert_check_format(paa, MFAB_PKI_PAA, NULL), 0);
    assert_int_equal(mfab_pki_cert_check_format(pai, MFAB_PKI_PAI, NULL), 0);
    assert_int_equal(mfab_pki_cert_check_format(dac, MFAB_PKI_DAC, NULL), 0);
    assert_int_equal(mfab_pki_cert_check_format(dac, MFAB_PKI_PAI, &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "PAI basicConstraints", NULL);
    mfab_diag_init(&d);
    /* the PAA-FFF1 has pathLen 1: not a valid PAI */
    assert_int_equal(mfab_pki_cert_check_format(paa, MFAB_PKI_PAI, &d),
                     MFAB_EFORMAT);
    X509_free(paa);
    X509_free(pai);
    X509_free(dac);
}

static void
test_pki_cert_check__fault_cases(void **state)
{
    static const struct {
        const char *file;
        mfab_pki_cert_type type;
        const char *why;
    } cases[] = {
        {"struct_dac_cert_version_v2/dac.der", MFAB_PKI_DAC, "v2"},
        {"struct_dac_ext_akid_missing/dac.der", MFAB_PKI_DAC,
         "authorityKeyIdentifier"},
        {"struct_dac_ext_basic_critical_missing/dac.der", MFAB_PKI_DAC,
         "must be critical"},
        {"struct_dac_ext_basic_missing/dac.der", MFAB_PKI_DAC,
         "no basicConstraints"},
        {"struct_dac_ext_key_usage_crl_sign_wrong/dac.der", MFAB_PKI_DAC,
         "keyUsage"},
        {"struct_dac_sig_algo_ecdsa_with_sha1/dac.der", MFAB_PKI_DAC,
         "ecdsa-with-SHA256"},
        {"struct_pai_ext_basic_pathlen_presence_wrong/pai.der", MFAB_PKI_PAI,
         "pathLen=absent"},
    };
    char rel[256];
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mfab_diag d = MFAB_DIAG_INIT;
        X509 *c;

        snprintf(rel, sizeof(rel), "pki/cases/%s", cases[i].file);
        c = mfab_test_cert(rel);
        assert_int_equal(mfab_pki_cert_check_format(c, cases[i].type, &d),
                         MFAB_EFORMAT);
        mfab_test_assert_diag(&d, MFAB_EFORMAT, cases[i].why, NULL);
        X509_free(c);
    }
}

static void
test_pki_cert_check__key_identifiers(void **state)
{
    X509 *paa = mfab_test_cert("pki/sdk-test/Chip-Test-PAA-FFF1-Cert.pem");
    X509 *noakid =
        mfab_test_cert("pki/cases/struct_dac_ext_akid_missing/dac.der");
    uint8_t id[MFAB_PKI_KEY_ID_LEN];
    char hex[41];
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_cert_skid(id, paa, NULL), 0);
    mfab_hex_encode(hex, id, sizeof(id));
    assert_string_equal(hex, "6afd22771f511fecbf1641976710dcdc31a1717e");
    assert_int_equal(mfab_pki_cert_akid(id, noakid, &d), MFAB_ENOTFOUND);
    X509_free(paa);
    X509_free(noakid);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_cert_check__sdk_roles),
        cmocka_unit_test(test_pki_cert_check__fault_cases),
        cmocka_unit_test(test_pki_cert_check__key_identifiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
