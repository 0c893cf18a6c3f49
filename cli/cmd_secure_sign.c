/*
 * cmd_secure_sign.c: "matterfab secure sign-data | verify-signature |
 * signature-info-v2" (shared/spec/production-images.md sections 4.6,
 * 4.7, 4.9), with espsecure's options and messages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "cmd_secure.h"
#include "matterfab/error.h"
#include "matterfab/io.h"
#include "matterfab/secureboot.h"

static const cli_opt sign_opts[] = {
    { "version", "-v", "{1,2}", "Secure Boot version (default 1)" },
    { "keyfile", "-k", "KEY...",
      "private key(s): PEM/DER file or pkcs11: URI (V2: up to 3)" },
    { "output", "-o", "FILE",
      "signed image (default: overwrite the input)" },
    { "append-signatures", "-a", NULL,
      "V2: keep the valid blocks of a signed input and add after them" },
    { "pub-key", NULL, "PEM...",
      "V2: public key(s) of pre-calculated signatures" },
    { "signature", NULL, "FILE...",
      "V2: pre-calculated signature(s) (RSA raw PSS, ECDSA DER)" },
    { "skip-padding", NULL, NULL,
      "V2: do not pad the data to a multiple of 4096" },
};

static const cli_cmd_spec sign_spec = {
    "secure sign-data", "[options] DATAFILE",
    "Sign an image for Secure Boot V1 (ECDSA P-256 trailer) or V2 "
    "(signature sector).",
    sign_opts, sizeof(sign_opts) / sizeof(sign_opts[0]), 1, -1
};

/* Load every key, or print why not. */
static int
load_keys(EVP_PKEY **keys, const char **paths, int n)
{
    int i;

    for (i = 0; i < n; i++) {
        keys[i] = secure_load_key(paths[i]);
        if (keys[i] == NULL)
            return -1;
    }
    return 0;
}

static int
sign_v1(const char *in, const char *out, EVP_PKEY *key)
{
    mfab_diag diag;
    uint8_t *data = NULL, *buf = NULL;
    size_t len = 0, olen = 0;
    int rc, ret = CLI_EXIT_ERROR;

    cli_diag_init(&diag);
    if (secure_read(&data, &len, in) != 0)
        goto out;
    rc = mfab_sbv1_sign(NULL, 0, &olen, data, len, key, &diag);
    if (rc == 0) {
        buf = malloc(olen);
        rc = buf == NULL ? MFAB_ENOMEM
                         : mfab_sbv1_sign(buf, olen, &olen, data, len, key,
                                          &diag);
    }
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (secure_write(out, buf, olen, 0) != 0)
        goto out;
    printf("Signed %zu bytes of data from %s with key.\n", len, in);
    ret = CLI_EXIT_OK;
out:
    free(buf);
    mfab_file_free(data, len);
    return ret;
}

static int
sign_v2(const char *in, const char *out, mfab_sbv2_signer *signers, int n,
        unsigned flags)
{
    mfab_diag diag;
    uint8_t *data = NULL, *buf = NULL;
    size_t len = 0, olen = 0;
    int rc, ret = CLI_EXIT_ERROR;

    cli_diag_init(&diag);
    if (secure_read(&data, &len, in) != 0)
        goto out;
    rc = mfab_sbv2_sign(NULL, 0, &olen, data, len, signers, (size_t)n, flags,
                        &diag);
    if (rc == 0) {
        buf = malloc(olen);
        rc = buf == NULL ? MFAB_ENOMEM
                         : mfab_sbv2_sign(buf, olen, &olen, data, len,
                                          signers, (size_t)n, flags, &diag);
    }
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    if (len % MFAB_SB_SECTOR != 0 && !(flags & MFAB_SBV2_SKIP_PADDING))
        printf("Padding data contents by %zu bytes so signature sector "
               "aligns at 4096 bytes\n",
               MFAB_SB_SECTOR - len % MFAB_SB_SECTOR);
    if (secure_write(out, buf, olen, 0) != 0)
        goto out;
    printf("Signed %zu bytes of data from %s with %d key(s).\n",
           olen - MFAB_SB_SECTOR, in, n);
    ret = CLI_EXIT_OK;
out:
    free(buf);
    mfab_file_free(data, len);
    return ret;
}

