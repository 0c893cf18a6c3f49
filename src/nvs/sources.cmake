list(APPEND MFAB_SOURCES
    nvs/nvs_crc.c
    nvs/nvs_page.c
    nvs/nvs_write.c
    nvs/nvs_value.c
    nvs/nvs_csv.c
)
