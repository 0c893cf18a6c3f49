/*
 * cmd_secure_cert.c: `matterfab secure-cert dump`, listing and checking an
 * esp_secure_cert partition image (shared/spec/attestation.md 5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"
#include "matterfab/securecert.h"

/* Matter entries whose data is a little-endian number (spec 5.5). */
static int
matter_number(const mfab_securecert_entry *e, unsigned long *out)
{
    if (e->type != MFAB_SECURECERT_MATTER_TLV_1)
        return 0;
    if (e->subtype == MFAB_SECURECERT_MATTER_DISCRIMINATOR && e->len == 2) {
        *out = (unsigned long)e->data[0] | ((unsigned long)e->data[1] << 8);
        return 1;
    }
    if (e->subtype == MFAB_SECURECERT_MATTER_ITERATIONS && e->len == 4) {
        *out = (unsigned long)e->data[0] | ((unsigned long)e->data[1] << 8) |
               ((unsigned long)e->data[2] << 16) |
               ((unsigned long)e->data[3] << 24);
        return 1;
    }
    return 0;
}

static json_t *
entry_json(unsigned index, const mfab_securecert_entry *e)
{
    char *hex = malloc((size_t)e->len * 2 + 1);
    unsigned long number;
    json_t *j;

    if (hex == NULL)
        return NULL;
    mfab_hex_encode(hex, e->data, e->len);
    j = json_pack("{s:i, s:I, s:i, s:s, s:i, s:i, s:i, s:b, s:s}", "index",
                  (int)index, "offset", (json_int_t)e->offset, "type",
                  (int)e->type, "type_name",
                  mfab_securecert_type_name(e->type), "subtype",
                  (int)e->subtype, "flags", (int)e->flags, "length",
                  (int)e->len, "crc_ok", e->crc_ok, "data_hex", hex);
    if (j != NULL && matter_number(e, &number))
        json_object_set_new(j, "value", json_integer((json_int_t)number));
    free(hex);
    return j;
}

static void
print_entry(unsigned index, const mfab_securecert_entry *e)
{
    char head[33];
    unsigned long number;
    size_t n = e->len < 16 ? e->len : 16;

    mfab_hex_encode(head, e->data, n);
    printf("%3u  0x%04zx  %-20s %3u  0x%02x  %5u  %-4s ", index, e->offset,
           mfab_securecert_type_name(e->type), e->subtype, e->flags, e->len,
           e->crc_ok ? "ok" : "BAD");
    if (matter_number(e, &number))
        printf("%lu\n", number);
    else
        printf("%s%s\n", head, e->len > 16 ? "..." : "");
}

static const cli_opt dump_opts[] = {
    { "json", NULL, NULL, "print JSON" },
};

static const cli_cmd_spec dump_spec = {
    "secure-cert dump", "IMAGE [options]",
    "List every entry of an esp_secure_cert partition image and check its\n"
    "CRC. Exit status 1 when an entry is damaged.",
    dump_opts, sizeof(dump_opts) / sizeof(dump_opts[0]), 1, 1
};

static int
cmd_secure_cert_dump(int argc, char **argv)
{
    mfab_securecert_reader r;
    mfab_securecert_entry e;
    mfab_diag diag;
    json_t *list = NULL;
    uint8_t *img = NULL;
    size_t len = 0;
    unsigned bad = 0, index = 0;
    cli_args args;
    int rc;

    rc = cli_parse(&args, &dump_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = mfab_file_read(&img, &len, args.pos[0], &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    if (cli_has(&args, "json"))
        list = json_array();
    else
        printf("%3s  %-6s  %-20s %3s  %-4s  %5s  %-4s %s\n", "#", "offset",
               "type", "sub", "flag", "len", "crc", "data");
    mfab_securecert_reader_init(&r, img, len);
    while ((rc = mfab_securecert_next(&r, &e, &diag)) == 0) {
        if (list != NULL)
            json_array_append_new(list, entry_json(index, &e));
        else
            print_entry(index, &e);
        if (!e.crc_ok) {
            cli_error("%s: entry %u (%s/%u) at offset 0x%zx: CRC mismatch",
                      args.pos[0], index, mfab_securecert_type_name(e.type),
                      e.subtype, e.offset);
            bad++;
        }
        index++;
    }
    if (list != NULL) {
        json_t *top = json_pack("{s:s, s:I, s:I, s:o}", "image", args.pos[0],
                                "size", (json_int_t)len, "used",
                                (json_int_t)r.pos, "entries", list);
        json_dumpf(top, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        fputc('\n', stdout);
        json_decref(top);
    }
    mfab_file_free(img, len);
    if (rc != MFAB_ENOTFOUND) {
        cli_error("%s: %s", args.pos[0], mfab_diag_message(&diag));
        return CLI_EXIT_ERROR;
    }
    if (index == 0) {
        cli_error("%s: no esp_secure_cert entry at offset 0 (magic "
                  "0xBA5EBA11 expected)",
                  args.pos[0]);
        return CLI_EXIT_ERROR;
    }
    return bad == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}

static const cli_subcmd secure_cert_cmds[] = {
    { "dump", cmd_secure_cert_dump, "list and check an esp_secure_cert "
                                    "image" },
};

int
cmd_secure_cert(int argc, char **argv)
{
    return cli_dispatch("secure-cert", secure_cert_cmds,
                        sizeof(secure_cert_cmds) / sizeof(secure_cert_cmds[0]),
                        argc, argv);
}
