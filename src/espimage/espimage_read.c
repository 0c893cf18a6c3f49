/*
 * espimage_read.c: ESP-IDF image parser (shared/spec/production-images.md
 * section 3: layout 3.1, header 3.2, checksum and digest 3.3, chip ids 3.4,
 * esp_app_desc_t / esp_bootloader_desc_t 3.5).
 *
 *   0   e9 | nseg | mode | size<<4|freq | entry u32
 *   8   wp | drv drv drv | chip u16 | minrev u8 | minrev_full u16
 *   17  maxrev_full u16 | reserved 4 | hash_appended u8
 *   24  segment: addr u32 | len u32 | data[len]      (nseg times)
 *       zero padding up to o = end_of_segments | 15
 *   o   checksum = 0xEF ^ every data byte
 *   o+1 SHA-256 of [0, o]          (when hash_appended == 1)
 *       anything after is a trailer (signature sector, 0xFF padding)
 *
 * A description sits at 0x20, the start of the first segment's data:
 *   app:        u32 abcd5432 | secure_version u32 | 8 rsvd | version[32]
 *               | project[32] | time[16] | date[16] | idf[32] | elf_sha[32]
 *               | min_efuse u16 | max_efuse u16 | mmu_log2 u8 | ...
 *   bootloader: u8 50 | 3 rsvd | version u32 | idf[32] | date_time[24]
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "common/common_internal.h"
#include "matterfab/espimage.h"

#define APP_DESC_LEN 256
#define BOOTLOADER_DESC_LEN 80

/* Fixed-size string field -> C string, stopping at the first NUL. */
static void
copy_field(char *dst, size_t dst_cap, const uint8_t *src, size_t n)
{
    size_t i;

    for (i = 0; i < n && i + 1 < dst_cap && src[i] != 0; i++)
        dst[i] = (char)src[i];
    dst[i] = '\0';
}

static void
read_app_desc(mfab_espimage_app_desc *d, const uint8_t *p)
{
    d->magic = mfab_le32(p);
    d->secure_version = mfab_le32(p + 4);
    copy_field(d->version, sizeof(d->version), p + 16, 32);
    copy_field(d->project_name, sizeof(d->project_name), p + 48, 32);
    copy_field(d->time, sizeof(d->time), p + 80, 16);
    copy_field(d->date, sizeof(d->date), p + 96, 16);
    copy_field(d->idf_ver, sizeof(d->idf_ver), p + 112, 32);
    memcpy(d->app_elf_sha256, p + 144, 32);
    d->min_efuse_blk_rev_full = mfab_le16(p + 176);
    d->max_efuse_blk_rev_full = mfab_le16(p + 178);
    d->mmu_page_size_log2 = p[180];
}

static void
read_bootloader_desc(mfab_espimage_bootloader_desc *d, const uint8_t *p)
{
    d->magic = p[0];
    d->version = mfab_le32(p + 4);
    copy_field(d->idf_ver, sizeof(d->idf_ver), p + 8, 32);
    copy_field(d->date_time, sizeof(d->date_time), p + 40, 24);
}

/*
 * Only the first segment can hold a description, and only when it is long
 * enough. The bootloader magic is a single byte, so its three reserved bytes
 * must be zero too, which keeps random DRAM data from passing as one.
 */
static void
find_desc(mfab_espimage_info *info, const uint8_t *buf)
{
    const mfab_espimage_segment *s = &info->segments[0];
    const uint8_t *p = buf + MFAB_ESPIMAGE_DESC_OFFSET;

    if (info->segment_count == 0 || s->data_offset != MFAB_ESPIMAGE_DESC_OFFSET)
        return;
    if (s->length >= APP_DESC_LEN &&
        mfab_le32(p) == MFAB_ESPIMAGE_APP_DESC_MAGIC) {
        info->has_app_desc = 1;
        read_app_desc(&info->app_desc, p);
    } else if (s->length >= BOOTLOADER_DESC_LEN &&
               p[0] == MFAB_ESPIMAGE_BOOTLOADER_DESC_MAGIC && p[1] == 0 &&
               p[2] == 0 && p[3] == 0) {
        info->has_bootloader_desc = 1;
        read_bootloader_desc(&info->bootloader_desc, p);
    }
}

static void
read_header(mfab_espimage_info *info, const uint8_t *h)
{
    info->segment_count = h[1];
    info->flash_mode = h[2];
    info->flash_size_code = (uint8_t)(h[3] >> 4);
    info->flash_freq_code = (uint8_t)(h[3] & 0x0F);
    info->entry = mfab_le32(h + 4);
    info->wp_pin = h[8];
    memcpy(info->drive, h + 9, 3);
    info->chip_id = mfab_le16(h + 12);
    info->min_rev_legacy = h[14];
    info->min_rev_full = mfab_le16(h + 15);
    info->max_rev_full = mfab_le16(h + 17);
    info->hash_appended = h[23];
}

