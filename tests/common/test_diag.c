/* Tests for src/common/diag.c */
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "matterfab/diag.h"
#include "matterfab/error.h"
#include "mfab_test.h"

static void
test_diag__first_error_wins(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_diag_set(&d, MFAB_ERANGE, "inner %d", 1),
                     MFAB_ERANGE);
    assert_int_equal(mfab_diag_set(&d, MFAB_EINVAL, "outer"), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "inner 1", NULL);
    assert_string_equal(mfab_diag_message(&d), "inner 1");
}

static void
test_diag__located_message(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    mfab_diag_set_at(&d, MFAB_EINVAL, "input.csv", 14, "bad '%s'", "x");
    assert_string_equal(d.message, "input.csv:14: bad 'x'");
    mfab_diag_init(&d);
    mfab_diag_set_at(&d, MFAB_EIO, "keys.bin", 0, "short");
    assert_string_equal(d.message, "keys.bin: short");
}

static void
test_diag__null_is_allowed(void **state)
{
    (void)state;
    assert_int_equal(mfab_diag_set(NULL, MFAB_EIO, "x"), MFAB_EIO);
    mfab_diag_warn(NULL, "nothing");
    assert_string_equal(mfab_diag_message(NULL), "");
}

static void
test_diag__openssl_reason_appended(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    /* An unknown cipher leaves a reason in OpenSSL's queue. */
    assert_null(EVP_CIPHER_fetch(NULL, "NO-SUCH-CIPHER", NULL));
    mfab_diag_set_ossl(&d, MFAB_ECRYPTO, "cannot fetch");
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "cannot fetch: OpenSSL: ", NULL);
    assert_int_equal(ERR_peek_error(), 0);
}

static void
collect(void *ctx, const char *msg)
{
    strcpy((char *)ctx, msg);
}

static void
test_diag__warning_sink(void **state)
{
    char seen[64] = "";
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    d.warn = collect;
    d.warn_ctx = seen;
    mfab_diag_warn(&d, "unknown type '%s'", "foo");
    assert_string_equal(seen, "unknown type 'foo'");
    assert_int_equal(d.warnings, 1);
    assert_int_equal(d.code, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diag__first_error_wins),
        cmocka_unit_test(test_diag__located_message),
        cmocka_unit_test(test_diag__null_is_allowed),
        cmocka_unit_test(test_diag__openssl_reason_appended),
        cmocka_unit_test(test_diag__warning_sink),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
