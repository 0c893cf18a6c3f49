/*
 * Tests for src/cd/cd_cms_sign.c: with the SDK test key and the content of
 * Chip-Test-CD-FFF2-8001.der the envelope equals the SDK's byte for byte
 * except the (randomized) signature, OpenSSL's own CMS code verifies it,
 * and each refusal has its code.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include "cd_test_util.h"
#include "matterfab/error.h"

#define SDK_CD "pki/sdk-test/Chip-Test-CD-FFF2-8001.der"

/*
 * Sign the content of an SDK-made CD with the test key and compare. ECDSA
 * signatures are 70..72 bytes; sign until ours is as long as the SDK's so
 * that every length field is compared too. Each try has a chance of at
 * least ~1/4, so 200 tries fail with probability < 1e-24.
 */
static void
assert_same_envelope(const char *rel)
{
    uint8_t out[MFAB_CD_CMS_MAX];
    size_t sdk_len, out_len = 0, sig_len;
    uint8_t *sdk = cd_test_read(rel, &sdk_len);
    mfab_cd_envelope env;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    int tries;

    print_message("  %s (%zu bytes)\n", rel, sdk_len);
    cd_test_signer(&key, &cert);
    assert_int_equal(mfab_cd_decode_envelope(&env, sdk, sdk_len, NULL), 0);
    sig_len = env.signature_len;
    /* the signature is the envelope's last field */
    assert_ptr_equal(env.signature + sig_len, sdk + sdk_len);
    for (tries = 0; tries < 200; tries++) {
        assert_int_equal(mfab_cd_sign(out, sizeof(out), &out_len, env.content,
                                      env.content_len, key, cert, NULL),
                         0);
        if (out_len == sdk_len)
            break;
    }
    assert_int_equal(out_len, sdk_len);
    mfab_test_assert_bytes(rel, sdk, sdk_len - sig_len, out, out_len - sig_len);
    /* randomized: the signature itself differs */
    assert_memory_not_equal(sdk + sdk_len - sig_len, out + out_len - sig_len,
                            sig_len);
    EVP_PKEY_free(key);
    X509_free(cert);
    free(sdk);
}

/* 1 PID (one-byte lengths), a PAA list (81/82 lengths), 100 PIDs. */
static void
test_cd_cms_sign__matches_sdk_envelope_except_signature(void **state)
{
    (void)state;
    assert_same_envelope(SDK_CD);
    assert_same_envelope("pki/cd-decode/cd_authorized_paa_list_2.der");
    assert_same_envelope("pki/cd-decode/cd_dac_origin_fff1_8000.der");
    assert_same_envelope("pki/cases/struct_cd_pid_array_count100_valid/cd.der");
}

/* OpenSSL's CMS implementation, not ours, checks what we wrote. */
static void
test_cd_cms_sign__openssl_cms_verifies(void **state)
{
    uint8_t out[MFAB_CD_CMS_MAX];
    size_t sdk_len, out_len = 0, measured = 0;
    uint8_t *sdk = cd_test_read(SDK_CD, &sdk_len);
    const unsigned char *p = out;
    mfab_cd_envelope env;
    CMS_ContentInfo *cms = NULL;
    STACK_OF(X509) *certs = sk_X509_new_null();
    BIO *content = BIO_new(BIO_s_mem());
    BUF_MEM *mem = NULL;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    (void)state;

    cd_test_signer(&key, &cert);
    assert_int_equal(mfab_cd_decode_envelope(&env, sdk, sdk_len, NULL), 0);
    assert_int_equal(mfab_cd_sign(NULL, 0, &measured, env.content,
                                  env.content_len, key, cert, NULL),
                     0);
    assert_int_equal(mfab_cd_sign(out, sizeof(out), &out_len, env.content,
                                  env.content_len, key, cert, NULL),
                     0);
    assert_true(out_len <= measured && measured - out_len <= 2);
    cms = d2i_CMS_ContentInfo(NULL, &p, (long)out_len);
    assert_non_null(cms);
    assert_ptr_equal(p, out + out_len);
    assert_int_equal(sk_X509_push(certs, cert), 1);
    assert_int_equal(CMS_verify(cms, certs, NULL, NULL, content,
                                CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY),
                     1);
    BIO_get_mem_ptr(content, &mem);
    assert_int_equal(mem->length, env.content_len);
    assert_memory_equal(mem->data, env.content, env.content_len);
    CMS_ContentInfo_free(cms);
    sk_X509_free(certs);
    BIO_free(content);
    EVP_PKEY_free(key);
    X509_free(cert);
    free(sdk);
}

static void
test_cd_cms_sign__ebufs(void **state)
{
    static const uint8_t content[] = {0x15, 0x18};
    uint8_t out[64];
    size_t len = 0;
    mfab_diag diag = MFAB_DIAG_INIT;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    (void)state;

    cd_test_signer(&key, &cert);
    assert_int_equal(mfab_cd_sign(out, sizeof(out), &len, content,
                                  sizeof(content), key, cert, &diag),
                     MFAB_EBUFS);
    assert_true(len > sizeof(out));
    mfab_test_assert_diag(&diag, MFAB_EBUFS, "buffer has 64", NULL);
    EVP_PKEY_free(key);
    X509_free(cert);
}

/* A self-signed P-256 certificate without a subjectKeyIdentifier. */
static X509 *
cert_without_skid(EVP_PKEY *key)
{
    X509 *x = X509_new();

    assert_non_null(x);
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *)"no skid", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_set_pubkey(x, key);
    assert_true(X509_sign(x, key, EVP_sha256()) > 0);
    return x;
}

static void
test_cd_cms_sign__refusals(void **state)
{
    static const uint8_t content[] = {0x15, 0x18};
    char path[1024];
    size_t len;
    mfab_diag diag;
    EVP_PKEY *key = NULL, *other = NULL, *p384 = NULL;
    X509 *cert = NULL, *bare = NULL;
    (void)state;

    cd_test_signer(&key, &cert);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_cd_sign(NULL, 0, &len, content, 0, key, cert, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "content is 0 bytes", NULL);

    mfab_diag_init(&diag);
    assert_int_equal(mfab_cd_sign(NULL, 0, &len, content, sizeof(content), NULL,
                                  cert, &diag),
                     MFAB_EINVAL);

    p384 = EVP_EC_gen("secp384r1");
    assert_non_null(p384);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_cd_sign(NULL, 0, &len, content, sizeof(content), p384,
                                  cert, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "secp384r1", "prime256v1", NULL);

    bare = cert_without_skid(key);
    mfab_diag_init(&diag);
    assert_int_equal(
        mfab_cd_sign(NULL, 0, &len, content, sizeof(content), key, bare, &diag),
        MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "subjectKeyIdentifier", NULL);

    mfab_test_vpath(path, sizeof(path),
                    "pki/sdk-test/Chip-Test-PAA-NoVID-Key.pem");
    assert_int_equal(mfab_pki_key_load(&other, path, NULL, NULL), 0);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_cd_sign(NULL, 0, &len, content, sizeof(content),
                                  other, cert, &diag),
                     MFAB_ECRYPTO);
    EVP_PKEY_free(key);
    EVP_PKEY_free(other);
    EVP_PKEY_free(p384);
    X509_free(cert);
    X509_free(bare);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            test_cd_cms_sign__matches_sdk_envelope_except_signature),
        cmocka_unit_test(test_cd_cms_sign__openssl_cms_verifies),
        cmocka_unit_test(test_cd_cms_sign__ebufs),
        cmocka_unit_test(test_cd_cms_sign__refusals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
