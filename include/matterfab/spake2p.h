/*
 * matterfab/spake2p.h: SPAKE2+ verifiers and the random commissioning
 * parameters a factory gives each device (passcode, discriminator, salt,
 * rotating-device-ID unique ID), per shared/spec/matter-commissioning.md
 * sections 2 to 4.
 *
 * Every function is thread-safe and allocation-free towards the caller:
 * results land in caller buffers ((buf, cap, out_len): buf NULL measures,
 * too small a cap gives MFAB_EBUFS with *out_len set). Randomness comes
 * from OpenSSL's RAND_bytes only. Salts, passcodes and verifiers are
 * secrets: callers should wipe them (OPENSSL_cleanse) when done.
 */
#ifndef MATTERFAB_SPAKE2P_H
#define MATTERFAB_SPAKE2P_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Serialized verifier: w0 (32 bytes, big-endian) || L (65 bytes). */
#define MFAB_SPAKE2P_VERIFIER_LEN 97
#define MFAB_SPAKE2P_W0_LEN 32
/** L = w1*G as an uncompressed P-256 point (04 || X || Y). */
#define MFAB_SPAKE2P_L_LEN 65

/** Salt length limits (CHIP) and the reference's random salt length. */
#define MFAB_SPAKE2P_SALT_MIN 16
#define MFAB_SPAKE2P_SALT_MAX 32
#define MFAB_SPAKE2P_SALT_DEFAULT 32

/** PBKDF2 iteration limits and esp-matter-mfg-tool's default. */
#define MFAB_SPAKE2P_ITER_MIN 1000
#define MFAB_SPAKE2P_ITER_MAX 100000
#define MFAB_SPAKE2P_ITER_DEFAULT 10000

/** Rotating device ID unique ID: minimum and generated length. */
#define MFAB_RD_ID_UID_MIN 16
/** Rotating device identifier: counter (2, LE) || 16 hash bytes. */
#define MFAB_ROTATING_DEVICE_ID_LEN 18

/**
 * Check a salt length against 16..32 bytes.
 * @return 0, MFAB_ERANGE
 */
int mfab_spake2p_check_salt_len(size_t salt_len, mfab_diag *diag);

/**
 * Check a PBKDF2 iteration count against 1000..100000.
 * @return 0, MFAB_ERANGE
 */
int mfab_spake2p_check_iterations(uint32_t iterations, mfab_diag *diag);

/**
 * Compute the SPAKE2+ verifier (spec section 3): PBKDF2-HMAC-SHA256 of the
 * passcode as 4 little-endian bytes over salt, 80 bytes, split into w0s
 * and w1s, each reduced mod the P-256 order; verifier = w0 || w1*G.
 * @param[out] buf  receives MFAB_SPAKE2P_VERIFIER_LEN bytes; NULL measures
 * @param salt  borrowed, 16..32 bytes
 * @return 0, MFAB_EBUFS, MFAB_ERANGE (passcode outside 1..99999998, salt
 *         length, iterations), MFAB_EINVAL (a forbidden passcode; both as
 *         mfab_passcode_check() in matterfab/onboarding.h), MFAB_ECRYPTO
 *         (OpenSSL failure)
 */
int mfab_spake2p_verifier(uint8_t *buf, size_t cap, size_t *out_len,
                          uint32_t passcode, const uint8_t *salt,
                          size_t salt_len, uint32_t iterations,
                          mfab_diag *diag);

/** One verifier of mfab_spake2p_verifier_many(). */
typedef struct mfab_spake2p_verifier_job {
    uint32_t passcode;
    const uint8_t *salt; /**< borrowed, 16..32 bytes */
    size_t salt_len;
    uint32_t iterations;
    uint8_t verifier[MFAB_SPAKE2P_VERIFIER_LEN]; /**< the result */
} mfab_spake2p_verifier_job;

/**
 * Compute n verifiers, the same bytes as n calls of
 * mfab_spake2p_verifier(), faster: on a CPU with AVX-512 their PBKDF2
 * runs side by side (about twice the SHA-NI rate from five verifiers with
 * the same iteration count on). Every job is checked before any is
 * computed.
 * @return 0, or the errors of mfab_spake2p_verifier() (then no verifier
 *         is left in jobs)
 */
int mfab_spake2p_verifier_many(mfab_spake2p_verifier_job *jobs, size_t n,
                               mfab_diag *diag);

/**
 * How many verifiers (with the same iteration count) one
 * mfab_spake2p_verifier_many() call needs to use this CPU's fastest path
 * fully: 5 with AVX-512 (15 of its 16 lanes), else 1.
 */
size_t mfab_spake2p_verifier_batch(void);

/**
 * Check that a verifier given with a passcode and salt (e.g. the
 * reference's --verifier) is the one they produce; constant-time compare.
 * @param verifier  borrowed, must be MFAB_SPAKE2P_VERIFIER_LEN bytes
 * @return 0, MFAB_EFORMAT (wrong length), MFAB_ECRYPTO (does not match, or
 *         OpenSSL failure), and the errors of mfab_spake2p_verifier()
 */
int mfab_spake2p_verifier_check(const uint8_t *verifier, size_t verifier_len,
                                uint32_t passcode, const uint8_t *salt,
                                size_t salt_len, uint32_t iterations,
                                mfab_diag *diag);

/**
 * Draw a passcode uniformly from 1..99999998 minus the invalid list
 * (rejection sampling over RAND_bytes: no modulo bias).
 * @return 0, MFAB_ECRYPTO (RAND_bytes failed)
 */
int mfab_spake2p_gen_passcode(uint32_t *out, mfab_diag *diag);

/**
 * Draw a 12-bit discriminator (0..MFAB_DISCRIMINATOR_MAX of
 * matterfab/onboarding.h) uniformly.
 * @return 0, MFAB_ECRYPTO
 */
int mfab_spake2p_gen_discriminator(uint16_t *out, mfab_diag *diag);

/**
 * Fill salt_len random bytes (16..32; the reference uses 32).
 * @return 0, MFAB_ERANGE, MFAB_ECRYPTO
 */
int mfab_spake2p_gen_salt(uint8_t *out, size_t salt_len, mfab_diag *diag);

/**
 * Fill len random bytes of rotating-device-ID unique ID (len >= 16; the
 * reference uses 16).
 * @return 0, MFAB_ERANGE, MFAB_ECRYPTO
 */
int mfab_spake2p_gen_rd_id_uid(uint8_t *out, size_t len, mfab_diag *diag);

/**
 * Rotating device identifier (spec section 4, CHIP
 * AdditionalDataPayloadGenerator): counter as 2 little-endian bytes ||
 * the last 16 bytes of SHA-256(uid || counter LE).
 * @param[out] buf  receives MFAB_ROTATING_DEVICE_ID_LEN bytes; NULL
 *                  measures
 * @param uid  borrowed, at least MFAB_RD_ID_UID_MIN bytes
 * @return 0, MFAB_EBUFS, MFAB_ERANGE (uid too short), MFAB_ECRYPTO
 */
int mfab_spake2p_rotating_device_id(uint8_t *buf, size_t cap,
                                    size_t *out_len, const uint8_t *uid,
                                    size_t uid_len, uint16_t counter,
                                    mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
