/*
 * sandbox.c — the Lua state a rule pack runs in and its bounds: a memory cap
 * in the allocator, an instruction and wall-time budget in a count hook, a
 * protected-call wrapper whose message handler adds a traceback, the
 * insufficient-data signal, and making and freeing the state.
 *
 * The environment pack code sees (allow-listed libraries, strict globals,
 * text-only loading, a `require` limited to the rules library) is built in
 * sandbox_env.c; sorted traversal and read-only shared tables are in
 * sandbox_pairs.c; the library functions that charge their own work in
 * sandbox_str.c, sandbox_match.c and sandbox_tab.c.
 *
 * Facts about Lua 5.4.4 that shape the sandbox (measured, see DESIGN.md):
 *  - a count hook fires only between VM instructions, so C functions that can
 *    run long charge their own work (sandbox_str.c);
 *  - __gc finalizers run with hooks off, so setmetatable refuses __gc
 *    (sandbox_env.c);
 *  - a hook that raises once is swallowed by a pcall loop, so a tripped limit
 *    raises on every instruction from then on;
 *  - a memory error (LUA_ERRMEM) skips the message handler; so the allocator
 *    lets a small overshoot through when the cap is first reached and the hook
 *    raises an ordinary error, with a traceback, on the next instructions.
 */
#include "sandbox.h"

#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sandboxInt.h"
#include "sandbox_pool.h"
#include "textwidth.h"

/* The insufficient-data signal (its address is unique). */
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
static void sbx_hook(lua_State *L, lua_Debug *ar);
static double elapsed(const sandbox *sb);

/* Adds steps to the instruction budget and looks at the clock; 1 (tripped
   set) when either limit is reached. */
static int spend(sandbox *sb, uint64_t steps)
{
    sb->instr_used += steps;
    if (sb->instr_used > sb->limits.instructions) {
        sb->tripped = SBX_LIMIT_INSTRUCTIONS;
    } else if (elapsed(sb) > sb->limits.seconds) {
        sb->tripped = SBX_LIMIT_TIME;
    } else {
        return 0;
    }
    return 1;
}

/* A block at least this large is work as well as memory: a step per
   BLOCK_BYTES_PER_STEP bytes (light: filling the memory limit costs a
   fraction of the instruction budget, so a memory bomb still reports memory). */
#define LARGE_BLOCK (64 * 1024)
#define BLOCK_BYTES_PER_STEP 1024

/*
 * Charges a large block to the instruction budget and looks at the clock. Making a big string is what
 * the linear C functions (upper, sub, format, ..) and concatenation do with
 * their time, and the count hook, every SBX_HOOK_EVERY instructions, sees
 * none of it: `while true do local u = big:upper() end` ran 30 s past a 2 s
 * limit. A limit reached here makes the hook fire at the next instruction,
 * which raises (an allocator must not).
 */
static void charge_block(sandbox *sb, size_t bytes)
{
    if (sb->tripped == SBX_OK && sb->L && spend(sb, bytes / BLOCK_BYTES_PER_STEP)) {
        /* The main thread's stack: a coroutine's is not known here, and
           may be gone by the time the error is reported. */
        note_where(sb->L, sb);
        lua_sethook(sb->L, sbx_hook, LUA_MASKCOUNT, 1);
    }
}

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
        sbx_pool_realloc(sb->pool, ptr, old, 0);
        sb->mem_used -= old;
        return NULL;
    }
    if (nsize > old) {
        size_t grow = nsize - old;
        if (grow >= LARGE_BLOCK && sb->tripped != SBX_OK) {
            /* Past a limit no large block is made. The hook of the thread
               that tripped raises at its next instruction, but a coroutine
               has a hook of its own, still a thousand instructions away, and
               each of them may copy megabytes: a refused block is a memory
               error that ends the coroutine now, and whatever then runs is
               told the limit (msgh, sandbox_pcall). */
            return NULL;
        }
        if (grow >= LARGE_BLOCK && sb->mem_used + grow <= sb->limits.memory) {
            charge_block(sb, grow); /* past the memory limit, that is the news */
        }
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
                    /* raise at the next instruction, not a thousand later */
                    lua_sethook(sb->L, sbx_hook, LUA_MASKCOUNT, 1);
                }
            }
            if (sb->mem_used + grow > sb->limits.memory + margin(sb)) {
                return NULL;
            }
        }
    }
    void *p = sbx_pool_realloc(sb->pool, ptr, old, nsize);
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
    if (sb->tripped == SBX_OK && !spend(sb, SBX_HOOK_EVERY)) {
        return;
    }
    raise_limit(L, sb);
}

