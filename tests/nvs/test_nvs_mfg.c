/* Tests for src/nvs/nvs_mfg.c: mfg_gen config/values parsing, per-device
 * CSV text (vector s22) and every error code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "matterfab/error.h"
#include "matterfab/nvs_mfg.h"
#include "mfab_test.h"

static void
test_nvs_mfg__device_csv_matches_s22(void **state)
{
    char cfg[4096], val[4096], exp[4096], rel[256], id[32];
    mfab_nvs_mfg *m = NULL;
    size_t i, len = 0, need = 0, ref_len = 0;
    char *buf;
    uint8_t *ref;
    (void)state;

    mfab_test_vpath(cfg, sizeof(cfg), "nvs/s22_mfg_gen/config.csv");
    mfab_test_vpath(val, sizeof(val), "nvs/s22_mfg_gen/values.csv");
    assert_int_equal(mfab_nvs_mfg_new(&m, cfg, val, NULL, NULL), 0);
    /* the blank line in values.csv is not a device */
    assert_int_equal(mfab_nvs_mfg_count(m), 3);
    assert_int_equal(mfab_nvs_mfg_line(m, 2), 5);
    for (i = 0; i < 3; i++) {
        assert_int_equal(mfab_nvs_mfg_id(id, sizeof(id), m, i), 0);
        snprintf(rel, sizeof(rel),
                 "nvs/s22_mfg_gen/expected/out/csv/dev-%s.csv", id);
        mfab_test_vpath(exp, sizeof(exp), rel);
        ref = mfab_test_read(exp, &ref_len);
        assert_int_equal(mfab_nvs_mfg_csv(NULL, 0, &need, m, i), 0);
        buf = malloc(need + 1);
        assert_non_null(buf);
        assert_int_equal(mfab_nvs_mfg_csv(buf, need + 1, &len, m, i), 0);
        mfab_test_assert_bytes(rel, ref, ref_len, (uint8_t *)buf, len);
        assert_int_equal(mfab_nvs_mfg_csv(buf, need, &len, m, i), MFAB_EBUFS);
        free(buf);
        free(ref);
    }
    assert_int_equal(mfab_nvs_mfg_id(id, sizeof(id), m, 3), MFAB_EINVAL);
    assert_int_equal(mfab_nvs_mfg_id(id, 1, m, 0), MFAB_EBUFS);
    mfab_nvs_mfg_free(m);
    mfab_nvs_mfg_free(NULL);
}

static char *tmpdir;

static void
put(const char *name, const char *text)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
expect(const char *config, const char *values, const char *fileid, int code,
       const char *what)
{
    char c[4096], v[4096];
    mfab_nvs_mfg *m = NULL;
    mfab_diag d = MFAB_DIAG_INIT;

    put("c.csv", config);
    put("v.csv", values);
    snprintf(c, sizeof(c), "%s/c.csv", tmpdir);
    snprintf(v, sizeof(v), "%s/v.csv", tmpdir);
    assert_int_equal(mfab_nvs_mfg_new(&m, c, v, fileid, &d), code);
    if (code == 0) {
        mfab_nvs_mfg_free(m);
        return;
    }
    assert_null(m);
    mfab_test_assert_diag(&d, code, what, NULL);
}

