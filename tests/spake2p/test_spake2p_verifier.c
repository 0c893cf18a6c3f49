/*
 * Tests for src/spake2p/spake2p_verifier.c: every case of
 * commissioning/spake2p.json byte-exact (PBKDF2 output on both backends,
 * w0, L, verifier), the invalid.json categories spake2p_salt,
 * spake2p_iterations, spake2p_verifier and passcode at library level, and
 * each error code the functions return.
 */
#include <pthread.h>
#include <string.h>

#include "mfab_test.h"
#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/spake2p.h"
#include "spake2p/pbkdf2_sha256.h"

static json_t *
load_cases(const char *file)
{
    char path[1024];
    json_t *root;

    mfab_test_vpath(path, sizeof(path), file);
    root = mfab_test_json(path);
    assert_true(json_is_array(json_object_get(root, "cases")));
    return root;
}

static size_t
hex_field(uint8_t *out, size_t cap, json_t *c, const char *key)
{
    const char *hex = json_string_value(json_object_get(c, key));
    size_t n = 0;

    assert_non_null(hex);
    assert_int_equal(mfab_hex_decode(out, cap, &n, hex, strlen(hex), NULL),
                     0);
    return n;
}

static size_t
b64_field(uint8_t *out, size_t cap, json_t *c, const char *key)
{
    const char *text = json_string_value(json_object_get(c, key));
    size_t n = 0;

    assert_non_null(text);
    assert_int_equal(mfab_base64_decode(out, cap, &n, text, strlen(text),
                                        NULL),
                     0);
    return n;
}

static void
test_spake2p_verifier__golden_vectors(void **state)
{
    json_t *root = load_cases("commissioning/spake2p.json");
    json_t *cases = json_object_get(root, "cases");
    const mfab_sha256_backend *backends[2];
    size_t i;
    (void)state;

    backends[0] = mfab_spake2p__sha256_portable();
    backends[1] = mfab_spake2p__sha256_shani();
    assert_int_equal(json_array_size(cases), 31);
    for (i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        uint32_t passcode =
            (uint32_t)json_integer_value(json_object_get(c, "passcode"));
        uint32_t iter =
            (uint32_t)json_integer_value(json_object_get(c, "iterations"));
        uint8_t salt[64], salt_hex[64], want_ws[80], ws[80], pw[4];
        uint8_t want_v[128], want_w0[32], want_l[65], v[128];
        size_t salt_len, n;
        int b;

        salt_len = b64_field(salt, sizeof(salt), c, "salt");
        n = hex_field(salt_hex, sizeof(salt_hex), c, "salt_hex");
        mfab_test_assert_bytes("salt", salt_hex, n, salt, salt_len);
        assert_int_equal(hex_field(want_ws, sizeof(want_ws), c,
                                   "pbkdf2_output_hex"),
                         80);
        mfab_put_le32(pw, passcode);
        for (b = 0; b < 2; b++) {
            if (backends[b] == NULL)
                continue;
            assert_int_equal(mfab_spake2p__pbkdf2(ws, 80, pw, 4, salt,
                                                  salt_len, iter,
                                                  backends[b], NULL),
                             0);
            mfab_test_assert_bytes(backends[b]->name, want_ws, 80, ws, 80);
        }
        assert_int_equal(b64_field(want_v, sizeof(want_v), c, "verifier"),
                         MFAB_SPAKE2P_VERIFIER_LEN);
        assert_int_equal(hex_field(want_w0, 32, c, "w0_hex"), 32);
        assert_int_equal(hex_field(want_l, 65, c, "L_hex"), 65);
        memset(v, 0, sizeof(v));
        assert_int_equal(mfab_spake2p_verifier(v, sizeof(v), &n, passcode,
                                               salt, salt_len, iter, NULL),
                         0);
        assert_int_equal(n, MFAB_SPAKE2P_VERIFIER_LEN);
        mfab_test_assert_bytes("w0", want_w0, 32, v, 32);
        mfab_test_assert_bytes("L", want_l, 65, v + 32, 65);
        mfab_test_assert_bytes("verifier", want_v, 97, v, n);
        assert_int_equal(mfab_spake2p_verifier_check(want_v, 97, passcode,
                                                     salt, salt_len, iter,
                                                     NULL),
                         0);
    }
    json_decref(root);
}

