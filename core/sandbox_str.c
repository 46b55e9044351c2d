/*
 * sandbox_str.c — string.find, match, gmatch, gsub and rep for the sandbox,
 * with their work charged to the instruction budget.
 *
 * A count hook never fires inside a C function, so Lua's own matcher can hold
 * the host for hours (`.-b` over a long subject, `(.-)(.-)(.-)x`), and
 * `string.rep("", 1e15)` loops 1e15 times without allocating. These versions
 * give the same results and error messages as Lua 5.4.4's for every input
 * that finishes, but count their work (sandbox_match.c) and hand it to
 * sandbox_charge() every STEP_CHUNK steps and once before each call returns,
 * so the instruction and wall-time limits end them. On a state that is not a
 * sandbox sandbox_charge() does nothing, and these are the plain functions.
 *
 * Ported from Lua 5.4.4's lstrlib.c (lua/lua commit
 * 9db4bfed6bb9d5828c99c0f24749eedf54d70cc2, identical here to the lua-5.4.4
 * release): str_find_aux with nospecials and posrelatI, gmatch with its
 * gmatch_aux closure, gsub with add_s and add_value, str_rep. What changed:
 *  1. One step is counted per iteration of the position loops of find, match,
 *     gmatch and gsub, and one per BYTES_PER_STEP bytes of a plain pattern
 *     checked for specials, of gsub's replacement strings, of its output and
 *     of the copy of the subject's tail.
 *  2. string.rep returns "" at once when the result is empty (n <= 0, or s and
 *     sep both empty), and charges one step per BYTES_PER_STEP bytes it writes
 *     (at least one), in chunks of STEP_CHUNK steps during the copy.
 *  3. Braces always; no l_unlikely.
 *
 * Lua 5.4.4: Copyright (C) 1994-2022 Lua.org, PUC-Rio.
 *
 * Permission is hereby granted, free of charge, to any person obtaining a copy
 * of this software and associated documentation files (the "Software"), to
 * deal in the Software without restriction, including without limitation the
 * rights to use, copy, modify, merge, publish, distribute, sublicense, and/or
 * sell copies of the Software, and to permit persons to whom the Software is
 * furnished to do so, subject to the following conditions:
 *
 * The above copyright notice and this permission notice shall be included in
 * all copies or substantial portions of the Software.
 *
 * THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
 * IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
 * FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
 * AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
 * LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING
 * FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS
 * IN THE SOFTWARE.
 */
#include "sandbox.h"

#include <ctype.h>
#include <lauxlib.h>
#include <limits.h>
#include <string.h>

#include "sandboxInt.h"

#define L_ESC    '%'
#define SPECIALS "^$*+?.([%-"

#define uchar(c)  ((unsigned char)(c))
#define MAX_SIZET ((size_t)(~(size_t)0))
#define MAXSIZE   (sizeof(size_t) < sizeof(int) ? MAX_SIZET : (size_t)(INT_MAX))

/* Translates a relative initial position (negative: back from the end),
   clipped to [1, inf). */
static size_t posrelatI(lua_Integer pos, size_t len)
{
    if (pos > 0) {
        return (size_t)pos;
    } else if (pos == 0) {
        return 1;
    } else if (pos < -(lua_Integer)len) { /* inverted comparison */
        return 1;                         /* clip to 1 */
    }
    return len + (size_t)pos + 1;
}

/* Whether the pattern has no special characters (it may contain zeros). */
static int nospecials(const char *p, size_t l)
{
    size_t upto = 0;
    do {
        if (strpbrk(p + upto, SPECIALS)) {
            return 0; /* pattern has a special character */
        }
        upto += strlen(p + upto) + 1; /* may have more after \0 */
    } while (upto <= l);
    return 1; /* no special chars found */
}

/* string.find(s, pattern [, init [, plain]]) and string.match(s, pattern
   [, init]) [-0, +(1|n), e]. */
