/* generate_cmd.c: see generate_cmd.h */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "generate_cmd.h"

/* see generate_cmd.h */
void
generate_cmd_add(generate_cmd *c, ...)
{
    const char *w;
    va_list ap;

    va_start(ap, c);
    while ((w = va_arg(ap, const char *)) != NULL) {
        assert_true(c->n + 1 < sizeof(c->args) / sizeof(c->args[0]));
        c->args[c->n++] = w;
    }
    va_end(ap);
    c->args[c->n] = NULL;
}

/* see generate_cmd.h */
void
generate_cmd_init(generate_cmd *c, int count, const char *outdir)
{
    memset(c, 0, sizeof(*c));
    mfab_test_vpath(c->pai, sizeof(c->pai),
                    GEN_PKI "Chip-Test-PAI-FFF2-8001-Cert.pem");
    mfab_test_vpath(c->key, sizeof(c->key),
                    GEN_PKI "Chip-Test-PAI-FFF2-8001-Key.pem");
    mfab_test_vpath(c->cd, sizeof(c->cd), GEN_PKI "Chip-Test-CD-FFF2-8001.der");
    mfab_test_vpath(c->cd_signer, sizeof(c->cd_signer),
                    GEN_PKI "Chip-Test-CD-Signing-Cert.pem");
    snprintf(c->count, sizeof(c->count), "%d", count);
    generate_cmd_add(c, "generate", "-n", c->count, "-v", "0xFFF2", "-p",
                     "0x8001", "--pai", "-c", c->pai, "-k", c->key,
                     "--iteration-count", "1000", "--outdir", outdir, "--quiet",
                     NULL);
}

/* see generate_cmd.h */
size_t
generate_count_devices(const char *product_dir)
{
    struct dirent *e;
    DIR *d = opendir(product_dir);
    size_t n = 0;

    if (d == NULL)
        return 0;
    while ((e = readdir(d)) != NULL)
        n += strlen(e->d_name) == 36 && e->d_name[8] == '-';
    closedir(d);
    return n;
}
