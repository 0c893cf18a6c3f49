/*
 * matterfab/flashenc.h: host-side ESP32 flash encryption
 * (shared/spec/production-images.md section 5).
 *
 * Two algorithms: XTS-AES over 128-byte flash data units (every chip but
 * the original ESP32) and the original ESP32's AES-256 whose key is
 * tweaked per 32-byte block by the flash address. Ciphertext depends only
 * on key, absolute flash address and plaintext, so a file can be handled
 * in pieces at the right addresses.
 */
#ifndef MATTERFAB_FLASHENC_H
#define MATTERFAB_FLASHENC_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum mfab_flashenc_mode {
    MFAB_FLASHENC_ESP32 = 0, /**< AES-256 with per-32-byte key tweak */
    MFAB_FLASHENC_XTS = 1    /**< XTS-AES-128/256 (ESP32-S2, C3, ...) */
} mfab_flashenc_mode;

/** FLASH_CRYPT_CONFIG the bootloader burns: all four tweak ranges on. */
#define MFAB_FLASHENC_CONF_DEFAULT 0xF
/** Largest normalized key: XTS-AES-256 (two 256-bit halves). */
#define MFAB_FLASHENC_KEY_MAX 64

/** A normalized key ready for mfab_flashenc_crypt(). */
typedef struct mfab_flashenc_key {
    mfab_flashenc_mode mode;
    uint8_t key[MFAB_FLASHENC_KEY_MAX];
    size_t len; /**< 32 (ESP32 or XTS-AES-128) or 64 (XTS-AES-256) */
} mfab_flashenc_key;

/**
 * Normalize a key file's bytes as espsecure does: ESP32 takes 32 bytes, or
 * 24 (3/4 coding, extended to 32); XTS takes 32 (AES-128), 64 (AES-256),
 * or 16 (ESP32-C2: replaced by its SHA-256). XTS keys whose two halves are
 * identical are refused.
 * @return 0, MFAB_EINVAL (size not allowed for mode, identical halves)
 */
int mfab_flashenc_key_init(mfab_flashenc_key *out, mfab_flashenc_mode mode,
                           const uint8_t *file, size_t len, mfab_diag *diag);

/** Wipe a key. */
void mfab_flashenc_key_wipe(mfab_flashenc_key *key);

/**
 * Key generation for generate-flash-encryption-key: bits/8 random bytes.
 * @param bits 128, 192, 256 or 512
 * @return 0, MFAB_EINVAL (bits), MFAB_ECRYPTO (no randomness)
 */
int mfab_flashenc_key_generate(uint8_t *out, size_t cap, size_t *out_len,
                               unsigned bits, mfab_diag *diag);

/** Decrypt instead of encrypt. */
#define MFAB_FLASHENC_DECRYPT 0x1u

/**
 * Encrypt (or, with MFAB_FLASHENC_DECRYPT, decrypt) len bytes that sit in
 * flash at address. Output has the input's length; out may equal in.
 * @param conf FLASH_CRYPT_CONFIG (0..15), used by MFAB_FLASHENC_ESP32 only
 * @return 0, MFAB_EINVAL (address or length not a multiple of 16, empty
 *         input, conf > 15), MFAB_ERANGE (range past 4 GiB),
 *         MFAB_ECRYPTO
 */
int mfab_flashenc_crypt(uint8_t *out, const uint8_t *in, size_t len,
                        uint32_t address, const mfab_flashenc_key *key,
                        unsigned conf, unsigned flags, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
