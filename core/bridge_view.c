/*
 * bridge_view.c — the read-only school view `s` that criteria receive: its
 * fields (s.code, s.name, s.territory, s.region, s.kind, s.settlement) and
 * methods (s:value, s:series, s:attr, s:attr_number, s:listed), every read
 * recorded for the explanation; and bridge_push_school, which makes one view
 * per school and evaluation. open_api (bridge.c) makes what views share.
 *
 * Stack effects follow the Lua manual's [-o, +p, x] notation.
 */
#include "bridge.h"

#include <lauxlib.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bridgeInt.h"
#include "numfmt.h"
#include "period.h"

/* ---------------------------------------------------------- school view */

/* s:value(indicator [, period]) [-2|3, +1, e]: a number, or nil when missing. */
int bridge_view_value(lua_State *L)
{
    bridge *b = bridge_data(L);
    int school = bridge_check_school(L, b, 1);
    int col = bridge_arg_column(L, b, 2, 3);
    double v = b->ds->cols[col]->v[school];
    bridge_record(b, READ_VALUE, col, 0, -1, 0, v);
    if (isnan(v)) {
        char what[160];
        bridge_describe_col(b, col, what, sizeof what);
        bridge_note_missing(b, what);
    }
    bridge_push_number_or_nil(L, v);
    return 1;
}

/*
 * s:series(indicator, from, to) [-4, +2, e]: the values from period `from` to
 * `to` (same kind) as a list with n set (holes are nil), and the list of the
 * periods.
 */
int bridge_view_series(lua_State *L)
{
    bridge *b = bridge_data(L);
    int school = bridge_check_school(L, b, 1);
    int ind = bridge_arg_indicator(L, b, 2);
    shnor_period a = bridge_arg_period(L, b, 3), z = bridge_arg_period(L, b, 4);
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
        bridge_record(b, READ_VALUE, col, 0, -1, 0, v);
        if (isnan(v)) {
            char what[160];
            bridge_describe_col(b, col, what, sizeof what);
            bridge_note_missing(b, what);
        } else {
            lua_pushnumber(L, v);
            lua_rawseti(L, -3, (lua_Integer)i + 1);
        }
        bridge_push_period(L, ps[i]);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_pushinteger(L, (lua_Integer)n);
    lua_setfield(L, -3, "n");
    return 2;
}

static const char *attr_of(bridge *b, lua_State *L, int school, const char **name)
{
    size_t len;
    *name = luaL_checklstring(L, 2, &len);
    const char *v = ds_attr(b->ds, school, *name);
    if (!v && !ds_attr_known(b->ds, *name)) {
        /* as a misspelt indicator is: else every school would lack data */
        char *known = ds_attr_names(b->ds, 12), msg[1024];
        snprintf(msg, sizeof msg, "%s%s",
                 !known   ? ""
                 : *known ? "; the register's columns: "
                          : "; the register has no columns of attributes",
                 known ? known : "");
        free(known);
        luaL_error(L, "no school of the data has an attribute '%s' (a column of the school "
                      "register)%s",
                   *name, msg);
        return NULL;
    }
    size_t names = b->ev ? b->ev->nnames : 0;
    int idx = b->ev ? eval_name(b->ev, *name) : -1;
    if (b->ev && b->ev->nnames > names) {
        sandbox_charge_memory(L, len + 64); /* a new name kept for explanations */
    }
    double num = NAN;
    if (v) {
        num_parse(v, strlen(v), &num, NULL, NULL, 0);
    }
    bridge_record(b, READ_ATTR, -1, 0, idx, 0, num);
    return v;
}

/* s:attr(name) [-2, +1, e]: the attribute's text, or nil. */
int bridge_view_attr(lua_State *L)
{
    bridge *b = bridge_data(L);
    int school = bridge_check_school(L, b, 1);
    const char *name;
    const char *v = attr_of(b, L, school, &name);
    if (!v) {
        char what[160];
        snprintf(what, sizeof what, "attribute '%s'", name);
        bridge_note_missing(b, what);
        lua_pushnil(L);
    } else {
        lua_pushstring(L, v);
    }
    return 1;
}

