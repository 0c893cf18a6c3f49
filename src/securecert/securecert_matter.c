/*
 * securecert_matter.c: the Matter entries esp-matter-mfg-tool writes into
 * MATTER_TLV_1 (shared/spec/attestation.md 5.5), read and range-checked
 * once for every reader (verify, generate --secure-cert-in).
 */
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/error.h"
#include "matterfab/onboarding.h"
#include "matterfab/securecert.h"
#include "matterfab/spake2p.h"

static int
find(mfab_securecert_entry *e, const uint8_t *image, size_t len, int subtype,
     mfab_diag *diag)
{
    return mfab_securecert_find(e, image, len, MFAB_SECURECERT_MATTER_TLV_1,
                                subtype, diag);
}

/* see matterfab/securecert.h */
int
mfab_securecert_matter_read(mfab_securecert_matter *out, const uint8_t *image,
                            size_t len, mfab_diag *diag)
{
    mfab_securecert_entry d, v, s, it, rd;
    int rc;

    memset(out, 0, sizeof(*out));
    /* probe quietly; ask again for the message of a damaged entry */
    rc = find(&rd, image, len, MFAB_SECURECERT_MATTER_RD_ID_UID, NULL);
    if (rc != 0 && rc != MFAB_ENOTFOUND)
        return find(&rd, image, len, MFAB_SECURECERT_MATTER_RD_ID_UID, diag);
    if (rc == 0) {
        out->has_rd_id_uid = 1;
        out->rd_id_uid = rd.data;
        out->rd_id_uid_len = rd.len;
    }
    rc = find(&d, image, len, MFAB_SECURECERT_MATTER_DISCRIMINATOR, NULL);
    if (rc == MFAB_ENOTFOUND)
        return 0;
    if (rc < 0)
        return find(&d, image, len, MFAB_SECURECERT_MATTER_DISCRIMINATOR, diag);
    rc = find(&v, image, len, MFAB_SECURECERT_MATTER_VERIFIER, NULL);
    if (rc == 0)
        rc = find(&s, image, len, MFAB_SECURECERT_MATTER_SALT, NULL);
    if (rc == 0)
        rc = find(&it, image, len, MFAB_SECURECERT_MATTER_ITERATIONS, NULL);
    if (rc < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "MATTER_TLV_1 discriminator without verifier, "
                             "salt and iteration count");
    if (d.len != 2 || mfab_le16(d.data) > MFAB_DISCRIMINATOR_MAX)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "MATTER_TLV_1/0 discriminator is not 2 bytes "
                             "of 0..4095");
    if (v.len != MFAB_SPAKE2P_VERIFIER_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "MATTER_TLV_1/1 verifier is %u bytes, not 97",
                             v.len);
    if (s.len < MFAB_SPAKE2P_SALT_MIN || s.len > MFAB_SPAKE2P_SALT_MAX)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "MATTER_TLV_1/2 salt is %u bytes, not 16..32",
                             s.len);
    if (it.len != 4 || mfab_spake2p_check_iterations(mfab_le32(it.data), NULL))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "MATTER_TLV_1/3 iteration count is not 4 bytes "
                             "of 1000..100000");
    out->has_commissionable = 1;
    out->discriminator = mfab_le16(d.data);
    out->verifier = v.data;
    out->salt = s.data;
    out->salt_len = s.len;
    out->iterations = mfab_le32(it.data);
    return 0;
}
