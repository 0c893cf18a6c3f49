/*
 * Tests for src/spake2p/pbkdf2_sha256.c and its backends: all agree with
 * OpenSSL's PKCS5_PBKDF2_HMAC (and so with each other) on random
 * passwords and salts of many lengths, multi-block and partial-block
 * outputs, and the RFC 7914 section 11 known answer; many derivations at
 * once (the wide AVX-512 backend, partly filled and mixed iteration
 * counts) give the bytes of one-by-one derivations.
 */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "mfab_test.h"
#include "matterfab/error.h"
#include "spake2p/pbkdf2_sha256.h"

#define sizeof_array(a) (sizeof(a) / sizeof((a)[0]))

static const mfab_sha256_backend *
backend_at(int i)
{
    return i == 0 ? mfab_spake2p__sha256_portable()
                  : mfab_spake2p__sha256_shani();
}

static void
check_against_openssl(const uint8_t *pw, size_t pw_len, const uint8_t *salt,
                      size_t salt_len, uint32_t iter, size_t out_len)
{
    uint8_t want[300], got[300];
    int b;

    assert_true(out_len <= sizeof(want));
    assert_int_equal(PKCS5_PBKDF2_HMAC((const char *)pw, (int)pw_len, salt,
                                       (int)salt_len, (int)iter,
                                       EVP_sha256(), (int)out_len, want),
                     1);
    for (b = 0; b < 2; b++) {
        const mfab_sha256_backend *be = backend_at(b);
        if (be == NULL)
            continue; /* this CPU has no SHA extensions */
        memset(got, 0xAA, sizeof(got));
        assert_int_equal(mfab_spake2p__pbkdf2(got, out_len, pw, pw_len, salt,
                                              salt_len, iter, be, NULL),
                         0);
        mfab_test_assert_bytes(be->name, want, out_len, got, out_len);
        /* nothing written past out_len */
        assert_int_equal(got[out_len], 0xAA);
    }
}

static void
test_pbkdf2_sha256__rfc7914_vector(void **state)
{
    /* RFC 7914 section 11: P="passwd", S="salt", c=1, dkLen=64 */
    static const uint8_t want[64] = {
        0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16, 0x91,
        0xc2, 0x25, 0x44, 0xb6, 0x05, 0xf9, 0x41, 0x85, 0x21, 0x6d, 0xde,
        0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d, 0xac, 0xbc, 0x49,
        0xca, 0x9c, 0xcc, 0xf1, 0x79, 0xb6, 0x45, 0x99, 0x16, 0x64, 0xb3,
        0x9d, 0x77, 0xef, 0x31, 0x7c, 0x71, 0xb8, 0x45, 0xb1, 0xe3, 0x0b,
        0xd5, 0x09, 0x11, 0x20, 0x41, 0xd3, 0xa1, 0x97, 0x83,
    };
    uint8_t got[64];
    int b;
    (void)state;

    for (b = 0; b < 2; b++) {
        const mfab_sha256_backend *be = backend_at(b);
        if (be == NULL)
            continue;
        assert_int_equal(mfab_spake2p__pbkdf2(got, 64,
                                              (const uint8_t *)"passwd", 6,
                                              (const uint8_t *)"salt", 4, 1,
                                              be, NULL),
                         0);
        mfab_test_assert_bytes(be->name, want, 64, got, 64);
    }
}

static void
test_pbkdf2_sha256__random_inputs(void **state)
{
    /* lengths around the block edges of the key (64), of salt||INT (55/56,
     * 119/120 after the 64-byte key block) and of the output (32) */
    static const size_t pw_lens[] = { 0, 1, 4, 63, 64, 65, 100, 200 };
    static const size_t salt_lens[] = { 0, 1, 16, 32, 51, 52, 55, 56, 64,
                                        115, 116, 130 };
    static const size_t out_lens[] = { 1, 31, 32, 33, 80, 96, 97, 160, 257 };
    uint8_t pw[200], salt[130];
    size_t i;
    (void)state;

    assert_int_equal(RAND_bytes(pw, sizeof(pw)), 1);
    assert_int_equal(RAND_bytes(salt, sizeof(salt)), 1);
    for (i = 0; i < sizeof_array(pw_lens); i++)
        check_against_openssl(pw, pw_lens[i], salt, 16, 3, 80);
    for (i = 0; i < sizeof_array(salt_lens); i++)
        check_against_openssl(pw, 4, salt, salt_lens[i], 2, 80);
    for (i = 0; i < sizeof_array(out_lens); i++)
        check_against_openssl(pw, 4, salt, 32, 5, out_lens[i]);
    /* the verifier's shape at its lowest iteration count */
    check_against_openssl(pw, 4, salt, 32, 1000, 80);
    check_against_openssl(pw, 4, salt, 16, 1001, 80);
}

static void
test_pbkdf2_sha256__backends_agree_on_compress(void **state)
{
    const mfab_sha256_backend *ni = mfab_spake2p__sha256_shani();
    const mfab_sha256_backend *pc = mfab_spake2p__sha256_portable();
    uint8_t blocks[64 * 5];
    uint32_t a[8], b[8];
    (void)state;

    if (ni == NULL)
        skip();
    assert_int_equal(RAND_bytes(blocks, sizeof(blocks)), 1);
    memcpy(a, mfab_spake2p__sha256_iv, sizeof(a));
    memcpy(b, mfab_spake2p__sha256_iv, sizeof(b));
    pc->compress(a, blocks, 5);
    ni->compress(b, blocks, 5);
    assert_memory_equal(a, b, sizeof(a));
}

