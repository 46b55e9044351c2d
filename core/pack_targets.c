/*
 * pack_targets.c — reading a pack's `targets`: which indicator, over which
 * schools, by which rule, against which baseline, checked when. The kind must
 * be stated, because the orders' wording ("снизить на 10%") is ambiguous.
 */
#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pack.h"

static const char *const target_keys[] = {"id",      "title",  "indicator",   "scope",
                                          "kind",    "value",  "baseline",    "period",
                                          "checkpoints", "weight_by", "goal", "note",
                                          "listed_in", "strict", NULL};

static const struct {
    const char *name;
    int kind;
} kinds[] = {
    {"reduce_relative", TK_REDUCE_RELATIVE},     {"reduce_points", TK_REDUCE_POINTS},
    {"increase_relative", TK_INCREASE_RELATIVE}, {"at_least", TK_AT_LEAST},
    {"at_most", TK_AT_MOST},                     {"not_below_mean", TK_NOT_BELOW_MEAN},
    {"close_gap", TK_CLOSE_GAP},                 {"assignments_done", TK_ASSIGNMENTS_DONE},
};

const char *target_kind_name(int kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        if (kinds[i].kind == kind) {
            return kinds[i].name;
        }
    }
    return "?";
}

static int needs_baseline(int kind)
{
    return kind == TK_REDUCE_RELATIVE || kind == TK_REDUCE_POINTS ||
           kind == TK_INCREASE_RELATIVE || kind == TK_CLOSE_GAP;
}

/* baseline or period: an integer offset (<= 0 for a baseline) or a period string. */
static int read_when(pack *p, int e, const char *name, int *is_offset, int *offset,
                     shnor_period *period, int line, const char *what)
{
    lua_State *L = p->sb->L;
    int t = lua_getfield(L, e, name);
    int present = t != LUA_TNIL;
    /* A small integer is an offset; a year or a string is a period. */
    if (t == LUA_TNUMBER && lua_isinteger(L, -1) && lua_tointeger(L, -1) > -100 &&
        lua_tointeger(L, -1) < 100) {
        *is_offset = 1;
        *offset = (int)lua_tointeger(L, -1);
    } else if (t == LUA_TSTRING || t == LUA_TNUMBER) {
        char err[300];
        if (shnor_period_parse(lua_tostring(L, -1), period, err, sizeof err) != SHNOR_OK) {
            pack_problem(p, line, "%s: '%s': %s", what, name, err);
        }
    } else if (present) {
        pack_problem(p, line, "%s: '%s' must be a period (\"2022\") or an offset (-1)", what,
                     name);
    }
    lua_pop(L, 1);
    return present;
}

/* scope.each / scope.category: the id of a category or cohort [-0, +0]. */
static void read_scope_id(pack *p, int st, pack_target *t, const char *key, int scope,
                          const char *what)
{
    lua_State *L = p->sb->L;
    if (!t->scope && lua_getfield(L, st, key) == LUA_TSTRING) {
        t->scope = scope;
        t->scope_id = strdup(lua_tostring(L, -1));
        if (pack_category_index(p, t->scope_id) < 0 && pack_cohort_index(p, t->scope_id) < 0) {
            pack_problem(p, t->line, "%s: scope.%s '%s' is neither a category nor a cohort of "
                                     "the pack",
                         what, key, t->scope_id);
        }
    }
    if (lua_gettop(L) > st) {
        lua_settop(L, st);
    }
}

