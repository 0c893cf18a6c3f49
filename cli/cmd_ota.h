/*
 * cmd_ota.h: what cmd_ota.c and cmd_ota_show.c share.
 */
#ifndef MFAB_CLI_CMD_OTA_H
#define MFAB_CLI_CMD_OTA_H

int cmd_ota_show(int argc, char **argv);
int cmd_ota_extract(int argc, char **argv);
int cmd_ota_dcl(int argc, char **argv);

/*
 * Replace every "@file" argument by the lines of file (one argument per
 * line, as Python's argparse fromfile_prefix_chars does). *out is NULL
 * when there was nothing to expand.
 * @return 0, or -1 after printing why
 */
int cli_ota_expand_at_files(char ***out, int *out_argc, int argc,
                            char **argv);
void cli_ota_free_expanded(char **argv, int argc);

#endif
