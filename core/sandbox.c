/*
 * sandbox.c — the Lua state a rule pack runs in: allow-listed libraries, a
 * memory cap in the allocator, an instruction and wall-time budget in a count
 * hook, strict globals, read-only shared tables, text-only loading, a
 * `require` limited to the rules library, and a protected-call wrapper whose
 * message handler adds a traceback.
 *
 * Facts about Lua 5.4.4 that shape this file (measured, see DESIGN.md):
 *  - a count hook fires only between VM instructions, so C functions that can
 *    run long charge their own work (sandbox_str.c);
 *  - __gc finalizers run with hooks off, so setmetatable refuses __gc;
 *  - a hook that raises once is swallowed by a pcall loop, so a tripped limit
 *    raises on every instruction from then on;
 *  - a memory error (LUA_ERRMEM) skips the message handler; so the allocator
 *    lets a small overshoot through when the cap is first reached and the hook
 *    raises an ordinary error, with a traceback, on the next instructions.
 */
#include "sandbox.h"

#include <errno.h>
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sha2.h>

#include "sandboxInt.h"

#define LOG_CAP (64 * 1024)

/* Registry keys (addresses are unique). */
static const char key_env = 'e';
static const char key_loaded = 'l';
static const char key_load = 'L';
static const char key_randomseed = 'r';
static const char insufficient_signal = 'i';

void shnor_limits_default(shnor_limits *limits)
{
    limits->memory = (size_t)256 << 20;
    limits->instructions = 2000000000ULL;
    limits->seconds = 120;
}

int shnor_parse_size(const char *text, size_t *out, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    double v = text ? strtod(text, &end) : 0;
    double mult = 1;
    if (text && end != text && errno == 0 && v > 0) {
        switch (*end) {
        case 'k':
        case 'K':
            mult = 1024.0, end++;
            break;
        case 'm':
        case 'M':
            mult = 1024.0 * 1024, end++;
            break;
        case 'g':
        case 'G':
            mult = 1024.0 * 1024 * 1024, end++;
            break;
        default:
            break;
        }
        if (mult > 1 && (*end == 'i' || *end == 'I')) {
            end++;
        }
        if (mult > 1 && (*end == 'b' || *end == 'B')) {
            end++;
        }
        double bytes = v * mult;
        if (*end == '\0' && bytes >= 65536 && bytes <= (double)((size_t)1 << 40)) {
            *out = (size_t)bytes;
            return SHNOR_OK;
        }
    }
    if (err && errlen) {
        snprintf(err, errlen,
                 "'%s' is not a memory size; expected a number of bytes or with K, M or G "
                 "(e.g. 256M), at least 64K",
                 text ? text : "");
    }
    return SHNOR_INPUT;
}

/* ------------------------------------------------------------ accounting */

static void note_where(lua_State *L, sandbox *sb);

/* Room kept past the cap for raising and reporting the limit error. */
static size_t margin(const sandbox *sb)
{
    return ((size_t)1 << 20) + sb->limits.memory / 16;
}

static void *sbx_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sb->mem_used -= old;
        return NULL;
    }
    if (nsize > old) {
        size_t grow = nsize - old;
        if (sb->mem_used + grow > sb->limits.memory) {
            /* First time over the cap: note it and where (a refused block
               ends in LUA_ERRMEM, which has no message handler to ask), and
               let a small overshoot through so the hook can raise a proper
               error with a traceback. Reading the call stack allocates
               nothing. */
            if (sb->tripped == SBX_OK) {
                sb->tripped = SBX_LIMIT_MEMORY;
                if (sb->L) {
                    note_where(sb->L, sb);
                }
            }
            if (sb->mem_used + grow > sb->limits.memory + margin(sb)) {
                return NULL;
            }
        }
    }
    void *p = realloc(ptr, nsize);
    if (!p) {
        return NULL;
    }
    sb->mem_used = sb->mem_used - old + nsize;
    if (sb->mem_used > sb->mem_peak) {
        sb->mem_peak = sb->mem_used;
    }
    return p;
}