/* see cmd_secure.h */
int
secure_sign_data(int argc, char **argv)
{
    cli_args args;
    const char *keyp[SECURE_MULTI_MAX], *pubp[SECURE_MULTI_MAX],
        *sigp[SECURE_MULTI_MAX];
    EVP_PKEY *keys[SECURE_MULTI_MAX] = { NULL };
    mfab_sbv2_signer signers[SECURE_MULTI_MAX];
    uint8_t *sigs[SECURE_MULTI_MAX] = { NULL };
    size_t siglen[SECURE_MULTI_MAX] = { 0 };
    int nk, np, ns, extra = 0, version, i, ret = CLI_EXIT_USAGE;
    unsigned flags = 0;
    const char *in, *out;

    i = cli_parse(&args, &sign_spec, argc, argv);
    if (i != CLI_PARSE_OK)
        return i == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    version = secure_version(&args, 1);
    nk = secure_multi(keyp, SECURE_MULTI_MAX, &extra, &args, "keyfile", argc,
                      argv);
    np = secure_multi(pubp, SECURE_MULTI_MAX, &extra, &args, "pub-key", argc,
                      argv);
    ns = secure_multi(sigp, SECURE_MULTI_MAX, &extra, &args, "signature",
                      argc, argv);
    memset(signers, 0, sizeof(signers));
    if (version < 0 || nk < 0 || np < 0 || ns < 0)
        goto out;
    if (extra != args.npos - 1) {
        cli_error("secure sign-data: one data file expected, got '%s' and "
                  "'%s'", args.pos[0], args.pos[args.npos - 1]);
        goto out;
    }
    in = args.pos[args.npos - 1];
    out = cli_has(&args, "output") ? cli_get(&args, "output") : in;
    if ((nk > 0) == (np > 0 || ns > 0)) {
        cli_error("secure sign-data: give either '--keyfile' or '--pub-key' "
                  "with '--signature'");
        goto out;
    }
    if (np != ns) {
        cli_error("secure sign-data: %d '--pub-key' but %d '--signature' "
                  "files (one signature per public key)", np, ns);
        goto out;
    }
    if (version == 1) {
        if (nk != 1) {
            cli_error("secure sign-data: version 1 signs with exactly one "
                      "'--keyfile' (no pre-calculated signatures)");
            goto out;
        }
        ret = CLI_EXIT_ERROR;
        if (load_keys(keys, keyp, 1) == 0)
            ret = sign_v1(in, out, keys[0]);
        goto out;
    }
    ret = CLI_EXIT_ERROR;
    if (nk > 0 && load_keys(keys, keyp, nk) != 0)
        goto out;
    if (np > 0 && load_keys(keys, pubp, np) != 0)
        goto out;
    for (i = 0; i < nk + np; i++) {
        signers[i].key = keys[i];
        if (np > 0) {
            if (secure_read(&sigs[i], &siglen[i], sigp[i]) != 0)
                goto out;
            signers[i].sig = sigs[i];
            signers[i].sig_len = siglen[i];
        }
    }
    if (cli_has(&args, "append-signatures"))
        flags |= MFAB_SBV2_APPEND;
    if (cli_has(&args, "skip-padding"))
        flags |= MFAB_SBV2_SKIP_PADDING;
    ret = sign_v2(in, out, signers, nk + np, flags);
out:
    for (i = 0; i < SECURE_MULTI_MAX; i++) {
        EVP_PKEY_free(keys[i]);
        mfab_file_free(sigs[i], siglen[i]);
    }
    return ret;
}

static const cli_opt verify_opts[] = {
    { "version", "-v", "{1,2}", "Secure Boot version (default 1)" },
    { "keyfile", "-k", "KEY",
      "public or private key (V1 also: raw 64-byte key)" },
    { "skip-padding", NULL, NULL,
      "V2: accept data that is not a multiple of 4096" },
};

static const cli_cmd_spec verify_spec = {
    "secure verify-signature", "[options] DATAFILE",
    "Verify a Secure Boot signed image against a key; V2 tries every "
    "signature block and requires the block to carry the supplied key.",
    verify_opts, sizeof(verify_opts) / sizeof(verify_opts[0]), 1, 1
};

/* V1 keys may be 64 raw bytes BE(X) || BE(Y) as extract-public-key
 * --version 1 writes them. */
static EVP_PKEY *
load_v1_key(const char *path)
{
    mfab_diag diag;
    EVP_PKEY *key = NULL;
    uint8_t *raw = NULL;
    size_t len = 0;
    int rc;

    if (secure_read(&raw, &len, path) != 0)
        return NULL;
    if (len == 64 && memcmp(raw, "-----", 5) != 0) {
        cli_diag_init(&diag);
        rc = mfab_sbv1_pubkey_from_raw(&key, raw, &diag);
        if (rc != 0)
            cli_fail(&diag, rc);
    } else {
        key = secure_load_key(path);
    }
    mfab_file_free(raw, len);
    return key;
}

/* espsecure's word for a block's scheme, by mfab_sb_scheme */
static const char *const kind[] = { "", "RSA", "ECDSA", "ECDSA", "ECDSA" };

