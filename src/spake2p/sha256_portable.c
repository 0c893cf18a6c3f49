/*
 * sha256_portable.c: the SHA-256 compression function (FIPS 180-4
 * section 6.2.2) in plain C, and the PBKDF2 inner loop on it. The
 * fallback backend of pbkdf2_sha256.h for CPUs without SHA extensions.
 *
 * Why not OpenSSL's SHA256_Transform: it is deprecated in OpenSSL 3 and
 * takes bytes, so the loop would convert the chaining value to bytes and
 * back twice per iteration; the compression function is 40 lines.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "spake2p/pbkdf2_sha256.h"

const uint32_t mfab_spake2p__sha256_k[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

const uint32_t mfab_spake2p__sha256_iv[8] = {
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define S0(x) (ROR(x, 2) ^ ROR(x, 13) ^ ROR(x, 22))
#define S1(x) (ROR(x, 6) ^ ROR(x, 11) ^ ROR(x, 25))
#define s0(x) (ROR(x, 7) ^ ROR(x, 18) ^ ((x) >> 3))
#define s1(x) (ROR(x, 17) ^ ROR(x, 19) ^ ((x) >> 10))
#define CH(x, y, z) (((x) & (y)) ^ (~(x) & (z)))
#define MAJ(x, y, z) (((x) & (y)) ^ ((x) & (z)) ^ ((y) & (z)))

/* One compression of the 16 message words w (host order). */
static void
compress_words(uint32_t h[8], const uint32_t m[16])
{
    uint32_t w[64];
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
    uint32_t e = h[4], f = h[5], g = h[6], hh = h[7];
    int i;

    memcpy(w, m, 16 * sizeof(uint32_t));
    for (i = 16; i < 64; i++)
        w[i] = s1(w[i - 2]) + w[i - 7] + s0(w[i - 15]) + w[i - 16];
    for (i = 0; i < 64; i++) {
        uint32_t t1 = hh + S1(e) + CH(e, f, g) + mfab_spake2p__sha256_k[i] +
                      w[i];
        uint32_t t2 = S0(a) + MAJ(a, b, c);
        hh = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
}

static void
portable_compress(uint32_t state[8], const uint8_t *blocks, size_t nblocks)
{
    uint32_t m[16];
    size_t i;
    int j;

    for (i = 0; i < nblocks; i++) {
        for (j = 0; j < 16; j++)
            m[j] = mfab_be32(blocks + 64 * i + 4 * j);
        compress_words(state, m);
    }
}

/*
 * Each HMAC of a 32-byte chaining value compresses, from the saved inner
 * and outer states, the block
 *   0   32  33          62  64
 *   | u | 80 | 00 ... 00 | 00 00 03 00 |   (bit length 768 = 64 + 32 bytes)
 * so only words 0..7 change between iterations.
 */
static void
portable_iterate(uint32_t u[][8], uint32_t t[][8], size_t nlanes,
                 const uint32_t istate[8], const uint32_t ostate[8],
                 uint32_t rounds)
{
    uint32_t m[16] = { 0 };
    uint32_t h[8];
    size_t l;
    uint32_t r;
    int j;

    m[8] = 0x80000000u;
    m[15] = 768;
    for (l = 0; l < nlanes; l++) {
        for (r = 0; r < rounds; r++) {
            memcpy(m, u[l], 32);
            memcpy(h, istate, 32);
            compress_words(h, m);
            memcpy(m, h, 32);
            memcpy(u[l], ostate, 32);
            compress_words(u[l], m);
            for (j = 0; j < 8; j++)
                t[l][j] ^= u[l][j];
        }
    }
    OPENSSL_cleanse(m, sizeof(m));
    OPENSSL_cleanse(h, sizeof(h));
}

static const mfab_sha256_backend portable_backend = {
    "portable", portable_compress, portable_iterate
};

/* see pbkdf2_sha256.h */
const mfab_sha256_backend *
mfab_spake2p__sha256_portable(void)
{
    return &portable_backend;
}
