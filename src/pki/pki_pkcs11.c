/*
 * pki_pkcs11.c: private keys held in a PKCS#11 token (HSM), named by an
 * RFC 7512 URI such as "pkcs11:token=factory;object=pai;pin-value=1234",
 * reached through libp11's OpenSSL engine (Debian libengine-pkcs11-openssl,
 * engine id "pkcs11").
 *
 * Why the engine: OpenSSL 3.0 deprecates ENGINE in favour of providers, but
 * Debian's OpenSSL 3.0 has no packaged PKCS#11 provider, and the engine
 * gives an EVP_PKEY that X509_sign and CMS_sign use unchanged (OpenSSL
 * routes "foreign" EC keys through the legacy method, which calls C_Sign).
 * The deprecation warnings are silenced in this file only.
 *
 * Lifetime: the engine's PKCS#11 context must outlive every key it loaded,
 * so each key carries a functional engine reference in its ex_data,
 * released after the key itself by EVP_PKEY_free.
 *
 * Secrets: the URI may hold "pin-value"; it is never copied into a
 * message (redacted to "pin-value=***").
 */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/ui.h>

#include "matterfab/error.h"
#include "pki/pki_internal.h"

#define URI_MAX 2048

static CRYPTO_ONCE engine_index_once = CRYPTO_ONCE_STATIC_INIT;
static int engine_index = -1;

static void
engine_ref_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
                long argl, void *argp)
{
    (void)parent;
    (void)ad;
    (void)idx;
    (void)argl;
    (void)argp;
    if (ptr != NULL)
        ENGINE_finish(ptr);
}

/* EVP_PKEY_dup copies the pointer: take one more functional reference. */
static int
engine_ref_dup(CRYPTO_EX_DATA *to, const CRYPTO_EX_DATA *from, void **from_d,
               int idx, long argl, void *argp)
{
    (void)to;
    (void)from;
    (void)idx;
    (void)argl;
    (void)argp;
    if (*from_d != NULL)
        return ENGINE_init(*from_d);
    return 1;
}

static void
engine_index_init(void)
{
    engine_index = EVP_PKEY_get_ex_new_index(0, NULL, NULL, engine_ref_dup,
                                             engine_ref_free);
}

/* Copy uri into out with every pin-value redacted. */
static void
redact(char *out, size_t cap, const char *uri)
{
    const char *pin = strstr(uri, "pin-value=");

    if (pin == NULL) {
        snprintf(out, cap, "%s", uri);
        return;
    }
    const char *end = pin + strcspn(pin, ";?&");
    snprintf(out, cap, "%.*spin-value=***%s", (int)(pin - uri), uri, end);
}

/*
 * Split the RFC 7512 query attribute module-path off the URI (libp11 does
 * not know it): engine_uri gets the rest, module the value when present.
 */
static int
split_module_path(char *engine_uri, size_t cap, char *module,
                  size_t module_cap, const char *uri)
{
    const char *q = strchr(uri, '?');
    const char *attr;
    size_t n;

    module[0] = '\0';
    if (strlen(uri) >= cap)
        return -1;
    if (q == NULL) {
        memcpy(engine_uri, uri, strlen(uri) + 1);
        return 0;
    }
    n = (size_t)(q - uri);
    memcpy(engine_uri, uri, n);
    engine_uri[n] = '\0';
    attr = q + 1;
    while (*attr != '\0') {
        size_t len = strcspn(attr, "&");

        if (strncmp(attr, "module-path=", 12) == 0) {
            if (len - 12 >= module_cap)
                return -1;
            memcpy(module, attr + 12, len - 12);
            module[len - 12] = '\0';
        } else {
            size_t used = strlen(engine_uri);
            int first = strchr(engine_uri, '?') == NULL;

            if (used + len + 2 > cap)
                return -1;
            engine_uri[used] = first ? '?' : '&';
            memcpy(engine_uri + used + 1, attr, len);
            engine_uri[used + 1 + len] = '\0';
        }
        attr += len;
        if (*attr == '&')
            attr++;
    }
    return 0;
}

