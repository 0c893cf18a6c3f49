/* Tests for src/ledger/ledger_open.c */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/ledger.h"
#include "mfab_test.h"

static void
test_ledger_open__creates_private_database(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4200];
    mfab_ledger *l = NULL;
    struct stat st;
    (void)state;

    snprintf(path, sizeof(path), "%s/ledger.sqlite", dir);
    assert_int_equal(mfab_ledger_open(&l, path, NULL), 0);
    assert_non_null(l);
    mfab_ledger_free(l);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    /* reopening an existing ledger keeps it */
    assert_int_equal(mfab_ledger_open(&l, path, NULL), 0);
    mfab_ledger_free(l);
    mfab_test_rmtree(dir);
}

static void
test_ledger_open__rejects_non_database(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4200];
    mfab_ledger *l = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    static const char junk[] = "this is not an SQLite database at all, "
                               "just text that is long enough to be read";
    (void)state;

    snprintf(path, sizeof(path), "%s/junk.sqlite", dir);
    assert_int_equal(mfab_file_write_atomic(path, junk, sizeof(junk), 0600,
                                            NULL), 0);
    assert_int_equal(mfab_ledger_open(&l, path, &d), MFAB_EDB);
    assert_null(l);
    mfab_test_assert_diag(&d, MFAB_EDB, "junk.sqlite", NULL);
    mfab_test_rmtree(dir);
}

static void
test_ledger_open__refuses_newer_schema(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4200];
    mfab_ledger *l = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    sqlite3 *db = NULL;
    (void)state;

    snprintf(path, sizeof(path), "%s/ledger.sqlite", dir);
    assert_int_equal(mfab_ledger_open(&l, path, NULL), 0);
    mfab_ledger_free(l);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE "
                                      "key = 'schema_version'",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(mfab_ledger_open(&l, path, &d), MFAB_EDB);
    mfab_test_assert_diag(&d, MFAB_EDB, "schema version 99 is newer", NULL);
    mfab_test_rmtree(dir);
}

static void
test_ledger_open__unwritable_location(void **state)
{
    mfab_ledger *l = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_ledger_open(&l, "/nonexistent-mfab/l.sqlite", &d),
                     MFAB_EDB);
    mfab_test_assert_diag(&d, MFAB_EDB, "'/nonexistent-mfab/l.sqlite'", NULL);
}

static void
test_ledger_open__names(void **state)
{
    (void)state;
    assert_string_equal(mfab_ledger_batch_status_name(
                            MFAB_LEDGER_BATCH_INTERRUPTED), "interrupted");
    assert_string_equal(mfab_ledger_problem_name(MFAB_LEDGER_ORPHAN),
                        "orphan");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ledger_open__creates_private_database),
        cmocka_unit_test(test_ledger_open__rejects_non_database),
        cmocka_unit_test(test_ledger_open__refuses_newer_schema),
        cmocka_unit_test(test_ledger_open__unwritable_location),
        cmocka_unit_test(test_ledger_open__names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
