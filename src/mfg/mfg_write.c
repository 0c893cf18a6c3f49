/*
 * mfg_write.c: a device folder appears complete or not at all. Its files
 * are written into "<product>/.<uuid>.part/" and the folder is renamed to
 * "<uuid>" last; durability comes from the batch flush (one syncfs per
 * group, then the ledger rows), so a crash leaves at most a ".part"
 * folder or a complete folder without a ledger row, both removed by a
 * resume.
 */
#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/common_internal.h"
#include "matterfab/io.h"
#include "mfg/mfg_internal.h"

/* see mfg_internal.h */
int
mfab_mfg__path(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(out, cap, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= cap) {
        if (cap > 0)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

/* see mfg_internal.h */
int
mfab_mfg__remove_tree(const char *path, mfab_diag *diag)
{
    char child[MFG_PATH_MAX];
    struct dirent *e;
    struct stat st;
    DIR *dir;
    int rc = 0;

    if (lstat(path, &st) != 0)
        return errno == ENOENT
                   ? 0
                   : mfab_diag_set(diag, MFAB_EIO, "cannot remove '%s': %s",
                                   path, strerror(errno));
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0)
            return mfab_diag_set(diag, MFAB_EIO, "cannot remove '%s': %s", path,
                                 strerror(errno));
        return 0;
    }
    dir = opendir(path);
    if (dir == NULL)
        return mfab_diag_set(diag, MFAB_EIO, "cannot open '%s': %s", path,
                             strerror(errno));
    while (rc == 0 && (e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (mfab_path_join(child, sizeof(child), path, e->d_name) != 0)
            rc = mfab_diag_set(diag, MFAB_EIO, "path too long in '%s'", path);
        else
            rc = mfab_mfg__remove_tree(child, diag);
    }
    closedir(dir);
    if (rc == 0 && rmdir(path) != 0)
        rc = mfab_diag_set(diag, MFAB_EIO, "cannot remove '%s': %s", path,
                           strerror(errno));
    return rc;
}

/* The ".part" folder and its "internal" folder, new; a leftover of the
 * same name (a killed write that no resume cleaned) is removed first. */
static int
make_part(const char *part, mfab_diag *diag)
{
    char internal[MFG_PATH_MAX];
    int rc = mfab_path_join(internal, sizeof(internal), part, "internal");

    if (rc != 0)
        return mfab_diag_set(diag, MFAB_EIO, "output path too long");
    if (mkdir(part, 0755) != 0) {
        if (errno != EEXIST)
            return mfab_diag_set(diag, MFAB_EIO,
                                 "cannot create folder '%s': %s", part,
                                 strerror(errno));
        rc = mfab_mfg__remove_tree(part, diag);
        if (rc == 0 && mkdir(part, 0755) != 0)
            rc = mfab_diag_set(diag, MFAB_EIO, "cannot create folder '%s': %s",
                               part, strerror(errno));
    }
    if (rc == 0 && mkdir(internal, 0755) != 0)
        rc = mfab_diag_set(diag, MFAB_EIO, "cannot create folder '%s': %s",
                           internal, strerror(errno));
    return rc;
}

/* Publish part as final. A folder already named final is an orphan of
 * an interrupted run: rename() replaces it only when empty, so it is
 * removed and the rename tried again. */
static int
publish(const char *part, const char *final, mfab_diag *diag)
{
    int rc;

    if (rename(part, final) == 0)
        return 0;
    if (errno != ENOTEMPTY && errno != EEXIST && errno != ENOTDIR &&
        errno != EISDIR)
        return mfab_diag_set(diag, MFAB_EIO, "cannot rename '%s' to '%s': %s",
                             part, final, strerror(errno));
    rc = mfab_mfg__remove_tree(final, diag);
    if (rc == 0 && rename(part, final) != 0)
        rc = mfab_diag_set(diag, MFAB_EIO, "cannot rename '%s' to '%s': %s",
                           part, final, strerror(errno));
    return rc;
}

/* see mfg_internal.h */
int
mfab_mfg__write_device(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    char part[MFG_PATH_MAX], final[MFG_PATH_MAX];
    size_t i;
    int dirfd = -1, rc;

    if (mfab_mfg__path(part, sizeof(part), "%s/.%s.part", p->product, d->uuid) <
            0 ||
        mfab_mfg__path(final, sizeof(final), "%s/%s", p->product, d->uuid) < 0)
        return mfab_diag_set(diag, MFAB_EIO, "output path too long");
    rc = make_part(part, diag);
    if (rc == 0) {
        /* names relative to the folder: no path walk per file */
        dirfd = open(part, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dirfd < 0)
            rc = mfab_diag_set(diag, MFAB_EIO, "cannot open '%s': %s", part,
                               strerror(errno));
    }
    for (i = 0; rc == 0 && i < d->n_files; i++)
        rc = mfab_file_put_at(
            dirfd, part, d->files[i].rel, d->files[i].data, d->files[i].len,
            d->files[i].secret ? MFAB_MODE_SECRET : MFAB_MODE_PUBLIC, diag);
    if (dirfd >= 0)
        close(dirfd);
    if (rc == 0)
        rc = publish(part, final, diag);
    if (rc < 0)
        (void)mfab_mfg__remove_tree(part, NULL);
    return rc;
}
