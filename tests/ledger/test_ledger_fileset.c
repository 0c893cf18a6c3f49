/* Tests for src/ledger/ledger_fileset.c */
#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "ledger_fixture.h"
#include "matterfab/error.h"

/* The dir and files of the newest file_set row, read as a user would. */
static void
last_row(const ledger_fixture *f, char *dir, char *files, size_t cap)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT dir, files FROM file_set "
                                        "ORDER BY id DESC LIMIT 1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    snprintf(dir, cap, "%s", (const char *)sqlite3_column_text(st, 0));
    snprintf(files, cap, "%s", (const char *)sqlite3_column_text(st, 1));
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static int
rows(const ledger_fixture *f)
{
    return ledger_fixture_query_int(f->path, "SELECT count(*) FROM file_set");
}

/* Commit device n with files at paths; sha256 bytes are all 0xab. */
static int
commit(ledger_fixture *f, unsigned n, const char *const *paths, size_t count,
       mfab_diag *diag)
{
    char bufs[4][64];
    mfab_ledger_device d = ledger_fixture_device(f->batch, n, bufs);
    mfab_ledger_file files[8];
    size_t i;

    for (i = 0; i < count; i++) {
        files[i].path = paths[i];
        memset(files[i].sha256, 0xab, sizeof(files[i].sha256));
        files[i].size = 1000 + i;
    }
    return mfab_ledger_device_commit(f->ledger, &d, files, count, diag);
}

static void
expect_dir(ledger_fixture *f, unsigned n, const char *const *paths,
           size_t count, const char *want)
{
    char dir[4096], files[4096];

    assert_int_equal(commit(f, n, paths, count, NULL), 0);
    last_row(f, dir, files, sizeof(dir));
    assert_string_equal(dir, want);
}

/* One row per commit; dir is the deepest folder holding every path. */
static void
test_ledger_fileset__one_row_in_the_common_folder(void **state)
{
    ledger_fixture *f = *state;
    const char *spread[] = {"d/x", "d/internal/y"};
    const char *deep[] = {"a/b/c"};
    const char *apart[] = {"d/x", "e/y"};
    const char *not_a_folder[] = {"dx/a", "d/b"};
    const char *top[] = {"x", "d/y"};
    const char *same[] = {"p/u/internal/k", "p/u/internal/c"};
    char dir[4096], files[4096], want[4096];

    assert_int_equal(commit(f, 0, spread, 2, NULL), 0);
    last_row(f, dir, files, sizeof(dir));
    assert_string_equal(dir, "d");
    snprintf(
        want, sizeof(want), "%s 1000 x\n%s 1001 internal/y\n",
        "abababababababababababababababababababababababababababababababab",
        "abababababababababababababababababababababababababababababababab");
    assert_string_equal(files, want);
    expect_dir(f, 1, deep, 1, "a/b");
    expect_dir(f, 2, apart, 2, "");
    expect_dir(f, 3, not_a_folder, 2, "");
    expect_dir(f, 4, top, 2, "");
    expect_dir(f, 5, same, 2, "p/u/internal");
    /* no files, no row */
    assert_int_equal(commit(f, 6, NULL, 0, NULL), 0);
    assert_int_equal(rows(f), 6);
}

static void
expect_refused(ledger_fixture *f, const char *path, const char *msg)
{
    const char *paths[] = {"ok/file", path};
    mfab_diag d = MFAB_DIAG_INIT;

    assert_int_equal(commit(f, 0, paths, 2, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, msg, NULL);
}

/* Paths the format cannot hold are refused, and nothing is recorded. */
static void
test_ledger_fileset__bad_paths_refused(void **state)
{
    ledger_fixture *f = *state;
    mfab_ledger_file none = {NULL, {0}, 0};
    mfab_diag d = MFAB_DIAG_INIT;

    expect_refused(f, "dev/a\nb", "control character (0x0a at byte 5)");
    expect_refused(f, "dev/a\tb", "control character (0x09");
    expect_refused(f, "dev/a\x7f", "control character (0x7f");
    expect_refused(f, "/etc/passwd", "'/etc/passwd' is absolute");
    expect_refused(f, "dev/../x", "'dev/../x' is not allowed");
    expect_refused(f, "..", "'..' is not allowed");
    expect_refused(f, "dev/./x", "'dev/./x' is not allowed");
    expect_refused(f, "dev//x", "'dev//x' is not allowed");
    expect_refused(f, "dev/", "'dev/' is not allowed");
    expect_refused(f, "", "file 1 has no path");
    assert_int_equal(mfab_ledger_batch_files(f->ledger, f->batch, &none, 1, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "file 0 has no path", NULL);
    assert_int_equal(rows(f), 0);
    /* "..." and dots inside a name are ordinary names */
    {
        const char *odd[] = {"dev/...", "dev/a..b", "dev/.hidden"};

        assert_int_equal(commit(f, 0, odd, 3, NULL), 0);
    }
}

/* Batch files: one row with no device; a path the batch records already
 * (in any row whose folder holds it) is refused. */
static void
test_ledger_fileset__batch_files(void **state)
{
    ledger_fixture *f = *state;
    const char *dev[] = {"p/u/u-partition.bin", "p/u/internal/DAC.der"};
    mfab_ledger_file sum[2] = {{"p/summary.csv", {1}, 10},
                               {"p/staging/master.csv", {2}, 20}};
    mfab_ledger_file again = {"p/u/internal/DAC.der", {0}, 1};
    mfab_ledger_file other = {"p/u/internal/DAC2.der", {0}, 1};
    mfab_diag d = MFAB_DIAG_INIT;
    char dir[4096], files[4096];

    assert_int_equal(commit(f, 0, dev, 2, NULL), 0);
    assert_int_equal(mfab_ledger_batch_files(f->ledger, f->batch, sum, 2, NULL),
                     0);
    last_row(f, dir, files, sizeof(dir));
    assert_string_equal(dir, "p");
    assert_non_null(strstr(files, " 10 summary.csv\n"));
    assert_non_null(strstr(files, " 20 staging/master.csv\n"));
    assert_int_equal(
        mfab_ledger_batch_files(f->ledger, f->batch, &again, 1, &d),
        MFAB_EEXISTS);
    mfab_test_assert_diag(&d, MFAB_EEXISTS, "'p/u/internal/DAC.der'",
                          "already recorded", NULL);
    assert_int_equal(
        mfab_ledger_batch_files(f->ledger, f->batch, &other, 1, NULL), 0);
    assert_int_equal(rows(f), 3);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        LEDGER_TEST(test_ledger_fileset__one_row_in_the_common_folder),
        LEDGER_TEST(test_ledger_fileset__bad_paths_refused),
        LEDGER_TEST(test_ledger_fileset__batch_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
