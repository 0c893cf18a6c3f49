/*
 * verify_nvs.c: the "keys", "nvs" and "factory-keys" checks: decrypt and
 * walk the factory NVS image as the device does, collect the chip-factory
 * keys the ESP32 providers read (spec matter-commissioning.md 5.4) and
 * check that each is there with the type and value its reader accepts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/error.h"
#include "matterfab/nvs_crypt.h"
#include "matterfab/nvs_read.h"
#include "matterfab/onboarding.h"
#include "matterfab/spake2p.h"
#include "verify/verify_internal.h"

#define FACTORY_NS "chip-factory"

/* Every chip-factory key mfg_tool writes with a fixed type (spec 5.2);
 * slot >= 0 keeps the value for the other checks. The first rows are in
 * verify_key order, so known[k].key names key k. */
static const struct {
    const char *key;
    verify_kind kind;
    int slot;
} known[] = {
    {"discriminator", VK_U32, K_DISCRIMINATOR},
    {"iteration-count", VK_U32, K_ITERATIONS},
    {"salt", VK_STRING, K_SALT},
    {"verifier", VK_STRING, K_VERIFIER},
    {"vendor-id", VK_U32, K_VENDOR_ID},
    {"product-id", VK_U32, K_PRODUCT_ID},
    {"dac-cert", VK_BLOB, K_DAC_CERT},
    {"dac-key", VK_BLOB, K_DAC_KEY},
    {"dac-pub-key", VK_BLOB, K_DAC_PUB_KEY},
    {"pai-cert", VK_BLOB, K_PAI_CERT},
    {"cert-dclrn", VK_BLOB, K_CERT_DCLRN},
    {"vendor-name", VK_STRING, -1},
    {"product-name", VK_STRING, -1},
    {"hardware-ver", VK_U32, -1},
    {"hw-ver-str", VK_STRING, -1},
    {"mfg-date", VK_STRING, -1},
    {"rd-id-uid", VK_BLOB, -1},
    {"product-finish", VK_U32, -1},
    {"product-color", VK_U32, -1},
    {"part-number", VK_STRING, -1},
    {"serial-num", VK_STRING, -1},
    {"product-label", VK_STRING, -1},
    {"product-url", VK_STRING, -1},
    {"cal-types", VK_U32, -1},
    {"locale-sz", VK_U32, -1},
};

static const char *const kind_names[] = {"u32", "string", "blob"};

typedef struct walk {
    verify_ctx *c;
    size_t problems;
    char first_problem[256];
    verify_text wrong_type;
} walk;

static int
type_matches(verify_kind kind, const char *type_name)
{
    if (type_name == NULL)
        return 0;
    switch (kind) {
    case VK_U32: return strcmp(type_name, "u32") == 0;
    case VK_STRING: return strcmp(type_name, "string") == 0;
    default:
        return strcmp(type_name, "blob") == 0 ||
               strcmp(type_name, "blob(v2)") == 0;
    }
}

static int
keep_value(verify_value *v, verify_kind kind, const mfab_nvs_item *item)
{
    free(v->data);
    v->data = NULL;
    v->size = 0;
    v->u = item->u;
    if (kind == VK_U32 || item->data == NULL)
        return 0;
    v->size = item->size;
    if (kind == VK_STRING && v->size > 0 && item->data[v->size - 1] == '\0')
        v->size--;
    v->data = malloc(v->size + 1);
    if (v->data == NULL)
        return MFAB_ENOMEM;
    memcpy(v->data, item->data, v->size);
    v->data[v->size] = '\0';
    return 0;
}

