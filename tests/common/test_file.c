/* Tests for src/common/file.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "matterfab/error.h"
#include "matterfab/io.h"
#include "mfab_test.h"

static int
count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static void
test_file__atomic_write_sets_mode_and_leaves_no_temp(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4200];
    uint8_t *back = NULL;
    size_t len = 0;
    struct stat st;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    mfab_path_join(path, sizeof(path), dir, "key.bin");
    assert_int_equal(mfab_file_write_atomic(path, "secret", 6,
                                            MFAB_MODE_SECRET, &d), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(mfab_file_read(&back, &len, path, &d), 0);
    mfab_test_assert_bytes("content", (const uint8_t *)"secret", 6, back, len);
    mfab_file_free(back, len);
    assert_int_equal(count_entries(dir), 1);
    mfab_test_rmtree(dir);
}

static void
test_file__write_into_missing_folder_fails_cleanly(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_file_write_atomic("/nonexistent-mfab/x.bin", "a", 1,
                                            MFAB_MODE_PUBLIC, &d), MFAB_EIO);
    mfab_test_assert_diag(&d, MFAB_EIO, "'/nonexistent-mfab/x.bin'", NULL);
}

static void
test_file__read_missing_is_notfound(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *buf = NULL;
    size_t len = 0;
    (void)state;

    assert_int_equal(mfab_file_read(&buf, &len, "/nonexistent-mfab", &d),
                     MFAB_ENOTFOUND);
    assert_null(buf);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "no such file", NULL);
}

static void
test_file__mkdir_p_and_join(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4200], small[4];
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    snprintf(path, sizeof(path), "%s/a/b/c", dir);
    assert_int_equal(mfab_mkdir_p(path, 0755, &d), 0);
    assert_int_equal(mfab_mkdir_p(path, 0755, &d), 0);
    assert_true(mfab_path_exists(path));
    assert_int_equal(mfab_path_join(small, sizeof(small), "dir", "x"),
                     MFAB_ERANGE);
    assert_int_equal(mfab_path_join(path, sizeof(path), "", "x"), 0);
    assert_string_equal(path, "x");
    assert_int_equal(mfab_path_join(path, sizeof(path), "d/", "x"), 0);
    assert_string_equal(path, "d/x");
    mfab_test_rmtree(dir);
}

static void
test_file__nosync_write_then_sync(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4200];
    uint8_t *back = NULL;
    size_t len = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    mfab_path_join(path, sizeof(path), dir, "dev.bin");
    assert_int_equal(mfab_file_write_atomic_nosync(path, "abc", 3, 0644, &d),
                     0);
    assert_int_equal(mfab_sync_fs(dir, &d), 0);
    assert_int_equal(mfab_file_read(&back, &len, path, &d), 0);
    mfab_test_assert_bytes("content", (const uint8_t *)"abc", 3, back, len);
    mfab_file_free(back, len);
    assert_int_equal(count_entries(dir), 1);
    assert_int_equal(mfab_sync_fs("/nonexistent-mfab", &d), MFAB_EIO);
    mfab_test_assert_diag(&d, MFAB_EIO, "cannot sync '/nonexistent-mfab'",
                          NULL);
    mfab_test_rmtree(dir);
}

/* Rows smaller than the stream's buffer, then one larger than it: the file
 * holds every byte in order, and nothing appears before the commit. */
static void
test_file__stream_gathers_small_writes(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4200];
    static uint8_t want[3 * 16384 + 100];
    uint8_t *back = NULL;
    size_t len = 0, at = 0, i;
    mfab_file_stream s;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    for (i = 0; i < sizeof(want); i++)
        want[i] = (uint8_t)(i * 7 + i / 251);
    mfab_path_join(path, sizeof(path), dir, "rows.csv");
    assert_int_equal(mfab_file_stream_open(&s, path, 0644, &d), 0);
    for (i = 1; at + i <= 20000; at += i, i = i % 97 + 1)
        assert_int_equal(mfab_file_stream_write(&s, want + at, i, &d), 0);
    assert_int_equal(mfab_file_stream_write(&s, want + at, 0, &d), 0);
    assert_false(mfab_path_exists(path));
    assert_int_equal(
        mfab_file_stream_write(&s, want + at, sizeof(want) - at, &d), 0);
    assert_int_equal(mfab_file_stream_commit(&s, &d), 0);
    assert_int_equal(mfab_file_read(&back, &len, path, &d), 0);
    mfab_test_assert_bytes("content", want, sizeof(want), back, len);
    mfab_file_free(back, len);
    assert_int_equal(count_entries(dir), 1);

    /* an aborted stream leaves the old file and no temporary */
    assert_int_equal(mfab_file_stream_open(&s, path, 0644, &d), 0);
    assert_int_equal(mfab_file_stream_write(&s, "x", 1, &d), 0);
    mfab_file_stream_abort(&s);
    mfab_file_stream_abort(&s);
    assert_int_equal(mfab_file_read(&back, &len, path, &d), 0);
    assert_int_equal(len, sizeof(want));
    mfab_file_free(back, len);
    assert_int_equal(count_entries(dir), 1);
    mfab_test_rmtree(dir);
}

static void
test_file__put_and_read_relative_to_a_folder(void **state)
{
    char *dir = mfab_test_tmpdir();
    uint8_t *back = NULL;
    size_t len = 0;
    struct stat st;
    mfab_diag d = MFAB_DIAG_INIT;
    int fd;
    (void)state;

    fd = open(dir, O_RDONLY | O_DIRECTORY);
    assert_true(fd >= 0);
    assert_int_equal(mkdirat(fd, "sub", 0755), 0);
    assert_int_equal(mfab_file_put_at(fd, dir, "sub/key.bin", "k3y", 3,
                                      MFAB_MODE_SECRET, &d),
                     0);
    assert_int_equal(fstatat(fd, "sub/key.bin", &st, 0), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(mfab_file_read_at(&back, &len, fd, dir, "sub/key.bin", &d),
                     0);
    mfab_test_assert_bytes("content", (const uint8_t *)"k3y", 3, back, len);
    mfab_file_free(back, len);

    /* an existing name is refused, named with its folder */
    assert_int_equal(
        mfab_file_put_at(fd, dir, "sub/key.bin", "x", 1, MFAB_MODE_PUBLIC, &d),
        MFAB_EIO);
    mfab_test_assert_diag(&d, MFAB_EIO, "sub/key.bin'", "File exists", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_file_read_at(&back, &len, fd, dir, "sub/none", &d),
                     MFAB_ENOTFOUND);
    assert_null(back);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "/sub/none'", NULL);
    close(fd);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file__atomic_write_sets_mode_and_leaves_no_temp),
        cmocka_unit_test(test_file__write_into_missing_folder_fails_cleanly),
        cmocka_unit_test(test_file__read_missing_is_notfound),
        cmocka_unit_test(test_file__mkdir_p_and_join),
        cmocka_unit_test(test_file__nosync_write_then_sync),
        cmocka_unit_test(test_file__stream_gathers_small_writes),
        cmocka_unit_test(test_file__put_and_read_relative_to_a_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
