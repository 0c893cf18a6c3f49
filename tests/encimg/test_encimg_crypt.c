/*
 * Tests of src/encimg/encimg_crypt.c: the reference tool's encrypted.bin of
 * both vectors decrypts to plaintext.bin; our encryption decrypts back
 * (by our decrypt and with the header laid out as expected.json says);
 * wrong keys, public keys, damaged images and short buffers fail.
 */
#include <stdlib.h>
#include <string.h>

#include "matterfab/encimg.h"
#include "matterfab/error.h"
#include "mfab_test.h"

#define RSA_CASE "encimg-rsa3072-01"
#define EC_CASE "encimg-ecies-p256-01"

static uint8_t *
load(const char *c, const char *file, size_t *len)
{
    char rel[512], path[4096];

    snprintf(rel, sizeof(rel), "production/enc-img/%s/%s", c, file);
    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

static mfab_encimg_key *
key(const char *c, const char *file)
{
    mfab_encimg_key *k = NULL;
    size_t len;
    uint8_t *data = load(c, file, &len);

    assert_int_equal(mfab_encimg_key_load(&k, data, len, file, NULL), 0);
    free(data);
    return k;
}

/* Decrypt img with k and compare with the case's plaintext.bin. */
static void
assert_decrypts(const char *c, mfab_encimg_key *k, const uint8_t *img,
                size_t len)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    size_t plen, olen = 0;
    uint8_t *plain = load(c, "plaintext.bin", &plen), *out;

    assert_int_equal(mfab_encimg_decrypt(NULL, 0, &olen, k, img, len, &diag),
                     0);
    assert_int_equal(olen, plen);
    out = malloc(olen);
    assert_non_null(out);
    assert_int_equal(mfab_encimg_decrypt(out, olen, &olen, k, img, len,
                                         &diag),
                     0);
    mfab_test_assert_bytes(c, plain, plen, out, olen);
    free(out);
    free(plain);
}

static void
test_encimg_crypt__reference_images_decrypt(void **state)
{
    static const char *const keys[][2] = {
        { RSA_CASE, "rsa_private.pem" },
        { EC_CASE, "device_private.pem" },
        { EC_CASE, "device_hmac_key.bin" },
    };
    size_t i;
    (void)state;

    for (i = 0; i < 3; i++) {
        mfab_encimg_key *k = key(keys[i][0], keys[i][1]);
        size_t len;
        uint8_t *img = load(keys[i][0], "expected/encrypted.bin", &len);

        assert_decrypts(keys[i][0], k, img, len);
        free(img);
        mfab_encimg_key_free(k);
    }
}

static uint8_t *
encrypt(size_t *len, const char *c, const char *pubfile)
{
    mfab_encimg_key *k = key(c, pubfile);
    size_t plen;
    uint8_t *plain = load(c, "plaintext.bin", &plen), *out;

    assert_int_equal(mfab_encimg_encrypt(NULL, 0, len, k, plain, plen, NULL),
                     0);
    assert_int_equal(*len, 512 + plen);
    out = malloc(*len);
    assert_non_null(out);
    assert_int_equal(mfab_encimg_encrypt(out, *len, len, k, plain, plen,
                                         NULL),
                     0);
    free(plain);
    mfab_encimg_key_free(k);
    return out;
}

static int
all_zero(const uint8_t *p, size_t n)
{
    while (n-- > 0)
        if (*p++ != 0)
            return 0;
    return 1;
}

static void
test_encimg_crypt__round_trip(void **state)
{
    mfab_encimg_key *k;
    mfab_encimg_header h;
    size_t len, len2;
    uint8_t *img, *img2;
    (void)state;

    img = encrypt(&len, RSA_CASE, "rsa_public.pem");
    assert_int_equal(mfab_encimg_parse(&h, img, len, NULL), 0);
    assert_int_equal(h.bin_size, 5000);
    assert_memory_equal(img, "\xcf\xb6\x88\x07", 4);
    assert_true(all_zero(h.reserved, 88));
    k = key(RSA_CASE, "rsa_private.pem");
    assert_decrypts(RSA_CASE, k, img, len);
    mfab_encimg_key_free(k);
    /* random key, IV and padding: a second run differs */
    img2 = encrypt(&len2, RSA_CASE, "rsa_public.pem");
    assert_memory_not_equal(img, img2, 512);
    free(img2);
    free(img);

    img = encrypt(&len, EC_CASE, "device_pub_key.pem");
    assert_int_equal(mfab_encimg_parse(&h, img, len, NULL), 0);
    assert_int_equal(h.bin_size, 4096);
    assert_true(all_zero(h.key_params + 96, 288));
    assert_true(all_zero(h.reserved, 88));
    k = key(EC_CASE, "device_hmac_key.bin");
    assert_decrypts(EC_CASE, k, img, len);
    mfab_encimg_key_free(k);
    free(img);
}

