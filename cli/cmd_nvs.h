/*
 * cmd_nvs.h: the "matterfab nvs" command group (shared/spec/nvs.md
 * section 12): its sub-verb handlers and the helpers they share.
 *
 * To add a verb: declare its handler here, define it in its own
 * cmd_nvs_<verb>.c, and add one row to the table in cmd_nvs.c.
 */
#ifndef MFAB_CLI_CMD_NVS_H
#define MFAB_CLI_CMD_NVS_H

#include <stddef.h>

#include "cli.h"

#define NVS_CLI_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Sub-verbs: argv[0] is the verb's name. */
int cmd_nvs_generate(int argc, char **argv);
int cmd_nvs_mfg(int argc, char **argv);
int cmd_nvs_encrypt(int argc, char **argv);
int cmd_nvs_decrypt(int argc, char **argv);
int cmd_nvs_generate_key(int argc, char **argv);
int cmd_nvs_dump(int argc, char **argv);

/*
 * Parse SIZE as nvs_partition_gen does (decimal or 0x-hex) and check it.
 * Prints the error. @return 0 or -1
 */
int nvs_cli_parse_size(size_t *out, const char *text);

/* Parse --version (NULL = 2). Prints the error. @return 1, 2 or -1 */
int nvs_cli_parse_version(const char *text);

/*
 * Check that name has an extension containing ".bin" (reference rule).
 * what names the argument in the message. Prints the error. @return 0/-1
 */
int nvs_cli_check_bin_name(const char *name, const char *what);

/*
 * Where an output goes: outdir/name, or name when it is absolute or
 * outdir is NULL. "~" at the start of outdir is the home folder.
 * Prints the error. @return 0 or -1
 */
int nvs_cli_output_path(char *out, size_t cap, const char *outdir,
                        const char *name);

/* Create the folder holding path (mkdir -p). @return 0 or a MFAB_E* */
int nvs_cli_make_parent(const char *path, mfab_diag *diag);

/* The reference's stdout lines. */
void nvs_cli_print_readonly_warning(size_t size);
void nvs_cli_print_created(int version, const char *path);

#endif
