/* Tests for src/securecert/securecert_matter.c: MATTER_TLV_1 of the
 * reference images, and a damaged entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/securecert.h"
#include "mfab_test.h"

/* vectors/pki/secure_cert/<name> */
static uint8_t *
image(const char *name, size_t *len)
{
    char path[4096], rel[256];

    snprintf(rel, sizeof(rel), "pki/secure_cert/%s", name);
    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

static void
test_securecert_matter__reference_image(void **state)
{
    static const uint8_t rd[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55,
                                   0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb,
                                   0xcc, 0xdd, 0xee, 0xff};
    mfab_securecert_matter m;
    mfab_diag d = MFAB_DIAG_INIT;
    size_t len = 0;
    uint8_t *img;
    (void)state;

    img = image("esp_secure_cert_all.bin", &len);
    assert_non_null(img);
    assert_int_equal(mfab_securecert_matter_read(&m, img, len, &d), 0);
    assert_true(m.has_commissionable);
    assert_int_equal(m.discriminator, 3840);
    assert_int_equal(m.iterations, 1000);
    assert_int_equal(m.salt_len, 16);
    assert_memory_equal(m.salt, "SPAKE2P Key Salt", 16);
    assert_true(m.has_rd_id_uid);
    assert_int_equal(m.rd_id_uid_len, 16);
    assert_memory_equal(m.rd_id_uid, rd, 16);
    /* a damaged salt entry is named */
    img[0x530 + 12] ^= 1;
    assert_int_equal(mfab_securecert_matter_read(&m, img, len, &d),
                     MFAB_EFORMAT);
    mfab_test_assert_diag(&d, MFAB_EFORMAT, "discriminator without", NULL);
    free(img);
    img = image("esp_secure_cert_dac_only.bin", &len);
    assert_non_null(img);
    mfab_diag_init(&d);
    assert_int_equal(mfab_securecert_matter_read(&m, img, len, &d), 0);
    assert_false(m.has_commissionable);
    assert_false(m.has_rd_id_uid);
    free(img);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_securecert_matter__reference_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
