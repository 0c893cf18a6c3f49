/* Tests for src/nvs/nvs_page.c: page headers, the entry-state bitmap and
 * item CRCs against the bytes given in spec sections 3, 4 and 9.8. */
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/nvs.h"
#include "mfab_test.h"
#include "nvs/nvs_internal.h"

static void
test_nvs_page__header_bytes(void **state)
{
    static const uint8_t active0[32] = {
        0xfe, 0xff, 0xff, 0xff, 0,    0,    0,    0,    0xfe, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x84, 0x2d, 0xba, 0xb9};
    mfab_nvs_writer w;
    uint8_t *img = malloc(0x3000);
    (void)state;

    assert_non_null(img);
    assert_int_equal(mfab_nvs_writer_init(&w, img, 0x3000, 0x3000, 2, NULL), 0);
    assert_memory_equal(img, active0, 32);
    assert_int_equal(mfab_nvs__new_page(&w, NULL), 0);
    /* page 0 becomes FULL, its CRC unchanged; page 1 has seq 1 */
    assert_int_equal(img[0], 0xfc);
    assert_memory_equal(img + 4, active0 + 4, 28);
    assert_int_equal(mfab_le32(img + 4096 + 4), 1);
    assert_int_equal(mfab_le32(img + 4096 + 28), 0x389F48A3u);
    /* the budget is used up: the reserved page is never created */
    assert_int_equal(mfab_nvs__new_page(&w, NULL), MFAB_ERANGE);
    free(img);

    img = malloc(0x1000);
    assert_non_null(img);
    assert_int_equal(mfab_nvs_writer_init(&w, img, 0x1000, 0x1000, 1, NULL), 0);
    assert_int_equal(img[8], 0xff);
    assert_int_equal(mfab_le32(img + 28), 0xDCDD16C2u);
    free(img);
}

static void
test_nvs_page__bitmap_of_n_slots(void **state)
{
    static const uint8_t tail[4] = {0xff, 0xfe, 0xfa, 0xea};
    static const uint8_t key[16] = {'k'};
    uint8_t data[8] = {0};
    uint8_t *img = malloc(0x3000);
    mfab_nvs_writer w;
    unsigned n, i;
    (void)state;

    assert_non_null(img);
    for (n = 0; n <= 126; n++) {
        assert_int_equal(mfab_nvs_writer_init(&w, img, 0x3000, 0x3000, 2, NULL),
                         0);
        for (i = 0; i < n; i++)
            mfab_nvs__put_item(&w, 1, MFAB_NVS_TYPE_U8, 1, 0xff, key, data);
        for (i = 0; i < 32; i++) {
            uint8_t want = i < n / 4 ? 0xaa : i == n / 4 ? tail[n % 4] : 0xff;
            if (i == 31 && n == 126)
                want = 0xfa; /* slots 126/127 do not exist: stay 1 */
            assert_int_equal(img[32 + i], want);
        }
    }
    free(img);
}

static void
test_nvs_page__item_and_payload(void **state)
{
    /* spec 9.8: slot 1 of s14 */
    static const uint8_t want[32] = {
        0x01, 0x21, 0x02, 0xff, 0x26, 0x32, 0x11, 0x01, 's',  'e', 'r',
        'i',  'a',  'l',  0,    0,    0,    0,    0,    0,    0,   0,
        0,    0,    0x08, 0x00, 0xff, 0xff, 0x13, 0xb1, 0x6c, 0x38};
    static const uint8_t key[16] = {'s', 'e', 'r', 'i', 'a', 'l'};
    const uint8_t *payload = (const uint8_t *)"SN-0001";
    uint8_t data[8];
    uint8_t *img = malloc(0x3000);
    mfab_nvs_writer w;
    (void)state;

    assert_non_null(img);
    assert_int_equal(mfab_nvs_writer_init(&w, img, 0x3000, 0x3000, 2, NULL), 0);
    w.used = 1;
    mfab_nvs__var_header(data, payload, 8);
    mfab_nvs__put_item(&w, 1, MFAB_NVS_TYPE_SZ, 2, 0xff, key, data);
    mfab_nvs__put_payload(&w, payload, 8);
    assert_memory_equal(img + 64 + 32, want, 32);
    assert_memory_equal(img + 64 + 64, payload, 8);
    assert_int_equal(img[64 + 64 + 8], 0xff); /* padding */
    assert_int_equal(w.used, 3);
    free(img);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_page__header_bytes),
        cmocka_unit_test(test_nvs_page__bitmap_of_n_slots),
        cmocka_unit_test(test_nvs_page__item_and_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
