/*
 * bridge_logic.c — three-valued logic for packs: shnor.all, shnor.any and
 * shnor.at_least over criteria results that are true, false or nil (the
 * criterion lacked data). Lua's own `and`/`or` treat nil as false and return
 * whichever operand decided, so `fired.rus and fired.math` is nil (unknown)
 * when rus lacked data even though math is false and the answer is known: no.
 * These give the honest answer: a definite one whenever the known values
 * decide it, nil only when the missing ones could change it.
 */
#include <lauxlib.h>

#include "bridge.h"

/* Counts the arguments from `first` that are true, false and nil. Anything
   else is the pack's error, as a criterion's result is: Lua would count 0 or
   "нет" as true. None at all is one too: `shnor.all(table.unpack(t))` of a
   table of nils passes nothing, and "all of nothing" would list the school. */
static void tally(lua_State *L, int first, const char *fn, int *yes, int *no, int *unknown)
{
    *yes = *no = *unknown = 0;
    int n = lua_gettop(L);
    if (n < first) {
        luaL_error(L, "shnor.%s needs at least one value (true, false or nil)", fn);
    }
    for (int i = first; i <= n; i++) {
        if (lua_isnil(L, i)) {
            (*unknown)++;
        } else if (lua_isboolean(L, i)) {
            (*(lua_toboolean(L, i) ? yes : no))++;
        } else {
            luaL_error(L,
                       "bad argument #%d to 'shnor.%s' (true, false or nil expected, got %s): "
                       "compare the value, e.g. local v = s:value(\"flag500\", p); "
                       "shnor.all(v and v == 1, …) (a missing value stays nil: unknown)",
                       i, fn, luaL_typename(L, i));
        }
    }
}

/* Pushes true, false or nil (v < 0) and returns 1. */
static int push3(lua_State *L, int v)
{
    if (v < 0) {
        lua_pushnil(L);
    } else {
        lua_pushboolean(L, v);
    }
    return 1;
}

/* shnor.all(...) [-0, +1, v]: false if any is false, else nil if any is nil. */
int bridge_all(lua_State *L)
{
    int yes, no, unknown;
    tally(L, 1, "all", &yes, &no, &unknown);
    return push3(L, no ? 0 : unknown ? -1 : 1);
}

/* shnor.any(...) [-0, +1, v]: true if any is true, else nil if any is nil. */
int bridge_any(lua_State *L)
{
    int yes, no, unknown;
    tally(L, 1, "any", &yes, &no, &unknown);
    return push3(L, yes ? 1 : unknown ? -1 : 0);
}

/* shnor.at_least(k, ...) [-0, +1, v]: true when k are true, false when even
   the unknown ones could not make k, else nil. */
int bridge_at_least(lua_State *L)
{
    lua_Integer k = luaL_checkinteger(L, 1);
    /* at least 0 (or -1) of them is always true: a mistake, not a rule */
    luaL_argcheck(L, k >= 1, 1, "k must be 1 or more");
    int yes, no, unknown;
    tally(L, 2, "at_least", &yes, &no, &unknown);
    return push3(L, yes >= k ? 1 : yes + unknown < k ? 0 : -1);
}