static void read_scope(pack *p, int e, pack_target *t, const char *what)
{
    lua_State *L = p->sb->L;
    int ty = lua_getfield(L, e, "scope");
    int st = lua_gettop(L);
    if (ty == LUA_TSTRING && strcmp(lua_tostring(L, st), "all") == 0) {
        t->scope = TS_ALL;
    } else if (ty == LUA_TTABLE) {
        static const char *const keys[] = {"each", "category", "schools", NULL};
        char swhat[200];
        snprintf(swhat, sizeof swhat, "%s: scope", what);
        pack_check_keys(p, st, keys, swhat, t->line);
        int given = 0;
        for (const char *const *k = keys; *k; k++) {
            given += lua_getfield(L, st, *k) != LUA_TNIL;
            lua_pop(L, 1);
        }
        if (given > 1) {
            /* only the first was read: the others were ignored */
            pack_problem(p, t->line, "%s: 'scope' gives more than one of each, category and "
                                     "schools; a target has one scope",
                         what);
        }
        read_scope_id(p, st, t, "each", TS_EACH, what);
        read_scope_id(p, st, t, "category", TS_CATEGORY, what);
        if (!t->scope && lua_getfield(L, st, "schools") == LUA_TTABLE) {
            t->scope = TS_SCHOOLS;
            size_t n = (size_t)lua_rawlen(L, -1);
            t->schools = calloc(n ? n : 1, sizeof *t->schools);
            for (size_t i = 1; t->schools && i <= n; i++) {
                lua_rawgeti(L, -1, (lua_Integer)i);
                const char *code = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
                size_t seen = 0;
                while (code && seen < t->nschools && strcmp(t->schools[seen], code) != 0) {
                    seen++;
                }
                if (!code) {
                    pack_problem(p, t->line, "%s: scope.schools[%zu] must be a school code (a "
                                             "string), not %s",
                                 what, i, luaL_typename(L, -1));
                } else if (seen < t->nschools) {
                    pack_problem(p, t->line, "%s: scope.schools names '%s' twice", what, code);
                } else {
                    t->schools[t->nschools++] = strdup(code);
                }
                lua_pop(L, 1);
            }
            if (!t->nschools) {
                pack_problem(p, t->line, "%s: scope.schools names no school", what);
            }
        }
    }
    if (!t->scope) {
        pack_problem(p, t->line,
                     "%s: 'scope' must be { each = \"category\" }, { category = \"category\" }, "
                     "\"all\" or { schools = { codes } }",
                     what);
    }
    lua_settop(L, st - 1);
}

/* The number on top of the stack, which must be finite: a NaN threshold
   would compare as met (num_cmp_decimal sorts NaN below every number), and
   an infinite one prints as "inf". NAN after a problem. */
static double finite_field(pack *p, lua_State *L, const pack_target *t, const char *what,
                           const char *name)
{
    double v = lua_tonumber(L, -1);
    if (!isfinite(v)) {
        pack_problem(p, t->line, "%s: '%s' must be a finite number, not %s", what, name,
                     isnan(v) ? "nan (0/0)" : v > 0 ? "inf" : "-inf");
        return NAN;
    }
    return v;
}

/* A change is measured from an earlier period: a fixed baseline that ends
   after the target's fixed period or a checkpoint would measure it
   backwards in time (baseline 2023, period 2022). */
static void check_baseline_first(pack *p, const pack_target *t, const char *what)
{
    if (!t->has_baseline || t->baseline_is_offset) {
        return;
    }
    char b[SHNOR_PERIOD_MAX], q[SHNOR_PERIOD_MAX];
    shnor_period_format(t->baseline, b, sizeof b);
    shnor_date ends = shnor_period_last_day(t->baseline);
    if (!t->period_is_offset && t->period.kind &&
        ends > shnor_period_last_day(t->period)) {
        shnor_period_format(t->period, q, sizeof q);
        pack_problem(p, t->line, "%s: the baseline %s ends after the target's period %s; a "
                                 "change is measured from an earlier period",
                     what, b, q);
        return;
    }
    for (size_t k = 0; k < t->ncheckpoints; k++) {
        if (ends > shnor_period_last_day(t->checkpoints[k])) {
            shnor_period_format(t->checkpoints[k], q, sizeof q);
            pack_problem(p, t->line, "%s: the baseline %s ends after checkpoints[%zu] %s; a "
                                     "change is measured from an earlier period",
                         what, b, k + 1, q);
            return;
        }
    }
}

