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

/* RFC 2104: the key's inner and outer states; keys longer than a block
 * are hashed first. */
static int
hmac_states(uint32_t istate[8], uint32_t ostate[8], const uint8_t *pw,
            size_t pw_len, const mfab_sha256_backend *backend,
            mfab_diag *diag)
{
    uint8_t key[BLOCK], pad[BLOCK];
    size_t i;
    int rc = 0;

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
    memcpy(istate, mfab_spake2p__sha256_iv, 8 * sizeof(uint32_t));
    backend->compress(istate, pad, 1);
    for (i = 0; i < BLOCK; i++)
        pad[i] = key[i] ^ 0x5c;
    memcpy(ostate, mfab_spake2p__sha256_iv, 8 * sizeof(uint32_t));
    backend->compress(ostate, pad, 1);
out:
    OPENSSL_cleanse(key, sizeof(key));
    OPENSSL_cleanse(pad, sizeof(pad));
    return rc;
}

/* U_1 = HMAC(P, S || INT(block)) of output block `block` (from 1). */
static void
first_u(uint32_t u[8], const uint32_t istate[8], const uint32_t ostate[8],
        const uint8_t *salt, size_t salt_len, uint32_t block,
        const mfab_sha256_backend *backend)
{
    uint8_t be_index[4], tmp[DIGEST];
    sha_stream s;

    mfab_put_be32(be_index, block);
    stream_init(&s, backend, istate, BLOCK);
    stream_update(&s, salt, salt_len);
    stream_update(&s, be_index, 4);
    stream_final(u, &s);
    words_to_bytes(tmp, u);
    stream_init(&s, backend, ostate, BLOCK);
    stream_update(&s, tmp, DIGEST);
    stream_final(u, &s);
    OPENSSL_cleanse(tmp, sizeof(tmp));
}

/* T of output block `block` (from 0) into its place in out. */
static void
put_block(uint8_t *out, size_t out_len, size_t block, const uint32_t t[8])
{
    uint8_t tmp[DIGEST];
    size_t at = block * DIGEST;
    size_t n = out_len - at < DIGEST ? out_len - at : DIGEST;

    words_to_bytes(tmp, t);
    memcpy(out + at, tmp, n);
    OPENSSL_cleanse(tmp, sizeof(tmp));
}

static int
check_job(const mfab_pbkdf2_job *j, mfab_diag *diag)
{
    if (j->out == NULL || j->out_len == 0 || j->iterations == 0 ||
        (j->pw == NULL && j->pw_len > 0) ||
        (j->salt == NULL && j->salt_len > 0))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "pbkdf2: output, iteration count and inputs "
                             "must be non-empty");
    return 0;
}

const mfab_pbkdf2_wide mfab_spake2p__pbkdf2_no_wide = { "none", NULL };

/* Output blocks gathered for one pass (wide, or narrow in runs of one
 * job), and whose block each one is. Every derivation goes through them:
 * one derivation alone is a pass of its own blocks on the narrow backend. */
typedef struct lane_set {
    mfab_pbkdf2_lane lane[MFAB_PBKDF2_WIDE_LANES];
    size_t job[MFAB_PBKDF2_WIDE_LANES];
    size_t block[MFAB_PBKDF2_WIDE_LANES];
    size_t count;
} lane_set;

/*
 * Iterate the gathered lanes and write their blocks. A wide call costs the
 * same for 1 or 16 lanes and its full rate is about twice SHA-NI's, so
 * below half full (or without a wide backend) the narrow backend runs
 * them: consecutive lanes of one job (one key) together.
 */
