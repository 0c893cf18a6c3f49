/*
 * sha256_shani.c: the SHA-256 compression function (FIPS 180-4 section
 * 6.2.2) on the x86 SHA extensions, and the PBKDF2 inner loop on it. The
 * fast backend of pbkdf2_sha256.h; compiled with -msha -msse4.1 (see
 * sources.cmake) and only called after cpuid reports SHA, SSSE3 and
 * SSE4.1.
 *
 * SHA256RNDS2 keeps the state as two vectors, ABEF and CDGH, and does two
 * rounds per instruction; SHA256MSG1/MSG2 extend the message schedule
 * four words at a time.
 */
#include <stddef.h>
#include <stdint.h>

#include "spake2p/pbkdf2_sha256.h"

#if defined(__x86_64__) || defined(__i386__)

#include <cpuid.h>
#include <pthread.h>
#include <immintrin.h>

#define INLINE static inline __attribute__((always_inline))

/* Host-order words A..H <-> the ABEF / CDGH pair. */
INLINE void
words_to_state(__m128i *abef, __m128i *cdgh, const uint32_t h[8])
{
    __m128i dcba = _mm_loadu_si128((const __m128i *)(const void *)h);
    __m128i hgfe = _mm_loadu_si128((const __m128i *)(const void *)(h + 4));
    __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
    __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);

    *abef = _mm_alignr_epi8(cdab, efgh, 8);
    *cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
}

/* The inverse: lo = words A..D, hi = words E..H, as loaded from memory. */
INLINE void
state_to_words(__m128i *lo, __m128i *hi, __m128i abef, __m128i cdgh)
{
    __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
    __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);

    *lo = _mm_blend_epi16(feba, dchg, 0xF0);
    *hi = _mm_alignr_epi8(dchg, feba, 8);
}

/* Four rounds on message words w (W[4i..4i+3]). */
INLINE void
rounds4(__m128i *abef, __m128i *cdgh, __m128i w, int i)
{
    const __m128i *k = (const __m128i *)(const void *)mfab_spake2p__sha256_k;
    __m128i msg = _mm_add_epi32(w, _mm_loadu_si128(k + i));

    *cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, msg);
    msg = _mm_shuffle_epi32(msg, 0x0E);
    *abef = _mm_sha256rnds2_epu32(*abef, *cdgh, msg);
}

/* W[4i..4i+3] from the four previous groups. */
INLINE __m128i
schedule(__m128i w4, __m128i w3, __m128i w2, __m128i w1)
{
    __m128i x = _mm_add_epi32(_mm_sha256msg1_epu32(w4, w3),
                              _mm_alignr_epi8(w1, w2, 4));
    return _mm_sha256msg2_epu32(x, w1);
}

/* state += compress(state, m0..m3) with m in host-order words. */
INLINE void
block(__m128i *abef, __m128i *cdgh, __m128i m0, __m128i m1, __m128i m2,
      __m128i m3)
{
    __m128i a0 = *abef, c0 = *cdgh;
    int i;

    rounds4(abef, cdgh, m0, 0);
    rounds4(abef, cdgh, m1, 1);
    rounds4(abef, cdgh, m2, 2);
    rounds4(abef, cdgh, m3, 3);
    for (i = 4; i < 16; i += 4) {
        m0 = schedule(m0, m1, m2, m3);
        rounds4(abef, cdgh, m0, i);
        m1 = schedule(m1, m2, m3, m0);
        rounds4(abef, cdgh, m1, i + 1);
        m2 = schedule(m2, m3, m0, m1);
        rounds4(abef, cdgh, m2, i + 2);
        m3 = schedule(m3, m0, m1, m2);
        rounds4(abef, cdgh, m3, i + 3);
    }
    *abef = _mm_add_epi32(*abef, a0);
    *cdgh = _mm_add_epi32(*cdgh, c0);
}

static void
shani_compress(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
    const __m128i bswap = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11, 4, 5,
                                       6, 7, 0, 1, 2, 3);
    __m128i abef, cdgh, lo, hi;
    size_t i;

    words_to_state(&abef, &cdgh, state);
    for (i = 0; i < nblocks; i++) {
        const __m128i *p = (const __m128i *)(const void *)(blocks + 64 * i);
        block(&abef, &cdgh, _mm_shuffle_epi8(_mm_loadu_si128(p), bswap),
              _mm_shuffle_epi8(_mm_loadu_si128(p + 1), bswap),
              _mm_shuffle_epi8(_mm_loadu_si128(p + 2), bswap),
              _mm_shuffle_epi8(_mm_loadu_si128(p + 3), bswap));
    }
    state_to_words(&lo, &hi, abef, cdgh);
    _mm_storeu_si128((__m128i *)(void *)state, lo);
    _mm_storeu_si128((__m128i *)(void *)(state + 4), hi);
}

