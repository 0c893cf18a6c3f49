/*
 * fuzz_espimage.c: libFuzzer target for the ESP app/bootloader image
 * reader (shared/spec/production-images.md section 3) and the OTA app
 * version lookup built on it.
 *
 * Properties beyond "no crash, no leak": every segment reported lies
 * inside the input, the checksum byte and digest too, and the description
 * strings are NUL-terminated within their fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/espimage.h"
#include "matterfab/ota.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mfab_espimage_info info;
    char version[40];
    unsigned i;

    mfab_ota_app_version(version, sizeof(version), data, size);
    if (strlen(version) > 32)
        abort();
    if (mfab_espimage_parse(&info, data, size, NULL) < 0)
        return 0;
    if (info.segment_count > MFAB_ESPIMAGE_MAX_SEGMENTS)
        abort();
    for (i = 0; i < info.segment_count; i++)
        if (info.segments[i].data_offset + info.segments[i].length > size)
            abort();
    if (info.image_len_total > size ||
        info.trailing_len != size - info.image_len_total)
        abort();
    if (info.has_app_desc && (strlen(info.app_desc.version) > 32 ||
                              strlen(info.app_desc.idf_ver) > 32))
        abort();
    (void)mfab_espimage_check(&info, NULL);
    return 0;
}
