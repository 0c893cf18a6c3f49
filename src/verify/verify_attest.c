/*
 * verify_attest.c: the "dac-key", "chain" and "vid-pid" checks: the DAC
 * the device will present, its private key, its chain to a trusted PAA
 * as a commissioner validates it (spec attestation.md 2.4.3, 4.5, 4.6),
 * and the VID/PID every source gives.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>

#include "matterfab/cd.h"
#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "verify/verify_internal.h"

#define RAW_PRIV_LEN 32
#define RAW_PUB_LEN 65

/* The DAC's public point, 04 || X || Y. */
static int
dac_point(uint8_t point[RAW_PUB_LEN], const X509 *dac, mfab_diag *why)
{
    size_t n = 0;

    if (mfab_pki_key_encode(point, RAW_PUB_LEN, &n, X509_get0_pubkey(dac),
                            MFAB_PKI_KEY_RAW_PUBLIC, why) < 0)
        return -1;
    if (n != RAW_PUB_LEN)
        return mfab_diag_set(why, MFAB_ECRYPTO, "the DAC's key is not P-256");
    return 0;
}

/*
 * NVS dac-key is the raw scalar and dac-pub-key its point: the scalar
 * times G must be the DAC's point, and dac-pub-key the same point. One
 * point multiplication on the shared group, without building an OpenSSL
 * key (whose decoders took a fifth of generate --verify).
 */
static int
raw_key_matches(const X509 *dac, const verify_value *k, const verify_value *p,
                mfab_diag *why)
{
    uint8_t point[RAW_PUB_LEN];
    mfab_pki_dac_key key;
    int rc;

    rc = dac_point(point, dac, why);
    if (rc == 0)
        rc = mfab_pki_dac_key_from_secret(&key, k->data, why);
    if (rc == 0 && memcmp(key.pub, point, RAW_PUB_LEN) != 0)
        rc = mfab_diag_set(why, MFAB_ECRYPTO,
                           "key does not match certificate 'DAC'");
    if (rc == 0 && memcmp(p->data, point, RAW_PUB_LEN) != 0)
        rc = mfab_diag_set(why, MFAB_ECRYPTO,
                           "dac-pub-key is not the DAC's public key");
    mfab_pki_dac_key_release(&key);
    return rc;
}

static void
check_dac_key(verify_ctx *c, X509 *dac)
{
    const verify_value *k = &c->v[K_DAC_KEY], *p = &c->v[K_DAC_PUB_KEY];
    mfab_diag why = MFAB_DIAG_INIT;
    EVP_PKEY *key = NULL;
    int rc;

    if (c->sc_has_dac) {
        if (c->key_in_efuse && c->key_der_len == 0) {
            verify__set(c, MFAB_VERIFY_DAC_KEY, MFAB_VERIFY_SKIP,
                        "the key lives in an eFuse block");
            return;
        }
        rc = mfab_pki_key_parse(&key, c->key_der, c->key_der_len,
                                "secure-cert PRIV_KEY", NULL, &why);
        if (rc == 0)
            rc = mfab_pki_key_matches_cert(key, dac, "DAC", &why);
    } else {
        if (k->data == NULL || k->size != RAW_PRIV_LEN || p->data == NULL ||
            p->size != RAW_PUB_LEN) {
            verify__set(c, MFAB_VERIFY_DAC_KEY, MFAB_VERIFY_SKIP,
                        "no usable dac-key/dac-pub-key (see factory-keys)");
            return;
        }
        rc = raw_key_matches(dac, k, p, &why);
    }
    ERR_clear_error();
    EVP_PKEY_free(key);
    if (rc < 0)
        verify__set(c, MFAB_VERIFY_DAC_KEY, MFAB_VERIFY_FAIL, "%s",
                    mfab_diag_message(&why));
    else
        verify__set(c, MFAB_VERIFY_DAC_KEY, MFAB_VERIFY_PASS,
                    "the %s key signs for the DAC%s", c->dac_from,
                    c->sc_has_dac ? "" : "; dac-pub-key is its point");
}

