/*
 * bridge_figures.c — the population figures and groups of the `shnor` table:
 * shnor.mean, percentile, count, rank and bottom over all schools, a
 * territory or a group; shnor.group and group_size, the schools similar to
 * one; shnor.insufficient, a criterion saying it lacks data; and
 * shnor.indicator, an indicator's description. Every figure a criterion
 * reads is recorded for its explanation.
 *
 * Stack effects follow the Lua manual's [-o, +p, x] notation.
 */
#include "bridge.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bridgeInt.h"
#include "humanfmt.h"
#include "numfmt.h"

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
int bridge_mean(lua_State *L)
{
    bridge *b = bridge_data(L);
    int col = bridge_arg_column(L, b, 1, 2);
    int scope = bridge_arg_scope(L, b, 3);
    const ds_stats *st = stats_for(L, b, col, scope);
    bridge_record(b, READ_MEAN, col, scope, -1, 0, st->mean);
    if (isnan(st->mean)) {
        char what[200], c[160];
        bridge_describe_col(b, col, c, sizeof c);
        snprintf(what, sizeof what, "the mean of %s over %s", c,
                 ds_scope_name(b->ds, scope));
        bridge_note_missing(b, what);
    }
    bridge_push_number_or_nil(L, st->mean);
    return 1;
}

/* ds_percentile of st at q, remembered for the evaluation (bridge_attach
   forgets them: figures live as long as their dataset). */
static double cached_percentile(bridge *b, const ds_stats *st, double q)
{
    uint64_t qbits;
    memcpy(&qbits, &q, sizeof qbits);
    uint64_t h = (uint64_t)(uintptr_t)st * 0x9E3779B97F4A7C15u ^ qbits * 0xC2B2AE3D27D4EB4Fu;
    _Static_assert(sizeof b->percentiles / sizeof b->percentiles[0] == 2048,
                   "the slot is the hash's top 11 bits");
    size_t slot = (size_t)(h >> 53);
    if (b->percentiles[slot].st == st && b->percentiles[slot].q == q) {
        return b->percentiles[slot].v;
    }
    double v = ds_percentile(st->sorted, st->n, q);
    b->percentiles[slot].st = st;
    b->percentiles[slot].q = q;
    b->percentiles[slot].v = v;
    return v;
}

/* shnor.percentile(indicator, period, q [, scope]) [-3|4, +1, e] */
int bridge_percentile(lua_State *L)
{
    bridge *b = bridge_data(L);
    int col = bridge_arg_column(L, b, 1, 2);
    double q = luaL_checknumber(L, 3);
    if (!(q >= 0 && q <= 1)) {
        return luaL_error(
            L, "shnor.percentile: q must be between 0 and 1 (0.9 for the 90th)");
    }
    int scope = bridge_arg_scope(L, b, 4);
    const ds_stats *st = stats_for(L, b, col, scope);
    double v = cached_percentile(b, st, q);
    bridge_record(b, READ_PERCENTILE, col, scope, -1, q, v);
    if (isnan(v)) {
        char what[200], c[160];
        bridge_describe_col(b, col, c, sizeof c);
        snprintf(what, sizeof what, "a percentile of %s over %s", c,
                 ds_scope_name(b->ds, scope));
        bridge_note_missing(b, what);
    }
    bridge_push_number_or_nil(L, v);
    return 1;
}

