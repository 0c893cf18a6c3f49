/*
 * End-to-end tests of "matterfab nvs dump": for every vector case with a
 * decoded.json (found at test time), "nvs dump --json" of each expected
 * image (decrypted with the case's keys when it is encrypted) lists the
 * same pages and values; corrupted images are rejected with page/slot.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mfab_test.h"
#include "nvs/nvs_internal.h"

/*
 * jansson cannot hold u64 values above INT64_MAX, so numbers after
 * "value": are turned into strings (same text) on both sides before
 * parsing: the comparison stays exact.
 */
static json_t *
parse_quoting_values(const char *text)
{
    size_t len = strlen(text), i = 0, o = 0;
    char *buf = malloc(2 * len + 1);
    json_error_t err;
    json_t *j;

    assert_non_null(buf);
    while (i < len) {
        if (strncmp(text + i, "\"value\":", 8) == 0) {
            memcpy(buf + o, text + i, 8);
            o += 8;
            i += 8;
            while (text[i] == ' ' || text[i] == '\n')
                buf[o++] = text[i++];
            if (text[i] == '-' || (text[i] >= '0' && text[i] <= '9')) {
                buf[o++] = '"';
                while (text[i] == '-' || (text[i] >= '0' && text[i] <= '9'))
                    buf[o++] = text[i++];
                buf[o++] = '"';
            }
            continue;
        }
        buf[o++] = text[i++];
    }
    buf[o] = '\0';
    j = json_loads(buf, 0, &err);
    if (j == NULL)
        fail_msg("JSON line %d: %s", err.line, err.text);
    free(buf);
    return j;
}

static json_t *
load_quoting_values(const char *path)
{
    size_t len;
    char *text = (char *)mfab_test_read(path, &len);
    json_t *j = parse_quoting_values(text);

    free(text);
    return j;
}

/* Find the word after opt in cmd.txt, or NULL. */
static const char *
cmd_arg(const char *cmd, const char *opt, char *out, size_t cap)
{
    const char *p = strstr(cmd, opt);
    size_t n = 0;

    if (p == NULL)
        return NULL;
    p += strlen(opt);
    while (*p == ' ')
        p++;
    while (p[n] != '\0' && p[n] != ' ' && p[n] != '\n' && n + 1 < cap)
        n++;
    memcpy(out, p, n);
    out[n] = '\0';
    return out;
}

/* expected/<rel>, or expected/<folder>/out/<basename> (s18's --outdir). */
static void
find_image(char *out, size_t cap, const char *dir, const char *rel)
{
    const char *base = strrchr(rel, '/');
    char exp[8192];
    struct dirent *e;
    DIR *d;

    snprintf(out, cap, "%s/expected/%s", dir, rel);
    if (mfab_test_exists(out))
        return;
    base = base != NULL ? base + 1 : rel;
    snprintf(exp, sizeof(exp), "%s/expected", dir);
    d = opendir(exp);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char sub[8400];

        if (e->d_name[0] == '.')
            continue;
        if (snprintf(sub, sizeof(sub), "%s/%s/out/%s", exp, e->d_name, base) >=
            (int)sizeof(sub))
            continue;
        if (mfab_test_exists(sub)) {
            assert_true(snprintf(out, cap, "%s", sub) < (int)cap);
            break;
        }
    }
    closedir(d);
    if (!mfab_test_exists(out))
        fail_msg("image '%s' of %s not found", rel, dir);
}

