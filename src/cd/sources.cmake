list(APPEND MFAB_SOURCES
    cd/cd_attest.c
    cd/cd_cms_sign.c
    cd/cd_cms_verify.c
    cd/cd_der.c
    cd/cd_tlv.c
)
