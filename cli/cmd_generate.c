/*
 * cmd_generate.c: "matterfab generate", the esp-matter-mfg-tool drop-in
 * (shared/spec/matter-commissioning.md section 6): its command line,
 * parsed into mfab_mfg_options, then plan (every check and input before
 * the first device), then run (workers, ledger, per-run files).
 *
 * Exit codes: 0 done, 1 error, 2 usage, 130 stopped by Ctrl-C (the batch
 * is left resumable with --resume BATCH).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "matterfab/error.h"
#include "matterfab/ledger.h"
#include "matterfab/mfg.h"

#define CLI_EXIT_STOPPED 130
#define GEN_COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const cli_opt gen_opts[] = {
    {"count", "-n", "N", "devices to make (default 1)", 0},
    {"target", NULL, "CHIP",
     "esp32, esp32s2, esp32s3, esp32c2..c61, esp32h2, "
     "esp32p4 (default esp32)",
     0},
    {"size", "-s", "BYTES", "NVS partition size (default 0x6000)", 0},
    {"encrypt", "-e", NULL, "encrypt the NVS image; writes a keys partition",
     0},
    {"log-level", NULL, "debug|info|error", "accepted for compatibility", 0},
    {"outdir", NULL, "DIR", "output folder (default ./out)", 0},
    {"no-bin", NULL, NULL, "write the CSV files only, no NVS image", 0},
    {"no-secure-cert-bin", NULL, NULL,
     "no secure-cert image (refused with the *-in-secure-cert options)", 0},
    {"passcode", NULL, "N", "setup passcode (default random)", 0},
    {"discriminator", NULL, "N", "discriminator 0..4095 (default random)", 0},
    {"commissioning-flow", "-cf", "0|1|2", "commissioning flow (default 0)", 0},
    {"discovery-mode", "-dm", "2|4|6",
     "QR discovery: 2 BLE, 4 on-network, 6 both (default 2)", 0},
    {"enable-dynamic-passcode", NULL, NULL, "no verifier, no onboarding codes",
     0},
    {"salt", NULL, "BASE64", "SPAKE2+ salt (with --verifier, --passcode)", 0},
    {"verifier", NULL, "BASE64", "SPAKE2+ verifier, checked against it", 0},
    {"iteration-count", NULL, "N", "PBKDF2 iterations (default 10000)", 0},
    {"commissionable-data-in-secure-cert", NULL, NULL,
     "discriminator, verifier, salt, iterations in the secure cert", 0},
    {"dac-in-secure-cert", NULL, NULL,
     "DAC, its key and the PAI in <uuid>_esp_secure_cert.bin, not NVS", 0},
    {"rd-id-uid-in-secure-cert", NULL, NULL, "rd-id-uid in the secure cert", 0},
    {"secure-cert-in", NULL, "DIR|FILE...",
     "pre-provisioned secure-cert images, one per device", 1},
    {"lifetime", "-lt", "DAYS", "DAC lifetime (default 36500)", 0},
    {"valid-from", "-vf", "YYYY-MM-DD[THH:MM:SS]", "DAC notBefore (UTC)", 0},
    {"cn-prefix", "-cn", "TEXT", "CN prefix of a PAI made with --paa", 0},
    {"cert", "-c", "FILE", "PAA or PAI certificate (PEM or DER)", 0},
    {"key", "-k", "FILE|URI", "PAA or PAI key (file or pkcs11: URI)", 0},
    {"cert-dclrn", "-cd", "FILE", "Certification Declaration (DER)", 0},
    {"cd-cert", NULL, "FILE", "CD signing certificate: verify the CD", 0},
    {"dac-cert", NULL, "FILE", "existing DAC (with --dac-key, --pai)", 0},
    {"dac-key", NULL, "FILE", "its private key", 0},
    {"ds-peripheral", "-ds", NULL, "refused: needs a connected chip", 0},
    {"efuse-key-id", NULL, "-1..5", "refused: needs a connected chip", 0},
    {"port", NULL, "PORT", "refused: needs a connected chip", 0},
    {"pwd", "--password", "TEXT", "accepted and ignored", 0},
    {"paa", NULL, NULL, "-c/-k are a PAA: make a PAI first", 0},
    {"pai", NULL, NULL, "-c/-k are the PAI", 0},
    {"vendor-id", "-v", "VID", "vendor ID (required)", 0},
    {"vendor-name", NULL, "TEXT", "1..32 characters", 0},
    {"product-id", "-p", "PID", "product ID (required)", 0},
    {"product-name", NULL, "TEXT", "1..32 characters", 0},
    {"hw-ver", NULL, "N", "hardware version 0..65535", 0},
    {"hw-ver-str", NULL, "TEXT", "1..64 characters", 0},
    {"mfg-date", NULL, "YYYYMMDD[...]", "manufacturing date", 0},
    {"serial-num", NULL, "TEXT", "1..16 characters (default random)", 0},
    {"enable-rotating-device-id", NULL, NULL, "write rd-id-uid", 0},
    {"rd-id-uid", NULL, "HEX32", "rotating device ID unique ID", 0},
    {"product-finish", NULL, "NAME", "other matte satin polished ...", 0},
    {"product-color", NULL, "NAME", "black navy green ...", 0},
    {"part-number", NULL, "TEXT", "1..32 characters", 0},
    {"calendar-types", NULL, "NAME...", "Buddhist Chinese ... Taiwanese", 1},
    {"locales", NULL, "TAG...", "supported locales", 1},
    {"fixed-labels", NULL, "EP/LABEL/VALUE...", "fixed labels", 1},
    {"supported-modes", NULL, "MODE/LABEL/EP[/TAGS]...", "supported modes", 1},
    {"product-label", NULL, "TEXT", "1..64 characters", 0},
    {"product-url", NULL, "URL", "1..256 characters", 0},
    {"csv", NULL, "FILE", "extra NVS keys (with --mcsv)", 0},
    {"mcsv", NULL, "FILE", "their values, one row per device", 0},
    {"verify", NULL, NULL, "check every device as matterfab verify does", 0},
    {"verify-paa", NULL, "FILE|DIR",
     "trusted PAA(s) for --verify and --secure-cert-in (default -c with "
     "--paa)",
     0},
    {"jobs", "-j", "N", "worker threads (default: every core)", 0},
    {"ledger", NULL, "FILE", "ledger (default <outdir>/ledger.sqlite)", 0},
    {"resume", NULL, "BATCH", "finish an interrupted batch", 0},
    {"seed", NULL, "HEX", "deterministic output (tests only)", 0},
    {"insecure-deterministic", NULL, NULL, "allow --seed", 0},
    {"quiet", NULL, NULL, "no progress output", 0},
    {"json", NULL, NULL, "print a JSON summary on stdout", 0},
};

static const cli_cmd_spec gen_spec = {
    "generate",
    "[options]",
    "Make Matter factory data for N devices (esp-matter-mfg-tool).",
    gen_opts,
    GEN_COUNT(gen_opts),
    0,
    0};

static volatile sig_atomic_t stop_flag;

static void
on_sigint(int sig)
{
    (void)sig;
    stop_flag = 1;
}

typedef struct gen_cli {
    mfab_mfg_options o;
    char **lists[4];
    const char **cal;
    unsigned jobs;
    int quiet, json;
    int64_t resume;
    const char *ledger;
} gen_cli;

static int
int_opt(int64_t *out, const cli_args *a, const char *name, const char *shown,
        mfab_diag *diag)
{
    const char *v = cli_get(a, name);

    if (v == NULL)
        return 0;
    return mfab_mfg_parse_int0(out, v, shown, diag);
}

/* Usage errors (exit 2): click's choices and ranges. */
static int
choices(gen_cli *g, const cli_args *a, mfab_diag *diag)
{
    const char *v;
    char **cal = NULL;
    int n, i, c, rc = 0;

    v = cli_get(a, "log-level");
    if (v != NULL && strcmp(v, "debug") != 0 && strcmp(v, "info") != 0 &&
        strcmp(v, "error") != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "option '--log-level': invalid choice '%s' "
                             "(allowed debug, info, error)",
                             v);
    if (cli_has(a, "product-finish"))
        rc = mfab_mfg_parse_finish(&g->o.product_finish,
                                   cli_get(a, "product-finish"), diag);
    if (rc == 0 && cli_has(a, "product-color"))
        rc = mfab_mfg_parse_color(&g->o.product_color,
                                  cli_get(a, "product-color"), diag);
    n = cli_get_multi(a, "calendar-types", &cal);
    for (i = 0; rc == 0 && i < n; i++) {
        rc = mfab_mfg_parse_calendar(&c, cal[i], diag);
        if (rc < 0)
            break;
        g->o.calendar_types |= 1u << c;
        g->o.has_calendar_types = 1;
    }
    if (rc == 0 && g->o.flow > 2)
        rc = mfab_diag_set(diag, MFAB_EINVAL,
                           "option '-cf': invalid choice %lld (allowed 0, "
                           "1, 2)",
                           (long long)g->o.flow);
    if (rc == 0 && g->o.discovery_mode != 2 && g->o.discovery_mode != 4 &&
        g->o.discovery_mode != 6)
        rc = mfab_diag_set(diag, MFAB_EINVAL,
                           "option '-dm': invalid choice %lld (allowed 2, "
                           "4, 6)",
                           (long long)g->o.discovery_mode);
    if (rc == 0 && (g->o.efuse_key_id < -1 || g->o.efuse_key_id > 5))
        rc = mfab_diag_set(diag, MFAB_ERANGE,
                           "option '--efuse-key-id': %lld is not in the "
                           "range -1..5",
                           (long long)g->o.efuse_key_id);
    if (rc == 0 && cli_has(a, "paa") && cli_has(a, "pai"))
        rc = mfab_diag_set(diag, MFAB_EINVAL,
                           "--paa and --pai are mutually exclusive");
    /* with --resume the batch's own command line is used */
    if (rc == 0 && !cli_has(a, "resume") &&
        (!cli_has(a, "vendor-id") || !cli_has(a, "product-id")))
        rc = mfab_diag_set(diag, MFAB_EINVAL, "missing option '%s' (required)",
                           cli_has(a, "vendor-id") ? "-p/--product-id"
                                                   : "-v/--vendor-id");
    return rc;
}

