/*
 * sandbox_pairs.c — tables in a fixed order, and tables packs cannot change:
 * sandbox_sorted_keys (numbers, then strings, then booleans), pairs() over
 * those keys so a pack's loops run the same way on every evaluation, and the
 * read-only proxies through which packs see shared tables (shnor, string).
 * Lua randomises string hashes per state, so nothing here may depend on
 * next() order.
 *
 * Stack effects follow the Lua manual's [-o, +p, x] notation.
 */
#include "sandbox.h"

#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

#include "sandboxInt.h"

/*
 * Orders keys for deterministic traversal: numbers (ascending) before strings
 * (byte order) before booleans (false first); other key types keep the
 * relative order next() gave them. Lua randomises string hashes per state, so
 * raw next() order differs from run to run.
 */
static int key_rank(lua_State *L, int idx)
{
    switch (lua_type(L, idx)) {
    case LUA_TNUMBER:
        return 0;
    case LUA_TSTRING:
        return 1;
    case LUA_TBOOLEAN:
        return 2;
    default:
        return 3;
    }
}

/* -1, 0, 1: the order of the values at stack indices a and b as keys. */
static int key_cmp(lua_State *L, int a, int b)
{
    int ra = key_rank(L, a), rb = key_rank(L, b);
    if (ra != rb) {
        return ra < rb ? -1 : 1;
    }
    switch (ra) {
    case 0:
        return lua_compare(L, a, b, LUA_OPLT)   ? -1
               : lua_compare(L, b, a, LUA_OPLT) ? 1
                                                : 0;
    case 1: {
        size_t la, lb;
        const char *x = lua_tolstring(L, a, &la), *y = lua_tolstring(L, b, &lb);
        int c = memcmp(x, y, la < lb ? la : lb);
        return c ? (c < 0 ? -1 : 1) : (la > lb) - (la < lb);
    }
    case 2:
        return lua_toboolean(L, a) - lua_toboolean(L, b);
    default:
        return 0;
    }
}

/* Compares keys[i] and keys[j] of the key array at stack index keys. */
static int key_cmp_at(lua_State *L, int keys, lua_Integer i, lua_Integer j)
{
    lua_rawgeti(L, keys, i);
    lua_rawgeti(L, keys, j);
    int c = key_cmp(L, -2, -1);
    lua_pop(L, 2);
    return c;
}

/* Stable merge sort of perm[0..n) (1-based key positions). */
static void merge_sort(lua_State *L, int keys, lua_Integer *perm, lua_Integer *tmp,
                       size_t n)
{
    if (n < 2) {
        return;
    }
    size_t mid = n / 2;
    merge_sort(L, keys, perm, tmp, mid);
    merge_sort(L, keys, perm + mid, tmp, n - mid);
    size_t i = 0, j = mid, k = 0;
    while (i < mid && j < n) {
        tmp[k++] = key_cmp_at(L, keys, perm[j], perm[i]) < 0 ? perm[j++] : perm[i++];
    }
    while (i < mid) {
        tmp[k++] = perm[i++];
    }
    while (j < n) {
        tmp[k++] = perm[j++];
    }
    memcpy(perm, tmp, n * sizeof *perm);
}

void sandbox_sorted_keys(lua_State *L, int idx)
{
    idx = lua_absindex(L, idx);
    lua_newtable(L);
    int keys = lua_gettop(L);
    lua_Integer n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_rawseti(L, keys, ++n);
    }
    if (n < 2) {
        return;
    }
    /* The index arrays live in a userdata, so an error cannot leak them. */
    lua_Integer *perm = lua_newuserdatauv(L, 2 * (size_t)n * sizeof *perm, 0);
    lua_Integer *tmp = perm + n;
    for (lua_Integer i = 0; i < n; i++) {
        perm[i] = i + 1;
    }
    merge_sort(L, keys, perm, tmp, (size_t)n);
    lua_createtable(L, (int)n, 0);
    for (lua_Integer i = 0; i < n; i++) {
        lua_rawgeti(L, keys, perm[i]);
        lua_rawseti(L, -2, i + 1);
    }
    lua_replace(L, keys);
    lua_pop(L, 1);
}

/* The iterator of sorted pairs [-2, +2, -]; upvalues: keys, position. */
static int sorted_next(lua_State *L)
{
    lua_Integer i = lua_tointeger(L, lua_upvalueindex(2)) + 1;
    if (lua_rawgeti(L, lua_upvalueindex(1), i) == LUA_TNIL) {
        return 1;
    }
    lua_pushinteger(L, i);
    lua_replace(L, lua_upvalueindex(2));
    lua_pushvalue(L, -1);
    lua_gettable(L, 1);
    return 2;
}

/* The work of sorting n keys, charged: n (1 + log2 n) steps. */
static uint64_t sort_steps(uint64_t n)
{
    uint64_t levels = 1;
    for (uint64_t k = n; k > 1; k >>= 1) {
        levels++;
    }
    return n * levels;
}

/*
 * pairs(t) [-1, +3, e]: __pairs when the value has one, otherwise the keys of
 * t in sorted order (see key_rank), so a pack's loops run the same way on
 * every evaluation.
 */
