/*
 * cli.c — the shnor command line: global options, dispatch to the commands,
 * option parsing and the mapping of statuses to exit codes.
 */
#include "cli.h"
#include "csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "table.h"

typedef struct {
    const char *name;
    int (*run)(cli_env *e, int argc, char **argv);
    const char *summary;
    const char *usage; /* printed by `shnor CMD --help` and on a wrong command line */
} command;

static const command commands[] = {
    {"init", cmd_init, "create the database (or upgrade it)",
     "shnor --db FILE init"},
    {"import", cmd_import, "import indicators, schools, values, statuses or listings from CSV",
     "shnor --db FILE import indicators|schools|values|statuses|listings "
     "FILE... [--encoding auto|utf-8|cp1251|utf-16] [--separator ';'] [--map "
     "column='Header'] [--max-errors N] [--user NAME]"},
    {"export", cmd_export, "export indicators, schools or values (CSV, JSON, a table, Excel CSV)",
     "shnor --db FILE export indicators|schools|values [--format "
     "csv|json|table|excel-csv] [--output FILE|-o FILE]"},
    {"check", cmd_check, "load and check rule packs against the pack contract",
     "shnor check PACK.lua... [--lib DIR] [--mem-limit SIZE] "
     "[--instr-limit N] [--time-limit S]"},
    {"test", cmd_test, "run the test cases of rule packs",
     "shnor test PACK.lua... [--lib DIR] [--mem-limit SIZE] [--instr-limit "
     "N] [--time-limit S]"},
    {"list", cmd_list, "list the schools a pack identifies in a period, with reasons",
     "shnor --db FILE list --pack PACK.lua [--period P] [--explain] "
     "[--format table|csv|json|excel-csv] [--lib DIR] [--mem-limit SIZE] "
     "[--instr-limit N] [--time-limit S]"},
    {"roadmap", cmd_roadmap, "the assignments a pack's roadmap makes (--apply stores them)",
     "shnor --db FILE roadmap --pack PACK.lua [--period P] [--apply] "
     "[--format table|csv|json|excel-csv] [--lib DIR] [--mem-limit SIZE] "
     "[--instr-limit N] [--time-limit S]"},
    {"assignment", cmd_assignment, "set the status of an assignment, or show its history",
     "shnor --db FILE assignment set ID --status "
     "planned|in_progress|done|cancelled [--evidence TEXT] [--date "
     "YYYY-MM-DD] [--by NAME] | assignment show ID [--format table|csv|json|excel-csv]"},
    {"assignments", cmd_assignments, "list assignments, overdue ones with --overdue",
     "shnor --db FILE assignments [--school CODE] [--pack ID] [--overdue] "
     "[--as-of YYYY-MM-DD] [--format table|csv|json|excel-csv]"},
    {"override", cmd_override, "include or exclude a school by hand (add, list, revoke)",
     "shnor --db FILE override add SCHOOL --period P --include|--exclude "
     "--category C --reason TEXT --by NAME [--pack ID] | override list "
     "[--all] [--format table|csv|json|excel-csv] | override revoke ID"},
    {"targets", cmd_targets, "evaluate a pack's target indicators (--due-by: control points)",
     "shnor --db FILE targets --pack PACK.lua [--period P] [--due-by "
     "YYYY-MM-DD] [--format table|csv|json|excel-csv] [--lib DIR] [--mem-limit SIZE] "
     "[--instr-limit N] [--time-limit S] | targets --due-by YYYY-MM-DD "
     "(every pack with a kept run)"},
    {"run", cmd_run, "year-end run of every pack in a directory, kept as records",
     "shnor --db FILE run --packs DIR [--period P] [--apply-roadmaps] "
     "[--format table|csv|json|excel-csv] [--lib DIR] [--mem-limit SIZE] "
     "[--instr-limit N] [--time-limit S]"},
    {"runs", cmd_runs, "list the kept runs",
     "shnor --db FILE runs [--format table|csv|json|excel-csv]"},
    {"show-run", cmd_show_run, "show a kept run: listing, explanations, targets, roadmap",
     "shnor --db FILE show-run RUN_ID [--format table|csv|json|excel-csv] [--part "
     "listing|targets|roadmap]"},
    {"replay", cmd_replay, "re-evaluate a kept run from its stored source; say if identical",
     "shnor --db FILE replay RUN_ID [--mem-limit SIZE] [--instr-limit N] "
     "[--time-limit S]"},
    {"diff", cmd_diff, "schools that entered, left or stayed between two runs",
     "shnor --db FILE diff RUN_A RUN_B [--format table|csv|json|excel-csv]"},
    {"whatif", cmd_whatif, "compare two versions of a pack on the same data (nothing kept)",
     "shnor --db FILE whatif --pack A.lua --vs B.lua [--period P] [--format "
     "table|csv|json|excel-csv] [--lib DIR] [--mem-limit SIZE] [--instr-limit N] "
     "[--time-limit S]"},
    {"report", cmd_report, "a kept run as an XLSX workbook or a printable HTML page",
     "shnor --db FILE report --run ID [--run ID ...] -o FILE.xlsx|FILE.html "
     "[--format xlsx|html]"},
};

