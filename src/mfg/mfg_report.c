/*
 * mfg_report.c: the per-run files of a batch (spec 6.6, 6.7), written
 * when the batch is complete, from the ledger in index order and each
 * device's internal/partition.csv, streamed so memory does not grow with
 * the batch:
 *
 *   staging/config.csv    LF   "<ns>,namespace," / "key,type,encoding"
 *   staging/master.csv    LF   keys header, one row per device
 *   staging/pin_disc.csv  LF   Index,PIN Code,Iteration Count,Salt,...
 *   staging/pai_cert.der       the PAI the pai-cert rows point to
 *   cn_dacs-<time>.csv    CRLF CN,certs (DAC PEM, quoted)
 *   summary-<time>.csv    CRLF master columns + pincode,qrcode,manualcode
 *                              + the secure cert's commissionable data
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/batch.h"
#include "matterfab/csv.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "mfg/mfg_internal.h"

#define MAX_COLS 1024

/* Slots of the pipe between the reading and the writing thread. */
#define FETCH_SLOTS 64

/* A device as the reading thread hands it over: what its rows need of its
 * ledger record, and its partition.csv (owned). */
typedef struct fetched {
    uint64_t index;
    uint32_t passcode, iterations;
    uint16_t discriminator;
    char uuid[MFG_UUID_LEN + 1];
    char salt_b64[128];
    char rd_id_uid_hex[136]; /* "" when the device has none */
    char csv_path[MFG_PATH_MAX];
    uint8_t *csv;
    size_t csv_len;
    uint8_t *dac; /* its DAC certificate when the spill had it, or NULL */
    size_t dac_len;
} fetched;

typedef struct report {
    const mfab_mfg_plan *p;
    mfab_file_stream master, pin, summary, cn;
    char *row; /* record buffer */
    size_t row_cap;
    mfab_csv_field *f;
    int product_fd;        /* device files are read relative to it */
    mfab_batch_pipe *pipe; /* reading thread -> writing thread */
    int writer_failed;
    mfab_diag *read_diag; /* the reading (calling) thread's */
    mfab_diag *diag;      /* the writing thread's while the pipe runs */
    mfg_spill *spill;     /* this run's devices, read instead of files */
    int rc;
} report;

/* Records written by Python's csv module end in CRLF; the files the
 * reference writes by hand end in LF (Q4). */
static int
put_record(report *r, mfab_file_stream *s, const mfab_csv_field *f, size_t n,
           int lf)
{
    size_t pos = 0, start = 0;

    if (mfab_csv_write_record(r->row, r->row_cap, &pos, f, n) < 0)
        return mfab_diag_set(r->diag, MFAB_ERANGE, "CSV row too long");
    if (lf) {
        pos -= 2; /* master.csv rows are stripped, then end in LF */
        while (start < pos && isspace((unsigned char)r->row[start]))
            start++;
        while (pos > start && isspace((unsigned char)r->row[pos - 1]))
            pos--;
        r->row[pos++] = '\n';
    }
    return mfab_file_stream_write(s, r->row + start, pos - start, r->diag);
}

static int
put_text(mfab_file_stream *s, const char *text, mfab_diag *diag)
{
    return mfab_file_stream_write(s, text, strlen(text), diag);
}

static void
field(mfab_csv_field *f, const char *s)
{
    f->str = s;
    f->len = strlen(s);
}