static void read_target(pack *p, int e, pack_target *t, size_t i)
{
    lua_State *L = p->sb->L;
    t->goal = NAN;
    t->value = NAN;
    t->id = pack_string_field(p, e, "id", "a target", 0);
    t->line = t->id ? pack_locate(p, "id", t->id, 0, 0) : 0;
    char what[96];
    snprintf(what, sizeof what, "target '%s'", t->id ? t->id : "?");
    pack_check_keys(p, e, target_keys, what, t->line);
    if (!t->id || !pack_id_ok(t->id)) {
        pack_problem(p, t->line, "targets[%zu] needs an id without spaces", i);
    }
    t->title = pack_string_field(p, e, "title", what, t->line);
    if (!t->title) {
        pack_problem(p, t->line, "%s has no 'title'", what);
    }
    char *kind = pack_string_field(p, e, "kind", what, t->line);
    for (size_t k = 0; kind && k < sizeof kinds / sizeof kinds[0]; k++) {
        if (strcmp(kinds[k].name, kind) == 0) {
            t->kind = kinds[k].kind;
        }
    }
    if (!t->kind) {
        pack_problem(p, t->line,
                     "%s: 'kind' %s%s%s must say what the target means: reduce_relative, "
                     "reduce_points, increase_relative, at_least, at_most, not_below_mean, "
                     "close_gap or assignments_done",
                     what, kind ? "'" : "", kind ? kind : "(missing)", kind ? "'" : "");
    }
    free(kind);
    t->indicator = pack_string_field(p, e, "indicator", what, t->line);
    if (!t->indicator && t->kind != TK_ASSIGNMENTS_DONE && t->kind) {
        pack_problem(p, t->line, "%s has no 'indicator'", what);
    }
    if (lua_getfield(L, e, "value") == LUA_TNUMBER) {
        t->value = finite_field(p, L, t, what, "value");
    } else if (t->kind != TK_NOT_BELOW_MEAN) {
        pack_problem(p, t->line, "%s: 'value' (the threshold, 0.10 for 10%%) must be a number",
                     what);
    }
    lua_pop(L, 1);
    /* A fraction that cannot be above 1: "value = 10" meant 10 %. */
    if ((t->kind == TK_REDUCE_RELATIVE || t->kind == TK_CLOSE_GAP ||
         t->kind == TK_ASSIGNMENTS_DONE) &&
        t->value > 1) {
        char v[32], frac[32]; /* as Lua is written: 0.1, not 0,1 */
        snprintf(v, sizeof v, "%.14g", t->value);
        snprintf(frac, sizeof frac, "%.14g", t->value / 100);
        pack_problem(p, t->line,
                     "%s: 'value' %s is %s; it is a fraction of 1: for %s %% write %s",
                     what, v,
                     t->kind == TK_REDUCE_RELATIVE ? "a reduction by more than 100 %"
                     : t->kind == TK_CLOSE_GAP     ? "more than the whole gap"
                                                   : "more than all the assignments",
                     v, frac);
    }
    /* The kind says the direction; a minus as well ("−10 %") turns the
       target round: a fall of 10 % would meet reduce_relative -0.1 by 0.22. */
    if ((t->kind == TK_REDUCE_RELATIVE || t->kind == TK_REDUCE_POINTS ||
         t->kind == TK_INCREASE_RELATIVE || t->kind == TK_CLOSE_GAP ||
         t->kind == TK_ASSIGNMENTS_DONE) &&
        t->value < 0) {
        char v[32], pos[32];
        snprintf(v, sizeof v, "%.14g", t->value);
        snprintf(pos, sizeof pos, "%.14g", -t->value);
        pack_problem(p, t->line,
                     "%s: 'value' %s is negative; the kind already says the direction "
                     "(for «снизить на 10 %%» write kind = \"reduce_relative\", value = 0.1): "
                     "write %s",
                     what, v, pos);
    }
    if (lua_getfield(L, e, "goal") == LUA_TNUMBER) {
        t->goal = finite_field(p, L, t, what, "goal");
    } else if (t->kind == TK_CLOSE_GAP) {
        pack_problem(p, t->line, "%s: close_gap needs a 'goal' value", what);
    }
    lua_pop(L, 1);
    read_scope(p, e, t, what);
    t->has_baseline = read_when(p, e, "baseline", &t->baseline_is_offset, &t->baseline_offset,
                                &t->baseline, t->line, what);
    if (!t->has_baseline && needs_baseline(t->kind)) {
        pack_problem(p, t->line, "%s: a %s target needs a 'baseline' (a period, or -1 for the "
                                 "period before)",
                     what, target_kind_name(t->kind));
    }
    if (t->baseline_is_offset && t->baseline_offset > 0) {
        pack_problem(p, t->line, "%s: a baseline offset must be 0 or negative", what);
    }
    read_when(p, e, "period", &t->period_is_offset, &t->period_offset, &t->period, t->line,
              what);
    t->has_listed_in = read_when(p, e, "listed_in", &t->listed_in_is_offset,
                                 &t->listed_in_offset, &t->listed_in, t->line, what);
    t->weight_by = pack_string_field(p, e, "weight_by", what, t->line);
    if (t->weight_by && t->scope != TS_CATEGORY && t->scope != TS_ALL) {
        /* it was ignored: one school's value has nothing to weigh */
        pack_problem(p, t->line, "%s: 'weight_by' weighs a pooled value; it applies to scope "
                                 "{ category = … } or \"all\", not to each school",
                     what);
    }
    if (t->kind == TK_ASSIGNMENTS_DONE && t->indicator) {
        pack_problem(p, t->line, "%s: assignments_done counts the scope's assignments done "
                                 "in time; it reads no 'indicator' (remove it)",
                     what);
    }
    int st = lua_getfield(L, e, "strict");
    if (st == LUA_TBOOLEAN) {
        t->strict = lua_toboolean(L, -1);
    } else if (st != LUA_TNIL) {
        pack_problem(p, t->line, "%s: 'strict' must be true or false", what);
    }
    lua_pop(L, 1);
    if (lua_getfield(L, e, "checkpoints") == LUA_TTABLE) {
        size_t n = (size_t)lua_rawlen(L, -1);
        if (n > PACK_MAX_CHECKPOINTS) {
            /* a runaway loop: 100,000 control points are 100,000 rows a run */
            pack_problem(p, t->line, "%s: 'checkpoints' has %zu entries; a target may have at "
                         "most %d",
                         what, n, PACK_MAX_CHECKPOINTS);
            n = 0;
        }
        t->checkpoints = calloc(n ? n : 1, sizeof *t->checkpoints);
        for (size_t k = 1; t->checkpoints && k <= n; k++) {
            lua_rawgeti(L, -1, (lua_Integer)k);
            char err[300];
            const char *s = lua_tostring(L, -1);
            if (!s || shnor_period_parse(s, &t->checkpoints[t->ncheckpoints], err, sizeof err) !=
                          SHNOR_OK) {
                pack_problem(p, s ? pack_locate(p, NULL, s, t->line, t->line) : t->line,
                             "%s: checkpoints[%zu]: %s", what, k,
                             s ? err : "must be a period string");
            } else {
                /* a control point given twice would be checked and printed twice */
                for (size_t j = 0; j < t->ncheckpoints; j++) {
                    if (shnor_period_compare(t->checkpoints[j],
                                             t->checkpoints[t->ncheckpoints]) == 0) {
                        pack_problem(p, pack_locate(p, NULL, s, t->line, t->line),
                                     "%s: checkpoints[%zu]: %s is given twice", what, k, s);
                        break;
                    }
                }
                t->ncheckpoints++;
            }
            lua_pop(L, 1);
        }
    } else if (!lua_isnil(L, -1)) {
        pack_problem(p, t->line, "%s: 'checkpoints' must be a list of periods", what);
    }
    lua_pop(L, 1);
    check_baseline_first(p, t, what);
}

