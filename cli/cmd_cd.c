/*
 * cmd_cd.c: "matterfab cd generate|decode|verify", the Certification
 * Declaration commands (shared/spec/attestation.md section 4; generate
 * takes chip-cert gen-cd's options, section 4.1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_cd_print.h"
#include "cli.h"
#include "matterfab/cd.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* ---- generate ------------------------------------------------------ */

static const cli_opt gen_opts[] = {
    {"key", "-K", "FILE|URI", "CD signing key (PEM/DER file or pkcs11: URI)"},
    {"cert", "-C", "FILE", "CD signing certificate (its SKID is the signer)"},
    {"out", "-O", "FILE", "signed CD output (DER)"},
    {"format-version", "-f", "HEX", "format_version (default 1)"},
    {"vendor-id", "-V", "HEX", "vendor_id, e.g. FFF1"},
    {"product-id", "-p", "HEX", "product ID, repeat for each (1..100)"},
    {"device-type-id", "-d", "HEX", "device_type_id (default 0)"},
    {"certificate-id", "-c", "TEXT", "certificate_id, 19 characters"},
    {"security-level", "-l", "HEX", "security_level (default 0)"},
    {"security-info", "-i", "HEX", "security_information (default 0)"},
    {"version-number", "-n", "HEX", "version_number, e.g. 9876 = 0x9876"},
    {"certification-type", "-t", "N",
     "0 development, 1 provisional, 2 official (decimal, default 0)"},
    {"dac-origin-vendor-id", "-o", "HEX", "dac_origin_vendor_id"},
    {"dac-origin-product-id", "-r", "HEX", "dac_origin_product_id"},
    {"authorized-paa-cert", "-a", "FILE",
     "PAA certificate whose SKID goes into authorized_paa_list (repeat)"},
};

static const cli_cmd_spec gen_spec = {
    "cd generate",
    "--key K --cert C --out F --vendor-id V --product-id P "
    "--certificate-id ID --version-number N [options]",
    "Sign a Certification Declaration (chip-cert gen-cd)",
    gen_opts,
    NELEMS(gen_opts),
    0,
    0,
};

/*
 * chip-cert reads its numeric CD options as hex digits ("-n 9876" is
 * 0x9876); a 0x prefix is accepted too.
 */
static int
parse_hex(unsigned long long *out, const char *text, const char *opt,
          unsigned long long max)
{
    const char *p = text;
    char *end = NULL;
    unsigned long long v;

    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    if (*p == '\0' || strspn(p, "0123456789abcdefABCDEF") != strlen(p) ||
        strlen(p) > 16)
        goto bad;
    v = strtoull(p, &end, 16);
    if (v > max)
        goto bad;
    *out = v;
    return 0;
bad:
    cli_error("cd generate: invalid --%s '%s' (allowed hex 0..%llX)", opt, text,
              max);
    return -1;
}

/* Options that take one hex number: option, field, maximum. */
static int
get_hex(const cli_args *a, const char *opt, unsigned long long max,
        unsigned long long *out)
{
    const char *v = cli_get(a, opt);

    if (v == NULL)
        return 0;
    return parse_hex(out, v, opt, max);
}

static int
require(const cli_args *a, const char *opt)
{
    if (cli_has(a, opt))
        return 0;
    cli_error("cd generate: option '--%s' is required (see 'matterfab cd "
              "generate --help')",
              opt);
    return -1;
}

