/* Tests for src/pki/pki_issuer.c: a DAC from the issuer has the profile of
 * mfab_pki_issue's (every field but serial, key and signature compared),
 * validates to the SDK test PAI/PAA (mfab_pki_validate and openssl verify
 * -x509_strict), deterministic mode repeats itself, two threads issue
 * correct DACs at once, and every error code. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "mfab_test.h"
#include "mfab_test_pki.h"

#define SDK "pki/sdk-test/"
#define NOT_BEFORE 1719792000 /* 2024-07-01 */
#define THREAD_DACS 40

static X509 *
parse(const uint8_t *der, size_t len)
{
    X509 *c = NULL;

    assert_int_equal(mfab_pki_cert_parse(&c, der, len, NULL), 0);
    return c;
}

static void
assert_same_der(const char *what, int alen, uint8_t *a, int blen, uint8_t *b)
{
    assert_true(alen > 0 && blen > 0);
    mfab_test_assert_bytes(what, a, (size_t)alen, b, (size_t)blen);
    OPENSSL_free(a);
    OPENSSL_free(b);
}

/* the DER of xa and xb (encoded with i2d) are equal */
#define SAME_DER(what, i2d, xa, xb)                                            \
    do {                                                                       \
        uint8_t *da_ = NULL, *db_ = NULL;                                      \
        int la_ = i2d((xa), &da_), lb_ = i2d((xb), &db_);                      \
                                                                               \
        assert_same_der((what), la_, da_, lb_, db_);                           \
    } while (0)

/* every field of two DACs but serial, key (SPKI, SKID) and signature */
static void
assert_same_profile(X509 *a, X509 *b)
{
    const X509_ALGOR *sa, *sb;
    int i;

    assert_int_equal(X509_get_version(a), X509_get_version(b));
    X509_get0_signature(NULL, &sa, a);
    X509_get0_signature(NULL, &sb, b);
    SAME_DER("signatureAlgorithm", i2d_X509_ALGOR, sa, sb);
    SAME_DER("tbs signature", i2d_X509_ALGOR, X509_get0_tbs_sigalg(a),
             X509_get0_tbs_sigalg(b));
    SAME_DER("issuer", i2d_X509_NAME, X509_get_issuer_name(a),
             X509_get_issuer_name(b));
    SAME_DER("subject", i2d_X509_NAME, X509_get_subject_name(a),
             X509_get_subject_name(b));
    SAME_DER("notBefore", i2d_ASN1_TIME, X509_get0_notBefore(a),
             X509_get0_notBefore(b));
    SAME_DER("notAfter", i2d_ASN1_TIME, X509_get0_notAfter(a),
             X509_get0_notAfter(b));
    assert_int_equal(X509_get_ext_count(a), X509_get_ext_count(b));
    for (i = 0; i < X509_get_ext_count(a); i++) {
        X509_EXTENSION *ea = X509_get_ext(a, i), *eb = X509_get_ext(b, i);

        if (OBJ_obj2nid(X509_EXTENSION_get_object(ea)) ==
            NID_subject_key_identifier) {
            assert_int_equal(OBJ_obj2nid(X509_EXTENSION_get_object(eb)),
                             NID_subject_key_identifier);
            continue;
        }
        SAME_DER("extension", i2d_X509_EXTENSION, ea, eb);
    }
    /* positive, at most 20 octets (spec 2.1) */
    assert_int_equal(ASN1_STRING_type(X509_get0_serialNumber(b)),
                     V_ASN1_INTEGER);
    assert_true(ASN1_STRING_length(X509_get0_serialNumber(b)) <= 20);
}

