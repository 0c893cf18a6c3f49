/*
 * nvs_value_add.c: one value given as text in an nvs_partition_gen
 * encoding, converted and added to a writer (shared/spec/nvs.md section
 * 10.4; quirks Q16, Q17). Shared by the CSV front end and by callers that
 * carry user-defined keys (mfg generate --csv).
 */
#include <string.h>

#include "common/common_internal.h"
#include "nvs/nvs_internal.h"

#define SHOW_MAX 40 /* bytes of a bad value quoted in messages */

typedef struct add_ctx {
    mfab_nvs_writer *w;
    uint8_t *scratch;
    size_t scratch_cap;
} add_ctx;

static int
is_int_encoding(const char *enc, mfab_nvs_type *out)
{
    static const struct {
        const char *name;
        mfab_nvs_type type;
    } ints[] = {{"u8", MFAB_NVS_U8},   {"i8", MFAB_NVS_I8},
                {"u16", MFAB_NVS_U16}, {"i16", MFAB_NVS_I16},
                {"u32", MFAB_NVS_U32}, {"i32", MFAB_NVS_I32},
                {"u64", MFAB_NVS_U64}, {"i64", MFAB_NVS_I64}};
    size_t i;

    /* Upper-case U8..I64 behave like lower case in the reference (Q16). */
    for (i = 0; i < MFAB_ARRAY_SIZE(ints); i++) {
        const char *n = ints[i].name;
        if ((enc[0] == n[0] || enc[0] == n[0] - 32) &&
            strcmp(enc + 1, n + 1) == 0) {
            *out = ints[i].type;
            return 1;
        }
    }
    return 0;
}

static int
add_int(add_ctx *c, const char *key, const char *enc, mfab_nvs_type type,
        const char *text, size_t len, mfab_diag *d)
{
    uint64_t mag = 0;
    int neg = 0, rc;

    rc = mfab_nvs__parse_int(&mag, &neg, text, len);
    if (rc == MFAB_EINVAL)
        return mfab_diag_set(d, MFAB_EINVAL,
                             "key '%s': value '%.*s' is not a decimal "
                             "integer (encoding '%s')",
                             key, (int)(len < SHOW_MAX ? len : SHOW_MAX), text,
                             enc);
    if (((unsigned)type & 0x10u) == 0) {
        if (rc == 0 && (!neg || mag == 0))
            return mfab_nvs_writer_add_uint(c->w, key, type, mag, d);
    } else if (rc == 0 && (neg ? mag <= (uint64_t)INT64_MAX + 1
                               : mag <= (uint64_t)INT64_MAX)) {
        int64_t v = neg ? (int64_t)(0 - mag) : (int64_t)mag;
        return mfab_nvs_writer_add_int(c->w, key, type, v, d);
    }
    return mfab_diag_set(d, MFAB_ERANGE,
                         "key '%s': value '%.*s' out of range for '%s'", key,
                         (int)(len < SHOW_MAX ? len : SHOW_MAX), text, enc);
}

static int
too_big(add_ctx *c, const char *key, size_t need, mfab_diag *d)
{
    return mfab_diag_set(d, MFAB_ERANGE,
                         "key '%s': value of %zu bytes cannot fit partition "
                         "size 0x%zx",
                         key, need, c->w->size);
}

static int
add_fill(add_ctx *c, const char *key, const char *enc, int sz, size_t n,
         uint8_t pad, const uint8_t *val, size_t len, mfab_diag *d)
{
    size_t off = sz ? 4 : 0;

    if (len > n)
        return mfab_diag_set(d, MFAB_ERANGE,
                             "key '%s': value of %zu bytes longer than the "
                             "%zu of '%s'",
                             key, len, n, enc);
    if (n > c->scratch_cap - off)
        return too_big(c, key, n + off, d);
    if (sz)
        mfab_put_le32(c->scratch, (uint32_t)len);
    memcpy(c->scratch + off, val, len);
    memset(c->scratch + off + len, pad, n - len);
    return mfab_nvs_writer_add_blob(c->w, key, c->scratch, off + n, d);
}

