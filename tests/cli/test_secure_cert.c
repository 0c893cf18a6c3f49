/* End-to-end tests of cli/cmd_secure_cert.c on the reference images. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/io.h"
#include "mfab_test.h"

static void
run_dump(mfab_test_run_result *r, const char *path, const char *flag)
{
    const char *args[] = { "secure-cert", "dump", path, flag, NULL };
    mfab_test_run(r, NULL, args);
}

static void
test_secure_cert__dump_text(void **state)
{
    mfab_test_run_result r;
    char path[4096];
    (void)state;

    mfab_test_vpath(path, sizeof(path),
                    "pki/secure_cert/esp_secure_cert_all.bin");
    run_dump(&r, path, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "DEV_CERT"));
    assert_non_null(strstr(r.out, "MATTER_TLV_1           0  0x00      2  "
                                  "ok   3840"));
    assert_non_null(strstr(r.out, "MATTER_TLV_1           3  0x00      4  "
                                  "ok   1000"));
    mfab_test_run_free(&r);
}

static void
test_secure_cert__dump_json_upstream(void **state)
{
    mfab_test_run_result r;
    char path[4096];
    json_t *j;
    (void)state;

    mfab_test_vpath(path, sizeof(path),
                    "pki/secure_cert/upstream_tools_test_esp_secure_cert.bin");
    run_dump(&r, path, "--json");
    assert_int_equal(r.exit_code, 0);
    j = json_loads(r.out, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(json_object_get(j, "entries")), 7);
    assert_int_equal(json_integer_value(json_object_get(j, "used")), 5280);
    json_decref(j);
    mfab_test_run_free(&r);
}

static void
test_secure_cert__corrupt_image_names_entry(void **state)
{
    mfab_test_run_result r;
    char src[4096], *dir = mfab_test_tmpdir(), path[4200];
    uint8_t *img;
    size_t len;
    (void)state;

    mfab_test_vpath(src, sizeof(src),
                    "pki/secure_cert/esp_secure_cert_dac_only.bin");
    img = mfab_test_read(src, &len);
    img[0x230] ^= 0x80; /* inside CA_CERT's data */
    snprintf(path, sizeof(path), "%s/bad.bin", dir);
    assert_int_equal(mfab_file_write_atomic(path, img, len, 0644, NULL), 0);
    run_dump(&r, path, NULL);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "entry 1 (CA_CERT/0) at offset 0x220: CRC "
                                  "mismatch"));
    mfab_test_run_free(&r);
    /* not an esp_secure_cert image at all */
    memset(img, 0xFF, len);
    assert_int_equal(mfab_file_write_atomic(path, img, len, 0644, NULL), 0);
    run_dump(&r, path, NULL);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "magic 0xBA5EBA11 expected"));
    mfab_test_run_free(&r);
    free(img);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_secure_cert__dump_text),
        cmocka_unit_test(test_secure_cert__dump_json_upstream),
        cmocka_unit_test(test_secure_cert__corrupt_image_names_entry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
