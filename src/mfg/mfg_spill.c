/*
 * mfg_spill.c: what the per-run files need of each device made in this
 * run (its partition.csv and DAC certificate), kept while the device is
 * committed so that the end of the batch reads one file instead of two
 * per device. Memory stays flat in the count: records go to an unnamed
 * file in the product folder and their places to a second one, 16 bytes
 * at index x 16 (a hole reads as "not here": devices of earlier runs are
 * read from their folders as before). Both vanish with the process, so a
 * crash leaves nothing behind; any failure just turns the spill off.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/common_internal.h"
#include "mfg/mfg_internal.h"

#define SPILL_BUF (64 * 1024)

static int
unnamed(const char *dir)
{
    return open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
}

/* see mfg_internal.h */
void
mfab_mfg__spill_open(mfg_spill *s, const char *dir)
{
    memset(s, 0, sizeof(*s));
    s->data_fd = unnamed(dir);
    s->place_fd = unnamed(dir);
    s->buf = malloc(SPILL_BUF);
    if (s->data_fd < 0 || s->place_fd < 0 || s->buf == NULL)
        mfab_mfg__spill_close(s);
}

static void
off(mfg_spill *s)
{
    mfab_mfg__spill_close(s);
}

static int
drain(mfg_spill *s)
{
    size_t done = 0;

    while (done < s->used) {
        ssize_t n = write(s->data_fd, s->buf + done, s->used - done);
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    s->written += s->used;
    s->used = 0;
    return 0;
}

/* see mfg_internal.h */
void
mfab_mfg__spill_put(mfg_spill *s, uint64_t index, const mfg_device *d)
{
    uint8_t place[16];
    size_t len = 8 + d->csv_len + d->dac_der_len;

    if (s->buf == NULL)
        return;
    if (len > SPILL_BUF || index > UINT64_MAX / 16 - 1) {
        off(s);
        return;
    }
    if (s->used + len > SPILL_BUF && drain(s) < 0) {
        off(s);
        return;
    }
    mfab_put_le32(s->buf + s->used, (uint32_t)d->csv_len);
    mfab_put_le32(s->buf + s->used + 4, (uint32_t)d->dac_der_len);
    memcpy(s->buf + s->used + 8, d->csv, d->csv_len);
    memcpy(s->buf + s->used + 8 + d->csv_len, d->dac_der, d->dac_der_len);
    mfab_put_le64(place, s->written + s->used);
    mfab_put_le64(place + 8, len);
    s->used += len;
    if (pwrite(s->place_fd, place, sizeof(place), (off_t)(index * 16)) !=
        (ssize_t)sizeof(place))
        off(s);
}

static int
read_full(int fd, uint8_t *out, size_t len, uint64_t at)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = pread(fd, out + done, len - done, (off_t)(at + done));
        if (n <= 0)
            return -1;
        done += (size_t)n;
    }
    return 0;
}

/* see mfg_internal.h */
int
mfab_mfg__spill_get(mfg_spill *s, uint64_t index, uint8_t **csv,
                    size_t *csv_len, uint8_t **der, size_t *der_len)
{
    uint8_t place[16], *rec;
    uint64_t at, len;

    if (s->buf == NULL)
        return 0;
    if (s->used > 0 && drain(s) < 0) { /* the first read of the end */
        off(s);
        return 0;
    }
    if (read_full(s->place_fd, place, sizeof(place), index * 16) < 0)
        return 0; /* past the end: not made in this run */
    at = mfab_le64(place);
    len = mfab_le64(place + 8);
    if (len < 8 || len > SPILL_BUF || (rec = malloc(len + 1)) == NULL)
        return 0;
    if (read_full(s->data_fd, rec, len, at) < 0 ||
        8 + (uint64_t)mfab_le32(rec) + mfab_le32(rec + 4) != len ||
        (*der = malloc(mfab_le32(rec + 4) + 1)) == NULL) {
        free(rec);
        return 0;
    }
    /* the csv moves to the front of the record: one buffer, one free */
    *csv_len = mfab_le32(rec);
    *der_len = mfab_le32(rec + 4);
    memcpy(*der, rec + 8 + *csv_len, *der_len);
    (*der)[*der_len] = 0;
    memmove(rec, rec + 8, *csv_len);
    rec[*csv_len] = 0;
    *csv = rec;
    return 1;
}

/* see mfg_internal.h */
void
mfab_mfg__spill_close(mfg_spill *s)
{
    if (s->data_fd >= 0)
        close(s->data_fd);
    if (s->place_fd >= 0)
        close(s->place_fd);
    free(s->buf);
    memset(s, 0, sizeof(*s));
    s->data_fd = s->place_fd = -1;
}
