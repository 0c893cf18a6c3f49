/*
 * Tests for src/cd/cd_cms_verify.c: every cd-decode vector's envelope
 * decodes to the JSON's parts and its signature verifies; the SDK's
 * malformed-envelope cases fail in the reader the SDK fails them in;
 * truncated and padded envelopes are refused without crashing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cd_test_util.h"
#include "common/common_internal.h"
#include "matterfab/error.h"

static void
test_cd_cms_verify__vectors(void **state)
{
    char *names[CD_TEST_MAX_FILES], rel[512], path[1024];
    size_t n, i, len, tlv_len, sig_len, skid_len;
    X509 *cert = NULL;
    (void)state;

    cd_test_signer(NULL, &cert);
    n = cd_test_list(names, "pki/cd-decode", ".json");
    assert_true(n >= 3);
    for (i = 0; i < n; i++) {
        mfab_cd_envelope env;
        uint8_t skid[MFAB_CD_SKID_LEN];
        json_t *j, *si;
        const char *sid;
        uint8_t *der, *tlv, *sig, *want_skid;

        snprintf(path, sizeof(path), "%s/pki/cd-decode/%s", MFAB_VECTORS_DIR,
                 names[i]);
        j = mfab_test_json(path);
        snprintf(rel, sizeof(rel), "pki/cd-decode/%s",
                 json_string_value(json_object_get(j, "file")));
        der = cd_test_read(rel, &len);
        assert_int_equal(len, cd_test_num(j, "cms_total_length"));
        assert_int_equal(mfab_cd_decode_envelope(&env, der, len, NULL), 0);
        tlv = cd_test_hex(j, "cd_tlv_hex", &tlv_len);
        mfab_test_assert_bytes("content", tlv, tlv_len, env.content,
                               env.content_len);
        si = json_object_get(json_object_get(j, "cms"), "signerInfo");
        sig = cd_test_hex(si, "signature_der", &sig_len);
        mfab_test_assert_bytes("signature", sig, sig_len, env.signature,
                               env.signature_len);
        sid = strrchr(json_string_value(json_object_get(si, "sid")), ' ') + 1;
        want_skid = malloc(MFAB_CD_SKID_LEN);
        assert_int_equal(mfab_hex_decode(want_skid, MFAB_CD_SKID_LEN, &skid_len,
                                         sid, strlen(sid), NULL),
                         0);
        assert_memory_equal(env.signer_skid, want_skid, MFAB_CD_SKID_LEN);
        assert_int_equal(env.digest_algorithm_count, 1);
        assert_false(env.algorithm_params || env.has_certificates ||
                     env.has_crls || env.has_unsigned_attrs);
        assert_int_equal(mfab_cd_extract_key_id(skid, der, len, NULL), 0);
        assert_memory_equal(skid, want_skid, MFAB_CD_SKID_LEN);
        assert_int_equal(
            mfab_cd_verify_signature(&env, X509_get0_pubkey(cert), NULL), 0);
        free(want_skid);
        free(sig);
        free(tlv);
        free(der);
        json_decref(j);
        free(names[i]);
    }
    X509_free(cert);
}

/* SDK cases: which reader refuses them (key id -> 600, envelope -> 602). */
static void
test_cd_cms_verify__sdk_malformed_cases(void **state)
{
    static const struct {
        const char *rel;
        int key_id_rc, envelope_rc;
        const char *text;
    } cases[] = {
        {"pki/cases/struct_cd_cms_v2/cd.der", 0, MFAB_EFORMAT,
         "SignedData 'version'"},
        {"pki/cases/struct_cd_signer_info_v2/cd.der", MFAB_EFORMAT,
         MFAB_EFORMAT, "SignerInfo 'version'"},
        {"pki/cases/struct_cd_signer_info_digest_algo_sha1/cd.der",
         MFAB_EFORMAT, MFAB_EFORMAT, "'digestAlgorithm'"},
        {"pki/cases/struct_cd_cms_sig_algo_ecdsa_with_sha1/cd.der",
         MFAB_EFORMAT, MFAB_EFORMAT, "'signatureAlgorithm'"},
    };
    uint8_t skid[MFAB_CD_SKID_LEN];
    size_t i, len;
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(cases); i++) {
        uint8_t *der = cd_test_read(cases[i].rel, &len);
        mfab_cd_envelope env;
        mfab_diag diag = MFAB_DIAG_INIT;

        print_message("  %s\n", cases[i].rel);
        assert_int_equal(mfab_cd_extract_key_id(skid, der, len, NULL),
                         cases[i].key_id_rc);
        assert_int_equal(mfab_cd_decode_envelope(&env, der, len, &diag),
                         cases[i].envelope_rc);
        mfab_test_assert_diag(&diag, MFAB_EFORMAT, cases[i].text, NULL);
        free(der);
    }
}

