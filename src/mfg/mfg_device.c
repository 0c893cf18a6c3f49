/*
 * mfg_device.c: everything one device's files hold, made in memory in a
 * batch slot (spec 6.5 "per device", 6.6, 6.7): values, DAC, verifier,
 * onboarding codes and QR PNG, esp_secure_cert image, NVS image
 * (encrypted with -e) and CSVs. Devices are made in groups so that their
 * verifiers' PBKDF2 runs side by side (mfab_spake2p_verifier_many).
 * Pure apart from the CSPRNG: thread-safe, no file is touched here.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/nvs_crypt.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"
#include "mfg/mfg_internal.h"

static size_t
align8(size_t n)
{
    return (n + 7) & ~(size_t)7;
}

/* see mfg_internal.h */
size_t
mfab_mfg__slot_size(const mfab_mfg_plan *p)
{
    return align8(sizeof(mfg_device)) + align8(p->size) + align8(p->size + 8) +
           align8(p->csv_cap) + align8(p->user_text_max + 1);
}

/* see mfg_internal.h */
void
mfab_mfg__slot_bind(const mfab_mfg_plan *p, mfg_device *d)
{
    uint8_t *base = (uint8_t *)d + align8(sizeof(mfg_device));

    d->image = base;
    base += align8(p->size);
    d->scratch = base;
    base += align8(p->size + 8);
    d->csv = (char *)base;
    base += align8(p->csv_cap);
    d->user_text = (char *)base;
}

/* see mfg_internal.h */
int
mfab_mfg__codes(const mfab_mfg_plan *p, uint32_t passcode,
                uint16_t discriminator, char qr[128], char manual[32],
                char manual_fmt[40], mfab_diag *diag)
{
    mfab_onb_payload pl;
    size_t n = 0;
    int rc;

    mfab_onboarding_payload_init(&pl);
    pl.vendor_id = p->vid;
    pl.product_id = p->pid;
    pl.flow = (uint8_t)p->o.flow;
    pl.discovery = (uint8_t)p->o.discovery_mode;
    pl.discriminator = discriminator;
    pl.passcode = passcode;
    rc = mfab_onboarding_qr_encode(qr, 128, &n, &pl, diag);
    if (rc == 0)
        rc = mfab_onboarding_manual_encode(manual, 32, &n, &pl, diag);
    if (rc == 0)
        rc = mfab_onboarding_manual_format(manual_fmt, 40, &n, manual, diag);
    return rc;
}

static void
add_file(mfg_device *d, const char *fmt, const char *uuid, const void *data,
         size_t len, int secret)
{
    mfg_file *f = &d->files[d->n_files];

    snprintf(f->rel, sizeof(f->rel), fmt, uuid);
    f->data = data;
    f->len = len;
    f->secret = secret;
    mfab_sha256(data, len, d->sha[d->n_files]);
    d->n_files++;
}

static void
list_files(const mfab_mfg_plan *p, mfg_device *d)
{
    const char *u = d->uuid;

    d->n_files = 0;
    if (!p->o.no_bin)
        add_file(d, "%s-partition.bin", u, d->image, d->image_len, 0);
    if (!p->o.no_bin && p->o.encrypt)
        add_file(d, "%s-keys-partition.bin", u, d->keys_part,
                 sizeof(d->keys_part), 1);
    if (!p->o.dynamic_passcode) {
        add_file(d, "%s-onb_codes.csv", u, d->onb, d->onb_len, 0);
        add_file(d, "%s-qrcode.png", u, d->png, d->png_len, 0);
    }
    /* holds the DAC private key: 0600 */
    if (d->sc_len > 0)
        add_file(d, "%s_esp_secure_cert.bin", u, d->sc, d->sc_len, 1);
    add_file(d, "internal/partition.csv%s", "", d->csv, d->csv_len, 0);
    if (!p->has_dac)
        return;
    add_file(d, "internal/PAI_cert.der%s", "", p->pai_der, p->pai_der_len, 0);
    add_file(d, "internal/DAC_cert.der%s", "", d->dac_der, d->dac_der_len, 0);
    add_file(d, "internal/DAC_key.der%s", "", d->key_sec1, d->key_sec1_len, 1);
    add_file(d, "internal/DAC_private_key.bin%s", "", d->dac_priv,
             sizeof(d->dac_priv), 1);
    add_file(d, "internal/DAC_public_key.bin%s", "", d->dac_pub,
             sizeof(d->dac_pub), 0);
    if (p->gen_dac) {
        add_file(d, "internal/DAC_cert.pem%s", "", d->dac_pem, d->dac_pem_len,
                 0);
        add_file(d, "internal/DAC_key.pem%s", "", d->key_pkcs8_pem,
                 d->key_pkcs8_pem_len, 1);
    }
}

/* The verifier is computed here unless the device has none (dynamic
 * passcode) or --verifier gives it. */
static int
computes_verifier(const mfab_mfg_plan *p)
{
    return !p->o.dynamic_passcode && p->o.verifier == NULL;
}

/*
 * The verifiers of a group of devices in one call: their PBKDF2 runs side
 * by side (on AVX-512 CPUs twice the SHA-NI rate). At most
 * MFAB_MFG_GROUP_MAX devices.
 */
