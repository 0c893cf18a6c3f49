/* Tests for src/pki/pki_issue.c: issuance options against the profile,
 * validity encoding (no-expiry date, "- 1 s", UTCTime vs GeneralizedTime),
 * the VID/PID-in-CN form, dates, CSR checks, and every error code. */
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "mfab_test.h"
#include "mfab_test_pki.h"

#define SDK "pki/sdk-test/"

static void
assert_time(const ASN1_TIME *t, int type, const char *text)
{
    assert_int_equal(ASN1_STRING_type(t), type);
    assert_int_equal(ASN1_STRING_length(t), (int)strlen(text));
    assert_memory_equal(ASN1_STRING_get0_data(t), text, strlen(text));
}

static void
test_pki_issue__dac_validity_and_cn_form(void **state)
{
    X509 *pai = mfab_test_cert(SDK "Chip-Test-PAI-FFF1-8000-Cert.pem"),
         *dac = NULL;
    EVP_PKEY *pai_key = mfab_test_key(SDK "Chip-Test-PAI-FFF1-8000-Key.pem");
    EVP_PKEY *k = NULL;
    mfab_pki_issue_options o;
    mfab_pki_vidpid ids;
    char cn[128];
    (void)state;

    assert_int_equal(mfab_pki_key_generate(&k, NULL), 0);
    mfab_test_dac_options(&o);
    assert_int_equal(mfab_pki_issue(&dac, &o, k, pai, pai_key, NULL), 0);
    assert_time(X509_get0_notBefore(dac), V_ASN1_UTCTIME, "240701000000Z");
    assert_time(X509_get0_notAfter(dac), V_ASN1_UTCTIME, "250630235959Z");
    assert_int_equal(
        X509_NAME_cmp(X509_get_issuer_name(dac), X509_get_subject_name(pai)),
        0);
    X509_free(dac);
    dac = NULL;
    o.lifetime_days = MFAB_PKI_LIFETIME_NO_EXPIRY;
    o.vid_pid_as_cn = 1;
    assert_int_equal(mfab_pki_issue(&dac, &o, k, pai, pai_key, NULL), 0);
    assert_time(X509_get0_notAfter(dac), V_ASN1_GENERALIZEDTIME,
                "99991231235959Z");
    X509_NAME_get_text_by_NID(X509_get_subject_name(dac), NID_commonName, cn,
                              sizeof(cn));
    assert_string_equal(cn, "Matter DAC Mvid:FFF1 Mpid:8000");
    assert_int_equal(X509_NAME_entry_count(X509_get_subject_name(dac)), 1);
    assert_int_equal(mfab_pki_cert_vidpid(&ids, dac, NULL), 0);
    assert_true(ids.has_vid && ids.vid == 0xFFF1 && ids.has_pid &&
                ids.pid == 0x8000);
    X509_free(dac);
    dac = NULL;
    /* GeneralizedTime from 2050 on */
    o.not_before = 2556144000; /* 2051-01-01 */
    o.lifetime_days = 1;
    assert_int_equal(mfab_pki_issue(&dac, &o, k, pai, pai_key, NULL), 0);
    assert_time(X509_get0_notBefore(dac), V_ASN1_GENERALIZEDTIME,
                "20510101000000Z");
    X509_free(dac);
    X509_free(pai);
    EVP_PKEY_free(pai_key);
    EVP_PKEY_free(k);
}

