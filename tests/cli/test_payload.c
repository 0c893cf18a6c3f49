/*
 * End-to-end tests of cli/cmd_payload.c: "matterfab payload encode" prints
 * the QR text and manual code of the payloads.json cases (those without
 * optional data, or with only a string serial number), "decode" reads them
 * back, a representative subset of invalid.json is refused with exit 1 and
 * the library's message, usage errors exit 2, and "qr" writes PNG/SVG
 * files atomically (right geometry, no file left behind on failure).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/common_internal.h"
#include "mfab_test.h"

/* Run "matterfab payload <line>". */
static void
run(mfab_test_run_result *r, const char *cwd, const char *line)
{
    char full[1024];

    snprintf(full, sizeof(full), "payload %s", line);
    mfab_test_run_line(r, cwd, NULL, full);
}

static json_t *
load(const char *file)
{
    char path[4096];
    char rel[128];

    snprintf(rel, sizeof(rel), "commissioning/%s", file);
    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_json(path);
}

/* Serial number of a case whose only optional data is tag 0 as a string;
 * NULL (and *none set) when it has none; NULL when the CLI cannot express
 * its extras. */
static const char *
cli_serial(json_t *c, int *none)
{
    json_t *x = json_object_get(c, "tlv_extras");
    json_t *e;

    *none = x == NULL;
    if (x == NULL)
        return NULL;
    if (json_array_size(x) != 1)
        return NULL;
    e = json_array_get(x, 0);
    if (json_integer_value(json_object_get(e, "tag")) != 0 ||
        strcmp(json_string_value(json_object_get(e, "type")), "string") != 0)
        return NULL;
    return json_string_value(json_object_get(e, "value"));
}

static void
test_payload__encode_vectors(void **state)
{
    json_t *root = load("payloads.json");
    json_t *c;
    size_t i;
    int ran = 0;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        int none = 0;
        const char *serial = cli_serial(c, &none);
        char vid[16], pid[16], disc[16], pin[16], flow[8], disco[8];
        char want[256];
        const char *args[20];
        mfab_test_run_result r;
        int n = 0;

        if (serial == NULL && !none)
            continue;
        snprintf(vid, sizeof(vid), "%lld",
                 json_integer_value(json_object_get(c, "vid")));
        snprintf(pid, sizeof(pid), "0x%llx",
                 json_integer_value(json_object_get(c, "pid")));
        snprintf(disc, sizeof(disc), "%lld",
                 json_integer_value(json_object_get(c, "discriminator")));
        snprintf(pin, sizeof(pin), "%lld",
                 json_integer_value(json_object_get(c, "passcode")));
        snprintf(flow, sizeof(flow), "%lld",
                 json_integer_value(json_object_get(c, "flow")));
        snprintf(disco, sizeof(disco), "%lld",
                 json_integer_value(json_object_get(c, "discovery")));
        args[n++] = "payload";
        args[n++] = "encode";
        args[n++] = "--vid";
        args[n++] = vid;
        args[n++] = "--pid";
        args[n++] = pid;
        args[n++] = "--discriminator";
        args[n++] = disc;
        args[n++] = "--passcode";
        args[n++] = pin;
        args[n++] = "--flow";
        args[n++] = flow;
        args[n++] = "--discovery";
        args[n++] = disco;
        if (serial != NULL) {
            args[n++] = "--serial-num";
            args[n++] = serial;
        }
        args[n] = NULL;
        mfab_test_run(&r, NULL, args);
        snprintf(want, sizeof(want), "%s\n%s\n",
                 json_string_value(json_object_get(c, "qr")),
                 json_string_value(json_object_get(c, "manual")));
        if (r.exit_code != 0 || strcmp(r.out, want) != 0)
            fail_msg("case %zu: exit %d, out '%s', err '%s'", i, r.exit_code,
                     r.out, r.err);
        mfab_test_run_free(&r);
        ran++;
    }
    assert_true(ran >= 38);
    json_decref(root);
}

