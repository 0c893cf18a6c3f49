# One line per command source file; each command also has one row in
# commands.h and one page per leaf command in docs/cli/.
list(APPEND MFAB_CLI_SOURCES
    cmd_generate.c
    cmd_secure.c
    cmd_secure_flash.c
    cmd_secure_keys.c
    cmd_secure_sign.c
    cmd_secure_cert.c
    cmd_ledger.c
    cmd_spake2p.c
    cmd_cd.c
    cmd_cd_print.c
    cmd_pki.c
    cmd_pki_gen.c
    cmd_pki_validate.c
    cmd_pki_show.c
    cmd_encimg.c
    cmd_image.c
    cmd_ota.c
    cmd_ota_show.c
    json_out.c
    cmd_nvs.c
    cmd_nvs_mfg.c
    cmd_nvs_crypt.c
    cmd_nvs_dump.c
    cmd_payload.c
    cmd_verify.c
)
