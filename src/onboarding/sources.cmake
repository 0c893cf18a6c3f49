list(APPEND MFAB_SOURCES
    onboarding/base38.c
    onboarding/manual_code.c
    onboarding/passcode.c
    onboarding/payload_check.c
    onboarding/payload_fields.c
    onboarding/qr_payload.c
    onboarding/qr_tlv.c
    onboarding/verhoeff.c
)
