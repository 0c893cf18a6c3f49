/*
 * End-to-end tests of "matterfab image info": its --json output carries
 * every field of each esp-image vector's expected.json with equal values,
 * the text output names the description, and broken images exit 1.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vector_cmd.h"

static void
assert_fields(const char *where, json_t *expected, json_t *actual)
{
    const char *key;
    json_t *ev;

    json_object_foreach(expected, key, ev) {
        json_t *av = json_object_get(actual, key);

        if (strcmp(key, "case") == 0 || strcmp(key, "description") == 0 ||
            strcmp(key, "source") == 0)
            continue;
        if (av == NULL)
            fail_msg("%s: '%s' missing from the JSON output", where, key);
        if (json_is_object(ev))
            assert_fields(where, ev, av);
        else if (!json_equal(ev, av))
            fail_msg("%s: '%s' differs", where, key);
    }
}

static void
test_image__info_json_matches_vectors(void **state)
{
    char dir[2048], path[2400];
    const char *args[] = { "image", "info", "--json", path, NULL };
    struct dirent *de;
    unsigned cases = 0;
    DIR *d;
    (void)state;

    mfab_test_vpath(dir, sizeof(dir), "production/esp-image");
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        mfab_test_run_result r;
        json_error_t jerr;
        json_t *got, *want;

        if (de->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s/expected.json", dir, de->d_name);
        want = mfab_test_json(path);
        snprintf(path, sizeof(path), "%s/%s/image.bin", dir, de->d_name);
        mfab_test_run(&r, NULL, args);
        assert_int_equal(r.exit_code, 0);
        got = json_loads(r.out, 0, &jerr);
        if (got == NULL)
            fail_msg("%s: output is not JSON: %s", de->d_name, jerr.text);
        assert_fields(de->d_name, want, got);
        json_decref(got);
        json_decref(want);
        mfab_test_run_free(&r);
        cases++;
    }
    closedir(d);
    assert_int_equal(cases, 3);
}

static void
test_image__info_text(void **state)
{
    char path[4096];
    const char *args[] = { "image", "info", path, NULL };
    mfab_test_run_result r;
    (void)state;

    mfab_test_vpath(path, sizeof(path),
                    "production/esp-image/img-02-esp32s2-app-blink/image.bin");
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "Chip: esp32s2 (id 2)"));
    assert_non_null(strstr(r.out, "Project name: blink"));
    assert_non_null(strstr(r.out, "(valid)"));
    mfab_test_run_free(&r);
}

static void
test_image__bad_images_fail(void **state)
{
    char src[4096], path[4200];
    char *tmp = mfab_test_tmpdir();
    mfab_test_run_result r;
    uint8_t *img;
    size_t len;
    FILE *f;
    (void)state;

    mfab_test_vpath(src, sizeof(src),
                    "production/esp-image/img-02-esp32s2-app-blink/image.bin");
    img = mfab_test_read(src, &len);
    snprintf(path, sizeof(path), "%s/cut.bin", tmp);
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(img, 1, 5000, f);
    fclose(f);
    mfab_test_run_line(&r, tmp, NULL, "image info cut.bin");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "matterfab: cut.bin: esp image: truncated"));
    mfab_test_run_free(&r);

    img[200] ^= 0x55;
    snprintf(path, sizeof(path), "%s/bad.bin", tmp);
    f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(img, 1, len, f);
    fclose(f);
    mfab_test_run_line(&r, tmp, NULL, "image info bad.bin");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.out, "INVALID"));
    assert_non_null(strstr(r.err, "checksum mismatch"));
    mfab_test_run_free(&r);

    mfab_test_run_line(&r, tmp, NULL, "image info");
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    free(img);
    mfab_test_rmtree(tmp);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_image__info_json_matches_vectors),
        cmocka_unit_test(test_image__info_text),
        cmocka_unit_test(test_image__bad_images_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
