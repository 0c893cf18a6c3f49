/*
 * cmd_encimg.c: "matterfab encimg": pre-encrypted OTA payloads with
 * esp_enc_img_gen.py's command line (shared/spec/production-images.md
 * section 6.3): encrypt, decrypt, --generate_rsa_key, --generate_ecc_key.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "matterfab/encimg.h"
#include "matterfab/error.h"
#include "matterfab/io.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const cli_opt group_opts[] = {
    { "generate_rsa_key", NULL, NULL,
      "write a new RSA-3072 pair: rsa_priv_key.pem, rsa_pub_key.pem" },
    { "generate_ecc_key", NULL, NULL,
      "write a new eFuse HMAC key and its P-256 public key: "
      "device_hmac_key.bin, device_pub_key.pem" },
};

static const cli_cmd_spec group_spec = {
    "encimg", "encrypt|decrypt ... | --generate_rsa_key | --generate_ecc_key",
    "Pre-encrypted OTA payloads (esp_encrypted_img): RSA-3072 or ECIES-P256 "
    "key wrap, AES-256-GCM.\n\ncommands:\n"
    "  encrypt          IN KEY OUT: encrypt a firmware image\n"
    "  decrypt          IN KEY OUT: decrypt and authenticate an image",
    group_opts, NELEM(group_opts), 0, 0,
};

static const cli_cmd_spec encrypt_spec = {
    "encimg encrypt", "INPUT.bin KEY OUTPUT.bin",
    "Encrypt a firmware image for devices holding KEY's private half. KEY: "
    "PEM RSA-3072 or EC P-256 key (public or private), or a 32-byte "
    "device_hmac_key.bin",
    NULL, 0, 3, 3,
};

static const cli_cmd_spec decrypt_spec = {
    "encimg decrypt", "INPUT.bin KEY OUTPUT.bin",
    "Decrypt and authenticate a pre-encrypted image. KEY: the device's PEM "
    "private key (RSA-3072 or EC P-256) or its 32-byte device_hmac_key.bin",
    NULL, 0, 3, 3,
};

static int
load_key(mfab_encimg_key **out, const char *path, mfab_diag *diag)
{
    uint8_t *data = NULL;
    size_t len = 0;
    int rc;

    rc = mfab_file_read(&data, &len, path, diag);
    if (rc == 0)
        rc = mfab_encimg_key_load(out, data, len, path, diag);
    mfab_file_free(data, len);
    return rc;
}

/* Shared by encrypt and decrypt: read, transform into a new buffer, write. */
static int
run(int argc, char **argv, int decrypt)
{
    mfab_encimg_key *key = NULL;
    mfab_diag diag;
    cli_args args;
    uint8_t *in = NULL, *out = NULL;
    size_t in_len = 0, out_len = 0;
    int rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, decrypt ? &decrypt_spec : &encrypt_spec, argc,
                   argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = load_key(&key, args.pos[1], &diag);
    if (rc == 0)
        rc = mfab_file_read(&in, &in_len, args.pos[0], &diag);
    if (rc < 0)
        goto fail;
    if (decrypt)
        rc = mfab_encimg_decrypt(NULL, 0, &out_len, key, in, in_len, &diag);
    else
        rc = mfab_encimg_encrypt(NULL, 0, &out_len, key, in, in_len, &diag);
    if (rc < 0) {
        cli_error("%s: %s", args.pos[0], mfab_diag_message(&diag));
        goto out;
    }
    out = malloc(out_len ? out_len : 1);
    if (out == NULL) {
        rc = MFAB_ENOMEM;
        goto fail;
    }
    if (decrypt)
        rc = mfab_encimg_decrypt(out, out_len, &out_len, key, in, in_len,
                                 &diag);
    else
        rc = mfab_encimg_encrypt(out, out_len, &out_len, key, in, in_len,
                                 &diag);
    if (rc < 0) {
        cli_error("%s: %s", args.pos[0], mfab_diag_message(&diag));
        goto out;
    }
    rc = mfab_file_write_atomic(args.pos[2], out, out_len, MFAB_MODE_PUBLIC,
                                &diag);
    if (rc < 0)
        goto fail;
    ret = CLI_EXIT_OK;
    goto out;
fail:
    ret = cli_fail(&diag, rc);
out:
    mfab_encimg_key_free(key);
    mfab_file_free(in, in_len);
    free(out);
    return ret;
}

