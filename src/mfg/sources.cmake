list(APPEND MFAB_SOURCES
    mfg/mfg_options.c
    mfg/mfg_check.c
    mfg/mfg_plan.c
    mfg/mfg_template.c
    mfg/mfg_values.c
    mfg/mfg_pki.c
    mfg/mfg_nvs.c
    mfg/mfg_securecert.c
    mfg/mfg_scin.c
    mfg/mfg_device.c
    mfg/mfg_verify.c
    mfg/mfg_write.c
    mfg/mfg_run.c
    mfg/mfg_spill.c
    mfg/mfg_report.c
)
