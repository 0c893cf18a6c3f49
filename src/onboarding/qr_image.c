/*
 * qr_image.c: QR symbol of an onboarding payload and its SVG and terminal
 * renderings (shared/spec/matter-commissioning.md section 1.6; QR code:
 * ISO/IEC 18004, encoded by libqrencode, not by hand).
 *
 * mfg_tool draws its codes with pyqrcode.create(text, version=2,
 * error='M'): one alphanumeric segment, version 2 (25 x 25 modules), error
 * correction M. We ask libqrencode for exactly that; it moves to a larger
 * version only when the text does not fit (payloads with optional data).
 * The module grid may differ from pyqrcode's when the two pick different
 * masks; both are valid symbols of the same text.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <qrencode.h>

#include "common/common_internal.h"
#include "onboarding/onboarding_internal.h"
#include "onboarding/qr_image_internal.h"

static int
is_alnum_mode(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
           (c != '\0' && strchr(" $%*+-./:", c) != NULL);
}

/* see qr_image_internal.h */
int
mfab_onboarding__qr_symbol(QRcode **out, const char *text, mfab_diag *diag)
{
    QRinput *in = NULL;
    QRcode *qr = NULL;
    size_t len = text != NULL ? strlen(text) : 0;
    size_t i;
    int rc = 0;

    *out = NULL;
    if (len == 0)
        return mfab_diag_set(diag, MFAB_EINVAL, "qr image text is empty");
    if (len > MFAB_ONB_QR_TEXT_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "qr image text of %zu characters does not fit a "
                             "qr code (allowed %d)",
                             len, MFAB_ONB_QR_TEXT_MAX);
    for (i = 0; i < len; i++) {
        if (!is_alnum_mode(text[i]))
            return mfab_diag_set(diag, MFAB_EINVAL,
                                 "qr image text has byte 0x%02x at offset "
                                 "%zu (allowed 0-9, A-Z, space and $%%*+-./:)",
                                 (unsigned char)text[i], i);
    }
    in = QRinput_new2(MFAB_QR_MIN_VERSION, QR_ECLEVEL_M);
    if (in == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "cannot set up the qr encoder");
        goto out;
    }
    if (QRinput_append(in, QR_MODE_AN, (int)len,
                       (const unsigned char *)text) != 0) {
        rc = mfab_diag_set(diag, errno == ENOMEM ? MFAB_ENOMEM : MFAB_EINVAL,
                           "qr encoder refused the text");
        goto out;
    }
    errno = 0;
    qr = QRcode_encodeInput(in);
    if (qr == NULL) {
        rc = mfab_diag_set(diag, errno == ENOMEM ? MFAB_ENOMEM : MFAB_ERANGE,
                           "qr image text of %zu characters does not fit a "
                           "qr code with error correction m",
                           len);
        goto out;
    }
    *out = qr;
out:
    QRinput_free(in);
    return rc;
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_qr_matrix(uint8_t *out, size_t cap, int *out_size,
                          int *out_version, const char *text,
                          mfab_diag *diag)
{
    QRcode *qr = NULL;
    size_t n;
    size_t i;
    int rc;

    *out_size = 0;
    rc = mfab_onboarding__qr_symbol(&qr, text, diag);
    if (rc < 0)
        return rc;
    *out_size = qr->width;
    if (out_version != NULL)
        *out_version = qr->version;
    n = (size_t)qr->width * (size_t)qr->width;
    if (out != NULL) {
        if (cap < n) {
            rc = MFAB_EBUFS;
            goto out;
        }
        /* libqrencode keeps flags in the upper bits; bit 0 is dark */
        for (i = 0; i < n; i++)
            out[i] = qr->data[i] & 1u;
    }
out:
    QRcode_free(qr);
    return rc;
}

/* Append to a measured text buffer; counts past cap. */
typedef struct textbuf {
    char *buf;
    size_t cap;
    size_t len;
} textbuf;

static void
put(textbuf *t, const char *s)
{
    size_t n = strlen(s);

    if (t->buf != NULL && t->len < t->cap && n < t->cap - t->len)
        memcpy(t->buf + t->len, s, n + 1);
    t->len += n;
}

static int
dark(const QRcode *qr, int x, int y)
{
    x -= MFAB_QR_QUIET_ZONE;
    y -= MFAB_QR_QUIET_ZONE;
    if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
        return 0;
    return qr->data[y * qr->width + x] & 1u;
}

/* One horizontal path segment per run of dark modules. */
static void
render_svg(textbuf *t, const QRcode *qr)
{
    int side = qr->width + 2 * MFAB_QR_QUIET_ZONE;
    char tmp[160];
    int x;
    int y;

    snprintf(tmp, sizeof(tmp),
             "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d "
             "%d\" width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\">"
             "\n",
             side, side, side * MFAB_QR_PNG_SCALE, side * MFAB_QR_PNG_SCALE);
    put(t, tmp);
    snprintf(tmp, sizeof(tmp),
             "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path "
             "fill=\"#000\" d=\"",
             side, side);
    put(t, tmp);
    for (y = 0; y < side; y++) {
        for (x = 0; x < side;) {
            int run = 0;

            while (x + run < side && dark(qr, x + run, y))
                run++;
            if (run == 0) {
                x++;
                continue;
            }
            snprintf(tmp, sizeof(tmp), "M%d %dh%dv1h-%dz", x, y, run, run);
            put(t, tmp);
            x += run;
        }
    }
    put(t, "\"/>\n</svg>\n");
}

/*
 * Two module rows per text line: the upper half block paints the top
 * module, the lower one the bottom. Colours are forced (black on white)
 * because a terminal's own background may be dark.
 */
static void
render_ansi(textbuf *t, const QRcode *qr)
{
    static const char *const cell[4] = {
        " ",            /* both light */
        "\xe2\x96\x84", /* bottom dark: lower half block */
        "\xe2\x96\x80", /* top dark: upper half block */
        "\xe2\x96\x88", /* both dark: full block */
    };
    int side = qr->width + 2 * MFAB_QR_QUIET_ZONE;
    int x;
    int y;

    for (y = 0; y < side; y += 2) {
        put(t, "\x1b[30;47m");
        for (x = 0; x < side; x++)
            put(t, cell[dark(qr, x, y) * 2 + dark(qr, x, y + 1)]);
        put(t, "\x1b[0m\n");
    }
}

/* see matterfab/onboarding.h */
int
mfab_onboarding_qr_image(uint8_t *buf, size_t cap, size_t *out_len,
                         const char *text, mfab_qr_format format,
                         mfab_diag *diag)
{
    QRcode *qr = NULL;
    textbuf t = { (char *)buf, cap, 0 };
    int rc;

    *out_len = 0;
    if (format != MFAB_QR_PNG && format != MFAB_QR_SVG &&
        format != MFAB_QR_ANSI)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "qr image format '%d' is unknown (allowed png, "
                             "svg, ansi)",
                             (int)format);
    rc = mfab_onboarding__qr_symbol(&qr, text, diag);
    if (rc < 0)
        return rc;
    if (format == MFAB_QR_PNG) {
        rc = mfab_onboarding__qr_png(buf, cap, out_len, qr, diag);
        goto out;
    }
    if (format == MFAB_QR_SVG)
        render_svg(&t, qr);
    else
        render_ansi(&t, qr);
    *out_len = t.len;
    if (buf != NULL && cap <= t.len)
        rc = MFAB_EBUFS;
out:
    QRcode_free(qr);
    return rc;
}
