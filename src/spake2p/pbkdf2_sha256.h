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

/* Most output blocks a wide backend iterates in one call. */
#define MFAB_PBKDF2_WIDE_LANES 16

/* One PBKDF2 output block in flight, with its own HMAC key. */
typedef struct mfab_pbkdf2_lane {
    uint32_t istate[8]; /* the key's inner and outer states */
    uint32_t ostate[8];
    uint32_t u[8]; /* the running U_i and T = U_1 ^ ... ^ U_i */
    uint32_t t[8];
} mfab_pbkdf2_lane;

/*
 * Many derivations side by side: rounds times u = HMAC(u), t ^= u in each
 * of nlanes (1..MFAB_PBKDF2_WIDE_LANES) lanes. A call costs the same for
 * 1 or 16 lanes.
 */
typedef struct mfab_pbkdf2_wide {
    const char *name;
    void (*iterate)(mfab_pbkdf2_lane *lanes, size_t nlanes, uint32_t rounds);
} mfab_pbkdf2_wide;

/* AVX-512, or NULL when this CPU, its OS or this build lacks it. */
const mfab_pbkdf2_wide *mfab_spake2p__pbkdf2_avx512(void);

/* One derivation of mfab_spake2p__pbkdf2_many(). */
typedef struct mfab_pbkdf2_job {
    uint8_t *out;
    size_t out_len;
    const uint8_t *pw;
    size_t pw_len;
    const uint8_t *salt;
    size_t salt_len;
    uint32_t iterations;
} mfab_pbkdf2_job;

/*
 * n derivations, the same bytes as n calls of mfab_spake2p__pbkdf2():
 * output blocks of jobs with the same iteration count run together on the
 * wide backend where enough of them fill it, the rest on backend.
 * wide NULL = this CPU's (if any), backend NULL = best; pass
 * MFAB_PBKDF2_NO_WIDE to use backend alone.
 * @return 0, MFAB_EINVAL (as mfab_spake2p__pbkdf2, naming the job)
 */
int mfab_spake2p__pbkdf2_many(const mfab_pbkdf2_job *jobs, size_t n,
                              const mfab_pbkdf2_wide *wide,
                              const mfab_sha256_backend *backend,
                              mfab_diag *diag);

/* The wide argument that means "none". */
extern const mfab_pbkdf2_wide mfab_spake2p__pbkdf2_no_wide;
#define MFAB_PBKDF2_NO_WIDE (&mfab_spake2p__pbkdf2_no_wide)

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
