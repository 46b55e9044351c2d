/*
 * bridge.c — the API rule packs call: the read-only school view `s` and the
 * read-only `shnor` table. This file installs them into the sandbox
 * (bridge_open) and attaches an evaluation to them (bridge_attach); keeps the
 * record of every value and figure a criterion reads, for its explanation;
 * reads the arguments the API functions share (indicators, periods, columns,
 * scopes, school views); and has shnor.period, made of those period readers.
 *
 * The rest of the API: the school view in bridge_view.c, the population
 * figures and groups in bridge_figures.c, three-valued logic in
 * bridge_logic.c; what they share is declared in bridgeInt.h.
 *
 * Stack effects follow the Lua manual's [-o, +p, x] notation.
 */
#include "bridge.h"

#include <lauxlib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bridgeInt.h"
#include "period.h"

static bridge *get_bridge(lua_State *L)
{
    return lua_touserdata(L, lua_upvalueindex(1));
}

/* The bridge, when an evaluation is attached; raises otherwise. */
bridge *bridge_data(lua_State *L)
{
    bridge *b = lua_touserdata(L, lua_upvalueindex(1));
    if (!b->ds) {
        luaL_error(L, "school data is only available while criteria, lists and targets "
                      "are evaluated, not when the pack is loaded");
    }
    return b;
}

/* ------------------------------------------------------------ recording */

void bridge_record(bridge *b, int kind, int col, int scope, int name, double q,
                   double value)
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
        sandbox_hold_memory(b->sb, (ncap - b->capscratch) * sizeof *n);
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
void bridge_note_missing(bridge *b, const char *what)
{
    if (b->nil_reads++ == 0) {
        snprintf(b->missing, sizeof b->missing, "%s", what);
    }
}

void bridge_begin_criterion(bridge *b, int criterion)
{
    b->criterion = criterion;
    b->nil_reads = 0;
    b->missing[0] = '\0';
}

/* --------------------------------------------------------------- arguments */

int bridge_arg_indicator(lua_State *L, bridge *b, int idx)
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
shnor_period bridge_arg_period(lua_State *L, bridge *b, int idx)
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
            lua_Number v = lua_tonumber(L, idx);
            /* NaN prints as "-nan" or "nan" by the C library: said in words */
            luaL_error(L, "bad period %s: a year is an integer from 1900 to 2999",
                       v != v ? "nan (0/0)" : lua_tostring(L, idx));
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
void bridge_push_period(lua_State *L, shnor_period p)
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
int bridge_arg_column(lua_State *L, bridge *b, int iidx, int pidx)
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
    int ind = bridge_arg_indicator(L, b, iidx);
    shnor_period p = bridge_arg_period(L, b, pidx);
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

/* The school of the view at idx; raises when it is none. Views are told by
   their size and mark (a pack makes no userdata; a group's is smaller);
   luaL_checkudata's registry lookup by name was 5 % of a national list. */
int bridge_check_school(lua_State *L, const bridge *b, int idx)
{
    const view_ud *v = lua_touserdata(L, idx);
    if (v && lua_type(L, idx) == LUA_TUSERDATA && lua_rawlen(L, idx) == sizeof *v &&
        v->magic == VIEW_MAGIC && v->school >= 0 && (size_t)v->school < b->ds->nschools) {
        return v->school;
    }
    return luaL_typeerror(L, idx, VIEW_META);
}

/* Pushes the name of territory t, the same string object every time [-0, +1, -]. */
void bridge_push_territory(lua_State *L, bridge *b, int t)
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
int bridge_arg_scope(lua_State *L, bridge *b, int idx)
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
            bridge_push_territory(L, b, scope - 1);
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

void bridge_push_number_or_nil(lua_State *L, double v)
{
    if (isnan(v)) {
        lua_pushnil(L);
    } else {
        lua_pushnumber(L, v);
    }
}

/* Describes column col for a missing-value reason: "fail_share 2023". */
void bridge_describe_col(bridge *b, int col, char *buf, size_t len)
{
    const ds_column *c = b->ds->cols[col];
    snprintf(buf, len, "%s %s", b->ds->inds[c->indicator].code, c->period_text);
}

/* ----------------------------------------------------------- periods */

