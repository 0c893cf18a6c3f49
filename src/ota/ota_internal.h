/*
 * ota_internal.h: what ota_read.c shares with ota_write.c and ota_verify.c.
 */
#ifndef MFAB_OTA_INTERNAL_H
#define MFAB_OTA_INTERNAL_H

#include "common/common_internal.h"
#include "matterfab/ota.h"

/* Header TLV member tags (spec 1.3), in the device parser's order. */
enum {
    MFAB_OTA__TAG_VENDOR_ID = 0,
    MFAB_OTA__TAG_PRODUCT_ID = 1,
    MFAB_OTA__TAG_VERSION = 2,
    MFAB_OTA__TAG_VERSION_STRING = 3,
    MFAB_OTA__TAG_PAYLOAD_SIZE = 4,
    MFAB_OTA__TAG_MIN_VERSION = 5,
    MFAB_OTA__TAG_MAX_VERSION = 6,
    MFAB_OTA__TAG_RELEASE_NOTES = 7,
    MFAB_OTA__TAG_DIGEST_TYPE = 8,
    MFAB_OTA__TAG_DIGEST = 9,
    MFAB_OTA__TAG_COUNT = 10
};

/* How the header TLV was laid out, for the strict checks of verify. */
typedef struct mfab_ota__layout {
    int order[32];    /* context tags in file order; -1 for any other */
    size_t norder;    /* members seen (may exceed the array) */
    size_t tlv_used;  /* bytes up to and including the structure's END */
} mfab_ota__layout;

/* mfab_ota_parse() that also reports the layout (layout may be NULL). */
int mfab_ota__parse(mfab_ota_image *out, mfab_ota__layout *layout,
                    const uint8_t *buf, size_t len, mfab_diag *diag);

#endif
