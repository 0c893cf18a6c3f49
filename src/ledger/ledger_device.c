/*
 * ledger_device.c: committing complete devices and reading them back.
 */
#include <string.h>

#include "common/common_internal.h"
#include "ledger/ledger_internal.h"
#include "matterfab/error.h"

#define DEVICE_COLUMNS                                                        \
    "batch_id, idx, uuid, serial_num, discriminator, passcode, salt, "       \
    "iterations, dac_serial, dac_pubkey_sha256, rd_id_uid, created_at"

/* Name the duplicate: SQLite reports "UNIQUE constraint failed: device.x". */
static int
duplicate(mfab_ledger *ledger, const mfab_ledger_device *d, mfab_diag *diag)
{
    const char *msg = sqlite3_errmsg(ledger->db);
    static const struct {
        const char *column;
        const char *label;
        size_t offset;
    } cols[] = {
        { "device.uuid", "uuid", offsetof(mfab_ledger_device, uuid) },
        { "device.serial_num", "serial number",
          offsetof(mfab_ledger_device, serial_num) },
        { "device.dac_serial", "DAC serial number",
          offsetof(mfab_ledger_device, dac_serial_hex) },
        { "device.rd_id_uid", "rd-id-uid",
          offsetof(mfab_ledger_device, rd_id_uid_hex) },
    };
    size_t i;

    for (i = 0; i < MFAB_ARRAY_SIZE(cols); i++) {
        if (strstr(msg, cols[i].column) != NULL) {
            const char *value =
                *(const char *const *)((const char *)d + cols[i].offset);
            return mfab_diag_set(diag, MFAB_EEXISTS,
                                 "ledger '%s': device %llu: %s '%s' is "
                                 "already in the ledger",
                                 ledger->path, (unsigned long long)d->index,
                                 cols[i].label, value ? value : "");
        }
    }
    if (strstr(msg, "device.batch_id") != NULL)
        return mfab_diag_set(diag, MFAB_EEXISTS,
                             "ledger '%s': batch %lld already has device %llu",
                             ledger->path, (long long)d->batch_id,
                             (unsigned long long)d->index);
    return mfab_ledger__fail(ledger, "cannot record the device", diag);
}

static int
insert_device(mfab_ledger *ledger, const mfab_ledger_device *d,
              int64_t *out_id, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (d->uuid == NULL || d->salt_b64 == NULL || d->index > INT64_MAX ||
        d->discriminator > 4095)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ledger: device %llu needs a uuid, a salt and a "
                             "discriminator in 0..4095",
                             (unsigned long long)d->index);
    rc = mfab_ledger__prepare_cached(
        ledger, &st, MFAB_LEDGER_ST_INSERT_DEVICE,
        "INSERT INTO device (batch_id, idx, uuid, serial_num, discriminator, "
        "passcode, salt, iterations, dac_serial, dac_pubkey_sha256, "
        "rd_id_uid, status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, 'complete', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
        diag);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, d->batch_id);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)d->index);
    mfab_ledger__bind_text(st, 3, d->uuid);
    mfab_ledger__bind_text(st, 4, d->serial_num);
    sqlite3_bind_int(st, 5, d->discriminator);
    sqlite3_bind_int64(st, 6, d->passcode);
    mfab_ledger__bind_text(st, 7, d->salt_b64);
    sqlite3_bind_int64(st, 8, d->iterations);
    mfab_ledger__bind_text(st, 9, d->dac_serial_hex);
    mfab_ledger__bind_text(st, 10, d->dac_pubkey_sha256_hex);
    mfab_ledger__bind_text(st, 11, d->rd_id_uid_hex);
    if (sqlite3_step(st) != SQLITE_DONE) {
        if (sqlite3_extended_errcode(ledger->db) == SQLITE_CONSTRAINT_UNIQUE)
            rc = duplicate(ledger, d, diag);
        else
            rc = mfab_ledger__fail(ledger, "cannot record the device", diag);
    } else {
        *out_id = sqlite3_last_insert_rowid(ledger->db);
    }
    sqlite3_reset(st);
    return rc;
}

/* see matterfab/ledger.h */
int
mfab_ledger_device_commit(mfab_ledger *ledger, const mfab_ledger_device *device,
                          const mfab_ledger_file *files, size_t n_files,
                          mfab_diag *diag)
{
    int64_t device_id = 0;
    int rc;

    /* inside a group (BEGIN IMMEDIATE) nobody can remove the batch: look
     * it up once per group, not per device */
    if (!ledger->in_group || ledger->group_batch != device->batch_id) {
        rc = mfab_ledger__batch_exists(ledger, device->batch_id, diag);
        if (rc < 0)
            return rc;
        if (ledger->in_group)
            ledger->group_batch = device->batch_id;
    }
    /* A savepoint nests inside an open group and is a transaction of its
     * own outside one. */
    rc = mfab_ledger__exec_cached(ledger, MFAB_LEDGER_ST_SAVEPOINT,
                                  "SAVEPOINT device", diag);
    if (rc < 0)
        return rc;
    rc = insert_device(ledger, device, &device_id, diag);
    if (rc == 0)
        rc = mfab_ledger__insert_set(ledger, device->batch_id, device_id,
                                     files, n_files, 0, diag);
    if (rc < 0) {
        sqlite3_exec(ledger->db, "ROLLBACK TO device; RELEASE device", NULL,
                     NULL, NULL);
        return rc;
    }
    return mfab_ledger__exec_cached(ledger, MFAB_LEDGER_ST_RELEASE,
                                    "RELEASE device", diag);
}

