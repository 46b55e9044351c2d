/*
 * bridge.c — the API rule packs call: the read-only school view `s`
 * (s.code, s.name, s.territory, s.region, s.kind, s.settlement, s:value,
 * s:series, s:attr, s:attr_number, s:listed) and the read-only `shnor` table
 * (periods, population figures, groups, shnor.insufficient). Every value and
 * figure a criterion reads is recorded for its explanation.
 *
 * Stack effects follow the Lua manual's [-o, +p, x] notation.
 */
#include "bridge.h"

#include <lauxlib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "period.h"

#define VIEW_META "shnor.school"
#define GROUP_META "shnor.group"

static bridge *get_bridge(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* The bridge, when an evaluation is attached; raises otherwise. */
static bridge *data_bridge(lua_State *L)
{
    bridge *b = lua_touserdata(L, lua_upvalueindex(1));
    if (!b->ds) {
        luaL_error(L, "school data is only available while criteria, lists and targets "
                      "are evaluated, not when the pack is loaded");
    }
    return b;
}

/* ------------------------------------------------------------ recording */

static void record(bridge *b, int kind, int col, int scope, int name, double q, double value)
{
    if (b->school < 0) {
        return; /* figures read outside an evaluation (pack top level) */
    }
    if (b->nscratch == b->capscratch) {
        size_t ncap = b->capscratch ? b->capscratch * 2 : 64;
        ev_read *n = realloc(b->scratch, ncap * sizeof *n);
        if (!n) {
            return; /* an explanation loses a line; the result stays right */
        }
        b->scratch = n;
        b->capscratch = ncap;
    }
    ev_read *r = &b->scratch[b->nscratch++];
    r->kind = (uint8_t)kind;
    r->criterion = (int16_t)b->criterion;
    r->col = col;
    r->scope = scope;
    r->name = name;
    r->q = q;
    r->value = value;
}

/* Remembers the first missing value of the criterion for its reason. */
static void note_missing(bridge *b, const char *what)
{
    if (b->nil_reads++ == 0) {
        snprintf(b->missing, sizeof b->missing, "%s", what);
    }
}

/* --------------------------------------------------------------- arguments */

static int arg_indicator(lua_State *L, bridge *b, int idx)
{
    const char *code = luaL_checkstring(L, idx);
    int ind = ds_indicator_index(b->ds, code);
    if (ind < 0) {
        return luaL_error(L, "unknown indicator '%s'", code);
    }
    return ind;
}

/* A period argument: a string ("2022/23") or an integer year; absent or nil
   means the period being evaluated. */
static shnor_period arg_period(lua_State *L, bridge *b, int idx)
{
    shnor_period p;
    char err[300];
    if (lua_isnoneornil(L, idx)) {
        if (!b->period.kind) {
            luaL_error(L, "a period is needed here (there is no evaluated period at load time)");
        }
        return b->period;
    }
    if (lua_type(L, idx) == LUA_TNUMBER) {
        lua_Integer y;
        if (!lua_isinteger(L, idx) || (y = lua_tointeger(L, idx)) < 1900 || y > 2999) {
            luaL_error(L, "bad period %s: a year is an integer from 1900 to 2999",
                       lua_tostring(L, idx));
        }
        p.kind = SHNOR_PERIOD_YEAR;
        p.year = (int)lua_tointeger(L, idx);
        p.sub = 0;
        return p;
    }
    size_t len;
    const char *s = luaL_checklstring(L, idx, &len);
    if (period_parse_n(s, len, &p, err, sizeof err) != SHNOR_OK) {
        luaL_error(L, "%s", err);
    }
    return p;
}

/* Pushes a period as its canonical string [-0, +1, m]. */
static void push_period(lua_State *L, shnor_period p)
{
    char buf[SHNOR_PERIOD_MAX];
    shnor_period_format(p, buf, sizeof buf);
    lua_pushstring(L, buf);
}

/* Anchors a string in the registry so its address stays its own. */
static void anchor(lua_State *L, bridge *b, int idx)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->anchor_ref);
    lua_pushvalue(L, idx);
    lua_pushboolean(L, 1);
    lua_rawset(L, -3);
    lua_pop(L, 1);
}

/* Lua 5.4 interns strings up to LUAI_MAXSHORTLEN (40) bytes: one object per
   text, so an anchored short string's address stands for its text. */
#define INTERNED_MAX 40

static int interned(lua_State *L, int idx)
{
    return lua_type(L, idx) == LUA_TSTRING && lua_rawlen(L, idx) <= INTERNED_MAX;
}

/*
 * The column for (indicator at iidx, period at pidx), loading it on first use.
 * Interned Lua strings make a pointer pair a cheap cache key; the strings are
 * anchored so no other string can reuse an address during the evaluation.
 * (A longer string is a new object each time it is made: not cached.)
 */
