/*
 * onb_vectors.h: reading the vectors/commissioning JSON files for the
 * tests (included by each test file; static functions only).
 */
#ifndef MFAB_TEST_ONB_VECTORS_H
#define MFAB_TEST_ONB_VECTORS_H

#include <stdio.h>
#include <string.h>

#include "matterfab/onboarding.h"
#include "mfab_test.h"

static inline json_t *
onb_load(const char *file)
{
    char path[4096];
    char rel[256];

    snprintf(rel, sizeof(rel), "commissioning/%s", file);
    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_json(path);
}

static inline long long
onb_int(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_integer(v))
        fail_msg("vector field '%s' is not an integer", key);
    return (long long)json_integer_value(v);
}

static inline const char *
onb_str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    if (s == NULL)
        fail_msg("vector field '%s' is not a string", key);
    return s;
}

/* Payload of a payloads.json case (strings borrowed from the JSON). */
static inline void
onb_payload_from_case(mfab_onb_payload *p, json_t *c)
{
    json_t *extras = json_object_get(c, "tlv_extras");
    json_t *x;
    size_t i;

    mfab_onboarding_payload_init(p);
    p->vendor_id = (uint16_t)onb_int(c, "vid");
    p->product_id = (uint16_t)onb_int(c, "pid");
    p->flow = (uint8_t)onb_int(c, "flow");
    p->discovery = (uint8_t)onb_int(c, "discovery");
    p->discriminator = (uint16_t)onb_int(c, "discriminator");
    p->passcode = (uint32_t)onb_int(c, "passcode");
    json_array_foreach(extras, i, x) {
        uint8_t tag = (uint8_t)onb_int(x, "tag");
        const char *type = onb_str(x, "type");
        json_t *v = json_object_get(x, "value");

        if (strcmp(type, "string") == 0)
            assert_int_equal(mfab_onboarding_add_string(
                                 p, tag, json_string_value(v),
                                 json_string_length(v), NULL),
                             0);
        else if (strcmp(type, "int") == 0)
            assert_int_equal(mfab_onboarding_add_int(
                                 p, tag, json_integer_value(v), NULL),
                             0);
        else
            assert_int_equal(mfab_onboarding_add_uint(
                                 p, tag, (uint64_t)json_integer_value(v),
                                 NULL),
                             0);
    }
}

/* Find extra by tag in p, or fail. */
static inline const mfab_onb_extra *
onb_extra(const mfab_onb_payload *p, uint8_t tag)
{
    size_t i;

    for (i = 0; i < p->n_extras; i++) {
        if (p->extras[i].tag == tag)
            return &p->extras[i];
    }
    fail_msg("optional data tag 0x%02x missing", tag);
    return NULL;
}

/* The decoded payload q carries the same extras as the vector case. */
static inline void
onb_assert_extras(const mfab_onb_payload *q, json_t *c)
{
    json_t *extras = json_object_get(c, "tlv_extras");
    json_t *x;
    size_t i;

    assert_int_equal(q->n_extras, json_array_size(extras));
    json_array_foreach(extras, i, x) {
        const mfab_onb_extra *e = onb_extra(q, (uint8_t)onb_int(x, "tag"));
        const char *type = onb_str(x, "type");
        json_t *v = json_object_get(x, "value");

        if (strcmp(type, "string") == 0) {
            assert_int_equal(e->type, MFAB_ONB_EXTRA_STRING);
            assert_int_equal(e->v.s.len, json_string_length(v));
            assert_memory_equal(e->v.s.p, json_string_value(v),
                                e->v.s.len);
        } else if (strcmp(type, "int") == 0) {
            assert_int_equal(e->type, MFAB_ONB_EXTRA_INT);
            assert_true(e->v.i == json_integer_value(v));
        } else {
            assert_int_equal(e->type, MFAB_ONB_EXTRA_UINT);
            assert_true(e->v.u == (uint64_t)json_integer_value(v));
        }
    }
}

/* Warning sink that counts and keeps the last message. */
typedef struct onb_warns {
    int count;
    char last[MFAB_DIAG_MSG_MAX];
} onb_warns;

static inline void
onb_warn_sink(void *ctx, const char *message)
{
    onb_warns *w = ctx;

    w->count++;
    snprintf(w->last, sizeof(w->last), "%s", message);
}

#endif
