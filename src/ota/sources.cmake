list(APPEND MFAB_SOURCES
    ota/ota_digest.c
    ota/ota_read.c
    ota/ota_verify.c
    ota/ota_write.c
)