sandbox *sandbox_of(lua_State *L)
{
    void *ud = NULL;
    lua_Alloc f = lua_getallocf(L, &ud);
    return f == sbx_alloc ? ud : NULL;
}

static double elapsed(const sandbox *sb)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - sb->started.tv_sec) +
           (double)(now.tv_nsec - sb->started.tv_nsec) / 1e9;
}

void sandbox_limit_text(const sandbox *sb, char *buf, size_t len)
{
    switch (sb->tripped) {
    case SBX_LIMIT_MEMORY:
        if (sb->limits.memory % (1 << 20) == 0) {
            snprintf(buf, len, "memory limit of %zuM", sb->limits.memory >> 20);
        } else {
            snprintf(buf, len, "memory limit of %zu bytes", sb->limits.memory);
        }
        break;
    case SBX_LIMIT_INSTRUCTIONS:
        snprintf(buf, len, "instruction limit of %llu",
                 (unsigned long long)sb->limits.instructions);
        break;
    case SBX_LIMIT_TIME:
        snprintf(buf, len, "time limit of %g s", sb->limits.seconds);
        break;
    default:
        snprintf(buf, len, "no limit");
        break;
    }
}

static void sbx_hook(lua_State *L, lua_Debug *ar);

/* Records where in pack code the running thread is ("rules/x.lua:42"). */
static void note_where(lua_State *L, sandbox *sb)
{
    lua_Debug ar;
    for (int level = 0; lua_getstack(L, level, &ar); level++) {
        if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
            snprintf(sb->trip_where, sizeof sb->trip_where, "%s:%d", ar.short_src,
                     ar.currentline);
            return;
        }
    }
}

/* Pushes the message of the tripped limit, "rules/x.lua:42: memory limit of
   256M reached" [-0, +1, m]. */
static const char *push_limit_message(lua_State *L, sandbox *sb)
{
    char what[96];
    sandbox_limit_text(sb, what, sizeof what);
    if (!sb->trip_where[0]) {
        note_where(L, sb);
    }
    if (sb->trip_where[0]) {
        return lua_pushfstring(L, "%s: %s reached", sb->trip_where, what);
    }
    return lua_pushfstring(L, "%s reached", what);
}

/* Raises the error of the tripped limit; never returns. */
static int raise_limit(lua_State *L, sandbox *sb)
{
    /* Once tripped, every instruction of this thread comes back here. */
    lua_sethook(L, sbx_hook, LUA_MASKCOUNT, 1);
    /* Not luaL_error: its position is the caller of the running function
       (from a hook) or of the C function that charged, not where the limit
       was reached, and it would come before trip_where. */
    push_limit_message(L, sb);
    return lua_error(L);
}

static void sbx_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    sandbox *sb = sandbox_of(L);
    if (!sb) {
        return;
    }
    if (sb->tripped == SBX_OK) {
        sb->instr_used += SBX_HOOK_EVERY;
        if (sb->instr_used > sb->limits.instructions) {
            sb->tripped = SBX_LIMIT_INSTRUCTIONS;
        } else if (elapsed(sb) > sb->limits.seconds) {
            sb->tripped = SBX_LIMIT_TIME;
        } else {
            return;
        }
    }
    raise_limit(L, sb);
}

void sandbox_charge(lua_State *L, uint64_t steps)
{
    sandbox *sb = sandbox_of(L);
    if (!sb) {
        return;
    }
    if (sb->tripped == SBX_OK) {
        sb->instr_used += steps;
        if (sb->instr_used > sb->limits.instructions) {
            sb->tripped = SBX_LIMIT_INSTRUCTIONS;
        } else if (elapsed(sb) > sb->limits.seconds) {
            sb->tripped = SBX_LIMIT_TIME;
        } else {
            return;
        }
    }
    raise_limit(L, sb);
}