void pack_read_targets(pack *p, int pt)
{
    lua_State *L = p->sb->L;
    int t = lua_getfield(L, pt, "targets");
    if (t == LUA_TNIL) {
        lua_pop(L, 1);
        return;
    }
    if (t != LUA_TTABLE) {
        pack_problem(p, 0, "'targets' must be a list of target tables");
        lua_pop(L, 1);
        return;
    }
    size_t n = (size_t)lua_rawlen(L, -1);
    pack_check_list(p, -1, "targets");
    if (pack_too_many(p, "targets", n, PACK_MAX_TARGETS)) {
        lua_pop(L, 1);
        return;
    }
    p->targets = calloc(n ? n : 1, sizeof *p->targets);
    for (size_t i = 1; p->targets && i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        if (lua_type(L, -1) != LUA_TTABLE) {
            pack_problem(p, 0, "targets[%zu] must be a table", i);
        } else {
            /* Counted before it is filled, so that pack_free frees what was
               read when an error ends the (protected) reading half way. */
            pack_target *tg = &p->targets[p->ntargets++];
            memset(tg, 0, sizeof *tg);
            read_target(p, lua_gettop(L), tg, i);
            for (size_t k = 0; tg->id && k + 1 < p->ntargets; k++) {
                if (p->targets[k].id && strcmp(p->targets[k].id, tg->id) == 0) {
                    pack_problem(p, tg->line, "target '%s' is defined twice", tg->id);
                }
            }
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}
