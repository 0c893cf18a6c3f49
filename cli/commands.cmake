# One line per command source file; each command also has one row in
# commands.h and one page per leaf command in docs/cli/.
list(APPEND MFAB_CLI_SOURCES
    cmd_secure_cert.c
    cmd_ledger.c
    cmd_cd.c
    cmd_cd_print.c
    cmd_pki.c
    cmd_pki_gen.c
    cmd_pki_validate.c
    cmd_pki_show.c
)