static int arg_column(lua_State *L, bridge *b, int iidx, int pidx)
{
    const void *ip = lua_type(L, iidx) == LUA_TSTRING ? lua_tostring(L, iidx) : NULL;
    const void *pp = lua_type(L, pidx) == LUA_TSTRING ? lua_tostring(L, pidx) : NULL;
    size_t slot = (((uintptr_t)ip >> 4) ^ ((uintptr_t)pp >> 3)) & 255;
    /* Only anchored interned strings are cached, and no other object can
       have their addresses: a hit is the same pair of strings. */
    if (ip && pp && b->cache[slot].ind == ip && b->cache[slot].per == pp) {
        return b->cache[slot].col;
    }
    if (!interned(L, iidx) || !interned(L, pidx)) {
        ip = pp = NULL;
    }
    int ind = arg_indicator(L, b, iidx);
    shnor_period p = arg_period(L, b, pidx);
    int col = ds_column_get(b->ds, ind, p);
    if (col < 0) {
        return luaL_error(L, "reading %s: %s", lua_tostring(L, iidx), b->ds->err);
    }
    if (ip && pp) {
        anchor(L, b, iidx);
        anchor(L, b, pidx);
        b->cache[slot].ind = ip;
        b->cache[slot].per = pp;
        b->cache[slot].col = col;
    }
    return col;
}

/* The school of the view at idx; raises when it is none. The metatable is
   compared by address: luaL_checkudata looks it up in the registry by name,
   which perf found to be 5 % of a national 'list'. */
static int check_school(lua_State *L, const bridge *b, int idx)
{
    int *v = lua_touserdata(L, idx);
    if (v && lua_getmetatable(L, idx)) {
        int ok = lua_topointer(L, -1) == b->view_mt;
        lua_pop(L, 1);
        if (ok) {
            return *v;
        }
    }
    return *(int *)luaL_checkudata(L, idx, VIEW_META);
}

/* Pushes the name of territory t, the same string object every time [-0, +1, -]. */
static void push_territory(lua_State *L, bridge *b, int t)
{
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->territories_ref);
    lua_rawgeti(L, -1, (lua_Integer)t + 1);
    lua_remove(L, -2);
}

/*
 * A scope argument: nil (all schools), a territory or region name, or a group.
 * Names are cached by address (profiled: hashing s.region for every figure
 * was 4 % of a national 'list'): an interned string, anchored, or the
 * territory's own string from s.territory and s.region.
 */
static int arg_scope(lua_State *L, bridge *b, int idx)
{
    if (lua_isnoneornil(L, idx)) {
        return 0;
    }
    if (lua_type(L, idx) == LUA_TSTRING) {
        const char *name = lua_tostring(L, idx);
        size_t slot = ((uintptr_t)name >> 4) & 63;
        if (b->scopes[slot].name == name) {
            return b->scopes[slot].scope;
        }
        int scope = ds_scope_territory(b->ds, name);
        if (scope < 0) {
            return luaL_error(L, "unknown territory '%s'", name);
        }
        int keep = interned(L, idx);
        if (keep) {
            anchor(L, b, idx);
        } else if (scope > 0) {
            push_territory(L, b, scope - 1);
            keep = lua_tostring(L, -1) == name;
            lua_pop(L, 1);
        }
        if (keep) {
            b->scopes[slot].name = name;
            b->scopes[slot].scope = scope;
        }
        return scope;
    }
    int *g = luaL_testudata(L, idx, GROUP_META);
    if (!g) {
        return luaL_error(L, "bad scope (a %s): expected nil, a territory name or "
                             "shnor.group(...)",
                          luaL_typename(L, idx));
    }
    return *g;
}

static void push_number_or_nil(lua_State *L, double v)
{
    if (isnan(v)) {
        lua_pushnil(L);
    } else {
        lua_pushnumber(L, v);
    }
}

/* Describes column col for a missing-value reason: "fail_share 2023". */
static void describe_col(bridge *b, int col, char *buf, size_t len)
{
    const ds_column *c = b->ds->cols[col];
    snprintf(buf, len, "%s %s", b->ds->inds[c->indicator].code, c->period_text);
}

/* ---------------------------------------------------------- school view */

/* s:value(indicator [, period]) [-2|3, +1, e]: a number, or nil when missing. */
static int view_value(lua_State *L)
{
    bridge *b = data_bridge(L);
    int school = check_school(L, b, 1);
    int col = arg_column(L, b, 2, 3);
    double v = b->ds->cols[col]->v[school];
    record(b, READ_VALUE, col, 0, -1, 0, v);
    if (isnan(v)) {
        char what[160];
        describe_col(b, col, what, sizeof what);
        note_missing(b, what);
    }
    push_number_or_nil(L, v);
    return 1;
}

/*
 * s:series(indicator, from, to) [-4, +2, e]: the values from period `from` to
 * `to` (same kind) as a list with n set (holes are nil), and the list of the
 * periods.
 */
