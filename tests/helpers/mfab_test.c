/*
 * mfab_test.c: helpers shared by the cmocka tests (see mfab_test.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mfab_test.h"

#define CLI_ARGS_MAX 256

void
mfab_test_vpath(char *out, size_t cap, const char *rel)
{
    int n = snprintf(out, cap, "%s/%s", MFAB_VECTORS_DIR, rel);
    assert_true(n > 0 && (size_t)n < cap);
}

uint8_t *
mfab_test_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    long size;

    if (f == NULL)
        fail_msg("cannot open '%s': %s", path, strerror(errno));
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size >= 0);
    rewind(f);
    buf = malloc((size_t)size + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)size, f), (size_t)size);
    buf[size] = 0;
    fclose(f);
    *len = (size_t)size;
    return buf;
}

int
mfab_test_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void
hex_window(const char *label, const uint8_t *p, size_t len, size_t at)
{
    size_t start = at >= 16 ? (at - 16) & ~(size_t)15 : 0;
    size_t end = start + 48 < len ? start + 48 : len;
    size_t i;

    print_error("  %-8s", label);
    for (i = start; i < end; i++)
        print_error("%s%02x", i == at ? "[" : (i == at + 1 ? "]" : " "), p[i]);
    print_error("\n");
}

void
mfab_test_assert_bytes(const char *what, const uint8_t *expected,
                       size_t expected_len, const uint8_t *actual,
                       size_t actual_len)
{
    size_t n = expected_len < actual_len ? expected_len : actual_len;
    size_t i;

    for (i = 0; i < n; i++)
        if (expected[i] != actual[i])
            break;
    if (i == n && expected_len == actual_len)
        return;
    print_error("%s: first difference at offset %zu (0x%zx); lengths %zu "
                "expected, %zu actual\n",
                what, i, i, expected_len, actual_len);
    if (i < expected_len)
        hex_window("expected", expected, expected_len, i);
    if (i < actual_len)
        hex_window("actual", actual, actual_len, i);
    fail_msg("%s differs", what);
}

void
mfab_test_assert_diag(const mfab_diag *diag, int code, ...)
{
    const char *s;
    va_list ap;

    if (diag->code != code)
        fail_msg("diag code %d, expected %d (message: '%s')", diag->code, code,
                 diag->message);
    va_start(ap, code);
    while ((s = va_arg(ap, const char *)) != NULL) {
        if (strstr(diag->message, s) == NULL) {
            va_end(ap);
            fail_msg("diag message '%s' lacks '%s'", diag->message, s);
        }
    }
    va_end(ap);
}

char *
mfab_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *dir = malloc(4096);

    assert_non_null(dir);
    snprintf(dir, 4096, "%s/mfab-test-XXXXXX", base ? base : "/tmp");
    if (mkdtemp(dir) == NULL)
        fail_msg("mkdtemp: %s", strerror(errno));
    return dir;
}

static int
run_argv(const char *cwd, char *const *argv, int out_fd, int err_fd)
{
    pid_t pid = fork();
    int status;

    assert_true(pid >= 0);
    if (pid == 0) {
        if (cwd != NULL && chdir(cwd) != 0)
            _exit(127);
        if (out_fd >= 0)
            dup2(out_fd, 1);
        if (err_fd >= 0)
            dup2(err_fd, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    return 128 + WTERMSIG(status);
}

void
mfab_test_rmtree(char *dir)
{
    char *argv[] = { "rm", "-rf", dir, NULL };

    if (dir == NULL)
        return;
    run_argv(NULL, argv, -1, -1);
    free(dir);
}

void
mfab_test_copytree(const char *src, const char *dst)
{
    char from[4096];
    char *argv[] = { "cp", "-a", from, (char *)dst, NULL };

    char *chmod_argv[] = { "chmod", "-R", "u+w", (char *)dst, NULL };

    snprintf(from, sizeof(from), "%s/.", src);
    assert_int_equal(run_argv(NULL, argv, -1, -1), 0);
    /* the vectors are read-only; the copy is a scratch area */
    assert_int_equal(run_argv(NULL, chmod_argv, -1, -1), 0);
}

