/* End-to-end tests of "matterfab pki gen-paa|gen-pai|gen-dac|sign-csr"
 * (cli/cmd_pki_gen.c, src/pki/pki_issue.c): generated chains validate with
 * matterfab and with `openssl verify -x509_strict`, every extension's DER
 * equals the spec 2.3 table, keys are 0600, bad inputs leave no output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/x509.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

#include "matterfab/pki.h"
#include "mfab_test.h"

static int
run(const char *dir, const char *line)
{
    mfab_test_run_result r;
    int code;

    mfab_test_run_line(&r, dir, "pki", line);
    code = r.exit_code;
    if (code != 0)
        print_message("'%s' -> %d: %s%s\n", line, code, r.out, r.err);
    mfab_test_run_free(&r);
    return code;
}

static int
sh(const char *dir, const char *cmd)
{
    char buf[2048];

    snprintf(buf, sizeof(buf), "cd '%s' && %s", dir, cmd);
    return system(buf);
}

static X509 *
load(const char *dir, const char *name)
{
    char path[1024];
    X509 *cert = NULL;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(mfab_pki_cert_load(&cert, path, NULL), 0);
    return cert;
}

static void
assert_ext(const X509 *cert, int idx, int nid, int critical, const uint8_t *der,
           size_t len)
{
    X509_EXTENSION *ext = X509_get_ext(cert, idx);
    const ASN1_OCTET_STRING *v;

    assert_non_null(ext);
    assert_int_equal(OBJ_obj2nid(X509_EXTENSION_get_object(ext)), nid);
    assert_int_equal(X509_EXTENSION_get_critical(ext), critical);
    v = X509_EXTENSION_get_data(ext);
    mfab_test_assert_bytes(OBJ_nid2sn(nid), der, len, ASN1_STRING_get0_data(v),
                           (size_t)ASN1_STRING_length(v));
}

/* Extensions exactly as spec 2.3, in the order BC, KU, SKID, AKID. */
static void
assert_profile(const X509 *cert, const X509 *issuer, mfab_pki_cert_type t)
{
    static const uint8_t bc_dac[] = {0x30, 0x00};
    static const uint8_t bc_pai[] = {0x30, 0x06, 0x01, 0x01,
                                     0xFF, 0x02, 0x01, 0x00};
    static const uint8_t bc_paa[] = {0x30, 0x06, 0x01, 0x01,
                                     0xFF, 0x02, 0x01, 0x01};
    static const uint8_t ku_dac[] = {0x03, 0x02, 0x07, 0x80};
    static const uint8_t ku_ca[] = {0x03, 0x02, 0x01, 0x06};
    uint8_t skid[22] = {0x04, 0x14}, akid[24] = {0x30, 0x16, 0x80, 0x14};
    uint8_t point[65];
    size_t n = 0;

    assert_int_equal(X509_get_ext_count(cert), 4);
    assert_int_equal(X509_get_version(cert), 2);
    assert_int_equal(X509_get_signature_nid(cert), NID_ecdsa_with_SHA256);
    assert_int_equal(mfab_pki_key_encode(point, sizeof(point), &n,
                                         X509_get0_pubkey(cert),
                                         MFAB_PKI_KEY_RAW_PUBLIC, NULL),
                     0);
    SHA1(point, n, skid + 2);
    assert_int_equal(mfab_pki_cert_skid(akid + 4, issuer, NULL), 0);
    assert_ext(cert, 0, NID_basic_constraints, 1,
               t == MFAB_PKI_DAC   ? bc_dac
               : t == MFAB_PKI_PAI ? bc_pai
                                   : bc_paa,
               t == MFAB_PKI_DAC ? sizeof(bc_dac) : sizeof(bc_pai));
    assert_ext(cert, 1, NID_key_usage, 1, t == MFAB_PKI_DAC ? ku_dac : ku_ca,
               sizeof(ku_dac));
    assert_ext(cert, 2, NID_subject_key_identifier, 0, skid, sizeof(skid));
    assert_ext(cert, 3, NID_authority_key_identifier, 0, akid, sizeof(akid));
    assert_int_equal(mfab_pki_cert_check_format(cert, t, NULL), 0);
}

static void
assert_mode(const char *dir, const char *name, unsigned mode)
{
    char path[1024];
    struct stat st;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, mode);
}

