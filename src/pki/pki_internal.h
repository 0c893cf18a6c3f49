/*
 * pki_internal.h: helpers shared by the files of src/pki (not installed).
 */
#ifndef MFAB_PKI_INTERNAL_H
#define MFAB_PKI_INTERNAL_H

#include <openssl/evp.h>

#include "common/common_internal.h"
#include "matterfab/pki.h"

/*
 * Load a private key from a PKCS#11 token through libp11's OpenSSL engine
 * (pki_pkcs11.c). The returned key keeps the engine alive until it is freed.
 */
int mfab_pki__pkcs11_load(EVP_PKEY **out, const char *uri,
                          const mfab_pki_key_options *opts, mfab_diag *diag);

/* 1 when key was loaded from a PKCS#11 token (its private half stays
 * there). */
int mfab_pki__is_token_key(const EVP_PKEY *key);

/*
 * Check that key is an EC key on P-256.
 * @return 0, MFAB_EUNSUPPORTED (message names what, e.g. the file)
 */
int mfab_pki__check_p256(const EVP_PKEY *key, const char *what,
                         mfab_diag *diag);

/* Copy len bytes into a caller buffer with the measure/EBUFS contract. */
int mfab_pki__emit(uint8_t *buf, size_t cap, size_t *out_len,
                   const uint8_t *data, size_t len, mfab_diag *diag);

#endif
