/*
 * cmd_nvs_dump.c: "matterfab nvs dump": list and verify an NVS partition
 * image (shared/spec/nvs.md section 15.2), as text or as JSON in the shape
 * of the golden vectors' decoded.json, decrypting with --keys.
 *
 * Every problem is printed on stderr with its page and slot; any problem
 * makes the exit status 1.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd_nvs.h"
#include "json_out.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/nvs_read.h"

typedef struct dump_ctx {
    int json;
    size_t npages;   /* pages printed so far */
    size_t nvalues;  /* values printed so far */
    int in_values;   /* JSON: the "values" array is open */
    char **problems; /* copies, printed at the end */
    size_t nproblems;
    int oom;
} dump_ctx;

/* Text form: C-style escapes for anything not printable ASCII. */
static void
text_str(const char *s, size_t len)
{
    size_t i;

    putchar('"');
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c == '\n')
            fputs("\\n", stdout);
        else if (c < 0x20 || c >= 0x7F)
            printf("\\x%02x", c);
        else
            putchar(c);
    }
    putchar('"');
}

static void
hex(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
}

static int
on_page(void *vctx, const mfab_nvs_page_info *pg)
{
    dump_ctx *c = vctx;
    const char *state = mfab_nvs_page_state_name(pg->state);

    if (c->json) {
        printf("%s\n  {\"index\": %" PRIu32 ", \"state\": \"%s\", ",
               c->npages ? "," : "", pg->index, state);
        if (pg->has_header)
            printf("\"seq\": %" PRIu32 ", \"version\": %u, "
                   "\"used_entries\": %u}",
                   pg->seq, pg->version, pg->used_entries);
        else
            printf("\"seq\": null, \"version\": null, "
                   "\"used_entries\": null}");
    } else if (pg->has_header) {
        printf("page %" PRIu32 ": %s, seq %" PRIu32 ", version %s, "
               "%u of 126 entries used\n",
               pg->index, state, pg->seq,
               pg->version == 0xFE   ? "2 (0xfe)"
               : pg->version == 0xFF ? "1 (0xff)"
                                     : "?",
               pg->used_entries);
    } else {
        printf("page %" PRIu32 ": %s\n", pg->index, state);
    }
    c->npages++;
    return 0;
}

static void
open_values(dump_ctx *c)
{
    if (c->json && !c->in_values) {
        printf("\n ],\n \"values\": [");
        c->in_values = 1;
    }
}

static void
json_item(const mfab_nvs_item *it)
{
    int is_str = it->type == 0x21;

    if (it->is_namespace) {
        printf("\n  {\"namespace_def\": ");
        json_out_strn(stdout, it->key, strlen(it->key));
        printf(", \"index\": %" PRIu64 ", \"page\": %" PRIu32
               ", \"slot\": %" PRIu32 "}",
               it->u, it->page, it->slot);
        return;
    }
    printf("\n  {\"ns_index\": %u, \"namespace\": ", it->ns_index);
    if (it->ns_name != NULL)
        json_out_strn(stdout, it->ns_name, strlen(it->ns_name));
    else
        printf("null");
    printf(", \"key\": ");
    json_out_strn(stdout, it->key, strlen(it->key));
    printf(", \"type\": \"%s\", \"page\": %" PRIu32 ", \"slot\": %" PRIu32,
           it->type_name, it->page, it->slot);
    if (it->type < 0x20 && (it->type & 0x10))
        printf(", \"value\": %" PRId64 "}", it->i);
    else if (it->type < 0x20)
        printf(", \"value\": %" PRIu64 "}", it->u);
    else {
        if (it->data == NULL)
            printf(", \"value\": null");
        else if (is_str) {
            printf(", \"value\": ");
            json_out_strn(stdout, (const char *)it->data, it->size ? it->size - 1 : 0);
        } else {
            printf(", \"value_hex\": \"");
            hex(it->data, it->size);
            putchar('"');
        }
        printf(", \"size\": %zu", it->size);
        if (it->type == 0x48) {
            unsigned k;

            printf(", \"chunks\": [");
            for (k = 0; k < it->nchunks; k++)
                printf("%s[%" PRIu32 ", %" PRIu32 ", %" PRIu32 "]",
                       k ? ", " : "", it->chunks[k].page, it->chunks[k].slot,
                       it->chunks[k].size);
            putchar(']');
        }
        putchar('}');
    }
}

static void
text_item(const mfab_nvs_item *it)
{
    if (it->is_namespace) {
        printf("namespace '%s' = %" PRIu64 " (page %" PRIu32 " slot %" PRIu32
               ")\n",
               it->key, it->u, it->page, it->slot);
        return;
    }
    printf("%s:%s %s = ", it->ns_name != NULL ? it->ns_name : "?", it->key,
           it->type_name);
    if (it->type < 0x20 && (it->type & 0x10))
        printf("%" PRId64, it->i);
    else if (it->type < 0x20)
        printf("%" PRIu64, it->u);
    else if (it->data == NULL)
        printf("(unreadable, %zu bytes)", it->size);
    else if (it->type == 0x21)
        text_str((const char *)it->data, it->size ? it->size - 1 : 0);
    else {
        hex(it->data, it->size < 32 ? it->size : 32);
        printf("%s (%zu bytes)", it->size > 32 ? "..." : "", it->size);
    }
    printf(" (page %" PRIu32 " slot %" PRIu32, it->page, it->slot);
    if (it->nchunks > 1)
        printf(", %u chunks", it->nchunks);
    printf(")\n");
}