static void
run_lanes(lane_set *ls, const mfab_pbkdf2_job *jobs,
          const mfab_pbkdf2_wide *wide, const mfab_sha256_backend *backend)
{
    uint32_t rounds;
    size_t l, k, n;

    if (ls->count == 0)
        return;
    rounds = jobs[ls->job[0]].iterations - 1;
    if (wide != NULL && ls->count >= MFAB_PBKDF2_WIDE_LANES / 2) {
        wide->iterate(ls->lane, ls->count, rounds);
    } else {
        for (l = 0; l < ls->count; l += n) {
            uint32_t u[MFAB_PBKDF2_LANES][8], t[MFAB_PBKDF2_LANES][8];

            for (n = 0; n < MFAB_PBKDF2_LANES && l + n < ls->count &&
                        ls->job[l + n] == ls->job[l];
                 n++) {
                memcpy(u[n], ls->lane[l + n].u, sizeof(u[n]));
                memcpy(t[n], ls->lane[l + n].t, sizeof(t[n]));
            }
            backend->iterate(u, t, n, ls->lane[l].istate, ls->lane[l].ostate,
                             rounds);
            for (k = 0; k < n; k++)
                memcpy(ls->lane[l + k].t, t[k], sizeof(t[k]));
            OPENSSL_cleanse(u, sizeof(u));
            OPENSSL_cleanse(t, sizeof(t));
        }
    }
    for (l = 0; l < ls->count; l++) {
        const mfab_pbkdf2_job *j = &jobs[ls->job[l]];

        put_block(j->out, j->out_len, ls->block[l], ls->lane[l].t);
    }
    ls->count = 0;
}

/* see pbkdf2_sha256.h */
int
mfab_spake2p__pbkdf2_many(const mfab_pbkdf2_job *jobs, size_t n,
                          const mfab_pbkdf2_wide *wide,
                          const mfab_sha256_backend *backend,
                          mfab_diag *diag)
{
    lane_set ls;
    uint32_t istate[8], ostate[8];
    size_t i, b;
    int rc = 0;

    for (i = 0; i < n; i++) {
        rc = check_job(&jobs[i], diag);
        if (rc < 0)
            return rc;
    }
    if (backend == NULL)
        backend = mfab_spake2p__sha256_best();
    if (wide == NULL)
        wide = mfab_spake2p__pbkdf2_avx512();
    else if (wide->iterate == NULL)
        wide = NULL; /* MFAB_PBKDF2_NO_WIDE */
    ls.count = 0;
    for (i = 0; i < n && rc == 0; i++) {
        const mfab_pbkdf2_job *j = &jobs[i];
        size_t nblocks = (j->out_len + DIGEST - 1) / DIGEST;

        rc = hmac_states(istate, ostate, j->pw, j->pw_len, backend, diag);
        for (b = 0; b < nblocks && rc == 0; b++) {
            mfab_pbkdf2_lane *lane;

            if (ls.count == MFAB_PBKDF2_WIDE_LANES ||
                (ls.count > 0 &&
                 jobs[ls.job[ls.count - 1]].iterations != j->iterations))
                run_lanes(&ls, jobs, wide, backend);
            lane = &ls.lane[ls.count];
            memcpy(lane->istate, istate, sizeof(istate));
            memcpy(lane->ostate, ostate, sizeof(ostate));
            first_u(lane->u, istate, ostate, j->salt, j->salt_len,
                    (uint32_t)(b + 1), backend);
            memcpy(lane->t, lane->u, sizeof(lane->t));
            ls.job[ls.count] = i;
            ls.block[ls.count] = b;
            ls.count++;
        }
    }
    if (rc == 0)
        run_lanes(&ls, jobs, wide, backend);
    OPENSSL_cleanse(&ls, sizeof(ls));
    OPENSSL_cleanse(istate, sizeof(istate));
    OPENSSL_cleanse(ostate, sizeof(ostate));
    return rc;
}

/* see pbkdf2_sha256.h */
int
mfab_spake2p__pbkdf2(uint8_t *out, size_t out_len, const uint8_t *pw,
                     size_t pw_len, const uint8_t *salt, size_t salt_len,
                     uint32_t iterations, const mfab_sha256_backend *backend,
                     mfab_diag *diag)
{
    const mfab_pbkdf2_job job = { out, out_len, pw, pw_len,
                                  salt, salt_len, iterations };

    return mfab_spake2p__pbkdf2_many(&job, 1, MFAB_PBKDF2_NO_WIDE, backend,
                                     diag);
}
