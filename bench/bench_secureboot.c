/*
 * bench_secureboot.c: Secure Boot V2 signing and verification per second
 * (shared/spec/production-images.md section 4) on a 64 KiB image, next to
 * the raw OpenSSL operation on the same digest measured in the same run
 * (the floor: hashing, block layout and, for verification, the embedded
 * key rebuild and comparison are what matterfab adds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "matterfab/secureboot.h"
#include "bench_clock.h"

#define IMG_LEN (64u * 1024u)

static EVP_PKEY_CTX *
raw_ctx(EVP_PKEY *key, int sign, int rsa)
{
    EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(key, NULL);

    if (sign)
        EVP_PKEY_sign_init(c);
    else
        EVP_PKEY_verify_init(c);
    if (rsa) {
        EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_signature_md(c, EVP_sha256());
        EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256());
        EVP_PKEY_CTX_set_rsa_pss_saltlen(c, 32);
    }
    return c;
}

/* One timed batch of each kind; returns seconds. */
static double
run_ours_sign(uint8_t *out, const uint8_t *img, mfab_sbv2_signer *s, int n)
{
    size_t olen = 0;
    double t = bench_now();
    int i;

    for (i = 0; i < n; i++)
        mfab_sbv2_sign(out, IMG_LEN + 4096, &olen, img, IMG_LEN, s, 1, 0,
                       NULL);
    return bench_now() - t;
}

static double
run_ours_verify(const uint8_t *out, EVP_PKEY *key, int n)
{
    mfab_sbv2_verify_result res;
    double t = bench_now();
    int i;

    for (i = 0; i < n; i++)
        if (mfab_sbv2_verify(&res, out, IMG_LEN + 4096, key, 0, NULL) != 0) {
            fprintf(stderr, "verify failed\n");
            exit(1);
        }
    return bench_now() - t;
}

static double
run_raw(EVP_PKEY *key, int sign, int rsa, const uint8_t *digest,
        uint8_t *sig, size_t *slen, int n)
{
    EVP_PKEY_CTX *c = raw_ctx(key, sign, rsa);
    double t = bench_now();
    size_t len;
    int i;

    for (i = 0; i < n; i++) {
        if (sign) {
            len = 512;
            EVP_PKEY_sign(c, sig, &len, digest, 32);
            *slen = len;
        } else {
            EVP_PKEY_verify(c, sig, *slen, digest, 32);
        }
    }
    t = bench_now() - t;
    EVP_PKEY_CTX_free(c);
    return t;
}

static double
best(double a, double b)
{
    return a < b ? a : b;
}

/* Best of 3 interleaved rounds, so that load from other processes hits
 * both sides alike. */
static void
bench(const char *name, mfab_sb_scheme scheme, int n)
{
    EVP_PKEY *key = NULL;
    uint8_t *img = malloc(IMG_LEN), *out = malloc(IMG_LEN + 4096);
    uint8_t digest[32], sig[512];
    size_t slen = 0;
    mfab_sbv2_signer s;
    double ts = 1e9, tv = 1e9, rs = 1e9, rv = 1e9;
    int r, rsa = scheme == MFAB_SB_RSA3072;

    if (img == NULL || out == NULL ||
        mfab_sb_key_generate(&key, scheme, NULL) != 0) {
        fprintf(stderr, "set-up failed\n");
        exit(1);
    }
    RAND_bytes(img, (int)IMG_LEN);
    RAND_bytes(digest, 32);
    s.key = key;
    s.sig = NULL;
    s.sig_len = 0;
    for (r = 0; r < 3; r++) {
        ts = best(ts, run_ours_sign(out, img, &s, n));
        rs = best(rs, run_raw(key, 1, rsa, digest, sig, &slen, n));
        tv = best(tv, run_ours_verify(out, key, n));
        rv = best(rv, run_raw(key, 0, rsa, digest, sig, &slen, n));
    }
    printf("%-9s sign    %8.1f/s   raw OpenSSL %8.1f/s  ratio %.2f\n", name,
           n / ts, n / rs, rs / ts);
    printf("%-9s verify  %8.1f/s   raw OpenSSL %8.1f/s  ratio %.2f\n", name,
           n / tv, n / rv, rv / tv);
    EVP_PKEY_free(key);
    free(img);
    free(out);
}

int
main(void)
{
    printf("Secure Boot V2 on a %u KiB image (whole sign/verify incl. "
           "SHA-256 of the image)\n", IMG_LEN / 1024);
    bench("rsa3072", MFAB_SB_RSA3072, 100);
    bench("ecdsa256", MFAB_SB_ECDSA256, 500);
    bench("ecdsa384", MFAB_SB_ECDSA384, 200);
    return 0;
}
