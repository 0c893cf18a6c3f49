/*
 * diag.c: first-error-wins diagnostics (see matterfab/diag.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "matterfab/diag.h"
#include "matterfab/error.h"

/* see matterfab/diag.h */
void
mfab_diag_init(mfab_diag *diag)
{
    if (diag == NULL)
        return;
    diag->code = 0;
    diag->message[0] = '\0';
    diag->warnings = 0;
}

static int
diag_vset(mfab_diag *diag, int code, const char *prefix, const char *fmt,
          va_list ap)
{
    size_t n;

    if (diag == NULL || diag->code != 0)
        return code;
    diag->code = code;
    n = 0;
    if (prefix != NULL) {
        int w = snprintf(diag->message, sizeof(diag->message), "%s", prefix);
        n = w < 0 ? 0 : (size_t)w;
        if (n >= sizeof(diag->message))
            n = sizeof(diag->message) - 1;
    }
    vsnprintf(diag->message + n, sizeof(diag->message) - n, fmt, ap);
    return code;
}

/* see matterfab/diag.h */
int
mfab_diag_set(mfab_diag *diag, int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    diag_vset(diag, code, NULL, fmt, ap);
    va_end(ap);
    return code;
}

/* see matterfab/diag.h */
int
mfab_diag_set_at(mfab_diag *diag, int code, const char *file,
                 unsigned long line, const char *fmt, ...)
{
    char prefix[512];
    va_list ap;

    if (line > 0)
        snprintf(prefix, sizeof(prefix), "%s:%lu: ", file, line);
    else
        snprintf(prefix, sizeof(prefix), "%s: ", file);
    va_start(ap, fmt);
    diag_vset(diag, code, prefix, fmt, ap);
    va_end(ap);
    return code;
}

/* see matterfab/diag.h */
int
mfab_diag_set_ossl(mfab_diag *diag, int code, const char *fmt, ...)
{
    char reason[256] = "no details";
    unsigned long e;
    va_list ap;
    size_t n;

    e = ERR_peek_error();
    if (e != 0)
        ERR_error_string_n(e, reason, sizeof(reason));
    ERR_clear_error();
    if (diag == NULL || diag->code != 0)
        return code;
    va_start(ap, fmt);
    diag_vset(diag, code, NULL, fmt, ap);
    va_end(ap);
    n = strlen(diag->message);
    snprintf(diag->message + n, sizeof(diag->message) - n, ": OpenSSL: %s",
             reason);
    return code;
}

/* see matterfab/diag.h */
void
mfab_diag_warn(mfab_diag *diag, const char *fmt, ...)
{
    char text[MFAB_DIAG_MSG_MAX];
    va_list ap;

    if (diag == NULL)
        return;
    diag->warnings++;
    if (diag->warn == NULL)
        return;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    diag->warn(diag->warn_ctx, text);
}

/* see matterfab/diag.h */
const char *
mfab_diag_message(const mfab_diag *diag)
{
    if (diag == NULL)
        return "";
    return diag->message;
}
