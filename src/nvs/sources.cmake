list(APPEND MFAB_SOURCES
    nvs/nvs_xts.c
    nvs/nvs_keys.c
    nvs/nvs_encrypt.c
)
