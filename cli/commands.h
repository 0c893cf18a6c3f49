/*
 * commands.h: the top-level command table, one row per command:
 * MFAB_COMMAND(function suffix, name, one-line summary). main.c expands it
 * into the dispatch table and cli.h into the prototypes.
 */
MFAB_COMMAND(ledger, "ledger", "production ledger: list, show, export, check")
MFAB_COMMAND(secure_cert, "secure-cert", "esp_secure_cert partitions: dump")
MFAB_COMMAND(spake2p, "spake2p", "SPAKE2+ verifiers: verifier, check, gen")
MFAB_COMMAND(payload, "payload", "onboarding payloads: encode, decode and draw QR and manual codes")
