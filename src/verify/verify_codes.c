/*
 * verify_codes.c: the "verifier" and "onboarding" checks: the stored
 * SPAKE2+ verifier is the one of the passcode printed on the label, and
 * the label's QR and manual codes (the onboarding CSV, spec
 * matter-commissioning.md 6.7) decode to the stored discriminator, that
 * passcode and the device's VID/PID.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "matterfab/csv.h"
#include "matterfab/error.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"
#include "verify/verify_internal.h"

enum { COL_QR, COL_MANUAL, COL_DISC, COL_PASSCODE, NCOLS };
static const char *const col_names[NCOLS] = {"qrcode", "manualcode",
                                             "discriminator", "passcode"};

/* The first device row of the onboarding CSV. */
typedef struct onb_row {
    char *buf; /* the CSV text, parsed in place */
    const char *col[NCOLS];
    int has_passcode;
    uint32_t passcode;
    const char *passcode_from;
    int parsed; /* every column found and the passcode valid */
} onb_row;

#define MAX_FIELDS 16

static int
parse_onb(onb_row *r, const verify_ctx *c, mfab_diag *why)
{
    const char *name = c->in->onb_name ? c->in->onb_name : "onboarding CSV";
    mfab_csv_field head[MAX_FIELDS], row[MAX_FIELDS];
    mfab_csv_reader rd;
    size_t nh = 0, nr = 0, i, k;
    unsigned long line = 0;
    int rc;

    r->buf = malloc(c->in->onb_csv_len + 1);
    if (r->buf == NULL)
        return mfab_diag_set(why, MFAB_ENOMEM, "out of memory");
    memcpy(r->buf, c->in->onb_csv, c->in->onb_csv_len);
    r->buf[c->in->onb_csv_len] = '\0';
    mfab_csv_reader_init(&rd, r->buf, c->in->onb_csv_len, 0, name);
    rc = mfab_csv_next(&rd, head, MAX_FIELDS, &nh, &line, why);
    if (rc == 1)
        rc = mfab_csv_next(&rd, row, MAX_FIELDS, &nr, &line, why);
    if (rc < 0)
        return rc;
    if (rc == 0)
        return mfab_diag_set_at(why, MFAB_EFORMAT, name, 0,
                                "no device row (header qrcode,manualcode,"
                                "discriminator,passcode and one row "
                                "expected)");
    for (k = 0; k < NCOLS; k++) {
        for (i = 0; i < nh && i < nr; i++)
            if (strcmp(head[i].str, col_names[k]) == 0)
                r->col[k] = row[i].str;
        if (r->col[k] == NULL)
            return mfab_diag_set_at(why, MFAB_EFORMAT, name, line,
                                    "no '%s' column", col_names[k]);
    }
    rc = mfab_passcode_parse(&r->passcode, r->col[COL_PASSCODE], name, why);
    if (rc < 0)
        return rc;
    r->has_passcode = 1;
    r->passcode_from = name;
    r->parsed = 1;
    return 0;
}

static void
check_verifier(verify_ctx *c, const onb_row *r)
{
    mfab_diag why = MFAB_DIAG_INIT;
    int rc;

    if (!c->has_verifier || !c->has_salt || !c->has_iter) {
        verify__set(c, MFAB_VERIFY_VERIFIER, MFAB_VERIFY_SKIP,
                    "no usable verifier, salt and iteration count stored "
                    "(see factory-keys)");
        return;
    }
    if (!r->has_passcode) {
        verify__set(c, MFAB_VERIFY_VERIFIER, MFAB_VERIFY_FAIL,
                    "no passcode to check the verifier with (%s, and no "
                    "ledger row)",
                    c->in->onb_csv != NULL
                        ? "the onboarding CSV gives no usable passcode"
                        : "no onboarding CSV");
        return;
    }
    rc = mfab_spake2p_verifier_check(c->verifier, sizeof(c->verifier),
                                     r->passcode, c->salt, c->salt_len, c->iter,
                                     &why);
    if (rc == MFAB_ECRYPTO)
        verify__set(c, MFAB_VERIFY_VERIFIER, MFAB_VERIFY_FAIL,
                    "the verifier stored in %s is not SPAKE2+ of the "
                    "passcode from %s (salt %zu bytes, %u iterations)",
                    c->comm_from, r->passcode_from, c->salt_len, c->iter);
    else if (rc < 0)
        verify__set(c, MFAB_VERIFY_VERIFIER, MFAB_VERIFY_FAIL, "%s",
                    mfab_diag_message(&why));
    else
        verify__set(c, MFAB_VERIFY_VERIFIER, MFAB_VERIFY_PASS,
                    "verifier in %s = SPAKE2+(passcode from %s, %zu-byte "
                    "salt, %u iterations)",
                    c->comm_from, r->passcode_from, c->salt_len, c->iter);
}

static void
compare_ids(verify_ctx *c, verify_text *t, const char *what,
            const mfab_onb_payload *p)
{
    if (c->has_vid && p->vendor_id != c->vid)
        verify__add(t, "%s VID %04X != vendor-id %04X", what, p->vendor_id,
                    c->vid);
    if (c->has_pid && p->product_id != c->pid)
        verify__add(t, "%s PID %04X != product-id %04X", what, p->product_id,
                    c->pid);
}

