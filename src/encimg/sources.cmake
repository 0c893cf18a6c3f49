list(APPEND MFAB_SOURCES
    encimg/encimg_crypt.c
    encimg/encimg_header.c
    encimg/encimg_key.c
)
