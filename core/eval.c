/*
 * eval.c — runs a pack's criteria over every school for one period and
 * decides each school's place in each category: the criteria combined (any
 * of them, or the pack's `list`), the exit rule that keeps a school listed in
 * the period before until it has missed the criteria long enough, a person's
 * override, then the cohort and the mentor of a listed school. The reads that
 * explain each row are kept (see eval.h for the fail-closed rules). This
 * file evaluates a range of schools in one state; eval_halves.c makes the
 * whole evaluation of them, in one state or in two halves at once;
 * eval_call.c calls one function of the pack and reads its result;
 * eval_notes.c says what of the data the evaluation could not use.
 */
#include "eval.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "evalInt.h"

int eval_name(evaluation *ev, const char *name)
{
    int added;
    int64_t *slot = strmap_put(ev->name_index, name, strlen(name), &added);
    if (!slot) {
        return -1;
    }
    if (!added) {
        return (int)*slot;
    }
    char **nn = realloc(ev->names, (ev->nnames + 1) * sizeof *nn);
    char *copy = strdup(name);
    if (!nn || !copy) {
        free(copy);
        if (nn) {
            ev->names = nn;
        }
        return -1;
    }
    ev->names = nn;
    ev->names[ev->nnames] = copy;
    *slot = (int64_t)ev->nnames;
    return (int)ev->nnames++;
}

void eval_free(evaluation *ev)
{
    if (!ev) {
        return;
    }
    free(ev->results);
    for (size_t i = 0; i < ev->nrows; i++) {
        free(ev->rows[i].reason);
        free(ev->rows[i].mentor);
    }
    free(ev->rows);
    free(ev->row_crits);
    free(ev->reads);
    for (size_t i = 0; i < ev->nnames; i++) {
        free(ev->names[i]);
    }
    free(ev->names);
    strmap_free(ev->name_index);
    free(ev->listed);
    free(ev->insufficient);
    sb_free(&ev->err);
    free(ev);
}

static int push_row(evaluation *ev, int school, int category, int status)
{
    if (ev->nrows == ev->caprows) {
        size_t ncap = ev->caprows ? ev->caprows * 2 : 64;
        ev_row *n = realloc(ev->rows, ncap * sizeof *n);
        if (!n) {
            return -1;
        }
        ev->rows = n;
        ev->caprows = ncap;
    }
    ev_row *r = &ev->rows[ev->nrows++];
    memset(r, 0, sizeof *r);
    r->school = school;
    r->category = category;
    r->status = status;
    r->cohort = -1;
    r->first_crit = (uint32_t)ev->nrow_crits;
    r->first_read = (uint32_t)ev->nreads;
    return 0;
}

static int add_row_crit(evaluation *ev, int crit)
{
    if (ev->nrow_crits == ev->caprow_crits) {
        size_t ncap = ev->caprow_crits ? ev->caprow_crits * 2 : 64;
        int *n = realloc(ev->row_crits, ncap * sizeof *n);
        if (!n) {
            return -1;
        }
        ev->row_crits = n;
        ev->caprow_crits = ncap;
    }
    ev->row_crits[ev->nrow_crits++] = crit;
    ev->rows[ev->nrows - 1].ncrits++;
    return 0;
}

static int add_reads(evaluation *ev, const ev_read *r, size_t n)
{
    if (n == 0) {
        return 0; /* r and ev->reads may be NULL: no memcpy */
    }
    if (ev->nreads + n > ev->capreads) {
        size_t ncap = ev->capreads ? ev->capreads : 256;
        while (ncap < ev->nreads + n) {
            ncap *= 2;
        }
        ev_read *nr = realloc(ev->reads, ncap * sizeof *nr);
        if (!nr) {
            return -1;
        }
        ev->reads = nr;
        ev->capreads = ncap;
    }
    memcpy(ev->reads + ev->nreads, r, n * sizeof *r);
    ev->nreads += n;
    ev->rows[ev->nrows - 1].nreads += (uint32_t)n;
    return 0;
}

