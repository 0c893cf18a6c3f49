/* Tests for src/ledger/ledger_device.c */
#include <string.h>

#include "ledger_fixture.h"
#include "matterfab/error.h"

typedef struct seen {
    int n;
    char uuids[8][64];
    char serial[64];
    uint32_t passcode;
} seen;

static int
collect(void *ctx, const mfab_ledger_device *d)
{
    seen *s = ctx;

    if (s->n < 8)
        snprintf(s->uuids[s->n], 64, "%s", d->uuid);
    snprintf(s->serial, sizeof(s->serial), "%s",
             d->serial_num ? d->serial_num : "(null)");
    s->passcode = d->passcode;
    s->n++;
    return 0;
}

static void
test_ledger_device__commit_and_list_in_index_order(void **state)
{
    ledger_fixture *f = *state;
    char b0[4][64], b1[4][64];
    mfab_ledger_device d1 = ledger_fixture_device(f->batch, 1, b1);
    mfab_ledger_device d0 = ledger_fixture_device(f->batch, 0, b0);
    seen s = { 0 };

    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d1, NULL, 0, NULL),
                     0);
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d0, NULL, 0, NULL),
                     0);
    assert_int_equal(mfab_ledger_device_each(f->ledger, f->batch, collect, &s,
                                             NULL), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.uuids[0], "uuid-0");
    assert_string_equal(s.uuids[1], "uuid-1");
    assert_int_equal(s.passcode, 20202021);
}

/* Each identifier that must be unique is refused on its own, named. */
static void
test_ledger_device__duplicates_named(void **state)
{
    ledger_fixture *f = *state;
    char a[4][64], b[4][64];
    mfab_ledger_device first = ledger_fixture_device(f->batch, 0, a);
    static const char *const want[] = { "uuid 'uuid-0'",
                                        "serial number 'SN0000'",
                                        "DAC serial number '01'",
                                        "rd-id-uid 'rdid0'",
                                        "already has device 0" };
    size_t k;

    assert_int_equal(mfab_ledger_device_commit(f->ledger, &first, NULL, 0,
                                               NULL), 0);
    for (k = 0; k < 5; k++) {
        mfab_ledger_device d = ledger_fixture_device(f->batch, 1, b);
        mfab_diag diag = MFAB_DIAG_INIT;

        if (k == 0)
            d.uuid = first.uuid;
        else if (k == 1)
            d.serial_num = first.serial_num;
        else if (k == 2)
            d.dac_serial_hex = first.dac_serial_hex;
        else if (k == 3)
            d.rd_id_uid_hex = first.rd_id_uid_hex;
        else
            d.index = 0;
        assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, NULL, 0,
                                                   &diag), MFAB_EEXISTS);
        mfab_test_assert_diag(&diag, MFAB_EEXISTS, want[k], NULL);
    }
}

static void
test_ledger_device__devices_without_serial_do_not_collide(void **state)
{
    ledger_fixture *f = *state;
    char a[4][64], b[4][64];
    mfab_ledger_device d0 = ledger_fixture_device(f->batch, 0, a);
    mfab_ledger_device d1 = ledger_fixture_device(f->batch, 1, b);

    d0.serial_num = d1.serial_num = NULL;
    d0.dac_serial_hex = d1.dac_serial_hex = NULL;
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d0, NULL, 0, NULL),
                     0);
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d1, NULL, 0, NULL),
                     0);
}

/* A device whose files cannot be recorded is not recorded at all. */
static void
test_ledger_device__commit_is_all_or_nothing(void **state)
{
    ledger_fixture *f = *state;
    char a[4][64];
    mfab_ledger_device d = ledger_fixture_device(f->batch, 0, a);
    mfab_ledger_file files[2] = { { "x/partition.bin", { 0 }, 1 },
                                  { "x/partition.bin", { 0 }, 1 } };
    mfab_diag diag = MFAB_DIAG_INIT;
    seen s = { 0 };

    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, files, 2,
                                               &diag), MFAB_EEXISTS);
    mfab_test_assert_diag(&diag, MFAB_EEXISTS, "x/partition.bin", NULL);
    assert_int_equal(mfab_ledger_device_each(f->ledger, 0, collect, &s, NULL),
                     0);
    assert_int_equal(s.n, 0);
    /* and the same device then commits cleanly */
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, files, 1, NULL),
                     0);
}

