/*
 * sandboxInt.h — private to the sandbox files: the counted Lua pattern
 * matcher (sandbox_match.c) that string.find, match, gmatch and gsub
 * (sandbox_str.c) are built on, ported from Lua 5.4.4's lstrlib.c (see the
 * notice at the top of sandbox_match.c); and the functions the state
 * (sandbox.c) and its environment (sandbox_env.c) take from the other files.
 *
 * Invariants of a MatchState:
 *  1. src_init <= src_end and both point into one Lua string that stays
 *     reachable (on the stack or in an upvalue) while the state is used; the
 *     same for the pattern and p_end. Both strings end with a '\0' past their
 *     end, which the matcher may read.
 *  2. capture[0 .. level-1] are the open and closed captures of the current
 *     match; len is a length, CAP_UNFINISHED or CAP_POSITION.
 *  3. steps < STEP_CHUNK between calls: work is charged to the sandbox as it
 *     is counted, and what is left is charged by sandbox_match_charge() before
 *     a library function returns.
 */
#ifndef SHNOR_SANDBOXINT_H
#define SHNOR_SANDBOXINT_H

#include <lua.h>
#include <stddef.h>
#include <stdint.h>

#define SBX_MAXCAPTURES 32 /* LUA_MAXCAPTURES; must fit in an unsigned char */
#define CAP_UNFINISHED  (-1)
#define CAP_POSITION    (-2)

#define STEP_CHUNK     4096 /* steps counted between two sandbox_charge() calls */
#define BYTES_PER_STEP 64   /* bytes scanned, compared or copied per step */

typedef struct MatchState {
    const char *src_init; /* init of source string */
    const char *src_end;  /* end ('\0') of source string */
    const char *p_end;    /* end ('\0') of pattern */
    lua_State *L;
    int matchdepth;      /* control for recursive depth (to avoid C stack overflow) */
    unsigned char level; /* total number of captures (finished or unfinished) */
    uint64_t steps;      /* work counted and not yet charged */
    struct {
        const char *init;
        ptrdiff_t len;
    } capture[SBX_MAXCAPTURES];
} MatchState;

/* Prepares ms for matching pattern p[0..lp) in subject s[0..ls) (lstrlib's
   prepstate); nothing is counted yet. Both strings are borrowed. */
void sandbox_match_init(MatchState *ms, lua_State *L, const char *s, size_t ls,
                        const char *p, size_t lp);

/* Matches p at s with no captures yet (reprepstate + match). Returns the end
   of the match or NULL; raises on malformed patterns and limits. */
const char *sandbox_match(MatchState *ms, const char *s, const char *p);

/* Counts n steps, charging them every STEP_CHUNK (may raise). */
void sandbox_match_step(MatchState *ms, uint64_t n);
/* Charges the steps counted so far (may raise). */
void sandbox_match_charge(MatchState *ms);

/* Plain search of s2[0..l2) in s1[0..l1), counted; NULL when absent. */
const char *sandbox_memfind(MatchState *ms, const char *s1, size_t l1, const char *s2,
                            size_t l2);

/*
 * Capture i of the last match, or the whole match s..e when there are no
 * captures and i == 0: returns its length and points *cap at it, or pushes a
 * position capture and returns CAP_POSITION [-0, +(0|1), e].
 */
ptrdiff_t sandbox_get_capture(MatchState *ms, int i, const char *s, const char *e,
                              const char **cap);
/* Pushes capture i [-0, +1, e]. */
void sandbox_push_capture(MatchState *ms, int i, const char *s, const char *e);
/* Pushes every capture, or the whole match when there are none and s is not
   NULL [-0, +n, e]; returns n. */
int sandbox_push_captures(MatchState *ms, const char *s, const char *e);

/*
 * Builds the environment of pack code from the allow-list and makes the
 * string table read-only (sandbox_env.c); sandbox_new calls it in protected
 * mode, with nothing on the stack [-0, +0, e].
 */
int sandbox_finish_env(lua_State *L);

/* pairs(t) for pack code: __pairs when t has one, otherwise its keys in
   sandbox_sorted_keys order (sandbox_pairs.c) [-1, +3, e]. */
/* sandbox_fixed.c: os.time, os.date, os.clock, tostring and string.format
   made independent of the clock, the time zone and addresses. */
void sandbox_open_fixed(lua_State *L, int env, int str, int os);
/* Pushes what tostring gives for the value at idx when it would print an
   address: its __name or type [-0, +1, m]; returns 0 (nothing pushed) for
   any other value. */
int sandbox_push_addressless(lua_State *L, int idx);
/* Replaces the C function at field name of the table at idx by wrapper,
   with the original as its upvalue 1 [-0, +0, e] (sandbox_tab.c). */
void sandbox_wrap_field(lua_State *L, int idx, const char *name, lua_CFunction wrapper);
int sbx_pairs(lua_State *L);
int sbx_next(lua_State *L);

#endif
