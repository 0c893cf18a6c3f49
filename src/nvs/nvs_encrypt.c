/*
 * nvs_encrypt.c: in-place encryption and decryption of whole NVS images
 * (shared/spec/nvs.md sections 13.1 and 13.4).
 *
 *   page:  0 header (32, plaintext) | 32 bitmap (32, plaintext)
 *          | 64 slot 0 .. slot 125 (32 each; written ones encrypted,
 *            tweak = page*4096 + 64 + 32*slot)
 *
 * Slots are collected into batches across pages, so an image costs a few
 * hundred AES-ECB calls rather than one XTS call per slot (nvs_xts.c).
 */
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/nvs_crypt.h"
#include "nvs/nvs_internal.h"
#include "nvs/nvs_xts.h"

static int
check_len(size_t len, mfab_diag *diag)
{
    /* tweaks are u32 partition offsets */
    if (len == 0 || len % MFAB_NVS_PAGE_SIZE != 0 || len > 0xFFFFF000u)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "nvs: image is %zu bytes (allowed: a non-zero "
                             "multiple of 4096)",
                             len);
    return 0;
}

static int
unit_is_blank(const uint8_t *p)
{
    size_t i;

    for (i = 0; i < MFAB_NVS_SLOT_SIZE; i++)
        if (p[i] != 0xFF)
            return 0;
    return 1;
}

/* Which slots a direction transforms: written ones by the bitmap when
 * encrypting a plaintext image, non-blank ones when decrypting (the
 * reference's rule, which also covers images with a damaged bitmap). */
static int
slot_selected(const uint8_t *page, unsigned slot, int enc)
{
    const uint8_t *unit =
        page + MFAB_NVS_FIRST_SLOT_OFFSET + MFAB_NVS_SLOT_SIZE * slot;

    if (enc) {
        unsigned st = (page[MFAB_NVS_BITMAP_OFFSET + slot / 4] >>
                       (2 * (slot % 4))) & 3u;
        return st != 3u;
    }
    return !unit_is_blank(unit);
}

static int
transform(uint8_t *image, size_t len, const mfab_nvs_keys *keys, int enc,
          mfab_diag *diag)
{
    uint8_t *units[MFAB_NVS__XTS_BATCH];
    uint32_t offsets[MFAB_NVS__XTS_BATCH];
    mfab_nvs__xts x = { NULL, NULL };
    size_t n = 0, pg;
    unsigned s;
    int rc;

    rc = check_len(len, diag);
    if (rc < 0)
        return rc;
    rc = mfab_nvs__xts_init(&x, keys, enc, diag);
    if (rc < 0)
        goto out;
    for (pg = 0; pg < len / MFAB_NVS_PAGE_SIZE; pg++) {
        uint8_t *page = image + pg * MFAB_NVS_PAGE_SIZE;

        /* a blank header means an unused page: nothing to transform */
        if (enc && mfab_le32(page) == MFAB_NVS_PAGE_EMPTY)
            continue;
        for (s = 0; s < MFAB_NVS_SLOTS_PER_PAGE; s++) {
            uint32_t off = (uint32_t)(pg * MFAB_NVS_PAGE_SIZE +
                                      MFAB_NVS_FIRST_SLOT_OFFSET +
                                      MFAB_NVS_SLOT_SIZE * s);
            if (!slot_selected(page, s, enc))
                continue;
            units[n] = image + off;
            offsets[n] = off;
            if (++n == MFAB_NVS__XTS_BATCH) {
                rc = mfab_nvs__xts_units(&x, units, offsets, n, diag);
                if (rc < 0)
                    goto out;
                n = 0;
            }
        }
    }
    rc = mfab_nvs__xts_units(&x, units, offsets, n, diag);
out:
    mfab_nvs__xts_release(&x);
    return rc;
}

/* see matterfab/nvs_crypt.h */
int
mfab_nvs_encrypt_image(uint8_t *image, size_t len, const mfab_nvs_keys *keys,
                       mfab_diag *diag)
{
    return transform(image, len, keys, 1, diag);
}

/* see matterfab/nvs_crypt.h */
int
mfab_nvs_decrypt_image(uint8_t *image, size_t len, const mfab_nvs_keys *keys,
                       mfab_diag *diag)
{
    return transform(image, len, keys, 0, diag);
}
