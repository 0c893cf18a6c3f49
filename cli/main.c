/*
 * main.c: the matterfab tool's entry point and top-level command table.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "matterfab/matterfab.h"

static const cli_subcmd commands[] = {
#define MFAB_COMMAND(fn, name, summary) { name, cmd_##fn, summary },
#include "commands.h"
#undef MFAB_COMMAND
    { NULL, NULL, NULL }
};

int
main(int argc, char **argv)
{
    size_t n = sizeof(commands) / sizeof(commands[0]) - 1;

    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("matterfab %s\n", mfab_version());
        return CLI_EXIT_OK;
    }
    argv[0] = "matterfab";
    return cli_dispatch("", commands, n, argc, argv);
}
