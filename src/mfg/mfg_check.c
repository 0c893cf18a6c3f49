/*
 * mfg_check.c: the option rules of esp-matter-mfg-tool, in its order
 * (shared/spec/matter-commissioning.md 6.3), with the reference's faults
 * fixed (section 8: B1 passcode range, B2 discriminator 0, B4 salt length
 * and strict base64, B5 fixed-label endpoints, B7 empty strings, B8
 * secure-cert data placed nowhere, B10 rd-id-uid hex, B11 VID/PID
 * warnings). The first failure is reported,
 * with the reference's message where it has one.
 */
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/onboarding.h"
#include "mfg/mfg_internal.h"

/* Python counts characters, not bytes: count UTF-8 lead bytes. */
static size_t
chars(const char *s)
{
    size_t n = 0;

    for (; *s != '\0'; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* Empty strings are refused too (the reference lets them through, B7). */
static int
check_len(const char *s, size_t lo, size_t hi, const char *what,
          mfab_diag *diag)
{
    size_t n;

    if (s == NULL)
        return 0;
    n = chars(s);
    if (n < lo || n > hi)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s must be between %zu and %zu characters "
                             "(got %zu)",
                             what, lo, hi, n);
    return 0;
}

static int
check_u16(int has, int64_t v, const char *what, mfab_diag *diag)
{
    if (has && (v < 0 || v > 0xFFFF))
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "%s is out of range, should be in range [0, "
                             "65535] (got %lld)",
                             what, (long long)v);
    return 0;
}

static int
is_hex(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strchr("0123456789abcdefABCDEF", s[i]) == NULL || s[i] == '\0')
            return 0;
    return 1;
}

/* YYYYMMDD then up to 8 vendor characters (spec 5.3). */
static int
check_mfg_date(const char *s, mfab_diag *diag)
{
    int i, y, m, d;
    int rc = check_len(s, 8, 16, "Manufacturing date", diag);

    if (rc < 0 || s == NULL)
        return rc;
    for (i = 0; i < 8; i++)
        if (s[i] < '0' || s[i] > '9')
            return mfab_diag_set(
                diag, MFAB_EINVAL,
                "--mfg-date '%s': First 8 bytes should be in ISO 8601 "
                "format YYYYMMDD (e.g., 20250416), last 8 can be anything "
                "specific to the manufacturer",
                s);
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
        (s[3] - '0');
    m = (s[4] - '0') * 10 + (s[5] - '0');
    d = (s[6] - '0') * 10 + (s[7] - '0');
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > 31)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--mfg-date '%s': not a date (year 1000..9999, "
                             "month 01..12, day 01..31, as the device reads "
                             "it)",
                             s);
    return 0;
}

/* ep/label/value: ep a decimal endpoint number (the reference checks
 * hex digits but reads decimal, B5), label and value 1..15 characters. */
static int
check_fixed_label(const char *arg, mfab_diag *diag)
{
    const char *a = strchr(arg, '/'), *b = a ? strchr(a + 1, '/') : NULL;
    size_t ep = a ? (size_t)(a - arg) : 0;
    char part[64];

    size_t i;

    if (a == NULL || b == NULL || strchr(b + 1, '/') != NULL || ep < 1 ||
        ep > 4)
        goto bad;
    for (i = 0; i < ep; i++)
        if (arg[i] < '0' || arg[i] > '9')
            goto bad;
    snprintf(part, sizeof(part), "%.*s", (int)(b - a - 1), a + 1);
    if (chars(part) < 1 || chars(part) > 15 || chars(b + 1) < 1 ||
        chars(b + 1) > 15)
        goto bad;
    return 0;
bad:
    return mfab_diag_set(
        diag, MFAB_EINVAL,
        "Invalid fixed label: %s (format <endpoint, 1..4 "
        "decimal digits>/<label, 1..15 characters>/<value, 1..15 "
        "characters>)",
        arg);
}