/* ------------------------------------------------------- protected calls */

int sandbox_has_position(const char *msg)
{
    for (const char *p = msg; *p && *p != ' ' && *p != '\n'; p++) {
        if (p[0] == ':' && p[1] >= '0' && p[1] <= '9') {
            const char *q = p + 1;
            while (*q >= '0' && *q <= '9') {
                q++;
            }
            if (*q == ':') {
                return 1;
            }
        }
    }
    return 0;
}

/*
 * Message handler [-1, +1, m]: turns the error object into "message +
 * traceback" without ever calling a pack's __tostring (which could loop or
 * fail again); the insufficient-data signal passes through untouched, unless
 * a limit tripped: then any error is the limit's message. A message without
 * a position (errors raised by C code, such as "C stack overflow", an error
 * object that is not a string, error(msg, 0)) gets the position of the
 * innermost Lua function, so every message names file:line.
 */
static int msgh(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    if (sandbox_is_insufficient(L, 1) && !(sb && sb->tripped)) {
        return 1;
    }
    const char *msg;
    if (sb && sb->tripped) {
        /* Whatever the pack raised after a limit (a caught "not enough
           memory" raised again, say), the limit is the reason. */
        msg = push_limit_message(L, sb);
    } else if (lua_type(L, 1) == LUA_TSTRING) {
        msg = lua_tostring(L, 1);
    } else if (lua_type(L, 1) == LUA_TNUMBER) {
        msg = lua_tostring(L, 1); /* converts in place; it is our copy */
    } else {
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    if (!sandbox_has_position(msg)) {
        lua_Debug ar;
        for (int level = 1; lua_getstack(L, level, &ar); level++) {
            if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
                msg = lua_pushfstring(L, "%s:%d: %s", ar.short_src, ar.currentline, msg);
                break;
            }
        }
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

/* Pushes the message of a failed call that ran no message handler
   [-0, +1, m]: the limit, or Lua's own words for a memory error. */
static int push_memory_message(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    if (sb && sb->tripped) {
        push_limit_message(L, sb);
    } else {
        lua_pushliteral(L, "not enough memory");
    }
    return 1;
}

/*
 * Pushes push_memory_message's message [-0, +1, -]. The state may be at its
 * cap, so it is made in a protected call after a collection; should even
 * that fail, Lua's preallocated "not enough memory" is what is pushed.
 */
static void push_unhandled_message(lua_State *L)
{
    lua_gc(L, LUA_GCCOLLECT, 0);
    lua_pushcfunction(L, push_memory_message);
    lua_pcall(L, 0, 1, 0);
}

int sandbox_pcall(sandbox *sb, int nargs, int nresults)
{
    lua_State *L = sb->L;
    int base = lua_gettop(L) - nargs;
    lua_pushcfunction(L, msgh);
    lua_insert(L, base);
    int rc = lua_pcall(L, nargs, nresults, base);
    lua_remove(L, base);
    if (rc == LUA_OK && sb->tripped) {
        /* The call tripped a limit and returned before the hook raised it
           (a caught memory error, say): it did not succeed. */
        lua_settop(L, base - 1);
        rc = LUA_ERRRUN;
        push_unhandled_message(L);
    } else if (rc == LUA_ERRMEM) {
        /* No handler ran: say which limit and where. */
        lua_pop(L, 1);
        push_unhandled_message(L);
    }
    return rc;
}

int sandbox_is_insufficient(lua_State *L, int idx)
{
    return lua_type(L, idx) == LUA_TLIGHTUSERDATA &&
           lua_touserdata(L, idx) == (void *)&insufficient_signal;
}

int sandbox_raise_insufficient(lua_State *L, const char *reason)
{
    sandbox *sb = sandbox_of(L);
    if (sb) {
        snprintf(sb->insufficient_reason, sizeof sb->insufficient_reason, "%s",
                 reason ? reason : "");
        sb->insufficient_where[0] = '\0';
        lua_Debug ar;
        for (int level = 1; lua_getstack(L, level, &ar); level++) {
            if (lua_getinfo(L, "Sl", &ar) && ar.currentline > 0) {
                snprintf(sb->insufficient_where, sizeof sb->insufficient_where, "%s:%d",
                         ar.short_src, ar.currentline);
                break;
            }
        }
    }
    lua_pushlightuserdata(L, (void *)&insufficient_signal);
    return lua_error(L);
}

/* ------------------------------------------------------------ the library */

/*
 * print(...) [-n, +0, e]: into the capped log, never to stdout. Every
 * argument is converted first (its __tostring is pack code, and may raise),
 * then the line is appended only if it fits, so no C memory is held across a
 * Lua call and an argument list of any size costs no memory outside the cap.
 * The work is charged: one step per argument and per BYTES_PER_STEP bytes.
 */
static int sbx_print(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    int n = lua_gettop(L);
    size_t total = n > 0 ? (size_t)n - 1 : 0; /* the tabs */
    for (int i = 1; i <= n; i++) {
        size_t len;
        luaL_tolstring(L, i, &len);
        lua_replace(L, i);
        total += len;
    }
    if (sb) {
        if (sb->log.len + total + 1 <= LOG_CAP) {
            for (int i = 1; i <= n; i++) {
                size_t len;
                const char *s = lua_tolstring(L, i, &len);
                if (i > 1) {
                    sb_putc(&sb->log, '\t');
                }
                sb_append(&sb->log, s, len);
            }
            sb_putc(&sb->log, '\n');
        } else {
            sb->log_dropped++;
        }
    }
    sandbox_charge(L, (uint64_t)n + total / BYTES_PER_STEP);
    return 0;
}

/* setmetatable(t, mt) [-2, +1, e]: refuses __gc, which would run with hooks off. */
static int sbx_setmetatable(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_getfield(L, 2, "__gc");
        int has_gc = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (has_gc) {
            return luaL_error(L, "__gc metamethods are not allowed in rule packs");
        }
    } else {
        luaL_argexpected(L, lua_isnil(L, 2), 2, "nil or table");
    }
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) {
        return luaL_error(L, "cannot change a protected metatable");
    }
    lua_settop(L, 2);
    lua_setmetatable(L, 1);
    return 1;
}

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
        return lua_compare(L, a, b, LUA_OPLT) ? -1 : lua_compare(L, b, a, LUA_OPLT) ? 1 : 0;
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
static void merge_sort(lua_State *L, int keys, lua_Integer *perm, lua_Integer *tmp, size_t n)
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
static int sbx_pairs(lua_State *L)
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

