/* Tests for src/securecert/securecert_write.c against the images
 * esp-secure-cert-tool 2.3.6 made (vectors/pki/secure_cert). */
#include <stdlib.h>
#include <string.h>

#include "matterfab/base64.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/securecert.h"
#include "mfab_test.h"

typedef struct inputs {
    uint8_t *dac, *pai, *key;
    size_t dac_len, pai_len, key_len;
} inputs;

static void
load_inputs(inputs *in)
{
    char path[4096];

    mfab_test_vpath(path, sizeof(path),
                    "pki/secure_cert/mfgtool-DAC-FFF2-8001-Cert.der");
    in->dac = mfab_test_read(path, &in->dac_len);
    mfab_test_vpath(path, sizeof(path),
                    "pki/secure_cert/mfgtool-PAI-FFF2-8001-Cert.der");
    in->pai = mfab_test_read(path, &in->pai_len);
    mfab_test_vpath(path, sizeof(path),
                    "pki/secure_cert/mfgtool-DAC-FFF2-8001-Key.der");
    in->key = mfab_test_read(path, &in->key_len);
}

static void
free_inputs(inputs *in)
{
    free(in->dac);
    free(in->pai);
    free(in->key);
}

static mfab_securecert_entry
entry(uint8_t type, uint8_t subtype, const void *data, size_t len)
{
    mfab_securecert_entry e = { 0 };

    e.type = type;
    e.subtype = subtype;
    e.data = data;
    e.len = (uint16_t)len;
    return e;
}

static void
test_securecert_write__dac_only_byte_exact(void **state)
{
    inputs in;
    mfab_securecert_entry e[3];
    uint8_t *want, out[MFAB_SECURECERT_PARTITION_SIZE];
    size_t want_len, len = 0;
    char path[4096];
    (void)state;

    load_inputs(&in);
    e[0] = entry(MFAB_SECURECERT_DEV_CERT, 0, in.dac, in.dac_len);
    e[1] = entry(MFAB_SECURECERT_CA_CERT, 0, in.pai, in.pai_len);
    e[2] = entry(MFAB_SECURECERT_PRIV_KEY, 0, in.key, in.key_len);
    assert_int_equal(mfab_securecert_write(out, sizeof(out), &len, e, 3,
                                           MFAB_SECURECERT_LAYOUT_PADDED,
                                           NULL), 0);
    mfab_test_vpath(path, sizeof(path),
                    "pki/secure_cert/esp_secure_cert_dac_only.bin");
    want = mfab_test_read(path, &want_len);
    mfab_test_assert_bytes("esp_secure_cert_dac_only.bin", want, want_len,
                           out, len);
    free(want);
    free_inputs(&in);
}

/* The Matter entries of esp-matter-mfg-tool, from the SDK test values; the
 * two random entries (201/128, 201/129) are taken from the reference, so
 * that every other byte, CRC included, must match. */
static void
test_securecert_write__all_entries_byte_exact(void **state)
{
    inputs in;
    mfab_securecert_entry e[10], r128, r129;
    uint8_t *want, out[MFAB_SECURECERT_PARTITION_SIZE], verifier[97];
    uint8_t uid[16], disc[2] = { 0x00, 0x0F }, iter[4] = { 0xE8, 3, 0, 0 };
    size_t want_len, len = 0, n;
    char path[4096];
    json_t *vec;
    const char *vb64;
    (void)state;

    load_inputs(&in);
    mfab_test_vpath(path, sizeof(path), "commissioning/spake2p.json");
    vec = mfab_test_json(path);
    vb64 = json_string_value(json_object_get(
        json_array_get(json_object_get(vec, "cases"), 0), "verifier"));
    assert_non_null(vb64);
    assert_int_equal(mfab_base64_decode(verifier, sizeof(verifier), &n, vb64,
                                        strlen(vb64), NULL), 0);
    assert_int_equal(n, 97);
    assert_int_equal(mfab_hex_decode(uid, 16, &n,
                                     "00112233445566778899AABBCCDDEEFF", 32,
                                     NULL), 0);
    mfab_test_vpath(path, sizeof(path),
                    "pki/secure_cert/esp_secure_cert_all.bin");
    want = mfab_test_read(path, &want_len);
    assert_int_equal(mfab_securecert_find(&r128, want, want_len, 201, 128,
                                          NULL), 0);
    assert_int_equal(mfab_securecert_find(&r129, want, want_len, 201, 129,
                                          NULL), 0);
    e[0] = entry(MFAB_SECURECERT_DEV_CERT, 0, in.dac, in.dac_len);
    e[1] = entry(MFAB_SECURECERT_CA_CERT, 0, in.pai, in.pai_len);
    e[2] = entry(MFAB_SECURECERT_PRIV_KEY, 0, in.key, in.key_len);
    e[3] = entry(201, 0, disc, 2);
    e[4] = entry(201, 1, verifier, 97);
    e[5] = entry(201, 2, "SPAKE2P Key Salt", 16);
    e[6] = entry(201, 3, iter, 4);
    e[7] = entry(201, 4, uid, 16);
    e[8] = entry(201, 128, r128.data, r128.len);
    e[9] = entry(201, 129, r129.data, r129.len);
    assert_int_equal(mfab_securecert_write(out, sizeof(out), &len, e, 10,
                                           MFAB_SECURECERT_LAYOUT_PADDED,
                                           NULL), 0);
    mfab_test_assert_bytes("esp_secure_cert_all.bin", want, want_len, out,
                           len);
    json_decref(vec);
    free(want);
    free_inputs(&in);
}

