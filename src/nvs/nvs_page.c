/*
 * nvs_page.c: NVS pages and slots as the generator writes them
 * (shared/spec/nvs.md sections 3, 4, 5.1, 5.4, 9.2, 9.3).
 *
 * Page header (32 bytes):
 *
 *   0        4        8   9                  28       32
 *   +--------+--------+---+------------------+--------+
 *   | state  | seq    |ver| reserved 19 x ff | CRC    |
 *   +--------+--------+---+------------------+--------+
 *     not in CRC        CRC covers bytes 4..27
 *
 * Item (32 bytes):
 *
 *   0    1    2    3    4        8                24            32
 *   +----+----+----+----+--------+----------------+-------------+
 *   | ns |type|span|chnk| CRC    | key[16], NUL   | data[8]     |
 *   +----+----+----+----+--------+----------------+-------------+
 *     CRC covers bytes 0..3 and 8..31
 *
 * The image buffer starts all 0xFF, so unwritten slots, padding and
 * reserved bytes need no explicit fill.
 */
#include <string.h>

#include "common/common_internal.h"
#include "nvs/nvs_internal.h"

static uint8_t *
page_ptr(mfab_nvs_writer *w, size_t page)
{
    return w->buf + page * MFAB_NVS_PAGE_SIZE;
}

/* see nvs_internal.h */
int
mfab_nvs__new_page(mfab_nvs_writer *w, mfab_diag *diag)
{
    uint8_t *p;

    if (w->pages > 0)
        mfab_put_le32(page_ptr(w, w->pages - 1), MFAB_NVS_PAGE_FULL);
    if (w->budget == 0)
        return mfab_diag_set(
            diag, MFAB_ERANGE,
            "data does not fit partition size 0x%zx (%zu pages, %s)", w->size,
            w->size / MFAB_NVS_PAGE_SIZE,
            w->readonly ? "read-only"
                        : "the last one stays free; increase SIZE");
    w->budget--;
    p = page_ptr(w, w->pages);
    mfab_put_le32(p, MFAB_NVS_PAGE_ACTIVE);
    mfab_put_le32(p + 4, (uint32_t)w->pages);
    p[8] = w->version_byte;
    mfab_put_le32(p + 28, mfab_crc32_esp(p + 4, 24));
    w->pages++;
    w->used = 0;
    return 0;
}

/* Mark slot w->used WRITTEN (low bit cleared, spec 4) and advance. */
static uint8_t *
take_slot(mfab_nvs_writer *w)
{
    uint8_t *page = page_ptr(w, w->pages - 1);
    uint8_t *slot =
        page + MFAB_NVS_FIRST_SLOT_OFFSET + w->used * MFAB_NVS_SLOT_SIZE;

    page[MFAB_NVS_BITMAP_OFFSET + w->used / 4] &=
        (uint8_t) ~(1u << (2 * (w->used % 4)));
    w->used++;
    return slot;
}

/* see nvs_internal.h */
void
mfab_nvs__put_item(mfab_nvs_writer *w, uint8_t ns, uint8_t type, uint8_t span,
                   uint8_t chunk, const uint8_t key[16], const uint8_t data[8])
{
    uint8_t crcbuf[28];
    uint8_t *s = take_slot(w);

    s[0] = ns;
    s[1] = type;
    s[2] = span;
    s[3] = chunk;
    memcpy(s + 8, key, 16);
    memcpy(s + 24, data, 8);
    memcpy(crcbuf, s, 4);
    memcpy(crcbuf + 4, s + 8, 24);
    mfab_put_le32(s + 4, mfab_crc32_esp(crcbuf, sizeof(crcbuf)));
}

/* see nvs_internal.h */
void
mfab_nvs__put_payload(mfab_nvs_writer *w, const uint8_t *p, size_t len)
{
    while (len > 0) {
        size_t n = len < MFAB_NVS_SLOT_SIZE ? len : MFAB_NVS_SLOT_SIZE;
        memcpy(take_slot(w), p, n);
        p += n;
        len -= n;
    }
}

/*
 * Var-length data field (SZ, BLOB, BLOB_DATA):
 *   24 size u16 | 26 ffff | 28 CRC u32 of the payload
 */
void
mfab_nvs__var_header(uint8_t data[8], const uint8_t *p, size_t len)
{
    mfab_put_le16(data, (uint16_t)len);
    data[2] = 0xff;
    data[3] = 0xff;
    mfab_put_le32(data + 4, mfab_crc32_esp(p, len));
}
