/*
 * cmd_nvs_mfg.c: "matterfab nvs mfg generate", the mfg_gen.py
 * replacement (shared/spec/nvs.md section 14: command line, output names
 * <outdir>/csv/<PREFIX>-<ID>.csv, <outdir>/bin/<PREFIX>-<ID>.bin and
 * <outdir>/keys/keys-<PREFIX>-<ID>.bin).
 *
 * Two passes: the first builds every device's CSV and image in memory and
 * stops at the first bad device, so a bad batch writes nothing; the second
 * builds them again and writes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "cmd_nvs.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/nvs.h"
#include "matterfab/nvs_crypt.h"
#include "matterfab/nvs_mfg.h"

static const cli_opt mfg_opts[] = {
    {"outdir", NULL, "DIR", "output folder (default: cwd)"},
    {"fileid", NULL, "COL",
     "name outputs after this values column (default: 1, 2, 3...)"},
    {"version", NULL, "1|2", "NVS format version (default 2)"},
    {"keygen", NULL, NULL, "encrypt; new keys file per device"},
    {"inputkey", NULL, "KEYS.bin", "encrypt every image with these keys"},
    {"key_protect_hmac", NULL, NULL,
     "with --keygen: derive keys from an HMAC key"},
    {"kp_hmac_keygen", NULL, NULL, "generate the HMAC key (per device)"},
    {"kp_hmac_keyfile", NULL, "NAME", "file name of the generated HMAC key"},
    {"kp_hmac_inputkey", NULL, "FILE", "HMAC key file (32 bytes)"},
    {"no-bin", NULL, NULL, "write only the per-device CSV files"},
    {"log-level", NULL, "info|error", "accepted for compatibility"},
};

static const cli_cmd_spec mfg_spec = {
    "nvs mfg generate",
    "CONFIG.csv VALUES.csv PREFIX SIZE",
    "Build one NVS CSV and image per device from a config and a values "
    "CSV, as mfg_gen.py generate.",
    mfg_opts,
    NVS_CLI_COUNT(mfg_opts),
    4,
    4};

typedef struct mfg_run {
    const cli_args *args;
    const char *prefix;
    const char *outdir;
    mfab_nvs_options opts;
    int encrypt;
    int keygen;
    int hmac;
    mfab_nvs_keys input_keys; /* --inputkey */
    uint8_t hmac_key[MFAB_NVS_HMAC_KEY_SIZE];
    int have_hmac_key; /* --kp_hmac_inputkey */
    char *csv;         /* per-device CSV text */
    size_t csv_cap;
    uint8_t *image;
} mfg_run;

static int
read_key_file(uint8_t **out, size_t *out_len, const char *path, const char *opt,
              mfab_diag *diag)
{
    int rc = mfab_file_read(out, out_len, path, diag);

    if (rc < 0) {
        mfab_diag_init(diag);
        return mfab_diag_set(diag, rc, "option '--%s': cannot read '%s'", opt,
                             path);
    }
    return 0;
}

/* Load --inputkey / --kp_hmac_inputkey once for the whole batch. */
static int
load_keys(mfg_run *r, mfab_diag *diag)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    const char *path;
    int rc = 0;

    path = cli_get(r->args, "inputkey");
    if (path != NULL) {
        rc = read_key_file(&buf, &len, path, "inputkey", diag);
        if (rc == 0)
            rc = mfab_nvs_keys_decode(&r->input_keys, buf, len, diag);
        mfab_file_free(buf, len);
        buf = NULL;
        if (rc < 0)
            return rc;
    }
    path = cli_get(r->args, "kp_hmac_inputkey");
    if (r->hmac && path != NULL) {
        rc = read_key_file(&buf, &len, path, "kp_hmac_inputkey", diag);
        if (rc == 0 && len != MFAB_NVS_HMAC_KEY_SIZE)
            rc = mfab_diag_set(diag, MFAB_EINVAL,
                               "option '--kp_hmac_inputkey': '%s' is %zu "
                               "bytes (needs %u)",
                               path, len, MFAB_NVS_HMAC_KEY_SIZE);
        if (rc == 0) {
            memcpy(r->hmac_key, buf, MFAB_NVS_HMAC_KEY_SIZE);
            r->have_hmac_key = 1;
        }
        mfab_file_free(buf, len);
    } else if (r->hmac && !cli_has(r->args, "kp_hmac_keygen")) {
        rc = mfab_diag_set(diag, MFAB_EINVAL,
                           "option '--key_protect_hmac' needs "
                           "'--kp_hmac_keygen' or '--kp_hmac_inputkey'");
    }
    return rc;
}

