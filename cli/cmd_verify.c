/*
 * cmd_verify.c: "matterfab verify", end-of-line verification of a
 * produced device (its folder or its partition image), every check
 * reported by name; exit 0 only when none failed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "matterfab/error.h"
#include "matterfab/verify.h"

#define MAX_PATHS 64

static const cli_opt opts[] = {
    {"keys", NULL, "KEYS.bin",
     "nvs_keys partition of an encrypted image (default: "
     "<uuid>-keys-partition.bin when present)"},
    {"paa", NULL, "FILE|DIR",
     "trusted PAA certificate, or a folder of them (repeatable)"},
    {"cd-cert", NULL, "FILE",
     "trusted CD signing certificate: also check the CD's signature "
     "(repeatable)"},
    {"secure-cert", NULL, "FILE",
     "esp_secure_cert image (default: <uuid>_esp_secure_cert.bin when "
     "present)"},
    {"onb-codes", NULL, "FILE",
     "onboarding CSV (default: <uuid>-onb_codes.csv when present)"},
    {"ledger", NULL, "PATH", "ledger holding the device's passcode"},
    {"json", NULL, NULL,
     "print {\"device\", \"ok\", \"checks\": [{\"name\", \"ok\", "
     "\"status\", \"detail\"}]}"},
};

static const cli_cmd_spec spec = {
    "verify",
    "DEVICE_DIR|PARTITION.bin [options]",
    "Read a device's factory data as the device will and check it: NVS "
    "image,\nfactory keys, secure cert, DAC key, chain to a PAA, VID/PID, "
    "SPAKE2+\nverifier, onboarding codes. Exit 0 only when no check fails.",
    opts,
    sizeof(opts) / sizeof(opts[0]),
    1,
    1,
};

static void
print_text(const char *device, const mfab_verify_report *r)
{
    size_t i;

    printf("device %s\n", device);
    for (i = 0; i < MFAB_VERIFY_NCHECKS; i++)
        printf("  %-4s  %-12s  %s\n",
               mfab_verify_status_name(r->checks[i].status), r->checks[i].name,
               r->checks[i].detail);
    printf("%s\n", r->ok ? "OK" : "FAILED");
}

static int
print_json(const char *device, const mfab_verify_report *r)
{
    json_t *list = json_array(), *top;
    size_t i;

    if (list == NULL)
        return -1;
    for (i = 0; i < MFAB_VERIFY_NCHECKS; i++) {
        const mfab_verify_check *c = &r->checks[i];

        json_array_append_new(
            list,
            json_pack("{s:s, s:b, s:s, s:s}", "name", c->name, "ok",
                      c->status != MFAB_VERIFY_FAIL, "status",
                      mfab_verify_status_name(c->status), "detail", c->detail));
    }
    top = json_pack("{s:s, s:b, s:o}", "device", device, "ok", r->ok, "checks",
                    list);
    if (top == NULL)
        return -1;
    json_dumpf(top, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(top);
    return 0;
}

/* "matterfab: <device>: failed: chain, vid-pid" */
static void
name_failures(const char *device, const mfab_verify_report *r)
{
    char names[256];
    size_t i, n = 0;

    names[0] = '\0';
    for (i = 0; i < MFAB_VERIFY_NCHECKS; i++) {
        if (r->checks[i].status != MFAB_VERIFY_FAIL)
            continue;
        n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s",
                              n > 0 ? ", " : "", r->checks[i].name);
        if (n >= sizeof(names))
            break;
    }
    cli_error("%s: failed: %s", device, names);
}

int
cmd_verify(int argc, char **argv)
{
    mfab_verify_load_options lo = {0};
    mfab_verify_input in = MFAB_VERIFY_INPUT_INIT;
    mfab_verify_report report;
    mfab_verify_files files;
    const char *paa[MAX_PATHS], *cdc[MAX_PATHS];
    mfab_diag diag;
    cli_args args;
    int rc;

    rc = cli_parse(&args, &spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    lo.npaa = cli_get_all(&args, argc, argv, "paa", paa, MAX_PATHS);
    lo.ncd_certs = cli_get_all(&args, argc, argv, "cd-cert", cdc, MAX_PATHS);
    if (lo.npaa > MAX_PATHS || lo.ncd_certs > MAX_PATHS) {
        cli_error("verify: at most %d --paa and %d --cd-cert", MAX_PATHS,
                  MAX_PATHS);
        return CLI_EXIT_USAGE;
    }
    lo.paa = paa;
    lo.cd_certs = cdc;
    lo.keys = cli_get(&args, "keys");
    lo.secure_cert = cli_get(&args, "secure-cert");
    lo.onb_codes = cli_get(&args, "onb-codes");
    lo.ledger = cli_get(&args, "ledger");
    cli_diag_init(&diag);
    rc = mfab_verify_load(&files, args.pos[0], &lo, &diag);
    if (rc == 0) {
        mfab_verify_files_input(&in, &files);
        in.now = time(NULL);
        rc = mfab_verify_device(&report, &in, &diag);
    }
    if (rc < 0) {
        mfab_verify_files_free(&files);
        return cli_fail(&diag, rc);
    }
    if (cli_has(&args, "json"))
        rc = print_json(files.device, &report);
    else
        print_text(files.device, &report);
    if (!report.ok)
        name_failures(files.device, &report);
    mfab_verify_files_free(&files);
    if (rc < 0) {
        cli_error("verify: out of memory");
        return CLI_EXIT_ERROR;
    }
    return report.ok ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}
