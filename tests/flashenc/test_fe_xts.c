/* Tests for src/flashenc/fe_xts.c: encrypting in pieces at the right
 * addresses equals encrypting the whole (esptool's own property), and
 * one data unit checked against plain OpenSSL XTS with the reversal and
 * tweak rules of spec 5.2 written out independently. */
#include <openssl/evp.h>

#include "fe_test.h"

static void
test_fe_xts__pieces_equal_whole(void **state)
{
    size_t pl = 0;
    uint8_t *pt = fe_vread(FE "fe-xts256-s3-03-0x20000/plaintext.bin", &pl);
    uint8_t *whole, *p1, *p2, *p3;
    mfab_flashenc_key key;
    (void)state;

    fe_vkey(&key, FE "fe-xts256-s3-03-0x20000/key.bin", MFAB_FLASHENC_XTS);
    whole = fe_crypt(pt, pl, 0x20000, &key, 0, 0);
    p1 = fe_crypt(pt, 0x30, 0x20000, &key, 0, 0);        /* mid unit */
    p2 = fe_crypt(pt + 0x30, 0x1000, 0x20030, &key, 0, 0);
    p3 = fe_crypt(pt + 0x1030, pl - 0x1030, 0x21030, &key, 0, 0);
    mfab_test_assert_bytes("p1", whole, 0x30, p1, 0x30);
    mfab_test_assert_bytes("p2", whole + 0x30, 0x1000, p2, 0x1000);
    mfab_test_assert_bytes("p3", whole + 0x1030, pl - 0x1030, p3,
                           pl - 0x1030);
    free(whole);
    free(p1);
    free(p2);
    free(p3);
    free(pt);
}

static void
test_fe_xts__one_unit_against_openssl(void **state)
{
    uint8_t pt[128], rev[128], tweak[16] = { 0 }, ref[128], *ours;
    mfab_flashenc_key key;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    int n = 0;
    size_t i;
    (void)state;

    for (i = 0; i < 128; i++) {
        pt[i] = (uint8_t)(i * 3 + 1);
        rev[127 - i] = pt[i];
    }
    fe_vkey(&key, FE "fe-xts128-c3-01-0x0/key.bin", MFAB_FLASHENC_XTS);
    tweak[0] = 0x80; /* unit address 0x5080, little-endian */
    tweak[1] = 0x50;
    assert_int_equal(EVP_EncryptInit_ex(ctx, EVP_aes_128_xts(), NULL,
                                        key.key, tweak),
                     1);
    assert_int_equal(EVP_EncryptUpdate(ctx, ref, &n, rev, 128), 1);
    ours = fe_crypt(pt, 128, 0x5080, &key, 0, 0);
    for (i = 0; i < 128; i++)
        assert_int_equal(ours[i], ref[127 - i]);
    EVP_CIPHER_CTX_free(ctx);
    free(ours);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fe_xts__pieces_equal_whole),
        cmocka_unit_test(test_fe_xts__one_unit_against_openssl),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
