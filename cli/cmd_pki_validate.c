/*
 * cmd_pki_validate.c: "matterfab pki validate", attestation validation as
 * a commissioner runs it (spec attestation.md 2.4.2 without a CD; 2.4.3,
 * 4.5 and 4.6 with one). Prints the SDK's AttestationVerificationResult.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "cmd_pki.h"
#include "json_out.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"

#define MAX_STORE 1024

static const cli_opt opts[] = {
    {"dac", NULL, "FILE", "DAC certificate (PEM or DER)"},
    {"pai", NULL, "FILE", "PAI certificate (PEM or DER)"},
    {"paa", NULL, "FILE",
     "PAA certificate: the root (chain check), or a "
     "trust store entry (repeatable; with --cd)"},
    {"paa-dir", NULL, "DIR",
     "trust store: every certificate in DIR; the "
     "PAA is found by the PAI's AKID"},
    {"cd", NULL, "FILE",
     "Certification Declaration (CMS DER): run the "
     "full attestation"},
    {"cd-cert", NULL, "FILE",
     "trusted CD signing certificate "
     "(repeatable)"},
    {"vid", NULL, "VID", "Basic Information vendor ID (default: the DAC's)"},
    {"pid", NULL, "PID",
     "Basic Information product ID (default: the "
     "DAC's)"},
    {"json", NULL, NULL, "print {\"result\", \"code\", \"detail\"}"},
};

static const cli_cmd_spec spec = {
    "pki validate",
    "--dac FILE --pai FILE (--paa FILE | --paa-dir DIR) "
    "[options]",
    "Validate a DAC and PAI against PAAs (and a CD) as a commissioner does; "
    "exit 0 only for OK.",
    opts,
    sizeof(opts) / sizeof(opts[0]),
    0,
    0,
};

typedef struct blobs {
    uint8_t *data[MAX_STORE];
    size_t len[MAX_STORE];
    size_t n;
} blobs;

static int
add_file(blobs *b, const char *path, mfab_diag *diag)
{
    int rc;

    if (b->n >= MAX_STORE)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "too many certificates (max %d)", MAX_STORE);
    rc = mfab_file_read(&b->data[b->n], &b->len[b->n], path, diag);
    if (rc == 0)
        b->n++;
    return rc;
}

/* Every value of a repeatable option. */
static int
add_all(blobs *b, const cli_args *args, int argc, char **argv, const char *name,
        mfab_diag *diag)
{
    const char *paths[MAX_STORE];
    size_t i, n = cli_get_all(args, argc, argv, name, paths, MAX_STORE);
    int rc = 0;

    if (n > MAX_STORE)
        return mfab_diag_set(diag, MFAB_ERANGE, "too many --%s (max %d)", name,
                             MAX_STORE);
    for (i = 0; i < n && rc == 0; i++)
        rc = add_file(b, paths[i], diag);
    return rc;
}

static int
add_dir(blobs *b, const char *dir, mfab_diag *diag)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    int rc = 0;

    if (d == NULL)
        return mfab_diag_set(diag, MFAB_ENOTFOUND,
                             "cannot open folder '%s' (--paa-dir)", dir);
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);

        if (e->d_name[0] == '.' || n < 4 ||
            (strcmp(e->d_name + n - 4, ".der") != 0 &&
             strcmp(e->d_name + n - 4, ".pem") != 0 &&
             strcmp(e->d_name + n - 4, ".crt") != 0))
            continue;
        if (mfab_path_join(path, sizeof(path), dir, e->d_name) != 0)
            continue;
        rc = add_file(b, path, diag);
        if (rc < 0)
            break;
    }
    closedir(d);
    if (rc == 0 && b->n == 0)
        rc = mfab_diag_set(diag, MFAB_ENOTFOUND,
                           "no certificate (*.der, *.pem, *.crt) in '%s'", dir);
    return rc;
}

static void
blobs_release(blobs *b)
{
    size_t i;

    for (i = 0; i < b->n; i++)
        mfab_file_free(b->data[i], b->len[i]);
    b->n = 0;
}

static int
parse_id(uint16_t *out, const char *text, const char *what)
{
    unsigned long long v = 0;

    if (cli_parse_u64(&v, text, what, 0xFFFF) != 0)
        return -1;
    *out = (uint16_t)v;
    return 0;
}

