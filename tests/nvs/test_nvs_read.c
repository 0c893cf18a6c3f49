/*
 * Tests for src/nvs/nvs_read.c: images built slot by slot
 * (nvs_test_image.h) break one page or slot rule of spec 15.2 each and
 * must be reported with their page/slot; the device rules; length errors;
 * decryption on the fly equals reading the decrypted image.
 */
#include "nvs_test_image.h"

static void
b_hdr_crc(void)
{
    img[4096 * 0 + 29] ^= 1;
}
static void
b_empty_dirty(void)
{
    img[4096 * 1 + 100] = 0;
}
static void
b_state(void)
{
    header(0, 0xFFFFFFF0);
}
static void
b_version(void)
{
    img[8] = 0xFD;
    put32(img + 28, mfab_nvs__crc32(img + 4, 24));
}
static void
b_reserved(void)
{
    img[12] = 0;
    put32(img + 28, mfab_nvs__crc32(img + 4, 24));
}
static void
b_seq(void)
{
    img[4] = 5;
    put32(img + 28, mfab_nvs__crc32(img + 4, 24));
}
static void
b_bitmap_tail(void)
{
    img[32 + 31] = 0x0F;
}
static void
b_item_crc(void)
{
    slot_at(0, 1)[24] ^= 1;
}
static void
b_type(void)
{
    slot_at(0, 1)[1] = 0x33;
    fix_crc(0, 1);
}
static void
b_span(void)
{
    slot_at(0, 1)[2] = 3;
    fix_crc(0, 1);
}
static void
b_span_end(void)
{
    item(0, 124, 1, 0x21, 0xFF, "z", (const uint8_t *)"0123456789", 11, 0);
    slot_at(0, 124)[2] = 3;
    slot_at(0, 124)[24] = 40;
    fix_crc(0, 124);
}
static void
b_payload_state(void)
{
    mark(0, 3, 0);
}
static void
b_payload_crc(void)
{
    slot_at(0, 3)[0] ^= 1;
}
static void
b_padding(void)
{
    slot_at(0, 3)[20] = 0;
}
static void
b_key(void)
{
    slot_at(0, 1)[20] = 'x';
    fix_crc(0, 1);
}
static void
b_chunk(void)
{
    slot_at(0, 1)[3] = 0;
    fix_crc(0, 1);
}
static void
b_unwritten(void)
{
    slot_at(0, 50)[3] = 0;
}
static void
b_gap(void)
{
    item(0, 20, 1, 0x01, 0xFF, "late", NULL, 0, 1);
}
static void
b_erased(void)
{
    mark(0, 1, 0);
}
static void
b_ns0(void)
{
    slot_at(0, 1)[0] = 0;
    fix_crc(0, 1);
}
static void
b_scalar_pad(void)
{
    slot_at(0, 1)[30] = 0;
    fix_crc(0, 1);
}
static void
b_reserved_sz(void)
{
    slot_at(0, 2)[26] = 0;
    fix_crc(0, 2);
}
static void
b_two_active(void)
{
    header(1, 0xFFFFFFFE);
}
static void
b_last_page(void)
{
    header(0, 0xFFFFFFFC);
    header(1, 0xFFFFFFFC);
    header(2, 0xFFFFFFFE);
}
static void
b_ns_index(void)
{
    slot_at(0, 0)[24] = 0;
    fix_crc(0, 0);
}

static void
test_nvs_read__page_rules(void **state)
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