void
mfab_test_files_add(mfab_test_files *l, char *name)
{
    assert_non_null(name);
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->names = realloc(l->names, l->cap * sizeof(*l->names));
        assert_non_null(l->names);
    }
    l->names[l->n++] = name;
}

static void
list_below(mfab_test_files *l, const char *root, const char *rel)
{
    char path[8192], sub[4096];
    struct dirent *e;
    DIR *d;

    snprintf(path, sizeof(path), "%s/%s", root, rel);
    d = opendir(path);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        int n;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n = snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "",
                     e->d_name);
        assert_true(n > 0 && (size_t)n < sizeof(sub));
        snprintf(path, sizeof(path), "%s/%s", root, sub);
        assert_int_equal(stat(path, &st), 0);
        if (S_ISDIR(st.st_mode))
            list_below(l, root, sub);
        else
            mfab_test_files_add(l, strdup(sub));
    }
    closedir(d);
}

void
mfab_test_list_files(mfab_test_files *l, const char *root)
{
    list_below(l, root, "");
}

int
mfab_test_files_has(const mfab_test_files *l, const char *name)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (l->names[i] != NULL && strcmp(l->names[i], name) == 0)
            return 1;
    return 0;
}

void
mfab_test_files_free(mfab_test_files *l)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        free(l->names[i]);
    free(l->names);
    l->names = NULL;
    l->n = l->cap = 0;
}

static char *
slurp_fd(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    ssize_t n;

    assert_non_null(buf);
    lseek(fd, 0, SEEK_SET);
    while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    buf[len] = '\0';
    return buf;
}

void
mfab_test_exec(mfab_test_run_result *r, const char *cwd,
               const char *const *argv)
{
    FILE *out = tmpfile(), *err = tmpfile();

    assert_non_null(out);
    assert_non_null(err);
    r->exit_code = run_argv(cwd, (char *const *)argv, fileno(out),
                            fileno(err));
    r->out = slurp_fd(fileno(out));
    r->err = slurp_fd(fileno(err));
    fclose(out);
    fclose(err);
}

void
mfab_test_run(mfab_test_run_result *r, const char *cwd,
              const char *const *args)
{
    const char *argv[CLI_ARGS_MAX];
    size_t n = 0;

    argv[n++] = MFAB_CLI_PATH;
    while (args[n - 1] != NULL) {
        assert_true(n < CLI_ARGS_MAX - 1);
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    mfab_test_exec(r, cwd, argv);
}

void
mfab_test_run_line(mfab_test_run_result *r, const char *cwd,
                   const char *prefix, const char *line)
{
    const char *args[CLI_ARGS_MAX];
    char *copy = strdup(line), *pcopy = strdup(prefix ? prefix : "");
    char *tok, *save = NULL;
    size_t n = 0;

    assert_non_null(copy);
    assert_non_null(pcopy);
    for (tok = strtok_r(copy, " \t\r\n", &save); tok != NULL;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        assert_true(n < CLI_ARGS_MAX - 16);
        if (n == 0 && tok[0] == '<') {
            char *psave = NULL, *p;
            for (p = strtok_r(pcopy, " ", &psave); p != NULL;
                 p = strtok_r(NULL, " ", &psave))
                args[n++] = p;
            continue;
        }
        args[n++] = tok;
    }
    args[n] = NULL;
    mfab_test_run(r, cwd, args);
    free(copy);
    free(pcopy);
}

void
mfab_test_run_free(mfab_test_run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = NULL;
    r->err = NULL;
}

json_t *
mfab_test_json(const char *path)
{
    json_error_t jerr;
    json_t *j = json_load_file(path, 0, &jerr);

    if (j == NULL)
        fail_msg("%s:%d: %s", path, jerr.line, jerr.text);
    return j;
}