/* s:attr_number(name) [-2, +1, e]: the attribute as a number ("0,42" -> 0.42;
   "35%" -> 0.35, as Excel reads a percent), or nil. */
int bridge_view_attr_number(lua_State *L)
{
    bridge *b = bridge_data(L);
    int school = bridge_check_school(L, b, 1);
    const char *name;
    const char *v = attr_of(b, L, school, &name);
    double num;
    char err[160];
    int rc = v ? num_parse_hundredths(v, strlen(v), NUM_HUNDREDTHS_IF_PERCENT, &num, NULL, err,
                                      sizeof err)
               : NUM_EMPTY;
    if (rc == NUM_EMPTY) {
        char what[160];
        snprintf(what, sizeof what, "attribute '%s'", name);
        bridge_note_missing(b, what);
        lua_pushnil(L);
        return 1;
    }
    if (rc != NUM_OK) {
        return luaL_error(L, "attribute '%s' of school %s: %s", name,
                          b->ds->schools[school].code, err);
    }
    lua_pushnumber(L, num);
    return 1;
}

/* Does the data hold a kept run or an imported listing of pack_id? */
static int pack_in_data(const dataset *ds, const char *pack_id)
{
    for (size_t i = 0; i < ds->nrun_marks; i++) {
        if (strcmp(ds->run_marks[i].pack_id, pack_id) == 0) {
            return 1;
        }
    }
    for (size_t i = 0; i < ds->nlistings; i++) {
        if (strcmp(ds->listings[i].pack_id, pack_id) == 0) {
            return 1;
        }
    }
    return 0;
}

/*
 * s:listed(period [, category [, pack]]) [-2..4, +1, e]: whether the school
 * was listed in that period (by a kept run or an imported listing). The pack
 * defaults to the one being evaluated; listings imported without a pack count
 * for every pack.
 */
int bridge_view_listed(lua_State *L)
{
    bridge *b = bridge_data(L);
    int school = bridge_check_school(L, b, 1);
    shnor_period p = bridge_arg_period(L, b, 2);
    const char *cat = luaL_optstring(L, 3, NULL);
    const char *pack_id = luaL_optstring(L, 4, b->ev && b->ev->p ? b->ev->p->id : NULL);
    const pack *own = b->ev ? b->ev->p : NULL;
    if (cat && own && lua_isnoneornil(L, 4)) {
        /* The pack's own listings: a misspelt category would be false for
           every school (every school "new" in a cohort test). */
        size_t k = 0;
        while (k < own->ncats && strcmp(own->cats[k].id, cat) != 0) {
            k++;
        }
        if (k == own->ncats) {
            luaL_Buffer lb;
            luaL_buffinit(L, &lb);
            for (k = 0; k < own->ncats; k++) {
                luaL_addstring(&lb, k ? ", " : "");
                luaL_addstring(&lb, own->cats[k].id);
            }
            luaL_pushresult(&lb);
            return luaL_error(L,
                              "s:listed: '%s' is not a category of pack '%s' (%s); name another "
                              "pack's listing with s:listed(period, category, pack)",
                              cat, own->id, lua_tostring(L, -1));
        }
    }
    if (pack_id && !lua_isnoneornil(L, 4) && (!own || strcmp(pack_id, own->id) != 0) &&
        strcmp(pack_id, b->known_pack) != 0) {
        /* Another pack's listings: a misspelt id would be false for every
           school. The data must know the pack (a kept run or an imported
           listing of it); the last id found is remembered. */
        if (!pack_in_data(b->ds, pack_id)) {
            return luaL_error(L, "s:listed: no kept run and no imported listing of pack '%s' in "
                                 "the data; check the pack id (the pack's own is '%s')",
                              pack_id, own ? own->id : "?");
        }
        snprintf(b->known_pack, sizeof b->known_pack, "%s", pack_id);
    }
    char ptext[SHNOR_PERIOD_MAX];
    shnor_period_format(p, ptext, sizeof ptext);
    if (own && pack_id && strcmp(pack_id, own->id) == 0 && b->ev &&
        shnor_period_compare(p, b->ev->period) == 0) {
        /* The listing being decided: none yet when it runs, its own once
           kept, so a replay would differ from the run it replays. */
        return luaL_error(L, "s:listed: the pack's own listing of %s is the one being decided; "
                             "ask for an earlier period (shnor.period.prev(p))",
                          ptext);
    }
    int found = ds_was_listed(b->ds, school, ptext, cat, pack_id);
    char what[96];
    snprintf(what, sizeof what, "%s@%s", cat ? cat : "*", ptext);
    bridge_record(b, READ_LISTED, -1, 0, b->ev ? eval_name(b->ev, what) : -1, 0, found);
    lua_pushboolean(L, found);
    return 1;
}

