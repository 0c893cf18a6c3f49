/*
 * fe_test.h: helpers shared by the flash encryption tests.
 */
#ifndef MFAB_FE_TEST_H
#define MFAB_FE_TEST_H

#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/error.h"
#include "matterfab/flashenc.h"
#include "matterfab/hex.h"
#include "mfab_test.h"

#define FE "production/flashenc/"

static inline uint8_t *
fe_vread(const char *rel, size_t *len)
{
    char path[1024];

    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

/* Load a key file and normalize it; fails the test when it cannot. */
static inline void
fe_vkey(mfab_flashenc_key *key, const char *rel, mfab_flashenc_mode mode)
{
    size_t n = 0;
    uint8_t *raw = fe_vread(rel, &n);
    mfab_diag d = MFAB_DIAG_INIT;

    if (mfab_flashenc_key_init(key, mode, raw, n, &d) != 0)
        fail_msg("%s: %s", rel, mfab_diag_message(&d));
    free(raw);
}

/* Run mfab_flashenc_crypt into a new buffer; fails the test on error. */
static inline uint8_t *
fe_crypt(const uint8_t *in, size_t len, uint32_t addr,
         const mfab_flashenc_key *key, unsigned conf, unsigned flags)
{
    uint8_t *out = malloc(len);
    mfab_diag d = MFAB_DIAG_INIT;

    assert_non_null(out);
    if (mfab_flashenc_crypt(out, in, len, addr, key, conf, flags, &d) != 0)
        fail_msg("crypt: %s", mfab_diag_message(&d));
    return out;
}

#endif
