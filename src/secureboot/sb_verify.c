/*
 * sb_verify.c: Secure Boot V2 verification (shared/spec/production-images.md
 * section 4.7).
 *
 * Unlike espsecure, every valid slot is tried (a tampered digest in one
 * block is not fatal for the others), and a block only counts when the key
 * it embeds - the one the ROM checks against the eFuse digest - is the
 * supplied key.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "secureboot/sb_internal.h"

static const char *const slot_words[] = {
    "not a valid block", "verified", "signed by another key",
    "image digest differs (image modified)", "signature does not verify"
};

/* Check one valid block against the contents and the supplied key. */
static mfab_sbv2_slot_status
check_block(const uint8_t *block, const mfab_sbv2_block_info *bi,
            const uint8_t *contents, size_t clen, EVP_PKEY *key)
{
    const sb_layout *lay = mfab_sb__layout(bi->scheme);
    EVP_PKEY *embedded = NULL;
    uint8_t digest[48];
    uint8_t *sig = NULL;
    size_t dlen = 0, siglen = 0;
    mfab_sbv2_slot_status st = MFAB_SBV2_SLOT_BAD_SIGNATURE;

    if (mfab_sb__key_from_block(&embedded, block, bi->scheme, NULL) != 0 ||
        EVP_PKEY_eq(embedded, key) != 1) {
        st = MFAB_SBV2_SLOT_OTHER_KEY;
        goto out;
    }
    if (mfab_sb__digest(digest, &dlen, lay->hash_type, contents, clen,
                        NULL) != 0 ||
        dlen != bi->image_digest_len ||
        CRYPTO_memcmp(digest, bi->image_digest, dlen) != 0) {
        st = MFAB_SBV2_SLOT_BAD_DIGEST;
        goto out;
    }
    if (mfab_sb__sig_from_block(&sig, &siglen, lay, block + lay->sig_off,
                                NULL) == 0 &&
        mfab_sb__verify_digest(key, bi->scheme, digest, dlen, sig, siglen,
                               NULL) == 0)
        st = MFAB_SBV2_SLOT_VERIFIED;
out:
    OPENSSL_free(sig);
    EVP_PKEY_free(embedded);
    return st;
}

/* see secureboot.h */
int
mfab_sbv2_verify(mfab_sbv2_verify_result *out, const uint8_t *data,
                 size_t len, EVP_PKEY *key, unsigned flags, mfab_diag *diag)
{
    mfab_sb_scheme scheme = MFAB_SB_NONE;
    char why[256];
    size_t i, w = 0, nvalid = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    out->verified_block = -1;
    if (len < MFAB_SB_SECTOR ||
        (len % MFAB_SB_SECTOR != 0 && !(flags & MFAB_SBV2_SKIP_PADDING)))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "signed image of %zu bytes not allowed (must "
                             "be at least 4096 and a multiple of 4096)",
                             len);
    rc = mfab_sb_key_scheme(&scheme, key, diag);
    if (rc != 0)
        return rc;
    mfab_sb__sector_parse(&out->info, data, len);
    why[0] = '\0';
    for (i = 0; i < MFAB_SBV2_MAX_BLOCKS; i++) {
        const uint8_t *block =
            data + out->info.contents_len + i * MFAB_SBV2_BLOCK_LEN;
        mfab_sbv2_block_info *bi = &out->info.blocks[i];

        if (!bi->valid)
            continue;
        nvalid++;
        out->slot[i] = check_block(block, bi, data, out->info.contents_len,
                                   key);
        if (out->slot[i] == MFAB_SBV2_SLOT_VERIFIED &&
            out->verified_block < 0)
            out->verified_block = (int)i;
        if (w < sizeof(why))
            w += (size_t)snprintf(why + w, sizeof(why) - w, "%sblock %zu: %s",
                                  w ? ", " : "", i,
                                  slot_words[out->slot[i]]);
    }
    if (nvalid == 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "no valid signature block at offset 0x%zx "
                             "(magic 0xE7, version 2 or 3 and CRC32 "
                             "expected)", out->info.contents_len);
    if (out->verified_block < 0)
        return mfab_diag_set(diag, MFAB_ECRYPTO,
                             "signature verification failed: no block is "
                             "signed by the supplied key (%s)", why);
    return 0;
}
