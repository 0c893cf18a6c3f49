list(APPEND MFAB_SOURCES
    batch/batch_run.c
    batch/batch_pipe.c
)
