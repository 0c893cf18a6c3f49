/*
 * nvs_xts.h: the batched XTS-AES-256 engine behind NVS encryption, the
 * decrypt command and the reader (shared/spec/nvs.md section 13.1).
 *
 * Not installed. Every NVS data unit is one 32-byte slot with its own
 * tweak, so a plain EVP XTS call per slot spends most of its time on
 * per-call setup. This engine instead encrypts many tweaks in one AES-ECB
 * call (key 2) and many slots in one AES-ECB call (key 1), which is the
 * IEEE P1619 construction with OpenSSL doing every AES block.
 */
#ifndef MFAB_NVS_XTS_H
#define MFAB_NVS_XTS_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "matterfab/diag.h"
#include "matterfab/nvs_crypt.h"

/* Tweaks encrypted per ECB call (4 KiB of scratch in the struct). */
#define MFAB_NVS__XTS_BATCH 256u

typedef struct mfab_nvs__xts {
    EVP_CIPHER_CTX *data;  /* AES-256-ECB with eky, encrypt or decrypt */
    EVP_CIPHER_CTX *tweak; /* AES-256-ECB with tky, always encrypt */
    /* the encrypted tweaks, packed; wiped by mfab_nvs__xts_release() */
    uint8_t t0[MFAB_NVS__XTS_BATCH][16];
} mfab_nvs__xts;

/*
 * Set up for encryption (enc = 1) or decryption (enc = 0).
 * @return 0, MFAB_EINVAL (eky == tky), MFAB_ENOMEM, MFAB_ECRYPTO
 */
int mfab_nvs__xts_init(mfab_nvs__xts *x, const mfab_nvs_keys *keys, int enc,
                       mfab_diag *diag);

/*
 * Transform a run of n consecutive 32-byte units in place: unit i is at
 * units + 32*i and its tweak is the partition offset off0 + 32*i (the
 * slots of one page that follow each other). Any n is fine.
 * @return 0, MFAB_ECRYPTO
 */
int mfab_nvs__xts_run(mfab_nvs__xts *x, uint8_t *units, uint32_t off0, size_t n,
                      mfab_diag *diag);

/* Free the contexts (OpenSSL wipes their key schedules), wipe scratch. */
void mfab_nvs__xts_release(mfab_nvs__xts *x);

#endif
