/*
 * pki_issuer.c: DACs in bulk (spec attestation.md 2.1-2.3, 3.1). The PAI is
 * checked and its constant parts encoded once; each DAC is then the
 * TBSCertificate below written straight into a buffer and signed, with the
 * profile mfab_pki_issue() produces through OpenSSL's X509 objects.
 *
 *   30 82 LL LL                          Certificate
 *     30 82 LL LL                        TBSCertificate
 *       A0 03 02 01 02                   version v3
 *       02 LL <serial>                   20 bytes (top bit clear), minimal
 *       30 0A 06 08 2A8648CE3D040302     ecdsa-with-SHA256   \ once per
 *       <issuer>                         the PAI's subject   / issuer
 *       30 LL <notBefore> <notAfter>     17 UTCTime (< 2050) or
 *                                        18 GeneralizedTime
 *       30 LL                            subject
 *         31 LL 30 LL 06 03 550403 0C LL <CN>
 *         31 14 30 12 06 0A 2B0601040182A27C0201 0C 04 <VID hex>
 *         31 14 30 12 06 0A 2B0601040182A27C0202 0C 04 <PID hex>
 *       30 59 ... 03 42 00 04 <X> <Y>    subjectPublicKeyInfo
 *       A3 60 30 5E                      extensions
 *         30 0C 06 03 551D13 01 01 FF 04 02 30 00        basicConstraints
 *         30 0E 06 03 551D0F 01 01 FF 04 04 03 02 07 80  keyUsage
 *         30 1D 06 03 551D0E 04 16 04 14 <SHA-1(point)>  SKID
 *         30 1F 06 03 551D23 04 18 30 16 80 14 <PAI SKID> AKID
 *     30 0A 06 08 2A8648CE3D040302       signatureAlgorithm
 *     03 LL 00 <ECDSA-Sig-Value DER>     signature
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "common/common_internal.h"
#include "matterfab/ecdsa.h"
#include "matterfab/error.h"
#include "matterfab/pki.h"
#include "pki/pki_internal.h"

#define SERIAL_LEN 20
#define PUB_LEN 65
#define ISSUER_NAME_MAX 512
#define SIG_MAX 72
#define SECONDS_PER_DAY 86400
#define AKID_OFFSET 13 /* of the key identifier in akid_ext */

struct mfab_pki_issuer {
    EVP_PKEY *key;
    EVP_PKEY_CTX *signer; /* sign_init done; each call signs with a dup */
    mfab_pki_vidpid ids;
    uint8_t akid_ext[33];
    size_t head_len;
    uint8_t head[12 + ISSUER_NAME_MAX]; /* algorithm + issuer name */
};

static const uint8_t version_v3[] = {0xA0, 0x03, 0x02, 0x01, 0x02};
static const uint8_t ecdsa_sha256[] = {0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86,
                                       0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02};
static const uint8_t oid_cn[] = {0x55, 0x04, 0x03};
static const uint8_t id_rdn[] = {0x31, 0x14, 0x30, 0x12, 0x06, 0x0A,
                                 0x2B, 0x06, 0x01, 0x04, 0x01, 0x82,
                                 0xA2, 0x7C, 0x02, 0x01 /* or 02 */};
static const uint8_t spki_p256[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A,
                                    0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06,
                                    0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03,
                                    0x01, 0x07, 0x03, 0x42, 0x00};
static const uint8_t ext_dac[] = {
    0xA3, 0x60, 0x30, 0x5E, 0x30, 0x0C, 0x06, 0x03, 0x55, 0x1D, 0x13, 0x01,
    0x01, 0xFF, 0x04, 0x02, 0x30, 0x00, 0x30, 0x0E, 0x06, 0x03, 0x55, 0x1D,
    0x0F, 0x01, 0x01, 0xFF, 0x04, 0x04, 0x03, 0x02, 0x07, 0x80, 0x30, 0x1D,
    0x06, 0x03, 0x55, 0x1D, 0x0E, 0x04, 0x16, 0x04, 0x14 /* SKID follows */};
static const uint8_t akid_head[AKID_OFFSET] = {0x30, 0x1F, 0x06, 0x03, 0x55,
                                               0x1D, 0x23, 0x04, 0x18, 0x30,
                                               0x16, 0x80, 0x14};

/* see matterfab/pki.h */
void
mfab_pki_issuer_free(mfab_pki_issuer *iss)
{
    if (iss == NULL)
        return;
    EVP_PKEY_free(iss->key);
    EVP_PKEY_CTX_free(iss->signer);
    free(iss);
}

