/*
 * verify_fixture.h: good and damaged devices for the verify tests, built
 * from real material: esp-matter-mfg-tool run A (its partition image,
 * DAC, key, PAI and onboarding codes), the SDK test PAA it chains to and
 * the SDK test CD signing certificate.
 */
#ifndef MFAB_VERIFY_FIXTURE_H
#define MFAB_VERIFY_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/verify.h"
#include "mfab_test.h"

#define FX_UUID "8e7d7030-8814-4104-a9df-99a4c56922e0"
#define FX_NVS_SIZE 0x6000u
#define FX_PASSCODE 20202021u
#define FX_ITERATIONS 20000u

/* One change to the run A key/value list. */
typedef struct fx_change {
    const char *key;
    int drop;            /* 1: leave the key out */
    const char *type;    /* "u32", "string" or "blob"; NULL keeps it */
    uint64_t u;          /* u32 */
    const uint8_t *data; /* string (len without NUL) or blob */
    size_t len;
} fx_change;

typedef struct fx_device {
    uint8_t nvs[FX_NVS_SIZE];
    uint8_t keys[4096];
    int has_keys;
    uint8_t sc[8192];
    size_t sc_len;
    char onb[512];
    /* trust material, read from the vectors */
    uint8_t *paa[2];
    size_t paa_len[2];
    uint8_t *cd_cert;
    size_t cd_cert_len;
    mfab_verify_input in;
} fx_device;

/* Run A as verify sees it: NVS rebuilt from run A's values with changes
 * applied, its onboarding CSV, the SDK test PAAs and CD signing cert. */
fx_device *fx_device_new(const fx_change *changes, size_t n);
void fx_device_free(fx_device *d);

/* Move the DAC, its key and the PAI (and with comm, the commissionable
 * data) from NVS to an esp_secure_cert image, as mfg_tool's
 * --dac-in-secure-cert (--commissionable-data-in-secure-cert) does. */
void fx_device_secure_cert(fx_device *d, int comm);

/* Encrypt the image with fresh keys, kept in d->keys. */
void fx_device_encrypt(fx_device *d);

/* Replace the onboarding CSV's device row. */
void fx_device_onb(fx_device *d, const char *row);

/* A file of the vectors, whole; free() it. */
uint8_t *fx_vector(const char *rel, size_t *len);

/* Run verify; fails the test on an error return. */
void fx_run(fx_device *d, mfab_verify_report *r);

/* Assert exactly the named checks failed (NULL-terminated list), and that
 * the first one's detail holds want (may be NULL). */
void fx_assert_failed(const mfab_verify_report *r, const char *want, ...);

/* The check of that name. */
const mfab_verify_check *fx_check(const mfab_verify_report *r,
                                  const char *name);

/* Write the device as a folder (<uuid>-partition.bin, -onb_codes.csv,
 * -keys-partition.bin, _esp_secure_cert.bin) in dir. */
void fx_device_write_dir(const fx_device *d, const char *dir);

#endif