/* One chain; pai_pid "" for a PAI without PID, paa_vid "" for none. */
static void
chain(const char *paa_vid, const char *pai_pid)
{
    char *dir = mfab_test_tmpdir();
    char line[1024];
    X509 *paa, *pai, *dac;

    snprintf(line, sizeof(line),
             "<> gen-paa -c PAA %s %s -l 4294967295 -f 2024-01-01 -o paa.pem "
             "-O paa.key",
             paa_vid[0] ? "-V" : "", paa_vid);
    assert_int_equal(run(dir, line), 0);
    snprintf(line, sizeof(line),
             "<> gen-pai -c PAI -V FFF1 %s %s -C paa.pem -K paa.key -l 3650 "
             "-f 2024-01-01 -o pai.der --out-format der -O pai.key "
             "--out-key-format pkcs8-der",
             pai_pid[0] ? "-P" : "", pai_pid);
    assert_int_equal(run(dir, line), 0);
    assert_int_equal(run(dir, "<> gen-dac -c DAC -V FFF1 -P 8000 -C pai.der "
                              "-K pai.key -l 4294967295 -f 2024-06-01 "
                              "-o dac.pem -O dac.key"),
                     0);
    assert_mode(dir, "paa.key", 0600);
    assert_mode(dir, "pai.key", 0600);
    assert_mode(dir, "dac.key", 0600);
    assert_mode(dir, "dac.pem", 0644);
    paa = load(dir, "paa.pem");
    pai = load(dir, "pai.der");
    dac = load(dir, "dac.pem");
    assert_profile(paa, paa, MFAB_PKI_PAA);
    assert_profile(pai, paa, MFAB_PKI_PAI);
    assert_profile(dac, pai, MFAB_PKI_DAC);
    assert_int_equal(run(dir, "<> validate --dac dac.pem --pai pai.der "
                              "--paa paa.pem"),
                     0);
    assert_int_equal(sh(dir, "openssl x509 -inform der -in pai.der -out "
                             "pai.pem && openssl verify -x509_strict "
                             "-CAfile paa.pem -untrusted pai.pem dac.pem "
                             ">/dev/null && openssl verify -x509_strict "
                             "-partial_chain -CAfile pai.pem dac.pem "
                             ">/dev/null"),
                     0);
    X509_free(paa);
    X509_free(pai);
    X509_free(dac);
    mfab_test_rmtree(dir);
}

static void
test_pki_gen__chain_pai_with_pid(void **state)
{
    (void)state;
    chain("FFF1", "8000");
}

static void
test_pki_gen__chain_pai_without_pid_vidless_paa(void **state)
{
    (void)state;
    chain("", "");
}

/* chip-cert's own command lines, program name changed */
static void
test_pki_gen__chip_cert_command_lines(void **state)
{
    char *dir = mfab_test_tmpdir();
    X509 *dac, *pai;
    (void)state;

    assert_int_equal(run(dir, "<> gen-att-cert -t a -c PAA -V FFF1 -l "
                              "4294967295 -o paa.pem -O paa.key"),
                     0);
    assert_int_equal(run(dir, "<> gen-att-cert -t i -c PAI -V FFF1 -P 8000 "
                              "-C paa.pem -K paa.key -l 3650 -o pai.pem -O "
                              "pai.key"),
                     0);
    assert_int_equal(run(dir, "<> gen-att-cert -t d -c DAC -V 0xFFF1 -P "
                              "0x8000 -C pai.pem -K pai.key -l 3650 -o "
                              "dac.pem -O dac.key"),
                     0);
    dac = load(dir, "dac.pem");
    pai = load(dir, "pai.pem");
    assert_profile(dac, pai, MFAB_PKI_DAC);
    X509_free(dac);
    X509_free(pai);
    assert_int_equal(run(dir, "<> validate --dac dac.pem --pai pai.pem --paa "
                              "paa.pem"),
                     0);
    assert_int_equal(run(dir, "<> gen-att-cert -t a -c PAA -C pai.pem -K "
                              "pai.key -l 1 -o x.pem -O x.key"),
                     2);
    assert_int_equal(run(dir, "<> gen-att-cert -t x -c PAA -l 1 -o x.pem -O "
                              "x.key"),
                     2);
    mfab_test_rmtree(dir);
}

