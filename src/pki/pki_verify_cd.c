/*
 * pki_verify_cd.c: the Certification Declaration steps of the full device
 * attestation (spec attestation.md 4.5 signature, 4.6 payload), run by
 * pki_verify.c after the chain passed. The CD codec and checks live in
 * src/cd (matterfab/cd.h); this file only feeds them what the chain
 * established (DAC/PAI VID/PID, the PAA's SKID) and the trusted signers.
 */
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "matterfab/cd.h"
#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

#define MAX_SIGNERS 16

/* see pki_internal.h */
int
mfab_pki__verify_cd(mfab_pki_verdict *out, const mfab_pki_validate_input *in,
                    const mfab_pki_vidpid *dac, const mfab_pki_vidpid *pai,
                    const uint8_t paa_skid[MFAB_PKI_KEY_ID_LEN],
                    mfab_diag *diag)
{
    X509 *signers[MAX_SIGNERS];
    mfab_cd_device_info info;
    mfab_diag why = MFAB_DIAG_INIT;
    size_t i, n = 0;
    int result = MFAB_CD_INTERNAL_ERROR, rc = 0;

    if (in->ncd_certs == 0 || in->ncd_certs > MAX_SIGNERS)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "full attestation needs 1..%d trusted CD "
                             "signing certificates (got %zu)",
                             MAX_SIGNERS, in->ncd_certs);
    for (i = 0; i < in->ncd_certs; i++) {
        signers[n] = in->cd_cert_x != NULL ? in->cd_cert_x[i] : NULL;
        if (signers[n] != NULL && X509_up_ref(signers[n]) == 1) {
            n++;
            continue;
        }
        signers[n] = NULL;
        rc = mfab_pki_cert_parse(&signers[n], in->cd_certs[i],
                                 in->cd_cert_len[i], &why);
        if (rc < 0) {
            rc = mfab_diag_set(diag, rc, "CD signing certificate %zu: %s",
                               i + 1, mfab_diag_message(&why));
            goto out;
        }
        n++;
    }
    memset(&info, 0, sizeof(info));
    info.dac_vid = dac->vid;
    info.dac_pid = dac->pid;
    info.pai_vid = pai->vid;
    info.pai_pid = pai->has_pid ? pai->pid : 0;
    info.basic_vid = in->has_basic_info ? in->basic_vid : dac->vid;
    info.basic_pid = in->has_basic_info ? in->basic_pid : dac->pid;
    memcpy(info.paa_skid, paa_skid, sizeof(info.paa_skid));
    (void)mfab_cd_attest(&result, in->cd, in->cd_len, signers, n, &info, &why);
    out->code = result;
    if (result != MFAB_CD_OK)
        snprintf(out->detail, sizeof(out->detail), "%s",
                 mfab_diag_message(&why));
out:
    ERR_clear_error();
    for (i = 0; i < n; i++)
        X509_free(signers[i]);
    return rc;
}
