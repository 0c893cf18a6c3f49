/* Tests for src/ledger/ledger_check.c */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ledger_fixture.h"
#include "matterfab/error.h"
#include "matterfab/io.h"

typedef ledger_problems problems;
#define collect ledger_fixture_collect

static void
write_file(ledger_fixture *f, const char *rel, const char *content,
           mfab_ledger_file *out)
{
    ledger_fixture_write(f->dir, rel, content, out);
}

static void
make_device(ledger_fixture *f)
{
    char bufs[4][64];
    mfab_ledger_device d = ledger_fixture_device(f->batch, 0, bufs);
    mfab_ledger_file files[2];

    write_file(f, "dev0/partition.bin", "partition", &files[0]);
    write_file(f, "dev0/onb_codes.csv", "codes", &files[1]);
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, files, 2, NULL),
                     0);
}

static void
test_ledger_check__clean_batch(void **state)
{
    ledger_fixture *f = *state;
    problems s = { { 0 } };
    uint64_t n = 99;

    make_device(f);
    assert_int_equal(mfab_ledger_check(f->ledger, f->batch, &n, collect, &s,
                                       NULL), 0);
    /* ledger.sqlite and its -wal/-shm sit in the folder and are not
     * orphans */
    assert_int_equal(n, 0);
}

static void
test_ledger_check__missing_altered_orphan(void **state)
{
    ledger_fixture *f = *state;
    problems s = { { 0 } };
    char path[4300];
    mfab_ledger_file extra;
    uint64_t n = 0;

    make_device(f);
    snprintf(path, sizeof(path), "%s/dev0/partition.bin", f->dir);
    assert_int_equal(unlink(path), 0);
    write_file(f, "dev0/onb_codes.csv", "codez", &extra);
    write_file(f, "dev0/.partition.bin.Ab12Cd", "half", &extra);
    assert_int_equal(mfab_ledger_check(f->ledger, 0, &n, collect, &s, NULL),
                     0);
    assert_int_equal(n, 3);
    assert_int_equal(s.n[MFAB_LEDGER_MISSING], 1);
    assert_non_null(strstr(s.last[MFAB_LEDGER_MISSING], "dev0/partition.bin"));
    assert_int_equal(s.n[MFAB_LEDGER_ALTERED], 1);
    assert_non_null(strstr(s.last[MFAB_LEDGER_ALTERED], "onb_codes.csv"));
    assert_int_equal(s.n[MFAB_LEDGER_ORPHAN], 1);
    assert_non_null(strstr(s.last[MFAB_LEDGER_ORPHAN], ".partition.bin.Ab12Cd"));
}

static void
test_ledger_check__same_size_change_is_altered(void **state)
{
    ledger_fixture *f = *state;
    problems s = { { 0 } };
    mfab_ledger_file again;
    uint64_t n = 0;

    make_device(f);
    write_file(f, "dev0/partition.bin", "partitioN", &again);
    assert_int_equal(mfab_ledger_check(f->ledger, f->batch, &n, collect, &s,
                                       NULL), 0);
    assert_int_equal(n, 1);
    assert_int_equal(s.n[MFAB_LEDGER_ALTERED], 1);
}

static void
test_ledger_check__unknown_batch(void **state)
{
    ledger_fixture *f = *state;
    mfab_diag d = MFAB_DIAG_INIT;
    uint64_t n = 0;

    assert_int_equal(mfab_ledger_check(f->ledger, 42, &n, NULL, NULL, &d),
                     MFAB_ENOTFOUND);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "no batch 42", NULL);
}

/* One device with files in its folder and a subfolder, and batch files
 * at the top: every file is known, and a stray file is found at each
 * level (the walk keeps the names of the folders above). */
static void
test_ledger_check__orphans_at_every_level(void **state)
{
    ledger_fixture *f = *state;
    char bufs[4][64];
    mfab_ledger_device d = ledger_fixture_device(f->batch, 0, bufs);
    mfab_ledger_file files[3], top[2], junk;
    problems s = { { 0 } };
    uint64_t n = 99;

    write_file(f, "p/dev0/dev0-partition.bin", "partition", &files[0]);
    write_file(f, "p/dev0/internal/DAC_cert.der", "cert", &files[1]);
    write_file(f, "p/dev0/internal/DAC_key.der", "key", &files[2]);
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, files, 3, NULL),
                     0);
    write_file(f, "p/summary.csv", "summary", &top[0]);
    write_file(f, "p/staging/master.csv", "master", &top[1]);
    assert_int_equal(mfab_ledger_batch_files(f->ledger, f->batch, top, 2,
                                             NULL), 0);
    assert_int_equal(mfab_ledger_check(f->ledger, f->batch, &n, collect, &s,
                                       NULL), 0);
    assert_int_equal(n, 0);

    write_file(f, "p/dev0/stray.bin", "x", &junk);
    assert_int_equal(mfab_ledger_check(f->ledger, 0, &n, collect, &s, NULL),
                     0);
    assert_int_equal(n, 1);
    assert_non_null(strstr(s.last[MFAB_LEDGER_ORPHAN], "p/dev0/stray.bin"));

    write_file(f, "p/dev0/internal/.DAC_key.der.tmp", "x", &junk);
    memset(&s, 0, sizeof(s));
    assert_int_equal(mfab_ledger_check(f->ledger, 0, &n, collect, &s, NULL),
                     0);
    assert_int_equal(n, 2);
    assert_int_equal(s.n[MFAB_LEDGER_ORPHAN], 2);
    assert_non_null(strstr(s.last[MFAB_LEDGER_ORPHAN],
                           "p/dev0/internal/.DAC_key.der.tmp"));
    /* a name recorded in one folder does not make it known in another */
    write_file(f, "p/dev0/DAC_key.der", "key", &junk);
    write_file(f, "p/staging/summary.csv", "summary", &junk);
    memset(&s, 0, sizeof(s));
    assert_int_equal(mfab_ledger_check(f->ledger, 0, &n, collect, &s, NULL),
                     0);
    assert_int_equal(s.n[MFAB_LEDGER_ORPHAN], 4);
    assert_int_equal(n, 4);
}

/* A hand-edited row is an error that names the row, not a crash. */
static void
test_ledger_check__malformed_row(void **state)
{
    ledger_fixture *f = *state;
    mfab_diag d = MFAB_DIAG_INIT;
    sqlite3 *db = NULL;
    uint64_t n = 0;

    make_device(f);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE file_set SET files = "
                                      "'abc 12 x' || char(10)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mfab_ledger_check(f->ledger, 0, &n, NULL, NULL, &d),
                     MFAB_EDB);
    mfab_test_assert_diag(&d, MFAB_EDB, "file_set row 1", "byte 0", NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        LEDGER_TEST(test_ledger_check__clean_batch),
        LEDGER_TEST(test_ledger_check__missing_altered_orphan),
        LEDGER_TEST(test_ledger_check__same_size_change_is_altered),
        LEDGER_TEST(test_ledger_check__unknown_batch),
        LEDGER_TEST(test_ledger_check__orphans_at_every_level),
        LEDGER_TEST(test_ledger_check__malformed_row),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
