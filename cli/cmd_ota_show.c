/*
 * cmd_ota_show.c: "matterfab ota show|extract|dcl" (shared/spec/production-
 * images.md sections 1.7 and 2.2) and the "@file" argument expansion of
 * ota_image_tool.py.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_ota.h"
#include "json_out.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"
#include "matterfab/ota.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const cli_cmd_spec show_spec = {
    "ota show", "IMAGE.ota",
    "Print the fixed header and the header TLV of an OTA image", NULL, 0, 1,
    1,
};

static const cli_cmd_spec extract_spec = {
    "ota extract", "IMAGE.ota OUTPUT",
    "Write the payload of an OTA image (everything after the header)", NULL,
    0, 2, 2,
};

static const cli_opt dcl_opts[] = {
    { "url", NULL, "URL", "otaUrl: where devices download the image "
                          "(https, 1..256 bytes; required)" },
    { "checksum-type", NULL, "N",
      "otaChecksumType: 1 (SHA-256, default), 7, 8, 10, 11 or 12" },
    { "json", NULL, NULL, "print one JSON object" },
};

static const cli_cmd_spec dcl_spec = {
    "ota dcl", "IMAGE.ota --url URL",
    "Verify an OTA image and print the DCL ModelVersion fields that publish "
    "it: otaFileSize, otaChecksum (of the whole file), otaChecksumType and "
    "the versions",
    dcl_opts, NELEM(dcl_opts), 1, 1,
};

/* Read and leniently parse an image; prints and returns -1 on failure. */
static int
load(uint8_t **buf, size_t *len, mfab_ota_image *img, const char *path)
{
    mfab_diag diag;
    int rc;

    cli_diag_init(&diag);
    rc = mfab_file_read(buf, len, path, &diag);
    if (rc < 0) {
        cli_fail(&diag, rc);
        return -1;
    }
    rc = mfab_ota_parse(img, *buf, *len, &diag);
    if (rc < 0) {
        cli_error("%s: %s", path, mfab_diag_message(&diag));
        return -1;
    }
    return 0;
}

static void
show_uint(unsigned tag, const char *label, uint64_t v)
{
    printf("  [%u] %s: %llu (0x%llx)\n", tag, label, (unsigned long long)v,
           (unsigned long long)v);
}

static void
show_str(unsigned tag, const char *label, const char *s, size_t len)
{
    printf("  [%u] %s: ", tag, label);
    fwrite(s, 1, len, stdout);
    putchar('\n');
}

