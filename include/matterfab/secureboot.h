/*
 * matterfab/secureboot.h: ESP32 Secure Boot signing and verification
 * (shared/spec/production-images.md section 4).
 *
 * Secure Boot V2 appends a 4 KiB signature sector holding up to three
 * 1216-byte signature blocks (RSA-3072-PSS or ECDSA P-192/P-256/P-384) to
 * an image padded to 4 KiB. Secure Boot V1 (original ESP32) appends a
 * 68-byte ECDSA P-256 trailer to apps and protects the bootloader with an
 * AES/SHA-512 digest.
 *
 * Keys are OpenSSL EVP_PKEYs: load them with mfab_sb_key_load() (PEM/DER
 * file, or a PKCS#11 URI through the PKI loader). Image codecs take caller
 * buffers: buf == NULL measures, a too small cap gives MFAB_EBUFS with the
 * needed size in *out_len.
 */
#ifndef MATTERFAB_SECUREBOOT_H
#define MATTERFAB_SECUREBOOT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Flash sector: contents and the signature sector are multiples of it. */
#define MFAB_SB_SECTOR 4096
/** One signature block. */
#define MFAB_SBV2_BLOCK_LEN 1216
/** Signature blocks a sector may hold. */
#define MFAB_SBV2_MAX_BLOCKS 3
/** Secure Boot V1 trailer: u32 version 0 + r + s (big-endian). */
#define MFAB_SBV1_TRAILER_LEN 68
/** Secure Boot V1 bootloader digest: the IV a device uses. */
#define MFAB_SBV1_IV_LEN 128

/** Signature schemes (what a key or a block is). */
typedef enum mfab_sb_scheme {
    MFAB_SB_NONE = 0,
    MFAB_SB_RSA3072 = 1,
    MFAB_SB_ECDSA192 = 2,
    MFAB_SB_ECDSA256 = 3,
    MFAB_SB_ECDSA384 = 4
} mfab_sb_scheme;

/** @return "rsa3072", "ecdsa192", ... or "none". */
const char *mfab_sb_scheme_name(mfab_sb_scheme scheme);

/**
 * Parse a scheme name as espsecure's --scheme spells it.
 * @return 0, MFAB_EINVAL (unknown name)
 */
int mfab_sb_scheme_parse(mfab_sb_scheme *out, const char *name,
                         mfab_diag *diag);

/* ---- keys (sb_keys.c) ---------------------------------------------- */

/**
 * Load a private or public key: PEM (PKCS#1, SEC1, PKCS#8,
 * SubjectPublicKeyInfo) or DER file, or a "pkcs11:" URI.
 * @param[out] out caller frees with EVP_PKEY_free()
 * @return 0, MFAB_ENOTFOUND, MFAB_EIO, MFAB_EFORMAT; for "pkcs11:" URIs
 *         the codes of the PKI loader (matterfab/pki.h)
 */
int mfab_sb_key_load(EVP_PKEY **out, const char *path_or_uri,
                     mfab_diag *diag);

/**
 * Which Secure Boot V2 scheme a key belongs to; only RSA-3072 and the
 * curves P-192, P-256, P-384 are accepted.
 * @return 0, MFAB_EUNSUPPORTED (other type, size or curve)
 */
int mfab_sb_key_scheme(mfab_sb_scheme *out, EVP_PKEY *key,
                       mfab_diag *diag);

/**
 * Generate a signing key (e = 65537 for RSA).
 * @return 0, MFAB_EINVAL (scheme), MFAB_ECRYPTO
 */
int mfab_sb_key_generate(EVP_PKEY **out, mfab_sb_scheme scheme,
                         mfab_diag *diag);

/**
 * PEM text of a key: the private key in traditional form (PKCS#1 / SEC1,
 * unencrypted, as espsecure writes it) when is_private is 1, else the
 * SubjectPublicKeyInfo.
 * @param[out] out caller frees with mfab_sb_pem_free()
 * @return 0, MFAB_EINVAL (no private part), MFAB_ECRYPTO, MFAB_ENOMEM
 */
