/*
 * matterfab/encimg.h: pre-encrypted OTA payloads (ESP-IDF component
 * esp_encrypted_img), as written and read by esp_enc_img_gen.py.
 *
 * Spec: shared/spec/production-images.md section 6. The firmware image is
 * encrypted with AES-256-GCM under a random key; that key reaches the
 * device wrapped either with its RSA-3072 public key (PKCS#1 v1.5) or by
 * ECIES on P-256 (ECDH with an ephemeral key, HKDF-SHA256). The device's
 * P-256 key is derived from a 32-byte HMAC key burned into its eFuses.
 *
 *   0    cf b6 88 07            magic 0x0788B6CF (LE)
 *   4    384 bytes              key parameters (per scheme)
 *   388  16 bytes               AES-GCM IV
 *   404  u32 LE                 bin_size (plaintext length)
 *   408  16 bytes               AES-GCM tag
 *   424  88 bytes               reserved, zero
 *   512  bin_size bytes         ciphertext
 *
 * Keys are opaque (they wrap OpenSSL objects); outputs are random, so two
 * encryptions of the same image differ. Thread-safe: no shared state.
 */
#ifndef MATTERFAB_ENCIMG_H
#define MATTERFAB_ENCIMG_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MFAB_ENCIMG_MAGIC 0x0788B6CFu
#define MFAB_ENCIMG_HEADER_LEN 512
#define MFAB_ENCIMG_KEY_PARAMS_LEN 384
#define MFAB_ENCIMG_IV_LEN 16
#define MFAB_ENCIMG_TAG_LEN 16
#define MFAB_ENCIMG_RESERVED_LEN 88
/** Length of the eFuse HMAC key the ECIES device key is derived from. */
#define MFAB_ENCIMG_HMAC_KEY_LEN 32

typedef enum mfab_encimg_scheme {
    MFAB_ENCIMG_RSA3072 = 1,   /**< RSA-3072, PKCS#1 v1.5 key wrap */
    MFAB_ENCIMG_ECIES_P256 = 2 /**< ECDH P-256 + HKDF-SHA256 */
} mfab_encimg_scheme;

/** A parsed header; pointers borrow from the parsed buffer. */
typedef struct mfab_encimg_header {
    uint32_t magic;
    const uint8_t *key_params; /**< 384 bytes */
    const uint8_t *iv;         /**< 16 bytes */
    uint32_t bin_size;
    const uint8_t *tag;      /**< 16 bytes */
    const uint8_t *reserved; /**< 88 bytes */
    const uint8_t *ciphertext;
    size_t ciphertext_len;
} mfab_encimg_header;

/**
 * Parse the header of an encrypted image.
 * @return 0; MFAB_EFORMAT when shorter than 512 bytes, the magic is wrong,
 *         or bin_size disagrees with the bytes after the header
 */
int mfab_encimg_parse(mfab_encimg_header *out, const uint8_t *buf,
                      size_t len, mfab_diag *diag);

/** A device key: RSA-3072 or EC P-256, public or private. */
typedef struct mfab_encimg_key mfab_encimg_key;

/**
 * Load a key from PEM (public or private; RSA-3072 or EC P-256), or from
 * the 32 raw bytes of a device HMAC key (device_hmac_key.bin), from which
 * the ECIES private key is derived.
 * @param[out] out  caller frees with mfab_encimg_key_free()
 * @param name  names the key in messages (a file name)
 * @return 0; MFAB_EFORMAT (not a key); MFAB_EUNSUPPORTED (another type,
 *         RSA size or curve); MFAB_ENOMEM
 */
int mfab_encimg_key_load(mfab_encimg_key **out, const uint8_t *data,
                         size_t len, const char *name, mfab_diag *diag);

/**
 * The ECIES device key of an eFuse HMAC key: d = PBKDF2-HMAC-SHA256(
 * hmac_key, fixed salt, 2048, 32) as a big-endian integer.
 * @return 0; MFAB_ERANGE when d is 0 or >= the curve order; MFAB_ECRYPTO
 */
int mfab_encimg_key_from_hmac(mfab_encimg_key **out,
                              const uint8_t hmac_key[MFAB_ENCIMG_HMAC_KEY_LEN],
                              mfab_diag *diag);

/** New random RSA-3072 key pair (esp_enc_img_gen.py --generate_rsa_key). */
int mfab_encimg_key_generate_rsa(mfab_encimg_key **out, mfab_diag *diag);

/**
 * New random eFuse HMAC key whose derived P-256 key is valid
 * (--generate_ecc_key). The caller wipes hmac_key after use.
 * @return 0; MFAB_ECRYPTO
 */
int mfab_encimg_generate_hmac_key(uint8_t hmac_key[MFAB_ENCIMG_HMAC_KEY_LEN],
                                  mfab_diag *diag);

mfab_encimg_scheme mfab_encimg_key_scheme(const mfab_encimg_key *key);

/** 1 when the key holds its private half. */
int mfab_encimg_key_has_private(const mfab_encimg_key *key);

/**
 * The key as PEM text: SubjectPublicKeyInfo, or PKCS#8 for private.
 * @param[out] out  NUL-terminated; caller frees with mfab_encimg_pem_free()
 * @return 0; MFAB_EINVAL (private asked of a public key); MFAB_ECRYPTO
 */
int mfab_encimg_key_pem(char **out, size_t *out_len,
                        const mfab_encimg_key *key, int private_half,
                        mfab_diag *diag);

/** Wipe and free PEM text from mfab_encimg_key_pem(). NULL is a no-op. */
void mfab_encimg_pem_free(char *pem, size_t len);

/** Free a key (wiping its private half). NULL is a no-op. */
void mfab_encimg_key_free(mfab_encimg_key *key);

/**
 * Encrypt plaintext for the key's device: 512-byte header + ciphertext.
 * @param buf  NULL measures (returns 0, *out_len = 512 + len)
 * @return 0; MFAB_EBUFS; MFAB_ERANGE (plaintext over 4 GiB - 1);
 *         MFAB_ECRYPTO
 */
int mfab_encimg_encrypt(uint8_t *buf, size_t cap, size_t *out_len,
                        const mfab_encimg_key *key, const uint8_t *plain,
                        size_t len, mfab_diag *diag);

/**
 * Decrypt and authenticate an encrypted image with the device's private
 * key. Nothing is left in buf when the tag does not verify.
 * @param buf  NULL measures (returns 0, *out_len = bin_size)
 * @return 0; MFAB_EBUFS; MFAB_EFORMAT (header, see mfab_encimg_parse);
 *         MFAB_EINVAL (a public key); MFAB_ECRYPTO (wrong key or damaged
 *         image: the key cannot be unwrapped or the tag does not verify)
 */
int mfab_encimg_decrypt(uint8_t *buf, size_t cap, size_t *out_len,
                        const mfab_encimg_key *key, const uint8_t *image,
                        size_t len, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
