/*
 * fuzz_mfg_options.c: libFuzzer target for the option values `matterfab
 * generate` parses itself (src/mfg: int0 integers, enumerations, salt and
 * verifier base64, mfg-date, serial and rd-id-uid, fixed labels, supported
 * modes with their semantic tags, locales) through the whole plan: the
 * checks, then the NVS key template they feed. No PKI and no files, so the
 * plan never leaves memory.
 *
 * The input is split at 0x00 bytes into up to 16 fields; field k fills
 * option slot k % 16 (the multi-value options take every field of their
 * slot).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/mfg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SLOTS 16
#define MAX_MULTI 8

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    const char *field[SLOTS] = {0};
    const char *labels[MAX_MULTI], *modes[MAX_MULTI], *locales[MAX_MULTI];
    size_t nl = 0, nm = 0, nloc = 0, k = 0, start = 0, i;
    mfab_mfg_options o;
    mfab_mfg_plan *plan = NULL;
    int64_t v;
    int e;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    for (i = 0; i <= size; i++) {
        if (i < size && text[i] != 0)
            continue;
        text[i] = 0;
        switch (k % SLOTS) {
        case 12:
            if (nl < MAX_MULTI)
                labels[nl++] = text + start;
            break;
        case 13:
            if (nm < MAX_MULTI)
                modes[nm++] = text + start;
            break;
        case 14:
            if (nloc < MAX_MULTI)
                locales[nloc++] = text + start;
            break;
        default:
            field[k % SLOTS] = text + start;
        }
        k++;
        start = i + 1;
    }

    mfab_mfg_options_init(&o);
    o.has_vid = o.has_pid = 1;
    o.vid = 0xFFF2;
    o.pid = 0x8001;
    o.outdir = "/nonexistent/fuzz-out";
    if (field[0] && mfab_mfg_parse_int0(&v, field[0], "--passcode", NULL) == 0)
        o.has_passcode = 1, o.passcode = v;
    if (field[1] &&
        mfab_mfg_parse_int0(&v, field[1], "--discriminator", NULL) == 0)
        o.has_discriminator = 1, o.discriminator = v;
    if (field[2] &&
        mfab_mfg_parse_int0(&v, field[2], "--iteration-count", NULL) == 0)
        o.iterations = v;
    o.salt = field[3];
    o.verifier = field[4];
    o.mfg_date = field[5];
    o.serial_num = field[6];
    o.rd_id_uid = field[7];
    o.rotating_device_id = field[7] != NULL;
    if (field[8] && mfab_mfg_parse_finish(&e, field[8], NULL) == 0)
        o.product_finish = e;
    if (field[9] && mfab_mfg_parse_color(&e, field[9], NULL) == 0)
        o.product_color = e;
    if (field[10] && mfab_mfg_parse_calendar(&e, field[10], NULL) == 0)
        o.has_calendar_types = 1, o.calendar_types = 1u << (e & 31);
    o.vendor_name = field[11];
    o.fixed_labels = labels;
    o.n_fixed_labels = nl;
    o.supported_modes = modes;
    o.n_supported_modes = nm;
    o.locales = locales;
    o.n_locales = nloc;
    o.product_label = field[15];

    if (mfab_mfg_plan_new(&plan, &o, NULL) == 0)
        mfab_mfg_plan_free(plan);
    free(text);
    return 0;
}
