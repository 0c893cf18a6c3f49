/*
 * cmd_secure_flash.c: "matterfab secure encrypt-flash-data |
 * decrypt-flash-data | generate-flash-encryption-key"
 * (shared/spec/production-images.md sections 5.1-5.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd_secure.h"
#include "matterfab/error.h"
#include "matterfab/flashenc.h"
#include "matterfab/io.h"

static const cli_opt crypt_opts[] = {
    { "keyfile", "-k", "KEY", "raw key file (16, 24, 32 or 64 bytes)" },
    { "output", "-o", "FILE", "output file (same length as the input)" },
    { "address", "-a", "ADDR",
      "flash address of the data (multiple of 0x10)" },
    { "flash-crypt-conf", NULL, "N",
      "ESP32 FLASH_CRYPT_CONFIG 0x0..0xF (default 0xF)" },
    { "aes-xts", "-x", NULL,
      "XTS-AES (every chip but the original ESP32)" },
};

static const cli_cmd_spec encrypt_spec = {
    "secure encrypt-flash-data",
    "--keyfile KEY --output FILE --address ADDR [--aes-xts] INPUT",
    "Encrypt data as the chip stores it in encrypted flash at ADDR.",
    crypt_opts, sizeof(crypt_opts) / sizeof(crypt_opts[0]), 1, 1
};

static const cli_cmd_spec decrypt_spec = {
    "secure decrypt-flash-data",
    "--keyfile KEY --output FILE --address ADDR [--aes-xts] INPUT",
    "Decrypt data read from encrypted flash at ADDR.",
    crypt_opts, sizeof(crypt_opts) / sizeof(crypt_opts[0]), 1, 1
};

static int
flash_crypt(const cli_cmd_spec *spec, unsigned flags, int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    mfab_flashenc_key key;
    uint8_t *kf = NULL, *in = NULL, *out = NULL;
    size_t klen = 0, len = 0;
    unsigned long long addr = 0, conf = MFAB_FLASHENC_CONF_DEFAULT;
    int rc, ret = CLI_EXIT_USAGE;

    memset(&key, 0, sizeof(key));
    rc = cli_parse(&args, spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (!cli_has(&args, "keyfile") || !cli_has(&args, "output") ||
        !cli_has(&args, "address")) {
        cli_error("%s: '--keyfile', '--output' and '--address' are required",
                  spec->name);
        goto out;
    }
    if (cli_parse_u64(&addr, cli_get(&args, "address"), "address '--address'",
                      0xFFFFFFFFull) != 0)
        goto out;
    if (cli_has(&args, "flash-crypt-conf") &&
        cli_parse_u64(&conf, cli_get(&args, "flash-crypt-conf"),
                      "value of '--flash-crypt-conf'", 0xF) != 0)
        goto out;
    ret = CLI_EXIT_ERROR;
    cli_diag_init(&diag);
    if (secure_read(&kf, &klen, cli_get(&args, "keyfile")) != 0 ||
        secure_read(&in, &len, args.pos[0]) != 0)
        goto out;
    rc = mfab_flashenc_key_init(&key,
                                cli_has(&args, "aes-xts") ? MFAB_FLASHENC_XTS
                                                          : MFAB_FLASHENC_ESP32,
                                kf, klen, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (!cli_has(&args, "aes-xts") && conf == 0)
        mfab_diag_warn(&diag, "flash crypt conf 0: no key tweak, every "
                       "block uses the same AES key");
    out = malloc(len ? len : 1);
    if (out == NULL) {
        cli_error("out of memory");
        goto out;
    }
    rc = mfab_flashenc_crypt(out, in, len, (uint32_t)addr, &key,
                             (unsigned)conf, flags, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    /* plaintext may be secret (keys, NVS partitions): decrypt output is
     * written private */
    if (secure_write(cli_get(&args, "output"), out, len,
                     (flags & MFAB_FLASHENC_DECRYPT) != 0) != 0)
        goto out;
    ret = CLI_EXIT_OK;
out:
    mfab_flashenc_key_wipe(&key);
    if (out != NULL)
        OPENSSL_cleanse(out, len);
    free(out);
    mfab_file_free(kf, klen);
    mfab_file_free(in, len);
    return ret;
}

/* see cmd_secure.h */
int
secure_encrypt_flash_data(int argc, char **argv)
{
    return flash_crypt(&encrypt_spec, 0, argc, argv);
}

/* see cmd_secure.h */
int
secure_decrypt_flash_data(int argc, char **argv)
{
    return flash_crypt(&decrypt_spec, MFAB_FLASHENC_DECRYPT, argc, argv);
}

static const cli_opt genfe_opts[] = {
    { "keylen", "-l", "BITS",
      "128 (ESP32-C2), 192, 256 (default) or 512 (XTS-AES-256)" },
};

static const cli_cmd_spec genfe_spec = {
    "secure generate-flash-encryption-key", "[--keylen BITS] KEYFILE",
    "Write a random flash encryption key (mode 0600); an existing file is "
    "never overwritten.",
    genfe_opts, sizeof(genfe_opts) / sizeof(genfe_opts[0]), 1, 1
};

/* see cmd_secure.h */
int
secure_generate_flash_encryption_key(int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    uint8_t key[MFAB_FLASHENC_KEY_MAX];
    unsigned long long bits = 256;
    size_t n = 0;
    int rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &genfe_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (cli_has(&args, "keylen") &&
        cli_parse_u64(&bits, cli_get(&args, "keylen"), "key length '--keylen'",
                      512) != 0)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    if (mfab_path_exists(args.pos[0])) {
        cli_error("key file '%s' already exists: refusing to overwrite a "
                  "flash encryption key (remove it first)", args.pos[0]);
        goto out;
    }
    rc = mfab_flashenc_key_generate(key, sizeof(key), &n, (unsigned)bits,
                                    &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        ret = rc == MFAB_EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_ERROR;
        goto out;
    }
    if (secure_write(args.pos[0], key, n, 1) != 0)
        goto out;
    printf("Writing %u random bits to key file %s\n", (unsigned)bits,
           args.pos[0]);
    ret = CLI_EXIT_OK;
out:
    OPENSSL_cleanse(key, sizeof(key));
    return ret;
}
