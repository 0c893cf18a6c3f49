/*
 * fe_internal.h: flash encryption internals shared by fe_*.c and tests.
 */
#ifndef MFAB_FE_INTERNAL_H
#define MFAB_FE_INTERNAL_H

#include <stdint.h>

#include "common/common_internal.h"
#include "matterfab/flashenc.h"

/* Reverse n bytes from src into dst (dst may equal src). */
void mfab_fe__reverse(uint8_t *dst, const uint8_t *src, size_t n);

/* The ESP32 key for the 32-byte flash block holding address (spec 5.3). */
void mfab_fe__esp32_tweak_key(uint8_t out[32], const uint8_t key[32],
                              uint32_t address, unsigned conf);

/* XTS-AES over 128-byte data units (spec 5.2). */
int mfab_fe__xts_crypt(uint8_t *out, const uint8_t *in, size_t len,
                       uint32_t address, const mfab_flashenc_key *key,
                       int encrypt, mfab_diag *diag);

/* Original ESP32 AES-256 with address-tweaked keys (spec 5.3). */
int mfab_fe__esp32_crypt(uint8_t *out, const uint8_t *in, size_t len,
                         uint32_t address, const mfab_flashenc_key *key,
                         unsigned conf, int encrypt, mfab_diag *diag);

#endif
