/*
 * Tests for src/nvs/nvs_read.c: images built slot by slot
 * (nvs_test_image.h) break one slot rule of spec 15.2 each and must be
 * reported with their page/slot; decryption on the fly equals reading the
 * decrypted image.
 */
#include "nvs_test_image.h"

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
        cmocka_unit_test(test_nvs_read__slot_rules),
        cmocka_unit_test(test_nvs_read__decrypts_on_the_fly),
        cmocka_unit_test(test_nvs_read__names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