static void
test_payload__decode_vectors(void **state)
{
    json_t *root = load("payloads.json");
    json_t *c;
    size_t i;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        long long vid = json_integer_value(json_object_get(c, "vid"));
        long long pid = json_integer_value(json_object_get(c, "pid"));
        int valid = !(vid > 0xFFF4 || (vid != 0 && pid == 0));
        const char *qr = json_string_value(json_object_get(c, "qr"));
        const char *args[] = { "payload", "decode", qr, "--json", NULL };
        char want[64];
        mfab_test_run_result r;

        mfab_test_run(&r, NULL, args);
        snprintf(want, sizeof(want), "\"passcode\": %lld,",
                 json_integer_value(json_object_get(c, "passcode")));
        if (valid && (r.exit_code != 0 || strstr(r.out, want) == NULL))
            fail_msg("%s: exit %d, out '%s', err '%s'", qr, r.exit_code,
                     r.out, r.err);
        if (!valid && (r.exit_code != 1 || strstr(r.err, "matterfab: ") !=
                                               r.err))
            fail_msg("%s: exit %d, err '%s'", qr, r.exit_code, r.err);
        mfab_test_run_free(&r);

        args[2] = json_string_value(json_object_get(c,
                                                    "manual_formatted_mfg_tool"));
        args[3] = NULL;
        mfab_test_run(&r, NULL, args);
        snprintf(want, sizeof(want), "passcode:           %08lld\n",
                 json_integer_value(json_object_get(c, "passcode")));
        if ((valid || json_integer_value(json_object_get(c, "flow")) == 0) &&
            (r.exit_code != 0 || strstr(r.out, want) == NULL))
            fail_msg("%s: exit %d, out '%s', err '%s'", args[2], r.exit_code,
                     r.out, r.err);
        mfab_test_run_free(&r);
    }
    json_decref(root);
}

/* A representative subset of invalid.json, through the command line. */
static void
test_payload__invalid_inputs(void **state)
{
    static const struct {
        const char *line;
        int exit_code;
        const char *needle;
    } cases[] = {
        /* qr_parse-01, -06, -12, -16, -20, -23 */
        { "decode Y.K9042C00KA0648G00", 1, "does not start with 'MT:'" },
        { "decode MT:Y.K9042C00KA0648g00", 1, "is not base38" },
        { "decode MT:Y.K9042C00KA0640A30", 1, "padding bits" },
        { "decode MT:Y.K9042C00KMSP0Z800", 1, "passcode '11111111'" },
        { "decode MT:S0L9042C00KA0648G00", 1, "not operationally valid" },
        { "decode MT:Y.K9042C00KA064IJ3P0C--50DSB0", 1, "truncated" },
        /* manual_parse-01, -05, -09 */
        { "decode 34970112331", 1, "check digit '1' is wrong" },
        { "decode 84970112331", 1, "reserved for a future version" },
        { "decode 745492075399999000014", 1, "does not fit 16 bits" },
        /* passcode-13, -15, -01; discriminator-01; vendor_id-01;
         * product_id-01; commissioning_flow-01; discovery_bits-01 */
        { "encode --vid 1 --pid 1 --discriminator 1 --passcode 100000000", 1,
          "passcode '100000000' in --passcode out of range" },
        { "encode --vid 1 --pid 1 --discriminator 1 --passcode -5", 1,
          "passcode '-5' in --passcode is not a decimal number" },
        { "encode --vid 1 --pid 1 --discriminator 1 --passcode 0", 1,
          "passcode '0' in --passcode out of range" },
        { "encode --vid 1 --pid 1 --discriminator 4096 --passcode 5", 1,
          "discriminator '4096' in --discriminator out of range" },
        { "encode --vid 65536 --pid 1 --discriminator 1 --passcode 5", 1,
          "vendor id '65536' in --vid out of range" },
        { "encode --vid 1 --pid 65536 --discriminator 1 --passcode 5", 1,
          "product id '65536' in --pid out of range" },
        { "encode --vid 1 --pid 1 --discriminator 1 --passcode 5 --flow 3",
          1, "commissioning flow '3' in --flow is reserved" },
        { "encode --vid 1 --pid 1 --discriminator 1 --passcode 5 "
          "--discovery 64",
          1, "reserved bits" },
        /* usage errors */
        { "encode --vid 1 --pid 1 --discriminator 1", 2,
          "option '--passcode' is required" },
        { "encode --vid 1 --pid 1 --discriminator 1 --passcode 5 --bogus", 2,
          "unknown option" },
        { "decode", 2, "wrong number of arguments" },
        { "qr MT:Y.K9042C00KA0648G00 --format gif", 2, "format 'gif'" },
        { "qr MT:Y.K9042C00KA0648G00 --format png", 2, "needs '-o FILE'" },
        { "frobnicate", 2, "unknown command 'frobnicate'" },
    };
    size_t i;
    (void)state;

    for (i = 0; i < MFAB_ARRAY_SIZE(cases); i++) {
        mfab_test_run_result r;

        run(&r, NULL, cases[i].line);
        if (r.exit_code != cases[i].exit_code ||
            strstr(r.err, cases[i].needle) == NULL ||
            strncmp(r.err, "matterfab: ", 11) != 0)
            fail_msg("'%s': exit %d, err '%s'", cases[i].line, r.exit_code,
                     r.err);
        assert_string_equal(r.out, "");
        mfab_test_run_free(&r);
    }
}