/* All golden cases in one call, as generate computes its devices: the
 * same verifiers (on AVX-512 CPUs through the wide backend, since the 31
 * cases include runs with equal iteration counts), in one call and in
 * calls of five. */
static void
test_spake2p_verifier__many_golden_vectors(void **state)
{
    enum { N = 31 };
    json_t *root = load_cases("commissioning/spake2p.json");
    json_t *cases = json_object_get(root, "cases");
    static mfab_spake2p_verifier_job jobs[N];
    uint8_t salt[N][64], want[N][128];
    size_t i, first;
    (void)state;

    assert_int_equal(json_array_size(cases), N);
    for (i = 0; i < N; i++) {
        json_t *c = json_array_get(cases, i);

        memset(&jobs[i], 0, sizeof(jobs[i]));
        jobs[i].passcode =
            (uint32_t)json_integer_value(json_object_get(c, "passcode"));
        jobs[i].iterations =
            (uint32_t)json_integer_value(json_object_get(c, "iterations"));
        jobs[i].salt_len = b64_field(salt[i], sizeof(salt[i]), c, "salt");
        jobs[i].salt = salt[i];
        assert_int_equal(b64_field(want[i], sizeof(want[i]), c, "verifier"),
                         MFAB_SPAKE2P_VERIFIER_LEN);
    }
    assert_int_equal(mfab_spake2p_verifier_many(jobs, N, NULL), 0);
    for (i = 0; i < N; i++)
        mfab_test_assert_bytes("verifier", want[i], 97, jobs[i].verifier, 97);
    for (first = 0; first < N; first += 5) {
        size_t k = N - first < 5 ? N - first : 5;

        for (i = first; i < first + k; i++)
            memset(jobs[i].verifier, 0, 97);
        assert_int_equal(mfab_spake2p_verifier_many(jobs + first, k, NULL),
                         0);
        for (i = first; i < first + k; i++)
            mfab_test_assert_bytes("verifier", want[i], 97, jobs[i].verifier,
                                   97);
    }
    json_decref(root);
}

/* One bad job fails the call before anything is computed. */
static void
test_spake2p_verifier__many_checks_every_job_first(void **state)
{
    static const uint8_t salt[16] = { 1 };
    mfab_spake2p_verifier_job jobs[3];
    mfab_diag diag = MFAB_DIAG_INIT;
    size_t i;
    (void)state;

    for (i = 0; i < 3; i++) {
        memset(&jobs[i], 0, sizeof(jobs[i]));
        jobs[i].passcode = 20202021;
        jobs[i].salt = salt;
        jobs[i].salt_len = sizeof(salt);
        jobs[i].iterations = 1000;
    }
    jobs[2].iterations = 999;
    assert_int_equal(mfab_spake2p_verifier_many(jobs, 3, &diag),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&diag, MFAB_ERANGE, "iteration", NULL);
    for (i = 0; i < 3; i++)
        assert_int_equal(jobs[i].verifier[0], 0);
}

/* The library-level outcome of one invalid.json case: the salt text
 * must decode, then the verifier (or the check) must pass. */