static int
on_item(void *ctx, const mfab_nvs_item *item)
{
    walk *w = ctx;
    size_t i;

    if (item->is_namespace) {
        if (strcmp(item->key, FACTORY_NS) == 0)
            w->c->nvs_has_factory = 1;
        return 0;
    }
    if (item->ns_name == NULL || strcmp(item->ns_name, FACTORY_NS) != 0)
        return 0;
    for (i = 0; i < MFAB_ARRAY_SIZE(known); i++) {
        int ok;

        if (strcmp(known[i].key, item->key) != 0)
            continue;
        ok = type_matches(known[i].kind, item->type_name);
        if (!ok)
            verify__add(&w->wrong_type, "%s is %s, read as %s", item->key,
                        item->type_name ? item->type_name : "unknown",
                        kind_names[known[i].kind]);
        if (known[i].slot >= 0) {
            verify_value *v = &w->c->v[known[i].slot];

            v->found = 1;
            v->type_ok = ok;
            if (ok)
                return keep_value(v, known[i].kind, item);
        }
        return 0;
    }
    return 0;
}

static void
on_problem(void *ctx, const mfab_nvs_problem *p)
{
    walk *w = ctx;

    if (w->problems++ == 0)
        snprintf(w->first_problem, sizeof(w->first_problem), "%s", p->message);
}

/* see verify_internal.h */
int
verify__nvs(verify_ctx *c, mfab_diag *diag)
{
    const mfab_verify_input *in = c->in;
    mfab_nvs_read_options opts = MFAB_NVS_READ_OPTIONS_INIT;
    mfab_nvs_read_summary sum;
    mfab_nvs_keys keys;
    mfab_diag why = MFAB_DIAG_INIT;
    walk *w = NULL;
    int rc;

    memset(&keys, 0, sizeof(keys));

    if (in->keys != NULL) {
        if (mfab_nvs_keys_decode(&keys, in->keys, in->keys_len, &why) < 0) {
            verify__set(c, MFAB_VERIFY_KEYS, MFAB_VERIFY_FAIL,
                        "keys partition unusable: %s", mfab_diag_message(&why));
            verify__set(c, MFAB_VERIFY_NVS, MFAB_VERIFY_FAIL,
                        "not read: no usable keys for an encrypted image");
            return 0;
        }
        verify__set(c, MFAB_VERIFY_KEYS, MFAB_VERIFY_PASS,
                    "keys partition decodes (CRC ok)");
        opts.keys = &keys;
    } else {
        verify__set(c, MFAB_VERIFY_KEYS, MFAB_VERIFY_SKIP,
                    "no keys partition: image read as plaintext");
    }
    w = calloc(1, sizeof(*w));
    opts.value_cap = 65536;
    opts.value_buf = malloc(opts.value_cap);
    if (w == NULL || opts.value_buf == NULL) {
        rc = mfab_diag_set(diag, MFAB_ENOMEM, "verify: out of memory");
        goto out;
    }
    w->c = c;
    opts.on_item = on_item;
    opts.on_problem = on_problem;
    opts.ctx = w;
    rc = mfab_nvs_read(&sum, in->partition, in->partition_len, &opts, &why);
    if (rc == MFAB_ENOMEM) {
        rc = mfab_diag_set(diag, rc, "verify: out of memory");
        goto out;
    }
    if (rc == MFAB_EINVAL || rc == MFAB_ECRYPTO) {
        verify__set(c, MFAB_VERIFY_NVS, MFAB_VERIFY_FAIL, "not read: %s",
                    mfab_diag_message(&why));
        rc = 0;
        goto out;
    }
    c->nvs_readable = 1;
    if (w->problems > 0)
        verify__set(c, MFAB_VERIFY_NVS, MFAB_VERIFY_FAIL,
                    "%zu problem%s, first: %s%s", w->problems,
                    w->problems == 1 ? "" : "s", w->first_problem,
                    in->keys == NULL && !c->nvs_has_factory
                        ? " (encrypted image? give its keys partition)"
                        : (in->keys != NULL ? " (wrong keys partition?)" : ""));
    else if (rc < 0)
        verify__set(c, MFAB_VERIFY_NVS, MFAB_VERIFY_FAIL, "%s",
                    mfab_diag_message(&why));
    else if (!c->nvs_has_factory)
        verify__set(c, MFAB_VERIFY_NVS, MFAB_VERIFY_FAIL,
                    "no '%s' namespace in %zu page%s", FACTORY_NS, sum.pages,
                    sum.pages == 1 ? "" : "s");
    else
        verify__set(c, MFAB_VERIFY_NVS, MFAB_VERIFY_PASS,
                    "%zu pages, %zu namespace%s, %zu values, no problem%s",
                    sum.pages, sum.namespaces, sum.namespaces == 1 ? "" : "s",
                    sum.items, in->keys != NULL ? " (decrypted)" : "");
    if (w->wrong_type.n > 0)
        verify__set(c, MFAB_VERIFY_FACTORY_KEYS, MFAB_VERIFY_FAIL,
                    "wrong type: %s", w->wrong_type.s);
    rc = 0;
out:
    if (opts.value_buf != NULL) {
        OPENSSL_cleanse(opts.value_buf, opts.value_cap);
        free(opts.value_buf);
    }
    free(w);
    mfab_nvs_keys_wipe(&keys);
    return rc;
}

