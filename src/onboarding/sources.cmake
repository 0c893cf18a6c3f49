list(APPEND MFAB_SOURCES
    onboarding/passcode.c
)