static const command *find_command(const char *name)
{
    for (size_t i = 0; name && i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            return &commands[i];
        }
    }
    return NULL;
}

static void command_help(FILE *f, const command *c)
{
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "usage: %s\n\n%s. See README.md for formats, rule packs and exit codes.",
              c->usage, c->summary);
    table_print_text(f, sb.data ? sb.data : "", table_term_width(f), 4);
    sb_free(&sb);
}

int cli_usage_cmd(cli_env *e)
{
    const command *c = find_command(e->command);
    fprintf(e->err, "usage: %s\n", c ? c->usage : "shnor [--db FILE] COMMAND [ARGS]");
    return EXIT_USAGE;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: shnor [--db FILE] [--verbose] COMMAND [ARGS]\n\n"
               "The database is --db FILE, else $SHNOR_DB, else ./shnor.db. --verbose\n"
               "shows what rule packs print().\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "  %-12s %s\n", "version", "print the version");
    fprintf(f, "\nSee README.md for formats, rule packs and exit codes.\n");
}

int cli_exit_code(int status)
{
    switch (status) {
    case SHNOR_OK:
        return EXIT_OK;
    case SHNOR_MISUSE:
        return EXIT_USAGE;
    case SHNOR_INPUT:
        return EXIT_INPUT;
    case SHNOR_PACK:
        return EXIT_PACK;
    case SHNOR_LIMIT:
        return EXIT_LIMIT;
    case SHNOR_FAILED:
        return EXIT_CHECK;
    case SHNOR_DB:
    case SHNOR_SCHEMA:
        return EXIT_DB;
    case SHNOR_IO:
        return EXIT_IO;
    case SHNOR_NOTFOUND:
        return EXIT_NOTFOUND;
    default:
        return EXIT_FAILURE_OTHER;
    }
}

int cli_fail(cli_env *e, shnor *db, int status)
{
    const char *msg = db ? shnor_errmsg(db) : "";
    if (!*msg) {
        msg = shnor_errstr(status);
    }
    /* Multi-line messages (import errors) carry their own file:line prefixes. */
    if (strchr(msg, '\n')) {
        fprintf(e->err, "%s\n", msg);
    } else {
        fprintf(e->err, "shnor %s: %s\n", e->command ? e->command : "", msg);
    }
    return cli_exit_code(status);
}

int cli_usage(cli_env *e, const char *fmt, ...)
{
    va_list ap;
    fprintf(e->err, "shnor %s: ", e->command ? e->command : "");
    va_start(ap, fmt);
    vfprintf(e->err, fmt, ap);
    va_end(ap);
    fprintf(e->err, "\n");
    return EXIT_USAGE;
}

void cli_list_free(cli_list *l)
{
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static int list_add(cli_list *l, const char *s)
{
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 8;
        const char **ni = realloc(l->items, ncap * sizeof *ni);
        if (!ni) {
            return -1;
        }
        l->items = ni;
        l->cap = ncap;
    }
    l->items[l->n++] = s;
    return 0;
}

