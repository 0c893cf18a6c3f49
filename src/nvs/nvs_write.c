/*
 * nvs_write.c: the NVS item writer and the reference placement algorithm
 * (shared/spec/nvs.md sections 2, 5-9, quirks Q1-Q7, Q23, Q24).
 *
 * Items go into the current page in call order; a page is never revisited.
 * The exact "new page" conditions below are what makes the output
 * byte-identical to nvs_partition_gen, including its off-by-one rule for
 * single-page items (Q3) and its zero-length first chunk (Q4).
 */
#include <string.h>

#include "common/common_internal.h"
#include "nvs/nvs_internal.h"

/* see nvs_internal.h */
int
mfab_nvs__utf8_valid(const uint8_t *p, size_t len)
{
    size_t i = 0;

    while (i < len) {
        uint8_t c = p[i];
        size_t n, k;
        uint32_t cp;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 3;
            cp = c & 0x07u;
        } else {
            return 0;
        }
        if (len - i <= n)
            return 0;
        for (k = 1; k <= n; k++) {
            if ((p[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (p[i + k] & 0x3Fu);
        }
        /* overlong forms, surrogates, beyond U+10FFFF */
        if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
            return 0;
        i += n + 1;
    }
    return 1;
}

/* see nvs_internal.h */
int
mfab_nvs__check_key(uint8_t out[16], const char *key, mfab_diag *diag)
{
    size_t len = strlen(key);

    if (len > MFAB_NVS_KEY_MAX)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "key '%s' is %zu bytes (max %u)", key, len,
                             MFAB_NVS_KEY_MAX);
    if (!mfab_nvs__utf8_valid((const uint8_t *)key, len))
        return mfab_diag_set(diag, MFAB_EINVAL, "key '%s' is not valid UTF-8",
                             key);
    memset(out, 0, 16);
    memcpy(out, key, len);
    return 0;
}

/* see matterfab/nvs.h */
int
mfab_nvs_check_size(size_t size, mfab_diag *diag)
{
    if (size % MFAB_NVS_PAGE_SIZE != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "partition size 0x%zx is not a multiple of 4096",
                             size);
    if (size == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "partition size 0x0 too small (allowed: "
                             "0x1000 or 0x2000 read-only, >= 0x3000 "
                             "read/write)");
    return 0;
}

/* see matterfab/nvs.h */
int
mfab_nvs_writer_init(mfab_nvs_writer *out, uint8_t *buf, size_t cap,
                     size_t size, int version, mfab_diag *diag)
{
    int rc;

    memset(out, 0, sizeof(*out));
    rc = mfab_nvs_check_size(size, diag);
    if (rc < 0)
        return rc;
    if (version != 1 && version != 2)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "NVS format version %d not supported (allowed "
                             "1 or 2)",
                             version);
    if (buf == NULL || cap < size)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "image buffer of %zu bytes too small for "
                             "partition size 0x%zx",
                             cap, size);
    memset(buf, 0xff, size);
    out->buf = buf;
    out->size = size;
    out->readonly = size < 3 * MFAB_NVS_PAGE_SIZE;
    out->budget = size / MFAB_NVS_PAGE_SIZE - (out->readonly ? 0 : 1);
    out->version_byte = version == 1 ? MFAB_NVS_VERSION_1 : MFAB_NVS_VERSION_2;
    return mfab_nvs__new_page(out, diag);
}

/* Scalars and namespace entries take one slot (spec 9.4). */
static int
put_scalar(mfab_nvs_writer *w, uint8_t ns, uint8_t type, const uint8_t key[16],
           const uint8_t data[8], mfab_diag *diag)
{
    int rc;

    if (w->used >= MFAB_NVS_SLOTS_PER_PAGE) {
        rc = mfab_nvs__new_page(w, diag);
        if (rc < 0)
            return rc;
    }
    mfab_nvs__put_item(w, ns, type, 1, MFAB_NVS_CHUNK_ANY, key, data);
    return 0;
}

/* see matterfab/nvs.h */
int
mfab_nvs_writer_namespace(mfab_nvs_writer *w, const char *name, mfab_diag *diag)
{
    uint8_t key[16], data[8];
    size_t len = strlen(name);
    unsigned i;
    int rc;

    rc = mfab_nvs__check_key(key, name, diag);
    if (rc < 0)
        return rc;
    for (i = 0; i < w->ns_count; i++)
        if (w->ns_len[i] == len && memcmp(w->ns_names[i], name, len) == 0)
            return 0; /* already declared: not written again, Q1 */
    if (w->ns_count >= MFAB_NVS_NAMESPACES_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "namespace '%s' would be number %u (max %u)", name,
                             w->ns_count + 1, MFAB_NVS_NAMESPACES_MAX);
    memset(data, 0xff, sizeof(data));
    data[0] = (uint8_t)(w->ns_count + 1);
    rc = put_scalar(w, 0, MFAB_NVS_TYPE_U8, key, data, diag);
    if (rc < 0)
        return rc;
    memcpy(w->ns_names[w->ns_count], name, len);
    w->ns_len[w->ns_count] = (uint8_t)len;
    w->ns_count++;
    return 0;
}

