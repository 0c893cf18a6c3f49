/*
 * matterfab/tlv.h: Matter TLV encoder and decoder.
 *
 * Implements the Matter Core Specification, Appendix A (Tag-length-value
 * encoding). Shared by the onboarding payload's optional data, the
 * Certification Declaration and the OTA image header.
 *
 * Neither side allocates: the writer fills a caller buffer (NULL measures),
 * the reader walks caller bytes with a bounds check before every access and
 * returns borrowed pointers into them.
 *
 * Control byte: bits 7..5 tag form, bits 4..0 element type.
 *
 *   tag form  0 anonymous (0 bytes)      1 context-specific (1 byte)
 *             2 common profile (2)       3 common profile (4)
 *             4 implicit profile (2)     5 implicit profile (4)
 *             6 fully qualified (6)      7 fully qualified (8)
 *   type      0x00-0x03 signed int 1/2/4/8    0x04-0x07 unsigned int 1/2/4/8
 *             0x08/0x09 bool false/true       0x0A/0x0B float/double
 *             0x0C-0x0F UTF-8 string, length field 1/2/4/8
 *             0x10-0x13 byte string, length field 1/2/4/8
 *             0x14 null  0x15 structure  0x16 array  0x17 list
 *             0x18 end of container
 * All multi-byte fields are little-endian.
 */
#ifndef MATTERFAB_TLV_H
#define MATTERFAB_TLV_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Deepest container nesting the reader and writer accept. */
#define MFAB_TLV_MAX_DEPTH 16

typedef enum mfab_tlv_tag_kind {
    MFAB_TLV_TAG_ANONYMOUS = 0,
    MFAB_TLV_TAG_CONTEXT,  /**< number 0..255 */
    MFAB_TLV_TAG_COMMON,   /**< Matter common profile, number 0..2^32-1 */
    MFAB_TLV_TAG_IMPLICIT, /**< implicit profile, number 0..2^32-1 */
    MFAB_TLV_TAG_FULL      /**< vendor, profile, number */
} mfab_tlv_tag_kind;

typedef struct mfab_tlv_tag {
    mfab_tlv_tag_kind kind;
    uint16_t vendor;  /**< MFAB_TLV_TAG_FULL only */
    uint16_t profile; /**< MFAB_TLV_TAG_FULL only */
    uint32_t number;
} mfab_tlv_tag;

static inline mfab_tlv_tag
mfab_tlv_anon(void)
{
    mfab_tlv_tag t = { MFAB_TLV_TAG_ANONYMOUS, 0, 0, 0 };
    return t;
}

static inline mfab_tlv_tag
mfab_tlv_ctx(uint8_t number)
{
    mfab_tlv_tag t = { MFAB_TLV_TAG_CONTEXT, 0, 0, number };
    return t;
}

typedef enum mfab_tlv_type {
    MFAB_TLV_INT,
    MFAB_TLV_UINT,
    MFAB_TLV_BOOL,
    MFAB_TLV_FLOAT,  /**< 4-byte IEEE 754 */
    MFAB_TLV_DOUBLE, /**< 8-byte IEEE 754 */
    MFAB_TLV_UTF8,
    MFAB_TLV_BYTES,
    MFAB_TLV_NULL,
    MFAB_TLV_STRUCT,
    MFAB_TLV_ARRAY,
    MFAB_TLV_LIST,
    MFAB_TLV_END /**< end of the innermost open container */
} mfab_tlv_type;

/* ---- writer -------------------------------------------------------- */

/**
 * Writer state. Errors are sticky: after the first failure every call
 * returns it, and mfab_tlv_writer_finish() reports it. len keeps counting
 * past cap so that a NULL/short buffer measures the size needed.
 */
typedef struct mfab_tlv_writer {
    uint8_t *buf; /* borrowed; may be NULL to measure */
    size_t cap;
    size_t len;
    int depth;
    int err;
    uint32_t kinds; /* open container kinds, 2 bits per level (internal) */
} mfab_tlv_writer;

/** Start writing into buf (borrowed, must outlive the writer). */
void mfab_tlv_writer_init(mfab_tlv_writer *w, uint8_t *buf, size_t cap);

/*
 * Every put, start and end call returns 0; MFAB_EBUFS once the buffer is
 * full (nothing more is stored, the length keeps counting); or MFAB_EINVAL
 * for a misuse: a tag the open container cannot take (structure members
 * need a tag, array members must be anonymous, context tags only inside a
 * structure or list), a context tag number above 255, NULL data with a
 * non-zero length, nesting deeper than MFAB_TLV_MAX_DEPTH, or an end with
 * no open container. Tags are always written in their shortest form.
 */