int cli_parse(cli_env *e, int argc, char **argv, const cli_opt *opts, size_t nopts,
              char ***pos, int *npos)
{
    char **p = calloc((size_t)argc + 1, sizeof *p);
    /* the value each option was given on this line: a second, other one
       (--pack a.lua --pack b.lua) is said, not passed over in silence */
    const char **given = calloc(nopts ? nopts : 1, sizeof *given);
    int np = 0, only_pos = 0;
    if (!p || !given) {
        free(p);
        free(given);
        return cli_usage(e, "out of memory");
    }
    int has_output = 0; /* -o is --output wherever there is one */
    for (size_t k = 0; k < nopts; k++) {
        has_output |= strcmp(opts[k].name, "output") == 0;
    }
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (!only_pos && has_output && strcmp(a, "-o") == 0) {
            a = "--output";
        }
        if (only_pos || a[0] != '-' || a[1] != '-' || a[2] == '\0') {
            if (!only_pos && strcmp(a, "--") == 0) {
                only_pos = 1;
                continue;
            }
            p[np++] = argv[i];
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
        const char *value = eq ? eq + 1 : NULL;
        if (nlen == 7 && strncmp(name, "verbose", 7) == 0 && !value) {
            e->verbose = 1; /* also after the command, where people put it */
            continue;
        }
        if (nlen == 2 && strncmp(name, "db", 2) == 0) {
            if (!value) {
                if (i + 1 >= argc) {
                    free(p), free(given);
                    return cli_usage(e, "--db needs a file name");
                }
                value = argv[++i];
            }
            e->db_path = value;
            continue;
        }
        size_t k = 0;
        while (k < nopts && (strlen(opts[k].name) != nlen || strncmp(opts[k].name, name, nlen))) {
            k++;
        }
        if (k == nopts) {
            free(p), free(given);
            return cli_usage(e, "unknown option '--%.*s' (see README.md or 'shnor help')",
                             (int)nlen, name);
        }
        if (opts[k].kind == OPT_FLAG) {
            if (value) {
                free(p), free(given);
                return cli_usage(e, "--%s takes no value", opts[k].name);
            }
            *(int *)opts[k].target = 1;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc) {
                free(p), free(given);
                return cli_usage(e, "--%s needs a value", opts[k].name);
            }
            value = argv[++i];
        }
        if (opts[k].kind == OPT_VALUE) {
            if (given[k] && strcmp(given[k], value) != 0) {
                /* the last wins, as it always did (a script may append an
                   override to its defaults), but not without a word */
                fprintf(e->err, "shnor %s: note: --%s is given twice ('%s' and '%s'); the "
                                "last is used\n",
                        e->command ? e->command : "", opts[k].name, given[k], value);
            }
            given[k] = value;
            *(const char **)opts[k].target = value;
        } else if (list_add(opts[k].target, value) < 0) {
            free(p), free(given);
            return cli_usage(e, "out of memory");
        }
    }
    free(given);
    *pos = p;
    *npos = np;
    return 0;
}

int cli_parse_options(cli_env *e, int argc, char **argv, const cli_opt *opts, size_t nopts)
{
    char **pos;
    int npos, code = cli_parse(e, argc, argv, opts, nopts, &pos, &npos);
    if (code) {
        return code;
    }
    if (npos) {
        fprintf(e->err, "shnor %s: unexpected argument '%s'\n", e->command ? e->command : "",
                pos[0]);
        code = cli_usage_cmd(e);
    }
    free(pos);
    return code;
}

int64_t cli_id(const char *s)
{
    if (!s || *s < '0' || *s > '9') {
        return 0;
    }
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    return errno == 0 && !*end && v > 0 ? (int64_t)v : 0;
}

int cli_usage_id(cli_env *e, const char *text, const char *what, const char *lister)
{
    if (!text) {
        return cli_usage_cmd(e);
    }
    return cli_usage(e, "'%s' is not %s number (%s are numbered 1, 2, …; 'shnor %s' lists them)",
                     text, what, lister, lister);
}

int cli_open(cli_env *e, unsigned flags, shnor **db)
{
    int status = shnor_open(e->db_path, flags, db);
    if (status == SHNOR_DB && (flags & SHNOR_OPEN_READONLY)) {
        /* A database of an older shnor: upgraded in place once (it needs
           writing), then read as asked. An empty file or another program's
           is another status (store_open), never written; any other failure
           fails again. */
        shnor *rw = NULL;
        if (shnor_open(e->db_path, flags & ~(unsigned)SHNOR_OPEN_READONLY, &rw) == SHNOR_OK) {
            shnor_close(rw);
            shnor_close(*db);
            status = shnor_open(e->db_path, flags, db);
        } else {
            shnor_close(rw);
        }
    }
    if (status != SHNOR_OK) {
        int code = cli_fail(e, *db, status);
        shnor_close(*db);
        *db = NULL;
        return code;
    }
    return EXIT_OK;
}

