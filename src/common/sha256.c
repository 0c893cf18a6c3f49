/*
 * sha256.c: one-shot SHA-256 with the implementation fetched once per
 * process. OpenSSL 3's SHA256() fetches it on every call (a provider
 * store lookup under a lock); generate hashes about 13 small buffers a
 * device on every worker, where the lookups were ~2 % of its CPU time.
 */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "common/common_internal.h"

static EVP_MD *sha256_md;
static CRYPTO_ONCE sha256_once = CRYPTO_ONCE_STATIC_INIT;

static void
sha256_init(void)
{
    sha256_md = EVP_MD_fetch(NULL, "SHA2-256", NULL);
}

/* see common_internal.h */
void
mfab_sha256(const void *data, size_t len, uint8_t out[32])
{
    if (CRYPTO_THREAD_run_once(&sha256_once, sha256_init) != 1 ||
        sha256_md == NULL ||
        EVP_Digest(data, len, out, NULL, sha256_md, NULL) != 1)
        SHA256(data, len, out); /* the slow way still works */
}
