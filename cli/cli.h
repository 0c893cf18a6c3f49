/*
 * cli.h: what every command of the matterfab tool shares.
 *
 * The CLI owns all I/O with the user: it parses arguments (opt.h), calls
 * libmatterfab, prints results, and maps failures to exit codes.
 */
#ifndef MFAB_CLI_H
#define MFAB_CLI_H

#include <stdio.h>

#include "matterfab/diag.h"
#include "opt.h"

#define CLI_EXIT_OK 0
#define CLI_EXIT_ERROR 1
#define CLI_EXIT_USAGE 2

/* Top-level commands: int cmd_<x>(int argc, char **argv), argv[0] = name. */
#define MFAB_COMMAND(fn, name, summary) int cmd_##fn(int argc, char **argv);
#include "commands.h"
#undef MFAB_COMMAND

/* Print "matterfab: <text>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the diag's message (or the code's name) and return CLI_EXIT_ERROR. */
int cli_fail(const mfab_diag *diag, int code);

/* An mfab_diag whose warnings print "matterfab: warning: ..." on stderr. */
void cli_diag_init(mfab_diag *diag);

#endif