static unsigned
type_width(mfab_nvs_type type)
{
    return (unsigned)type & 0x0Fu;
}

static int
valid_scalar_type(mfab_nvs_type type, int is_signed)
{
    unsigned width = type_width(type);

    if (width != 1 && width != 2 && width != 4 && width != 8)
        return 0;
    return ((unsigned)type & ~0x1Fu) == 0 &&
           (((unsigned)type & 0x10u) != 0) == (is_signed != 0);
}

/* Scalar bytes go LE into data[0..width-1]; the rest stays 0xFF. */
static int
put_raw_scalar(mfab_nvs_writer *w, const char *key, mfab_nvs_type type,
               uint64_t raw, mfab_diag *diag)
{
    uint8_t k[16], data[8];
    unsigned i, width = type_width(type);
    int rc;

    rc = mfab_nvs__check_key(k, key, diag);
    if (rc < 0)
        return rc;
    memset(data, 0xff, sizeof(data));
    for (i = 0; i < width; i++)
        data[i] = (uint8_t)(raw >> (8 * i));
    return put_scalar(w, (uint8_t)w->ns_count, (uint8_t)type, k, data, diag);
}

/* see matterfab/nvs.h */
int
mfab_nvs_writer_add_uint(mfab_nvs_writer *w, const char *key,
                         mfab_nvs_type type, uint64_t value, mfab_diag *diag)
{
    unsigned width = type_width(type);

    if (!valid_scalar_type(type, 0))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "key '%s': type 0x%02x is not an unsigned "
                             "scalar type",
                             key, (unsigned)type);
    if (width < 8 && value >> (8 * width) != 0)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "key '%s': value %llu out of range (allowed "
                             "0..%llu)",
                             key, (unsigned long long)value,
                             (1ULL << (8 * width)) - 1);
    return put_raw_scalar(w, key, type, value, diag);
}

/* see matterfab/nvs.h */
int
mfab_nvs_writer_add_int(mfab_nvs_writer *w, const char *key, mfab_nvs_type type,
                        int64_t value, mfab_diag *diag)
{
    unsigned width = type_width(type);

    if (!valid_scalar_type(type, 1))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "key '%s': type 0x%02x is not a signed scalar "
                             "type",
                             key, (unsigned)type);
    if (width < 8) {
        int64_t lim = (int64_t)1 << (8 * width - 1);
        if (value < -lim || value >= lim)
            return mfab_diag_set(diag, MFAB_ERANGE,
                                 "key '%s': value %lld out of range "
                                 "(allowed %lld..%lld)",
                                 key, (long long)value, (long long)-lim,
                                 (long long)(lim - 1));
    }
    return put_raw_scalar(w, key, type, (uint64_t)value, diag);
}

/*
 * SZ strings and v1 BLOBs: header + payload on one page. The reference
 * moves on when used + span >= 126 (not >): such an item never ends in
 * slot 125, and span 126 can never be placed (Q3).
 */
static int
put_single_page(mfab_nvs_writer *w, uint8_t type, const uint8_t key[16],
                const char *name, const uint8_t *p, size_t len, mfab_diag *diag)
{
    size_t span = 1 + (len + MFAB_NVS_SLOT_SIZE - 1) / MFAB_NVS_SLOT_SIZE;
    uint8_t data[8];
    int rc;

    if (span >= MFAB_NVS_SLOTS_PER_PAGE)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "key '%s': value of %zu bytes does not fit one "
                             "page (max 3968 bytes)",
                             name, len);
    if (w->used + span >= MFAB_NVS_SLOTS_PER_PAGE) {
        rc = mfab_nvs__new_page(w, diag);
        if (rc < 0)
            return rc;
    }
    mfab_nvs__var_header(data, p, len);
    mfab_nvs__put_item(w, (uint8_t)w->ns_count, type, (uint8_t)span,
                       MFAB_NVS_CHUNK_ANY, key, data);
    mfab_nvs__put_payload(w, p, len);
    return 0;
}

static int
check_len(const char *key, size_t len, size_t max, mfab_diag *diag)
{
    if (len > max)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "key '%s': value of %zu bytes too long (max %zu "
                             "bytes)",
                             key, len, max);
    return 0;
}

