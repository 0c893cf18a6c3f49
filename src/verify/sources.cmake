list(APPEND MFAB_SOURCES
    verify/verify.c
    verify/verify_nvs.c
    verify/verify_securecert.c
    verify/verify_attest.c
    verify/verify_codes.c
    verify/verify_load.c
)
