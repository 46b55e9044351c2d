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

typedef struct pack {
    sandbox *sb;
    struct bridge *bridge; /* the `shnor` API installed in sb */
    char *path;      /* as given */
    char *chunkname; /* "@" + path */
    char *text;      /* the source */
    size_t len;
    char sha256[65];

    char *id, *title, *version, *source;
    pack_category *cats;
    size_t ncats;
    pack_criterion *crits;
    size_t ncrits;
    int list_ref;  /* LUA_NOREF, a function, or a table category -> function */
    int table_ref; /* the table the pack returned */

    strbuf problems; /* one message per line: "rules/x.lua:12: ..." */
    int nproblems;
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
void pack_free(pack *p);

/* Records a problem "file:line: message" (line 0: "file: message"). */
void pack_problem(pack *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/*
 * The line of the first line on or after `after` that contains `key = "value"`
 * (any quotes, any spacing); else the first line containing the quoted value;
 * else `fallback`.
 */
int pack_locate(const pack *p, const char *key, const char *value, int after, int fallback);

/* The line where the function at stack index idx was defined, 0 if not Lua. */
int pack_function_line(lua_State *L, int idx);

/* Index of a category or criterion by id, -1 when absent. */
int pack_category_index(const pack *p, const char *id);
int pack_criterion_index(const pack *p, const char *id);

/* Pushes field `name` of the pack table [-0, +1, -]. */
void pack_push_field(pack *p, const char *name);

#endif
