/*
 * sb_sign.c: Secure Boot V2 signing (shared/spec/production-images.md
 * section 4.6).
 *
 *   input  [ contents ][ 0xFF to 4 KiB ]
 *   output [ contents ][ 0xFF to 4 KiB ][ kept blocks | new blocks | FF.. ]
 *
 * With MFAB_SBV2_APPEND, an aligned input whose last sector starts with
 * valid blocks is treated as contents || that sector; the blocks stay.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "secureboot/sb_internal.h"

/* Sign (or check a pre-calculated signature) and fill one block. */
static int
build_block(uint8_t *block, const mfab_sbv2_signer *s,
            const uint8_t *contents, size_t clen, mfab_diag *diag)
{
    mfab_sb_scheme scheme = MFAB_SB_NONE;
    const sb_layout *lay;
    uint8_t digest[48], area[776];
    size_t dlen = 0, alen = 0, siglen = 0;
    uint8_t *sig = NULL;
    int rc;

    rc = mfab_sb__key_area(area, &alen, &scheme, s->key, diag);
    if (rc != 0)
        goto out;
    lay = mfab_sb__layout(scheme);
    rc = mfab_sb__digest(digest, &dlen, lay->hash_type, contents, clen, diag);
    if (rc != 0)
        goto out;
    if (s->sig != NULL) {
        /* check before packing: a wrong pre-calculated signature would
         * only show up as a device that refuses to boot */
        rc = mfab_sb__verify_digest(s->key, scheme, digest, dlen, s->sig,
                                    s->sig_len, diag);
        if (rc != 0)
            goto out;
        rc = mfab_sb__sig_to_block(block + lay->sig_off, lay, s->sig,
                                   s->sig_len, diag);
    } else {
        rc = mfab_sb__sign_digest(&sig, &siglen, s->key, scheme, digest,
                                  dlen, diag);
        if (rc == 0)
            rc = mfab_sb__sig_to_block(block + lay->sig_off, lay, sig,
                                       siglen, diag);
    }
    if (rc != 0)
        goto out;
    block[0] = SB_MAGIC;
    block[1] = lay->version;
    block[2] = lay->hash_type;
    block[3] = 0;
    memcpy(block + 4, digest, dlen);
    memcpy(block + lay->key_off, area, alen);
    mfab_put_le32(block + SB_CRC_OFF, mfab_crc32(0, block, SB_CRC_OFF));
out:
    OPENSSL_free(sig);
    return rc;
}

/* see secureboot.h */
int
mfab_sbv2_sign(uint8_t *buf, size_t cap, size_t *out_len,
               const uint8_t *data, size_t len,
               const mfab_sbv2_signer *signers, size_t nsigners,
               unsigned flags, mfab_diag *diag)
{
    mfab_sbv2_info old;
    size_t clen = len, plen, kept = 0, total, i;
    int precalc = 0;
    uint8_t *sector;
    int rc;

    if (nsigners == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "no signing key or pre-calculated signature "
                             "given");
    for (i = 0; i < nsigners; i++)
        if (signers[i].sig != NULL)
            precalc = 1;
    if ((flags & MFAB_SBV2_APPEND) && len >= MFAB_SB_SECTOR &&
        len % MFAB_SB_SECTOR == 0) {
        mfab_sb__sector_parse(&old, data, len);
        if (old.nblocks > 0) {
            kept = old.nblocks;
            clen = len - MFAB_SB_SECTOR;
        }
    }
    if (kept + nsigners > MFAB_SBV2_MAX_BLOCKS)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "%zu signature blocks requested but only %zu "
                             "of 3 slots are free", nsigners,
                             MFAB_SBV2_MAX_BLOCKS - kept);
    plen = clen;
    if (clen % MFAB_SB_SECTOR != 0) {
        if (precalc)
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "data of %zu bytes is not a multiple of "
                                 "4096: a pre-calculated signature must "
                                 "cover the padded image (pad it first)",
                                 clen);
        if (!(flags & MFAB_SBV2_SKIP_PADDING))
            plen = (clen + MFAB_SB_SECTOR - 1) / MFAB_SB_SECTOR *
                   MFAB_SB_SECTOR;
    }
    total = plen + MFAB_SB_SECTOR;
    *out_len = total;
    if (buf == NULL)
        return 0;
    if (cap < total)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "output buffer of %zu bytes too small (%zu "
                             "needed)", cap, total);
    memcpy(buf, data, clen);
    memset(buf + clen, 0xFF, total - clen);
    sector = buf + plen;
    if (kept > 0)
        memcpy(sector, data + clen, kept * MFAB_SBV2_BLOCK_LEN);
    for (i = 0; i < nsigners; i++) {
        uint8_t *block = sector + (kept + i) * MFAB_SBV2_BLOCK_LEN;

        memset(block, 0, MFAB_SBV2_BLOCK_LEN);
        rc = build_block(block, &signers[i], buf, plen, diag);
        if (rc != 0)
            return rc;
    }
    return 0;
}
