/*
 * pack.h — a rule pack loaded into its sandbox and checked against the pack
 * contract: its identity, categories, criteria (with their test functions
 * kept in the Lua registry), the optional `list` combiner, and the parts
 * later stages read (activities, targets, tests).
 *
 * Every problem found is reported with file:line. Lua tables carry no line
 * numbers, so the line of a table entry is found in the pack's source text
 * (the `id = "..."` that names it) and the line of a function from Lua itself.
 */
#ifndef SHNOR_PACK_H
#define SHNOR_PACK_H

#include <stddef.h>

#include "sandbox.h"
#include "strbuf.h"

typedef struct {
    char *id;
    char *title;
} pack_category;

typedef struct {
    char *id;
    char *title;
    char *explain;  /* optional wording for explanations, NULL when absent */
    int category;   /* index into cats */
    int test_ref;   /* registry reference of test(s, period) */
    int line;       /* where it is written */
} pack_criterion;

struct bridge;
struct due_spec;

/* A cohort of a category: ШНОР-1 / ШНОР-2, "persistently low". */
typedef struct {
    char *id, *title;
    int category;
    int test_ref;
    int line;
} pack_cohort;

enum { APPLIES_TERRITORY = 0, APPLIES_IDS = 1, APPLIES_FUNCTION = 2 };

/* One row of the roadmap. */
typedef struct {
    char *id, *section, *title, *due_text, *responsible, *coexecutors, *result, *indicator,
        *document, *note; /* "" when absent */
    struct due_spec *due;
    int applies;        /* APPLIES_* */
    char **applies_ids; /* categories and cohorts */
    size_t napplies;
    char **schools; /* named schools */
    size_t nschools;
    int applies_ref; /* function(s, period, listing) */
    int line;
} pack_activity;

/* A base school and the schools it mentors. */
typedef struct {
    char *mentor;
    char **schools;
    size_t nschools;
    int line;
} pack_mentor;

/* Target kinds and scopes (targets.c evaluates them). */
enum {
    TK_REDUCE_RELATIVE = 1,
    TK_REDUCE_POINTS,
    TK_INCREASE_RELATIVE,
    TK_AT_LEAST,
    TK_AT_MOST,
    TK_NOT_BELOW_MEAN,
    TK_CLOSE_GAP,
    TK_ASSIGNMENTS_DONE
};
enum { TS_EACH = 1, TS_CATEGORY, TS_ALL, TS_SCHOOLS };

typedef struct {
    char *id, *title, *indicator; /* indicator NULL for assignments_done */
    int kind;                     /* TK_* */
    double value, goal;           /* goal: NAN unless close_gap */
    int scope;                    /* TS_* */
    char *scope_id;               /* category (or cohort) id for each/category */
    char **schools;
    size_t nschools;
    int baseline_is_offset, period_is_offset;
    int baseline_offset, period_offset;
    shnor_period baseline, period; /* when given as periods; period kind 0 = default */
    int has_baseline;
    int has_listed_in, listed_in_is_offset, listed_in_offset;
    shnor_period listed_in; /* whose listing is the scope (default: the baseline's) */
    char *weight_by;
    int strict; /* the actual must pass the threshold, not only reach it */
    shnor_period *checkpoints;
    size_t ncheckpoints;
    int line;
} pack_target;

typedef struct pack {
    sandbox *sb;
    struct bridge *bridge; /* the `shnor` API installed in sb */
    char *path;      /* as given */
    char *chunkname; /* "@" + path */
    char *text;      /* the source */
    size_t len;
    size_t *line_start; /* byte offset of each line, from line 1; nlines of them */
    size_t nlines;
    char sha256[65];

    char *id, *title, *version, *source;
    pack_category *cats;
    size_t ncats;
    pack_criterion *crits;
    size_t ncrits;
    int list_ref;  /* LUA_NOREF, a function, or a table category -> function */
    int *fired_mt; /* per category, the registry ref of the metatable of the
                      `fired` table its `list` gets; 0 until made (eval.c) */
    int table_ref; /* the table the pack returned */

    char **territories; /* whose schools are evaluated; none: all */
    size_t nterritories;
    shnor_period period;  /* the order's own period; kind 0 when not given */
    int roadmap_listing;  /* 0, or -1: the roadmap serves the listing before */
    shnor_period *roadmap_periods; /* the periods the roadmap is for; none: any */
    size_t nroadmap_periods;
    shnor_date roadmap_ends; /* the programme's last day; 0: none */
    pack_cohort *cohorts;
    size_t ncohorts;
    int *exit_after; /* per category; 0: no hysteresis */
    pack_mentor *mentors;
    size_t nmentors;
    int mentors_ref; /* function(s, period, category), or LUA_NOREF */
    pack_activity *acts;
    size_t nacts;
    pack_target *targets;
    size_t ntargets;

    strbuf problems; /* one message per line: "rules/x.lua:12: ..." */
    int nproblems;

    /* A second instance of the pack in a state of its own, for the second
       half of the schools (eval_halves.c); made on first use, NULL until then. */
    struct pack *twin;
    int no_twin;        /* it could not be made, or its half had to be redone */
    char *twin_modules; /* the module texts the twin requires from (owned) */
    size_t twin_log;    /* the twin's log after loading: evaluation adds none */
} pack;

