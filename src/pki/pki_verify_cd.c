/*
 * pki_verify_cd.c: the Certification Declaration steps of the full device
 * attestation (spec attestation.md 4.5 signature, 4.6 payload), run by
 * pki_verify.c after the chain passed. The CD codec lives in src/cd.
 */
#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

/* see pki_internal.h */
int
mfab_pki__verify_cd(mfab_pki_verdict *out, const mfab_pki_validate_input *in,
                    const mfab_pki_vidpid *dac, const mfab_pki_vidpid *pai,
                    const uint8_t paa_skid[MFAB_PKI_KEY_ID_LEN],
                    mfab_diag *diag)
{
    (void)out;
    (void)in;
    (void)dac;
    (void)pai;
    (void)paa_skid;
    return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                         "Certification Declaration checks are not in this "
                         "build yet");
}
