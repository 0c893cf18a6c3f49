/*
 * csv.c: CSV as RFC 4180 defines it and Python's csv module reads and
 * writes it (the reference tools are Python; see matterfab/csv.h).
 *
 * Reader states per field:
 *
 *   START --'"'--> QUOTED --'"'--> QUOTE_SEEN --'"'--> QUOTED (a '"')
 *     |              |                 |--','/EOL--> field ends
 *     |              +-- any byte, also newlines, is data
 *     +--other--> PLAIN --','/EOL--> field ends
 *
 * Like Python (strict=False), bytes after a closing quote are kept
 * (`"ab"cd` reads ab cd). CRLF and lone CR read as LF everywhere, as with
 * Python's universal newlines. Output never grows, so decoding happens in
 * place: the write offset never passes the read offset.
 */
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/csv.h"

/* see matterfab/csv.h */
void
mfab_csv_reader_init(mfab_csv_reader *out, char *buf, size_t len,
                     unsigned flags, const char *name)
{
    memset(out, 0, sizeof(*out));
    out->buf = buf;
    out->len = len;
    out->line = 1;
    out->flags = flags;
    out->bol = 1;
    out->name = name != NULL ? name : "csv";
    if (len >= 3 && (uint8_t)buf[0] == 0xEF && (uint8_t)buf[1] == 0xBB &&
        (uint8_t)buf[2] == 0xBF) {
        out->rd = 3;
        out->wr = 3;
    }
}

/* Skip '#' lines at the start of a physical line (when enabled). */
static void
skip_comments(mfab_csv_reader *r)
{
    while (r->bol && (r->flags & MFAB_CSV_HASH_COMMENTS) && r->rd < r->len &&
           r->buf[r->rd] == '#') {
        while (r->rd < r->len && r->buf[r->rd] != '\n' && r->buf[r->rd] != '\r')
            r->rd++;
        if (r->rd < r->len) {
            if (r->buf[r->rd] == '\r' && r->rd + 1 < r->len &&
                r->buf[r->rd + 1] == '\n')
                r->rd++;
            r->rd++;
            r->line++;
        }
    }
}

/* Next byte with newlines normalised to '\n'; -1 at the end. */
static int
next_char(mfab_csv_reader *r)
{
    int c;

    skip_comments(r);
    if (r->rd >= r->len)
        return -1;
    c = (unsigned char)r->buf[r->rd++];
    r->bol = 0;
    if (c == '\r') {
        if (r->rd < r->len && r->buf[r->rd] == '\n')
            r->rd++;
        c = '\n';
    }
    if (c == '\n') {
        r->line++;
        r->bol = 1;
    }
    return c;
}

/* Peek without consuming (comments already skipped by the caller). */
static int
peek_char(const mfab_csv_reader *r)
{
    if (r->rd >= r->len)
        return -1;
    return r->buf[r->rd] == '\r' ? '\n' : (unsigned char)r->buf[r->rd];
}

enum { ST_START, ST_PLAIN, ST_QUOTED, ST_QUOTE_SEEN };

/* see matterfab/csv.h */
int
mfab_csv_next(mfab_csv_reader *r, mfab_csv_field *fields, size_t max,
              size_t *out_n, unsigned long *out_line, mfab_diag *diag)
{
    size_t n = 0, start;
    unsigned long quote_line = 0;
    int state = ST_START, c;

    *out_n = 0;
    for (;;) {
        skip_comments(r);
        c = peek_char(r);
        if (c == -1)
            return 0;
        if (c != '\n')
            break;
        *out_line = r->line;
        next_char(r);
        if (r->flags & MFAB_CSV_KEEP_BLANK)
            return 1;
    }
    *out_line = r->line;
    start = r->wr;
    for (;;) {
        c = next_char(r);
        if (c == 0)
            return mfab_diag_set_at(diag, MFAB_EFORMAT, r->name, r->line,
                                    "NUL byte in CSV text");
        if (state == ST_QUOTED) {
            if (c == -1)
                return mfab_diag_set_at(diag, MFAB_EFORMAT, r->name, quote_line,
                                        "quoted field is never closed "
                                        "(missing '\"')");
            if (c == '"') {
                state = ST_QUOTE_SEEN;
                continue;
            }
            r->buf[r->wr++] = (char)c;
            /* fast path inside quotes: up to the next special byte (not
             * at a line start, where a '#' line may have to go) */
            while (!r->bol && r->rd < r->len) {
                char b = r->buf[r->rd];
                if (b == '"' || b == '\n' || b == '\r' || b == '\0')
                    break;
                r->buf[r->wr++] = b;
                r->rd++;
            }
            continue;
        }
        if (state == ST_QUOTE_SEEN && c == '"') {
            r->buf[r->wr++] = '"';
            state = ST_QUOTED;
            continue;
        }
        if (state == ST_START && c == '"') {
            state = ST_QUOTED;
            quote_line = r->line;
            continue;
        }
        if (c == ',' || c == '\n' || c == -1) {
            if (n >= max)
                return mfab_diag_set_at(diag, MFAB_EFORMAT, r->name, *out_line,
                                        "more than %zu fields in a record",
                                        max);
            r->buf[r->wr] = '\0';
            fields[n].str = r->buf + start;
            fields[n].len = r->wr - start;
            n++;
            r->wr++;
            start = r->wr;
            state = ST_START;
            if (c != ',')
                break;
            continue;
        }
        r->buf[r->wr++] = (char)c;
        state = ST_PLAIN;
        /* fast path: copy the rest of an unquoted field in one loop */
        while (r->rd < r->len) {
            char b = r->buf[r->rd];
            if (b == ',' || b == '\n' || b == '\r' || b == '\0')
                break;
            r->buf[r->wr++] = b;
            r->rd++;
        }
    }
    *out_n = n;
    return 1;
}

static int
needs_quotes(const char *s, size_t len)
{
    size_t i;

    for (i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
            return 1;
    return 0;
}

static void
put(char *buf, size_t cap, size_t *pos, char c)
{
    if (buf != NULL && *pos < cap)
        buf[*pos] = c;
    (*pos)++;
}

/* see matterfab/csv.h */
int
mfab_csv_write_record(char *buf, size_t cap, size_t *pos,
                      const mfab_csv_field *fields, size_t n)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        const char *s = fields[i].str;
        size_t len = fields[i].len;
        /* Python quotes a lone empty field so the row is not blank. */
        int quote = needs_quotes(s, len) || (n == 1 && len == 0);

        if (i > 0)
            put(buf, cap, pos, ',');
        if (quote)
            put(buf, cap, pos, '"');
        for (j = 0; j < len; j++) {
            if (s[j] == '"')
                put(buf, cap, pos, '"');
            put(buf, cap, pos, s[j]);
        }
        if (quote)
            put(buf, cap, pos, '"');
    }
    put(buf, cap, pos, '\r');
    put(buf, cap, pos, '\n');
    return buf == NULL || *pos <= cap ? 0 : MFAB_EBUFS;
}
