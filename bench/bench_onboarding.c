/*
 * bench_onboarding.c: QR code PNG throughput (spec
 * matter-commissioning.md 1.6), measured in the same run:
 *   - mfab_onboarding_qr_image(MFAB_QR_PNG), the whole per-device cost
 *     (symbol + PNG) and the PNG writer alone on a ready symbol;
 *   - the baseline: the same image through libpng with its default
 *     settings (what matterfab used before it tuned them), on the same symbol;
 *   - the QR symbol alone (libqrencode), the part the PNG cannot save.
 */
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <png.h>

#include "onboarding/qr_image_internal.h"
#include "bench_clock.h"

#define N 5000
#define TEXT "MT:Y.K9042C00KA0648G00"

typedef struct sink {
    uint8_t *buf;
    size_t cap;
    size_t len;
} sink;

static void
sink_write(png_structp png, png_bytep data, size_t n)
{
    sink *s = png_get_io_ptr(png);

    if (s->len + n <= s->cap)
        memcpy(s->buf + s->len, data, n);
    s->len += n;
}

static void
sink_flush(png_structp png)
{
    (void)png;
}

/* 1-bit grey, scale 6, quiet zone 4, libpng defaults: the old writer */
static size_t
libpng_default(uint8_t *buf, size_t cap, const QRcode *qr)
{
    int side = (qr->width + 2 * MFAB_QR_QUIET_ZONE) * MFAB_QR_PNG_SCALE;
    size_t row_bytes = ((size_t)side + 7) / 8;
    uint8_t row[256];
    sink s = {buf, cap, 0};
    png_structp png =
        png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    int y, px;

    if (setjmp(png_jmpbuf(png)))
        exit(1);
    png_set_write_fn(png, &s, sink_write, sink_flush);
    png_set_IHDR(png, info, (png_uint_32)side, (png_uint_32)side, 1,
                 PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    for (y = 0; y < side; y++) {
        int my = y / MFAB_QR_PNG_SCALE - MFAB_QR_QUIET_ZONE;

        memset(row, 0xFF, row_bytes);
        for (px = 0; px < side && my >= 0 && my < qr->width; px++) {
            int mx = px / MFAB_QR_PNG_SCALE - MFAB_QR_QUIET_ZONE;

            if (mx >= 0 && mx < qr->width &&
                (qr->data[my * qr->width + mx] & 1u))
                row[px / 8] &= (uint8_t) ~(0x80u >> (px % 8));
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return s.len;
}

int
main(void)
{
    uint8_t buf[8192];
    size_t len = 0, old_len = 0;
    QRcode *qr = NULL;
    double t0, sym, png_new, png_old, image;
    int i;

    t0 = bench_now();
    for (i = 0; i < N; i++) {
        QRcode *q = NULL;

        if (mfab_onboarding__qr_symbol(&q, TEXT, NULL) != 0)
            return 1;
        QRcode_free(q);
    }
    sym = bench_now() - t0;
    if (mfab_onboarding__qr_symbol(&qr, TEXT, NULL) != 0)
        return 1;
    t0 = bench_now();
    for (i = 0; i < N; i++)
        old_len = libpng_default(buf, sizeof(buf), qr);
    png_old = bench_now() - t0;
    t0 = bench_now();
    for (i = 0; i < N; i++)
        if (mfab_onboarding__qr_png(buf, sizeof(buf), &len, qr, NULL) != 0)
            return 1;
    png_new = bench_now() - t0;
    t0 = bench_now();
    for (i = 0; i < N; i++)
        if (mfab_onboarding_qr_image(buf, sizeof(buf), &len, TEXT, MFAB_QR_PNG,
                                     NULL) != 0)
            return 1;
    image = bench_now() - t0;
    printf("QR PNG writer: %8.0f/s   libpng defaults %8.0f/s   x%.1f   "
           "(%zu vs %zu bytes)\n",
           N / png_new, N / png_old, png_old / png_new, len, old_len);
    printf("QR PNG image:  %8.0f/s   (symbol alone %8.0f/s; with the old "
           "writer ~%.0f/s, x%.1f)\n",
           N / image, N / sym, N / (sym + png_old), (sym + png_old) / image);
    QRcode_free(qr);
    return 0;
}
