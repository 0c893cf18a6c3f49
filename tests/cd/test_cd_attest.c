/*
 * Tests for src/cd/cd_attest.c: every SDK CD case in vectors/pki/cases
 * gives its expected_full_attestation (the chain is valid in those cases,
 * so the CD checks decide), and each payload rule of spec 4.6 fails with
 * its result code on its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "cd_test_util.h"
#include "matterfab/error.h"

/* Matter VID (1) or PID (2) attribute of a certificate subject; 0 if none. */
static uint16_t
subject_id(X509 *x, int which)
{
    char oid[32];
    ASN1_OBJECT *obj = NULL;
    X509_NAME *name = X509_get_subject_name(x);
    int i;
    uint16_t v = 0;

    snprintf(oid, sizeof(oid), "1.3.6.1.4.1.37244.2.%d", which);
    obj = OBJ_txt2obj(oid, 1);
    assert_non_null(obj);
    i = X509_NAME_get_index_by_OBJ(name, obj, -1);
    if (i >= 0) {
        ASN1_STRING *s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
        char buf[8] = {0};
        assert_int_equal(ASN1_STRING_length(s), 4);
        memcpy(buf, ASN1_STRING_get0_data(s), 4);
        v = (uint16_t)strtoul(buf, NULL, 16);
    }
    ASN1_OBJECT_free(obj);
    return v;
}

static X509 *
load_cert(const char *rel)
{
    char path[1024];
    X509 *x = NULL;

    mfab_test_vpath(path, sizeof(path), rel);
    assert_int_equal(mfab_pki_cert_load(&x, path, NULL), 0);
    return x;
}

/* "kCertificationDeclarationInvalidPAA(606)" -> 606, "OK" -> 0, else -1 */
static int
expected_code(const char *s)
{
    const char *p = strchr(s, '(');

    if (strcmp(s, "OK") == 0)
        return 0;
    if (p != NULL && p[1] >= '0' && p[1] <= '9')
        return atoi(p + 1);
    return -1;
}

static void
test_cd_attest__sdk_cd_cases(void **state)
{
    char *names[CD_TEST_MAX_FILES], rel[512];
    size_t n, i, len, ran = 0;
    X509 *signer = NULL;
    (void)state;

    cd_test_signer(NULL, &signer);
    n = cd_test_list(names, "pki/cases", "");
    for (i = 0; i < n; i++) {
        mfab_cd_device_info info;
        mfab_diag diag = MFAB_DIAG_INIT;
        const char *expect_text;
        X509 *dac, *pai, *paa;
        json_t *j;
        uint8_t *der;
        int result = -1, rc, want;

        snprintf(rel, sizeof(rel), "%s/pki/cases/%s/case.json",
                 MFAB_VECTORS_DIR, names[i]);
        j = mfab_test_json(rel);
        if (strcmp(json_string_value(json_object_get(j, "element_under_test")),
                   "CD") != 0) {
            json_decref(j);
            free(names[i]);
            continue;
        }
        snprintf(rel, sizeof(rel), "pki/cases/%s/dac.der", names[i]);
        dac = load_cert(rel);
        snprintf(rel, sizeof(rel), "pki/cases/%s/pai.der", names[i]);
        pai = load_cert(rel);
        snprintf(rel, sizeof(rel), "pki/%s",
                 json_string_value(json_object_get(j, "trust_anchor")));
        paa = load_cert(rel);
        memset(&info, 0, sizeof(info));
        info.basic_vid = (uint16_t)cd_test_num(j, "basic_info_vendor_id");
        info.basic_pid = (uint16_t)cd_test_num(j, "basic_info_product_id");
        info.dac_vid = subject_id(dac, 1);
        info.dac_pid = subject_id(dac, 2);
        info.pai_vid = subject_id(pai, 1);
        info.pai_pid = subject_id(pai, 2);
        assert_int_equal(mfab_pki_cert_skid(info.paa_skid, paa, NULL), 0);
        snprintf(rel, sizeof(rel), "pki/cases/%s/cd.der", names[i]);
        der = cd_test_read(rel, &len);

        rc = mfab_cd_attest(&result, der, len, &signer, 1, &info, &diag);
        expect_text =
            json_string_value(json_object_get(j, "expected_full_attestation"));
        want = expected_code(expect_text);
        print_message("  %-48s %s -> %s(%d)\n", names[i], expect_text,
                      mfab_pki_result_name(result), result);
        if (want >= 0)
            assert_int_equal(result, want);
        else
            assert_true(result >= 600 && result <= 606);
        assert_int_equal(rc == 0, result == 0);
        if (rc < 0)
            assert_true(strncmp(diag.message, "cd: ", 4) == 0);
        ran++;
        free(der);
        X509_free(dac);
        X509_free(pai);
        X509_free(paa);
        json_decref(j);
        free(names[i]);
    }
    assert_true(ran >= 30);
    X509_free(signer);
}

