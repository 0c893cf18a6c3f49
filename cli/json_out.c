/*
 * json_out.c: JSON string literals for --json outputs (RFC 8259 section 7).
 */
#include <stdio.h>
#include <string.h>

#include "json_out.h"

/* see json_out.h */
void
json_out_strn(const char *s, size_t len)
{
    size_t i;

    putchar('"');
    for (i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch == '"' || ch == '\\')
            printf("\\%c", ch);
        else if (ch == '\n')
            fputs("\\n", stdout);
        else if (ch == '\t')
            fputs("\\t", stdout);
        else if (ch < 0x20 || ch == 0x7F)
            printf("\\u%04x", ch);
        else
            putchar(ch);
    }
    putchar('"');
}

/* see json_out.h */
void
json_out_str(const char *s)
{
    json_out_strn(s, strlen(s));
}
