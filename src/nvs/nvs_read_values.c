/*
 * nvs_read_values.c: NVS reader, second pass: namespaces and values in
 * flash order, v2 blobs reassembled (shared/spec/nvs.md sections 5.4, 6,
 * 8.3 and 15.1 step 6).
 *
 *   v2 blob:  BLOB_DATA (type 0x42, chunk k = start..start+count-1,
 *             own size + CRC) ... then BLOB_IDX (type 0x48, span 1):
 *             24 total size u32 | 28 chunk count | 29 chunk start | ffff
 *
 * The generator puts every chunk on the pages just before its index, so
 * the chunk search starts there and wraps around: a plain image costs a
 * page or two of headers per chunk, and any other order is still found.
 */
#include <string.h>

#include "common/common_internal.h"
#include "nvs/nvs_read_internal.h"

static int
same_item(const uint8_t *a, const uint8_t *b)
{
    return a[0] == b[0] && memcmp(a + 8, b + 8, 16) == 0;
}

/*
 * Find the item of the given type with the namespace and key of h and a
 * chunk byte accepted by match(), scanning pages from hint and wrapping.
 * @return 1 found (*page, *it), 0 not found, negative on failure
 */
static int
find_item(mfab_nvs__reader *r, const uint8_t *h, uint8_t type,
          int (*match)(const uint8_t *cand, unsigned arg), unsigned arg,
          size_t hint, size_t *page, mfab_nvs__slot *it)
{
    size_t i;
    int rc;

    for (i = 0; i < r->npages; i++) {
        size_t pg = (hint + i) % r->npages;
        mfab_nvs__walk w = {pg, 0, 0, 0};

        if (!mfab_nvs__page_readable(r, pg))
            continue;
        for (;;) {
            rc = mfab_nvs__next_item(r, &w, it);
            if (rc != 1)
                break;
            if (it->h[1] == type && same_item(it->h, h) && match(it->h, arg)) {
                *page = pg;
                return 1;
            }
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int
chunk_is(const uint8_t *cand, unsigned chunk)
{
    return cand[3] == chunk;
}

/* An index whose chunk range [start, start+count) holds chunk. */
static int
index_covers(const uint8_t *cand, unsigned chunk)
{
    return chunk >= cand[29] && chunk < (unsigned)cand[29] + cand[28];
}

static void
value_to_buf(mfab_nvs__reader *r, size_t at, const uint8_t *src, size_t n,
             int *fits)
{
    if (r->o->value_buf == NULL || at + n > r->o->value_cap) {
        if (r->o->value_buf != NULL)
            r->ebufs = 1;
        *fits = 0;
        return;
    }
    memcpy(r->o->value_buf + at, src, n);
}

static void
note_size(mfab_nvs__reader *r, size_t size)
{
    if (size > r->sum.value_max)
        r->sum.value_max = size;
}

/* Reassemble the v2 blob whose BLOB_IDX is it; fills item. */
static int
assemble_blob(mfab_nvs__reader *r, size_t page, const mfab_nvs__slot *idx,
              mfab_nvs_item *item)
{
    uint32_t total = mfab_le32(idx->h + 24);
    unsigned count = idx->h[28], start = idx->h[29], k;
    size_t hint = page > count ? page - count : 0, at = 0;
    int fits = 1, complete = 1, rc;

    for (k = 0; k < count; k++) {
        mfab_nvs__slot c;
        size_t cpage, csize;

        if (start + k > 0xFFu) {
            complete = 0;
            break;
        }
        rc = find_item(r, idx->h, MFAB_NVS_TYPE_BLOB_DATA, chunk_is, start + k,
                       hint, &cpage, &c);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            complete = 0;
            continue;
        }
        rc = mfab_nvs__load_payload(r, 0, cpage, &c);
        if (rc < 0)
            return rc;
        if (rc == 0) {
            complete = 0;
            continue;
        }
        csize = mfab_le16(c.h + 24);
        r->chunks[item->nchunks].page = (uint32_t)cpage;
        r->chunks[item->nchunks].slot = c.slot;
        r->chunks[item->nchunks].size = (uint32_t)csize;
        item->nchunks++;
        value_to_buf(r, at, r->payload, csize, &fits);
        at += csize;
        hint = cpage;
    }
    item->chunks = r->chunks;
    item->size = total;
    note_size(r, at > total ? at : total);
    if (!complete)
        mfab_nvs__problem(r, 1, page, (int)idx->slot,
                          "blob '%.15s' has %u of its %u chunks",
                          (const char *)idx->h + 8, item->nchunks, count);
    else if (at != total)
        mfab_nvs__problem(r, 1, page, (int)idx->slot,
                          "chunks of blob '%.15s' add up to %zu bytes, "
                          "its index says %u",
                          (const char *)idx->h + 8, at, total);
    item->data = complete && at == total && fits
                     ? (r->o->value_buf != NULL ? r->o->value_buf : NULL)
                     : NULL;
    return 0;
}

static void
scalar_value(const uint8_t *h, mfab_nvs_item *item)
{
    unsigned width = h[1] & 0x0Fu, k;
    uint64_t u = 0;

    for (k = 0; k < width; k++)
        u |= (uint64_t)h[24 + k] << (8 * k);
    item->u = u;
    item->i = (int64_t)u;
    if ((h[1] & 0x10u) && width < 8 && (u >> (8 * width - 1)) != 0)
        item->i = (int64_t)(u | (~(uint64_t)0 << (8 * width)));
}

/* Report one item of the second pass; BLOB_DATA only gets checked. */
static int
emit_one(mfab_nvs__reader *r, size_t page, const mfab_nvs__slot *it)
{
    const uint8_t *h = it->h;
    mfab_nvs_item item;
    int rc, fits = 1;

    memset(&item, 0, sizeof(item));
    if (h[1] == MFAB_NVS_TYPE_BLOB_DATA) {
        mfab_nvs__slot idx;
        size_t ipage;

        if (!r->o->generator_rules)
            return 0;
        rc = find_item(r, h, MFAB_NVS_TYPE_BLOB_IDX, index_covers, h[3], page,
                       &ipage, &idx);
        if (rc == 0)
            mfab_nvs__problem(r, 1, page, (int)it->slot,
                              "chunk %u of blob '%.15s' belongs to no blob "
                              "index",
                              h[3], (const char *)h + 8);
        return rc < 0 ? rc : 0;
    }
    item.page = (uint32_t)page;
    item.slot = it->slot;
    item.ns_index = h[0];
    item.ns_name = r->ns_known[h[0]] ? r->ns[h[0]] : NULL;
    memcpy(item.key, h + 8, 16);
    item.key[15] = '\0';
    item.type = h[1];
    item.type_name = mfab_nvs_type_name(h[1]);
    if (h[0] == 0 && h[1] == MFAB_NVS_TYPE_U8) {
        item.is_namespace = 1;
        item.ns_name = NULL;
        r->sum.namespaces++;
    } else {
        r->sum.items++;
    }
    if (h[1] == MFAB_NVS_TYPE_BLOB_IDX) {
        rc = assemble_blob(r, page, it, &item);
        if (rc < 0)
            return rc;
    } else if (h[1] == MFAB_NVS_TYPE_SZ || h[1] == MFAB_NVS_TYPE_BLOB) {
        rc = mfab_nvs__load_payload(r, 0, page, it);
        if (rc < 0)
            return rc;
        if (rc == 0)
            return 0; /* reported by the first pass; the device drops it */
        item.size = mfab_le16(h + 24);
        note_size(r, item.size);
        value_to_buf(r, 0, r->payload, item.size, &fits);
        item.data = fits ? r->o->value_buf : NULL;
    } else {
        scalar_value(h, &item);
    }
    if (r->o->on_item != NULL)
        return r->o->on_item(r->o->ctx, &item);
    return 0;
}

/* see nvs_read_internal.h */
int
mfab_nvs__emit_values(mfab_nvs__reader *r)
{
    mfab_nvs__slot it;
    size_t pg;
    int rc;

    for (pg = 0; pg < r->npages; pg++) {
        mfab_nvs__walk w = {pg, 0, 0, 0};

        if (!mfab_nvs__page_readable(r, pg))
            continue;
        for (;;) {
            rc = mfab_nvs__next_item(r, &w, &it);
            if (rc != 1)
                break;
            rc = emit_one(r, pg, &it);
            if (rc != 0)
                return rc;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}