static int view_series(lua_State *L)
{
    bridge *b = data_bridge(L);
    int school = check_school(L, b, 1);
    int ind = arg_indicator(L, b, 2);
    shnor_period a = arg_period(L, b, 3), z = arg_period(L, b, 4);
    char err[200];
    size_t n = 0;
    if (period_range(a, z, NULL, 0, &n, err, sizeof err) != SHNOR_OK) {
        return luaL_error(L, "s:series: %s", err);
    }
    if (n > 1000) {
        return luaL_error(L, "s:series: %d periods is too many (at most 1000)", (int)n);
    }
    shnor_period *ps = lua_newuserdatauv(L, n * sizeof *ps, 0);
    period_range(a, z, ps, n, &n, err, sizeof err);
    lua_createtable(L, (int)n, 1);
    lua_createtable(L, (int)n, 0);
    for (size_t i = 0; i < n; i++) {
        int col = ds_column_get(b->ds, ind, ps[i]);
        if (col < 0) {
            return luaL_error(L, "s:series: %s", b->ds->err);
        }
        double v = b->ds->cols[col]->v[school];
        record(b, READ_VALUE, col, 0, -1, 0, v);
        if (isnan(v)) {
            char what[160];
            describe_col(b, col, what, sizeof what);
            note_missing(b, what);
        } else {
            lua_pushnumber(L, v);
            lua_rawseti(L, -3, (lua_Integer)i + 1);
        }
        push_period(L, ps[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -3, "n");
    return 2;
}

static const char *attr_of(bridge *b, lua_State *L, int school, const char **name)
{
    *name = luaL_checkstring(L, 2);
    const char *v = ds_attr(b->ds, school, *name);
    int idx = b->ev ? eval_name(b->ev, *name) : -1;
    double num = NAN;
    if (v) {
        num_parse(v, strlen(v), &num, NULL, NULL, 0);
    }
    record(b, READ_ATTR, -1, 0, idx, 0, num);
    return v;
}

/* s:attr(name) [-2, +1, e]: the attribute's text, or nil. */
static int view_attr(lua_State *L)
{
    bridge *b = data_bridge(L);
    int school = check_school(L, b, 1);
    const char *name;
    const char *v = attr_of(b, L, school, &name);
    if (!v) {
        char what[160];
        snprintf(what, sizeof what, "attribute '%s'", name);
        note_missing(b, what);
        lua_pushnil(L);
    } else {
        lua_pushstring(L, v);
    }
    return 1;
}

/* s:attr_number(name) [-2, +1, e]: the attribute as a number ("0,42" -> 0.42), or nil. */
static int view_attr_number(lua_State *L)
{
    bridge *b = data_bridge(L);
    int school = check_school(L, b, 1);
    const char *name;
    const char *v = attr_of(b, L, school, &name);
    double num;
    char err[160];
    if (!v || num_parse(v, strlen(v), &num, NULL, err, sizeof err) == NUM_EMPTY) {
        char what[160];
        snprintf(what, sizeof what, "attribute '%s'", name);
        note_missing(b, what);
        lua_pushnil(L);
        return 1;
    }
    if (num_parse(v, strlen(v), &num, NULL, err, sizeof err) != NUM_OK) {
        return luaL_error(L, "attribute '%s' of school %s: %s", name,
                          b->ds->schools[school].code, err);
    }
    lua_pushnumber(L, num);
    return 1;
}

/*
 * s:listed(period [, category [, pack]]) [-2..4, +1, e]: whether the school
 * was listed in that period (by a kept run or an imported listing). The pack
 * defaults to the one being evaluated; listings imported without a pack count
 * for every pack.
 */
static int view_listed(lua_State *L)
{
    bridge *b = data_bridge(L);
    int school = check_school(L, b, 1);
    shnor_period p = arg_period(L, b, 2);
    const char *cat = luaL_optstring(L, 3, NULL);
    const char *pack_id = luaL_optstring(L, 4, b->ev && b->ev->p ? b->ev->p->id : NULL);
    char ptext[SHNOR_PERIOD_MAX];
    shnor_period_format(p, ptext, sizeof ptext);
    int found = ds_was_listed(b->ds, school, ptext, cat, pack_id);
    char what[96];
    snprintf(what, sizeof what, "%s@%s", cat ? cat : "*", ptext);
    record(b, READ_LISTED, -1, 0, b->ev ? eval_name(b->ev, what) : -1, 0, found);
    lua_pushboolean(L, found);
    return 1;
}

/* view.__index [-2, +1, e]: fields, then methods. */
static int view_index(lua_State *L)
{
    bridge *b = data_bridge(L);
    /* Methods first: s:value(...) looks "value" up here for every call. */
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) {
        return 1;
    }
    lua_pop(L, 1);
    int school = check_school(L, b, 1);
    const ds_school *s = &b->ds->schools[school];
    const char *key = lua_tostring(L, 2);
    /* One comparison by the first letter: s.region and s.kind are read for
       every figure of a national pack. */
    switch (key ? key[0] : 0) {
    case 'c':
        if (strcmp(key, "code") == 0) {
            lua_pushstring(L, s->code);
            return 1;
        }
        break;
    case 'n':
        if (strcmp(key, "name") == 0) {
            lua_pushstring(L, s->name);
            return 1;
        }
        break;
    case 't':
        if (strcmp(key, "territory") == 0) {
            push_territory(L, b, s->territory);
            return 1;
        }
        break;
    case 'r':
        if (strcmp(key, "region") == 0) {
            if (s->region < 0) {
                lua_pushnil(L);
            } else {
                push_territory(L, b, s->region);
            }
            return 1;
        }
        break;
    case 'k':
        if (strcmp(key, "kind") == 0) {
            lua_pushstring(L, s->kind);
            return 1;
        }
        break;
    case 's':
        if (strcmp(key, "settlement") == 0) {
            lua_pushstring(L, s->settlement);
            return 1;
        }
        break;
    default:
        break;
    }
    return luaL_error(L, "a school has no field '%s' (fields: code, name, territory, "
                         "region, kind, settlement; methods: value, series, attr, "
                         "attr_number, listed)",
                      key ? key : luaL_typename(L, 2));
}

static int view_newindex(lua_State *L)
{
    return luaL_error(L, "a school view is read-only");
}

static int view_tostring(lua_State *L)
{
    bridge *b = data_bridge(L);
    int school = check_school(L, b, 1);
    lua_pushfstring(L, "school %s", b->ds->schools[school].code);
    return 1;
}

void bridge_push_school(bridge *b, int school)
{
    lua_State *L = b->sb->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->views_ref);
    if (lua_rawgeti(L, -1, school + 1) == LUA_TNIL) {
        lua_pop(L, 1);
        int *v = lua_newuserdatauv(L, sizeof(int), 0);
        *v = school;
        luaL_setmetatable(L, VIEW_META);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, school + 1);
    }
    lua_remove(L, -2);
}

