/*
 * matterfab/diag.h: diagnostics passed down the call chain.
 *
 * libmatterfab never prints. A caller that wants to know why a call failed
 * passes an mfab_diag (one per thread: batch workers each own theirs) as the
 * last argument; NULL is always allowed. The first error recorded wins, as
 * the innermost failure is the one that names the real cause.
 *
 * Warnings (input the reference tools accept but that looks wrong) go to an
 * optional callback so that the CLI can print them while a library user may
 * collect or ignore them.
 */
#ifndef MATTERFAB_DIAG_H
#define MATTERFAB_DIAG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define MFAB_DIAG_MSG_MAX 1024

typedef void (*mfab_diag_warn_fn)(void *ctx, const char *message);

typedef struct mfab_diag {
    int code;                      /**< first error code recorded, or 0 */
    char message[MFAB_DIAG_MSG_MAX]; /**< its text, location first */
    mfab_diag_warn_fn warn;        /**< optional warning sink */
    void *warn_ctx;                /**< passed to warn */
    unsigned warnings;             /**< number of warnings emitted */
} mfab_diag;

#define MFAB_DIAG_INIT { 0, { 0 }, NULL, NULL, 0 }

/** Reset to the empty state; keeps the warning sink. */
void mfab_diag_init(mfab_diag *diag);

/**
 * Record an error unless one is recorded already.
 * @return code, so that `return mfab_diag_set(d, MFAB_EINVAL, ...);` works.
 *         diag may be NULL.
 */
int mfab_diag_set(mfab_diag *diag, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/**
 * Record an error located in an input file: the message reads
 * "<file>:<line>: <text>" (line 0 omits the line).
 */
int mfab_diag_set_at(mfab_diag *diag, int code, const char *file,
                     unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/**
 * Record an error caused by OpenSSL: the text is followed by
 * ": OpenSSL: <reason>" for the oldest error in OpenSSL's queue, and the
 * queue is cleared.
 */
int mfab_diag_set_ossl(mfab_diag *diag, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Emit a warning through the sink (if any). */
void mfab_diag_warn(mfab_diag *diag, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** @return the recorded message, or "" when none. */
const char *mfab_diag_message(const mfab_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