/* see matterfab/pki.h */
int
mfab_pki_issuer_new(mfab_pki_issuer **out, const X509 *pai_cert,
                    EVP_PKEY *pai_key, mfab_diag *diag)
{
    mfab_pki_issuer *iss = NULL;
    mfab_pki_vidpid ids;
    uint8_t *p;
    int name_len, rc;

    *out = NULL;
    rc = mfab_pki__check_p256(pai_key, "PAI", diag);
    if (rc == 0)
        rc = mfab_pki__issue_check_ca(&ids, pai_cert, MFAB_PKI_PAI, diag);
    if (rc == 0)
        rc = mfab_pki_key_matches_cert(pai_key, pai_cert, "PAI certificate",
                                       diag);
    if (rc < 0)
        return rc;
    iss = calloc(1, sizeof(*iss));
    if (iss == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    iss->ids = ids;
    memcpy(iss->akid_ext, akid_head, sizeof(akid_head));
    /* the PAI profile check above requires a 20-byte SKID */
    rc = mfab_pki_cert_skid(iss->akid_ext + AKID_OFFSET, pai_cert, diag);
    if (rc < 0)
        goto out;
    name_len = i2d_X509_NAME(X509_get_subject_name(pai_cert), NULL);
    if (name_len <= 0 || name_len > ISSUER_NAME_MAX) {
        rc = mfab_diag_set_ossl(diag, MFAB_EINVAL,
                                "PAI subject name of %d bytes cannot be "
                                "encoded (allowed 1..%d)",
                                name_len, ISSUER_NAME_MAX);
        goto out;
    }
    memcpy(iss->head, ecdsa_sha256, sizeof(ecdsa_sha256));
    p = iss->head + sizeof(ecdsa_sha256);
    i2d_X509_NAME(X509_get_subject_name(pai_cert), &p);
    iss->head_len = sizeof(ecdsa_sha256) + (size_t)name_len;
    iss->signer = EVP_PKEY_CTX_new_from_pkey(NULL, pai_key, NULL);
    if (iss->signer == NULL || EVP_PKEY_sign_init(iss->signer) != 1 ||
        mfab_ec_p256() == NULL || EVP_PKEY_up_ref(pai_key) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM, "cannot set up the issuer");
        goto out;
    }
    iss->key = pai_key;
    *out = iss;
    iss = NULL;
out:
    mfab_pki_issuer_free(iss);
    return rc;
}

/* Serial content octets: 20 bytes, top bit clear, non-zero, minimal. */
static int
make_serial(uint8_t out[SERIAL_LEN + 1], size_t *out_len, const uint8_t *seed,
            mfab_diag *diag)
{
    static const char label[] = "matterfab DAC serial";
    uint8_t raw[SHA256_DIGEST_LENGTH];
    size_t i;

    for (;;) {
        if (seed != NULL) {
            uint8_t msg[sizeof(label) - 1 + MFAB_PKI_DAC_SEED_LEN];

            memcpy(msg, label, sizeof(label) - 1);
            memcpy(msg + sizeof(label) - 1, seed, MFAB_PKI_DAC_SEED_LEN);
            mfab_sha256(msg, sizeof(msg), raw);
        } else if (RAND_bytes(raw, SERIAL_LEN) != 1) {
            return mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                      "cannot draw a serial number");
        }
        raw[0] &= 0x7F;
        for (i = 0; i < SERIAL_LEN && raw[i] == 0; i++)
            ;
        if (i < SERIAL_LEN)
            break;
        if (seed != NULL) { /* one chance in 2^159: still deterministic */
            raw[SERIAL_LEN - 1] = 1;
            i = SERIAL_LEN - 1;
            break;
        }
    }
    *out_len = 0;
    if (raw[i] & 0x80)
        out[(*out_len)++] = 0x00;
    memcpy(out + *out_len, raw + i, SERIAL_LEN - i);
    *out_len += SERIAL_LEN - i;
    return 0;
}

