list(APPEND MFAB_SOURCES
    ledger/ledger_open.c
    ledger/ledger_batch.c
    ledger/ledger_device.c
    ledger/ledger_fileset.c
    ledger/ledger_migrate.c
    ledger/ledger_check.c
)