static int
decode_b64(uint8_t *out, size_t cap, size_t *out_len, const verify_value *v)
{
    return mfab_base64_decode(out, cap, out_len, (const char *)v->data, v->size,
                              NULL);
}

/* Value rules of the providers (spec 5.4, 3). */
static void
check_values(verify_ctx *c, verify_text *bad)
{
    verify_value *v = c->v;
    size_t n = 0;

    if (!c->sc_has_comm) {
        if (v[K_DISCRIMINATOR].type_ok) {
            if (v[K_DISCRIMINATOR].u > MFAB_DISCRIMINATOR_MAX)
                verify__add(bad, "discriminator %llu above 4095",
                            (unsigned long long)v[K_DISCRIMINATOR].u);
            else {
                c->has_disc = 1;
                c->disc = (uint16_t)v[K_DISCRIMINATOR].u;
            }
        }
        if (v[K_ITERATIONS].type_ok) {
            if (mfab_spake2p_check_iterations((uint32_t)v[K_ITERATIONS].u,
                                              NULL) < 0 ||
                v[K_ITERATIONS].u > UINT32_MAX)
                verify__add(bad, "iteration-count %llu outside 1000..100000",
                            (unsigned long long)v[K_ITERATIONS].u);
            else {
                c->has_iter = 1;
                c->iter = (uint32_t)v[K_ITERATIONS].u;
            }
        }
        if (v[K_SALT].type_ok && v[K_SALT].data != NULL) {
            if (decode_b64(c->salt, sizeof(c->salt), &n, &v[K_SALT]) < 0 ||
                n < MFAB_SPAKE2P_SALT_MIN)
                verify__add(bad, "salt is not base64 of 16..32 bytes");
            else {
                c->has_salt = 1;
                c->salt_len = n;
            }
        }
        if (v[K_VERIFIER].type_ok && v[K_VERIFIER].data != NULL) {
            if (decode_b64(c->verifier, sizeof(c->verifier), &n,
                           &v[K_VERIFIER]) < 0 ||
                n != MFAB_SPAKE2P_VERIFIER_LEN)
                verify__add(bad, "verifier is not base64 of 97 bytes");
            else
                c->has_verifier = 1;
        }
        if (c->has_disc || c->has_iter || c->has_salt || c->has_verifier)
            c->comm_from = "NVS";
    }
    if (!c->sc_has_dac) {
        if (v[K_DAC_KEY].type_ok && v[K_DAC_KEY].size != 32)
            verify__add(bad, "dac-key is %zu bytes, not 32", v[K_DAC_KEY].size);
        if (v[K_DAC_PUB_KEY].type_ok && v[K_DAC_PUB_KEY].size != 65)
            verify__add(bad, "dac-pub-key is %zu bytes, not 65",
                        v[K_DAC_PUB_KEY].size);
        if (v[K_DAC_CERT].type_ok) {
            c->dac = v[K_DAC_CERT].data;
            c->dac_len = v[K_DAC_CERT].size;
            c->dac_from = "NVS";
        }
        if (v[K_PAI_CERT].type_ok) {
            c->pai = v[K_PAI_CERT].data;
            c->pai_len = v[K_PAI_CERT].size;
        }
    }
    if (v[K_CERT_DCLRN].type_ok) {
        c->cd = v[K_CERT_DCLRN].data;
        c->cd_len = v[K_CERT_DCLRN].size;
    }
    if (v[K_VENDOR_ID].type_ok) {
        if (v[K_VENDOR_ID].u > 0xFFFF)
            verify__add(bad, "vendor-id %llu above 65535",
                        (unsigned long long)v[K_VENDOR_ID].u);
        c->has_vid = 1;
        c->vid = (uint16_t)v[K_VENDOR_ID].u; /* the provider truncates */
    }
    if (v[K_PRODUCT_ID].type_ok) {
        if (v[K_PRODUCT_ID].u > 0xFFFF)
            verify__add(bad, "product-id %llu above 65535",
                        (unsigned long long)v[K_PRODUCT_ID].u);
        c->has_pid = 1;
        c->pid = (uint16_t)v[K_PRODUCT_ID].u;
    }
}

