/*
 * matterfab/error.h: the status codes every libmatterfab function returns.
 *
 * Functions return 0 on success or one of the negative codes below. The
 * human-readable detail (what, where, what is allowed) travels in the
 * caller's mfab_diag (matterfab/diag.h), never in a global.
 */
#ifndef MATTERFAB_ERROR_H
#define MATTERFAB_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/** Success. */
#define MFAB_OK 0
/** An argument or an input value is invalid (bad option, bad CSV field). */
#define MFAB_EINVAL (-1)
/** Memory allocation failed. */
#define MFAB_ENOMEM (-2)
/** A file could not be read, written, renamed or synced. */
#define MFAB_EIO (-3)
/** Input bytes are not in the expected format (corrupt image, bad DER). */
#define MFAB_EFORMAT (-4)
/** A value is outside its allowed range, or data does not fit its space. */
#define MFAB_ERANGE (-5)
/** The caller's buffer is too small; the needed size is reported. */
#define MFAB_EBUFS (-6)
/** A cryptographic operation failed or a signature/MAC did not verify. */
#define MFAB_ECRYPTO (-7)
/** The thing to create exists already (output file, ledger row). */
#define MFAB_EEXISTS (-8)
/** A named thing (file, key, entry) does not exist. */
#define MFAB_ENOTFOUND (-9)
/** The ledger database reported an error. */
#define MFAB_EDB (-10)
/** The input asks for something this build or reference does not support. */
#define MFAB_EUNSUPPORTED (-11)

/**
 * Short constant description of a status code ("invalid argument", ...).
 * @return a static string; never NULL.
 */
const char *mfab_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