/* see matterfab/ledger.h */
int
mfab_ledger_group_begin(mfab_ledger *ledger, mfab_diag *diag)
{
    int rc;

    if (ledger->in_group)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "ledger '%s': a group is open already",
                             ledger->path);
    rc = mfab_ledger__exec(ledger, "BEGIN IMMEDIATE", diag);
    if (rc == 0)
        ledger->in_group = 1;
    ledger->group_batch = 0;
    return rc;
}

/* see matterfab/ledger.h */
int
mfab_ledger_group_commit(mfab_ledger *ledger, mfab_diag *diag)
{
    int rc;

    if (!ledger->in_group)
        return mfab_diag_set(diag, MFAB_EINVAL, "ledger '%s': no group open",
                             ledger->path);
    rc = mfab_ledger__exec(ledger, "COMMIT", diag);
    if (rc < 0)
        sqlite3_exec(ledger->db, "ROLLBACK", NULL, NULL, NULL);
    ledger->in_group = 0;
    return rc;
}

/* see matterfab/ledger.h */
void
mfab_ledger_group_rollback(mfab_ledger *ledger)
{
    if (!ledger->in_group)
        return;
    sqlite3_exec(ledger->db, "ROLLBACK", NULL, NULL, NULL);
    ledger->in_group = 0;
}

static const char *
text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

/* Run a device query and hand each row to fn. */
static int
each_row(mfab_ledger *ledger, sqlite3_stmt *st,
         int (*fn)(void *ctx, const mfab_ledger_device *device), void *ctx,
         int *found, mfab_diag *diag)
{
    int rc = 0, step;

    *found = 0;
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        mfab_ledger_device d;

        d.batch_id = sqlite3_column_int64(st, 0);
        d.index = (uint64_t)sqlite3_column_int64(st, 1);
        d.uuid = text(st, 2);
        d.serial_num = text(st, 3);
        d.discriminator = (uint16_t)sqlite3_column_int(st, 4);
        d.passcode = (uint32_t)sqlite3_column_int64(st, 5);
        d.salt_b64 = text(st, 6);
        d.iterations = (uint32_t)sqlite3_column_int64(st, 7);
        d.dac_serial_hex = text(st, 8);
        d.dac_pubkey_sha256_hex = text(st, 9);
        d.rd_id_uid_hex = text(st, 10);
        d.created_at = text(st, 11);
        *found = 1;
        rc = fn(ctx, &d);
        if (rc != 0)
            return rc;
    }
    if (step != SQLITE_DONE)
        return mfab_ledger__fail(ledger, "cannot list devices", diag);
    return 0;
}

/* see matterfab/ledger.h */
int
mfab_ledger_device_each(mfab_ledger *ledger, int64_t batch_id,
                        int (*fn)(void *ctx, const mfab_ledger_device *device),
                        void *ctx, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc, found;

    if (batch_id > 0) {
        rc = mfab_ledger__batch_exists(ledger, batch_id, diag);
        if (rc < 0)
            return rc;
    }
    rc = mfab_ledger__prepare(ledger, &st,
                              "SELECT " DEVICE_COLUMNS " FROM device "
                              "WHERE ? = 0 OR batch_id = ? "
                              "ORDER BY batch_id, idx",
                              diag);
    if (rc < 0)
        return rc;
    sqlite3_bind_int64(st, 1, batch_id);
    sqlite3_bind_int64(st, 2, batch_id);
    rc = each_row(ledger, st, fn, ctx, &found, diag);
    sqlite3_finalize(st);
    return rc;
}

/* see matterfab/ledger.h */
int
mfab_ledger_device_find(mfab_ledger *ledger, const char *uuid_or_serial,
                        int (*fn)(void *ctx, const mfab_ledger_device *device),
                        void *ctx, mfab_diag *diag)
{
    sqlite3_stmt *st = NULL;
    int rc, found;

    rc = mfab_ledger__prepare(ledger, &st,
                              "SELECT " DEVICE_COLUMNS " FROM device "
                              "WHERE uuid = ? OR serial_num = ? LIMIT 1",
                              diag);
    if (rc < 0)
        return rc;
    mfab_ledger__bind_text(st, 1, uuid_or_serial);
    mfab_ledger__bind_text(st, 2, uuid_or_serial);
    rc = each_row(ledger, st, fn, ctx, &found, diag);
    sqlite3_finalize(st);
    if (rc == 0 && !found)
        rc = mfab_diag_set(diag, MFAB_ENOTFOUND,
                           "ledger '%s': no device with uuid or serial "
                           "number '%s'",
                           ledger->path, uuid_or_serial);
    return rc;
}
