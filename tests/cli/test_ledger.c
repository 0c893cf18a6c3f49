/* End-to-end tests of cli/cmd_ledger.c on a ledger made through the
 * library. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "matterfab/io.h"
#include "matterfab/ledger.h"
#include "mfab_test.h"

typedef struct fixture {
    char *dir;
    char ledger[4200];
} fixture;

static int
setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    mfab_ledger *l = NULL;
    mfab_ledger_batch b = { 0 };
    int64_t batch = 0;
    unsigned i;

    f->dir = mfab_test_tmpdir();
    snprintf(f->ledger, sizeof(f->ledger), "%s/ledger.sqlite", f->dir);
    assert_int_equal(mfab_ledger_open(&l, f->ledger, NULL), 0);
    b.outdir = f->dir;
    b.options_json = "{\"n\":2}";
    b.inputs_json = "{\"pai.pem\":\"00\"}";
    b.device_count = 2;
    assert_int_equal(mfab_ledger_batch_begin(l, &batch, &b, NULL), 0);
    for (i = 0; i < 2; i++) {
        char uuid[32], serial[32], rel[64], path[4300], content[16];
        mfab_ledger_device d = { 0 };
        mfab_ledger_file file;

        snprintf(uuid, sizeof(uuid), "uuid-%u", i);
        snprintf(serial, sizeof(serial), "SN,%u", i); /* needs quoting */
        snprintf(rel, sizeof(rel), "%s-partition.bin", uuid);
        snprintf(path, sizeof(path), "%s/%s", f->dir, rel);
        snprintf(content, sizeof(content), "image %u", i);
        assert_int_equal(mfab_file_write_atomic(path, content,
                                                strlen(content), 0644, NULL),
                         0);
        file.path = rel;
        file.size = strlen(content);
        EVP_Digest(content, strlen(content), file.sha256, NULL, EVP_sha256(),
                   NULL);
        d.batch_id = batch;
        d.index = i;
        d.uuid = uuid;
        d.serial_num = serial;
        d.discriminator = (uint16_t)(3840 + i);
        d.passcode = 20202021 + i;
        d.salt_b64 = "c2FsdA==";
        d.iterations = 1000;
        assert_int_equal(mfab_ledger_device_commit(l, &d, &file, 1, NULL), 0);
    }
    assert_int_equal(mfab_ledger_batch_end(l, batch,
                                           MFAB_LEDGER_BATCH_COMPLETE, NULL),
                     0);
    mfab_ledger_free(l);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    fixture *f = *state;

    mfab_test_rmtree(f->dir);
    free(f);
    return 0;
}

static void
run(fixture *f, mfab_test_run_result *r, const char *verb, const char *a1,
    const char *a2, const char *a3)
{
    const char *args[] = { "ledger", verb, "--ledger", f->ledger, a1, a2, a3,
                           NULL };
    mfab_test_run(r, f->dir, args);
}

static void
test_ledger__list_json(void **state)
{
    fixture *f = *state;
    mfab_test_run_result r;
    json_t *j;

    run(f, &r, "list", "--json", NULL, NULL);
    assert_int_equal(r.exit_code, 0);
    j = json_loads(r.out, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_array_size(j), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(j, 0), "status")), "complete");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(j, 0),
                                                        "done")), 2);
    json_decref(j);
    mfab_test_run_free(&r);
}

static void
test_ledger__show_device_and_batch(void **state)
{
    fixture *f = *state;
    mfab_test_run_result r;

    run(f, &r, "show", "uuid-1", NULL, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "20202022"));
    assert_non_null(strstr(r.out, "3841"));
    mfab_test_run_free(&r);
    run(f, &r, "show", "1", "--json", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "\"pai.pem\""));
    mfab_test_run_free(&r);
    run(f, &r, "show", "uuid-9", NULL, NULL);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "no device with uuid or serial number "
                                  "'uuid-9'"));
    mfab_test_run_free(&r);
}

static void
test_ledger__export_csv_quotes(void **state)
{
    fixture *f = *state;
    mfab_test_run_result r;

    run(f, &r, "export", "--csv", NULL, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "batch,index,uuid,serial_num,"));
    assert_non_null(strstr(r.out, "1,0,uuid-0,\"SN,0\",3840,20202021,"));
    assert_non_null(strstr(r.out, "1,1,uuid-1,\"SN,1\",3841,20202022,"));
    mfab_test_run_free(&r);
    run(f, &r, "export", NULL, NULL, NULL);
    assert_int_equal(r.exit_code, 2);
    mfab_test_run_free(&r);
    run(f, &r, "export", "--csv", "--batch", "0");
    assert_int_equal(r.exit_code, 2);
    assert_non_null(strstr(r.err, "invalid batch id '0'"));
    mfab_test_run_free(&r);
}

static void
test_ledger__check_clean_then_problems(void **state)
{
    fixture *f = *state;
    mfab_test_run_result r;
    char path[4300];

    run(f, &r, "check", NULL, NULL, NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "clean"));
    mfab_test_run_free(&r);
    snprintf(path, sizeof(path), "%s/uuid-0-partition.bin", f->dir);
    assert_int_equal(unlink(path), 0);
    snprintf(path, sizeof(path), "%s/stray.bin", f->dir);
    assert_int_equal(mfab_file_write_atomic(path, "x", 1, 0644, NULL), 0);
    run(f, &r, "check", "--json", NULL, NULL);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.out, "\"problems\": 2"));
    assert_non_null(strstr(r.out, "uuid-0-partition.bin"));
    assert_non_null(strstr(r.out, "stray.bin"));
    mfab_test_run_free(&r);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_ledger__list_json),
        T(test_ledger__show_device_and_batch),
        T(test_ledger__export_csv_quotes),
        T(test_ledger__check_clean_then_problems),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