static int
encimg_encrypt(int argc, char **argv)
{
    return run(argc, argv, 0);
}

static int
encimg_decrypt(int argc, char **argv)
{
    return run(argc, argv, 1);
}

/* Key files are never overwritten: a factory key lost is a fleet lost. */
static int
refuse_existing(const char *a, const char *b)
{
    const char *which = mfab_path_exists(a) ? a : b;

    if (!mfab_path_exists(a) && !mfab_path_exists(b))
        return 0;
    cli_error("encimg: '%s' exists already (move it away first: key files "
              "are never overwritten)",
              which);
    return -1;
}

static int
write_pem(const mfab_encimg_key *key, int private_half, const char *path,
          mfab_diag *diag)
{
    char *pem = NULL;
    size_t len = 0;
    int rc;

    rc = mfab_encimg_key_pem(&pem, &len, key, private_half, diag);
    if (rc == 0)
        rc = mfab_file_write_atomic(path, pem, len,
                                    private_half ? MFAB_MODE_SECRET
                                                 : MFAB_MODE_PUBLIC,
                                    diag);
    mfab_encimg_pem_free(pem, len);
    return rc;
}

/* volatile so that the compiler keeps the stores to a dying buffer */
static void
wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;

    while (n-- > 0)
        *v++ = 0;
}

static int
generate(int ecc)
{
    static const char *const names[2][2] = {
        { "rsa_priv_key.pem", "rsa_pub_key.pem" },
        { "device_hmac_key.bin", "device_pub_key.pem" },
    };
    uint8_t hmac[MFAB_ENCIMG_HMAC_KEY_LEN];
    mfab_encimg_key *key = NULL;
    mfab_diag diag;
    int rc;

    if (refuse_existing(names[ecc][0], names[ecc][1]) < 0)
        return CLI_EXIT_ERROR;
    cli_diag_init(&diag);
    if (ecc) {
        rc = mfab_encimg_generate_hmac_key(hmac, &diag);
        if (rc == 0)
            rc = mfab_encimg_key_from_hmac(&key, hmac, &diag);
        if (rc == 0)
            rc = mfab_file_write_atomic(names[1][0], hmac, sizeof(hmac),
                                        MFAB_MODE_SECRET, &diag);
        wipe(hmac, sizeof(hmac));
    } else {
        rc = mfab_encimg_key_generate_rsa(&key, &diag);
        if (rc == 0)
            rc = write_pem(key, 1, names[0][0], &diag);
    }
    if (rc == 0)
        rc = write_pem(key, 0, names[ecc][1], &diag);
    mfab_encimg_key_free(key);
    if (rc < 0)
        return cli_fail(&diag, rc);
    printf("wrote %s and %s\n", names[ecc][0], names[ecc][1]);
    return CLI_EXIT_OK;
}

static const cli_subcmd encimg_cmds[] = {
    { "encrypt", encimg_encrypt, "encrypt a firmware image" },
    { "decrypt", encimg_decrypt, "decrypt and authenticate an image" },
};

int
cmd_encimg(int argc, char **argv)
{
    cli_args args;
    size_t i;
    int rc;

    for (i = 0; argc >= 2 && i < NELEM(encimg_cmds); i++)
        if (strcmp(argv[1], encimg_cmds[i].name) == 0)
            return cli_dispatch("encimg", encimg_cmds, NELEM(encimg_cmds),
                                argc, argv);
    rc = cli_parse(&args, &group_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (cli_has(&args, "generate_rsa_key") ==
        cli_has(&args, "generate_ecc_key")) {
        cli_error("encimg: give a command (encrypt, decrypt) or one of "
                  "'--generate_rsa_key', '--generate_ecc_key'");
        return CLI_EXIT_USAGE;
    }
    return generate(cli_has(&args, "generate_ecc_key"));
}
