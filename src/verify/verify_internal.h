/*
 * verify_internal.h: what the checks of src/verify share: the device as
 * read so far (NVS values, secure-cert entries, onboarding codes) and the
 * report they fill.
 */
#ifndef MFAB_VERIFY_INTERNAL_H
#define MFAB_VERIFY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/spake2p.h"
#include "matterfab/verify.h"

/* How the ESP32 providers read a chip-factory key (spec 5.4). */
typedef enum verify_kind { VK_U32, VK_STRING, VK_BLOB } verify_kind;

/* Keys read by name; the table in verify_nvs.c has one row per entry. */
typedef enum verify_key {
    K_DISCRIMINATOR,
    K_ITERATIONS,
    K_SALT,
    K_VERIFIER,
    K_VENDOR_ID,
    K_PRODUCT_ID,
    K_DAC_CERT,
    K_DAC_KEY,
    K_DAC_PUB_KEY,
    K_PAI_CERT,
    K_CERT_DCLRN,
    K_NKEYS_READ
} verify_key;

typedef struct verify_value {
    int found;
    int type_ok;   /* stored with the type the provider reads */
    uint64_t u;    /* VK_U32 */
    uint8_t *data; /* VK_STRING (NUL-ended) / VK_BLOB, owned */
    size_t size;   /* string: without its NUL */
} verify_value;

typedef struct verify_ctx {
    const mfab_verify_input *in;
    mfab_verify_report *out;

    int nvs_readable;    /* keys usable and the walk ran */
    int nvs_has_factory; /* a chip-factory namespace was found */
    verify_value v[K_NKEYS_READ];

    /* what the device uses, from NVS or the secure-cert image */
    int sc_has_dac;  /* DEV_CERT in the secure cert */
    int sc_has_comm; /* MATTER_TLV_1 commissionable data */
    const uint8_t *dac, *pai, *cd;
    size_t dac_len, pai_len, cd_len;
    const char *dac_from; /* "NVS" or "secure-cert" */
    /* secure cert: SEC1 key (PRIV_KEY); NVS: raw scalar + point */
    const uint8_t *key_der;
    size_t key_der_len;
    int key_in_efuse;

    int has_disc, has_iter, has_salt, has_verifier;
    uint16_t disc;
    uint32_t iter;
    uint8_t salt[MFAB_SPAKE2P_SALT_MAX];
    size_t salt_len;
    uint8_t verifier[MFAB_SPAKE2P_VERIFIER_LEN];
    const char *comm_from;

    int has_vid, has_pid; /* device info: vendor-id, product-id */
    uint16_t vid, pid;
} verify_ctx;

/* A "; "-separated list of findings for a check's detail. */
typedef struct verify_text {
    char s[MFAB_VERIFY_DETAIL_MAX];
    size_t n;
} verify_text;

void verify__add(verify_text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Record the outcome of a check (the first call for a check wins). */
void verify__set(verify_ctx *c, mfab_verify_check_id id,
                 mfab_verify_status status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* keys, nvs: read the image (verify_nvs.c). */
int verify__nvs(verify_ctx *c, mfab_diag *diag);
/* factory-keys: after the secure cert, which may hold some keys. */
void verify__factory_keys(verify_ctx *c);
/* secure-cert (verify_securecert.c). */
void verify__secure_cert(verify_ctx *c);
/* dac-key, chain, vid-pid (verify_attest.c). */
int verify__attest(verify_ctx *c, mfab_diag *diag);
/* verifier, onboarding (verify_codes.c). */
int verify__codes(verify_ctx *c, mfab_diag *diag);

#endif