/* Pushes the `list` function for category k, or nothing (returns 0). */
static int push_list_fn(evaluation *ev, int k)
{
    lua_State *L = ev->p->sb->L;
    if (ev->p->list_ref == LUA_NOREF) {
        return 0;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->p->list_ref);
    if (lua_type(L, -1) == LUA_TTABLE) {
        /* raw: this runs outside a protected call, so no metamethod of the
           pack's table may run (pack_load checked its raw entries) */
        lua_pushstring(L, ev->p->cats[k].id);
        lua_rawget(L, -2);
        lua_remove(L, -2);
    }
    if (lua_type(L, -1) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return 0;
    }
    return 1;
}

/* __index of a `fired` table [-2, +1, e]: nil for a criterion of the
   category that lacked data, an error for any other name — a misspelt id
   (`fired.fed_lsit`) was nil and silently listed nobody. Upvalues: the
   criterion ids `list` may read (a set), the category id, the ids as text. */
static int fired_index(lua_State *L)
{
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(1)) != LUA_TNIL) {
        lua_pushnil(L);
        return 1;
    }
    luaL_where(L, 1); /* the function that indexed fired */
    if (lua_type(L, 2) == LUA_TSTRING) {
        lua_pushfstring(L, "fired.%s: category '%s' has no criterion '%s' (criteria: %s)",
                        lua_tostring(L, 2), lua_tostring(L, lua_upvalueindex(2)),
                        lua_tostring(L, 2), lua_tostring(L, lua_upvalueindex(3)));
    } else {
        lua_pushfstring(L, "fired[...]: a %s key; fired is indexed by criterion ids (%s)",
                        luaL_typename(L, 2), lua_tostring(L, lua_upvalueindex(3)));
    }
    lua_concat(L, 2);
    return lua_error(L);
}

/* Pushes the metatable of category k's `fired` tables, made once per pack
   [-0, +1, m]. */
static void push_fired_mt(pack *p, int k)
{
    lua_State *L = p->sb->L;
    if (!p->fired_mt) {
        p->fired_mt = calloc(p->ncats ? p->ncats : 1, sizeof *p->fired_mt);
    }
    if (p->fired_mt && p->fired_mt[k]) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, p->fired_mt[k]);
        return;
    }
    /* One `list` for every category reads any criterion of the pack (the
       others' are nil); a category's own `list` only that category's. */
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->list_ref);
    int per_category = lua_type(L, -1) == LUA_TTABLE;
    lua_pop(L, 1);
    lua_createtable(L, 0, 1);
    lua_newtable(L);
    for (size_t c = 0; c < p->ncrits; c++) {
        if (!per_category || p->crits[c].category == k) {
            lua_pushboolean(L, 1);
            lua_setfield(L, -2, p->crits[c].id);
        }
    }
    lua_pushstring(L, p->cats[k].id);
    luaL_Buffer ids;
    luaL_buffinit(L, &ids);
    int n = 0;
    for (size_t c = 0; c < p->ncrits; c++) {
        if (!per_category || p->crits[c].category == k) {
            if (n++) {
                luaL_addstring(&ids, ", ");
            }
            luaL_addstring(&ids, p->crits[c].id);
        }
    }
    luaL_pushresult(&ids);
    lua_pushcclosure(L, fired_index, 3);
    lua_setfield(L, -2, "__index");
    if (p->fired_mt) {
        lua_pushvalue(L, -1);
        p->fired_mt[k] = luaL_ref(L, LUA_REGISTRYINDEX);
    }
}

/*
 * Combines the results res[] of category k's criteria for school i in
 * period_text: ROW_LISTED, ROW_INSUFFICIENT or 0 in *status, through the
 * pack's `list` when it has one. Returns 0 or -1 (error in ev->err).
 */
