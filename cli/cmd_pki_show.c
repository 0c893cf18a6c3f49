/*
 * cmd_pki_show.c: "matterfab pki show CERT [--json]": a certificate with
 * its Matter attributes (spec attestation.md 2.2) and profile check
 * (2.4.1).
 */
#include <stdio.h>
#include <string.h>

#include <openssl/x509.h>

#include "cli.h"
#include "cmd_pki.h"
#include "json_out.h"
#include "matterfab/hex.h"
#include "matterfab/pki.h"

static const cli_opt opts[] = {
    {"json", NULL, NULL, "print one JSON object"},
};

static const cli_cmd_spec spec = {
    "pki show",
    "CERT",
    "Print a certificate (PEM or DER) with its Matter VID/PID, key "
    "identifiers, role and profile check.",
    opts,
    sizeof(opts) / sizeof(opts[0]),
    1,
    1,
};

static const char *const roles[] = {"PAA", "PAI", "DAC"};

static void
id_text(char *out, size_t cap, int has, uint16_t v)
{
    if (has)
        snprintf(out, cap, "%04X", v);
    else
        out[0] = '\0';
}

static void
print_json(const mfab_pki_cert_info *i)
{
    char vid[8], pid[8], skid[41], akid[41], fp[65];

    id_text(vid, sizeof(vid), i->ids_ok && i->ids.has_vid, i->ids.vid);
    id_text(pid, sizeof(pid), i->ids_ok && i->ids.has_pid, i->ids.pid);
    mfab_hex_encode(skid, i->skid, i->has_skid ? sizeof(i->skid) : 0);
    mfab_hex_encode(akid, i->akid, i->has_akid ? sizeof(i->akid) : 0);
    mfab_hex_encode(fp, i->sha256, sizeof(i->sha256));
    printf("{\"subject\": ");
    json_out_str(stdout, i->subject);
    printf(", \"issuer\": ");
    json_out_str(stdout, i->issuer);
    printf(", \"serial\": \"%s\", \"not_before\": \"%s\", \"not_after\": "
           "\"%s\", ",
           i->serial, i->not_before, i->not_after);
    printf("\"vid\": %s%s%s, \"pid\": %s%s%s, ", vid[0] ? "\"" : "",
           vid[0] ? vid : "null", vid[0] ? "\"" : "", pid[0] ? "\"" : "",
           pid[0] ? pid : "null", pid[0] ? "\"" : "");
    printf("\"vid_pid_error\": ");
    if (i->ids_ok)
        printf("null");
    else
        json_out_str(stdout, i->ids_error);
    printf(", \"skid\": %s%s%s, \"akid\": %s%s%s, \"role\": \"%s\", "
           "\"profile\": ",
           i->has_skid ? "\"" : "", i->has_skid ? skid : "null",
           i->has_skid ? "\"" : "", i->has_akid ? "\"" : "",
           i->has_akid ? akid : "null", i->has_akid ? "\"" : "",
           roles[i->role]);
    json_out_str(stdout, i->profile[0] ? i->profile : "ok");
    printf(", \"sha256\": \"%s\"}\n", fp);
}

static void
print_text(const mfab_pki_cert_info *i)
{
    char skid[41], akid[41], fp[65];

    mfab_hex_encode(skid, i->skid, i->has_skid ? sizeof(i->skid) : 0);
    mfab_hex_encode(akid, i->akid, i->has_akid ? sizeof(i->akid) : 0);
    mfab_hex_encode(fp, i->sha256, sizeof(i->sha256));
    printf("subject:     %s\n", i->subject);
    printf("issuer:      %s\n", i->issuer);
    printf("serial:      %s\n", i->serial);
    printf("not before:  %s\n", i->not_before);
    printf("not after:   %s\n", i->not_after);
    if (!i->ids_ok) {
        printf("vendor id:   error: %s\n", i->ids_error);
    } else {
        if (i->ids.has_vid)
            printf("vendor id:   %04X\n", i->ids.vid);
        else
            printf("vendor id:   (none)\n");
        if (i->ids.has_pid)
            printf("product id:  %04X\n", i->ids.pid);
        else
            printf("product id:  (none)\n");
    }
    printf("skid:        %s\n", i->has_skid ? skid : "(none)");
    printf("akid:        %s\n", i->has_akid ? akid : "(none)");
    printf("role:        %s\n", roles[i->role]);
    printf("profile:     %s\n", i->profile[0] ? i->profile : "ok");
    printf("sha256:      %s\n", fp);
}

/* see cmd_pki.h */
int
cmd_pki_show(int argc, char **argv)
{
    mfab_pki_cert_info info;
    mfab_diag diag;
    cli_args args;
    X509 *cert = NULL;
    int rc = cli_parse(&args, &spec, argc, argv);

    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = mfab_pki_cert_load(&cert, args.pos[0], &diag);
    if (rc == 0)
        rc = mfab_pki_cert_describe(&info, cert, &diag);
    X509_free(cert);
    if (rc < 0)
        return cli_fail(&diag, rc);
    if (cli_has(&args, "json"))
        print_json(&info);
    else
        print_text(&info);
    return CLI_EXIT_OK;
}