/* collectgarbage("count") [-1, +1, e]: the only option a pack may use. */
static int sbx_collectgarbage(lua_State *L)
{
    const char *opt = luaL_optstring(L, 1, "collect");
    if (strcmp(opt, "count") != 0) {
        return luaL_error(L, "collectgarbage('%s') is not allowed in rule packs; only "
                             "'count' is",
                          opt);
    }
    int kb = lua_gc(L, LUA_GCCOUNT, 0), b = lua_gc(L, LUA_GCCOUNTB, 0);
    lua_pushnumber(L, (lua_Number)kb + (lua_Number)b / 1024);
    return 1;
}

/* load(chunk [, name [, mode [, env]]]) [-?, +2, e]: text only, pack env by default. */
static int sbx_load(lua_State *L)
{
    if (lua_type(L, 1) == LUA_TSTRING) {
        sandbox_charge(L, 1 + lua_rawlen(L, 1)); /* parsing: a step per byte */
    }
    const char *mode = luaL_optstring(L, 3, "t");
    if (strchr(mode, 'b')) {
        return luaL_error(L, "binary chunks are not allowed in rule packs");
    }
    int has_env = !lua_isnone(L, 4);
    lua_settop(L, 4);
    lua_pushliteral(L, "t");
    lua_replace(L, 3);
    if (!has_env) {
        lua_rawgetp(L, LUA_REGISTRYINDEX, &key_env);
        lua_replace(L, 4);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_load);
    lua_insert(L, 1);
    lua_call(L, 4, LUA_MULTRET);
    return lua_gettop(L);
}

