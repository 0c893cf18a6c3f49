/*
 * fuzz_nvs_csv.c: libFuzzer target for the nvs_partition_gen CSV front end
 * (src/nvs/nvs_csv.c, nvs_value.c, nvs_write.c): any text must either
 * give an image or a clean error, never a crash.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/nvs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
has_word(const uint8_t *p, size_t n, const char *w)
{
    size_t i, k = strlen(w);

    for (i = 0; i + k <= n; i++)
        if (memcmp(p + i, w, k) == 0)
            return 1;
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t image[0x6000];
    mfab_nvs_options o = MFAB_NVS_OPTIONS_INIT;
    size_t len = 0;
    char *text;

    if (size < 1)
        return 0;
    /* 'file' rows would read arbitrary host files (e.g. /dev/zero) */
    if (has_word(data, size, "file"))
        return 0;
    o.size = (size_t)(1 + data[0] % 6) * 0x1000;
    o.version = data[0] & 0x80 ? 1 : 2;
    o.base_dir = "/nonexistent";
    text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    mfab_nvs_generate_text(image, sizeof(image), &len, text, size - 1,
                           "fuzz.csv", &o, NULL);
    if (len > o.size)
        abort();
    free(text);
    return 0;
}
