/*
 * verify.c: end-of-line verification of one device: runs the checks in
 * dependency order and reports them in the order of the check table.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "matterfab/error.h"
#include "matterfab/verify.h"
#include "verify/verify_internal.h"

static const char *const check_names[MFAB_VERIFY_NCHECKS] = {
    "keys",  "nvs",     "factory-keys", "secure-cert", "dac-key",
    "chain", "vid-pid", "verifier",     "onboarding",
};

/* see matterfab/verify.h */
const char *
mfab_verify_status_name(mfab_verify_status status)
{
    switch (status) {
    case MFAB_VERIFY_PASS: return "pass";
    case MFAB_VERIFY_FAIL: return "fail";
    default: return "skip";
    }
}

/* A check nobody decided on has status -1 until the end. */
#define UNSET ((mfab_verify_status)-1)

/* see verify_internal.h */
void
verify__set(verify_ctx *c, mfab_verify_check_id id, mfab_verify_status status,
            const char *fmt, ...)
{
    mfab_verify_check *chk = &c->out->checks[id];
    va_list ap;

    if (chk->status != UNSET)
        return;
    chk->status = status;
    va_start(ap, fmt);
    vsnprintf(chk->detail, sizeof(chk->detail), fmt, ap);
    va_end(ap);
}

/* see verify_internal.h */
void
verify__add(verify_text *t, const char *fmt, ...)
{
    va_list ap;
    int k;

    if (t->n + 3 >= sizeof(t->s))
        return;
    if (t->n > 0) {
        memcpy(t->s + t->n, "; ", 3);
        t->n += 2;
    }
    va_start(ap, fmt);
    k = vsnprintf(t->s + t->n, sizeof(t->s) - t->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        t->n += (size_t)k < sizeof(t->s) - t->n ? (size_t)k
                                                : sizeof(t->s) - t->n - 1;
}

static void
release(verify_ctx *c)
{
    size_t i;

    for (i = 0; i < K_NKEYS_READ; i++) {
        if (c->v[i].data != NULL)
            OPENSSL_cleanse(c->v[i].data, c->v[i].size);
        free(c->v[i].data);
    }
    OPENSSL_cleanse(c->salt, sizeof(c->salt));
    OPENSSL_cleanse(c->verifier, sizeof(c->verifier));
}

/* see matterfab/verify.h */
int
mfab_verify_device(mfab_verify_report *out, const mfab_verify_input *in,
                   mfab_diag *diag)
{
    verify_ctx *c;
    size_t i;
    int rc;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < MFAB_VERIFY_NCHECKS; i++) {
        out->checks[i].name = check_names[i];
        out->checks[i].status = UNSET;
    }
    if (in->partition == NULL || in->partition_len == 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "verify: no partition image given");
    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "verify: out of memory");
    c->in = in;
    c->out = out;
    /* the secure cert first: it decides which NVS keys are required */
    rc = verify__nvs(c, diag);
    if (rc == 0) {
        verify__secure_cert(c);
        verify__factory_keys(c);
        rc = verify__attest(c, diag);
    }
    if (rc == 0)
        rc = verify__codes(c, diag);
    release(c);
    free(c);
    if (rc < 0)
        return rc;
    for (i = 0; i < MFAB_VERIFY_NCHECKS; i++) {
        if (out->checks[i].status == UNSET) {
            out->checks[i].status = MFAB_VERIFY_SKIP;
            snprintf(out->checks[i].detail, sizeof(out->checks[i].detail),
                     "not applicable");
        }
        if (out->checks[i].status == MFAB_VERIFY_FAIL)
            out->failed++;
    }
    out->ok = out->failed == 0;
    return 0;
}