static void
test_pki_issuer__same_profile_as_pki_issue(void **state)
{
    X509 *pai = mfab_test_cert(SDK "Chip-Test-PAI-FFF1-8000-Cert.pem");
    EVP_PKEY *pai_key = mfab_test_key(SDK "Chip-Test-PAI-FFF1-8000-Key.pem");
    mfab_pki_issuer *iss = NULL;
    mfab_pki_dac_key k;
    EVP_PKEY *pk = NULL;
    mfab_pki_issue_options o;
    uint8_t der[MFAB_PKI_DAC_DER_MAX];
    size_t len = 0, need = 0;
    int v;
    (void)state;

    assert_int_equal(mfab_pki_issuer_new(&iss, pai, pai_key, NULL), 0);
    assert_int_equal(mfab_pki_dac_key_generate(&k, NULL), 0);
    assert_int_equal(mfab_pki_dac_key_to_pkey(&pk, &k, NULL), 0);
    for (v = 0; v < 6; v++) {
        X509 *ref = NULL, *got;
        uint8_t spki[128];
        size_t spki_len = 0;
        uint8_t *gspki = NULL;
        int gspki_len;

        mfab_test_dac_options(&o);
        o.vid_pid_as_cn = v & 1;
        if (v >= 2)
            o.lifetime_days = MFAB_PKI_LIFETIME_NO_EXPIRY;
        if (v >= 4) { /* GeneralizedTime notAfter, long CN */
            o.lifetime_days = 10000;
            o.subject_cn = "A DAC with a rather long common name, 45 by";
        }
        assert_int_equal(mfab_pki_issue(&ref, &o, pk, pai, pai_key, NULL), 0);
        assert_int_equal(mfab_pki_issuer_issue_dac(NULL, 0, &need, iss, &o,
                                                   k.pub, NULL, NULL),
                         0);
        assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss,
                                                   &o, k.pub, NULL, NULL),
                         0);
        assert_true(len <= need && need <= MFAB_PKI_DAC_DER_MAX);
        got = parse(der, len);
        assert_same_profile(ref, got);
        assert_int_equal(mfab_pki_cert_check_format(got, MFAB_PKI_DAC, NULL),
                         0);
        assert_int_equal(X509_verify(got, pai_key), 1);
        /* the certified key is k */
        assert_int_equal(mfab_pki_dac_key_encode(spki, sizeof(spki), &spki_len,
                                                 &k, MFAB_PKI_KEY_PUBLIC_DER,
                                                 NULL),
                         0);
        gspki_len = i2d_PUBKEY(X509_get0_pubkey(got), &gspki);
        mfab_test_assert_bytes("spki", spki, spki_len, gspki,
                               (size_t)gspki_len);
        OPENSSL_free(gspki);
        X509_free(ref);
        X509_free(got);
    }
    mfab_pki_dac_key_release(&k);
    EVP_PKEY_free(pk);
    mfab_pki_issuer_free(iss);
    mfab_pki_issuer_free(NULL);
    EVP_PKEY_free(pai_key);
    X509_free(pai);
}