static int
out_path(char *out, size_t cap, const mfg_run *r, const char *sub,
         const char *file)
{
    char rel[4096];
    int n = snprintf(rel, sizeof(rel), "%s/%s", sub, file);

    if (n < 0 || (size_t)n >= sizeof(rel)) {
        cli_error("output path for '%s' too long", file);
        return -1;
    }
    return nvs_cli_output_path(out, cap, r->outdir, rel);
}

static int
write_file(const char *path, const void *data, size_t len, int mode,
           mfab_diag *diag)
{
    int rc = nvs_cli_make_parent(path, diag);

    if (rc == 0)
        rc = mfab_file_write_atomic(path, data, len, (mode_t)mode, diag);
    return rc;
}

/*
 * This device's keys: --inputkey, or fresh ones (--keygen), written to
 * keys/keys-<PREFIX>-<ID>.bin when write is set.
 */
static int
device_keys(mfg_run *r, mfab_nvs_keys *keys, const char *stem, int write,
            mfab_diag *diag)
{
    uint8_t part[MFAB_NVS_KEYS_SIZE];
    uint8_t hk[MFAB_NVS_HMAC_KEY_SIZE];
    char name[600], path[4096];
    const char *hname;
    int rc = 0;

    if (!r->keygen) {
        *keys = r->input_keys;
        return 0;
    }
    if (!r->hmac) {
        rc = mfab_nvs_keys_generate(keys, diag);
    } else {
        if (r->have_hmac_key) {
            memcpy(hk, r->hmac_key, sizeof(hk));
        } else if (RAND_priv_bytes(hk, sizeof(hk)) != 1) {
            return mfab_diag_set(diag, MFAB_ECRYPTO,
                                 "cannot generate an HMAC key");
        }
        rc = mfab_nvs_keys_from_hmac(keys, hk, diag);
        if (rc == 0 && write && !r->have_hmac_key) {
            hname = cli_get(r->args, "kp_hmac_keyfile");
            snprintf(name, sizeof(name), "hmac-keys-%s.bin", stem);
            if (out_path(path, sizeof(path), r, "keys",
                         hname != NULL ? hname : name) < 0)
                rc = mfab_diag_set(diag, MFAB_EINVAL, "path too long");
            if (rc == 0)
                rc = write_file(path, hk, sizeof(hk), MFAB_MODE_SECRET, diag);
            if (rc == 0)
                printf("\nCreated HMAC key: ===> %s\n", path);
        }
        OPENSSL_cleanse(hk, sizeof(hk));
    }
    if (rc < 0 || !write)
        return rc;
    snprintf(name, sizeof(name), "keys-%s.bin", stem);
    if (out_path(path, sizeof(path), r, "keys", name) < 0)
        return mfab_diag_set(diag, MFAB_EINVAL, "path too long");
    mfab_nvs_keys_encode(part, keys);
    rc = write_file(path, part, sizeof(part), MFAB_MODE_SECRET, diag);
    OPENSSL_cleanse(part, sizeof(part));
    if (rc == 0)
        printf("\nCreated encryption keys: ===>  %s\n", path);
    return rc;
}

/* Build (and when write is set, write) device i's outputs. */
static int
do_device(mfg_run *r, const mfab_nvs_mfg *m, size_t i, int write,
          mfab_diag *diag)
{
    char id[MFAB_NVS_MFG_ID_MAX + 1], stem[512], name[600], path[4096];
    mfab_nvs_keys keys;
    size_t len = 0, img_len = 0;
    int rc;

    memset(&keys, 0, sizeof(keys));
    rc = mfab_nvs_mfg_id(id, sizeof(id), m, i);
    if (rc < 0)
        return mfab_diag_set(diag, rc, "bad device index");
    snprintf(stem, sizeof(stem), "%s-%s", r->prefix, id);
    rc = mfab_nvs_mfg_csv(NULL, 0, &len, m, i);
    if (len + 1 > r->csv_cap) {
        char *p = realloc(r->csv, len + 1);
        if (p == NULL)
            return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        r->csv = p;
        r->csv_cap = len + 1;
    }
    rc = mfab_nvs_mfg_csv(r->csv, r->csv_cap, &len, m, i);
    if (rc < 0)
        return mfab_diag_set(diag, rc, "cannot build the device CSV");
    snprintf(name, sizeof(name), "%s.csv", stem);
    if (write) {
        if (out_path(path, sizeof(path), r, "csv", name) < 0)
            return mfab_diag_set(diag, MFAB_EINVAL, "path too long");
        rc = write_file(path, r->csv, len, MFAB_MODE_PUBLIC, diag);
        if (rc < 0)
            return rc;
    }
    if (cli_has(r->args, "no-bin"))
        return 0;
    /* the generator parses the text in place */
    rc = mfab_nvs_generate_text(r->image, r->opts.size, &img_len, r->csv, len,
                                name, &r->opts, diag);
    if (rc == 0 && r->encrypt) {
        rc = device_keys(r, &keys, stem, write, diag);
        if (rc == 0)
            rc = mfab_nvs_encrypt_image(r->image, img_len, &keys, diag);
        mfab_nvs_keys_wipe(&keys);
    }
    if (rc < 0 || !write)
        return rc;
    snprintf(name, sizeof(name), "%s.bin", stem);
    if (out_path(path, sizeof(path), r, "bin", name) < 0)
        return mfab_diag_set(diag, MFAB_EINVAL, "path too long");
    rc = write_file(path, r->image, img_len, MFAB_MODE_PUBLIC, diag);
    if (rc == 0)
        nvs_cli_print_created(r->opts.version, path);
    return rc;
}

