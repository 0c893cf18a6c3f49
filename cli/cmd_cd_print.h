/*
 * cmd_cd_print.h: text and JSON printouts of a Certification Declaration for
 * "matterfab cd" (shared/spec/attestation.md sections 4.1-4.3).
 */
#ifndef MFAB_CLI_CMD_CD_PRINT_H
#define MFAB_CLI_CMD_CD_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "matterfab/cd.h"

/* Human-readable summary of envelope and fields. */
void cd_print_text(FILE *f, const char *path, size_t der_len,
                   const mfab_cd_envelope *env, const mfab_cd_content *c);

/* JSON with the layout of ../shared/vectors/pki/cd-decode/<name>.json. */
void cd_print_json(FILE *f, const char *path, size_t der_len,
                   const mfab_cd_envelope *env, const mfab_cd_content *c);

/* {"result": name, "code": n, "detail": text} */
void cd_print_verdict_json(FILE *f, int result, const char *detail);

#endif
