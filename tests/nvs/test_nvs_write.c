/* Tests for src/nvs/nvs_write.c: the item writer and the reference
 * placement rules (spec sections 6, 8, 9), and every error it returns. */
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/error.h"
#include "matterfab/nvs.h"
#include "mfab_test.h"
#include "nvs/nvs_internal.h"

#define PAGE 4096u

static uint8_t *
slot(uint8_t *img, size_t page, size_t s)
{
    return img + page * PAGE + 64 + 32 * s;
}

static mfab_nvs_writer *
new_writer(uint8_t **img, size_t size, int version)
{
    mfab_nvs_writer *w = malloc(sizeof(*w));

    assert_non_null(w);
    *img = malloc(size);
    assert_non_null(*img);
    assert_int_equal(mfab_nvs_writer_init(w, *img, size, size, version, NULL),
                     0);
    return w;
}

/* n one-slot items named f000.. in the current namespace */
static void
fill(mfab_nvs_writer *w, unsigned n)
{
    char key[16];
    unsigned i;

    for (i = 0; i < n; i++) {
        snprintf(key, sizeof(key), "f%03u", i);
        assert_int_equal(
            mfab_nvs_writer_add_uint(w, key, MFAB_NVS_U8, i & 0xff, NULL), 0);
    }
}

static void
test_nvs_write__worked_example_s14(void **state)
{
    char path[4096];
    uint8_t *img, *ref;
    size_t len = 0, ref_len = 0;
    mfab_nvs_writer *w = new_writer(&img, 0x3000, 2);
    (void)state;

    /* the API path produces what the CSV path produced for the reference */
    assert_int_equal(mfab_nvs_writer_namespace(w, "storage", NULL), 0);
    assert_int_equal(
        mfab_nvs_writer_add_string(w, "serial", "SN-0001", 7, NULL), 0);
    mfab_nvs_writer_finish(w, &len);
    mfab_test_vpath(path, sizeof(path),
                    "nvs/s14_size_0x3000_minimal/expected/out.bin");
    ref = mfab_test_read(path, &ref_len);
    mfab_test_assert_bytes("s14", ref, ref_len, img, len);
    free(ref);
    free(img);
    free(w);
}

static void
test_nvs_write__single_page_item_never_ends_in_slot_125(void **state)
{
    uint8_t *img;
    char s97[97];
    mfab_nvs_writer *w = new_writer(&img, 0x4000, 2);
    (void)state;

    memset(s97, 's', sizeof(s97));
    assert_int_equal(mfab_nvs_writer_namespace(w, "ns", NULL), 0);
    fill(w, 120); /* slots 0..120 used */
    /* 96 bytes + NUL = 4 payload slots, span 5: 121 + 5 >= 126 -> page 1 */
    assert_int_equal(mfab_nvs_writer_add_string(w, "s", s97, 96, NULL), 0);
    assert_int_equal(mfab_le32(img), MFAB_NVS_PAGE_FULL);
    assert_int_equal(slot(img, 0, 121)[0], 0xff);
    assert_int_equal(slot(img, 1, 0)[1], MFAB_NVS_TYPE_SZ);
    assert_int_equal(slot(img, 1, 0)[2], 5);
    free(img);
    free(w);

    w = new_writer(&img, 0x4000, 2);
    assert_int_equal(mfab_nvs_writer_namespace(w, "ns", NULL), 0);
    fill(w, 120);
    /* 95 + NUL = 3 payload slots, span 4: 121 + 4 < 126 stays, and a
     * scalar can still take slot 125 */
    assert_int_equal(mfab_nvs_writer_add_string(w, "s", s97, 95, NULL), 0);
    assert_int_equal(slot(img, 0, 121)[1], MFAB_NVS_TYPE_SZ);
    fill(w, 1);
    assert_int_equal(slot(img, 0, 125)[1], MFAB_NVS_TYPE_U8);
    assert_int_equal(mfab_le32(img), MFAB_NVS_PAGE_ACTIVE);
    free(img);
    free(w);
}

