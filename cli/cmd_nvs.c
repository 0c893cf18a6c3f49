/*
 * cmd_nvs.c: "matterfab nvs" dispatch, "nvs generate", and the helpers
 * the nvs verbs share (shared/spec/nvs.md section 12: command line,
 * output locations and stdout messages of nvs_partition_gen).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_nvs.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/nvs.h"

static const cli_subcmd nvs_verbs[] = {
    { "generate", cmd_nvs_generate, "build an NVS partition image from CSV" },
    { "mfg", cmd_nvs_mfg, "mass manufacturing: one image per device" },
    { "encrypt", cmd_nvs_encrypt, "build an encrypted NVS partition image" },
    { "decrypt", cmd_nvs_decrypt, "decrypt an encrypted NVS partition image" },
    { "generate-key", cmd_nvs_generate_key, "create an NVS keys partition" },
    { "dump", cmd_nvs_dump, "list and verify an NVS partition image" },
};

/* see cli.h */
int
cmd_nvs(int argc, char **argv)
{
    return cli_dispatch("nvs", nvs_verbs, NVS_CLI_COUNT(nvs_verbs),
                        argc, argv);
}

/* see cmd_nvs.h */
int
nvs_cli_parse_size(size_t *out, const char *text)
{
    unsigned long long v = 0;
    mfab_diag diag;

    if (cli_parse_u64(&v, text, "partition SIZE", 0xFFFFFFFFull) < 0)
        return -1;
    cli_diag_init(&diag);
    if (mfab_nvs_check_size((size_t)v, &diag) < 0) {
        cli_error("SIZE '%s': %s", text, mfab_diag_message(&diag));
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

/* see cmd_nvs.h */
int
nvs_cli_parse_version(const char *text)
{
    if (text == NULL || strcmp(text, "2") == 0)
        return 2;
    if (strcmp(text, "1") == 0)
        return 1;
    cli_error("option '--version': invalid value '%s' (allowed 1, 2)", text);
    return -1;
}

/* see cmd_nvs.h */
int
nvs_cli_check_bin_name(const char *name, const char *what)
{
    const char *base = strrchr(name, '/');
    const char *dot;

    base = base != NULL ? base + 1 : name;
    dot = strrchr(base, '.');
    if (dot == NULL || dot == base || strstr(dot, ".bin") == NULL) {
        cli_error("%s '%s': only the .bin extension is allowed", what, name);
        return -1;
    }
    return 0;
}

/* see cmd_nvs.h */
int
nvs_cli_output_path(char *out, size_t cap, const char *outdir,
                    const char *name)
{
    char dir[4096];
    const char *home = getenv("HOME");
    int n;

    if (name[0] == '/' || outdir == NULL || outdir[0] == '\0') {
        outdir = NULL;
    } else if (outdir[0] == '~' && (outdir[1] == '/' || outdir[1] == '\0') &&
               home != NULL) {
        n = snprintf(dir, sizeof(dir), "%s%s", home, outdir + 1);
        if (n < 0 || (size_t)n >= sizeof(dir))
            goto long_path;
        outdir = dir;
    }
    if (mfab_path_join(out, cap, outdir, name) < 0)
        goto long_path;
    return 0;
long_path:
    cli_error("output path for '%s' too long", name);
    return -1;
}

/* see cmd_nvs.h */
int
nvs_cli_make_parent(const char *path, mfab_diag *diag)
{
    char dir[4096];
    char *slash;

    if (strlen(path) >= sizeof(dir))
        return mfab_diag_set(diag, MFAB_EIO, "path '%s' too long", path);
    memcpy(dir, path, strlen(path) + 1);
    slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return 0;
    *slash = '\0';
    return mfab_mkdir_p(dir, 0755, diag);
}

/* see cmd_nvs.h */
void
nvs_cli_print_readonly_warning(size_t size)
{
    if (size < 0x3000)
        printf("\nMinimum partition size for read/write NVS is 0x3000 "
               "bytes. Partitions smaller than this must be flagged as "
               "\"readonly\" in the partition table CSV.\n");
}

/* see cmd_nvs.h */
void
nvs_cli_print_created(int version, const char *path)
{
    printf("\nCreating NVS binary with version: %s\n",
           version == 1 ? "V1 - Multipage Blob Support Disabled"
                        : "V2 - Multipage Blob Support Enabled");
    printf("\nCreated NVS binary: ===> %s\n", path);
}

static const cli_opt generate_opts[] = {
    { "version", NULL, "1|2",
      "NVS format: 2 = multi-page blobs (default), 1 = IDF < v4.0" },
    { "outdir", NULL, "DIR", "write OUT.bin below DIR (default: cwd)" },
};

static const cli_cmd_spec generate_spec = {
    "nvs generate", "IN.csv [IN2.csv...] OUT.bin SIZE",
    "Build a plaintext NVS partition image from CSV files, byte for byte "
    "as nvs_partition_gen.",
    generate_opts, NVS_CLI_COUNT(generate_opts), 3, -1
};

/* see cmd_nvs.h */
int
cmd_nvs_generate(int argc, char **argv)
{
    mfab_nvs_options opts = MFAB_NVS_OPTIONS_INIT;
    cli_args args;
    mfab_diag diag;
    char path[4096];
    uint8_t *image = NULL;
    size_t len = 0;
    const char *output;
    int rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &generate_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    output = args.pos[args.npos - 2];
    opts.version = nvs_cli_parse_version(cli_get(&args, "version"));
    if (opts.version < 0)
        return CLI_EXIT_USAGE;
    if (nvs_cli_check_bin_name(output, "output") < 0 ||
        nvs_cli_parse_size(&opts.size, args.pos[args.npos - 1]) < 0 ||
        nvs_cli_output_path(path, sizeof(path), cli_get(&args, "outdir"),
                            output) < 0)
        return CLI_EXIT_ERROR;
    if (output[0] == '/' && cli_get(&args, "outdir") != NULL)
        cli_error("warning: option '--outdir' ignored: output '%s' is an "
                  "absolute path",
                  output);
    image = malloc(opts.size);
    if (image == NULL) {
        cli_error("out of memory for a 0x%zx-byte image", opts.size);
        return CLI_EXIT_ERROR;
    }
    nvs_cli_print_readonly_warning(opts.size);
    rc = mfab_nvs_generate_csv(image, opts.size, &len,
                               (const char *const *)args.pos,
                               (size_t)args.npos - 2, &opts, &diag);
    if (rc == 0)
        rc = nvs_cli_make_parent(path, &diag);
    if (rc == 0)
        rc = mfab_file_write_atomic(path, image, len, MFAB_MODE_PUBLIC,
                                    &diag);
    if (rc < 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    nvs_cli_print_created(opts.version, path);
    ret = CLI_EXIT_OK;
out:
    free(image);
    return ret;
}