static void
test_pki_issuer__validates_to_sdk_paa(void **state)
{
    X509 *pai = mfab_test_cert(SDK "Chip-Test-PAI-FFF1-8000-Cert.pem");
    EVP_PKEY *pai_key = mfab_test_key(SDK "Chip-Test-PAI-FFF1-8000-Key.pem");
    char path[1024], dacp[1024], paip[1024], paap[1024], attime[32];
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_issuer *iss = NULL;
    mfab_pki_verdict verdict;
    mfab_pki_dac_key k;
    mfab_pki_issue_options o;
    mfab_test_run_result r;
    uint8_t der[MFAB_PKI_DAC_DER_MAX], *pai_der, *paa_der;
    size_t len = 0, pai_len, paa_len;
    const uint8_t *store[1];
    char *dir = mfab_test_tmpdir();
    FILE *f;
    (void)state;

    mfab_test_vpath(paip, sizeof(paip), SDK "Chip-Test-PAI-FFF1-8000-Cert.pem");
    mfab_test_vpath(paap, sizeof(paap), SDK "Chip-Test-PAA-FFF1-Cert.pem");
    mfab_test_vpath(path, sizeof(path), SDK "Chip-Test-PAI-FFF1-8000-Cert.der");
    pai_der = mfab_test_read(path, &pai_len);
    mfab_test_vpath(path, sizeof(path), SDK "Chip-Test-PAA-FFF1-Cert.der");
    paa_der = mfab_test_read(path, &paa_len);
    store[0] = paa_der;
    assert_int_equal(mfab_pki_issuer_new(&iss, pai, pai_key, NULL), 0);
    assert_int_equal(mfab_pki_dac_key_generate(&k, NULL), 0);
    mfab_test_dac_options(&o);
    o.lifetime_days = MFAB_PKI_LIFETIME_NO_EXPIRY;
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, NULL, NULL),
                     0);
    in.dac = der;
    in.dac_len = len;
    in.pai = pai_der;
    in.pai_len = pai_len;
    in.paa = store;
    in.paa_len = &paa_len;
    in.npaa = 1;
    in.paa_explicit = 1;
    in.now = NOT_BEFORE + 86400;
    assert_int_equal(mfab_pki_validate(&verdict, &in, NULL), 0);
    assert_int_equal(verdict.code, MFAB_ATT_OK);

    snprintf(dacp, sizeof(dacp), "%s/dac.der", dir);
    f = fopen(dacp, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(der, 1, len, f), len);
    fclose(f);
    snprintf(attime, sizeof(attime), "%d", NOT_BEFORE + 86400);
    {
        const char *conv[] = {"openssl", "x509", "-inform", "DER", "-in",
                              dacp,      "-out", "dac.pem", NULL};
        const char *verify[] = {"openssl", "verify",     "-x509_strict",
                                "-attime", attime,       "-CAfile",
                                paap,      "-untrusted", paip,
                                "dac.pem", NULL};

        mfab_test_exec(&r, dir, conv);
        assert_int_equal(r.exit_code, 0);
        mfab_test_run_free(&r);
        mfab_test_exec(&r, dir, verify);
        if (r.exit_code != 0)
            fail_msg("openssl verify: %s %s", r.out, r.err);
        assert_non_null(strstr(r.out, "OK"));
        mfab_test_run_free(&r);
    }
    mfab_pki_dac_key_release(&k);
    mfab_pki_issuer_free(iss);
    EVP_PKEY_free(pai_key);
    X509_free(pai);
    free(pai_der);
    free(paa_der);
    mfab_test_rmtree(dir);
}

