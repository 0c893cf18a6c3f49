/* Tests for src/secureboot/sb_sign.c: randomized signatures checked field
 * by field against the reference's signed images and verified
 * cryptographically; pre-calculated signatures byte-exact; appending up to
 * three blocks; every error sign can return. */
#include "sb_test.h"

/* Our output equals the reference except the signature and its CRC. */
static void
assert_same_but_signature(const char *what, const uint8_t *ref,
                          size_t ref_len, const uint8_t *ours,
                          size_t ours_len, size_t nblocks, size_t sig_off,
                          size_t sig_len)
{
    size_t contents = ref_len - 4096, b;

    assert_int_equal(ours_len, ref_len);
    mfab_test_assert_bytes(what, ref, contents, ours, contents);
    for (b = 0; b < nblocks; b++) {
        const uint8_t *rb = ref + contents + b * 1216;
        const uint8_t *ob = ours + contents + b * 1216;

        mfab_test_assert_bytes(what, rb, sig_off, ob, sig_off);
        mfab_test_assert_bytes(what, rb + sig_off + sig_len,
                               1196 - sig_off - sig_len, ob + sig_off + sig_len,
                               1196 - sig_off - sig_len);
        assert_int_equal(mfab_le32(ob + 1196), mfab_crc32(0, ob, 1196));
        mfab_test_assert_bytes(what, rb + 1200, 16, ob + 1200, 16);
    }
    b = contents + nblocks * 1216;
    mfab_test_assert_bytes(what, ref + b, ref_len - b, ours + b,
                           ours_len - b);
}

static void
sign_case(const char *dir, const char *input, size_t sig_off,
          size_t sig_len)
{
    char rel[256];
    size_t len = 0, ref_len = 0, out_len = 0;
    uint8_t *data, *ref, *ours;
    EVP_PKEY *key, *pub;
    mfab_sbv2_verify_result res;
    mfab_diag d = MFAB_DIAG_INIT;

    snprintf(rel, sizeof(rel), SBV2 "%s/%s", dir, input);
    data = sb_vread(rel, &len);
    snprintf(rel, sizeof(rel), SBV2 "%s/expected/signed.bin", dir);
    ref = sb_vread(rel, &ref_len);
    snprintf(rel, sizeof(rel), SBV2 "%s/key.pem", dir);
    key = sb_vkey(rel);
    snprintf(rel, sizeof(rel), SBV2 "%s/pubkey.pem", dir);
    pub = sb_vkey(rel);

    ours = sb_sign1(&out_len, data, len, key, NULL, 0, 0);
    assert_same_but_signature(dir, ref, ref_len, ours, out_len, 1, sig_off,
                              sig_len);
    if (mfab_sbv2_verify(&res, ours, out_len, pub, 0, &d) != 0)
        fail_msg("%s: %s", dir, mfab_diag_message(&d));
    assert_int_equal(res.verified_block, 0);
    free(data);
    free(ref);
    free(ours);
    EVP_PKEY_free(key);
    EVP_PKEY_free(pub);
}

static void
test_sb_sign__rsa3072_pads_and_verifies(void **state)
{
    (void)state;
    sign_case("sbv2-rsa3072-01", "input.bin", 812, 384);
}

static void
test_sb_sign__ecdsa192(void **state)
{
    (void)state;
    sign_case("sbv2-ecdsa192-01", "input.bin", 101, 64);
}

static void
test_sb_sign__ecdsa256_aligned_bootloader(void **state)
{
    (void)state;
    sign_case("sbv2-ecdsa256-01", "bootloader_unsigned_v2.bin", 101, 64);
}

static void
test_sb_sign__ecdsa384(void **state)
{
    (void)state;
    sign_case("sbv2-ecdsa384-01", "input.bin", 149, 96);
}

/* Pre-calculated signatures are packed as given: byte-exact output. */
static void
precalc_case(const char *dir)
{
    char rel[256];
    size_t len = 0, ref_len = 0, sig_len = 0, out_len = 0;
    uint8_t *data, *ref, *sig, *ours;
    EVP_PKEY *pub;

    snprintf(rel, sizeof(rel), SBV2 "%s/input.bin", dir);
    data = sb_vread(rel, &len);
    snprintf(rel, sizeof(rel), SBV2 "%s/expected/signed.bin", dir);
    ref = sb_vread(rel, &ref_len);
    snprintf(rel, sizeof(rel), SBV2 "%s/signature.bin", dir);
    sig = sb_vread(rel, &sig_len);
    snprintf(rel, sizeof(rel), SBV2 "%s/pubkey.pem", dir);
    pub = sb_vkey(rel);
    ours = sb_sign1(&out_len, data, len, pub, sig, sig_len, 0);
    mfab_test_assert_bytes(dir, ref, ref_len, ours, out_len);
    free(data);
    free(ref);
    free(sig);
    free(ours);
    EVP_PKEY_free(pub);
}

