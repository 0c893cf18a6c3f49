/* verify_fixture.c: see verify_fixture.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/base64.h"
#include "matterfab/io.h"
#include "matterfab/nvs.h"
#include "matterfab/nvs_crypt.h"
#include "matterfab/nvs_read.h"
#include "matterfab/securecert.h"
#include "verify_fixture.h"

#define RUN_A "commissioning/mfg_tool_runs/runA/"
#define MAX_ITEMS 64

typedef struct fx_item {
    char key[16];
    char type[16];
    uint64_t u;
    uint8_t *data;
    size_t len; /* strings: without the NUL */
} fx_item;

typedef struct fx_items {
    fx_item it[MAX_ITEMS];
    size_t n;
} fx_items;

uint8_t *
fx_vector(const char *rel, size_t *len)
{
    char path[4096];

    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

static int
collect(void *ctx, const mfab_nvs_item *item)
{
    fx_items *s = ctx;
    fx_item *it;

    if (item->is_namespace)
        return 0;
    assert_true(s->n < MAX_ITEMS);
    it = &s->it[s->n++];
    snprintf(it->key, sizeof(it->key), "%s", item->key);
    snprintf(it->type, sizeof(it->type), "%s",
             strncmp(item->type_name, "blob", 4) == 0 ? "blob"
                                                      : item->type_name);
    it->u = item->u;
    if (item->data != NULL) {
        it->len = item->size;
        if (strcmp(it->type, "string") == 0)
            it->len--;
        it->data = malloc(item->size + 1);
        assert_non_null(it->data);
        memcpy(it->data, item->data, item->size);
    }
    return 0;
}

static void
write_item(mfab_nvs_writer *w, const char *key, const char *type, uint64_t u,
           const uint8_t *data, size_t len)
{
    mfab_diag diag = MFAB_DIAG_INIT;
    int rc;

    if (strcmp(type, "u32") == 0)
        rc = mfab_nvs_writer_add_uint(w, key, MFAB_NVS_U32, u, &diag);
    else if (strcmp(type, "string") == 0)
        rc = mfab_nvs_writer_add_string(w, key, (const char *)data, len, &diag);
    else if (strcmp(type, "u8") == 0)
        rc = mfab_nvs_writer_add_uint(w, key, MFAB_NVS_U8, u, &diag);
    else
        rc = mfab_nvs_writer_add_blob(w, key, data, len, &diag);
    if (rc != 0)
        fail_msg("writing %s: %s", key, mfab_diag_message(&diag));
}

/* Run A's chip-factory values, in flash order, with changes applied. */
static void
build_nvs(uint8_t *out, const fx_change *ch, size_t nch)
{
    static uint8_t value[8192];
    mfab_nvs_read_options o = MFAB_NVS_READ_OPTIONS_INIT;
    fx_items *s = calloc(1, sizeof(*s));
    mfab_nvs_writer *w = calloc(1, sizeof(*w));
    uint8_t *img;
    size_t len, i, k, out_len;

    assert_non_null(s);
    assert_non_null(w);
    img = fx_vector(RUN_A "partition.bin", &len);
    o.value_buf = value;
    o.value_cap = sizeof(value);
    o.on_item = collect;
    o.ctx = s;
    assert_int_equal(mfab_nvs_read(NULL, img, len, &o, NULL), 0);
    assert_int_equal(
        mfab_nvs_writer_init(w, out, FX_NVS_SIZE, FX_NVS_SIZE, 2, NULL), 0);
    assert_int_equal(mfab_nvs_writer_namespace(w, "chip-factory", NULL), 0);
    for (i = 0; i < s->n; i++) {
        fx_item *it = &s->it[i];
        const fx_change *c = NULL;

        for (k = 0; k < nch; k++)
            if (strcmp(ch[k].key, it->key) == 0)
                c = &ch[k];
        if (c == NULL)
            write_item(w, it->key, it->type, it->u, it->data, it->len);
        else if (!c->drop)
            write_item(w, it->key, c->type ? c->type : it->type, c->u, c->data,
                       c->len);
        free(it->data);
    }
    mfab_nvs_writer_finish(w, &out_len);
    assert_int_equal(out_len, FX_NVS_SIZE);
    free(img);
    free(s);
    free(w);
}

fx_device *
fx_device_new(const fx_change *changes, size_t n)
{
    fx_device *d = calloc(1, sizeof(*d));
    size_t len;
    char *onb;

    assert_non_null(d);
    build_nvs(d->nvs, changes, n);
    onb = (char *)fx_vector(RUN_A "onb_codes.csv", &len);
    assert_true(len < sizeof(d->onb));
    memcpy(d->onb, onb, len);
    free(onb);
    d->paa[0] =
        fx_vector("pki/sdk-test/Chip-Test-PAA-FFF1-Cert.der", &d->paa_len[0]);
    d->paa[1] =
        fx_vector("pki/sdk-test/Chip-Test-PAA-NoVID-Cert.der", &d->paa_len[1]);
    d->cd_cert = fx_vector("pki/sdk-test/Chip-Test-CD-Signing-Cert.der",
                           &d->cd_cert_len);
    d->in.partition = d->nvs;
    d->in.partition_len = sizeof(d->nvs);
    d->in.onb_csv = d->onb;
    d->in.onb_csv_len = strlen(d->onb);
    d->in.onb_name = FX_UUID "-onb_codes.csv";
    d->in.paa = (const uint8_t *const *)d->paa;
    d->in.paa_len = d->paa_len;
    d->in.npaa = 2;
    d->in.cd_certs = (const uint8_t *const *)&d->cd_cert;
    d->in.cd_cert_len = &d->cd_cert_len;
    d->in.ncd_certs = 1;
    d->in.now = 1800000000; /* 2027-01-15 */
    return d;
}

void
fx_device_free(fx_device *d)
{
    free(d->paa[0]);
    free(d->paa[1]);
    free(d->cd_cert);
    free(d);
}

static mfab_securecert_entry
entry(uint8_t type, uint8_t subtype, const void *data, size_t len)
{
    mfab_securecert_entry e;

    memset(&e, 0, sizeof(e));
    e.type = type;
    e.subtype = subtype;
    e.data = data;
    e.len = (uint16_t)len;
    return e;
}

/* run A's commissionable data: partition.normalized.csv */
static const char run_a_salt[] = "V2QKkHqfnRuSmj1m/1ZcYNwoAfhl5sihnkdYmHQahuM=";
static const char run_a_verifier[] =
    "UiGpbqdFJsfa/Q06gfG2gALX3kHZ0vh74obA66HXxoMEYG3ymghhkZccIRNBCyM8dJXM9H"
    "qPDF29uybbgC+PSM9qAkdHkB7cYaAkiUe1bCgEj9y9LDtqDq6fYsg12BFq2A==";

void
fx_device_secure_cert(fx_device *d, int comm)
{
    static const fx_change dac_out[] = {
        {"dac-cert", 1, NULL, 0, NULL, 0},
        {"dac-key", 1, NULL, 0, NULL, 0},
        {"dac-pub-key", 1, NULL, 0, NULL, 0},
        {"pai-cert", 1, NULL, 0, NULL, 0},
        {"discriminator", 1, NULL, 0, NULL, 0},
        {"iteration-count", 1, NULL, 0, NULL, 0},
        {"salt", 1, NULL, 0, NULL, 0},
        {"verifier", 1, NULL, 0, NULL, 0},
    };
    static const uint8_t disc[2] = {3840 & 0xFF, 3840 >> 8};
    static const uint8_t iter[4] = {FX_ITERATIONS & 0xFF,
                                    (FX_ITERATIONS >> 8) & 0xFF, 0, 0};
    mfab_securecert_entry e[7];
    uint8_t salt[32], verifier[97];
    size_t dac_len, pai_len, key_len, salt_len, ver_len;
    uint8_t *dac = fx_vector(RUN_A "DAC_cert.der", &dac_len);
    uint8_t *pai = fx_vector(RUN_A "PAI_cert.der", &pai_len);
    uint8_t *key = fx_vector(RUN_A "DAC_key.der", &key_len);

    assert_int_equal(mfab_base64_decode(salt, sizeof(salt), &salt_len,
                                        run_a_salt, strlen(run_a_salt), NULL),
                     0);
    assert_int_equal(mfab_base64_decode(verifier, sizeof(verifier), &ver_len,
                                        run_a_verifier, strlen(run_a_verifier),
                                        NULL),
                     0);
    e[0] = entry(MFAB_SECURECERT_DEV_CERT, 0, dac, dac_len);
    e[1] = entry(MFAB_SECURECERT_CA_CERT, 0, pai, pai_len);
    e[2] = entry(MFAB_SECURECERT_PRIV_KEY, 0, key, key_len);
    e[3] = entry(MFAB_SECURECERT_MATTER_TLV_1, 0, disc, sizeof(disc));
    e[4] = entry(MFAB_SECURECERT_MATTER_TLV_1, 1, verifier, ver_len);
    e[5] = entry(MFAB_SECURECERT_MATTER_TLV_1, 2, salt, salt_len);
    e[6] = entry(MFAB_SECURECERT_MATTER_TLV_1, 3, iter, sizeof(iter));
    assert_int_equal(mfab_securecert_write(d->sc, sizeof(d->sc), &d->sc_len, e,
                                           comm ? 7 : 3,
                                           MFAB_SECURECERT_LAYOUT_PADDED, NULL),
                     0);
    build_nvs(d->nvs, dac_out, comm ? 8 : 4);
    d->in.secure_cert = d->sc;
    d->in.secure_cert_len = d->sc_len;
    free(dac);
    free(pai);
    free(key);
}

void
fx_device_encrypt(fx_device *d)
{
    mfab_nvs_keys keys;

    assert_int_equal(mfab_nvs_keys_generate(&keys, NULL), 0);
    assert_int_equal(
        mfab_nvs_encrypt_image(d->nvs, sizeof(d->nvs), &keys, NULL), 0);
    mfab_nvs_keys_encode(d->keys, &keys);
    mfab_nvs_keys_wipe(&keys);
    d->has_keys = 1;
    d->in.keys = d->keys;
    d->in.keys_len = sizeof(d->keys);
}

void
fx_device_onb(fx_device *d, const char *row)
{
    snprintf(d->onb, sizeof(d->onb),
             "qrcode,manualcode,discriminator,passcode\n%s\n", row);
    d->in.onb_csv_len = strlen(d->onb);
}

void
fx_run(fx_device *d, mfab_verify_report *r)
{
    mfab_diag diag = MFAB_DIAG_INIT;

    if (mfab_verify_device(r, &d->in, &diag) != 0)
        fail_msg("mfab_verify_device: %s", mfab_diag_message(&diag));
}

const mfab_verify_check *
fx_check(const mfab_verify_report *r, const char *name)
{
    size_t i;

    for (i = 0; i < MFAB_VERIFY_NCHECKS; i++)
        if (strcmp(r->checks[i].name, name) == 0)
            return &r->checks[i];
    fail_msg("no check '%s'", name);
    return NULL;
}

void
fx_assert_failed(const mfab_verify_report *r, const char *want, ...)
{
    const char *first = NULL, *name;
    unsigned expected = 0;
    va_list ap;
    size_t i;

    va_start(ap, want);
    while ((name = va_arg(ap, const char *)) != NULL) {
        const mfab_verify_check *c = fx_check(r, name);

        if (c->status != MFAB_VERIFY_FAIL)
            fail_msg("check '%s' did not fail: %s %s", name,
                     mfab_verify_status_name(c->status), c->detail);
        if (first == NULL)
            first = name;
        expected++;
    }
    va_end(ap);
    if (r->failed != expected) {
        for (i = 0; i < MFAB_VERIFY_NCHECKS; i++)
            print_message("%s %s: %s\n",
                          mfab_verify_status_name(r->checks[i].status),
                          r->checks[i].name, r->checks[i].detail);
        fail_msg("%u checks failed, expected %u", r->failed, expected);
    }
    assert_int_equal(r->ok, expected == 0);
    if (want != NULL && first != NULL &&
        strstr(fx_check(r, first)->detail, want) == NULL)
        fail_msg("'%s' detail '%s' lacks '%s'", first,
                 fx_check(r, first)->detail, want);
}

static void
put(const char *dir, const char *suffix, const void *data, size_t len)
{
    char path[4200];

    snprintf(path, sizeof(path), "%s/%s%s", dir, FX_UUID, suffix);
    assert_int_equal(mfab_file_write_atomic(path, data, len, 0600, NULL), 0);
}

void
fx_device_write_dir(const fx_device *d, const char *dir)
{
    put(dir, "-partition.bin", d->nvs, sizeof(d->nvs));
    put(dir, "-onb_codes.csv", d->onb, strlen(d->onb));
    if (d->has_keys)
        put(dir, "-keys-partition.bin", d->keys, sizeof(d->keys));
    if (d->sc_len > 0)
        put(dir, "_esp_secure_cert.bin", d->sc, d->sc_len);
}