static int
ints(gen_cli *g, const cli_args *a, mfab_diag *diag)
{
    mfab_mfg_options *o = &g->o;
    int rc;

    rc = int_opt(&o->count, a, "count", "-n", diag);
    if (rc == 0)
        rc = int_opt(&o->size, a, "size", "-s", diag);
    if (rc == 0)
        rc = int_opt(&o->passcode, a, "passcode", "--passcode", diag);
    if (rc == 0)
        rc = int_opt(&o->discriminator, a, "discriminator", "--discriminator",
                     diag);
    if (rc == 0)
        rc = int_opt(&o->flow, a, "commissioning-flow", "-cf", diag);
    if (rc == 0)
        rc = int_opt(&o->discovery_mode, a, "discovery-mode", "-dm", diag);
    if (rc == 0)
        rc = int_opt(&o->iterations, a, "iteration-count", "--iteration-count",
                     diag);
    if (rc == 0)
        rc = int_opt(&o->lifetime, a, "lifetime", "-lt", diag);
    if (rc == 0)
        rc = int_opt(&o->efuse_key_id, a, "efuse-key-id", "--efuse-key-id",
                     diag);
    if (rc == 0)
        rc = int_opt(&o->vid, a, "vendor-id", "-v", diag);
    if (rc == 0)
        rc = int_opt(&o->pid, a, "product-id", "-p", diag);
    if (rc == 0)
        rc = int_opt(&o->hw_ver, a, "hw-ver", "--hw-ver", diag);
    o->has_passcode = cli_has(a, "passcode");
    o->has_discriminator = cli_has(a, "discriminator");
    o->has_vid = cli_has(a, "vendor-id");
    o->has_pid = cli_has(a, "product-id");
    o->has_hw_ver = cli_has(a, "hw-ver");
    return rc;
}