static int per_prev(lua_State *L)
{
    bridge *b = get_bridge(L);
    bridge_push_period(L, shnor_period_shift(bridge_arg_period(L, b, 1), -1));
    return 1;
}

static int per_next(lua_State *L)
{
    bridge *b = get_bridge(L);
    bridge_push_period(L, shnor_period_shift(bridge_arg_period(L, b, 1), 1));
    return 1;
}

static int per_shift(lua_State *L)
{
    bridge *b = get_bridge(L);
    shnor_period p = bridge_arg_period(L, b, 1);
    lua_Integer n = luaL_checkinteger(L, 2);
    if (n < -10000 || n > 10000) {
        return luaL_error(L, "shnor.period.shift: %I steps is too far (at most 10000 either way)",
                          n);
    }
    shnor_period q = shnor_period_shift(p, (int)n);
    if (!period_valid(q)) {
        return luaL_error(L, "shnor.period.shift: the result is outside 1900..2999");
    }
    bridge_push_period(L, q);
    return 1;
}

/* shnor.period.range(a, b) [-2, +1, e]: the list of periods from a to b. */
static int per_range(lua_State *L)
{
    bridge *b = get_bridge(L);
    shnor_period a = bridge_arg_period(L, b, 1), z = bridge_arg_period(L, b, 2);
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
        bridge_push_period(L, p);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
        p = shnor_period_shift(p, 1);
    }
    return 1;
}

static int per_kind(lua_State *L)
{
    static const char *const names[] = {"", "year", "academic", "half", "quarter", "month"};
    bridge *b = get_bridge(L);
    shnor_period p = bridge_arg_period(L, b, 1);
    lua_pushstring(L, names[p.kind]);
    return 1;
}

static int per_year(lua_State *L)
{
    bridge *b = get_bridge(L);
    lua_pushinteger(L, bridge_arg_period(L, b, 1).year);
    return 1;
}

static int per_compare(lua_State *L)
{
    bridge *b = get_bridge(L);
    int c = shnor_period_compare(bridge_arg_period(L, b, 1), bridge_arg_period(L, b, 2));
    lua_pushinteger(L, (c > 0) - (c < 0));
    return 1;
}

static int per_parse(lua_State *L)
{
    bridge *b = get_bridge(L);
    bridge_push_period(L, bridge_arg_period(L, b, 1));
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
    static const luaL_Reg view_methods[] = {
        {"value", bridge_view_value},   {"series", bridge_view_series},
        {"attr", bridge_view_attr},     {"attr_number", bridge_view_attr_number},
        {"listed", bridge_view_listed}, {NULL, NULL}};
    static const luaL_Reg period_funcs[] = {{"prev", per_prev},     {"next", per_next},
                                            {"shift", per_shift},   {"range", per_range},
                                            {"kind", per_kind},     {"year", per_year},
                                            {"compare", per_compare}, {"parse", per_parse},
                                            {NULL, NULL}};
    static const luaL_Reg api_funcs[] = {{"mean", bridge_mean},
                                         {"percentile", bridge_percentile},
                                         {"count", bridge_count},
                                         {"rank", bridge_rank},
                                         {"bottom", bridge_bottom},
                                         {"group", bridge_group},
                                         {"group_size", bridge_group_size},
                                         {"insufficient", bridge_insufficient},
                                         {"all", bridge_all},
                                         {"any", bridge_any},
                                         {"at_least", bridge_at_least},
                                         {"indicator", bridge_indicator},
                                         {NULL, NULL}};

    /* What every school view's fields table falls back to: the methods,
       and for any other name bridge_view_missing. */
    lua_createtable(L, 0, 1);
    lua_newtable(L);
    set_funcs(L, b, view_methods);
    lua_createtable(L, 0, 1);
    lua_pushlightuserdata(L, b);
    lua_pushcclosure(L, bridge_view_missing, 1);
    lua_setfield(L, -2, "__index");
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "__index");
    b->fields_meta_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_pushlightuserdata(L, b);
    lua_pushcclosure(L, bridge_view_tostring, 1);
    b->tostring_ref = luaL_ref(L, LUA_REGISTRYINDEX);

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
    b->fields_meta_ref = LUA_NOREF;
    b->tostring_ref = LUA_NOREF;
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
    memset(b->percentiles, 0, sizeof b->percentiles);
    b->known_pack[0] = '\0';
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