static void
test_cd_cms_verify__bad_signature_and_key(void **state)
{
    size_t len;
    uint8_t *der =
        cd_test_read("pki/cases/struct_cd_cms_signature/cd.der", &len);
    mfab_cd_envelope env;
    mfab_diag diag = MFAB_DIAG_INIT;
    EVP_PKEY *p384 = EVP_EC_gen("secp384r1");
    X509 *cert = NULL;
    (void)state;

    cd_test_signer(NULL, &cert);
    assert_int_equal(mfab_cd_decode_envelope(&env, der, len, NULL), 0);
    assert_int_equal(
        mfab_cd_verify_signature(&env, X509_get0_pubkey(cert), &diag),
        MFAB_ECRYPTO);
    mfab_test_assert_diag(&diag, MFAB_ECRYPTO, "does not verify", NULL);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_cd_verify_signature(&env, p384, &diag), MFAB_EINVAL);
    assert_int_equal(mfab_cd_verify_signature(&env, NULL, NULL), MFAB_EINVAL);
    EVP_PKEY_free(p384);
    X509_free(cert);
    free(der);
}

/* Every prefix, a trailing byte, and each single-byte corruption. */
static void
test_cd_cms_verify__truncated_padded_corrupted(void **state)
{
    size_t len, i, sid_at;
    uint8_t *der =
        cd_test_read("pki/sdk-test/Chip-Test-CD-FFF2-8001.der", &len);
    uint8_t *copy = malloc(len + 1);
    uint8_t skid[MFAB_CD_SKID_LEN];
    mfab_cd_envelope env;
    X509 *cert = NULL;
    (void)state;

    cd_test_signer(NULL, &cert);
    for (i = 0; i < len; i++) {
        assert_int_equal(mfab_cd_decode_envelope(&env, der, i, NULL),
                         MFAB_EFORMAT);
        assert_int_equal(mfab_cd_extract_key_id(skid, der, i, NULL),
                         MFAB_EFORMAT);
    }
    memcpy(copy, der, len);
    copy[len] = 0;
    assert_int_equal(mfab_cd_decode_envelope(&env, copy, len + 1, NULL),
                     MFAB_EFORMAT);
    /*
     * No single flipped bit yields an envelope whose signature verifies,
     * except in the sid, which the signature does not cover (a wrong SKID
     * is caught by the key lookup instead: 601).
     */
    assert_int_equal(mfab_cd_decode_envelope(&env, der, len, NULL), 0);
    sid_at = (size_t)(env.signer_info - der) + 2 + 3 + 2;
    assert_memory_equal(der + sid_at, env.signer_skid, MFAB_CD_SKID_LEN);
    for (i = 0; i < len; i++) {
        if (i >= sid_at && i < sid_at + MFAB_CD_SKID_LEN)
            continue;
        memcpy(copy, der, len);
        copy[i] ^= 0x01;
        if (mfab_cd_decode_envelope(&env, copy, len, NULL) == 0)
            assert_int_not_equal(
                mfab_cd_verify_signature(&env, X509_get0_pubkey(cert), NULL),
                0);
    }
    X509_free(cert);
    free(copy);
    free(der);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cd_cms_verify__vectors),
        cmocka_unit_test(test_cd_cms_verify__sdk_malformed_cases),
        cmocka_unit_test(test_cd_cms_verify__bad_signature_and_key),
        cmocka_unit_test(test_cd_cms_verify__truncated_padded_corrupted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