void sandbox_hold_memory(sandbox *sb, size_t bytes)
{
    sb->mem_used += bytes;
    if (sb->mem_used > sb->mem_peak) {
        sb->mem_peak = sb->mem_used;
    }
    if (sb->mem_used > sb->limits.memory && sb->tripped == SBX_OK) {
        sb->tripped = SBX_LIMIT_MEMORY;
        if (sb->L) {
            note_where(sb->L, sb);
        }
    }
}

void sandbox_charge_memory(lua_State *L, size_t bytes)
{
    sandbox *sb = sandbox_of(L);
    if (!sb) {
        return;
    }
    sandbox_hold_memory(sb, bytes);
    if (sb->tripped != SBX_OK) {
        raise_limit(L, sb);
    }
}

void sandbox_charge(lua_State *L, uint64_t steps)
{
    sandbox *sb = sandbox_of(L);
    if (!sb) {
        return;
    }
    if (sb->tripped == SBX_OK && !spend(sb, steps)) {
        return;
    }
    raise_limit(L, sb);
}

/* ------------------------------------------------------- protected calls */

int sandbox_has_position(const char *msg)
{
    /* a chunk load() made from a string is named [string "its text"], spaces
       and all: its position is after the name (else said twice) */
    const char *close = strncmp(msg, "[string \"", 9) == 0 ? strstr(msg, "\"]") : NULL;
    for (const char *p = close ? close + 2 : msg; *p && *p != ' ' && *p != '\n'; p++) {
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

const char *sandbox_push_shown(lua_State *L, const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    long cp = 0;
    while (i < len) {
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (cp < 0 || utf8_is_obeyed(cp)) {
            break;
        }
        i += n;
    }
    if (i == len) {
        return s; /* no copy: a message may be megabytes at the memory cap */
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (i = 0; i < len;) {
        size_t n = utf8_decode(u + i, len - i, &cp);
        if (cp == 0) {
            luaL_addstring(&b, "\\0");
        } else if (cp < 0) {
            luaL_addstring(&b, "\xEF\xBF\xBD"); /* U+FFFD */
        } else if (utf8_is_obeyed(cp)) {
            char esc[12];
            snprintf(esc, sizeof esc, cp <= 0x7F ? "\\x%02lx" : "\\u{%lX}", cp);
            luaL_addstring(&b, esc);
        } else {
            luaL_addlstring(&b, s + i, n);
        }
        i += n;
    }
    luaL_pushresult(&b);
    return lua_tostring(L, -1);
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
        size_t len;
        msg = lua_tolstring(L, 1, &len);
        msg = sandbox_push_shown(L, msg, len); /* error("a\0b"), escapes, bad bytes */
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
        /* cut on a character, not inside one (the reason is UTF-8 text) */
        size_t len = reason ? strlen(reason) : 0;
        len = utf8_cut(reason ? reason : "", len, sizeof sb->insufficient_reason - 1);
        memcpy(sb->insufficient_reason, reason ? reason : "", len);
        sb->insufficient_reason[len] = '\0';
        sb->insufficient_where[0] = '\0';
        sb->insufficient_raised = 1;
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

/* ------------------------------------------------------------- the state */

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
    if ((lib_dir && !(sb->lib_dir = strdup(lib_dir))) || !(sb->pool = sbx_pool_new())) {
        free(sb->lib_dir);
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
    lua_pushcfunction(L, sandbox_finish_env);
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
    sbx_pool_free(sb->pool);
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
