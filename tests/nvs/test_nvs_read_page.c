/*
 * Tests for src/nvs/nvs_read_page.c: images built slot by slot
 * (nvs_test_image.h) break one page rule of spec 15.2 each and must be
 * reported with their page; without the generator rules what the device
 * tolerates passes; bad lengths are MFAB_EINVAL.
 */
#include "nvs_test_image.h"

static void
test_nvs_read_page__page_rules(void **state)
{
    (void)state;
    expect(b_hdr_crc, 1, "header CRC", "at page 0");
    expect(b_empty_dirty, 1, "EMPTY but the page is not blank", "page 1");
    expect(b_state, 1, "is CORRUPT", "at page 0");
    expect(b_version, 1, "format version 0xfd", "at page 0");
    expect(b_reserved, 1, "reserved header bytes", "at page 0");
    expect(b_seq, 1, "sequence number 5", "at page 0");
    expect(b_bitmap_tail, 1, "slots 126..127", "at page 0");
    expect(b_two_active, 1, "not FULL", "at page 0");
    expect(b_last_page, 1, "not blank (the device needs a free page)",
           "at page 2");
    expect(b_last_page, 0, "no free page", "at page 2");
}

/* Without the generator rules, what the device tolerates passes. */
static void
test_nvs_read_page__device_rules(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    seen s;

    (void)state;
    build();
    b_erased();
    b_two_active();
    assert_int_equal(read_img(&s, NULL, 0, &d), 0);
    assert_int_equal(s.problems, 0);
    /* the erased u16 is gone, the rest is there */
    assert_null(strstr(s.listing, "app/n/"));
    assert_non_null(strstr(s.listing, "app/s/string"));
}

static void
test_nvs_read_page__bad_length(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;

    (void)state;
    assert_int_equal(mfab_nvs_read(NULL, img, 4095, NULL, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "4095 bytes", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_read(NULL, img, 0, NULL, &d), MFAB_EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_read_page__page_rules),
        cmocka_unit_test(test_nvs_read_page__device_rules),
        cmocka_unit_test(test_nvs_read_page__bad_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