static int combine(evaluation *ev, bridge *b, const int8_t *res, int i, int k,
                   const char *period_text, int *status, char *reason)
{
    pack *p = ev->p;
    lua_State *L = p->sb->L;
    int any_fired = 0, any_insufficient = 0;
    for (size_t c = 0; c < p->ncrits; c++) {
        if (p->crits[c].category == k) {
            any_fired |= res[c] == CRIT_FIRED;
            any_insufficient |= res[c] == CRIT_INSUFFICIENT;
        }
    }
    *status = any_fired ? ROW_LISTED : any_insufficient ? ROW_INSUFFICIENT : 0;
    reason[0] = '\0';
    if (!push_list_fn(ev, k)) {
        return 0;
    }
    bridge_push_school(b, i);
    lua_pushstring(L, period_text);
    lua_createtable(L, 0, 8);
    for (size_t c = 0; c < p->ncrits; c++) {
        if (p->crits[c].category == k && res[c] != CRIT_INSUFFICIENT) {
            lua_pushboolean(L, res[c] == CRIT_FIRED);
            lua_setfield(L, -2, p->crits[c].id);
        }
    }
    push_fired_mt(p, k);
    lua_setmetatable(L, -2);
    lua_pushstring(L, p->cats[k].id);
    bridge_begin_criterion(b, READ_BY_LIST);
    int r = eval_run_call(ev, b, 4, "the 'list' function for category '%s'", p->cats[k].id,
                          reason, 1, 0);
    if (r < 0) {
        return -1;
    }
    *status = r == CRIT_FIRED                         ? ROW_LISTED
              : r == CRIT_INSUFFICIENT                ? ROW_INSUFFICIENT
              : r == CRIT_SKIPPED && any_insufficient ? ROW_INSUFFICIENT
                                                      : 0;
    return 0;
}

/* Runs criterion c for school i in period_text; CRIT_* or -1. */
static int run_criterion(evaluation *ev, bridge *b, int i, size_t c, const char *period_text,
                         char *reason)
{
    pack *p = ev->p;
    lua_State *L = p->sb->L;
    const pack_criterion *crit = &p->crits[c];
    if (crit->test_ref == LUA_NOREF) {
        return CRIT_SKIPPED;
    }
    bridge_begin_criterion(b, (int)c);
    p->sb->criterion = crit->id;
    lua_rawgeti(L, LUA_REGISTRYINDEX, crit->test_ref);
    bridge_push_school(b, i);
    lua_pushstring(L, period_text);
    return eval_run_call(ev, b, 2, "criterion '%s'", crit->id, reason, 0, 0);
}

/*
 * The exit rule: school i, not listed by the criteria in category k now but
 * listed in the period before, stays on the list until it has missed the
 * criteria exit_after[k] periods in a row. Earlier periods are checked with
 * the same criteria; a period where they lack data counts as met (a school
 * is never dropped for missing data), and so does this one when its status
 * is ROW_INSUFFICIENT: the school is kept with *misses 0. Sets *held and
 * *misses; 0 or -1.
 */
static int check_exit(evaluation *ev, bridge *b, int i, int k, int status_now, int *held,
                      int *misses)
{
    pack *p = ev->p;
    int after = p->exit_after ? p->exit_after[k] : 0;
    *held = 0;
    *misses = 1;
    if (after <= 0) {
        return 0;
    }
    char prev[SHNOR_PERIOD_MAX];
    shnor_period_format(shnor_period_shift(ev->period, -1), prev, sizeof prev);
    if (!ds_was_listed(ev->ds, i, prev, p->cats[k].id, p->id)) {
        return 0;
    }
    if (status_now == ROW_INSUFFICIENT) {
        *held = 1;
        *misses = 0;
        return 0;
    }
    int8_t *res = malloc(p->ncrits ? p->ncrits : 1);
    char *reasons = malloc(REASON_MAX);
    if (!res || !reasons) {
        free(res);
        free(reasons);
        sb_puts(&ev->err, "out of memory");
        return -1;
    }
    int rc = 0, met = 0;
    size_t from = b->nscratch;
    for (int back = 1; back < after && !met; back++) {
        char per[SHNOR_PERIOD_MAX];
        shnor_period_format(shnor_period_shift(ev->period, -back), per, sizeof per);
        memset(res, CRIT_SKIPPED, p->ncrits);
        for (size_t c = 0; c < p->ncrits; c++) {
            if (p->crits[c].category != k) {
                continue;
            }
            int r = run_criterion(ev, b, i, c, per, reasons);
            if (r < 0) {
                rc = -1;
                break;
            }
            res[c] = (int8_t)r;
        }
        int status = 0;
        if (rc < 0 || combine(ev, b, res, i, k, per, &status, reasons) < 0) {
            rc = -1;
            break;
        }
        if (status) {
            met = 1; /* listed or lacking data that period */
        } else {
            (*misses)++;
        }
    }
    free(res);
    free(reasons);
    /* What the earlier periods read explains the exit rule, not a criterion. */
    for (size_t r = from; r < b->nscratch; r++) {
        b->scratch[r].criterion = READ_BY_EXIT;
    }
    if (rc == 0) {
        *held = met || *misses < after;
    }
    return rc;
}

