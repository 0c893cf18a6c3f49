/* Tests for src/common/file_hash.c */
#include <stdio.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"
#include <openssl/evp.h>

#include "mfab_test.h"

static void
test_file_hash__known_digest_and_size(void **state)
{
    char *dir = mfab_test_tmpdir();
    char path[4200], hex[65];
    uint8_t digest[32];
    uint64_t size = 0;
    (void)state;

    snprintf(path, sizeof(path), "%s/abc", dir);
    assert_int_equal(mfab_file_write_atomic(path, "abc", 3, 0644, NULL), 0);
    assert_int_equal(mfab_file_sha256(digest, &size, path, NULL), 0);
    mfab_hex_encode(hex, digest, 32);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
                             "b410ff61f20015ad");
    assert_int_equal(size, 3);
    mfab_test_rmtree(dir);
}

static void
test_file_hash__large_file_matches_one_shot(void **state)
{
    /* Crosses the 64 KiB read chunk several times. */
    char *dir = mfab_test_tmpdir();
    char path[4200];
    static uint8_t data[200001];
    uint8_t digest[32], want[32];
    uint64_t size = 0;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7 + 3);
    snprintf(path, sizeof(path), "%s/big", dir);
    assert_int_equal(mfab_file_write_atomic(path, data, sizeof(data), 0644,
                                            NULL), 0);
    assert_int_equal(mfab_file_sha256(digest, &size, path, NULL), 0);
    assert_int_equal(EVP_Digest(data, sizeof(data), want, NULL, EVP_sha256(),
                                NULL), 1);
    mfab_test_assert_bytes("sha256", want, 32, digest, 32);
    assert_int_equal(size, sizeof(data));
    mfab_test_rmtree(dir);
}

static void
test_file_hash__missing_file(void **state)
{
    uint8_t digest[32];
    uint64_t size;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_file_sha256(digest, &size, "/nonexistent-mfab", &d),
                     MFAB_ENOTFOUND);
    mfab_test_assert_diag(&d, MFAB_ENOTFOUND, "'/nonexistent-mfab'", NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file_hash__known_digest_and_size),
        cmocka_unit_test(test_file_hash__large_file_matches_one_shot),
        cmocka_unit_test(test_file_hash__missing_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