static void
texts(gen_cli *g, const cli_args *a)
{
    mfab_mfg_options *o = &g->o;

    if (cli_has(a, "target"))
        o->target = cli_get(a, "target");
    o->encrypt = cli_has(a, "encrypt");
    o->no_bin = cli_has(a, "no-bin");
    o->no_secure_cert_bin = cli_has(a, "no-secure-cert-bin");
    o->dynamic_passcode = cli_has(a, "enable-dynamic-passcode");
    o->salt = cli_get(a, "salt");
    o->verifier = cli_get(a, "verifier");
    o->commissionable_in_secure_cert =
        cli_has(a, "commissionable-data-in-secure-cert");
    o->dac_in_secure_cert = cli_has(a, "dac-in-secure-cert");
    o->rd_id_uid_in_secure_cert = cli_has(a, "rd-id-uid-in-secure-cert");
    o->n_secure_cert_in =
        (size_t)cli_get_multi(a, "secure-cert-in", &g->lists[3]);
    o->secure_cert_in = (const char *const *)g->lists[3];
    o->valid_from = cli_get(a, "valid-from");
    if (cli_has(a, "cn-prefix"))
        o->cn_prefix = cli_get(a, "cn-prefix");
    o->cert = cli_get(a, "cert");
    o->key = cli_get(a, "key");
    o->cert_dclrn = cli_get(a, "cert-dclrn");
    o->cd_cert = cli_get(a, "cd-cert");
    o->dac_cert = cli_get(a, "dac-cert");
    o->dac_key = cli_get(a, "dac-key");
    o->ds_peripheral = cli_has(a, "ds-peripheral");
    o->port = cli_get(a, "port");
    o->paa = cli_has(a, "paa");
    o->pai = cli_has(a, "pai");
    o->vendor_name = cli_get(a, "vendor-name");
    o->product_name = cli_get(a, "product-name");
    o->hw_ver_str = cli_get(a, "hw-ver-str");
    o->mfg_date = cli_get(a, "mfg-date");
    o->serial_num = cli_get(a, "serial-num");
    o->rotating_device_id = cli_has(a, "enable-rotating-device-id");
    o->rd_id_uid = cli_get(a, "rd-id-uid");
    o->part_number = cli_get(a, "part-number");
    o->n_locales = (size_t)cli_get_multi(a, "locales", &g->lists[0]);
    o->locales = (const char *const *)g->lists[0];
    o->n_fixed_labels = (size_t)cli_get_multi(a, "fixed-labels", &g->lists[1]);
    o->fixed_labels = (const char *const *)g->lists[1];
    o->n_supported_modes =
        (size_t)cli_get_multi(a, "supported-modes", &g->lists[2]);
    o->supported_modes = (const char *const *)g->lists[2];
    o->product_label = cli_get(a, "product-label");
    o->product_url = cli_get(a, "product-url");
    o->csv = cli_get(a, "csv");
    o->mcsv = cli_get(a, "mcsv");
    o->outdir = cli_get(a, "outdir");
    o->verify = cli_has(a, "verify");
    o->verify_paa = cli_get(a, "verify-paa");
    o->seed = cli_get(a, "seed");
    o->insecure_deterministic = cli_has(a, "insecure-deterministic");
}