/* math.randomseed(n) [-1, +0, e]: deterministic seeds only. */
static int sbx_randomseed(lua_State *L)
{
    luaL_checkinteger(L, 1);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_randomseed);
    lua_pushvalue(L, 1);
    lua_call(L, 1, 0);
    return 0;
}

/* The undefined-global trap [-2, +0, e]. */
static int strict_index(lua_State *L)
{
    const char *name = lua_tostring(L, 2);
    return luaL_error(L, "undefined global '%s' (a misspelt name?)", name ? name : "?");
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

void sandbox_set_readonly_global(sandbox *sb, const char *name)
{
    lua_State *L = sb->L;
    sandbox_make_readonly(L, name);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_env);
    lua_insert(L, -2);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

void sandbox_push_env(sandbox *sb)
{
    lua_rawgetp(sb->L, LUA_REGISTRYINDEX, &key_env);
}

int sandbox_load(sandbox *sb, const char *text, size_t len, const char *chunkname)
{
    lua_State *L = sb->L;
    int rc = luaL_loadbufferx(L, text, len, chunkname, "t");
    if (rc != LUA_OK) {
        return rc;
    }
    sandbox_push_env(sb);
    lua_setupvalue(L, -2, 1);
    return LUA_OK;
}

/* A module name maps to lib_dir/name.lua: letters, digits and '_' only. */
static int module_name_ok(const char *s)
{
    if (!*s || strlen(s) > 64) {
        return 0;
    }
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_')) {
            return 0;
        }
    }
    return 1;
}

static char *read_text_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        sb_append(&sb, buf, n);
    }
    int bad = ferror(f);
    fclose(f);
    if (bad || sb_failed(&sb)) {
        sb_free(&sb);
        return NULL;
    }
    *len = sb.len;
    return sb_detach(&sb);
}

/* A copy of the stored module `name` (caller frees), NULL when absent. */
static char *stored_module(const sandbox *sb, const char *name, size_t *len)
{
    const char *p = sb->stored_modules, *end = p + sb->stored_len;
    while (p < end) {
        const char *text = p + strlen(p) + 1;
        if (text >= end) {
            break;
        }
        size_t n = strlen(text);
        if (strcmp(p, name) == 0) {
            char *copy = malloc(n + 1);
            if (copy) {
                memcpy(copy, text, n + 1);
                *len = n;
            }
            return copy;
        }
        p = text + n + 1;
    }
    return NULL;
}

/*
 * require(name) [-1, +1, e]: loads rules/lib/name.lua (text only) into this
 * sandbox once, records its SHA-256 and text for the run record, and returns
 * what the module returned (true when nothing).
 */
