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

#define IMG_LEN (64u * 1024u)

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

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

static void
bench(const char *name, mfab_sb_scheme scheme, int n_sign, int n_verify)
{
    EVP_PKEY *key = NULL;
    uint8_t *img = malloc(IMG_LEN), *out = malloc(IMG_LEN + 4096);
    uint8_t digest[32], sig[512];
    size_t olen = 0, slen;
    mfab_sbv2_signer s;
    mfab_sbv2_verify_result res;
    EVP_PKEY_CTX *c;
    double t, t_raw;
    int i, rsa = scheme == MFAB_SB_RSA3072;

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
    t = now();
    for (i = 0; i < n_sign; i++)
        mfab_sbv2_sign(out, IMG_LEN + 4096, &olen, img, IMG_LEN, &s, 1, 0,
                       NULL);
    t = now() - t;
    c = raw_ctx(key, 1, rsa);
    t_raw = now();
    for (i = 0; i < n_sign; i++) {
        slen = sizeof(sig);
        EVP_PKEY_sign(c, sig, &slen, digest, 32);
    }
    t_raw = now() - t_raw;
    EVP_PKEY_CTX_free(c);
    printf("%-9s sign    %8.1f/s   raw OpenSSL %8.1f/s  ratio %.2f\n", name,
           n_sign / t, n_sign / t_raw, t_raw / t);

    t = now();
    for (i = 0; i < n_verify; i++)
        if (mfab_sbv2_verify(&res, out, olen, key, 0, NULL) != 0) {
            fprintf(stderr, "verify failed\n");
            exit(1);
        }
    t = now() - t;
    c = raw_ctx(key, 1, rsa);
    slen = sizeof(sig);
    EVP_PKEY_sign(c, sig, &slen, digest, 32);
    EVP_PKEY_CTX_free(c);
    c = raw_ctx(key, 0, rsa);
    t_raw = now();
    for (i = 0; i < n_verify; i++)
        EVP_PKEY_verify(c, sig, slen, digest, 32);
    t_raw = now() - t_raw;
    EVP_PKEY_CTX_free(c);
    printf("%-9s verify  %8.1f/s   raw OpenSSL %8.1f/s  ratio %.2f\n", name,
           n_verify / t, n_verify / t_raw, t_raw / t);
    EVP_PKEY_free(key);
    free(img);
    free(out);
}

int
main(void)
{
    printf("Secure Boot V2 on a %u KiB image (whole sign/verify incl. "
           "SHA-256 of the image)\n", IMG_LEN / 1024);
    bench("rsa3072", MFAB_SB_RSA3072, 100, 1000);
    bench("ecdsa256", MFAB_SB_ECDSA256, 1000, 1000);
    bench("ecdsa384", MFAB_SB_ECDSA384, 300, 300);
    return 0;
}
