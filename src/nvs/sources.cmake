list(APPEND MFAB_SOURCES
    nvs/nvs_page.c
    nvs/nvs_write.c
    nvs/nvs_value.c
    nvs/nvs_value_add.c
    nvs/nvs_csv.c
    nvs/nvs_mfg.c
    nvs/nvs_xts.c
    nvs/nvs_keys.c
    nvs/nvs_encrypt.c
    nvs/nvs_read.c
    nvs/nvs_read_page.c
    nvs/nvs_read_values.c
)
