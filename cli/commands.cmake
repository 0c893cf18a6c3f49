# One line per command source file; each command also has one row in
# commands.h and one page per leaf command in docs/cli/.
list(APPEND MFAB_CLI_SOURCES
    cmd_payload.c
)