static void
check_qr(verify_ctx *c, verify_text *t, const onb_row *r, mfab_onb_payload *p)
{
    mfab_diag why = MFAB_DIAG_INIT;

    if (mfab_onboarding_qr_decode(p, r->col[COL_QR], 0, &why) < 0) {
        verify__add(t, "QR code '%s' does not decode: %s", r->col[COL_QR],
                    mfab_diag_message(&why));
        p->flow = 0xFF;
        return;
    }
    if (c->has_disc && p->discriminator != c->disc)
        verify__add(t, "QR discriminator %u != stored %u", p->discriminator,
                    c->disc);
    if (p->passcode != r->passcode)
        verify__add(t, "QR passcode differs from the passcode column");
    compare_ids(c, t, "QR", p);
}

static void
check_manual(verify_ctx *c, verify_text *t, const onb_row *r,
             const mfab_onb_payload *qr)
{
    mfab_onb_payload *p = calloc(1, sizeof(*p));
    mfab_diag why = MFAB_DIAG_INIT;

    if (p == NULL) {
        verify__add(t, "out of memory");
        return;
    }
    if (mfab_onboarding_manual_decode(p, r->col[COL_MANUAL], &why) < 0) {
        verify__add(t, "manual code does not decode: %s",
                    mfab_diag_message(&why));
        goto out;
    }
    if (c->has_disc && (p->discriminator >> 8) != (c->disc >> 8))
        verify__add(t, "manual code short discriminator %u != stored %u >> 8",
                    p->discriminator >> 8, c->disc);
    if (p->passcode != r->passcode)
        verify__add(t, "manual code passcode differs from the passcode "
                       "column");
    if (!p->no_vid_pid)
        compare_ids(c, t, "manual code", p);
    /* 11 digits for the standard flow, 21 otherwise (spec 1.8) */
    if (qr->flow != 0xFF && (qr->flow == MFAB_FLOW_STANDARD) != p->no_vid_pid)
        verify__add(t, "QR flow %u but a %s-digit manual code", qr->flow,
                    p->no_vid_pid ? "11" : "21");
out:
    OPENSSL_cleanse(p, sizeof(*p));
    free(p);
}

static void
check_onboarding(verify_ctx *c, const onb_row *r)
{
    mfab_onb_payload *qr = calloc(1, sizeof(*qr));
    mfab_diag why = MFAB_DIAG_INIT;
    uint16_t disc = 0;
    verify_text t;

    memset(&t, 0, sizeof(t));
    if (qr == NULL) {
        verify__set(c, MFAB_VERIFY_ONBOARDING, MFAB_VERIFY_FAIL,
                    "out of memory");
        return;
    }
    check_qr(c, &t, r, qr);
    check_manual(c, &t, r, qr);
    if (mfab_discriminator_parse(&disc, r->col[COL_DISC], "discriminator",
                                 &why) < 0)
        verify__add(&t, "%s", mfab_diag_message(&why));
    else if (c->has_disc && disc != c->disc)
        verify__add(&t, "discriminator column %u != stored %u", disc, c->disc);
    if (!c->has_disc)
        verify__add(&t, "no stored discriminator to compare with");
    if (t.n > 0)
        verify__set(c, MFAB_VERIFY_ONBOARDING, MFAB_VERIFY_FAIL, "%s", t.s);
    else
        verify__set(c, MFAB_VERIFY_ONBOARDING, MFAB_VERIFY_PASS,
                    "QR %s and manual code decode to discriminator %u, the "
                    "passcode, VID %04X PID %04X, flow %u",
                    r->col[COL_QR], c->disc, c->vid, c->pid, qr->flow);
    OPENSSL_cleanse(qr, sizeof(*qr));
    free(qr);
}

/* see verify_internal.h */
int
verify__codes(verify_ctx *c, mfab_diag *diag)
{
    mfab_diag why = MFAB_DIAG_INIT;
    onb_row r;
    int rc = 0;

    memset(&r, 0, sizeof(r));
    if (c->in->onb_csv != NULL) {
        rc = parse_onb(&r, c, &why);
        if (rc == MFAB_ENOMEM) {
            rc = mfab_diag_set(diag, rc, "verify: out of memory");
            goto out;
        }
        if (rc < 0)
            verify__set(c, MFAB_VERIFY_ONBOARDING, MFAB_VERIFY_FAIL, "%s",
                        mfab_diag_message(&why));
        rc = 0;
    } else {
        verify__set(c, MFAB_VERIFY_ONBOARDING, MFAB_VERIFY_SKIP,
                    "no onboarding CSV");
    }
    if (!r.has_passcode && c->in->has_passcode) {
        r.has_passcode = 1;
        r.passcode = c->in->passcode;
        r.passcode_from =
            c->in->passcode_source ? c->in->passcode_source : "the caller";
    }
    check_verifier(c, &r);
    if (r.parsed && !c->has_disc && !c->nvs_has_factory)
        verify__set(c, MFAB_VERIFY_ONBOARDING, MFAB_VERIFY_SKIP,
                    "no stored discriminator read (see nvs)");
    else if (r.parsed)
        check_onboarding(c, &r);
out:
    if (r.buf != NULL) {
        OPENSSL_cleanse(r.buf, c->in->onb_csv_len);
        free(r.buf);
    }
    OPENSSL_cleanse(&r.passcode, sizeof(r.passcode));
    return rc;
}
