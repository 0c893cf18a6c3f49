/*
 * fuzz_sbv2.c: libFuzzer target for the Secure Boot signature readers
 * (shared/spec/production-images.md sections 4.7, 4.9): the V2 signature
 * sector parser (signature-info-v2), V2 verification of every block
 * (which rebuilds the key embedded in each valid block) and the V1
 * trailer, on arbitrary images.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"

#include "matterfab/secureboot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A fixed P-256 public key (the sbv1 vector's), so verification runs the
 * whole block path including the key comparison. */
static const uint8_t fuzz_pub_raw[64] = {
    0x0e, 0xf2, 0xf9, 0xec, 0x97, 0xbb, 0x73, 0xf7, 0x7f, 0xc6, 0x55,
    0xc8, 0xfc, 0xde, 0xed, 0xfa, 0x3a, 0xc5, 0xab, 0x55, 0xcf, 0x83,
    0x68, 0xa1, 0x95, 0x0e, 0x01, 0x6f, 0x3c, 0x38, 0x43, 0x0c, 0x23,
    0x3b, 0x1e, 0x19, 0x84, 0xc9, 0x37, 0x34, 0xcf, 0xa8, 0x08, 0x25,
    0x4d, 0xb1, 0xf3, 0x9f, 0x5a, 0x25, 0x66, 0x4b, 0xc2, 0x8c, 0xfe,
    0xa1, 0x38, 0xa7, 0x43, 0xe8, 0x64, 0x99, 0x06, 0x78,
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static EVP_PKEY *key;
    uint8_t *copy = NULL;
    mfab_sbv2_info info;
    mfab_sbv2_verify_result res;
    mfab_diag diag = MFAB_DIAG_INIT;

    /* loaded once: key set-up is not what is being fuzzed */
    if (key == NULL && mfab_sbv1_pubkey_from_raw(&key, fuzz_pub_raw,
                                                 NULL) != 0)
        return 0;
    /* Odd first byte: repair the CRC32 of every slot so that mutations
     * reach the field decoders instead of dying at the checksum. */
    if (size >= MFAB_SB_SECTOR && (data[0] & 1) != 0) {
        size_t i;

        copy = malloc(size);
        if (copy == NULL)
            return 0;
        memcpy(copy, data, size);
        for (i = 0; i < MFAB_SBV2_MAX_BLOCKS; i++) {
            uint8_t *b = copy + size - MFAB_SB_SECTOR +
                         i * MFAB_SBV2_BLOCK_LEN;
            mfab_put_le32(b + 1196, mfab_crc32(0, b, 1196));
        }
        data = copy;
    }
    (void)mfab_sbv2_info_read(&info, data, size, &diag);
    mfab_diag_init(&diag);
    (void)mfab_sbv2_verify(&res, data, size, key, MFAB_SBV2_SKIP_PADDING,
                           &diag);
    mfab_diag_init(&diag);
    (void)mfab_sbv1_verify(data, size, key, &diag);
    free(copy);
    return 0;
}