static void
test_nvs_write__blob_at_slot_125_gets_empty_chunk(void **state)
{
    uint8_t *img, data[40];
    mfab_nvs_writer *w = new_writer(&img, 0x4000, 2);
    uint8_t *s;
    (void)state;

    memset(data, 0x5a, sizeof(data));
    assert_int_equal(mfab_nvs_writer_namespace(w, "ns", NULL), 0);
    fill(w, 124); /* used = 125 */
    assert_int_equal(mfab_nvs_writer_add_blob(w, "b", data, 40, NULL), 0);
    s = slot(img, 0, 125); /* Q4: chunk 0, size 0, CRC of nothing */
    assert_int_equal(s[1], MFAB_NVS_TYPE_BLOB_DATA);
    assert_int_equal(s[2], 1);
    assert_int_equal(s[3], 0);
    assert_int_equal(mfab_le16(s + 24), 0);
    assert_int_equal(mfab_le32(s + 28), 0xFFFFFFFFu);
    s = slot(img, 1, 0); /* chunk 1 with the data, then the index */
    assert_int_equal(s[3], 1);
    assert_int_equal(mfab_le16(s + 24), 40);
    assert_int_equal(mfab_le32(s + 28), mfab_crc32_esp(data, 40));
    s = slot(img, 1, 3);
    assert_int_equal(s[1], MFAB_NVS_TYPE_BLOB_IDX);
    assert_int_equal(mfab_le32(s + 24), 40);
    assert_int_equal(s[28], 2);
    assert_int_equal(s[29], 0);
    free(img);
    free(w);
}

static void
test_nvs_write__index_after_full_chunk_goes_to_new_page(void **state)
{
    uint8_t *img, data[4000];
    mfab_nvs_writer *w = new_writer(&img, 0x4000, 2);
    (void)state;

    memset(data, 1, sizeof(data));
    assert_int_equal(mfab_nvs_writer_namespace(w, "ns", NULL), 0);
    /* used = 1: room (125-1)*32 = 3968; exactly that leaves no slot (Q5) */
    assert_int_equal(mfab_nvs_writer_add_blob(w, "b", data, 3968, NULL), 0);
    assert_int_equal(slot(img, 0, 1)[2], 125);
    assert_int_equal(mfab_le32(img), MFAB_NVS_PAGE_FULL);
    assert_int_equal(slot(img, 1, 0)[1], MFAB_NVS_TYPE_BLOB_IDX);
    assert_int_equal(slot(img, 1, 0)[28], 1);
    /* 4000 bytes on a fresh page: one full chunk too */
    assert_int_equal(mfab_nvs_writer_add_blob(w, "c", data, 4000, NULL), 0);
    assert_int_equal(slot(img, 1, 1)[3], 0);
    assert_int_equal(mfab_le16(slot(img, 1, 1) + 24), 3968);
    assert_int_equal(slot(img, 2, 0)[3], 1);
    assert_int_equal(mfab_le16(slot(img, 2, 0) + 24), 32);
    free(img);
    free(w);
}

static void
test_nvs_write__namespace_quirks(void **state)
{
    uint8_t *img;
    mfab_nvs_writer *w = new_writer(&img, 0x3000, 2);
    (void)state;

    fill(w, 1); /* Q2: before any namespace -> index 0 */
    assert_int_equal(slot(img, 0, 0)[0], 0);
    assert_int_equal(mfab_nvs_writer_namespace(w, "a", NULL), 0);
    assert_int_equal(mfab_nvs_writer_namespace(w, "b", NULL), 0);
    assert_int_equal(mfab_nvs_writer_namespace(w, "a", NULL), 0);
    fill(w, 1); /* Q1: re-selecting 'a' writes nothing, data stays in 2 */
    assert_int_equal(slot(img, 0, 1)[24], 1);
    assert_int_equal(slot(img, 0, 2)[24], 2);
    assert_int_equal(slot(img, 0, 3)[0], 2);
    assert_int_equal(slot(img, 0, 3)[1], MFAB_NVS_TYPE_U8);
    free(img);
    free(w);
}

