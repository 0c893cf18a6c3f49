/*
 * cmd_pki_gen.c: "matterfab pki gen-paa | gen-pai | gen-dac | sign-csr",
 * attestation certificates to the Matter profile (spec attestation.md 2,
 * 3.1), with chip-cert gen-att-cert's option names and short forms.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include "cli.h"
#include "cmd_pki.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"

/* Which options a verb has; the tables share one row set. */
#define O_CA 1u
#define O_KEY 2u
#define O_CSR 4u

/* clang-format off */
#define GEN_OPTS(ca_rows, key_rows, csr_rows)                                \
    { "subject-cn", "-c", "CN", "subject common name (required)" },          \
    { "subject-vid", "-V", "HEX", "Matter vendor ID, hex (FFF1 or 0xFFF1)" }, \
    { "subject-pid", "-P", "HEX", "Matter product ID, hex" },               \
    { "vid-pid-as-cn", "-a", NULL,                                           \
      "put VID/PID in the CN ('Mvid:XXXX Mpid:YYYY') instead of "            \
      "attributes" },                                                        \
    { "valid-from", "-f", "DATE",                                            \
      "notBefore, 'YYYY-MM-DD [HH:MM:SS]' UTC (default: today 00:00:00)" },  \
    { "lifetime", "-l", "DAYS",                                              \
      "validity in days (required); 4294967295 = no expiry (9999-12-31)" },  \
    ca_rows key_rows csr_rows                                                \
    { "out", "-o", "FILE", "certificate output (required)" },                \
    { "out-format", NULL, "pem|der", "certificate encoding (default pem)" }, \
    { "pass", NULL, "TEXT", "passphrase of encrypted key files / token PIN" },\
    { "pkcs11-module", NULL, "SO",                                           \
      "PKCS#11 module for pkcs11: URIs (default $MATTERFAB_PKCS11_MODULE, "  \
      "the URI's module-path, SoftHSM2, p11-kit-proxy)" },

#define CA_ROWS                                                              \
    { "ca-cert", "-C", "FILE", "issuer certificate (PEM or DER)" },          \
    { "ca-key", "-K", "FILE|URI", "issuer private key file or pkcs11: URI" },
#define KEY_ROWS                                                             \
    { "key", "-k", "FILE|URI", "use this subject key instead of a new one" },\
    { "out-key", "-O", "FILE", "write the new subject key here (0600)" },    \
    { "out-key-format", NULL, "FORMAT",                                      \
      "sec1-pem (default), pkcs8-pem, sec1-der, pkcs8-der, raw" },
#define CSR_ROWS { "csr", NULL, "FILE", "device CSR (PKCS#10, PEM or DER)" },
#define TYPE_ROWS                                                            \
    { "type", "-t", "a|i|d", "chip-cert certificate type: a = PAA, i = PAI, "\
                             "d = DAC (required)" },
/* clang-format on */

static const cli_opt paa_opts[] = {GEN_OPTS(, KEY_ROWS, )};
static const cli_opt pai_opts[] = {GEN_OPTS(CA_ROWS, KEY_ROWS, )};
static const cli_opt dac_opts[] = {GEN_OPTS(CA_ROWS, KEY_ROWS, )};
static const cli_opt csr_opts[] = {GEN_OPTS(CA_ROWS, , CSR_ROWS)};
static const cli_opt att_opts[] = {GEN_OPTS(CA_ROWS, KEY_ROWS, TYPE_ROWS)};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const cli_cmd_spec paa_spec = {
    "pki gen-paa",
    "--subject-cn CN --lifetime DAYS --out FILE [options]",
    "Create a self-signed PAA certificate (VID optional, no PID).",
    paa_opts,
    N(paa_opts),
    0,
    0,
};
static const cli_cmd_spec pai_spec = {
    "pki gen-pai",
    "--subject-cn CN --subject-vid HEX --ca-cert F --ca-key F "
    "--lifetime DAYS --out FILE [options]",
    "Create a PAI certificate (pathLen 0) signed by a PAA.",
    pai_opts,
    N(pai_opts),
    0,
    0,
};
static const cli_cmd_spec dac_spec = {
    "pki gen-dac",
    "--subject-cn CN --subject-vid HEX --subject-pid HEX "
    "--ca-cert F --ca-key F --lifetime DAYS --out FILE "
    "[options]",
    "Create a DAC certificate signed by a PAI.",
    dac_opts,
    N(dac_opts),
    0,
    0,
};
static const cli_cmd_spec csr_spec = {
    "pki sign-csr",
    "--csr FILE --subject-cn CN --subject-vid HEX "
    "--subject-pid HEX --ca-cert F --ca-key F --lifetime "
    "DAYS --out FILE [options]",
    "Issue a DAC for the public key of a device CSR (its signature and key "
    "type are verified; nothing else of the CSR is used).",
    csr_opts,
    N(csr_opts),
    0,
    0,
};

