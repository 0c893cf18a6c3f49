list(APPEND MFAB_SOURCES
    batch/batch_run.c
)
