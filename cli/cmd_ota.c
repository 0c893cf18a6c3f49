/*
 * cmd_ota.c: "matterfab ota create|change-header": Matter OTA images with
 * ota_image_tool.py's command line (shared/spec/production-images.md
 * sections 1.6 and 1.7). show, extract and dcl are in cmd_ota_show.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_ota.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/ota.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_INPUTS (CLI_MAX_POS - 1)

/* The header options shared by create and change-header, same order. */
#define HEADER_OPTS(req)                                                    \
    { "vendor-id", "-v", "ID", "vendor id, 1..0xFFFF" req },               \
    { "product-id", "-p", "ID", "product id, 1..0xFFFF" req },             \
    { "version", "-vn", "N", "software version, 0..0xFFFFFFFF" req },      \
    { "version-str", "-vs", "TEXT",                                        \
      "software version string, 1..64 bytes" },                            \
    { "digest-algorithm", "-da", "NAME",                                   \
      "sha256, sha384, sha512, sha3_224, sha3_256, sha3_384 or "           \
      "sha3_512" req },                                                    \
    { "min-version", "-mi", "N", "minimum applicable version" },           \
    { "max-version", "-ma", "N", "maximum applicable version" },           \
    { "release-notes", "-rn", "URL", "release notes URL, 1..256 bytes" }

static const cli_opt create_opts[] = {
    HEADER_OPTS(" (required)"),
    { "no-app-check", NULL, NULL,
      "accept a version string that disagrees with the payload's ESP app "
      "description" },
};

static const cli_cmd_spec create_spec = {
    "ota create", "[options] INPUT... OUTPUT.ota",
    "Create a Matter OTA image from one or more payload files "
    "(concatenated). Without -vs the version string is taken from the ESP "
    "app description of the first input",
    create_opts, NELEM(create_opts), 2, -1,
};

static const cli_opt change_opts[] = {
    HEADER_OPTS(""),
};

static const cli_cmd_spec change_spec = {
    "ota change-header", "[options] IMAGE.ota OUTPUT.ota",
    "Rewrite the header of an OTA image with the given fields replaced; the "
    "payload is copied unchanged",
    change_opts, NELEM(change_opts), 2, 2,
};

static int
get_u64(uint64_t *out, const cli_args *args, const char *name,
        const char *what, unsigned long long max)
{
    unsigned long long v = 0;

    if (cli_parse_u64(&v, cli_get(args, name), what, max) < 0)
        return -1;
    *out = v;
    return 0;
}

/*
 * Fill h from the options given and return the MFAB_OTA_SET_* bits of the
 * fields set, or -1 after printing why a value is unusable.
 */
static int
header_from_args(mfab_ota_header *h, const cli_args *args)
{
    unsigned set = 0;
    const char *s;
    int t;

    memset(h, 0, sizeof(*h));
    if (cli_has(args, "vendor-id")) {
        if (get_u64(&h->vendor_id, args, "vendor-id", "vendor id '-v'",
                    0xFFFF) < 0)
            return -1;
        set |= MFAB_OTA_SET_VENDOR_ID;
    }
    if (cli_has(args, "product-id")) {
        if (get_u64(&h->product_id, args, "product-id", "product id '-p'",
                    0xFFFF) < 0)
            return -1;
        set |= MFAB_OTA_SET_PRODUCT_ID;
    }
    if (cli_has(args, "version")) {
        if (get_u64(&h->software_version, args, "version",
                    "software version '-vn'", 0xFFFFFFFFu) < 0)
            return -1;
        set |= MFAB_OTA_SET_VERSION;
    }
    s = cli_get(args, "version-str");
    if (s != NULL) {
        h->version_string = s;
        h->version_string_len = strlen(s);
        set |= MFAB_OTA_SET_VERSION_STRING;
    }
    s = cli_get(args, "digest-algorithm");
    if (s != NULL) {
        t = mfab_ota_digest_type(s);
        if (t < 0) {
            cli_error("invalid digest algorithm '%s' for '-da' (allowed "
                      "sha256, sha384, sha512, sha3_224, sha3_256, sha3_384, "
                      "sha3_512)",
                      s);
            return -1;
        }
        h->digest_type = (uint64_t)t;
        set |= MFAB_OTA_SET_DIGEST_TYPE;
    }
    if (cli_has(args, "min-version")) {
        if (get_u64(&h->min_version, args, "min-version",
                    "minimum version '-mi'", 0xFFFFFFFFu) < 0)
            return -1;
        h->has_min_version = 1;
        set |= MFAB_OTA_SET_MIN_VERSION;
    }
    if (cli_has(args, "max-version")) {
        if (get_u64(&h->max_version, args, "max-version",
                    "maximum version '-ma'", 0xFFFFFFFFu) < 0)
            return -1;
        h->has_max_version = 1;
        set |= MFAB_OTA_SET_MAX_VERSION;
    }
    s = cli_get(args, "release-notes");
    if (s != NULL) {
        h->release_notes_url = s;
        h->release_notes_url_len = strlen(s);
        set |= MFAB_OTA_SET_RELEASE_NOTES;
    }
    return (int)set;
}

static int
missing(const cli_args *args, const char *opt, const char *alias)
{
    if (cli_has(args, opt))
        return 0;
    cli_error("ota create: option '--%s' (%s) is required", opt, alias);
    return 1;
}

/* Read every input; the files stay allocated for the payload parts. */
static int
read_inputs(uint8_t **bufs, mfab_ota_part *parts, char **paths, int n,
            mfab_diag *diag)
{
    int i, rc;

    for (i = 0; i < n; i++) {
        rc = mfab_file_read(&bufs[i], &parts[i].len, paths[i], diag);
        if (rc < 0)
            return rc;
        parts[i].data = bufs[i];
    }
    return 0;
}