static const cli_cmd_spec att_spec = {
    "pki gen-att-cert",
    "--type a|i|d --subject-cn CN --lifetime DAYS --out FILE [options]",
    "chip-cert gen-att-cert compatible form of gen-paa, gen-pai and gen-dac.",
    att_opts,
    N(att_opts),
    0,
    0,
};

static const struct {
    const char *name;
    mfab_pki_key_format fmt;
} key_formats[] = {
    {"sec1-pem", MFAB_PKI_KEY_SEC1_PEM}, {"pkcs8-pem", MFAB_PKI_KEY_PKCS8_PEM},
    {"sec1-der", MFAB_PKI_KEY_SEC1_DER}, {"pkcs8-der", MFAB_PKI_KEY_PKCS8_DER},
    {"raw", MFAB_PKI_KEY_RAW_PRIVATE},
};

/* chip-cert parses VID/PID as hex, with or without 0x. */
static int
parse_hex16(uint16_t *out, const char *text, const char *opt)
{
    const char *p = text;
    char *end = NULL;
    unsigned long v;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    v = strtoul(p, &end, 16);
    if (*p == '\0' || *end != '\0' || strlen(p) > 4 || p[0] == '-' ||
        p[0] == '+' || p[0] == ' ') {
        cli_error("invalid %s '%s' (allowed: hex 0..FFFF, e.g. FFF1)", opt,
                  text);
        return -1;
    }
    *out = (uint16_t)v;
    return 0;
}

static time_t
today_utc(void)
{
    time_t now = time(NULL);

    return now - now % 86400;
}

typedef struct gen_job {
    mfab_pki_issue_options opts;
    mfab_pki_key_options keyopts;
    mfab_pki_key_format key_fmt;
    int der;
} gen_job;

static int
parse_common(gen_job *job, const cli_args *a, mfab_pki_cert_type type)
{
    unsigned long long days = 0;
    mfab_diag diag;
    const char *v;
    size_t i;

    memset(job, 0, sizeof(*job));
    job->opts.type = type;
    job->key_fmt = MFAB_PKI_KEY_SEC1_PEM;
    if (!cli_has(a, "subject-cn") || !cli_has(a, "lifetime") ||
        !cli_has(a, "out")) {
        cli_error("%s: --subject-cn, --lifetime and --out are required",
                  a->spec->name);
        return -1;
    }
    job->opts.subject_cn = cli_get(a, "subject-cn");
    if (cli_has(a, "subject-vid")) {
        if (parse_hex16(&job->opts.vid, cli_get(a, "subject-vid"),
                        "--subject-vid") != 0)
            return -1;
        job->opts.has_vid = 1;
    }
    if (cli_has(a, "subject-pid")) {
        if (parse_hex16(&job->opts.pid, cli_get(a, "subject-pid"),
                        "--subject-pid") != 0)
            return -1;
        job->opts.has_pid = 1;
    }
    job->opts.vid_pid_as_cn = cli_has(a, "vid-pid-as-cn");
    if (cli_parse_u64(&days, cli_get(a, "lifetime"), "--lifetime",
                      MFAB_PKI_LIFETIME_NO_EXPIRY) != 0)
        return -1;
    job->opts.lifetime_days = (uint32_t)days;
    job->opts.not_before = today_utc();
    if (cli_has(a, "valid-from")) {
        mfab_diag_init(&diag);
        if (mfab_pki_parse_time(&job->opts.not_before, cli_get(a, "valid-from"),
                                &diag) < 0) {
            cli_error("--valid-from: %s", mfab_diag_message(&diag));
            return -1;
        }
    }
    v = cli_get(a, "out-format");
    if (v != NULL && strcmp(v, "der") != 0 && strcmp(v, "pem") != 0) {
        cli_error("invalid --out-format '%s' (allowed: pem, der)", v);
        return -1;
    }
    job->der = v != NULL && strcmp(v, "der") == 0;
    v = cli_get(a, "out-key-format");
    if (v != NULL) {
        for (i = 0; i < N(key_formats); i++) {
            if (strcmp(v, key_formats[i].name) == 0)
                break;
        }
        if (i == N(key_formats)) {
            cli_error("invalid --out-key-format '%s' (allowed: sec1-pem, "
                      "pkcs8-pem, sec1-der, pkcs8-der, raw)",
                      v);
            return -1;
        }
        job->key_fmt = key_formats[i].fmt;
    }
    pki_key_options(&job->keyopts, cli_get(a, "pass"),
                    cli_get(a, "pkcs11-module"));
    return 0;
}

/* Load CA cert/key, get the subject key, issue, then write the outputs
 * only once everything has succeeded. */
