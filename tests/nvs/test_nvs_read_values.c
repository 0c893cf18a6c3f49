/*
 * Tests for src/nvs/nvs_read_values.c: values come back as they were put
 * in (scalars sign-extended, strings, v2 blobs reassembled), the blob
 * chunk rules, the value buffer (MFAB_EBUFS) and the callback stop value.
 */
#include "nvs_test_image.h"

static void
test_nvs_read_values__sound_image(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    seen s;

    (void)state;
    build();
    assert_int_equal(read_img(&s, NULL, 1, &d), 0);
    assert_int_equal(s.pages, PAGES);
    assert_int_equal(s.problems, 0);
    assert_string_equal(s.listing, "-/app/u8/1/0/;app/n/u16/513/0/;"
                                   "app/s/string/0/3/6800;app/neg/i8/-2/0/;"
                                   "app/b/blob(v2)/0/40/0100;");
}

static void
test_nvs_read_values__blob_rules(void **state)
{
    (void)state;
    expect(b_missing_chunk, 1, "has 1 of its 2 chunks", "at page 0 slot 8");
    expect(b_sizes, 1, "add up to 40 bytes, its index says 41",
           "at page 0 slot 8");
    expect(b_orphan, 1, "chunk 3 of blob 'b' belongs to no blob index",
           "at page 0 slot 9");
}

static void
test_nvs_read_values__small_value_buffer(void **state)
{
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;
    mfab_nvs_read_summary sum;
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t small[8];

    (void)state;
    build();
    o.value_buf = small;
    o.value_cap = sizeof(small);
    assert_int_equal(mfab_nvs_read(&sum, img, sizeof(img), &o, &d), MFAB_EBUFS);
    mfab_test_assert_diag(&d, MFAB_EBUFS, "40 bytes", NULL);
    assert_int_equal(sum.value_max, 40);
    assert_int_equal(sum.items, 4);
    assert_int_equal(sum.namespaces, 1);
    /* no buffer at all only checks */
    assert_int_equal(mfab_nvs_read(&sum, img, sizeof(img), NULL, NULL), 0);
}

static int
stop_at_second(void *ctx, const mfab_nvs_item *it)
{
    (void)it;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

static void
test_nvs_read_values__callback_stops(void **state)
{
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;
    int n = 0;

    (void)state;
    build();
    o.on_item = stop_at_second;
    o.ctx = &n;
    assert_int_equal(mfab_nvs_read(NULL, img, sizeof(img), &o, NULL), 42);
    assert_int_equal(n, 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_read_values__sound_image),
        cmocka_unit_test(test_nvs_read_values__blob_rules),
        cmocka_unit_test(test_nvs_read_values__small_value_buffer),
        cmocka_unit_test(test_nvs_read_values__callback_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
