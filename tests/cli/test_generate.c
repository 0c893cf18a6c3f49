/*
 * End-to-end tests of cli/cmd_generate.c against the reference: the two
 * esp-matter-mfg-tool runs of ../shared/vectors/commissioning/mfg_tool_runs
 * (every deterministic output byte for byte, from a copy of their inputs)
 * and every generate-related case of invalid.json (refused, with the
 * expected message, and no output folder left behind).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mfab_test.h"

#define RUNS "commissioning/mfg_tool_runs/"

/* Replace every `from` in text (NUL-terminated, malloc'd) by `to`. */
static char *
replace_all(char *text, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = 0, len = strlen(text);
    char *p, *out, *w;

    for (p = strstr(text, from); p != NULL; p = strstr(p + fl, from))
        n++;
    out = malloc(len + n * (tl > fl ? tl - fl : 0) + 1);
    assert_non_null(out);
    w = out;
    for (p = text; *p != '\0';) {
        if (strncmp(p, from, fl) == 0) {
            memcpy(w, to, tl);
            w += tl;
            p += fl;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    free(text);
    return out;
}

/* Compare a produced file with a vector, after replacing workdir. */
static void
compare(const char *produced, const char *vector, const char *workdir)
{
    char vpath[4096];
    uint8_t *want, *got;
    size_t wl, gl;

    mfab_test_vpath(vpath, sizeof(vpath), vector);
    want = mfab_test_read(vpath, &wl);
    got = mfab_test_read(produced, &gl);
    if (workdir != NULL) {
        char *t = malloc(gl + 1);
        assert_non_null(t);
        memcpy(t, got, gl);
        t[gl] = '\0';
        free(got);
        t = replace_all(t, workdir, "<WORKDIR>");
        got = (uint8_t *)t;
        gl = strlen(t);
    }
    mfab_test_assert_bytes(vector, want, wl, got, gl);
    free(want);
    free(got);
}

/* The one file in dir whose name starts with prefix. */
static void
find_prefixed(char *out, size_t cap, const char *dir, const char *prefix)
{
    struct dirent *e;
    DIR *d = opendir(dir);
    int found = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0) {
            snprintf(out, cap, "%s/%s", dir, e->d_name);
            found++;
        }
    }
    closedir(d);
    if (found != 1)
        fail_msg("%d files '%s*' in %s", found, prefix, dir);
}

static void
copy_inputs(const char *dir, const char *run, const char *sub)
{
    char rel[256], src[4096], dst[4096];

    snprintf(dst, sizeof(dst), "%s/%s", dir, sub);
    assert_int_equal(mkdir(dst, 0755), 0);
    snprintf(rel, sizeof(rel), RUNS "%s/inputs", run);
    mfab_test_vpath(src, sizeof(src), rel);
    mfab_test_copytree(src, dst);
}

