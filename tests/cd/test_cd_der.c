/*
 * Tests for src/cd/cd_der.c: DER element headers in every length form,
 * refusal of BER-only and malformed encodings, and the writer's sizes.
 */
#include <string.h>

#include "mfab_test.h"
#include "cd/cd_internal.h"

static int
read_one(const uint8_t *p, size_t n, mfab_cd__der *e)
{
    mfab_cursor c;

    mfab_cursor_init(&c, p, n);
    return mfab_cd__der_next(&c, e);
}

static void
test_cd_der__length_forms(void **state)
{
    static uint8_t buf[0x10000 + 8];
    mfab_cd__der e;
    (void)state;

    buf[0] = 0x04, buf[1] = 0x7F;
    assert_int_equal(read_one(buf, 2 + 0x7F, &e), 0);
    assert_int_equal(e.len, 0x7F);
    assert_ptr_equal(e.val, buf + 2);
    buf[1] = 0x81, buf[2] = 0x80;
    assert_int_equal(read_one(buf, 3 + 0x80, &e), 0);
    assert_int_equal(e.len, 0x80);
    buf[1] = 0x82, buf[2] = 0x01, buf[3] = 0x00;
    assert_int_equal(read_one(buf, 4 + 0x100, &e), 0);
    assert_int_equal(e.len, 0x100);
    buf[1] = 0x83, buf[2] = 0x01, buf[3] = 0x00, buf[4] = 0x00;
    assert_int_equal(read_one(buf, 5 + 0x10000, &e), 0);
    assert_int_equal(e.len, 0x10000);
    assert_int_equal(e.tag, 0x04);
}

static void
test_cd_der__refuses_ber_and_garbage(void **state)
{
    static const uint8_t indefinite[] = {0x30, 0x80, 0x00, 0x00};
    static const uint8_t long_small[] = {0x04, 0x81, 0x05, 1, 2, 3, 4, 5};
    static const uint8_t leading0[] = {0x04, 0x82, 0x00, 0x01, 0xAA};
    static const uint8_t high_tag[] = {0x1F, 0x81, 0x01, 0x00};
    static const uint8_t too_long[] = {0x04, 0x84, 0, 0, 0, 1, 0};
    static const uint8_t overrun[] = {0x04, 0x05, 1, 2};
    static const uint8_t short_len[] = {0x04, 0x82, 0x01};
    mfab_cd__der e;
    mfab_cursor c;
    (void)state;

    assert_int_equal(read_one(indefinite, sizeof(indefinite), &e),
                     MFAB_EFORMAT);
    assert_int_equal(read_one(long_small, sizeof(long_small), &e),
                     MFAB_EFORMAT);
    assert_int_equal(read_one(leading0, sizeof(leading0), &e), MFAB_EFORMAT);
    assert_int_equal(read_one(high_tag, sizeof(high_tag), &e), MFAB_EFORMAT);
    assert_int_equal(read_one(too_long, sizeof(too_long), &e), MFAB_EFORMAT);
    assert_int_equal(read_one(overrun, sizeof(overrun), &e), MFAB_EFORMAT);
    assert_int_equal(read_one(short_len, sizeof(short_len), &e), MFAB_EFORMAT);
    assert_int_equal(read_one(overrun, 1, &e), MFAB_EFORMAT);
    mfab_cursor_init(&c, overrun, sizeof(overrun));
    assert_int_equal(mfab_cd__der_expect(&c, 0x30, &e), MFAB_EFORMAT);
}

static void
test_cd_der__writer(void **state)
{
    uint8_t buf[8], big[300], src[200];
    mfab_der_writer w = {buf, sizeof(buf), 0};
    mfab_cd__der e;
    (void)state;

    mfab_der_put_header(&w, 0x30, 0x7F);
    assert_int_equal(w.len, 2);
    mfab_der_put_header(&w, 0x30, 0x80);
    mfab_der_put_header(&w, 0x30, 0x100);
    assert_int_equal(w.len, 2 + 3 + 4);
    /* what does not fit is counted, not stored */
    assert_memory_equal(buf, "\x30\x7F\x30\x81\x80", 5);
    assert_int_equal(mfab_der_size(0x7F), 0x81);
    assert_int_equal(mfab_der_size(0x80), 0x83);
    assert_int_equal(mfab_der_size(0x100), 0x104);

    memset(src, 0xEE, sizeof(src));
    w.buf = big, w.cap = sizeof(big), w.len = 0;
    mfab_der_put(&w, 0x04, src, 150);
    assert_int_equal(w.len, 153);
    assert_int_equal(read_one(big, w.len, &e), 0);
    assert_int_equal(e.len, 150);
    assert_memory_equal(e.val, src, 150);

    w.buf = NULL, w.cap = 0, w.len = 0;
    mfab_der_put(&w, 0x04, src, 200);
    assert_int_equal(w.len, mfab_der_size(200));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cd_der__length_forms),
        cmocka_unit_test(test_cd_der__refuses_ber_and_garbage),
        cmocka_unit_test(test_cd_der__writer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
