/*
 * cmd_payload.c: "matterfab payload encode|decode|qr", the onboarding
 * payload (QR code and manual pairing code) on the command line
 * (shared/spec/matter-commissioning.md sections 1 and 2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "json_out.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/onboarding.h"

static const char *const flow_names[] = { "standard", "user-intent",
                                          "custom" };

/* ---- encode -------------------------------------------------------- */

static const cli_opt encode_opts[] = {
    { "vid", "--vendor-id", "V", "vendor ID, decimal or 0x-hex (required)" },
    { "pid", "--product-id", "P", "product ID, decimal or 0x-hex (required)" },
    { "discriminator", NULL, "D", "12-bit discriminator 0..4095 (required)" },
    { "passcode", NULL, "N", "setup passcode 1..99999998 (required)" },
    { "flow", "--commissioning-flow", "F",
      "0 standard (default), 1 user-intent, 2 custom" },
    { "discovery", NULL, "MASK",
      "discovery bits: 1 soft-ap, 2 ble (default), 4 on-network, 8 paf, "
      "16 nfc, 32 thread" },
    { "serial-num", NULL, "S", "serial number in the QR optional data" },
    { "json", NULL, NULL, "print a JSON object instead of two lines" },
};

static const cli_cmd_spec encode_spec = {
    "payload encode", "--vid V --pid P --discriminator D --passcode N "
                      "[options]",
    "Print the QR code text, then the manual pairing code.", encode_opts,
    sizeof(encode_opts) / sizeof(encode_opts[0]), 0, 0,
};

