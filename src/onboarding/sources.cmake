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
list(APPEND MFAB_SOURCES
    onboarding/qr_image.c
    onboarding/qr_png.c
)
# QR symbols come from libqrencode, PNG files from libpng.
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
find_package(PNG REQUIRED)
set(MFAB_ONBOARDING_LIBS PkgConfig::QRENCODE PNG::PNG)
