/*
 * sandbox_match.c — the Lua pattern matcher of the sandbox's string functions
 * (sandbox_str.c), counting its work so the instruction and wall-time limits
 * can end it.
 *
 * Ported from Lua 5.4.4's lstrlib.c (lua/lua commit
 * 9db4bfed6bb9d5828c99c0f24749eedf54d70cc2, whose pattern-matching part is
 * identical to the lua-5.4.4 release's): MatchState, match, singlematch,
 * classend, matchbracketclass, match_class, matchbalance, max_expand,
 * min_expand, the captures, lmemfind, and the MAXCCALLS depth limit of 200,
 * with every error message word for word. What changed:
 *  1. Work is counted in MatchState.steps and charged with sandbox_charge()
 *     every STEP_CHUNK steps: one step for every entry of match() (calls and
 *     the goto's standing for tail calls), every iteration of max_expand's and
 *     min_expand's loops and of matchbalance's scan; one per SET_BYTES_PER_STEP
 *     bytes of a set scanned by classend, singlematch and %f (a byte-by-byte
 *     loop); one per BYTES_PER_STEP bytes of a plain search's memchr and of the
 *     compares of plain search and back-references (done in blocks of
 *     BYTES_PER_STEP bytes, so a long compare is counted as it goes). A step raising a
 * limit error longjmps out exactly like lstrlib's own luaL_error calls from inside match.
 *  2. The functions sandbox_str.c uses are exported with a sandbox_ prefix;
 *     get_onecapture returns a ptrdiff_t; braces always; no l_unlikely.
 * Results and messages are those of 5.4.4 for every input that finishes.
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
#include "sandboxInt.h"

#include <ctype.h>
#include <lauxlib.h>
#include <string.h>

#include "sandbox.h"

#define MAXCCALLS 200 /* maximum recursion depth of match() */
/* Bytes of a [set] scanned per step: classend and matchbracketclass go byte
   by byte, about ten times slower than memchr and memcmp. */
#define SET_BYTES_PER_STEP 8
#define L_ESC              '%'

#define uchar(c) ((unsigned char)(c))

/* ------------------------------------------------------------ counting */

/* Charges the counted steps; raises instead of returning past a limit. */
void sandbox_match_charge(MatchState *ms)
{
    uint64_t n = ms->steps;
    ms->steps = 0;
    sandbox_charge(ms->L, n);
}

static void step(MatchState *ms, uint64_t n)
{
    ms->steps += n;
    if (ms->steps >= STEP_CHUNK) {
        sandbox_match_charge(ms);
    }
}

void sandbox_match_step(MatchState *ms, uint64_t n)
{
    step(ms, n);
}

/* memcmp(a, b, n) == 0, compared block by block, one step per block. */
static int same(MatchState *ms, const char *a, const char *b, size_t n)
{
    while (n > 0) {
        size_t k = n < BYTES_PER_STEP ? n : BYTES_PER_STEP;
        step(ms, 1);
        if (memcmp(a, b, k) != 0) {
            return 0;
        }
        a += k;
        b += k;
        n -= k;
    }
    return 1;
}

/* ------------------------------------------------------------ the matcher */

static const char *match(MatchState *ms, const char *s, const char *p);

static int check_capture(MatchState *ms, int l)
{
    l -= '1';
    if (l < 0 || l >= ms->level || ms->capture[l].len == CAP_UNFINISHED) {
        return luaL_error(ms->L, "invalid capture index %%%d", l + 1);
    }
    return l;
}

static int capture_to_close(MatchState *ms)
{
    int level = ms->level;
    for (level--; level >= 0; level--) {
        if (ms->capture[level].len == CAP_UNFINISHED) {
            return level;
        }
    }
    return luaL_error(ms->L, "invalid pattern capture");
}

