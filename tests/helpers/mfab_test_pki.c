/*
 * mfab_test_pki.c: certificate and key fixtures for the pki tests (see
 * mfab_test_pki.h).
 */
#include "mfab_test.h"
#include "mfab_test_pki.h"

X509 *
mfab_test_cert(const char *rel)
{
    char path[1024];
    X509 *c = NULL;
    mfab_diag d = MFAB_DIAG_INIT;

    mfab_test_vpath(path, sizeof(path), rel);
    if (mfab_pki_cert_load(&c, path, &d) != 0)
        fail_msg("%s: %s", rel, mfab_diag_message(&d));
    return c;
}

EVP_PKEY *
mfab_test_key(const char *rel)
{
    char path[1024];
    EVP_PKEY *k = NULL;
    mfab_diag d = MFAB_DIAG_INIT;

    mfab_test_vpath(path, sizeof(path), rel);
    if (mfab_pki_key_load(&k, path, NULL, &d) != 0)
        fail_msg("%s: %s", rel, mfab_diag_message(&d));
    return k;
}

void
mfab_test_dac_options(mfab_pki_issue_options *o)
{
    mfab_pki_issue_options init = MFAB_PKI_ISSUE_OPTIONS_INIT;

    *o = init;
    o->type = MFAB_PKI_DAC;
    o->subject_cn = "Matter DAC";
    o->has_vid = o->has_pid = 1;
    o->vid = 0xFFF1;
    o->pid = 0x8000;
    o->not_before = 1719792000; /* 2024-07-01 */
    o->lifetime_days = 365;
}