static const ds_override *find_override(const evaluation *ev, int i, int k)
{
    const ds_override *found = NULL;
    for (size_t o = 0; o < ev->ds->noverrides; o++) {
        const ds_override *ov = &ev->ds->overrides[o];
        if (ov->school == i && strcmp(ov->period, ev->period_text) == 0 &&
            strcmp(ov->category, ev->p->cats[k].id) == 0 &&
            (!*ov->pack_id || strcmp(ov->pack_id, ev->p->id) == 0)) {
            found = ov; /* the latest one wins */
        }
    }
    return found;
}

/*
 * Overrides of the evaluated period, for this pack or every pack, that name a
 * category the pack does not have apply to no row: most likely a mistyped
 * category. Says so, one line each, so that a person's decision is never
 * dropped without a word.
 */
int eval_check_codes(const evaluation *ev, strbuf *err)
{
    const pack *p = ev->p;
    static const char *const tail =
        " is not among the schools of the pack's territory in the database";
    for (size_t m = 0; m < p->nmentors; m++) {
        const pack_mentor *g = &p->mentors[m];
        if (ds_school_index(ev->ds, g->mentor) < 0) {
            sb_printf(err, "pack '%s' (%s): %s:%d: mentors: the mentor '%s'%s", p->id, p->path,
                      p->path, g->line, g->mentor, tail);
            return SHNOR_PACK;
        }
        for (size_t j = 0; j < g->nschools; j++) {
            if (ds_school_index(ev->ds, g->schools[j]) < 0) {
                sb_printf(err, "pack '%s' (%s): %s:%d: mentors: school '%s' (mentored by '%s')%s",
                          p->id, p->path, p->path,
                          pack_locate(p, NULL, g->schools[j], g->line, g->line), g->schools[j],
                          g->mentor, tail);
                return SHNOR_PACK;
            }
        }
    }
    /* (not for a kept run's replay: one kept before targets' codes were
       checked still replays, its row insufficient_data as it was) */
    for (size_t t = 0; t < p->ntargets && !p->sb->stored_modules; t++) {
        const pack_target *g = &p->targets[t];
        for (size_t j = 0; j < g->nschools; j++) {
            if (ds_school_index(ev->ds, g->schools[j]) < 0) {
                sb_printf(err, "pack '%s' (%s): %s:%d: target '%s': school '%s' of its scope%s",
                          p->id, p->path, p->path,
                          pack_locate(p, NULL, g->schools[j], g->line, g->line), g->id,
                          g->schools[j], tail);
                return SHNOR_PACK;
            }
        }
    }
    for (size_t r = 0; r < ev->nrows; r++) {
        const char *mentor = ev->rows[r].mentor;
        if (!mentor || !*mentor || ds_school_index(ev->ds, mentor) >= 0) {
            continue;
        }
        int line = 0;
        if (p->mentors_ref != LUA_NOREF) {
            lua_State *L = p->sb->L;
            lua_Debug ar;
            lua_rawgeti(L, LUA_REGISTRYINDEX, p->mentors_ref);
            line = lua_getinfo(L, ">S", &ar) ? ar.linedefined : 0;
        }
        sb_printf(err, "pack '%s' (%s): %s:%d: the 'mentors' function gave school %s the mentor "
                       "'%s', which%s",
                  p->id, p->path, p->path, line, ev->ds->schools[ev->rows[r].school].code,
                  mentor, tail);
        return SHNOR_PACK;
    }
    return SHNOR_OK;
}

