list(APPEND MFAB_SOURCES
    spake2p/pbkdf2_sha256.c
    spake2p/sha256_avx512.c
    spake2p/sha256_portable.c
    spake2p/sha256_shani.c
    spake2p/spake2p_params.c
    spake2p/spake2p_verifier.c
    spake2p/rotating_device_id.c
)
# The SHA-NI backend needs the SHA and SSE4.1 instruction sets; it is only
# called after cpuid confirms them (docs/internals/spake2p.md).
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|i.86)$")
    set_source_files_properties(spake2p/sha256_shani.c PROPERTIES
        COMPILE_OPTIONS "-msha;-msse4.1")
endif()