/*
 * u = HMAC(u) for one lane: u (as message words) and the fixed second
 * half of the padded block stay in registers,
 *   words 8..15 = 80000000 0 0 0 | 0 0 0 00000300   (768-bit length)
 * and the state is converted to words only between the two blocks.
 */
INLINE void
hmac_step(__m128i *ulo, __m128i *uhi, __m128i i_abef, __m128i i_cdgh,
          __m128i o_abef, __m128i o_cdgh, __m128i pad0, __m128i pad1)
{
    __m128i abef = i_abef, cdgh = i_cdgh;

    block(&abef, &cdgh, *ulo, *uhi, pad0, pad1);
    state_to_words(ulo, uhi, abef, cdgh);
    abef = o_abef;
    cdgh = o_cdgh;
    block(&abef, &cdgh, *ulo, *uhi, pad0, pad1);
    state_to_words(ulo, uhi, abef, cdgh);
}

/* Lanes are independent chains: running LANES of them in one loop lets
 * the core overlap their SHA256RNDS2 latencies. */
INLINE void
iterate_group(uint32_t u[][8], uint32_t t[][8], const size_t lanes,
              __m128i ia, __m128i ic, __m128i oa, __m128i oc,
              uint32_t rounds)
{
    const __m128i pad0 = _mm_set_epi32(0, 0, 0, (int)0x80000000u);
    const __m128i pad1 = _mm_set_epi32(768, 0, 0, 0);
    __m128i ul[MFAB_PBKDF2_LANES], uh[MFAB_PBKDF2_LANES];
    __m128i tl[MFAB_PBKDF2_LANES], th[MFAB_PBKDF2_LANES];
    uint32_t r;
    size_t l;

    for (l = 0; l < lanes; l++) {
        ul[l] = _mm_loadu_si128((const __m128i *)(void *)u[l]);
        uh[l] = _mm_loadu_si128((const __m128i *)(void *)(u[l] + 4));
        tl[l] = _mm_loadu_si128((const __m128i *)(void *)t[l]);
        th[l] = _mm_loadu_si128((const __m128i *)(void *)(t[l] + 4));
    }
    for (r = 0; r < rounds; r++) {
        for (l = 0; l < lanes; l++)
            hmac_step(&ul[l], &uh[l], ia, ic, oa, oc, pad0, pad1);
        for (l = 0; l < lanes; l++) {
            tl[l] = _mm_xor_si128(tl[l], ul[l]);
            th[l] = _mm_xor_si128(th[l], uh[l]);
        }
    }
    for (l = 0; l < lanes; l++) {
        _mm_storeu_si128((__m128i *)(void *)u[l], ul[l]);
        _mm_storeu_si128((__m128i *)(void *)(u[l] + 4), uh[l]);
        _mm_storeu_si128((__m128i *)(void *)t[l], tl[l]);
        _mm_storeu_si128((__m128i *)(void *)(t[l] + 4), th[l]);
    }
}

static void
shani_iterate(uint32_t u[][8], uint32_t t[][8], size_t nlanes,
              const uint32_t istate[8], const uint32_t ostate[8],
              uint32_t rounds)
{
    __m128i ia, ic, oa, oc;

    words_to_state(&ia, &ic, istate);
    words_to_state(&oa, &oc, ostate);
    /* constant lane counts so that the compiler unrolls each group */
    switch (nlanes) {
    case 1: iterate_group(u, t, 1, ia, ic, oa, oc, rounds); break;
    case 2: iterate_group(u, t, 2, ia, ic, oa, oc, rounds); break;
    case 3: iterate_group(u, t, 3, ia, ic, oa, oc, rounds); break;
    default: iterate_group(u, t, 4, ia, ic, oa, oc, rounds); break;
    }
}

static const mfab_sha256_backend shani_backend = {
    "sha-ni", shani_compress, shani_iterate
};

/*
 * CPUID.7.0:EBX bit 29 = SHA; SSSE3 (1:ECX bit 9), SSE4.1 (1:ECX 19).
 * CPUID traps to the hypervisor in a VM (about 12 us each here, a quarter
 * of a 1000-iteration verifier), so it runs once per process; the answer
 * never changes, which makes this the one piece of process-wide state in
 * the domain.
 */
static pthread_once_t cpu_once = PTHREAD_ONCE_INIT;
static int cpu_shani;

static void
detect_shani(void)
{
    unsigned a, b, c, d;

    if (!__get_cpuid(1, &a, &b, &c, &d))
        return;
    if (!(c & (1u << 9)) || !(c & (1u << 19)))
        return;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return;
    cpu_shani = (b >> 29) & 1;
}

/* see pbkdf2_sha256.h */
const mfab_sha256_backend *
mfab_spake2p__sha256_shani(void)
{
    pthread_once(&cpu_once, detect_shani);
    return cpu_shani ? &shani_backend : NULL;
}

#else /* not x86 */

/* see pbkdf2_sha256.h */
const mfab_sha256_backend *
mfab_spake2p__sha256_shani(void)
{
    return NULL;
}

#endif