/* argv -> options. @return CLI_EXIT_OK, or the exit code to return */
static int
parse(gen_cli *g, cli_args *a, int argc, char **argv)
{
    mfab_diag diag;
    int64_t v = 0;
    int rc;

    rc = cli_parse(a, &gen_spec, argc, argv);
    if (rc == CLI_PARSE_HELP)
        return -1;
    if (rc != CLI_PARSE_OK)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    mfab_mfg_options_init(&g->o);
    texts(g, a);
    rc = ints(g, a, &diag);
    if (rc == 0)
        rc = choices(g, a, &diag);
    if (rc == 0 && cli_has(a, "jobs")) {
        rc = mfab_mfg_parse_int0(&v, cli_get(a, "jobs"), "-j", &diag);
        if (rc == 0 && (v < 1 || v > 256))
            rc = mfab_diag_set(&diag, MFAB_ERANGE,
                               "option '-j': %lld workers (allowed 1..256)",
                               (long long)v);
        g->jobs = (unsigned)v;
    }
    if (rc == 0 && cli_has(a, "resume")) {
        rc = mfab_mfg_parse_int0(&g->resume, cli_get(a, "resume"), "--resume",
                                 &diag);
        if (rc == 0 && g->resume < 1)
            rc = mfab_diag_set(&diag, MFAB_EINVAL,
                               "option '--resume': batch ids start at 1");
    }
    if (rc < 0) {
        cli_fail(&diag, rc);
        return CLI_EXIT_USAGE;
    }
    g->quiet = cli_has(a, "quiet");
    g->json = cli_has(a, "json");
    g->ledger = cli_get(a, "ledger");
    return CLI_EXIT_OK;
}

