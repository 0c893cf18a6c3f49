/*
 * fuzz_encimg.c: libFuzzer target for the pre-encrypted OTA header reader
 * (shared/spec/production-images.md section 6.1) and decryption of
 * hostile headers with a fixed P-256 device key (point decoding, ECDH,
 * HKDF, GCM tag check).
 *
 * Properties beyond "no crash, no leak": a parsed image's ciphertext is
 * exactly bin_size bytes inside the input; decryption of fuzzed bytes
 * never authenticates (a forged GCM tag would be a finding).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "matterfab/encimg.h"
#include "matterfab/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t hmac[MFAB_ENCIMG_HMAC_KEY_LEN] = { 1, 2, 3, 4 };
    static mfab_encimg_key *key;
    mfab_encimg_header h;
    uint8_t *out;
    size_t len = 0;

    if (key == NULL && mfab_encimg_key_from_hmac(&key, hmac, NULL) < 0)
        abort();
    if (mfab_encimg_parse(&h, data, size, NULL) < 0)
        return 0;
    if (h.ciphertext != data + MFAB_ENCIMG_HEADER_LEN ||
        h.ciphertext_len != h.bin_size)
        abort();
    if (size > 64 * 1024)
        return 0;
    if (mfab_encimg_decrypt(NULL, 0, &len, key, data, size, NULL) < 0)
        abort();
    out = malloc(len ? len : 1);
    if (out == NULL)
        return 0;
    if (mfab_encimg_decrypt(out, len, &len, key, data, size, NULL) == 0)
        abort();
    free(out);
    return 0;
}
