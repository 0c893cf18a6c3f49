/*
 * mfg_run.c: a batch of devices on mfab_batch_run with the ledger.
 *
 *   workers   make a device in their slot and write its folder
 *   commit    one ledger row per device, inside the open group
 *   flush     syncfs, then the group's transaction: a row is durable only
 *             after its files are
 *   end       per-run files, recorded as batch files; batch complete
 *
 * Resume finishes a batch: the indexes it has are skipped, folders it
 * does not know (".part" leftovers, complete folders whose row was lost)
 * are removed first, and in deterministic mode each remaining index gets
 * exactly the values an uninterrupted run would have given it.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/batch.h"
#include "matterfab/io.h"
#include "matterfab/spake2p.h"
#include "mfg/mfg_internal.h"

typedef struct run_ctx {
    mfab_mfg_plan *p;
    mfab_ledger *ledger;
    int64_t batch_id;
    uint8_t *done; /* bitmap of indexes the batch has (resume) */
    int group_open;
    uint64_t commits;
    uint64_t stop_after;
    volatile sig_atomic_t *stop;
    const mfab_mfg_run_options *ro;
    mfg_spill spill; /* report inputs of this run's devices */
} run_ctx;

static int
make(void *ctx, unsigned worker, const uint64_t *indexes, void *const *slots,
     size_t n, mfab_diag *diag)
{
    run_ctx *c = ctx;
    mfg_device *d[MFAB_MFG_GROUP_MAX] = { 0 };
    size_t i;
    int rc;

    (void)worker;
    if (n > MFAB_MFG_GROUP_MAX)
        return mfab_diag_set(diag, MFAB_EINVAL, "a group of %zu devices "
                             "(at most %d)", n, MFAB_MFG_GROUP_MAX);
    for (i = 0; i < n; i++)
        d[i] = slots[i];
    rc = mfab_mfg__make_devices(c->p, d, indexes, n, diag);
    for (i = 0; i < n && rc == 0; i++)
        rc = mfab_mfg__write_device(c->p, d[i], diag);
    return rc;
}

static int
commit(void *ctx, uint64_t index, void *slot, mfab_diag *diag)
{
    run_ctx *c = ctx;
    mfg_device *d = slot;
    mfab_ledger_file files[MFG_FILES_MAX];
    char rel[MFG_FILES_MAX][256];
    mfab_ledger_device dev;
    size_t i;
    int rc = 0;

    if (!c->group_open) {
        rc = mfab_ledger_group_begin(c->ledger, diag);
        if (rc < 0)
            return rc;
        c->group_open = 1;
    }
    for (i = 0; i < d->n_files; i++) {
        (void)mfab_mfg__path(rel[i], sizeof(rel[i]), "%s/%s/%s",
                             c->p->product_name, d->uuid, d->files[i].rel);
        files[i].path = rel[i];
        memcpy(files[i].sha256, d->sha[i], 32);
        files[i].size = d->files[i].len;
    }
    memset(&dev, 0, sizeof(dev));
    dev.batch_id = c->batch_id;
    dev.index = index;
    dev.uuid = d->uuid;
    dev.serial_num = d->serial;
    dev.discriminator = d->discriminator;
    dev.passcode = c->p->o.dynamic_passcode ? 0 : d->passcode;
    dev.salt_b64 = d->salt_b64;
    dev.iterations = d->iterations;
    dev.dac_serial_hex = d->dac_der_len > 0 ? d->dac_serial_hex : NULL;
    dev.dac_pubkey_sha256_hex = d->dac_der_len > 0 ? d->dac_pub_sha_hex : NULL;
    dev.rd_id_uid_hex = d->rd_hex[0] ? d->rd_hex : NULL;
    rc = mfab_ledger_device_commit(c->ledger, &dev, files, d->n_files, diag);
    if (rc < 0) {
        char dir[MFG_PATH_MAX];
        (void)mfab_mfg__path(dir, sizeof(dir), "%s/%s", c->p->product, d->uuid);
        (void)mfab_mfg__remove_tree(dir, NULL); /* never an unrecorded one */
        return rc;
    }
    mfab_mfg__spill_put(&c->spill, index, d);
    c->commits++;
    if (c->stop_after != 0 && c->commits >= c->stop_after)
        *c->stop = 1;
    return 0;
}

static int
flush(void *ctx, mfab_diag *diag)
{
    run_ctx *c = ctx;
    int rc;

    if (!c->group_open)
        return 0;
    rc = mfab_sync_fs(c->p->product, diag);
    if (rc < 0) {
        mfab_ledger_group_rollback(c->ledger);
        c->group_open = 0;
        return rc;
    }
    c->group_open = 0;
    return mfab_ledger_group_commit(c->ledger, diag);
}

