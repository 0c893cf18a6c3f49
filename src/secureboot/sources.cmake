list(APPEND MFAB_SOURCES
    secureboot/sb_block.c
    secureboot/sb_bootloader.c
    secureboot/sb_keys.c
    secureboot/sb_sig.c
    secureboot/sb_sign.c
    secureboot/sb_v1.c
    secureboot/sb_verify.c
)
