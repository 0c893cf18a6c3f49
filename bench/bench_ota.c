/*
 * bench_ota.c: throughput of "ota create" (SHA-256 payload digest + image
 * assembly) and "encimg encrypt" (key wrap + AES-256-GCM) on a 2 MiB
 * firmware-sized payload, each against the least work it can do, measured
 * in the same run: one SHA-256 pass plus one copy, and raw OpenSSL
 * AES-256-GCM over the same bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "matterfab/encimg.h"
#include "matterfab/ota.h"
#include "bench_clock.h"

#define PAYLOAD (2u << 20)
/* best of TRIALS interleaved runs, so a busy machine slows all alike */
#define TRIAL_SECONDS 0.15
#define TRIALS 5

static uint8_t *payload, *out;
static mfab_encimg_key *key;

static int
work_ota(void)
{
    mfab_ota_header h;
    mfab_ota_part part = { payload, PAYLOAD };
    size_t len = 0;

    memset(&h, 0, sizeof(h));
    h.vendor_id = 0xFFF1;
    h.product_id = 0x8000;
    h.software_version = 2;
    h.version_string = "2.0";
    h.version_string_len = 3;
    h.digest_type = MFAB_OTA_DIGEST_SHA256;
    return mfab_ota_create(out, PAYLOAD + 1024, &len, &h, &part, 1, NULL);
}

static int
work_sha_copy(void)
{
    uint8_t d[32];

    memcpy(out + 100, payload, PAYLOAD);
    return EVP_Digest(payload, PAYLOAD, d, NULL, EVP_sha256(), NULL) ? 0 : -1;
}

static int
work_encimg(void)
{
    size_t len = 0;

    return mfab_encimg_encrypt(out, PAYLOAD + 1024, &len, key, payload,
                               PAYLOAD, NULL);
}

static int
work_gcm(void)
{
    static const uint8_t k[32], iv[16];
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    uint8_t tag[16];
    int n = 0, ok;

    ok = c && EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, NULL, NULL) &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_IVLEN, 16, NULL) &&
         EVP_EncryptInit_ex(c, NULL, NULL, k, iv) &&
         EVP_EncryptUpdate(c, out + 512, &n, payload, PAYLOAD) &&
         EVP_EncryptFinal_ex(c, out, &n) &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag);
    EVP_CIPHER_CTX_free(c);
    return ok ? 0 : -1;
}

/* MiB/s of fn over at least TRIAL_SECONDS. */
static double
rate(int (*fn)(void))
{
    double t0 = bench_now(), t;
    long reps = 0;

    do {
        if (fn() != 0) {
            fprintf(stderr, "bench_ota: work failed\n");
            exit(1);
        }
        reps++;
        t = bench_now() - t0;
    } while (t < TRIAL_SECONDS);
    return (double)reps * (PAYLOAD >> 20) / t;
}

int
main(void)
{
    static const uint8_t hmac[32] = { 7 };
    double best[4] = { 0 };
    int (*fns[4])(void) = { work_ota, work_sha_copy, work_encimg, work_gcm };
    int i, k;

    payload = malloc(PAYLOAD);
    out = malloc(PAYLOAD + 1024);
    if (payload == NULL || out == NULL ||
        mfab_encimg_key_from_hmac(&key, hmac, NULL) < 0)
        return 1;
    for (i = 0; i < (int)PAYLOAD; i++)
        payload[i] = (uint8_t)(i * 131u);
    for (i = 0; i < TRIALS; i++)
        for (k = 0; k < 4; k++) {
            double r = rate(fns[k]);
            if (r > best[k])
                best[k] = r;
        }
    printf("ota create (2 MiB, sha256)   %8.1f MiB/s   baseline sha256+copy "
           "%8.1f MiB/s   ratio %.2f\n",
           best[0], best[1], best[0] / best[1]);
    printf("encimg encrypt (2 MiB, ecies) %7.1f MiB/s   baseline raw AES-GCM "
           "%8.1f MiB/s   ratio %.2f\n",
           best[2], best[3], best[2] / best[3]);
    mfab_encimg_key_free(key);
    free(payload);
    free(out);
    return 0;
}