int mfab_sb_key_pem(char **out, size_t *out_len, EVP_PKEY *key, int is_private,
                    mfab_diag *diag);

/** Wipe and free a buffer from mfab_sb_key_pem(). NULL is a no-op. */
void mfab_sb_pem_free(char *pem, size_t len);

/* ---- Secure Boot V2 (sb_block.c, sb_sign.c, sb_verify.c) --------------- */

/**
 * SHA-256 over the key area of a signature block (what the eFuse holds).
 * @return 0, MFAB_EUNSUPPORTED (key), MFAB_ECRYPTO
 */
int mfab_sbv2_pubkey_digest(uint8_t out[32], EVP_PKEY *key,
                            mfab_diag *diag);

/** One signer of mfab_sbv2_sign(). */
typedef struct mfab_sbv2_signer {
    /** private key, or the public key when sig is set */
    EVP_PKEY *key;
    /** pre-calculated signature over the contents (RSA: raw 384-byte
     *  big-endian PSS; ECDSA: DER), or NULL to sign with key */
    const uint8_t *sig;
    size_t sig_len;
} mfab_sbv2_signer;

/** Keep valid blocks already in the input and add after them. */
#define MFAB_SBV2_APPEND 0x1u
/** Do not pad the contents to 4 KiB (the caller knows better). */
#define MFAB_SBV2_SKIP_PADDING 0x2u

/**
 * Sign an image: output = contents (0xFF-padded to 4 KiB) || signature
 * sector. With MFAB_SBV2_APPEND and a 4 KiB-aligned input whose last
 * sector starts with valid blocks, those blocks are kept and the new ones
 * follow them.
 * @param buf  NULL to measure (no signing happens then); must not
 *             overlap data
 * @return 0, MFAB_EBUFS, MFAB_EINVAL (no signer, unaligned input with a
 *         pre-calculated signature), MFAB_ERANGE (more than 3 blocks),
 *         MFAB_EUNSUPPORTED (key), MFAB_ECRYPTO (signing failed or a
 *         pre-calculated signature does not verify), MFAB_ENOMEM
 */
int mfab_sbv2_sign(uint8_t *buf, size_t cap, size_t *out_len,
                   const uint8_t *data, size_t len,
                   const mfab_sbv2_signer *signers, size_t nsigners,
                   unsigned flags, mfab_diag *diag);

/** What one block slot of a signature sector holds. */
typedef struct mfab_sbv2_block_info {
    int valid;               /**< magic, version and CRC32 are right */
    mfab_sb_scheme scheme;   /**< MFAB_SB_NONE when invalid */
    uint8_t image_digest[48];
    size_t image_digest_len; /**< 32 (SHA-256) or 48 (SHA-384) */
    uint8_t key_digest[32];  /**< SHA-256 of the key area */
    uint32_t crc;            /**< stored CRC32 */
} mfab_sbv2_block_info;

/** The signature sector of an image. */
typedef struct mfab_sbv2_info {
    size_t contents_len; /**< bytes signed (everything before the sector) */
    size_t nblocks;      /**< leading valid blocks */
    mfab_sbv2_block_info blocks[MFAB_SBV2_MAX_BLOCKS]; /**< all 3 slots */
} mfab_sbv2_info;

/**
 * Parse the last 4 KiB of an image as a signature sector. Every slot is
 * described; nblocks counts the valid ones before the first invalid one.
 * @return 0, MFAB_EFORMAT (shorter than 4 KiB, or no valid first block)
 */
int mfab_sbv2_info_read(mfab_sbv2_info *out, const uint8_t *data, size_t len,
                        mfab_diag *diag);

/** Outcome of one slot in mfab_sbv2_verify(). */
typedef enum mfab_sbv2_slot_status {
    MFAB_SBV2_SLOT_INVALID = 0,   /**< not a valid block */
    MFAB_SBV2_SLOT_VERIFIED,      /**< signed by the supplied key */
    MFAB_SBV2_SLOT_OTHER_KEY,     /**< the block carries another key */
    MFAB_SBV2_SLOT_BAD_DIGEST,    /**< image digest differs: tampered */
    MFAB_SBV2_SLOT_BAD_SIGNATURE  /**< right key, signature does not verify */
} mfab_sbv2_slot_status;

