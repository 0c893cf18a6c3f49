/*
 * opt.c: table-driven option parsing shared by every command (see opt.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "opt.h"

/* Compare long names treating '_' and '-' as the same character. */
static int
same_name(const char *a, const char *b, size_t blen)
{
    size_t i;

    for (i = 0; i < blen; i++) {
        char x = a[i] == '_' ? '-' : a[i];
        char y = b[i] == '_' ? '-' : b[i];
        if (x == '\0' || x != y)
            return 0;
    }
    return a[blen] == '\0';
}

static int
find_opt(const cli_cmd_spec *spec, const char *arg, size_t len)
{
    size_t i;

    for (i = 0; i < spec->nopts; i++) {
        const cli_opt *o = &spec->opts[i];
        if (len > 2 && arg[0] == '-' && arg[1] == '-' &&
            same_name(o->name, arg + 2, len - 2))
            return (int)i;
        if (o->alias != NULL && strlen(o->alias) == len &&
            strncmp(o->alias, arg, len) == 0)
            return (int)i;
    }
    return -1;
}

/* "-5" and "-0x10" are values, not options. */
static int
looks_like_option(const char *arg)
{
    return arg[0] == '-' && arg[1] != '\0' &&
           !(arg[1] >= '0' && arg[1] <= '9');
}

/* see opt.h */
int
cli_parse(cli_args *out, const cli_cmd_spec *spec, int argc, char **argv)
{
    int i, only_pos = 0;

    memset(out, 0, sizeof(*out));
    out->spec = spec;
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];
        const char *eq;
        size_t len;
        int k;

        if (only_pos || !looks_like_option(arg)) {
            if (out->npos >= CLI_MAX_POS) {
                cli_error("%s: too many arguments", spec->name);
                return CLI_PARSE_USAGE;
            }
            out->pos[out->npos++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            cli_usage(stdout, spec);
            return CLI_PARSE_HELP;
        }
        eq = strchr(arg, '=');
        len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        k = find_opt(spec, arg, len);
        if (k < 0) {
            cli_error("%s: unknown option '%.*s' (see 'matterfab %s --help')",
                      spec->name, (int)len, arg, spec->name);
            return CLI_PARSE_USAGE;
        }
        if (spec->opts[k].metavar == NULL) {
            if (eq != NULL) {
                cli_error("%s: option '--%s' takes no value", spec->name,
                          spec->opts[k].name);
                return CLI_PARSE_USAGE;
            }
            out->values[k] = "";
        } else if (eq != NULL) {
            out->values[k] = eq + 1;
            out->multi_v[k] = NULL;
            out->multi_n[k] = 0;
        } else if (i + 1 < argc) {
            out->values[k] = argv[++i];
            if (spec->opts[k].multi) {
                out->multi_v[k] = &argv[i];
                out->multi_n[k] = 1;
                while (i + 1 < argc && !looks_like_option(argv[i + 1])) {
                    i++;
                    out->multi_n[k]++;
                }
            }
        } else {
            cli_error("%s: option '--%s' needs a value (%s)", spec->name,
                      spec->opts[k].name, spec->opts[k].metavar);
            return CLI_PARSE_USAGE;
        }
        out->count[k]++;
    }
    if (out->npos < spec->min_pos ||
        (spec->max_pos >= 0 && out->npos > spec->max_pos)) {
        cli_error("%s: wrong number of arguments (usage: matterfab %s %s)",
                  spec->name, spec->name, spec->synopsis);
        return CLI_PARSE_USAGE;
    }
    return CLI_PARSE_OK;
}

static int
index_of(const cli_args *args, const char *name)
{
    size_t i;

    for (i = 0; i < args->spec->nopts; i++)
        if (strcmp(args->spec->opts[i].name, name) == 0)
            return (int)i;
    return -1;
}

/* see opt.h */
const char *
cli_get(const cli_args *args, const char *name)
{
    int k = index_of(args, name);
    return k < 0 ? NULL : args->values[k];
}

/* see opt.h */
int
cli_has(const cli_args *args, const char *name)
{
    int k = index_of(args, name);
    return k >= 0 && args->count[k] > 0;
}

