/*
 * sb_internal.h: Secure Boot internals shared by sb_*.c and the tests.
 */
#ifndef MFAB_SB_INTERNAL_H
#define MFAB_SB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "common/common_internal.h"
#include "matterfab/secureboot.h"

#define SB_MAGIC 0xE7u
#define SB_CRC_OFF 1196u /* CRC32 over [0, 1196), 16 zero bytes follow */
#define SB_RSA_LEN 384u  /* RSA-3072 modulus and signature */

/* Where a scheme's fields sit in a 1216-byte block (spec 4.2, 4.3). */
typedef struct sb_layout {
    uint8_t version;    /* byte 1: 2 RSA, 3 ECDSA */
    uint8_t hash_type;  /* byte 2: 0 SHA-256, 1 SHA-384 */
    size_t digest_len;  /* at offset 4 */
    size_t key_off;     /* key area: hashed for the eFuse digest */
    size_t key_len;
    size_t sig_off;     /* little-endian signature */
    size_t sig_len;
    size_t coord_len;   /* ECDSA: bytes of one coordinate; RSA: 0 */
    uint8_t curve_id;   /* ECDSA curve id (first byte of the key area) */
} sb_layout;

/* @return the layout of scheme, or NULL for MFAB_SB_NONE. */
const sb_layout *mfab_sb__layout(mfab_sb_scheme scheme);

/* The key area of a block for key (n||e||rinv||mdash, or id||X||Y). */
int mfab_sb__key_area(uint8_t *out, size_t *out_len, mfab_sb_scheme *scheme,
                      EVP_PKEY *key, mfab_diag *diag);

/* The public key carried in a valid block of the given scheme. */
int mfab_sb__key_from_block(EVP_PKEY **out, const uint8_t *block,
                            mfab_sb_scheme scheme, mfab_diag *diag);

/* Describe one 1216-byte block slot (validity, scheme, digests). */
void mfab_sb__block_parse(mfab_sbv2_block_info *out, const uint8_t *block);

/* Parse all 3 slots of the last sector; never fails once len >= 4096. */
void mfab_sb__sector_parse(mfab_sbv2_info *out, const uint8_t *data,
                           size_t len);

/* SHA-256 or SHA-384 (hash_type 1) of data. */
int mfab_sb__digest(uint8_t out[48], size_t *out_len, int hash_type,
                    const uint8_t *data, size_t len, mfab_diag *diag);

/*
 * Sign a digest: RSA-PSS (SHA-256, MGF1-SHA-256, salt 32) giving 384
 * big-endian bytes, or ECDSA giving DER. Caller frees *out with
 * OPENSSL_free().
 */
int mfab_sb__sign_digest(uint8_t **out, size_t *out_len, EVP_PKEY *key,
                         mfab_sb_scheme scheme, const uint8_t *digest,
                         size_t digest_len, mfab_diag *diag);

/* Verify a digest's signature in the form mfab_sb__sign_digest makes. */
int mfab_sb__verify_digest(EVP_PKEY *key, mfab_sb_scheme scheme,
                           const uint8_t *digest, size_t digest_len,
                           const uint8_t *sig, size_t sig_len,
                           mfab_diag *diag);

/* Signature (RSA big-endian / ECDSA DER) -> block field, and back. */
int mfab_sb__sig_to_block(uint8_t *field, const sb_layout *lay,
                          const uint8_t *sig, size_t sig_len,
                          mfab_diag *diag);
int mfab_sb__sig_from_block(uint8_t **out, size_t *out_len,
                            const sb_layout *lay, const uint8_t *field,
                            mfab_diag *diag);

/* ECDSA DER <-> fixed-width r||s, big- or little-endian coordinates. */
int mfab_sb__ecdsa_der_to_rs(uint8_t *out, size_t coord_len, int little,
                             const uint8_t *der, size_t der_len,
                             mfab_diag *diag);
int mfab_sb__ecdsa_rs_to_der(uint8_t **out, size_t *out_len,
                             const uint8_t *rs, size_t coord_len, int little,
                             mfab_diag *diag);

#endif
