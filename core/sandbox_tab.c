/*
 * sandbox_tab.c — the library functions whose work inside C grows with their
 * arguments, with that work charged to the instruction budget: table.sort,
 * insert, remove, concat, unpack, move and pack; string.byte and char; utf8.char,
 * codepoint, len and offset; tonumber, and the arithmetic on strings ("1e6" + 0).
 *
 * The count hook fires every SBX_HOOK_EVERY instructions and never inside a C
 * function (DESIGN.md), so a loop whose body is one such call - table.sort of
 * a million elements, table.insert(t, 1, v) shifting them - ran a thousand of
 * them between two looks at the clock: a 2 s time limit ended it after a
 * minute. table.sort is a sort of our own (below: Lua's is not the same from
 * run to run). Each other wrapper here runs Lua's own function in its own call frame
 * (same arguments, results and error messages, names included) and charges
 * what it does with sandbox_charge(), so the instruction and wall-time
 * limits end such a loop one call after they are reached. The table
 * functions whose work the arguments tell in advance (sort, insert, remove,
 * concat, move) are charged before they run: table.move({}, 1, 1e12, 2)
 * allocates nothing and would run for hours, so charging afterwards never
 * came. Their length is the one the library uses, __len included.
 *
 * A step is about one VM instruction: one per element sorted per level
 * (n (1 + log2 n)), moved, shifted, packed or returned, one per
 * BYTES_PER_STEP bytes of a concatenated result, one per 16 bytes of UTF-8
 * scanned or of a number parsed.
 */
#include "sandbox.h"

#include <lauxlib.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "sandboxInt.h"

/* Runs the original function (the wrapper's upvalue) on this frame's
   arguments; returns its number of results, left on the stack. */
static int run_original(lua_State *L)
{
    lua_CFunction f = lua_tocfunction(L, lua_upvalueindex(1));
    return f(L);
}

/* The length the table library reads (luaL_len: __len included) of the
   table at idx, 0 for anything else (the library then raises). */
static uint64_t lib_len(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE) {
        return 0;
    }
    if (!lua_getmetatable(L, idx)) {
        return (uint64_t)lua_rawlen(L, idx);
    }
    lua_pop(L, 1);
    lua_Integer n = luaL_len(L, idx);
    return n > 0 ? (uint64_t)n : 0;
}

/* a * b, saturated. */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

/* The integer at idx (as the library would read it), or def when absent or
   not an integer. */
static lua_Integer opt_int(lua_State *L, int idx, lua_Integer def)
{
    int isnum = 0;
    lua_Integer v = lua_tointegerx(L, idx, &isnum);
    return isnum ? v : def;
}

/* Elements from a to b inclusive, 0 when b < a; saturated (mininteger to
   maxinteger is 2^64, which would wrap to 0 and go uncharged). */
static uint64_t span(lua_Integer a, lua_Integer b)
{
    if (b < a) {
        return 0;
    }
    uint64_t d = (uint64_t)b - (uint64_t)a;
    return d == UINT64_MAX ? UINT64_MAX : d + 1;
}

/* A string position as utf8 reads it (negative: from the end), clipped to 0. */
static lua_Integer str_pos(lua_Integer pos, size_t len)
{
    if (pos >= 0) {
        return pos;
    }
    return (size_t)-pos > len ? 0 : (lua_Integer)len + pos + 1;
}

/* 1 when vals[a] sorts before vals[b]: comp(vals[a], vals[b]) when the sort
   was given one (at index 2), else vals[a] < vals[b] (__lt included). */
static int sort_less(lua_State *L, int vals, lua_Integer a, lua_Integer b)
{
    int has_comp = !lua_isnil(L, 2);
    if (has_comp) {
        lua_pushvalue(L, 2);
    }
    lua_rawgeti(L, vals, a);
    lua_rawgeti(L, vals, b);
    if (has_comp) {
        lua_call(L, 2, 1);
        int less = lua_toboolean(L, -1);
        lua_pop(L, 1);
        return less;
    }
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
        /* two strings are compared in C, byte by byte */
        size_t a_len = lua_rawlen(L, -2), b_len = lua_rawlen(L, -1);
        sandbox_charge(L, 1 + (a_len < b_len ? a_len : b_len) / 16);
    }
    int less = lua_compare(L, -2, -1, LUA_OPLT);
    lua_pop(L, 2);
    return less;
}