/* see opt.h */
size_t
cli_get_all(const cli_args *args, int argc, char **argv, const char *name,
            const char **out, size_t cap)
{
    const cli_cmd_spec *spec = args->spec;
    int want = index_of(args, name), i, k;
    size_t n = 0;

    if (want < 0)
        return 0;
    /* Walk argv exactly as cli_parse() does, keeping the wanted values. */
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i], *eq, *val;
        size_t len;

        if (strcmp(arg, "--") == 0)
            break;
        if (!looks_like_option(arg))
            continue;
        eq = strchr(arg, '=');
        len = eq != NULL ? (size_t)(eq - arg) : strlen(arg);
        k = find_opt(spec, arg, len);
        if (k < 0 || spec->opts[k].metavar == NULL)
            continue;
        if (eq != NULL)
            val = eq + 1;
        else if (i + 1 < argc)
            val = argv[++i];
        else
            break;
        while (spec->opts[k].multi && eq == NULL && i + 1 < argc &&
               !looks_like_option(argv[i + 1]))
            i++;
        if (k == want) {
            if (n < cap)
                out[n] = val;
            n++;
        }
    }
    return n;
}

/* see opt.h */
int
cli_get_multi(const cli_args *args, const char *name, char ***out)
{
    int k = index_of(args, name);

    *out = NULL;
    if (k < 0 || args->count[k] == 0)
        return 0;
    if (args->multi_v[k] == NULL) {
        /* "--opt=value": one value, held in values[] */
        *out = (char **)&args->values[k];
        return 1;
    }
    *out = args->multi_v[k];
    return args->multi_n[k];
}

/* see opt.h */
void
cli_usage(FILE *f, const cli_cmd_spec *spec)
{
    size_t i;

    fprintf(f, "usage: matterfab %s %s\n\n%s\n", spec->name, spec->synopsis,
            spec->summary);
    if (spec->nopts > 0)
        fprintf(f, "\noptions:\n");
    for (i = 0; i < spec->nopts; i++) {
        const cli_opt *o = &spec->opts[i];
        char left[96];

        snprintf(left, sizeof(left), "--%s%s%s%s%s", o->name,
                 o->metavar ? " " : "", o->metavar ? o->metavar : "",
                 o->alias ? ", " : "", o->alias ? o->alias : "");
        fprintf(f, "  %-30s %s\n", left, o->help);
    }
    fprintf(f, "  %-30s %s\n", "--help, -h", "show this help");
}

/* see opt.h */
int
cli_dispatch(const char *group, const cli_subcmd *table, size_t n, int argc,
             char **argv)
{
    size_t i;

    if (argc >= 2) {
        for (i = 0; i < n; i++)
            if (strcmp(argv[1], table[i].name) == 0)
                return table[i].fn(argc - 1, argv + 1);
    }
    if (argc >= 2 && strcmp(argv[1], "--help") != 0 &&
        strcmp(argv[1], "-h") != 0)
        cli_error("%s%sunknown command '%s'", group, group[0] ? ": " : "",
                  argv[1]);
    fprintf(argc >= 2 && argv[1][0] != '-' ? stderr : stdout,
            "usage: matterfab%s%s <command> [options]\n\ncommands:\n",
            group[0] ? " " : "", group);
    for (i = 0; i < n; i++)
        fprintf(argc >= 2 && argv[1][0] != '-' ? stderr : stdout,
                "  %-16s %s\n", table[i].name, table[i].summary);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
                      strcmp(argv[1], "-h") == 0))
        return CLI_EXIT_OK;
    return CLI_EXIT_USAGE;
}

/* see opt.h */
int
cli_parse_u64(unsigned long long *out, const char *text, const char *what,
              unsigned long long max)
{
    char *end = NULL;
    unsigned long long v;

    errno = 0;
    if (text == NULL || text[0] == '\0' || text[0] == '-' || text[0] == '+' ||
        text[0] == ' ')
        goto bad;
    v = strtoull(text, &end, 0);
    if (errno != 0 || end == NULL || *end != '\0' || v > max)
        goto bad;
    *out = v;
    return 0;
bad:
    cli_error("invalid %s '%s' (allowed 0..%llu, decimal or 0x-hex)", what,
              text ? text : "", max);
    return -1;
}