static void
test_pki_issue__profile_violations(void **state)
{
    X509 *pai = mfab_test_cert(SDK "Chip-Test-PAI-FFF1-8000-Cert.pem"),
         *out = NULL;
    X509 *dac = mfab_test_cert(SDK "Chip-Test-DAC-FFF1-8000-0000-Cert.pem");
    EVP_PKEY *pai_key = mfab_test_key(SDK "Chip-Test-PAI-FFF1-8000-Key.pem");
    EVP_PKEY *other = mfab_test_key(SDK "Chip-Test-PAI-FFF2-8001-Key.pem");
    EVP_PKEY *k1 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
    mfab_pki_issue_options o;
    mfab_diag d = MFAB_DIAG_INIT;
    char longcn[80];
    (void)state;

    mfab_test_dac_options(&o);
    o.has_pid = 0;
    assert_int_equal(mfab_pki_issue(&out, &o, pai_key, pai, pai_key, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "needs a product ID", NULL);
    mfab_test_dac_options(&o);
    o.pid = 0x8001;
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_issue(&out, &o, pai_key, pai, pai_key, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "product ID 8001 differs", NULL);
    mfab_test_dac_options(&o);
    memset(longcn, 'x', sizeof(longcn) - 1);
    longcn[sizeof(longcn) - 1] = '\0';
    o.subject_cn = longcn;
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_issue(&out, &o, pai_key, pai, pai_key, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "too long", NULL);
    /* a DAC is not a CA */
    mfab_test_dac_options(&o);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_issue(&out, &o, pai_key, dac, pai_key, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "not a valid PAI", NULL);
    /* PAA rules */
    mfab_test_dac_options(&o);
    o.type = MFAB_PKI_PAA;
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_issue(&out, &o, pai_key, NULL, pai_key, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "PAA must not carry a product",
                          NULL);
    /* CA key that is not the CA certificate's */
    mfab_test_dac_options(&o);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_issue(&out, &o, pai_key, pai, other, &d),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "does not match", NULL);
    /* subject key on the wrong curve */
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_issue(&out, &o, k1, pai, pai_key, &d),
                     MFAB_EUNSUPPORTED);
    assert_null(out);
    X509_free(pai);
    X509_free(dac);
    EVP_PKEY_free(pai_key);
    EVP_PKEY_free(other);
    EVP_PKEY_free(k1);
}

static void
test_pki_issue__parse_time(void **state)
{
    time_t t = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_parse_time(&t, "2024-01-01", NULL), 0);
    assert_int_equal((long long)t, 1704067200LL);
    assert_int_equal(mfab_pki_parse_time(&t, "2024-01-01 12:00:01", NULL), 0);
    assert_int_equal((long long)t, 1704110401LL);
    assert_int_equal(mfab_pki_parse_time(&t, "2024-01-01T12:00:01", NULL), 0);
    assert_int_equal((long long)t, 1704110401LL);
    assert_int_equal(mfab_pki_parse_time(&t, "2024-13-01", &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'2024-13-01'", "YYYY-MM-DD", NULL);
    assert_int_equal(mfab_pki_parse_time(&t, "2023-02-29", NULL), MFAB_EINVAL);
    assert_int_equal(mfab_pki_parse_time(&t, "01/01/2024", NULL), MFAB_EINVAL);
}

static uint8_t *
csr_der(EVP_PKEY *k, size_t *len)
{
    X509_REQ *req = X509_REQ_new();
    uint8_t *der = NULL;
    int n;

    assert_non_null(req);
    assert_int_equal(X509_REQ_set_pubkey(req, k), 1);
    assert_true(X509_REQ_sign(req, k, EVP_sha256()) > 0);
    n = i2d_X509_REQ(req, &der);
    assert_true(n > 0);
    *len = (size_t)n;
    X509_REQ_free(req);
    return der;
}

static void
test_pki_issue__csr_checks(void **state)
{
    EVP_PKEY *k = NULL, *pub = NULL;
    EVP_PKEY *k1 = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "secp256k1");
    uint8_t *der;
    size_t len = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_key_generate(&k, NULL), 0);
    der = csr_der(k, &len);
    assert_int_equal(mfab_pki_csr_public_key(&pub, der, len, NULL), 0);
    assert_true(EVP_PKEY_eq(pub, k) == 1);
    EVP_PKEY_free(pub);
    pub = NULL;
    der[len - 3] ^= 0x01; /* inside the signature */
    assert_int_equal(mfab_pki_csr_public_key(&pub, der, len, &d), MFAB_ECRYPTO);
    OPENSSL_free(der);
    mfab_diag_init(&d);
    assert_int_equal(
        mfab_pki_csr_public_key(&pub, (const uint8_t *)"junk", 4, &d),
        MFAB_EFORMAT);
    der = csr_der(k1, &len);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_csr_public_key(&pub, der, len, &d),
                     MFAB_EUNSUPPORTED);
    assert_null(pub);
    OPENSSL_free(der);
    EVP_PKEY_free(k);
    EVP_PKEY_free(k1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_issue__dac_validity_and_cn_form),
        cmocka_unit_test(test_pki_issue__profile_violations),
        cmocka_unit_test(test_pki_issue__parse_time),
        cmocka_unit_test(test_pki_issue__csr_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
