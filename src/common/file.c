/*
 * file.c: whole-file reads and atomic writes (see matterfab/io.h).
 *
 * Atomic write protocol: create "<dir>/.<name>.XXXXXX" with mkstemp, write
 * everything, fchmod to the wanted mode, fsync, rename over the final name,
 * fsync the folder. Any failure unlinks the temporary file.
 */
#define _GNU_SOURCE /* syncfs */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "matterfab/error.h"
#include "matterfab/io.h"

/* see matterfab/io.h */
int
mfab_file_read(uint8_t **out, size_t *out_len, const char *path,
               mfab_diag *diag)
{
    return mfab_file_read_at(out, out_len, AT_FDCWD, NULL, path, diag);
}

/* see matterfab/io.h */
int
mfab_file_read_at(uint8_t **out, size_t *out_len, int dirfd, const char *dir,
                  const char *name, mfab_diag *diag)
{
    char shown[4096];
    const char *path = shown;
    struct stat st;
    uint8_t *buf = NULL;
    size_t cap, len = 0;
    int fd, rc = 0;

    *out = NULL;
    *out_len = 0;
    if (dir != NULL)
        snprintf(shown, sizeof(shown), "%s/%s", dir, name);
    else
        path = name;
    fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return mfab_diag_set(diag, MFAB_ENOTFOUND,
                                 "cannot open '%s': no such file", path);
        return mfab_diag_set(diag, MFAB_EIO, "cannot open '%s': %s", path,
                             strerror(errno));
    }
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        rc = mfab_diag_set(diag, MFAB_EIO, "cannot read '%s': %s", path,
                           S_ISDIR(st.st_mode) ? "is a folder"
                                               : strerror(errno));
        goto out;
    }
    /* room for the NUL and one byte more, so that a file of the size
     * fstat gave is read with no realloc (the last read returns 0) */
    cap = st.st_size > 0 ? (size_t)st.st_size + 2 : 4096;
    buf = malloc(cap);
    if (buf == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "cannot read '%s': out of memory",
                           path);
        goto out;
    }
    for (;;) {
        ssize_t n;

        if (len + 1 >= cap) {
            uint8_t *bigger = realloc(buf, cap * 2);
            if (bigger == NULL) {
                rc = mfab_diag_set(diag, MFAB_ENOMEM,
                                   "cannot read '%s': out of memory", path);
                goto out;
            }
            buf = bigger;
            cap *= 2;
        }
        n = read(fd, buf + len, cap - 1 - len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            rc = mfab_diag_set(diag, MFAB_EIO, "cannot read '%s': %s", path,
                               strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}

/* see matterfab/io.h */
void
mfab_file_free(uint8_t *buf, size_t len)
{
    if (buf == NULL)
        return;
    OPENSSL_cleanse(buf, len);
    free(buf);
}

static int
write_all(int fd, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static void
fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

/* see matterfab/io.h */
int
mfab_file_stream_open(mfab_file_stream *out, const char *path, mode_t mode,
                      mfab_diag *diag)
{
    const char *slash, *base;

    out->fd = -1;
    out->buffered = 0;
    slash = strrchr(path, '/');
    if (slash == NULL) {
        snprintf(out->dir, sizeof(out->dir), ".");
        base = path;
    } else if (slash == path) {
        snprintf(out->dir, sizeof(out->dir), "/");
        base = slash + 1;
    } else {
        snprintf(out->dir, sizeof(out->dir), "%.*s", (int)(slash - path),
                 path);
        base = slash + 1;
    }
    if (*base == '\0' ||
        (size_t)snprintf(out->path, sizeof(out->path), "%s", path) >=
            sizeof(out->path) ||
        (size_t)snprintf(out->tmp, sizeof(out->tmp), "%s/.%s.XXXXXX",
                         out->dir, base) >= sizeof(out->tmp))
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s': bad path",
                             path);
    out->fd = mkstemp(out->tmp);
    if (out->fd < 0)
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s': %s", path,
                             strerror(errno));
    if (fchmod(out->fd, mode) != 0) {
        int err = errno;
        mfab_file_stream_abort(out);
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s': %s", path,
                             strerror(err));
    }
    return 0;
}

/* Write the buffered bytes, then len bytes of data (none: NULL, 0). */
static int
stream_drain(mfab_file_stream *s, const void *data, size_t len, mfab_diag *diag)
{
    if (s->fd < 0 || write_all(s->fd, s->buf, s->buffered) != 0 ||
        write_all(s->fd, data, len) != 0) {
        int err = s->fd < 0 ? EBADF : errno;
        mfab_file_stream_abort(s);
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s': %s", s->path,
                             strerror(err));
    }
    s->buffered = 0;
    return 0;
}