static void
test_pbkdf2_sha256__best_is_shani_when_cpu_has_it(void **state)
{
    (void)state;
    if (mfab_spake2p__sha256_shani() != NULL)
        assert_string_equal(mfab_spake2p__sha256_best()->name, "sha-ni");
    else
        assert_string_equal(mfab_spake2p__sha256_best()->name, "portable");
}

static void
test_pbkdf2_sha256__einval(void **state)
{
    uint8_t out[32];
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_spake2p__pbkdf2(out, 32, (const uint8_t *)"p", 1,
                                          (const uint8_t *)"s", 1, 0, NULL,
                                          &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "iteration", NULL);
    assert_int_equal(mfab_spake2p__pbkdf2(out, 0, (const uint8_t *)"p", 1,
                                          (const uint8_t *)"s", 1, 1, NULL,
                                          NULL),
                     MFAB_EINVAL);
}

/* Random jobs of every shape at once: mfab_spake2p__pbkdf2_many on the
 * given wide backend must match OpenSSL job by job. */
static void
check_many(const mfab_pbkdf2_wide *wide, size_t n)
{
    enum { MAXJ = 40, OUT = 170 };
    static const uint32_t iters[] = { 1, 2, 7, 1000 };
    uint8_t pw[MAXJ][70], salt[MAXJ][40], got[MAXJ][OUT + 1], want[OUT];
    mfab_pbkdf2_job jobs[MAXJ];
    uint8_t r[MAXJ][4];
    size_t i;

    assert_true(n <= MAXJ);
    assert_int_equal(RAND_bytes(&pw[0][0], sizeof(pw)), 1);
    assert_int_equal(RAND_bytes(&salt[0][0], sizeof(salt)), 1);
    assert_int_equal(RAND_bytes(&r[0][0], sizeof(r)), 1);
    memset(got, 0xAA, sizeof(got));
    for (i = 0; i < n; i++) {
        /* runs of equal iteration counts, as a batch of devices has, with
         * a change now and then; passwords past a block (hashed key) */
        jobs[i].out = got[i];
        jobs[i].out_len = 1 + r[i][0] % OUT;
        jobs[i].pw = pw[i];
        jobs[i].pw_len = r[i][1] % sizeof(pw[i]);
        jobs[i].salt = salt[i];
        jobs[i].salt_len = r[i][2] % sizeof(salt[i]);
        jobs[i].iterations = iters[(i / 6 + r[i][3] % 2) % 4];
    }
    assert_int_equal(mfab_spake2p__pbkdf2_many(jobs, n, wide, NULL, NULL), 0);
    for (i = 0; i < n; i++) {
        assert_int_equal(PKCS5_PBKDF2_HMAC(
                             (const char *)jobs[i].pw, (int)jobs[i].pw_len,
                             jobs[i].salt, (int)jobs[i].salt_len,
                             (int)jobs[i].iterations, EVP_sha256(),
                             (int)jobs[i].out_len, want),
                         1);
        mfab_test_assert_bytes(wide ? wide->name : "best", want,
                               jobs[i].out_len, got[i], jobs[i].out_len);
        assert_int_equal(got[i][jobs[i].out_len], 0xAA);
    }
}

static void
test_pbkdf2_sha256__many_on_the_wide_backend(void **state)
{
    const mfab_pbkdf2_wide *wide = mfab_spake2p__pbkdf2_avx512();
    size_t n;
    (void)state;

    if (wide == NULL)
        skip(); /* this CPU has no AVX-512 */
    /* 1 job (narrow only), 5 (the verifier's 15 lanes), up to 40 jobs
     * spread over many partly filled wide calls */
    for (n = 1; n <= 40; n += (n < 8 ? 1 : 9))
        check_many(wide, n);
}

static void
test_pbkdf2_sha256__many_without_wide(void **state)
{
    (void)state;
    check_many(MFAB_PBKDF2_NO_WIDE, 12);
    check_many(NULL, 12); /* this CPU's choice */
}

static void
test_pbkdf2_sha256__many_einval(void **state)
{
    uint8_t out[2][32];
    mfab_pbkdf2_job jobs[2] = {
        { out[0], 32, (const uint8_t *)"p", 1, (const uint8_t *)"s", 1, 1 },
        { out[1], 32, (const uint8_t *)"p", 1, (const uint8_t *)"s", 1, 0 },
    };
    mfab_diag diag = MFAB_DIAG_INIT;
    (void)state;

    memset(out, 0xAA, sizeof(out));
    assert_int_equal(mfab_spake2p__pbkdf2_many(jobs, 2, NULL, NULL, &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "iteration", NULL);
    /* checked before anything is derived */
    assert_int_equal(out[0][0], 0xAA);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pbkdf2_sha256__rfc7914_vector),
        cmocka_unit_test(test_pbkdf2_sha256__random_inputs),
        cmocka_unit_test(test_pbkdf2_sha256__backends_agree_on_compress),
        cmocka_unit_test(test_pbkdf2_sha256__best_is_shani_when_cpu_has_it),
        cmocka_unit_test(test_pbkdf2_sha256__einval),
        cmocka_unit_test(test_pbkdf2_sha256__many_on_the_wide_backend),
        cmocka_unit_test(test_pbkdf2_sha256__many_without_wide),
        cmocka_unit_test(test_pbkdf2_sha256__many_einval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