static int
write_config(const mfab_mfg_plan *p, const char *staging, mfab_diag *diag)
{
    char path[MFG_PATH_MAX], *buf;
    size_t i, used = 0, cap = 64;
    int rc;

    for (i = 0; i < p->t.n; i++)
        cap += strlen(p->t.items[i].key) + 32;
    buf = malloc(cap);
    if (buf == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    for (i = 0; i < p->t.n; i++) {
        const mfg_item *it = &p->t.items[i];
        used += (size_t)snprintf(buf + used, cap - used, "%s,%s,%s\n", it->key,
                                 it->type, it->enc);
    }
    rc = mfab_path_join(path, sizeof(path), staging, "config.csv");
    if (rc == 0)
        rc = mfab_file_write_atomic(path, buf, used, MFAB_MODE_PUBLIC, diag);
    free(buf);
    return rc;
}

static int
headers(report *r)
{
    const mfab_mfg_plan *p = r->p;
    size_t i, n = 0;
    int rc;

    for (i = 0; i < p->t.n && n < MAX_COLS - 8; i++)
        if (p->t.items[i].src != MFG_SRC_NAMESPACE)
            field(&r->f[n++], p->t.items[i].key);
    rc = put_record(r, &r->master, r->f, n, 1);
    if (!p->o.dynamic_passcode) {
        field(&r->f[n++], "pincode");
        field(&r->f[n++], "qrcode");
        field(&r->f[n++], "manualcode");
    }
    /* what the NVS columns no longer show (spec 6.7) */
    if (p->sc_comm) {
        field(&r->f[n++], "discriminator");
        field(&r->f[n++], "iteration-count");
        field(&r->f[n++], "salt");
    }
    if (p->sc_rd)
        field(&r->f[n++], "rd-id-uid");
    if (rc == 0)
        rc = put_record(r, &r->summary, r->f, n, 0);
    if (rc == 0)
        rc = put_text(&r->pin,
                      p->o.dynamic_passcode
                          ? "Index,Iteration Count,Salt,Discriminator\n"
                          : "Index,PIN Code,Iteration Count,Salt,Verifier,"
                            "Discriminator\n",
                      r->diag);
    if (rc == 0)
        rc = put_text(&r->cn, "CN,certs\r\n", r->diag);
    return rc;
}

/* On the writing thread, which has time to spare for one of the reads. */
static int
cn_row(report *r, const fetched *dev)
{
    char path[MFG_PATH_MAX], pem[MFG_PEM_MAX];
    uint8_t *der = NULL;
    size_t len = 0, pem_len = 0;
    mfab_csv_field f[2];
    int rc;

    (void)mfab_mfg__path(path, sizeof(path), "%s/internal/DAC_cert.der",
                         dev->uuid);
    if (dev->dac != NULL) {
        der = dev->dac;
        len = dev->dac_len;
        rc = 0;
    } else {
        rc = mfab_file_read_at(&der, &len, r->product_fd, r->p->product, path,
                               r->diag);
    }
    if (rc == 0 && mfab_mfg__pem_wrap(pem, sizeof(pem), &pem_len, der, len) < 0)
        rc = mfab_diag_set(r->diag, MFAB_ERANGE, "'%s/%s' is too large",
                           r->p->product, path);
    if (dev->dac == NULL)
        mfab_file_free(der, len);
    if (rc < 0)
        return rc;
    field(&f[0], dev->uuid);
    field(&f[1], pem);
    return put_record(r, &r->cn, f, 2, 0);
}

/* The verifier the secure cert holds instead of NVS, for pin_disc.csv
 * (writing thread). */
static int
sc_verifier(report *r, const char *uuid, char *out, size_t cap)
{
    char path[MFG_PATH_MAX];
    mfab_securecert_entry e;
    uint8_t *img = NULL;
    size_t len = 0, n = 0;
    int rc;

    (void)mfab_mfg__path(path, sizeof(path), "%s/%s_esp_secure_cert.bin", uuid,
                         uuid);
    rc = mfab_file_read_at(&img, &len, r->product_fd, r->p->product, path,
                           r->diag);
    if (rc == 0)
        rc = mfab_securecert_find(&e, img, len, MFAB_SECURECERT_MATTER_TLV_1,
                                  MFAB_SECURECERT_MATTER_VERIFIER, r->diag);
    if (rc == 0)
        rc = mfab_base64_encode(out, cap, &n, e.data, e.len);
    mfab_file_free(img, len);
    if (rc < 0)
        return mfab_diag_set(r->diag, rc, "'%s/%s': no verifier", r->p->product,
                             path);
    return 0;
}

/* Reading thread (the caller's, in ledger order): copy the record, read
 * the device's partition.csv, hand them to the writing thread. */
static int
fetch(void *ctx, const mfab_ledger_device *dev)
{
    report *r = ctx;
    fetched *f = mfab_batch_pipe_slot(r->pipe);
    char rel[MFG_PATH_MAX];
    int rc = 0;

    if (f == NULL) {
        r->writer_failed = 1; /* its message comes with the pipe's end */
        return MFAB_EIO;
    }
    f->index = dev->index;
    f->passcode = dev->passcode;
    f->iterations = dev->iterations;
    f->discriminator = dev->discriminator;
    if (mfab_mfg__path(f->uuid, sizeof(f->uuid), "%s", dev->uuid) < 0 ||
        mfab_mfg__path(f->salt_b64, sizeof(f->salt_b64), "%s", dev->salt_b64) <
            0 ||
        mfab_mfg__path(f->rd_id_uid_hex, sizeof(f->rd_id_uid_hex), "%s",
                       dev->rd_id_uid_hex ? dev->rd_id_uid_hex : "") < 0)
        return mfab_diag_set(r->read_diag, MFAB_EFORMAT,
                             "ledger: device %llu has a bad uuid, salt or "
                             "rd-id-uid",
                             (unsigned long long)dev->index);
    (void)mfab_mfg__path(rel, sizeof(rel), "%s/internal/partition.csv",
                         f->uuid);
    (void)mfab_mfg__path(f->csv_path, sizeof(f->csv_path), "%s/%s",
                         r->p->product, rel);
    f->dac = NULL;
    if (!mfab_mfg__spill_get(r->spill, dev->index, &f->csv, &f->csv_len,
                             &f->dac, &f->dac_len))
        rc = mfab_file_read_at(&f->csv, &f->csv_len, r->product_fd,
                               r->p->product, rel, r->read_diag);
    if (rc < 0)
        return rc;
    mfab_batch_pipe_push(r->pipe);
    return 0;
}

/* Writing thread: the device's rows of the four files, in ledger order. */
static int
device_rows(report *r, const fetched *dev)
{
    const mfab_mfg_plan *p = r->p;
    char line[512];
    char qr[128], manual[32], fmt[40], pass[16], disc[8], iter[16];
    char ver_b64[140];
    const char *verifier = "";
    mfab_csv_reader rd;
    size_t n, cols = 0;
    unsigned long at;
    int rc;

    mfab_csv_reader_init(&rd, (char *)dev->csv, dev->csv_len, 0, dev->csv_path);
    for (;;) {
        mfab_csv_field f[4];
        rc = mfab_csv_next(&rd, f, 4, &n, &at, r->diag);
        if (rc <= 0)
            break;
        if (at == 1 || n != 4 || strcmp(f[1].str, "namespace") == 0)
            continue;
        if (strcmp(f[0].str, "verifier") == 0)
            verifier = f[3].str;
        if (cols < MAX_COLS - 8)
            r->f[cols++] = f[3];
    }
    if (rc == 0)
        rc = put_record(r, &r->master, r->f, cols, 1);
    if (rc == 0 && !p->o.dynamic_passcode) {
        rc = mfab_mfg__codes(p, dev->passcode, dev->discriminator, qr, manual,
                             fmt, r->diag);
        snprintf(pass, sizeof(pass), "%u", dev->passcode);
        field(&r->f[cols++], pass);
        field(&r->f[cols++], qr);
        field(&r->f[cols++], fmt);
    }
    if (p->sc_comm) {
        snprintf(disc, sizeof(disc), "%u", dev->discriminator);
        snprintf(iter, sizeof(iter), "%u", dev->iterations);
        field(&r->f[cols++], disc);
        field(&r->f[cols++], iter);
        field(&r->f[cols++], dev->salt_b64);
    }
    if (p->sc_rd)
        field(&r->f[cols++], dev->rd_id_uid_hex);
    if (rc == 0 && p->sc_comm && !p->o.dynamic_passcode) {
        rc = sc_verifier(r, dev->uuid, ver_b64, sizeof(ver_b64));
        verifier = ver_b64;
    }
    if (rc == 0)
        rc = put_record(r, &r->summary, r->f, cols, 0);
    if (rc == 0 && p->o.dynamic_passcode)
        snprintf(line, sizeof(line), "%llu,%u,%s,%u\n",
                 (unsigned long long)dev->index, dev->iterations, dev->salt_b64,
                 dev->discriminator);
    else if (rc == 0)
        snprintf(line, sizeof(line), "%llu,%u,%u,%s,%s,%u\n",
                 (unsigned long long)dev->index, dev->passcode, dev->iterations,
                 dev->salt_b64, verifier, dev->discriminator);
    if (rc == 0)
        rc = put_text(&r->pin, line, r->diag);
    if (rc == 0 && p->has_dac)
        rc = cn_row(r, dev);
    return rc;
}

/* The pipe's consumer: rows, then the buffer is released. */
static int
write_rows(void *ctx, void *slot, mfab_diag *diag)
{
    report *r = ctx;
    fetched *f = slot;
    int rc = 0;

    if (diag != NULL) {
        r->diag = diag;
        rc = device_rows(r, f);
    }
    mfab_file_free(f->csv, f->csv_len);
    free(f->dac);
    return rc;
}

/*
 * Every device's rows, in ledger order. Reading the device files (open,
 * read, close) is half the work: partition.csv is read on the calling
 * thread while a second one reads the DAC certificate, formats and
 * writes, so that this serial end of a batch uses both cores.
 */
static int
all_rows(report *r, mfab_ledger *ledger, int64_t batch_id, mfab_diag *diag)
{
    int rc, frc;

    rc = mfab_batch_pipe_start(&r->pipe, FETCH_SLOTS, sizeof(fetched),
                               write_rows, r, diag);
    if (rc < 0)
        return rc;
    r->read_diag = diag;
    rc = mfab_ledger_device_each(ledger, batch_id, fetch, r, diag);
    frc = mfab_batch_pipe_finish(r->pipe, diag);
    r->pipe = NULL;
    r->diag = diag;
    if (rc == 0 || r->writer_failed)
        rc = frc;
    return rc;
}

static int
open_all(report *r, const char *staging, const char *summary, const char *cn,
         mfab_diag *diag)
{
    char path[MFG_PATH_MAX];
    int rc;

    r->master.fd = r->pin.fd = r->summary.fd = r->cn.fd = -1;
    rc = mfab_path_join(path, sizeof(path), staging, "master.csv");
    if (rc == 0)
        rc = mfab_file_stream_open(&r->master, path, MFAB_MODE_SECRET, diag);
    if (rc == 0)
        rc = mfab_path_join(path, sizeof(path), staging, "pin_disc.csv");
    if (rc == 0)
        rc = mfab_file_stream_open(&r->pin, path, MFAB_MODE_SECRET, diag);
    if (rc == 0)
        rc =
            mfab_file_stream_open(&r->summary, summary, MFAB_MODE_SECRET, diag);
    if (rc == 0)
        rc = mfab_file_stream_open(&r->cn, cn, MFAB_MODE_PUBLIC, diag);
    return rc;
}

static void
abort_all(report *r)
{
    mfab_file_stream_abort(&r->master);
    mfab_file_stream_abort(&r->pin);
    mfab_file_stream_abort(&r->summary);
    mfab_file_stream_abort(&r->cn);
}

static int
record(const mfab_mfg_plan *p, mfab_ledger *ledger, int64_t batch_id,
       const char *const *paths, size_t n, mfab_diag *diag)
{
    mfab_ledger_file files[8];
    size_t i, base = strlen(p->outdir) + 1;
    int rc = 0;

    for (i = 0; rc == 0 && i < n; i++) {
        files[i].path = paths[i] + base;
        rc = mfab_file_sha256(files[i].sha256, &files[i].size, paths[i], diag);
    }
    if (rc == 0)
        rc = mfab_ledger_batch_files(ledger, batch_id, files, n, diag);
    return rc;
}

/* see mfg_internal.h */
int
mfab_mfg__write_reports(const mfab_mfg_plan *p, mfab_ledger *ledger,
                        int64_t batch_id, mfg_spill *spill,
                        mfab_mfg_result *res, mfab_diag *diag)
{
    char staging[MFG_PATH_MAX], stamp[64], paths[5][MFG_PATH_MAX];
    const char *list[5];
    struct timeval tv;
    struct tm tm;
    report r;
    size_t i;
    int rc;

    memset(&r, 0, sizeof(r));
    r.p = p;
    r.diag = diag;
    r.spill = spill;
    r.product_fd = open(p->product, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (r.product_fd < 0)
        return mfab_diag_set(diag, MFAB_EIO, "cannot open '%s': %s", p->product,
                             strerror(errno));
    gettimeofday(&tv, NULL);
    localtime_r(&tv.tv_sec, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%d-%H-%M-%S", &tm);
    (void)mfab_mfg__path(staging, sizeof(staging), "%s/staging", p->product);
    (void)mfab_mfg__path(res->summary, sizeof(res->summary),
                         "%s/summary-%s.csv", p->product, stamp);
    (void)mfab_mfg__path(res->cn_dacs, sizeof(res->cn_dacs),
                         "%s/cn_dacs-%s-%06ld.csv", p->product, stamp,
                         (long)tv.tv_usec);
    rc = mfab_mkdir_p(staging, 0755, diag);
    if (rc == 0)
        rc = write_config(p, staging, diag);
    (void)mfab_mfg__path(paths[0], sizeof(paths[0]), "%s/pai_cert.der",
                         staging);
    if (rc == 0 && p->has_dac)
        rc = mfab_file_write_atomic(paths[0], p->pai_der, p->pai_der_len,
                                    MFAB_MODE_PUBLIC, diag);
    r.row_cap = 2 * p->csv_cap + 8192;
    r.row = malloc(r.row_cap);
    r.f = calloc(MAX_COLS, sizeof(*r.f));
    if (rc == 0 && (r.row == NULL || r.f == NULL))
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    if (rc == 0)
        rc = open_all(&r, staging, res->summary, res->cn_dacs, diag);
    if (rc == 0)
        rc = headers(&r);
    if (rc == 0)
        rc = all_rows(&r, ledger, batch_id, diag);
    if (rc == 0)
        rc = mfab_file_stream_commit(&r.master, diag);
    if (rc == 0)
        rc = mfab_file_stream_commit(&r.pin, diag);
    if (rc == 0)
        rc = mfab_file_stream_commit(&r.summary, diag);
    if (rc == 0)
        rc = mfab_file_stream_commit(&r.cn, diag);
    abort_all(&r);
    close(r.product_fd);
    free(r.row);
    free(r.f);
    if (rc < 0)
        return rc;
    (void)mfab_mfg__path(paths[1], sizeof(paths[1]), "%s/config.csv", staging);
    (void)mfab_mfg__path(paths[2], sizeof(paths[2]), "%s/master.csv", staging);
    (void)mfab_mfg__path(paths[3], sizeof(paths[3]), "%s/pin_disc.csv",
                         staging);
    for (i = 0; i < 4; i++)
        list[i] = paths[i];
    list[4] = res->summary;
    rc = record(p, ledger, batch_id, p->has_dac ? list : list + 1,
                p->has_dac ? 5 : 4, diag);
    if (rc == 0 && p->o.paa) {
        char pai[2][MFG_PATH_MAX + 32];
        const char *both[2] = {pai[0], pai[1]};
        rc = mfab_mfg__write_pai_files(p, staging, pai, diag);
        if (rc == 0)
            rc = record(p, ledger, batch_id, both, 2, diag);
    }
    if (rc == 0)
        rc = record(p, ledger, batch_id, (const char *const[]){res->cn_dacs}, 1,
                    diag);
    return rc;
}