/* Stable merge sort of perm[0..n), positions in vals. */
static void sort_merge(lua_State *L, int vals, lua_Integer *perm, lua_Integer *tmp, size_t n)
{
    if (n < 2) {
        return;
    }
    size_t mid = n / 2, i = 0, j = mid, k = 0;
    sort_merge(L, vals, perm, tmp, mid);
    sort_merge(L, vals, perm + mid, tmp, n - mid);
    while (i < mid && j < n) {
        /* the right one first only when strictly before: equal ones keep
           their order */
        tmp[k++] = sort_less(L, vals, perm[j], perm[i]) ? perm[j++] : perm[i++];
    }
    while (i < mid) {
        tmp[k++] = perm[i++];
    }
    while (j < n) {
        tmp[k++] = perm[j++];
    }
    memcpy(perm, tmp, n * sizeof *perm);
}

/*
 * table.sort(t [, comp]), charged as it runs and in a fixed order: Lua's own
 * picks a random pivot for arrays of over 100 (from clock() and time()), so
 * elements that compare equal came out in another order on each run, and a
 * listing made from them with it. This one is a stable merge sort: equal
 * elements keep the order they had. Its arguments and errors are Lua's.
 */
static int t_sort(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_Integer n = luaL_len(L, 1);
    uint64_t levels = 1;
    for (uint64_t k = n > 0 ? (uint64_t)n : 0; k > 1; k >>= 1) {
        levels++;
    }
    sandbox_charge(L, mul_sat(n > 0 ? (uint64_t)n : 0, levels)); /* first: __len may lie */
    if (n > 1) {
        luaL_argcheck(L, n < INT_MAX, 1, "array too big");
        if (!lua_isnoneornil(L, 2)) {
            luaL_checktype(L, 2, LUA_TFUNCTION);
        }
    }
    lua_settop(L, 2);
    if (n < 2) {
        return 0;
    }
    lua_createtable(L, (int)n, 0); /* 3: the values, read once */
    for (lua_Integer i = 1; i <= n; i++) {
        lua_geti(L, 1, i);
        lua_rawseti(L, 3, i);
    }
    /* in a userdata, so that an error in comp cannot leak them */
    lua_Integer *perm = lua_newuserdatauv(L, 2 * (size_t)n * sizeof *perm, 0);
    for (lua_Integer i = 0; i < n; i++) {
        perm[i] = i + 1;
    }
    sort_merge(L, 3, perm, perm + n, (size_t)n);
    for (lua_Integer i = 0; i < n; i++) {
        lua_rawgeti(L, 3, perm[i]);
        lua_seti(L, 1, i + 1);
    }
    return 0;
}

/* table.insert(t, [pos,] v): an insert at pos shifts the elements after it. */
static int t_insert(lua_State *L)
{
    uint64_t steps = 1;
    if (lua_gettop(L) >= 3) {
        uint64_t n = lib_len(L, 1);
        lua_Integer pos = opt_int(L, 2, 0);
        if (pos >= 1 && (uint64_t)pos <= n) {
            steps += n - (uint64_t)pos + 1;
        }
    }
    sandbox_charge(L, steps);
    return run_original(L);
}

static int t_remove(lua_State *L)
{
    uint64_t n = lib_len(L, 1), steps = 1;
    lua_Integer pos = opt_int(L, 2, (lua_Integer)n);
    if (pos >= 1 && (uint64_t)pos < n) {
        steps += n - (uint64_t)pos;
    }
    sandbox_charge(L, steps);
    return run_original(L);
}

/* table.concat(t [, sep [, i [, j]]]): every element from i to j is read;
   the result is copied once more. */
static int t_concat(lua_State *L)
{
    lua_Integer i = opt_int(L, 3, 1);
    lua_Integer j = lua_isnoneornil(L, 4) ? (lua_Integer)lib_len(L, 1) : opt_int(L, 4, 0);
    sandbox_charge(L, span(i, j));
    int r = run_original(L);
    sandbox_charge(L, lua_rawlen(L, -1) / BYTES_PER_STEP);
    return r;
}

/* table.move(a1, f, e, t [, a2]): e - f + 1 elements are moved. */
static int t_move(lua_State *L)
{
    sandbox_charge(L, span(opt_int(L, 2, 1), opt_int(L, 3, 0)));
    return run_original(L);
}

/* Charges one step per argument (table.pack, string.char, utf8.char). */
static int per_argument(lua_State *L)
{
    uint64_t steps = (uint64_t)lua_gettop(L) + 1;
    int r = run_original(L);
    sandbox_charge(L, steps);
    return r;
}

/* Charges one step per result (table.unpack, string.byte, utf8.codepoint). */
static int per_result(lua_State *L)
{
    int r = run_original(L);
    sandbox_charge(L, (uint64_t)r + 1);
    return r;
}

