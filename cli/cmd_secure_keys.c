/*
 * cmd_secure_keys.c: "matterfab secure digest-sbv2-public-key |
 * extract-public-key | generate-signing-key | digest-private-key |
 * digest-secure-bootloader" (shared/spec/production-images.md sections
 * 4.5, 4.6 step 6, 4.9).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cmd_secure.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/secureboot.h"

static const cli_opt digest_pub_opts[] = {
    { "keyfile", "-k", "KEY", "private or public key (file or pkcs11: URI)" },
    { "output", "-o", "FILE", "where to write the 32-byte digest" },
};

static const cli_cmd_spec digest_pub_spec = {
    "secure digest-sbv2-public-key", "--keyfile KEY --output FILE",
    "Write the SHA-256 digest of a Secure Boot V2 public key, as burned "
    "into eFuse (ESP32-C2 keeps its first 16 bytes).",
    digest_pub_opts, sizeof(digest_pub_opts) / sizeof(digest_pub_opts[0]),
    0, 0
};

/* Both named options present, or a usage error. */
static int
need(const cli_args *args, const char *a, const char *b)
{
    if (a != NULL && !cli_has(args, a)) {
        cli_error("%s: '--%s' is required", args->spec->name, a);
        return -1;
    }
    if (b != NULL && !cli_has(args, b)) {
        cli_error("%s: '--%s' is required", args->spec->name, b);
        return -1;
    }
    return 0;
}

#define PARSE_OR_RETURN(args, spec, argc, argv)                          \
    do {                                                                 \
        int prc_ = cli_parse(&(args), &(spec), (argc), (argv));          \
        if (prc_ != CLI_PARSE_OK)                                        \
            return prc_ == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE; \
    } while (0)

