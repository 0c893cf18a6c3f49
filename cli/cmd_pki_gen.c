/*
 * cmd_pki_gen.c: "matterfab pki gen-paa | gen-pai | gen-dac | sign-csr",
 * attestation certificates to the Matter profile (spec attestation.md 2,
 * 3.1), with chip-cert gen-att-cert's option names.
 */
#include "cli.h"
#include "cmd_pki.h"

int cmd_pki_gen_paa(int argc, char **argv) { (void)argc; (void)argv; return 1; }
int cmd_pki_gen_pai(int argc, char **argv) { (void)argc; (void)argv; return 1; }
int cmd_pki_gen_dac(int argc, char **argv) { (void)argc; (void)argv; return 1; }
int cmd_pki_sign_csr(int argc, char **argv) { (void)argc; (void)argv; return 1; }
int cmd_pki_show(int argc, char **argv) { (void)argc; (void)argv; return 1; }