static int sbx_require(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    const char *name = luaL_checkstring(L, 1);
    if (!sb || (!sb->lib_dir && !sb->stored_modules)) {
        return luaL_error(L, "require('%s'): no rules library directory", name);
    }
    if (!module_name_ok(name)) {
        return luaL_error(L, "require('%s'): a module name is letters, digits and '_' "
                             "(the file rules/lib/NAME.lua)",
                          name);
    }
    lua_rawgetp(L, LUA_REGISTRYINDEX, &key_loaded);
    int loaded = lua_gettop(L);
    if (lua_getfield(L, loaded, name) != LUA_TNIL) {
        if (lua_type(L, -1) == LUA_TLIGHTUSERDATA) {
            return luaL_error(L, "require('%s'): circular require", name);
        }
        return 1;
    }
    lua_pop(L, 1);
    strbuf path = STRBUF_INIT;
    sb_printf(&path, "%s/%s.lua", sb->lib_dir ? sb->lib_dir : "lib", name);
    size_t len = 0;
    char *text = sb->stored_modules ? stored_module(sb, name, &len)
                                    : read_text_file(path.data, &len);
    if (!text && sb->stored_modules) {
        sb_free(&path);
        return luaL_error(L, "require('%s'): the run kept no module of that name", name);
    }
    if (!text) {
        lua_pushfstring(L, "require('%s'): cannot read %s: %s", name, path.data, strerror(errno));
        sb_free(&path);
        return lua_error(L);
    }
    char digest[SHA256_DIGEST_STRING_LENGTH];
    SHA256Data((const uint8_t *)text, len, digest);
    sb_printf(&sb->modules, "%s\t%s\n", name, digest);
    sb_puts(&sb->module_texts, name);
    sb_putc(&sb->module_texts, '\0');
    sb_append(&sb->module_texts, text, len);
    sb_putc(&sb->module_texts, '\0');
    strbuf chunk = STRBUF_INIT;
    sb_printf(&chunk, "@%s", path.data);
    sb_free(&path);
    int rc = sandbox_load(sb, text, len, chunk.data);
    free(text);
    sb_free(&chunk);
    if (rc != LUA_OK) {
        return lua_error(L);
    }
    lua_pushlightuserdata(L, (void *)&key_loaded); /* "loading" mark */
    lua_setfield(L, loaded, name);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, loaded, name);
    return 1;
}

/* Copies the named fields of the table at src into the table at dst. */
static void copy_fields(lua_State *L, int src, int dst, const char *const *names)
{
    for (; *names; names++) {
        lua_getfield(L, src, *names);
        lua_setfield(L, dst, *names);
    }
}

/* Opens a standard library and leaves its table on the stack [-0, +1, e]. */
static void open_lib(lua_State *L, const char *name, lua_CFunction f)
{
    luaL_requiref(L, name, f, 0);
}

/* Builds the environment of pack code from an allow-list [-0, +0, e]. */
static int build_env(lua_State *L)
{
    static const char *const base_names[] = {
        "assert", "error",  "ipairs",   "next",     "pcall",  "rawequal",
        "rawget", "rawlen", "rawset",   "select",   "tonumber", "tostring", "type",
        "xpcall", "getmetatable", "_VERSION", NULL};
    static const char *const math_names[] = {
        "abs", "ceil", "cos",  "deg",        "exp",  "floor", "fmod", "huge",    "log",
        "max", "maxinteger", "min", "mininteger", "modf", "pi",    "rad",  "random", "sin",
        "sqrt", "tan", "tointeger", "type", "ult", "atan", "asin", "acos", NULL};
    static const char *const os_names[] = {"time", "date", "clock", "difftime", NULL};
    static const char *const str_names[] = {"byte",   "char",  "find",  "format", "gmatch",
                                            "gsub",   "len",   "lower", "match",  "rep",
                                            "reverse", "sub",  "upper", "pack",   "packsize",
                                            "unpack", NULL};

    lua_newtable(L); /* env */
    int env = lua_gettop(L);

    open_lib(L, "_G", luaopen_base);
    int base = lua_gettop(L);
    copy_fields(L, base, env, base_names);
    lua_getfield(L, base, "load");
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_load);
    lua_pushcfunction(L, sbx_print);
    lua_setfield(L, env, "print");
    lua_pushcfunction(L, sbx_setmetatable);
    lua_setfield(L, env, "setmetatable");
    lua_pushcfunction(L, sbx_collectgarbage);
    lua_setfield(L, env, "collectgarbage");
    lua_pushcfunction(L, sbx_load);
    lua_setfield(L, env, "load");
    lua_pushcfunction(L, sbx_require);
    lua_setfield(L, env, "require");
    lua_pushcfunction(L, sbx_pairs);
    lua_setfield(L, env, "pairs");

    open_lib(L, LUA_TABLIBNAME, luaopen_table);
    lua_setfield(L, env, "table");
    open_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
    lua_setfield(L, env, "utf8");
    open_lib(L, LUA_COLIBNAME, luaopen_coroutine);
    lua_setfield(L, env, "coroutine");

    open_lib(L, LUA_MATHLIBNAME, luaopen_math);
    int m = lua_gettop(L);
    lua_getfield(L, m, "randomseed");
    lua_pushvalue(L, -1);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_randomseed);
    lua_pushinteger(L, 0); /* the same sequence on every evaluation */
    lua_call(L, 1, 0);
    lua_newtable(L);
    copy_fields(L, m, lua_gettop(L), math_names);
    lua_pushcfunction(L, sbx_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_setfield(L, env, "math");
    lua_pop(L, 1);

    open_lib(L, LUA_OSLIBNAME, luaopen_os);
    lua_newtable(L);
    copy_fields(L, lua_gettop(L) - 1, lua_gettop(L), os_names);
    lua_setfield(L, env, "os");
    lua_pop(L, 1);

    /* string: a fresh table without dump, with bounded matching, behind the
       string metatable (so ("x"):upper() works) and read-only in the env. */
    open_lib(L, LUA_STRLIBNAME, luaopen_string);
    lua_newtable(L);
    int str = lua_gettop(L);
    copy_fields(L, str - 1, str, str_names);
    sandbox_open_str(L, str);
    lua_getfield(L, env, LUA_TABLIBNAME);
    lua_getfield(L, env, LUA_UTF8LIBNAME);
    sandbox_open_tab(L, -2, str, -1, env);
    lua_pop(L, 2);
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, str);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);

    lua_pushvalue(L, env);
    lua_setfield(L, env, "_G");
    /* Strict globals: reading an undefined name is an error. */
    lua_createtable(L, 0, 2);
    lua_pushcfunction(L, strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);

    lua_pushvalue(L, env);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_env);
    lua_newtable(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &key_loaded);
    return 0;
}