static void
test_nvs_write__scalar_encodings(void **state)
{
    uint8_t *img;
    mfab_nvs_writer *w = new_writer(&img, 0x3000, 2);
    static const uint8_t i16[8] = {0xfb, 0xff, 0xff, 0xff,
                                   0xff, 0xff, 0xff, 0xff};
    static const uint8_t u32[8] = {0x78, 0x56, 0x34, 0x12,
                                   0xff, 0xff, 0xff, 0xff};
    static const uint8_t i64[8] = {0, 0, 0, 0, 0, 0, 0, 0x80};
    (void)state;

    assert_int_equal(mfab_nvs_writer_add_int(w, "a", MFAB_NVS_I16, -5, NULL),
                     0);
    assert_int_equal(
        mfab_nvs_writer_add_uint(w, "b", MFAB_NVS_U32, 0x12345678, NULL), 0);
    assert_int_equal(
        mfab_nvs_writer_add_int(w, "c", MFAB_NVS_I64, INT64_MIN, NULL), 0);
    assert_memory_equal(slot(img, 0, 0) + 24, i16, 8);
    assert_int_equal(slot(img, 0, 0)[1], 0x12);
    assert_memory_equal(slot(img, 0, 1) + 24, u32, 8);
    assert_memory_equal(slot(img, 0, 2) + 24, i64, 8);
    free(img);
    free(w);
}

static void
test_nvs_write__readonly_sizes(void **state)
{
    uint8_t *img;
    size_t len = 0;
    mfab_nvs_writer *w = new_writer(&img, 0x2000, 2);
    (void)state;

    fill(w, 126);
    mfab_nvs_writer_finish(w, &len);
    assert_int_equal(len, 0x1000); /* Q6: only the used page */
    fill(w, 1);                    /* read-only: page 1 is usable */
    mfab_nvs_writer_finish(w, &len);
    assert_int_equal(len, 0x2000);
    assert_int_equal(mfab_nvs_writer_add_blob(w, "x", img, 4000, NULL),
                     MFAB_ERANGE);
    free(img);
    free(w);
}

