/*
 * ota_vectors.h: loads the production/ota vector cases (all but the
 * negative one) for the OTA tests, and maps expected.json header fields
 * to and from mfab_ota_header.
 */
#ifndef MFAB_TEST_OTA_VECTORS_H
#define MFAB_TEST_OTA_VECTORS_H

#include "matterfab/ota.h"
#include "mfab_test.h"

typedef struct ota_vec {
    char name[256];
    json_t *json;              /* expected.json */
    uint8_t *payload;          /* the inputs concatenated */
    size_t payload_len;
    uint8_t *image;            /* expected/image.ota */
    size_t image_len;
    uint8_t *changed;          /* expected/changed.ota or NULL */
    size_t changed_len;
} ota_vec;

/* Every case of production/ota except ota-neg-validation (at least 6). */
size_t ota_vec_load_all(ota_vec **out);
void ota_vec_free_all(ota_vec *v, size_t n);

/* Header from a header_fields object; strings borrow from the JSON, the
 * digest goes to digest_buf (64 bytes). */
void ota_vec_header(mfab_ota_header *h, uint8_t *digest_buf, json_t *fields);

/* Every key of header_fields must equal the parsed header. */
void ota_vec_assert_header(const char *where, json_t *fields,
                           const mfab_ota_header *h);

/* Fixed header (TotalSize = the result's length) + tlv + payload into a
 * malloc'ed buffer. */
uint8_t *ota_vec_build(size_t *out_len, const uint8_t *tlv, size_t tlv_len,
                       const uint8_t *payload, size_t payload_len);

#endif
