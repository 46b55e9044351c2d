/*
 * cli.h — what the command implementations share: the environment of one
 * invocation, option parsing, exit statuses and error printing.
 *
 * Exit statuses (README, "Exit codes"): 0 success; 1 other failure; 2 the
 * command line is wrong; 3 input data rejected; 4 a rule pack failed to load,
 * check or evaluate; 5 a pack hit a limit; 6 a check answered no (pack tests
 * failed, a replay differs); 7 database error; 8 file error; 9 not found.
 */
#ifndef SHNOR_CLI_H
#define SHNOR_CLI_H

#include <stdio.h>

#include "shnor.h"

enum {
    EXIT_OK = 0,
    EXIT_FAILURE_OTHER = 1,
    EXIT_USAGE = 2,
    EXIT_INPUT = 3,
    EXIT_PACK = 4,
    EXIT_LIMIT = 5,
    EXIT_CHECK = 6,
    EXIT_DB = 7,
    EXIT_IO = 8,
    EXIT_NOTFOUND = 9
};

typedef struct {
    FILE *out, *err;
    const char *db_path; /* --db, else $SHNOR_DB, else ./shnor.db */
    const char *command;
    int verbose;
    FILE *excel; /* --format excel-csv: out is this filter over the given out */
} cli_env;

typedef enum { OPT_FLAG, OPT_VALUE, OPT_LIST } cli_opt_kind;

typedef struct {
    const char **items;
    size_t n, cap;
} cli_list;

typedef struct {
    const char *name;  /* long name without the dashes */
    cli_opt_kind kind;
    void *target;      /* int * (flag: set to 1), const char ** (value), cli_list * */
} cli_opt;

/*
 * Parses argv[0..argc) (the words after the command) against opts: "--name
 * value", "--name=value" and flags; "--db FILE" and "--verbose" are
 * accepted everywhere; "--" ends options. Positional words are collected in *pos (malloc'ed array of
 * borrowed pointers; caller frees). Returns 0, or EXIT_USAGE after printing
 * what was wrong.
 */
int cli_parse(cli_env *e, int argc, char **argv, const cli_opt *opts, size_t nopts,
              char ***pos, int *npos);
/* cli_parse for a command that takes options only: a positional word is a
   usage error naming it. */
int cli_parse_options(cli_env *e, int argc, char **argv, const cli_opt *opts, size_t nopts);
void cli_list_free(cli_list *l);

/* The exit status for a shnor status. */
int cli_exit_code(int status);

/* Prints db's message (or the status name) and returns the exit status. */
int cli_fail(cli_env *e, shnor *db, int status);
/* Prints a usage error for the current command and returns EXIT_USAGE. */
int cli_usage(cli_env *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Opens the database; on failure prints why and returns the exit status (db NULL). */
/* The usage error for an id argument: the usage line when text is NULL (no
   argument), else that text is not `what` number ("a run"; the kind is
   listed by 'shnor lister', "runs"). Returns EXIT_USAGE. */
int cli_usage_id(cli_env *e, const char *text, const char *what, const char *lister);
int cli_open(cli_env *e, unsigned flags, shnor **db);

/* Parses --format; `allowed` is a mask of 1 << SHNOR_FORMAT_*. "excel-csv",
   where CSV is allowed, is CSV through csv_excel_open from then on (e->out). */
#define CLI_ALL_FORMATS (1u << SHNOR_FORMAT_TABLE | 1u << SHNOR_FORMAT_CSV | 1u << SHNOR_FORMAT_JSON)
int cli_format(cli_env *e, const char *s, unsigned allowed, shnor_format *out);

/* The limit options every command that evaluates packs takes. */
typedef struct {
    const char *mem, *instr, *time;
} cli_limit_opts;
#define CLI_LIMIT_OPTS(lo)                                                                     \
    {"mem-limit", OPT_VALUE, &(lo).mem}, {"instr-limit", OPT_VALUE, &(lo).instr},              \
        {"time-limit", OPT_VALUE, &(lo).time}
/* Fills *out from the options (defaults for those not given); EXIT_USAGE on error. */
int cli_limits(cli_env *e, const cli_limit_opts *o, shnor_limits *out);

struct pack;
/* Loads a pack, printing its problems; returns the shnor status (cli_pack.c). */
int cli_load_pack(cli_env *e, const char *path, const shnor_limits *lim, const char *lib,
                  struct pack **out);
/* Prints what a pack printed with print(), with --verbose. */
void cli_show_log(cli_env *e, const struct pack *p);
/* The command's usage line on stderr; returns EXIT_USAGE. */
int cli_usage_cmd(cli_env *e);
/* A run's, assignment's or override's id: digits only, positive and within
   range, else 0 (99999999999999999999 is no id, not the largest one). */
int64_t cli_id(const char *s);
/* Prints on stderr a warning for each override of ev's period that names a
   category its pack does not have (eval_note_stray_overrides), and, but in
   `run` (which refuses to keep it), when ev decided nothing at all
   (eval_nothing_decided). */
struct evaluation;
void cli_note_stray_overrides(cli_env *e, const struct evaluation *ev);

/* The commands (cli_*.c). Each returns an exit status. */
int cmd_init(cli_env *e, int argc, char **argv);
int cmd_import(cli_env *e, int argc, char **argv);
int cmd_export(cli_env *e, int argc, char **argv);
int cmd_check(cli_env *e, int argc, char **argv);
int cmd_test(cli_env *e, int argc, char **argv);
int cmd_list(cli_env *e, int argc, char **argv);
int cmd_roadmap(cli_env *e, int argc, char **argv);
int cmd_assignment(cli_env *e, int argc, char **argv);
int cmd_assignments(cli_env *e, int argc, char **argv);
int cmd_override(cli_env *e, int argc, char **argv);
int cmd_targets(cli_env *e, int argc, char **argv);
int cmd_run(cli_env *e, int argc, char **argv);
int cmd_runs(cli_env *e, int argc, char **argv);
int cmd_show_run(cli_env *e, int argc, char **argv);
int cmd_replay(cli_env *e, int argc, char **argv);
int cmd_diff(cli_env *e, int argc, char **argv);
int cmd_whatif(cli_env *e, int argc, char **argv);
int cmd_report(cli_env *e, int argc, char **argv);

/* --period, or the pack's own period when absent; EXIT_USAGE on error. */
int cli_period(cli_env *e, const char *text, const struct pack *p, shnor_period *out);

#endif