static int
cmd_payload_encode(int argc, char **argv)
{
    static const struct {
        const char *opt;
        const char *field;
        int required;
    } fields[] = {
        { "vid", "vendor-id", 1 },         { "pid", "product-id", 1 },
        { "discriminator", "discriminator", 1 },
        { "passcode", "passcode", 1 },     { "flow", "flow", 0 },
        { "discovery", "discovery", 0 },
    };
    cli_args args;
    mfab_diag diag;
    mfab_onb_payload p;
    char qr[MFAB_ONB_QR_TEXT_MAX + 1];
    char manual[32];
    char dashed[32];
    char what[40];
    const char *serial;
    size_t len;
    size_t i;
    int rc;

    rc = cli_parse(&args, &encode_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    mfab_onboarding_payload_init(&p);
    for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        const char *v = cli_get(&args, fields[i].opt);

        if (v == NULL) {
            if (!fields[i].required)
                continue;
            cli_error("payload encode: option '--%s' is required",
                      fields[i].opt);
            return CLI_EXIT_USAGE;
        }
        snprintf(what, sizeof(what), "--%s", fields[i].opt);
        rc = mfab_onboarding_set_field(&p, fields[i].field, v, what, &diag);
        if (rc < 0)
            return cli_fail(&diag, rc);
    }
    serial = cli_get(&args, "serial-num");
    if (serial != NULL) {
        rc = mfab_onboarding_add_string(&p, MFAB_ONB_TAG_SERIAL, serial,
                                        strlen(serial), &diag);
        if (rc < 0)
            return cli_fail(&diag, rc);
    }
    /* one check, so that each warning prints once */
    rc = mfab_onboarding_check(&p, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    diag.warn = NULL;
    rc = mfab_onboarding_qr_encode(qr, sizeof(qr), &len, &p, &diag);
    if (rc == 0)
        rc = mfab_onboarding_manual_encode(manual, sizeof(manual), &len, &p,
                                           &diag);
    if (rc == 0)
        rc = mfab_onboarding_manual_format(dashed, sizeof(dashed), &len,
                                           manual, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);

    if (!cli_has(&args, "json")) {
        printf("%s\n%s\n", qr, manual);
        return CLI_EXIT_OK;
    }
    printf("{\"qr\": \"%s\", \"manual\": \"%s\", \"manual_formatted\": ", qr,
           manual);
    json_out_strn(stdout, dashed, strlen(dashed));
    printf(", \"vid\": %u, \"pid\": %u, \"flow\": %u, \"discovery\": %u, "
           "\"discriminator\": %u, \"passcode\": %lu",
           p.vendor_id, p.product_id, p.flow, p.discovery, p.discriminator,
           (unsigned long)p.passcode);
    if (serial != NULL) {
        printf(", \"serial_num\": ");
        json_out_strn(stdout, serial, strlen(serial));
    }
    printf("}\n");
    return CLI_EXIT_OK;
}

/* ---- decode -------------------------------------------------------- */

static const cli_opt decode_opts[] = {
    { "json", NULL, NULL, "print a JSON array with one object per payload" },
};

static const cli_cmd_spec decode_spec = {
    "payload decode", "CODE",
    "Decode and validate a QR code text (MT:...) or a manual pairing code.",
    decode_opts, sizeof(decode_opts) / sizeof(decode_opts[0]), 1, 1,
};

/* A manual code is digits with optional separators; anything else is
 * treated as QR text so that its error names what is wrong. */
static int
looks_manual(const char *s)
{
    return s[0] != '\0' && strspn(s, "0123456789- \n\r") == strlen(s);
}

static void
print_discovery(uint8_t d)
{
    static const char *const names[] = { "soft-ap", "ble",  "on-network",
                                         "paf",     "nfc",  "thread" };
    const char *sep = " (";
    int b;

    printf("0x%02x", d);
    for (b = 0; b < 6; b++) {
        if (d & (1u << b)) {
            printf("%s%s", sep, names[b]);
            sep = ", ";
        }
    }
    printf("%s\n", d ? ")" : "");
}

static void
print_extra_text(const mfab_onb_extra *e)
{
    if (e->type == MFAB_ONB_EXTRA_STRING)
        json_out_strn(stdout, e->v.s.p, e->v.s.len);
    else if (e->type == MFAB_ONB_EXTRA_INT)
        printf("%lld", (long long)e->v.i);
    else
        printf("%llu", (unsigned long long)e->v.u);
}

static void
print_text(const mfab_onb_payload *p, int manual)
{
    size_t i;

    printf("version:            %u\n", p->version);
    if (!p->no_vid_pid) {
        printf("vendor id:          0x%04x (%u)\n", p->vendor_id,
               p->vendor_id);
        printf("product id:         0x%04x (%u)\n", p->product_id,
               p->product_id);
    }
    printf("commissioning flow: %u (%s%s)\n", p->flow, flow_names[p->flow],
           manual && p->flow ? " or user-intent" : "");
    if (!manual) {
        printf("discovery:          ");
        print_discovery(p->discovery);
        printf("discriminator:      %u\n", p->discriminator);
    } else {
        printf("short discriminator: %u (discriminator %u..%u)\n",
               p->discriminator >> 8, p->discriminator,
               p->discriminator + 255);
    }
    printf("passcode:           %08lu\n", (unsigned long)p->passcode);
    for (i = 0; i < p->n_extras; i++) {
        const mfab_onb_extra *e = &p->extras[i];

        if (e->tag == MFAB_ONB_TAG_SERIAL)
            printf("serial number:      ");
        else
            printf("optional 0x%02x:      ", e->tag);
        print_extra_text(e);
        printf("\n");
    }
}

static void
print_json(const mfab_onb_payload *p, int manual)
{
    size_t i;

    printf("{\"version\": %u", p->version);
    if (!p->no_vid_pid)
        printf(", \"vid\": %u, \"pid\": %u", p->vendor_id, p->product_id);
    printf(", \"flow\": %u", p->flow);
    if (manual)
        printf(", \"short_discriminator\": %u", p->discriminator >> 8);
    else
        printf(", \"discovery\": %u, \"discriminator\": %u", p->discovery,
               p->discriminator);
    printf(", \"passcode\": %lu, \"extras\": [", (unsigned long)p->passcode);
    for (i = 0; i < p->n_extras; i++) {
        const mfab_onb_extra *e = &p->extras[i];
        static const char *const types[] = { "string", "int", "uint" };

        printf("%s{\"tag\": %u, \"type\": \"%s\", \"value\": ",
               i ? ", " : "", e->tag, types[e->type]);
        print_extra_text(e);
        printf("}");
    }
    printf("]}");
}

static int
cmd_payload_decode(int argc, char **argv)
{
    static mfab_onb_payload p; /* 3 KB; the CLI is single-threaded */
    cli_args args;
    mfab_diag diag;
    const char *code;
    int manual;
    int json;
    size_t i;
    int rc;

    rc = cli_parse(&args, &decode_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    code = args.pos[0];
    manual = looks_manual(code);
    json = cli_has(&args, "json");
    if (json)
        printf("[");
    for (i = 0;; i++) {
        if (manual)
            rc = i == 0 ? mfab_onboarding_manual_decode(&p, code, &diag)
                        : MFAB_ENOTFOUND;
        else
            rc = mfab_onboarding_qr_decode(&p, code, i, &diag);
        if (rc == MFAB_ENOTFOUND && i > 0)
            break;
        if (rc < 0) {
            if (json)
                printf("]\n");
            fflush(stdout);
            return cli_fail(&diag, rc);
        }
        if (json) {
            printf("%s", i ? ", " : "");
            print_json(&p, manual);
        } else {
            printf("%s", i ? "\n" : "");
            print_text(&p, manual);
        }
    }
    if (json)
        printf("]\n");
    return CLI_EXIT_OK;
}

/* ---- qr ------------------------------------------------------------- */

static const cli_opt qr_opts[] = {
    { "format", NULL, "FMT",
      "png, svg or ansi (default: from -o's extension, else ansi)" },
    { "output", "-o", "FILE", "write the image to FILE ('-' for stdout)" },
};

static const cli_cmd_spec qr_spec = {
    "payload qr", "CODE [--format png|svg|ansi] [-o FILE]",
    "Draw the QR code of an onboarding payload (MT:...): version 2 or "
    "larger, error correction M.",
    qr_opts, sizeof(qr_opts) / sizeof(qr_opts[0]), 1, 1,
};

static int
ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s);
    size_t m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int
cmd_payload_qr(int argc, char **argv)
{
    static mfab_onb_payload p;
    uint8_t *image = NULL;
    cli_args args;
    mfab_diag diag;
    mfab_diag check = MFAB_DIAG_INIT;
    mfab_qr_format format = MFAB_QR_ANSI;
    const char *fmt;
    const char *out;
    const char *code;
    size_t len = 0;
    int rc;

    rc = cli_parse(&args, &qr_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    code = args.pos[0];
    fmt = cli_get(&args, "format");
    out = cli_get(&args, "output");
    if (fmt == NULL && out != NULL)
        fmt = ends_with(out, ".png") ? "png"
              : ends_with(out, ".svg") ? "svg"
                                       : "ansi";
    if (fmt == NULL || strcmp(fmt, "ansi") == 0) {
        format = MFAB_QR_ANSI;
    } else if (strcmp(fmt, "png") == 0) {
        format = MFAB_QR_PNG;
    } else if (strcmp(fmt, "svg") == 0) {
        format = MFAB_QR_SVG;
    } else {
        cli_error("payload qr: format '%s' is unknown (allowed png, svg, "
                  "ansi)",
                  fmt);
        return CLI_EXIT_USAGE;
    }
    if (format == MFAB_QR_PNG && out == NULL) {
        cli_error("payload qr: format 'png' needs '-o FILE' (or '-o -')");
        return CLI_EXIT_USAGE;
    }
    /* mfg_tool produces payloads the SDK's parser refuses (VID 0xFFF5..,
     * PID 0); draw those with a warning, refuse what is not a payload */
    rc = mfab_onboarding_qr_decode(&p, code, 0, &check);
    if (rc == MFAB_EFORMAT || rc == MFAB_EUNSUPPORTED || rc == MFAB_ERANGE)
        return cli_fail(&check, rc);
    if (rc < 0)
        mfab_diag_warn(&diag, "%s", check.message);

    rc = mfab_onboarding_qr_image(NULL, 0, &len, code, format, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    image = malloc(len + 1);
    if (image == NULL) {
        cli_error("payload qr: out of memory");
        return CLI_EXIT_ERROR;
    }
    rc = mfab_onboarding_qr_image(image, len + 1, &len, code, format, &diag);
    if (rc < 0) {
        rc = cli_fail(&diag, rc);
    } else if (out == NULL || strcmp(out, "-") == 0) {
        rc = CLI_EXIT_OK;
        if (fwrite(image, 1, len, stdout) != len || fflush(stdout) != 0) {
            cli_error("payload qr: cannot write the image to stdout");
            rc = CLI_EXIT_ERROR;
        }
    } else {
        rc = mfab_file_write_atomic(out, image, len, MFAB_MODE_PUBLIC, &diag);
        rc = rc < 0 ? cli_fail(&diag, rc) : CLI_EXIT_OK;
    }
    free(image);
    return rc;
}

/* ---- group --------------------------------------------------------- */

static const cli_subcmd payload_cmds[] = {
    { "encode", cmd_payload_encode,
      "QR code text and manual code from VID, PID, discriminator, passcode" },
    { "decode", cmd_payload_decode,
      "decode and validate a QR code text or a manual pairing code" },
    { "qr", cmd_payload_qr, "draw a QR code as PNG, SVG or terminal text" },
};

int
cmd_payload(int argc, char **argv)
{
    return cli_dispatch("payload", payload_cmds,
                        sizeof(payload_cmds) / sizeof(payload_cmds[0]), argc,
                        argv);
}
