/*
 * cmd_nvs_crypt.c: "matterfab nvs encrypt", "nvs decrypt" and
 * "nvs generate-key" (shared/spec/nvs.md sections 12 and 13): the
 * command lines, output locations (keys/ folder, default key file names)
 * and stdout messages of nvs_partition_gen.
 *
 * Unlike the reference, nothing is written until every step succeeded:
 * an "encrypt --keygen" that fails on the CSV leaves no keys file behind.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cmd_nvs.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/nvs.h"
#include "matterfab/nvs_crypt.h"

/* clang-format off */
#define HMAC_OPTS                                                            \
    { "key_protect_hmac", NULL, NULL,                                        \
      "derive the keys from an HMAC key (ESP-IDF HMAC scheme)" },            \
    { "kp_hmac_keygen", NULL, NULL,                                          \
      "with --key_protect_hmac: generate a random HMAC key" },               \
    { "kp_hmac_keyfile", NULL, "NAME",                                       \
      "file name of the generated HMAC key (default hmac-<keyfile>)" },      \
    { "kp_hmac_inputkey", NULL, "FILE",                                      \
      "with --key_protect_hmac: the 32-byte HMAC key to derive from" }
/* clang-format on */

/*
 * Apply the reference's file-name rule: no extension -> ".bin" appended,
 * an extension without ".bin" -> error. Prints the error. @return 0/-1
 */
static int
bin_name(char *out, size_t cap, const char *name, const char *what)
{
    const char *base = strrchr(name, '/');
    const char *dot;
    int n;

    base = base != NULL ? base + 1 : name;
    while (*base == '.')
        base++; /* a leading dot starts a hidden name, not an extension */
    dot = strrchr(base, '.');
    if (dot == NULL)
        n = snprintf(out, cap, "%s.bin", name);
    else if (strstr(dot, ".bin") == NULL)
        n = -1;
    else
        n = snprintf(out, cap, "%s", name);
    if (n < 0 || (size_t)n >= cap) {
        cli_error("%s '%s': only the .bin extension is allowed", what, name);
        return -1;
    }
    return 0;
}

/* <outdir>/keys/<name>; an absolute name is used as it is. */
static int
keys_path(char *out, size_t cap, const char *outdir, const char *name)
{
    char dir[4096];
    int n;

    n = snprintf(dir, sizeof(dir), "%s%skeys",
                 outdir != NULL && outdir[0] != '\0' ? outdir : "",
                 outdir != NULL && outdir[0] != '\0' ? "/" : "");
    if (n < 0 || (size_t)n >= sizeof(dir)) {
        cli_error("output folder '%s' too long", outdir);
        return -1;
    }
    return nvs_cli_output_path(out, cap, dir, name);
}

static int
read_file(uint8_t **out, size_t *len, const char *path, const char *what)
{
    mfab_diag diag;
    int rc;

    cli_diag_init(&diag);
    rc = mfab_file_read(out, len, path, &diag);
    if (rc < 0) {
        cli_error("cannot read %s '%s': %s", what, path,
                  mfab_diag_message(&diag));
        return -1;
    }
    return 0;
}

/* Read a keys file (nvs_keys partition, or 64 raw bytes). */
static int
load_keys(mfab_nvs_keys *out, const char *path)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    mfab_diag diag;
    int rc;

    if (nvs_cli_check_bin_name(path, "keys file") < 0 ||
        read_file(&buf, &len, path, "keys file") < 0)
        return -1;
    cli_diag_init(&diag);
    rc = mfab_nvs_keys_decode(out, buf, len, &diag);
    mfab_file_free(buf, len);
    if (rc < 0) {
        cli_error("keys file '%s': %s", path, mfab_diag_message(&diag));
        return -1;
    }
    return 0;
}

/* A key file that will be written, with its contents. */
typedef struct key_out {
    char path[4096];
    uint8_t data[MFAB_NVS_KEYS_SIZE];
    size_t len;
} key_out;

/*
 * Make the keys of generate-key / encrypt --keygen as the options say.
 * Fills keys, the keys file (ko[0]) and, with --kp_hmac_keygen, the HMAC
 * key file (ko[1], else ko[1].len = 0). Nothing is written yet.
 * Prints the error. @return 0 or -1
 */