/* see matterfab/io.h */
int
mfab_file_stream_write(mfab_file_stream *s, const void *data, size_t len,
                       mfab_diag *diag)
{
    if (s->fd >= 0 && len <= sizeof(s->buf) - s->buffered) {
        if (len > 0)
            memcpy(s->buf + s->buffered, data, len);
        s->buffered += len;
        return 0;
    }
    return stream_drain(s, data, len, diag);
}

static int
stream_finish(mfab_file_stream *s, int sync, mfab_diag *diag)
{
    int err;

    if (s->fd < 0)
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s'", s->path);
    if (s->buffered > 0 && stream_drain(s, NULL, 0, diag) < 0)
        return MFAB_EIO;
    if (sync && fsync(s->fd) != 0) {
        err = errno;
        mfab_file_stream_abort(s);
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s': %s", s->path,
                             strerror(err));
    }
    err = close(s->fd) != 0 ? errno : 0;
    s->fd = -1;
    if (err == 0 && rename(s->tmp, s->path) != 0)
        err = errno;
    if (err != 0) {
        unlink(s->tmp);
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s': %s", s->path,
                             strerror(err));
    }
    if (sync)
        fsync_dir(s->dir);
    return 0;
}

/* see matterfab/io.h */
int
mfab_file_stream_commit(mfab_file_stream *s, mfab_diag *diag)
{
    return stream_finish(s, 1, diag);
}

/* see matterfab/io.h */
void
mfab_file_stream_abort(mfab_file_stream *s)
{
    if (s->fd >= 0) {
        close(s->fd);
        unlink(s->tmp);
    }
    s->fd = -1;
    s->buffered = 0;
}

static int
write_atomic(const char *path, const void *data, size_t len, mode_t mode,
             int sync, mfab_diag *diag)
{
    mfab_file_stream s;
    int rc = mfab_file_stream_open(&s, path, mode, diag);

    if (rc == 0)
        rc = mfab_file_stream_write(&s, data, len, diag);
    if (rc == 0)
        rc = stream_finish(&s, sync, diag);
    return rc;
}

/* see matterfab/io.h */
int
mfab_file_write_atomic(const char *path, const void *data, size_t len,
                       mode_t mode, mfab_diag *diag)
{
    return write_atomic(path, data, len, mode, 1, diag);
}

/* see matterfab/io.h */
int
mfab_file_write_atomic_nosync(const char *path, const void *data,
                              size_t len, mode_t mode, mfab_diag *diag)
{
    return write_atomic(path, data, len, mode, 0, diag);
}

/* see matterfab/io.h */
int
mfab_file_put_at(int dirfd, const char *dir, const char *name, const void *data,
                 size_t len, mode_t mode, mfab_diag *diag)
{
    int fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    int err = 0;

    if (fd < 0)
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s/%s': %s", dir,
                             name, strerror(errno));
    if (write_all(fd, data, len) != 0)
        err = errno;
    if (close(fd) != 0 && err == 0)
        err = errno;
    if (err != 0)
        return mfab_diag_set(diag, MFAB_EIO, "cannot write '%s/%s': %s", dir,
                             name, strerror(err));
    return 0;
}

/* see matterfab/io.h */
int
mfab_sync_fs(const char *path, mfab_diag *diag)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int err;

    if (fd < 0)
        return mfab_diag_set(diag, MFAB_EIO, "cannot sync '%s': %s", path,
                             strerror(errno));
    if (syncfs(fd) != 0) {
        err = errno;
        close(fd);
        return mfab_diag_set(diag, MFAB_EIO, "cannot sync '%s': %s", path,
                             strerror(err));
    }
    close(fd);
    return 0;
}

/* see matterfab/io.h */
int
mfab_mkdir_p(const char *path, mode_t mode, mfab_diag *diag)
{
    char buf[4096];
    size_t i, len = strlen(path);

    if (len == 0)
        return 0;
    if (len >= sizeof(buf))
        return mfab_diag_set(diag, MFAB_EIO, "cannot create '%s': path too long",
                             path);
    memcpy(buf, path, len + 1);
    for (i = 1; i <= len; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, mode) != 0 && errno != EEXIST)
            return mfab_diag_set(diag, MFAB_EIO, "cannot create folder '%s': %s",
                                 buf, strerror(errno));
        buf[i] = path[i];
    }
    return 0;
}

/* see matterfab/io.h */
int
mfab_path_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* see matterfab/io.h */
int
mfab_path_join(char *out, size_t cap, const char *dir, const char *name)
{
    int n;

    if (dir == NULL || dir[0] == '\0')
        n = snprintf(out, cap, "%s", name);
    else if (dir[strlen(dir) - 1] == '/')
        n = snprintf(out, cap, "%s%s", dir, name);
    else
        n = snprintf(out, cap, "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= cap)
        return MFAB_ERANGE;
    return 0;
}
