/*
 * commands.h: the top-level command table, one row per command:
 * MFAB_COMMAND(function suffix, name, one-line summary). main.c expands it
 * into the dispatch table and cli.h into the prototypes.
 */
MFAB_COMMAND(image, "image", "ESP app and bootloader images: info")
MFAB_COMMAND(ota, "ota", "Matter OTA images: create, show, extract, change-header, dcl")
MFAB_COMMAND(encimg, "encimg", "Pre-encrypted OTA payloads: encrypt, decrypt, key generation")
