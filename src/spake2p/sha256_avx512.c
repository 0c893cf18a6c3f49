/*
 * sha256_avx512.c: the PBKDF2 inner loop for up to 16 derivations side by
 * side, one SHA-256 per 32-bit lane of the AVX-512 registers (FIPS 180-4
 * section 6.2.2). The wide backend of pbkdf2_sha256.h.
 *
 * Why: SHA-NI computes one compression at a time (about 90 cycles here);
 * sixteen lanes of plain vector arithmetic compute sixteen in about 670
 * cycles, 2.1 times the SHA-NI rate, once enough derivations run together
 * (mfab_spake2p__pbkdf2_many; a verifier needs 3 lanes, so 5 devices fill
 * 15). Each lane has its own key, so the lanes may belong to different
 * passcodes and salts but share the iteration count.
 *
 * Only the compute functions are compiled for AVX-512 (target attribute),
 * so nothing in this file runs AVX-512 code before cpuid and xgetbv say
 * the CPU and the OS support it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <openssl/crypto.h>

#include "spake2p/pbkdf2_sha256.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#include <cpuid.h>
#include <immintrin.h>
#include <pthread.h>

#define WIDE __attribute__((target("avx512f")))
#define INLINE static inline __attribute__((always_inline)) WIDE

#define ROR(x, n) _mm512_ror_epi32((x), (n))
#define ADD(a, b) _mm512_add_epi32((a), (b))
/* 0x96 = a ^ b ^ c, 0xCA = a ? b : c (Ch), 0xE8 = majority (Maj) */
#define XOR3(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), 0x96)
#define BSIG0(a) XOR3(ROR(a, 2), ROR(a, 13), ROR(a, 22))
#define BSIG1(e) XOR3(ROR(e, 6), ROR(e, 11), ROR(e, 25))
#define SSIG0(w) XOR3(ROR(w, 7), ROR(w, 18), _mm512_srli_epi32((w), 3))
#define SSIG1(w) XOR3(ROR(w, 17), ROR(w, 19), _mm512_srli_epi32((w), 10))
#define CH(e, f, g) _mm512_ternarylogic_epi32((e), (f), (g), 0xCA)
#define MAJ(a, b, c) _mm512_ternarylogic_epi32((a), (b), (c), 0xE8)

/*
 * s += compress(s, block) in every lane, where the block is a 32-byte
 * message (m, one vector per word) with the padding of a 96-byte message:
 * what each HMAC step of PBKDF2 hashes after its keyed block.
 */
INLINE void
compress_padded32(__m512i s[8], const __m512i m[8])
{
    __m512i w[16];
    __m512i a = s[0], b = s[1], c = s[2], d = s[3];
    __m512i e = s[4], f = s[5], g = s[6], h = s[7];
    int t;

    for (t = 0; t < 8; t++)
        w[t] = m[t];
    w[8] = _mm512_set1_epi32((int)0x80000000u);
    for (t = 9; t < 15; t++)
        w[t] = _mm512_setzero_si512();
    w[15] = _mm512_set1_epi32(96 * 8);
    /* unrolled, the padding words are constants: their additions and
     * part of the schedule fold away (15 % faster here) */
#pragma GCC unroll 64
    for (t = 0; t < 64; t++) {
        __m512i wt, t1, t2;

        if (t < 16) {
            wt = w[t];
        } else {
            wt = ADD(ADD(SSIG1(w[(t - 2) & 15]), w[(t - 7) & 15]),
                     ADD(SSIG0(w[(t - 15) & 15]), w[t & 15]));
            w[t & 15] = wt;
        }
        t1 = ADD(ADD(h, BSIG1(e)),
                 ADD(CH(e, f, g),
                     ADD(wt, _mm512_set1_epi32(
                                 (int)mfab_spake2p__sha256_k[t]))));
        t2 = ADD(BSIG0(a), MAJ(a, b, c));
        h = g;
        g = f;
        f = e;
        e = ADD(d, t1);
        d = c;
        c = b;
        b = a;
        a = ADD(t1, t2);
    }
    s[0] = ADD(s[0], a);
    s[1] = ADD(s[1], b);
    s[2] = ADD(s[2], c);
    s[3] = ADD(s[3], d);
    s[4] = ADD(s[4], e);
    s[5] = ADD(s[5], f);
    s[6] = ADD(s[6], g);
    s[7] = ADD(s[7], h);
}

