/*
 * sandbox.h — one Lua 5.4 state per pack evaluation, built for untrusted rule
 * packs.
 *
 * The environment is an allow-list (no io, os beyond time/date/clock, package,
 * debug, binary chunks, dofile/loadfile); `require` loads text modules from
 * the rules library directory only. Every evaluation is bounded:
 *  - memory: a custom lua_Alloc counts every byte against mem_limit;
 *  - instructions: a count hook charges each VM instruction;
 *  - wall time: the same hook reads the clock, and the functions that can run
 *    long inside C (pattern matching, string.rep) charge their own steps.
 * Once a limit trips it stays tripped: the hook raises on every instruction,
 * so `while true do pcall(f) end` cannot swallow it.
 *
 * Invariants:
 *  1. sb->L is a state created by sandbox_new and owned by sb.
 *  2. tripped only goes from SBX_OK to one SBX_LIMIT_* value, never back.
 *  3. mem_used is the sum of the sizes of live blocks allocated through sb.
 */
#ifndef SHNOR_SANDBOX_H
#define SHNOR_SANDBOX_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "shnor.h"
#include "strbuf.h"

enum {
    SBX_OK = 0,
    SBX_LIMIT_MEMORY = 1,
    SBX_LIMIT_INSTRUCTIONS = 2,
    SBX_LIMIT_TIME = 3
};

/* VM instructions between two calls of the count hook. */
#define SBX_HOOK_EVERY 1000

typedef struct sandbox sandbox;

struct sandbox {
    lua_State *L;
    shnor_limits limits;
    struct sbx_pool *pool; /* the state's small blocks (sandbox_pool.c) */

    size_t mem_used, mem_peak;
    uint64_t instr_used;
    struct timespec started;
    int tripped;         /* SBX_*; past the cap, a margin is left for reporting */
    char trip_where[160]; /* "rules/x.lua:42" where the limit was noticed */

    /* Where evaluation is, for messages (set by the evaluator; borrowed). */
    const char *pack_name; /* chunk name of the pack, "rules/x.lua" */
    const char *criterion;
    const char *school;

    /* print() output: kept up to a cap, the rest counted. */
    strbuf log;
    long log_dropped;

    /* Directory `require` reads modules from; NULL: require is refused. */
    char *lib_dir;
    /* Modules loaded, in order: "name\tsha256\n" lines; texts in module_texts. */
    strbuf modules;
    strbuf module_texts; /* concatenated: name NUL text NUL ... */
    /* When set, `require` reads modules only from here, never from files
       (replaying a run with the sources it kept): name NUL text NUL ...,
       borrowed for the sandbox's life. */
    const char *stored_modules;
    size_t stored_len;

    /* Set by shnor.insufficient(): the reason of the pending signal, and
       where it was raised ("rules/x.lua:42"). */
    char insufficient_reason[256];
    char insufficient_where[160];
    /* Set with them, cleared by the caller before a call: a signal a pcall
       in the pack caught still makes the call's result insufficient data. */
    int insufficient_raised;
};

/*
 * Creates a sandbox with the given limits (NULL: defaults), the allow-listed
 * libraries, strict globals and the hook installed. lib_dir is copied (may be
 * NULL). Returns NULL only when memory for the host structures ran out; the
 * caller frees with sandbox_free().
 */
sandbox *sandbox_new(const shnor_limits *limits, const char *lib_dir);
void sandbox_free(sandbox *sb); /* accepts NULL; closes the state */

/* Starts a new evaluation's instruction and time budget (memory is what the
   state holds, and is never reset). No effect once a limit has tripped. */
void sandbox_budget_reset(sandbox *sb);

/* The sandbox a state belongs to. */
sandbox *sandbox_of(lua_State *L);

/*
 * Charges `steps` units of work done inside a C function to the instruction
 * budget and checks the clock. Raises a Lua error (does not return) when a
 * limit is reached or was reached before. Call it from long-running C code
 * every few thousand steps.
 */
void sandbox_charge(lua_State *L, uint64_t steps);

/*
 * Memory the host holds for the pack — the reads it records for
 * explanations, the groups and names it makes — counts against the memory
 * limit like the state's own (a loop of s:value() grew gigabytes under
 * --mem-limit 1M). sandbox_hold_memory only notes it: past the limit the
 * next hook raises. sandbox_charge_memory raises at once (from a C function
 * called by Lua). Held memory is never given back: it stays with the pack.
 */
