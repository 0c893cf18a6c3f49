/*
 * file_hash.c: SHA-256 of a file, streamed (see matterfab/io.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "matterfab/error.h"
#include "matterfab/io.h"

/* see matterfab/io.h */
int
mfab_file_sha256(uint8_t out[32], uint64_t *out_size, const char *path,
                 mfab_diag *diag)
{
    uint8_t buf[65536];
    EVP_MD_CTX *md = NULL;
    uint64_t size = 0;
    int fd, rc = 0;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return mfab_diag_set(diag, MFAB_ENOTFOUND,
                                 "cannot open '%s': no such file", path);
        return mfab_diag_set(diag, MFAB_EIO, "cannot open '%s': %s", path,
                             strerror(errno));
    }
    md = EVP_MD_CTX_new();
    if (md == NULL || EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "cannot hash '%s'", path);
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = mfab_diag_set(diag, MFAB_EIO, "cannot read '%s': %s", path,
                               strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if (EVP_DigestUpdate(md, buf, (size_t)n) != 1) {
            rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "cannot hash '%s'",
                                    path);
            goto out;
        }
        size += (uint64_t)n;
    }
    if (EVP_DigestFinal_ex(md, out, NULL) != 1) {
        rc = mfab_diag_set_ossl(diag, MFAB_ECRYPTO, "cannot hash '%s'", path);
        goto out;
    }
    *out_size = size;
out:
    EVP_MD_CTX_free(md);
    close(fd);
    return rc;
}