/*
 * Loads the pack at path into a new sandbox with the given limits (NULL:
 * defaults) and checks it. Modules are required from lib_dir (NULL: the
 * directory `lib` next to the pack). Returns SHNOR_OK; SHNOR_PACK when the
 * pack does not load or breaks the contract (every problem in p->problems);
 * SHNOR_LIMIT when its top level hit a limit; SHNOR_IO when the file cannot
 * be read. *out is set whenever memory allowed (free it with pack_free).
 */
int pack_load(const char *path, const shnor_limits *limits, const char *lib_dir, pack **out);
/* Where a pack's modules are by default: lib/ next to the pack file
   (malloc'ed; NULL when memory ran out). */
char *pack_default_lib_dir(const char *path);
/*
 * As pack_load, from text[0..len) (NULL: read path) named path in messages;
 * with modules (name NUL text NUL ..., borrowed until pack_free), `require`
 * reads only those: a run replayed with the sources it kept.
 */
int pack_load_source(const char *path, const char *text, size_t len, const shnor_limits *limits,
                     const char *lib_dir, const char *modules, size_t modules_len, pack **out);
void pack_free(pack *p);
/*
 * The pack's twin: the same source and module texts loaded with the same
 * limits into a fresh state. NULL when it cannot be made (then p->no_twin is
 * set and it is not tried again). Owned by p.
 */
pack *pack_twin(pack *p);

/* A problem longer than this (a pack's error(string.rep("x", 1e7))) is cut. */
#define PROBLEM_MAX 4096
/* Records a problem "file:line: message" (line 0: "file: message"). */
void pack_problem(pack *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The most entries of each list a pack may have: far above any order's
   (the seeds have tens), low enough that checking them (duplicate ids,
   where each is written) stays well under a second. */
enum {
    PACK_MAX_CATEGORIES = 500,
    PACK_MAX_COHORTS = 500,
    PACK_MAX_CRITERIA = 2000,
    PACK_MAX_ACTIVITIES = 5000,
    PACK_MAX_TARGETS = 2000,
    PACK_MAX_MENTORS = 2000,
    PACK_MAX_CHECKPOINTS = 1000
};
/* 1, with a problem saying so, when list `what` has n > cap entries. */
int pack_too_many(pack *p, const char *what, size_t n, size_t cap);

/*
 * The line of the first line on or after `after` that contains `key = "value"`
 * (any quotes, any spacing); else the first line containing the quoted value;
 * else `fallback`.
 */
int pack_locate(const pack *p, const char *key, const char *value, int after, int fallback);
/* The line of the first `[index] = ` on or after line after, else fallback. */
int pack_locate_index(const pack *p, const char *index, int after, int fallback);
/* pack_locate.c, with pack_locate: the line index of p->text (0, or -1 when
   memory ran out); the line of the first `key =` on or after line `after`
   (else fallback); the last line starting with `return` (0 when none). */
int pack_index_lines(pack *p);
int pack_locate_key(const pack *p, const char *key, int after, int fallback);
int pack_last_return_line(const pack *p);

/* The line where the function at stack index idx was defined, 0 if not Lua. */
int pack_function_line(lua_State *L, int idx);

/* Index of a category or criterion by id, -1 when absent. */
int pack_category_index(const pack *p, const char *id);
int pack_criterion_index(const pack *p, const char *id);

/* Pushes field `name` of the pack table, raw (no metamethod runs) [-0, +1, m]. */
void pack_push_field(pack *p, const char *name);

/* Reading the roadmap parts of the pack table at stack index pt
   (pack_plan.c), and the targets (pack_targets.c); problems go to p. */
void pack_read_plan(pack *p, int pt);
void pack_read_targets(pack *p, int pt);
void pack_free_plan(pack *p);

/* Helpers shared by the pack readers (pack.c). */
char *pack_string_field(pack *p, int idx, const char *name, const char *what, int line);
void pack_check_keys(pack *p, int idx, const char *const *known, const char *what, int line);
/* Reports an entry of the list at idx (field `what` of the pack) that its
   items 1..#list do not reach — `x = { … }` beside them, or one after a nil —
   which reading the list would leave out [-0, +0, -]. */
void pack_check_list(pack *p, int idx, const char *what);
int pack_id_ok(const char *s);
/* The longest text a pack may give (a title, an explanation, a roadmap
   cell), in characters: the seeds' longest is about 400. */
#define PACK_TEXT_MAX 4000
/* The largest pack file read, in bytes. */
#define PACK_FILE_MAX (16 << 20)
/* 1 when s[0..len) of field name may be used as text: no NUL byte, at most
   PACK_TEXT_MAX characters; else 0 with the pack's problem recorded. */
/* 1 when the table at idx has no field name (nil): "has no" is said of
   that, not of a field refused for what it holds. */
int pack_field_absent(pack *p, int idx, const char *name);
int pack_text_ok(pack *p, int line, const char *what, const char *name, const char *s,
                 size_t len);
/* "reduce_relative", ... for a TK_* kind. */
const char *target_kind_name(int kind);

/* A cohort index by id, -1 when absent. */
int pack_cohort_index(const pack *p, const char *id);

#endif