static int
on_item(void *vctx, const mfab_nvs_item *it)
{
    dump_ctx *c = vctx;

    open_values(c);
    if (c->json) {
        if (c->nvalues)
            putchar(',');
        json_item(it);
    } else {
        text_item(it);
    }
    c->nvalues++;
    return 0;
}

static void
on_problem(void *vctx, const mfab_nvs_problem *p)
{
    dump_ctx *c = vctx;
    char **grown;
    char *copy;

    if (c->oom)
        return;
    copy = strdup(p->message);
    grown = realloc(c->problems, (c->nproblems + 1) * sizeof(*grown));
    if (copy == NULL || grown == NULL) {
        free(copy);
        if (grown != NULL)
            c->problems = grown;
        c->oom = 1;
        return;
    }
    c->problems = grown;
    c->problems[c->nproblems++] = copy;
}

static const cli_opt dump_opts[] = {
    {"keys", NULL, "KEYS.bin", "decrypt with this keys partition"},
    {"json", NULL, NULL, "print JSON (the vectors' decoded.json shape)"},
    {"device", NULL, NULL,
     "check only what the device enforces, not the generator-image "
     "rules (for images read back from a device)"},
};

static const cli_cmd_spec dump_spec = {
    "nvs dump",
    "IMAGE",
    "List the pages, namespaces and values of an NVS partition image and "
    "check every CRC, state and layout rule; exit 1 when any is broken.",
    dump_opts,
    NVS_CLI_COUNT(dump_opts),
    1,
    1};

static int
load_keys_file(mfab_nvs_keys *out, const char *path)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    mfab_diag diag;
    int rc;

    cli_diag_init(&diag);
    rc = mfab_file_read(&buf, &len, path, &diag);
    if (rc == 0)
        rc = mfab_nvs_keys_decode(out, buf, len, &diag);
    mfab_file_free(buf, len);
    if (rc < 0) {
        cli_error("keys file '%s': %s", path, mfab_diag_message(&diag));
        return -1;
    }
    return 0;
}

/* see cmd_nvs.h */
int
cmd_nvs_dump(int argc, char **argv)
{
    mfab_nvs_read_options ro = MFAB_NVS_READ_OPTIONS_INIT;
    mfab_nvs_read_summary sum;
    mfab_nvs_keys keys;
    dump_ctx c;
    cli_args args;
    mfab_diag diag;
    uint8_t *image = NULL, *values = NULL;
    size_t len = 0, i;
    const char *path;
    int rc, ret = CLI_EXIT_ERROR;

    memset(&c, 0, sizeof(c));
    memset(&keys, 0, sizeof(keys));
    rc = cli_parse(&args, &dump_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    path = args.pos[0];
    if (cli_has(&args, "keys")) {
        if (load_keys_file(&keys, cli_get(&args, "keys")) < 0)
            goto out;
        ro.keys = &keys;
    }
    rc = mfab_file_read(&image, &len, path, &diag);
    if (rc < 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (len == 0 || len % 4096 != 0) {
        cli_error("image '%s' is %zu bytes (allowed: a non-zero multiple "
                  "of 4096)",
                  path, len);
        goto out;
    }
    values = malloc(len);
    if (values == NULL) {
        cli_error("out of memory");
        goto out;
    }
    c.json = cli_has(&args, "json");
    ro.generator_rules = !cli_has(&args, "device");
    ro.value_buf = values;
    ro.value_cap = len;
    ro.on_page = on_page;
    ro.on_item = on_item;
    ro.on_problem = on_problem;
    ro.ctx = &c;
    if (c.json) {
        printf("{\n \"image\": ");
        json_out_strn(stdout, path, strlen(path));
        printf(",\n \"size\": %zu,\n \"pages\": [", len);
    } else {
        printf("image '%s': %zu bytes, %zu pages%s\n", path, len, len / 4096,
               ro.keys != NULL ? ", decrypted" : "");
    }
    rc = mfab_nvs_read(&sum, image, len, &ro, &diag);
    open_values(&c);
    if (c.json) {
        printf("\n ],\n \"problems\": [");
        for (i = 0; i < c.nproblems; i++) {
            printf("%s\n  ", i ? "," : "");
            json_out_strn(stdout, c.problems[i], strlen(c.problems[i]));
        }
        printf("\n ]\n}\n");
    } else {
        printf("%zu namespaces, %zu values, %zu problems\n", sum.namespaces,
               sum.items, sum.problems);
    }
    fflush(stdout);
    for (i = 0; i < c.nproblems; i++)
        cli_error("nvs: %s", c.problems[i]);
    if (rc < 0 && (c.nproblems == 0 || rc != MFAB_EFORMAT))
        cli_fail(&diag, rc);
    if (rc == 0 && !c.oom)
        ret = CLI_EXIT_OK;
out:
    for (i = 0; i < c.nproblems; i++)
        free(c.problems[i]);
    free(c.problems);
    if (values != NULL)
        OPENSSL_cleanse(values, len);
    free(values);
    mfab_file_free(image, len);
    mfab_nvs_keys_wipe(&keys);
    return ret;
}