static void
test_pki_gen__sign_csr_takes_only_the_public_key(void **state)
{
    char *dir = mfab_test_tmpdir();
    char src[1024];
    mfab_test_run_result r;
    (void)state;

    mfab_test_vpath(src, sizeof(src), "pki/sdk-test");
    mfab_test_copytree(src, dir);
    assert_int_equal(sh(dir, "openssl ecparam -name prime256v1 -genkey "
                             "-noout -out dev.key && openssl req -new -key "
                             "dev.key -subj /CN=ignored -out dev.csr"),
                     0);
    assert_int_equal(run(dir, "<> sign-csr --csr dev.csr -c DAC -V FFF1 -P "
                              "8000 -C Chip-Test-PAI-FFF1-8000-Cert.pem -K "
                              "Chip-Test-PAI-FFF1-8000-Key.pem -l 3650 -f "
                              "2025-01-01 -o dac.pem"),
                     0);
    assert_int_equal(run(dir, "<> validate --dac dac.pem --pai "
                              "Chip-Test-PAI-FFF1-8000-Cert.der --paa "
                              "Chip-Test-PAA-FFF1-Cert.der"),
                     0);
    assert_int_equal(sh(dir, "openssl x509 -in dac.pem -noout -subject | "
                             "grep -q 'CN = DAC' && openssl x509 -in dac.pem "
                             "-noout -pubkey | cmp - `openssl pkey -in "
                             "dev.key -pubout -out dev.pub && echo "
                             "dev.pub`"),
                     0);
    /* a CSR whose signature was tampered with (one bit flipped) is
     * refused */
    assert_int_equal(sh(dir, "openssl req -in dev.csr -outform der -out "
                             "dev.der && at=$(( $(stat -c %s dev.der) - 5 "
                             ")) && b=$(od -An -tu1 -j $at -N1 dev.der) && "
                             "printf \"\\\\$(printf %o $(( b ^ 1 )))\" | dd "
                             "of=dev.der bs=1 seek=$at conv=notrunc "
                             "2>/dev/null"),
                     0);
    mfab_test_run_line(&r, dir, "pki",
                       "<> sign-csr --csr dev.der -c DAC -V FFF1 -P 8000 -C "
                       "Chip-Test-PAI-FFF1-8000-Cert.pem -K "
                       "Chip-Test-PAI-FFF1-8000-Key.pem -l 365 -o bad.pem");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "CSR signature does not verify"));
    mfab_test_run_free(&r);
    snprintf(src, sizeof(src), "%s/bad.pem", dir);
    assert_false(mfab_test_exists(src));
    mfab_test_rmtree(dir);
}

static void
test_pki_gen__errors_leave_no_output(void **state)
{
    char *dir = mfab_test_tmpdir();
    char src[1024], path[1024];
    mfab_test_run_result r;
    (void)state;

    mfab_test_vpath(src, sizeof(src), "pki/sdk-test");
    mfab_test_copytree(src, dir);
    /* CA key that does not match the CA certificate */
    mfab_test_run_line(&r, dir, "pki",
                       "<> gen-dac -c DAC -V FFF1 -P 8000 -C "
                       "Chip-Test-PAI-FFF1-8000-Cert.pem -K "
                       "Chip-Test-PAI-FFF2-8001-Key.pem -l 365 -o d.pem -O "
                       "d.key");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "key does not match certificate"));
    mfab_test_run_free(&r);
    /* DAC VID differs from the PAI's */
    mfab_test_run_line(&r, dir, "pki",
                       "<> gen-dac -c DAC -V FFF2 -P 8000 -C "
                       "Chip-Test-PAI-FFF1-8000-Cert.pem -K "
                       "Chip-Test-PAI-FFF1-8000-Key.pem -l 365 -o d.pem -O "
                       "d.key");
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "vendor ID FFF2 differs"));
    mfab_test_run_free(&r);
    /* PAA with a PID; bad date; bad hex */
    assert_int_equal(run(dir, "<> gen-paa -c P -P 8000 -l 1 -o d.pem -O "
                              "d.key"),
                     1);
    assert_int_equal(run(dir, "<> gen-paa -c P -l 1 -f 2024-02-30 -o d.pem "
                              "-O d.key"),
                     2);
    assert_int_equal(run(dir, "<> gen-paa -c P -V XYZ1 -l 1 -o d.pem -O "
                              "d.key"),
                     2);
    snprintf(path, sizeof(path), "%s/d.pem", dir);
    assert_false(mfab_test_exists(path));
    snprintf(path, sizeof(path), "%s/d.key", dir);
    assert_false(mfab_test_exists(path));
    mfab_test_rmtree(dir);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pki_gen__chain_pai_with_pid),
        cmocka_unit_test(test_pki_gen__chain_pai_without_pid_vidless_paa),
        cmocka_unit_test(test_pki_gen__chip_cert_command_lines),
        cmocka_unit_test(test_pki_gen__sign_csr_takes_only_the_public_key),
        cmocka_unit_test(test_pki_gen__errors_leave_no_output),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