static void
test_sb_sign__precalc_rsa_byte_exact(void **state)
{
    (void)state;
    precalc_case("sbv2-rsa3072-precalc");
}

static void
test_sb_sign__precalc_ecdsa_byte_exact(void **state)
{
    (void)state;
    precalc_case("sbv2-ecdsa256-precalc");
}

/* A pre-calculated signature that does not match the data is refused. */
static void
test_sb_sign__precalc_wrong_signature_is_ecrypto(void **state)
{
    size_t len = 0, sig_len = 0, out_len = 0;
    uint8_t *data = sb_vread(SBV2 "sbv2-rsa3072-precalc/input.bin", &len);
    uint8_t *sig = sb_vread(SBV2 "sbv2-rsa3072-precalc/signature.bin",
                            &sig_len);
    EVP_PKEY *pub = sb_vkey(SBV2 "sbv2-rsa3072-precalc/pubkey.pem");
    mfab_sbv2_signer s = { pub, sig, sig_len };
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *buf = malloc(len + 4096);
    (void)state;

    data[10] ^= 1;
    assert_int_equal(mfab_sbv2_sign(buf, len + 4096, &out_len, data, len, &s,
                                    1, 0, &d),
                     MFAB_ECRYPTO);
    mfab_test_assert_diag(&d, MFAB_ECRYPTO, "does not verify", NULL);
    free(buf);
    free(data);
    free(sig);
    EVP_PKEY_free(pub);
}

