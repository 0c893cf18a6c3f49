/*
 * mfg_values.c: one device's commissioning values (spec 2.1-2.3, 4):
 * given ones from the plan, else random from the CSPRNG, or, in the
 * deterministic test mode, derived from the seed:
 *
 *   block_i = HMAC-SHA256(seed, label || 0x00 || index (8, LE) || i (4, LE))
 *
 * so every value of device k depends only on (seed, k) and a run with any
 * number of workers writes the same bytes.
 */
#include <pthread.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/hex.h"
#include "matterfab/onboarding.h"
#include "mfg/mfg_internal.h"

/*
 * CSPRNG bytes are drawn into a per-thread pool, one RAND_bytes call per
 * several devices rather than one per value: each call costs a DRBG
 * generate and a getpid() fork check. Bytes leave the pool once and are
 * wiped as they go; a forked child starts with an empty pool, so parent
 * and child never share a value.
 */
#define POOL_SIZE 1024

static _Thread_local uint8_t pool[POOL_SIZE];
static _Thread_local size_t pool_left;
static pthread_once_t pool_once = PTHREAD_ONCE_INIT;

static void
pool_drop(void)
{
    OPENSSL_cleanse(pool, sizeof(pool));
    pool_left = 0;
}

static void
pool_register(void)
{
    (void)pthread_atfork(NULL, NULL, pool_drop);
}

static int
pool_take(uint8_t *out, size_t len)
{
    pthread_once(&pool_once, pool_register);
    if (len > POOL_SIZE)
        return RAND_bytes(out, (int)len) == 1 ? 0 : -1;
    while (len > 0) {
        size_t n;
        if (pool_left == 0) {
            if (RAND_bytes(pool, POOL_SIZE) != 1)
                return -1;
            pool_left = POOL_SIZE;
        }
        n = len < pool_left ? len : pool_left;
        memcpy(out, pool + POOL_SIZE - pool_left, n);
        OPENSSL_cleanse(pool + POOL_SIZE - pool_left, n);
        pool_left -= n;
        out += n;
        len -= n;
    }
    return 0;
}

/* see mfg_internal.h */
int
mfab_mfg__random(const mfab_mfg_plan *p, uint64_t index, const char *label,
                 uint8_t *out, size_t len, mfab_diag *diag)
{
    uint8_t msg[96], block[32];
    size_t llen = strlen(label), done = 0;
    unsigned int blen = 0;
    uint32_t i;

    if (!p->seeded) {
        if (pool_take(out, len) != 0)
            return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                      "cannot draw random bytes");
        return 0;
    }
    if (llen > sizeof(msg) - 13)
        return mfab_diag_set(diag, MFAB_EINVAL, "label too long");
    memcpy(msg, label, llen);
    msg[llen] = 0;
    mfab_put_le64(msg + llen + 1, index);
    for (i = 0; done < len; i++) {
        size_t n = len - done < 32 ? len - done : 32;
        mfab_put_le32(msg + llen + 9, i);
        if (HMAC(EVP_sha256(), p->seed, (int)p->seed_len, msg, llen + 13, block,
                 &blen) == NULL)
            return mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "HMAC failed");
        memcpy(out + done, block, n);
        done += n;
    }
    OPENSSL_cleanse(block, sizeof(block));
    return 0;
}

/* Uniform in [0, bound) by rejection over 32-bit draws of one label. */
static int
draw(uint32_t *out, const mfab_mfg_plan *p, uint64_t index, const char *label,
     uint32_t bound, mfab_diag *diag)
{
    uint8_t buf[4 * 16];
    uint32_t limit = UINT32_MAX - UINT32_MAX % bound;
    size_t k;
    int rc, round;

    for (round = 0; round < 64; round++) {
        char l[64];
        snprintf(l, sizeof(l), "%s#%d", label, round);
        rc = mfab_mfg__random(p, index, l, buf, sizeof(buf), diag);
        if (rc < 0)
            return rc;
        for (k = 0; k < sizeof(buf); k += 4) {
            uint32_t v = mfab_le32(buf + k);
            if (v < limit) {
                *out = v % bound;
                return 0;
            }
        }
    }
    return mfab_diag_set(diag, MFAB_ECRYPTO, "no value drawn for %s", label);
}

