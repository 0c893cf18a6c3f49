/*
 * cmd_ledger.c: `matterfab ledger list|show|export|check`, reading the
 * production ledger that `matterfab generate` writes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "matterfab/error.h"
#include "matterfab/ledger.h"

#define LEDGER_OPT                                                            \
    { "ledger", NULL, "PATH", "ledger database (default: ledger.sqlite)" }

static int
open_ledger(mfab_ledger **out, const cli_args *args, mfab_diag *diag)
{
    const char *path = cli_get(args, "ledger");

    return mfab_ledger_open(out, path != NULL ? path : "ledger.sqlite", diag);
}

static int
parse_batch(int64_t *out, const char *text)
{
    unsigned long long v = 0;

    *out = 0;
    if (text == NULL)
        return 0;
    if (cli_parse_u64(&v, text, "batch id", INT64_MAX) != 0 || v == 0) {
        if (v == 0)
            cli_error("invalid batch id '%s' (allowed 1..%lld)", text,
                      (long long)INT64_MAX);
        return -1;
    }
    *out = (int64_t)v;
    return 0;
}

static json_t *
batch_json(const mfab_ledger_batch *b)
{
    json_t *options = json_loads(b->options_json, 0, NULL);
    json_t *inputs = json_loads(b->inputs_json, 0, NULL);

    return json_pack("{s:I, s:s, s:s, s:I, s:I, s:s, s:s?, s:o?, s:o?}",
                     "batch", (json_int_t)b->id, "status",
                     mfab_ledger_batch_status_name(b->status), "outdir",
                     b->outdir, "devices", (json_int_t)b->device_count,
                     "done", (json_int_t)b->devices_done, "started_at",
                     b->started_at, "finished_at", b->finished_at, "options",
                     options, "inputs", inputs);
}

static json_t *
device_json(const mfab_ledger_device *d)
{
    return json_pack(
        "{s:I, s:I, s:s, s:s?, s:i, s:I, s:s, s:I, s:s?, s:s?, s:s?, s:s?}",
        "batch", (json_int_t)d->batch_id, "index", (json_int_t)d->index,
        "uuid", d->uuid, "serial_num", d->serial_num, "discriminator",
        (int)d->discriminator, "passcode", (json_int_t)d->passcode, "salt",
        d->salt_b64, "iterations", (json_int_t)d->iterations, "dac_serial",
        d->dac_serial_hex, "dac_pubkey_sha256", d->dac_pubkey_sha256_hex,
        "rd_id_uid", d->rd_id_uid_hex, "created_at", d->created_at);
}

static void
print_json(json_t *j)
{
    json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    fputc('\n', stdout);
    json_decref(j);
}

/* ---- list ----------------------------------------------------------- */

static int
list_one(void *ctx, const mfab_ledger_batch *b)
{
    json_t *all = ctx;

    if (all != NULL)
        return json_array_append_new(all, batch_json(b)) == 0 ? 0 : -1;
    printf("%-6" PRId64 " %-12s %8" PRIu64 "/%-8" PRIu64 " %-24s %s\n", b->id,
           mfab_ledger_batch_status_name(b->status), b->devices_done,
           b->device_count, b->started_at, b->outdir);
    return 0;
}

static const cli_opt list_opts[] = {
    LEDGER_OPT,
    { "json", NULL, NULL, "print JSON" },
};

static const cli_cmd_spec list_spec = {
    "ledger list", "[options]", "List the batches recorded in the ledger.",
    list_opts, sizeof(list_opts) / sizeof(list_opts[0]), 0, 0
};

static int
cmd_ledger_list(int argc, char **argv)
{
    mfab_ledger *ledger = NULL;
    mfab_diag diag;
    json_t *all = NULL;
    cli_args args;
    int rc;

    rc = cli_parse(&args, &list_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = open_ledger(&ledger, &args, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    if (cli_has(&args, "json"))
        all = json_array();
    else
        printf("%-6s %-12s %17s %-24s %s\n", "batch", "status", "done/devices",
               "started", "outdir");
    rc = mfab_ledger_batch_each(ledger, 0, list_one, all, &diag);
    mfab_ledger_free(ledger);
    if (rc != 0) {
        json_decref(all);
        return cli_fail(&diag, rc);
    }
    if (all != NULL)
        print_json(all);
    return CLI_EXIT_OK;
}

/* ---- show ----------------------------------------------------------- */

static int
show_device(void *ctx, const mfab_ledger_device *d)
{
    json_t **out = ctx;

    *out = device_json(d);
    return 0;
}

static int
show_batch(void *ctx, const mfab_ledger_batch *b)
{
    json_t **out = ctx;

    *out = batch_json(b);
    return 0;
}

static void
print_object(json_t *obj)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        char *text = json_is_string(v)
                         ? strdup(json_string_value(v))
                         : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
        printf("%-18s %s\n", key, text != NULL ? text : "");
        free(text);
    }
}

static const cli_opt show_opts[] = {
    LEDGER_OPT,
    { "json", NULL, NULL, "print JSON" },
};

static const cli_cmd_spec show_spec = {
    "ledger show", "BATCH-ID | UUID | SERIAL [options]",
    "Show one batch (by number) or one device (by uuid or serial number).",
    show_opts, sizeof(show_opts) / sizeof(show_opts[0]), 1, 1
};

