/* A fresh ledger in a temporary folder, shared by the ledger tests. */
#ifndef MFAB_LEDGER_FIXTURE_H
#define MFAB_LEDGER_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "matterfab/io.h"
#include "matterfab/ledger.h"
#include "mfab_test.h"

typedef struct ledger_fixture {
    char *dir;
    char path[4200];
    mfab_ledger *ledger;
    int64_t batch;
} ledger_fixture;

static inline int
ledger_fixture_setup(void **state)
{
    ledger_fixture *f = calloc(1, sizeof(*f));
    mfab_ledger_batch b = { 0 };

    assert_non_null(f);
    f->dir = mfab_test_tmpdir();
    snprintf(f->path, sizeof(f->path), "%s/ledger.sqlite", f->dir);
    assert_int_equal(mfab_ledger_open(&f->ledger, f->path, NULL), 0);
    b.outdir = f->dir;
    b.options_json = "{\"count\":3}";
    b.inputs_json = "{}";
    b.device_count = 3;
    assert_int_equal(mfab_ledger_batch_begin(f->ledger, &f->batch, &b, NULL),
                     0);
    *state = f;
    return 0;
}

static inline int
ledger_fixture_teardown(void **state)
{
    ledger_fixture *f = *state;

    mfab_ledger_free(f->ledger);
    mfab_test_rmtree(f->dir);
    free(f);
    return 0;
}

/* A device with distinct identifiers derived from n. */
static inline mfab_ledger_device
ledger_fixture_device(int64_t batch, unsigned n, char bufs[4][64])
{
    mfab_ledger_device d = { 0 };

    snprintf(bufs[0], 64, "uuid-%u", n);
    snprintf(bufs[1], 64, "SN%04u", n);
    snprintf(bufs[2], 64, "%02x", n + 1);
    snprintf(bufs[3], 64, "rdid%u", n);
    d.batch_id = batch;
    d.index = n;
    d.uuid = bufs[0];
    d.serial_num = bufs[1];
    d.discriminator = (uint16_t)(n % 4096);
    d.passcode = 20202021;
    d.salt_b64 = "U1BBS0UyUCBLZXkgU2FsdA==";
    d.iterations = 1000;
    d.dac_serial_hex = bufs[2];
    d.dac_pubkey_sha256_hex = "00";
    d.rd_id_uid_hex = bufs[3];
    return d;
}

/* Write dir/rel (its folders made) and describe it as a ledger file. */
static inline void
ledger_fixture_write(const char *dir, const char *rel, const char *content,
                     mfab_ledger_file *out)
{
    char path[4300], *slash;
    size_t len = strlen(content);

    assert_true(snprintf(path, sizeof(path), "%s/%s", dir, rel) <
                (int)sizeof(path));
    slash = strrchr(path, '/');
    *slash = '\0';
    assert_int_equal(mfab_mkdir_p(path, 0755, NULL), 0);
    *slash = '/';
    assert_int_equal(mfab_file_write_atomic(path, content, len, 0644, NULL),
                     0);
    out->path = rel;
    out->size = len;
    assert_int_equal(EVP_Digest(content, len, out->sha256, NULL, EVP_sha256(),
                                NULL), 1);
}

/* The integer the first row of sql gives, read as a user would with the
 * sqlite3 shell (a connection of its own). */
static inline int
ledger_fixture_query_int(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int n;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* What mfab_ledger_check reported: a count and the last path per kind. */
typedef struct ledger_problems {
    int n[3];
    char last[3][4300];
} ledger_problems;

static inline void
ledger_fixture_collect(void *ctx, mfab_ledger_problem p, const char *path)
{
    ledger_problems *s = ctx;

    s->n[p]++;
    snprintf(s->last[p], sizeof(s->last[p]), "%s", path);
}

/* A test run between ledger_fixture_setup and ledger_fixture_teardown. */
#define LEDGER_TEST(fn)                                                        \
    cmocka_unit_test_setup_teardown(fn, ledger_fixture_setup,                  \
                                    ledger_fixture_teardown)

#endif