static void
compare_run(const char *dir, const char *run, const char *product,
            const char *uuid)
{
    char p[8192], v[8192], work[4200];
    static const char *const internal[] = {
        "DAC_cert.der", "DAC_key.der", "DAC_private_key.bin",
        "DAC_public_key.bin", "PAI_cert.der"};
    static const char *const staging[] = {"config", "master", "pin_disc"};
    size_t i;

    snprintf(work, sizeof(work), "%s", dir);
    snprintf(p, sizeof(p), "%s/%s/out/%s/%s/%s-partition.bin", dir, run,
             product, uuid, uuid);
    snprintf(v, sizeof(v), RUNS "%s/partition.bin", run);
    compare(p, v, NULL);
    snprintf(p, sizeof(p), "%s/%s/out/%s/%s/internal/partition.csv", dir, run,
             product, uuid);
    snprintf(v, sizeof(v), RUNS "%s/partition.csv", run);
    compare(p, v, work);
    snprintf(p, sizeof(p), "%s/%s/out/%s/%s/%s-onb_codes.csv", dir, run,
             product, uuid, uuid);
    snprintf(v, sizeof(v), RUNS "%s/onb_codes.csv", run);
    compare(p, v, NULL);
    for (i = 0; i < 3; i++) {
        snprintf(p, sizeof(p), "%s/%s/out/%s/staging/%s.csv", dir, run, product,
                 staging[i]);
        snprintf(v, sizeof(v), RUNS "%s/staging_%s.csv", run, staging[i]);
        compare(p, v, work);
    }
    snprintf(p, sizeof(p), "%s/%s/out/%s", dir, run, product);
    find_prefixed(v, sizeof(v), p, "summary-");
    snprintf(p, sizeof(p), "%s", v);
    snprintf(v, sizeof(v), RUNS "%s/summary.csv", run);
    compare(p, v, work);
    snprintf(p, sizeof(p), "%s/%s/out/%s", dir, run, product);
    find_prefixed(v, sizeof(v), p, "cn_dacs-");
    snprintf(p, sizeof(p), "%s", v);
    snprintf(v, sizeof(v), RUNS "%s/cn_dacs.csv", run);
    compare(p, v, NULL);
    if (strcmp(run, "runA") != 0)
        return;
    for (i = 0; i < 5; i++) {
        snprintf(p, sizeof(p), "%s/%s/out/%s/%s/internal/%s", dir, run, product,
                 uuid, internal[i]);
        snprintf(v, sizeof(v), RUNS "runA/%s", internal[i]);
        compare(p, v, NULL);
    }
}

static void
test_generate__run_a_byte_identical(void **state)
{
    char *dir = mfab_test_tmpdir();
    char outdir[4200];
    mfab_test_run_result r;
    (void)state;

    copy_inputs(dir, "runA", "test_data");
    snprintf(outdir, sizeof(outdir), "%s/runA/out", dir);
    {
        const char *args[] = {
            "generate",
            "-v",
            "0xFFF2",
            "-p",
            "0x8001",
            "--pai",
            "-c",
            "test_data/Chip-Test-PAI-FFF2-8001-Cert.pem",
            "--dac-cert",
            "test_data/DAC_cert.pem",
            "--dac-key",
            "test_data/DAC_key.pem",
            "-cd",
            "test_data/Chip-Test-CD-FFF2-8001.der",
            "--passcode",
            "20202021",
            "--discriminator",
            "3840",
            "--salt",
            "V2QKkHqfnRuSmj1m/1ZcYNwoAfhl5sihnkdYmHQahuM=",
            "--verifier",
            "UiGpbqdFJsfa/Q06gfG2gALX3kHZ0vh74obA66HXxoMEYG3ymghhkZccIRNBCyM8"
            "dJXM9HqPDF29uybbgC+PSM9qAkdHkB7cYaAkiUe1bCgEj9y9LDtqDq6fYsg12BFq"
            "2A==",
            "--iteration-count",
            "20000",
            "--vendor-name",
            "Test Vendor,LLC",
            "--product-name",
            "Test Product",
            "--hw-ver",
            "2",
            "--hw-ver-str",
            "v2.0",
            "--mfg-date",
            "20240115",
            "--serial-num",
            "SN0001",
            "--enable-rotating-device-id",
            "--rd-id-uid",
            "d2f351f57bb9387445a5f92a601d1c14",
            "--product-finish",
            "satin",
            "--product-color",
            "navy",
            "--part-number",
            "PN-42",
            "--calendar-types",
            "Gregorian",
            "Hebrew",
            "--locales",
            "en-US",
            "fr-FR",
            "--fixed-labels",
            "0/orientation/up",
            "1/room/kitchen",
            "--supported-modes",
            "0/Normal/1/7\\0x0, 8\\0x8000",
            "1/Eco/1",
            "--product-label",
            "Lamp",
            "--product-url",
            "https://example.com/p",
            "--outdir",
            outdir,
            "--quiet",
            NULL};
        mfab_test_run(&r, dir, args);
    }
    if (r.exit_code != 0)
        fail_msg("generate failed: %s", r.err);
    mfab_test_run_free(&r);
    compare_run(dir, "runA", "fff2_8001",
                "8e7d7030-8814-4104-a9df-99a4c56922e0");
    mfab_test_rmtree(dir);
}