/* see cmd_pki.h */
int
cmd_pki_validate(int argc, char **argv)
{
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict verdict;
    mfab_diag diag;
    cli_args args;
    blobs *dac = NULL, *pai = NULL, *store = NULL, *cd = NULL, *cdc = NULL;
    int rc, exit_code = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (!cli_has(&args, "dac") || !cli_has(&args, "pai") ||
        cli_has(&args, "paa") == cli_has(&args, "paa-dir") ||
        cli_has(&args, "cd-cert") != cli_has(&args, "cd")) {
        cli_error("pki validate: needs --dac, --pai and exactly one of --paa "
                  "or --paa-dir (and --cd-cert with --cd)");
        return CLI_EXIT_USAGE;
    }
    if (cli_has(&args, "vid") != cli_has(&args, "pid") ||
        (cli_has(&args, "vid") && !cli_has(&args, "cd"))) {
        cli_error("pki validate: --vid and --pid go together, and only with "
                  "--cd (the Basic Information IDs are checked against the "
                  "CD)");
        return CLI_EXIT_USAGE;
    }
    if (cli_has(&args, "vid")) {
        if (parse_id(&in.basic_vid, cli_get(&args, "vid"), "--vid") != 0 ||
            parse_id(&in.basic_pid, cli_get(&args, "pid"), "--pid") != 0)
            return CLI_EXIT_USAGE;
        in.has_basic_info = 1;
    }
    cli_diag_init(&diag);
    dac = calloc(1, sizeof(*dac));
    pai = calloc(1, sizeof(*pai));
    store = calloc(1, sizeof(*store));
    cd = calloc(1, sizeof(*cd));
    cdc = calloc(1, sizeof(*cdc));
    if (dac == NULL || pai == NULL || store == NULL || cd == NULL ||
        cdc == NULL) {
        rc = mfab_diag_set(&diag, MFAB_ENOMEM, "out of memory");
        goto out;
    }
    rc = add_file(dac, cli_get(&args, "dac"), &diag);
    if (rc == 0)
        rc = add_file(pai, cli_get(&args, "pai"), &diag);
    if (rc == 0 && cli_has(&args, "paa"))
        rc = add_all(store, &args, argc, argv, "paa", &diag);
    if (rc == 0 && cli_has(&args, "paa-dir"))
        rc = add_dir(store, cli_get(&args, "paa-dir"), &diag);
    if (rc == 0 && cli_has(&args, "cd"))
        rc = add_file(cd, cli_get(&args, "cd"), &diag);
    if (rc == 0 && cli_has(&args, "cd-cert"))
        rc = add_all(cdc, &args, argc, argv, "cd-cert", &diag);
    if (rc < 0)
        goto out;
    in.dac = dac->data[0];
    in.dac_len = dac->len[0];
    in.pai = pai->data[0];
    in.pai_len = pai->len[0];
    in.paa = (const uint8_t *const *)store->data;
    in.paa_len = store->len;
    in.npaa = store->n;
    /* one --paa without a CD is chip-cert's explicit root; several, or a
     * folder, form a trust store searched by the PAI's AKID */
    in.paa_explicit = cli_has(&args, "paa") && store->n == 1;
    if (cd->n > 0) {
        in.cd = cd->data[0];
        in.cd_len = cd->len[0];
        in.cd_certs = (const uint8_t *const *)cdc->data;
        in.cd_cert_len = cdc->len;
        in.ncd_certs = cdc->n;
    }
    in.now = time(NULL);
    rc = mfab_pki_validate(&verdict, &in, &diag);
    if (rc < 0)
        goto out;
    if (cli_has(&args, "json")) {
        printf("{\"result\": ");
        json_out_str(stdout, mfab_pki_result_name(verdict.code));
        printf(", \"code\": %d, \"detail\": ", verdict.code);
        json_out_str(stdout, verdict.detail);
        printf("}\n");
    } else if (verdict.code == MFAB_ATT_OK) {
        printf("OK\n");
    } else {
        printf("%s(%d): %s\n", mfab_pki_result_name(verdict.code), verdict.code,
               verdict.detail);
    }
    exit_code = verdict.code == MFAB_ATT_OK ? CLI_EXIT_OK : CLI_EXIT_ERROR;
out:
    if (rc < 0)
        exit_code = cli_fail(&diag, rc);
    if (dac != NULL)
        blobs_release(dac);
    if (pai != NULL)
        blobs_release(pai);
    if (store != NULL)
        blobs_release(store);
    if (cd != NULL)
        blobs_release(cd);
    if (cdc != NULL)
        blobs_release(cdc);
    free(dac);
    free(pai);
    free(store);
    free(cd);
    free(cdc);
    return exit_code;
}
