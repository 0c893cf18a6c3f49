/*
 * mfg_options.c: esp-matter-mfg-tool's option defaults, integer syntax
 * and enumerations (shared/spec/matter-commissioning.md 5.3, 6.1, 6.2).
 */
#include <string.h>

#include "common/common_internal.h"
#include "mfg/mfg_internal.h"

/* see matterfab/mfg.h */
void
mfab_mfg_options_init(mfab_mfg_options *out)
{
    memset(out, 0, sizeof(*out));
    out->count = 1;
    out->target = "esp32";
    out->size = 0x6000;
    out->flow = 0;
    out->discovery_mode = 2;
    out->iterations = MFAB_SPAKE2P_ITER_DEFAULT;
    out->lifetime = 36500;
    out->cn_prefix = "ESP32";
    out->efuse_key_id = -1;
    out->product_finish = -1;
    out->product_color = -1;
}

static int
digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

static int
is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* see matterfab/mfg.h */
int
mfab_mfg_parse_int0(int64_t *out, const char *text, const char *what,
                    mfab_diag *diag)
{
    const char *s = text, *end;
    uint64_t v = 0;
    int base = 10, neg = 0, digits = 0, prev_us = 1;

    if (text == NULL)
        goto bad;
    while (is_blank(*s))
        s++;
    end = s + strlen(s);
    while (end > s && is_blank(end[-1]))
        end--;
    if (s < end && (*s == '+' || *s == '-'))
        neg = *s++ == '-';
    if (end - s > 1 && s[0] == '0' && strchr("xXoObB", s[1]) != NULL) {
        base = s[1] == 'x' || s[1] == 'X'   ? 16
               : s[1] == 'o' || s[1] == 'O' ? 8
                                            : 2;
        s += 2;
        prev_us = 0; /* "0x_1" is valid Python */
    }
    /* Python refuses leading zeros in decimal ("00000001"); they are read
     * as decimal here (a passcode printed with zeros is still that number) */
    for (; s < end; s++) {
        int dv;
        if (*s == '_') {
            if (prev_us)
                goto bad;
            prev_us = 1;
            continue;
        }
        dv = digit_value(*s);
        if (dv >= base)
            goto bad;
        if (v > (UINT64_MAX - (uint64_t)dv) / (uint64_t)base)
            return mfab_diag_set(diag, MFAB_ERANGE,
                                 "option '%s': value '%s' is too large", what,
                                 text);
        v = v * (uint64_t)base + (uint64_t)dv;
        digits++;
        prev_us = 0;
    }
    if (digits == 0 || prev_us)
        goto bad;
    if (v > (uint64_t)INT64_MAX)
        return mfab_diag_set(diag, MFAB_ERANGE,
                             "option '%s': value '%s' is too large", what,
                             text);
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
bad:
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "option '%s': '%s' is not an integer (decimal "
                         "or 0x/0o/0b prefixed)",
                         what, text != NULL ? text : "");
}

static const char *const finishes[] = {"other",    "matte",  "satin",
                                       "polished", "rugged", "fabric"};
static const char *const colors[] = {
    "black", "navy",   "green",  "teal",  "maroon", "purple",  "olive",
    "gray",  "blue",   "lime",   "aqua",  "red",    "fuchsia", "yellow",
    "white", "nickel", "chrome", "brass", "copper", "silver",  "gold"};
static const char *const calendars[] = {
    "Buddhist", "Chinese", "Coptic",   "Ethiopian", "Gregorian", "Hebrew",
    "Indian",   "Islamic", "Japanese", "Korean",    "Persian",   "Taiwanese"};

static int
parse_choice(int *out, const char *name, const char *const *names, size_t n,
             const char *what, mfab_diag *diag)
{
    char allowed[512];
    size_t i, used = 0;

    for (i = 0; name != NULL && i < n; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (int)i;
            return 0;
        }
    }
    allowed[0] = '\0';
    for (i = 0; i < n && used < sizeof(allowed); i++)
        used += (size_t)snprintf(allowed + used, sizeof(allowed) - used, "%s%s",
                                 i ? ", " : "", names[i]);
    return mfab_diag_set(diag, MFAB_EINVAL,
                         "option '%s': invalid choice '%s' (allowed %s)", what,
                         name != NULL ? name : "", allowed);
}

/* see matterfab/mfg.h */
int
mfab_mfg_parse_finish(int *out, const char *name, mfab_diag *diag)
{
    return parse_choice(out, name, finishes, MFAB_ARRAY_SIZE(finishes),
                        "--product-finish", diag);
}

/* see matterfab/mfg.h */
int
mfab_mfg_parse_color(int *out, const char *name, mfab_diag *diag)
{
    return parse_choice(out, name, colors, MFAB_ARRAY_SIZE(colors),
                        "--product-color", diag);
}

/* see matterfab/mfg.h */
int
mfab_mfg_parse_calendar(int *out, const char *name, mfab_diag *diag)
{
    return parse_choice(out, name, calendars, MFAB_ARRAY_SIZE(calendars),
                        "--calendar-types", diag);
}
