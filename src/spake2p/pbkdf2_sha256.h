/*
 * pbkdf2_sha256.h: PBKDF2-HMAC-SHA256 on raw SHA-256 compressions
 * (RFC 8018 section 5.2 with RFC 2104 HMAC, FIPS 180-4 SHA-256), the
 * key derivation behind the SPAKE2+ verifier of
 * shared/spec/matter-commissioning.md section 3.
 *
 * Internal to libmatterfab; tests and the benchmark reach it through
 * src/. Two backends compute the same bytes: SHA-NI (x86 SHA extensions)
 * and portable C. Design: docs/internals/spake2p.md.
 */
#ifndef MFAB_SPAKE2P_PBKDF2_SHA256_H
#define MFAB_SPAKE2P_PBKDF2_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

/* Output blocks a backend iterates side by side; the verifier needs 3. */
#define MFAB_PBKDF2_LANES 4

/*
 * One SHA-256 implementation. Hash state and the 32-byte chaining values
 * travel as host-order words (h[0] = A ... h[7] = H) so that the iteration
 * loop never converts to bytes.
 */
typedef struct mfab_sha256_backend {
    const char *name;
    /* state = compress(state, block) for nblocks consecutive 64-byte
     * blocks. */
    void (*compress)(uint32_t state[8], const uint8_t *blocks,
                     size_t nblocks);
    /*
     * The PBKDF2 inner loop for nlanes (1..MFAB_PBKDF2_LANES) output
     * blocks: rounds times u = HMAC(u), t ^= u, where one HMAC of a 32-byte
     * message is two compressions of a fixed-padding block from the
     * precomputed inner and outer states.
     */
    void (*iterate)(uint32_t u[][8], uint32_t t[][8], size_t nlanes,
                    const uint32_t istate[8], const uint32_t ostate[8],
                    uint32_t rounds);
} mfab_sha256_backend;

/* Portable C; always available. */
const mfab_sha256_backend *mfab_spake2p__sha256_portable(void);

/* SHA-NI, or NULL when this CPU (or this build's target) lacks it. */
const mfab_sha256_backend *mfab_spake2p__sha256_shani(void);

/* The fastest backend this CPU runs. */
const mfab_sha256_backend *mfab_spake2p__sha256_best(void);

/*
 * PBKDF2-HMAC-SHA256 with the given backend (NULL = best).
 * Any password and salt length, any out_len >= 1, iterations >= 1.
 * @return 0, MFAB_EINVAL (iterations 0, out_len 0, out NULL)
 */
int mfab_spake2p__pbkdf2(uint8_t *out, size_t out_len, const uint8_t *pw,
                         size_t pw_len, const uint8_t *salt, size_t salt_len,
                         uint32_t iterations,
                         const mfab_sha256_backend *backend, mfab_diag *diag);

/* SHA-256 round constants and initial value (FIPS 180-4 4.2.2, 5.3.3). */
extern const uint32_t mfab_spake2p__sha256_k[64];
extern const uint32_t mfab_spake2p__sha256_iv[8];

#endif