static void
test_securecert_write__compact_layout_and_measure(void **state)
{
    mfab_securecert_entry e = entry(51, 0, "hello", 5);
    uint8_t out[64], small[16];
    size_t len = 0;
    (void)state;

    assert_int_equal(mfab_securecert_write(NULL, 0, &len, &e, 1,
                                           MFAB_SECURECERT_LAYOUT_COMPACT,
                                           NULL), 0);
    assert_int_equal(len, 32);
    assert_int_equal(mfab_securecert_write(small, sizeof(small), &len, &e, 1,
                                           MFAB_SECURECERT_LAYOUT_COMPACT,
                                           NULL), MFAB_EBUFS);
    assert_int_equal(len, 32);
    assert_int_equal(mfab_securecert_write(out, sizeof(out), &len, &e, 1,
                                           MFAB_SECURECERT_LAYOUT_COMPACT,
                                           NULL), 0);
    assert_memory_equal(out, "\x11\xba\x5e\xba\0\0\0\0\x33\0\x05\0hello", 17);
    /* padding is zero, not 0xFF */
    assert_int_equal(out[17], 0);
    assert_int_equal(out[27], 0);
}

static void
test_securecert_write__refuses_bad_entries(void **state)
{
    mfab_securecert_entry e[2];
    static uint8_t big[8200];
    size_t len;
    mfab_diag d = MFAB_DIAG_INIT;
    (void)state;

    e[0] = entry(201, 1, "a", 1);
    e[1] = entry(201, 1, "b", 1);
    assert_int_equal(mfab_securecert_write(NULL, 0, &len, e, 2,
                                           MFAB_SECURECERT_LAYOUT_PADDED, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "both MATTER_TLV_1/1", NULL);
    mfab_diag_init(&d);
    e[0] = entry(MFAB_SECURECERT_TLV_END, 0, "a", 1);
    assert_int_equal(mfab_securecert_write(NULL, 0, &len, e, 1,
                                           MFAB_SECURECERT_LAYOUT_PADDED, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "type 50 is reserved", NULL);
    mfab_diag_init(&d);
    e[0] = entry(51, 0, NULL, 4);
    assert_int_equal(mfab_securecert_write(NULL, 0, &len, e, 1,
                                           MFAB_SECURECERT_LAYOUT_PADDED, &d),
                     MFAB_EINVAL);
    mfab_diag_init(&d);
    e[0] = entry(51, 0, big, 8161);
    assert_int_equal(mfab_securecert_write(NULL, 0, &len, e, 1,
                                           MFAB_SECURECERT_LAYOUT_PADDED, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "partition holds 8192", NULL);
    /* 8160 data bytes: an 8176-byte entry and the marker fit */
    e[0] = entry(51, 0, big, 8160);
    assert_int_equal(mfab_securecert_write(NULL, 0, &len, e, 1,
                                           MFAB_SECURECERT_LAYOUT_PADDED,
                                           NULL), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_securecert_write__dac_only_byte_exact),
        cmocka_unit_test(test_securecert_write__all_entries_byte_exact),
        cmocka_unit_test(test_securecert_write__compact_layout_and_measure),
        cmocka_unit_test(test_securecert_write__refuses_bad_entries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
