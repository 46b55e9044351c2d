/*
 * sandbox_fixed.c — the library functions whose answer depends on when,
 * where or in which process a pack runs, made to give the same answer
 * everywhere (same data and pack, same bytes out):
 *
 *   - os.time() and os.date() without a time read the clock, and os.clock()
 *     the processor's: they raise, naming what to write instead. With a time
 *     they compute in UTC, whatever the machine's time zone (os.date as if
 *     its format began with '!'; os.time of a date table as timegm).
 *   - tostring() of a table, function, coroutine or userdata without
 *     __tostring gives its type ("table"), not "table: 0x55d1…", an address
 *     that changes from run to run; so does string.format's %s. %p, which
 *     prints nothing but an address, is refused.
 *
 * Stack effects follow the Lua manual's [-o, +p, x] notation.
 */
#include "sandbox.h"

#include <lauxlib.h>
#include <string.h>
#include <time.h>

#include "sandboxInt.h"

static int no_clock(lua_State *L, const char *what, const char *instead)
{
    return luaL_error(L,
                      "%s reads the clock: a pack's result must not depend on when it runs; "
                      "%s",
                      what, instead);
}

/* A field of a date table, as os.time reads it; def < 0: required. */
static int date_field(lua_State *L, const char *key, int def)
{
    int isnum;
    int t = lua_getfield(L, 1, key);
    lua_Integer v = lua_tointegerx(L, -1, &isnum);
    lua_pop(L, 1);
    if (!isnum) {
        if (t != LUA_TNIL) {
            return luaL_error(L, "field '%s' is not an integer", key);
        }
        if (def < 0) {
            return luaL_error(L, "field '%s' missing in date table", key);
        }
        return def;
    }
    if (v < -100000 || v > 100000) {
        return luaL_error(L, "field '%s' is out-of-bound", key);
    }
    return (int)v;
}

/* os.time(t) [-1, +1, e]: the date table's time in UTC. */
static int fixed_time(lua_State *L)
{
    if (lua_isnoneornil(L, 1)) {
        return no_clock(L, "os.time()", "give a date: os.time{year = 2023, month = 9, day = 1}");
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    struct tm tm = {0};
    tm.tm_year = date_field(L, "year", -1) - 1900;
    tm.tm_mon = date_field(L, "month", -1) - 1;
    tm.tm_mday = date_field(L, "day", -1);
    tm.tm_hour = date_field(L, "hour", 12);
    tm.tm_min = date_field(L, "min", 0);
    tm.tm_sec = date_field(L, "sec", 0);
    time_t t = timegm(&tm);
    if (t == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31)) {
        return luaL_error(L, "time result cannot be represented in this installation");
    }
    lua_pushinteger(L, (lua_Integer)t);
    return 1;
}

/* os.date(format, t) [-2, +1, e]: in UTC; upvalue 1 is Lua's os.date. */
static int fixed_date(lua_State *L)
{
    if (lua_isnoneornil(L, 2)) {
        return no_clock(L, "os.date() without a time",
                        "give one: os.date('%d.%m.%Y', os.time{year = 2023, month = 9, "
                        "day = 1})");
    }
    size_t len;
    const char *fmt = luaL_optlstring(L, 1, "%c", &len);
    lua_pushvalue(L, lua_upvalueindex(1));
    if (fmt[0] == '!') {
        lua_pushvalue(L, 1);
    } else {
        lua_pushliteral(L, "!");
        lua_pushlstring(L, fmt, len);
        lua_concat(L, 2);
    }
    lua_pushvalue(L, 2);
    lua_call(L, 2, 1);
    return 1;
}

static int fixed_clock(lua_State *L)
{
    return no_clock(L, "os.clock()", "the limits (--time-limit) measure time for it");
}

/* See sandboxInt.h. */
int sandbox_push_addressless(lua_State *L, int idx)
{
    int t = lua_type(L, idx);
    if (t != LUA_TTABLE && t != LUA_TFUNCTION && t != LUA_TTHREAD && t != LUA_TUSERDATA &&
        t != LUA_TLIGHTUSERDATA) {
        return 0;
    }
    if (luaL_getmetafield(L, idx, "__tostring") != LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    int name = luaL_getmetafield(L, idx, "__name");
    if (name == LUA_TSTRING) {
        return 1;
    }
    if (name != LUA_TNIL) {
        lua_pop(L, 1);
    }
    lua_pushstring(L, lua_typename(L, t));
    return 1;
}

/* tostring(v) [-1, +1, e]; upvalue 1 is Lua's tostring. */
static int fixed_tostring(lua_State *L)
{
    luaL_checkany(L, 1);
    if (sandbox_push_addressless(L, 1)) {
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 1);
    lua_call(L, 1, 1);
    return 1;
}

/* string.format(fmt, ...) [-(n+1), +1, e]; upvalue 1 is Lua's format. Each
   %s argument that would print an address is replaced by its type first. */
static int fixed_format(lua_State *L)
{
    size_t len;
    const char *fmt = luaL_checklstring(L, 1, &len), *end = fmt + len;
    int arg = 1;
    for (const char *p = fmt; p < end; p++) {
        if (*p != '%') {
            continue;
        }
        if (++p < end && *p == '%') {
            continue;
        }
        while (p < end && strchr("-+ #0123456789.", *p)) {
            p++;
        }
        if (p == end) {
            break; /* Lua's format reports the bad conversion */
        }
        arg++;
        if (*p == 'p') {
            return luaL_error(L, "string.format: '%%p' prints an address, which changes from "
                                 "run to run");
        }
        if (*p == 's' && arg <= lua_gettop(L) && sandbox_push_addressless(L, arg)) {
            lua_replace(L, arg);
        }
    }
    int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, n, 1);
    return 1;
}

void sandbox_open_fixed(lua_State *L, int env, int str, int os)
{
    env = lua_absindex(L, env);
    str = lua_absindex(L, str);
    os = lua_absindex(L, os);
    sandbox_wrap_field(L, env, "tostring", fixed_tostring);
    sandbox_wrap_field(L, str, "format", fixed_format);
    sandbox_wrap_field(L, os, "date", fixed_date);
    lua_pushcfunction(L, fixed_time);
    lua_setfield(L, os, "time");
    lua_pushcfunction(L, fixed_clock);
    lua_setfield(L, os, "clock");
}
