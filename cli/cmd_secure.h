/*
 * cmd_secure.h: helpers shared by the files of "matterfab secure"
 * (shared/spec/production-images.md sections 4-5).
 */
#ifndef MFAB_CMD_SECURE_H
#define MFAB_CMD_SECURE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "cli.h"

#define SECURE_MULTI_MAX 8

/* The verbs, one function each (argv[0] = verb). */
int secure_sign_data(int argc, char **argv);
int secure_verify_signature(int argc, char **argv);
int secure_signature_info_v2(int argc, char **argv);
int secure_digest_sbv2_public_key(int argc, char **argv);
int secure_extract_public_key(int argc, char **argv);
int secure_generate_signing_key(int argc, char **argv);
int secure_digest_private_key(int argc, char **argv);
int secure_digest_secure_bootloader(int argc, char **argv);
int secure_encrypt_flash_data(int argc, char **argv);
int secure_decrypt_flash_data(int argc, char **argv);
int secure_generate_flash_encryption_key(int argc, char **argv);

/*
 * Values of a multi-value option as espsecure takes them: "-k a b c" (up
 * to the next option) and/or a repeated flag. The last positional of
 * args (the data file) is never taken. Returns the count, or -1 after
 * printing a usage error. *extra counts values that cli_parse saw as
 * positionals.
 */
int secure_multi(const char **out, size_t max, int *extra,
                 const cli_args *args, const char *name, int argc,
                 char **argv);

/* --version / -v: 1 or 2; prints and returns -1 on anything else. */
int secure_version(const cli_args *args, int dflt);

/* Load a key through the library; prints the error. NULL on failure. */
EVP_PKEY *secure_load_key(const char *path);

/* Read a whole input file; prints the error. 0 or -1. */
int secure_read(uint8_t **out, size_t *out_len, const char *path);

/* Write an output atomically; prints the error. 0 or -1. */
int secure_write(const char *path, const void *data, size_t len,
                 int secret);

#endif
