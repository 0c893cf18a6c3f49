/*
 * securecert_internal.h: what the esp_secure_cert writer and reader share.
 */
#ifndef MFAB_SECURECERT_INTERNAL_H
#define MFAB_SECURECERT_INTERNAL_H

#include <stddef.h>

#include "matterfab/securecert.h"

/* Header, data padded to 16, CRC: always a multiple of 16 bytes. */
static inline size_t
mfab_securecert__entry_size(size_t len)
{
    return MFAB_SECURECERT_OVERHEAD + ((len + 15u) & ~(size_t)15u);
}

#endif
