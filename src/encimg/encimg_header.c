/*
 * encimg_header.c: the esp_encrypted_img header (shared/spec/production-
 * images.md section 6.1).
 *
 *   0    cf b6 88 07     magic 0x0788B6CF, LE
 *   4    key params      384: RSA ciphertext, or X(32) Y(32) salt(32) 0(288)
 *   388  iv              16
 *   404  bin_size        u32 LE
 *   408  tag             16
 *   424  reserved        88, zero
 *   512  ciphertext      bin_size
 */
#include <string.h>

#include "encimg/encimg_internal.h"

/* see matterfab/encimg.h */
int
mfab_encimg_parse(mfab_encimg_header *out, const uint8_t *buf, size_t len,
                  mfab_diag *diag)
{
    mfab_cursor c;
    const uint8_t *magic = NULL, *size = NULL;

    memset(out, 0, sizeof(*out));
    if (len < MFAB_ENCIMG_HEADER_LEN)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "encimg: truncated image: %zu bytes (the header "
                             "alone is %d)",
                             len, MFAB_ENCIMG_HEADER_LEN);
    mfab_cursor_init(&c, buf, len);
    /* The length check above covers every take below. */
    (void)mfab_cursor_take(&c, &magic, 4);
    (void)mfab_cursor_take(&c, &out->key_params, MFAB_ENCIMG_KEY_PARAMS_LEN);
    (void)mfab_cursor_take(&c, &out->iv, MFAB_ENCIMG_IV_LEN);
    (void)mfab_cursor_take(&c, &size, 4);
    (void)mfab_cursor_take(&c, &out->tag, MFAB_ENCIMG_TAG_LEN);
    (void)mfab_cursor_take(&c, &out->reserved, MFAB_ENCIMG_RESERVED_LEN);
    out->magic = mfab_le32(magic);
    out->bin_size = mfab_le32(size);
    if (out->magic != MFAB_ENCIMG_MAGIC)
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "encimg: wrong magic '0x%08x' at offset 0 "
                             "(expected 0x0788b6cf): not a pre-encrypted "
                             "image",
                             out->magic);
    if (out->bin_size != mfab_cursor_left(&c))
        return mfab_diag_set(diag, MFAB_EFORMAT,
                             "encimg: bin_size '%u' at offset 404 disagrees "
                             "with the %zu bytes after the header (%s)",
                             out->bin_size, mfab_cursor_left(&c),
                             out->bin_size > mfab_cursor_left(&c)
                                 ? "truncated image"
                                 : "trailing bytes");
    out->ciphertext = c.p;
    out->ciphertext_len = mfab_cursor_left(&c);
    return 0;
}
