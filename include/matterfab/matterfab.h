/*
 * matterfab/matterfab.h: umbrella header for libmatterfab.
 */
#ifndef MATTERFAB_MATTERFAB_H
#define MATTERFAB_MATTERFAB_H

#include "matterfab/error.h"
#include "matterfab/diag.h"
#include "matterfab/io.h"
#include "matterfab/hex.h"
#include "matterfab/nvs_crypt.h"
#include "matterfab/pki.h"
#include "matterfab/secureboot.h"
#include "matterfab/flashenc.h"
#include "matterfab/onboarding.h"
#include "matterfab/base64.h"
#include "matterfab/spake2p.h"
#include "matterfab/tlv.h"
#include "matterfab/cd.h"
#include "matterfab/nvs_read.h"
#include "matterfab/mfg.h"
#include "matterfab/verify.h"

/** Library version, "MAJOR.MINOR.PATCH". */
const char *mfab_version(void);

#endif