/* must_reject false cases: accepted (with a warning where noted). */
static void
test_payload__accepted_inputs(void **state)
{
    mfab_test_run_result r;
    (void)state;

    /* passcode-16: leading zeros */
    run(&r, NULL,
                       "encode --vid 0xFFF1 --pid 0x8000 --discriminator "
                       "3840 --passcode 00000001");
    assert_int_equal(r.exit_code, 0);
    mfab_test_run_free(&r);
    /* vendor_id-02, product_id-02: accepted with warnings */
    run(&r, NULL,
                       "encode --vid 65535 --pid 32768 --discriminator 3840 "
                       "--passcode 20202021");
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "warning: vendor id '0xffff'"));
    mfab_test_run_free(&r);
    run(&r, NULL,
                       "encode --vid 65521 --pid 0 --discriminator 3840 "
                       "--passcode 20202021 --json");
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "warning: product id '0'"));
    assert_non_null(strstr(r.out, "\"pid\": 0,"));
    mfab_test_run_free(&r);
}

static long
file_size(const char *path, mode_t *mode)
{
    struct stat st;

    if (stat(path, &st) != 0)
        return -1;
    *mode = st.st_mode & 0777;
    return (long)st.st_size;
}

static void
test_payload__qr_files(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4096];
    uint8_t *png;
    size_t len = 0;
    mode_t mode = 0;
    mfab_test_run_result r;
    (void)state;

    run(&r, dir,
                       "qr MT:Y.K9042C00KA0648G00 -o code.png");
    assert_int_equal(r.exit_code, 0);
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/code.png", dir);
    png = mfab_test_read(path, &len);
    assert_true(len > 33);
    assert_memory_equal(png, "\x89PNG\r\n\x1a\n", 8);
    assert_int_equal(mfab_be32(png + 16), 198); /* IHDR width */
    assert_int_equal(mfab_be32(png + 20), 198); /* IHDR height */
    assert_int_equal(png[24], 1);               /* bit depth */
    assert_int_equal(png[25], 0);               /* greyscale */
    free(png);
    assert_true(file_size(path, &mode) > 0);
    assert_int_equal(mode, 0644);

    /* format from the extension */
    run(&r, dir,
                       "qr MT:Y.K9042C00KA0648G00 --output code.svg");
    assert_int_equal(r.exit_code, 0);
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/code.svg", dir);
    png = mfab_test_read(path, &len);
    assert_non_null(strstr((char *)png, "<svg "));
    free(png);

    /* a payload mfg_tool makes but the SDK refuses: drawn, with warning */
    run(&r, dir,
                       "qr MT:S0L9042C00KA0648G00 --format ansi");
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.err, "warning:"));
    assert_non_null(strstr(r.out, "\xe2\x96\x88"));
    mfab_test_run_free(&r);

    /* refused input: exit 1, no output file */
    run(&r, dir,
                       "qr MT:Y.K9042C00KA0648g00 -o bad.png");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "is not base38"));
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/bad.png", dir);
    assert_false(mfab_test_exists(path));
    /* unwritable destination: exit 1, message names the file */
    run(&r, dir,
                       "qr MT:Y.K9042C00KA0648G00 -o no/such/dir/x.png");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "x.png"));
    mfab_test_run_free(&r);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payload__encode_vectors),
        cmocka_unit_test(test_payload__decode_vectors),
        cmocka_unit_test(test_payload__invalid_inputs),
        cmocka_unit_test(test_payload__accepted_inputs),
        cmocka_unit_test(test_payload__qr_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