/* Fill content from the options; prints and returns -1 on a bad value. */
static int
content_from_options(mfab_cd_content *c, const cli_args *a, int argc,
                     char **argv)
{
    static const char *const required[] = {
        "key",        "cert",           "out",           "vendor-id",
        "product-id", "certificate-id", "version-number"};
    const char *pids[MFAB_CD_MAX_PIDS + 1];
    unsigned long long v = 0;
    size_t i, n;
    const char *id;

    mfab_cd_content_init(c);
    for (i = 0; i < NELEMS(required); i++)
        if (require(a, required[i]) < 0)
            return -1;
    v = c->format_version;
    if (get_hex(a, "format-version", 0xFFFF, &v) < 0)
        return -1;
    c->format_version = (uint16_t)v;
    if (get_hex(a, "vendor-id", 0xFFFF, &v) < 0)
        return -1;
    c->vendor_id = (uint16_t)v;
    n = cli_get_all(a, argc, argv, "product-id", pids, NELEMS(pids));
    if (n > MFAB_CD_MAX_PIDS) {
        cli_error("cd generate: --product-id given %zu times (allowed "
                  "1..%d)",
                  n, MFAB_CD_MAX_PIDS);
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (parse_hex(&v, pids[i], "product-id", 0xFFFF) < 0)
            return -1;
        c->product_ids[i] = (uint16_t)v;
    }
    c->product_id_count = n;
    v = 0;
    if (get_hex(a, "device-type-id", 0xFFFFFFFFull, &v) < 0)
        return -1;
    c->device_type_id = (uint32_t)v;
    id = cli_get(a, "certificate-id");
    if (strlen(id) != MFAB_CD_CERT_ID_LEN) {
        cli_error("cd generate: --certificate-id '%s' is %zu characters "
                  "(allowed %d)",
                  id, strlen(id), MFAB_CD_CERT_ID_LEN);
        return -1;
    }
    memcpy(c->certificate_id, id, MFAB_CD_CERT_ID_LEN + 1);
    v = 0;
    if (get_hex(a, "security-level", 0xFF, &v) < 0)
        return -1;
    c->security_level = (uint8_t)v;
    v = 0;
    if (get_hex(a, "security-info", 0xFFFF, &v) < 0)
        return -1;
    c->security_information = (uint16_t)v;
    if (get_hex(a, "version-number", 0xFFFF, &v) < 0)
        return -1;
    c->version_number = (uint16_t)v;
    v = 0;
    if (cli_has(a, "certification-type") &&
        cli_parse_u64(&v, cli_get(a, "certification-type"),
                      "--certification-type", 2) < 0)
        return -1;
    c->certification_type = (uint8_t)v;
    if (cli_has(a, "dac-origin-vendor-id") ||
        cli_has(a, "dac-origin-product-id")) {
        c->has_dac_origin = 1;
        v = 0;
        if (get_hex(a, "dac-origin-vendor-id", 0xFFFF, &v) < 0)
            return -1;
        c->dac_origin_vendor_id = (uint16_t)v;
        v = 0;
        if (get_hex(a, "dac-origin-product-id", 0xFFFF, &v) < 0)
            return -1;
        c->dac_origin_product_id = (uint16_t)v;
    }
    return 0;
}

/* SKIDs of the --authorized-paa-cert certificates into the content. */
static int
load_paas(mfab_cd_content *c, const cli_args *a, int argc, char **argv,
          mfab_diag *diag)
{
    const char *paths[MFAB_CD_MAX_PAAS + 1];
    X509 *paa = NULL;
    size_t i, n;
    int rc = 0;

    n = cli_get_all(a, argc, argv, "authorized-paa-cert", paths, NELEMS(paths));
    if (n == 0)
        return 0;
    if (n > MFAB_CD_MAX_PAAS)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "cd generate: --authorized-paa-cert given %zu "
                             "times (allowed 1..%d)",
                             n, MFAB_CD_MAX_PAAS);
    c->has_authorized_paa_list = 1;
    for (i = 0; i < n; i++) {
        rc = mfab_pki_cert_load(&paa, paths[i], diag);
        if (rc < 0)
            goto out;
        rc = mfab_pki_cert_skid(c->authorized_paa_list[i], paa, NULL);
        if (rc < 0) {
            rc = mfab_diag_set(diag, MFAB_EINVAL,
                               "cd generate: PAA certificate '%s' has no "
                               "20-byte subjectKeyIdentifier",
                               paths[i]);
            goto out;
        }
        c->authorized_paa_count = i + 1;
        X509_free(paa);
        paa = NULL;
    }
out:
    X509_free(paa);
    return rc;
}

