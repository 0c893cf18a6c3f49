/*
 * vector_cmd.h: runs one line of a vector's cmd.txt with the matterfab
 * CLI: double quotes group words, "# ..." ends the line, "> FILE" captures
 * stdout, and the reference tool's name is replaced by matterfab's words.
 */
#ifndef MFAB_TEST_VECTOR_CMD_H
#define MFAB_TEST_VECTOR_CMD_H

#include "mfab_test.h"

typedef struct vector_cmd {
    mfab_test_run_result r;
    char stdout_file[256]; /* the "> FILE" target, or "" */
} vector_cmd;

/*
 * Run line in cwd when its first word is tool; the word becomes the words
 * of replacement ("ota"). @return 0 when the line was run, -1 when it is a
 * comment, blank, or for another tool.
 */
int vector_cmd_run(vector_cmd *out, const char *cwd, const char *line,
                   const char *tool, const char *replacement);

void vector_cmd_free(vector_cmd *c);

#endif