/* UTCTime for 1950..2049, else GeneralizedTime (RFC 5280 4.1.2.5). */
static int
put_time(mfab_der_writer *w, time_t t, mfab_diag *diag)
{
    struct tm tm;
    char text[64];
    int y;

    if (gmtime_r(&t, &tm) == NULL || tm.tm_year + 1900 > 9999 ||
        tm.tm_year + 1900 < 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "validity cannot be encoded (year after 9999)");
    y = tm.tm_year + 1900;
    if (y >= 1950 && y < 2050) {
        snprintf(text, sizeof(text), "%02d%02d%02d%02d%02d%02dZ", y % 100,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        mfab_der_put(w, 0x17, (const uint8_t *)text, 13);
    } else {
        snprintf(text, sizeof(text), "%04d%02d%02d%02d%02d%02dZ", y,
                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        mfab_der_put(w, 0x18, (const uint8_t *)text, 15);
    }
    return 0;
}

static int
put_validity(mfab_der_writer *w, const mfab_pki_issue_options *o,
             mfab_diag *diag)
{
    static const uint8_t no_expiry[] = "99991231235959Z";
    uint8_t both[2 * 17];
    mfab_der_writer inner = {both, sizeof(both), 0};
    int rc;

    rc = put_time(&inner, o->not_before, diag);
    if (rc < 0)
        return rc;
    if (o->lifetime_days == MFAB_PKI_LIFETIME_NO_EXPIRY)
        mfab_der_put(&inner, 0x18, no_expiry, sizeof(no_expiry) - 1);
    else
        rc = put_time(&inner,
                      o->not_before +
                          (time_t)o->lifetime_days * SECONDS_PER_DAY - 1,
                      diag);
    if (rc == 0)
        mfab_der_put(w, 0x30, both, inner.len);
    return rc;
}

/* CN, then VID and PID as Matter attributes unless they are in the CN. */
static int
put_subject(mfab_der_writer *w, const mfab_pki_issue_options *o,
            mfab_diag *diag)
{
    static const char hex[] = "0123456789ABCDEF";
    char cn[MFAB_PKI__CN_MAX + 1];
    uint8_t id[sizeof(id_rdn) + 6];
    size_t cn_len, atv, ids = 0;
    int rc, i;

    rc = mfab_pki__issue_cn(cn, o, diag);
    if (rc < 0)
        return rc;
    cn_len = strlen(cn);
    atv = mfab_der_size(sizeof(oid_cn)) + mfab_der_size(cn_len);
    if (!o->vid_pid_as_cn)
        ids = 2 * sizeof(id);
    mfab_der_put_header(w, 0x30, mfab_der_size(mfab_der_size(atv)) + ids);
    mfab_der_put_header(w, 0x31, mfab_der_size(atv));
    mfab_der_put_header(w, 0x30, atv);
    mfab_der_put(w, 0x06, oid_cn, sizeof(oid_cn));
    mfab_der_put(w, 0x0C, (const uint8_t *)cn, cn_len);
    for (i = 0; i < 2 && ids != 0; i++) {
        uint16_t v = i == 0 ? o->vid : o->pid;

        memcpy(id, id_rdn, sizeof(id_rdn));
        id[sizeof(id_rdn) - 1] = (uint8_t)(i + 1);
        id[sizeof(id_rdn)] = 0x0C;
        id[sizeof(id_rdn) + 1] = 4;
        id[sizeof(id_rdn) + 2] = (uint8_t)hex[v >> 12];
        id[sizeof(id_rdn) + 3] = (uint8_t)hex[(v >> 8) & 0xF];
        id[sizeof(id_rdn) + 4] = (uint8_t)hex[(v >> 4) & 0xF];
        id[sizeof(id_rdn) + 5] = (uint8_t)hex[v & 0xF];
        mfab_der_put_raw(w, id, sizeof(id));
    }
    return 0;
}

/* pub must be an uncompressed point on P-256 */
static int
check_point(const uint8_t pub[PUB_LEN], mfab_diag *diag)
{
    const EC_GROUP *group = mfab_ec_p256();
    EC_POINT *pt = group != NULL ? EC_POINT_new(group) : NULL;
    int ok = pt != NULL && pub[0] == 0x04 &&
             EC_POINT_oct2point(group, pt, pub, PUB_LEN, NULL) == 1;

    EC_POINT_free(pt);
    if (ok)
        return 0;
    ERR_clear_error();
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "DAC public key is not an uncompressed P-256 point");
}

static int
sign(uint8_t *sig, size_t *sig_len, const mfab_pki_issuer *iss,
     const uint8_t *tbs, size_t tbs_len, const uint8_t *seed, mfab_diag *diag)
{
    EVP_PKEY_CTX *ctx;
    uint8_t digest[SHA256_DIGEST_LENGTH];
    int ok;

    /* an engine key may export some scalar that is not the token's: refuse
     * rather than sign with it */
    if (seed != NULL && mfab_pki__is_token_key(iss->key))
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "deterministic signatures need the PAI private "
                             "scalar (a key held in an HSM cannot be used)");
    if (seed != NULL)
        return mfab_ecdsa_sign_rfc6979(sig, SIG_MAX, sig_len, iss->key,
                                       "SHA256", tbs, tbs_len, diag);
    *sig_len = SIG_MAX;
    mfab_sha256(tbs, tbs_len, digest);
    ctx = EVP_PKEY_CTX_dup(iss->signer);
    ok = ctx != NULL &&
         EVP_PKEY_sign(ctx, sig, sig_len, digest, sizeof(digest)) == 1;
    EVP_PKEY_CTX_free(ctx);
    return ok ? 0
              : mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                   "cannot sign the DAC with the PAI key");
}