static const char *classend(MatchState *ms, const char *p)
{
    switch (*p++) {
    case L_ESC:
        if (p == ms->p_end) {
            luaL_error(ms->L, "malformed pattern (ends with '%%')");
        }
        return p + 1;
    case '[': {
        const char *start = p;
        if (*p == '^') {
            p++;
        }
        do { /* look for a ']' */
            if (p == ms->p_end) {
                luaL_error(ms->L, "malformed pattern (missing ']')");
            }
            if (*(p++) == L_ESC && p < ms->p_end) {
                p++; /* skip escapes (e.g. '%]') */
            }
        } while (*p != ']');
        step(ms, (uint64_t)(p - start) / SET_BYTES_PER_STEP);
        return p + 1;
    }
    default:
        return p;
    }
}

static int match_class(int c, int cl)
{
    int res;
    switch (tolower(cl)) {
    case 'a':
        res = isalpha(c);
        break;
    case 'c':
        res = iscntrl(c);
        break;
    case 'd':
        res = isdigit(c);
        break;
    case 'g':
        res = isgraph(c);
        break;
    case 'l':
        res = islower(c);
        break;
    case 'p':
        res = ispunct(c);
        break;
    case 's':
        res = isspace(c);
        break;
    case 'u':
        res = isupper(c);
        break;
    case 'w':
        res = isalnum(c);
        break;
    case 'x':
        res = isxdigit(c);
        break;
    case 'z':
        res = (c == 0);
        break; /* deprecated option */
    default:
        return (cl == c);
    }
    return (islower(cl) ? res : !res);
}

static int matchbracketclass(int c, const char *p, const char *ec)
{
    int sig = 1;
    if (*(p + 1) == '^') {
        sig = 0;
        p++; /* skip the '^' */
    }
    while (++p < ec) {
        if (*p == L_ESC) {
            p++;
            if (match_class(c, uchar(*p))) {
                return sig;
            }
        } else if ((*(p + 1) == '-') && (p + 2 < ec)) {
            p += 2;
            if (uchar(*(p - 2)) <= c && c <= uchar(*p)) {
                return sig;
            }
        } else if (uchar(*p) == c) {
            return sig;
        }
    }
    return !sig;
}

static int singlematch(MatchState *ms, const char *s, const char *p, const char *ep)
{
    if (s >= ms->src_end) {
        return 0;
    }
    int c = uchar(*s);
    switch (*p) {
    case '.':
        return 1; /* matches any char */
    case L_ESC:
        return match_class(c, uchar(*(p + 1)));
    case '[':
        step(ms, (uint64_t)(ep - p) / SET_BYTES_PER_STEP);
        return matchbracketclass(c, p, ep - 1);
    default:
        return (uchar(*p) == c);
    }
}

static const char *matchbalance(MatchState *ms, const char *s, const char *p)
{
    if (p >= ms->p_end - 1) {
        luaL_error(ms->L, "malformed pattern (missing arguments to '%%b')");
    }
    if (*s != *p) {
        return NULL;
    }
    int b = *p;
    int e = *(p + 1);
    int cont = 1;
    while (++s < ms->src_end) {
        step(ms, 1);
        if (*s == e) {
            if (--cont == 0) {
                return s + 1;
            }
        } else if (*s == b) {
            cont++;
        }
    }
    return NULL; /* string ends out of balance */
}

static const char *max_expand(MatchState *ms, const char *s, const char *p,
                              const char *ep)
{
    ptrdiff_t i = 0; /* counts maximum expand for item */
    while (singlematch(ms, s + i, p, ep)) {
        step(ms, 1);
        i++;
    }
    /* keeps trying to match with the maximum repetitions */
    while (i >= 0) {
        step(ms, 1);
        const char *res = match(ms, (s + i), ep + 1);
        if (res) {
            return res;
        }
        i--; /* else didn't match; reduce 1 repetition to try again */
    }
    return NULL;
}

static const char *min_expand(MatchState *ms, const char *s, const char *p,
                              const char *ep)
{
    for (;;) {
        step(ms, 1);
        const char *res = match(ms, s, ep + 1);
        if (res != NULL) {
            return res;
        } else if (singlematch(ms, s, p, ep)) {
            s++; /* try with one more repetition */
        } else {
            return NULL;
        }
    }
}

