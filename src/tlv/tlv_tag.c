/*
 * tlv_tag.c: TLV tag comparison and the rule for which tags a container
 * may hold (Matter Core Specification, Appendix A.2 and A.11).
 */
#include "matterfab/tlv.h"
#include "tlv/tlv_internal.h"

/* see matterfab/tlv.h */
int
mfab_tlv_tag_equal(mfab_tlv_tag a, mfab_tlv_tag b)
{
    if (a.kind != b.kind)
        return 0;
    if (a.kind == MFAB_TLV_TAG_ANONYMOUS)
        return 1;
    if (a.kind == MFAB_TLV_TAG_FULL &&
        (a.vendor != b.vendor || a.profile != b.profile))
        return 0;
    return a.number == b.number;
}

/* see tlv_internal.h */
int
mfab_tlv__tag_allowed(unsigned kind, mfab_tlv_tag t)
{
    switch (kind) {
    case MFAB_TLV__KIND_STRUCT:
        return t.kind != MFAB_TLV_TAG_ANONYMOUS;
    case MFAB_TLV__KIND_ARRAY:
        return t.kind == MFAB_TLV_TAG_ANONYMOUS;
    case MFAB_TLV__KIND_LIST:
        return 1;
    default:
        return t.kind != MFAB_TLV_TAG_CONTEXT;
    }
}