void bridge_begin_criterion(bridge *b, int criterion)
{
    b->criterion = criterion;
    b->nil_reads = 0;
    b->missing[0] = '\0';
}

/* ----------------------------------------------------------- periods */

static int per_prev(lua_State *L)
{
    bridge *b = get_bridge(L);
    push_period(L, shnor_period_shift(arg_period(L, b, 1), -1));
    return 1;
}

static int per_next(lua_State *L)
{
    bridge *b = get_bridge(L);
    push_period(L, shnor_period_shift(arg_period(L, b, 1), 1));
    return 1;
}

static int per_shift(lua_State *L)
{
    bridge *b = get_bridge(L);
    shnor_period p = arg_period(L, b, 1);
    lua_Integer n = luaL_checkinteger(L, 2);
    if (n < -10000 || n > 10000) {
        return luaL_error(L, "shnor.period.shift: %d steps is too far", (int)n);
    }
    shnor_period q = shnor_period_shift(p, (int)n);
    if (!period_valid(q)) {
        return luaL_error(L, "shnor.period.shift: the result is outside 1900..2999");
    }
    push_period(L, q);
    return 1;
}

/* shnor.period.range(a, b) [-2, +1, e]: the list of periods from a to b. */
static int per_range(lua_State *L)
{
    bridge *b = get_bridge(L);
    shnor_period a = arg_period(L, b, 1), z = arg_period(L, b, 2);
    char err[200];
    size_t n = 0;
    if (period_range(a, z, NULL, 0, &n, err, sizeof err) != SHNOR_OK) {
        return luaL_error(L, "shnor.period.range: %s", err);
    }
    if (n > 10000) {
        return luaL_error(L, "shnor.period.range: too many periods");
    }
    lua_createtable(L, (int)n, 0);
    shnor_period p = a;
    for (size_t i = 0; i < n; i++) {
        push_period(L, p);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
        p = shnor_period_shift(p, 1);
    }
    return 1;
}

static int per_kind(lua_State *L)
{
    static const char *const names[] = {"", "year", "academic", "half", "quarter", "month"};
    bridge *b = get_bridge(L);
    shnor_period p = arg_period(L, b, 1);
    lua_pushstring(L, names[p.kind]);
    return 1;
}

static int per_year(lua_State *L)
{
    bridge *b = get_bridge(L);
    lua_pushinteger(L, arg_period(L, b, 1).year);
    return 1;
}

static int per_compare(lua_State *L)
{
    bridge *b = get_bridge(L);
    int c = shnor_period_compare(arg_period(L, b, 1), arg_period(L, b, 2));
    lua_pushinteger(L, (c > 0) - (c < 0));
    return 1;
}

static int per_parse(lua_State *L)
{
    bridge *b = get_bridge(L);
    push_period(L, arg_period(L, b, 1));
    return 1;
}

/* ------------------------------------------------- population figures */

static const ds_stats *stats_for(lua_State *L, bridge *b, int col, int scope)
{
    const ds_stats *st = ds_stats_get(b->ds, col, scope);
    if (!st) {
        luaL_error(L, "out of memory computing population figures");
    }
    return st;
}