static void
test_pki_issuer__deterministic(void **state)
{
    X509 *pai = mfab_test_cert(SDK "Chip-Test-PAI-FFF1-8000-Cert.pem");
    EVP_PKEY *pai_key = mfab_test_key(SDK "Chip-Test-PAI-FFF1-8000-Key.pem");
    mfab_pki_issuer *iss = NULL, *iss2 = NULL;
    mfab_pki_dac_key k;
    mfab_pki_issue_options o;
    uint8_t seed[MFAB_PKI_DAC_SEED_LEN], secret[32];
    uint8_t a[MFAB_PKI_DAC_DER_MAX], b[MFAB_PKI_DAC_DER_MAX];
    size_t alen = 0, blen = 0;
    X509 *ca, *cb;
    (void)state;

    memset(seed, 0x42, sizeof(seed));
    memset(secret, 0x17, sizeof(secret));
    assert_int_equal(mfab_pki_dac_key_from_secret(&k, secret, NULL), 0);
    mfab_test_dac_options(&o);
    assert_int_equal(mfab_pki_issuer_new(&iss, pai, pai_key, NULL), 0);
    assert_int_equal(mfab_pki_issuer_new(&iss2, pai, pai_key, NULL), 0);
    assert_int_equal(mfab_pki_issuer_issue_dac(a, sizeof(a), &alen, iss, &o,
                                               k.pub, seed, NULL),
                     0);
    /* another issuer of the same PAI: same bytes */
    assert_int_equal(mfab_pki_issuer_issue_dac(b, sizeof(b), &blen, iss2, &o,
                                               k.pub, seed, NULL),
                     0);
    mfab_test_assert_bytes("deterministic DAC", a, alen, b, blen);
    ca = parse(a, alen);
    assert_int_equal(X509_verify(ca, pai_key), 1);
    /* another seed: another serial */
    seed[0] ^= 1;
    assert_int_equal(mfab_pki_issuer_issue_dac(b, sizeof(b), &blen, iss, &o,
                                               k.pub, seed, NULL),
                     0);
    cb = parse(b, blen);
    assert_int_not_equal(ASN1_INTEGER_cmp(X509_get0_serialNumber(ca),
                                          X509_get0_serialNumber(cb)),
                         0);
    assert_int_equal(X509_verify(cb, pai_key), 1);
    X509_free(ca);
    X509_free(cb);
    /* randomized mode differs each time */
    assert_int_equal(mfab_pki_issuer_issue_dac(a, sizeof(a), &alen, iss, &o,
                                               k.pub, NULL, NULL),
                     0);
    assert_int_equal(mfab_pki_issuer_issue_dac(b, sizeof(b), &blen, iss, &o,
                                               k.pub, NULL, NULL),
                     0);
    assert_true(alen != blen || memcmp(a, b, alen) != 0);
    mfab_pki_dac_key_release(&k);
    mfab_pki_issuer_free(iss);
    mfab_pki_issuer_free(iss2);
    EVP_PKEY_free(pai_key);
    X509_free(pai);
}

typedef struct worker {
    const mfab_pki_issuer *iss;
    EVP_PKEY *pai_key;
    int failures;
    ASN1_INTEGER *serials[THREAD_DACS];
} worker;

static void *
work(void *arg)
{
    worker *w = arg;
    mfab_pki_issue_options o;
    int i;

    mfab_test_dac_options(&o);
    for (i = 0; i < THREAD_DACS; i++) {
        mfab_pki_dac_key k;
        uint8_t der[MFAB_PKI_DAC_DER_MAX];
        size_t len = 0;
        const uint8_t *p = der;
        X509 *c = NULL;
        mfab_diag diag = MFAB_DIAG_INIT;

        if (mfab_pki_dac_key_generate(&k, &diag) != 0 ||
            mfab_pki_issuer_issue_dac(der, sizeof(der), &len, w->iss, &o, k.pub,
                                      NULL, &diag) != 0 ||
            (c = d2i_X509(NULL, &p, (long)len)) == NULL ||
            X509_verify(c, w->pai_key) != 1 ||
            mfab_pki_cert_check_format(c, MFAB_PKI_DAC, NULL) != 0)
            w->failures++;
        else
            w->serials[i] = ASN1_INTEGER_dup(X509_get0_serialNumber(c));
        X509_free(c);
        mfab_pki_dac_key_release(&k);
    }
    return NULL;
}

