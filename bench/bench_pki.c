/*
 * bench_pki.c: attestation PKI throughput against raw OpenSSL, measured in
 * the same run (spec attestation.md 2.4, 3.1):
 *   - DAC issuance: mfab_pki_issue (profile checks, CA key/cert match
 *     proof, serial, subject, extensions, signature) vs a bare
 *     EVP_DigestSign ECDSA-P256/SHA-256 over a TBS-sized buffer, the
 *     irreducible cost of any certificate;
 *   - the fast path: mfab_pki_issuer_issue_dac (randomized and RFC 6979
 *     deterministic) against the same baseline and against mfab_pki_issue;
 *   - a device's whole DAC set (key pair, DAC DER, key files raw private,
 *     raw public, SEC1 DER, PKCS#8 PEM) through the generic API
 *     (mfab_pki_key_generate, mfab_pki_issue, mfab_pki_cert_encode,
 *     mfab_pki_key_encode) and through the fast one (mfab_pki_dac_key_*,
 *     the issuer);
 *   - chain validation: mfab_pki_validate on the SDK FFF1/8000 chain from
 *     DER bytes (parse, profile, VID/PID, time, path) vs OpenSSL's
 *     X509_verify_cert alone on the already-parsed chain.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "bench_clock.h"

#define ISSUE_N 1000
#define FAST_N 10000
#define VALIDATE_N 1000
#define SDK MFAB_VECTORS_DIR "/pki/sdk-test/"

static uint8_t *
slurp(const char *path, size_t *len)
{
    uint8_t *data = NULL;

    if (mfab_file_read(&data, len, path, NULL) != 0) {
        fprintf(stderr, "bench_pki: cannot read %s\n", path);
        exit(1);
    }
    return data;
}

static double
raw_sign(EVP_PKEY *key)
{
    unsigned char tbs[400], sig[80];
    double t0 = bench_now();
    int i;

    memset(tbs, 0x5A, sizeof(tbs));
    for (i = 0; i < ISSUE_N; i++) {
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        size_t sig_len = sizeof(sig);

        if (EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, key) != 1 ||
            EVP_DigestSign(md, sig, &sig_len, tbs, sizeof(tbs)) != 1)
            exit(1);
        EVP_MD_CTX_free(md);
    }
    return bench_now() - t0;
}

static double
issue(EVP_PKEY *ca_key, X509 *ca, EVP_PKEY *subject)
{
    mfab_pki_issue_options o = MFAB_PKI_ISSUE_OPTIONS_INIT;
    double t0 = bench_now();
    int i;

    o.type = MFAB_PKI_DAC;
    o.subject_cn = "bench DAC";
    o.has_vid = o.has_pid = 1;
    o.vid = 0xFFF1;
    o.pid = 0x8000;
    o.not_before = 1719792000;
    o.lifetime_days = MFAB_PKI_LIFETIME_NO_EXPIRY;
    for (i = 0; i < ISSUE_N; i++) {
        X509 *cert = NULL;

        if (mfab_pki_issue(&cert, &o, subject, ca, ca_key, NULL) != 0)
            exit(1);
        X509_free(cert);
    }
    return bench_now() - t0;
}

static void
dac_options(mfab_pki_issue_options *o)
{
    mfab_pki_issue_options init = MFAB_PKI_ISSUE_OPTIONS_INIT;

    *o = init;
    o->type = MFAB_PKI_DAC;
    o->subject_cn = "bench DAC";
    o->has_vid = o->has_pid = 1;
    o->vid = 0xFFF1;
    o->pid = 0x8000;
    o->not_before = 1719792000;
    o->lifetime_days = MFAB_PKI_LIFETIME_NO_EXPIRY;
}

static double
issue_fast(const mfab_pki_issuer *iss, const uint8_t pub[65], int seeded)
{
    mfab_pki_issue_options o;
    uint8_t der[MFAB_PKI_DAC_DER_MAX], seed[MFAB_PKI_DAC_SEED_LEN];
    size_t len = 0;
    double t0;
    int i;

    dac_options(&o);
    memset(seed, 0x5A, sizeof(seed));
    t0 = bench_now();
    for (i = 0; i < FAST_N; i++) {
        seed[0] = (uint8_t)i;
        if (mfab_pki_issuer_issue_dac(der, sizeof(der), &len, iss, &o, pub,
                                      seeded ? seed : NULL, NULL) != 0)
            exit(1);
    }
    return bench_now() - t0;
}

static const mfab_pki_key_format dac_files[] = {
    MFAB_PKI_KEY_RAW_PRIVATE, MFAB_PKI_KEY_RAW_PUBLIC, MFAB_PKI_KEY_SEC1_DER,
    MFAB_PKI_KEY_PKCS8_PEM};

static double
device_generic(EVP_PKEY *ca_key, X509 *ca)
{
    mfab_pki_issue_options o;
    uint8_t out[2048];
    size_t len = 0, f;
    double t0 = bench_now();
    int i;

    dac_options(&o);
    for (i = 0; i < ISSUE_N; i++) {
        EVP_PKEY *k = NULL;
        X509 *cert = NULL;

        if (mfab_pki_key_generate(&k, NULL) != 0 ||
            mfab_pki_issue(&cert, &o, k, ca, ca_key, NULL) != 0 ||
            mfab_pki_cert_encode(out, sizeof(out), &len, cert, 0, NULL) != 0)
            exit(1);
        for (f = 0; f < sizeof(dac_files) / sizeof(dac_files[0]); f++)
            if (mfab_pki_key_encode(out, sizeof(out), &len, k, dac_files[f],
                                    NULL) != 0)
                exit(1);
        X509_free(cert);
        EVP_PKEY_free(k);
    }
    return bench_now() - t0;
}

static double
device_fast(const mfab_pki_issuer *iss)
{
    mfab_pki_issue_options o;
    uint8_t out[MFAB_PKI_DAC_DER_MAX];
    size_t len = 0, f;
    double t0 = bench_now();
    int i;

    dac_options(&o);
    for (i = 0; i < FAST_N; i++) {
        mfab_pki_dac_key k;

        if (mfab_pki_dac_key_generate(&k, NULL) != 0 ||
            mfab_pki_issuer_issue_dac(out, sizeof(out), &len, iss, &o, k.pub,
                                      NULL, NULL) != 0)
            exit(1);
        for (f = 0; f < sizeof(dac_files) / sizeof(dac_files[0]); f++)
            if (mfab_pki_dac_key_encode(out, sizeof(out), &len, &k,
                                        dac_files[f], NULL) != 0)
                exit(1);
        mfab_pki_dac_key_release(&k);
    }
    return bench_now() - t0;
}

static double
raw_verify(X509 *dac, X509 *pai, X509 *paa)
{
    double t0 = bench_now();
    int i;

    for (i = 0; i < VALIDATE_N; i++) {
        X509_STORE *store = X509_STORE_new();
        X509_STORE_CTX *ctx = X509_STORE_CTX_new();
        STACK_OF(X509) *chain = sk_X509_new_null();

        X509_STORE_add_cert(store, paa);
        sk_X509_push(chain, pai);
        X509_STORE_CTX_init(ctx, store, dac, chain);
        X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), 1719792000);
        X509_VERIFY_PARAM_set_flags(X509_STORE_CTX_get0_param(ctx),
                                    X509_V_FLAG_X509_STRICT);
        if (X509_verify_cert(ctx) != 1)
            exit(1);
        X509_STORE_CTX_free(ctx);
        X509_STORE_free(store);
        sk_X509_free(chain);
    }
    return bench_now() - t0;
}

static double
validate(const mfab_pki_validate_input *in)
{
    mfab_pki_verdict v;
    double t0 = bench_now();
    int i;

    for (i = 0; i < VALIDATE_N; i++) {
        if (mfab_pki_validate(&v, in, NULL) != 0 || v.code != 0)
            exit(1);
    }
    return bench_now() - t0;
}

int
main(void)
{
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    EVP_PKEY *pai_key = NULL, *subject = NULL;
    X509 *dac = NULL, *pai = NULL, *paa = NULL;
    size_t dac_len, pai_len, paa_len;
    uint8_t *dac_der =
        slurp(SDK "Chip-Test-DAC-FFF1-8000-0000-Cert.der", &dac_len);
    uint8_t *pai_der = slurp(SDK "Chip-Test-PAI-FFF1-8000-Cert.der", &pai_len);
    uint8_t *paa_der = slurp(SDK "Chip-Test-PAA-FFF1-Cert.der", &paa_len);
    const uint8_t *store[1] = {paa_der};
    mfab_pki_issuer *iss = NULL;
    mfab_pki_dac_key dk;
    double a, b, c;

    if (mfab_pki_key_load(&pai_key, SDK "Chip-Test-PAI-FFF1-8000-Key.pem", NULL,
                          NULL) != 0 ||
        mfab_pki_cert_parse(&pai, pai_der, pai_len, NULL) != 0 ||
        mfab_pki_cert_parse(&dac, dac_der, dac_len, NULL) != 0 ||
        mfab_pki_cert_parse(&paa, paa_der, paa_len, NULL) != 0 ||
        mfab_pki_key_generate(&subject, NULL) != 0)
        return 1;
    a = raw_sign(pai_key);
    b = issue(pai_key, pai, subject);
    printf("DAC issue:     %8.0f/s   raw ECDSA sign %8.0f/s   ratio %.2f\n",
           ISSUE_N / b, ISSUE_N / a, a / b);
    if (mfab_pki_issuer_new(&iss, pai, pai_key, NULL) != 0 ||
        mfab_pki_dac_key_generate(&dk, NULL) != 0)
        return 1;
    c = issue_fast(iss, dk.pub, 0);
    printf("DAC issuer:    %8.0f/s   vs raw sign ratio %.2f   vs "
           "mfab_pki_issue x%.1f\n",
           FAST_N / c, (ISSUE_N / a) > 0 ? (FAST_N / c) / (ISSUE_N / a) : 0,
           (FAST_N / c) / (ISSUE_N / b));
    c = issue_fast(iss, dk.pub, 1);
    printf("DAC issuer, deterministic (RFC 6979): %8.0f/s   vs raw sign "
           "ratio %.2f\n",
           FAST_N / c, (FAST_N / c) / (ISSUE_N / a));
    b = device_generic(pai_key, pai);
    c = device_fast(iss);
    printf("DAC set (key, cert, 4 key files): generic %8.0f/s   fast "
           "%8.0f/s   x%.1f\n",
           ISSUE_N / b, FAST_N / c, (FAST_N / c) / (ISSUE_N / b));
    mfab_pki_issuer_free(iss);
    mfab_pki_dac_key_release(&dk);
    in.dac = dac_der;
    in.dac_len = dac_len;
    in.pai = pai_der;
    in.pai_len = pai_len;
    in.paa = store;
    in.paa_len = &paa_len;
    in.npaa = 1;
    in.paa_explicit = 1;
    in.now = time(NULL);
    a = raw_verify(dac, pai, paa);
    b = validate(&in);
    printf("chain validate:%8.0f/s   raw X509_verify_cert %8.0f/s   "
           "ratio %.2f\n",
           VALIDATE_N / b, VALIDATE_N / a, a / b);
    X509_free(dac);
    X509_free(pai);
    X509_free(paa);
    EVP_PKEY_free(pai_key);
    EVP_PKEY_free(subject);
    mfab_file_free(dac_der, dac_len);
    mfab_file_free(pai_der, pai_len);
    mfab_file_free(paa_der, paa_len);
    return 0;
}