static int
pick_passcode(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    char label[32];
    uint32_t v;
    int rc, k;

    if (p->o.has_passcode) {
        d->passcode = (uint32_t)p->o.passcode;
        return 0;
    }
    for (k = 0; k < 1000; k++) {
        snprintf(label, sizeof(label), "passcode%d", k);
        rc = draw(&v, p, d->index, label, MFAB_PASSCODE_MAX, diag);
        if (rc < 0)
            return rc;
        if (mfab_passcode_check(v + 1, NULL) == 0) {
            d->passcode = v + 1;
            return 0;
        }
    }
    return mfab_diag_set(diag, MFAB_ECRYPTO, "no valid passcode drawn");
}

static void
make_uuid(char out[MFG_UUID_LEN + 1], uint8_t r[16])
{
    char hex[33];

    r[6] = (uint8_t)((r[6] & 0x0F) | 0x40);
    r[8] = (uint8_t)((r[8] & 0x3F) | 0x80);
    mfab_hex_encode(hex, r, 16);
    snprintf(out, MFG_UUID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
             hex + 12, hex + 16, hex + 20);
}

/* see mfg_internal.h */
int
mfab_mfg__device_values(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    const mfab_mfg_options *o = &p->o;
    uint8_t r[16];
    uint32_t disc = 0;
    size_t n = 0;
    int rc;

    rc = mfab_mfg__random(p, d->index, "uuid", r, sizeof(r), diag);
    if (rc < 0)
        return rc;
    if (p->ext_uuid[0] != '\0' && strlen(p->ext_uuid) <= MFG_UUID_LEN)
        memcpy(d->uuid, p->ext_uuid, strlen(p->ext_uuid) + 1);
    else
        make_uuid(d->uuid, r);
    rc = pick_passcode(p, d, diag);
    if (rc < 0)
        return rc;
    if (o->has_discriminator)
        disc = (uint32_t)o->discriminator; /* 0 included (B2) */
    else
        rc = draw(&disc, p, d->index, "discriminator",
                  MFAB_DISCRIMINATOR_MAX + 1, diag);
    if (rc < 0)
        return rc;
    d->discriminator = (uint16_t)disc;
    if (o->salt != NULL) {
        memcpy(d->salt, p->salt, p->salt_len);
        d->salt_len = p->salt_len;
        snprintf(d->salt_b64, sizeof(d->salt_b64), "%s", o->salt); /* Q8 */
    } else {
        d->salt_len = MFAB_SPAKE2P_SALT_DEFAULT;
        rc = mfab_mfg__random(p, d->index, "salt", d->salt, d->salt_len, diag);
        if (rc < 0)
            return rc;
        mfab_base64_encode(d->salt_b64, sizeof(d->salt_b64), &n, d->salt,
                           d->salt_len);
    }
    if (o->serial_num != NULL) {
        snprintf(d->serial, sizeof(d->serial), "%s", o->serial_num);
    } else {
        rc = mfab_mfg__random(p, d->index, "serial", r, sizeof(r), diag);
        if (rc < 0)
            return rc;
        mfab_hex_encode(d->serial, r, sizeof(r)); /* Q6: 32 hex chars */
    }
    d->rd_hex[0] = '\0';
    d->iterations = p->iterations;
    /* the secure cert's MATTER_TLV_1/4 is written with or without
     * --enable-rotating-device-id (spec 5.5) */
    if (o->rotating_device_id || o->rd_id_uid_in_secure_cert) {
        if (o->rd_id_uid != NULL) {
            rc = mfab_hex_decode(d->rd_id_uid, sizeof(d->rd_id_uid), &n,
                                 o->rd_id_uid, 32, NULL);
            /* stored as typed, like every given value */
            snprintf(d->rd_hex, sizeof(d->rd_hex), "%s", o->rd_id_uid);
        } else {
            rc = mfab_mfg__random(p, d->index, "rd-id-uid", d->rd_id_uid,
                                  sizeof(d->rd_id_uid), diag);
            mfab_hex_encode(d->rd_hex, d->rd_id_uid, sizeof(d->rd_id_uid));
        }
        if (rc < 0)
            return mfab_diag_set(diag, rc, "rd-id-uid unusable");
    }
    return p->scin != NULL ? mfab_mfg__scin_values(p, d, diag) : 0;
}
