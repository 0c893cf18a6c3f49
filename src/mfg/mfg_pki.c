/*
 * mfg_pki.c: every call generate makes into the attestation PKI and the
 * CD code, in one place: loading and cross-checking PAA/PAI/DAC/CD before
 * the first device (spec 6.3 step 14, section 8), issuing one DAC per
 * device, and the key and certificate encodings of internal/ (spec 6.6).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "common/common_internal.h"
#include "matterfab/base64.h"
#include "matterfab/cd.h"
#include "matterfab/hex.h"
#include "matterfab/io.h"
#include "matterfab/pki.h"
#include "mfg/mfg_internal.h"

static int
load_cert(X509 **out, const char *path, const char *what, mfab_diag *diag)
{
    mfab_diag why = MFAB_DIAG_INIT;
    int rc = mfab_pki_cert_load(out, path, &why);

    if (rc < 0)
        return mfab_diag_set(diag, rc, "%s certificate is not valid: %s", what,
                             mfab_diag_message(&why));
    return 0;
}

static int
check_role(const X509 *cert, mfab_pki_cert_type type, const char *what,
           const char *path, mfab_diag *diag)
{
    mfab_diag why = MFAB_DIAG_INIT;

    if (mfab_pki_cert_check_format(cert, type, &why) < 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s certificate is not valid: '%s': %s", what,
                             path, mfab_diag_message(&why));
    return 0;
}

static int
check_key(EVP_PKEY *key, const X509 *cert, const char *what, mfab_diag *diag)
{
    if (mfab_pki_key_matches_cert(key, cert, what, NULL) < 0)
        return mfab_diag_set(diag, MFAB_ECRYPTO,
                             "%s certificate and private key do not match",
                             what);
    return 0;
}

/* The certificate's VID (and PID when it has one) must be -v/-p. */
static int
check_ids(const mfab_mfg_plan *p, const X509 *cert, const char *what,
          mfab_diag *diag)
{
    mfab_pki_vidpid ids;
    mfab_diag why = MFAB_DIAG_INIT;

    if (mfab_pki_cert_vidpid(&ids, cert, &why) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT, "%s certificate: %s", what,
                             mfab_diag_message(&why));
    if ((ids.has_vid && ids.vid != p->vid) ||
        (ids.has_pid && ids.pid != p->pid))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "%s certificate VID and PID do not match input "
                             "VID and PID (certificate %04X/%s, input "
                             "%04X/%04X)",
                             what, ids.vid, ids.has_pid ? "" : "any", p->vid,
                             p->pid);
    return 0;
}

/* The window new DACs get must start inside the issuer's. */
static int
check_window(const mfab_mfg_plan *p, const X509 *issuer, const char *what,
             mfab_diag *diag)
{
    time_t t = p->not_before;

    if (X509_cmp_time(X509_get0_notBefore(issuer), &t) > 0 ||
        X509_cmp_time(X509_get0_notAfter(issuer), &t) < 0)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "%s Certificate validity period is outside the "
                             "specified parameters (from: %lld, lifetime: %u "
                             "days)",
                             what, (long long)p->not_before, p->lifetime);
    return 0;
}

/* see mfg_internal.h */
int
mfab_mfg__parse_uuid(char out[MFG_UUID_LEN + 1], const char *s)
{
    char hex[33];
    size_t n = 0, len;

    if (strncmp(s, "urn:uuid:", 9) == 0)
        s += 9;
    len = strlen(s);
    if (len >= 2 && s[0] == '{' && s[len - 1] == '}') {
        s++;
        len -= 2;
    }
    for (; len > 0; s++, len--) {
        if (*s == '-')
            continue;
        if (!isxdigit((unsigned char)*s) || n == 32)
            return -1;
        hex[n++] = (char)tolower((unsigned char)*s);
    }
    if (n != 32)
        return -1;
    snprintf(out, MFG_UUID_LEN + 1, "%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8,
             hex + 12, hex + 16, hex + 20);
    return 0;
}

