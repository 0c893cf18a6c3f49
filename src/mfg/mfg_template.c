/*
 * mfg_template.c: the one place that decides which NVS keys a device
 * gets, in which order, and where each value comes from
 * (shared/spec/matter-commissioning.md 5.2 key table, 5.3 encodings, 6.4
 * --csv/--mcsv).
 *
 *   chip-factory,namespace
 *   discriminator .. cert-dclrn        (5.2 rows 1-21)
 *   user chip-factory keys             (6.4; a key that exists keeps its
 *                                       place and takes the mcsv value)
 *   cal-types .. product-url           (5.2 rows 23-36)
 *   user namespaces, first-seen order
 *
 * What the secure cert holds (plan sc_dac, sc_comm, sc_rd: spec 5.2 last
 * paragraph, 5.5) is left out here and nowhere else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/common_internal.h"
#include "matterfab/csv.h"
#include "matterfab/nvs.h"
#include "mfg/mfg_internal.h"

#define MAX_NS_GROUPS 32

/* Item lists under construction have the template's own shape. */
typedef mfg_template list;

static int
push(list *l, const mfg_item *it, mfab_diag *diag)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 32;
        mfg_item *v = realloc(l->items, cap * sizeof(*v));
        if (v == NULL)
            return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
        l->items = v;
        l->cap = cap;
    }
    l->items[l->n++] = *it;
    return 0;
}

static int
add(list *l, const char *key, const char *type, const char *enc, mfg_src src,
    const char *text, mfab_diag *diag)
{
    mfg_item it;

    memset(&it, 0, sizeof(it));
    if (strlen(key) > MFAB_NVS_KEY_MAX_BYTES)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "NVS key '%s' is longer than 15 characters", key);
    snprintf(it.key, sizeof(it.key), "%s", key);
    it.type = type;
    it.enc = enc;
    it.src = src;
    if (text != NULL) {
        it.text = strdup(text);
        if (it.text == NULL)
            return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    }
    if (push(l, &it, diag) < 0) {
        free(it.text);
        return MFAB_ENOMEM;
    }
    return 0;
}

static int
add_u32(list *l, const char *key, uint64_t v, mfab_diag *diag)
{
    char text[24];

    snprintf(text, sizeof(text), "%llu", (unsigned long long)v);
    return add(l, key, "data", "u32", MFG_SRC_TEXT, text, diag);
}

static int
add_str(list *l, const char *key, const char *v, mfab_diag *diag)
{
    if (v == NULL)
        return 0;
    return add(l, key, "data", "string", MFG_SRC_TEXT, v, diag);
}

/* Absolute form of path, '.' and '..' folded (Python os.path.abspath). */
int mfab_mfg__abspath(char *out, size_t cap, const char *path);