static int
verifiers(const mfab_mfg_plan *p, mfg_device *const *d, size_t n,
          mfab_diag *diag)
{
    mfab_spake2p_verifier_job jobs[MFAB_MFG_GROUP_MAX];
    size_t i;
    int rc;

    if (!computes_verifier(p))
        return 0;
    for (i = 0; i < n; i++) {
        jobs[i].passcode = d[i]->passcode;
        jobs[i].salt = d[i]->salt;
        jobs[i].salt_len = d[i]->salt_len;
        jobs[i].iterations = d[i]->iterations;
    }
    rc = mfab_spake2p_verifier_many(jobs, n, diag);
    for (i = 0; i < n && rc == 0; i++)
        memcpy(d[i]->verifier, jobs[i].verifier, sizeof(d[i]->verifier));
    OPENSSL_cleanse(jobs, sizeof(jobs));
    return rc;
}

/* Everything that follows from passcode, discriminator and verifier. */
static int
commissioning(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    size_t n = 0;
    int rc;

    d->verifier_b64[0] = '\0';
    if (p->o.dynamic_passcode)
        return 0;
    if (p->o.verifier != NULL) {
        snprintf(d->verifier_b64, sizeof(d->verifier_b64), "%s",
                 p->o.verifier); /* Q8: stored as typed */
        /* checked against passcode and salt by the plan; the secure
         * cert stores its bytes */
        mfab_base64_decode(d->verifier, sizeof(d->verifier), &n, p->o.verifier,
                           strlen(p->o.verifier), NULL);
    } else {
        mfab_base64_encode(d->verifier_b64, sizeof(d->verifier_b64), &n,
                           d->verifier, sizeof(d->verifier));
    }
    rc = mfab_mfg__codes(p, d->passcode, d->discriminator, d->qr, d->manual,
                         d->manual_fmt, diag);
    if (rc < 0)
        return rc;
    /* Q4: a 21-digit code spans two lines, quoted by hand */
    d->onb_len = (size_t)snprintf(
        d->onb, sizeof(d->onb),
        "qrcode,manualcode,discriminator,passcode\n%s,%s%s%s,%u,%u\n", d->qr,
        strlen(d->manual) > 11 ? "\"" : "", d->manual_fmt,
        strlen(d->manual) > 11 ? "\"" : "", d->discriminator, d->passcode);
    return mfab_onboarding_qr_image(d->png, sizeof(d->png), &d->png_len, d->qr,
                                    MFAB_QR_PNG, diag);
}

static int
encrypt(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    mfab_nvs_keys keys;
    int rc;

    if (!p->o.encrypt)
        return 0;
    if (p->seeded) {
        rc = mfab_mfg__random(p, d->index, "nvs-keys", (uint8_t *)&keys,
                              sizeof(keys), diag);
    } else {
        rc = mfab_nvs_keys_generate(&keys, diag);
    }
    if (rc == 0)
        rc = mfab_nvs_encrypt_image(d->image, p->size, &keys, diag);
    if (rc == 0)
        mfab_nvs_keys_encode(d->keys_part, &keys);
    mfab_nvs_keys_wipe(&keys);
    return rc;
}

/* A device's values and DAC: everything before its verifier. */
static int
begin_device(const mfab_mfg_plan *p, mfg_device *d, uint64_t index,
             mfab_diag *diag)
{
    static const char *const names[3] = {"DAC_cert.der", "DAC_private_key.bin",
                                         "DAC_public_key.bin"};
    size_t i;
    int rc;

    mfab_mfg__slot_bind(p, d);
    d->index = index;
    rc = mfab_mfg__device_values(p, d, diag);
    if (rc < 0)
        return rc;
    for (i = 0; i < 3; i++)
        if (mfab_mfg__path(d->dac_paths[i], sizeof(d->dac_paths[i]),
                           "%s/%s/internal/%s", p->product, d->uuid,
                           names[i]) < 0)
            return mfab_diag_set(diag, MFAB_EINVAL, "--outdir too long");
    return p->scin == NULL ? mfab_mfg__make_dac(p, d, diag) : 0;
}

/* Everything after the verifier: codes, images, the files' list. */
static int
finish_device(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    int rc = commissioning(p, d, diag);

    if (rc == 0)
        rc = mfab_mfg__secure_cert(p, d, diag);
    if (rc == 0)
        rc = mfab_mfg__build_nvs(p, d, diag);
    if (rc == 0)
        rc = encrypt(p, d, diag);
    if (rc == 0)
        rc = mfab_mfg__verify_device(p, d, diag);
    if (rc == 0)
        list_files(p, d);
    return rc;
}

/* see mfg_internal.h */
int
mfab_mfg__make_devices(const mfab_mfg_plan *p, mfg_device *const *d,
                       const uint64_t *index, size_t n, mfab_diag *diag)
{
    size_t i;
    int rc = 0;

    if (n > MFAB_MFG_GROUP_MAX)
        return mfab_diag_set(diag, MFAB_EINVAL, "a group of %zu devices "
                             "(at most %d)", n, MFAB_MFG_GROUP_MAX);
    for (i = 0; i < n && rc == 0; i++)
        rc = begin_device(p, d[i], index[i], diag);
    if (rc == 0)
        rc = verifiers(p, d, n, diag);
    for (i = 0; i < n && rc == 0; i++)
        rc = finish_device(p, d[i], diag);
    return rc;
}
