/*
 * nvs_keys.c: the nvs_keys partition and NVS key generation
 * (shared/spec/nvs.md sections 13.2 and 13.3).
 *
 *   offset  size  content
 *   0       32    eky (XTS key 1, data)
 *   32      32    tky (XTS key 2, tweak)
 *   64      4     NVS CRC-32 of bytes 0..63, u32 LE
 *   68      4028  0xFF
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/common_internal.h"
#include "matterfab/nvs_crypt.h"
#include "nvs/nvs_internal.h"

#define KEYS_CRC_OFFSET 64u
#define RAW_KEYS_LEN 64u

/* see matterfab/nvs_crypt.h */
int
mfab_nvs_keys_generate(mfab_nvs_keys *out, mfab_diag *diag)
{
    int tries;

    for (tries = 0; tries < 4; tries++) {
        if (RAND_priv_bytes((unsigned char *)out, (int)sizeof(*out)) != 1)
            return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                      "nvs: cannot generate random keys");
        /* equal halves would be refused by XTS; practically never */
        if (CRYPTO_memcmp(out->eky, out->tky, sizeof(out->eky)) != 0)
            return 0;
    }
    mfab_nvs_keys_wipe(out);
    return mfab_diag_set(diag, MFAB_ECRYPTO,
                         "nvs: random generator keeps returning equal keys");
}

static int
hmac_sha256(uint8_t out[32], const uint8_t key[32], uint32_t word,
            mfab_diag *diag)
{
    uint8_t msg[32];
    size_t outl = 0;
    int i;

    /* the device derives from eight u32 words, stored little-endian */
    for (i = 0; i < 8; i++)
        mfab_put_le32(msg + 4 * i, word);
    if (EVP_Q_mac(NULL, "HMAC", NULL, "SHA256", NULL, key,
                  MFAB_NVS_HMAC_KEY_SIZE, msg, sizeof(msg), out, 32,
                  &outl) == NULL ||
        outl != 32)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "nvs: HMAC-SHA256 key derivation failed");
    return 0;
}

/* see matterfab/nvs_crypt.h */
int
mfab_nvs_keys_from_hmac(mfab_nvs_keys *out, const uint8_t hmac_key[32],
                        mfab_diag *diag)
{
    int rc;

    rc = hmac_sha256(out->eky, hmac_key, 0xAEBE5A5Au, diag);
    if (rc < 0)
        goto out;
    rc = hmac_sha256(out->tky, hmac_key, 0xCEDEA5A5u, diag);
out:
    if (rc < 0)
        mfab_nvs_keys_wipe(out);
    return rc;
}

/* see matterfab/nvs_crypt.h */
void
mfab_nvs_keys_encode(uint8_t out[4096], const mfab_nvs_keys *keys)
{
    memset(out, 0xFF, MFAB_NVS_KEYS_SIZE);
    memcpy(out, keys->eky, 32);
    memcpy(out + 32, keys->tky, 32);
    mfab_put_le32(out + KEYS_CRC_OFFSET, mfab_nvs__crc32(out, 64));
}

static int
all_ff(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0xFF)
            return 0;
    return 1;
}

/* see matterfab/nvs_crypt.h */
int
mfab_nvs_keys_decode(mfab_nvs_keys *out, const uint8_t *buf, size_t len,
                     mfab_diag *diag)
{
    uint32_t stored, crc;

    if (len < RAW_KEYS_LEN || (len > RAW_KEYS_LEN && len < 68))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "nvs: keys file is %zu bytes (allowed: a "
                             "4096-byte nvs_keys partition, or 64 bytes "
                             "eky||tky)",
                             len);
    if (len > RAW_KEYS_LEN) {
        if (all_ff(buf, 68))
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "nvs: keys partition is blank (keys not "
                                 "initialized)");
        stored = mfab_le32(buf + KEYS_CRC_OFFSET);
        crc = mfab_nvs__crc32(buf, 64);
        if (stored != crc)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "nvs: keys partition CRC 0x%08x does not "
                                 "match its keys (expected 0x%08x): corrupt "
                                 "key partition",
                                 stored, crc);
    }
    if (CRYPTO_memcmp(buf, buf + 32, 32) == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "nvs: keys file has eky equal to tky (XTS "
                             "needs two different keys)");
    memcpy(out->eky, buf, 32);
    memcpy(out->tky, buf + 32, 32);
    return 0;
}

/* see matterfab/nvs_crypt.h */
void
mfab_nvs_keys_wipe(mfab_nvs_keys *keys)
{
    if (keys != NULL)
        OPENSSL_cleanse(keys, sizeof(*keys));
}