static int
check_options(mfg_run *r)
{
    const char *lvl = cli_get(r->args, "log-level");

    if (cli_has(r->args, "keygen") && cli_has(r->args, "inputkey")) {
        cli_error("options '--keygen' and '--inputkey' exclude each other");
        return -1;
    }
    if (lvl != NULL && strcmp(lvl, "info") != 0 && strcmp(lvl, "error") != 0) {
        cli_error("option '--log-level': invalid value '%s' (allowed info, "
                  "error)",
                  lvl);
        return -1;
    }
    r->keygen = cli_has(r->args, "keygen");
    r->encrypt = r->keygen || cli_has(r->args, "inputkey");
    r->hmac = r->keygen && cli_has(r->args, "key_protect_hmac");
    return 0;
}

static int
mfg_generate(int argc, char **argv)
{
    mfab_nvs_mfg *m = NULL;
    mfab_nvs_options init = MFAB_NVS_OPTIONS_INIT;
    mfg_run r;
    cli_args args;
    mfab_diag diag;
    size_t i, n;
    int pass, rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &mfg_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    memset(&r, 0, sizeof(r));
    r.args = &args;
    r.opts = init;
    r.prefix = args.pos[2];
    r.outdir = cli_get(&args, "outdir");
    cli_diag_init(&diag);
    r.opts.version = nvs_cli_parse_version(cli_get(&args, "version"));
    if (r.opts.version < 0 || check_options(&r) < 0)
        return CLI_EXIT_USAGE;
    if (strchr(r.prefix, '/') != NULL || strlen(r.prefix) > 200) {
        cli_error("PREFIX '%s': must be at most 200 bytes without '/'",
                  r.prefix);
        return CLI_EXIT_USAGE;
    }
    if (nvs_cli_parse_size(&r.opts.size, args.pos[3]) < 0)
        return CLI_EXIT_ERROR;
    rc = load_keys(&r, &diag);
    if (rc < 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    rc = mfab_nvs_mfg_new(&m, args.pos[0], args.pos[1],
                          cli_get(&args, "fileid"), &diag);
    if (rc < 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    r.image = malloc(r.opts.size);
    if (r.image == NULL) {
        cli_error("out of memory for a 0x%zx-byte image", r.opts.size);
        goto out;
    }
    n = mfab_nvs_mfg_count(m);
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < n; i++) {
            if (pass == 1 && !cli_has(&args, "no-bin"))
                nvs_cli_print_readonly_warning(r.opts.size);
            rc = do_device(&r, m, i, pass, &diag);
            if (rc < 0) {
                char id[MFAB_NVS_MFG_ID_MAX + 1] = "";
                mfab_nvs_mfg_id(id, sizeof(id), m, i);
                cli_error("%s:%lu: device '%s': %s", args.pos[1],
                          mfab_nvs_mfg_line(m, i), id,
                          mfab_diag_message(&diag));
                goto out;
            }
        }
    }
    ret = CLI_EXIT_OK;
out:
    mfab_nvs_mfg_free(m);
    mfab_nvs_keys_wipe(&r.input_keys);
    OPENSSL_cleanse(r.hmac_key, sizeof(r.hmac_key));
    if (r.csv != NULL)
        OPENSSL_cleanse(r.csv, r.csv_cap);
    free(r.csv);
    if (r.image != NULL)
        OPENSSL_cleanse(r.image, r.opts.size);
    free(r.image);
    return ret;
}

static const cli_subcmd mfg_verbs[] = {
    {"generate", mfg_generate, "one NVS CSV and image per device"},
    /* mfg_gen.py generate-key takes exactly nvs_partition_gen's options */
    {"generate-key", cmd_nvs_generate_key, "create an NVS keys partition"},
};

/* see cmd_nvs.h */
int
cmd_nvs_mfg(int argc, char **argv)
{
    return cli_dispatch("nvs mfg", mfg_verbs, NVS_CLI_COUNT(mfg_verbs), argc,
                        argv);
}