static void
test_nvs_write__errors(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;
    uint8_t *img, small[16];
    char big[4000];
    mfab_nvs_writer *w = new_writer(&img, 0x3000, 2);
    mfab_nvs_writer tmp;
    unsigned i;
    (void)state;

    memset(big, 'x', sizeof(big));
    assert_int_equal(
        mfab_nvs_writer_add_uint(w, "abcdefghijklmnop", MFAB_NVS_U8, 1, &d),
        MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "'abcdefghijklmnop'",
                          "16 bytes (max 15)", NULL);
    mfab_diag_init(&d);
    /* 8 characters but 16 UTF-8 bytes: the byte count is what matters */
    assert_int_equal(mfab_nvs_writer_namespace(
                         w,
                         "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
                         "\xc3\xa9\xc3\xa9",
                         &d),
                     MFAB_EINVAL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_writer_add_uint(w, "\xff", MFAB_NVS_U8, 1, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "UTF-8", NULL);
    assert_int_equal(
        mfab_nvs_writer_add_string(w, "abcdefghijklmnop", "x", 1, NULL),
        MFAB_EINVAL);
    assert_int_equal(mfab_nvs_writer_add_blob(w, "abcdefghijklmnop",
                                              (const uint8_t *)"x", 1, NULL),
                     MFAB_EINVAL);
    /* a rejected key writes nothing */
    assert_int_equal(slot(img, 0, 0)[0], 0xff);
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_writer_add_uint(w, "k", MFAB_NVS_U8, 256, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "'k'", "0..255", NULL);
    assert_int_equal(mfab_nvs_writer_add_int(w, "k", MFAB_NVS_I8, -129, NULL),
                     MFAB_ERANGE);
    assert_int_equal(mfab_nvs_writer_add_int(w, "k", MFAB_NVS_U8, 1, NULL),
                     MFAB_EINVAL);
    assert_int_equal(mfab_nvs_writer_add_uint(w, "k", MFAB_NVS_I32, 1, NULL),
                     MFAB_EINVAL);
    assert_int_equal(mfab_nvs_writer_add_string(w, "k", big, 4000, NULL),
                     MFAB_ERANGE);
    mfab_diag_init(&d);
    /* 3968 + NUL passes the 4000 check but can never be placed (Q3) */
    assert_int_equal(mfab_nvs_writer_add_string(w, "k", big, 3968, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "does not fit one page", NULL);
    assert_int_equal(mfab_nvs_writer_add_string(w, "k", big, 3967, NULL), 0);
    assert_int_equal(mfab_nvs_writer_add_string(w, "k", big, 3967, NULL), 0);
    mfab_diag_init(&d);
    /* 2 usable pages: the third page is refused (E07) */
    assert_int_equal(mfab_nvs_writer_add_string(w, "k", big, 3967, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "0x3000", NULL);
    free(img);
    free(w);

    w = new_writer(&img, 0x3000, 1);
    assert_int_equal(
        mfab_nvs_writer_add_blob(w, "k", (uint8_t *)big, 1985, NULL),
        MFAB_ERANGE);
    assert_int_equal(
        mfab_nvs_writer_add_blob(w, "k", (uint8_t *)big, 1984, NULL), 0);
    assert_int_equal(slot(img, 0, 0)[1], MFAB_NVS_TYPE_BLOB);
    free(img);
    free(w);

    w = new_writer(&img, 0x4000, 2);
    for (i = 0; i < MFAB_NVS_NAMESPACES_MAX; i++) {
        char name[8];
        snprintf(name, sizeof(name), "n%u", i);
        assert_int_equal(mfab_nvs_writer_namespace(w, name, NULL), 0);
    }
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_writer_namespace(w, "one_more", &d), MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "255", "max 254", NULL);
    free(img);
    free(w);

    assert_int_equal(mfab_nvs_writer_init(&tmp, small, 0x2800, 0x2800, 2, NULL),
                     MFAB_EINVAL);
    assert_int_equal(mfab_nvs_writer_init(&tmp, small, 0, 0, 2, NULL),
                     MFAB_EINVAL);
    assert_int_equal(mfab_nvs_writer_init(&tmp, small, 0x1000, 0x1000, 3, NULL),
                     MFAB_EINVAL);
    assert_int_equal(
        mfab_nvs_writer_init(&tmp, small, sizeof(small), 0x1000, 2, NULL),
        MFAB_EBUFS);
}

static void
test_nvs_write__too_many_chunks(void **state)
{
    size_t size = 300 * PAGE, len = 255 * 4000 + 1;
    uint8_t *img, *data = calloc(1, len);
    mfab_diag d = MFAB_DIAG_INIT;
    mfab_nvs_writer *w = new_writer(&img, size, 2);
    (void)state;

    assert_non_null(data);
    assert_int_equal(mfab_nvs_writer_add_blob(w, "b", data, len, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "256 chunks", "max 255", NULL);
    /* nothing was written for it */
    assert_int_equal(slot(img, 0, 0)[0], 0xff);
    assert_int_equal(mfab_nvs_writer_add_blob(w, "b", data, len - 1, NULL), 0);
    assert_int_equal(w->pages, 256);
    free(data);
    free(img);
    free(w);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_write__worked_example_s14),
        cmocka_unit_test(
            test_nvs_write__single_page_item_never_ends_in_slot_125),
        cmocka_unit_test(test_nvs_write__blob_at_slot_125_gets_empty_chunk),
        cmocka_unit_test(
            test_nvs_write__index_after_full_chunk_goes_to_new_page),
        cmocka_unit_test(test_nvs_write__namespace_quirks),
        cmocka_unit_test(test_nvs_write__scalar_encodings),
        cmocka_unit_test(test_nvs_write__readonly_sizes),
        cmocka_unit_test(test_nvs_write__errors),
        cmocka_unit_test(test_nvs_write__too_many_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
