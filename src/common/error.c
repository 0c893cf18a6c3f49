/*
 * error.c: status code names and the library version.
 */
#include "matterfab/error.h"
#include "matterfab/matterfab.h"

/* see matterfab/error.h */
const char *
mfab_strerror(int code)
{
    switch (code) {
    case MFAB_OK: return "success";
    case MFAB_EINVAL: return "invalid argument";
    case MFAB_ENOMEM: return "out of memory";
    case MFAB_EIO: return "input/output error";
    case MFAB_EFORMAT: return "bad format";
    case MFAB_ERANGE: return "out of range";
    case MFAB_EBUFS: return "buffer too small";
    case MFAB_ECRYPTO: return "cryptographic failure";
    case MFAB_EEXISTS: return "already exists";
    case MFAB_ENOTFOUND: return "not found";
    case MFAB_EDB: return "ledger database error";
    case MFAB_EUNSUPPORTED: return "not supported";
    default: return "unknown error";
    }
}

/* see matterfab/matterfab.h */
const char *
mfab_version(void)
{
    return "0.1.0";
}
