/* Tests for src/pki/pki_pkcs11.c against a real SoftHSM2 token brought up
 * in a temporary folder: a PAI key imported into the token issues DACs
 * through the CLI, and they validate. SoftHSM missing = failure, not a
 * skip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/ecdsa.h"
#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "matterfab/secureboot.h"
#include "mfab_test.h"

#define URI "pkcs11:token=factory;object=pai;pin-value=1234"

static char *dir;

static int
sh(const char *cmd)
{
    char buf[2048];

    snprintf(buf, sizeof(buf), "cd '%s' && %s", dir, cmd);
    return system(buf);
}

static int
run(const char *line)
{
    mfab_test_run_result r;
    int code;

    mfab_test_run_line(&r, dir, "pki", line);
    code = r.exit_code;
    if (code != 0)
        print_message("'%s' -> %d: %s%s\n", line, code, r.out, r.err);
    mfab_test_run_free(&r);
    return code;
}

static int
setup(void **state)
{
    char conf[1024], text[1200];
    (void)state;

    dir = mfab_test_tmpdir();
    snprintf(conf, sizeof(conf), "%s/softhsm2.conf", dir);
    snprintf(text, sizeof(text),
             "directories.tokendir = %s/tokens\nobjectstore.backend = file\n"
             "log.level = ERROR\n",
             dir);
    {
        FILE *f = fopen(conf, "w");

        assert_non_null(f);
        fputs(text, f);
        fclose(f);
    }
    setenv("SOFTHSM2_CONF", conf, 1);
    assert_int_equal(sh("mkdir tokens && softhsm2-util --init-token --free "
                        "--label factory --pin 1234 --so-pin 5678 "
                        ">/dev/null"),
                     0);
    /* PAA and PAI on disk, then the PAI key moves into the token */
    assert_int_equal(run("<> gen-paa -c HSM-PAA -V FFF1 -l 4294967295 -f "
                         "2024-01-01 -o paa.pem -O paa.key"),
                     0);
    assert_int_equal(run("<> gen-pai -c HSM-PAI -V FFF1 -P 8000 -C paa.pem "
                         "-K paa.key -l 3650 -f 2024-01-01 -o pai.pem -O "
                         "pai.pk8 --out-key-format pkcs8-pem"),
                     0);
    assert_int_equal(sh("softhsm2-util --import pai.pk8 --token factory "
                        "--label pai --id 01 --pin 1234 >/dev/null && "
                        "rm pai.pk8"),
                     0);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    mfab_test_rmtree(dir);
    unsetenv("SOFTHSM2_CONF");
    return 0;
}

static void
test_pki_hsm__cli_issues_dacs_with_token_key(void **state)
{
    char line[512];
    int i;
    (void)state;

    for (i = 0; i < 2; i++) {
        snprintf(line, sizeof(line),
                 "<> gen-dac -c DAC-%d -V FFF1 -P 8000 -C pai.pem -K " URI
                 " -l 4294967295 -f 2025-01-01 -o dac%d.pem -O dac%d.key",
                 i, i, i);
        assert_int_equal(run(line), 0);
        snprintf(line, sizeof(line),
                 "<> validate --dac dac%d.pem --pai pai.pem --paa paa.pem", i);
        assert_int_equal(run(line), 0);
        snprintf(line, sizeof(line),
                 "openssl verify -x509_strict -CAfile paa.pem -untrusted "
                 "pai.pem dac%d.pem >/dev/null",
                 i);
        assert_int_equal(sh(line), 0);
    }
}

static void
test_pki_hsm__token_key_signs_but_never_exports(void **state)
{
    char path[1024];
    EVP_PKEY *key = NULL;
    X509 *pai = NULL;
    uint8_t buf[256];
    size_t len = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    snprintf(path, sizeof(path), "%s/pai.pem", dir);
    assert_int_equal(mfab_pki_cert_load(&pai, path, NULL), 0);
    assert_int_equal(mfab_pki_key_load(&key, URI, NULL, &d), 0);
    assert_int_equal(mfab_pki_key_matches_cert(key, pai, "pai.pem", NULL), 0);
    assert_int_equal(mfab_pki_key_encode(buf, sizeof(buf), &len, key,
                                         MFAB_PKI_KEY_RAW_PUBLIC, NULL),
                     0);
    assert_int_equal(len, 65);
    assert_int_equal(mfab_pki_key_encode(buf, sizeof(buf), &len, key,
                                         MFAB_PKI_KEY_SEC1_DER, &d),
                     MFAB_EUNSUPPORTED);
    EVP_PKEY_free(key);
    X509_free(pai);
}

/* the bulk issuer signs through the token; RFC 6979 needs the scalar */
static void
test_pki_hsm__issuer_with_token_key(void **state)
{
    char path[1024];
    EVP_PKEY *key = NULL;
    X509 *pai = NULL, *dac = NULL;
    mfab_pki_issuer *iss = NULL;
    mfab_pki_dac_key k;
    mfab_pki_issue_options o = MFAB_PKI_ISSUE_OPTIONS_INIT;
    uint8_t der[MFAB_PKI_DAC_DER_MAX], seed[MFAB_PKI_DAC_SEED_LEN] = {0};
    size_t len = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    snprintf(path, sizeof(path), "%s/pai.pem", dir);
    assert_int_equal(mfab_pki_cert_load(&pai, path, NULL), 0);
    assert_int_equal(mfab_pki_key_load(&key, URI, NULL, NULL), 0);
    assert_int_equal(mfab_pki_issuer_new(&iss, pai, key, NULL), 0);
    assert_int_equal(mfab_pki_dac_key_generate(&k, NULL), 0);
    o.subject_cn = "HSM DAC";
    o.has_vid = o.has_pid = 1;
    o.vid = 0xFFF1;
    o.pid = 0x8000;
    o.not_before = 1735689600;
    o.lifetime_days = 365;
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, NULL, NULL),
                     0);
    assert_int_equal(mfab_pki_cert_parse(&dac, der, len, NULL), 0);
    assert_int_equal(X509_verify(dac, X509_get0_pubkey(pai)), 1);
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, seed, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "private scalar", NULL);
    mfab_pki_dac_key_release(&k);
    mfab_pki_issuer_free(iss);
    X509_free(dac);
    EVP_PKEY_free(key);
    X509_free(pai);
}

