/*
 * fuzz_pki_cert.c: libFuzzer target for attestation certificate parsing
 * (spec attestation.md 2): DER/PEM parse, the per-role profile check,
 * Matter VID/PID extraction, key identifiers, "show" description, CSR
 * parsing, and the full validation order with the fuzzed certificate in
 * every role (DAC, PAI and PAA, explicit and looked up by AKID).
 */
#include <stdint.h>
#include <stdlib.h>

#include <openssl/err.h>

#include "matterfab/error.h"
#include "matterfab/pki.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mfab_pki_validate_input in = MFAB_PKI_VALIDATE_INPUT_INIT;
    mfab_pki_verdict verdict;
    mfab_pki_cert_info info;
    mfab_pki_vidpid ids;
    uint8_t id[MFAB_PKI_KEY_ID_LEN];
    const uint8_t *store[1] = {data};
    size_t store_len[1] = {size};
    EVP_PKEY *pub = NULL;
    X509 *cert = NULL;

    if (mfab_pki_csr_public_key(&pub, data, size, NULL) == 0)
        EVP_PKEY_free(pub);
    if (mfab_pki_cert_parse(&cert, data, size, NULL) == 0) {
        (void)mfab_pki_cert_check_format(cert, MFAB_PKI_PAA, NULL);
        (void)mfab_pki_cert_check_format(cert, MFAB_PKI_PAI, NULL);
        (void)mfab_pki_cert_check_format(cert, MFAB_PKI_DAC, NULL);
        (void)mfab_pki_cert_vidpid(&ids, cert, NULL);
        (void)mfab_pki_cert_skid(id, cert, NULL);
        (void)mfab_pki_cert_akid(id, cert, NULL);
        (void)mfab_pki_cert_describe(&info, cert, NULL);
        X509_free(cert);
    }
    in.dac = data;
    in.dac_len = size;
    in.pai = data;
    in.pai_len = size;
    in.paa = store;
    in.paa_len = store_len;
    in.npaa = 1;
    in.now = 1767225600; /* 2026-01-01 */
    in.paa_explicit = 1;
    (void)mfab_pki_validate(&verdict, &in, NULL);
    in.paa_explicit = 0;
    (void)mfab_pki_validate(&verdict, &in, NULL);
    ERR_clear_error();
    return 0;
}
