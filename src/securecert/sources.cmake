list(APPEND MFAB_SOURCES
    securecert/securecert_write.c
    securecert/securecert_read.c
    securecert/securecert_matter.c
)
