/*
 * matterfab/ecdsa.h: deterministic ECDSA signatures (RFC 6979).
 *
 * espsecure signs Secure Boot V1 images with RFC 6979 nonces, so its
 * outputs are reproducible byte for byte; OpenSSL offers such nonces only
 * from 3.2 on. This signer derives the nonce with HMAC-DRBG as RFC 6979
 * section 3.2 prescribes and does the curve arithmetic with OpenSSL's
 * EC and BN primitives. It also serves matterfab's deterministic test mode.
 */
#ifndef MATTERFAB_ECDSA_H
#define MATTERFAB_ECDSA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Sign msg (hashed here with digest, e.g. "SHA256") with the EC private
 * key, the nonce derived per RFC 6979 with the same digest.
 * @param sig  receives the DER ECDSA-Sig-Value; NULL to measure
 * @param[out] sig_len bytes written (or the most needed, when measuring)
 * @return 0; MFAB_EINVAL (not an EC private key, or its scalar is not
 *         readable, as with keys held in an HSM); MFAB_EBUFS; MFAB_ECRYPTO
 */
int mfab_ecdsa_sign_rfc6979(uint8_t *sig, size_t cap, size_t *sig_len,
                            EVP_PKEY *key, const char *digest,
                            const uint8_t *msg, size_t len, mfab_diag *diag);

/**
 * 1 when key is an EC private key whose scalar can be read and is its own
 * (x . G is its public point), i.e. when mfab_ecdsa_sign_rfc6979() can
 * use it; 0 for public keys and keys held in an HSM.
 */
int mfab_ecdsa_has_private_scalar(EVP_PKEY *key);

#ifdef __cplusplus
}
#endif

#endif