static int
run_invalid(json_t *in, mfab_diag *diag)
{
    json_t *jp = json_object_get(in, "passcode");
    json_t *js = json_object_get(in, "salt");
    json_t *ji = json_object_get(in, "iterations");
    json_t *jv = json_object_get(in, "verifier");
    uint32_t passcode = 20202021, iter = MFAB_SPAKE2P_ITER_DEFAULT;
    uint8_t salt[128], v[128];
    size_t salt_len = 32, n, pos;
    int rc;

    memset(salt, 0x5A, sizeof(salt));
    if (jp != NULL) {
        /* -5 reaches the library as 4294967291, as a C caller would
         * pass it */
        passcode = (uint32_t)json_integer_value(jp);
    }
    if (ji != NULL)
        iter = (uint32_t)json_integer_value(ji);
    if (js != NULL) {
        const char *t = json_string_value(js);
        rc = mfab_base64_decode(salt, sizeof(salt), &salt_len, t, strlen(t),
                                &pos);
        if (rc < 0)
            return mfab_diag_set(diag, rc, "salt: not base64 at offset %zu",
                                 pos);
    }
    if (jv == NULL)
        return mfab_spake2p_verifier(v, sizeof(v), &n, passcode, salt,
                                     salt_len, iter, diag);
    rc = mfab_base64_decode(v, sizeof(v), &n, json_string_value(jv),
                            strlen(json_string_value(jv)), &pos);
    assert_int_equal(rc, 0);
    return mfab_spake2p_verifier_check(v, n, passcode, salt, salt_len, iter,
                                       diag);
}

static void
test_spake2p_verifier__invalid_vectors(void **state)
{
    static const struct {
        const char *category;
        int code;          /* expected for must_reject cases */
        const char *words; /* the message must name this */
    } cats[] = {
        { "spake2p_salt", 0, "salt" },
        { "spake2p_iterations", MFAB_ERANGE, "iteration count" },
        { "spake2p_verifier", 0, "verifier" },
        { "passcode", 0, "passcode" },
    };
    json_t *root = load_cases("commissioning/invalid.json");
    json_t *cases = json_object_get(root, "cases");
    size_t i, k, seen = 0;
    (void)state;

    for (i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        const char *cat = json_string_value(json_object_get(c, "category"));
        json_t *in = json_object_get(c, "input");
        int must = json_is_true(json_object_get(c, "must_reject"));
        mfab_diag diag = MFAB_DIAG_INIT;
        int rc;

        for (k = 0; k < MFAB_ARRAY_SIZE(cats); k++)
            if (strcmp(cat, cats[k].category) == 0)
                break;
        if (k == MFAB_ARRAY_SIZE(cats))
            continue;
        /* CLI text cases are run by tests/cli/test_spake2p.c */
        if (json_object_get(in, "passcode_cli_text") != NULL)
            continue;
        seen++;
        rc = run_invalid(in, &diag);
        if (!must) {
            assert_int_equal(rc, 0);
            continue;
        }
        if (rc == 0)
            fail_msg("%s: accepted", json_string_value(json_object_get(c,
                                                                      "id")));
        if (cats[k].code != 0)
            assert_int_equal(rc, cats[k].code);
        mfab_test_assert_diag(&diag, rc, cats[k].words, NULL);
    }
    /* 7 salt + 4 iterations + 3 verifier + 15 passcode */
    assert_int_equal(seen, 29);
    json_decref(root);
}

static void
test_spake2p_verifier__limits_are_inclusive(void **state)
{
    uint8_t salt[33] = { 0 }, v[97];
    size_t n;
    (void)state;

    assert_int_equal(mfab_spake2p_check_salt_len(16, NULL), 0);
    assert_int_equal(mfab_spake2p_check_salt_len(32, NULL), 0);
    assert_int_equal(mfab_spake2p_check_salt_len(15, NULL), MFAB_ERANGE);
    assert_int_equal(mfab_spake2p_check_salt_len(33, NULL), MFAB_ERANGE);
    assert_int_equal(mfab_spake2p_check_iterations(1000, NULL), 0);
    assert_int_equal(mfab_spake2p_check_iterations(100000, NULL), 0);
    assert_int_equal(mfab_spake2p_check_iterations(999, NULL), MFAB_ERANGE);
    assert_int_equal(mfab_spake2p_check_iterations(100001, NULL),
                     MFAB_ERANGE);
    assert_int_equal(mfab_spake2p_verifier(v, sizeof(v), &n, 20202021, salt,
                                           33, 1000, NULL),
                     MFAB_ERANGE);
}

