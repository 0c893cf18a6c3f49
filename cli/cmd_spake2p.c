/*
 * cmd_spake2p.c: `matterfab spake2p verifier|check|gen`, SPAKE2+ verifiers
 * (shared/spec/matter-commissioning.md sections 2.1 and 3). Mirrors CHIP's
 * `spake2p gen-verifier` where sensible: --pin-code, --iteration-count,
 * --salt-len, --out as alternative spellings, and its CSV columns
 * "Index,PIN Code,Iteration Count,Salt,Verifier".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "matterfab/base64.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"

#define GEN_COUNT_MAX 100000
#define MFAB_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* A 32-bit option value (iterations, count, salt length); the library
 * checks the real limits and names them. */
static int
parse_u32(uint32_t *out, const char *text, const char *what)
{
    unsigned long long v;

    if (cli_parse_u64(&v, text, what, 0xFFFFFFFFull) < 0)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

static int
decode_b64(uint8_t *out, size_t cap, size_t *out_len, const char *text,
           const char *opt)
{
    size_t pos = 0;
    int rc = mfab_base64_decode(out, cap, out_len, text, strlen(text), &pos);

    if (rc == MFAB_EFORMAT)
        cli_error("invalid base64 in '--%s' at offset %zu (allowed: "
                  "A-Z a-z 0-9 + /, '=' padding to a multiple of 4)",
                  opt, pos);
    else if (rc == MFAB_EBUFS)
        cli_error("'--%s' is %zu bytes (allowed at most %zu)", opt, *out_len,
                  cap);
    return rc;
}

/* Inputs common to verifier and check. */
typedef struct vin {
    uint32_t passcode;
    uint32_t iterations;
    uint8_t salt[MFAB_SPAKE2P_SALT_MAX];
    size_t salt_len;
    const char *salt_text;
} vin;

static int
read_vin(vin *v, const cli_args *a)
{
    mfab_diag diag;

    if (parse_u32(&v->iterations, cli_get(a, "iterations"),
                  "'--iterations'") < 0)
        return CLI_EXIT_USAGE;
    /* decimal, leading zeros allowed ("00000001" is 1, invalid.json
     * passcode-16), then the Matter passcode rules */
    cli_diag_init(&diag);
    if (mfab_passcode_parse(&v->passcode, cli_get(a, "passcode"),
                            "--passcode", &diag) < 0)
        return cli_fail(&diag, diag.code);
    v->salt_text = cli_get(a, "salt");
    if (decode_b64(v->salt, sizeof(v->salt), &v->salt_len, v->salt_text,
                   "salt") < 0)
        return CLI_EXIT_ERROR;
    return 0;
}

static int
require(const cli_args *a, const char *const *names)
{
    for (; *names != NULL; names++) {
        if (!cli_has(a, *names)) {
            cli_error("%s: option '--%s' is required (see 'matterfab %s "
                      "--help')",
                      a->spec->name, *names, a->spec->name);
            return -1;
        }
    }
    return 0;
}

static const cli_opt verifier_opts[] = {
    { "passcode", "--pin-code", "N", "setup passcode, 1..99999998" },
    { "salt", NULL, "BASE64", "salt, 16..32 bytes in base64" },
    { "iterations", "--iteration-count", "N",
      "PBKDF2 iterations, 1000..100000" },
    { "json", NULL, NULL, "print passcode, salt, verifier, w0 and L as JSON" },
};

static const cli_cmd_spec verifier_spec = {
    "spake2p verifier", "--passcode N --salt BASE64 --iterations N [--json]",
    "Compute the SPAKE2+ verifier (base64 of w0 || L, 97 bytes).",
    verifier_opts, MFAB_ARRAY_LEN(verifier_opts), 0, 0
};

static int
spake2p_verifier(int argc, char **argv)
{
    static const char *const req[] = { "passcode", "salt", "iterations",
                                       NULL };
    uint8_t v[MFAB_SPAKE2P_VERIFIER_LEN];
    char b64[MFAB_BASE64_LEN(MFAB_SPAKE2P_VERIFIER_LEN) + 1];
    char w0[2 * MFAB_SPAKE2P_W0_LEN + 1], l_hex[2 * MFAB_SPAKE2P_L_LEN + 1];
    mfab_diag diag;
    cli_args a;
    vin in;
    size_t n;
    int rc;

    rc = cli_parse(&a, &verifier_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (require(&a, req) < 0)
        return CLI_EXIT_USAGE;
    rc = read_vin(&in, &a);
    if (rc != 0)
        goto out;
    cli_diag_init(&diag);
    if (mfab_spake2p_verifier(v, sizeof(v), &n, in.passcode, in.salt,
                              in.salt_len, in.iterations, &diag) < 0) {
        rc = cli_fail(&diag, diag.code);
        goto out;
    }
    mfab_base64_encode(b64, sizeof(b64), &n, v, sizeof(v));
    if (!cli_has(&a, "json")) {
        printf("%s\n", b64);
    } else {
        mfab_hex_encode(w0, v, MFAB_SPAKE2P_W0_LEN);
        mfab_hex_encode(l_hex, v + MFAB_SPAKE2P_W0_LEN, MFAB_SPAKE2P_L_LEN);
        printf("{\"passcode\": %u, \"iterations\": %u, \"salt\": \"%s\", "
               "\"verifier\": \"%s\", \"w0\": \"%s\", \"L\": \"%s\"}\n",
               (unsigned)in.passcode, (unsigned)in.iterations, in.salt_text,
               b64, w0, l_hex);
    }
    rc = fflush(stdout) == 0 ? CLI_EXIT_OK : CLI_EXIT_ERROR;
out:
    OPENSSL_cleanse(&in, sizeof(in));
    OPENSSL_cleanse(v, sizeof(v));
    return rc;
}

static const cli_opt check_opts[] = {
    { "passcode", "--pin-code", "N", "setup passcode, 1..99999998" },
    { "salt", NULL, "BASE64", "salt, 16..32 bytes in base64" },
    { "iterations", "--iteration-count", "N",
      "PBKDF2 iterations, 1000..100000" },
    { "verifier", NULL, "BASE64", "verifier to check, 97 bytes in base64" },
};

static const cli_cmd_spec check_spec = {
    "spake2p check",
    "--passcode N --salt BASE64 --iterations N --verifier BASE64",
    "Check that a verifier matches a passcode, salt and iteration count.",
    check_opts, MFAB_ARRAY_LEN(check_opts), 0, 0
};

static int
spake2p_check(int argc, char **argv)
{
    static const char *const req[] = { "passcode", "salt", "iterations",
                                       "verifier", NULL };
    uint8_t v[MFAB_SPAKE2P_VERIFIER_LEN + 3];
    mfab_diag diag;
    cli_args a;
    vin in;
    size_t n = 0;
    int rc;

    rc = cli_parse(&a, &check_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (require(&a, req) < 0)
        return CLI_EXIT_USAGE;
    rc = read_vin(&in, &a);
    if (rc != 0)
        goto out;
    if (decode_b64(v, sizeof(v), &n, cli_get(&a, "verifier"), "verifier") <
        0) {
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    cli_diag_init(&diag);
    if (mfab_spake2p_verifier_check(v, n, in.passcode, in.salt, in.salt_len,
                                    in.iterations, &diag) < 0) {
        rc = cli_fail(&diag, diag.code);
        goto out;
    }
    printf("verifier matches passcode, salt and iteration count\n");
    rc = CLI_EXIT_OK;
out:
    OPENSSL_cleanse(&in, sizeof(in));
    OPENSSL_cleanse(v, sizeof(v));
    return rc;
}

static const cli_opt gen_opts[] = {
    { "count", "-c", "N", "number of passcodes to generate (default 1)" },
    { "iterations", "--iteration-count", "N",
      "PBKDF2 iterations, 1000..100000 (default 10000)" },
    { "salt-len", "-l", "N", "salt length in bytes, 16..32 (default 32)" },
    { "out", "-o", "FILE", "write to FILE (mode 0600) instead of stdout" },
    { "json", NULL, NULL, "JSON array instead of CSV" },
};

static const cli_cmd_spec gen_spec = {
    "spake2p gen",
    "[--count N] [--iterations N] [--salt-len N] [--out FILE] [--json]",
    "Generate random valid passcodes with salts and verifiers (CSV: "
    "Index,PIN Code,Iteration Count,Salt,Verifier).",
    gen_opts, MFAB_ARRAY_LEN(gen_opts), 0, 0
};

/* Append to a growing text buffer; the output is built whole so that a
 * failure half-way prints or writes nothing. */
typedef struct textbuf {
    char *p;
    size_t len, cap;
} textbuf;

static int
tb_printf(textbuf *tb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
tb_printf(textbuf *tb, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(tb->p + tb->len, tb->cap - tb->len, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= tb->cap - tb->len)
        return -1;
    tb->len += (size_t)n;
    return 0;
}

/* Rows generated together: their verifiers run side by side
 * (mfab_spake2p_verifier_many; five fill AVX-512's 16 lanes). */
#define GEN_GROUP 16

/* Rows first .. first + k - 1: random passcodes and salts, verifiers. */
static int
gen_group(textbuf *tb, size_t first, size_t k, uint32_t iterations,
          size_t salt_len, int json, mfab_diag *diag)
{
    mfab_spake2p_verifier_job jobs[GEN_GROUP];
    uint8_t salt[GEN_GROUP][MFAB_SPAKE2P_SALT_MAX];
    char salt_b64[MFAB_BASE64_LEN(MFAB_SPAKE2P_SALT_MAX) + 1];
    char v_b64[MFAB_BASE64_LEN(MFAB_SPAKE2P_VERIFIER_LEN) + 1];
    size_t i, n;
    int rc = 0;

    for (i = 0; i < k && rc == 0; i++) {
        jobs[i].salt = salt[i];
        jobs[i].salt_len = salt_len;
        jobs[i].iterations = iterations;
        rc = mfab_spake2p_gen_passcode(&jobs[i].passcode, diag);
        if (rc == 0)
            rc = mfab_spake2p_gen_salt(salt[i], salt_len, diag);
    }
    if (rc == 0)
        rc = mfab_spake2p_verifier_many(jobs, k, diag);
    for (i = 0; i < k && rc == 0; i++) {
        size_t index = first + i;

        mfab_base64_encode(salt_b64, sizeof(salt_b64), &n, salt[i], salt_len);
        mfab_base64_encode(v_b64, sizeof(v_b64), &n, jobs[i].verifier,
                           sizeof(jobs[i].verifier));
        if (json)
            rc = tb_printf(tb,
                           "%s\n  {\"index\": %zu, \"passcode\": %u, "
                           "\"iterations\": %u, \"salt\": \"%s\", "
                           "\"verifier\": \"%s\"}",
                           index == 0 ? "" : ",", index,
                           (unsigned)jobs[i].passcode, (unsigned)iterations,
                           salt_b64, v_b64);
        else
            rc = tb_printf(tb, "%zu,%08u,%u,%s,%s\n", index,
                           (unsigned)jobs[i].passcode, (unsigned)iterations,
                           salt_b64, v_b64);
        if (rc < 0)
            rc = mfab_diag_set(diag, MFAB_ENOMEM, "gen: output buffer full");
    }
    OPENSSL_cleanse(salt, sizeof(salt));
    OPENSSL_cleanse(jobs, sizeof(jobs));
    OPENSSL_cleanse(salt_b64, sizeof(salt_b64));
    OPENSSL_cleanse(v_b64, sizeof(v_b64));
    return rc;
}

static int
spake2p_gen(int argc, char **argv)
{
    /* one JSON row is < 300 bytes; the CSV row is shorter */
    const size_t row_max = 320;
    uint32_t count = 1, iterations = MFAB_SPAKE2P_ITER_DEFAULT;
    uint32_t salt_len = MFAB_SPAKE2P_SALT_DEFAULT;
    textbuf tb = { NULL, 0, 0 };
    const char *out_path;
    mfab_diag diag;
    cli_args a;
    int json, rc;
    size_t i;

    rc = cli_parse(&a, &gen_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if ((cli_has(&a, "count") &&
         parse_u32(&count, cli_get(&a, "count"), "'--count'") < 0) ||
        (cli_has(&a, "iterations") &&
         parse_u32(&iterations, cli_get(&a, "iterations"),
                   "'--iterations'") < 0) ||
        (cli_has(&a, "salt-len") &&
         parse_u32(&salt_len, cli_get(&a, "salt-len"), "'--salt-len'") < 0))
        return CLI_EXIT_USAGE;
    if (count < 1 || count > GEN_COUNT_MAX) {
        cli_error("count '%u' out of range: '--count' (allowed 1..%d)",
                  (unsigned)count, GEN_COUNT_MAX);
        return CLI_EXIT_USAGE;
    }
    cli_diag_init(&diag);
    /* refuse bad limits before any work */
    if (mfab_spake2p_check_iterations(iterations, &diag) < 0 ||
        mfab_spake2p_check_salt_len(salt_len, &diag) < 0)
        return cli_fail(&diag, diag.code);
    json = cli_has(&a, "json");
    out_path = cli_get(&a, "out");

    tb.cap = (size_t)count * row_max + 64;
    tb.p = malloc(tb.cap);
    if (tb.p == NULL) {
        cli_error("out of memory for %u rows", (unsigned)count);
        return CLI_EXIT_ERROR;
    }
    tb_printf(&tb, "%s", json ? "[" : "Index,PIN Code,Iteration Count,Salt,"
                                      "Verifier\n");
    for (i = 0; i < count; i += GEN_GROUP) {
        size_t k = count - i < GEN_GROUP ? count - i : GEN_GROUP;

        if (gen_group(&tb, i, k, iterations, salt_len, json, &diag) < 0) {
            rc = cli_fail(&diag, diag.code);
            goto out;
        }
    }
    if (json)
        tb_printf(&tb, "\n]\n");
    if (out_path != NULL) {
        if (mfab_file_write_atomic(out_path, tb.p, tb.len, MFAB_MODE_SECRET,
                                   &diag) < 0) {
            rc = cli_fail(&diag, diag.code);
            goto out;
        }
    } else if (fwrite(tb.p, 1, tb.len, stdout) != tb.len ||
               fflush(stdout) != 0) {
        cli_error("cannot write to standard output: %s", strerror(errno));
        rc = CLI_EXIT_ERROR;
        goto out;
    }
    rc = CLI_EXIT_OK;
out:
    OPENSSL_cleanse(tb.p, tb.cap);
    free(tb.p);
    return rc;
}

static const cli_subcmd subcmds[] = {
    { "verifier", spake2p_verifier, "compute a verifier from passcode and salt" },
    { "check", spake2p_check, "check a verifier against passcode and salt" },
    { "gen", spake2p_gen, "generate passcodes, salts and verifiers" },
};

/* see cli.h */
int
cmd_spake2p(int argc, char **argv)
{
    return cli_dispatch("spake2p", subcmds, MFAB_ARRAY_LEN(subcmds), argc,
                        argv);
}
