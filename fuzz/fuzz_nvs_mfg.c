/*
 * fuzz_nvs_mfg.c: libFuzzer target for the mfg_gen config/values parser
 * (src/nvs/nvs_mfg.c) and the per-device CSV it builds, fed back to the
 * NVS CSV front end. The input is split in two at its first 0x01 byte:
 * config text, then values text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "matterfab/nvs.h"
#include "matterfab/nvs_mfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];
static char cfg_path[96], val_path[96];

static int
put(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return -1;
    if (n > 0 && fwrite(p, 1, n, f) != n) {
        fclose(f);
        return -1;
    }
    return fclose(f);
}

static void
cleanup(void)
{
    unlink(cfg_path);
    unlink(val_path);
    rmdir(dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t image[0x3000];
    mfab_nvs_options o = MFAB_NVS_OPTIONS_INIT;
    mfab_nvs_mfg *m = NULL;
    const uint8_t *sep;
    size_t i, n, len = 0, img_len = 0;
    char *csv;

    /* 'file' rows would read arbitrary host files */
    for (i = 0; i + 4 <= size; i++)
        if (memcmp(data + i, "file", 4) == 0)
            return 0;
    if (dir[0] == '\0') {
        snprintf(dir, sizeof(dir), "/tmp/fuzz_nvs_mfg.XXXXXX");
        if (mkdtemp(dir) == NULL)
            abort();
        snprintf(cfg_path, sizeof(cfg_path), "%s/c.csv", dir);
        snprintf(val_path, sizeof(val_path), "%s/v.csv", dir);
        atexit(cleanup);
    }
    sep = memchr(data, 0x01, size);
    n = sep != NULL ? (size_t)(sep - data) : size;
    if (put(cfg_path, data, n) != 0 ||
        put(val_path, data + n + (sep != NULL), size - n - (sep != NULL)) != 0)
        return 0;
    if (mfab_nvs_mfg_new(&m, cfg_path, val_path, NULL, NULL) != 0)
        return 0;
    o.size = sizeof(image);
    for (i = 0; i < mfab_nvs_mfg_count(m) && i < 4; i++) {
        if (mfab_nvs_mfg_csv(NULL, 0, &len, m, i) != 0)
            abort();
        csv = malloc(len + 1);
        if (csv == NULL)
            break;
        if (mfab_nvs_mfg_csv(csv, len + 1, &len, m, i) != 0)
            abort();
        mfab_nvs_generate_text(image, sizeof(image), &img_len, csv, len,
                               "dev.csv", &o, NULL);
        free(csv);
    }
    mfab_nvs_mfg_free(m);
    return 0;
}