static int
load_external_dac(mfab_mfg_plan *p, mfab_diag *diag)
{
    const mfab_mfg_options *o = &p->o;
    EVP_PKEY *pai_pub;
    char cn[256];
    int rc;

    rc = load_cert(&p->ext_dac, o->dac_cert, "DAC", diag);
    if (rc == 0)
        rc = mfab_pki_key_load(&p->ext_dac_key, o->dac_key, NULL, diag);
    if (rc == 0)
        rc = check_role(p->ext_dac, MFAB_PKI_DAC, "DAC", o->dac_cert, diag);
    if (rc == 0)
        rc = check_key(p->ext_dac_key, p->ext_dac, "DAC", diag);
    if (rc == 0)
        rc = check_ids(p, p->ext_dac, "DAC", diag);
    if (rc < 0)
        return rc;
    pai_pub = X509_get0_pubkey(p->pai);
    if (pai_pub == NULL || X509_verify(p->ext_dac, pai_pub) != 1)
        return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                  "DAC certificate chain is not valid: '%s' "
                                  "is not signed by the PAI '%s'",
                                  o->dac_cert, o->cert);
    /* Q3: a CN that reads as a UUID names the device folder */
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(p->ext_dac),
                                  NID_commonName, cn, sizeof(cn)) > 0 &&
        mfab_mfg__parse_uuid(p->ext_uuid, cn) == 0)
        snprintf(p->ext_uuid, sizeof(p->ext_uuid), "%s", cn);
    else
        p->ext_uuid[0] = '\0';
    return 0;
}

static int seeded_key(EVP_PKEY **out, const mfab_mfg_plan *p, uint64_t index,
                      mfab_diag *diag);

/* --paa: make the PAI the DACs are issued by (spec 6.5). */
static int
make_pai(mfab_mfg_plan *p, EVP_PKEY *paa_key, mfab_diag *diag)
{
    mfab_pki_issue_options io = MFAB_PKI_ISSUE_OPTIONS_INIT;
    char cn[80];
    uint8_t r = 0;
    int rc;

    if (p->o.cn_prefix != NULL && p->o.cn_prefix[0] != '\0') {
        snprintf(cn, sizeof(cn), "%s PAI 00", p->o.cn_prefix);
    } else {
        rc = mfab_mfg__random(p, UINT64_MAX, "pai-cn", &r, 1, diag);
        if (rc < 0)
            return rc;
        snprintf(cn, sizeof(cn), "MATTER TEST PAI %u", 10u + r % 90u);
    }
    rc = p->seeded ? seeded_key(&p->pai_key, p, UINT64_MAX, diag)
                   : mfab_pki_key_generate(&p->pai_key, diag);
    if (rc < 0)
        return rc;
    io.type = MFAB_PKI_PAI;
    io.subject_cn = cn;
    io.has_vid = 1;
    io.vid = p->vid;
    io.has_pid = 1;
    io.pid = p->pid;
    io.not_before = p->not_before;
    io.lifetime_days = p->lifetime;
    return mfab_pki_issue(&p->pai, &io, p->pai_key, p->paa, paa_key, diag);
}

static int
load_cd(mfab_mfg_plan *p, mfab_diag *diag)
{
    const mfab_mfg_options *o = &p->o;
    mfab_cd_envelope env;
    mfab_cd_content content;
    mfab_cd_device_info info;
    mfab_pki_vidpid pai_ids;
    X509 *signer = NULL;
    int rc, result = 0;

    rc = mfab_file_read(&p->cd, &p->cd_len, o->cert_dclrn, diag);
    if (rc < 0)
        return rc;
    if (o->cd_cert != NULL) {
        rc = mfab_pki_cert_load(&signer, o->cd_cert, diag);
        if (rc == 0)
            rc = mfab_cd_verify(&result, &env, &content, p->cd, p->cd_len,
                                &signer, 1, diag);
        X509_free(signer);
    } else {
        rc = mfab_cd_decode_envelope(&env, p->cd, p->cd_len, diag);
        if (rc == 0)
            rc = mfab_cd_decode_content(&content, env.content, env.content_len,
                                        diag);
    }
    if (rc < 0)
        return mfab_diag_set(diag, rc, "CD '%s' refused", o->cert_dclrn);
    memset(&info, 0, sizeof(info));
    info.basic_vid = info.dac_vid = p->vid;
    info.basic_pid = info.dac_pid = p->pid;
    info.pai_vid = p->vid;
    if (p->pai != NULL && mfab_pki_cert_vidpid(&pai_ids, p->pai, NULL) == 0) {
        info.pai_vid = pai_ids.has_vid ? pai_ids.vid : p->vid;
        info.pai_pid = pai_ids.has_pid ? pai_ids.pid : 0;
        /* the PAA a commissioner will find is the PAI's issuer */
        if (mfab_pki_cert_akid(info.paa_skid, p->pai, NULL) < 0)
            memset(info.paa_skid, 0, sizeof(info.paa_skid));
    }
    if (p->pai == NULL)
        content.has_authorized_paa_list = 0;
    rc = mfab_cd_check_payload(&result, &content, &info, diag);
    if (rc < 0)
        return mfab_diag_set(diag, rc,
                             "CD '%s' does not match the device: %s (VID "
                             "%04X, PID %04X)",
                             o->cert_dclrn, mfab_pki_result_name(result),
                             p->vid, p->pid);
    return 0;
}