static int
cmd_ledger_show(int argc, char **argv)
{
    mfab_ledger *ledger = NULL;
    mfab_diag diag;
    json_t *obj = NULL;
    cli_args args;
    const char *what;
    char *end = NULL;
    long long id;
    int rc;

    rc = cli_parse(&args, &show_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = open_ledger(&ledger, &args, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    what = args.pos[0];
    id = strtoll(what, &end, 10);
    if (what[0] >= '1' && what[0] <= '9' && *end == '\0' && id > 0)
        rc = mfab_ledger_batch_each(ledger, id, show_batch, &obj, &diag);
    else
        rc = mfab_ledger_device_find(ledger, what, show_device, &obj, &diag);
    mfab_ledger_free(ledger);
    if (rc != 0 || obj == NULL) {
        json_decref(obj);
        return cli_fail(&diag, rc);
    }
    if (cli_has(&args, "json")) {
        print_json(obj);
    } else {
        print_object(obj);
        json_decref(obj);
    }
    return CLI_EXIT_OK;
}

/* ---- export --------------------------------------------------------- */

static const char *const export_columns[] = {
    "batch", "index", "uuid", "serial_num", "discriminator", "passcode",
    "salt", "iterations", "dac_serial", "dac_pubkey_sha256", "rd_id_uid",
    "created_at"
};

/* RFC 4180: quote a field holding a comma, quote or line break. */
static void
put_csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s != '\0'; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static int
export_one(void *ctx, const mfab_ledger_device *d)
{
    json_t *row = device_json(d);
    size_t i;

    for (i = 0; i < sizeof(export_columns) / sizeof(export_columns[0]); i++) {
        json_t *v = json_object_get(row, export_columns[i]);
        char num[32];

        if (i > 0)
            fputc(',', ctx);
        if (json_is_string(v)) {
            put_csv_field(ctx, json_string_value(v));
        } else if (json_is_integer(v)) {
            snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
                     json_integer_value(v));
            fputs(num, ctx);
        }
    }
    fputs("\r\n", ctx);
    json_decref(row);
    return 0;
}

static const cli_opt export_opts[] = {
    LEDGER_OPT,
    { "csv", NULL, NULL, "write CSV (the only format; required)" },
    { "batch", NULL, "ID", "only this batch (default: all)" },
};

static const cli_cmd_spec export_spec = {
    "ledger export", "--csv [options]",
    "Write every recorded device as CSV on standard output.", export_opts,
    sizeof(export_opts) / sizeof(export_opts[0]), 0, 0
};

static int
cmd_ledger_export(int argc, char **argv)
{
    mfab_ledger *ledger = NULL;
    mfab_diag diag;
    cli_args args;
    int64_t batch;
    size_t i;
    int rc;

    rc = cli_parse(&args, &export_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (!cli_has(&args, "csv")) {
        cli_error("ledger export: say the format: --csv");
        return CLI_EXIT_USAGE;
    }
    if (parse_batch(&batch, cli_get(&args, "batch")) != 0)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = open_ledger(&ledger, &args, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    for (i = 0; i < sizeof(export_columns) / sizeof(export_columns[0]); i++)
        printf("%s%s", i > 0 ? "," : "", export_columns[i]);
    fputs("\r\n", stdout);
    rc = mfab_ledger_device_each(ledger, batch, export_one, stdout, &diag);
    mfab_ledger_free(ledger);
    if (rc != 0)
        return cli_fail(&diag, rc);
    return fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}

/* ---- check ---------------------------------------------------------- */

static void
check_report(void *ctx, mfab_ledger_problem problem, const char *path)
{
    json_t *list = ctx;

    if (list != NULL)
        json_array_append_new(list,
                              json_pack("{s:s, s:s}", "problem",
                                        mfab_ledger_problem_name(problem),
                                        "path", path));
    else
        printf("%-8s %s\n", mfab_ledger_problem_name(problem), path);
}

static const cli_opt check_opts[] = {
    LEDGER_OPT,
    { "batch", NULL, "ID", "only this batch (default: all)" },
    { "json", NULL, NULL, "print JSON" },
};

static const cli_cmd_spec check_spec = {
    "ledger check", "[options]",
    "Re-hash every recorded file; report missing, altered and orphan files.\n"
    "Exit status 1 when any problem is found.",
    check_opts, sizeof(check_opts) / sizeof(check_opts[0]), 0, 0
};

static int
cmd_ledger_check(int argc, char **argv)
{
    mfab_ledger *ledger = NULL;
    mfab_diag diag;
    json_t *list = NULL;
    uint64_t problems = 0;
    cli_args args;
    int64_t batch;
    int rc;

    rc = cli_parse(&args, &check_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (parse_batch(&batch, cli_get(&args, "batch")) != 0)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = open_ledger(&ledger, &args, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    if (cli_has(&args, "json"))
        list = json_array();
    rc = mfab_ledger_check(ledger, batch, &problems, check_report, list,
                           &diag);
    mfab_ledger_free(ledger);
    if (rc != 0) {
        json_decref(list);
        return cli_fail(&diag, rc);
    }
    if (list != NULL)
        print_json(json_pack("{s:I, s:o}", "problems", (json_int_t)problems,
                             "files", list));
    else if (problems == 0)
        printf("ledger check: clean\n");
    else
        printf("ledger check: %" PRIu64 " problem%s\n", problems,
               problems == 1 ? "" : "s");
    return problems == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
}

static const cli_subcmd ledger_cmds[] = {
    { "list", cmd_ledger_list, "list the recorded batches" },
    { "show", cmd_ledger_show, "show one batch or device" },
    { "export", cmd_ledger_export, "export devices as CSV" },
    { "check", cmd_ledger_check, "re-hash files; find missing, altered, "
                                 "orphan files" },
};

int
cmd_ledger(int argc, char **argv)
{
    return cli_dispatch("ledger", ledger_cmds,
                        sizeof(ledger_cmds) / sizeof(ledger_cmds[0]), argc,
                        argv);
}
