/*
 * opt.h: the one option parser every command uses.
 *
 * A command declares its options in a table. On the command line, '_' and
 * '-' inside a long name are interchangeable (nvs_partition_gen spells
 * options --key_protect_hmac; users may type --key-protect-hmac), values go
 * as "--opt VALUE" or "--opt=VALUE", and an option may have one extra
 * spelling (the reference tools' single-dash long forms such as "-cd").
 * Names must match exactly: no prefix matching, since factory scripts must
 * be unambiguous.
 */
#ifndef MFAB_CLI_OPT_H
#define MFAB_CLI_OPT_H

#include <stddef.h>
#include <stdio.h>

#define CLI_MAX_OPTS 96
#define CLI_MAX_POS 256

typedef struct cli_opt {
    const char *name;    /* long name without the leading "--" */
    const char *alias;   /* other spelling with its dashes ("-n"), or NULL */
    const char *metavar; /* NULL for a flag, else the value's name */
    const char *help;
    /* 1: takes every following argument up to the next option, as click's
     * multiple=True options of the reference tools (--locales a b c) */
    int multi;
} cli_opt;

typedef struct cli_cmd_spec {
    const char *name;     /* as typed after "matterfab", e.g. "nvs generate" */
    const char *synopsis; /* positional part, e.g. "IN.csv OUT.bin SIZE" */
    const char *summary;  /* one line */
    const cli_opt *opts;
    size_t nopts;
    int min_pos;
    int max_pos; /* -1: unlimited */
} cli_cmd_spec;

typedef struct cli_args {
    const cli_cmd_spec *spec;
    const char *values[CLI_MAX_OPTS]; /* last value; "" for a flag */
    int count[CLI_MAX_OPTS];          /* times given */
    char **multi_v[CLI_MAX_OPTS];     /* multi options: last occurrence */
    int multi_n[CLI_MAX_OPTS];
    char *pos[CLI_MAX_POS];
    int npos;
} cli_args;

#define CLI_PARSE_OK 0
#define CLI_PARSE_HELP 1   /* --help was given and printed */
#define CLI_PARSE_USAGE -1 /* error printed on stderr */

/*
 * Parse argv[1..argc-1] (argv[0] is the command's own name).
 * @return CLI_PARSE_OK, CLI_PARSE_HELP or CLI_PARSE_USAGE
 */
int cli_parse(cli_args *out, const cli_cmd_spec *spec, int argc, char **argv);

/* Value of option name (as in the table), or NULL when not given. */
const char *cli_get(const cli_args *args, const char *name);

/* 1 when option name was given. */
int cli_has(const cli_args *args, const char *name);

/*
 * Every value of a repeatable option, in command-line order (cli_get keeps
 * only the last). Call after cli_parse() succeeded on the same argc/argv.
 * @param out  receives up to cap borrowed argv strings
 * @return the number of times the option was given (may exceed cap)
 */
size_t cli_get_all(const cli_args *args, int argc, char **argv,
                   const char *name, const char **out, size_t cap);

/*
 * Values of a multi option's last occurrence (the reference keeps only
 * the last). @return how many (0 when not given); *out borrowed from argv
 */
int cli_get_multi(const cli_args *args, const char *name, char ***out);

/* Print the help text of a command. */
void cli_usage(FILE *f, const cli_cmd_spec *spec);

/* Sub-commands of a command group ("matterfab nvs <verb>"). */
typedef struct cli_subcmd {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} cli_subcmd;

/*
 * Run the sub-command named by argv[1]; argv[0] is the group name.
 * Prints the list of sub-commands for --help or a missing/unknown name.
 */
int cli_dispatch(const char *group, const cli_subcmd *table, size_t n,
                 int argc, char **argv);

/*
 * Parse an unsigned integer option or positional: decimal, or hex with 0x.
 * @return 0, or -1 after printing "invalid <what> 'text' (allowed ...)"
 */
int cli_parse_u64(unsigned long long *out, const char *text, const char *what,
                  unsigned long long max);

#endif
