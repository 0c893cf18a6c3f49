/*
 * generate_cmd.h: what the generate CLI tests share: a command line over
 * the SDK test PAI (FFF2/8001) with generated DACs, and counting the
 * device folders of an output.
 */
#ifndef MFAB_TEST_GENERATE_CMD_H
#define MFAB_TEST_GENERATE_CMD_H

#include <stddef.h>

#include "mfab_test.h"

#define GEN_PKI "pki/sdk-test/"

typedef struct generate_cmd {
    const char *args[64]; /* NULL-terminated, for mfab_test_run */
    size_t n;
    char pai[4096], key[4096], cd[4096], cd_signer[4096];
    char count[24];
} generate_cmd;

/*
 * "generate -n COUNT -v 0xFFF2 -p 0x8001 --pai -c PAI -k KEY
 * --iteration-count 1000 --outdir OUTDIR --quiet"; add more with
 * generate_cmd_add().
 */
void generate_cmd_init(generate_cmd *c, int count, const char *outdir);

/* Append words (NULL-terminated list). */
void generate_cmd_add(generate_cmd *c, ...);

/* Device folders (UUID names) in product_dir; 0 when it does not exist. */
size_t generate_count_devices(const char *product_dir);

#endif
