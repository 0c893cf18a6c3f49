list(APPEND MFAB_SOURCES
    common/base64.c
    common/diag.c
    common/error.c
    common/file.c
    common/hex.c
    common/file_hash.c
    common/crc32.c
    common/ecdsa_rfc6979.c
    common/ec_p256.c
    common/sha256.c
    common/csv.c
    common/der_write.c
)