static int
run_gen(const cli_args *a, gen_job *job, unsigned flags)
{
    mfab_diag diag;
    X509 *ca_cert = NULL, *cert = NULL;
    EVP_PKEY *ca_key = NULL, *key = NULL;
    uint8_t *csr = NULL;
    size_t csr_len = 0;
    const char *out_key = cli_get(a, "out-key");
    int rc = 0, new_key = 0;

    cli_diag_init(&diag);
    if ((flags & O_CA) && (!cli_has(a, "ca-cert") || !cli_has(a, "ca-key"))) {
        cli_error("%s: --ca-cert and --ca-key are required", a->spec->name);
        return CLI_EXIT_USAGE;
    }
    if ((flags & O_KEY) && cli_has(a, "key") == (out_key != NULL)) {
        cli_error("%s: give exactly one of --key (existing) or --out-key "
                  "(new key)",
                  a->spec->name);
        return CLI_EXIT_USAGE;
    }
    if ((flags & O_CSR) && !cli_has(a, "csr")) {
        cli_error("%s: --csr is required", a->spec->name);
        return CLI_EXIT_USAGE;
    }
    if (flags & O_CA) {
        rc = mfab_pki_cert_load(&ca_cert, cli_get(a, "ca-cert"), &diag);
        if (rc == 0)
            rc = mfab_pki_key_load_ex(&ca_key, cli_get(a, "ca-key"),
                                      &job->keyopts, &diag);
        if (rc < 0)
            goto out;
    }
    if (flags & O_CSR) {
        rc = mfab_file_read(&csr, &csr_len, cli_get(a, "csr"), &diag);
        if (rc == 0)
            rc = mfab_pki_csr_public_key(&key, csr, csr_len, &diag);
    } else if (cli_has(a, "key")) {
        rc =
            mfab_pki_key_load_ex(&key, cli_get(a, "key"), &job->keyopts, &diag);
    } else {
        rc = mfab_pki_key_generate(&key, &diag);
        new_key = 1;
    }
    if (rc < 0)
        goto out;
    rc = mfab_pki_issue(&cert, &job->opts, key, ca_cert,
                        ca_key != NULL ? ca_key : key, &diag);
    if (rc < 0)
        goto out;
    if (new_key) {
        rc = mfab_pki_key_write(out_key, key, job->key_fmt, &diag);
        if (rc < 0)
            goto out;
    }
    rc = mfab_pki_cert_write(cli_get(a, "out"), cert, !job->der, &diag);
    if (rc < 0 && new_key)
        unlink(out_key); /* a key without its certificate is useless */
out:
    mfab_file_free(csr, csr_len);
    X509_free(ca_cert);
    X509_free(cert);
    EVP_PKEY_free(ca_key);
    EVP_PKEY_free(key);
    return rc < 0 ? cli_fail(&diag, rc) : CLI_EXIT_OK;
}

static int
gen(int argc, char **argv, const cli_cmd_spec *spec, mfab_pki_cert_type type,
    unsigned flags)
{
    cli_args args;
    gen_job job;
    int rc = cli_parse(&args, spec, argc, argv);

    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (parse_common(&job, &args, type) != 0)
        return CLI_EXIT_USAGE;
    return run_gen(&args, &job, flags);
}

/* see cmd_pki.h */
int
cmd_pki_gen_paa(int argc, char **argv)
{
    return gen(argc, argv, &paa_spec, MFAB_PKI_PAA, O_KEY);
}

/* see cmd_pki.h */
int
cmd_pki_gen_pai(int argc, char **argv)
{
    return gen(argc, argv, &pai_spec, MFAB_PKI_PAI, O_KEY | O_CA);
}

/* see cmd_pki.h */
int
cmd_pki_gen_dac(int argc, char **argv)
{
    return gen(argc, argv, &dac_spec, MFAB_PKI_DAC, O_KEY | O_CA);
}

/* see cmd_pki.h */
int
cmd_pki_sign_csr(int argc, char **argv)
{
    return gen(argc, argv, &csr_spec, MFAB_PKI_DAC, O_CSR | O_CA);
}

/* see cmd_pki.h */
int
cmd_pki_gen_att_cert(int argc, char **argv)
{
    cli_args args;
    gen_job job;
    const char *t;
    mfab_pki_cert_type type;
    int rc = cli_parse(&args, &att_spec, argc, argv);

    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    t = cli_get(&args, "type");
    if (t == NULL || t[0] == '\0' || t[1] != '\0' ||
        strchr("aid", t[0]) == NULL) {
        cli_error("pki gen-att-cert: --type must be a (PAA), i (PAI) or d "
                  "(DAC)");
        return CLI_EXIT_USAGE;
    }
    type = t[0] == 'a'   ? MFAB_PKI_PAA
           : t[0] == 'i' ? MFAB_PKI_PAI
                         : MFAB_PKI_DAC;
    if (type == MFAB_PKI_PAA &&
        (cli_has(&args, "ca-cert") || cli_has(&args, "ca-key"))) {
        cli_error("pki gen-att-cert: a PAA is self-signed: no --ca-cert or "
                  "--ca-key");
        return CLI_EXIT_USAGE;
    }
    if (parse_common(&job, &args, type) != 0)
        return CLI_EXIT_USAGE;
    return run_gen(&args, &job, type == MFAB_PKI_PAA ? O_KEY : O_KEY | O_CA);
}
