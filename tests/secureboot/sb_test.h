/*
 * sb_test.h: helpers shared by the Secure Boot tests (vector keys and
 * files, signing into a fresh buffer).
 */
#ifndef MFAB_SB_TEST_H
#define MFAB_SB_TEST_H

#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/secureboot.h"
#include "mfab_test.h"

#define SBV2 "production/sbv2/"
#define UPSTREAM "production/upstream-esptool/secure_images-subset/"

/* Read a vector file (path below the vectors folder). */
static inline uint8_t *
sb_vread(const char *rel, size_t *len)
{
    char path[1024];

    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

/* Load a vector key; fails the test when it cannot. */
static inline EVP_PKEY *
sb_vkey(const char *rel)
{
    char path[1024];
    mfab_diag d = MFAB_DIAG_INIT;
    EVP_PKEY *key = NULL;

    mfab_test_vpath(path, sizeof(path), rel);
    if (mfab_sb_key_load(&key, path, &d) != 0)
        fail_msg("%s: %s", rel, mfab_diag_message(&d));
    return key;
}

/* Sign with one key (or pre-calculated signature) into a new buffer. */
static inline uint8_t *
sb_sign1(size_t *out_len, const uint8_t *data, size_t len, EVP_PKEY *key,
         const uint8_t *sig, size_t sig_len, unsigned flags)
{
    mfab_sbv2_signer s = { key, sig, sig_len };
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *buf;

    if (mfab_sbv2_sign(NULL, 0, out_len, data, len, &s, 1, flags, &d) != 0)
        fail_msg("measure: %s", mfab_diag_message(&d));
    buf = malloc(*out_len);
    assert_non_null(buf);
    if (mfab_sbv2_sign(buf, *out_len, out_len, data, len, &s, 1, flags,
                       &d) != 0)
        fail_msg("sign: %s", mfab_diag_message(&d));
    return buf;
}

/* Hex string (from expected.json) to bytes; returns the length. */
static inline size_t
sb_unhex(uint8_t *out, size_t cap, const char *hex)
{
    size_t n = 0;

    assert_int_equal(mfab_hex_decode(out, cap, &n, hex, strlen(hex), NULL),
                     0);
    return n;
}

#endif