static int
ota_create(int argc, char **argv)
{
    uint8_t *bufs[MAX_INPUTS] = { NULL };
    mfab_ota_part parts[MAX_INPUTS];
    char app_version[40];
    mfab_ota_header h;
    mfab_diag diag;
    cli_args args;
    uint8_t *image = NULL;
    size_t image_len = 0;
    int rc, i, ninputs = 0, ret = CLI_EXIT_ERROR;
    const char *output;

    rc = cli_parse(&args, &create_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (missing(&args, "vendor-id", "-v") ||
        missing(&args, "product-id", "-p") ||
        missing(&args, "version", "-vn") ||
        missing(&args, "digest-algorithm", "-da"))
        return CLI_EXIT_USAGE;
    if (header_from_args(&h, &args) < 0)
        return CLI_EXIT_ERROR;
    cli_diag_init(&diag);
    ninputs = args.npos - 1;
    output = args.pos[ninputs];
    memset(parts, 0, sizeof(parts));
    rc = read_inputs(bufs, parts, args.pos, ninputs, &diag);
    if (rc < 0)
        goto fail;
    mfab_ota_app_version(app_version, sizeof(app_version), parts[0].data,
                         parts[0].len);
    if (h.version_string == NULL) {
        if (app_version[0] == '\0') {
            cli_error("ota create: option '--version-str' (-vs) is required: "
                      "'%s' has no ESP app description to take it from",
                      args.pos[0]);
            ret = CLI_EXIT_USAGE;
            goto out;
        }
        h.version_string = app_version;
        h.version_string_len = strlen(app_version);
    }
    rc = mfab_ota_header_validate(&h, &diag);
    if (rc < 0)
        goto fail;
    if (!cli_has(&args, "no-app-check")) {
        rc = mfab_ota_check_app_version(&h, app_version, &diag);
        if (rc < 0) {
            ret = cli_fail(&diag, rc);
            cli_error("hint: '--no-app-check' creates the image anyway");
            goto out;
        }
    }
    mfab_ota_header_warn(&h, &diag);
    rc = mfab_ota_create(NULL, 0, &image_len, &h, parts, (size_t)ninputs,
                         &diag);
    if (rc < 0)
        goto fail;
    image = malloc(image_len ? image_len : 1);
    if (image == NULL) {
        rc = MFAB_ENOMEM;
        goto fail;
    }
    rc = mfab_ota_create(image, image_len, &image_len, &h, parts,
                         (size_t)ninputs, &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_file_write_atomic(output, image, image_len, MFAB_MODE_PUBLIC,
                                &diag);
    if (rc < 0)
        goto fail;
    ret = CLI_EXIT_OK;
    goto out;
fail:
    ret = cli_fail(&diag, rc);
out:
    for (i = 0; i < ninputs; i++)
        mfab_file_free(bufs[i], parts[i].len);
    free(image);
    return ret;
}

static int
ota_change_header(int argc, char **argv)
{
    mfab_ota_header h;
    mfab_diag diag;
    cli_args args;
    uint8_t *in = NULL, *image = NULL;
    size_t in_len = 0, image_len = 0;
    int rc, set, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &change_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    set = header_from_args(&h, &args);
    if (set < 0)
        return CLI_EXIT_ERROR;
    cli_diag_init(&diag);
    rc = mfab_file_read(&in, &in_len, args.pos[0], &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_ota_change_header(NULL, 0, &image_len, in, in_len,
                                (unsigned)set, &h, &diag);
    if (rc < 0)
        goto fail_in;
    image = malloc(image_len ? image_len : 1);
    if (image == NULL) {
        rc = MFAB_ENOMEM;
        goto fail;
    }
    rc = mfab_ota_change_header(image, image_len, &image_len, in, in_len,
                                (unsigned)set, &h, &diag);
    if (rc < 0)
        goto fail_in;
    if (cli_has(&args, "release-notes"))
        mfab_ota_header_warn(&h, &diag);
    rc = mfab_file_write_atomic(args.pos[1], image, image_len,
                                MFAB_MODE_PUBLIC, &diag);
    if (rc < 0)
        goto fail;
    ret = CLI_EXIT_OK;
    goto out;
fail_in:
    cli_error("%s: %s", args.pos[0], mfab_diag_message(&diag));
    goto out;
fail:
    ret = cli_fail(&diag, rc);
out:
    mfab_file_free(in, in_len);
    free(image);
    return ret;
}

static const cli_subcmd ota_cmds[] = {
    { "create", ota_create, "create an OTA image from payload files" },
    { "show", cmd_ota_show, "print the header of an OTA image" },
    { "extract", cmd_ota_extract, "write the payload of an OTA image" },
    { "change-header", ota_change_header,
      "rewrite header fields, keeping the payload" },
    { "change_header", ota_change_header, "same as change-header" },
    { "dcl", cmd_ota_dcl,
      "print the DCL ModelVersion fields (size, checksum) of an image" },
};

int
cmd_ota(int argc, char **argv)
{
    char **expanded = NULL;
    int n = argc, ret;

    /* ota_image_tool.py reads "@file" as more arguments, one per line. */
    if (cli_ota_expand_at_files(&expanded, &n, argc, argv) < 0)
        return CLI_EXIT_USAGE;
    ret = cli_dispatch("ota", ota_cmds, NELEM(ota_cmds), n,
                       expanded != NULL ? expanded : argv);
    cli_ota_free_expanded(expanded, n);
    return ret;
}