/** Unsigned integer in the smallest width that holds it. */
int mfab_tlv_put_uint(mfab_tlv_writer *w, mfab_tlv_tag tag, uint64_t v);
/** Signed integer in the smallest width that holds it. */
int mfab_tlv_put_int(mfab_tlv_writer *w, mfab_tlv_tag tag, int64_t v);
int mfab_tlv_put_bool(mfab_tlv_writer *w, mfab_tlv_tag tag, int v);
int mfab_tlv_put_null(mfab_tlv_writer *w, mfab_tlv_tag tag);
int mfab_tlv_put_float(mfab_tlv_writer *w, mfab_tlv_tag tag, float v);
int mfab_tlv_put_double(mfab_tlv_writer *w, mfab_tlv_tag tag, double v);
/** Byte string, length field in the smallest width. data is copied. */
int mfab_tlv_put_bytes(mfab_tlv_writer *w, mfab_tlv_tag tag,
                       const void *data, size_t len);
/** UTF-8 string (not checked for validity), smallest length width. */
int mfab_tlv_put_utf8(mfab_tlv_writer *w, mfab_tlv_tag tag, const char *s,
                      size_t len);
/** Open a container: type is MFAB_TLV_STRUCT, _ARRAY or _LIST. */
int mfab_tlv_start(mfab_tlv_writer *w, mfab_tlv_tag tag, mfab_tlv_type type);
/** Close the innermost open container. */
int mfab_tlv_end(mfab_tlv_writer *w);

/**
 * @param[out] out_len bytes written (or needed), set even on MFAB_EBUFS
 * @return 0; MFAB_EBUFS when cap was too small; MFAB_EINVAL for an
 *         unclosed container, a tag the context cannot take, or another
 *         misuse recorded earlier
 */
int mfab_tlv_writer_finish(mfab_tlv_writer *w, size_t *out_len);

/* ---- reader -------------------------------------------------------- */

typedef struct mfab_tlv_element {
    mfab_tlv_tag tag;
    mfab_tlv_type type;
    uint8_t width; /**< bytes of the value (ints, floats) or of the
                        length field (strings); 0 otherwise */
    union {
        uint64_t u;
        int64_t i;
        int b;
        double f; /**< float or double */
        struct {
            const uint8_t *p; /**< borrowed from the reader's buffer */
            size_t len;
        } s;
    } v;
    const uint8_t *start; /**< first byte (the control byte) */
    size_t encoded_len;   /**< control byte to end of value; for a
                               container start, just its head */
} mfab_tlv_element;

typedef struct mfab_tlv_reader {
    const uint8_t *p;
    const uint8_t *end;
    int depth;
    uint32_t kinds; /* open container kinds, 2 bits per level (internal) */
} mfab_tlv_reader;

/** Read from buf (borrowed, must outlive the reader and its elements). */
void mfab_tlv_reader_init(mfab_tlv_reader *r, const uint8_t *buf, size_t len);

/**
 * Decode the next element. A container start is returned as
 * MFAB_TLV_STRUCT/_ARRAY/_LIST; the following calls return its members,
 * then an MFAB_TLV_END element.
 * @return 0; MFAB_ENOTFOUND at the end of the buffer at depth 0;
 *         MFAB_EFORMAT for a truncated element, a reserved type or tag
 *         form, an END with no open container or with a tag, the buffer
 *         ending inside a container, a tag the open container cannot hold
 *         (the writer's rule above), or nesting deeper than
 *         MFAB_TLV_MAX_DEPTH
 */
int mfab_tlv_next(mfab_tlv_reader *r, mfab_tlv_element *out);

/**
 * Skip the rest of the container whose start was just read (or whose
 * members are being read): returns after consuming its END.
 * @return 0, MFAB_EFORMAT
 */
int mfab_tlv_skip_container(mfab_tlv_reader *r);

/** 1 when tag a equals tag b. */
int mfab_tlv_tag_equal(mfab_tlv_tag a, mfab_tlv_tag b);

/**
 * Re-encode an element read by mfab_tlv_next() keeping its value and
 * length-field widths (tags are written in their shortest form), so that a
 * decode/re-encode round trip of canonically tagged TLV is byte-exact. A
 * container start opens the container; an MFAB_TLV_END element closes it.
 * @return 0, MFAB_EBUFS, MFAB_EINVAL (width the type cannot have, or a
 *         value that does not fit it)
 */
int mfab_tlv_put_element(mfab_tlv_writer *w, const mfab_tlv_element *e);

#ifdef __cplusplus
}
#endif

#endif
