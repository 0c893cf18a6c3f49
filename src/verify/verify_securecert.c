/*
 * verify_securecert.c: the "secure-cert" check: read the device's
 * esp_secure_cert image as the firmware does (spec attestation.md 5.3,
 * 5.5) and take the DAC, PAI, key and commissionable data from it.
 */
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/onboarding.h"
#include "matterfab/securecert.h"
#include "matterfab/spake2p.h"
#include "verify/verify_internal.h"

static int
find(verify_ctx *c, mfab_securecert_entry *e, uint8_t type, int subtype,
     mfab_diag *why)
{
    return mfab_securecert_find(e, c->in->secure_cert, c->in->secure_cert_len,
                                type, subtype, why);
}

/* The DAC trio (spec 5.5 entries 1-3). */
static int
take_dac(verify_ctx *c, mfab_diag *why)
{
    mfab_securecert_entry e;
    int rc = find(c, &e, MFAB_SECURECERT_DEV_CERT, 0, why);

    if (rc == MFAB_ENOTFOUND)
        return 0;
    if (rc < 0)
        return rc;
    c->sc_has_dac = 1;
    c->dac = e.data;
    c->dac_len = e.len;
    c->dac_from = "secure-cert";
    rc = find(c, &e, MFAB_SECURECERT_CA_CERT, 0, why);
    if (rc < 0)
        return mfab_diag_set(why, rc, "DEV_CERT without CA_CERT (the PAI)");
    c->pai = e.data;
    c->pai_len = e.len;
    rc = find(c, &e, MFAB_SECURECERT_PRIV_KEY, 0, why);
    if (rc < 0)
        return mfab_diag_set(why, rc, "DEV_CERT without PRIV_KEY");
    c->key_in_efuse = (e.flags & MFAB_SECURECERT_FLAG_KEY_IN_EFUSE) != 0;
    c->key_der = e.data;
    c->key_der_len = e.len;
    return 0;
}

static uint32_t
le(const uint8_t *p, size_t n)
{
    uint32_t v = 0;

    while (n-- > 0)
        v = (v << 8) | p[n];
    return v;
}

/* Matter TLV 201 subtypes 0-3 (spec 5.5 entries 4-7). */
static int
take_commissionable(verify_ctx *c, mfab_diag *why)
{
    mfab_securecert_entry d, v, s, it;
    int rc = find(c, &d, MFAB_SECURECERT_MATTER_TLV_1,
                  MFAB_SECURECERT_MATTER_DISCRIMINATOR, why);

    if (rc == MFAB_ENOTFOUND)
        return 0;
    if (rc == 0)
        rc = find(c, &v, MFAB_SECURECERT_MATTER_TLV_1,
                  MFAB_SECURECERT_MATTER_VERIFIER, why);
    if (rc == 0)
        rc = find(c, &s, MFAB_SECURECERT_MATTER_TLV_1,
                  MFAB_SECURECERT_MATTER_SALT, why);
    if (rc == 0)
        rc = find(c, &it, MFAB_SECURECERT_MATTER_TLV_1,
                  MFAB_SECURECERT_MATTER_ITERATIONS, why);
    if (rc < 0)
        return mfab_diag_set(why, rc,
                             "MATTER_TLV_1 discriminator without verifier, "
                             "salt and iteration count");
    c->sc_has_comm = 1;
    c->comm_from = "secure-cert";
    if (d.len != 2 || le(d.data, 2) > MFAB_DISCRIMINATOR_MAX)
        return mfab_diag_set(why, MFAB_EFORMAT,
                             "MATTER_TLV_1/0 discriminator is not 2 bytes "
                             "of 0..4095");
    if (v.len != MFAB_SPAKE2P_VERIFIER_LEN)
        return mfab_diag_set(why, MFAB_EFORMAT,
                             "MATTER_TLV_1/1 verifier is %u bytes, not 97",
                             v.len);
    if (s.len < MFAB_SPAKE2P_SALT_MIN || s.len > MFAB_SPAKE2P_SALT_MAX)
        return mfab_diag_set(why, MFAB_EFORMAT,
                             "MATTER_TLV_1/2 salt is %u bytes, not 16..32",
                             s.len);
    if (it.len != 4 || mfab_spake2p_check_iterations(le(it.data, 4), NULL))
        return mfab_diag_set(why, MFAB_EFORMAT,
                             "MATTER_TLV_1/3 iteration count is not 4 bytes "
                             "of 1000..100000");
    c->has_disc = c->has_iter = c->has_salt = c->has_verifier = 1;
    c->disc = (uint16_t)le(d.data, 2);
    memcpy(c->verifier, v.data, v.len);
    memcpy(c->salt, s.data, s.len);
    c->salt_len = s.len;
    c->iter = le(it.data, 4);
    return 0;
}

/* see verify_internal.h */
void
verify__secure_cert(verify_ctx *c)
{
    mfab_securecert_reader r;
    mfab_securecert_entry e;
    mfab_diag why = MFAB_DIAG_INIT;
    unsigned n = 0;
    int rc;

    if (c->in->secure_cert == NULL) {
        verify__set(c, MFAB_VERIFY_SECURE_CERT, MFAB_VERIFY_SKIP,
                    "no esp_secure_cert image");
        return;
    }
    /* every CRC, although the firmware only checks the entries it reads:
     * a damaged entry is a damaged partition */
    mfab_securecert_reader_init(&r, c->in->secure_cert, c->in->secure_cert_len);
    while ((rc = mfab_securecert_next(&r, &e, &why)) == 0) {
        if (!e.crc_ok) {
            verify__set(c, MFAB_VERIFY_SECURE_CERT, MFAB_VERIFY_FAIL,
                        "entry %u (%s/%u) at offset 0x%zx: CRC mismatch", n,
                        mfab_securecert_type_name(e.type), e.subtype, e.offset);
            return;
        }
        n++;
    }
    if (rc != MFAB_ENOTFOUND) {
        verify__set(c, MFAB_VERIFY_SECURE_CERT, MFAB_VERIFY_FAIL, "%s",
                    mfab_diag_message(&why));
        return;
    }
    if (n == 0) {
        verify__set(c, MFAB_VERIFY_SECURE_CERT, MFAB_VERIFY_FAIL,
                    "no entry at offset 0 (magic 0xBA5EBA11 expected)");
        return;
    }
    rc = take_dac(c, &why);
    if (rc == 0)
        rc = take_commissionable(c, &why);
    if (rc < 0) {
        verify__set(c, MFAB_VERIFY_SECURE_CERT, MFAB_VERIFY_FAIL, "%s",
                    mfab_diag_message(&why));
        return;
    }
    verify__set(c, MFAB_VERIFY_SECURE_CERT, MFAB_VERIFY_PASS,
                "%u entries, CRCs ok; holds %s", n,
                c->sc_has_dac && c->sc_has_comm
                    ? "the DAC, its key, the PAI and the commissionable data"
                    : (c->sc_has_dac
                           ? "the DAC, its key and the PAI"
                           : (c->sc_has_comm ? "the commissionable data"
                                             : "no Matter data")));
}
