/*
 * cd_internal.h: what the Certification Declaration files share: the DER
 * element reader/writer the CMS envelope is built and parsed with
 * (ITU-T X.690 definite-length DER, the subset spec attestation.md 4.3
 * needs) and the object identifiers of the envelope.
 */
#ifndef MFAB_CD_INTERNAL_H
#define MFAB_CD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "common/common_internal.h"

/* Universal and context tags the envelope uses (one identifier byte). */
#define MFAB_CD__DER_INTEGER 0x02
#define MFAB_CD__DER_OCTETS 0x04
#define MFAB_CD__DER_OID 0x06
#define MFAB_CD__DER_SEQ 0x30
#define MFAB_CD__DER_SET 0x31
#define MFAB_CD__DER_CTX0 0x80   /* [0] primitive (IMPLICIT SKID) */
#define MFAB_CD__DER_CTX0_C 0xA0 /* [0] constructed (EXPLICIT) */
#define MFAB_CD__DER_CTX1_C 0xA1 /* [1] constructed */

/* OID contents (without the 06 LL header). */
extern const uint8_t mfab_cd__oid_signed_data[9];
extern const uint8_t mfab_cd__oid_data[9];
extern const uint8_t mfab_cd__oid_sha256[9];
extern const uint8_t mfab_cd__oid_ecdsa_sha256[8];

/* One DER element: identifier byte, where its value lies. */
typedef struct mfab_cd__der {
    uint8_t tag;
    const uint8_t *start; /* identifier byte */
    const uint8_t *val;
    size_t len; /* value bytes */
} mfab_cd__der;

/*
 * Read the next element from c: a one-byte identifier (no high tag
 * numbers), a definite minimal length of at most 3 bytes, and a value that
 * lies inside c. Advances c past the value.
 * @return 0, MFAB_EFORMAT
 */
int mfab_cd__der_next(mfab_cursor *c, mfab_cd__der *out);

/* As mfab_cd__der_next, and the identifier must be tag: else MFAB_EFORMAT. */
int mfab_cd__der_expect(mfab_cursor *c, uint8_t tag, mfab_cd__der *out);

/* 1 when e is an OID whose contents equal oid[0..n). */
int mfab_cd__der_is_oid(const mfab_cd__der *e, const uint8_t *oid, size_t n);

#endif