/* Word i of every lane, lanes past n zero: the lanes as vectors. */
typedef struct lanes_soa {
    uint32_t istate[8][16], ostate[8][16], u[8][16], t[8][16];
} lanes_soa;

WIDE static void
iterate_soa(lanes_soa *v, uint32_t rounds)
{
    __m512i is[8], os[8], u[8], t[8], s[8];
    uint32_t r;
    int i;

    for (i = 0; i < 8; i++) {
        is[i] = _mm512_loadu_si512(v->istate[i]);
        os[i] = _mm512_loadu_si512(v->ostate[i]);
        u[i] = _mm512_loadu_si512(v->u[i]);
        t[i] = _mm512_loadu_si512(v->t[i]);
    }
    for (r = 0; r < rounds; r++) {
        /* u = H(ostate, H(istate, u)); t ^= u */
        for (i = 0; i < 8; i++)
            s[i] = is[i];
        compress_padded32(s, u);
        for (i = 0; i < 8; i++)
            u[i] = os[i];
        compress_padded32(u, s);
        for (i = 0; i < 8; i++)
            t[i] = _mm512_xor_si512(t[i], u[i]);
    }
    for (i = 0; i < 8; i++) {
        _mm512_storeu_si512(v->u[i], u[i]);
        _mm512_storeu_si512(v->t[i], t[i]);
    }
}

static void
avx512_iterate(mfab_pbkdf2_lane *lanes, size_t nlanes, uint32_t rounds)
{
    lanes_soa v;
    size_t l;
    int i;

    if (nlanes > MFAB_PBKDF2_WIDE_LANES)
        nlanes = MFAB_PBKDF2_WIDE_LANES;
    memset(&v, 0, sizeof(v));
    for (l = 0; l < nlanes; l++) {
        for (i = 0; i < 8; i++) {
            v.istate[i][l] = lanes[l].istate[i];
            v.ostate[i][l] = lanes[l].ostate[i];
            v.u[i][l] = lanes[l].u[i];
            v.t[i][l] = lanes[l].t[i];
        }
    }
    iterate_soa(&v, rounds);
    for (l = 0; l < nlanes; l++) {
        for (i = 0; i < 8; i++) {
            lanes[l].u[i] = v.u[i][l];
            lanes[l].t[i] = v.t[i][l];
        }
    }
    OPENSSL_cleanse(&v, sizeof(v));
}

static const mfab_pbkdf2_wide avx512_backend = { "avx512", avx512_iterate };

/*
 * CPUID.7.0:EBX bit 16 = AVX512F; the OS must save the opmask and all 512
 * bits of the 32 vector registers (XCR0 bits 1, 2, 5, 6, 7, with OSXSAVE
 * = CPUID.1:ECX bit 27 to read XCR0). Once per process, as for SHA-NI:
 * cpuid traps to the hypervisor in a VM.
 */
static pthread_once_t cpu_once = PTHREAD_ONCE_INIT;
static int cpu_avx512;

static void
detect_avx512(void)
{
    unsigned a, b, c, d, lo, hi;

    if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & (1u << 27)))
        return;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    (void)hi;
    if ((lo & 0xE6u) != 0xE6u)
        return;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return;
    cpu_avx512 = (b >> 16) & 1;
}

/* see pbkdf2_sha256.h */
const mfab_pbkdf2_wide *
mfab_spake2p__pbkdf2_avx512(void)
{
    pthread_once(&cpu_once, detect_avx512);
    return cpu_avx512 ? &avx512_backend : NULL;
}

#else /* not x86-64 with GCC or clang */

/* see pbkdf2_sha256.h */
const mfab_pbkdf2_wide *
mfab_spake2p__pbkdf2_avx512(void)
{
    return NULL;
}

#endif
