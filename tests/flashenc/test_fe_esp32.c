/* Tests for src/flashenc/fe_esp32.c: the per-block key tweak against the
 * tweaked keys recorded in the vectors (first_block_aes_key_hex), and the
 * property that both 16-byte halves of a 32-byte block share a key. */
#include "fe_test.h"
#include "flashenc/fe_internal.h"

static void
check_first_key(const char *dir, unsigned conf)
{
    char rel[256], path[1024];
    json_t *j;
    uint8_t expect[32], got[32];
    size_t n = 0;
    unsigned long long addr;
    mfab_flashenc_key key;
    const char *hex;

    snprintf(rel, sizeof(rel), FE "%s/expected.json", dir);
    mfab_test_vpath(path, sizeof(path), rel);
    j = mfab_test_json(path);
    hex = json_string_value(json_object_get(j, "first_block_aes_key_hex"));
    assert_non_null(hex);
    assert_int_equal(mfab_hex_decode(expect, sizeof(expect), &n, hex,
                                     strlen(hex), NULL),
                     0);
    addr = strtoull(json_string_value(
                        json_object_get(j, "first_block_key_address")),
                    NULL, 16);
    snprintf(rel, sizeof(rel), FE "%s/key.bin", dir);
    fe_vkey(&key, rel, MFAB_FLASHENC_ESP32);
    mfab_fe__esp32_tweak_key(got, key.key, (uint32_t)addr, conf);
    mfab_test_assert_bytes(dir, expect, 32, got, 32);
    json_decref(j);
}

static void
test_fe_esp32__tweak_matches_vectors(void **state)
{
    (void)state;
    check_first_key("fe-esp32-01-0x1000", 0xF);
    check_first_key("fe-esp32-02-0x10010", 0xF);
    check_first_key("fe-esp32-03-192bit-conf3", 0x3);
}

/* conf 0 never tweaks; bits below 5 and above 23 never matter. */
static void
test_fe_esp32__tweak_address_bits(void **state)
{
    uint8_t key[32], a[32], b[32];
    (void)state;

    memset(key, 0x5A, sizeof(key));
    mfab_fe__esp32_tweak_key(a, key, 0x123460, 0);
    mfab_test_assert_bytes("conf 0", key, 32, a, 32);
    mfab_fe__esp32_tweak_key(a, key, 0x20, 0xF);
    mfab_fe__esp32_tweak_key(b, key, 0x3F000020u, 0xF);
    mfab_test_assert_bytes("bits > 23", a, 32, b, 32);
    assert_memory_not_equal(a, key, 32);
}

/* A range starting in the second half of a 32-byte block uses the same
 * key as the whole block: encrypting at +16 equals the tail of the whole. */
static void
test_fe_esp32__half_block_start(void **state)
{
    uint8_t pt[64];
    uint8_t *whole, *tail;
    mfab_flashenc_key key;
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(pt); i++)
        pt[i] = (uint8_t)i;
    fe_vkey(&key, FE "fe-esp32-01-0x1000/key.bin", MFAB_FLASHENC_ESP32);
    whole = fe_crypt(pt, 64, 0x2000, &key, 0xF, 0);
    tail = fe_crypt(pt + 16, 48, 0x2010, &key, 0xF, 0);
    mfab_test_assert_bytes("tail", whole + 16, 48, tail, 48);
    free(whole);
    free(tail);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fe_esp32__tweak_matches_vectors),
        cmocka_unit_test(test_fe_esp32__tweak_address_bits),
        cmocka_unit_test(test_fe_esp32__half_block_start),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