static void
test_pki_issuer__two_threads(void **state)
{
    X509 *pai = mfab_test_cert(SDK "Chip-Test-PAI-FFF1-8000-Cert.pem");
    EVP_PKEY *pai_key = mfab_test_key(SDK "Chip-Test-PAI-FFF1-8000-Key.pem");
    mfab_pki_issuer *iss = NULL;
    worker w[2];
    pthread_t t[2];
    int i, j, n;
    (void)state;

    assert_int_equal(mfab_pki_issuer_new(&iss, pai, pai_key, NULL), 0);
    memset(w, 0, sizeof(w));
    for (i = 0; i < 2; i++) {
        w[i].iss = iss;
        w[i].pai_key = pai_key;
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (i = 0; i < 2; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    assert_int_equal(w[0].failures + w[1].failures, 0);
    /* all serials distinct */
    for (n = 0; n < 2 * THREAD_DACS; n++)
        for (j = n + 1; j < 2 * THREAD_DACS; j++)
            assert_int_not_equal(
                ASN1_INTEGER_cmp(w[n / THREAD_DACS].serials[n % THREAD_DACS],
                                 w[j / THREAD_DACS].serials[j % THREAD_DACS]),
                0);
    for (i = 0; i < 2; i++)
        for (j = 0; j < THREAD_DACS; j++)
            ASN1_INTEGER_free(w[i].serials[j]);
    mfab_pki_issuer_free(iss);
    EVP_PKEY_free(pai_key);
    X509_free(pai);
}

static void
test_pki_issuer__errors(void **state)
{
    X509 *pai = mfab_test_cert(SDK "Chip-Test-PAI-FFF1-8000-Cert.pem");
    X509 *paa = mfab_test_cert(SDK "Chip-Test-PAA-FFF1-Cert.pem");
    EVP_PKEY *pai_key = mfab_test_key(SDK "Chip-Test-PAI-FFF1-8000-Key.pem");
    EVP_PKEY *other = mfab_test_key(SDK "Chip-Test-PAI-FFF2-8001-Key.pem");
    mfab_pki_issuer *iss = NULL;
    mfab_pki_dac_key k;
    mfab_pki_issue_options o;
    uint8_t der[MFAB_PKI_DAC_DER_MAX], bad[65];
    size_t len = 0, need = 0;
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_pki_issuer_new(&iss, paa, pai_key, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "not a valid PAI", NULL);
    assert_null(iss);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_pki_issuer_new(&iss, pai, other, &diag),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&diag, MFAB_ECRYPTO, "does not match", NULL);
    assert_int_equal(mfab_pki_issuer_new(&iss, pai, pai_key, NULL), 0);
    assert_int_equal(mfab_pki_dac_key_generate(&k, NULL), 0);

    mfab_test_dac_options(&o);
    o.vid = 0xFFF2;
    mfab_diag_init(&diag);
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, NULL, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "FFF2", "FFF1", NULL);
    mfab_test_dac_options(&o);
    o.pid = 0x8001;
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, NULL, NULL),
                     MFAB_EINVAL);
    mfab_test_dac_options(&o);
    o.type = MFAB_PKI_PAI;
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, NULL, NULL),
                     MFAB_EINVAL);
    mfab_test_dac_options(&o);
    o.has_pid = 0;
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, NULL, NULL),
                     MFAB_EINVAL);
    mfab_test_dac_options(&o);
    o.vid_pid_as_cn = 1;
    o.subject_cn = "0123456789012345678901234567890123456789012345678";
    mfab_diag_init(&diag);
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, NULL, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "too long", NULL);
    mfab_test_dac_options(&o);
    o.lifetime_days = 4000000; /* past year 9999 */
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               k.pub, NULL, NULL),
                     MFAB_EINVAL);
    mfab_test_dac_options(&o);
    memcpy(bad, k.pub, sizeof(bad));
    bad[64] ^= 1; /* off the curve */
    mfab_diag_init(&diag);
    assert_int_equal(mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o,
                                               bad, NULL, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "P-256 point", NULL);
    mfab_diag_init(&diag);
    assert_int_equal(
        mfab_pki_issuer_issue_dac(der, 100, &need, iss, &o, k.pub, NULL, &diag),
        MFAB_EBUFS);
    assert_true(need > 100);
    mfab_pki_dac_key_release(&k);
    mfab_pki_issuer_free(iss);
    EVP_PKEY_free(pai_key);
    EVP_PKEY_free(other);
    X509_free(pai);
    X509_free(paa);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_issuer__same_profile_as_pki_issue),
        cmocka_unit_test(test_pki_issuer__validates_to_sdk_paa),
        cmocka_unit_test(test_pki_issuer__deterministic),
        cmocka_unit_test(test_pki_issuer__two_threads),
        cmocka_unit_test(test_pki_issuer__errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
