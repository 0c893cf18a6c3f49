/* Tests for src/common/csv.c: RFC 4180 reading as Python's csv module
 * does it, and Python csv writer output. */
#include <stdlib.h>
#include <string.h>

#include "matterfab/csv.h"
#include "matterfab/error.h"
#include "mfab_test.h"

typedef struct rec {
    size_t n;
    unsigned long line;
    mfab_csv_field f[8];
} rec;

/* Read all records of text (copied: the reader works in place). */
static size_t
read_all(rec *out, size_t max, const char *text, unsigned flags, char **keep)
{
    mfab_csv_reader r;
    size_t len = strlen(text), k = 0;
    char *buf = malloc(len + 1);
    int rc;

    assert_non_null(buf);
    memcpy(buf, text, len + 1);
    mfab_csv_reader_init(&r, buf, len, flags, "t.csv");
    for (;;) {
        assert_true(k < max);
        rc = mfab_csv_next(&r, out[k].f, 8, &out[k].n, &out[k].line, NULL);
        assert_true(rc >= 0);
        if (rc == 0)
            break;
        k++;
    }
    *keep = buf;
    return k;
}

static void
test_csv__quotes_commas_newlines(void **state)
{
    rec r[8];
    char *buf;
    size_t n;
    (void)state;

    n = read_all(r, 8,
                 "a,\"b,c\",\"say \"\"hi\"\"\"\n"
                 "\"multi\nline\",x\n"
                 "last,\"ab\"cd,",
                 0, &buf);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].n, 3);
    assert_string_equal(r[0].f[1].str, "b,c");
    assert_string_equal(r[0].f[2].str, "say \"hi\"");
    assert_int_equal(r[0].f[2].len, 8);
    assert_string_equal(r[1].f[0].str, "multi\nline");
    assert_int_equal(r[1].line, 2);
    /* the record after a two-line field starts on physical line 4 */
    assert_int_equal(r[2].line, 4);
    /* text after a closing quote is kept (Python strict=False) */
    assert_string_equal(r[2].f[1].str, "abcd");
    assert_int_equal(r[2].n, 3);
    assert_string_equal(r[2].f[2].str, "");
    free(buf);
}

static void
test_csv__crlf_cr_bom_blank(void **state)
{
    rec r[8];
    char *buf;
    size_t n;
    (void)state;

    n = read_all(r, 8, "\xEF\xBB\xBFk,v\r\n\r\n  \r\n\"x\r\ny\"\rz\r", 0, &buf);
    assert_int_equal(n, 4);
    assert_string_equal(r[0].f[0].str, "k"); /* BOM skipped */
    assert_int_equal(r[1].line, 3);          /* blank line 2 skipped */
    assert_string_equal(r[1].f[0].str, "  ");
    assert_string_equal(r[2].f[0].str, "x\ny"); /* CRLF inside quotes */
    assert_int_equal(r[2].line, 4);
    assert_string_equal(r[3].f[0].str, "z");
    assert_int_equal(r[3].line, 6);
    free(buf);

    n = read_all(r, 8, "a\n\nb\n", MFAB_CSV_KEEP_BLANK, &buf);
    assert_int_equal(n, 3);
    assert_int_equal(r[1].n, 0);
    assert_int_equal(r[1].line, 2);
    free(buf);
}

static void
test_csv__hash_comments_on_physical_lines(void **state)
{
    rec r[8];
    char *buf;
    size_t n;
    (void)state;

    n = read_all(r, 8,
                 "# first\nk,v\n\"in\n# dropped too\nside\",x\n #kept,y\n",
                 MFAB_CSV_HASH_COMMENTS, &buf);
    assert_int_equal(n, 3);
    assert_int_equal(r[0].line, 2);
    assert_string_equal(r[1].f[0].str, "in\nside");
    assert_int_equal(r[2].line, 6);
    assert_string_equal(r[2].f[0].str, " #kept");
    free(buf);

    n = read_all(r, 8, "#a,b\n", 0, &buf);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].f[0].str, "#a");
    free(buf);
}

static void
test_csv__errors(void **state)
{
    mfab_csv_field f[2];
    mfab_csv_reader r;
    mfab_diag d = MFAB_DIAG_INIT;
    unsigned long line;
    size_t n;
    char t1[] = "ok\n\"open,\nnever closed";
    char t2[] = "a,b\0c\n";
    char t3[] = "a,b,c\n";
    (void)state;

    mfab_csv_reader_init(&r, t1, strlen(t1), 0, "t.csv");
    assert_int_equal(mfab_csv_next(&r, f, 2, &n, &line, &d), 1);
    assert_int_equal(mfab_csv_next(&r, f, 2, &n, &line, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "t.csv:2:", "never closed", NULL);

    mfab_diag_init(&d);
    mfab_csv_reader_init(&r, t2, 6, 0, "t.csv");
    assert_int_equal(mfab_csv_next(&r, f, 2, &n, &line, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "NUL", NULL);

    mfab_diag_init(&d);
    mfab_csv_reader_init(&r, t3, strlen(t3), 0, "t.csv");
    assert_int_equal(mfab_csv_next(&r, f, 2, &n, &line, &d), MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "t.csv:1:", "more than 2", NULL);
}

static void
test_csv__writer_minimal_quoting(void **state)
{
    const mfab_csv_field row[4] = {
        {"plain", 5}, {"a,b", 3}, {"q\"x", 3}, {"l1\nl2", 5}};
    const mfab_csv_field lone[1] = {{"", 0}};
    const char *want = "plain,\"a,b\",\"q\"\"x\",\"l1\nl2\"\r\n\"\"\r\n";
    char buf[64];
    size_t pos = 0, need = 0;
    rec r[4];
    char *keep;
    (void)state;

    assert_int_equal(mfab_csv_write_record(NULL, 0, &need, row, 4), 0);
    assert_int_equal(mfab_csv_write_record(buf, sizeof(buf), &pos, row, 4), 0);
    assert_int_equal(pos, need);
    assert_int_equal(mfab_csv_write_record(buf, sizeof(buf), &pos, lone, 1), 0);
    assert_int_equal(pos, strlen(want));
    buf[pos] = '\0';
    assert_string_equal(buf, want);
    /* what the writer writes, the reader reads back */
    assert_int_equal(read_all(r, 4, buf, 0, &keep), 2);
    assert_string_equal(r[0].f[2].str, "q\"x");
    assert_string_equal(r[0].f[3].str, "l1\nl2");
    assert_int_equal(r[1].n, 1);
    assert_int_equal(r[1].f[0].len, 0);
    free(keep);

    pos = 0;
    assert_int_equal(mfab_csv_write_record(buf, 10, &pos, row, 4), MFAB_EBUFS);
    assert_int_equal(pos, need);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv__quotes_commas_newlines),
        cmocka_unit_test(test_csv__crlf_cr_bom_blank),
        cmocka_unit_test(test_csv__hash_comments_on_physical_lines),
        cmocka_unit_test(test_csv__errors),
        cmocka_unit_test(test_csv__writer_minimal_quoting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
