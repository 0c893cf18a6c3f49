list(APPEND MFAB_SOURCES
    common/diag.c
    common/error.c
    common/file.c
    common/hex.c
    common/csv.c
)
