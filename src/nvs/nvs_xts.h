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

/* Units handled per pair of ECB calls; the scratch lives on the stack. */
#define MFAB_NVS__XTS_BATCH 256u

typedef struct mfab_nvs__xts {
    EVP_CIPHER_CTX *data;  /* AES-256-ECB with eky, encrypt or decrypt */
    EVP_CIPHER_CTX *tweak; /* AES-256-ECB with tky, always encrypt */
} mfab_nvs__xts;

/*
 * Set up for encryption (enc = 1) or decryption (enc = 0).
 * @return 0, MFAB_EINVAL (eky == tky), MFAB_ENOMEM, MFAB_ECRYPTO
 */
int mfab_nvs__xts_init(mfab_nvs__xts *x, const mfab_nvs_keys *keys, int enc,
                       mfab_diag *diag);

/*
 * Transform n 32-byte units in place; unit i is at units[i] and its tweak
 * is the partition offset offsets[i]. Any n is fine (batched inside).
 * @return 0, MFAB_ECRYPTO
 */
int mfab_nvs__xts_units(mfab_nvs__xts *x, uint8_t *const *units,
                        const uint32_t *offsets, size_t n, mfab_diag *diag);

/* Free the contexts (OpenSSL wipes their key schedules). */
void mfab_nvs__xts_release(mfab_nvs__xts *x);

#endif
