/*
 * spake2p_params.c: random per-device commissioning parameters
 * (shared/spec/matter-commissioning.md sections 2.1, 2.2, 2.3 and 4):
 * passcode, discriminator, SPAKE2+ salt and rotating-device-ID unique ID,
 * all from OpenSSL's CSPRNG.
 *
 * Passcodes: the reference draws with Python's Mersenne Twister and maps
 * an invalid value to its predecessor (making 11111110 twice as likely);
 * CHIP takes u32 % 99999998, which favours small values. Here a 27-bit
 * draw is rejected unless it lies in 1..99999998 and passes
 * mfab_passcode_check, so every valid passcode is equally likely. A draw
 * is accepted with probability ~0.745, so the loop ends quickly; it stops
 * with an error after 64 rejections in a row (probability < 2^-126),
 * which only a broken RNG reaches.
 */
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "common/common_internal.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"

#define PASSCODE_BITS 27
#define PASSCODE_MAX 99999998u
#define MAX_REJECTS 64

static int
random_bytes(uint8_t *out, size_t len, mfab_diag *diag)
{
    if (RAND_bytes(out, (int)len) != 1)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "random: RAND_bytes failed");
    return 0;
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_gen_passcode(uint32_t *out, mfab_diag *diag)
{
    uint8_t r[4];
    int i, rc;

    for (i = 0; i < MAX_REJECTS; i++) {
        uint32_t v;

        rc = random_bytes(r, sizeof(r), diag);
        if (rc < 0)
            goto out;
        v = mfab_le32(r) & ((1u << PASSCODE_BITS) - 1);
        if (v >= 1 && v <= PASSCODE_MAX && mfab_passcode_check(v, NULL) == 0) {
            *out = v;
            rc = 0;
            goto out;
        }
    }
    rc = mfab_diag_set(diag, MFAB_ECRYPTO,
                       "random: no valid passcode in %d draws (RNG broken?)",
                       MAX_REJECTS);
out:
    OPENSSL_cleanse(r, sizeof(r));
    return rc;
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_gen_discriminator(uint16_t *out, mfab_diag *diag)
{
    uint8_t r[2];
    int rc = random_bytes(r, sizeof(r), diag);

    if (rc < 0)
        return rc;
    /* 4096 divides 65536: masking keeps the draw uniform */
    *out = (uint16_t)(mfab_le16(r) & MFAB_DISCRIMINATOR_MAX);
    return 0;
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_gen_salt(uint8_t *out, size_t salt_len, mfab_diag *diag)
{
    int rc = mfab_spake2p_check_salt_len(salt_len, diag);

    if (rc < 0)
        return rc;
    return random_bytes(out, salt_len, diag);
}

/* see matterfab/spake2p.h */
int
mfab_spake2p_gen_rd_id_uid(uint8_t *out, size_t len, mfab_diag *diag)
{
    /* RAND_bytes takes an int; nobody needs a 64 KiB unique ID */
    if (len < MFAB_RD_ID_UID_MIN || len > 65536)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "rd-id-uid: length %zu out of range (allowed "
                             "%d..65536 bytes)",
                             len, MFAB_RD_ID_UID_MIN);
    return random_bytes(out, len, diag);
}