/* shnor.mean(indicator, period [, scope]) [-2|3, +1, e] */
static int api_mean(lua_State *L)
{
    bridge *b = data_bridge(L);
    int col = arg_column(L, b, 1, 2);
    int scope = arg_scope(L, b, 3);
    const ds_stats *st = stats_for(L, b, col, scope);
    record(b, READ_MEAN, col, scope, -1, 0, st->mean);
    if (isnan(st->mean)) {
        char what[200], c[160];
        describe_col(b, col, c, sizeof c);
        snprintf(what, sizeof what, "the mean of %s over %s", c, ds_scope_name(b->ds, scope));
        note_missing(b, what);
    }
    push_number_or_nil(L, st->mean);
    return 1;
}

/* shnor.percentile(indicator, period, q [, scope]) [-3|4, +1, e] */
static int api_percentile(lua_State *L)
{
    bridge *b = data_bridge(L);
    int col = arg_column(L, b, 1, 2);
    double q = luaL_checknumber(L, 3);
    if (!(q >= 0 && q <= 1)) {
        return luaL_error(L, "shnor.percentile: q must be between 0 and 1 (0.9 for the 90th)");
    }
    int scope = arg_scope(L, b, 4);
    const ds_stats *st = stats_for(L, b, col, scope);
    double v = ds_percentile(st->sorted, st->n, q);
    record(b, READ_PERCENTILE, col, scope, -1, q, v);
    if (isnan(v)) {
        char what[200], c[160];
        describe_col(b, col, c, sizeof c);
        snprintf(what, sizeof what, "a percentile of %s over %s", c, ds_scope_name(b->ds, scope));
        note_missing(b, what);
    }
    push_number_or_nil(L, v);
    return 1;
}

/* shnor.count(indicator, period [, scope]) [-2|3, +1, e]: schools with a value. */
static int api_count(lua_State *L)
{
    bridge *b = data_bridge(L);
    int col = arg_column(L, b, 1, 2);
    int scope = arg_scope(L, b, 3);
    const ds_stats *st = stats_for(L, b, col, scope);
    record(b, READ_COUNT, col, scope, -1, 0, (double)st->n);
    lua_pushinteger(L, (lua_Integer)st->n);
    return 1;
}

/* Values in sorted[0..n) below v, and above v. */
static size_t count_below(const double *sorted, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] < v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static size_t count_above(const double *sorted, size_t n, double v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] <= v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return n - lo;
}

/* Schools of the scope strictly worse, and strictly better, than value v. */
static size_t count_worse(const ds_stats *st, double v, int better)
{
    return better == BETTER_LOWER ? count_above(st->sorted, st->n, v)
                                  : count_below(st->sorted, st->n, v);
}

static size_t count_better(const ds_stats *st, double v, int better)
{
    return better == BETTER_LOWER ? count_below(st->sorted, st->n, v)
                                  : count_above(st->sorted, st->n, v);
}

/*
 * shnor.rank(s, indicator, period [, scope]) [-3|4, +2, e]: the school's rank
 * among the schools of the scope with a value, 1 the best by the indicator's
 * direction, ties sharing the best rank; and the number of schools ranked.
 * nil, n when the school has no value.
 */
static int api_rank(lua_State *L)
{
    bridge *b = data_bridge(L);
    int school = check_school(L, b, 1);
    int col = arg_column(L, b, 2, 3);
    int scope = arg_scope(L, b, 4);
    const ds_stats *st = stats_for(L, b, col, scope);
    double v = b->ds->cols[col]->v[school];
    const indicator *ind = &b->ds->inds[b->ds->cols[col]->indicator];
    if (isnan(v) || !ds_in_scope(b->ds, scope, school)) {
        char what[160];
        describe_col(b, col, what, sizeof what);
        note_missing(b, what);
        record(b, READ_RANK, col, scope, -1, (double)st->n, NAN);
        lua_pushnil(L);
        lua_pushinteger(L, (lua_Integer)st->n);
        return 2;
    }
    size_t rank = count_better(st, v, ind->better) + 1;
    record(b, READ_RANK, col, scope, -1, (double)st->n, (double)rank);
    lua_pushinteger(L, (lua_Integer)rank);
    lua_pushinteger(L, (lua_Integer)st->n);
    return 2;
}

/*
 * shnor.bottom(s, indicator, period, share [, scope [, min]]) [-4..6, +1, e]:
 * whether the school is among the worst `share` of the scope's schools with a
 * value: fewer than share * n schools are strictly worse than it, so schools
 * tied at the boundary are all in. When the scope has fewer than `min`
 * schools with a value, or the school has none, the criterion lacks data
 * (shnor.insufficient is raised).
 */