static void
print_slots(const mfab_sbv2_verify_result *r)
{
    int i;

    for (i = 0; i < MFAB_SBV2_MAX_BLOCKS; i++) {
        const mfab_sbv2_block_info *b = &r->info.blocks[i];

        if (!b->valid) {
            printf("Signature block %d invalid. Skipping.\n", i);
            continue;
        }
        printf("Signature block %d is valid (%s).\n", i, kind[b->scheme]);
        switch (r->slot[i]) {
        case MFAB_SBV2_SLOT_VERIFIED:
            printf("Signature block %d verification successful using the "
                   "supplied key (%s).\n", i, kind[b->scheme]);
            break;
        case MFAB_SBV2_SLOT_OTHER_KEY:
            printf("Signature block %d is not signed by the supplied key. "
                   "Checking the next block...\n", i);
            break;
        case MFAB_SBV2_SLOT_BAD_DIGEST:
            printf("Signature block %d: image digest does not match the "
                   "data (image modified). Checking the next block...\n", i);
            break;
        default:
            printf("Signature block %d: signature does not verify. "
                   "Checking the next block...\n", i);
            break;
        }
    }
}

/* see cmd_secure.h */
int
secure_verify_signature(int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    mfab_sbv2_verify_result res;
    EVP_PKEY *key = NULL;
    uint8_t *data = NULL;
    size_t len = 0;
    int version, rc, ret = CLI_EXIT_USAGE;
    unsigned flags = 0;

    rc = cli_parse(&args, &verify_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    version = secure_version(&args, 1);
    if (version < 0)
        goto out;
    if (!cli_has(&args, "keyfile")) {
        cli_error("secure verify-signature: '--keyfile' is required");
        goto out;
    }
    ret = CLI_EXIT_ERROR;
    cli_diag_init(&diag);
    key = version == 1 ? load_v1_key(cli_get(&args, "keyfile"))
                       : secure_load_key(cli_get(&args, "keyfile"));
    if (key == NULL || secure_read(&data, &len, args.pos[0]) != 0)
        goto out;
    if (version == 1) {
        if (len >= MFAB_SBV1_TRAILER_LEN)
            printf("Verifying %zu bytes of data...\n",
                   len - MFAB_SBV1_TRAILER_LEN);
        rc = mfab_sbv1_verify(data, len, key, &diag);
        if (rc == 0)
            printf("Signature is valid.\n");
    } else {
        if (cli_has(&args, "skip-padding"))
            flags |= MFAB_SBV2_SKIP_PADDING;
        rc = mfab_sbv2_verify(&res, data, len, key, flags, &diag);
        if (rc == 0 || rc == MFAB_ECRYPTO)
            print_slots(&res);
    }
    if (rc != 0) {
        fflush(stdout);
        cli_fail(&diag, rc);
        goto out;
    }
    ret = CLI_EXIT_OK;
out:
    EVP_PKEY_free(key);
    mfab_file_free(data, len);
    return ret;
}

static const cli_cmd_spec info_spec = {
    "secure signature-info-v2", "DATAFILE",
    "Print each Secure Boot V2 signature block of an image and the eFuse "
    "digest of its key.",
    NULL, 0, 1, 1
};

/* see cmd_secure.h */
int
secure_signature_info_v2(int argc, char **argv)
{
    cli_args args;
    mfab_diag diag;
    mfab_sbv2_info info;
    uint8_t *data = NULL;
    size_t len = 0, i, j;
    int rc, ret = CLI_EXIT_ERROR;

    rc = cli_parse(&args, &info_spec, argc, argv);
    if (rc != CLI_PARSE_OK)
        return rc == CLI_PARSE_HELP ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    cli_diag_init(&diag);
    if (secure_read(&data, &len, args.pos[0]) != 0)
        goto out;
    rc = mfab_sbv2_info_read(&info, data, len, &diag);
    if (rc != 0) {
        cli_fail(&diag, rc);
        goto out;
    }
    for (i = 0; i < info.nblocks; i++) {
        printf("Signature block %zu is valid (%s).\n", i,
               kind[info.blocks[i].scheme]);
        printf("Public key digest for block %zu:", i);
        for (j = 0; j < 32; j++)
            printf(" %02x", info.blocks[i].key_digest[j]);
        printf("\n");
    }
    if (info.nblocks < MFAB_SBV2_MAX_BLOCKS)
        printf("Signature block %zu absent/invalid. Skipping checking next "
               "blocks...\n", info.nblocks);
    ret = CLI_EXIT_OK;
out:
    mfab_file_free(data, len);
    return ret;
}
