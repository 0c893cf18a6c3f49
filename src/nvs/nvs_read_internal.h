/*
 * nvs_read_internal.h: state shared by the two halves of the NVS reader
 * (shared/spec/nvs.md section 15): nvs_read.c walks pages and slots and
 * checks them, nvs_read_values.c reports values and reassembles v2 blobs.
 *
 * Not installed. Everything lives in one struct on the caller's stack.
 */
#ifndef MFAB_NVS_READ_INTERNAL_H
#define MFAB_NVS_READ_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/nvs_read.h"
#include "nvs/nvs_internal.h"
#include "nvs/nvs_xts.h"

#define MFAB_NVS__MAX_PAYLOAD (125u * 32u)

/* Entry states in the bitmap (spec section 4). */
#define MFAB_NVS__ST_EMPTY 3u
#define MFAB_NVS__ST_WRITTEN 2u
#define MFAB_NVS__ST_ERASED 0u

typedef struct mfab_nvs__reader {
    const uint8_t *img;
    size_t len;
    size_t npages;
    const mfab_nvs_read_options *o;
    mfab_diag *diag;
    mfab_nvs__xts xts;
    int enc;
    int read_only;
    int ebufs;
    mfab_nvs_read_summary sum;
    char ns[256][16];
    uint8_t ns_known[256];
    uint8_t payload[MFAB_NVS__MAX_PAYLOAD];
    mfab_nvs_chunk chunks[256];
    char msg[320];
} mfab_nvs__reader;

/* Iterator over the items of one page. */
typedef struct mfab_nvs__walk {
    size_t page;
    unsigned pos;
    int seen_unwritten;
    int report; /* report slot problems (only on the checking pass) */
} mfab_nvs__walk;

/* One item header found by the walk, already decrypted. */
typedef struct mfab_nvs__slot {
    unsigned slot;
    unsigned span;
    uint8_t h[32];
} mfab_nvs__slot;

static inline int
mfab_nvs__all_ff(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (p[i] != 0xFF)
            return 0;
    return 1;
}

static inline const uint8_t *
mfab_nvs__page_at(const mfab_nvs__reader *r, size_t page)
{
    return r->img + page * MFAB_NVS_PAGE_SIZE;
}

static inline unsigned
mfab_nvs__slot_state(const uint8_t *page, unsigned slot)
{
    return (page[MFAB_NVS_BITMAP_OFFSET + slot / 4] >> (2 * (slot % 4))) & 3u;
}

static inline uint32_t
mfab_nvs__slot_offset(size_t page, unsigned slot)
{
    return (uint32_t)(page * MFAB_NVS_PAGE_SIZE + MFAB_NVS_FIRST_SLOT_OFFSET +
                      MFAB_NVS_SLOT_SIZE * slot);
}

static inline int
mfab_nvs__is_varlen(uint8_t type)
{
    return type == MFAB_NVS_TYPE_SZ || type == MFAB_NVS_TYPE_BLOB ||
           type == MFAB_NVS_TYPE_BLOB_DATA;
}

/* Report a problem when report is set; the location is appended. */
void mfab_nvs__problem(mfab_nvs__reader *r, int report, size_t page, int slot,
                       const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* 1 when the page has a sound header and a state whose items count. */
int mfab_nvs__page_readable(mfab_nvs__reader *r, size_t page);

/*
 * Next valid item of the page: 1 with *out filled, 0 at the end, or a
 * negative MFAB_E* (crypto failure). Slot problems are reported when
 * w->report is set; items that fail a CRC, type or span check are skipped.
 */
int mfab_nvs__next_item(mfab_nvs__reader *r, mfab_nvs__walk *w,
                        mfab_nvs__slot *out);

/*
 * Load (and decrypt) the payload of the var-length item at page/slot into
 * r->payload and check its CRC and padding.
 * @return 1 when it is sound, 0 when not, negative MFAB_E* on failure
 */
int mfab_nvs__load_payload(mfab_nvs__reader *r, int report, size_t page,
                           const mfab_nvs__slot *it);

/* Second pass: report namespaces and values in flash order. */
int mfab_nvs__emit_values(mfab_nvs__reader *r);

#endif