/* see cmd_ota.h */
int
cmd_ota_show(int argc, char **argv)
{
    mfab_ota_image img;
    const mfab_ota_header *h = &img.header;
    cli_args args;
    uint8_t *buf = NULL;
    size_t len = 0, i;
    int rc;

    rc = cli_parse(&args, &show_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (load(&buf, &len, &img, args.pos[0]) < 0) {
        mfab_file_free(buf, len);
        return CLI_EXIT_ERROR;
    }
    printf("Magic: %x\n", img.file_identifier);
    printf("Total Size: %llu\n", (unsigned long long)img.total_size);
    printf("Header Size: %u\n", img.header_size);
    printf("Header TLV:\n");
    show_uint(0, "Vendor Id", h->vendor_id);
    show_uint(1, "Product Id", h->product_id);
    show_uint(2, "Version", h->software_version);
    show_str(3, "Version String", h->version_string, h->version_string_len);
    show_uint(4, "Payload Size", h->payload_size);
    if (h->has_min_version)
        show_uint(5, "Min Version", h->min_version);
    if (h->has_max_version)
        show_uint(6, "Max Version", h->max_version);
    if (h->release_notes_url != NULL)
        show_str(7, "Release Notes Url", h->release_notes_url,
                 h->release_notes_url_len);
    show_uint(8, "Digest Type", h->digest_type);
    printf("  [9] Digest: ");
    for (i = 0; i < h->digest_len; i++)
        printf("%02x", h->digest[i]);
    putchar('\n');
    mfab_file_free(buf, len);
    return CLI_EXIT_OK;
}

/* see cmd_ota.h */
int
cmd_ota_extract(int argc, char **argv)
{
    mfab_ota_image img;
    mfab_diag diag;
    cli_args args;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &extract_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (load(&buf, &len, &img, args.pos[0]) < 0)
        goto out;
    /* Like the reference, extract what is there, but say when it is not
     * what the header promises. */
    cli_diag_init(&diag);
    if (mfab_ota_verify(buf, len, &diag) < 0)
        cli_error("warning: %s: %s", args.pos[0], mfab_diag_message(&diag));
    cli_diag_init(&diag);
    rc = mfab_file_write_atomic(args.pos[1], img.payload, img.payload_len,
                                MFAB_MODE_PUBLIC, &diag);
    if (rc < 0) {
        ret = cli_fail(&diag, rc);
        goto out;
    }
    ret = CLI_EXIT_OK;
out:
    mfab_file_free(buf, len);
    return ret;
}

static void
dcl_opt_uint(const char *key, int has, uint64_t v, int json)
{
    if (json) {
        if (has)
            printf(",\n  \"%s\": %llu", key, (unsigned long long)v);
        else
            printf(",\n  \"%s\": null", key);
    } else if (has) {
        printf("%s: %llu\n", key, (unsigned long long)v);
    }
}

static void
dcl_print(const mfab_ota_header *h, const char *url, size_t file_len,
          const char *checksum, unsigned long long type, int json)
{
    if (!json) {
        printf("vid: %llu\n", (unsigned long long)h->vendor_id);
        printf("pid: %llu\n", (unsigned long long)h->product_id);
        printf("softwareVersion: %llu\n",
               (unsigned long long)h->software_version);
        printf("softwareVersionString: %.*s\n", (int)h->version_string_len,
               h->version_string);
        printf("otaUrl: %s\n", url);
        printf("otaFileSize: %zu\n", file_len);
        printf("otaChecksum: %s\n", checksum);
        printf("otaChecksumType: %llu\n", type);
        dcl_opt_uint("minApplicableSoftwareVersion", h->has_min_version,
                     h->min_version, 0);
        dcl_opt_uint("maxApplicableSoftwareVersion", h->has_max_version,
                     h->max_version, 0);
        if (h->release_notes_url != NULL)
            printf("releaseNotesUrl: %.*s\n", (int)h->release_notes_url_len,
                   h->release_notes_url);
        return;
    }
    printf("{\n  \"vid\": %llu,\n  \"pid\": %llu,\n",
           (unsigned long long)h->vendor_id,
           (unsigned long long)h->product_id);
    printf("  \"softwareVersion\": %llu,\n  \"softwareVersionString\": ",
           (unsigned long long)h->software_version);
    json_out_strn(stdout, h->version_string, h->version_string_len);
    printf(",\n  \"otaUrl\": ");
    json_out_str(stdout, url);
    printf(",\n  \"otaFileSize\": %zu,\n  \"otaChecksum\": \"%s\",\n"
           "  \"otaChecksumType\": %llu",
           file_len, checksum, type);
    dcl_opt_uint("minApplicableSoftwareVersion", h->has_min_version,
                 h->min_version, 1);
    dcl_opt_uint("maxApplicableSoftwareVersion", h->has_max_version,
                 h->max_version, 1);
    printf(",\n  \"releaseNotesUrl\": ");
    if (h->release_notes_url != NULL)
        json_out_strn(stdout, h->release_notes_url, h->release_notes_url_len);
    else
        printf("null");
    printf("\n}\n");
}

/* see cmd_ota.h */
int
cmd_ota_dcl(int argc, char **argv)
{
    unsigned long long type = 1;
    char checksum[MFAB_OTA_MAX_DIGEST * 2];
    mfab_ota_image img;
    mfab_diag diag;
    cli_args args;
    const char *url;
    uint8_t *buf = NULL;
    size_t len = 0;
    int rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &dcl_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    url = cli_get(&args, "url");
    if (url == NULL) {
        cli_error("ota dcl: option '--url' is required");
        return CLI_EXIT_USAGE;
    }
    /* DCL rules for otaUrl: a URL, not plain http, at most 256 chars. */
    if (strncmp(url, "https://", 8) != 0 || strlen(url) > 256 ||
        url[8] == '\0') {
        cli_error("ota dcl: url '%s' is not allowed (allowed: https://..., "
                  "at most 256 bytes)",
                  url);
        return CLI_EXIT_ERROR;
    }
    if (cli_has(&args, "checksum-type") &&
        cli_parse_u64(&type, cli_get(&args, "checksum-type"),
                      "checksum type '--checksum-type'", 12) < 0)
        return CLI_EXIT_ERROR;
    if (type == 9 || mfab_ota_digest_len(type) == 0) {
        cli_error("ota dcl: checksum type '%llu' is not allowed (allowed 1, "
                  "7, 8, 10, 11, 12)",
                  type);
        return CLI_EXIT_ERROR;
    }
    if (load(&buf, &len, &img, args.pos[0]) < 0)
        goto out;
    cli_diag_init(&diag);
    rc = mfab_ota_verify(buf, len, &diag);
    if (rc == 0)
        rc = mfab_ota_dcl_checksum(checksum, sizeof(checksum), type, buf, len,
                                   &diag);
    if (rc < 0) {
        cli_error("%s: %s", args.pos[0], mfab_diag_message(&diag));
        goto out;
    }
    if (strlen(checksum) > 64)
        cli_error("warning: otaChecksum is %zu characters; ledgers still on "
                  "the older 64-character schema limit reject it (type 1 or "
                  "7 fits)",
                  strlen(checksum));
    dcl_print(&img.header, url, len, checksum, type, cli_has(&args, "json"));
    ret = CLI_EXIT_OK;
out:
    mfab_file_free(buf, len);
    return ret;
}

static int
push(char ***v, int *n, int *cap, char *s)
{
    if (*n + 1 >= *cap) {
        int ncap = *cap ? *cap * 2 : 32;
        char **bigger = realloc(*v, (size_t)ncap * sizeof(**v));

        if (bigger == NULL)
            return -1;
        *v = bigger;
        *cap = ncap;
    }
    (*v)[(*n)++] = s;
    (*v)[*n] = NULL;
    return 0;
}

/* see cmd_ota.h */
int
cli_ota_expand_at_files(char ***out, int *out_argc, int argc, char **argv)
{
    char **v = NULL;
    int i, n = 0, cap = 0, any = 0;

    *out = NULL;
    *out_argc = argc;
    for (i = 0; i < argc; i++)
        any |= argv[i][0] == '@';
    if (!any)
        return 0;
    for (i = 0; i < argc; i++) {
        mfab_diag diag;
        uint8_t *text = NULL;
        size_t len = 0;
        char *line, *save = NULL;

        if (argv[i][0] != '@' || i == 0) {
            char *copy = strdup(argv[i]);
            if (copy == NULL || push(&v, &n, &cap, copy) < 0) {
                free(copy);
                goto nomem;
            }
            continue;
        }
        cli_diag_init(&diag);
        if (mfab_file_read(&text, &len, argv[i] + 1, &diag) < 0) {
            cli_fail(&diag, diag.code);
            cli_ota_free_expanded(v, n);
            return -1;
        }
        for (line = strtok_r((char *)text, "\r\n", &save); line != NULL;
             line = strtok_r(NULL, "\r\n", &save)) {
            char *copy = strdup(line);
            if (copy == NULL || push(&v, &n, &cap, copy) < 0) {
                free(copy);
                mfab_file_free(text, len);
                goto nomem;
            }
        }
        mfab_file_free(text, len);
    }
    *out = v;
    *out_argc = n;
    return 0;
nomem:
    cli_error("ota: out of memory expanding '@file' arguments");
    cli_ota_free_expanded(v, n);
    return -1;
}

/* see cmd_ota.h */
void
cli_ota_free_expanded(char **argv, int argc)
{
    int i;

    if (argv == NULL)
        return;
    for (i = 0; i < argc; i++)
        free(argv[i]);
    free(argv);
}
