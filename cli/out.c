/*
 * out.c: error and warning output of the matterfab tool.
 */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"
#include "matterfab/error.h"

/* see cli.h */
void
cli_error(const char *fmt, ...)
{
    va_list ap;

    fputs("matterfab: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* see cli.h */
int
cli_fail(const mfab_diag *diag, int code)
{
    const char *msg = mfab_diag_message(diag);

    cli_error("%s", msg[0] != '\0' ? msg : mfab_strerror(code));
    return CLI_EXIT_ERROR;
}

static void
print_warning(void *ctx, const char *message)
{
    (void)ctx;
    fprintf(stderr, "matterfab: warning: %s\n", message);
}

/* see cli.h */
void
cli_diag_init(mfab_diag *diag)
{
    mfab_diag_init(diag);
    diag->warn = print_warning;
    diag->warn_ctx = NULL;
}
