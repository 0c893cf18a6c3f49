/*
 * json_out.h: the little JSON printing the CLI's --json outputs need
 * (RFC 8259 string escaping); objects are laid out by each command.
 */
#ifndef MFAB_CLI_JSON_OUT_H
#define MFAB_CLI_JSON_OUT_H

#include <stddef.h>
#include <stdio.h>

/* Print s on f as a JSON string literal, quotes included. */
void json_out_str(FILE *f, const char *s);

/* Same for len bytes that may hold NULs. */
void json_out_strn(FILE *f, const char *s, size_t len);

#endif
