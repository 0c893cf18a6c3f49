/*
 * Tests for src/spake2p/rotating_device_id.c: all cases of
 * commissioning/rotating_device_id.json (two are CHIP's own unit-test
 * values), measuring, a short buffer and a short unique ID.
 */
#include <string.h>

#include "mfab_test.h"
#include "matterfab/error.h"
#include "matterfab/hex.h"
#include "matterfab/spake2p.h"

static void
test_rotating_device_id__vectors(void **state)
{
    char path[1024];
    json_t *root, *cases;
    size_t i;
    (void)state;

    mfab_test_vpath(path, sizeof(path),
                    "commissioning/rotating_device_id.json");
    root = mfab_test_json(path);
    cases = json_object_get(root, "cases");
    assert_int_equal(json_array_size(cases), 7);
    for (i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        const char *uid_hex =
            json_string_value(json_object_get(c, "unique_id_hex"));
        const char *id_hex =
            json_string_value(json_object_get(c, "rotating_device_id_hex"));
        json_int_t ctr =
            json_integer_value(json_object_get(c, "lifetime_counter"));
        uint8_t uid[64], want[32], got[32];
        size_t uid_len, want_len, n;

        assert_true(ctr >= 0 && ctr <= 0xFFFF);
        assert_int_equal(mfab_hex_decode(uid, sizeof(uid), &uid_len, uid_hex,
                                         strlen(uid_hex), NULL),
                         0);
        assert_int_equal(mfab_hex_decode(want, sizeof(want), &want_len,
                                         id_hex, strlen(id_hex), NULL),
                         0);
        assert_int_equal(mfab_spake2p_rotating_device_id(got, sizeof(got),
                                                         &n, uid, uid_len,
                                                         (uint16_t)ctr,
                                                         NULL),
                         0);
        mfab_test_assert_bytes(uid_hex, want, want_len, got, n);
    }
    json_decref(root);
}

static void
test_rotating_device_id__errors(void **state)
{
    uint8_t uid[16] = { 0 }, out[17];
    mfab_diag diag = MFAB_DIAG_INIT;
    size_t n = 0;
    (void)state;

    assert_int_equal(mfab_spake2p_rotating_device_id(NULL, 0, &n, uid, 16, 1,
                                                     NULL),
                     0);
    assert_int_equal(n, MFAB_ROTATING_DEVICE_ID_LEN);
    assert_int_equal(mfab_spake2p_rotating_device_id(out, sizeof(out), &n,
                                                     uid, 16, 1, NULL),
                     MFAB_EBUFS);
    assert_int_equal(mfab_spake2p_rotating_device_id(out, sizeof(out), &n,
                                                     uid, 15, 1, &diag),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&diag, MFAB_ERANGE, "rd-id-uid", "15 bytes", NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rotating_device_id__vectors),
        cmocka_unit_test(test_rotating_device_id__errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
