list(APPEND MFAB_SOURCES
    nvs/nvs_crc.c
)
