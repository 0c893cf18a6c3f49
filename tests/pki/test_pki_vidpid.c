/* Tests for src/pki/pki_vidpid.c: Matter VID/PID extraction (OID
 * attributes and the CN fallback) on the SDK vectors. */
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/pki.h"
#include "mfab_test.h"
#include "mfab_test_pki.h"

static void
assert_ids(const char *rel, int rc, int has_vid, unsigned vid, int has_pid,
           unsigned pid)
{
    X509 *c = mfab_test_cert(rel);
    mfab_pki_vidpid ids;
    mfab_diag d = MFAB_DIAG_INIT;

    assert_int_equal(mfab_pki_cert_vidpid(&ids, c, &d), rc);
    if (rc == 0) {
        assert_int_equal(ids.has_vid, has_vid);
        assert_int_equal(ids.has_pid, has_pid);
        if (has_vid)
            assert_int_equal(ids.vid, vid);
        if (has_pid)
            assert_int_equal(ids.pid, pid);
    } else {
        mfab_test_assert_diag(&d, MFAB_EFORMAT, "uppercase hex", NULL);
    }
    X509_free(c);
}

#define FB "pki/cases/struct_dac_vidpid_fallback_encoding_"

static void
test_pki_vidpid__oid_and_cn_fallback(void **state)
{
    (void)state;
    assert_ids("pki/sdk-test/Chip-Test-PAA-FFF1-Cert.der", 0, 1, 0xFFF1, 0, 0);
    assert_ids("pki/sdk-test/Chip-Test-PAA-NoVID-Cert.der", 0, 0, 0, 0, 0);
    assert_ids("pki/sdk-test/Chip-Test-DAC-FFF2-8001-0008-Cert.der", 0, 1,
               0xFFF2, 1, 0x8001);
    assert_ids(FB "01/dac.der", 0, 1, 0xFFF1, 1, 0x00B1);
    assert_ids(FB "05/dac.der", 0, 1, 0xFFF1, 1, 0x00B1);
    assert_ids(FB "11/dac.der", 0, 1, 0xFFF1, 1, 0x00B1);
    assert_ids(FB "15/dac.der", 0, 1, 0xFFF1, 1, 0x00B1);
    assert_ids(FB "16/dac.der", 0, 1, 0xFFF2, 1, 0x00B2);
    assert_ids(FB "06/dac.der", MFAB_EFORMAT, 0, 0, 0, 0);
    assert_ids(FB "07/dac.der", MFAB_EFORMAT, 0, 0, 0, 0);
    assert_ids(FB "08/dac.der", MFAB_EFORMAT, 0, 0, 0, 0);
    assert_ids(FB "12/dac.der", MFAB_EFORMAT, 0, 0, 0, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_vidpid__oid_and_cn_fallback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