/* see matterfab/espimage.h */
int
mfab_espimage_parse(mfab_espimage_info *out, const uint8_t *buf, size_t len,
                    mfab_diag *diag)
{
    mfab_cursor c;
    const uint8_t *h = NULL;
    uint8_t sum = 0xEF;
    unsigned i;
    size_t end, k;

    memset(out, 0, sizeof(*out));
    out->file_len = len;
    mfab_cursor_init(&c, buf, len);
    if (mfab_cursor_take(&c, &h, MFAB_ESPIMAGE_HEADER_LEN) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "esp image: truncated header: %zu bytes "
                             "(need %d)",
                             len, MFAB_ESPIMAGE_HEADER_LEN);
    if (h[0] != MFAB_ESPIMAGE_MAGIC)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "esp image: wrong magic byte '0x%02x' at offset "
                             "0 (expected 0xe9)",
                             h[0]);
    read_header(out, h);
    if (out->segment_count > MFAB_ESPIMAGE_MAX_SEGMENTS)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "esp image: segment count '%u' at offset 1 is "
                             "too large (allowed 0..%d)",
                             out->segment_count, MFAB_ESPIMAGE_MAX_SEGMENTS);
    if (out->hash_appended > 1)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "esp image: hash-appended byte '0x%02x' at "
                             "offset 23 is invalid (allowed 0 or 1)",
                             out->hash_appended);
    for (i = 0; i < out->segment_count; i++) {
        mfab_espimage_segment *s = &out->segments[i];
        const uint8_t *sh = NULL, *data = NULL;

        s->file_offset = (size_t)(c.p - buf);
        if (mfab_cursor_take(&c, &sh, 8) < 0)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "esp image: truncated: segment %u header "
                                 "at offset %zu runs past the end (%zu bytes)",
                                 i, s->file_offset, len);
        s->load_addr = mfab_le32(sh);
        s->length = mfab_le32(sh + 4);
        s->data_offset = s->file_offset + 8;
        if (mfab_cursor_take(&c, &data, s->length) < 0)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "esp image: truncated: segment %u at offset "
                                 "%zu claims %u bytes but only %zu remain",
                                 i, s->file_offset, s->length,
                                 mfab_cursor_left(&c));
        for (k = 0; k < s->length; k++)
            sum ^= data[k];
    }
    end = (size_t)(c.p - buf);
    out->checksum_offset = end | 15;
    out->image_len = out->checksum_offset + 1;
    if (out->image_len > len)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "esp image: truncated: checksum byte at offset "
                             "%zu is past the end (%zu bytes)",
                             out->checksum_offset, len);
    out->checksum = buf[out->checksum_offset];
    out->checksum_calculated = sum;
    out->checksum_valid = sum == out->checksum;
    out->image_len_total = out->image_len;
    if (out->hash_appended) {
        if (len - out->image_len < 32)
            return mfab_diag_set(diag, MFAB_EFORMAT,
                                 "esp image: truncated: appended SHA-256 at "
                                 "offset %zu needs 32 bytes, %zu remain",
                                 out->image_len, len - out->image_len);
        out->has_sha256 = 1;
        memcpy(out->sha256, buf + out->image_len, 32);
        if (!EVP_Digest(buf, out->image_len, out->sha256_calculated, NULL,
                        EVP_sha256(), NULL))
            return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                      "esp image: cannot hash the image");
        out->sha256_valid =
            CRYPTO_memcmp(out->sha256, out->sha256_calculated, 32) == 0;
        out->image_len_total += 32;
    }
    out->trailing_len = len - out->image_len_total;
    find_desc(out, buf);
    return 0;
}

/* see matterfab/espimage.h */
int
mfab_espimage_check(const mfab_espimage_info *info, mfab_diag *diag)
{
    if (!info->checksum_valid)
        return mfab_diag_set(diag, MFAB_ECRYPTO,
                             "esp image: checksum mismatch at offset %zu: "
                             "stored '0x%02x', calculated 0x%02x",
                             info->checksum_offset, info->checksum,
                             info->checksum_calculated);
    if (info->has_sha256 && !info->sha256_valid)
        return mfab_diag_set(diag, MFAB_ECRYPTO,
                             "esp image: appended SHA-256 at offset %zu does "
                             "not match the image bytes [0, %zu]",
                             info->image_len, info->checksum_offset);
    return 0;
}

static const struct {
    uint16_t id;
    const char *name;
} chips[] = {
    { 0, "esp32" },      { 2, "esp32s2" },   { 5, "esp32c3" },
    { 9, "esp32s3" },    { 12, "esp32c2" },  { 13, "esp32c6" },
    { 16, "esp32h2" },   { 18, "esp32p4" },  { 20, "esp32c61" },
    { 23, "esp32c5" },   { 25, "esp32h21" }, { 28, "esp32h4" },
    { 31, "esp32e22" },  { 32, "esp32s31" },
};

/* see matterfab/espimage.h */
const char *
mfab_espimage_chip_name(uint16_t chip_id)
{
    size_t i;

    for (i = 0; i < MFAB_ARRAY_SIZE(chips); i++)
        if (chips[i].id == chip_id)
            return chips[i].name;
    return NULL;
}

/* see matterfab/espimage.h */
const char *
mfab_espimage_flash_mode_name(uint8_t mode)
{
    static const char *const names[] = { "QIO", "QOUT", "DIO", "DOUT" };

    return mode < MFAB_ARRAY_SIZE(names) ? names[mode] : NULL;
}
