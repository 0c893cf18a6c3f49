/*
 * qr_png.c: PNG rendering of a QR symbol in mfg_tool's geometry
 * (shared/spec/matter-commissioning.md section 1.6: pyqrcode png(scale=6),
 * 4-module quiet zone, 1-bit greyscale, black modules on white; 198 x 198
 * pixels for version 2). PNG format: ISO/IEC 15948 (W3C PNG 2nd ed.),
 * written here with zlib alone:
 *
 *   89 50 4E 47 0D 0A 1A 0A                      signature
 *   00 00 00 0D "IHDR" <W:4> <H:4> 01 00 00 00 00 <CRC:4>
 *                      bit depth 1, greyscale, deflate, filter method 0,
 *                      no interlace
 *   <len:4> "IDAT" <zlib stream of the rows> <CRC:4>
 *   00 00 00 00 "IEND" AE 42 60 82
 *
 *   each row: 00 (filter None) then W bits, MSB first, white = 1
 *
 * The bytes need not equal the reference's, only the pixels, so the
 * encoder is tuned for one small two-tone image per device: no filter
 * search (libpng picks None for 1-bit images anyway), deflate level 1
 * with a 512-byte window and the smallest hash (each module row is six
 * equal pixel rows, a match a row back), and no libpng set-up per image,
 * which cost more than the compression itself. The output goes straight
 * into the caller's buffer; past its end only the count goes on, so
 * that a NULL or short buffer reports the size needed.
 */
#include <string.h>

#include <zlib.h>

#include "common/common_internal.h"
#include "onboarding/qr_image_internal.h"

/* the largest symbol: (177 + 8) * 6 = 1110 pixels, 139 bytes a row */
#define SIDE_MAX ((177 + 2 * MFAB_QR_QUIET_ZONE) * MFAB_QR_PNG_SCALE)
#define ROW_MAX (1 + (SIDE_MAX + 7) / 8)
#define ZLIB_WINDOW_BITS 9
#define ZLIB_MEM_LEVEL 1

typedef struct png_sink {
    uint8_t *buf;
    size_t cap;
    size_t len;
    uint32_t crc; /* of the chunk being written, type included */
} png_sink;

static void
put(png_sink *s, const uint8_t *p, size_t n)
{
    if (s->buf != NULL && s->len <= s->cap && n <= s->cap - s->len)
        memcpy(s->buf + s->len, p, n);
    s->len += n;
}

static void
put_u32(png_sink *s, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8),
                    (uint8_t)v};

    put(s, b, sizeof(b));
}

/* chunk bytes after the length: type and data go into the CRC */
static void
put_crc(png_sink *s, const uint8_t *p, size_t n)
{
    s->crc = mfab_crc32(s->crc, p, n);
    put(s, p, n);
}

static void
chunk_start(png_sink *s, uint32_t len, const char type[4])
{
    put_u32(s, len);
    s->crc = 0;
    put_crc(s, (const uint8_t *)type, 4);
}

/* Pixel rows of module row my (-quiet .. width + quiet - 1): filter byte
 * 0 then 1 bit per pixel, white = 1. */
static void
fill_row(uint8_t *row, size_t row_bytes, const QRcode *qr, int my)
{
    int mx;

    memset(row, 0xFF, row_bytes);
    row[0] = 0;
    if (my < 0 || my >= qr->width)
        return;
    for (mx = 0; mx < qr->width; mx++) {
        int px, end;

        if (!(qr->data[my * qr->width + mx] & 1u))
            continue;
        px = (mx + MFAB_QR_QUIET_ZONE) * MFAB_QR_PNG_SCALE;
        for (end = px + MFAB_QR_PNG_SCALE; px < end; px++)
            row[1 + px / 8] &= (uint8_t) ~(0x80u >> (px % 8));
    }
}

