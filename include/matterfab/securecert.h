/*
 * matterfab/securecert.h: Espressif esp_secure_cert partitions (TLV
 * format), as esp-secure-cert-tool writes them and the firmware's
 * esp_secure_cert_find_tlv() reads them.
 *
 * Spec: shared/spec/attestation.md section 5. The image is a run of
 * entries packed from offset 0, each a multiple of 16 bytes (the partition
 * may be flash-encrypted); the first word that is not the magic ends it.
 *
 * Neither side allocates; entries returned by the reader borrow the image.
 */
#ifndef MATTERFAB_SECURECERT_H
#define MATTERFAB_SECURECERT_H

#include <stddef.h>
#include <stdint.h>

#include "matterfab/diag.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MFAB_SECURECERT_MAGIC 0xBA5EBA11u
/** Partition size esp-matter-mfg-tool uses (and tool 2.3.6 pads to). */
#define MFAB_SECURECERT_PARTITION_SIZE 8192u
/** Bytes an entry adds to its data: 12 of header, 4 of CRC. */
#define MFAB_SECURECERT_OVERHEAD 16u

/* Entry types (spec 5.3). */
#define MFAB_SECURECERT_CA_CERT 0
#define MFAB_SECURECERT_DEV_CERT 1
#define MFAB_SECURECERT_PRIV_KEY 2
#define MFAB_SECURECERT_DS_DATA 3
#define MFAB_SECURECERT_DS_CONTEXT 4
#define MFAB_SECURECERT_HMAC_ECDSA_KEY_SALT 5
#define MFAB_SECURECERT_SEC_CFG 6
#define MFAB_SECURECERT_TEE_SEC_STORAGE_KEY 7
#define MFAB_SECURECERT_SIGNATURE_BLOCK 8
#define MFAB_SECURECERT_INTEGRITY 9
#define MFAB_SECURECERT_TLV_END 50
#define MFAB_SECURECERT_USER_DATA_1 51
#define MFAB_SECURECERT_USER_DATA_5 55
#define MFAB_SECURECERT_MATTER_TLV_1 201
#define MFAB_SECURECERT_MATTER_TLV_2 202

/* Subtypes of MATTER_TLV_1 that esp-matter-mfg-tool writes (spec 5.5). */
#define MFAB_SECURECERT_MATTER_DISCRIMINATOR 0
#define MFAB_SECURECERT_MATTER_VERIFIER 1
#define MFAB_SECURECERT_MATTER_SALT 2
#define MFAB_SECURECERT_MATTER_ITERATIONS 3
#define MFAB_SECURECERT_MATTER_RD_ID_UID 4

/** Flag: the private key lives in an eFuse key block (ECDSA peripheral). */
#define MFAB_SECURECERT_FLAG_KEY_IN_EFUSE 0x08u

typedef struct mfab_securecert_entry {
    uint8_t type;
    uint8_t subtype;
    uint8_t flags;
    const uint8_t *data; /**< borrowed */
    uint16_t len;
    size_t offset; /**< reader: where the entry starts */
    uint32_t crc;  /**< reader: the stored CRC */
    int crc_ok;    /**< reader: 1 when the stored CRC matches */
} mfab_securecert_entry;

typedef enum mfab_securecert_layout {
    /** esp-secure-cert-tool 2.3.6: 8 KiB, end marker FF FF 00 00, 0xFF
     *  fill (what esp-matter-mfg-tool produces) */
    MFAB_SECURECERT_LAYOUT_PADDED = 0,
    /** tools >= 2.4.0: only the bytes the entries use */
    MFAB_SECURECERT_LAYOUT_COMPACT
} mfab_securecert_layout;

/**
 * Write entries (type, subtype, flags, data, len are read; the rest is
 * ignored) in the given order.
 * @param buf NULL to measure
 * @param[out] out_len image size (set even on MFAB_EBUFS)
 * @return 0; MFAB_EINVAL for a reserved type (50, 254, 255), a duplicate
 *         (type, subtype) or a NULL data pointer with len > 0; MFAB_ERANGE
 *         when the entries (and end marker) exceed 8192 bytes in the padded
 *         layout; MFAB_EBUFS
 */
int mfab_securecert_write(uint8_t *buf, size_t cap, size_t *out_len,
                          const mfab_securecert_entry *entries, size_t n,
                          mfab_securecert_layout layout, mfab_diag *diag);

typedef struct mfab_securecert_reader {
    const uint8_t *image;
    size_t len;
    size_t pos;
    unsigned index;
} mfab_securecert_reader;

void mfab_securecert_reader_init(mfab_securecert_reader *r,
                                 const uint8_t *image, size_t len);

/**
 * Next entry, with its CRC checked (crc_ok) but not enforced.
 * @return 0; MFAB_ENOTFOUND at the end of the list (a word that is not the
 *         magic, or the end of the image); MFAB_EFORMAT for an entry that
 *         runs past the end of the image (the message names it)
 */
int mfab_securecert_next(mfab_securecert_reader *r, mfab_securecert_entry *out,
                         mfab_diag *diag);

/**
 * Find an entry as the firmware does: the entry (type, subtype), or with
 * subtype < 0 the one of that type with the highest subtype; its CRC must
 * hold.
 * @return 0, MFAB_ENOTFOUND, MFAB_EFORMAT (truncated, or a CRC mismatch)
 */
int mfab_securecert_find(mfab_securecert_entry *out, const uint8_t *image,
                         size_t len, uint8_t type, int subtype,
                         mfab_diag *diag);

/** The Matter data of MATTER_TLV_1 (spec 5.5); pointers borrow the image. */
typedef struct mfab_securecert_matter {
    /** subtypes 0-3: discriminator, verifier, salt, iteration count */
    int has_commissionable;
    uint16_t discriminator;
    const uint8_t *verifier; /**< MFAB_SPAKE2P_VERIFIER_LEN bytes */
    const uint8_t *salt;
    size_t salt_len;
    uint32_t iterations;
    /** subtype 4 */
    int has_rd_id_uid;
    const uint8_t *rd_id_uid;
    size_t rd_id_uid_len;
} mfab_securecert_matter;

/**
 * Read MATTER_TLV_1 as the firmware does: subtype 0 present means 0-3 all
 * present, each of its size and range (discriminator 2 bytes 0..4095,
 * verifier 97 bytes, salt 16..32 bytes, iterations 4 bytes 1000..100000).
 * @return 0 (has_* tell what is there); MFAB_EFORMAT (the message names
 *         the entry), also for a CRC mismatch of an entry read
 */
int mfab_securecert_matter_read(mfab_securecert_matter *out,
                                const uint8_t *image, size_t len,
                                mfab_diag *diag);

/** "DEV_CERT", "MATTER_TLV_1", "USER_DATA_3", ... or "UNKNOWN". */
const char *mfab_securecert_type_name(uint8_t type);

#ifdef __cplusplus
}
#endif

#endif