/* The first cohort of category k whose test holds for school i; -1 for none,
   -3 when a test lacked the data to tell (the cohorts after it not tried),
   -2 on error. */
static int find_cohort(evaluation *ev, bridge *b, int i, int k)
{
    pack *p = ev->p;
    lua_State *L = p->sb->L;
    for (size_t c = 0; c < p->ncohorts; c++) {
        const pack_cohort *co = &p->cohorts[c];
        if (co->category != k || co->test_ref == LUA_NOREF) {
            continue;
        }
        bridge_begin_criterion(b, READ_BY_COHORT);
        lua_rawgeti(L, LUA_REGISTRYINDEX, co->test_ref);
        bridge_push_school(b, i);
        lua_pushstring(L, ev->period_text);
        char reason[REASON_MAX];
        int r = eval_run_call(ev, b, 2, "the test of cohort '%s'", co->id, reason, 0, 0);
        if (r < 0) {
            return -2;
        }
        if (r == CRIT_FIRED) {
            return (int)c;
        }
        if (r == CRIT_INSUFFICIENT) {
            /* Not known: the next cohort ("впервые" after "повторно") would
               be a guess, and its roadmap the wrong one. */
            return -3;
        }
    }
    return -1;
}

/* The mentor of school i in category k: from the pack's table or function. */
static int find_mentor(evaluation *ev, bridge *b, int i, int k, char **out)
{
    pack *p = ev->p;
    lua_State *L = p->sb->L;
    const char *code = ev->ds->schools[i].code;
    *out = NULL;
    for (size_t m = 0; m < p->nmentors; m++) {
        for (size_t j = 0; j < p->mentors[m].nschools; j++) {
            if (strcmp(p->mentors[m].schools[j], code) == 0) {
                *out = strdup(p->mentors[m].mentor);
                return 0;
            }
        }
    }
    if (p->mentors_ref == LUA_NOREF) {
        return 0;
    }
    bridge_begin_criterion(b, READ_BY_MENTOR);
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->mentors_ref);
    bridge_push_school(b, i);
    lua_pushstring(L, ev->period_text);
    lua_pushstring(L, p->cats[k].id);
    char reason[REASON_MAX];
    int r = eval_run_call(ev, b, 3, "%s", "the 'mentors' function", reason, 1, 1);
    if (r < 0) {
        return -1;
    }
    if (r == CRIT_FIRED) {
        /* A code, or "" / nil for none; a number or a table was dropped
           without a word, and a school its own mentor went unnoticed. */
        size_t len = 0;
        const char *got = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        char msg[200] = "";
        if (!got) {
            snprintf(msg, sizeof msg,
                     "it returned a %s; it must return the mentor school's code (a string), "
                     "or nil for none",
                     luaL_typename(L, -1));
        } else if (strcmp(got, code) == 0) {
            snprintf(msg, sizeof msg, "it gave the school itself as its mentor");
        } else if (len) {
            *out = strdup(got);
        }
        lua_pop(L, 1);
        if (*msg) {
            char where[600];
            snprintf(where, sizeof where, "%s:%d: %s", p->path,
                     pack_locate_key(p, "mentors", 1, 0), msg);
            eval_fail(ev, b, SHNOR_PACK, "the 'mentors' function", where);
            return -1;
        }
    } else if (r != CRIT_INSUFFICIENT) {
        lua_pop(L, 1);
    }
    return 0;
}

/*
 * Decides category k for school i from its criteria, the exit rule, any
 * override, and for a listed school its cohort and mentor; adds the row.
 * Returns 0 or -1 (ev->err set, or out of memory with err empty).
 */