/* {"argv": [...]}: how the batch was started, for --resume. */
static char *
options_json(int argc, char **argv)
{
    json_t *root = json_object(), *arr = json_array();
    char *s;
    int i;

    for (i = 1; i < argc; i++)
        json_array_append_new(arr, json_string(argv[i]));
    json_object_set_new(root, "argv", arr);
    s = json_dumps(root, JSON_COMPACT);
    json_decref(root);
    return s;
}

typedef struct stored {
    char *json;
} stored;

static int
keep_options(void *ctx, const mfab_ledger_batch *b)
{
    stored *s = ctx;

    s->json = strdup(b->options_json);
    return 0;
}

/* The argv a batch was started with, read back from the ledger. */
static int
stored_argv(char ***out, int *out_argc, const gen_cli *g, mfab_diag *diag)
{
    char path[4096];
    mfab_ledger *ledger = NULL;
    stored s = {NULL};
    json_t *root = NULL, *arr;
    char **argv = NULL;
    size_t i, n;
    int rc;

    if (g->ledger != NULL)
        snprintf(path, sizeof(path), "%s", g->ledger);
    else
        snprintf(path, sizeof(path), "%s/ledger.sqlite",
                 g->o.outdir ? g->o.outdir : "out");
    rc = mfab_ledger_open(&ledger, path, diag);
    if (rc == 0)
        rc = mfab_ledger_batch_each(ledger, g->resume, keep_options, &s, diag);
    mfab_ledger_free(ledger);
    if (rc < 0)
        return rc;
    root = s.json ? json_loads(s.json, 0, NULL) : NULL;
    arr = root ? json_object_get(root, "argv") : NULL;
    n = json_array_size(arr);
    argv = calloc(n + 2, sizeof(*argv));
    if (arr == NULL || argv == NULL) {
        rc = mfab_diag_set(diag, MFAB_EINVAL,
                           "batch %lld was not started by 'matterfab "
                           "generate'",
                           (long long)g->resume);
        goto out;
    }
    argv[0] = strdup("generate");
    for (i = 0; i < n; i++)
        argv[i + 1] = strdup(json_string_value(json_array_get(arr, i)));
    *out = argv;
    *out_argc = (int)n + 1;
    argv = NULL;
out:
    free(argv);
    json_decref(root);
    free(s.json);
    return rc;
}

typedef struct progress_state {
    int tty;
    double t0, last;
} progress_state;