/*
 * The methods' __index [-2, +1, e]: a name that is neither a field of the
 * school nor a method. A field the school lacks (s.region of a school
 * without one) is nil; anything else is a misspelt name, and an error.
 */
int bridge_view_missing(lua_State *L)
{
    static const char *const fields[] = {"code", "name", "territory", "region", "kind",
                                         "settlement", NULL};
    const char *key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : NULL;
    for (const char *const *f = fields; key && *f; f++) {
        if (strcmp(key, *f) == 0) {
            lua_pushnil(L);
            return 1;
        }
    }
    return luaL_error(L,
                      "a school has no field '%s' (fields: code, name, territory, "
                      "region, kind, settlement; methods: value, series, attr, "
                      "attr_number, listed)",
                      key ? key : luaL_typename(L, 2));
}

int bridge_view_newindex(lua_State *L)
{
    return luaL_error(L, "a school view is read-only");
}

int bridge_view_tostring(lua_State *L)
{
    bridge *b = bridge_data(L);
    int school = bridge_check_school(L, b, 1);
    lua_pushfstring(L, "school %s", b->ds->schools[school].code);
    return 1;
}

/*
 * Makes the view of school i [-0, +1, m]: the userdata, its own metatable
 * (read-only, protected, named) and, as its __index, the school's fields.
 */
static void new_view(lua_State *L, bridge *b, int school)
{
    const ds_school *s = &b->ds->schools[school];
    view_ud *v = lua_newuserdatauv(L, sizeof *v, 0);
    v->magic = VIEW_MAGIC;
    v->school = school;
    lua_createtable(L, 0, 5);
    lua_createtable(L, 0, 6);
    lua_pushstring(L, s->code);
    lua_setfield(L, -2, "code");
    lua_pushstring(L, s->name);
    lua_setfield(L, -2, "name");
    bridge_push_territory(L, b, s->territory);
    lua_setfield(L, -2, "territory");
    if (s->region >= 0) {
        bridge_push_territory(L, b, s->region);
        lua_setfield(L, -2, "region");
    }
    lua_pushstring(L, s->kind);
    lua_setfield(L, -2, "kind");
    lua_pushstring(L, s->settlement);
    lua_setfield(L, -2, "settlement");
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->fields_meta_ref);
    lua_setmetatable(L, -2);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, bridge_view_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->tostring_ref);
    lua_setfield(L, -2, "__tostring");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushliteral(L, VIEW_META);
    lua_setfield(L, -2, "__name");
    lua_setmetatable(L, -2);
}

void bridge_push_school(bridge *b, int school)
{
    lua_State *L = b->sb->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, b->views_ref);
    if (lua_rawgeti(L, -1, school + 1) == LUA_TNIL) {
        lua_pop(L, 1);
        new_view(L, b, school);
        lua_pushvalue(L, -1);
        lua_rawseti(L, -3, school + 1);
    }
    lua_remove(L, -2);
}