static void
test_nvs_read__slot_rules(void **state)
{
    (void)state;
    expect(b_item_crc, 1, "item CRC", "at page 0 slot 1");
    expect(b_type, 1, "unknown item type 0x33", "at page 0 slot 1");
    expect(b_span, 1, "span 3 of key 'n'", "at page 0 slot 1");
    expect(b_span_end, 1, "runs past slot 125", "at page 0 slot 124");
    expect(b_payload_state, 1, "not WRITTEN", "at page 0 slot 3");
    expect(b_payload_crc, 1, "payload CRC", "at page 0 slot 2");
    expect(b_padding, 1, "padding", "at page 0 slot 2");
    expect(b_key, 1, "NUL padding", "at page 0 slot 1");
    expect(b_chunk, 1, "chunk index 0x00", "at page 0 slot 1");
    expect(b_unwritten, 1, "unwritten slot is not blank", "at page 0 slot 50");
    expect(b_gap, 1, "written slot after an unwritten one",
           "at page 0 slot 20");
    expect(b_erased, 1, "slot is ERASED", "at page 0 slot 1");
    expect(b_ns0, 1, "in namespace 0", "at page 0 slot 1");
    expect(b_scalar_pad, 1, "unused bytes of a u16", "at page 0 slot 1");
    expect(b_reserved_sz, 1, "reserved bytes 26..27", "at page 0 slot 2");
    expect(b_ns_index, 1, "has index 0", "at page 0 slot 0");
}

/* Without the generator rules, what the device tolerates passes. */
static void
test_nvs_read__device_rules(void **state)
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
test_nvs_read__bad_length(void **state)
{
    mfab_diag d = MFAB_DIAG_INIT;

    (void)state;
    assert_int_equal(mfab_nvs_read(NULL, img, 4095, NULL, &d), MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "4095 bytes", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_read(NULL, img, 0, NULL, &d), MFAB_EINVAL);
}

/* s10 read with its keys lists exactly what s13's plaintext lists. */
static void
test_nvs_read__decrypts_on_the_fly(void **state)
{
    char p[4096];
    uint8_t *enc, *dec, *kb, *vb;
    size_t el, dl, kl;
    mfab_nvs_keys keys;
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;
    seen a, b;
    mfab_diag d = MFAB_DIAG_INIT;

    (void)state;
    mfab_test_vpath(p, sizeof(p), "nvs/s13_decrypt/enc.bin");
    enc = mfab_test_read(p, &el);
    mfab_test_vpath(p, sizeof(p), "nvs/s13_decrypt/expected/dec.bin");
    dec = mfab_test_read(p, &dl);
    mfab_test_vpath(p, sizeof(p), "nvs/s13_decrypt/keys.bin");
    kb = mfab_test_read(p, &kl);
    assert_int_equal(mfab_nvs_keys_decode(&keys, kb, kl, NULL), 0);
    vb = malloc(el);
    assert_non_null(vb);
    o.value_buf = vb;
    o.value_cap = el;
    o.on_item = on_item;
    o.on_problem = on_problem;
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    o.ctx = &a;
    assert_int_equal(mfab_nvs_read(NULL, dec, dl, &o, &d), 0);
    o.keys = &keys;
    o.ctx = &b;
    assert_int_equal(mfab_nvs_read(NULL, enc, el, &o, &d), 0);
    assert_true(a.items > 100);
    assert_int_equal(a.items, b.items);
    assert_string_equal(a.listing, b.listing);
    /* the plaintext read with keys fails every item CRC */
    memset(&b, 0, sizeof(b));
    assert_int_equal(mfab_nvs_read(NULL, dec, dl, &o, &d), MFAB_EFORMAT);
    assert_non_null(strstr(b.problems_text, "wrong keys?"));
    /* equal key halves are refused */
    memset(&keys, 9, sizeof(keys));
    mfab_diag_init(&d);
    assert_int_equal(mfab_nvs_read(NULL, enc, el, &o, &d), MFAB_EINVAL);
    free(vb);
    free(enc);
    free(dec);
    free(kb);
}

static void
test_nvs_read__names(void **state)
{
    (void)state;
    assert_string_equal(mfab_nvs_page_state_name(MFAB_NVS_STATE_FREEING),
                        "FREEING");
    assert_string_equal(mfab_nvs_page_state_name((mfab_nvs_page_state)99),
                        "INVALID");
    assert_string_equal(mfab_nvs_type_name(0x18), "i64");
    assert_null(mfab_nvs_type_name(0x99));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_read__page_rules),
        cmocka_unit_test(test_nvs_read__slot_rules),
        cmocka_unit_test(test_nvs_read__device_rules),
        cmocka_unit_test(test_nvs_read__bad_length),
        cmocka_unit_test(test_nvs_read__decrypts_on_the_fly),
        cmocka_unit_test(test_nvs_read__names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
