/* Interop: QR PNGs from `matterfab payload qr` read back by a real QR
 * reader (zbarimg, Debian zbar-tools) give the payload string back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mfab_test.h"

static void
test_payload_zbar__png_decodes_to_the_payload(void **state)
{
    char path[4096], png[4200];
    char *dir = mfab_test_tmpdir();
    json_t *vec, *cases;
    size_t i, checked = 0;
    (void)state;

    mfab_test_vpath(path, sizeof(path), "commissioning/payloads.json");
    vec = mfab_test_json(path);
    cases = json_object_get(vec, "cases");
    assert_true(json_array_size(cases) >= 40);
    snprintf(png, sizeof(png), "%s/qr.png", dir);
    /* every third payload: plain, with extras, flows and long codes */
    for (i = 0; i < json_array_size(cases); i += 3) {
        json_t *c = json_array_get(cases, i);
        const char *qr = json_string_value(json_object_get(c, "qr"));
        const char *make[] = { "payload", "qr", qr, "--format", "png", "-o",
                               png, NULL };
        const char *read[] = { "zbarimg", "--raw", "-q", png, NULL };
        mfab_test_run_result r;
        size_t n;

        assert_non_null(qr);
        mfab_test_run(&r, NULL, make);
        if (r.exit_code != 0)
            fail_msg("payload qr '%s' failed: %s", qr, r.err);
        mfab_test_run_free(&r);
        mfab_test_exec(&r, NULL, read);
        if (r.exit_code != 0)
            fail_msg("zbarimg could not read the QR of '%s': %s", qr, r.err);
        n = strlen(r.out);
        while (n > 0 && (r.out[n - 1] == '\n' || r.out[n - 1] == '\r'))
            r.out[--n] = '\0';
        assert_string_equal(r.out, qr);
        mfab_test_run_free(&r);
        checked++;
    }
    assert_true(checked >= 14);
    json_decref(vec);
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_payload_zbar__png_decodes_to_the_payload),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
