/* Tests for src/nvs/nvs_csv.c: the CSV front end of "nvs generate",
 * against vectors and for every error code it returns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/nvs.h"
#include "mfab_test.h"

#define SIZE 0x3000

/* generate_text over a copy of text (it is parsed in place) */
static int
gen(uint8_t *img, const char *text, mfab_nvs_options *o, mfab_diag *d)
{
    size_t len = strlen(text), out = 0;
    char *copy = malloc(len + 1);
    int rc;

    assert_non_null(copy);
    memcpy(copy, text, len + 1);
    rc = mfab_nvs_generate_text(img, SIZE, &out, copy, len, "t.csv", o, d);
    free(copy);
    return rc;
}

static void
check_vector(const char *name, const char *const *csvs, size_t n, size_t size,
             const char *expected)
{
    mfab_nvs_options o = MFAB_NVS_OPTIONS_INIT;
    char paths[4][4096], rel[512], exp[4096];
    const char *p[4];
    uint8_t *img = malloc(size), *ref;
    size_t len = 0, ref_len = 0, i;

    assert_non_null(img);
    for (i = 0; i < n; i++) {
        snprintf(rel, sizeof(rel), "nvs/%s/%s", name, csvs[i]);
        mfab_test_vpath(paths[i], sizeof(paths[i]), rel);
        p[i] = paths[i];
    }
    snprintf(rel, sizeof(rel), "nvs/%s", name);
    mfab_test_vpath(exp, sizeof(exp), rel);
    o.size = size;
    o.base_dir = exp;
    assert_int_equal(mfab_nvs_generate_csv(img, size, &len, p, n, &o, NULL), 0);
    snprintf(rel, sizeof(rel), "nvs/%s/expected/%s", name, expected);
    mfab_test_vpath(exp, sizeof(exp), rel);
    ref = mfab_test_read(exp, &ref_len);
    mfab_test_assert_bytes(name, ref, ref_len, img, len);
    free(ref);
    free(img);
}

static void
test_nvs_csv__vectors_through_the_library(void **state)
{
    static const char *const one[] = {"input.csv"};
    static const char *const two[] = {"part1.csv", "part2.csv"};
    (void)state;

    /* file values resolve against base_dir, not the process cwd */
    check_vector("s05_file_values", one, 1, 0x4000, "out.bin");
    check_vector("s18_multi_csv_outdir", two, 2, 0x3000, "gen/out/out.bin");
    check_vector("s19_wifi_special_keys", one, 1, 0x3000, "out.bin");
    check_vector("s20_csv_syntax", one, 1, 0x3000, "out.bin");
}

static unsigned warnings;

static void
count_warning(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
    warnings++;
}

static void
test_nvs_csv__unknown_type_warns_and_acts_as_data(void **state)
{
    mfab_nvs_options o = MFAB_NVS_OPTIONS_INIT;
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *a = malloc(SIZE), *b = malloc(SIZE);
    (void)state;

    o.size = SIZE;
    d.warn = count_warning;
    warnings = 0;
    assert_int_equal(gen(a,
                         "key,type,encoding,value\nn,namespace,,\n"
                         "k,dta,u8,7\n",
                         &o, &d),
                     0);
    assert_int_equal(warnings, 1);
    assert_int_equal(gen(b,
                         "key,type,encoding,value\nn,namespace,,\n"
                         "k,data,u8,7\n",
                         &o, NULL),
                     0);
    assert_memory_equal(a, b, SIZE);
    /* a repeated column: the last one counts (Python DictReader) */
    assert_int_equal(gen(a,
                         "value,key,type,encoding,value\n"
                         "1,n,namespace,,\n"
                         "1,k,data,u8,7\n",
                         &o, NULL),
                     0);
    assert_memory_equal(a, b, SIZE);
    free(a);
    free(b);
}

static void
expect_error(const char *text, int code, const char *what)
{
    mfab_nvs_options o = MFAB_NVS_OPTIONS_INIT;
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *img = malloc(SIZE);

    o.size = SIZE;
    assert_int_equal(gen(img, text, &o, &d), code);
    mfab_test_assert_diag(&d, code, "t.csv:", what, NULL);
    free(img);
}

