list(APPEND MFAB_SOURCES
    pki/pki_key.c
    pki/pki_pkcs11.c
    pki/pki_cert_io.c
)