static void
test_pki_hsm__pin_option_and_module_path_attribute(void **state)
{
    EVP_PKEY *key = NULL;
    (void)state;

    assert_int_equal(mfab_pki_key_load(&key,
                                       "pkcs11:token=factory;"
                                       "object=pai",
                                       "1234", NULL),
                     0);
    EVP_PKEY_free(key);
    key = NULL;
    assert_int_equal(mfab_pki_key_load(&key,
                                       "pkcs11:token=factory;object=pai"
                                       "?module-path=" MFAB_PKI_PKCS11_SOFTHSM
                                       "&pin-value=1234",
                                       NULL, NULL),
                     0);
    EVP_PKEY_free(key);
}

static void
test_pki_hsm__errors_hide_the_pin(void **state)
{
    mfab_pki_key_options o = MFAB_PKI_KEY_OPTIONS_INIT;
    EVP_PKEY *key = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    char notso[1100];
    (void)state;

    /* PKCS#11 login is per process: these run before any successful
     * login (this test runs first) */
    assert_int_equal(mfab_pki_key_load(&key,
                                       "pkcs11:token=factory;"
                                       "object=pai;pin-value=9999",
                                       NULL, &d),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "PIN incorrect", NULL);
    assert_null(strstr(mfab_diag_message(&d), "9999"));
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_key_load(&key,
                                       "pkcs11:token=factory;"
                                       "object=pai",
                                       NULL, &d),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "no PIN", NULL);
    mfab_diag_init(&d);
    snprintf(notso, sizeof(notso), "%s/softhsm2.conf", dir);
    o.pkcs11_module = notso; /* exists, but is no shared object */
    assert_int_equal(mfab_pki_key_load_ex(&key, URI, &o, &d), MFAB_ECRYPTO);
    o.pkcs11_module = NULL;
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_key_load(&key,
                                       "pkcs11:token=factory;"
                                       "object=nope;pin-value=1234",
                                       NULL, &d),
                     MFAB_ENOTFOUND);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "pin-value=***", NULL);
    assert_null(strstr(mfab_diag_message(&d), "1234"));

    mfab_diag_init(&d);
    o.pkcs11_module = "/nonexistent/module.so";
    assert_int_equal(mfab_pki_key_load_ex(&key, URI, &o, &d), MFAB_ENOTFOUND);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "/nonexistent/module.so", NULL);
    assert_null(key);
}

/* RFC 6979 needs the private scalar; a token key must be seen as having
 * none (its engine may export some other number), so that Secure Boot V1
 * falls back to the token's own signature, which verifies. */
static void
test_pki_hsm__deterministic_signing_refuses_token_key(void **state)
{
    static const uint8_t image[64] = "bootloader image, 64 bytes....";
    uint8_t sig[128], signed_image[64 + MFAB_SBV1_TRAILER_LEN];
    size_t sig_len = 0, out_len = 0;
    char path[1024];
    EVP_PKEY *token = NULL, *file = NULL;
    X509 *pai = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_key_load(&token, URI, NULL, NULL), 0);
    snprintf(path, sizeof(path), "%s/paa.key", dir);
    assert_int_equal(mfab_pki_key_load(&file, path, NULL, NULL), 0);
    assert_int_equal(mfab_ecdsa_has_private_scalar(file), 1);
    assert_int_equal(mfab_ecdsa_has_private_scalar(token), 0);
    assert_int_equal(mfab_ecdsa_sign_rfc6979(sig, sizeof(sig), &sig_len,
                                             token, "SHA256", image,
                                             sizeof(image), &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "HSM", NULL);

    assert_int_equal(mfab_sbv1_sign(signed_image, sizeof(signed_image),
                                    &out_len, image, sizeof(image), token,
                                    NULL),
                     0);
    snprintf(path, sizeof(path), "%s/pai.pem", dir);
    assert_int_equal(mfab_pki_cert_load(&pai, path, NULL), 0);
    assert_int_equal(mfab_sbv1_verify(signed_image, out_len,
                                      X509_get0_pubkey(pai), NULL),
                     0);
    X509_free(pai);
    EVP_PKEY_free(token);
    EVP_PKEY_free(file);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_hsm__errors_hide_the_pin),
        cmocka_unit_test(test_pki_hsm__cli_issues_dacs_with_token_key),
        cmocka_unit_test(test_pki_hsm__token_key_signs_but_never_exports),
        cmocka_unit_test(test_pki_hsm__issuer_with_token_key),
        cmocka_unit_test(test_pki_hsm__pin_option_and_module_path_attribute),
        cmocka_unit_test(test_pki_hsm__deterministic_signing_refuses_token_key),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