/* Rows 1-21 of spec 5.2. */
static int
head_items(mfab_mfg_plan *p, list *l, mfab_diag *diag)
{
    const mfab_mfg_options *o = &p->o;
    char path[MFG_PATH_MAX + 32];
    int rc = 0;

    if (!p->sc_comm) {
        rc = add(l, "discriminator", "data", "u32", MFG_SRC_DISCRIMINATOR, NULL,
                 diag);
        if (rc == 0)
            rc = add_u32(l, "iteration-count", p->iterations, diag);
        if (rc == 0)
            rc = add(l, "salt", "data", "string", MFG_SRC_SALT, NULL, diag);
    }
    if (rc == 0)
        rc = add_u32(l, "vendor-id", p->vid, diag);
    if (rc == 0)
        rc = add_str(l, "vendor-name", o->vendor_name, diag);
    if (rc == 0)
        rc = add_u32(l, "product-id", p->pid, diag);
    if (rc == 0)
        rc = add_str(l, "product-name", o->product_name, diag);
    if (rc == 0 && o->has_hw_ver)
        rc = add_u32(l, "hardware-ver", (uint64_t)o->hw_ver, diag);
    if (rc == 0)
        rc = add_str(l, "hw-ver-str", o->hw_ver_str, diag);
    if (rc == 0)
        rc = add_str(l, "mfg-date", o->mfg_date, diag);
    if (rc == 0 && o->rotating_device_id && !p->sc_rd)
        rc = add(l, "rd-id-uid", "data", "hex2bin", MFG_SRC_RD_ID_UID, NULL,
                 diag);
    if (rc == 0 && o->product_finish >= 0)
        rc = add_u32(l, "product-finish", (uint64_t)o->product_finish, diag);
    if (rc == 0 && o->product_color >= 0)
        rc = add_u32(l, "product-color", (uint64_t)o->product_color, diag);
    if (rc == 0)
        rc = add_str(l, "part-number", o->part_number, diag);
    if (rc == 0)
        rc = add(l, "serial-num", "data", "string", MFG_SRC_SERIAL, NULL, diag);
    if (rc == 0 && p->has_dac && !p->sc_dac) {
        rc = add(l, "dac-cert", "file", "binary", MFG_SRC_DAC_CERT, NULL, diag);
        if (rc == 0)
            rc = add(l, "dac-key", "file", "binary", MFG_SRC_DAC_KEY, NULL,
                     diag);
        if (rc == 0)
            rc = add(l, "dac-pub-key", "file", "binary", MFG_SRC_DAC_PUB, NULL,
                     diag);
        snprintf(path, sizeof(path), "%s/staging/pai_cert.der", p->product);
        if (rc == 0)
            rc = add(l, "pai-cert", "file", "binary", MFG_SRC_FILE, path, diag);
        if (rc == 0) {
            l->items[l->n - 1].bin = p->pai_der;
            l->items[l->n - 1].bin_len = p->pai_der_len;
        }
    }
    if (rc == 0 && !o->dynamic_passcode && !p->sc_comm)
        rc = add(l, "verifier", "data", "string", MFG_SRC_VERIFIER, NULL, diag);
    if (rc == 0 && p->cd != NULL) {
        rc = add(l, "cert-dclrn", "file", "binary", MFG_SRC_FILE, p->cd_display,
                 diag);
        if (rc == 0) {
            l->items[l->n - 1].bin = p->cd;
            l->items[l->n - 1].bin_len = p->cd_len;
        }
    }
    return rc;
}

/* Fixed labels grouped by endpoint number (decimal, as the reference
 * reads it), key index in hex (Q5). */
static int
fixed_label_items(const mfab_mfg_options *o, list *l, mfab_diag *diag)
{
    char key[32], part[32];
    size_t i, j, done_n = 0;
    unsigned long done[MFAB_MFG_LIST_MAX];
    int rc = 0;

    for (i = 0; rc == 0 && i < o->n_fixed_labels; i++) {
        unsigned long ep = strtoul(o->fixed_labels[i], NULL, 10);
        size_t k, count = 0;
        int seen = 0;

        for (k = 0; k < done_n; k++)
            seen |= done[k] == ep;
        if (seen || done_n == MFAB_MFG_LIST_MAX)
            continue;
        done[done_n++] = ep;
        for (j = i; j < o->n_fixed_labels; j++)
            count += strtoul(o->fixed_labels[j], NULL, 10) == ep;
        snprintf(key, sizeof(key), "fl-sz/%lx", ep);
        rc = add_u32(l, key, count, diag);
        for (j = i, k = 0; rc == 0 && j < o->n_fixed_labels; j++) {
            const char *a = strchr(o->fixed_labels[j], '/');
            const char *b = strchr(a + 1, '/');
            if (strtoul(o->fixed_labels[j], NULL, 10) != ep)
                continue;
            snprintf(part, sizeof(part), "%.*s", (int)(b - a - 1), a + 1);
            snprintf(key, sizeof(key), "fl-k/%lx/%zx", ep, k);
            rc = add_str(l, key, part, diag);
            snprintf(key, sizeof(key), "fl-v/%lx/%zx", ep, k);
            if (rc == 0)
                rc = add_str(l, key, b + 1, diag);
            k++;
        }
    }
    return rc;
}

typedef struct mode_arg {
    unsigned long mode, ep;
    char label[80];
    const char *tags; /* after the third '/', or NULL */
} mode_arg;