static int
check_chain(verify_ctx *c, X509 *dac_x, X509 *pai_x, mfab_diag *diag)
{
    const mfab_verify_input *in = c->in;
    mfab_pki_validate_input v = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict verdict;
    mfab_diag why = MFAB_DIAG_INIT;
    int full = c->cd != NULL && in->ncd_certs > 0, rc;

    if (c->pai == NULL) {
        verify__set(c, MFAB_VERIFY_CHAIN, MFAB_VERIFY_FAIL,
                    "no PAI (pai-cert or CA_CERT) to chain through");
        return 0;
    }
    if (in->npaa == 0) {
        verify__set(c, MFAB_VERIFY_CHAIN, MFAB_VERIFY_FAIL,
                    "no trusted PAA given (--paa FILE|DIR)");
        return 0;
    }
    v.dac = c->dac;
    v.dac_len = c->dac_len;
    v.pai = c->pai;
    v.pai_len = c->pai_len;
    v.paa = in->paa;
    v.paa_len = in->paa_len;
    v.npaa = in->npaa;
    v.now = in->now;
    v.dac_x = dac_x;
    v.pai_x = pai_x;
    v.paa_x = in->paa_x;
    v.cd_cert_x = in->cd_cert_x;
    if (full) {
        v.cd = c->cd;
        v.cd_len = c->cd_len;
        v.cd_certs = in->cd_certs;
        v.cd_cert_len = in->cd_cert_len;
        v.ncd_certs = in->ncd_certs;
        v.has_basic_info = c->has_vid && c->has_pid;
        v.basic_vid = c->vid;
        v.basic_pid = c->pid;
    }
    rc = mfab_pki_validate(&verdict, &v, &why);
    if (rc == MFAB_ENOMEM)
        return mfab_diag_set(diag, rc, "verify: out of memory");
    if (rc < 0)
        verify__set(c, MFAB_VERIFY_CHAIN, MFAB_VERIFY_FAIL, "%s",
                    mfab_diag_message(&why));
    else if (verdict.code != MFAB_ATT_OK)
        verify__set(c, MFAB_VERIFY_CHAIN, MFAB_VERIFY_FAIL, "%s(%d): %s",
                    mfab_pki_result_name(verdict.code), verdict.code,
                    verdict.detail);
    else
        verify__set(c, MFAB_VERIFY_CHAIN, MFAB_VERIFY_PASS,
                    "DAC (%s) -> PAI -> trusted PAA valid%s", c->dac_from,
                    full ? "; CD signature and content accepted"
                         : (c->cd != NULL ? "; CD signature not checked (no "
                                            "CD signing certificate given)"
                                          : ""));
    return 0;
}

/* VID/PID of a certificate: parsed (DAC and PAI are parsed once for all
 * checks) or, when it did not parse, from its DER for the message. */
static void
cert_ids(verify_text *t, const X509 *parsed, const uint8_t *der, size_t len,
         const char *who, mfab_pki_vidpid *id)
{
    mfab_diag why = MFAB_DIAG_INIT;
    X509 *x = NULL;

    memset(id, 0, sizeof(*id));
    if ((parsed == NULL && mfab_pki_cert_parse(&x, der, len, &why) < 0) ||
        mfab_pki_cert_vidpid(id, parsed != NULL ? parsed : x, &why) < 0)
        verify__add(t, "%s VID/PID unreadable: %s", who,
                    mfab_diag_message(&why));
    ERR_clear_error();
    X509_free(x);
}

static void
cd_ids(verify_ctx *c, verify_text *t, const mfab_pki_vidpid *dac)
{
    mfab_cd_envelope env;
    mfab_cd_content *cd = calloc(1, sizeof(*cd));
    mfab_diag why = MFAB_DIAG_INIT;
    size_t i;
    int found = 0;

    if (cd == NULL) {
        verify__add(t, "out of memory");
        return;
    }
    if (mfab_cd_decode_envelope(&env, c->cd, c->cd_len, &why) < 0 ||
        mfab_cd_decode_content(cd, env.content, env.content_len, &why) < 0) {
        verify__add(t, "cert-dclrn does not decode: %s",
                    mfab_diag_message(&why));
        goto out;
    }
    if (c->has_vid && cd->vendor_id != c->vid)
        verify__add(t, "CD vendor_id %04X != vendor-id %04X", cd->vendor_id,
                    c->vid);
    for (i = 0; i < cd->product_id_count; i++)
        found |= cd->product_ids[i] == c->pid;
    if (c->has_pid && !found)
        verify__add(t, "product-id %04X not in the CD's product IDs", c->pid);
    if (cd->has_dac_origin && dac != NULL &&
        (cd->dac_origin_vendor_id != dac->vid ||
         cd->dac_origin_product_id != dac->pid))
        verify__add(t, "CD DAC origin %04X/%04X != DAC %04X/%04X",
                    cd->dac_origin_vendor_id, cd->dac_origin_product_id,
                    dac->vid, dac->pid);
out:
    free(cd);
}