/* Pre-calculated signatures need aligned data: padding would change it. */
static void
test_sb_sign__precalc_unaligned_is_einval(void **state)
{
    size_t len = 0, sig_len = 0, out_len = 0;
    uint8_t *data = sb_vread(SBV2 "sbv2-rsa3072-precalc/input.bin", &len);
    uint8_t *sig = sb_vread(SBV2 "sbv2-rsa3072-precalc/signature.bin",
                            &sig_len);
    EVP_PKEY *pub = sb_vkey(SBV2 "sbv2-rsa3072-precalc/pubkey.pem");
    mfab_sbv2_signer s = { pub, sig, sig_len };
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    assert_int_equal(mfab_sbv2_sign(NULL, 0, &out_len, data, len - 1, &s, 1,
                                    0, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "multiple of 4096", NULL);
    free(data);
    free(sig);
    EVP_PKEY_free(pub);
}

/* sign + append + append = three blocks, one per key, then no room. */
static void
test_sb_sign__append_three_blocks_then_erange(void **state)
{
    static const char *const keys[] = {
        SBV2 "sbv2-rsa3072-append-3keys/key.pem",
        SBV2 "sbv2-rsa3072-append-3keys/key2.pem",
        SBV2 "sbv2-rsa3072-append-3keys/key3.pem",
    };
    size_t len = 0, ref_len = 0, n1 = 0, n2 = 0, n3 = 0, n4 = 0, i;
    uint8_t *data = sb_vread(SBV2 "sbv2-rsa3072-append-3keys/input.bin",
                             &len);
    uint8_t *ref = sb_vread(
        SBV2 "sbv2-rsa3072-append-3keys/expected/signed_3keys.bin", &ref_len);
    EVP_PKEY *k[3];
    uint8_t *s1, *s2, *s3;
    mfab_sbv2_signer s;
    mfab_sbv2_verify_result res;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    for (i = 0; i < 3; i++)
        k[i] = sb_vkey(keys[i]);
    s1 = sb_sign1(&n1, data, len, k[0], NULL, 0, 0);
    s2 = sb_sign1(&n2, s1, n1, k[1], NULL, 0, MFAB_SBV2_APPEND);
    s3 = sb_sign1(&n3, s2, n2, k[2], NULL, 0, MFAB_SBV2_APPEND);
    assert_int_equal(n1, n2);
    assert_int_equal(n2, n3);
    assert_same_but_signature("3 keys", ref, ref_len, s3, n3, 3, 812, 384);
    for (i = 0; i < 3; i++) {
        assert_int_equal(mfab_sbv2_verify(&res, s3, n3, k[i], 0, NULL), 0);
        assert_int_equal(res.verified_block, (int)i);
    }
    s.key = k[0];
    s.sig = NULL;
    s.sig_len = 0;
    assert_int_equal(mfab_sbv2_sign(NULL, 0, &n4, s3, n3, &s, 1,
                                    MFAB_SBV2_APPEND, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "slots", NULL);
    for (i = 0; i < 3; i++)
        EVP_PKEY_free(k[i]);
    free(s1);
    free(s2);
    free(s3);
    free(data);
    free(ref);
}

/* Without APPEND a signed file is just contents: a new sector is added. */
static void
test_sb_sign__without_append_signs_whole_file(void **state)
{
    size_t len = 0, n = 0;
    uint8_t *img = sb_vread(SBV2 "sbv2-ecdsa384-01/expected/signed.bin",
                            &len);
    EVP_PKEY *key = sb_vkey(SBV2 "sbv2-ecdsa384-01/key.pem");
    uint8_t *out;
    (void)state;

    out = sb_sign1(&n, img, len, key, NULL, 0, 0);
    assert_int_equal(n, len + 4096);
    mfab_test_assert_bytes("contents", img, len, out, len);
    free(out);
    free(img);
    EVP_PKEY_free(key);
}

static void
test_sb_sign__skip_padding_keeps_length(void **state)
{
    uint8_t data[100];
    size_t n = 0;
    EVP_PKEY *key = sb_vkey(SBV2 "sbv2-ecdsa256-01/key.pem");
    uint8_t *out;
    (void)state;

    memset(data, 0x5A, sizeof(data));
    out = sb_sign1(&n, data, sizeof(data), key, NULL, 0,
                   MFAB_SBV2_SKIP_PADDING);
    assert_int_equal(n, sizeof(data) + 4096);
    assert_int_equal(out[100], 0xE7);
    free(out);
    EVP_PKEY_free(key);
}

static void
test_sb_sign__errors(void **state)
{
    uint8_t data[4096], small[10];
    size_t n = 0;
    EVP_PKEY *key = sb_vkey(SBV2 "sbv2-ecdsa256-01/key.pem");
    EVP_PKEY *pub = sb_vkey(SBV2 "sbv2-ecdsa256-01/pubkey.pem");
    EVP_PKEY *rsa2048 = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
    mfab_sbv2_signer s = { key, NULL, 0 };
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    memset(data, 0, sizeof(data));
    assert_int_equal(mfab_sbv2_sign(NULL, 0, &n, data, sizeof(data), &s, 0,
                                    0, &d),
                     MFAB_EINVAL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_sbv2_sign(small, sizeof(small), &n, data,
                                    sizeof(data), &s, 1, 0, &d),
                     MFAB_EBUFS);
    assert_int_equal(n, 8192);
    mfab_diag_init(&d);
    s.key = rsa2048;
    {
        uint8_t *buf = malloc(8192);
        assert_int_equal(mfab_sbv2_sign(buf, 8192, &n, data, sizeof(data),
                                        &s, 1, 0, &d),
                         MFAB_EUNSUPPORTED);
        mfab_test_assert_diag(&d, MFAB_EUNSUPPORTED, "2048", "3072", NULL);
        mfab_diag_init(&d);
        s.key = pub; /* a public key cannot sign */
        assert_int_equal(mfab_sbv2_sign(buf, 8192, &n, data, sizeof(data),
                                        &s, 1, 0, &d),
                         MFAB_ECRYPTO);
        free(buf);
    }
    EVP_PKEY_free(key);
    EVP_PKEY_free(pub);
    EVP_PKEY_free(rsa2048);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sb_sign__rsa3072_pads_and_verifies),
        cmocka_unit_test(test_sb_sign__ecdsa192),
        cmocka_unit_test(test_sb_sign__ecdsa256_aligned_bootloader),
        cmocka_unit_test(test_sb_sign__ecdsa384),
        cmocka_unit_test(test_sb_sign__precalc_rsa_byte_exact),
        cmocka_unit_test(test_sb_sign__precalc_ecdsa_byte_exact),
        cmocka_unit_test(test_sb_sign__precalc_wrong_signature_is_ecrypto),
        cmocka_unit_test(test_sb_sign__precalc_unaligned_is_einval),
        cmocka_unit_test(test_sb_sign__append_three_blocks_then_erange),
        cmocka_unit_test(test_sb_sign__without_append_signs_whole_file),
        cmocka_unit_test(test_sb_sign__skip_padding_keeps_length),
        cmocka_unit_test(test_sb_sign__errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
