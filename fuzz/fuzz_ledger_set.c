/*
 * fuzz_ledger_set.c: libFuzzer target for the reader of a ledger file_set
 * row (mfab_ledger__set_next, src/ledger/ledger_fileset.c), which reads
 * text from the database file, so from whatever a user's disk holds. It
 * must stop, never read past the text, and return only well-formed
 * lines: 64 lowercase hex digits, a size, a non-empty name within the
 * text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_internal.h"
#include "matterfab/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read text to its end, checking every line returned. */
static void
read_all(const char *text)
{
    const char *cur = text, *end = text + strlen(text);
    mfab_ledger_line line;
    int rc;

    while ((rc = mfab_ledger__set_next(&cur, &line)) == 1) {
        size_t k;

        for (k = 0; k < 64; k++)
            if (line.sha256_hex[k] == '\0' ||
                strchr("0123456789abcdef", line.sha256_hex[k]) == NULL)
                abort();
        if (line.name_len == 0 || line.name < text ||
            line.name + line.name_len > end || cur > end ||
            memchr(line.name, '\n', line.name_len) != NULL)
            abort();
    }
    if (rc != 0 && rc != MFAB_EDB)
        abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the input as it is, and each of its lines behind a valid hash, so
     * that the fuzzer reaches the size and name rules without having to
     * guess 64 hex digits */
    static const char hash[] = "0123456789abcdef0123456789abcdef"
                               "0123456789abcdef0123456789abcdef ";
    char *text = malloc(size + 1), *lines = NULL;
    size_t i, n = 0;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    read_all(text);
    lines = malloc((size + 1) * sizeof(hash) + 1);
    if (lines != NULL) {
        const char *p = text;

        for (i = 0; i <= size && *p != '\0'; i++) {
            const char *nl = strchr(p, '\n');
            size_t len = nl != NULL ? (size_t)(nl - p) + 1 : strlen(p);

            memcpy(lines + n, hash, sizeof(hash) - 1);
            n += sizeof(hash) - 1;
            memcpy(lines + n, p, len);
            n += len;
            p += len;
        }
        lines[n] = '\0';
        read_all(lines);
    }
    free(lines);
    free(text);
    return 0;
}
