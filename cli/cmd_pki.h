/*
 * cmd_pki.h: what the "matterfab pki" verbs share (cmd_pki*.c).
 */
#ifndef MFAB_CLI_CMD_PKI_H
#define MFAB_CLI_CMD_PKI_H

#include <stdio.h>

#include "matterfab/pki.h"

int cmd_pki_gen_paa(int argc, char **argv);
int cmd_pki_gen_pai(int argc, char **argv);
int cmd_pki_gen_dac(int argc, char **argv);
int cmd_pki_sign_csr(int argc, char **argv);
int cmd_pki_gen_att_cert(int argc, char **argv);
int cmd_pki_show(int argc, char **argv);
int cmd_pki_validate(int argc, char **argv);

/* Key-loading options from the command line and MATTERFAB_PKCS11_MODULE:
 * the CLI reads the environment so that the library never does. */
void pki_key_options(mfab_pki_key_options *out, const char *pass,
                     const char *module);

#endif