/* Never prompt on a terminal: a PIN must come from the URI or the caller. */
static int
refuse_prompt(UI *ui, UI_STRING *uis)
{
    (void)ui;
    (void)uis;
    return 0;
}

/* see pki_internal.h */
int
mfab_pki__is_token_key(const EVP_PKEY *key)
{
    if (!CRYPTO_THREAD_run_once(&engine_index_once, engine_index_init) ||
        engine_index < 0)
        return 0;
    return EVP_PKEY_get_ex_data(key, engine_index) != NULL;
}

/* see pki_internal.h */
int
mfab_pki__pkcs11_load(EVP_PKEY **out, const char *uri,
                      const mfab_pki_key_options *opts, mfab_diag *diag)
{
    char engine_uri[URI_MAX], module[URI_MAX], shown[URI_MAX];
    const char *module_path;
    ENGINE *e = NULL;
    UI_METHOD *ui = NULL;
    EVP_PKEY *key = NULL;
    int initialised = 0, rc = 0;

    *out = NULL;
    redact(shown, sizeof(shown), uri);
    if (split_module_path(engine_uri, sizeof(engine_uri), module,
                          sizeof(module), uri) != 0)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "PKCS#11 URI '%s' is too long (max %d bytes)",
                             shown, URI_MAX - 1);
    if (opts->pkcs11_module != NULL && opts->pkcs11_module[0] != '\0')
        module_path = opts->pkcs11_module;
    else if (module[0] != '\0')
        module_path = module;
    else if (access(MFAB_PKI_PKCS11_SOFTHSM, R_OK) == 0)
        module_path = MFAB_PKI_PKCS11_SOFTHSM;
    else
        module_path = MFAB_PKI_PKCS11_PROXY;
    if (access(module_path, R_OK) != 0) {
        rc = mfab_diag_set(diag, MFAB_ENOTFOUND,
                           "PKCS#11 module '%s' not found (for key '%s')",
                           module_path, shown);
        goto out;
    }
    if (!CRYPTO_THREAD_run_once(&engine_index_once, engine_index_init) ||
        engine_index < 0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM,
                                "cannot register the PKCS#11 key slot");
        goto out;
    }
    e = ENGINE_by_id("pkcs11");
    if (e == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot load the OpenSSL engine 'pkcs11' "
                                "(Debian package libengine-pkcs11-openssl)");
        goto out;
    }
    /* QUIET: libp11 would otherwise print the URI, PIN included, on
     * stderr when an object is not found. */
    if (!ENGINE_ctrl_cmd(e, "QUIET", 0, NULL, NULL, 0) ||
        !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module_path, 0) ||
        (opts->pass != NULL && strstr(uri, "pin-value=") == NULL &&
         !ENGINE_ctrl_cmd_string(e, "PIN", opts->pass, 0))) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot configure the pkcs11 engine for '%s'",
                                module_path);
        goto out;
    }
    if (!ENGINE_init(e)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO,
                                "cannot open PKCS#11 module '%s'",
                                module_path);
        goto out;
    }
    initialised = 1;
    ui = UI_create_method("matterfab: no prompt");
    if (ui == NULL || UI_method_set_reader(ui, refuse_prompt) != 0) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM,
                                "cannot load key '%s'", shown);
        goto out;
    }
    key = ENGINE_load_private_key(e, engine_uri, ui, NULL);
    if (key == NULL) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOTFOUND,
                                "no private key '%s' in PKCS#11 module '%s' "
                                "(check token, object, id and PIN)",
                                shown, module_path);
        goto out;
    }
    if (!EVP_PKEY_set_ex_data(key, engine_index, e)) {
        rc = mfab_diag_set_ossl(diag, MFAB_ENOMEM,
                                "cannot load key '%s'", shown);
        goto out;
    }
    initialised = 0; /* the key owns the functional reference now */
    *out = key;
    key = NULL;
out:
    OPENSSL_cleanse(engine_uri, sizeof(engine_uri));
    EVP_PKEY_free(key);
    UI_destroy_method(ui);
    if (initialised)
        ENGINE_finish(e);
    ENGINE_free(e);
    return rc;
}
