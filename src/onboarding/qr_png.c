/*
 * qr_png.c: PNG rendering of a QR symbol in mfg_tool's geometry
 * (shared/spec/matter-commissioning.md section 1.6: pyqrcode png(scale=6),
 * 4-module quiet zone, 1-bit greyscale, black modules on white; 198 x 198
 * pixels for version 2). PNG format: ISO/IEC 15948, written by libpng.
 *
 * The PNG goes into the caller's buffer through a write callback that
 * keeps counting once the buffer is full, so that a NULL or short buffer
 * reports the size needed. The bytes need not equal the reference's
 * (they depend on zlib), only the pixels, so libpng is set up for one
 * small two-tone image per device: no filter search (None is what it
 * picks for 1-bit images anyway), deflate level 1 with a 4 KiB window
 * (each module row is six equal pixel rows, a match one row back; a
 * version-2 image is 5 KiB, so the window slides about once instead of
 * twenty times with 512 bytes: 1.2-1.3x faster, 474 instead of 451 bytes)
 * and the smallest hash, which make its per-image set-up cheap; and each
 * module row is rendered once for its six pixel rows.
 */
#include <setjmp.h>
#include <string.h>

#include <png.h>

#include "common/common_internal.h"
#include "onboarding/qr_image_internal.h"

typedef struct png_sink {
    uint8_t *buf;
    size_t cap;
    size_t len;
} png_sink;

static void
sink_write(png_structp png, png_bytep data, size_t n)
{
    png_sink *s = png_get_io_ptr(png);

    if (s->buf != NULL && s->len <= s->cap && n <= s->cap - s->len)
        memcpy(s->buf + s->len, data, n);
    else
        s->buf = NULL; /* stop copying once something did not fit */
    s->len += n;
}

static void
sink_flush(png_structp png)
{
    (void)png;
}

/* libpng reports through longjmp; keep its messages out of stderr */
static void
png_quiet_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void
png_quiet_warning(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

/* Pixel rows of module row my (-quiet .. width + quiet - 1): 1 bit per
 * pixel, white = 1. */
static void
fill_row(uint8_t *row, size_t row_bytes, const QRcode *qr, int my)
{
    int mx;

    memset(row, 0xFF, row_bytes);
    if (my < 0 || my >= qr->width)
        return;
    for (mx = 0; mx < qr->width; mx++) {
        int px, end;

        if (!(qr->data[my * qr->width + mx] & 1u))
            continue;
        px = (mx + MFAB_QR_QUIET_ZONE) * MFAB_QR_PNG_SCALE;
        for (end = px + MFAB_QR_PNG_SCALE; px < end; px++)
            row[px / 8] &= (uint8_t) ~(0x80u >> (px % 8));
    }
}

/* see qr_image_internal.h */
int
mfab_onboarding__qr_png(uint8_t *buf, size_t cap, size_t *out_len,
                        const QRcode *qr, mfab_diag *diag)
{
    /* the largest symbol: (177 + 8) * 6 = 1110 pixels, 139 bytes a row */
    uint8_t row[(((177 + 2 * MFAB_QR_QUIET_ZONE) * MFAB_QR_PNG_SCALE) + 7) /
                8];
    png_sink sink = { buf, cap, 0 };
    png_structp png = NULL;
    png_infop info = NULL;
    int side = (qr->width + 2 * MFAB_QR_QUIET_ZONE) * MFAB_QR_PNG_SCALE;
    size_t row_bytes = ((size_t)side + 7) / 8;
    volatile int rc = 0;
    int y;

    *out_len = 0;
    if (row_bytes > sizeof(row))
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "qr symbol of %d modules is too large", qr->width);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
                                  png_quiet_error, png_quiet_warning);
    if (png != NULL)
        info = png_create_info_struct(png);
    if (png == NULL || info == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "cannot set up the png encoder");
        goto out;
    }
    if (setjmp(png_jmpbuf(png))) {
        rc = mfab_diag_set(diag, MFAB_EIO, "png encoder failed");
        goto out;
    }
    png_set_write_fn(png, &sink, sink_write, sink_flush);
    png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 1,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
    png_set_compression_level(png, 1);
    png_set_compression_window_bits(png, 12);
    png_set_compression_mem_level(png, 1);
    png_write_info(png, info);
    for (y = 0; y < side; y++) {
        if (y % MFAB_QR_PNG_SCALE == 0)
            fill_row(row, row_bytes, qr,
                     y / MFAB_QR_PNG_SCALE - MFAB_QR_QUIET_ZONE);
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    *out_len = sink.len;
    if (buf != NULL && sink.len > cap)
        rc = MFAB_EBUFS;
out:
    png_destroy_write_struct(&png, &info);
    return rc;
}