static int
is_done(void *ctx, uint64_t index)
{
    run_ctx *c = ctx;

    return c->done != NULL && (c->done[index / 8] >> (index % 8)) & 1;
}

static void
progress(void *ctx, uint64_t committed, uint64_t to_make)
{
    run_ctx *c = ctx;

    if (c->ro->progress != NULL)
        c->ro->progress(c->ro->progress_ctx, committed, to_make);
}

typedef struct resume_check {
    const mfab_mfg_plan *p;
    const char *options_json;
    int status;
    int bad;
    char why[256];
} resume_check;

static int
check_batch(void *ctx, const mfab_ledger_batch *b)
{
    resume_check *r = ctx;

    r->status = (int)b->status;
    if (strcmp(b->outdir, r->p->outdir) != 0)
        snprintf(r->why, sizeof(r->why), "its output folder is '%s'",
                 b->outdir);
    else if (strcmp(b->inputs_json, r->p->inputs_json) != 0)
        snprintf(r->why, sizeof(r->why),
                 "an input file changed since it started");
    else if (b->device_count != r->p->count)
        snprintf(r->why, sizeof(r->why), "it makes %llu devices, not %llu",
                 (unsigned long long)b->device_count,
                 (unsigned long long)r->p->count);
    else
        return 0;
    r->bad = 1;
    return 0;
}

static int
mark_done(void *ctx, const mfab_ledger_device *dev)
{
    run_ctx *c = ctx;

    if (dev->index < c->p->count)
        c->done[dev->index / 8] |= (uint8_t)(1u << (dev->index % 8));
    return 0;
}

static int
found(void *ctx, const mfab_ledger_device *dev)
{
    (void)ctx;
    (void)dev;
    return 0;
}

/* Temporary files of a killed atomic write: ".<name>.XXXXXX". */
static int
remove_temps(const char *folder, mfab_diag *diag)
{
    char path[MFG_PATH_MAX];
    struct dirent *e;
    DIR *dir = opendir(folder);
    int rc = 0;

    if (dir == NULL)
        return 0;
    while (rc == 0 && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] != '.' || e->d_type != DT_REG)
            continue;
        rc = mfab_path_join(path, sizeof(path), folder, e->d_name);
        if (rc == 0)
            rc = mfab_mfg__remove_tree(path, diag);
    }
    closedir(dir);
    return rc;
}

/* Remove device folders the ledger does not know (resume). */
static int
remove_orphans(run_ctx *c, mfab_diag *diag)
{
    char path[MFG_PATH_MAX];
    struct dirent *e;
    DIR *dir = opendir(c->p->product);
    int rc = 0;

    if (dir == NULL)
        return 0;
    rc = remove_temps(c->p->product, diag);
    if (rc == 0 &&
        mfab_path_join(path, sizeof(path), c->p->product, "staging") == 0)
        rc = remove_temps(path, diag);
    while (rc == 0 && (e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        int orphan = 0;

        if (len > 5 && e->d_name[0] == '.' &&
            strcmp(e->d_name + len - 5, ".part") == 0)
            orphan = 1;
        else if (len == MFG_UUID_LEN && e->d_name[8] == '-' &&
                 mfab_ledger_device_find(c->ledger, e->d_name, found, NULL,
                                         NULL) == MFAB_ENOTFOUND)
            orphan = 1;
        if (!orphan)
            continue;
        rc = mfab_path_join(path, sizeof(path), c->p->product, e->d_name);
        if (rc == 0)
            rc = mfab_mfg__remove_tree(path, diag);
    }
    closedir(dir);
    return rc;
}

static int
start_batch(run_ctx *c, const mfab_mfg_run_options *ro, mfab_mfg_result *res,
            mfab_diag *diag)
{
    mfab_ledger_batch b;
    resume_check rchk;
    int rc;

    if (ro->resume <= 0) {
        memset(&b, 0, sizeof(b));
        b.outdir = c->p->outdir;
        b.options_json = ro->options_json ? ro->options_json : "{}";
        b.inputs_json = c->p->inputs_json;
        b.device_count = c->p->count;
        return mfab_ledger_batch_begin(c->ledger, &c->batch_id, &b, diag);
    }
    memset(&rchk, 0, sizeof(rchk));
    rchk.p = c->p;
    rc =
        mfab_ledger_batch_each(c->ledger, ro->resume, check_batch, &rchk, diag);
    if (rc < 0)
        return rc;
    if (rchk.bad)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--resume %lld: cannot finish this batch here: "
                             "%s",
                             (long long)ro->resume, rchk.why);
    if (rchk.status == MFAB_LEDGER_BATCH_COMPLETE)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--resume %lld: the batch is complete already",
                             (long long)ro->resume);
    c->batch_id = ro->resume;
    c->done = calloc((size_t)(c->p->count / 8 + 1), 1);
    if (c->done == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    rc = mfab_ledger_device_each(c->ledger, c->batch_id, mark_done, c, diag);
    if (rc == 0)
        rc = remove_orphans(c, diag);
    (void)res;
    return rc;
}

