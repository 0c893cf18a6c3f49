/* Tests for src/verify/verify_attest.c: DAC key, chain and VID/PID on
 * run A with one piece of its attestation material replaced. */
#include <stdlib.h>
#include <string.h>

#include "matterfab/cd.h"
#include "matterfab/pki.h"
#include "verify_fixture.h"

static void
run_with(const fx_change *ch, size_t n, mfab_verify_report *r)
{
    fx_device *d = fx_device_new(ch, n);

    fx_run(d, r);
    fx_device_free(d);
}

static void
test_verify_attest__dac_key_not_the_dacs(void **state)
{
    fx_change ch = {"dac-key", 0, NULL, 0, NULL, 32};
    mfab_verify_report r;
    size_t len;
    uint8_t *key;
    (void)state;

    key =
        fx_vector("commissioning/mfg_tool_runs/runA/DAC_private_key.bin", &len);
    assert_int_equal(len, 32);
    key[31] ^= 0x01;
    ch.data = key;
    run_with(&ch, 1, &r);
    fx_assert_failed(&r, "key does not match certificate 'DAC'", "dac-key",
                     NULL);
    free(key);
}

static void
test_verify_attest__dac_pub_key_not_the_dacs(void **state)
{
    fx_change ch = {"dac-pub-key", 0, NULL, 0, NULL, 65};
    mfab_verify_report r;
    size_t len;
    uint8_t *pub;
    (void)state;

    pub =
        fx_vector("commissioning/mfg_tool_runs/runA/DAC_public_key.bin", &len);
    pub[64] ^= 0x01;
    ch.data = pub;
    run_with(&ch, 1, &r);
    fx_assert_failed(&r, "dac-pub-key is not the DAC's public key", "dac-key",
                     NULL);
    free(pub);
}

static void
test_verify_attest__pai_of_another_vendor(void **state)
{
    fx_change ch = {"pai-cert", 0, NULL, 0, NULL, 0};
    mfab_verify_report r;
    uint8_t *pai;
    (void)state;

    pai = fx_vector("pki/sdk-test/Chip-Test-PAI-FFF1-8000-Cert.der", &ch.len);
    ch.data = pai;
    run_with(&ch, 1, &r);
    fx_assert_failed(&r, "kDacVendorIdMismatch", "chain", "vid-pid", NULL);
    assert_non_null(strstr(fx_check(&r, "vid-pid")->detail,
                           "PAI VID FFF1 != vendor-id FFF2"));
    free(pai);
}

/* A CD for FFF1/8000, signed with the SDK test CD signing key. */
static size_t
other_cd(uint8_t *buf, size_t cap)
{
    mfab_cd_content content;
    uint8_t tlv[MFAB_CD_CONTENT_MAX];
    size_t tlv_len = 0, len = 0;
    char path[4096];
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;

    mfab_cd_content_init(&content);
    content.vendor_id = 0xFFF1;
    content.product_ids[0] = 0x8000;
    content.product_id_count = 1;
    content.device_type_id = 0x0016;
    memcpy(content.certificate_id, "ZIG20142ZB330003-24", 20);
    content.version_number = 0x2694;
    assert_int_equal(
        mfab_cd_encode_content(tlv, sizeof(tlv), &tlv_len, &content, NULL), 0);
    mfab_test_vpath(path, sizeof(path),
                    "pki/sdk-test/Chip-Test-CD-Signing-Key.pem");
    assert_int_equal(mfab_pki_key_load(&key, path, NULL, NULL), 0);
    mfab_test_vpath(path, sizeof(path),
                    "pki/sdk-test/Chip-Test-CD-Signing-Cert.pem");
    assert_int_equal(mfab_pki_cert_load(&cert, path, NULL), 0);
    assert_int_equal(
        mfab_cd_sign(buf, cap, &len, tlv, tlv_len, key, cert, NULL), 0);
    EVP_PKEY_free(key);
    X509_free(cert);
    return len;
}

static void
test_verify_attest__cd_of_another_product(void **state)
{
    fx_change ch = {"cert-dclrn", 0, NULL, 0, NULL, 0};
    uint8_t cd[MFAB_CD_CMS_MAX];
    mfab_verify_report r;
    (void)state;

    ch.len = other_cd(cd, sizeof(cd));
    ch.data = cd;
    run_with(&ch, 1, &r);
    fx_assert_failed(&r, "kCertificationDeclarationInvalidVendorId", "chain",
                     "vid-pid", NULL);
    assert_non_null(strstr(fx_check(&r, "vid-pid")->detail,
                           "CD vendor_id FFF1 != vendor-id FFF2"));
    assert_non_null(strstr(fx_check(&r, "vid-pid")->detail,
                           "product-id 8001 not in the CD's product IDs"));
}

/* Without a CD signing certificate the CD's IDs are still compared. */
static void
test_verify_attest__cd_unsigned_check(void **state)
{
    fx_change ch = {"cert-dclrn", 0, NULL, 0, NULL, 0};
    uint8_t cd[MFAB_CD_CMS_MAX];
    mfab_verify_report r;
    fx_device *d;
    (void)state;

    d = fx_device_new(NULL, 0);
    d->in.ncd_certs = 0;
    fx_run(d, &r);
    fx_assert_failed(&r, NULL, NULL);
    assert_non_null(
        strstr(fx_check(&r, "chain")->detail, "CD signature not checked"));
    fx_device_free(d);
    ch.len = other_cd(cd, sizeof(cd));
    ch.data = cd;
    d = fx_device_new(&ch, 1);
    d->in.ncd_certs = 0;
    fx_run(d, &r);
    fx_assert_failed(&r, "CD vendor_id FFF1", "vid-pid", NULL);
    fx_device_free(d);
}