/* Deflate n bytes (flush: Z_NO_FLUSH or Z_FINISH) into the IDAT data. */
static int
deflate_into(png_sink *s, z_stream *z, const uint8_t *p, size_t n, int flush)
{
    uint8_t out[1024];
    int zrc;

    z->next_in = (Bytef *)p;
    z->avail_in = (uInt)n;
    do {
        z->next_out = out;
        z->avail_out = sizeof(out);
        zrc = deflate(z, flush);
        if (zrc == Z_STREAM_ERROR)
            return -1;
        put_crc(s, out, sizeof(out) - z->avail_out);
    } while (z->avail_out == 0 || (flush == Z_FINISH && zrc != Z_STREAM_END));
    return 0;
}

/* see qr_image_internal.h */
int
mfab_onboarding__qr_png(uint8_t *buf, size_t cap, size_t *out_len,
                        const QRcode *qr, mfab_diag *diag)
{
    static const uint8_t signature[8] = {0x89, 'P',  'N',  'G',
                                         0x0D, 0x0A, 0x1A, 0x0A};
    static const uint8_t ihdr_tail[5] = {1, 0, 0, 0, 0};
    uint8_t rows[MFAB_QR_PNG_SCALE * ROW_MAX];
    png_sink sink = {buf, cap, 0, 0};
    z_stream z;
    int modules = qr->width + 2 * MFAB_QR_QUIET_ZONE;
    int side = modules * MFAB_QR_PNG_SCALE;
    size_t row_bytes = 1 + ((size_t)side + 7) / 8, idat_at, i;
    int my, rc = 0;
    uint8_t b[4];

    *out_len = 0;
    if (side > SIDE_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "qr symbol of %d modules is too large", qr->width);
    memset(&z, 0, sizeof(z));
    if (deflateInit2(&z, 1, Z_DEFLATED, ZLIB_WINDOW_BITS, ZLIB_MEM_LEVEL,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return mfab_diag_set(diag, MFAB_ENOMEM,
                             "cannot set up the png encoder");
    put(&sink, signature, sizeof(signature));
    chunk_start(&sink, 13, "IHDR");
    b[0] = (uint8_t)(side >> 24);
    b[1] = (uint8_t)(side >> 16);
    b[2] = (uint8_t)(side >> 8);
    b[3] = (uint8_t)side;
    put_crc(&sink, b, 4);
    put_crc(&sink, b, 4);
    put_crc(&sink, ihdr_tail, sizeof(ihdr_tail));
    put_u32(&sink, sink.crc);
    idat_at = sink.len;
    chunk_start(&sink, 0, "IDAT"); /* length patched once known */
    for (my = -MFAB_QR_QUIET_ZONE;
         my < qr->width + MFAB_QR_QUIET_ZONE && rc == 0; my++) {
        fill_row(rows, row_bytes, qr, my);
        for (i = 1; i < MFAB_QR_PNG_SCALE; i++)
            memcpy(rows + i * row_bytes, rows, row_bytes);
        rc = deflate_into(&sink, &z, rows, MFAB_QR_PNG_SCALE * row_bytes,
                          Z_NO_FLUSH);
    }
    if (rc == 0)
        rc = deflate_into(&sink, &z, NULL, 0, Z_FINISH);
    deflateEnd(&z);
    if (rc < 0)
        return mfab_diag_set(diag, MFAB_EIO, "png encoder failed");
    put_u32(&sink, sink.crc);
    if (buf != NULL && sink.len <= cap) {
        size_t idat_len = sink.len - idat_at - 12;

        buf[idat_at] = (uint8_t)(idat_len >> 24);
        buf[idat_at + 1] = (uint8_t)(idat_len >> 16);
        buf[idat_at + 2] = (uint8_t)(idat_len >> 8);
        buf[idat_at + 3] = (uint8_t)idat_len;
    }
    chunk_start(&sink, 0, "IEND");
    put_u32(&sink, sink.crc);
    *out_len = sink.len;
    if (buf != NULL && sink.len > cap)
        return MFAB_EBUFS;
    return 0;
}