/* Called in protected mode by sandbox_new; the string table is at the top. */
static int finish_env(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    build_env(L);
    /* The string table is the __index of the string metatable. */
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_getfield(L, -1, "__index");
    sandbox_set_readonly_global(sb, "string");
    lua_settop(L, 0);
    return 0;
}

sandbox *sandbox_new(const shnor_limits *limits, const char *lib_dir)
{
    sandbox *sb = calloc(1, sizeof *sb);
    if (!sb) {
        return NULL;
    }
    if (limits) {
        sb->limits = *limits;
    } else {
        shnor_limits_default(&sb->limits);
    }
    sb_init(&sb->log);
    sb_init(&sb->modules);
    sb_init(&sb->module_texts);
    if (lib_dir && !(sb->lib_dir = strdup(lib_dir))) {
        free(sb);
        return NULL;
    }
    clock_gettime(CLOCK_MONOTONIC, &sb->started);
    sb->L = lua_newstate(sbx_alloc, sb);
    if (!sb->L) {
        sandbox_free(sb);
        return NULL;
    }
    lua_State *L = sb->L;
    lua_pushcfunction(L, finish_env);
    if (lua_pcall(L, 0, 0, 0) != LUA_OK) {
        sandbox_free(sb);
        return NULL;
    }
    lua_sethook(L, sbx_hook, LUA_MASKCOUNT, SBX_HOOK_EVERY);
    return sb;
}

void sandbox_free(sandbox *sb)
{
    if (!sb) {
        return;
    }
    if (sb->L) {
        /* Closing runs pending __close handlers: with a tripped limit they stop
           at their first instruction. */
        lua_close(sb->L);
    }
    sb_free(&sb->log);
    sb_free(&sb->modules);
    sb_free(&sb->module_texts);
    free(sb->lib_dir);
    free(sb);
}

void sandbox_budget_reset(sandbox *sb)
{
    if (sb && !sb->tripped) {
        sb->instr_used = 0;
        clock_gettime(CLOCK_MONOTONIC, &sb->started);
    }
}