/* The one device folder of a product folder. */
static void
device_uuid(char *out, size_t cap, const char *product_dir)
{
    struct dirent *e;
    DIR *d = opendir(product_dir);
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strlen(e->d_name) == 36 && e->d_name[8] == '-') {
            snprintf(out, cap, "%s", e->d_name);
            n++;
        }
    }
    closedir(d);
    assert_int_equal(n, 1);
}

static void
test_generate__run_b_byte_identical(void **state)
{
    char *dir = mfab_test_tmpdir();
    char outdir[4200], csv[4200], mcsv[4200], product[4300], uuid[64];
    mfab_test_run_result r;
    (void)state;

    copy_inputs(dir, "runB", "extra");
    snprintf(outdir, sizeof(outdir), "%s/runB/out", dir);
    snprintf(csv, sizeof(csv), "%s/extra/extra_config.csv", dir);
    snprintf(mcsv, sizeof(mcsv), "%s/extra/extra_values.csv", dir);
    {
        const char *args[] = {
            "generate",
            "-v",
            "0x131B",
            "-p",
            "0x0002",
            "-cf",
            "2",
            "-dm",
            "6",
            "--passcode",
            "49910688",
            "--discriminator",
            "3431",
            "--salt",
            "AAECAwQFBgcICQoLDA0ODw==",
            "--verifier",
            "1WDbS2PL0H4a9sfxQqp3TVaoeUcyJtb6ZUx1iEiulEoEm09sojQ2IC4xlBoZa9tk"
            "5sWOOLh7i6JgFRBJcQ1aQWExe7SAIm7UjLrpWmN8KQa+Diw6EBoFo+zjGLHGDErx"
            "Rw==",
            "--iteration-count",
            "1000",
            "--serial-num",
            "ESP-000042",
            "--vendor-name",
            "Acme",
            "--product-name",
            "Plug",
            "--hw-ver",
            "0",
            "--mfg-date",
            "20250301LOT7",
            "--csv",
            csv,
            "--mcsv",
            mcsv,
            "--outdir",
            outdir,
            "--quiet",
            NULL};
        mfab_test_run(&r, dir, args);
    }
    if (r.exit_code != 0)
        fail_msg("generate failed: %s", r.err);
    mfab_test_run_free(&r);
    snprintf(product, sizeof(product), "%s/131b_2", outdir);
    device_uuid(uuid, sizeof(uuid), product);
    compare_run(dir, "runB", "131b_2", uuid);
    mfab_test_rmtree(dir);
}

/* invalid.json inputs as generate command lines (NULL: not for generate) */
static int
case_args(const char **args, size_t cap, json_t *c, char *buf, size_t bufcap)
{
    static const char zero_verifier[] =
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
    const char *cat = json_string_value(json_object_get(c, "category"));
    json_t *in = json_object_get(c, "input"), *a = json_object_get(in, "args");
    size_t n = 0, i, used = 0;

#define ARG(s) (args[n++] = (s))
#define NUM(key)                                                               \
    (snprintf(buf + used, bufcap - used, "%lld",                               \
              (long long)json_integer_value(json_object_get(in, key))),        \
     ARG(buf + used), used += strlen(buf + used) + 1)
#define STR(key) ARG(json_string_value(json_object_get(in, key)))
    if (a != NULL) {
        for (i = 0; i < json_array_size(a) && n + 1 < cap; i++)
            ARG(json_string_value(json_array_get(a, i)));
        args[n] = NULL;
        return (int)n;
    }
    if (strcmp(cat, "vendor_id") == 0 || strcmp(cat, "product_id") == 0) {
        ARG("-v");
        if (json_object_get(in, "vendor_id"))
            NUM("vendor_id");
        else
            ARG("0xFFF1");
        ARG("-p");
        if (json_object_get(in, "product_id"))
            NUM("product_id");
        else
            ARG("0x8000");
        args[n] = NULL;
        return (int)n;
    }
    ARG("-v");
    ARG("0xFFF1");
    ARG("-p");
    ARG("0x8000");
    if (strcmp(cat, "passcode") == 0) {
        ARG("--passcode");
        if (json_object_get(in, "passcode"))
            NUM("passcode");
        else
            STR("passcode_cli_text");
    } else if (strcmp(cat, "discriminator") == 0) {
        ARG("--discriminator");
        NUM("discriminator");
    } else if (strcmp(cat, "spake2p_iterations") == 0) {
        ARG("--iteration-count");
        NUM("iterations");
    } else if (strcmp(cat, "spake2p_salt") == 0 ||
               strcmp(cat, "spake2p_verifier") == 0) {
        ARG("--salt");
        STR("salt");
        ARG("--verifier");
        if (json_object_get(in, "verifier"))
            STR("verifier");
        else
            ARG(zero_verifier);
        ARG("--passcode");
        NUM("passcode");
        ARG("--iteration-count");
        NUM("iterations");
    } else if (strcmp(cat, "commissioning_flow") == 0) {
        ARG("-cf");
        NUM("flow");
    } else if (strcmp(cat, "discovery_mode") == 0) {
        ARG("-dm");
        NUM("discovery_mode");
    } else {
        return -1;
    }
    args[n] = NULL;
    return (int)n;
#undef ARG
#undef NUM
#undef STR
}