/* see verify_internal.h */
void
verify__factory_keys(verify_ctx *c)
{
    static const verify_key always[] = {K_VENDOR_ID, K_PRODUCT_ID,
                                        K_CERT_DCLRN};
    static const verify_key comm[] = {K_DISCRIMINATOR, K_ITERATIONS, K_SALT,
                                      K_VERIFIER};
    static const verify_key dac[] = {K_DAC_CERT, K_DAC_KEY, K_DAC_PUB_KEY,
                                     K_PAI_CERT};
    verify_text missing, bad;
    size_t i;

    if (!c->nvs_has_factory) {
        verify__set(c, MFAB_VERIFY_FACTORY_KEYS, MFAB_VERIFY_SKIP,
                    "no chip-factory data read (see nvs)");
        return;
    }
    memset(&missing, 0, sizeof(missing));
    memset(&bad, 0, sizeof(bad));
    for (i = 0; i < MFAB_ARRAY_SIZE(always); i++)
        if (!c->v[always[i]].found)
            verify__add(&missing, "%s", known[always[i]].key);
    for (i = 0; !c->sc_has_comm && i < MFAB_ARRAY_SIZE(comm); i++)
        if (!c->v[comm[i]].found)
            verify__add(&missing, "%s", known[comm[i]].key);
    for (i = 0; !c->sc_has_dac && i < MFAB_ARRAY_SIZE(dac); i++)
        if (!c->v[dac[i]].found)
            verify__add(&missing, "%s", known[dac[i]].key);
    check_values(c, &bad);
    if (missing.n > 0)
        verify__set(c, MFAB_VERIFY_FACTORY_KEYS, MFAB_VERIFY_FAIL,
                    "missing: %s%s%s", missing.s, bad.n ? "; " : "", bad.s);
    else if (bad.n > 0)
        verify__set(c, MFAB_VERIFY_FACTORY_KEYS, MFAB_VERIFY_FAIL, "%s", bad.s);
    else
        verify__set(c, MFAB_VERIFY_FACTORY_KEYS, MFAB_VERIFY_PASS,
                    "every key the ESP32 providers need is there with its "
                    "type%s",
                    c->sc_has_dac && c->sc_has_comm
                        ? " (DAC and commissionable data in the secure cert)"
                        : (c->sc_has_dac
                               ? " (DAC in the secure cert)"
                               : (c->sc_has_comm ? " (commissionable data "
                                                   "in the secure cert)"
                                                 : "")));
}
