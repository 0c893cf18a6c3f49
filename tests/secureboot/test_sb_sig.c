/* Tests for src/secureboot/sb_sig.c: signature form conversions (DER <->
 * fixed-width r||s, RSA byte reversal) and their format errors. */
#include <openssl/ec.h>

#include "sb_test.h"
#include "secureboot/sb_internal.h"

/* DER -> LE r||s -> DER gives the signature back; P-192 leaves a zero
 * tail in the 64-byte block field. */
static void
test_sb_sig__ecdsa_round_trip(void **state)
{
    size_t n = 0, back_len = 0;
    uint8_t *der = sb_vread(SBV2 "sbv2-ecdsa256-precalc/signature.bin", &n);
    const sb_layout *lay = mfab_sb__layout(MFAB_SB_ECDSA256);
    uint8_t field[96], *back = NULL;
    (void)state;

    assert_int_equal(mfab_sb__sig_to_block(field, lay, der, n, NULL), 0);
    assert_int_equal(mfab_sb__sig_from_block(&back, &back_len, lay, field,
                                             NULL),
                     0);
    mfab_test_assert_bytes("der", der, n, back, back_len);
    OPENSSL_free(back);
    free(der);
}

static void
test_sb_sig__bad_der_is_eformat(void **state)
{
    static const uint8_t junk[] = { 0x30, 0x05, 0x02, 0x01, 0x01, 0x02 };
    const sb_layout *lay = mfab_sb__layout(MFAB_SB_ECDSA192);
    uint8_t field[96];
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sb__sig_to_block(field, lay, junk, sizeof(junk),
                                           &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "not valid DER", NULL);
}

/* A P-256 signature does not fit P-192's 24-byte coordinates. */
static void
test_sb_sig__too_wide_is_eformat(void **state)
{
    size_t n = 0;
    uint8_t *der = sb_vread(SBV2 "sbv2-ecdsa256-precalc/signature.bin", &n);
    uint8_t out[48];
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sb__ecdsa_der_to_rs(out, 24, 1, der, n, &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "wider than 24", NULL);
    free(der);
}

static void
test_sb_sig__rsa_reversed_and_length_checked(void **state)
{
    size_t n = 0, i;
    uint8_t *sig = sb_vread(SBV2 "sbv2-rsa3072-precalc/signature.bin", &n);
    const sb_layout *lay = mfab_sb__layout(MFAB_SB_RSA3072);
    uint8_t field[384];
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(n, 384);
    assert_int_equal(mfab_sb__sig_to_block(field, lay, sig, n, NULL), 0);
    for (i = 0; i < 384; i++)
        assert_int_equal(field[i], sig[383 - i]);
    assert_int_equal(mfab_sb__sig_to_block(field, lay, sig, 256, &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "256 bytes", "384", NULL);
    free(sig);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_sig__ecdsa_round_trip),
        cmocka_unit_test(test_sb_sig__bad_der_is_eformat),
        cmocka_unit_test(test_sb_sig__too_wide_is_eformat),
        cmocka_unit_test(test_sb_sig__rsa_reversed_and_length_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
