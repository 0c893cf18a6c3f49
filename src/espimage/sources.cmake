list(APPEND MFAB_SOURCES
    espimage/espimage_read.c
)