static int
parse_dec(unsigned long *out, const char *s, size_t len, unsigned long max)
{
    unsigned long v = 0;
    size_t i;

    if (len == 0 || len > 10)
        return -1;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

/* <mode>/<label>/<ep>[/<value>\<mfgcode>, ...] (spec 5.3; fixes B6). */
static int
parse_mode(mode_arg *m, const char *arg, mfab_diag *diag)
{
    const char *a = strchr(arg, '/'), *b, *c;

    b = a ? strchr(a + 1, '/') : NULL;
    c = b ? strchr(b + 1, '/') : NULL;
    if (a == NULL || b == NULL || (c != NULL && strchr(c + 1, '/') != NULL) ||
        parse_dec(&m->mode, arg, (size_t)(a - arg), 0xFFFFFFFFul) < 0 ||
        parse_dec(&m->ep, b + 1, c ? (size_t)(c - b - 1) : strlen(b + 1),
                  0xFFFEul) < 0 ||
        b - a - 1 < 1 || b - a - 1 > 64)
        return mfab_diag_set(diag, MFAB_EINVAL,
                             "Invalid supported mode: %s (format <mode, "
                             "decimal>/<label, 1..64 characters>/<endpoint, "
                             "decimal>[/<value>\\<mfg code hex>, ...])",
                             arg);
    snprintf(m->label, sizeof(m->label), "%.*s", (int)(b - a - 1), a + 1);
    m->tags = c ? c + 1 : NULL;
    return 0;
}

/* Semantic tags "7\0x0, 8\0x8000": count them, or add their items. */
static int
mode_tags(list *l, const mode_arg *m, size_t i, size_t *out_n, const char *arg,
          mfab_diag *diag)
{
    const char *s = m->tags;
    char key[32], text[24];
    size_t j = 0;
    int rc = 0;

    while (s != NULL && *s != '\0') {
        const char *end = strstr(s, ", "), *bs;
        size_t len = end ? (size_t)(end - s) : strlen(s);
        unsigned long v, mfg;
        char *stop = NULL;

        bs = memchr(s, '\\', len);
        if (bs == NULL || parse_dec(&v, s, (size_t)(bs - s), 0xFFFF) < 0)
            goto bad;
        mfg = strtoul(bs + 1, &stop, 16);
        if (stop != s + len || bs + 1 == s + len || mfg > 0xFFFF)
            goto bad;
        if (l != NULL) {
            snprintf(key, sizeof(key), "st-v/%lx/%zx/%zx", m->ep, i, j);
            rc = add_u32(l, key, v, diag);
            snprintf(key, sizeof(key), "st-mfg/%lx/%zx/%zx", m->ep, i, j);
            snprintf(text, sizeof(text), "%lu", mfg);
            if (rc == 0)
                rc = add(l, key, "data", "u32", MFG_SRC_TEXT, text, diag);
            if (rc < 0)
                return rc;
        }
        j++;
        s = end ? end + 2 : NULL;
    }
    *out_n = j;
    return 0;
bad:
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "Invalid supported mode: %s: semantic tags must be "
                         "'<value, decimal>\\<mfg code, hex>' separated by "
                         "', '",
                         arg);
}