static int
check_commissioning(const mfab_mfg_options *o, mfab_diag *diag)
{
    uint8_t salt[128], ver[256];
    size_t salt_len = 0, ver_len = 0, bad = 0;
    int rc;

    if (o->iterations < MFAB_SPAKE2P_ITER_MIN ||
        o->iterations > MFAB_SPAKE2P_ITER_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "--iteration-count must be between 1000 and "
                             "100000 (got %lld)",
                             (long long)o->iterations);
    if ((o->salt != NULL) != (o->verifier != NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--salt and --verifier must be provided "
                             "together");
    if (o->salt == NULL)
        return 0;
    if (!o->has_passcode)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--passcode is required when --salt and "
                             "--verifier are provided");
    if (o->dynamic_passcode)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--salt and --verifier cannot be used with "
                             "--enable-dynamic-passcode");
    if (mfab_base64_decode(salt, sizeof(salt), &salt_len, o->salt,
                           strlen(o->salt), &bad) < 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Failed to decode salt from base64: '%s' is not "
                             "canonical base64 (offset %zu)",
                             o->salt, bad);
    rc = mfab_spake2p_check_salt_len(salt_len, diag);
    if (rc < 0)
        return rc;
    if (mfab_base64_decode(ver, sizeof(ver), &ver_len, o->verifier,
                           strlen(o->verifier), &bad) < 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Failed to decode verifier from base64: not "
                             "canonical base64 (offset %zu)",
                             bad);
    if (ver_len != MFAB_SPAKE2P_VERIFIER_LEN)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Verifier validation failed: the verifier is "
                             "%zu bytes (must be %d)",
                             ver_len, MFAB_SPAKE2P_VERIFIER_LEN);
    if (mfab_spake2p_verifier_check(ver, ver_len, (uint32_t)o->passcode, salt,
                                    salt_len, (uint32_t)o->iterations,
                                    NULL) < 0)
        return mfab_diag_set(diag, MFAB_ECRYPTO,
                             "Verifier validation failed: the provided "
                             "verifier does not match the computed verifier "
                             "from passcode and salt (passcode %lld, %lld "
                             "iterations)",
                             (long long)o->passcode, (long long)o->iterations);
    return 0;
}

static int
check_attestation(const mfab_mfg_options *o, mfab_diag *diag)
{
    int ext = o->dac_cert != NULL || o->dac_key != NULL;

    if (o->paa && o->pai)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--paa and --pai are mutually exclusive");
    if ((o->dac_cert != NULL) != (o->dac_key != NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "dac_key and dac_cert should be both present or "
                             "none");
    if (ext && (!o->pai || o->cert == NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Please provide PAI certificate along with DAC "
                             "certificate and DAC key (--pai -c PAI)");
    if ((o->paa || o->pai) && !ext && (o->key == NULL || o->cert == NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "CA key and certificate are required to "
                             "generate DAC key and certificate (-k and -c)");
    if (!o->paa && !o->pai && (o->key != NULL || o->cert != NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "-k/-c given without --paa or --pai (say which "
                             "certificate -c is)");
    if (o->cd_cert != NULL && o->cert_dclrn == NULL)
        return mfab_diag_set(diag, MFAB_EINVAL, "--cd-cert needs a CD (-cd)");
    return 0;
}

static int
check_device_info(const mfab_mfg_options *o, mfab_diag *diag)
{
    size_t i;
    int rc = 0;

    if (!o->has_vid || !o->has_pid)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "missing option '%s' (required)",
                             o->has_vid ? "-p/--product-id" : "-v/--vendor-id");
    if (rc == 0)
        rc = check_u16(1, o->pid, "Product id", diag);
    if (rc == 0)
        rc = check_u16(1, o->vid, "Vendor id", diag);
    if (rc == 0)
        rc = check_u16(o->has_hw_ver, o->hw_ver, "Hardware version", diag);
    if (rc == 0)
        rc = check_len(o->serial_num, 1, 16, "Serial number", diag);
    if (rc == 0)
        rc = check_len(o->vendor_name, 1, 32, "Vendor name", diag);
    if (rc == 0)
        rc = check_len(o->product_name, 1, 32, "Product name", diag);
    if (rc == 0)
        rc = check_len(o->hw_ver_str, 1, 64, "Hardware version string", diag);
    if (rc == 0)
        rc = check_mfg_date(o->mfg_date, diag);
    if (rc == 0 && o->rd_id_uid != NULL &&
        (strlen(o->rd_id_uid) != 32 || !is_hex(o->rd_id_uid, 32)))
        rc = mfab_diag_set(diag, MFAB_EINVAL,
                           "Rotating device Unique id must be 32 hex digits "
                           "(got '%s')",
                           o->rd_id_uid);
    if (rc == 0)
        rc = check_len(o->part_number, 1, 32, "Part number", diag);
    for (i = 0; rc == 0 && i < o->n_fixed_labels; i++)
        rc = check_fixed_label(o->fixed_labels[i], diag);
    for (i = 0; rc == 0 && i < o->n_locales; i++)
        rc = check_len(o->locales[i], 1, 35, "A locale", diag);
    return rc;
}

static int
check_secure_cert(const mfab_mfg_options *o, mfab_diag *diag)
{
    if (o->ds_peripheral && strcmp(o->target, "esp32h2") != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "DS peripheral is only supported for esp32h2 "
                             "target");
    if (o->ds_peripheral && o->efuse_key_id == -1)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--efuse-key-id <value> is required when -ds or "
                             "--ds-peripheral option is used");
    if (o->efuse_key_id < -1 || o->efuse_key_id > 5)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "--efuse-key-id %lld is not in the range -1..5",
                             (long long)o->efuse_key_id);
    if (o->port != NULL && o->count != 1)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Port not specified or number of partitions "
                             "count is greater than 1");
    return 0;
}