/* see matterfab/mfg.h */
int
mfab_mfg_run(mfab_mfg_result *out, mfab_mfg_plan *plan,
             const mfab_mfg_run_options *ropts, mfab_diag *diag)
{
    mfab_batch_options bo = MFAB_BATCH_OPTIONS_INIT;
    mfab_batch_ops ops;
    mfab_batch_stats st;
    volatile sig_atomic_t local_stop = 0;
    char ledger_path[MFG_PATH_MAX];
    run_ctx c;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    memset(&st, 0, sizeof(st));
    c.p = plan;
    c.ro = ropts;
    c.spill.data_fd = c.spill.place_fd = -1;
    c.stop = ropts->stop != NULL ? ropts->stop : &local_stop;
    c.stop_after = ropts->stop_after;
    out->total = plan->count;
    rc = mfab_mkdir_p(plan->product, 0755, diag);
    if (rc < 0)
        return rc;
    if (ropts->ledger != NULL)
        snprintf(ledger_path, sizeof(ledger_path), "%s", ropts->ledger);
    else
        (void)mfab_mfg__path(ledger_path, sizeof(ledger_path),
                             "%s/ledger.sqlite", plan->outdir);
    rc = mfab_ledger_open(&c.ledger, ledger_path, diag);
    if (rc == 0)
        rc = start_batch(&c, ropts, out, diag);
    if (rc < 0)
        goto out;
    out->batch_id = c.batch_id;
    memset(&ops, 0, sizeof(ops));
    ops.make = make;
    ops.commit = commit;
    ops.flush = flush;
    ops.is_done = is_done;
    ops.progress = progress;
    bo.count = plan->count;
    bo.workers = ropts->jobs ? ropts->jobs : mfab_batch_cpu_count();
    if (bo.workers > MFAB_BATCH_MAX_WORKERS)
        bo.workers = MFAB_BATCH_MAX_WORKERS;
    bo.slot_size = mfab_mfg__slot_size(plan);
    /* the image, scratch and CSV buffers are written before they are read */
    bo.slot_clear = sizeof(mfg_device);
    /* devices in groups whose verifiers fill the CPU's widest PBKDF2 */
    bo.group = mfab_spake2p_verifier_batch();
    if (bo.group > MFAB_MFG_GROUP_MAX)
        bo.group = MFAB_MFG_GROUP_MAX;
    /* the committing thread wakes per half ring: a deeper ring records
     * devices in larger runs with fewer context switches, and leaves each
     * worker a whole group of free slots (fixed memory, about 100 KB a
     * slot) */
    bo.slots = 4 * bo.group * (size_t)bo.workers;
    if (bo.slots < 8 * (size_t)bo.workers)
        bo.slots = 8 * (size_t)bo.workers;
    bo.stop = c.stop;
    mfab_mfg__spill_open(&c.spill, plan->product);
    rc = mfab_batch_run(&st, &bo, &ops, &c, diag);
    if (c.group_open) {
        int frc = flush(&c, rc < 0 ? NULL : diag);
        if (rc == 0)
            rc = frc;
    }
    out->made = st.committed;
    out->skipped = st.skipped;
    out->stopped = st.stopped;
    if (rc == 0 && !st.stopped)
        rc = mfab_mfg__write_reports(plan, c.ledger, c.batch_id, &c.spill, out,
                                     diag);
    if (c.batch_id > 0)
        (void)mfab_ledger_batch_end(c.ledger, c.batch_id,
                                    rc < 0       ? MFAB_LEDGER_BATCH_FAILED
                                    : st.stopped ? MFAB_LEDGER_BATCH_INTERRUPTED
                                                 : MFAB_LEDGER_BATCH_COMPLETE,
                                    NULL);
out:
    mfab_mfg__spill_close(&c.spill);
    free(c.done);
    mfab_ledger_free(c.ledger);
    return rc;
}
