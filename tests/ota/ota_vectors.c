/*
 * ota_vectors.c: vector loading for the OTA tests (see ota_vectors.h).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/hex.h"
#include "ota_vectors.h"

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const ota_vec *)a)->name, ((const ota_vec *)b)->name);
}

static void
load_case(ota_vec *v, const char *dir)
{
    char path[4096];
    json_t *inputs, *in;
    size_t i, len;

    snprintf(path, sizeof(path), "%s/expected.json", dir);
    v->json = mfab_test_json(path);
    inputs = json_object_get(v->json, "inputs");
    assert_non_null(inputs);
    json_array_foreach(inputs, i, in) {
        uint8_t *part;

        snprintf(path, sizeof(path), "%s/%s", dir, json_string_value(in));
        part = mfab_test_read(path, &len);
        v->payload = realloc(v->payload, v->payload_len + len + 1);
        assert_non_null(v->payload);
        memcpy(v->payload + v->payload_len, part, len);
        v->payload_len += len;
        free(part);
    }
    snprintf(path, sizeof(path), "%s/expected/image.ota", dir);
    v->image = mfab_test_read(path, &v->image_len);
    snprintf(path, sizeof(path), "%s/expected/changed.ota", dir);
    if (mfab_test_exists(path))
        v->changed = mfab_test_read(path, &v->changed_len);
}

size_t
ota_vec_load_all(ota_vec **out)
{
    char dir[2048], sub[2400];
    struct dirent *de;
    ota_vec *v = NULL;
    size_t n = 0;
    DIR *d;

    mfab_test_vpath(dir, sizeof(dir), "production/ota");
    d = opendir(dir);
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || strstr(de->d_name, "-neg-") != NULL)
            continue;
        v = realloc(v, (n + 1) * sizeof(*v));
        assert_non_null(v);
        memset(&v[n], 0, sizeof(v[n]));
        snprintf(v[n].name, sizeof(v[n].name), "%s", de->d_name);
        snprintf(sub, sizeof(sub), "%s/%s", dir, de->d_name);
        load_case(&v[n], sub);
        n++;
    }
    closedir(d);
    assert_true(n >= 6);
    qsort(v, n, sizeof(*v), by_name);
    *out = v;
    return n;
}

void
ota_vec_free_all(ota_vec *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        json_decref(v[i].json);
        free(v[i].payload);
        free(v[i].image);
        free(v[i].changed);
    }
    free(v);
}

static uint64_t
u(json_t *o, const char *k)
{
    json_t *j = json_object_get(o, k);

    assert_true(json_is_integer(j));
    return (uint64_t)json_integer_value(j);
}

void
ota_vec_header(mfab_ota_header *h, uint8_t *digest_buf, json_t *f)
{
    const char *s;
    size_t n = 0;

    memset(h, 0, sizeof(*h));
    h->vendor_id = u(f, "vendor_id");
    h->product_id = u(f, "product_id");
    h->software_version = u(f, "software_version");
    h->version_string =
        json_string_value(json_object_get(f, "software_version_string"));
    h->version_string_len = strlen(h->version_string);
    h->payload_size = u(f, "payload_size");
    if (json_object_get(f, "min_applicable_version") != NULL) {
        h->has_min_version = 1;
        h->min_version = u(f, "min_applicable_version");
    }
    if (json_object_get(f, "max_applicable_version") != NULL) {
        h->has_max_version = 1;
        h->max_version = u(f, "max_applicable_version");
    }
    s = json_string_value(json_object_get(f, "release_notes_url"));
    if (s != NULL) {
        h->release_notes_url = s;
        h->release_notes_url_len = strlen(s);
    }
    h->digest_type = u(f, "image_digest_type");
    s = json_string_value(json_object_get(f, "image_digest"));
    assert_int_equal(mfab_hex_decode(digest_buf, 64, &n, s, strlen(s), NULL),
                     0);
    h->digest = digest_buf;
    h->digest_len = n;
}

void
ota_vec_assert_header(const char *where, json_t *f, const mfab_ota_header *h)
{
    uint8_t digest[64];
    mfab_ota_header e;

    ota_vec_header(&e, digest, f);
    if (h->vendor_id != e.vendor_id || h->product_id != e.product_id ||
        h->software_version != e.software_version ||
        h->payload_size != e.payload_size ||
        h->has_min_version != e.has_min_version ||
        h->min_version != e.min_version ||
        h->has_max_version != e.has_max_version ||
        h->max_version != e.max_version || h->digest_type != e.digest_type)
        fail_msg("%s: an integer header field differs", where);
    mfab_test_assert_bytes("version string",
                           (const uint8_t *)e.version_string,
                           e.version_string_len,
                           (const uint8_t *)h->version_string,
                           h->version_string_len);
    assert_int_equal(h->release_notes_url != NULL,
                     e.release_notes_url != NULL);
    if (e.release_notes_url != NULL)
        mfab_test_assert_bytes("release notes",
                               (const uint8_t *)e.release_notes_url,
                               e.release_notes_url_len,
                               (const uint8_t *)h->release_notes_url,
                               h->release_notes_url_len);
    mfab_test_assert_bytes("digest", e.digest, e.digest_len, h->digest,
                           h->digest_len);
}

uint8_t *
ota_vec_build(size_t *out_len, const uint8_t *tlv, size_t tlv_len,
              const uint8_t *payload, size_t payload_len)
{
    size_t total = 16 + tlv_len + payload_len;
    uint8_t *b = malloc(total + 1);

    assert_non_null(b);
    mfab_put_le32(b, MFAB_OTA_FILE_IDENTIFIER);
    mfab_put_le64(b + 4, total);
    mfab_put_le32(b + 12, (uint32_t)tlv_len);
    memcpy(b + 16, tlv, tlv_len);
    if (payload_len)
        memcpy(b + 16 + tlv_len, payload, payload_len);
    *out_len = total;
    return b;
}
