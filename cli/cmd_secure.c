/*
 * cmd_secure.c: "matterfab secure <verb>", the espsecure replacement
 * (shared/spec/production-images.md sections 4-5): verb dispatch with
 * espsecure's dash and underscore spellings, and the helpers every verb
 * file shares.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd_secure.h"
#include "matterfab/io.h"
#include "matterfab/secureboot.h"

static const cli_subcmd secure_verbs[] = {
    { "sign-data", secure_sign_data,
      "sign an image for Secure Boot V1 or V2" },
    { "verify-signature", secure_verify_signature,
      "verify a Secure Boot V1 or V2 signed image" },
    { "signature-info-v2", secure_signature_info_v2,
      "list the Secure Boot V2 signature blocks of an image" },
    { "digest-sbv2-public-key", secure_digest_sbv2_public_key,
      "write the SHA-256 key digest burned into eFuse" },
    { "digest-rsa-public-key", secure_digest_sbv2_public_key,
      "old name of digest-sbv2-public-key" },
    { "extract-public-key", secure_extract_public_key,
      "write the public key of a signing key" },
    { "generate-signing-key", secure_generate_signing_key,
      "generate a Secure Boot signing key" },
    { "digest-private-key", secure_digest_private_key,
      "SHA-256 of a V1 private key (legacy eFuse key)" },
    { "digest-secure-bootloader", secure_digest_secure_bootloader,
      "V1 re-flashable bootloader digest (original ESP32)" },
    { "encrypt-flash-data", secure_encrypt_flash_data,
      "encrypt data as it is stored in encrypted flash" },
    { "decrypt-flash-data", secure_decrypt_flash_data,
      "decrypt data read from encrypted flash" },
    { "generate-flash-encryption-key", secure_generate_flash_encryption_key,
      "generate a random flash encryption key file" },
};

/* see cli.h */
int
cmd_secure(int argc, char **argv)
{
    char verb[64];
    size_t i;

    /* espsecure v4 spelled verbs with '_' (sign_data); both work */
    if (argc >= 2 && strlen(argv[1]) < sizeof(verb)) {
        for (i = 0; argv[1][i] != '\0'; i++)
            verb[i] = argv[1][i] == '_' ? '-' : argv[1][i];
        verb[i] = '\0';
        argv[1] = verb;
    }
    return cli_dispatch("secure", secure_verbs,
                        sizeof(secure_verbs) / sizeof(secure_verbs[0]), argc, argv);
}

/* Does arg spell option o ("--name", "--name=v", "--na_me" or alias)? */
static int
is_opt(const cli_opt *o, const char *arg, const char **inline_val)
{
    size_t i, n;

    *inline_val = NULL;
    if (o->alias != NULL && strcmp(arg, o->alias) == 0)
        return 1;
    if (strncmp(arg, "--", 2) != 0)
        return 0;
    arg += 2;
    n = strlen(o->name);
    for (i = 0; i < n; i++) {
        char a = arg[i] == '_' ? '-' : arg[i];
        if (a != o->name[i])
            return 0;
    }
    if (arg[n] == '=') {
        *inline_val = arg + n + 1;
        return 1;
    }
    return arg[n] == '\0';
}

static int
looks_like_option(const char *arg)
{
    return arg[0] == '-' && arg[1] != '\0' &&
           !(arg[1] >= '0' && arg[1] <= '9');
}

/* see cmd_secure.h */
int
secure_multi(const char **out, size_t max, int *extra, const cli_args *args,
             const char *name, int argc, char **argv)
{
    const cli_opt *o = NULL;
    const char *data = args->npos > 0 ? args->pos[args->npos - 1] : NULL;
    size_t n = 0, i;
    int k;

    for (i = 0; i < args->spec->nopts; i++)
        if (strcmp(args->spec->opts[i].name, name) == 0)
            o = &args->spec->opts[i];
    if (o == NULL)
        return 0;
    for (k = 1; k < argc; k++) {
        const char *iv = NULL;
        int first = 1;

        if (strcmp(argv[k], "--") == 0)
            break;
        if (!is_opt(o, argv[k], &iv))
            continue;
        if (iv != NULL) {
            if (n == max)
                goto many;
            out[n++] = iv;
            first = 0;
        }
        while (k + 1 < argc && !looks_like_option(argv[k + 1]) &&
               argv[k + 1] != data) {
            if (n == max)
                goto many;
            out[n++] = argv[++k];
            if (!first)
                (*extra)++;
            first = 0;
        }
    }
    return (int)n;
many:
    cli_error("%s: too many values for '--%s' (at most %zu)",
              args->spec->name, name, max);
    return -1;
}

/* see cmd_secure.h */
int
secure_version(const cli_args *args, int dflt)
{
    const char *v = cli_get(args, "version");

    if (v == NULL)
        return dflt;
    if (strcmp(v, "1") == 0)
        return 1;
    if (strcmp(v, "2") == 0)
        return 2;
    cli_error("%s: version '%s' not allowed (allowed: 1, 2)",
              args->spec->name, v);
    return -1;
}

/* see cmd_secure.h */
EVP_PKEY *
secure_load_key(const char *path)
{
    mfab_diag diag;
    EVP_PKEY *key = NULL;
    int rc;

    cli_diag_init(&diag);
    rc = mfab_sb_key_load(&key, path, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        return NULL;
    }
    return key;
}

/* see cmd_secure.h */
int
secure_read(uint8_t **out, size_t *out_len, const char *path)
{
    mfab_diag diag;
    int rc;

    cli_diag_init(&diag);
    rc = mfab_file_read(out, out_len, path, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        return -1;
    }
    return 0;
}

/* see cmd_secure.h */
int
secure_write(const char *path, const void *data, size_t len, int secret)
{
    mfab_diag diag;
    int rc;

    cli_diag_init(&diag);
    rc = mfab_file_write_atomic(path, data, len,
                                secret ? MFAB_MODE_SECRET : MFAB_MODE_PUBLIC,
                                &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        return -1;
    }
    return 0;
}