static int str_find_aux(lua_State *L, int find)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = posrelatI(luaL_optinteger(L, 3, 1), ls) - 1;
    MatchState ms;
    if (init > ls) {      /* start after string's end? */
        luaL_pushfail(L); /* cannot find anything */
        return 1;
    }
    /* explicit request or no special characters? */
    if (find && (lua_toboolean(L, 4) || nospecials(p, lp))) {
        /* do a plain search */
        sandbox_match_init(&ms, L, s, ls, p, lp);
        sandbox_match_step(&ms, lp / BYTES_PER_STEP);
        const char *s2 = sandbox_memfind(&ms, s + init, ls - init, p, lp);
        sandbox_match_charge(&ms);
        if (s2) {
            lua_pushinteger(L, (s2 - s) + 1);
            lua_pushinteger(L, (lua_Integer)((size_t)(s2 - s) + lp));
            return 2;
        }
    } else {
        const char *s1 = s + init;
        int anchor = (*p == '^');
        if (anchor) {
            p++;
            lp--; /* skip anchor character */
        }
        sandbox_match_init(&ms, L, s, ls, p, lp);
        do {
            const char *res;
            sandbox_match_step(&ms, 1);
            if ((res = sandbox_match(&ms, s1, p)) != NULL) {
                sandbox_match_charge(&ms);
                if (find) {
                    lua_pushinteger(L, (s1 - s) + 1); /* start */
                    lua_pushinteger(L, res - s);      /* end */
                    return sandbox_push_captures(&ms, NULL, 0) + 2;
                }
                return sandbox_push_captures(&ms, s1, res);
            }
        } while (s1++ < ms.src_end && !anchor);
        sandbox_match_charge(&ms);
    }
    luaL_pushfail(L); /* not found */
    return 1;
}

static int str_find(lua_State *L)
{
    return str_find_aux(L, 1);
}

static int str_match(lua_State *L)
{
    return str_find_aux(L, 0);
}

/* State of a gmatch iterator: a full userdata, its third upvalue. */
typedef struct GMatchState {
    const char *src;       /* current position */
    const char *p;         /* pattern */
    const char *lastmatch; /* end of last match */
    MatchState ms;         /* match state */
} GMatchState;

/* The gmatch iterator [-0, +(0|n), e]; upvalues: subject, pattern, state. */
static int gmatch_aux(lua_State *L)
{
    GMatchState *gm = (GMatchState *)lua_touserdata(L, lua_upvalueindex(3));
    const char *src;
    gm->ms.L = L;
    for (src = gm->src; src <= gm->ms.src_end; src++) {
        const char *e;
        sandbox_match_step(&gm->ms, 1);
        if ((e = sandbox_match(&gm->ms, src, gm->p)) != NULL && e != gm->lastmatch) {
            gm->src = gm->lastmatch = e;
            sandbox_match_charge(&gm->ms);
            return sandbox_push_captures(&gm->ms, src, e);
        }
    }
    sandbox_match_charge(&gm->ms);
    return 0; /* not found */
}

/* string.gmatch(s, pattern [, init]) [-0, +1, e]. */
static int gmatch(lua_State *L)
{
    size_t ls, lp;
    const char *s = luaL_checklstring(L, 1, &ls);
    const char *p = luaL_checklstring(L, 2, &lp);
    size_t init = posrelatI(luaL_optinteger(L, 3, 1), ls) - 1;
    GMatchState *gm;
    lua_settop(L, 2); /* keep strings on closure to avoid being collected */
    gm = (GMatchState *)lua_newuserdatauv(L, sizeof(GMatchState), 0);
    if (init > ls) {   /* start after string's end? */
        init = ls + 1; /* avoid overflows in 's + init' */
    }
    sandbox_match_init(&gm->ms, L, s, ls, p, lp);
    gm->src = s + init;
    gm->p = p;
    gm->lastmatch = NULL;
    lua_pushcclosure(L, gmatch_aux, 3);
    return 1;
}

