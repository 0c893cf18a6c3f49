/*
 * commands.h: the top-level command table, one row per command:
 * MFAB_COMMAND(function suffix, name, one-line summary). main.c expands it
 * into the dispatch table and cli.h into the prototypes.
 */
MFAB_COMMAND(secure, "secure", "Secure Boot signing and flash encryption (espsecure)")
MFAB_COMMAND(ledger, "ledger", "production ledger: list, show, export, check")
MFAB_COMMAND(secure_cert, "secure-cert", "esp_secure_cert partitions: dump")
MFAB_COMMAND(spake2p, "spake2p", "SPAKE2+ verifiers: verifier, check, gen")