static void
test_nvs_csv__located_errors(void **state)
{
    (void)state;
    expect_error("key,type,encoding,value\nabcdefghijklmnop,namespace,,\n",
                 MFAB_EINVAL, "t.csv:2: key 'abcdefghijklmnop'");
    expect_error("key,type,encoding,value\n\nk,data,u8,256\n", MFAB_ERANGE,
                 "t.csv:3: key 'k': value 256 out of range (allowed 0..255)");
    expect_error("key,type,encoding,value\nk,data,u8,0x10\n", MFAB_EINVAL,
                 "not a decimal integer");
    expect_error("key,type,encoding,value\nk,data,u128,1\n", MFAB_EINVAL,
                 "encoding 'u128' not supported");
    expect_error("key,type,encoding,value\nk,data,STRING,x\n", MFAB_EINVAL,
                 "encoding 'STRING' not supported");
    expect_error("key,type,encoding,value\nk,data,hex2bin,abc\n", MFAB_EINVAL,
                 "odd number");
    expect_error("key,type,encoding,value\nk,data,hex2bin,zz\n", MFAB_EINVAL,
                 "non-hex character 'z'");
    expect_error("key,type,encoding,value\nk,data,base64,YQ==YWJj\n",
                 MFAB_EINVAL, "unexpected character 'Y'");
    expect_error("key,type,encoding,value\nk,data,base64,YQ\n", MFAB_EINVAL,
                 "padding");
    expect_error("key,type,encoding,value\nk,data,binary,caf\xc3\xa9\n",
                 MFAB_EINVAL, "non-ASCII");
    expect_error("key,type,encoding,value\nk,data,blob_fill(2;0x00),abc\n",
                 MFAB_ERANGE, "longer than the 2");
    expect_error("key,type,encoding,value\nk,data,blob_fill(2,0x00),a\n",
                 MFAB_EINVAL, "malformed");
    expect_error("key,type,encoding,value\nk,file,blob_fill(2;0x00),a\n",
                 MFAB_ENOTFOUND, "file 'a' not found");
    expect_error("key,type,value\nk,data,1\n", MFAB_EINVAL,
                 "no column 'encoding'");
    expect_error("key,type,encoding,value\nk,data\n", MFAB_EINVAL,
                 "needs encoding and value");
    expect_error("key,type,encoding,value\nk\n", MFAB_EINVAL,
                 "at least key and type");
    expect_error("key,type,encoding,value\nk,data,string,\"open\n",
                 MFAB_EFORMAT, "never closed");
    expect_error("key,type,encoding,value\nk,data,string,\xff\n", MFAB_EINVAL,
                 "not valid UTF-8");
    expect_error("key,type,encoding,value\nk,data,blob_fill(99999;0x00),\n",
                 MFAB_ERANGE, "cannot fit partition size");
}

static void
test_nvs_csv__partition_full_names_row(void **state)
{
    char *text = malloc(3 * 4100 + 64);
    size_t pos;
    int i;
    (void)state;

    assert_non_null(text);
    pos = (size_t)snprintf(text, 64, "key,type,encoding,value\n");
    for (i = 1; i <= 3; i++) {
        pos += (size_t)snprintf(text + pos, 32, "s%d,data,string,", i);
        memset(text + pos, 'x', 3967);
        pos += 3967;
        text[pos++] = '\n';
    }
    text[pos] = '\0';
    /* two pages of a 0x3000 partition hold two such strings (E07) */
    expect_error(text, MFAB_ERANGE, "t.csv:4: key 's3': data does not fit");
    free(text);
}

static void
test_nvs_csv__arguments(void **state)
{
    mfab_nvs_options o = MFAB_NVS_OPTIONS_INIT;
    mfab_diag d = MFAB_DIAG_INIT;
    const char *missing[] = {"/nonexistent/in.csv"};
    const char *dir[] = {"/"};
    uint8_t img[16];
    size_t len = 0;
    char text[] = "key,type,encoding,value\n";
    (void)state;

    o.size = SIZE;
    /* NULL buffer measures */
    assert_int_equal(mfab_nvs_generate_text(NULL, 0, &len, text, strlen(text),
                                            "t", &o, NULL),
                     0);
    assert_int_equal(len, SIZE);
    assert_int_equal(mfab_nvs_generate_text(img, sizeof(img), &len, text,
                                            strlen(text), "t", &o, &d),
                     MFAB_EBUFS);
    o.size = 0x2800;
    assert_int_equal(mfab_nvs_generate_text(NULL, 0, &len, text, strlen(text),
                                            "t", &o, NULL),
                     MFAB_EINVAL);
    o.size = 0x1000;
    o.version = 3;
    {
        uint8_t *big = malloc(0x1000);
        assert_int_equal(
            mfab_nvs_generate_csv(big, 0x1000, &len, missing, 1, &o, NULL),
            MFAB_EINVAL);
        o.version = 2;
        assert_int_equal(
            mfab_nvs_generate_csv(big, 0x1000, &len, missing, 1, &o, NULL),
            MFAB_ENOTFOUND);
        assert_int_equal(
            mfab_nvs_generate_csv(big, 0x1000, &len, dir, 1, &o, NULL),
            MFAB_EIO);
        free(big);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_csv__vectors_through_the_library),
        cmocka_unit_test(test_nvs_csv__unknown_type_warns_and_acts_as_data),
        cmocka_unit_test(test_nvs_csv__located_errors),
        cmocka_unit_test(test_nvs_csv__partition_full_names_row),
        cmocka_unit_test(test_nvs_csv__arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