/* shnor.count(indicator, period [, scope]) [-2|3, +1, e]: schools with a value. */
int bridge_count(lua_State *L)
{
    bridge *b = bridge_data(L);
    int col = bridge_arg_column(L, b, 1, 2);
    int scope = bridge_arg_scope(L, b, 3);
    const ds_stats *st = stats_for(L, b, col, scope);
    bridge_record(b, READ_COUNT, col, scope, -1, 0, (double)st->n);
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
int bridge_rank(lua_State *L)
{
    bridge *b = bridge_data(L);
    int school = bridge_check_school(L, b, 1);
    int col = bridge_arg_column(L, b, 2, 3);
    int scope = bridge_arg_scope(L, b, 4);
    const ds_stats *st = stats_for(L, b, col, scope);
    double v = b->ds->cols[col]->v[school];
    const indicator *ind = &b->ds->inds[b->ds->cols[col]->indicator];
    if (isnan(v) || !ds_in_scope(b->ds, scope, school)) {
        char what[160];
        bridge_describe_col(b, col, what, sizeof what);
        bridge_note_missing(b, what);
        bridge_record(b, READ_RANK, col, scope, -1, (double)st->n, NAN);
        lua_pushnil(L);
        lua_pushinteger(L, (lua_Integer)st->n);
        return 2;
    }
    size_t rank = count_better(st, v, ind->better) + 1;
    bridge_record(b, READ_RANK, col, scope, -1, (double)st->n, (double)rank);
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
int bridge_bottom(lua_State *L)
{
    bridge *b = bridge_data(L);
    int school = bridge_check_school(L, b, 1);
    int col = bridge_arg_column(L, b, 2, 3);
    double share = luaL_checknumber(L, 4);
    if (!(share > 0 && share <= 1)) {
        return luaL_error(L, "shnor.bottom: share must be in (0, 1], e.g. 0.1 for 10%%");
    }
    int scope = bridge_arg_scope(L, b, 5);
    lua_Integer min = luaL_optinteger(L, 6, 1);
    const ds_stats *st = stats_for(L, b, col, scope);
    double v = b->ds->cols[col]->v[school];
    const indicator *ind = &b->ds->inds[b->ds->cols[col]->indicator];
    char what[512], c[160];
    if (isnan(v)) {
        bridge_describe_col(b, col, c, sizeof c);
        bridge_record(b, READ_VALUE, col, 0, -1, 0, v);
        bridge_note_missing(b, c);
        return sandbox_raise_insufficient(L, c);
    }
    bridge_record(b, READ_VALUE, col, 0, -1, 0, v);
    bridge_record(b, READ_COUNT, col, scope, -1, 0, (double)st->n);
    if ((lua_Integer)st->n < min) {
        bridge_describe_col(b, col, c, sizeof c);
        /* in Russian, as every explanation: it is printed under the school */
        snprintf(what, sizeof what, "%s: значение есть только у %zu %s (%s), нужно не менее %lld",
                 c, st->n, ru_plural((long)st->n, "школы", "школ", "школ"),
                 ds_scope_name(b->ds, scope), (long long)min);
        return sandbox_raise_insufficient(L, what);
    }
    size_t worse = count_worse(st, v, ind->better);
    /* share * n as a person computes it: 0.07 * 100 is 7, not
       7.000000000000001 (worse is whole, so only a whole share * n matters) */
    double limit = share * (double)st->n, whole = nearbyint(limit);
    if (fabs(limit - whole) <= 1e-9 * fmax(1.0, whole)) {
        limit = whole;
    }
    int in = (double)worse < limit;
    bridge_record(b, READ_BOTTOM, col, scope, -1, share, in);
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
        if (v >= g->bands[i] &&
            (v < g->bands[i + 1] || (i + 2 == g->nbands && v <= g->bands[i + 1]))) {
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
int bridge_group(lua_State *L)
{
    bridge *b = bridge_data(L);
    group_spec g;
    memset(&g, 0, sizeof g);
    g.b = b;
    g.school = bridge_check_school(L, b, 1);
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
        sb_printf(&desc, "%sтип %s", desc.len ? ", " : "",
                  *s->kind ? s->kind : "не указан");
    }
    if (g.attr && !ds_attr_known(b->ds, g.attr)) {
        sb_free(&key);
        sb_free(&desc);
        return luaL_error(L, "shnor.group: no school of the data has an attribute '%s' (a "
                             "column of the school register)",
                          g.attr);
    }
    if (g.attr) {
        g.attr_value = ds_attr(b->ds, g.school, g.attr);
        /* Keyed by the folded name: attr = "Исб" and "ИСБ" are one group. */
        size_t alen = strlen(g.attr);
        char *folded = malloc(alen + 1);
        if (!folded) {
            sb_free(&key);
            sb_free(&desc);
            return luaL_error(L, "not enough memory");
        }
        text_fold(g.attr, alen, folded);
        sb_printf(&key, "a%s=%s|", folded, g.attr_value ? g.attr_value : "");
        free(folded);
        sb_printf(&desc, "%s%s = %s", desc.len ? ", " : "", g.attr,
                  g.attr_value ? g.attr_value : "нет");
    }
    if (has_ind) {
        lua_getfield(L, 2, "indicator");
        lua_getfield(L, 2, "period");
        int iidx = lua_gettop(L) - 1;
        g.band_col = bridge_arg_column(L, b, iidx, iidx + 1);
        lua_pop(L, 2);
        if (lua_getfield(L, 2, "bands") != LUA_TTABLE) {
            sb_free(&key);
            sb_free(&desc);
            return luaL_error(L,
                              "shnor.group: 'indicator' needs 'bands', e.g. {0, 0.5, 1}");
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
        bridge_record(b, READ_VALUE, g.band_col, 0, -1, 0, v);
        g.band = band_of(&g, v);
        const ds_column *c = b->ds->cols[g.band_col];
        if (g.band < 0) {
            char what[160];
            bridge_describe_col(b, g.band_col, what, sizeof what);
            bridge_note_missing(b, what);
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
        return luaL_error(L,
                          "shnor.group: the spec names nothing (territory, region, kind, "
                          "attr or indicator+bands)");
    }
    size_t held = key.len + desc.len + 64 + b->ds->nschools;
    int created;
    int scope = ds_group_get(b->ds, key.data, desc.data, group_member, &g, &created);
    sb_free(&key);
    sb_free(&desc);
    if (scope < 0) {
        return luaL_error(L, "out of memory building a group");
    }
    if (created) {
        sandbox_charge_memory(L, held); /* a new group stays for the evaluation */
    }
    int *ud = lua_newuserdatauv(L, sizeof(int), 0);
    *ud = scope;
    luaL_setmetatable(L, GROUP_META);
    return 1;
}

/* shnor.group_size(group) [-1, +1, e] */
int bridge_group_size(lua_State *L)
{
    bridge *b = bridge_data(L);
    int scope = bridge_arg_scope(L, b, 1);
    size_t n = 0;
    for (size_t i = 0; i < b->ds->nschools; i++) {
        n += ds_in_scope(b->ds, scope, (int)i) != 0;
    }
    lua_pushinteger(L, (lua_Integer)n);
    return 1;
}

/* shnor.insufficient(reason) [-1, +0, e]: the criterion lacks data. */
int bridge_insufficient(lua_State *L)
{
    size_t len;
    const char *reason = luaL_optlstring(L, 1, "критерий не сказал, каких данных нет", &len);
    /* shown, not cut at a NUL: "abc\0def" would read "abc" */
    reason = sandbox_push_shown(L, reason, len);
    return sandbox_raise_insufficient(L, reason);
}

/* shnor.indicator(code) [-1, +1, e]: {code, title, unit, better, min, max}. */
int bridge_indicator(lua_State *L)
{
    bridge *b = bridge_data(L);
    int i = bridge_arg_indicator(L, b, 1);
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
    bridge_push_number_or_nil(L, ind->min);
    lua_setfield(L, -2, "min");
    bridge_push_number_or_nil(L, ind->max);
    lua_setfield(L, -2, "max");
    return 1;
}