static int
cd_generate(int argc, char **argv)
{
    uint8_t content[MFAB_CD_CONTENT_MAX], cms[MFAB_CD_CMS_MAX];
    size_t content_len = 0, cms_len = 0;
    mfab_cd_content c;
    mfab_diag diag;
    cli_args a;
    EVP_PKEY *key = NULL;
    X509 *cert = NULL;
    int rc, result = 0, exit_code = CLI_EXIT_ERROR;

    rc = cli_parse(&a, &gen_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (content_from_options(&c, &a, argc, argv) < 0)
        return CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = load_paas(&c, &a, argc, argv, &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_cd_encode_content(content, sizeof(content), &content_len, &c,
                                &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_pki_cert_load(&cert, cli_get(&a, "cert"), &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_pki_key_load(&key, cli_get(&a, "key"), NULL, &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_cd_sign(cms, sizeof(cms), &cms_len, content, content_len, key,
                      cert, &diag);
    if (rc < 0)
        goto fail;
    /* Never write a CD a commissioner would reject for its envelope. */
    rc = mfab_cd_verify(&result, NULL, NULL, cms, cms_len, &cert, 1, &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_file_write_atomic(cli_get(&a, "out"), cms, cms_len,
                                MFAB_MODE_PUBLIC, &diag);
    if (rc < 0)
        goto fail;
    exit_code = CLI_EXIT_OK;
    goto out;
fail:
    exit_code = cli_fail(&diag, rc);
out:
    EVP_PKEY_free(key);
    X509_free(cert);
    return exit_code;
}

/* ---- decode -------------------------------------------------------- */

static const cli_opt decode_opts[] = {
    {"json", NULL, NULL, "print JSON: envelope, TLV elements, fields"},
};

static const cli_cmd_spec decode_spec = {
    "cd decode",
    "CD.der [--json]",
    "Print a Certification Declaration's envelope and content (no "
    "signature check)",
    decode_opts,
    NELEMS(decode_opts),
    1,
    1,
};

static int
cd_decode(int argc, char **argv)
{
    uint8_t *der = NULL;
    size_t len = 0;
    mfab_cd_envelope env;
    mfab_cd_content c;
    mfab_diag diag;
    cli_args a;
    int rc, exit_code = CLI_EXIT_ERROR;

    rc = cli_parse(&a, &decode_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    rc = mfab_file_read(&der, &len, a.pos[0], &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_cd_decode_envelope(&env, der, len, &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_cd_decode_content(&c, env.content, env.content_len, &diag);
    if (rc < 0)
        goto fail;
    if (cli_has(&a, "json"))
        cd_print_json(stdout, a.pos[0], len, &env, &c);
    else
        cd_print_text(stdout, a.pos[0], len, &env, &c);
    exit_code = CLI_EXIT_OK;
    goto out;
fail:
    exit_code = cli_fail(&diag, rc);
out:
    mfab_file_free(der, len);
    return exit_code;
}

/* ---- verify -------------------------------------------------------- */

#define MAX_SIGNERS 8

static const cli_opt verify_opts[] = {
    {"cd-cert", NULL, "FILE",
     "trusted CD signing certificate (PEM/DER); repeat for several"},
    {"json", NULL, NULL, "print {\"result\", \"code\", \"detail\"}"},
};

static const cli_cmd_spec verify_spec = {
    "cd verify",
    "CD.der --cd-cert FILE [--json]",
    "Check a Certification Declaration's envelope, signature and content "
    "(SDK result codes 600-603)",
    verify_opts,
    NELEMS(verify_opts),
    1,
    1,
};

static int
cd_verify(int argc, char **argv)
{
    const char *paths[MAX_SIGNERS + 1];
    X509 *signers[MAX_SIGNERS] = {NULL};
    uint8_t *der = NULL;
    size_t len = 0, n = 0, i;
    mfab_diag diag;
    cli_args a;
    int rc, result = MFAB_CD_INTERNAL_ERROR, exit_code = CLI_EXIT_ERROR;

    rc = cli_parse(&a, &verify_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    n = cli_get_all(&a, argc, argv, "cd-cert", paths, NELEMS(paths));
    if (n == 0 || n > MAX_SIGNERS) {
        cli_error("cd verify: give --cd-cert 1..%d times (got %zu)",
                  MAX_SIGNERS, n);
        return CLI_EXIT_USAGE;
    }
    cli_diag_init(&diag);
    for (i = 0; i < n; i++) {
        rc = mfab_pki_cert_load(&signers[i], paths[i], &diag);
        if (rc < 0)
            goto fail;
    }
    rc = mfab_file_read(&der, &len, a.pos[0], &diag);
    if (rc < 0)
        goto fail;
    rc = mfab_cd_verify(&result, NULL, NULL, der, len, signers, n, &diag);
    if (cli_has(&a, "json"))
        cd_print_verdict_json(stdout, result, mfab_diag_message(&diag));
    else if (rc == 0)
        printf("OK\n");
    if (rc < 0 && !cli_has(&a, "json"))
        cli_error("%s(%d): %s", mfab_pki_result_name(result), result,
                  mfab_diag_message(&diag));
    exit_code = rc == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
    goto out;
fail:
    exit_code = cli_fail(&diag, rc);
out:
    for (i = 0; i < MAX_SIGNERS; i++)
        X509_free(signers[i]);
    mfab_file_free(der, len);
    return exit_code;
}

static const cli_subcmd cd_verbs[] = {
    {"generate", cd_generate, "sign a Certification Declaration"},
    {"decode", cd_decode, "print a Certification Declaration"},
    {"verify", cd_verify, "verify a Certification Declaration's signature"},
};

/* see cli.h */
int
cmd_cd(int argc, char **argv)
{
    return cli_dispatch("cd", cd_verbs, NELEMS(cd_verbs), argc, argv);
}