static int api_bottom(lua_State *L)
{
    bridge *b = data_bridge(L);
    int school = check_school(L, b, 1);
    int col = arg_column(L, b, 2, 3);
    double share = luaL_checknumber(L, 4);
    if (!(share > 0 && share <= 1)) {
        return luaL_error(L, "shnor.bottom: share must be in (0, 1], e.g. 0.1 for 10%%");
    }
    int scope = arg_scope(L, b, 5);
    lua_Integer min = luaL_optinteger(L, 6, 1);
    const ds_stats *st = stats_for(L, b, col, scope);
    double v = b->ds->cols[col]->v[school];
    const indicator *ind = &b->ds->inds[b->ds->cols[col]->indicator];
    char what[512], c[160];
    if (isnan(v)) {
        describe_col(b, col, c, sizeof c);
        record(b, READ_VALUE, col, 0, -1, 0, v);
        note_missing(b, c);
        return sandbox_raise_insufficient(L, c);
    }
    record(b, READ_VALUE, col, 0, -1, 0, v);
    record(b, READ_COUNT, col, scope, -1, 0, (double)st->n);
    if ((lua_Integer)st->n < min) {
        describe_col(b, col, c, sizeof c);
        snprintf(what, sizeof what, "%s: only %zu schools with a value in %s, fewer than %lld",
                 c, st->n, ds_scope_name(b->ds, scope), (long long)min);
        return sandbox_raise_insufficient(L, what);
    }
    size_t worse = count_worse(st, v, ind->better);
    int in = (double)worse < share * (double)st->n;
    record(b, READ_BOTTOM, col, scope, -1, share, in);
    lua_pushboolean(L, in);
    return 1;
}

/* ------------------------------------------------------------------ groups */

typedef struct {
    bridge *b;
    int school;
    int territory, region, kind;
    const char *attr;       /* NULL when not part of the group */
    const char *attr_value; /* of the school */
    int band_col;           /* -1 when not part of the group */
    double bands[32];
    int nbands;
    int band; /* the school's band */
} group_spec;

static int band_of(const group_spec *g, double v)
{
    if (isnan(v)) {
        return -1;
    }
    for (int i = 0; i + 1 < g->nbands; i++) {
        if (v >= g->bands[i] && (v < g->bands[i + 1] || (i + 2 == g->nbands && v <= g->bands[i + 1]))) {
            return i;
        }
    }
    return -1;
}

static int group_member(dataset *ds, int other, void *arg)
{
    const group_spec *g = arg;
    const ds_school *s = &ds->schools[g->school], *o = &ds->schools[other];
    if (g->territory && o->territory != s->territory) {
        return 0;
    }
    if (g->region && o->region != s->region) {
        return 0;
    }
    if (g->kind && strcmp(o->kind, s->kind) != 0) {
        return 0;
    }
    if (g->attr) {
        const char *v = ds_attr(ds, other, g->attr);
        if (!v || !g->attr_value || strcmp(v, g->attr_value) != 0) {
            return 0;
        }
    }
    if (g->band_col >= 0 && band_of(g, ds->cols[g->band_col]->v[other]) != g->band) {
        return 0;
    }
    return 1;
}

/*
 * shnor.group(s, spec) [-2, +1, e]: the schools similar to s, for population
 * figures. spec fields, all optional and combined with "and": territory =
 * true, region = true, kind = true, attr = "name" (same attribute value),
 * indicator = "code", period = p, bands = {0, 0.3, 0.6, 1} (same band of that
 * indicator). Example: shnor.group(s, {territory = true, indicator = "isb",
 * period = p, bands = {0, 0.33, 0.66, 1}}).
 */
