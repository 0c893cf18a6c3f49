/*
 * ec_p256.c: one P-256 group for the whole process. Building a group
 * costs as much as half a point multiplication (curve parameters,
 * Montgomery contexts), which per device was a visible share of
 * `generate`; the group is read-only once built, so every thread uses
 * the same copy.
 */
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>

#include "common/common_internal.h"

static EC_GROUP *p256;
static CRYPTO_ONCE p256_once = CRYPTO_ONCE_STATIC_INIT;

static void
p256_init(void)
{
    p256 = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1);
}

/* see common_internal.h */
const struct ec_group_st *
mfab_ec_p256(void)
{
    if (CRYPTO_THREAD_run_once(&p256_once, p256_init) != 1)
        return NULL;
    return p256;
}
