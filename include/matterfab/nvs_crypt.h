/*
 * matterfab/nvs_crypt.h: NVS encryption (XTS-AES-256) and the nvs_keys
 * partition.
 *
 * Implements shared/spec/nvs.md section 13 (ESP-IDF NVS encryption):
 *
 *   keys partition (4096 bytes):
 *     0 eky[32] (XTS data key) | 32 tky[32] (XTS tweak key)
 *     | 64 NVS CRC-32 of bytes 0..63, u32 LE | 68 0xFF x 4028
 *
 *   Every written 32-byte entry slot is one XTS data unit whose tweak is
 *   the slot's offset in the partition (u32 LE, then 12 zero bytes).
 *   Page headers, bitmaps and unwritten slots stay plaintext.
 *
 * Keys are secrets: wipe them with mfab_nvs_keys_wipe() when done. None of
 * these functions keeps a copy of the keys after it returns.
 */
#ifndef MATTERFAB_NVS_CRYPT_H
#define MATTERFAB_NVS_CRYPT_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"
#include "matterfab/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of an nvs_keys partition image. */
#define MFAB_NVS_KEYS_SIZE 4096u
/** Size of the HMAC key of the HMAC-based scheme. */
#define MFAB_NVS_HMAC_KEY_SIZE 32u

/** XTS-AES-256 key pair: eky is XTS key 1, tky XTS key 2. */
typedef struct mfab_nvs_keys {
    uint8_t eky[32];
    uint8_t tky[32];
} mfab_nvs_keys;

/**
 * Fresh random keys from OpenSSL's CSPRNG (RAND_priv_bytes).
 * @return 0, MFAB_ECRYPTO (no entropy)
 */
int mfab_nvs_keys_generate(mfab_nvs_keys *out, mfab_diag *diag);

/**
 * Keys of the HMAC-based scheme (ESP-IDF nvs_sec_provider):
 * eky = HMAC-SHA256(hmac_key, 5A 5A BE AE x 8),
 * tky = HMAC-SHA256(hmac_key, A5 A5 DE CE x 8).
 * @param hmac_key 32 bytes, copied
 * @return 0, MFAB_ECRYPTO
 */
int mfab_nvs_keys_from_hmac(mfab_nvs_keys *out, const uint8_t hmac_key[32],
                            mfab_diag *diag);

/** Encode keys as a 4096-byte nvs_keys partition (with CRC, 0xFF fill). */
void mfab_nvs_keys_encode(uint8_t out[4096], const mfab_nvs_keys *keys);

/**
 * Decode a keys file. A file of at least 68 bytes is an nvs_keys partition
 * and its CRC must match; a file of exactly 64 bytes is taken as raw
 * eky || tky (nvs_partition_gen accepts such files).
 * @param buf  borrowed
 * @return 0; MFAB_EFORMAT (shorter than 64 bytes or 65..67 bytes, CRC
 *         mismatch, all-0xFF "keys not initialized" partition);
 *         MFAB_EINVAL (eky equals tky: XTS refuses such keys)
 */
int mfab_nvs_keys_decode(mfab_nvs_keys *out, const uint8_t *buf, size_t len,
                         mfab_diag *diag);

/** Wipe keys (OPENSSL_cleanse). NULL is a no-op. */
void mfab_nvs_keys_wipe(mfab_nvs_keys *keys);

/**
 * Encrypt a plaintext NVS image in place: on every page with a header,
 * each slot whose bitmap state is not EMPTY is XTS-encrypted with its
 * partition offset as tweak. Headers, bitmaps, unwritten slots and blank
 * pages are left as they are.
 * @param image borrowed; len must be a non-zero multiple of 4096
 * @return 0; MFAB_EINVAL (len not a multiple of 4096 or 0, eky == tky);
 *         MFAB_ECRYPTO
 */
int mfab_nvs_encrypt_image(uint8_t *image, size_t len,
                           const mfab_nvs_keys *keys, mfab_diag *diag);

/**
 * Decrypt an encrypted NVS image in place, as nvs_partition_gen decrypt
 * does: in every page, the header and bitmap are copied and every other
 * 32-byte unit that is not all 0xFF is XTS-decrypted. The tweak is the
 * unit's own partition offset (what the device uses).
 * @return as mfab_nvs_encrypt_image()
 */
int mfab_nvs_decrypt_image(uint8_t *image, size_t len,
                           const mfab_nvs_keys *keys, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