static const char *start_capture(MatchState *ms, const char *s, const char *p, int what)
{
    const char *res;
    int level = ms->level;
    if (level >= SBX_MAXCAPTURES) {
        luaL_error(ms->L, "too many captures");
    }
    ms->capture[level].init = s;
    ms->capture[level].len = what;
    ms->level = (unsigned char)(level + 1);
    if ((res = match(ms, s, p)) == NULL) { /* match failed? */
        ms->level--;                       /* undo capture */
    }
    return res;
}

static const char *end_capture(MatchState *ms, const char *s, const char *p)
{
    int l = capture_to_close(ms);
    const char *res;
    ms->capture[l].len = s - ms->capture[l].init; /* close capture */
    if ((res = match(ms, s, p)) == NULL) {        /* match failed? */
        ms->capture[l].len = CAP_UNFINISHED;      /* undo capture */
    }
    return res;
}

static const char *match_capture(MatchState *ms, const char *s, int l)
{
    size_t len;
    l = check_capture(ms, l);
    len = (size_t)ms->capture[l].len;
    if ((size_t)(ms->src_end - s) >= len && same(ms, ms->capture[l].init, s, len)) {
        return s + len;
    }
    return NULL;
}

static const char *match(MatchState *ms, const char *s, const char *p)
{
    if (ms->matchdepth-- == 0) {
        luaL_error(ms->L, "pattern too complex");
    }
init: /* using goto's to optimize tail recursion */
    step(ms, 1);
    if (p != ms->p_end) { /* end of pattern? */
        switch (*p) {
        case '(':                  /* start capture */
            if (*(p + 1) == ')') { /* position capture? */
                s = start_capture(ms, s, p + 2, CAP_POSITION);
            } else {
                s = start_capture(ms, s, p + 1, CAP_UNFINISHED);
            }
            break;
        case ')': /* end capture */
            s = end_capture(ms, s, p + 1);
            break;
        case '$':
            if ((p + 1) != ms->p_end) { /* is the '$' the last char in pattern? */
                goto dflt;              /* no; go to default */
            }
            s = (s == ms->src_end) ? s : NULL; /* check end of string */
            break;
        case L_ESC: /* escaped sequences not in the format class[*+?-]? */
            switch (*(p + 1)) {
            case 'b': /* balanced string? */
                s = matchbalance(ms, s, p + 2);
                if (s != NULL) {
                    p += 4;
                    goto init; /* return match(ms, s, p + 4); */
                }              /* else fail (s == NULL) */
                break;
            case 'f': { /* frontier? */
                const char *ep;
                char previous;
                p += 2;
                if (*p != '[') {
                    luaL_error(ms->L, "missing '[' after '%%f' in pattern");
                }
                ep = classend(ms, p); /* points to what is next */
                step(ms, 2 * ((uint64_t)(ep - p) / SET_BYTES_PER_STEP));
                previous = (s == ms->src_init) ? '\0' : *(s - 1);
                if (!matchbracketclass(uchar(previous), p, ep - 1) &&
                    matchbracketclass(uchar(*s), p, ep - 1)) {
                    p = ep;
                    goto init; /* return match(ms, s, ep); */
                }
                s = NULL; /* match failed */
                break;
            }
            case '0':
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
            case '8':
            case '9': /* capture results (%0-%9)? */
                s = match_capture(ms, s, uchar(*(p + 1)));
                if (s != NULL) {
                    p += 2;
                    goto init; /* return match(ms, s, p + 2) */
                }
                break;
            default:
                goto dflt;
            }
            break;
        default:
        dflt : {                              /* pattern class plus optional suffix */
            const char *ep = classend(ms, p); /* points to optional suffix */
            /* does not match at least once? */
            if (!singlematch(ms, s, p, ep)) {
                if (*ep == '*' || *ep == '?' || *ep == '-') { /* accept empty? */
                    p = ep + 1;
                    goto init; /* return match(ms, s, ep + 1); */
                } else {       /* '+' or no suffix */
                    s = NULL;  /* fail */
                }
            } else {           /* matched once */
                switch (*ep) { /* handle optional suffix */
                case '?': {    /* optional */
                    const char *res;
                    if ((res = match(ms, s + 1, ep + 1)) != NULL) {
                        s = res;
                    } else {
                        p = ep + 1;
                        goto init; /* else return match(ms, s, ep + 1); */
                    }
                    break;
                }
                case '+': /* 1 or more repetitions */
                    s++;  /* 1 match already done */
                    /* FALLTHROUGH */
                case '*': /* 0 or more repetitions */
                    s = max_expand(ms, s, p, ep);
                    break;
                case '-': /* 0 or more repetitions (minimum) */
                    s = min_expand(ms, s, p, ep);
                    break;
                default: /* no suffix */
                    s++;
                    p = ep;
                    goto init; /* return match(ms, s + 1, ep); */
                }
            }
            break;
        }
        }
    }
    ms->matchdepth++;
    return s;
}