static int
mode_items(const mfab_mfg_options *o, list *l, mfab_diag *diag)
{
    mode_arg m, mj;
    char key[32];
    unsigned long done[MFAB_MFG_LIST_MAX];
    size_t i, j, k, done_n = 0, ntags;
    int rc = 0;

    for (i = 0; rc == 0 && i < o->n_supported_modes; i++) {
        int seen = 0;
        size_t count = 0;

        rc = parse_mode(&m, o->supported_modes[i], diag);
        if (rc == 0)
            rc = mode_tags(NULL, &m, 0, &ntags, o->supported_modes[i], diag);
        if (rc < 0)
            return rc;
        for (k = 0; k < done_n; k++)
            seen |= done[k] == m.ep;
        if (seen)
            continue;
        done[done_n++] = m.ep;
        for (j = i; j < o->n_supported_modes; j++)
            if (parse_mode(&mj, o->supported_modes[j], diag) == 0 &&
                mj.ep == m.ep)
                count++;
        snprintf(key, sizeof(key), "sm-sz/%lx", m.ep);
        rc = add_u32(l, key, count, diag);
        for (j = i, k = 0; rc == 0 && j < o->n_supported_modes; j++) {
            rc = parse_mode(&mj, o->supported_modes[j], diag);
            if (rc < 0 || mj.ep != m.ep)
                continue;
            rc = mode_tags(NULL, &mj, k, &ntags, o->supported_modes[j], diag);
            snprintf(key, sizeof(key), "sm-label/%lx/%zx", m.ep, k);
            if (rc == 0)
                rc = add_str(l, key, mj.label, diag);
            snprintf(key, sizeof(key), "sm-mode/%lx/%zx", m.ep, k);
            if (rc == 0)
                rc = add_u32(l, key, mj.mode, diag);
            snprintf(key, sizeof(key), "sm-st-sz/%lx/%zx", m.ep, k);
            if (rc == 0)
                rc = add_u32(l, key, ntags, diag);
            if (rc == 0)
                rc = mode_tags(l, &mj, k, &ntags, o->supported_modes[j], diag);
            k++;
        }
    }
    return rc;
}

/* Rows 23-36 of spec 5.2. */
static int
tail_items(const mfab_mfg_options *o, list *l, mfab_diag *diag)
{
    char key[32];
    size_t i;
    int rc = 0;

    if (o->has_calendar_types)
        rc = add_u32(l, "cal-types", o->calendar_types, diag);
    if (rc == 0 && o->n_locales > 0)
        rc = add_u32(l, "locale-sz", o->n_locales, diag);
    for (i = 0; rc == 0 && i < o->n_locales; i++) {
        snprintf(key, sizeof(key), "locale/%zx", i);
        rc = add_str(l, key, o->locales[i], diag);
    }
    if (rc == 0)
        rc = fixed_label_items(o, l, diag);
    if (rc == 0)
        rc = mode_items(o, l, diag);
    if (rc == 0)
        rc = add_str(l, "product-label", o->product_label, diag);
    if (rc == 0)
        rc = add_str(l, "product-url", o->product_url, diag);
    return rc;
}

static mfg_item *
find(list *l, const char *key)
{
    size_t i;

    for (i = 0; i < l->n; i++)
        if (l->items[i].src != MFG_SRC_NAMESPACE &&
            strcmp(l->items[i].key, key) == 0)
            return &l->items[i];
    return NULL;
}

typedef struct ns_group {
    char name[16];
    list items;
} ns_group;

