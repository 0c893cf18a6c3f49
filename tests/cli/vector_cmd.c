/*
 * vector_cmd.c: cmd.txt line runner for the end-to-end tests (see
 * vector_cmd.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vector_cmd.h"

#define MAX_WORDS 64

/* Split in place; returns the number of words. */
static int
split(char *s, char **words, int max)
{
    int n = 0;

    while (*s != '\0') {
        char *w, *o;

        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            s++;
        if (*s == '\0' || *s == '#')
            break;
        assert_true(n < max);
        w = o = s;
        while (*s != '\0' && *s != ' ' && *s != '\t' && *s != '\r' &&
               *s != '\n') {
            if (*s == '"') {
                s++;
                while (*s != '\0' && *s != '"')
                    *o++ = *s++;
                if (*s == '"')
                    s++;
                continue;
            }
            *o++ = *s++;
        }
        if (*s != '\0')
            s++;
        *o = '\0';
        words[n++] = w;
    }
    return n;
}

int
vector_cmd_run(vector_cmd *out, const char *cwd, const char *line,
               const char *tool, const char *replacement)
{
    char *copy = strdup(line), *rep = strdup(replacement);
    char *words[MAX_WORDS], *rwords[8];
    const char *args[MAX_WORDS + 8];
    int n, nr, i, k = 0;

    assert_non_null(copy);
    assert_non_null(rep);
    memset(out, 0, sizeof(*out));
    n = split(copy, words, MAX_WORDS);
    if (n == 0 || strcmp(words[0], tool) != 0) {
        free(copy);
        free(rep);
        return -1;
    }
    nr = split(rep, rwords, 8);
    for (i = 0; i < nr; i++)
        args[k++] = rwords[i];
    for (i = 1; i < n; i++) {
        if (strcmp(words[i], ">") == 0 && i + 1 < n) {
            snprintf(out->stdout_file, sizeof(out->stdout_file), "%s",
                     words[++i]);
            continue;
        }
        args[k++] = words[i];
    }
    args[k] = NULL;
    mfab_test_run(&out->r, cwd, args);
    free(copy);
    free(rep);
    return 0;
}

void
vector_cmd_free(vector_cmd *c)
{
    mfab_test_run_free(&c->r);
}