static double
now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void
show_progress(void *ctx, uint64_t done, uint64_t total)
{
    progress_state *ps = ctx;
    double t = now_s(), el = t - ps->t0, rate = el > 0 ? done / el : 0;
    double eta = rate > 0 ? (double)(total - done) / rate : 0;
    char bar[31];
    int i, fill = total ? (int)(30 * done / total) : 30;

    if (done != total && t - ps->last < (ps->tty ? 0.2 : 5.0))
        return;
    ps->last = t;
    if (!ps->tty) {
        fprintf(stderr, "%llu/%llu devices, %.1f/s\n", (unsigned long long)done,
                (unsigned long long)total, rate);
        return;
    }
    for (i = 0; i < 30; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[30] = '\0';
    fprintf(stderr, "\r[%s] %llu/%llu %.1f/s ETA %02d:%02d ", bar,
            (unsigned long long)done, (unsigned long long)total, rate,
            (int)eta / 60, (int)eta % 60);
    if (done == total)
        fputc('\n', stderr);
}

static void
print_json(const mfab_mfg_result *r, const mfab_mfg_plan *plan, double secs)
{
    json_t *o = json_object();
    char *s;

    json_object_set_new(o, "batch", json_integer(r->batch_id));
    json_object_set_new(o, "devices", json_integer((json_int_t)r->total));
    json_object_set_new(o, "made", json_integer((json_int_t)r->made));
    json_object_set_new(o, "skipped", json_integer((json_int_t)r->skipped));
    json_object_set_new(o, "stopped", json_boolean(r->stopped));
    json_object_set_new(o, "outdir",
                        json_string(mfab_mfg_plan_product_dir(plan)));
    json_object_set_new(o, "summary", json_string(r->summary));
    json_object_set_new(o, "cn_dacs", json_string(r->cn_dacs));
    json_object_set_new(o, "seconds", json_real(secs));
    json_object_set_new(o, "devices_per_second",
                        json_real(secs > 0 ? (double)r->made / secs : 0));
    s = json_dumps(o, JSON_INDENT(2));
    if (s != NULL)
        printf("%s\n", s);
    free(s);
    json_decref(o);
}

static int
run(gen_cli *g, const char *opts_json)
{
    mfab_mfg_run_options ro = MFAB_MFG_RUN_OPTIONS_INIT;
    mfab_mfg_result res;
    mfab_mfg_plan *plan = NULL;
    progress_state ps;
    mfab_diag diag;
    struct sigaction sa, old;
    int rc;

    cli_diag_init(&diag);
    rc = mfab_mfg_plan_new(&plan, &g->o, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    memset(&ps, 0, sizeof(ps));
    ps.tty = isatty(STDERR_FILENO);
    ps.t0 = now_s();
    ro.jobs = g->jobs;
    ro.ledger = g->ledger;
    ro.options_json = opts_json;
    ro.resume = g->resume;
    ro.stop = &stop_flag;
    if (!g->quiet) {
        ro.progress = show_progress;
        ro.progress_ctx = &ps;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old);
    rc = mfab_mfg_run(&res, plan, &ro, &diag);
    sigaction(SIGINT, &old, NULL);
    if (rc < 0) {
        mfab_mfg_plan_free(plan);
        return cli_fail(&diag, rc);
    }
    if (g->json)
        print_json(&res, plan, now_s() - ps.t0);
    if (res.stopped) {
        cli_error("stopped after %llu devices: finish with 'matterfab "
                  "generate --resume %lld %s %s'",
                  (unsigned long long)(res.made + res.skipped),
                  (long long)res.batch_id, g->ledger ? "--ledger" : "--outdir",
                  g->ledger     ? g->ledger
                  : g->o.outdir ? g->o.outdir
                                : "out");
        mfab_mfg_plan_free(plan);
        return CLI_EXIT_STOPPED;
    }
    if (!g->quiet) {
        fprintf(stderr, "Generated summary CSV: %s\n", res.summary);
        fprintf(stderr, "Generated CSV of Common Name and DAC: %s\n",
                res.cn_dacs);
    }
    mfab_mfg_plan_free(plan);
    return CLI_EXIT_OK;
}

/* see cli.h */
int
cmd_generate(int argc, char **argv)
{
    static gen_cli g, g2;
    cli_args a, a2;
    mfab_diag diag;
    char **sargv = NULL, *js = NULL;
    int rc, sargc = 0, i;

    memset(&g, 0, sizeof(g));
    rc = parse(&g, &a, argc, argv);
    if (rc != CLI_EXIT_OK)
        return rc < 0 ? CLI_EXIT_OK : rc;
    if (g.resume == 0) {
        js = options_json(argc, argv);
        rc = run(&g, js);
        free(js);
        return rc;
    }
    /* --resume: the stored command line, with this one's -j/--quiet/--json */
    cli_diag_init(&diag);
    rc = stored_argv(&sargv, &sargc, &g, &diag);
    if (rc < 0)
        return cli_fail(&diag, rc);
    memset(&g2, 0, sizeof(g2));
    rc = parse(&g2, &a2, sargc, sargv);
    if (rc == CLI_EXIT_OK) {
        g2.resume = g.resume;
        g2.jobs = g.jobs ? g.jobs : g2.jobs;
        g2.quiet = g.quiet;
        g2.json = g.json;
        if (g.ledger != NULL)
            g2.ledger = g.ledger;
        rc = run(&g2, NULL);
    }
    for (i = 0; i < sargc; i++)
        free(sargv[i]);
    free(sargv);
    return rc;
}