static void
test_verify_attest__missing_paa(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    d->in.npaa = 0;
    fx_run(d, &r);
    fx_assert_failed(&r, "no trusted PAA given", "chain", NULL);
    d->in.npaa = 1; /* the FFF1 PAA only: not run A's */
    fx_run(d, &r);
    fx_assert_failed(&r, "kPaaNotFound", "chain", NULL);
    fx_device_free(d);
}

static void
test_verify_attest__dac_not_yet_valid(void **state)
{
    fx_device *d = fx_device_new(NULL, 0);
    mfab_verify_report r;
    (void)state;

    d->in.now = 1700000000; /* 2023-11, before the DAC's notBefore */
    fx_run(d, &r);
    fx_assert_failed(&r, "kDacExpired", "chain", NULL);
    fx_device_free(d);
}

static void
test_verify_attest__dac_does_not_parse(void **state)
{
    static const fx_change ch = {
        "dac-cert", 0, NULL, 0, (const uint8_t *)"\x30\x03\x02\x01\x01", 5};
    mfab_verify_report r;
    (void)state;

    run_with(&ch, 1, &r);
    fx_assert_failed(&r, "DAC (NVS) does not parse", "dac-key", "chain",
                     "vid-pid", NULL);
}

/* The trust store and the PAI given parsed (as generate --verify does)
 * give the verdicts of the bytes. The given PAI is used only for a device
 * whose PAI has its exact bytes: given another PAI, the device's own is
 * parsed and still chains. The parsed PAAs are the ones used: their bytes
 * replaced with junk, the chain still validates. */
static void
test_verify_attest__parsed_trust_material(void **state)
{
    static const uint8_t junk[] = {0x30, 0x00};
    const uint8_t *junk_paa[2] = {junk, junk};
    size_t junk_len[2] = {sizeof(junk), sizeof(junk)};
    fx_device *d = fx_device_new(NULL, 0);
    X509 *paa_x[2] = {NULL, NULL}, *cd_x = NULL, *pai_x = NULL;
    X509 *other_x = NULL;
    uint8_t *pai, *other;
    size_t pai_len, other_len, i;
    mfab_verify_report r;
    (void)state;

    for (i = 0; i < 2; i++)
        assert_int_equal(mfab_pki_cert_parse(&paa_x[i], d->paa[i],
                                             d->paa_len[i], NULL),
                         0);
    assert_int_equal(mfab_pki_cert_parse(&cd_x, d->cd_cert, d->cd_cert_len,
                                         NULL),
                     0);
    pai = fx_vector("commissioning/mfg_tool_runs/runA/PAI_cert.der",
                    &pai_len);
    other = fx_vector("pki/sdk-test/Chip-Test-PAI-FFF1-8000-Cert.der",
                      &other_len);
    assert_int_equal(mfab_pki_cert_parse(&pai_x, pai, pai_len, NULL), 0);
    assert_int_equal(mfab_pki_cert_parse(&other_x, other, other_len, NULL), 0);
    d->in.paa = junk_paa;
    d->in.paa_len = junk_len;
    d->in.paa_x = paa_x;
    d->in.cd_cert_x = &cd_x;
    d->in.pai_x = pai_x;
    d->in.pai_der = pai;
    d->in.pai_der_len = pai_len;
    fx_run(d, &r);
    assert_true(r.ok);
    assert_non_null(strstr(fx_check(&r, "chain")->detail,
                           "CD signature and content accepted"));
    /* a given PAI that is not the device's is not used */
    d->in.pai_x = other_x;
    d->in.pai_der = other;
    d->in.pai_der_len = other_len;
    fx_run(d, &r);
    assert_true(r.ok);
    /* without the parsed PAAs the junk bytes are all there is */
    d->in.paa_x = NULL;
    fx_run(d, &r);
    assert_false(r.ok);
    assert_int_equal(fx_check(&r, "chain")->status, MFAB_VERIFY_FAIL);
    for (i = 0; i < 2; i++)
        X509_free(paa_x[i]);
    X509_free(cd_x);
    X509_free(pai_x);
    X509_free(other_x);
    free(pai);
    free(other);
    fx_device_free(d);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_verify_attest__dac_key_not_the_dacs),
        cmocka_unit_test(test_verify_attest__dac_pub_key_not_the_dacs),
        cmocka_unit_test(test_verify_attest__pai_of_another_vendor),
        cmocka_unit_test(test_verify_attest__cd_of_another_product),
        cmocka_unit_test(test_verify_attest__cd_unsigned_check),
        cmocka_unit_test(test_verify_attest__missing_paa),
        cmocka_unit_test(test_verify_attest__dac_not_yet_valid),
        cmocka_unit_test(test_verify_attest__dac_does_not_parse),
        cmocka_unit_test(test_verify_attest__parsed_trust_material),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
