/*
 * mfg_securecert.c: a device's <uuid>_esp_secure_cert.bin as
 * esp-matter-mfg-tool makes it through esp-secure-cert-tool 2.3.6
 * (shared/spec/attestation.md 5.5): DEV_CERT, CA_CERT, PRIV_KEY (SEC1
 * DER), then with the commissionable data MATTER_TLV_1 subtypes 0-4, 128
 * and 129, in that order, in the padded 8 KiB layout. A --secure-cert-in
 * device keeps its own image, byte for byte.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "mfg/mfg_internal.h"

#define MATTER_RANDOM_LEN 32

static void
entry(mfab_securecert_entry *e, uint8_t type, uint8_t subtype,
      const uint8_t *data, size_t len)
{
    memset(e, 0, sizeof(*e));
    e->type = type;
    e->subtype = subtype;
    e->data = data;
    e->len = (uint16_t)len;
}

/* see mfg_internal.h */
int
mfab_mfg__secure_cert(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    mfab_securecert_entry e[10];
    uint8_t disc[2], iter[4], rnd[2][MATTER_RANDOM_LEN];
    size_t n = 0;
    int rc = 0;

    if (p->scin != NULL) {
        d->sc = p->scin[d->index].image;
        d->sc_len = p->scin[d->index].len;
        return 0;
    }
    d->sc = NULL;
    d->sc_len = 0;
    if (!p->sc_write)
        return 0;
    entry(&e[n++], MFAB_SECURECERT_DEV_CERT, 0, d->dac_der, d->dac_der_len);
    entry(&e[n++], MFAB_SECURECERT_CA_CERT, 0, p->pai_der, p->pai_der_len);
    entry(&e[n++], MFAB_SECURECERT_PRIV_KEY, 0, d->key_sec1, d->key_sec1_len);
    if (p->sc_comm) {
        mfab_put_le16(disc, d->discriminator);
        mfab_put_le32(iter, d->iterations);
        /* what the reference fills with os.urandom: the seeded source
         * in deterministic mode, so -j1 and -j2 agree */
        rc = mfab_mfg__random(p, d->index, "secure-cert-128", rnd[0],
                              MATTER_RANDOM_LEN, diag);
        if (rc == 0)
            rc = mfab_mfg__random(p, d->index, "secure-cert-129", rnd[1],
                                  MATTER_RANDOM_LEN, diag);
        if (rc < 0)
            return rc;
        entry(&e[n++], MFAB_SECURECERT_MATTER_TLV_1,
              MFAB_SECURECERT_MATTER_DISCRIMINATOR, disc, sizeof(disc));
        entry(&e[n++], MFAB_SECURECERT_MATTER_TLV_1,
              MFAB_SECURECERT_MATTER_VERIFIER, d->verifier,
              sizeof(d->verifier));
        entry(&e[n++], MFAB_SECURECERT_MATTER_TLV_1,
              MFAB_SECURECERT_MATTER_SALT, d->salt, d->salt_len);
        entry(&e[n++], MFAB_SECURECERT_MATTER_TLV_1,
              MFAB_SECURECERT_MATTER_ITERATIONS, iter, sizeof(iter));
        entry(&e[n++], MFAB_SECURECERT_MATTER_TLV_1,
              MFAB_SECURECERT_MATTER_RD_ID_UID, d->rd_id_uid,
              sizeof(d->rd_id_uid));
        entry(&e[n++], MFAB_SECURECERT_MATTER_TLV_1, 128, rnd[0],
              MATTER_RANDOM_LEN);
        entry(&e[n++], MFAB_SECURECERT_MATTER_TLV_1, 129, rnd[1],
              MATTER_RANDOM_LEN);
    }
    rc = mfab_securecert_write(d->sc_buf, sizeof(d->sc_buf), &d->sc_len, e, n,
                               MFAB_SECURECERT_LAYOUT_PADDED, diag);
    OPENSSL_cleanse(rnd, sizeof(rnd));
    if (rc < 0)
        return mfab_diag_set(diag, rc, "esp_secure_cert image of %s", d->uuid);
    d->sc = d->sc_buf;
    return 0;
}