/* see matterfab/nvs.h */
int
mfab_nvs_writer_add_string(mfab_nvs_writer *w, const char *key, const char *s,
                           size_t len, mfab_diag *diag)
{
    uint8_t k[16];
    uint8_t tmp[MFAB_NVS_STR_MAX_V2];
    size_t max = w->version_byte == MFAB_NVS_VERSION_1 ? MFAB_NVS_STR_MAX_V1
                                                       : MFAB_NVS_STR_MAX_V2;
    int rc;

    rc = mfab_nvs__check_key(k, key, diag);
    if (rc < 0)
        return rc;
    /* +1: the limits count the NUL */
    rc = check_len(key, len + 1, max, diag);
    if (rc < 0)
        return rc;
    memcpy(tmp, s, len);
    tmp[len] = 0;
    return put_single_page(w, MFAB_NVS_TYPE_SZ, k, key, tmp, len + 1, diag);
}

/* v2 blob: BLOB_DATA chunks as large as each page allows, then BLOB_IDX
 * (spec 9.6). */
static int
put_blob_v2(mfab_nvs_writer *w, const uint8_t key[16], const char *name,
            const uint8_t *p, size_t len, mfab_diag *diag)
{
    size_t remaining = len, chunks, room, chunk;
    unsigned k = 0;
    uint8_t data[8];
    int rc;

    if (w->used >= MFAB_NVS_SLOTS_PER_PAGE) {
        rc = mfab_nvs__new_page(w, diag);
        if (rc < 0)
            return rc;
    }
    /* Count chunks first so that an oversize blob writes nothing. */
    room = (MFAB_NVS_SLOTS_PER_PAGE - 1 - w->used) * MFAB_NVS_SLOT_SIZE;
    chunk = room < len ? room : len;
    chunks = 1;
    if (len > chunk)
        chunks += (len - chunk + 3999) / 4000;
    if (chunks > MFAB_NVS_CHUNKS_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "key '%s': blob of %zu bytes needs %zu chunks "
                             "(max %u)",
                             name, len, chunks, MFAB_NVS_CHUNKS_MAX);
    if (chunks > MFAB_NVS_CHUNKS_WARN)
        mfab_diag_warn(diag,
                       "key '%s': blob of %zu bytes needs %zu chunks; the "
                       "device writes at most %u",
                       name, len, chunks, MFAB_NVS_CHUNKS_WARN);
    for (;;) {
        room = (MFAB_NVS_SLOTS_PER_PAGE - 1 - w->used) * MFAB_NVS_SLOT_SIZE;
        chunk = room < remaining ? room : remaining;
        mfab_nvs__var_header(data, p, chunk);
        mfab_nvs__put_item(w, (uint8_t)w->ns_count, MFAB_NVS_TYPE_BLOB_DATA,
                           (uint8_t)(1 + (chunk + MFAB_NVS_SLOT_SIZE - 1) /
                                             MFAB_NVS_SLOT_SIZE),
                           (uint8_t)k, key, data);
        mfab_nvs__put_payload(w, p, chunk);
        p += chunk;
        remaining -= chunk;
        k++;
        if (remaining > 0 || room - chunk < MFAB_NVS_SLOT_SIZE) {
            rc = mfab_nvs__new_page(w, diag);
            if (rc < 0)
                return rc;
        }
        if (remaining == 0)
            break;
    }
    /* BLOB_IDX: 24 total size u32 | 28 chunk count | 29 start 0 | ffff */
    mfab_put_le32(data, (uint32_t)len);
    data[4] = (uint8_t)k;
    data[5] = 0;
    data[6] = 0xff;
    data[7] = 0xff;
    mfab_nvs__put_item(w, (uint8_t)w->ns_count, MFAB_NVS_TYPE_BLOB_IDX, 1,
                       MFAB_NVS_CHUNK_ANY, key, data);
    return 0;
}

/* see matterfab/nvs.h */
int
mfab_nvs_writer_add_blob(mfab_nvs_writer *w, const char *key,
                         const uint8_t *data, size_t len, mfab_diag *diag)
{
    uint8_t k[16];
    int rc;

    rc = mfab_nvs__check_key(k, key, diag);
    if (rc < 0)
        return rc;
    if (w->version_byte == MFAB_NVS_VERSION_1) {
        rc = check_len(key, len, MFAB_NVS_STR_MAX_V1, diag);
        if (rc < 0)
            return rc;
        return put_single_page(w, MFAB_NVS_TYPE_BLOB, k, key, data, len, diag);
    }
    if (len > UINT32_MAX)
        return check_len(key, len, UINT32_MAX, diag);
    return put_blob_v2(w, k, key, data, len, diag);
}

/* see matterfab/nvs.h */
void
mfab_nvs_writer_finish(mfab_nvs_writer *w, size_t *out_len)
{
    /* Trailing pages stay raw 0xFF; the last data page stays ACTIVE (Q7). */
    *out_len = w->readonly ? w->pages * MFAB_NVS_PAGE_SIZE : w->size;
}
