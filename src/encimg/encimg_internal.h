/*
 * encimg_internal.h: the key object and the constants encimg_key.c and
 * encimg_crypt.c share.
 */
#ifndef MFAB_ENCIMG_INTERNAL_H
#define MFAB_ENCIMG_INTERNAL_H

#include <openssl/evp.h>

#include "common/common_internal.h"
#include "matterfab/encimg.h"

#define MFAB_ENCIMG__AES_KEY_LEN 32
#define MFAB_ENCIMG__RSA_BITS 3072
/* ECIES key parameters: X || Y of the ephemeral key, then the HKDF salt. */
#define MFAB_ENCIMG__EC_POINT_LEN 64
#define MFAB_ENCIMG__SALT_LEN 32
#define MFAB_ENCIMG__EC_GROUP "prime256v1"

struct mfab_encimg_key {
    EVP_PKEY *pkey;
    mfab_encimg_scheme scheme;
    int has_private;
};

/* Key object around pkey (taken over, freed on failure too). */
int mfab_encimg__key_wrap(mfab_encimg_key **out, EVP_PKEY *pkey,
                          int has_private, const char *name,
                          mfab_diag *diag);

/* P-256 public key from BE(X) || BE(Y). */
int mfab_encimg__ec_public(EVP_PKEY **out, const uint8_t xy[64],
                           mfab_diag *diag);

#endif
