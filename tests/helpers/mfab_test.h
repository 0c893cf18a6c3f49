/*
 * mfab_test.h: helpers shared by the cmocka tests.
 *
 * Vectors are read from ../shared/vectors at test time (MFAB_VECTORS_DIR);
 * the CLI under test is MFAB_CLI_PATH. Helpers that cannot do their job
 * fail the running test instead of returning an error.
 */
#ifndef MFAB_TEST_H
#define MFAB_TEST_H

/* cmocka needs these before its header */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>

#include "matterfab/diag.h"

/* Path below the vectors folder: out = MFAB_VECTORS_DIR "/" rel. */
void mfab_test_vpath(char *out, size_t cap, const char *rel);

/* Read a whole file; fails the test when it cannot. Caller free()s. */
uint8_t *mfab_test_read(const char *path, size_t *len);

/* 1 when path exists. */
int mfab_test_exists(const char *path);

/*
 * Compare two byte strings; on a mismatch print the first differing offset
 * with a hex window of both sides, then fail the test.
 */
void mfab_test_assert_bytes(const char *what, const uint8_t *expected,
                            size_t expected_len, const uint8_t *actual,
                            size_t actual_len);

/* Assert the diag holds code and its message contains every given
 * substring (NULL-terminated list). */
void mfab_test_assert_diag(const mfab_diag *diag, int code, ...);

/* Fresh temporary folder; caller frees with mfab_test_rmtree(). */
char *mfab_test_tmpdir(void);
void mfab_test_rmtree(char *dir);

/* Copy the contents of folder src into folder dst (cp -a src/. dst). */
void mfab_test_copytree(const char *src, const char *dst);

/* A list of file names (owned strings). */
typedef struct mfab_test_files {
    char **names;
    size_t n, cap;
} mfab_test_files;

#define MFAB_TEST_FILES_INIT { NULL, 0, 0 }

/* Append every regular file below root to l, as a path relative to root
 * ("dir/name"), in directory order. */
void mfab_test_list_files(mfab_test_files *l, const char *root);

/* Append name (taking ownership of it, a malloc()ed string). */
void mfab_test_files_add(mfab_test_files *l, char *name);

/* 1 when l holds name. */
int mfab_test_files_has(const mfab_test_files *l, const char *name);

void mfab_test_files_free(mfab_test_files *l);

typedef struct mfab_test_run_result {
    int exit_code; /* exit status, or 128+signal */
    char *out;     /* captured stdout, NUL-terminated */
    char *err;     /* captured stderr, NUL-terminated */
} mfab_test_run_result;

/*
 * Run the matterfab CLI in folder cwd with the given arguments (not
 * including the program name; NULL-terminated).
 */
void mfab_test_run(mfab_test_run_result *r, const char *cwd,
                   const char *const *args);

/*
 * Run any program (argv[0] looked up in PATH; NULL-terminated) in folder
 * cwd, capturing its output: for interop checks with other tools.
 */
void mfab_test_exec(mfab_test_run_result *r, const char *cwd,
                    const char *const *argv);

/*
 * Same as mfab_test_run, with the arguments split on blanks from a line such as a vector's
 * cmd.txt; a leading "<generator>"-style placeholder is replaced by the
 * words in prefix (e.g. "nvs").
 */
void mfab_test_run_line(mfab_test_run_result *r, const char *cwd,
                        const char *prefix, const char *line);

void mfab_test_run_free(mfab_test_run_result *r);

/* Parse a JSON file; fails the test on error. json_decref() it. */
json_t *mfab_test_json(const char *path);

#endif