/* utf8.len(s [, i [, j [, lax]]]): the bytes from i to j are decoded. */
static int u_len(lua_State *L)
{
    size_t len = 0;
    if (lua_type(L, 1) == LUA_TSTRING) {
        lua_tolstring(L, 1, &len);
    }
    uint64_t bytes =
        span(str_pos(opt_int(L, 2, 1), len), str_pos(opt_int(L, 3, -1), len));
    int r = run_original(L);
    sandbox_charge(L, 1 + bytes / 16);
    return r;
}

/* utf8.offset(s, n [, i]): moves over at most |n| characters of s. */
static int u_offset(lua_State *L)
{
    size_t len = 0;
    if (lua_type(L, 1) == LUA_TSTRING) {
        lua_tolstring(L, 1, &len);
    }
    lua_Integer n = opt_int(L, 2, 0);
    uint64_t chars = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    int r = run_original(L);
    sandbox_charge(L, 1 + (chars < len ? chars : len));
    return r;
}

/* A function whose arguments may be strings Lua converts to numbers in C,
   scanning each to its end: tonumber(s), math.floor(s), select(s, …), and a
   string's arithmetic metamethods (Lua 5.4 converts an operand there). */
static int per_string_argument(lua_State *L)
{
    uint64_t bytes = 0;
    for (int i = 1; i <= lua_gettop(L); i++) {
        bytes += lua_type(L, i) == LUA_TSTRING ? (uint64_t)lua_rawlen(L, i) : 0;
    }
    sandbox_charge(L, 1 + bytes / 16);
    return run_original(L);
}

/* (sandboxInt.h) */
void sandbox_open_str_arith(lua_State *L, int mt)
{
    static const char *const ops[] = {"__add", "__sub", "__mul", "__mod", "__pow",
                                      "__div", "__idiv", "__unm", NULL};
    mt = lua_absindex(L, mt);
    for (const char *const *op = ops; *op; op++) {
        sandbox_wrap_field(L, mt, *op, per_string_argument);
    }
}

/* (sandboxInt.h) */
void sandbox_wrap_field(lua_State *L, int idx, const char *name, lua_CFunction wrapper)
{
    lua_getfield(L, idx, name);
    lua_CFunction f = lua_tocfunction(L, -1);
    lua_pop(L, 1);
    if (f) {
        lua_pushcfunction(L, f);
        lua_pushcclosure(L, wrapper, 1);
        lua_setfield(L, idx, name);
    }
}

void sandbox_open_tab(lua_State *L, int table, int str, int utf8, int env)
{
    table = lua_absindex(L, table);
    str = lua_absindex(L, str);
    utf8 = lua_absindex(L, utf8);
    env = lua_absindex(L, env);
    sandbox_wrap_field(L, table, "sort", t_sort);
    sandbox_wrap_field(L, table, "insert", t_insert);
    sandbox_wrap_field(L, table, "remove", t_remove);
    sandbox_wrap_field(L, table, "concat", t_concat);
    sandbox_wrap_field(L, table, "move", t_move);
    sandbox_wrap_field(L, table, "pack", per_argument);
    sandbox_wrap_field(L, table, "unpack", per_result);
    sandbox_wrap_field(L, str, "byte", per_result);
    sandbox_wrap_field(L, str, "char", per_argument);
    sandbox_wrap_field(L, utf8, "char", per_argument);
    sandbox_wrap_field(L, utf8, "codepoint", per_result);
    sandbox_wrap_field(L, utf8, "len", u_len);
    sandbox_wrap_field(L, utf8, "offset", u_offset);
    sandbox_wrap_field(L, env, "tonumber", per_string_argument);
    sandbox_wrap_field(L, env, "select", per_string_argument);
    if (lua_getfield(L, env, "math") == LUA_TTABLE) {
        int math = lua_gettop(L);
        sandbox_sorted_keys(L, math);
        for (lua_Integer k = 1, n = (lua_Integer)lua_rawlen(L, -1); k <= n; k++) {
            lua_rawgeti(L, -1, k);
            const char *name = lua_tostring(L, -1);
            /* not one with upvalues (random and randomseed keep their state
               there): run_original runs it in the wrapper's frame */
            if (name && lua_getfield(L, math, name) == LUA_TFUNCTION &&
                lua_iscfunction(L, -1) && !lua_getupvalue(L, -1, 1)) {
                lua_pop(L, 1);
                sandbox_wrap_field(L, math, name, per_string_argument);
            } else {
                lua_settop(L, math + 2);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}
