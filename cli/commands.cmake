# One line per command source file; each command also has one row in
# commands.h and one page per leaf command in docs/cli/.
list(APPEND MFAB_CLI_SOURCES
    cmd_secure.c
    cmd_secure_flash.c
    cmd_secure_keys.c
    cmd_secure_sign.c
    cmd_secure_cert.c
    cmd_ledger.c
    cmd_spake2p.c
)
