/*
 * securecert_write.c: esp_secure_cert TLV images
 * (shared/spec/attestation.md 5.2, 5.5).
 *
 *   entry:  0 magic 11 BA 5E BA | 4 flags | 5 reserved 00 00 00 | 8 type
 *           | 9 subtype | 10 length L (u16) | 12 data (L) | zero padding
 *           to a multiple of 16 | CRC-32 (Espressif variant) of
 *           everything before it
 *   padded layout (tool 2.3.6): entries, then FF FF 00 00, then 0xFF up
 *           to 8192 bytes; compact layout: the entries only
 */
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/error.h"
#include "matterfab/securecert.h"
#include "securecert/securecert_internal.h"

static const uint8_t end_marker[4] = { 0xFF, 0xFF, 0x00, 0x00 };

static int
check_entries(const mfab_securecert_entry *e, size_t n, mfab_diag *diag)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        if (e[i].type == MFAB_SECURECERT_TLV_END || e[i].type >= 254)
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "secure-cert: entry %zu: type %u is reserved "
                                 "(allowed 0..49, 51..253)",
                                 i, e[i].type);
        if (e[i].data == NULL && e[i].len > 0)
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "secure-cert: entry %zu (%s/%u) has no data",
                                 i, mfab_securecert_type_name(e[i].type),
                                 e[i].subtype);
        for (j = 0; j < i; j++)
            if (e[j].type == e[i].type && e[j].subtype == e[i].subtype)
                return mfab_diag_set(
                    diag, MFAB_EINVAL,
                    "secure-cert: entries %zu and %zu are both %s/%u (a type "
                    "and subtype may appear once)",
                    j, i, mfab_securecert_type_name(e[i].type), e[i].subtype);
    }
    return 0;
}

/* see matterfab/securecert.h */
int
mfab_securecert_write(uint8_t *buf, size_t cap, size_t *out_len,
                      const mfab_securecert_entry *entries, size_t n,
                      mfab_securecert_layout layout, mfab_diag *diag)
{
    size_t i, used = 0, total;
    int rc;

    rc = check_entries(entries, n, diag);
    if (rc < 0)
        return rc;
    for (i = 0; i < n; i++)
        used += mfab_securecert__entry_size(entries[i].len);
    if (layout == MFAB_SECURECERT_LAYOUT_PADDED) {
        if (used + sizeof(end_marker) > MFAB_SECURECERT_PARTITION_SIZE)
            return mfab_diag_set(diag, MFAB_ERANGE,
                                 "secure-cert: entries need %zu bytes plus a "
                                 "4-byte end marker (partition holds %u)",
                                 used, MFAB_SECURECERT_PARTITION_SIZE);
        total = MFAB_SECURECERT_PARTITION_SIZE;
    } else {
        total = used;
    }
    *out_len = total;
    if (buf == NULL)
        return 0;
    if (cap < total)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "secure-cert: image needs %zu bytes, buffer has "
                             "%zu",
                             total, cap);
    used = 0;
    for (i = 0; i < n; i++) {
        const mfab_securecert_entry *e = &entries[i];
        size_t size = mfab_securecert__entry_size(e->len);
        uint8_t *p = buf + used;

        mfab_put_le32(p, MFAB_SECURECERT_MAGIC);
        p[4] = e->flags;
        p[5] = p[6] = p[7] = 0;
        p[8] = e->type;
        p[9] = e->subtype;
        mfab_put_le16(p + 10, e->len);
        if (e->len > 0)
            memcpy(p + 12, e->data, e->len);
        memset(p + 12 + e->len, 0, size - MFAB_SECURECERT_OVERHEAD - e->len);
        mfab_put_le32(p + size - 4, mfab_crc32_esp(p, size - 4));
        used += size;
    }
    if (layout == MFAB_SECURECERT_LAYOUT_PADDED) {
        memcpy(buf + used, end_marker, sizeof(end_marker));
        memset(buf + used + sizeof(end_marker), 0xFF,
               total - used - sizeof(end_marker));
    }
    return 0;
}

/* see matterfab/securecert.h */
const char *
mfab_securecert_type_name(uint8_t type)
{
    static const char *const names[] = {
        "CA_CERT",  "DEV_CERT",   "PRIV_KEY",
        "DS_DATA",  "DS_CONTEXT", "HMAC_ECDSA_KEY_SALT",
        "SEC_CFG",  "TEE_SEC_STORAGE_KEY", "SIGNATURE_BLOCK",
        "INTEGRITY"
    };
    static const char *const user[] = { "USER_DATA_1", "USER_DATA_2",
                                         "USER_DATA_3", "USER_DATA_4",
                                         "USER_DATA_5" };

    if (type < MFAB_ARRAY_SIZE(names))
        return names[type];
    if (type >= MFAB_SECURECERT_USER_DATA_1 &&
        type <= MFAB_SECURECERT_USER_DATA_5)
        return user[type - MFAB_SECURECERT_USER_DATA_1];
    if (type == MFAB_SECURECERT_MATTER_TLV_1)
        return "MATTER_TLV_1";
    if (type == MFAB_SECURECERT_MATTER_TLV_2)
        return "MATTER_TLV_2";
    return "UNKNOWN";
}
