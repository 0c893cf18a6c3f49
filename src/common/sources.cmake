list(APPEND MFAB_SOURCES
    common/crc32.c
    common/diag.c
    common/error.c
    common/file.c
    common/hex.c
)