static int decide(evaluation *ev, bridge *b, school_work *w, int i, int k)
{
    pack *p = ev->p;
    int8_t *res = &ev->results[(size_t)i * p->ncrits];
    char list_reason[REASON_MAX];
    int status, held = 0, misses = 0, cohort = -1;
    char *mentor = NULL;
    w->extra_from = b->nscratch;
    if (combine(ev, b, res, i, k, ev->period_text, &status, list_reason) < 0) {
        return -1;
    }
    if (status != ROW_LISTED) {
        if (check_exit(ev, b, i, k, status, &held, &misses) < 0) {
            return -1;
        }
        if (held) {
            status = ROW_LISTED;
        }
    }
    const ds_override *ov = find_override(ev, i, k);
    if (ov) {
        status = ov->include ? ROW_LISTED : ROW_EXCLUDED;
        held = held && ov->include; /* an excluded school is not kept by the exit rule */
    }
    if (!status) {
        return 0;
    }
    if (status == ROW_LISTED) {
        if ((cohort = find_cohort(ev, b, i, k)) == -2 || find_mentor(ev, b, i, k, &mentor) < 0) {
            free(mentor);
            return -1;
        }
    }
    if (push_row(ev, i, k, status) < 0) {
        free(mentor);
        return -1;
    }
    ev_row *row = &ev->rows[ev->nrows - 1];
    row->held = held;
    row->misses = misses;
    row->cohort = cohort < 0 ? -1 : cohort;
    row->cohort_unknown = cohort == -3;
    row->mentor = mentor;
    row->override = ov;
    /* The criteria shown: those that fired, else those that lacked data; for
       a school whose data is insufficient, those that lacked it (a `list`
       that needs all of them finds rus fired and math unknown: math is why). */
    int any_fired = 0;
    for (size_t c = 0; c < p->ncrits; c++) {
        any_fired |= p->crits[c].category == k && res[c] == CRIT_FIRED;
    }
    int want = any_fired && status != ROW_INSUFFICIENT ? CRIT_FIRED : CRIT_INSUFFICIENT;
    for (size_t c = 0; c < p->ncrits; c++) {
        if (p->crits[c].category != k || res[c] != want) {
            continue;
        }
        if (add_row_crit(ev, (int)c) < 0 ||
            add_reads(ev, b->scratch + w->read_from[c], w->read_to[c] - w->read_from[c]) < 0) {
            return -1;
        }
        if (want == CRIT_INSUFFICIENT && !row->reason) {
            const char *r = &w->reasons[c * REASON_MAX];
            row->reason_explicit = r[0] == '!';
            row->reason = strdup(r + row->reason_explicit);
        }
    }
    if (add_reads(ev, b->scratch + w->extra_from, b->nscratch - w->extra_from) < 0) {
        return -1;
    }
    if (status == ROW_INSUFFICIENT && !row->reason) {
        row->reason_explicit = list_reason[0] == '!';
        row->reason = strdup(list_reason[0] ? list_reason + row->reason_explicit : "нет данных");
    }
    if (status == ROW_LISTED) {
        ev->listed[k]++;
    } else if (status == ROW_INSUFFICIENT) {
        ev->insufficient[k]++;
    }
    return 0;
}

int eval_start(pack *p, dataset *ds, shnor_period period, school_work *w,
               evaluation **out)
{
    evaluation *ev = calloc(1, sizeof *ev);
    *out = ev;
    if (!ev) {
        return SHNOR_NOMEM;
    }
    sb_init(&ev->err);
    ev->p = p;
    ev->ds = ds;
    ev->period = period;
    shnor_period_format(period, ev->period_text, sizeof ev->period_text);
    size_t nres = ds->nschools * p->ncrits;
    ev->results = malloc(nres ? nres : 1);
    ev->listed = calloc(p->ncats + 1, sizeof *ev->listed);
    ev->insufficient = calloc(p->ncats + 1, sizeof *ev->insufficient);
    ev->name_index = strmap_new();
    w->read_from = calloc(p->ncrits + 1, sizeof *w->read_from);
    w->read_to = calloc(p->ncrits + 1, sizeof *w->read_to);
    w->reasons = calloc(p->ncrits + 1, REASON_MAX);
    if (!ev->results || !ev->listed || !ev->insufficient || !ev->name_index || !w->read_from ||
        !w->read_to || !w->reasons) {
        sb_puts(&ev->err, "out of memory");
        return SHNOR_NOMEM;
    }
    memset(ev->results, CRIT_SKIPPED, nres);
    /* The limits are per evaluation: a run or a target evaluates a pack
       several times (listings of earlier periods), each with a full budget. */
    sandbox_budget_reset(p->sb);
    if (bridge_attach(p->bridge, ds, ev, period) != 0) {
        sb_puts(&ev->err, "out of memory preparing the evaluation");
        return SHNOR_NOMEM;
    }
    return SHNOR_OK;
}