static void
test_nvs_mfg__errors(void **state)
{
    mfab_nvs_mfg *m = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    char p[4096];
    (void)state;

    tmpdir = mfab_test_tmpdir();
    /* i16 is accepted (the reference's list lacks it: e12) */
    expect("a,namespace,\nk,data,i16\n", "k\n-5\n", NULL, 0, NULL);
    expect("a,namespace,\nk,data\n", "k\n1\n", NULL, MFAB_EINVAL,
           "c.csv:2: data missing");
    expect("a,namespace,\nk,data,u8,ONCE\n", "k\n1\n", NULL, MFAB_EINVAL,
           "c.csv:2: data missing");
    expect("k,dta,u8\n", "k\n1\n", NULL, MFAB_EINVAL,
           "c.csv:1: key 'k': invalid type 'dta'");
    expect("k,data,blob_fill(2;0x00)\n", "k\n1\n", NULL, MFAB_EINVAL,
           "invalid encoding 'blob_fill(2;0x00)'");
    expect("a,data,u8\nb,data,u8\n", "b,a\n1,2\n", NULL, MFAB_EINVAL,
           "c.csv:2: key 'b' is not a column");
    expect("a,data,u8\n", "a,b\n1,2\n3\n", NULL, MFAB_EINVAL,
           "v.csv:3: 1 values but the header has 2");
    expect("a,data,u8\n", "a\n1\n", "serial", MFAB_EINVAL,
           "'--fileid': 'serial' is not a column");
    expect("a,data,u8\n", "a\n1\n2\n1\n", "a", MFAB_EEXISTS,
           "v.csv:4: column 'a': device id '1' already used on line 2");
    expect("a,data,string\n", "a\nx/y\n", "a", MFAB_EINVAL,
           "v.csv:2: column 'a': value 'x/y' cannot name");
    expect("a,data,string\n", "a\n\"open\n", NULL, MFAB_EFORMAT,
           "never closed");
    expect("a,data,u8\n", "", NULL, MFAB_EINVAL, "is empty");
    expect("a,data,u8\n", "\n \n", NULL, MFAB_EINVAL, "no header row");

    assert_int_equal(mfab_nvs_mfg_new(&m, "c.txt", "v.csv", NULL, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, ".csv extension", NULL);
    snprintf(p, sizeof(p), "%s/none.csv", tmpdir);
    assert_int_equal(mfab_nvs_mfg_new(&m, p, p, NULL, NULL), MFAB_ENOTFOUND);
    /* a folder named like a CSV file cannot be read */
    snprintf(p, sizeof(p), "%s/dir.csv", tmpdir);
    assert_int_equal(mkdir(p, 0700), 0);
    assert_int_equal(mfab_nvs_mfg_new(&m, p, p, NULL, NULL), MFAB_EIO);
    mfab_test_rmtree(tmpdir);
}

/* esp-matter-mfg-tool's --mcsv takes each key's column by name, wherever
 * it stands; mfg_gen's order rule is refused above. */
static void
test_nvs_mfg__columns_by_name(void **state)
{
    static const char want[] = "key,type,encoding,value\r\n"
                               "a,data,u8,2\r\n"
                               "b,data,string,x\r\n";
    char c[4096], v[4096], buf[256];
    mfab_nvs_mfg *m = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    size_t len = 0;
    (void)state;

    tmpdir = mfab_test_tmpdir();
    put("c.csv", "a,data,u8\nb,data,string\n");
    put("v.csv", "id,b,a\n7,x,2\n");
    snprintf(c, sizeof(c), "%s/c.csv", tmpdir);
    snprintf(v, sizeof(v), "%s/v.csv", tmpdir);
    assert_int_equal(mfab_nvs_mfg_new(&m, c, v, NULL, &d), MFAB_EINVAL);
    assert_int_equal(mfab_nvs_mfg_new_ex(&m, c, v, NULL,
                                         MFAB_NVS_MFG_COLUMNS_BY_NAME, NULL),
                     0);
    assert_int_equal(mfab_nvs_mfg_csv(buf, sizeof(buf), &len, m, 0), 0);
    mfab_test_assert_bytes("device csv", (const uint8_t *)want,
                           sizeof(want) - 1, (uint8_t *)buf, len);
    mfab_nvs_mfg_free(m);
    put("v.csv", "id,b\n7,x\n");
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_mfg_new_ex(&m, c, v, NULL,
                                         MFAB_NVS_MFG_COLUMNS_BY_NAME, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "c.csv:1: key 'a' is not a column",
                          NULL);
    mfab_test_rmtree(tmpdir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_mfg__device_csv_matches_s22),
        cmocka_unit_test(test_nvs_mfg__errors),
        cmocka_unit_test(test_nvs_mfg__columns_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
