/* Tests for src/pki/pki_cert_io.c: PEM and DER load to the same
 * certificate, DER re-encodes byte-exact, strict DER (no trailing bytes),
 * buffer contract and file errors. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "mfab_test.h"

#define DAC "pki/sdk-test/Chip-Test-DAC-FFF1-8000-0000-Cert"

static void
test_pki_cert_io__pem_der_roundtrip(void **state)
{
    char path[1024];
    X509 *pem = NULL, *der = NULL;
    uint8_t *expected, buf[2048];
    size_t elen = 0, len = 0;
    (void)state;

    mfab_test_vpath(path, sizeof(path), DAC ".pem");
    assert_int_equal(mfab_pki_cert_load(&pem, path, NULL), 0);
    expected = mfab_test_read(path, &elen);
    assert_int_equal(mfab_pki_cert_encode(buf, sizeof(buf), &len, pem, 1, NULL),
                     0);
    mfab_test_assert_bytes("PEM", expected, elen, buf, len);
    free(expected);
    mfab_test_vpath(path, sizeof(path), DAC ".der");
    assert_int_equal(mfab_pki_cert_load(&der, path, NULL), 0);
    assert_int_equal(X509_cmp(pem, der), 0);
    expected = mfab_test_read(path, &elen);
    assert_int_equal(mfab_pki_cert_encode(buf, sizeof(buf), &len, der, 0, NULL),
                     0);
    mfab_test_assert_bytes("DER", expected, elen, buf, len);
    /* measure, then too small */
    assert_int_equal(mfab_pki_cert_encode(NULL, 0, &len, der, 0, NULL), 0);
    assert_int_equal(len, elen);
    assert_int_equal(mfab_pki_cert_encode(buf, 10, &len, der, 0, NULL),
                     MFAB_EBUFS);
    free(expected);
    X509_free(pem);
    X509_free(der);
}

static void
test_pki_cert_io__strict_der_and_errors(void **state)
{
    char path[1024];
    uint8_t *der, *longer;
    size_t len = 0;
    X509 *c = NULL;
    mfab_diag d = MFAB_DIAG_INIT;
    char *dir = mfab_test_tmpdir();
    (void)state;

    mfab_test_vpath(path, sizeof(path), DAC ".der");
    der = mfab_test_read(path, &len);
    longer = malloc(len + 1);
    assert_non_null(longer);
    memcpy(longer, der, len);
    longer[len] = 0;
    assert_int_equal(mfab_pki_cert_parse(&c, longer, len + 1, &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "1 trailing bytes", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_cert_parse(&c, der, len - 1, &d), MFAB_EFORMAT);
    assert_null(c);
    mfab_diag_init(&d);
    snprintf(path, sizeof(path), "%s/none.der", dir);
    assert_int_equal(mfab_pki_cert_load(&c, path, &d), MFAB_ENOTFOUND);
    assert_int_equal(mfab_pki_cert_parse(&c, der, len, NULL), 0);
    snprintf(path, sizeof(path), "%s/no/such/dir/c.der", dir);
    mfab_diag_init(&d);
    assert_int_equal(mfab_pki_cert_write(path, c, 0, &d), MFAB_EIO);
    X509_free(c);
    free(der);
    free(longer);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_cert_io__pem_der_roundtrip),
        cmocka_unit_test(test_pki_cert_io__strict_der_and_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