typedef struct mfab_sbv2_verify_result {
    mfab_sbv2_info info;
    mfab_sbv2_slot_status slot[MFAB_SBV2_MAX_BLOCKS];
    int verified_block; /**< first verified slot, or -1 */
} mfab_sbv2_verify_result;

/**
 * Verify a signed image against a key: every valid block is tried, and a
 * block counts only when its embedded key equals key and both its digest
 * and signature check out.
 * @param key public or private key
 * @return 0 (some block verified), MFAB_EFORMAT (too short / unaligned
 *         without MFAB_SBV2_SKIP_PADDING, no valid block),
 *         MFAB_EUNSUPPORTED (key), MFAB_ECRYPTO (no block verifies)
 */
int mfab_sbv2_verify(mfab_sbv2_verify_result *out, const uint8_t *data,
                     size_t len, EVP_PKEY *key, unsigned flags,
                     mfab_diag *diag);

/* ---- Secure Boot V1 (sb_v1.c, sb_bootloader.c) -------------------------- */

/**
 * Raw V1 public key: BE(X, 32) || BE(Y, 32) of a P-256 key.
 * @return 0, MFAB_EUNSUPPORTED (not P-256)
 */
int mfab_sbv1_pubkey_raw(uint8_t out[64], EVP_PKEY *key,
                         mfab_diag *diag);

/**
 * Key from 64 raw bytes BE(X) || BE(Y) on P-256.
 * @return 0, MFAB_EFORMAT (not a point on the curve)
 */
int mfab_sbv1_pubkey_from_raw(EVP_PKEY **out, const uint8_t raw[64],
                              mfab_diag *diag);


/**
 * Sign an app: output = data || LE32(0) || BE(r,32) || BE(s,32), ECDSA
 * P-256 with SHA-256 over data.
 * @return 0, MFAB_EBUFS, MFAB_EUNSUPPORTED (not P-256), MFAB_ECRYPTO
 */
int mfab_sbv1_sign(uint8_t *buf, size_t cap, size_t *out_len,
                   const uint8_t *data, size_t len, EVP_PKEY *key,
                   mfab_diag *diag);

/**
 * Verify a V1-signed app (data includes the 68-byte trailer).
 * @return 0, MFAB_EFORMAT (too short, version word not 0),
 *         MFAB_EUNSUPPORTED (not P-256), MFAB_ECRYPTO (bad signature)
 */
int mfab_sbv1_verify(const uint8_t *data, size_t len, EVP_PKEY *key,
                     mfab_diag *diag);

/**
 * Re-flashable bootloader digest (espsecure digest-secure-bootloader):
 * output = iv || SHA-512 digest (64) || 0xFF to 0x1000 || padded image.
 * @param key 16 (hashed), 24 (3/4 coding) or 32 bytes
 * @param iv  up to 128 bytes as espsecure reads them (a device needs 128)
 * @return 0, MFAB_EBUFS, MFAB_EINVAL (key or IV length), MFAB_ECRYPTO
 */
int mfab_sbv1_bootloader_digest(uint8_t *buf, size_t cap, size_t *out_len,
                                const uint8_t *image, size_t len,
                                const uint8_t *key, size_t key_len,
                                const uint8_t *iv, size_t iv_len,
                                mfab_diag *diag);

/**
 * espsecure digest-private-key: SHA-256 of the 32-byte big-endian private
 * scalar of a P-256 key, truncated to out_len (24 or 32).
 * @return 0, MFAB_EINVAL (out_len), MFAB_EUNSUPPORTED (not P-256 private)
 */
int mfab_sbv1_private_key_digest(uint8_t *out, size_t out_len,
                                 EVP_PKEY *key, mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