static void
check_one(const char *dir, const char *cmd, json_t *want)
{
    const char *rel = json_string_value(json_object_get(want, "image"));
    char image[8192], keys[8192], word[1024];
    const char *args[8];
    mfab_test_run_result r;
    json_t *got;
    size_t n = 0;

    assert_non_null(rel);
    find_image(image, sizeof(image), dir, rel);
    args[n++] = "nvs";
    args[n++] = "dump";
    args[n++] = "--json";
    args[n++] = image;
    if (cmd_arg(cmd, "--inputkey", word, sizeof(word)) != NULL) {
        snprintf(keys, sizeof(keys), "%s/%s", dir, word);
        args[n++] = "--keys";
        args[n++] = keys;
    } else if (strstr(cmd, "--keygen") != NULL &&
               cmd_arg(cmd, "--keyfile", word, sizeof(word)) != NULL) {
        snprintf(keys, sizeof(keys), "%s/expected/keys/%s", dir, word);
        args[n++] = "--keys";
        args[n++] = keys;
    }
    args[n] = NULL;
    mfab_test_run(&r, NULL, args);
    if (r.exit_code != 0)
        fail_msg("%s: dump exit %d: %s", image, r.exit_code, r.err);
    got = parse_quoting_values(r.out);
    if (!json_equal(json_object_get(got, "pages"),
                    json_object_get(want, "pages")))
        fail_msg("%s: pages differ from decoded.json", image);
    if (!json_equal(json_object_get(got, "size"),
                    json_object_get(want, "size")))
        fail_msg("%s: size differs from decoded.json", image);
    {
        json_t *gv = json_object_get(got, "values");
        json_t *wv = json_object_get(want, "values");
        size_t i;

        assert_int_equal(json_array_size(gv), json_array_size(wv));
        for (i = 0; i < json_array_size(wv); i++) {
            if (!json_equal(json_array_get(gv, i), json_array_get(wv, i))) {
                char *a = json_dumps(json_array_get(gv, i), 0);
                char *b = json_dumps(json_array_get(wv, i), 0);
                print_error("dump:     %.400s\ndecoded:  %.400s\n", a, b);
                free(a);
                free(b);
                fail_msg("%s: value %zu differs from decoded.json", image, i);
            }
        }
    }
    assert_int_equal(json_array_size(json_object_get(got, "problems")), 0);
    json_decref(got);
    mfab_test_run_free(&r);
}

static void
test_nvs_dump__every_decoded_json(void **state)
{
    char root[4096];
    DIR *d;
    struct dirent *e;
    int cases = 0;

    (void)state;
    mfab_test_vpath(root, sizeof(root), "nvs");
    d = opendir(root);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char dir[8192], path[8300];
        size_t clen;
        char *cmd;
        json_t *want;

        if (e->d_name[0] == '.')
            continue;
        snprintf(dir, sizeof(dir), "%s/%s", root, e->d_name);
        snprintf(path, sizeof(path), "%s/decoded.json", dir);
        if (!mfab_test_exists(path))
            continue;
        want = load_quoting_values(path);
        snprintf(path, sizeof(path), "%s/cmd.txt", dir);
        cmd = (char *)mfab_test_read(path, &clen);
        if (json_is_array(want)) {
            size_t i;
            for (i = 0; i < json_array_size(want); i++)
                check_one(dir, cmd, json_array_get(want, i));
        } else {
            check_one(dir, cmd, want);
        }
        free(cmd);
        json_decref(want);
        cases++;
    }
    closedir(d);
    /* every success case but s11 (keys only) has a listing */
    assert_true(cases >= 23);
}

/* Copy of s14's image with one byte changed, dumped; returns the run. */
static void
dump_corrupted(mfab_test_run_result *r, char *tmp, size_t off, uint8_t xor,
               int fix_item_crc)
{
    char src[4096], dst[8192];
    const char *args[] = {"nvs", "dump", "img.bin", NULL};
    uint8_t *img;
    size_t len;
    FILE *f;

    mfab_test_vpath(src, sizeof(src),
                    "nvs/s14_size_0x3000_minimal/expected/out.bin");
    img = mfab_test_read(src, &len);
    assert_true(off < len);
    img[off] ^= xor;
    if (fix_item_crc) {
        /* recompute the item CRC so that the change itself is seen */
        uint8_t *item = img + 64 + (off - 64) / 32 * 32, tmp28[28];
        uint32_t crc;

        memcpy(tmp28, item, 4);
        memcpy(tmp28 + 4, item + 8, 24);
        crc = mfab_crc32_esp(tmp28, 28);
        item[4] = (uint8_t)crc;
        item[5] = (uint8_t)(crc >> 8);
        item[6] = (uint8_t)(crc >> 16);
        item[7] = (uint8_t)(crc >> 24);
    }
    snprintf(dst, sizeof(dst), "%s/img.bin", tmp);
    f = fopen(dst, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(img, 1, len, f), len);
    fclose(f);
    free(img);
    mfab_test_run(r, tmp, args);
}

static void
expect_problem(size_t off, uint8_t xor, int fix_crc, const char *what,
               const char *where)
{
    char *tmp = mfab_test_tmpdir();
    mfab_test_run_result r;

    dump_corrupted(&r, tmp, off, xor, fix_crc);
    assert_int_equal(r.exit_code, 1);
    if (strstr(r.err, what) == NULL || strstr(r.err, where) == NULL)
        fail_msg("stderr lacks '%s' / '%s':\n%s", what, where, r.err);
    mfab_test_run_free(&r);
    mfab_test_rmtree(tmp);
}