/* esp-secure-cert-tool's --target_chip names. */
static int
check_target(const char *target, mfab_diag *diag)
{
    static const char *const chips[] = {
        "esp32",   "esp32s2", "esp32s3",  "esp32c2", "esp32c3",
        "esp32c5", "esp32c6", "esp32c61", "esp32h2", "esp32p4"};
    size_t i;

    for (i = 0; i < MFAB_ARRAY_SIZE(chips); i++)
        if (strcmp(target, chips[i]) == 0)
            return 0;
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "option '--target': invalid choice '%s' (allowed "
                         "esp32, esp32s2, esp32s3, esp32c2, esp32c3, "
                         "esp32c5, esp32c6, esp32c61, esp32h2, esp32p4)",
                         target);
}

/* Spec 6.3 message 12, then what the reference lets through: options that
 * need a chip on a serial port, and B8 (data moved out of NVS onto no
 * partition at all). */
static int
check_secure_cert_place(const mfab_mfg_options *o, mfab_diag *diag)
{
    int any = o->dac_in_secure_cert || o->commissionable_in_secure_cert ||
              o->rd_id_uid_in_secure_cert;

    if ((o->commissionable_in_secure_cert || o->rd_id_uid_in_secure_cert) &&
        !(o->dac_in_secure_cert && o->commissionable_in_secure_cert &&
          o->rd_id_uid_in_secure_cert))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "If --commissionable-data-in-secure-cert or "
                             "--rd-id-uid-in-secure-cert is provided, then "
                             "--dac-in-secure-cert, "
                             "--commissionable-data-in-secure-cert, and "
                             "--rd-id-uid-in-secure-cert are mandatory");
    if (o->ds_peripheral || o->efuse_key_id != -1 || o->port != NULL)
        return mfab_diag_set(diag, MFAB_EUNSUPPORTED,
                             "option '%s': the DS peripheral needs a chip "
                             "connected on a serial port (its eFuse key "
                             "block is burned with espefuse.py); matterfab "
                             "works offline: use the plaintext PRIV_KEY "
                             "(drop -ds/--efuse-key-id/--port)",
                             o->ds_peripheral        ? "-ds/--ds-peripheral"
                             : o->efuse_key_id != -1 ? "--efuse-key-id"
                                                     : "--port");
    if (any && o->no_secure_cert_bin)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--no-secure-cert-bin with %s: the data would "
                             "be left out of the NVS image and written "
                             "nowhere (the reference loses it); drop "
                             "--no-secure-cert-bin, or for modules whose "
                             "secure cert is already flashed use "
                             "--secure-cert-in",
                             o->commissionable_in_secure_cert
                                 ? "--commissionable-data-in-secure-cert"
                                 : "--dac-in-secure-cert");
    if (any && !o->paa && !o->pai)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--dac-in-secure-cert needs a DAC to place: "
                             "give --paa or --pai with -c/-k (without one "
                             "the reference drops the data from NVS and "
                             "writes no secure cert)");
    if (o->commissionable_in_secure_cert && o->dynamic_passcode)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--commissionable-data-in-secure-cert stores "
                             "the verifier: not with "
                             "--enable-dynamic-passcode");
    return 0;
}

