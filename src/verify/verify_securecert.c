/*
 * verify_securecert.c: the "secure-cert" check: read the device's
 * esp_secure_cert image as the firmware does (spec attestation.md 5.3,
 * 5.5) and take the DAC, PAI, key and commissionable data from it.
 */
#include <string.h>

#include "matterfab/error.h"
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

/* Matter TLV 201 subtypes 0-3 (spec 5.5 entries 4-7). */
static int
take_commissionable(verify_ctx *c, mfab_diag *why)
{
    mfab_securecert_matter m;
    int rc = mfab_securecert_matter_read(&m, c->in->secure_cert,
                                         c->in->secure_cert_len, why);

    /* a damaged MATTER_TLV_1 still means NVS need not hold the data */
    c->sc_has_comm = rc < 0 || m.has_commissionable;
    if (rc < 0 || !m.has_commissionable)
        return rc;
    c->comm_from = "secure-cert";
    c->has_disc = c->has_iter = c->has_salt = c->has_verifier = 1;
    c->disc = m.discriminator;
    memcpy(c->verifier, m.verifier, MFAB_SPAKE2P_VERIFIER_LEN);
    memcpy(c->salt, m.salt, m.salt_len);
    c->salt_len = m.salt_len;
    c->iter = m.iterations;
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
