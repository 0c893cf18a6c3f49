/*
 * commands.h: the top-level command table, one row per command:
 * MFAB_COMMAND(function suffix, name, one-line summary). main.c expands it
 * into the dispatch table and cli.h into the prototypes.
 */
MFAB_COMMAND(generate, "generate", "Matter factory data for N devices (esp-matter-mfg-tool)")
MFAB_COMMAND(secure, "secure", "Secure Boot signing and flash encryption (espsecure)")
MFAB_COMMAND(ledger, "ledger", "production ledger: list, show, export, check")
MFAB_COMMAND(secure_cert, "secure-cert", "esp_secure_cert partitions: dump")
MFAB_COMMAND(spake2p, "spake2p", "SPAKE2+ verifiers: verifier, check, gen")
MFAB_COMMAND(cd, "cd", "Certification Declarations: generate, decode, verify")
MFAB_COMMAND(pki, "pki", "attestation PKI: gen-paa, gen-pai, gen-dac, sign-csr, show, validate")
MFAB_COMMAND(image, "image", "ESP app and bootloader images: info")
MFAB_COMMAND(ota, "ota", "Matter OTA images: create, show, extract, change-header, dcl")
MFAB_COMMAND(encimg, "encimg", "Pre-encrypted OTA payloads: encrypt, decrypt, key generation")
MFAB_COMMAND(nvs, "nvs", "NVS partitions: generate, mfg, encrypt, decrypt, generate-key, dump")
MFAB_COMMAND(verify, "verify", "end-of-line verification of a produced device")
MFAB_COMMAND(payload, "payload", "onboarding payloads: encode, decode and draw QR and manual codes")