/* see cmd_secure.h */
int
secure_digest_sbv2_public_key(int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    EVP_PKEY *key = NULL;
    uint8_t digest[32];
    int rc, ret = CLI_EXIT_ERROR;

    PARSE_OR_RETURN(args, digest_pub_spec, argc, argv);
    if (need(&args, "keyfile", "output") != 0)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    key = secure_load_key(cli_get(&args, "keyfile"));
    if (key == NULL)
        goto out;
    rc = mfab_sbv2_pubkey_digest(digest, key, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (secure_write(cli_get(&args, "output"), digest, 32, 0) != 0)
        goto out;
    printf("Public key digest written to %s (32 bytes).\n",
           cli_get(&args, "output"));
    ret = CLI_EXIT_OK;
out:
    EVP_PKEY_free(key);
    return ret;
}

static const cli_opt extract_opts[] = {
    { "version", "-v", "{1,2}",
      "1: raw 64-byte X||Y (P-256); 2: PEM public key (default 1)" },
    { "keyfile", "-k", "KEY", "private key (file or pkcs11: URI)" },
};

static const cli_cmd_spec extract_spec = {
    "secure extract-public-key", "--keyfile KEY [--version 1|2] PUBFILE",
    "Write the public key of a signing key.",
    extract_opts, sizeof(extract_opts) / sizeof(extract_opts[0]), 1, 1
};

/* see cmd_secure.h */
int
secure_extract_public_key(int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    EVP_PKEY *key = NULL;
    uint8_t raw[64];
    char *pem = NULL;
    size_t pem_len = 0;
    int version, rc = 0, ret = CLI_EXIT_ERROR;

    PARSE_OR_RETURN(args, extract_spec, argc, argv);
    version = secure_version(&args, 1);
    if (version < 0 || need(&args, "keyfile", NULL) != 0)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    key = secure_load_key(cli_get(&args, "keyfile"));
    if (key == NULL)
        goto out;
    if (version == 1)
        rc = mfab_sbv1_pubkey_raw(raw, key, &diag);
    else
        rc = mfab_sb_key_pem(&pem, &pem_len, key, 0, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (secure_write(args.pos[0], version == 1 ? (void *)raw : (void *)pem,
                     version == 1 ? sizeof(raw) : pem_len, 0) != 0)
        goto out;
    printf("%s public key extracted to %s\n", version == 1 ? "V1" : "V2",
           args.pos[0]);
    ret = CLI_EXIT_OK;
out:
    mfab_sb_pem_free(pem, pem_len);
    EVP_PKEY_free(key);
    return ret;
}

static const cli_opt genkey_opts[] = {
    { "version", "-v", "{1,2}",
      "1: ECDSA P-256; 2: --scheme (default 1)" },
    { "scheme", "-s", "SCHEME",
      "V2: rsa3072, ecdsa192, ecdsa256 or ecdsa384" },
};

static const cli_cmd_spec genkey_spec = {
    "secure generate-signing-key", "[--version 1|2] [--scheme S] KEYFILE",
    "Generate a Secure Boot signing key as unencrypted traditional PEM "
    "(mode 0600); an existing file is never overwritten.",
    genkey_opts, sizeof(genkey_opts) / sizeof(genkey_opts[0]), 1, 1
};

/* see cmd_secure.h */
int
secure_generate_signing_key(int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    mfab_sb_scheme scheme = MFAB_SB_ECDSA256;
    EVP_PKEY *key = NULL;
    char *pem = NULL;
    size_t pem_len = 0;
    int version, rc, ret = CLI_EXIT_ERROR;

    PARSE_OR_RETURN(args, genkey_spec, argc, argv);
    version = secure_version(&args, 1);
    if (version < 0)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    if (version == 2) {
        if (need(&args, "scheme", NULL) != 0)
            return CLI_EXIT_USAGE;
        rc = mfab_sb_scheme_parse(&scheme, cli_get(&args, "scheme"), &diag);
        if (rc != 0) {
            cli_fail(&diag, rc);
            return CLI_EXIT_USAGE;
        }
    } else if (cli_has(&args, "scheme") &&
               strcmp(cli_get(&args, "scheme"), "ecdsa256") != 0) {
        cli_error("secure generate-signing-key: version 1 keys are ecdsa256 "
                  "only");
        return CLI_EXIT_USAGE;
    }
    if (mfab_path_exists(args.pos[0])) {
        cli_error("key file '%s' already exists: refusing to overwrite a "
                  "signing key (remove it first)", args.pos[0]);
        goto out;
    }
    rc = mfab_sb_key_generate(&key, scheme, &diag);
    if (rc == 0)
        rc = mfab_sb_key_pem(&pem, &pem_len, key, 1, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (secure_write(args.pos[0], pem, pem_len, 1) != 0)
        goto out;
    printf("%s signing key (%s) written to %s\n",
           version == 1 ? "V1" : "V2", mfab_sb_scheme_name(scheme),
           args.pos[0]);
    ret = CLI_EXIT_OK;
out:
    mfab_sb_pem_free(pem, pem_len);
    EVP_PKEY_free(key);
    return ret;
}

static const cli_opt dpriv_opts[] = {
    { "keyfile", "-k", "KEY", "V1 private key (ECDSA P-256)" },
    { "keylen", "-l", "{192,256}", "digest length in bits (default 256)" },
};

static const cli_cmd_spec dpriv_spec = {
    "secure digest-private-key", "--keyfile KEY [--keylen 192|256] OUTFILE",
    "Write the SHA-256 of a V1 private key's scalar (the legacy "
    "secure bootloader key), truncated to --keylen bits.",
    dpriv_opts, sizeof(dpriv_opts) / sizeof(dpriv_opts[0]), 1, 1
};

/* see cmd_secure.h */
int
secure_digest_private_key(int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    EVP_PKEY *key = NULL;
    uint8_t out[32];
    size_t n = 32;
    int rc, ret = CLI_EXIT_ERROR;

    PARSE_OR_RETURN(args, dpriv_spec, argc, argv);
    if (need(&args, "keyfile", NULL) != 0)
        return CLI_EXIT_USAGE;
    if (cli_has(&args, "keylen")) {
        if (strcmp(cli_get(&args, "keylen"), "192") == 0) {
            n = 24;
        } else if (strcmp(cli_get(&args, "keylen"), "256") != 0) {
            cli_error("secure digest-private-key: key length '%s' not "
                      "allowed (allowed: 192, 256)", cli_get(&args, "keylen"));
            return CLI_EXIT_USAGE;
        }
    }
    cli_diag_init(&diag);
    key = secure_load_key(cli_get(&args, "keyfile"));
    if (key == NULL)
        goto out;
    rc = mfab_sbv1_private_key_digest(out, n, key, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (secure_write(args.pos[0], out, n, 1) != 0)
        goto out;
    ret = CLI_EXIT_OK;
out:
    OPENSSL_cleanse(out, sizeof(out));
    EVP_PKEY_free(key);
    return ret;
}

static const cli_opt dboot_opts[] = {
    { "keyfile", "-k", "KEY", "secure boot key (16, 24 or 32 bytes)" },
    { "output", "-o", "FILE", "digested bootloader" },
    { "iv", NULL, "FILE",
      "IV file (up to 128 bytes; default: 128 random bytes)" },
};

static const cli_cmd_spec dboot_spec = {
    "secure digest-secure-bootloader", "--keyfile KEY --output FILE "
    "[--iv FILE] IMAGE",
    "Compute the Secure Boot V1 digest of a bootloader for the original "
    "ESP32 (re-flashable scheme).",
    dboot_opts, sizeof(dboot_opts) / sizeof(dboot_opts[0]), 1, 1
};

/* see cmd_secure.h */
int
secure_digest_secure_bootloader(int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    uint8_t *key = NULL, *iv = NULL, *img = NULL, *buf = NULL;
    uint8_t rnd[MFAB_SBV1_IV_LEN];
    size_t klen = 0, ivlen = 0, ilen = 0, olen = 0;
    int rc, ret = CLI_EXIT_ERROR;

    PARSE_OR_RETURN(args, dboot_spec, argc, argv);
    if (need(&args, "keyfile", "output") != 0)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    if (secure_read(&key, &klen, cli_get(&args, "keyfile")) != 0 ||
        secure_read(&img, &ilen, args.pos[0]) != 0)
        goto out;
    if (cli_has(&args, "iv")) {
        if (secure_read(&iv, &ivlen, cli_get(&args, "iv")) != 0)
            goto out;
        if (ivlen != MFAB_SBV1_IV_LEN)
            mfab_diag_warn(&diag, "IV file '%s' holds %zu bytes; devices "
                           "use 128", cli_get(&args, "iv"), ivlen);
    } else if (RAND_bytes(rnd, sizeof(rnd)) != 1) {
        cli_error("cannot get random bytes for the IV");
        goto out;
    }
    rc = mfab_sbv1_bootloader_digest(NULL, 0, &olen, img, ilen, key, klen,
                                     iv ? iv : rnd, iv ? ivlen : sizeof(rnd),
                                     &diag);
    if (rc == 0) {
        buf = malloc(olen);
        rc = buf == NULL
                 ? MFAB_ENOMEM
                 : mfab_sbv1_bootloader_digest(buf, olen, &olen, img, ilen,
                                               key, klen, iv ? iv : rnd,
                                               iv ? ivlen : sizeof(rnd),
                                               &diag);
    }
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (secure_write(cli_get(&args, "output"), buf, olen, 0) != 0)
        goto out;
    printf("Digest written to %s\n", cli_get(&args, "output"));
    ret = CLI_EXIT_OK;
out:
    free(buf);
    mfab_file_free(key, klen);
    mfab_file_free(iv, ivlen);
    mfab_file_free(img, ilen);
    return ret;
}