static int api_group(lua_State *L)
{
    bridge *b = data_bridge(L);
    group_spec g;
    memset(&g, 0, sizeof g);
    g.b = b;
    g.school = check_school(L, b, 1);
    g.band_col = -1;
    luaL_checktype(L, 2, LUA_TTABLE);
    const ds_school *s = &b->ds->schools[g.school];
    strbuf key = STRBUF_INIT, desc = STRBUF_INIT;
    lua_getfield(L, 2, "territory");
    g.territory = lua_toboolean(L, -1);
    lua_getfield(L, 2, "region");
    g.region = lua_toboolean(L, -1);
    lua_getfield(L, 2, "kind");
    g.kind = lua_toboolean(L, -1);
    lua_getfield(L, 2, "attr");
    g.attr = lua_tostring(L, -1);
    lua_getfield(L, 2, "indicator");
    int has_ind = !lua_isnil(L, -1);
    /* The attr value stays on the stack while g.attr is used: a number was
       converted to a string in that slot, and a string an __index metamethod
       returned is held by nothing else, so either could be collected. */
    lua_pop(L, 1);
    if (g.territory) {
        sb_printf(&key, "t%d|", s->territory);
        sb_printf(&desc, "%s%s", desc.len ? ", " : "", b->ds->territories[s->territory]);
    }
    if (g.region) {
        sb_printf(&key, "r%d|", s->region);
        sb_printf(&desc, "%s%s", desc.len ? ", " : "",
                  s->region >= 0 ? b->ds->territories[s->region] : "без региона");
    }
    if (g.kind) {
        sb_printf(&key, "k%s|", s->kind);
        sb_printf(&desc, "%sтип %s", desc.len ? ", " : "", *s->kind ? s->kind : "не указан");
    }
    if (g.attr) {
        g.attr_value = ds_attr(b->ds, g.school, g.attr);
        sb_printf(&key, "a%s=%s|", g.attr, g.attr_value ? g.attr_value : "");
        sb_printf(&desc, "%s%s = %s", desc.len ? ", " : "", g.attr,
                  g.attr_value ? g.attr_value : "нет");
    }
    if (has_ind) {
        lua_getfield(L, 2, "indicator");
        lua_getfield(L, 2, "period");
        int iidx = lua_gettop(L) - 1;
        g.band_col = arg_column(L, b, iidx, iidx + 1);
        lua_pop(L, 2);
        if (lua_getfield(L, 2, "bands") != LUA_TTABLE) {
            sb_free(&key);
            sb_free(&desc);
            return luaL_error(L, "shnor.group: 'indicator' needs 'bands', e.g. {0, 0.5, 1}");
        }
        g.nbands = (int)lua_rawlen(L, -1);
        if (g.nbands < 2 || g.nbands > 32) {
            sb_free(&key);
            sb_free(&desc);
            return luaL_error(L, "shnor.group: 'bands' needs 2 to 32 ascending bounds");
        }
        for (int i = 0; i < g.nbands; i++) {
            lua_rawgeti(L, -1, i + 1);
            g.bands[i] = lua_tonumber(L, -1);
            lua_pop(L, 1);
            if (i > 0 && !(g.bands[i] > g.bands[i - 1])) {
                sb_free(&key);
                sb_free(&desc);
                return luaL_error(L, "shnor.group: 'bands' must be ascending numbers");
            }
        }
        lua_pop(L, 1);
        double v = b->ds->cols[g.band_col]->v[g.school];
        record(b, READ_VALUE, g.band_col, 0, -1, 0, v);
        g.band = band_of(&g, v);
        const ds_column *c = b->ds->cols[g.band_col];
        if (g.band < 0) {
            char what[160];
            describe_col(b, g.band_col, what, sizeof what);
            note_missing(b, what);
            sb_free(&key);
            sb_free(&desc);
            return sandbox_raise_insufficient(L, what);
        }
        sb_printf(&key, "b%d:", g.band_col);
        for (int i = 0; i < g.nbands; i++) {
            char nb[NUM_BUFSZ];
            num_format(g.bands[i], nb);
            sb_printf(&key, "%s,", nb);
        }
        sb_printf(&key, "=%d|", g.band);
        char lo[NUM_BUFSZ], hi[NUM_BUFSZ];
        num_format(g.bands[g.band], lo);
        num_format(g.bands[g.band + 1], hi);
        sb_printf(&desc, "%s%s %s от %s до %s", desc.len ? ", " : "",
                  b->ds->inds[c->indicator].title, c->period_text, lo, hi);
    }
    if (!key.len) {
        sb_free(&key);
        sb_free(&desc);
        return luaL_error(L, "shnor.group: the spec names nothing (territory, region, kind, "
                             "attr or indicator+bands)");
    }
    int scope = ds_group_get(b->ds, key.data, desc.data, group_member, &g);
    sb_free(&key);
    sb_free(&desc);
    if (scope < 0) {
        return luaL_error(L, "out of memory building a group");
    }
    int *ud = lua_newuserdatauv(L, sizeof(int), 0);
    *ud = scope;
    luaL_setmetatable(L, GROUP_META);
    return 1;
}

/* shnor.group_size(group) [-1, +1, e] */
static int api_group_size(lua_State *L)
{
    bridge *b = data_bridge(L);
    int scope = arg_scope(L, b, 1);
    size_t n = 0;
    for (size_t i = 0; i < b->ds->nschools; i++) {
        n += ds_in_scope(b->ds, scope, (int)i) != 0;
    }
    lua_pushinteger(L, (lua_Integer)n);
    return 1;
}

/* shnor.insufficient(reason) [-1, +0, e]: the criterion lacks data. */
static int api_insufficient(lua_State *L)
{
    const char *reason = luaL_optstring(L, 1, "the criterion said so");
    return sandbox_raise_insufficient(L, reason);
}

/* shnor.indicator(code) [-1, +1, e]: {code, title, unit, better, min, max}. */
static int api_indicator(lua_State *L)
{
    bridge *b = data_bridge(L);
    int i = arg_indicator(L, b, 1);
    const indicator *ind = &b->ds->inds[i];
    lua_createtable(L, 0, 6);
    lua_pushstring(L, ind->code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, ind->title);
    lua_setfield(L, -2, "title");
    lua_pushstring(L, unit_name(ind->unit));
    lua_setfield(L, -2, "unit");
    lua_pushstring(L, better_name(ind->better));
    lua_setfield(L, -2, "better");
    push_number_or_nil(L, ind->min);
    lua_setfield(L, -2, "min");
    push_number_or_nil(L, ind->max);
    lua_setfield(L, -2, "max");
    return 1;
}

