/*
 * json_out.c: JSON string literals for --json outputs (RFC 8259 section 7).
 */
#include <stdio.h>
#include <string.h>

#include "json_out.h"

/* see json_out.h */
void
json_out_strn(FILE *f, const char *s, size_t len)
{
    size_t i;

    fputc('"', f);
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", f);
        else if (ch == '\t')
            fputs("\\t", f);
        else if (ch < 0x20 || ch == 0x7F)
            fprintf(f, "\\u%04x", ch);
        else
            fputc(ch, f);
    }
    fputc('"', f);
}

/* see json_out.h */
void
json_out_str(FILE *f, const char *s)
{
    json_out_strn(f, s, strlen(s));
}