/* see mfg_internal.h */
int
mfab_mfg__load_pki(mfab_mfg_plan *p, mfab_diag *diag)
{
    const mfab_mfg_options *o = &p->o;
    EVP_PKEY *paa_key = NULL;
    int rc = 0;

    /* a second back: commissioners accept a DAC only strictly after its
     * notBefore, and a device made now must verify now */
    p->not_before = time(NULL) - 1;
    if (o->valid_from != NULL) {
        rc = mfab_pki_parse_time(&p->not_before, o->valid_from, diag);
        if (rc < 0)
            return rc;
    }
    if (o->pai) {
        rc = load_cert(&p->pai, o->cert, "PAI", diag);
        if (rc == 0 && o->key != NULL)
            rc = mfab_pki_key_load(&p->pai_key, o->key, NULL, diag);
        if (rc == 0)
            rc = check_role(p->pai, MFAB_PKI_PAI, "PAI", o->cert, diag);
        if (rc == 0 && p->pai_key != NULL)
            rc = check_key(p->pai_key, p->pai, "PAI", diag);
        if (rc == 0)
            rc = check_ids(p, p->pai, "PAI", diag);
        if (rc == 0 && p->pai_key != NULL)
            rc = check_window(p, p->pai, "PAI", diag);
    } else if (o->paa) {
        rc = load_cert(&p->paa, o->cert, "PAA", diag);
        if (rc == 0)
            rc = mfab_pki_key_load(&paa_key, o->key, NULL, diag);
        if (rc == 0)
            rc = check_role(p->paa, MFAB_PKI_PAA, "PAA", o->cert, diag);
        if (rc == 0)
            rc = check_key(paa_key, p->paa, "PAA", diag);
        if (rc == 0)
            rc = check_ids(p, p->paa, "PAA", diag);
        if (rc == 0)
            rc = check_window(p, p->paa, "PAA", diag);
        if (rc == 0)
            rc = make_pai(p, paa_key, diag);
        EVP_PKEY_free(paa_key);
    }
    if (rc == 0 && p->pai != NULL)
        rc = mfab_pki_cert_encode(p->pai_der, sizeof(p->pai_der),
                                  &p->pai_der_len, p->pai, 0, diag);
    if (rc == 0 && o->dac_cert != NULL)
        rc = load_external_dac(p, diag);
    if (rc == 0 && o->cert_dclrn != NULL)
        rc = load_cd(p, diag);
    p->has_dac = rc == 0 && p->pai != NULL;
    p->gen_dac = p->has_dac && p->ext_dac == NULL;
    if (p->gen_dac)
        rc = mfab_pki_issuer_new(&p->issuer, p->pai, p->pai_key, diag);
    return rc;
}

/* see mfg_internal.h */
void
mfab_mfg__release_pki(mfab_mfg_plan *p)
{
    X509_free(p->pai);
    X509_free(p->paa);
    X509_free(p->ext_dac);
    EVP_PKEY_free(p->pai_key);
    EVP_PKEY_free(p->ext_dac_key);
    mfab_pki_issuer_free(p->issuer);
    p->issuer = NULL;
    p->pai = p->paa = p->ext_dac = NULL;
    p->pai_key = p->ext_dac_key = NULL;
}

/* A P-256 key from 32 derived bytes: SEC1 DER without the public key,
 * which OpenSSL recomputes (deterministic mode, the --paa PAI). */