/* Adds the replacement string (argument 3) with its %-escapes expanded. */
static void add_s(MatchState *ms, luaL_Buffer *b, const char *s, const char *e)
{
    size_t l;
    lua_State *L = ms->L;
    const char *news = lua_tolstring(L, 3, &l);
    const char *p;
    sandbox_match_step(ms, l / BYTES_PER_STEP);
    while ((p = (char *)memchr(news, L_ESC, l)) != NULL) {
        luaL_addlstring(b, news, (size_t)(p - news));
        p++;               /* skip ESC */
        if (*p == L_ESC) { /* '%%' */
            luaL_addchar(b, *p);
        } else if (*p == '0') { /* '%0' */
            luaL_addlstring(b, s, (size_t)(e - s));
        } else if (isdigit(uchar(*p))) { /* '%n' */
            const char *cap;
            ptrdiff_t resl = sandbox_get_capture(ms, *p - '1', s, e, &cap);
            if (resl == CAP_POSITION) {
                luaL_addvalue(b); /* add position to accumulated result */
            } else {
                luaL_addlstring(b, cap, (size_t)resl);
            }
        } else {
            luaL_error(L, "invalid use of '%c' in replacement string", L_ESC);
        }
        l -= (size_t)(p + 1 - news);
        news = p + 1;
    }
    luaL_addlstring(b, news, l);
}

/*
 * Adds the replacement value to the buffer. Returns true if the original
 * string was changed (function calls and table indexing resulting in nil or
 * false do not change the subject).
 */
static int add_value(MatchState *ms, luaL_Buffer *b, const char *s, const char *e, int tr)
{
    lua_State *L = ms->L;
    switch (tr) {
    case LUA_TFUNCTION: { /* call the function */
        int n;
        lua_pushvalue(L, 3);                 /* push the function */
        n = sandbox_push_captures(ms, s, e); /* all captures as arguments */
        lua_call(L, n, 1);                   /* call it */
        break;
    }
    case LUA_TTABLE:                       /* index the table */
        sandbox_push_capture(ms, 0, s, e); /* first capture is the index */
        lua_gettable(L, 3);
        break;
    default:                /* LUA_TNUMBER or LUA_TSTRING */
        add_s(ms, b, s, e); /* add value to the buffer */
        return 1;           /* something changed */
    }
    if (!lua_toboolean(L, -1)) {                /* nil or false? */
        lua_pop(L, 1);                          /* remove value */
        luaL_addlstring(b, s, (size_t)(e - s)); /* keep original text */
        return 0;                               /* no changes */
    } else if (!lua_isstring(L, -1)) {
        return luaL_error(L, "invalid replacement value (a %s)", luaL_typename(L, -1));
    }
    luaL_addvalue(b); /* add result to accumulator */
    return 1;         /* something changed */
}

