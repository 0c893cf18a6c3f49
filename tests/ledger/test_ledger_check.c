/* Tests for src/ledger/ledger_check.c */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "ledger_fixture.h"
#include "matterfab/error.h"
#include "matterfab/io.h"

typedef struct problems {
    int n[3];
    char last[3][4300];
} problems;

static void
collect(void *ctx, mfab_ledger_problem p, const char *path)
{
    problems *s = ctx;

    s->n[p]++;
    snprintf(s->last[p], sizeof(s->last[p]), "%s", path);
}

/* Write dir/rel and describe it as a ledger file entry. */
static void
write_file(ledger_fixture *f, const char *rel, const char *content,
           mfab_ledger_file *out)
{
    char path[4300];
    size_t len = strlen(content);

    snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
    assert_int_equal(mfab_file_write_atomic(path, content, len, 0644, NULL),
                     0);
    out->path = rel;
    out->size = len;
    assert_int_equal(EVP_Digest(content, len, out->sha256, NULL, EVP_sha256(),
                                NULL), 1);
}

static void
make_device(ledger_fixture *f)
{
    char bufs[4][64], sub[4300];
    mfab_ledger_device d = ledger_fixture_device(f->batch, 0, bufs);
    mfab_ledger_file files[2];

    snprintf(sub, sizeof(sub), "%s/dev0", f->dir);
    assert_int_equal(mfab_mkdir_p(sub, 0755, NULL), 0);
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

#define T(fn)                                                                 \
    cmocka_unit_test_setup_teardown(fn, ledger_fixture_setup,                 \
                                    ledger_fixture_teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ledger_check__clean_batch),
        T(test_ledger_check__missing_altered_orphan),
        T(test_ledger_check__same_size_change_is_altered),
        T(test_ledger_check__unknown_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
