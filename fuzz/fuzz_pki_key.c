/*
 * fuzz_pki_key.c: libFuzzer target for private key parsing (PEM/DER,
 * SEC1, PKCS#8, encrypted PKCS#8 with a fixed passphrase) and, for keys
 * that parse, every encoding of spec attestation.md 3.3 re-parsed to the
 * same key.
 */
#include <stdint.h>
#include <stdlib.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const mfab_pki_key_format reparse[] = {
        MFAB_PKI_KEY_SEC1_DER, MFAB_PKI_KEY_SEC1_PEM, MFAB_PKI_KEY_PKCS8_DER,
        MFAB_PKI_KEY_PKCS8_PEM};
    EVP_PKEY *key = NULL, *back = NULL;
    uint8_t buf[1024];
    size_t len = 0, i;

    if (mfab_pki_key_parse(&key, data, size, "fuzz", "pass", NULL) == 0) {
        (void)mfab_pki_key_encode(buf, sizeof(buf), &len, key,
                                  MFAB_PKI_KEY_RAW_PRIVATE, NULL);
        (void)mfab_pki_key_encode(buf, sizeof(buf), &len, key,
                                  MFAB_PKI_KEY_RAW_PUBLIC, NULL);
        for (i = 0; i < sizeof(reparse) / sizeof(reparse[0]); i++) {
            if (mfab_pki_key_encode(buf, sizeof(buf), &len, key, reparse[i],
                                    NULL) != 0)
                abort();
            if (mfab_pki_key_parse(&back, buf, len, "re", NULL, NULL) != 0 ||
                EVP_PKEY_eq(key, back) != 1)
                abort();
            EVP_PKEY_free(back);
            back = NULL;
        }
        EVP_PKEY_free(key);
    }
    ERR_clear_error();
    return 0;
}
