/*
 * rotating_device_id.c: the Rotating Device Identifier a device derives
 * from its rd-id-uid (shared/spec/matter-commissioning.md section 4; CHIP
 * AdditionalDataPayloadGenerator). The factory stores only the unique ID;
 * this lets tests and tools show what the device will advertise.
 *
 *   hash = SHA-256( uid (16+ bytes) || counter (2, LE) )
 *   id   = | counter (2, LE) | hash[16..31] (16) |      18 bytes
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/common_internal.h"
#include "matterfab/spake2p.h"

/* see matterfab/spake2p.h */
int
mfab_spake2p_rotating_device_id(uint8_t *buf, size_t cap, size_t *out_len,
                                const uint8_t *uid, size_t uid_len,
                                uint16_t counter, mfab_diag *diag)
{
    uint8_t ctr[2], hash[32];
    unsigned int hlen = 0;
    EVP_MD_CTX *md = NULL;
    int rc = 0;

    if (uid_len < MFAB_RD_ID_UID_MIN)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "rd-id-uid: %zu bytes is too short (at least "
                             "%d)",
                             uid_len, MFAB_RD_ID_UID_MIN);
    *out_len = MFAB_ROTATING_DEVICE_ID_LEN;
    if (buf == NULL)
        return 0;
    if (cap < MFAB_ROTATING_DEVICE_ID_LEN)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "rd-id: needs %d bytes, buffer has %zu",
                             MFAB_ROTATING_DEVICE_ID_LEN, cap);
    mfab_put_le16(ctr, counter);
    md = EVP_MD_CTX_new();
    if (md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(), NULL) ||
        !EVP_DigestUpdate(md, uid, uid_len) ||
        !EVP_DigestUpdate(md, ctr, sizeof(ctr)) ||
        !EVP_DigestFinal_ex(md, hash, &hlen)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "rd-id: cannot hash the unique ID");
        goto out;
    }
    memcpy(buf, ctr, sizeof(ctr));
    memcpy(buf + sizeof(ctr), hash + 16, 16);
out:
    OPENSSL_cleanse(hash, sizeof(hash));
    EVP_MD_CTX_free(md);
    return rc;
}
