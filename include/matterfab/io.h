/*
 * matterfab/io.h: whole-file reads and crash-safe writes.
 *
 * Every output matterfab produces goes through mfab_file_write_atomic():
 * the bytes land in a temporary file in the destination folder, are
 * fsync'ed, and only then renamed over the final name, so a failed or
 * killed run never leaves a half-written output behind.
 */
#ifndef MATTERFAB_IO_H
#define MATTERFAB_IO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

/** File mode for outputs that hold no secret. */
#define MFAB_MODE_PUBLIC 0644
/** File mode for private keys and key partitions. */
#define MFAB_MODE_SECRET 0600

/**
 * Read a whole file.
 * @param[out] out   caller frees with mfab_file_free() (a NUL byte follows
 *                   the data so text can be used as a C string)
 * @param[out] out_len number of bytes read
 * @return 0, MFAB_ENOTFOUND (no such file), MFAB_EIO, MFAB_ENOMEM
 */
int mfab_file_read(uint8_t **out, size_t *out_len, const char *path,
                   mfab_diag *diag);

/**
 * Same, for name relative to the folder open as dirfd (AT_FDCWD: the
 * current folder): one short path walk instead of the whole path, for
 * readers of many files in one tree. dir names the folder in messages
 * (NULL: name alone).
 */
int mfab_file_read_at(uint8_t **out, size_t *out_len, int dirfd,
                      const char *dir, const char *name, mfab_diag *diag);

/** Free a buffer from mfab_file_read(), wiping it first. NULL is a no-op. */
void mfab_file_free(uint8_t *buf, size_t len);

/**
 * Write len bytes to path atomically (temp file, fsync, rename, fsync of
 * the folder) with the given mode. An existing file is replaced.
 * @return 0, MFAB_EIO
 */
int mfab_file_write_atomic(const char *path, const void *data, size_t len,
                           mode_t mode, mfab_diag *diag);

/**
 * Same, without the fsyncs: the file appears complete or not at all, but
 * is durable only after mfab_sync_fs(). For writers of many files that
 * make a whole group durable with one sync (batch flushes).
 * @return 0, MFAB_EIO
 */
int mfab_file_write_atomic_nosync(const char *path, const void *data,
                                  size_t len, mode_t mode, mfab_diag *diag);

/**
 * A new file name in the folder open as dirfd, with one open, write and
 * close: no temporary and no sync, for files inside a private folder that
 * a rename publishes as a whole (batch device folders; durable after
 * mfab_sync_fs()). An existing file is an error. dir names the folder in
 * messages.
 * @return 0, MFAB_EIO
 */
int mfab_file_put_at(int dirfd, const char *dir, const char *name,
                     const void *data, size_t len, mode_t mode,
                     mfab_diag *diag);

/**
 * A file written piece by piece with the same guarantee as
 * mfab_file_write_atomic(): it appears at path, complete, only on commit.
 * For outputs too large to hold in memory (per-run CSVs of big batches).
 */
typedef struct mfab_file_stream {
    int fd;
    char path[4096];
    char tmp[4096];
    char dir[4096];
    /* small writes (one CSV row each) gather here: one write(2) per
     * buffer, not per row */
    size_t buffered;
    unsigned char buf[16384];
} mfab_file_stream;

/** Open a temporary file next to path with mode. @return 0, MFAB_EIO */
int mfab_file_stream_open(mfab_file_stream *out, const char *path,
                          mode_t mode, mfab_diag *diag);

/** Append bytes; on failure the stream is aborted. @return 0, MFAB_EIO */
int mfab_file_stream_write(mfab_file_stream *s, const void *data, size_t len,
                           mfab_diag *diag);

/** fsync, rename over path, fsync the folder. @return 0, MFAB_EIO */
int mfab_file_stream_commit(mfab_file_stream *s, mfab_diag *diag);

/** Drop the temporary file; path is left as it was. Idempotent. */
void mfab_file_stream_abort(mfab_file_stream *s);

/**
 * Make everything written to the file system holding path durable
 * (syncfs(2)).
 * @return 0, MFAB_EIO
 */
int mfab_sync_fs(const char *path, mfab_diag *diag);

/**
 * Create a folder and its parents (like mkdir -p). Existing folders are
 * fine.
 * @return 0, MFAB_EIO
 */
int mfab_mkdir_p(const char *path, mode_t mode, mfab_diag *diag);

/** @return 1 if path exists (any type), 0 otherwise. */
int mfab_path_exists(const char *path);

/**
 * Join a folder and a name into out ("dir/name"; just "name" when dir is
 * NULL or empty).
 * @return 0, MFAB_ERANGE when it does not fit in cap
 */
int mfab_path_join(char *out, size_t cap, const char *dir, const char *name);

/**
 * SHA-256 and size of a file, read in chunks (any size).
 * @return 0, MFAB_ENOTFOUND, MFAB_EIO, MFAB_ECRYPTO
 */
int mfab_file_sha256(uint8_t out[32], uint64_t *out_size, const char *path,
                     mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