/* --secure-cert-in brings its own DAC: nothing may make another. */
static int
check_secure_cert_in(const mfab_mfg_options *o, mfab_diag *diag)
{
    const char *other = o->paa                  ? "--paa"
                        : o->pai                ? "--pai"
                        : o->dac_cert != NULL   ? "--dac-cert"
                        : o->dac_in_secure_cert ? "--dac-in-secure-cert"
                        : o->commissionable_in_secure_cert
                            ? "--commissionable-"
                              "data-in-secure-cert"
                        : o->rd_id_uid_in_secure_cert ? "--rd-id-uid-in-"
                                                        "secure-cert"
                        : o->no_secure_cert_bin       ? "--no-secure-cert-bin"
                                                      : NULL;

    if (o->n_secure_cert_in == 0)
        return 0;
    if (other != NULL)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--secure-cert-in takes the DAC and its place "
                             "from the images: not with %s",
                             other);
    if (o->verify_paa == NULL)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--secure-cert-in needs the PAA the images' "
                             "DACs chain to: --verify-paa FILE|DIR");
    return 0;
}

static void
warn_vid_pid(const mfab_mfg_options *o, mfab_diag *diag)
{
    if (o->vid >= 0xFFF5)
        mfab_diag_warn(diag,
                       "vendor ID 0x%04llX is reserved: current "
                       "connectedhomeip refuses onboarding payloads with it "
                       "(allowed 0x0001..0xFFF4)",
                       (unsigned long long)o->vid);
    if (o->pid == 0 && o->vid != 0)
        mfab_diag_warn(diag, "product ID 0 is refused by current "
                             "connectedhomeip payload checks");
}

/* see mfg_internal.h */
int
mfab_mfg__check_options(const mfab_mfg_options *o, mfab_diag *diag)
{
    int rc;

    if ((o->csv != NULL) != (o->mcsv != NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "csv and mcsv should be both present or none");
    if (o->has_discriminator &&
        (o->discriminator < 0 || o->discriminator > MFAB_DISCRIMINATOR_MAX))
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "Discriminator is out of range, should be in "
                             "range [0, 4095] (got %lld)",
                             (long long)o->discriminator);
    if (o->has_passcode &&
        (o->passcode < 0 || o->passcode > (int64_t)UINT32_MAX ||
         mfab_passcode_check((uint32_t)o->passcode, NULL) < 0))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Invalid passcode %lld (allowed 1..99999998 "
                             "except 11111111 ... 99999999, 12345678, "
                             "87654321)",
                             (long long)o->passcode);
    rc = check_device_info(o, diag);
    if (rc < 0)
        return rc;
    rc = check_attestation(o, diag);
    if (rc == 0)
        rc = check_secure_cert(o, diag);
    if (rc == 0)
        rc = check_len(o->product_label, 1, 64, "Product Label", diag);
    if (rc == 0)
        rc = check_len(o->product_url, 1, 256, "Product URL", diag);
    if (rc == 0)
        rc = check_commissioning(o, diag);
    if (rc < 0)
        return rc;
    if (o->count != 1 && o->mcsv == NULL &&
        (o->has_discriminator || o->has_passcode || o->dac_cert != NULL ||
         o->serial_num != NULL || o->rd_id_uid != NULL || o->salt != NULL))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Number of partitions should be 1 when "
                             "discriminator or passcode or DAC or serial "
                             "number or rotating device id or salt or "
                             "verifier is present");
    rc = check_secure_cert_place(o, diag);
    if (rc == 0)
        rc = check_target(o->target, diag);
    if (rc == 0)
        rc = check_secure_cert_in(o, diag);
    if (rc < 0)
        return rc;
    if (o->flow < 0 || o->flow > 2)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "-cf %lld: invalid choice (allowed 0, 1, 2)",
                             (long long)o->flow);
    rc = mfab_onboarding_check_mfg_discovery_mode(
        o->discovery_mode < 0 || o->discovery_mode > 255
            ? 255u
            : (uint32_t)o->discovery_mode,
        diag);
    if (rc < 0)
        return rc;
    if (o->lifetime < 1 || o->lifetime > 36500 * 3)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "-lt %lld: lifetime out of range (allowed 1.."
                             "109500 days)",
                             (long long)o->lifetime);
    if ((o->seed != NULL) != (o->insecure_deterministic != 0))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "--seed and --insecure-deterministic go "
                             "together (deterministic output is for tests "
                             "only)");
    warn_vid_pid(o, diag);
    return 0;
}
