list(APPEND MFAB_SOURCES
    flashenc/fe_encrypt.c
    flashenc/fe_esp32.c
    flashenc/fe_key.c
    flashenc/fe_xts.c
)