int cli_format(cli_env *e, const char *s, unsigned allowed, shnor_format *out)
{
    static const struct {
        const char *name;
        shnor_format f;
    } names[] = {{"table", SHNOR_FORMAT_TABLE}, {"csv", SHNOR_FORMAT_CSV},
                 {"json", SHNOR_FORMAT_JSON}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(s, names[i].name) == 0 && (allowed & (1u << names[i].f))) {
            *out = names[i].f;
            return 0;
        }
    }
    int csv = (allowed & (1u << SHNOR_FORMAT_CSV)) != 0;
    if (csv && strcmp(s, "excel-csv") == 0) {
        *out = SHNOR_FORMAT_CSV;
        if (!e->excel) {
            if (!(e->excel = csv_excel_open(e->out))) {
                fprintf(e->err, "shnor %s: out of memory\n", e->command);
                return EXIT_FAILURE_OTHER;
            }
            e->out = e->excel;
        }
        return 0;
    }
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (allowed & (1u << names[i].f)) {
            sb_printf(&sb, "%s%s", sb.len ? ", " : "", names[i].name);
        }
    }
    if (csv) {
        sb_puts(&sb, ", excel-csv");
    }
    cli_usage(e, "--format '%s' is not one of %s", s, sb.data);
    sb_free(&sb);
    return EXIT_USAGE;
}

int shnor_cli_main(int argc, char **argv, FILE *out, FILE *err)
{
    cli_env e = {out, err, NULL, NULL, 0, NULL};
    int i = 1;
    const char *env_db = getenv("SHNOR_DB");
    e.db_path = env_db && *env_db ? env_db : "shnor.db";
    /* Global options before the command. */
    while (i < argc && argv[i][0] == '-') {
        if (strcmp(argv[i], "--db") == 0) {
            if (i + 1 >= argc) {
                fprintf(err, "shnor: --db needs a file name\n");
                return EXIT_USAGE;
            }
            e.db_path = argv[i + 1];
            i += 2;
        } else if (strncmp(argv[i], "--db=", 5) == 0) {
            e.db_path = argv[i] + 5;
            i++;
        } else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
            e.verbose = 1;
            i++;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(out);
            return EXIT_OK;
        } else if (strcmp(argv[i], "--version") == 0) {
            fprintf(out, "shnor %s\n", SHNOR_VERSION);
            return EXIT_OK;
        } else {
            fprintf(err, "shnor: unknown option '%s'\n", argv[i]);
            usage(err);
            return EXIT_USAGE;
        }
    }
    if (i >= argc) {
        usage(err);
        return EXIT_USAGE;
    }
    const char *name = argv[i];
    if (strcmp(name, "help") == 0) {
        const command *c = i + 1 < argc ? find_command(argv[i + 1]) : NULL;
        if (c) {
            command_help(out, c);
        } else if (i + 1 < argc && strcmp(argv[i + 1], "version") != 0) {
            fprintf(err, "shnor: unknown command '%s'\n", argv[i + 1]);
            usage(err);
            return EXIT_USAGE;
        } else {
            usage(out);
        }
        return EXIT_OK;
    }
    if (strcmp(name, "version") == 0) {
        fprintf(out, "shnor %s\n", SHNOR_VERSION);
        return EXIT_OK;
    }
    const command *c = find_command(name);
    if (c) {
        /* `shnor CMD --help` (or -h) right after the command or its verb:
           anywhere else it may be an option's value (--reason -h) */
        int at = i + 1;
        if (at + 1 < argc && argv[at][0] != '-') {
            at++; /* after a verb: `import values --help`, `override add --help` */
        }
        if (at < argc && (strcmp(argv[at], "--help") == 0 || strcmp(argv[at], "-h") == 0)) {
            command_help(out, c);
            return EXIT_OK;
        }
        e.command = name;
        int code = c->run(&e, argc - i - 1, argv + i + 1);
        if (e.excel && fclose(e.excel) != 0 && code == EXIT_OK) {
            fprintf(err, "shnor %s: writing the output failed\n", name);
            code = EXIT_IO;
        }
        fflush(out);
        return code;
    }
    fprintf(err, "shnor: unknown command '%s'\n", name);
    usage(err);
    return EXIT_USAGE;
}