static int
seeded_key(EVP_PKEY **out, const mfab_mfg_plan *p, uint64_t index,
           mfab_diag *diag)
{
    static const uint8_t head[] = {0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20};
    static const uint8_t tail[] = {0xa0, 0x0a, 0x06, 0x08, 0x2a, 0x86,
                                   0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    uint8_t der[sizeof(head) + 32 + sizeof(tail)];
    int rc;

    memcpy(der, head, sizeof(head));
    rc = mfab_mfg__random(p, index, "pai-key", der + sizeof(head), 32, diag);
    der[sizeof(head)] &= 0x7F; /* below the group order, never zero below */
    der[sizeof(head) + 31] |= 1;
    memcpy(der + sizeof(head) + 32, tail, sizeof(tail));
    if (rc == 0)
        rc = mfab_pki_key_parse(out, der, sizeof(der), "derived PAI key", NULL,
                                diag);
    OPENSSL_cleanse(der, sizeof(der));
    return rc;
}

/* Header of the DER element at c: tag and content length. */
static int
der_next(mfab_cursor *c, uint8_t *tag, size_t *len)
{
    const uint8_t *h;
    size_t n = 0, i, k;

    if (mfab_cursor_take(c, &h, 2) < 0)
        return -1;
    *tag = h[0];
    if (h[1] < 0x80) {
        *len = h[1];
        return 0;
    }
    k = h[1] & 0x7F;
    if (k < 1 || k > 3 || mfab_cursor_take(c, &h, k) < 0)
        return -1;
    for (i = 0; i < k; i++)
        n = (n << 8) | h[i];
    *len = n;
    return 0;
}

/* see mfg_internal.h; Certificate { TBSCertificate { [0] version,
 * INTEGER serial, ... } } */
int
mfab_mfg__dac_serial_hex(char *out, size_t cap, const uint8_t *der, size_t len,
                         mfab_diag *diag)
{
    const uint8_t *skip, *serial;
    mfab_cursor c;
    uint8_t tag;
    size_t n;

    mfab_cursor_init(&c, der, len);
    if (der_next(&c, &tag, &n) < 0 || tag != 0x30 ||
        der_next(&c, &tag, &n) < 0 || tag != 0x30 ||
        der_next(&c, &tag, &n) < 0 || tag != 0xA0 ||
        mfab_cursor_take(&c, &skip, n) < 0 || der_next(&c, &tag, &n) < 0 ||
        tag != 0x02 || n < 1 || 2 * n + 1 > cap ||
        mfab_cursor_take(&c, &serial, n) < 0)
        return mfab_diag_set(diag, MFAB_EFORMAT, "DAC serial unreadable");
    mfab_hex_encode(out, serial, n);
    return 0;
}

/* see mfg_internal.h */
int
mfab_mfg__pem_wrap(char *out, size_t cap, size_t *out_len, const uint8_t *der,
                   size_t len)
{
    static const char head[] = "-----BEGIN CERTIFICATE-----\n";
    static const char tail[] = "-----END CERTIFICATE-----\n";
    size_t used = sizeof(head) - 1, i, n;

    if (cap < sizeof(head) + sizeof(tail) + (len + 47) / 48 * 65 + 1)
        return MFAB_EBUFS;
    memcpy(out, head, used);
    for (i = 0; i < len; i += 48) {
        mfab_base64_encode(out + used, cap - used, &n, der + i,
                           len - i < 48 ? len - i : 48);
        used += n;
        out[used++] = '\n';
    }
    memcpy(out + used, tail, sizeof(tail));
    *out_len = used + sizeof(tail) - 1;
    return 0;
}

/* Key files of internal/ from the key pair (spec 6.6). */
static int
encode_key(mfg_device *d, const mfab_pki_dac_key *key, int generated,
           mfab_diag *diag)
{
    uint8_t sha[32];
    int rc;

    memcpy(d->dac_priv, key->priv, sizeof(d->dac_priv));
    memcpy(d->dac_pub, key->pub, sizeof(d->dac_pub));
    mfab_sha256(d->dac_pub, sizeof(d->dac_pub), sha);
    mfab_hex_encode(d->dac_pub_sha_hex, sha, sizeof(sha));
    rc = mfab_pki_dac_key_encode(d->key_sec1, sizeof(d->key_sec1),
                                 &d->key_sec1_len, key, MFAB_PKI_KEY_SEC1_DER,
                                 diag);
    if (rc == 0 && generated)
        rc = mfab_pki_dac_key_encode(
            (uint8_t *)d->key_pkcs8_pem, sizeof(d->key_pkcs8_pem),
            &d->key_pkcs8_pem_len, key, MFAB_PKI_KEY_PKCS8_PEM, diag);
    if (rc == 0)
        rc = mfab_mfg__dac_serial_hex(d->dac_serial_hex,
                                      sizeof(d->dac_serial_hex), d->dac_der,
                                      d->dac_der_len, diag);
    if (rc == 0 && generated &&
        mfab_mfg__pem_wrap(d->dac_pem, sizeof(d->dac_pem), &d->dac_pem_len,
                           d->dac_der, d->dac_der_len) < 0)
        rc = mfab_diag_set(diag, MFAB_ERANGE, "DAC PEM too long");
    return rc;
}

/* An external DAC: its key pair as bytes, once per device (count is 1). */
static int
external_dac(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    mfab_pki_dac_key key;
    size_t n = 0;
    int rc;

    rc = mfab_pki_cert_encode(d->dac_der, sizeof(d->dac_der), &d->dac_der_len,
                              p->ext_dac, 0, diag);
    if (rc == 0)
        rc = mfab_pki_key_encode(key.priv, sizeof(key.priv), &n, p->ext_dac_key,
                                 MFAB_PKI_KEY_RAW_PRIVATE, diag);
    if (rc == 0)
        rc = mfab_pki_key_encode(key.pub, sizeof(key.pub), &n, p->ext_dac_key,
                                 MFAB_PKI_KEY_RAW_PUBLIC, diag);
    if (rc == 0)
        rc = encode_key(d, &key, 0, diag);
    mfab_pki_dac_key_release(&key);
    return rc;
}

/* see mfg_internal.h */
int
mfab_mfg__make_dac(const mfab_mfg_plan *p, mfg_device *d, mfab_diag *diag)
{
    mfab_pki_issue_options io = MFAB_PKI_ISSUE_OPTIONS_INIT;
    mfab_pki_dac_key key;
    uint8_t secret[32], seed[MFAB_PKI_DAC_SEED_LEN];
    int rc, tries;

    d->dac_der_len = d->dac_pem_len = d->key_sec1_len = 0;
    d->key_pkcs8_pem_len = 0;
    if (!p->has_dac)
        return 0;
    if (!p->gen_dac)
        return external_dac(p, d, diag);
    if (p->seeded) {
        rc = MFAB_ERANGE;
        for (tries = 0; rc == MFAB_ERANGE && tries < 8; tries++) {
            char label[16];
            snprintf(label, sizeof(label), "dac-key%d", tries);
            rc = mfab_mfg__random(p, d->index, label, secret, sizeof(secret),
                                  diag);
            if (rc == 0)
                rc = mfab_pki_dac_key_from_secret(&key, secret, NULL);
        }
        OPENSSL_cleanse(secret, sizeof(secret));
        if (rc == 0)
            rc = mfab_mfg__random(p, d->index, "dac-serial", seed, sizeof(seed),
                                  diag);
    } else {
        rc = mfab_pki_dac_key_generate(&key, diag);
    }
    if (rc < 0)
        return mfab_diag_set(diag, rc, "cannot make a DAC key");
    io.type = MFAB_PKI_DAC;
    io.subject_cn = d->uuid;
    io.has_vid = io.has_pid = 1;
    io.vid = p->vid;
    io.pid = p->pid;
    io.not_before = p->not_before;
    io.lifetime_days = p->lifetime;
    rc = mfab_pki_issuer_issue_dac(d->dac_der, sizeof(d->dac_der),
                                   &d->dac_der_len, p->issuer, &io, key.pub,
                                   p->seeded ? seed : NULL, diag);
    if (rc == 0)
        rc = encode_key(d, &key, 1, diag);
    mfab_pki_dac_key_release(&key);
    return rc;
}

/* see mfg_internal.h */
int
mfab_mfg__write_pai_files(const mfab_mfg_plan *p, const char *staging,
                          char paths[2][MFG_PATH_MAX + 32], mfab_diag *diag)
{
    int rc;

    if (mfab_mfg__path(paths[0], sizeof(paths[0]), "%s/pai_cert.pem", staging) <
            0 ||
        mfab_mfg__path(paths[1], sizeof(paths[1]), "%s/pai_key.pem", staging) <
            0)
        return mfab_diag_set(diag, MFAB_EIO, "output path too long");
    rc = mfab_pki_cert_write(paths[0], p->pai, 1, diag);
    if (rc == 0)
        rc = mfab_pki_key_write(paths[1], p->pai_key, MFAB_PKI_KEY_PKCS8_PEM,
                                diag);
    return rc;
}