static int
make_keys(mfab_nvs_keys *keys, key_out ko[2], const cli_args *args)
{
    const char *outdir = cli_get(args, "outdir");
    const char *keyfile = cli_get(args, "keyfile");
    char name[4096], dflt[64];
    uint8_t *hk = NULL;
    size_t hk_len = 0;
    mfab_diag diag;
    int rc = -1;

    cli_diag_init(&diag);
    ko[1].len = 0;
    if (keyfile == NULL) {
        time_t now = time(NULL);
        struct tm tm;

        localtime_r(&now, &tm);
        strftime(dflt, sizeof(dflt), "keys-%m-%d_%H-%M.bin", &tm);
        keyfile = dflt;
    }
    if (bin_name(name, sizeof(name), keyfile, "key file") < 0 ||
        keys_path(ko[0].path, sizeof(ko[0].path), outdir, name) < 0)
        goto out;
    if (!cli_has(args, "key_protect_hmac")) {
        if (mfab_nvs_keys_generate(keys, &diag) < 0)
            goto fail;
    } else if (cli_has(args, "kp_hmac_keygen")) {
        const char *hname = cli_get(args, "kp_hmac_keyfile");
        char hdefault[4200];

        if (hname == NULL) {
            int n = snprintf(hdefault, sizeof(hdefault), "hmac-%s", name);

            if (n < 0 || (size_t)n >= sizeof(hdefault)) {
                cli_error("key file name '%s' too long", name);
                goto out;
            }
            hname = hdefault;
        }
        if (bin_name(name, sizeof(name), hname, "HMAC key file") < 0 ||
            keys_path(ko[1].path, sizeof(ko[1].path), outdir, name) < 0)
            goto out;
        if (mfab_nvs_hmac_key_generate(ko[1].data, &diag) < 0 ||
            mfab_nvs_keys_from_hmac(keys, ko[1].data, &diag) < 0)
            goto fail;
        ko[1].len = MFAB_NVS_HMAC_KEY_SIZE;
    } else if (cli_has(args, "kp_hmac_inputkey")) {
        const char *in = cli_get(args, "kp_hmac_inputkey");

        if (read_file(&hk, &hk_len, in, "HMAC key file") < 0)
            goto out;
        if (hk_len != MFAB_NVS_HMAC_KEY_SIZE) {
            cli_error("HMAC key file '%s' is %zu bytes (allowed: exactly "
                      "32, the eFuse HMAC key)",
                      in, hk_len);
            goto out;
        }
        if (mfab_nvs_keys_from_hmac(keys, hk, &diag) < 0)
            goto fail;
    } else {
        cli_error("option '--key_protect_hmac' needs the HMAC key: give "
                  "'--kp_hmac_keygen' or '--kp_hmac_inputkey FILE'");
        goto out;
    }
    mfab_nvs_keys_encode(ko[0].data, keys);
    ko[0].len = MFAB_NVS_KEYS_SIZE;
    rc = 0;
    goto out;
fail:
    cli_fail(&diag, diag.code);
out:
    mfab_file_free(hk, hk_len);
    if (rc < 0)
        mfab_nvs_keys_wipe(keys);
    return rc;
}

/* Write the key files made by make_keys, 0600. Prints the error. */
static int
write_keys(const key_out ko[2])
{
    mfab_diag diag;
    int i;

    cli_diag_init(&diag);
    for (i = 1; i >= 0; i--) {
        if (ko[i].len == 0)
            continue;
        if (nvs_cli_make_parent(ko[i].path, &diag) < 0 ||
            mfab_file_write_atomic(ko[i].path, ko[i].data, ko[i].len,
                                   MFAB_MODE_SECRET, &diag) < 0) {
            cli_fail(&diag, diag.code);
            return -1;
        }
    }
    printf("\nCreated encryption keys: ===>  %s\n", ko[0].path);
    return 0;
}

static void
wipe_keys(mfab_nvs_keys *keys, key_out ko[2])
{
    mfab_nvs_keys_wipe(keys);
    OPENSSL_cleanse(ko, 2 * sizeof(*ko));
}

static const cli_opt genkey_opts[] = {
    {"keyfile", NULL, "NAME",
     "keys file name in OUTDIR/keys/ (default keys-MM-DD_HH-MM.bin)"},
    {"outdir", NULL, "DIR", "write keys/ below DIR (default: cwd)"},
    HMAC_OPTS,
};

static const cli_cmd_spec genkey_spec = {
    "nvs generate-key",
    "[options]",
    "Create an NVS encryption keys partition (4096 bytes, mode 0600) from "
    "random bytes or, with --key_protect_hmac, from an HMAC key.",
    genkey_opts,
    NVS_CLI_COUNT(genkey_opts),
    0,
    0};

/* see cmd_nvs.h */
int
cmd_nvs_generate_key(int argc, char **argv)
{
    mfab_nvs_keys keys;
    key_out ko[2];
    cli_args args;
    int rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &genkey_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (make_keys(&keys, ko, &args) < 0)
        goto out;
    if (write_keys(ko) < 0)
        goto out;
    ret = CLI_EXIT_OK;
out:
    wipe_keys(&keys, ko);
    return ret;
}

static const cli_opt encrypt_opts[] = {
    {"version", NULL, "1|2",
     "NVS format: 2 = multi-page blobs (default), 1 = IDF < v4.0"},
    {"keygen", NULL, NULL, "generate new keys into OUTDIR/keys/"},
    {"keyfile", NULL, "NAME",
     "with --keygen: keys file name (default keys-MM-DD_HH-MM.bin)"},
    {"inputkey", NULL, "KEYS.bin", "encrypt with this keys partition"},
    {"outdir", NULL, "DIR", "write outputs below DIR (default: cwd)"},
    HMAC_OPTS,
};