/* string.gsub(s, pattern, repl [, n]) [-0, +2, e]. */
static int str_gsub(lua_State *L)
{
    size_t srcl, lp;
    const char *src = luaL_checklstring(L, 1, &srcl); /* subject */
    const char *p = luaL_checklstring(L, 2, &lp);     /* pattern */
    const char *lastmatch = NULL;                     /* end of last match */
    int tr = lua_type(L, 3);                          /* replacement type */
    lua_Integer max_s =
        luaL_optinteger(L, 4, (lua_Integer)srcl + 1); /* max replacements */
    int anchor = (*p == '^');
    lua_Integer n = 0; /* replacement count */
    int changed = 0;   /* change flag */
    MatchState ms;
    luaL_Buffer b;
    luaL_argexpected(L,
                     tr == LUA_TNUMBER || tr == LUA_TSTRING || tr == LUA_TFUNCTION ||
                         tr == LUA_TTABLE,
                     3, "string/function/table");
    luaL_buffinit(L, &b);
    if (anchor) {
        p++;
        lp--; /* skip anchor character */
    }
    sandbox_match_init(&ms, L, src, srcl, p, lp);
    while (n < max_s) {
        const char *e;
        sandbox_match_step(&ms, 1);
        if ((e = sandbox_match(&ms, src, p)) != NULL && e != lastmatch) { /* match? */
            size_t before = luaL_bufflen(&b);
            n++;
            changed = add_value(&ms, &b, src, e, tr) | changed;
            sandbox_match_step(&ms, (luaL_bufflen(&b) - before) / BYTES_PER_STEP);
            src = lastmatch = e;
        } else if (src < ms.src_end) { /* otherwise, skip one character */
            luaL_addchar(&b, *src++);
        } else {
            break; /* end of subject */
        }
        if (anchor) {
            break;
        }
    }
    if (!changed) { /* no changes? */
        sandbox_match_charge(&ms);
        lua_pushvalue(L, 1); /* return original string */
    } else {                 /* something changed */
        sandbox_match_step(&ms, (size_t)(ms.src_end - src) / BYTES_PER_STEP);
        sandbox_match_charge(&ms);
        luaL_addlstring(&b, src, (size_t)(ms.src_end - src));
        luaL_pushresult(&b); /* create and return new string */
    }
    lua_pushinteger(L, n); /* number of substitutions */
    return 2;
}

/*
 * string.rep(s, n [, sep]) [-0, +1, e]: as 5.4.4's, but an empty result is
 * returned at once whatever n is, and the copy is charged one step per
 * BYTES_PER_STEP bytes (at least one) every STEP_CHUNK steps. The buffer comes
 * from the state's allocator, which the sandbox caps.
 */
static int str_rep(lua_State *L)
{
    size_t l, lsep;
    const char *s = luaL_checklstring(L, 1, &l);
    lua_Integer n = luaL_checkinteger(L, 2);
    const char *sep = luaL_optlstring(L, 3, "", &lsep);
    if (n <= 0 || (l == 0 && lsep == 0)) {
        lua_pushliteral(L, "");
        return 1;
    } else if (l + lsep < l || l + lsep > MAXSIZE / (size_t)n) {
        return luaL_error(L, "resulting string too large");
    }
    const size_t chunk = (size_t)STEP_CHUNK * BYTES_PER_STEP;
    size_t totallen = (size_t)n * l + (size_t)(n - 1) * lsep;
    size_t pending = 0; /* bytes written and not yet charged */
    luaL_Buffer b;
    char *p = luaL_buffinitsize(L, &b, totallen);
    while (n-- > 1) { /* first n-1 copies (followed by separator) */
        memcpy(p, s, l * sizeof(char));
        p += l;
        if (lsep > 0) { /* empty 'memcpy' is not that cheap */
            memcpy(p, sep, lsep * sizeof(char));
            p += lsep;
        }
        pending += l + lsep;
        if (pending >= chunk) {
            sandbox_charge(L, pending / BYTES_PER_STEP);
            pending %= BYTES_PER_STEP;
        }
    }
    memcpy(p, s, l * sizeof(char)); /* last copy (not followed by separator) */
    pending += l;
    sandbox_charge(L, totallen < BYTES_PER_STEP ? 1 : pending / BYTES_PER_STEP);
    luaL_pushresultsize(&b, totallen);
    return 1;
}

/* Sets find, match, gmatch, gsub and rep of the table at idx [-0, +0, m]. */
void sandbox_open_str(lua_State *L, int idx)
{
    static const luaL_Reg funcs[] = {{"find", str_find}, {"match", str_match},
                                     {"gmatch", gmatch}, {"gsub", str_gsub},
                                     {"rep", str_rep},   {NULL, NULL}};
    lua_pushvalue(L, idx);
    luaL_setfuncs(L, funcs, 0);
    lua_pop(L, 1);
}
