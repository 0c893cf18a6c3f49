/* Tests for src/ledger/ledger_migrate.c */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "ledger_fixture.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"

/* What a version-1 ledger looks like: the schema as matterfab wrote it
 * before file_set (the fixture, not a copy of current code). */
static const char v1_schema[] =
    "PRAGMA journal_mode = WAL;"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE batch (id INTEGER PRIMARY KEY, outdir TEXT NOT NULL,"
    "  options TEXT NOT NULL, inputs TEXT NOT NULL,"
    "  device_count INTEGER NOT NULL CHECK (device_count >= 0),"
    "  status TEXT NOT NULL CHECK (status IN"
    "    ('running', 'complete', 'failed', 'interrupted')),"
    "  started_at TEXT NOT NULL, finished_at TEXT);"
    "CREATE TABLE device (id INTEGER PRIMARY KEY,"
    "  batch_id INTEGER NOT NULL REFERENCES batch(id),"
    "  idx INTEGER NOT NULL CHECK (idx >= 0), uuid TEXT NOT NULL UNIQUE,"
    "  serial_num TEXT UNIQUE,"
    "  discriminator INTEGER NOT NULL CHECK (discriminator BETWEEN 0 AND 4095),"
    "  passcode INTEGER NOT NULL, salt TEXT NOT NULL,"
    "  iterations INTEGER NOT NULL, dac_serial TEXT UNIQUE,"
    "  dac_pubkey_sha256 TEXT, rd_id_uid TEXT UNIQUE,"
    "  status TEXT NOT NULL CHECK (status IN ('complete')),"
    "  created_at TEXT NOT NULL, UNIQUE (batch_id, idx));"
    "CREATE TABLE file (batch_id INTEGER NOT NULL REFERENCES batch(id),"
    "  device_id INTEGER REFERENCES device(id), path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL, size INTEGER NOT NULL, UNIQUE (batch_id, path));"
    "CREATE INDEX file_device ON file(device_id);"
    "INSERT INTO meta VALUES ('schema_version', '1');";

typedef struct v1 {
    char *dir;
    char path[4200];
    sqlite3 *db;
} v1;

static void
exec(sqlite3 *db, const char *sql)
{
    char *err = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
}

/* A v1 ledger with one batch in dir/out and one device per uuid. */
static void
v1_create(v1 *l, int n_devices)
{
    char sql[8600];
    int i;

    l->dir = mfab_test_tmpdir();
    snprintf(l->path, sizeof(l->path), "%s/ledger.sqlite", l->dir);
    assert_int_equal(sqlite3_open(l->path, &l->db), SQLITE_OK);
    exec(l->db, v1_schema);
    snprintf(sql, sizeof(sql),
             "INSERT INTO batch VALUES (1, '%s/out', '{}', '{}', %d, "
             "'complete', '2026-01-01T00:00:00Z', '2026-01-01T00:00:01Z')",
             l->dir, n_devices);
    exec(l->db, sql);
    for (i = 0; i < n_devices; i++) {
        snprintf(sql, sizeof(sql),
                 "INSERT INTO device VALUES (%d, 1, %d, 'uuid-%d', NULL, 1, "
                 "20202021, 'c2FsdA==', 1000, NULL, NULL, NULL, 'complete', "
                 "'2026-01-01T00:00:00Z')",
                 i + 1, i, i);
        exec(l->db, sql);
    }
}

/* Write out/rel and record it as a v1 file row. */
static void
v1_file(v1 *l, int device_id, const char *rel, const char *content)
{
    char out[4300], hex[65], sql[8600], id[16] = "NULL";
    mfab_ledger_file f;

    snprintf(out, sizeof(out), "%s/out", l->dir);
    ledger_fixture_write(out, rel, content, &f);
    mfab_hex_encode(hex, f.sha256, sizeof(f.sha256));
    if (device_id > 0)
        snprintf(id, sizeof(id), "%d", device_id);
    snprintf(sql, sizeof(sql),
             "INSERT INTO file VALUES (1, %s, '%s', '%s', %llu)", id, rel, hex,
             (unsigned long long)f.size);
    exec(l->db, sql);
}

static void
v1_fill(v1 *l)
{
    v1_create(l, 2);
    v1_file(l, 1, "p/uuid-0/uuid-0-partition.bin", "partition 0");
    v1_file(l, 1, "p/uuid-0/internal/DAC_cert.der", "cert 0");
    v1_file(l, 1, "p/uuid-0/internal/DAC_key.der", "key 0");
    v1_file(l, 1, "p/uuid-0/uuid-0-onb_codes.csv", "codes 0");
    v1_file(l, 2, "p/uuid-1/uuid-1-partition.bin", "partition 1");
    v1_file(l, 2, "p/uuid-1/internal/DAC_cert.der", "cert 1");
    v1_file(l, 0, "p/summary.csv", "summary");
    v1_file(l, 0, "p/staging/master.csv", "master");
    sqlite3_close(l->db);
    l->db = NULL;
}

/* Opening converts: one row per batch, device and folder, names intact;
 * check then sees what it saw before, good and bad. */
static void
test_ledger_migrate__v1_ledger_converted(void **state)
{
    ledger_problems s = {{0}};
    mfab_ledger *ledger = NULL;
    mfab_ledger_file junk;
    char p[4300];
    uint64_t n = 99;
    v1 l;
    (void)state;

    v1_fill(&l);
    assert_int_equal(mfab_ledger_open(&ledger, l.path, NULL), 0);
    assert_int_equal(ledger_fixture_query_int(l.path,
                                              "SELECT value FROM meta "
                                              "WHERE key = 'schema_version'"),
                     2);
    assert_int_equal(ledger_fixture_query_int(
                         l.path, "SELECT count(*) FROM sqlite_master "
                                 "WHERE name IN ('file', 'file_device')"),
                     0);
    /* uuid-0, uuid-0/internal, uuid-1, uuid-1/internal, p, p/staging */
    assert_int_equal(
        ledger_fixture_query_int(l.path, "SELECT count(*) FROM file_set"), 6);
    assert_int_equal(
        ledger_fixture_query_int(l.path, "SELECT count(*) FROM file_set WHERE "
                                         "device_id = 1 AND dir = "
                                         "'p/uuid-0/internal' AND files LIKE "
                                         "'% 6 DAC_cert.der' || char(10) || "
                                         "'% 5 DAC_key.der' || char(10)"),
        1);
    assert_int_equal(
        ledger_fixture_query_int(l.path, "SELECT count(*) FROM file_set WHERE "
                                         "device_id IS NULL AND dir = 'p'"),
        1);
    assert_int_equal(
        mfab_ledger_check(ledger, 0, &n, ledger_fixture_collect, &s, NULL), 0);
    assert_int_equal(n, 0);

    snprintf(p, sizeof(p), "%s/out/p/uuid-1/internal/DAC_cert.der", l.dir);
    assert_int_equal(unlink(p), 0);
    snprintf(p, sizeof(p), "%s/out", l.dir);
    ledger_fixture_write(p, "p/uuid-0/internal/DAC_key.der", "key O", &junk);
    ledger_fixture_write(p, "p/uuid-0/internal/.DAC_key.der.x", "x", &junk);
    assert_int_equal(
        mfab_ledger_check(ledger, 1, &n, ledger_fixture_collect, &s, NULL), 0);
    assert_int_equal(n, 3);
    assert_non_null(strstr(s.last[MFAB_LEDGER_MISSING],
                           "out/p/uuid-1/internal/DAC_cert.der"));
    assert_non_null(strstr(s.last[MFAB_LEDGER_ALTERED],
                           "out/p/uuid-0/internal/DAC_key.der"));
    assert_non_null(strstr(s.last[MFAB_LEDGER_ORPHAN],
                           "out/p/uuid-0/internal/.DAC_key.der.x"));
    mfab_ledger_free(ledger);
    /* converted once: reopening finds version 2 */
    assert_int_equal(mfab_ledger_open(&ledger, l.path, NULL), 0);
    mfab_ledger_free(ledger);
    mfab_test_rmtree(l.dir);
}

/* A v1 path the new format cannot hold stops the conversion; the ledger
 * is left as it was. */
static void
test_ledger_migrate__unconvertible_row_leaves_v1(void **state)
{
    mfab_ledger *ledger = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    v1 l;
    (void)state;

    v1_create(&l, 1);
    exec(l.db,
         "INSERT INTO file VALUES (1, 1, 'p/ok', '"
         "0000000000000000000000000000000000000000000000000000000000000000"
         "', 1)");
    exec(l.db, "INSERT INTO file SELECT 1, 1, 'p/a' || char(10) || 'b', "
               "sha256, 1 FROM file");
    sqlite3_close(l.db);
    assert_int_equal(mfab_ledger_open(&ledger, l.path, &d), MFAB_EDB);
    assert_null(ledger);
    mfab_test_assert_diag(&d, MFAB_EDB,
                          "cannot convert it from schema "
                          "version 1",
                          "control character (0x0a", NULL);
    assert_int_equal(ledger_fixture_query_int(l.path,
                                              "SELECT value FROM meta "
                                              "WHERE key = 'schema_version'"),
                     1);
    assert_int_equal(
        ledger_fixture_query_int(l.path, "SELECT count(*) FROM file"), 2);
    assert_int_equal(
        ledger_fixture_query_int(l.path, "SELECT count(*) FROM sqlite_master "
                                         "WHERE name = 'file_set'"),
        0);
    mfab_test_rmtree(l.dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ledger_migrate__v1_ledger_converted),
        cmocka_unit_test(test_ledger_migrate__unconvertible_row_leaves_v1),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