void eval_work_free(school_work *w)
{
    free(w->read_from);
    free(w->read_to);
    free(w->reasons);
}

void eval_stop(evaluation *ev)
{
    pack *p = ev->p;
    bridge_detach(p->bridge);
    p->sb->school = NULL;
    p->sb->criterion = NULL;
}

int eval_schools(evaluation *ev, school_work *w, size_t from, size_t to)
{
    pack *p = ev->p;
    dataset *ds = ev->ds;
    bridge *b = p->bridge;
    for (size_t i = from; i < to; i++) {
        b->school = (int)i;
        b->nscratch = 0;
        p->sb->school = ds->schools[i].code;
        for (size_t c = 0; c < p->ncrits; c++) {
            w->read_from[c] = b->nscratch;
            int r = run_criterion(ev, b, (int)i, c, ev->period_text, &w->reasons[c * REASON_MAX]);
            w->read_to[c] = b->nscratch;
            if (r < 0) {
                return p->sb->tripped || strstr(ev->err.data, "not enough memory") ? SHNOR_LIMIT
                                                                                 : SHNOR_PACK;
            }
            ev->results[i * p->ncrits + c] = (int8_t)r;
        }
        for (size_t k = 0; k < p->ncats; k++) {
            if (decide(ev, b, w, (int)i, (int)k) < 0) {
                if (!ev->err.len) {
                    sb_puts(&ev->err, "out of memory");
                    return SHNOR_NOMEM;
                }
                return p->sb->tripped ? SHNOR_LIMIT : SHNOR_PACK;
            }
        }
        ev->evaluated++;
    }
    return SHNOR_OK;
}

int eval_merge(evaluation *ev, evaluation *wev, size_t from, size_t to)
{
    pack *p = ev->p;
    memcpy(ev->results + from * p->ncrits, wev->results + from * p->ncrits,
           (to - from) * p->ncrits);
    int *names = malloc((wev->nnames + 1) * sizeof *names);
    if (!names) {
        return -1;
    }
    for (size_t i = 0; i < wev->nnames; i++) {
        if ((names[i] = eval_name(ev, wev->names[i])) < 0) {
            free(names);
            return -1;
        }
    }
    for (size_t r = 0; r < wev->nrows; r++) {
        const ev_row *wr = &wev->rows[r];
        if (push_row(ev, wr->school, wr->category, wr->status) < 0) {
            free(names);
            return -1;
        }
        ev_row *row = &ev->rows[ev->nrows - 1];
        uint32_t first_crit = row->first_crit, first_read = row->first_read;
        *row = *wr;
        row->first_crit = first_crit;
        row->first_read = first_read;
        row->ncrits = row->nreads = 0;
        wev->rows[r].reason = wev->rows[r].mentor = NULL; /* now ev's */
        for (uint32_t c = 0; c < wr->ncrits; c++) {
            if (add_row_crit(ev, wev->row_crits[wr->first_crit + c]) < 0) {
                free(names);
                return -1;
            }
        }
        const ev_read *reads = wev->reads + wr->first_read;
        if (add_reads(ev, reads, wr->nreads) < 0) {
            free(names);
            return -1;
        }
        for (size_t k = ev->nreads - wr->nreads; k < ev->nreads; k++) {
            if (ev->reads[k].name >= 0) {
                ev->reads[k].name = names[ev->reads[k].name];
            }
        }
    }
    free(names);
    for (size_t k = 0; k < p->ncats; k++) {
        ev->listed[k] += wev->listed[k];
        ev->insufficient[k] += wev->insufficient[k];
    }
    ev->evaluated += wev->evaluated;
    return 0;
}
