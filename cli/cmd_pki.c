/*
 * cmd_pki.c: "matterfab pki", the Matter attestation PKI (spec
 * attestation.md sections 1-3): dispatch to the verbs and their shared
 * output helpers.
 */
#include <stdlib.h>

#include "cli.h"
#include "cmd_pki.h"

static const cli_subcmd verbs[] = {
    {"gen-paa", cmd_pki_gen_paa, "create a self-signed PAA certificate"},
    {"gen-pai", cmd_pki_gen_pai, "create a PAI certificate signed by a PAA"},
    {"gen-dac", cmd_pki_gen_dac, "create a DAC certificate signed by a PAI"},
    {"gen-att-cert", cmd_pki_gen_att_cert,
     "chip-cert gen-att-cert form: --type a|i|d"},
    {"sign-csr", cmd_pki_sign_csr,
     "issue a DAC for the public key of a device CSR"},
    {"show", cmd_pki_show, "print a certificate and its Matter attributes"},
    {"validate", cmd_pki_validate,
     "validate DAC/PAI/PAA (and a CD) as a commissioner does"},
};

int
cmd_pki(int argc, char **argv)
{
    return cli_dispatch("pki", verbs, sizeof(verbs) / sizeof(verbs[0]), argc,
                        argv);
}


/* see cmd_pki.h */
void
pki_key_options(mfab_pki_key_options *out, const char *pass, const char *module)
{
    mfab_pki_key_options init = MFAB_PKI_KEY_OPTIONS_INIT;

    *out = init;
    out->pass = pass;
    out->pkcs11_module =
        module != NULL ? module : getenv("MATTERFAB_PKCS11_MODULE");
}
