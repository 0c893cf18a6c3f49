/*
 * mfg_verify.c: generate --verify: each device goes through the end-of-line
 * checks of matterfab verify (matterfab/verify.h) on the bytes about to be
 * written (image as flashed, keys partition, secure cert, onboarding CSV),
 * so a device that would not commission is never written nor recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>

#include "common/common_internal.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "matterfab/verify.h"
#include "mfg/mfg_internal.h"

static int
read_der(uint8_t **out, size_t *len, const char *path, const char *what,
         mfab_diag *diag)
{
    int rc = mfab_file_read(out, len, path, diag);

    if (rc < 0)
        return mfab_diag_set(diag, rc, "--verify: cannot read the %s '%s'",
                             what, path);
    return 0;
}

/* The trust store parsed once, for every device's validation: a parse
 * costs about as much as a signature check. A certificate that does not
 * parse stays NULL; validation parses it again and reports it. */
static int
parse_once(mfab_mfg_plan *p, mfab_diag *diag)
{
    size_t i;

    p->verify_paa_x = calloc(p->n_verify_paa, sizeof(*p->verify_paa_x));
    if (p->verify_paa_x == NULL && p->n_verify_paa > 0)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    for (i = 0; i < p->n_verify_paa; i++)
        if (mfab_pki_cert_parse(&p->verify_paa_x[i], p->verify_paa[i],
                                p->verify_paa_len[i], NULL) < 0)
            p->verify_paa_x[i] = NULL;
    if (p->verify_cd != NULL &&
        mfab_pki_cert_parse(&p->verify_cd_x, p->verify_cd, p->verify_cd_len,
                            NULL) < 0)
        p->verify_cd_x = NULL;
    ERR_clear_error();
    return 0;
}

/* see mfg_internal.h */
int
mfab_mfg__load_verify(mfab_mfg_plan *p, mfab_diag *diag)
{
    const mfab_mfg_options *o = &p->o;
    const char *paa = o->verify_paa ? o->verify_paa : o->paa ? o->cert : NULL;
    mfab_diag why = MFAB_DIAG_INIT;
    int rc;

    if (!o->verify && o->n_secure_cert_in == 0)
        return 0;
    if (paa == NULL)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--verify needs the trusted PAA: --verify-paa "
                             "FILE (or --paa -c PAA)");
    if (o->verify && o->no_bin)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--verify checks the NVS image: not with "
                             "--no-bin");
    /* a file, or a folder of PAAs (the one the PAI names is used) */
    rc = mfab_verify_load_certs(&p->verify_paa, &p->verify_paa_len,
                                &p->n_verify_paa, paa, &why);
    if (rc < 0)
        return mfab_diag_set(diag, rc, "cannot read the PAA '%s': %s", paa,
                             mfab_diag_message(&why));
    if (o->cd_cert != NULL)
        rc = read_der(&p->verify_cd, &p->verify_cd_len, o->cd_cert,
                      "CD signing certificate", diag);
    if (rc < 0)
        return rc;
    return parse_once(p, diag);
}

/* see mfg_internal.h */
void
mfab_mfg__release_verify(mfab_mfg_plan *p)
{
    size_t i;

    for (i = 0; p->verify_paa_x != NULL && i < p->n_verify_paa; i++)
        X509_free(p->verify_paa_x[i]);
    free(p->verify_paa_x);
    X509_free(p->verify_cd_x);
    p->verify_paa_x = NULL;
    p->verify_cd_x = NULL;
    mfab_verify_certs_free(p->verify_paa, p->verify_paa_len, p->n_verify_paa);
    mfab_file_free(p->verify_cd, p->verify_cd_len);
    p->verify_paa = NULL;
    p->verify_paa_len = NULL;
    p->n_verify_paa = 0;
    p->verify_cd = NULL;
}

/* A pre-provisioned verifier whose passcode stayed with the module
 * vendor: the format of MATTER_TLV_1 was checked by the plan, the verifier
 * check cannot run. */
static int
unknown_passcode(const mfab_mfg_plan *p)
{
    return p->scin != NULL && p->sc_comm && !p->o.has_passcode;
}

/* see mfg_internal.h */
int
mfab_mfg__verify_device(const mfab_mfg_plan *p, const mfg_device *d,
                        mfab_diag *diag)
{
    mfab_verify_input in = MFAB_VERIFY_INPUT_INIT;
    mfab_verify_report rep;
    const uint8_t *cd[1];
    size_t cd_len[1];
    int rc, i;

    if (!p->o.verify)
        return 0;

    in.partition = d->image;
    in.partition_len = d->image_len;
    in.secure_cert = d->sc;
    in.secure_cert_len = d->sc_len;
    if (p->o.encrypt) {
        in.keys = d->keys_part;
        in.keys_len = sizeof(d->keys_part);
    }
    if (!p->o.dynamic_passcode) {
        in.onb_csv = d->onb;
        in.onb_csv_len = d->onb_len;
        in.onb_name = "onb_codes.csv";
    }
    in.paa = (const uint8_t *const *)p->verify_paa;
    in.paa_len = p->verify_paa_len;
    in.npaa = p->n_verify_paa;
    in.paa_x = p->verify_paa_x;
    in.pai_x = p->pai;
    in.pai_der = p->pai_der;
    in.pai_der_len = p->pai_der_len;
    if (p->verify_cd != NULL) {
        cd[0] = p->verify_cd;
        cd_len[0] = p->verify_cd_len;
        in.cd_certs = cd;
        in.cd_cert_len = cd_len;
        in.ncd_certs = 1;
        in.cd_cert_x = &p->verify_cd_x;
    }
    in.now = time(NULL);
    rc = mfab_verify_device(&rep, &in, diag);
    if (rc < 0 || rep.ok)
        return rc;
    for (i = 0; i < MFAB_VERIFY_NCHECKS; i++)
        if (rep.checks[i].status == MFAB_VERIFY_FAIL &&
            !(i == MFAB_VERIFY_VERIFIER && unknown_passcode(p)))
            return mfab_diag_set(diag, MFAB_ECRYPTO,
                                 "device %llu (%s) fails verification: %s: "
                                 "%s",
                                 (unsigned long long)d->index, d->uuid,
                                 rep.checks[i].name, rep.checks[i].detail);
    if (unknown_passcode(p))
        return 0;
    return mfab_diag_set(diag, MFAB_ECRYPTO, "device %llu fails verification",
                         (unsigned long long)d->index);
}
