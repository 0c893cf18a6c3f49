/*
 * pbkdf2_sha256.c: PBKDF2-HMAC-SHA256 (RFC 8018 section 5.2, HMAC per
 * RFC 2104) driven on raw SHA-256 compressions, for the SPAKE2+ verifier
 * of shared/spec/matter-commissioning.md section 3.
 *
 * HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)). The two keyed blocks
 * are compressed once per derivation into the inner and outer states; every
 * later HMAC starts from those states, so an iteration costs exactly two
 * compressions (the SHA-256 bound) instead of OpenSSL's four plus context
 * set-up. The 1st iteration (salt || INT(i), any length) goes through the
 * small streaming helper below; iterations 2..c run in the backend.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/common_internal.h"
#include "spake2p/pbkdf2_sha256.h"

#define BLOCK 64
#define DIGEST 32

/* SHA-256 continued from a state that has already absorbed `total` bytes
 * (a multiple of 64). */
typedef struct sha_stream {
    const mfab_sha256_backend *be;
    uint32_t h[8];
    uint8_t buf[BLOCK];
    size_t n;
    uint64_t total;
} sha_stream;

static void
stream_init(sha_stream *s, const mfab_sha256_backend *be,
            const uint32_t h[8], uint64_t total)
{
    s->be = be;
    memcpy(s->h, h, sizeof(s->h));
    s->n = 0;
    s->total = total;
}

static void
stream_update(sha_stream *s, const uint8_t *p, size_t len)
{
    s->total += len;
    if (s->n > 0) {
        size_t take = BLOCK - s->n < len ? BLOCK - s->n : len;
        memcpy(s->buf + s->n, p, take);
        s->n += take;
        p += take;
        len -= take;
        if (s->n < BLOCK)
            return;
        s->be->compress(s->h, s->buf, 1);
        s->n = 0;
    }
    if (len >= BLOCK) {
        s->be->compress(s->h, p, len / BLOCK);
        p += len - len % BLOCK;
        len %= BLOCK;
    }
    memcpy(s->buf, p, len);
    s->n = len;
}

/* FIPS 180-4 5.1.1 padding: 80, zeros, 64-bit big-endian bit length. */
static void
stream_final(uint32_t out[8], sha_stream *s)
{
    uint64_t bits = s->total * 8;
    uint8_t len_be[8];
    int i;

    for (i = 0; i < 8; i++)
        len_be[i] = (uint8_t)(bits >> (56 - 8 * i));
    s->buf[s->n++] = 0x80;
    if (s->n > BLOCK - 8) {
        memset(s->buf + s->n, 0, BLOCK - s->n);
        s->be->compress(s->h, s->buf, 1);
        s->n = 0;
    }
    memset(s->buf + s->n, 0, BLOCK - 8 - s->n);
    memcpy(s->buf + BLOCK - 8, len_be, 8);
    s->be->compress(s->h, s->buf, 1);
    memcpy(out, s->h, sizeof(s->h));
    OPENSSL_cleanse(s, sizeof(*s));
}

static void
words_to_bytes(uint8_t *out, const uint32_t w[8])
{
    int i;

    for (i = 0; i < 8; i++)
        mfab_put_be32(out + 4 * i, w[i]);
}

/* see pbkdf2_sha256.h */
const mfab_sha256_backend *
mfab_spake2p__sha256_best(void)
{
    const mfab_sha256_backend *be = mfab_spake2p__sha256_shani();

    return be != NULL ? be : mfab_spake2p__sha256_portable();
}

/* see pbkdf2_sha256.h */
int
mfab_spake2p__pbkdf2(uint8_t *out, size_t out_len, const uint8_t *pw,
                     size_t pw_len, const uint8_t *salt, size_t salt_len,
                     uint32_t iterations, const mfab_sha256_backend *backend,
                     mfab_diag *diag)
{
    uint8_t key[BLOCK], pad[BLOCK], tmp[DIGEST];
    uint32_t istate[8], ostate[8];
    uint32_t u[MFAB_PBKDF2_LANES][8], t[MFAB_PBKDF2_LANES][8];
    size_t nblocks, first, l, i;
    sha_stream s;
    int rc = 0;

    if (out == NULL || out_len == 0 || iterations == 0 ||
        (pw == NULL && pw_len > 0) || (salt == NULL && salt_len > 0)) {
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "pbkdf2: output, iteration count and inputs "
                             "must be non-empty");
    }
    if (backend == NULL)
        backend = mfab_spake2p__sha256_best();

    /* RFC 2104: keys longer than a block are hashed first. */
    memset(key, 0, sizeof(key));
    if (pw_len > BLOCK) {
        unsigned int dlen = 0;
        if (!EVP_Digest(pw, pw_len, key, &dlen, EVP_sha256(), NULL)) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "pbkdf2: cannot hash the password");
            goto out;
        }
    } else if (pw_len > 0) {
        memcpy(key, pw, pw_len);
    }
    for (i = 0; i < BLOCK; i++)
        pad[i] = key[i] ^ 0x36;
    memcpy(istate, mfab_spake2p__sha256_iv, sizeof(istate));
    backend->compress(istate, pad, 1);
    for (i = 0; i < BLOCK; i++)
        pad[i] = key[i] ^ 0x5c;
    memcpy(ostate, mfab_spake2p__sha256_iv, sizeof(ostate));
    backend->compress(ostate, pad, 1);

    nblocks = (out_len + DIGEST - 1) / DIGEST;
    for (first = 0; first < nblocks; first += MFAB_PBKDF2_LANES) {
        size_t lanes = nblocks - first < MFAB_PBKDF2_LANES
                           ? nblocks - first
                           : MFAB_PBKDF2_LANES;

        /* U1 = HMAC(P, S || INT(i)), i counting from 1 */
        for (l = 0; l < lanes; l++) {
            uint8_t be_index[4];

            mfab_put_be32(be_index, (uint32_t)(first + l + 1));
            stream_init(&s, backend, istate, BLOCK);
            stream_update(&s, salt, salt_len);
            stream_update(&s, be_index, 4);
            stream_final(u[l], &s);
            words_to_bytes(tmp, u[l]);
            stream_init(&s, backend, ostate, BLOCK);
            stream_update(&s, tmp, DIGEST);
            stream_final(u[l], &s);
            memcpy(t[l], u[l], sizeof(t[l]));
        }
        backend->iterate(u, t, lanes, istate, ostate, iterations - 1);
        for (l = 0; l < lanes; l++) {
            size_t at = (first + l) * DIGEST;
            size_t n = out_len - at < DIGEST ? out_len - at : DIGEST;

            words_to_bytes(tmp, t[l]);
            memcpy(out + at, tmp, n);
        }
    }
out:
    OPENSSL_cleanse(key, sizeof(key));
    OPENSSL_cleanse(pad, sizeof(pad));
    OPENSSL_cleanse(tmp, sizeof(tmp));
    OPENSSL_cleanse(istate, sizeof(istate));
    OPENSSL_cleanse(ostate, sizeof(ostate));
    OPENSSL_cleanse(u, sizeof(u));
    OPENSSL_cleanse(t, sizeof(t));
    return rc;
}