/* Plain search of s2 in s1; the memchr scans and the compares are counted. */
const char *sandbox_memfind(MatchState *ms, const char *s1, size_t l1, const char *s2,
                            size_t l2)
{
    if (l2 == 0) {
        return s1; /* empty strings are everywhere */
    } else if (l2 > l1) {
        return NULL; /* avoids a negative 'l1' */
    }
    const char *init; /* to search for a '*s2' inside 's1' */
    l2--;             /* 1st char will be checked by 'memchr' */
    l1 = l1 - l2;     /* 's2' cannot be found after that */
    while (l1 > 0) {
        init = (const char *)memchr(s1, *s2, l1);
        step(ms, 1 + (uint64_t)(init ? (size_t)(init - s1) : l1) / BYTES_PER_STEP);
        if (init == NULL) {
            break;
        }
        init++; /* 1st char is already checked */
        if (same(ms, init, s2 + 1, l2)) {
            return init - 1;
        }
        /* correct 'l1' and 's1' to try again */
        l1 -= (size_t)(init - s1);
        s1 = init;
    }
    return NULL; /* not found */
}

/*
 * Gets information about the i-th capture. If there are no captures and
 * i == 0, returns information about the whole match, s..e. If the capture is
 * a string, returns its length and puts its address in *cap. If it is a
 * position, pushes it [-0, +1] and returns CAP_POSITION.
 */
ptrdiff_t sandbox_get_capture(MatchState *ms, int i, const char *s, const char *e,
                              const char **cap)
{
    if (i >= ms->level) {
        if (i != 0) {
            luaL_error(ms->L, "invalid capture index %%%d", i + 1);
        }
        *cap = s;
        return e - s;
    }
    ptrdiff_t capl = ms->capture[i].len;
    *cap = ms->capture[i].init;
    if (capl == CAP_UNFINISHED) {
        luaL_error(ms->L, "unfinished capture");
    } else if (capl == CAP_POSITION) {
        lua_pushinteger(ms->L, (ms->capture[i].init - ms->src_init) + 1);
    }
    return capl;
}

/* Pushes the i-th capture [-0, +1, e]. */
void sandbox_push_capture(MatchState *ms, int i, const char *s, const char *e)
{
    const char *cap;
    ptrdiff_t l = sandbox_get_capture(ms, i, s, e, &cap);
    if (l != CAP_POSITION) {
        lua_pushlstring(ms->L, cap, (size_t)l);
    }
    /* else position was already pushed */
}

/* Pushes every capture, or the whole match s..e when there are none and s is
   not NULL [-0, +n, e]; returns n. */
int sandbox_push_captures(MatchState *ms, const char *s, const char *e)
{
    int nlevels = (ms->level == 0 && s) ? 1 : ms->level;
    luaL_checkstack(ms->L, nlevels, "too many captures");
    for (int i = 0; i < nlevels; i++) {
        sandbox_push_capture(ms, i, s, e);
    }
    return nlevels; /* number of strings pushed */
}

void sandbox_match_init(MatchState *ms, lua_State *L, const char *s, size_t ls,
                        const char *p, size_t lp)
{
    ms->L = L;
    ms->matchdepth = MAXCCALLS;
    ms->src_init = s;
    ms->src_end = s + ls;
    ms->p_end = p + lp;
    ms->level = 0;
    ms->steps = 0;
}

const char *sandbox_match(MatchState *ms, const char *s, const char *p)
{
    ms->level = 0; /* reprepstate */
    return match(ms, s, p);
}