static void
test_cd_attest__verify_errors(void **state)
{
    size_t len;
    uint8_t *der =
        cd_test_read("pki/sdk-test/Chip-Test-CD-FFF2-8001.der", &len);
    X509 *signer = NULL,
         *other = load_cert("pki/sdk-test/Chip-Test-PAA-NoVID-Cert.pem");
    X509 *both[2];
    mfab_cd_envelope env;
    mfab_cd_content c;
    mfab_diag diag = MFAB_DIAG_INIT;
    int result;
    (void)state;

    cd_test_signer(NULL, &signer);
    /* wrong certificate: no signer with the envelope's SKID */
    assert_int_equal(
        mfab_cd_verify(&result, NULL, NULL, der, len, &other, 1, &diag),
        MFAB_ENOTFOUND);
    assert_int_equal(result, MFAB_CD_NO_CERTIFICATE);
    mfab_test_assert_diag(&diag, MFAB_ENOTFOUND,
                          "62FA823359ACFAA9963E1CFA140ADDF504F37160", NULL);
    /* no certificate at all */
    mfab_diag_init(&diag);
    assert_int_equal(
        mfab_cd_verify(&result, NULL, NULL, der, len, NULL, 0, &diag),
        MFAB_EINVAL);
    assert_int_equal(result, MFAB_CD_INVALID_ARGUMENT);
    /* the right one among several; outputs filled */
    both[0] = other;
    both[1] = signer;
    assert_int_equal(mfab_cd_verify(&result, &env, &c, der, len, both, 2, NULL),
                     0);
    assert_int_equal(result, MFAB_CD_OK);
    assert_int_equal(c.vendor_id, 0xFFF2);
    assert_int_equal(env.content_len, 54);
    /* garbage */
    assert_int_equal(
        mfab_cd_verify(&result, NULL, NULL, der, 10, &signer, 1, NULL),
        MFAB_EFORMAT);
    assert_int_equal(result, MFAB_CD_NO_KEY_ID);
    X509_free(signer);
    X509_free(other);
    free(der);
}

/* A CD content and device that pass; each test breaks one thing. */
static void
good(mfab_cd_content *c, mfab_cd_device_info *d)
{
    mfab_cd_content_init(c);
    c->vendor_id = 0xFFF1;
    c->product_ids[0] = 0x8000;
    c->product_ids[1] = 0x8001;
    c->product_id_count = 2;
    memcpy(c->certificate_id, "ZIG20141ZB330001-24", 20);
    c->version_number = 1;
    memset(d, 0, sizeof(*d));
    d->basic_vid = d->dac_vid = d->pai_vid = 0xFFF1;
    d->basic_pid = d->dac_pid = 0x8000;
    memset(d->paa_skid, 0x6A, MFAB_CD_SKID_LEN);
}

static void
payload(const mfab_cd_content *c, const mfab_cd_device_info *d, int want,
        const char *text)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    int result = -1, rc = mfab_cd_check_payload(&result, c, d, &diag);

    assert_int_equal(result, want);
    assert_int_equal(rc == 0, want == 0);
    if (text != NULL)
        assert_non_null(strstr(diag.message, text));
}

static void
test_cd_attest__payload_rules(void **state)
{
    mfab_cd_content c;
    mfab_cd_device_info d;
    (void)state;

    good(&c, &d), payload(&c, &d, 0, NULL);
    good(&c, &d), d.pai_pid = 0x8001, payload(&c, &d, 0, NULL);
    good(&c, &d), c.format_version = 2, payload(&c, &d, 603, "format_version");
    good(&c, &d), c.certification_type = 3, payload(&c, &d, 603, NULL);
    good(&c, &d), d.basic_vid = 0xFFF2, payload(&c, &d, 604, "basic");
    good(&c, &d), d.basic_pid = 0x8002, payload(&c, &d, 605, "basic");
    good(&c, &d), c.product_id_count = 0, payload(&c, &d, 605, NULL);
    good(&c, &d), d.dac_vid = 0xFFF2, payload(&c, &d, 604, "DAC VID");
    good(&c, &d), d.pai_vid = 0xFFF2, payload(&c, &d, 604, "PAI VID");
    good(&c, &d), d.dac_pid = 0x8005, payload(&c, &d, 605, "DAC PID");
    good(&c, &d), d.pai_pid = 0x8005, payload(&c, &d, 605, "PAI PID");
    /* origin fields replace vendor_id/product_id_array for DAC and PAI */
    good(&c, &d);
    c.has_dac_origin = 1, c.dac_origin_vendor_id = 0xFFF3;
    c.dac_origin_product_id = 0x9000;
    d.dac_vid = d.pai_vid = 0xFFF3, d.dac_pid = 0x9000;
    payload(&c, &d, 0, NULL);
    d.pai_pid = 0x9000, payload(&c, &d, 0, NULL);
    d.pai_pid = 0x8000, payload(&c, &d, 605, "dac_origin_product_id");
    d.pai_pid = 0, d.dac_pid = 0x8000, payload(&c, &d, 605, "DAC PID");
    d.dac_pid = 0x9000, d.pai_vid = 0xFFF1, payload(&c, &d, 604, "PAI VID");
    d.dac_vid = 0xFFF1, payload(&c, &d, 604, "DAC VID");
    /* PAA list: present and empty rejects, a matching entry passes */
    good(&c, &d), c.has_authorized_paa_list = 1, payload(&c, &d, 606, "PAA");
    c.authorized_paa_count = 2;
    memset(c.authorized_paa_list[0], 0x11, MFAB_CD_SKID_LEN);
    payload(&c, &d, 606, "2 entries");
    memset(c.authorized_paa_list[1], 0x6A, MFAB_CD_SKID_LEN);
    payload(&c, &d, 0, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cd_attest__sdk_cd_cases),
        cmocka_unit_test(test_cd_attest__verify_errors),
        cmocka_unit_test(test_cd_attest__payload_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
