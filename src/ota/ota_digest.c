/*
 * ota_digest.c: the OTA image digest types (shared/spec/production-
 * images.md section 1.4, IANA Named Information Hash Algorithm Registry)
 * and the DCL otaChecksum (section 2.2).
 *
 * Only the types ota_image_tool.py can produce are hashed; the truncated
 * SHA-256 variants (ids 2..6) are not offered by the tool and not here.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/common_internal.h"
#include "matterfab/ota.h"

static const struct {
    uint64_t id;
    const char *name; /* ota_image_tool "-da" spelling */
    const char *ossl; /* OpenSSL fetch name */
    size_t len;
} digests[] = {
    { MFAB_OTA_DIGEST_SHA256, "sha256", "SHA256", 32 },
    { MFAB_OTA_DIGEST_SHA384, "sha384", "SHA384", 48 },
    { MFAB_OTA_DIGEST_SHA512, "sha512", "SHA512", 64 },
    { MFAB_OTA_DIGEST_SHA3_224, "sha3_224", "SHA3-224", 28 },
    { MFAB_OTA_DIGEST_SHA3_256, "sha3_256", "SHA3-256", 32 },
    { MFAB_OTA_DIGEST_SHA3_384, "sha3_384", "SHA3-384", 48 },
    { MFAB_OTA_DIGEST_SHA3_512, "sha3_512", "SHA3-512", 64 },
};

static int
find(uint64_t id)
{
    size_t i;

    for (i = 0; i < MFAB_ARRAY_SIZE(digests); i++)
        if (digests[i].id == id)
            return (int)i;
    return -1;
}

/* see matterfab/ota.h */
int
mfab_ota_digest_type(const char *name)
{
    size_t i;

    for (i = 0; name != NULL && i < MFAB_ARRAY_SIZE(digests); i++)
        if (strcmp(digests[i].name, name) == 0)
            return (int)digests[i].id;
    return MFAB_EINVAL;
}

/* see matterfab/ota.h */
const char *
mfab_ota_digest_name(uint64_t type)
{
    int k = find(type);

    return k < 0 ? NULL : digests[k].name;
}

/* see matterfab/ota.h */
size_t
mfab_ota_digest_len(uint64_t type)
{
    int k = find(type);

    return k < 0 ? 0 : digests[k].len;
}

/* see matterfab/ota.h */
int
mfab_ota_digest(uint8_t *out, size_t *out_len, uint64_t type,
                const mfab_ota_part *parts, size_t nparts, mfab_diag *diag)
{
    EVP_MD *md = NULL;
    EVP_MD_CTX *ctx = NULL;
    unsigned int n = 0;
    size_t i;
    int k = find(type), rc = 0;

    *out_len = 0;
    if (k < 0)
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "ota: digest type '%llu' is not supported "
                             "(allowed 1, 7, 8, 9, 10, 11, 12)",
                             (unsigned long long)type);
    md = EVP_MD_fetch(NULL, digests[k].ossl, NULL);
    ctx = EVP_MD_CTX_new();
    if (md == NULL || ctx == NULL || !EVP_DigestInit_ex(ctx, md, NULL)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "ota: cannot start digest '%s'",
                                digests[k].name);
        goto out;
    }
    for (i = 0; i < nparts; i++) {
        if (parts[i].len > 0 &&
            !EVP_DigestUpdate(ctx, parts[i].data, parts[i].len)) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                    "ota: cannot hash input %zu", i + 1);
            goto out;
        }
    }
    if (!EVP_DigestFinal_ex(ctx, out, &n)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "ota: cannot finish digest '%s'",
                                digests[k].name);
        goto out;
    }
    *out_len = n;
out:
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    return rc;
}

/* see matterfab/ota.h */
int
mfab_ota_dcl_checksum(char *out, size_t cap, uint64_t type,
                      const uint8_t *file, size_t len, mfab_diag *diag)
{
    uint8_t d[MFAB_OTA_MAX_DIGEST];
    mfab_ota_part part = { file, len };
    size_t dlen = 0, need;
    int rc;

    rc = mfab_ota_digest(d, &dlen, type, &part, 1, diag);
    if (rc < 0)
        return rc;
    need = 4 * ((dlen + 2) / 3) + 1;
    if (out == NULL || cap < need)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "ota: checksum needs %zu bytes, buffer has %zu",
                             need, cap);
    EVP_EncodeBlock((unsigned char *)out, d, (int)dlen);
    return 0;
}
