list(APPEND MFAB_SOURCES
    pki/pki_key.c
    pki/pki_pkcs11.c
    pki/pki_cert_io.c
    pki/pki_cert_check.c
    pki/pki_vidpid.c
    pki/pki_chain.c
    pki/pki_verify.c
    pki/pki_verify_cd.c
    pki/pki_issue.c
    pki/pki_dac_key.c
    pki/pki_issuer.c
    pki/pki_info.c
)
