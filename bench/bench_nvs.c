/*
 * bench_nvs.c: NVS generate / encrypt / decrypt speed on vector s15
 * (1 MiB partition, shared/spec/nvs.md section 18), each the minimum of
 * 20 runs, next to the raw AES-256-XTS cost of the same bytes through
 * OpenSSL measured in the same run:
 *   - xts one call: every written slot's bytes in one EVP call (the floor
 *     no NVS encryption can beat: same AES work, no per-slot tweaks);
 *   - xts per slot: one EVP call per 32-byte slot (the naive approach).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "matterfab/nvs.h"
#include "matterfab/nvs_crypt.h"
#include "bench_clock.h"

#define RUNS 20
#define CASE MFAB_VECTORS_DIR "/nvs/s15_large_1mib"
#define SIZE 0x100000u

static size_t
written_slots(const uint8_t *img, size_t len)
{
    size_t pg, n = 0;
    unsigned s;

    for (pg = 0; pg < len / 4096; pg++) {
        const uint8_t *p = img + pg * 4096;

        if (p[0] == 0xFF && p[1] == 0xFF && p[2] == 0xFF && p[3] == 0xFF)
            continue;
        for (s = 0; s < 126; s++)
            if (((p[32 + s / 4] >> (2 * (s % 4))) & 3u) != 3u)
                n++;
    }
    return n;
}

static int
xts_raw(uint8_t *buf, size_t n_slots, const mfab_nvs_keys *k, int per_slot)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    uint8_t key[64], iv[16] = {0};
    size_t i;
    int outl, ok = c != NULL;

    memcpy(key, k->eky, 32);
    memcpy(key + 32, k->tky, 32);
    ok = ok && EVP_EncryptInit_ex(c, EVP_aes_256_xts(), NULL, key, iv) == 1;
    if (!per_slot) {
        ok = ok &&
             EVP_EncryptUpdate(c, buf, &outl, buf, (int)(n_slots * 32)) == 1;
    } else {
        for (i = 0; ok && i < n_slots; i++) {
            uint32_t off = (uint32_t)(64 + 32 * i);

            memcpy(iv, &off, 4);
            ok = EVP_EncryptInit_ex(c, NULL, NULL, NULL, iv) == 1 &&
                 EVP_EncryptUpdate(c, buf + 32 * i, &outl, buf + 32 * i, 32) ==
                     1;
        }
    }
    EVP_CIPHER_CTX_free(c);
    return ok ? 0 : -1;
}

int
main(void)
{
    const char *csv[] = {CASE "/input.csv"};
    mfab_nvs_options opts = MFAB_NVS_OPTIONS_INIT;
    uint8_t *plain = malloc(SIZE), *work = malloc(SIZE);
    double best[5] = {1e9, 1e9, 1e9, 1e9, 1e9};
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_nvs_keys keys;
    size_t len = 0, slots;
    int r, i;

    if (plain == NULL || work == NULL)
        return 1;
    opts.size = SIZE;
    opts.base_dir = CASE;
    for (i = 0; i < 32; i++) {
        keys.eky[i] = (uint8_t)i;
        keys.tky[i] = (uint8_t)(0x80 + i);
    }
    for (r = 0; r < RUNS; r++) {
        double t0 = bench_now(), t1;

        if (mfab_nvs_generate_csv(plain, SIZE, &len, csv, 1, &opts, &diag) !=
            0) {
            fprintf(stderr, "generate: %s\n", mfab_diag_message(&diag));
            return 1;
        }
        t1 = bench_now();
        best[0] = t1 - t0 < best[0] ? t1 - t0 : best[0];
        memcpy(work, plain, len);
        t0 = bench_now();
        if (mfab_nvs_encrypt_image(work, len, &keys, &diag) != 0)
            return 1;
        t1 = bench_now();
        best[1] = t1 - t0 < best[1] ? t1 - t0 : best[1];
        t0 = bench_now();
        if (mfab_nvs_decrypt_image(work, len, &keys, &diag) != 0)
            return 1;
        t1 = bench_now();
        best[2] = t1 - t0 < best[2] ? t1 - t0 : best[2];
        if (memcmp(work, plain, len) != 0) {
            fprintf(stderr, "decrypt(encrypt(image)) != image\n");
            return 1;
        }
        slots = written_slots(plain, len);
        t0 = bench_now();
        if (xts_raw(work, slots, &keys, 0) != 0)
            return 1;
        t1 = bench_now();
        best[3] = t1 - t0 < best[3] ? t1 - t0 : best[3];
        t0 = bench_now();
        if (xts_raw(work, slots, &keys, 1) != 0)
            return 1;
        t1 = bench_now();
        best[4] = t1 - t0 < best[4] ? t1 - t0 : best[4];
    }
    slots = written_slots(plain, len);
    printf("vector s15: %zu-byte partition, %zu written slots (%zu bytes "
           "encrypted); min of %d runs\n",
           len, slots, slots * 32, RUNS);
    printf("  generate          %8.3f ms   (target <= 5 ms)\n", best[0] * 1e3);
    printf("  encrypt           %8.3f ms   %.2fx raw XTS (target <= 2x)\n",
           best[1] * 1e3, best[1] / best[3]);
    printf("  decrypt           %8.3f ms   %.2fx raw XTS (target <= 2x)\n",
           best[2] * 1e3, best[2] / best[3]);
    printf("  raw XTS one call  %8.3f ms   baseline\n", best[3] * 1e3);
    printf("  raw XTS per slot  %8.3f ms   %.2fx baseline (naive "
           "per-slot EVP calls)\n",
           best[4] * 1e3, best[4] / best[3]);
    free(plain);
    free(work);
    return 0;
}
