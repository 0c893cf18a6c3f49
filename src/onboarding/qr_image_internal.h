/*
 * qr_image_internal.h: the QR symbol shared by the image renderers
 * (qr_image.c, qr_png.c).
 */
#ifndef MFAB_QR_IMAGE_INTERNAL_H
#define MFAB_QR_IMAGE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include <qrencode.h>

#include "matterfab/diag.h"
#include "matterfab/onboarding.h"

/* Symbol for text (version >= 2, ECC M, alphanumeric); QRcode_free() it. */
int mfab_onboarding__qr_symbol(QRcode **out, const char *text,
                               mfab_diag *diag);

/* 1-bit greyscale PNG of qr: scale 6, 4-module quiet zone. */
int mfab_onboarding__qr_png(uint8_t *buf, size_t cap, size_t *out_len,
                            const QRcode *qr, mfab_diag *diag);

#endif
