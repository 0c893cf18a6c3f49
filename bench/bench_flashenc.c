/*
 * bench_flashenc.c: flash encryption throughput
 * (shared/spec/production-images.md section 5) against raw OpenSSL on the
 * same bytes, measured in the same run:
 *   - XTS-AES-128: mfab_flashenc_crypt vs EVP aes-128-xts, one call per
 *     128-byte unit with its tweak (the least work giving the same bytes
 *     minus the reversals), and vs one single EVP call over everything
 *     (an upper bound no flash-unit encryption can reach);
 *   - ESP32 AES-256 tweak: mfab_flashenc_crypt vs EVP aes-256-ecb with a
 *     new key every 32 bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "matterfab/flashenc.h"
#include "bench_clock.h"

#define BENCH_LEN (8u << 20)
#define BENCH_ROUNDS 5

static double
min(double a, double b)
{
    return a < b ? a : b;
}

static double
mbps(double secs)
{
    return (double)BENCH_LEN * BENCH_ROUNDS / secs / (1024.0 * 1024.0);
}

static double
raw_xts_units(const uint8_t *key, const uint8_t *in, uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t tweak[16] = { 0 };
    double t0 = bench_now();
    int n, r;
    size_t off;

    EVP_EncryptInit_ex(ctx, EVP_aes_128_xts(), NULL, key, NULL);
    for (r = 0; r < BENCH_ROUNDS; r++) {
        for (off = 0; off < BENCH_LEN; off += 128) {
            tweak[0] = (uint8_t)off;
            tweak[1] = (uint8_t)(off >> 8);
            tweak[2] = (uint8_t)(off >> 16);
            EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, tweak);
            EVP_EncryptUpdate(ctx, out + off, &n, in + off, 128);
        }
    }
    t0 = bench_now() - t0;
    EVP_CIPHER_CTX_free(ctx);
    return t0;
}

static double
raw_xts_one_call(const uint8_t *key, const uint8_t *in, uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t tweak[16] = { 0 };
    double t0 = bench_now();
    int n, r;

    for (r = 0; r < BENCH_ROUNDS; r++) {
        EVP_EncryptInit_ex(ctx, EVP_aes_128_xts(), NULL, key, tweak);
        EVP_EncryptUpdate(ctx, out, &n, in, (int)BENCH_LEN);
    }
    t0 = bench_now() - t0;
    EVP_CIPHER_CTX_free(ctx);
    return t0;
}

static double
raw_ecb_rekey(const uint8_t *key, const uint8_t *in, uint8_t *out)
{
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    uint8_t k[32];
    double t0 = bench_now();
    int n, r;
    size_t off;

    memcpy(k, key, 32);
    EVP_CipherInit_ex(ctx, EVP_aes_256_ecb(), NULL, NULL, NULL, 0);
    EVP_CIPHER_CTX_set_padding(ctx, 0);
    for (r = 0; r < BENCH_ROUNDS; r++) {
        for (off = 0; off < BENCH_LEN; off += 32) {
            k[0] = (uint8_t)(off >> 5);
            EVP_CipherInit_ex(ctx, NULL, NULL, k, NULL, -1);
            EVP_CipherUpdate(ctx, out + off, &n, in + off, 32);
        }
    }
    t0 = bench_now() - t0;
    EVP_CIPHER_CTX_free(ctx);
    return t0;
}

static double
ours(const mfab_flashenc_key *key, const uint8_t *in, uint8_t *out)
{
    double t0 = bench_now();
    int r;

    for (r = 0; r < BENCH_ROUNDS; r++) {
        if (mfab_flashenc_crypt(out, in, BENCH_LEN, 0, key, 0xF, 0, NULL) !=
            0) {
            fprintf(stderr, "mfab_flashenc_crypt failed\n");
            exit(1);
        }
    }
    return bench_now() - t0;
}

int
main(void)
{
    uint8_t raw[32];
    uint8_t *in = malloc(BENCH_LEN), *out = malloc(BENCH_LEN);
    mfab_flashenc_key xts, esp;
    double t_ours, t_units, t_one, t_esp, t_ecb;
    int i;

    if (in == NULL || out == NULL || RAND_bytes(raw, 32) != 1 ||
        RAND_bytes(in, (int)BENCH_LEN) != 1 ||
        mfab_flashenc_key_init(&xts, MFAB_FLASHENC_XTS, raw, 32, NULL) != 0 ||
        mfab_flashenc_key_init(&esp, MFAB_FLASHENC_ESP32, raw, 32, NULL) !=
            0) {
        fprintf(stderr, "set-up failed\n");
        return 1;
    }
    /* best of 3, interleaved, so that load from other processes on the
     * machine hits both sides alike */
    t_units = t_one = t_ours = t_esp = t_ecb = 1e9;
    for (i = 0; i < 3; i++) {
        t_units = min(t_units, raw_xts_units(raw, in, out));
        t_one = min(t_one, raw_xts_one_call(raw, in, out));
        t_ours = min(t_ours, ours(&xts, in, out));
        t_ecb = min(t_ecb, raw_ecb_rekey(raw, in, out));
        t_esp = min(t_esp, ours(&esp, in, out));
    }
    printf("XTS-AES-128, %u MiB x %d\n", BENCH_LEN >> 20, BENCH_ROUNDS);
    printf("  matterfab flashenc          %8.1f MB/s\n", mbps(t_ours));
    printf("  OpenSSL XTS per 128-B unit  %8.1f MB/s  ratio %.2f\n",
           mbps(t_units), t_units / t_ours);
    printf("  OpenSSL XTS one call        %8.1f MB/s  ratio %.2f\n",
           mbps(t_one), t_one / t_ours);
    printf("ESP32 AES-256 key tweak, %u MiB x %d\n", BENCH_LEN >> 20,
           BENCH_ROUNDS);
    printf("  matterfab flashenc          %8.1f MB/s\n", mbps(t_esp));
    printf("  OpenSSL ECB rekey per 32 B  %8.1f MB/s  ratio %.2f\n",
           mbps(t_ecb), t_ecb / t_esp);
    mfab_flashenc_key_wipe(&xts);
    mfab_flashenc_key_wipe(&esp);
    free(in);
    free(out);
    return 0;
}
