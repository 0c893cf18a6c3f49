/*
 * fuzz_securecert.c: libFuzzer target for the esp_secure_cert reader: walk
 * every entry, look up each Matter entry, and check that a well-formed
 * walk rewrites to the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/securecert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The writer emits zero reserved and padding bytes; only an image that has
 * them zero too must come back byte for byte. */
static int
canonical(const uint8_t *data, const mfab_securecert_entry *e, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        const uint8_t *p = data + e[i].offset;
        size_t pad_end = 12 + ((e[i].len + 15u) & ~(size_t)15u);

        if (p[5] | p[6] | p[7])
            return 0;
        for (k = 12 + e[i].len; k < pad_end; k++)
            if (p[k] != 0)
                return 0;
    }
    return 1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mfab_securecert_entry entries[64], e;
    mfab_securecert_reader r;
    size_t n = 0, len = 0;
    uint8_t *out;
    int rc, all_ok = 1;

    mfab_securecert_reader_init(&r, data, size);
    while ((rc = mfab_securecert_next(&r, &e, NULL)) == 0 && n < 64) {
        all_ok &= e.crc_ok;
        entries[n++] = e;
    }
    (void)mfab_securecert_find(&e, data, size, 201, -1, NULL);
    (void)mfab_securecert_find(&e, data, size, 1, 0, NULL);
    if (rc != MFAB_ENOTFOUND || !all_ok || n == 0)
        return 0;
    /* A clean image of unique entries must round-trip through the writer. */
    if (mfab_securecert_write(NULL, 0, &len, entries, n,
                              MFAB_SECURECERT_LAYOUT_COMPACT, NULL) != 0)
        return 0;
    out = malloc(len);
    if (out == NULL)
        return 0;
    if (mfab_securecert_write(out, len, &len, entries, n,
                              MFAB_SECURECERT_LAYOUT_COMPACT, NULL) == 0 &&
        canonical(data, entries, n) &&
        (len != r.pos || memcmp(out, data, len) != 0))
        abort();
    free(out);
    return 0;
}
