/*
 * fuzz_payload.c: libFuzzer target for the onboarding payload parsers
 * (shared/spec/matter-commissioning.md sections 1.5 to 1.8): QR text
 * (every '*' payload) and manual codes, plus the text field parser.
 *
 * Beyond "no crash, no leak": whatever decodes re-encodes, and the
 * re-encoded QR text decodes to the same fields (a round trip through
 * pack, Base38 and the TLV writer).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/error.h"
#include "matterfab/onboarding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
round_trip(const mfab_onb_payload *p)
{
    static mfab_onb_payload q;
    char text[MFAB_ONB_QR_TEXT_MAX + 1];
    size_t len = 0;

    if (mfab_onboarding_qr_encode(text, sizeof(text), &len, p, NULL) != 0)
        __builtin_trap();
    if (mfab_onboarding_qr_decode(&q, text, 0, NULL) != 0 ||
        q.vendor_id != p->vendor_id || q.product_id != p->product_id ||
        q.passcode != p->passcode || q.discriminator != p->discriminator ||
        q.flow != p->flow || q.discovery != p->discovery ||
        q.n_extras != p->n_extras)
        __builtin_trap();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mfab_onb_payload p;
    mfab_diag diag = MFAB_DIAG_INIT;
    char *text = malloc(size + 4);
    char manual[32];
    size_t len = 0;
    size_t i;

    if (text == NULL)
        return 0;
    /* an odd first byte stands for the "MT:" prefix, so that the fuzzer
     * reaches Base38, packing and TLV without having to find it first */
    if (size > 0 && (data[0] & 1)) {
        memcpy(text, "MT:", 3);
        memcpy(text + 3, data + 1, size - 1);
        text[size + 2] = '\0';
    } else {
        memcpy(text, data, size);
        text[size] = '\0';
    }

    for (i = 0; i < 4; i++) {
        mfab_diag_init(&diag);
        if (mfab_onboarding_qr_decode(&p, text, i, &diag) != 0)
            break;
        round_trip(&p);
    }
    mfab_diag_init(&diag);
    if (mfab_onboarding_manual_decode(&p, text, &diag) == 0) {
        /* the short discriminator and the passcode survive re-encoding */
        if (mfab_onboarding_manual_encode(manual, sizeof(manual), &len, &p,
                                          NULL) != 0 ||
            (len != 11 && len != 21))
            __builtin_trap();
    }
    mfab_onboarding_payload_init(&p);
    (void)mfab_onboarding_set_field(&p, size % 2 ? "passcode" : "vendor-id",
                                    text, "--fuzz", &diag);
    free(text);
    return 0;
}
