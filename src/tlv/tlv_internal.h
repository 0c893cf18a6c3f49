/*
 * tlv_internal.h: control-byte constants shared by the TLV reader and
 * writer (Matter Core Specification, Appendix A.7 and A.8).
 */
#ifndef MFAB_TLV_INTERNAL_H
#define MFAB_TLV_INTERNAL_H

#include <stdint.h>

#include "matterfab/tlv.h"

/* Tag control, bits 7..5 of the control byte. */
#define MFAB_TLV__TAG_ANON 0x00
#define MFAB_TLV__TAG_CTX 0x20
#define MFAB_TLV__TAG_COMMON2 0x40
#define MFAB_TLV__TAG_COMMON4 0x60
#define MFAB_TLV__TAG_IMPL2 0x80
#define MFAB_TLV__TAG_IMPL4 0xA0
#define MFAB_TLV__TAG_FULL6 0xC0
#define MFAB_TLV__TAG_FULL8 0xE0
#define MFAB_TLV__TAG_MASK 0xE0

/* Element type, bits 4..0: the first code of each family. */
#define MFAB_TLV__T_INT 0x00
#define MFAB_TLV__T_UINT 0x04
#define MFAB_TLV__T_FALSE 0x08
#define MFAB_TLV__T_TRUE 0x09
#define MFAB_TLV__T_FLOAT 0x0A
#define MFAB_TLV__T_DOUBLE 0x0B
#define MFAB_TLV__T_UTF8 0x0C
#define MFAB_TLV__T_BYTES 0x10
#define MFAB_TLV__T_NULL 0x14
#define MFAB_TLV__T_STRUCT 0x15
#define MFAB_TLV__T_ARRAY 0x16
#define MFAB_TLV__T_LIST 0x17
#define MFAB_TLV__T_END 0x18
#define MFAB_TLV__TYPE_MASK 0x1F

/*
 * The container kinds are kept two bits per level in a uint32_t, so that
 * MFAB_TLV_MAX_DEPTH (16) levels fit without a separate array; 0 means
 * "top level" and never occurs in the stack itself.
 */
#define MFAB_TLV__KIND_TOP 0u
#define MFAB_TLV__KIND_STRUCT 1u
#define MFAB_TLV__KIND_ARRAY 2u
#define MFAB_TLV__KIND_LIST 3u

/*
 * 1 when an element with tag t may appear directly inside a container of
 * the given kind (Appendix A.2): structure members carry a tag, array
 * members are anonymous, context tags exist only inside a structure or a
 * list. Shared so reader and writer enforce the same rule.
 */
int mfab_tlv__tag_allowed(unsigned kind, mfab_tlv_tag t);

/* Kind of the container open at depth (1-based), from the packed stack. */
static inline unsigned
mfab_tlv__kind_at(uint32_t stack, int depth)
{
    if (depth <= 0)
        return MFAB_TLV__KIND_TOP;
    return (stack >> (2 * (depth - 1))) & 3u;
}

static inline uint32_t
mfab_tlv__kind_push(uint32_t stack, int depth, unsigned kind)
{
    uint32_t shift = (uint32_t)(2 * depth);

    return (stack & ~(3u << shift)) | ((uint32_t)kind << shift);
}

#endif