static void
test_generate__invalid_inputs_refused_before_any_output(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4096], buf[512], outdir[4200];
    json_t *vec, *cases;
    size_t i, refused = 0, accepted = 0;
    (void)state;

    mfab_test_vpath(path, sizeof(path), "commissioning/invalid.json");
    vec = mfab_test_json(path);
    cases = json_object_get(vec, "cases");
    for (i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        json_t *ref = json_object_get(c, "mfg_tool_reference_behavior");
        const char *id = json_string_value(json_object_get(c, "id"));
        const char *msg = json_string_value(json_object_get(ref, "message"));
        int must = json_is_true(json_object_get(c, "must_reject"));
        const char *args[64];
        mfab_test_run_result r;
        int n;

        args[0] = "generate";
        args[1] = "--quiet";
        args[2] = "--outdir";
        snprintf(outdir, sizeof(outdir), "%s/out-%s", dir, id);
        args[3] = outdir;
        n = case_args(args + 4, 60, c, buf, sizeof(buf));
        if (n < 0)
            continue;
        mfab_test_run(&r, dir, args);
        if (must) {
            if (r.exit_code == 0)
                fail_msg("%s: accepted, must be refused", id);
            if (mfab_test_exists(outdir))
                fail_msg("%s: refused but left %s behind", id, outdir);
            /* the reference's own wording, where it gave one that is not
             * a traceback or a click/option-group note */
            if (msg != NULL && json_is_true(json_object_get(ref, "rejected")) &&
                json_integer_value(json_object_get(ref, "exit_code")) == 1 &&
                strstr(msg, "traceback") == NULL &&
                strstr(msg, "uncaught") == NULL &&
                strncmp(msg, "Verifier validation failed (", 28) != 0) {
                char head[40];
                snprintf(head, sizeof(head), "%.30s", msg);
                if (strstr(r.err, head) == NULL)
                    fail_msg("%s: message '%s' lacks '%s'", id, r.err, head);
            }
            if (json_integer_value(json_object_get(ref, "exit_code")) == 2 &&
                r.exit_code != 2)
                fail_msg("%s: usage error expected (exit 2), got %d: %s", id,
                         r.exit_code, r.err);
            refused++;
        } else {
            if (r.exit_code != 0)
                fail_msg("%s: refused, must be accepted: %s", id, r.err);
            accepted++;
        }
        mfab_test_run_free(&r);
    }
    assert_true(refused >= 80);
    assert_true(accepted >= 4);
    json_decref(vec);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generate__run_a_byte_identical),
        cmocka_unit_test(test_generate__run_b_byte_identical),
        cmocka_unit_test(
            test_generate__invalid_inputs_refused_before_any_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