/* ------------------------------------------------------------ installing */

static void set_funcs(lua_State *L, bridge *b, const luaL_Reg *funcs)
{
    for (; funcs->name; funcs++) {
        lua_pushlightuserdata(L, b);
        lua_pushcclosure(L, funcs->func, 1);
        lua_setfield(L, -2, funcs->name);
    }
}

/* Builds the API in protected mode [-1, +0, m]; the bridge is the argument. */
static int open_api(lua_State *L)
{
    bridge *b = lua_touserdata(L, 1);
    static const luaL_Reg view_methods[] = {{"value", view_value},   {"series", view_series},
                                            {"attr", view_attr},
                                            {"attr_number", view_attr_number},
                                            {"listed", view_listed},  {NULL, NULL}};
    static const luaL_Reg period_funcs[] = {{"prev", per_prev},     {"next", per_next},
                                            {"shift", per_shift},   {"range", per_range},
                                            {"kind", per_kind},     {"year", per_year},
                                            {"compare", per_compare}, {"parse", per_parse},
                                            {NULL, NULL}};
    static const luaL_Reg api_funcs[] = {{"mean", api_mean},
                                         {"percentile", api_percentile},
                                         {"count", api_count},
                                         {"rank", api_rank},
                                         {"bottom", api_bottom},
                                         {"group", api_group},
                                         {"group_size", api_group_size},
                                         {"insufficient", api_insufficient},
                                         {"all", bridge_all},
                                         {"any", bridge_any},
                                         {"at_least", bridge_at_least},
                                         {"indicator", api_indicator},
                                         {NULL, NULL}};

    /* The school view's metatable: fields and methods through __index. */
    luaL_newmetatable(L, VIEW_META);
    b->view_mt = lua_topointer(L, -1);
    lua_pushlightuserdata(L, b);
    lua_newtable(L);
    set_funcs(L, b, view_methods);
    lua_pushcclosure(L, view_index, 2);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, view_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushlightuserdata(L, b);
    lua_pushcclosure(L, view_tostring, 1);
    lua_setfield(L, -2, "__tostring");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    luaL_newmetatable(L, GROUP_META);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    /* shnor and shnor.period are read-only proxies. */
    lua_newtable(L);
    lua_newtable(L);
    set_funcs(L, b, period_funcs);
    sandbox_make_readonly(L, "shnor.period");
    lua_setfield(L, -2, "period");
    set_funcs(L, b, api_funcs);
    sandbox_set_readonly_global(b->sb, "shnor");
    return 0;
}

int bridge_open(bridge *b, sandbox *sb)
{
    memset(b, 0, sizeof *b);
    b->sb = sb;
    b->school = -1;
    b->criterion = -2;
    b->views_ref = LUA_NOREF;
    b->anchor_ref = LUA_NOREF;
    b->territories_ref = LUA_NOREF;
    lua_State *L = sb->L;
    lua_pushcfunction(L, open_api);
    lua_pushlightuserdata(L, b);
    return lua_pcall(L, 1, 0, 0) == LUA_OK ? 0 : (lua_pop(L, 1), -1);
}

/* Fresh per-evaluation tables [-0, +0, m]. */
static int attach_tables(lua_State *L)
{
    bridge *b = lua_touserdata(L, 1);
    luaL_unref(L, LUA_REGISTRYINDEX, b->views_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, b->anchor_ref);
    luaL_unref(L, LUA_REGISTRYINDEX, b->territories_ref);
    lua_newtable(L);
    b->views_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_newtable(L);
    b->anchor_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_createtable(L, (int)b->ds->nterritories, 0);
    for (size_t t = 0; t < b->ds->nterritories; t++) {
        lua_pushstring(L, b->ds->territories[t]);
        lua_rawseti(L, -2, (lua_Integer)t + 1);
    }
    b->territories_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

int bridge_attach(bridge *b, dataset *ds, evaluation *ev, shnor_period period)
{
    lua_State *L = b->sb->L;
    b->ds = ds;
    b->ev = ev;
    b->period = period;
    b->school = -1;
    b->criterion = -2;
    b->nscratch = 0;
    memset(b->cache, 0, sizeof b->cache);
    memset(b->scopes, 0, sizeof b->scopes);
    lua_pushcfunction(L, attach_tables);
    lua_pushlightuserdata(L, b);
    return lua_pcall(L, 1, 0, 0) == LUA_OK ? 0 : (lua_pop(L, 1), -1);
}

void bridge_detach(bridge *b)
{
    b->ds = NULL;
    b->ev = NULL;
    b->school = -1;
    b->criterion = -2;
}

void bridge_close(bridge *b)
{
    free(b->scratch);
    b->scratch = NULL;
    b->nscratch = b->capscratch = 0;
}
