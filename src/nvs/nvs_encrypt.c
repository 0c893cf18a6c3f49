/*
 * nvs_encrypt.c: in-place encryption and decryption of whole NVS images
 * (shared/spec/nvs.md sections 13.1 and 13.4).
 *
 *   page:  0 header (32, plaintext) | 32 bitmap (32, plaintext)
 *          | 64 slot 0 .. slot 125 (32 each; written ones encrypted,
 *            tweak = page*4096 + 64 + 32*slot)
 *
 * Consecutive slots of a page form one run for the engine (nvs_xts.c), so
 * an image costs two AES-ECB calls per page rather than one XTS call per
 * slot.
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
    uint64_t w[4];

    /* a ciphertext almost never starts with eight 0xFF bytes */
    memcpy(w, p, 8);
    if (w[0] != ~(uint64_t)0)
        return 0;
    memcpy(w + 1, p + 8, 24);
    return (w[1] & w[2] & w[3]) == ~(uint64_t)0;
}

/* 1 when a direction transforms the slot (see queue_page). */
static int
selected(const uint8_t *page, unsigned slot, int enc)
{
    if (enc)
        return ((page[MFAB_NVS_BITMAP_OFFSET + slot / 4] >> (2 * (slot % 4))) &
                3u) != 3u;
    return !unit_is_blank(page + MFAB_NVS_FIRST_SLOT_OFFSET +
                          MFAB_NVS_SLOT_SIZE * slot);
}

/*
 * Transform the slots of one page that a direction selects: written ones
 * by the bitmap when encrypting a plaintext image, non-blank ones when
 * decrypting (the reference's rule, which also copes with a damaged
 * bitmap). Consecutive selected slots go to the engine as one run; a
 * generator page is a single run.
 */
/*
 * Number of written slots when the bitmap is a written prefix (every
 * generator page: 0xAA bytes, one partial byte, 0xFF bytes); -1 when not.
 */
static int
written_prefix(const uint8_t *bitmap)
{
    unsigned j = 0, n;

    while (j < 32 && bitmap[j] == 0xAA)
        j++;
    n = 4 * j;
    if (j < 32) {
        switch (bitmap[j]) {
        case 0xFF: break;
        case 0xFE: n += 1; break;
        case 0xFA: n += 2; break;
        case 0xEA: n += 3; break;
        default: return -1;
        }
        for (j++; j < 31; j++)
            if (bitmap[j] != 0xFF)
                return -1;
        /* byte 31: slots 124, 125 in the low nibble */
        if (j == 31 && (bitmap[31] & 0x0F) != 0x0F)
            return -1;
    }
    /* slots 126 and 127 do not exist */
    return n > MFAB_NVS_SLOTS_PER_PAGE ? -1 : (int)n;
}

static int
do_page(mfab_nvs__xts *x, uint8_t *image, size_t pg, int enc, mfab_diag *diag)
{
    uint8_t *page = image + pg * MFAB_NVS_PAGE_SIZE;
    uint32_t base =
        (uint32_t)(pg * MFAB_NVS_PAGE_SIZE + MFAB_NVS_FIRST_SLOT_OFFSET);
    unsigned s = 0, e;
    int rc, n;

    n = enc ? written_prefix(page + MFAB_NVS_BITMAP_OFFSET) : -1;
    if (n >= 0)
        return mfab_nvs__xts_run(x, page + MFAB_NVS_FIRST_SLOT_OFFSET, base,
                                 (size_t)n, diag);
    while (s < MFAB_NVS_SLOTS_PER_PAGE) {
        if (!selected(page, s, enc)) {
            s++;
            continue;
        }
        for (e = s + 1; e < MFAB_NVS_SLOTS_PER_PAGE && selected(page, e, enc);
             e++)
            ;
        rc = mfab_nvs__xts_run(
            x, page + MFAB_NVS_FIRST_SLOT_OFFSET + MFAB_NVS_SLOT_SIZE * s,
            base + MFAB_NVS_SLOT_SIZE * s, e - s, diag);
        if (rc < 0)
            return rc;
        s = e;
    }
    return 0;
}

static int
transform(uint8_t *image, size_t len, const mfab_nvs_keys *keys, int enc,
          mfab_diag *diag)
{
    mfab_nvs__xts x;
    size_t pg;
    int rc;

    rc = check_len(len, diag);
    if (rc < 0)
        return rc;
    rc = mfab_nvs__xts_init(&x, keys, enc, diag);
    if (rc < 0)
        goto out;
    for (pg = 0; pg < len / MFAB_NVS_PAGE_SIZE && rc == 0; pg++) {
        /* a blank header means an unused page: nothing to transform */
        if (enc &&
            mfab_le32(image + pg * MFAB_NVS_PAGE_SIZE) == MFAB_NVS_PAGE_EMPTY)
            continue;
        rc = do_page(&x, image, pg, enc, diag);
    }
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
