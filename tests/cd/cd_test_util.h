/*
 * cd_test_util.h: what the cd tests share: listing vector folders at test
 * time, hex fields of the cd-decode JSON, the SDK test CD signing
 * credentials.
 */
#ifndef MFAB_CD_TEST_UTIL_H
#define MFAB_CD_TEST_UTIL_H

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "mfab_test.h"
#include "matterfab/cd.h"
#include "matterfab/hex.h"
#include "matterfab/pki.h"

#define CD_TEST_MAX_FILES 128

/* Sorted names in vectors/<rel> ending in suffix ("" for all); caller
 * frees each and returns the count. */
static inline size_t
cd_test_list(char **names, const char *rel, const char *suffix)
{
    char dir[1024];
    struct dirent *de;
    DIR *d;
    size_t n = 0, i, j, sl = strlen(suffix);

    mfab_test_vpath(dir, sizeof(dir), rel);
    d = opendir(dir);
    if (d == NULL)
        fail_msg("cannot list '%s'", dir);
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < sl ||
            strcmp(de->d_name + l - sl, suffix) != 0)
            continue;
        assert_true(n < CD_TEST_MAX_FILES);
        names[n++] = strdup(de->d_name);
    }
    closedir(d);
    for (i = 1; i < n; i++)
        for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char *t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    return n;
}

/* Decode a hex string field of a JSON object into a malloc'ed buffer. */
static inline uint8_t *
cd_test_hex(json_t *obj, const char *key, size_t *len)
{
    const char *s = json_string_value(json_object_get(obj, key));
    uint8_t *buf;

    if (s == NULL)
        fail_msg("no string '%s' in the vector", key);
    buf = malloc(strlen(s) / 2 + 1);
    assert_non_null(buf);
    assert_int_equal(
        mfab_hex_decode(buf, strlen(s) / 2 + 1, len, s, strlen(s), NULL), 0);
    return buf;
}

/* "0xFFF1" -> 0xFFF1 */
static inline unsigned long
cd_test_num(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    if (json_is_integer(v))
        return (unsigned long)json_integer_value(v);
    if (!json_is_string(v))
        fail_msg("no number '%s' in the vector", key);
    return strtoul(json_string_value(v), NULL, 0);
}

/* The SDK test CD signing key and certificate (sdk-test/). */
static inline void
cd_test_signer(EVP_PKEY **key, X509 **cert)
{
    char path[1024];

    if (key != NULL) {
        mfab_test_vpath(path, sizeof(path),
                        "pki/sdk-test/Chip-Test-CD-Signing-Key.pem");
        assert_int_equal(mfab_pki_key_load(key, path, NULL, NULL), 0);
    }
    if (cert != NULL) {
        mfab_test_vpath(path, sizeof(path),
                        "pki/sdk-test/Chip-Test-CD-Signing-Cert.pem");
        assert_int_equal(mfab_pki_cert_load(cert, path, NULL), 0);
    }
}

/* A whole vector file, malloc'ed. */
static inline uint8_t *
cd_test_read(const char *rel, size_t *len)
{
    char path[1024];

    mfab_test_vpath(path, sizeof(path), rel);
    return mfab_test_read(path, len);
}

#endif
