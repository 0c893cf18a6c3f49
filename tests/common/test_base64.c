/*
 * Tests for src/common/base64.c: RFC 4648 section 10 vectors both ways,
 * measuring, short buffers, and every way strict decoding refuses text.
 */
#include <string.h>

#include <openssl/rand.h>

#include "mfab_test.h"
#include "matterfab/base64.h"
#include "matterfab/error.h"
#include "common/common_internal.h"

static const char *const rfc_plain[] = { "", "f", "fo", "foo", "foob",
                                         "fooba", "foobar" };
static const char *const rfc_b64[] = { "", "Zg==", "Zm8=", "Zm9v",
                                       "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };

static void
test_base64__rfc4648_vectors(void **state)
{
    char text[16];
    uint8_t bytes[8];
    size_t n, i;
    (void)state;

    for (i = 0; i < 7; i++) {
        assert_int_equal(mfab_base64_encode(text, sizeof(text), &n,
                                            (const uint8_t *)rfc_plain[i],
                                            strlen(rfc_plain[i])),
                         0);
        assert_int_equal(n, strlen(rfc_b64[i]));
        assert_string_equal(text, rfc_b64[i]);
        assert_int_equal(mfab_base64_decode(bytes, sizeof(bytes), &n,
                                            rfc_b64[i], strlen(rfc_b64[i]),
                                            NULL),
                         0);
        assert_int_equal(n, strlen(rfc_plain[i]));
        assert_memory_equal(bytes, rfc_plain[i], n);
    }
}

static void
test_base64__round_trip_random(void **state)
{
    uint8_t in[100], back[100];
    char text[MFAB_BASE64_LEN(100) + 1];
    size_t len, n, m;
    (void)state;

    assert_int_equal(RAND_bytes(in, sizeof(in)), 1);
    for (len = 0; len <= sizeof(in); len++) {
        assert_int_equal(mfab_base64_encode(text, sizeof(text), &n, in, len),
                         0);
        assert_int_equal(mfab_base64_decode(back, sizeof(back), &m, text, n,
                                            NULL),
                         0);
        mfab_test_assert_bytes("round trip", in, len, back, m);
    }
}

static void
test_base64__measure_and_ebufs(void **state)
{
    uint8_t out[2];
    char text[4];
    size_t n = 0;
    (void)state;

    assert_int_equal(mfab_base64_decode(NULL, 0, &n, "Zm9v", 4, NULL), 0);
    assert_int_equal(n, 3);
    assert_int_equal(mfab_base64_decode(out, 2, &n, "Zm9v", 4, NULL),
                     MFAB_EBUFS);
    assert_int_equal(n, 3);
    assert_int_equal(mfab_base64_encode(NULL, 0, &n,
                                        (const uint8_t *)"foo", 3),
                     0);
    assert_int_equal(n, 4);
    /* 4 characters need 5 bytes with the NUL */
    assert_int_equal(mfab_base64_encode(text, 4, &n,
                                        (const uint8_t *)"foo", 3),
                     MFAB_EBUFS);
}

static void
test_base64__strict_rejects(void **state)
{
    static const struct {
        const char *text;
        size_t bad_pos;
    } cases[] = {
        { "AAECAwQFBgcICQoLDA0ODw", 22 },  /* missing padding */
        { "AAEC*AwQFBgcICQoLDA0ODw==", 25 }, /* length not 4k */
        { "AAE*AwQF", 3 },                  /* not in the alphabet */
        { "AAEC AwQ", 4 },                  /* no whitespace skipping */
        { "Zg=a", 2 },                      /* '=' inside */
        { "====", 0 },
        { "Zh==", 1 },                      /* unused bits set */
        { "Zm9=", 2 },
        { "Zm8=Zm8=", 3 },                  /* padding before the end */
        { "Zm9v\n", 5 },
    };
    size_t i, n, pos;

    (void)state;
    for (i = 0; i < MFAB_ARRAY_SIZE(cases); i++) {
        pos = 999;
        assert_int_equal(mfab_base64_decode(NULL, 0, &n, cases[i].text,
                                            strlen(cases[i].text), &pos),
                         MFAB_EFORMAT);
        assert_int_equal(pos, cases[i].bad_pos);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64__rfc4648_vectors),
        cmocka_unit_test(test_base64__round_trip_random),
        cmocka_unit_test(test_base64__measure_and_ebufs),
        cmocka_unit_test(test_base64__strict_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