static void
test_ledger_device__bad_device_refused(void **state)
{
    ledger_fixture *f = *state;
    char a[4][64];
    mfab_ledger_device d = ledger_fixture_device(f->batch, 0, a);
    mfab_diag diag = MFAB_DIAG_INIT;

    d.discriminator = 4096;
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, NULL, 0, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "0..4095", NULL);
    d = ledger_fixture_device(999, 0, a);
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, NULL, 0, NULL),
                     MFAB_ENOTFOUND);
}

static void
test_ledger_device__find_by_uuid_or_serial(void **state)
{
    ledger_fixture *f = *state;
    char a[4][64];
    mfab_ledger_device d = ledger_fixture_device(f->batch, 2, a);
    mfab_diag diag = MFAB_DIAG_INIT;
    seen s = { 0 };

    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d, NULL, 0, NULL),
                     0);
    assert_int_equal(mfab_ledger_device_find(f->ledger, "uuid-2", collect, &s,
                                             NULL), 0);
    assert_int_equal(mfab_ledger_device_find(f->ledger, "SN0002", collect, &s,
                                             NULL), 0);
    assert_int_equal(s.n, 2);
    assert_string_equal(s.serial, "SN0002");
    assert_int_equal(mfab_ledger_device_find(f->ledger, "nope", collect, &s,
                                             &diag), MFAB_ENOTFOUND);
    mfab_test_assert_diag(&diag, MFAB_ENOTFOUND, "'nope'", NULL);
}

/* A group commits many devices at once; a failed device inside it does
 * not spoil the others; a rolled-back group records nothing. */
static void
test_ledger_device__groups(void **state)
{
    ledger_fixture *f = *state;
    char b[3][4][64];
    mfab_ledger_device d0 = ledger_fixture_device(f->batch, 0, b[0]);
    mfab_ledger_device d1 = ledger_fixture_device(f->batch, 1, b[1]);
    mfab_ledger_device d2 = ledger_fixture_device(f->batch, 2, b[2]);
    mfab_diag diag = MFAB_DIAG_INIT;
    seen s = { 0 };

    assert_int_equal(mfab_ledger_group_begin(f->ledger, NULL), 0);
    assert_int_equal(mfab_ledger_group_begin(f->ledger, &diag), MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "a group is open", NULL);
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d0, NULL, 0, NULL),
                     0);
    d1.uuid = d0.uuid; /* duplicate: refused alone */
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d1, NULL, 0, NULL),
                     MFAB_EEXISTS);
    assert_int_equal(mfab_ledger_group_commit(f->ledger, NULL), 0);
    assert_int_equal(mfab_ledger_device_each(f->ledger, 0, collect, &s, NULL),
                     0);
    assert_int_equal(s.n, 1);

    assert_int_equal(mfab_ledger_group_begin(f->ledger, NULL), 0);
    assert_int_equal(mfab_ledger_device_commit(f->ledger, &d2, NULL, 0, NULL),
                     0);
    mfab_ledger_group_rollback(f->ledger);
    memset(&s, 0, sizeof(s));
    assert_int_equal(mfab_ledger_device_each(f->ledger, 0, collect, &s, NULL),
                     0);
    assert_int_equal(s.n, 1);
    mfab_diag_init(&diag);
    assert_int_equal(mfab_ledger_group_commit(f->ledger, &diag), MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "no group open", NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        LEDGER_TEST(test_ledger_device__commit_and_list_in_index_order),
        LEDGER_TEST(test_ledger_device__duplicates_named),
        LEDGER_TEST(test_ledger_device__devices_without_serial_do_not_collide),
        LEDGER_TEST(test_ledger_device__commit_is_all_or_nothing),
        LEDGER_TEST(test_ledger_device__bad_device_refused),
        LEDGER_TEST(test_ledger_device__find_by_uuid_or_serial),
        LEDGER_TEST(test_ledger_device__groups),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