/* see matterfab/pki.h */
int
mfab_pki_issuer_issue_dac(uint8_t *buf, size_t cap, size_t *out_len,
                          const mfab_pki_issuer *iss,
                          const mfab_pki_issue_options *opts,
                          const uint8_t pub[65], const uint8_t *seed,
                          mfab_diag *diag)
{
    uint8_t body[MFAB_PKI_DAC_DER_MAX], tbs[MFAB_PKI_DAC_DER_MAX];
    uint8_t serial[SERIAL_LEN + 1] = {0}, skid[SHA_DIGEST_LENGTH];
    uint8_t sig[SIG_MAX];
    mfab_der_writer b = {body, sizeof(body), 0};
    mfab_der_writer t = {tbs, sizeof(tbs), 0};
    mfab_der_writer c = {buf, cap, 0};
    size_t serial_len = 0, sig_len = 0;
    int rc;

    *out_len = 0;
    if (opts->type != MFAB_PKI_DAC)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "the issuer writes DACs only (use "
                             "mfab_pki_issue for a PAA or PAI)");
    rc = mfab_pki__issue_check_options(opts, 1, diag);
    if (rc == 0)
        rc = mfab_pki__issue_check_ids(opts, &iss->ids, diag);
    if (rc == 0)
        rc = check_point(pub, diag);
    if (rc == 0)
        rc = make_serial(serial, &serial_len, seed, diag);
    if (rc < 0)
        return rc;
    if (buf == NULL) /* measure the longest: 21-octet serial, 72-byte sig */
        serial_len = SERIAL_LEN + 1;
    mfab_der_put_raw(&b, version_v3, sizeof(version_v3));
    mfab_der_put(&b, 0x02, serial, serial_len);
    mfab_der_put_raw(&b, iss->head, iss->head_len);
    rc = put_validity(&b, opts, diag);
    if (rc == 0)
        rc = put_subject(&b, opts, diag);
    if (rc < 0)
        return rc;
    mfab_der_put_raw(&b, spki_p256, sizeof(spki_p256));
    mfab_der_put_raw(&b, pub, PUB_LEN);
    mfab_der_put_raw(&b, ext_dac, sizeof(ext_dac));
    SHA1(pub, PUB_LEN, skid);
    mfab_der_put_raw(&b, skid, sizeof(skid));
    mfab_der_put_raw(&b, iss->akid_ext, sizeof(iss->akid_ext));
    /* sizes are bounded by the issuer name limit checked at setup */
    mfab_der_put(&t, 0x30, body, b.len);
    sig_len = SIG_MAX;
    rc = buf != NULL ? sign(sig, &sig_len, iss, tbs, t.len, seed, diag) : 0;
    if (rc < 0)
        return rc;
    mfab_der_put_header(
        &c, 0x30, t.len + sizeof(ecdsa_sha256) + mfab_der_size(sig_len + 1));
    mfab_der_put_raw(&c, tbs, t.len);
    mfab_der_put_raw(&c, ecdsa_sha256, sizeof(ecdsa_sha256));
    mfab_der_put_header(&c, 0x03, sig_len + 1);
    mfab_der_put_raw(&c, (const uint8_t *)"", 1);
    mfab_der_put_raw(&c, sig, sig_len);
    *out_len = c.len;
    if (buf != NULL && c.len > cap)
        return mfab_diag_set(diag, MFAB_EBUFS,
                             "DAC buffer of %zu bytes too small (need %zu)",
                             cap, c.len);
    return 0;
}
