/* Tests for src/nvs/nvs_xts.c: the batched engine equals OpenSSL's own
 * AES-256-XTS on 32-byte data units, both directions, any batch size. */
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "mfab_test.h"
#include "nvs/nvs_xts.h"

#define N 700 /* more than two batches */

static void
reference_xts(uint8_t *unit, uint32_t off, const mfab_nvs_keys *k, int enc)
{
    EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
    uint8_t key[64], iv[16] = { 0 }, out[32];
    int outl = 0;

    memcpy(key, k->eky, 32);
    memcpy(key + 32, k->tky, 32);
    iv[0] = (uint8_t)off;
    iv[1] = (uint8_t)(off >> 8);
    iv[2] = (uint8_t)(off >> 16);
    iv[3] = (uint8_t)(off >> 24);
    assert_non_null(c);
    assert_int_equal(EVP_CipherInit_ex(c, EVP_aes_256_xts(), NULL, key, iv,
                                       enc), 1);
    assert_int_equal(EVP_CipherUpdate(c, out, &outl, unit, 32), 1);
    assert_int_equal(outl, 32);
    memcpy(unit, out, 32);
    EVP_CIPHER_CTX_free(c);
}

static void
roundtrip(int enc)
{
    static uint8_t data[N][32], expect[N][32];
    uint8_t *units[N];
    uint32_t offs[N];
    mfab_nvs_keys k;
    mfab_nvs__xts x;
    size_t i;

    assert_int_equal(RAND_bytes((uint8_t *)&k, sizeof(k)), 1);
    assert_int_equal(RAND_bytes(data[0], sizeof(data)), 1);
    memcpy(expect, data, sizeof(data));
    for (i = 0; i < N; i++) {
        /* offsets with high bits set exercise every tweak byte */
        offs[i] = (uint32_t)(64 + 32 * i + (i % 7) * 0x01010000u);
        units[i] = data[i];
        reference_xts(expect[i], offs[i], &k, enc);
    }
    assert_int_equal(mfab_nvs__xts_init(&x, &k, enc, NULL), 0);
    assert_int_equal(mfab_nvs__xts_units(&x, units, offs, N, NULL), 0);
    mfab_nvs__xts_release(&x);
    mfab_test_assert_bytes("xts", expect[0], sizeof(expect), data[0],
                           sizeof(data));
}

static void
test_nvs_xts__encrypt_matches_openssl_xts(void **state)
{
    (void)state;
    roundtrip(1);
}

static void
test_nvs_xts__decrypt_matches_openssl_xts(void **state)
{
    (void)state;
    roundtrip(0);
}

static void
test_nvs_xts__equal_halves_rejected(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    mfab_nvs_keys k;
    mfab_nvs__xts x;

    (void)state;
    memset(&k, 0x11, sizeof(k));
    assert_int_equal(mfab_nvs__xts_init(&x, &k, 1, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'eky'", "'tky'", NULL);
    assert_null(x.data);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_xts__encrypt_matches_openssl_xts),
        cmocka_unit_test(test_nvs_xts__decrypt_matches_openssl_xts),
        cmocka_unit_test(test_nvs_xts__equal_halves_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