static void
test_nvs_dump__flipped_header_crc(void **state)
{
    (void)state;
    expect_problem(28, 0x01, 0, "header CRC", "at page 0");
}

static void
test_nvs_dump__bad_page_state(void **state)
{
    (void)state;
    /* ACTIVE 0xfffffffe -> 0xfffffffa: no valid state */
    expect_problem(0, 0x04, 0, "page state 0xfffffffa", "at page 0");
}

static void
test_nvs_dump__bad_span(void **state)
{
    (void)state;
    /* slot 1 is the SZ header of "serial" (span 2); make it 6 */
    expect_problem(64 + 32 + 2, 0x04, 1, "span 6", "at page 0 slot 1");
}

static void
test_nvs_dump__flipped_item_crc(void **state)
{
    (void)state;
    expect_problem(64 + 32 + 4, 0x80, 0, "item CRC", "at page 0 slot 1");
}

static void
test_nvs_dump__flipped_payload(void **state)
{
    (void)state;
    expect_problem(64 + 64 + 3, 0x01, 0, "payload CRC", "at page 0 slot 1");
}

static void
test_nvs_dump__unreadable_image(void **state)
{
    char *tmp = mfab_test_tmpdir();
    const char *args[] = {"nvs", "dump", "nope.bin", NULL};
    const char *args2[] = {"nvs", "dump", "short.bin", NULL};
    mfab_test_run_result r;
    char p[8192];
    FILE *f;

    (void)state;
    mfab_test_run(&r, tmp, args);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "nope.bin"));
    mfab_test_run_free(&r);
    snprintf(p, sizeof(p), "%s/short.bin", tmp);
    f = fopen(p, "wb");
    assert_non_null(f);
    fputs("short", f);
    fclose(f);
    mfab_test_run(&r, tmp, args2);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "multiple of 4096"));
    mfab_test_run_free(&r);
    mfab_test_rmtree(tmp);
}

static void
test_nvs_dump__wrong_keys(void **state)
{
    char img[4096], keys[8192];
    const char *args[] = {"nvs", "dump", "--keys", keys, img, NULL};
    char *tmp = mfab_test_tmpdir();
    mfab_test_run_result r;
    uint8_t raw[64];
    size_t i;
    FILE *f;

    (void)state;
    /* s10's image with 64 raw bytes that are not its keys */
    for (i = 0; i < sizeof(raw); i++)
        raw[i] = (uint8_t)(i * 7 + 1);
    snprintf(keys, sizeof(keys), "%s/wrong.bin", tmp);
    f = fopen(keys, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(raw, 1, sizeof(raw), f), sizeof(raw));
    fclose(f);
    mfab_test_vpath(img, sizeof(img),
                    "nvs/s10_encrypt_inputkey/expected/out.bin");
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 1);
    assert_non_null(strstr(r.err, "wrong keys?"));
    assert_non_null(strstr(r.err, "at page 0 slot 0"));
    mfab_test_run_free(&r);
    mfab_test_rmtree(tmp);
}

static void
test_nvs_dump__text_listing(void **state)
{
    char img[4096];
    const char *args[] = {"nvs", "dump", img, NULL};
    mfab_test_run_result r;

    (void)state;
    mfab_test_vpath(img, sizeof(img),
                    "nvs/s14_size_0x3000_minimal/expected/out.bin");
    mfab_test_run(&r, NULL, args);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "page 0: ACTIVE, seq 0"));
    assert_non_null(strstr(r.out, "namespace 'storage' = 1"));
    assert_non_null(strstr(r.out, "storage:serial string = \"SN-0001\""));
    assert_non_null(strstr(r.out, "page 2: EMPTY"));
    mfab_test_run_free(&r);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nvs_dump__every_decoded_json),
        cmocka_unit_test(test_nvs_dump__flipped_header_crc),
        cmocka_unit_test(test_nvs_dump__bad_page_state),
        cmocka_unit_test(test_nvs_dump__bad_span),
        cmocka_unit_test(test_nvs_dump__flipped_item_crc),
        cmocka_unit_test(test_nvs_dump__flipped_payload),
        cmocka_unit_test(test_nvs_dump__unreadable_image),
        cmocka_unit_test(test_nvs_dump__wrong_keys),
        cmocka_unit_test(test_nvs_dump__text_listing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
