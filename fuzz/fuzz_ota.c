/*
 * fuzz_ota.c: libFuzzer target for the Matter OTA image reader
 * (shared/spec/production-images.md section 1): the lenient parse, the
 * strict verify, and change-header's re-encoding of what was parsed.
 *
 * Properties beyond "no crash, no leak": a parsed image's payload lies
 * inside the input; when an image verifies, change-header's re-encoding
 * (smallest widths) is no longer and verifies too.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/ota.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mfab_ota_image img;
    mfab_ota_header none;
    uint8_t *out;
    size_t len = 0;

    if (mfab_ota_parse(&img, data, size, NULL) < 0)
        return 0;
    if (img.payload < data || img.payload + img.payload_len != data + size)
        abort();
    memset(&none, 0, sizeof(none));
    if (mfab_ota_verify(data, size, NULL) < 0)
        return 0;
    if (mfab_ota_change_header(NULL, 0, &len, data, size, 0, &none, NULL) < 0)
        return 0;
    out = malloc(len ? len : 1);
    if (out == NULL)
        return 0;
    /* our re-encoding of a device-valid image is device-valid too */
    if (mfab_ota_change_header(out, len, &len, data, size, 0, &none, NULL) ==
            0 &&
        (len > size || mfab_ota_verify(out, len, NULL) < 0))
        abort();
    free(out);
    return 0;
}