static void
test_spake2p_verifier__measure_and_ebufs(void **state)
{
    uint8_t salt[16] = { 1 }, v[96];
    mfab_diag diag = MFAB_DIAG_INIT;
    size_t n = 0;
    (void)state;

    assert_int_equal(mfab_spake2p_verifier(NULL, 0, &n, 20202021, salt, 16,
                                           1000, NULL),
                     0);
    assert_int_equal(n, MFAB_SPAKE2P_VERIFIER_LEN);
    n = 0;
    assert_int_equal(mfab_spake2p_verifier(v, sizeof(v), &n, 20202021, salt,
                                           16, 1000, &diag),
                     MFAB_EBUFS);
    assert_int_equal(n, MFAB_SPAKE2P_VERIFIER_LEN);
    mfab_test_assert_diag(&diag, MFAB_EBUFS, "97", NULL);
}

static void
test_spake2p_verifier__check_rejects_one_flipped_bit(void **state)
{
    uint8_t salt[32], v[97];
    mfab_diag diag = MFAB_DIAG_INIT;
    size_t n, bit;
    (void)state;

    memset(salt, 7, sizeof(salt));
    assert_int_equal(mfab_spake2p_verifier(v, sizeof(v), &n, 123456, salt,
                                           32, 1000, NULL),
                     0);
    for (bit = 0; bit < 97 * 8; bit += 97) {
        v[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        assert_int_equal(mfab_spake2p_verifier_check(v, 97, 123456, salt, 32,
                                                     1000, NULL),
                         MFAB_ECRYPTO);
        v[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    }
    assert_int_equal(mfab_spake2p_verifier_check(v, 96, 123456, salt, 32,
                                                 1000, &diag),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&diag, MFAB_EFORMAT, "96 bytes", NULL);
}

/* The CHIP SDK test verifier (spec section 3). */
static const char chip_verifier[] =
    "uWFwqugDNGiEck/po7KHwwMwwqZgN10XuyBajPGuyzUEV/iree4lOrao5GuwnlQ65CJzbeUB"
    "49s31EH+NEkg0JVI5MGCQGMMT/SRPFNRODm3wH/MBiehuFc6FJ/NH6Rmzw==";

typedef struct worker {
    const uint8_t *want;
    int ok;
} worker;

/* 20 verifiers per thread, each compared with the known answer. */
static void *
verifier_worker(void *arg)
{
    worker *w = arg;
    uint8_t v[97];
    size_t n, i;

    w->ok = 1;
    for (i = 0; i < 20; i++) {
        mfab_diag diag = MFAB_DIAG_INIT;

        memset(v, 0, sizeof(v));
        if (mfab_spake2p_verifier(v, sizeof(v), &n, 20202021,
                                  (const uint8_t *)"SPAKE2P Key Salt", 16,
                                  1000, &diag) != 0 ||
            memcmp(v, w->want, sizeof(v)) != 0)
            w->ok = 0;
    }
    return NULL;
}

static void
test_spake2p_verifier__threads_agree(void **state)
{
    pthread_t th[4];
    worker w[4];
    uint8_t want[97];
    size_t n, i;
    (void)state;

    assert_int_equal(mfab_base64_decode(want, sizeof(want), &n,
                                        chip_verifier, strlen(chip_verifier),
                                        NULL),
                     0);
    for (i = 0; i < 4; i++) {
        w[i].want = want;
        assert_int_equal(pthread_create(&th[i], NULL, verifier_worker, &w[i]),
                         0);
    }
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        assert_true(w[i].ok);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spake2p_verifier__golden_vectors),
        cmocka_unit_test(test_spake2p_verifier__many_golden_vectors),
        cmocka_unit_test(test_spake2p_verifier__many_checks_every_job_first),
        cmocka_unit_test(test_spake2p_verifier__invalid_vectors),
        cmocka_unit_test(test_spake2p_verifier__limits_are_inclusive),
        cmocka_unit_test(test_spake2p_verifier__measure_and_ebufs),
        cmocka_unit_test(test_spake2p_verifier__check_rejects_one_flipped_bit),
        cmocka_unit_test(test_spake2p_verifier__threads_agree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
