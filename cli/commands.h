/*
 * commands.h: the top-level command table, one row per command:
 * MFAB_COMMAND(function suffix, name, one-line summary). main.c expands it
 * into the dispatch table and cli.h into the prototypes.
 */
MFAB_COMMAND(secure, "secure", "Secure Boot signing and flash encryption (espsecure)")
