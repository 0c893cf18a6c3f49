/*
 * fuzz_nvs_read.c: libFuzzer target for the NVS image reader
 * (src/nvs/nvs_read.c, nvs_read_values.c) and the keys-partition decoder
 * (src/nvs/nvs_keys.c). Spec: shared/spec/nvs.md sections 13.2 and 15.
 *
 * The input is cut to whole 4096-byte pages (a short input becomes one
 * page over 0xFF). Its first byte picks the options, so one corpus
 * reaches plaintext, encrypted, generator and device-rule paths.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/nvs_crypt.h"
#include "matterfab/nvs_read.h"

static int
count_item(void *ctx, const mfab_nvs_item *it)
{
    size_t i, sum = 0;

    /* touch every byte the reader hands out */
    for (i = 0; it->data != NULL && i < it->size; i++)
        sum += it->data[i];
    for (i = 0; i < it->nchunks; i++)
        sum += it->chunks[i].size;
    *(size_t *)ctx += sum + strlen(it->key);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;
    mfab_nvs_keys keys;
    uint8_t *img, *values;
    size_t len = size / 4096 * 4096, acc = 0;
    uint8_t mode = size > 0 ? data[0] : 0;

    if (mfab_nvs_keys_decode(&keys, data, size, NULL) != 0)
        memset(&keys, 0, sizeof(keys));
    if (len == 0)
        len = 4096;
    if (len > 64 * 4096)
        len = 64 * 4096;
    img = malloc(len);
    values = malloc(len);
    if (img == NULL || values == NULL)
        goto out;
    memset(img, 0xFF, len);
    memcpy(img, data, size < len ? size : len);
    if (mode & 1) {
        /* fixed, distinct halves: encrypted reading */
        memset(keys.eky, 0x11, 32);
        memset(keys.tky, 0x22, 32);
        o.keys = &keys;
    }
    o.generator_rules = (mode >> 1) & 1;
    o.read_only = (mode >> 2) & 1 ? -1 : (mode >> 3) & 1;
    if (!((mode >> 4) & 1)) {
        o.value_buf = values;
        o.value_cap = (mode >> 5) & 1 ? 16 : len;
    }
    o.on_item = count_item;
    o.ctx = &acc;
    mfab_nvs_read(NULL, img, len, &o, NULL);
out:
    free(img);
    free(values);
    mfab_nvs_keys_wipe(&keys);
    return 0;
}