/* Convert one value by its encoding and add it (spec 10.4). */
static int
add_value(add_ctx *c, const char *key, const char *enc, const uint8_t *val,
          size_t len, int from_file, mfab_diag *d)
{
    const char *text = (const char *)val;
    mfab_nvs_type type;
    size_t n = 0, bad = 0;
    uint8_t pad = 0;
    int sz = 0, rc;

    if (is_int_encoding(enc, &type))
        return add_int(c, key, enc, type, text, len, d);
    if (strcmp(enc, "string") == 0) {
        if (!mfab_nvs__utf8_valid(val, len))
            return mfab_diag_set(d, MFAB_EINVAL,
                                 "key '%s': string value is not valid UTF-8",
                                 key);
        return mfab_nvs_writer_add_string(c->w, key, text, len, d);
    }
    if (strcmp(enc, "hex2bin") == 0) {
        rc = mfab_nvs__hex2bin(c->scratch, c->scratch_cap, &n, text, len, &bad);
        if (rc == MFAB_EINVAL)
            return mfab_diag_set(d, MFAB_EINVAL,
                                 "key '%s': hex2bin value has an odd number "
                                 "of digits (must be a multiple of 2)",
                                 key);
        if (rc == MFAB_EFORMAT)
            return mfab_diag_set(d, MFAB_EINVAL,
                                 "key '%s': hex2bin value has non-hex "
                                 "character '%c' at offset %zu (allowed "
                                 "0-9 a-f A-F)",
                                 key, text[bad], bad);
        if (rc < 0)
            return too_big(c, key, n, d);
        return mfab_nvs_writer_add_blob(c->w, key, c->scratch, n, d);
    }
    if (strcmp(enc, "base64") == 0) {
        rc = mfab_nvs__base64(c->scratch, c->scratch_cap, &n, text, len, &bad);
        if (rc == MFAB_EFORMAT && bad >= len)
            return mfab_diag_set(d, MFAB_EINVAL,
                                 "key '%s': base64 value has incorrect "
                                 "padding",
                                 key);
        if (rc == MFAB_EFORMAT)
            return mfab_diag_set(d, MFAB_EINVAL,
                                 "key '%s': base64 value has unexpected "
                                 "character '%c' at offset %zu (allowed "
                                 "A-Z a-z 0-9 + / and '=' padding at the "
                                 "end)",
                                 key, text[bad], bad);
        if (rc < 0)
            return too_big(c, key, n, d);
        return mfab_nvs_writer_add_blob(c->w, key, c->scratch, n, d);
    }
    if (strcmp(enc, "binary") == 0) {
        size_t i;
        /* the reference sizes inline text in characters (Q17) */
        for (i = 0; !from_file && i < len; i++)
            if (val[i] >= 0x80)
                return mfab_diag_set(d, MFAB_EINVAL,
                                     "key '%s': inline binary value has a "
                                     "non-ASCII byte at offset %zu (use "
                                     "type 'file' or hex2bin)",
                                     key, i);
        return mfab_nvs_writer_add_blob(c->w, key, val, len, d);
    }
    rc = mfab_nvs__parse_fill(enc, &sz, &n, &pad);
    if (rc < 0)
        return mfab_diag_set(d, MFAB_EINVAL,
                             "key '%s': encoding '%s' is malformed (allowed "
                             "blob_fill(N;0xHH), blob_sz_fill(N;0xHH))",
                             key, enc);
    if (rc == 1) {
        if (from_file)
            return mfab_diag_set(d, MFAB_EINVAL,
                                 "key '%s': encoding '%s' needs type 'data'",
                                 key, enc);
        return add_fill(c, key, enc, sz, n, pad, val, len, d);
    }
    return mfab_diag_set(d, MFAB_EINVAL,
                         "key '%s': encoding '%s' not supported (allowed u8, "
                         "i8, u16, i16, u32, i32, u64, i64, string, hex2bin, "
                         "base64, binary, blob_fill(N;0xHH), "
                         "blob_sz_fill(N;0xHH))",
                         key, enc);
}

/* see matterfab/nvs.h */
int
mfab_nvs_writer_add_encoded(mfab_nvs_writer *w, const char *key,
                            const char *encoding, const uint8_t *val,
                            size_t len, int from_file, uint8_t *scratch,
                            size_t scratch_cap, mfab_diag *diag)
{
    add_ctx c;

    c.w = w;
    c.scratch = scratch;
    c.scratch_cap = scratch_cap;
    return add_value(&c, key, encoding, val, len, from_file, diag);
}