void sandbox_hold_memory(sandbox *sb, size_t bytes);
void sandbox_charge_memory(lua_State *L, size_t bytes);

/*
 * Calls the function below nargs arguments on the stack in protected mode
 * with a message handler that adds a traceback. Same stack effect as
 * lua_pcall with nresults results [-(nargs+1), +(nresults|1), -].
 * Returns LUA_OK or an error code; after an error the message is on the stack
 * (a string), or the insufficient-data sentinel (see sandbox_is_insufficient).
 * A call during which a limit tripped fails with the limit's message, also
 * when the pack caught the error and returned; a memory error's message
 * names the limit and file:line too.
 */
int sandbox_pcall(sandbox *sb, int nargs, int nresults);

/*
 * Pushes s[0..len) as a pack's text is shown to people: a NUL is
 * "\0" (not the end of the text), other control characters but line breaks
 * and tabs are "\xHH" (an escape sequence cannot recolour or rewrite the
 * terminal), an invalid UTF-8 byte is U+FFFD. Returns the pushed text; s
 * itself, with nothing pushed, when nothing needs it [-0, +(0|1), m].
 */
const char *sandbox_push_shown(lua_State *L, const char *s, size_t len);

/* 1 when msg starts with a position, "chunk:line:" (no spaces before it). */
int sandbox_has_position(const char *msg);

/* 1 when the value at idx is the signal raised by shnor.insufficient(). */
int sandbox_is_insufficient(lua_State *L, int idx);
/* Raises the insufficient-data signal with a reason (does not return). */
int sandbox_raise_insufficient(lua_State *L, const char *reason);

/* The environment table of pack code: pushes it [-0, +1, -]. */
void sandbox_push_env(sandbox *sb);

/*
 * Loads a text chunk (never bytecode) with the pack environment. chunkname
 * like "@rules/x.lua". Pushes the function, or an error message [-0, +1, -].
 */
int sandbox_load(sandbox *sb, const char *text, size_t len, const char *chunkname);

/*
 * Every module `require` could load in this sandbox, loaded or not: with
 * stored modules, those; else each lib_dir/NAME.lua whose NAME is a module
 * name (letters, digits, '_'; no subdirectories), in name order, read as
 * require reads it. A file over max_len bytes, not text (a binary chunk, a
 * NUL byte) or unreadable is passed over. fn gets the name and text,
 * borrowed for the call; a nonzero return stops the walk and is returned.
 * 0 when done, -1 when memory ran out; a missing directory has no modules.
 */
int sandbox_lib_each(const sandbox *sb, size_t max_len,
                     int (*fn)(void *arg, const char *name, const char *text, size_t len),
                     void *arg);

/* A human name of a tripped limit with its value: "memory limit of 256 MB". */
void sandbox_limit_text(const sandbox *sb, char *buf, size_t len);

/*
 * Pushes an array of the keys of the table at idx in a fixed order: numbers
 * ascending, then strings in byte order, then booleans [-0, +1, m]. C code
 * that walks a pack's tables uses it so that output never depends on Lua's
 * per-state hash seed; pairs() in pack code does the same.
 */
void sandbox_sorted_keys(lua_State *L, int idx);

/* Replaces the table at the top of the stack by a read-only proxy: reads
   and pairs() go to the table, writes raise an error naming `name`,
   getmetatable() gives false, rawset() does not apply [-1, +1, m]. */
void sandbox_make_readonly(lua_State *L, const char *name);

/* Exposes the table at the top of the stack (popped) read-only under name in
   the environment [-1, +0, m]. */
void sandbox_set_readonly_global(sandbox *sb, const char *name);

/*
 * Installs the bounded pattern functions (find, match, gmatch, gsub) and
 * string.rep into the string library table at index idx (sandbox_str.c).
 */
void sandbox_open_str(lua_State *L, int idx);

/*
 * Wraps the functions of the table, string and utf8 library tables and the
 * environment (tonumber) whose work in C grows with their arguments, so that
 * work is charged (sandbox_tab.c). Indices of the four tables.
 */
void sandbox_open_tab(lua_State *L, int table, int str, int utf8, int env);
/* Wraps the arithmetic metamethods of the string metatable at mt (the
   conversion of a string operand) so that their work is charged as well. */
void sandbox_open_str_arith(lua_State *L, int mt);

#endif