static void
test_encimg_crypt__wrong_key_and_damage(void **state)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    mfab_encimg_key *rsa = key(RSA_CASE, "rsa_private.pem");
    mfab_encimg_key *ec = key(EC_CASE, "device_private.pem");
    mfab_encimg_key *pub = key(EC_CASE, "device_pub_key.pem");
    mfab_encimg_key *other = NULL;
    uint8_t hmac[32], *out;
    size_t len, olen = 0;
    uint8_t *img = load(EC_CASE, "expected/encrypted.bin", &len);
    (void)state;

    out = malloc(len);
    assert_non_null(out);
    /* an RSA key on an ECIES image */
    assert_int_equal(mfab_encimg_decrypt(out, len, &olen, rsa, img, len,
                                         &diag),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&diag, MFAB_ECRYPTO, "wrong RSA key", NULL);
    /* another P-256 device key: ECDH works, the tag does not */
    assert_int_equal(mfab_encimg_generate_hmac_key(hmac, NULL), 0);
    assert_int_equal(mfab_encimg_key_from_hmac(&other, hmac, NULL), 0);
    mfab_diag_init(&diag);
    memset(out, 0xAA, len);
    assert_int_equal(mfab_encimg_decrypt(out, len, &olen, other, img, len,
                                         &diag),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&diag, MFAB_ECRYPTO, "authentication failed",
                          NULL);
    assert_true(all_zero(out, olen)); /* nothing unauthenticated left */
    /* one flipped ciphertext bit */
    img[600] ^= 1;
    mfab_diag_init(&diag);
    assert_int_equal(mfab_encimg_decrypt(out, len, &olen, ec, img, len,
                                         &diag),
                     MFAB_ECRYPTO);
    img[600] ^= 1;
    /* the ephemeral point is not on the curve */
    img[10] ^= 1;
    mfab_diag_init(&diag);
    assert_int_equal(mfab_encimg_decrypt(out, len, &olen, ec, img, len,
                                         &diag),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&diag, MFAB_ECRYPTO, "not a P-256 point", NULL);
    img[10] ^= 1;
    /* a public key cannot decrypt */
    mfab_diag_init(&diag);
    assert_int_equal(mfab_encimg_decrypt(out, len, &olen, pub, img, len,
                                         &diag),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&diag, MFAB_EINVAL, "private key", NULL);
    /* short buffer, bad header */
    mfab_diag_init(&diag);
    assert_int_equal(mfab_encimg_decrypt(out, 10, &olen, ec, img, len,
                                         &diag),
                     MFAB_EBUFS);
    assert_int_equal(olen, 4096);
    assert_int_equal(mfab_encimg_decrypt(out, len, &olen, ec, img, 100,
                                         NULL),
                     MFAB_EFORMAT);
    assert_int_equal(mfab_encimg_encrypt(out, 100, &olen, pub, img, len,
                                         NULL),
                     MFAB_EBUFS);
    assert_int_equal(olen, len + 512);
    assert_int_equal(mfab_encimg_encrypt(NULL, 0, &olen, pub, img,
                                         (size_t)0x100000000ull, &diag),
                     MFAB_ERANGE);
    free(out);
    free(img);
    mfab_encimg_key_free(rsa);
    mfab_encimg_key_free(ec);
    mfab_encimg_key_free(pub);
    mfab_encimg_key_free(other);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encimg_crypt__reference_images_decrypt),
        cmocka_unit_test(test_encimg_crypt__round_trip),
        cmocka_unit_test(test_encimg_crypt__wrong_key_and_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
