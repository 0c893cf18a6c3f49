/*
 * fuzz_cd.c: libFuzzer target for the Certification Declaration readers
 * (shared/spec/attestation.md 4.2, 4.3): the strict CMS envelope readers,
 * the TLV content decoder, and the payload checks.
 *
 * Every input is tried both as an envelope and as bare TLV content.
 * Property beyond "no crash, no leak": content that decodes and passes
 * chip-cert's checks re-encodes to bytes that decode to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "matterfab/cd.h"
#include "matterfab/error.h"

/* A P-256 key made once: signatures are checked, never expected to pass. */
static EVP_PKEY *fuzz_key;

static void
content_roundtrip(const uint8_t *data, size_t size)
{
    static mfab_cd_content c, again;
    uint8_t buf[MFAB_CD_CONTENT_MAX];
    mfab_cd_device_info info;
    size_t len = 0;
    int result;

    if (mfab_cd_decode_content(&c, data, size, NULL) < 0)
        return;
    memset(&info, 0, sizeof(info));
    info.basic_vid = info.dac_vid = info.pai_vid = c.vendor_id;
    info.basic_pid = info.dac_pid = c.product_id_count ? c.product_ids[0] : 1;
    (void)mfab_cd_check_payload(&result, &c, &info, NULL);
    if (result != MFAB_CD_OK &&
        (result < MFAB_CD_INVALID_FORMAT || result > MFAB_CD_INVALID_PAA))
        abort();
    if (mfab_cd_encode_content(buf, sizeof(buf), &len, &c, NULL) < 0)
        return;
    if (mfab_cd_decode_content(&again, buf, len, NULL) < 0 ||
        memcmp(&c, &again, sizeof(c)) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint8_t skid[MFAB_CD_SKID_LEN];
    mfab_cd_envelope env;
    mfab_diag diag = MFAB_DIAG_INIT;

    if (fuzz_key == NULL)
        fuzz_key = EVP_EC_gen("prime256v1");
    (void)mfab_cd_extract_key_id(skid, data, size, &diag);
    mfab_diag_init(&diag);
    if (mfab_cd_decode_envelope(&env, data, size, &diag) == 0) {
        if (env.content < data || env.content + env.content_len > data + size)
            abort();
        (void)mfab_cd_verify_signature(&env, fuzz_key, NULL);
        content_roundtrip(env.content, env.content_len);
    }
    content_roundtrip(data, size);
    return 0;
}
