list(APPEND MFAB_SOURCES
    tlv/tlv_read.c
    tlv/tlv_tag.c
    tlv/tlv_write.c
)
