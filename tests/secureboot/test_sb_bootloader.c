/* Tests for src/secureboot/sb_bootloader.c: esptool's own digested
 * bootloader reproduced byte for byte; key/IV length rules; the trailing
 * SHA-256 truncation rule; the measure/EBUFS contract. */
#include "sb_test.h"

static uint8_t *
digest_new(size_t *n, const uint8_t *img, size_t ilen, const uint8_t *key,
           size_t klen, const uint8_t *iv, size_t ivlen)
{
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *buf;

    assert_int_equal(mfab_sbv1_bootloader_digest(NULL, 0, n, img, ilen, key,
                                                 klen, iv, ivlen, NULL),
                     0);
    buf = malloc(*n);
    if (mfab_sbv1_bootloader_digest(buf, *n, n, img, ilen, key, klen, iv,
                                    ivlen, &d) != 0)
        fail_msg("%s", mfab_diag_message(&d));
    return buf;
}

static void
test_sb_bootloader__upstream_byte_exact(void **state)
{
    size_t il = 0, kl = 0, vl = 0, el = 0, n = 0;
    uint8_t *img = sb_vread(UPSTREAM "bootloader.bin", &il);
    uint8_t *key = sb_vread(UPSTREAM "256bit_key.bin", &kl);
    uint8_t *iv = sb_vread(UPSTREAM "256bit_iv.bin", &vl);
    uint8_t *exp = sb_vread(UPSTREAM "expected/bootloader_digested.bin", &el);
    uint8_t *out;
    (void)state;

    out = digest_new(&n, img, il, key, kl, iv, vl);
    mfab_test_assert_bytes("bootloader_digested.bin", exp, el, out, n);
    free(out);
    free(img);
    free(key);
    free(iv);
    free(exp);
}

/* A 24-byte key is the 3/4-coded form of the 32-byte key that repeats
 * bytes 8..15; a 16-byte key means SHA-256 of it. */
static void
test_sb_bootloader__short_keys_expand(void **state)
{
    uint8_t img[256], iv[128], k24[24], k32[32], k16[16], k16h[32];
    uint8_t *a, *b;
    size_t na = 0, nb = 0;
    unsigned int ml = 0;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(img); i++)
        img[i] = (uint8_t)(i * 7);
    memset(iv, 0xA5, sizeof(iv));
    for (i = 0; i < 24; i++)
        k24[i] = (uint8_t)(i + 1);
    memcpy(k32, k24, 24);
    memcpy(k32 + 24, k24 + 8, 8);
    a = digest_new(&na, img, sizeof(img), k24, 24, iv, 128);
    b = digest_new(&nb, img, sizeof(img), k32, 32, iv, 128);
    mfab_test_assert_bytes("24 vs 32", b, nb, a, na);
    free(a);
    free(b);
    memset(k16, 0x3C, sizeof(k16));
    assert_int_equal(EVP_Digest(k16, 16, k16h, &ml, EVP_sha256(), NULL), 1);
    a = digest_new(&na, img, sizeof(img), k16, 16, iv, 128);
    b = digest_new(&nb, img, sizeof(img), k16h, 32, iv, 128);
    mfab_test_assert_bytes("16 vs sha256", b, nb, a, na);
    free(a);
    free(b);
}

/* An image with an appended SHA-256 that overhangs a 128-byte boundary
 * by <= 32 bytes loses that overhang; layout 0x1000 + padded image. */
static void
test_sb_bootloader__appended_digest_truncated(void **state)
{
    uint8_t img[128 + 32], iv[128], key[32];
    uint8_t *out;
    size_t n = 0;
    (void)state;

    memset(img, 0x11, sizeof(img));
    img[0] = 0xE9;
    img[23] = 1; /* hash appended */
    memset(iv, 0, sizeof(iv));
    memset(key, 0x42, sizeof(key));
    out = digest_new(&n, img, sizeof(img), key, 32, iv, 128);
    assert_int_equal(n, 0x1000 + 128);
    img[23] = 0; /* no hash: padded to 256 with 0xFF */
    free(out);
    out = digest_new(&n, img, sizeof(img), key, 32, iv, 128);
    assert_int_equal(n, 0x1000 + 256);
    assert_int_equal(out[0x1000 + 160], 0xFF);
    assert_int_equal(out[128 + 64], 0xFF);
    free(out);
}

static void
test_sb_bootloader__errors(void **state)
{
    uint8_t img[64] = { 0 }, key[32] = { 0 }, iv[144] = { 0 }, small[8];
    size_t n = 0;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sbv1_bootloader_digest(NULL, 0, &n, img, 64, key,
                                                 20, iv, 128, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "20 bytes", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_sbv1_bootloader_digest(NULL, 0, &n, img, 64, key,
                                                 32, iv, 144, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "IV of 144 bytes", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_sbv1_bootloader_digest(small, sizeof(small), &n,
                                                 img, 64, key, 32, iv, 128,
                                                 &d),
                     MFAB_EBUFS);
    assert_int_equal(n, 0x1000 + 128);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_bootloader__upstream_byte_exact),
        cmocka_unit_test(test_sb_bootloader__short_keys_expand),
        cmocka_unit_test(test_sb_bootloader__appended_digest_truncated),
        cmocka_unit_test(test_sb_bootloader__errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