static const cli_cmd_spec encrypt_spec = {
    "nvs encrypt",
    "IN.csv [IN2.csv...] OUT.bin SIZE",
    "Build an XTS-AES encrypted NVS partition image from CSV files, byte "
    "for byte as nvs_partition_gen encrypt.",
    encrypt_opts,
    NVS_CLI_COUNT(encrypt_opts),
    3,
    -1};

/* see cmd_nvs.h */
int
cmd_nvs_encrypt(int argc, char **argv)
{
    mfab_nvs_options opts = MFAB_NVS_OPTIONS_INIT;
    mfab_nvs_keys keys;
    key_out ko[2];
    cli_args args;
    mfab_diag diag;
    char path[4096];
    uint8_t *image = NULL;
    size_t len = 0;
    const char *output;
    int rc, keygen, ret = CLI_EXIT_ERROR;

    memset(ko, 0, sizeof(ko));
    memset(&keys, 0, sizeof(keys));
    rc = cli_parse(&args, &encrypt_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    output = args.pos[args.npos - 2];
    keygen = cli_has(&args, "keygen");
    opts.version = nvs_cli_parse_version(cli_get(&args, "version"));
    if (opts.version < 0)
        return CLI_EXIT_USAGE;
    if (keygen == cli_has(&args, "inputkey")) {
        cli_error(keygen ? "options '--keygen' and '--inputkey' exclude "
                           "each other"
                         : "encryption needs '--keygen' or '--inputkey "
                           "KEYS.bin'");
        return CLI_EXIT_USAGE;
    }
    if (nvs_cli_parse_size(&opts.size, args.pos[args.npos - 1]) < 0 ||
        nvs_cli_check_bin_name(output, "output") < 0 ||
        nvs_cli_output_path(path, sizeof(path), cli_get(&args, "outdir"),
                            output) < 0)
        goto out;
    if (!keygen && cli_has(&args, "keyfile"))
        printf("\nWarning: --inputkey argument is given. --keyfile argument "
               "will be ignored...\n");
    if (keygen ? make_keys(&keys, ko, &args) < 0
               : load_keys(&keys, cli_get(&args, "inputkey")) < 0)
        goto out;
    image = malloc(opts.size);
    if (image == NULL) {
        cli_error("out of memory for a 0x%zx-byte image", opts.size);
        goto out;
    }
    nvs_cli_print_readonly_warning(opts.size);
    rc = mfab_nvs_generate_csv(image, opts.size, &len,
                               (const char *const *)args.pos,
                               (size_t)args.npos - 2, &opts, &diag);
    if (rc == 0)
        rc = mfab_nvs_encrypt_image(image, len, &keys, &diag);
    if (rc == 0)
        rc = nvs_cli_make_parent(path, &diag);
    if (rc < 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (keygen && write_keys(ko) < 0)
        goto out;
    rc = mfab_file_write_atomic(path, image, len, MFAB_MODE_PUBLIC, &diag);
    if (rc < 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    nvs_cli_print_created(opts.version, path);
    ret = CLI_EXIT_OK;
out:
    wipe_keys(&keys, ko);
    free(image);
    return ret;
}

static const cli_opt decrypt_opts[] = {
    {"outdir", NULL, "DIR", "write OUT.bin below DIR (default: cwd)"},
};

static const cli_cmd_spec decrypt_spec = {
    "nvs decrypt",
    "ENC.bin KEYS.bin OUT.bin",
    "Decrypt an encrypted NVS partition image with its keys partition "
    "(output mode 0600: it holds the plaintext).",
    decrypt_opts,
    NVS_CLI_COUNT(decrypt_opts),
    3,
    3};

/* see cmd_nvs.h */
int
cmd_nvs_decrypt(int argc, char **argv)
{
    mfab_nvs_keys keys;
    cli_args args;
    mfab_diag diag;
    char path[4096];
    uint8_t *image = NULL;
    size_t len = 0;
    int rc, ret = CLI_EXIT_ERROR;

    memset(&keys, 0, sizeof(keys));
    rc = cli_parse(&args, &decrypt_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    if (nvs_cli_check_bin_name(args.pos[0], "input") < 0 ||
        nvs_cli_check_bin_name(args.pos[2], "output") < 0 ||
        load_keys(&keys, args.pos[1]) < 0 ||
        nvs_cli_output_path(path, sizeof(path), cli_get(&args, "outdir"),
                            args.pos[2]) < 0 ||
        read_file(&image, &len, args.pos[0], "input image") < 0)
        goto out;
    rc = mfab_nvs_decrypt_image(image, len, &keys, &diag);
    if (rc == 0)
        rc = nvs_cli_make_parent(path, &diag);
    if (rc == 0)
        rc = mfab_file_write_atomic(path, image, len, MFAB_MODE_SECRET, &diag);
    if (rc < 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    printf("\nCreated NVS decrypted binary: ===> %s\n", path);
    ret = CLI_EXIT_OK;
out:
    mfab_nvs_keys_wipe(&keys);
    mfab_file_free(image, len);
    return ret;
}
