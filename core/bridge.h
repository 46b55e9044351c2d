/*
 * bridge.h — the Lua side of an evaluation: the `shnor` API table and the
 * read-only school view `s` that criteria receive, recording every value a
 * criterion reads.
 *
 * Only bridge*.c and sandbox*.c call lua_* for evaluation; eval.c drives it.
 */
#ifndef SHNOR_BRIDGE_H
#define SHNOR_BRIDGE_H

#include "eval.h"

typedef struct bridge {
    sandbox *sb;
    dataset *ds;
    evaluation *ev; /* where kept reads and names go */
    shnor_period period;

    int school;    /* the school being evaluated, -1 outside */
    int criterion; /* the criterion running, -1 for `list`, -2 for none */

    /* Reads of the current school, all criteria; eval.c keeps what it needs. */
    ev_read *scratch;
    size_t nscratch, capscratch;
    int nil_reads;      /* missing values read by the current criterion */
    char missing[200];  /* the first of them, for the insufficient-data reason */

    /* A school view is a userdata with a metatable of its own, whose
       __index is a table of the school's fields chained (fields_meta) to the
       methods: s.code and s:value are found by the VM without a C call. */
    int fields_meta_ref; /* registry: { __index = methods }, methods missing -> error */
    int tostring_ref;    /* registry: the views' __tostring */
    int views_ref;  /* registry: table school index -> view userdata */
    int anchor_ref; /* registry: strings whose addresses key the caches */
    int territories_ref; /* registry: territory index + 1 -> its name, one
                            string each, so s.territory is always the same */
    char known_pack[72]; /* the last other pack s:listed found in the data */
    struct {
        const void *ind, *per; /* interned Lua strings */
        int col;
    } cache[256];
    struct {
        const void *name; /* an interned or a territories_ref string */
        int scope;
    } scopes[64];
    /* Percentiles asked for, by figures and q: a pack asks each school for
       the same few of its region, and one in decimals (ds_percentile) costs
       ~150 ns; 2,048 slots hold 16 for each of 85 regions. */
    struct {
        const void *st; /* the ds_stats; NULL: empty */
        double q, v;
    } percentiles[2048];
} bridge;

/*
 * Installs the read-only `shnor` table and the school view into the sandbox.
 * The pack owns b, which must stay at the same address while the sandbox
 * lives. Until an evaluation is attached, functions that need data raise an
 * error (periods work). Returns 0 or -1.
 */
int bridge_open(bridge *b, sandbox *sb);
void bridge_close(bridge *b); /* frees the scratch buffer */

/* Starts an evaluation over ds in period (the default for period arguments),
   recording into ev (may be NULL). Returns 0 or -1 (out of memory). */
int bridge_attach(bridge *b, dataset *ds, evaluation *ev, shnor_period period);
/* Ends it: data functions raise again. */
void bridge_detach(bridge *b);

/* Pushes the view of school i [-0, +1, m]. */
void bridge_push_school(bridge *b, int school);

/* Starts recording for a criterion (clears the nil-read state). */
void bridge_begin_criterion(bridge *b, int criterion);

/* Three-valued logic over criteria results (bridge_logic.c). */
int bridge_all(lua_State *L);
int bridge_any(lua_State *L);
int bridge_at_least(lua_State *L);

#endif