int sbx_pairs(lua_State *L)
{
    luaL_checkany(L, 1);
    if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
        lua_pushvalue(L, 1);
        lua_call(L, 1, 3);
        return 3;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    sandbox_sorted_keys(L, 1);
    sandbox_charge(L, sort_steps((uint64_t)lua_rawlen(L, -1)));
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, sorted_next, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

/* The registry key of next()'s traversal: { table, its sorted keys, the
   position of the key returned last }. */
static const char key_next_walk = 'w';

/* Pushes the key after position pos of the walk's keys whose value is
   still there, and that value; updates the walk [-0, +2|1, -]. walk is the
   walk table, keys its key array, t the table. */
static int walk_on(lua_State *L, int t, int walk, int keys, lua_Integer pos)
{
    for (lua_Integer i = pos + 1;; i++) {
        if (lua_rawgeti(L, keys, i) == LUA_TNIL) {
            return 1; /* the nil: the end */
        }
        lua_pushvalue(L, -1);
        if (lua_rawget(L, t) != LUA_TNIL) {
            lua_pushinteger(L, i);
            lua_rawseti(L, walk, 3);
            return 2;
        }
        lua_pop(L, 2); /* a key set to nil since: skipped, as next does */
    }
}

/*
 * next(t [, k]) [-2, +2|1, e]: the key after k in the order of pairs, and
 * its value. Raw next() order changes from run to run (string hashes are
 * randomised per state), so a pack's next(t) — the first key, or the usual
 * test of emptiness — would too. next(t) is one pass over t (the smallest
 * key, as pairs orders them). next(t, k) sorts t's keys once per walk and
 * remembers where it is, so `for k, v in next, t` costs what pairs does.
 */
int sbx_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_isnil(L, 2)) {
        uint64_t n = 1;
        lua_pushnil(L); /* 3: the smallest key so far */
        lua_pushnil(L);
        while (lua_next(L, 1)) {
            lua_pop(L, 1);
            n++;
            if (lua_isnil(L, 3) || (key_rank(L, 3) == 3 ? 0 : key_cmp(L, -1, 3) < 0) ||
                (key_rank(L, 3) == 3 && key_rank(L, -1) < 3)) {
                lua_pushvalue(L, -1);
                lua_replace(L, 3);
            }
        }
        sandbox_charge(L, n);
        if (lua_isnil(L, 3)) {
            return 1;
        }
        lua_pushvalue(L, 3);
        lua_rawget(L, 1);
        return 2;
    }
    sandbox_charge(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_next_walk); /* 3 */
    if (lua_type(L, 3) == LUA_TTABLE) {
        lua_rawgeti(L, 3, 1);
        int same = lua_rawequal(L, -1, 1);
        lua_pop(L, 1);
        if (same) {
            lua_rawgeti(L, 3, 2); /* 4: keys */
            lua_rawgeti(L, 3, 3);
            lua_Integer pos = lua_tointeger(L, -1);
            lua_pop(L, 1);
            lua_rawgeti(L, 4, pos);
            int here = lua_rawequal(L, -1, 2);
            lua_pop(L, 1);
            if (here) {
                return walk_on(L, 1, 3, 4, pos);
            }
            lua_pop(L, 1);
        }
    }
    lua_settop(L, 2);
    /* A new walk: the keys in order, and where k is among them. */
    sandbox_sorted_keys(L, 1); /* 3: keys */
    lua_Integer n = (lua_Integer)lua_rawlen(L, 3), pos = 0;
    sandbox_charge(L, sort_steps((uint64_t)n) + (uint64_t)n);
    for (lua_Integer i = 1; i <= n && !pos; i++) {
        lua_rawgeti(L, 3, i);
        pos = lua_rawequal(L, -1, 2) ? i : 0;
        lua_pop(L, 1);
    }
    if (!pos) {
        return luaL_error(L, "invalid key to 'next'");
    }
    lua_createtable(L, 3, 0); /* 4: the walk */
    lua_pushvalue(L, 1);
    lua_rawseti(L, 4, 1);
    lua_pushvalue(L, 3);
    lua_rawseti(L, 4, 2);
    lua_pushinteger(L, pos);
    lua_rawseti(L, 4, 3);
    lua_pushvalue(L, 4);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_next_walk);
    return walk_on(L, 1, 4, 3, pos);
}

/* Writes to a read-only table [-3, +0, e]. */
static int readonly_newindex(lua_State *L)
{
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "'%s' is read-only: rule packs cannot change shared tables",
                      name ? name : "?");
}

/*
 * __pairs of a read-only proxy [-1, +3, m]: the keys of the hidden table in
 * sorted order, like pairs() of a plain table. The iterator's state is the
 * proxy itself (sorted_next reads through its __index); the hidden table is
 * never handed out, or a pack could write to it.
 */
static int readonly_pairs(lua_State *L)
{
    lua_getmetatable(L, 1);
    lua_getfield(L, -1, "__index");
    sandbox_sorted_keys(L, -1);
    lua_pushinteger(L, 0);
    lua_pushcclosure(L, sorted_next, 2);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
    return 3;
}

void sandbox_make_readonly(lua_State *L, const char *name)
{
    int t = lua_gettop(L);
    lua_newuserdatauv(L, 0, 0);
    lua_createtable(L, 0, 5);
    lua_pushvalue(L, t);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, readonly_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushcfunction(L, readonly_pairs);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pushstring(L, name);
    lua_setfield(L, -2, "__name");
    lua_setmetatable(L, -2);
    lua_replace(L, t);
}
