/*
 * Tests for src/onboarding/qr_image.c and qr_png.c: for every case of
 * qr_matrices.json our symbol has the reference's version, size and error
 * correction level (read back from the format information in the grid,
 * which also proves the reading on pyqrcode's own grid); our PNG decoded
 * with libpng has the reference PNG's dimensions and bit depth and its
 * pixels are exactly the libqrencode module grid at scale 6 inside a
 * 4-module white quiet zone; SVG and ANSI renderings cover exactly the
 * dark modules; buffer sizing and refusals.
 */
#include <stdlib.h>

#include <png.h>

#include "matterfab/error.h"
#include "onb_vectors.h"

#define QZ MFAB_QR_QUIET_ZONE
#define SCALE MFAB_QR_PNG_SCALE

/*
 * Error correction level and mask from the format information (ISO/IEC
 * 18004 7.9), both copies: bits 0..7 down column 8 (skipping the timing
 * row) and right to left along row 8; bits 8..14 the other way.
 */
static void
format_info(const uint8_t *m, int w, int *ecc, int *mask)
{
    unsigned a = 0;
    unsigned b = 0;
    int i;

    for (i = 0; i < 8; i++) {
        int row = i < 6 ? i : i + 1;

        a |= (unsigned)m[row * w + 8] << i;
        b |= (unsigned)m[8 * w + (w - 1 - i)] << i;
    }
    for (i = 0; i < 7; i++) {
        int col = i == 0 ? 7 : 6 - i;

        a |= (unsigned)m[8 * w + col] << (8 + i);
        b |= (unsigned)m[(w - 7 + i) * w + 8] << (8 + i);
    }
    assert_int_equal(a, b);
    a ^= 0x5412;
    *ecc = (int)(a >> 13) & 3; /* 1 L, 0 M, 3 Q, 2 H */
    *mask = (int)(a >> 10) & 7;
}

static const char *const ecc_name[4] = { "M", "L", "H", "Q" };

/* Decode a PNG to 8-bit grey with libpng's simplified API. */
static uint8_t *
png_pixels(const uint8_t *png, size_t len, int *w, int *h, int *bit_depth)
{
    png_image img;
    uint8_t *px;

    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_memory(&img, png, len));
    /* bit depth as stored: IHDR byte 24 */
    *bit_depth = png[24];
    img.format = PNG_FORMAT_GRAY;
    px = malloc(PNG_IMAGE_SIZE(img));
    assert_non_null(px);
    assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
    *w = (int)img.width;
    *h = (int)img.height;
    return px;
}

static void
test_qr_image__matches_reference_geometry(void **state)
{
    json_t *root = onb_load("qr_matrices.json");
    json_t *c;
    size_t i;
    int same_grid = 0;
    (void)state;

    json_array_foreach(json_object_get(root, "cases"), i, c) {
        json_t *rows = json_object_get(c, "matrix");
        const char *qr = onb_str(c, "qr");
        int w = (int)json_array_size(rows);
        uint8_t ref[177 * 177];
        uint8_t ours[177 * 177];
        int size = 0;
        int version = 0;
        int ecc;
        int mask;
        int r;
        int ref_mask;

        for (r = 0; r < w; r++) {
            const char *row = json_string_value(json_array_get(rows, r));
            int x;

            assert_int_equal(strlen(row), w);
            for (x = 0; x < w; x++)
                ref[r * w + x] = row[x] == '1';
        }
        format_info(ref, w, &ecc, &ref_mask);
        assert_string_equal(ecc_name[ecc], onb_str(c, "ecc"));

        assert_int_equal(mfab_onboarding_qr_matrix(ours, sizeof(ours), &size,
                                                   &version, qr, NULL),
                         0);
        assert_int_equal(version, onb_int(c, "version"));
        assert_int_equal(size, w);
        assert_int_equal(size, 17 + 4 * version);
        format_info(ours, size, &ecc, &mask);
        assert_string_equal(ecc_name[ecc], onb_str(c, "ecc"));
        /* the finder pattern rows agree whatever the mask */
        assert_memory_equal(ours, ref, 7);
        if (memcmp(ours, ref, (size_t)(w * w)) == 0)
            same_grid++;
        else
            assert_int_not_equal(mask, ref_mask);
    }
    printf("qr_matrices: %d of %zu grids identical to pyqrcode's\n",
           same_grid, json_array_size(json_object_get(root, "cases")));
    json_decref(root);
}

