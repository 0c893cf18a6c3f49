/*
 * fuzz_csv.c: libFuzzer target for the CSV reader and writer
 * (src/common/csv.c). Every record read is written back with the writer
 * and read again; the fields must survive the round trip.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/csv.h"

#define MAXF 32

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
roundtrip(const mfab_csv_field *f, size_t n)
{
    mfab_csv_field g[MAXF];
    mfab_csv_reader r;
    unsigned long line;
    size_t need = 0, pos = 0, m = 0, i;
    char *buf;

    if (n == 0)
        return;
    mfab_csv_write_record(NULL, 0, &need, f, n);
    buf = malloc(need + 1);
    if (buf == NULL)
        return;
    if (mfab_csv_write_record(buf, need, &pos, f, n) != 0 || pos != need)
        abort();
    buf[need] = '\0';
    mfab_csv_reader_init(&r, buf, need, 0, "rt");
    if (mfab_csv_next(&r, g, MAXF, &m, &line, NULL) != 1 || m != n)
        abort();
    for (i = 0; i < n; i++) {
        /* the reader turns CR and CRLF into LF, so compare without them */
        size_t a = 0, b = 0;
        while (a < f[i].len || b < g[i].len) {
            char x = a < f[i].len ? f[i].str[a] : 0;
            if (x == '\r') {
                a++;
                if (a < f[i].len && f[i].str[a] == '\n')
                    a++;
                x = '\n';
            } else {
                a++;
            }
            if (b >= g[i].len || g[i].str[b] != x)
                abort();
            b++;
        }
    }
    free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mfab_csv_field f[MAXF];
    mfab_csv_reader r;
    unsigned long line;
    size_t n;
    unsigned flags;
    char *buf;

    if (size == 0)
        return 0;
    flags = data[0] & 3u;
    buf = malloc(size);
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 1, size - 1);
    mfab_csv_reader_init(&r, buf, size - 1, flags, "fuzz");
    while (mfab_csv_next(&r, f, MAXF, &n, &line, NULL) == 1) {
        mfab_csv_field copy[MAXF];
        size_t i, total = 0;
        char *keep;

        for (i = 0; i < n; i++)
            total += f[i].len + 1;
        keep = malloc(total + 1);
        if (keep == NULL)
            break;
        /* the round trip reuses no bytes of the reader's buffer */
        total = 0;
        for (i = 0; i < n; i++) {
            memcpy(keep + total, f[i].str, f[i].len + 1);
            copy[i].str = keep + total;
            copy[i].len = f[i].len;
            total += f[i].len + 1;
        }
        roundtrip(copy, n);
        free(keep);
    }
    free(buf);
    return 0;
}