static void
check_vidpid(verify_ctx *c, const X509 *dac_x, const X509 *pai_x)
{
    mfab_pki_vidpid dac, pai;
    verify_text t;

    memset(&t, 0, sizeof(t));
    if (!c->has_vid || !c->has_pid) {
        verify__set(c, MFAB_VERIFY_VID_PID, MFAB_VERIFY_FAIL,
                    "device info lacks vendor-id or product-id");
        return;
    }
    if (c->dac != NULL) {
        cert_ids(&t, dac_x, c->dac, c->dac_len, "DAC", &dac);
        if (!dac.has_vid || dac.vid != c->vid)
            verify__add(&t, "DAC VID %04X != vendor-id %04X", dac.vid, c->vid);
        if (!dac.has_pid || dac.pid != c->pid)
            verify__add(&t, "DAC PID %04X != product-id %04X", dac.pid, c->pid);
    }
    if (c->pai != NULL) {
        cert_ids(&t, pai_x, c->pai, c->pai_len, "PAI", &pai);
        if (!pai.has_vid || pai.vid != c->vid)
            verify__add(&t, "PAI VID %04X != vendor-id %04X", pai.vid, c->vid);
        if (pai.has_pid && pai.pid != c->pid)
            verify__add(&t, "PAI PID %04X != product-id %04X", pai.pid, c->pid);
    }
    if (c->cd != NULL)
        cd_ids(c, &t, c->dac != NULL ? &dac : NULL);
    if (t.n > 0)
        verify__set(c, MFAB_VERIFY_VID_PID, MFAB_VERIFY_FAIL, "%s", t.s);
    else
        verify__set(c, MFAB_VERIFY_VID_PID, MFAB_VERIFY_PASS,
                    "VID %04X PID %04X in device info%s%s%s", c->vid, c->pid,
                    c->dac != NULL ? ", DAC" : "",
                    c->pai != NULL ? ", PAI" : "", c->cd != NULL ? ", CD" : "");
}

/* see verify_internal.h */
int
verify__attest(verify_ctx *c, mfab_diag *diag)
{
    mfab_diag why = MFAB_DIAG_INIT;
    X509 *dac = NULL, *pai = NULL;
    int rc = 0;

    /* parsed once for every check below: a parse costs as much as a
     * signature check (OpenSSL 3 decodes the key through its providers);
     * the caller's copy when the bytes are the same */
    if (c->pai != NULL && c->in->pai_x != NULL &&
        c->pai_len == c->in->pai_der_len &&
        memcmp(c->pai, c->in->pai_der, c->pai_len) == 0 &&
        X509_up_ref(c->in->pai_x) == 1)
        pai = c->in->pai_x;
    else if (c->pai != NULL &&
             mfab_pki_cert_parse(&pai, c->pai, c->pai_len, NULL) < 0)
        pai = NULL;
    if (c->dac == NULL && !c->nvs_has_factory) {
        /* nvs failed already: nothing more to learn here */
        verify__set(c, MFAB_VERIFY_DAC_KEY, MFAB_VERIFY_SKIP,
                    "no chip-factory data read (see nvs)");
        verify__set(c, MFAB_VERIFY_CHAIN, MFAB_VERIFY_SKIP,
                    "no chip-factory data read (see nvs)");
    } else if (c->dac == NULL) {
        verify__set(c, MFAB_VERIFY_DAC_KEY, MFAB_VERIFY_FAIL,
                    "no DAC in NVS (dac-cert) or the secure cert (DEV_CERT)");
        verify__set(c, MFAB_VERIFY_CHAIN, MFAB_VERIFY_FAIL,
                    "no DAC to validate");
    } else if (mfab_pki_cert_parse(&dac, c->dac, c->dac_len, &why) < 0) {
        verify__set(c, MFAB_VERIFY_DAC_KEY, MFAB_VERIFY_FAIL,
                    "DAC (%s) does not parse: %s", c->dac_from,
                    mfab_diag_message(&why));
    } else {
        check_dac_key(c, dac);
    }
    ERR_clear_error();
    if (c->dac != NULL)
        rc = check_chain(c, dac, pai, diag);
    if (rc == 0 && c->nvs_has_factory)
        check_vidpid(c, dac, pai);
    else
        verify__set(c, MFAB_VERIFY_VID_PID, MFAB_VERIFY_SKIP,
                    "no device info read (see nvs)");
    X509_free(dac);
    X509_free(pai);
    return rc;
}