static void
check_png(const char *qr, const char *ref_png_rel)
{
    uint8_t grid[177 * 177];
    uint8_t *png;
    uint8_t *ref;
    uint8_t *px;
    uint8_t *ref_px;
    char path[4096];
    size_t len = 0;
    size_t need = 0;
    size_t ref_len = 0;
    int size = 0;
    int w;
    int h;
    int depth;
    int rw;
    int rh;
    int rdepth;
    int x;
    int y;

    assert_int_equal(mfab_onboarding_qr_matrix(grid, sizeof(grid), &size,
                                               NULL, qr, NULL),
                     0);
    assert_int_equal(mfab_onboarding_qr_image(NULL, 0, &need, qr,
                                              MFAB_QR_PNG, NULL),
                     0);
    png = malloc(need);
    assert_non_null(png);
    assert_int_equal(mfab_onboarding_qr_image(png, need, &len, qr,
                                              MFAB_QR_PNG, NULL),
                     0);
    assert_int_equal(len, need);
    px = png_pixels(png, len, &w, &h, &depth);
    assert_int_equal(w, (size + 2 * QZ) * SCALE);
    assert_int_equal(h, w);
    assert_int_equal(depth, 1);
    for (y = 0; y < h; y++) {
        for (x = 0; x < w; x++) {
            int mx = x / SCALE - QZ;
            int my = y / SCALE - QZ;
            int is_dark = mx >= 0 && my >= 0 && mx < size && my < size &&
                          grid[my * size + mx];

            if (px[y * w + x] != (is_dark ? 0 : 255))
                fail_msg("%s: pixel %d,%d is %u", qr, x, y, px[y * w + x]);
        }
    }
    if (ref_png_rel != NULL) {
        mfab_test_vpath(path, sizeof(path), ref_png_rel);
        ref = mfab_test_read(path, &ref_len);
        ref_px = png_pixels(ref, ref_len, &rw, &rh, &rdepth);
        assert_int_equal(rw, w);
        assert_int_equal(rh, h);
        assert_int_equal(rdepth, depth);
        /* the quiet zone corners and the finder pattern agree */
        assert_memory_equal(ref_px, px, (size_t)(w * QZ * SCALE));
        assert_int_equal(ref_px[(QZ * SCALE) * w + QZ * SCALE], 0);
        free(ref_px);
        free(ref);
    }
    free(px);
    free(png);
}

static void
test_qr_image__png_is_the_grid(void **state)
{
    char path[4096];
    char *csv;
    size_t len = 0;
    char qr[64];
    const char *p;
    (void)state;

    /* the QR text of mfg_tool run A, from its onb_codes.csv line 2 */
    mfab_test_vpath(path, sizeof(path),
                    "commissioning/mfg_tool_runs/runA/onb_codes.csv");
    csv = (char *)mfab_test_read(path, &len);
    p = strstr(csv, "\nMT:");
    assert_non_null(p);
    assert_int_equal(sscanf(p + 1, "%63[^,]", qr), 1);
    check_png(qr, "commissioning/mfg_tool_runs/runA/qrcode.png");
    free(csv);
    /* a payload with optional data needs a larger version */
    check_png("MT:M5L90MP500K64J0A33P0SET70.QT52B.E23-WZE0WISA0DK5N1K8SQ1RY"
              "CU1O0",
              NULL);
}