/* The user keys of --csv, as device 0's NVS CSV lists them. */
static int
user_items(mfab_mfg_plan *p, list *head, list *user, list *tail,
           ns_group *groups, size_t *n_groups, mfab_diag *diag)
{
    mfab_csv_field f[8];
    mfab_csv_reader r;
    unsigned long line;
    size_t n, len = 0, row = 0;
    ns_group *cur = NULL;
    char *text = NULL;
    int rc;

    rc = mfab_nvs_mfg_csv(NULL, 0, &len, p->user, 0);
    text = malloc(len + 1);
    if (text == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    rc = mfab_nvs_mfg_csv(text, len + 1, &len, p->user, 0);
    mfab_csv_reader_init(&r, text, len, 0, p->o.csv);
    for (;;) {
        mfg_item *it;

        rc = mfab_csv_next(&r, f, MFAB_ARRAY_SIZE(f), &n, &line, diag);
        if (rc <= 0)
            break;
        if (line == 1 || n < 3)
            continue; /* the header */
        if (strcmp(f[1].str, "namespace") == 0) {
            size_t g;
            cur = NULL;
            if (strcmp(f[0].str, "chip-factory") == 0)
                continue;
            for (g = 0; g < *n_groups; g++)
                if (strcmp(groups[g].name, f[0].str) == 0)
                    cur = &groups[g];
            if (cur == NULL && *n_groups == MAX_NS_GROUPS) {
                rc = mfab_diag_set(diag, MFAB_ERANGE,
                                   "'%s': more than %d namespaces", p->o.csv,
                                   MAX_NS_GROUPS);
                break;
            }
            if (cur == NULL) {
                cur = &groups[(*n_groups)++];
                snprintf(cur->name, sizeof(cur->name), "%s", f[0].str);
                if (strlen(f[0].str) > MFAB_NVS_KEY_MAX_BYTES) {
                    rc = mfab_diag_set(diag, MFAB_EINVAL,
                                       "'%s': namespace '%s' is longer than "
                                       "15 characters",
                                       p->o.csv, f[0].str);
                    break;
                }
            }
            continue;
        }
        it = cur == NULL ? find(head, f[0].str) : NULL;
        if (it == NULL && cur == NULL)
            it = find(tail, f[0].str);
        if (it == NULL && cur == NULL)
            it = find(user, f[0].str);
        if (it == NULL) {
            rc = add(cur ? &cur->items : user, f[0].str, "data", "string",
                     MFG_SRC_USER, NULL, diag);
            if (rc < 0)
                break;
            it = cur ? &cur->items.items[cur->items.n - 1]
                     : &user->items[user->n - 1];
        }
        /* dictionary update: the place stays, type and value are the
         * user's (spec 6.4) */
        free(it->text);
        it->text = NULL;
        it->bin = NULL;
        it->src = MFG_SRC_USER;
        it->user_row = row;
        it->type = strcmp(f[1].str, "file") == 0 ? "file" : "data";
        it->text = strdup(f[2].str); /* keeps the encoding name alive */
        if (it->text == NULL) {
            rc = mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
            break;
        }
        it->enc = it->text;
        row++;
    }
    p->user_rows = row;
    free(text);
    return rc;
}

static int
append(mfg_template *t, list *l, mfab_diag *diag)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        if (push(t, &l->items[i], diag) < 0)
            return MFAB_ENOMEM;
        l->items[i].text = NULL; /* moved */
    }
    return 0;
}

static int
add_ns(mfg_template *t, const char *name, mfab_diag *diag)
{
    list one = {NULL, 0, 0};
    mfg_item it;
    int rc;

    memset(&it, 0, sizeof(it));
    snprintf(it.key, sizeof(it.key), "%s", name);
    it.type = "namespace";
    it.enc = "";
    it.src = MFG_SRC_NAMESPACE;
    rc = push(&one, &it, diag);
    if (rc == 0)
        rc = append(t, &one, diag);
    free(one.items);
    return rc;
}

/* see mfg_internal.h */
int
mfab_mfg__template_build(mfab_mfg_plan *p, mfab_diag *diag)
{
    list head = {NULL, 0, 0}, user = {NULL, 0, 0}, tail = {NULL, 0, 0};
    ns_group *groups = calloc(MAX_NS_GROUPS, sizeof(*groups));
    size_t n_groups = 0, g;
    int rc;

    if (groups == NULL)
        return mfab_diag_set(diag, MFAB_ENOMEM, "out of memory");
    rc = head_items(p, &head, diag);
    if (rc == 0)
        rc = tail_items(&p->o, &tail, diag);
    if (rc == 0 && p->user != NULL && p->count > 0)
        rc = user_items(p, &head, &user, &tail, groups, &n_groups, diag);
    if (rc == 0)
        rc = add_ns(&p->t, "chip-factory", diag);
    if (rc == 0)
        rc = append(&p->t, &head, diag);
    if (rc == 0)
        rc = append(&p->t, &user, diag);
    if (rc == 0)
        rc = append(&p->t, &tail, diag);
    for (g = 0; rc == 0 && g < n_groups; g++) {
        rc = add_ns(&p->t, groups[g].name, diag);
        if (rc == 0)
            rc = append(&p->t, &groups[g].items, diag);
    }
    mfab_mfg__template_release(&head);
    mfab_mfg__template_release(&user);
    mfab_mfg__template_release(&tail);
    for (g = 0; g < MAX_NS_GROUPS; g++)
        mfab_mfg__template_release(&groups[g].items);
    free(groups);
    return rc;
}

/* see mfg_internal.h */
void
mfab_mfg__template_release(mfg_template *t)
{
    size_t i;

    for (i = 0; i < t->n; i++)
        free(t->items[i].text);
    free(t->items);
    t->items = NULL;
    t->n = t->cap = 0;
}