static void
test_qr_image__svg_and_ansi(void **state)
{
    const char *qr = "MT:Y.K9042C00KA0648G00";
    uint8_t grid[25 * 25];
    char *svg;
    char *ansi;
    size_t len = 0;
    size_t need = 0;
    int size = 0;
    int dark = 0;
    int painted = 0;
    int lines = 0;
    int i;
    const char *p;
    (void)state;

    assert_int_equal(mfab_onboarding_qr_matrix(grid, sizeof(grid), &size,
                                               NULL, qr, NULL),
                     0);
    for (i = 0; i < size * size; i++)
        dark += grid[i];

    assert_int_equal(mfab_onboarding_qr_image(NULL, 0, &need, qr,
                                              MFAB_QR_SVG, NULL),
                     0);
    svg = malloc(need + 1);
    assert_non_null(svg);
    assert_int_equal(mfab_onboarding_qr_image((uint8_t *)svg, need + 1, &len,
                                              qr, MFAB_QR_SVG, NULL),
                     0);
    assert_int_equal(strlen(svg), need);
    assert_non_null(strstr(svg, "viewBox=\"0 0 33 33\""));
    assert_non_null(strstr(svg, "width=\"198\""));
    /* every run "M<x> <y>h<n>" paints n dark modules inside the grid */
    for (p = strchr(svg, 'M'); p != NULL; p = strchr(p + 1, 'M')) {
        int x;
        int y;
        int n;
        int k;

        if (sscanf(p, "M%d %dh%d", &x, &y, &n) != 3)
            continue;
        for (k = 0; k < n; k++)
            assert_int_equal(grid[(y - QZ) * size + (x + k - QZ)], 1);
        painted += n;
    }
    assert_int_equal(painted, dark);
    free(svg);

    assert_int_equal(mfab_onboarding_qr_image(NULL, 0, &need, qr,
                                              MFAB_QR_ANSI, NULL),
                     0);
    ansi = malloc(need + 1);
    assert_non_null(ansi);
    assert_int_equal(mfab_onboarding_qr_image((uint8_t *)ansi, need + 1,
                                              &len, qr, MFAB_QR_ANSI, NULL),
                     0);
    for (p = ansi; *p != '\0'; p++)
        lines += *p == '\n';
    assert_int_equal(lines, (size + 2 * QZ + 1) / 2);
    /* quiet zone: the first line is all blanks between the colour codes */
    assert_memory_equal(ansi, "\x1b[30;47m                                 "
                              "\x1b[0m\n",
                        8 + 33 + 5);
    free(ansi);
}

static void
test_qr_image__refusals_and_buffers(void **state)
{
    const char *qr = "MT:Y.K9042C00KA0648G00";
    uint8_t small[16];
    uint8_t grid[10];
    char *big = malloc(5000);
    mfab_diag d = MFAB_DIAG_INIT;
    size_t len = 0;
    int size = 0;
    int f;
    (void)state;

    assert_non_null(big);
    assert_int_equal(mfab_onboarding_qr_matrix(grid, sizeof(grid), &size,
                                               NULL, qr, NULL),
                     MFAB_EBUFS);
    assert_int_equal(size, 25);
    for (f = MFAB_QR_PNG; f <= MFAB_QR_ANSI; f++) {
        assert_int_equal(mfab_onboarding_qr_image(small, sizeof(small), &len,
                                                  qr, (mfab_qr_format)f,
                                                  NULL),
                         MFAB_EBUFS);
        assert_true(len > sizeof(small));
    }
    assert_int_equal(mfab_onboarding_qr_image(small, sizeof(small), &len, qr,
                                              (mfab_qr_format)7, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "format", "png, svg, ansi", NULL);
    mfab_diag_init(&d);
    assert_int_equal(mfab_onboarding_qr_image(NULL, 0, &len, "mt:abc",
                                              MFAB_QR_PNG, &d),
                     MFAB_EINVAL);
    mfab_test_assert_diag(&d, MFAB_EINVAL, "0x6d", "offset 0", NULL);
    assert_int_equal(mfab_onboarding_qr_image(NULL, 0, &len, "",
                                              MFAB_QR_SVG, NULL),
                     MFAB_EINVAL);
    assert_int_equal(mfab_onboarding_qr_matrix(NULL, 0, &size, NULL, NULL,
                                               NULL),
                     MFAB_EINVAL);
    /* longer than version 40-M holds (3391 alphanumeric characters) */
    memset(big, 'A', 3500);
    big[3500] = '\0';
    mfab_diag_init(&d);
    assert_int_equal(mfab_onboarding_qr_matrix(NULL, 0, &size, NULL, big, &d),
                     MFAB_ERANGE);
    mfab_test_assert_diag(&d, MFAB_ERANGE, "does not fit", NULL);
    memset(big, 'A', 4999);
    big[4999] = '\0';
    assert_int_equal(mfab_onboarding_qr_matrix(NULL, 0, &size, NULL, big,
                                               NULL),
                     MFAB_ERANGE);
    free(big);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_qr_image__matches_reference_geometry),
        cmocka_unit_test(test_qr_image__png_is_the_grid),
        cmocka_unit_test(test_qr_image__svg_and_ansi),
        cmocka_unit_test(test_qr_image__refusals_and_buffers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
