/*
 * test_sandbox_str.c — the sandbox's bounded string.find, match, gmatch, gsub
 * and rep (sandbox_str.c, sandbox_match.c).
 *
 * Differential tests run each case as a Lua expression in two plain states:
 * one with the real Lua 5.4.4 functions, one with ours installed in its
 * string table, and compare every result (types, values, captures,
 * positions, counts, gmatch rounds, error messages) exactly. Then the limit
 * tests run the patterns that hang plain Lua in a sandbox with a small budget.
 */
#include "testutil.h"

#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sandbox.h"
#include "strbuf.h"

#define MAX_ROUNDS 1000 /* gmatch iterator calls compared per case */

typedef struct {
    lua_State *ref;  /* luaL_openlibs: the real functions */
    lua_State *mine; /* luaL_openlibs, then sandbox_open_str on its string table */
} states;

/* ------------------------------------------------------------ helpers */

/* Appends bytes as the inside of a Lua string literal, every byte that is
   not plain printable ASCII as a three-digit decimal escape. */
static void put_quoted(strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 32 || c > 126 || c == '"' || c == '\\' || c == '\'') {
            sb_printf(out, "\\%03u", c);
        } else {
            sb_putc(out, (char)c);
        }
    }
}

/* Describes the value at index i exactly: type, then value. */
static void put_value(strbuf *out, lua_State *L, int i)
{
    switch (lua_type(L, i)) {
    case LUA_TNIL:
        sb_puts(out, "nil");
        break;
    case LUA_TBOOLEAN:
        sb_puts(out, lua_toboolean(L, i) ? "true" : "false");
        break;
    case LUA_TNUMBER:
        if (lua_isinteger(L, i)) {
            sb_printf(out, "int:%lld", (long long)lua_tointeger(L, i));
        } else {
            sb_printf(out, "float:%.17g", lua_tonumber(L, i));
        }
        break;
    case LUA_TSTRING: {
        size_t n;
        const char *s = lua_tolstring(L, i, &n);
        sb_printf(out, "str:%zu:\"", n);
        put_quoted(out, s, n);
        sb_putc(out, '"');
        break;
    }
    default:
        sb_puts(out, luaL_typename(L, i));
        break;
    }
}

/* Appends the values from index first to the top, and pops them. */
static void put_values(strbuf *out, lua_State *L, int first)
{
    int top = lua_gettop(L);
    sb_printf(out, "%d(", top - first + 1);
    for (int i = first; i <= top; i++) {
        if (i > first) {
            sb_puts(out, ", ");
        }
        put_value(out, L, i);
    }
    sb_putc(out, ')');
    lua_settop(L, first - 1);
}

/*
 * Runs code (an expression, or a chunk when it starts with "local") in L, or in
 * the sandbox's environment when sb is not NULL, and describes the outcome.
 * A single function result is a gmatch iterator: it is called until it
 * returns nothing. Caller frees.
 */
static char *run(lua_State *L, sandbox *sb, const char *code)
{
    strbuf chunk = STRBUF_INIT, out = STRBUF_INIT;
    int top = lua_gettop(L);
    if (strncmp(code, "local ", 6) != 0) {
        sb_puts(&chunk, "return ");
    }
    sb_puts(&chunk, code);
    int rc = sb ? sandbox_load(sb, chunk.data, chunk.len, "=case")
                : luaL_loadbufferx(L, chunk.data, chunk.len, "=case", "t");
    if (rc != LUA_OK) {
        fail_msg("case does not load: %s: %s", code, lua_tostring(L, -1));
    }
    rc = lua_pcall(L, 0, LUA_MULTRET, 0);
    if (rc != LUA_OK) {
        sb_puts(&out, "error ");
        put_values(&out, L, top + 1);
    } else if (lua_gettop(L) == top + 1 && lua_type(L, -1) == LUA_TFUNCTION) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            lua_pushvalue(L, top + 1);
            rc = lua_pcall(L, 0, LUA_MULTRET, 0);
            sb_puts(&out, rc == LUA_OK ? "round " : "error ");
            int n = lua_gettop(L) - (top + 1);
            put_values(&out, L, top + 2);
            sb_putc(&out, '\n');
            if (rc != LUA_OK || n == 0) {
                break;
            }
        }
        lua_settop(L, top);
    } else {
        put_values(&out, L, top + 1);
    }
    sb_free(&chunk);
    assert_int_equal(lua_gettop(L), top);
    return sb_detach(&out);
}

/* Sets the globals the cases use: ALL, the 256 bytes in order. */
static void set_globals(lua_State *L)
{
    char all[256];
    for (int i = 0; i < 256; i++) {
        all[i] = (char)i;
    }
    lua_pushlstring(L, all, sizeof all);
    lua_setglobal(L, "ALL");
}

static lua_State *new_state(int mine)
{
    lua_State *L = luaL_newstate();
    assert_non_null(L);
    luaL_openlibs(L);
    if (mine) {
        luaL_getsubtable(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
        lua_getfield(L, -1, LUA_STRLIBNAME);
        int top = lua_gettop(L);
        sandbox_open_str(L, -1);
        assert_int_equal(lua_gettop(L), top);
        lua_pop(L, 2);
    }
    set_globals(L);
    return L;
}

static int setup(void **state)
{
    states *st = calloc(1, sizeof *st);
    assert_non_null(st);
    st->ref = new_state(0);
    st->mine = new_state(1);
    *state = st;
    return 0;
}

static int teardown(void **state)
{
    states *st = *state;
    lua_close(st->ref);
    lua_close(st->mine);
    free(st);
    return 0;
}

/* Compares one case; prints and counts a difference. */
static int differs(states *st, const char *code)
{
    char *want = run(st->ref, NULL, code);
    char *got = run(st->mine, NULL, code);
    int bad = strcmp(want, got) != 0;
    if (bad) {
        print_error("case:   %s\nlua:    %s\nours:   %s\n", code, want, got);
    }
    free(want);
    free(got);
    return bad;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------ hand-picked */

static const char *const cases[] = {
    /* plain find, init, coercions */
    "string.find('hello world', 'o w')",
    "string.find('hello world', 'o', 6)",
    "string.find('hello', 'l', -2)",
    "string.find('hello', 'l', -100)",
    "string.find('hello', '', 6)",
    "string.find('hello', '', 7)",
    "string.find('hello', '', 0)",
    "string.find('abc', 'b', 4)",
    "string.find('', '')",
    "string.find('', 'a')",
    "string.find('a.b', '.', 1, true)",
    "string.find('a+b', '+', 1, 1)",
    "string.find('a+b', 'a+', 1, false)",
    "string.find('a+b', 'a+', 1, nil)",
    "string.find('a\\0b\\0c', '\\0c')",
    "string.find('a\\0b', 'b\\0')",
    "string.find('ab\\0.x', '\\0.')",
    "string.find('aaab', 'aab')",
    "string.find(12345, 34)",
    "string.find('x', 'x', 1.0)",
    "string.find('abc', 'c', '3')",
    "string.find('hello', 'l', math.mininteger)",
    "string.find('hello', 'o', math.maxinteger)",
    "string.find(string.rep('ab', 100) .. 'c', string.rep('ab', 50) .. 'c')",
    "string.find(string.rep('a', 300), string.rep('a', 150) .. 'b')",
    "string.find(string.rep('a', 300), string.rep('a', 150) .. 'b', 1, true)",
    "string.find('Код ОО', ' ')",
    /* classes over every byte */
    "string.gsub(ALL, '%a', '')",
    "string.gsub(ALL, '%c', '')",
    "string.gsub(ALL, '%d', '')",
    "string.gsub(ALL, '%g', '')",
    "string.gsub(ALL, '%l', '')",
    "string.gsub(ALL, '%p', '')",
    "string.gsub(ALL, '%s', '')",
    "string.gsub(ALL, '%u', '')",
    "string.gsub(ALL, '%w', '')",
    "string.gsub(ALL, '%x', '')",
    "string.gsub(ALL, '%z', '')",
    "string.gsub(ALL, '%A+', '.')",
    "string.gsub(ALL, '%C+', '.')",
    "string.gsub(ALL, '%D+', '.')",
    "string.gsub(ALL, '%G+', '.')",
    "string.gsub(ALL, '%L+', '.')",
    "string.gsub(ALL, '%P+', '.')",
    "string.gsub(ALL, '%S+', '.')",
    "string.gsub(ALL, '%U+', '.')",
    "string.gsub(ALL, '%W+', '.')",
    "string.gsub(ALL, '%X+', '.')",
    "string.gsub(ALL, '%Z+', '.')",
    "string.gsub(ALL, '.', '')",
    "string.find('a\\nb', '%c')",
    "string.find('a\\tb', '%s')",
    "string.match('a\\0b', 'a%zb')",
    "string.match('a\\0b', 'a.b')",
    /* sets */
    "string.gsub(ALL, '[a-f]', '')",
    "string.gsub(ALL, '[^a-f]', '')",
    "string.gsub(ALL, '[%d%u_]', '')",
    "string.gsub(ALL, '[^%w%s]', '')",
    "string.gsub(ALL, '[\\128-\\255]+', '#')",
    "string.find('a]b', '[]]')",
    "string.find('a]b', '[^]]')",
    "string.find('x]', '[]x]')",
    "string.find('a-b', '[a-]')",
    "string.find('b-', '[-a]')",
    "string.find('b', '[%a-z]')",
    "string.find('-', '[%a-z]')",
    "string.find('x^', '[x^]')",
    "string.find('^', '[%^]')",
    "string.match('abc', '[c-a]')",
    "string.find('a\\0b', '[%z]')",
    "string.gsub('привет мир', '[\\208-\\209][\\128-\\191]', '.')",
    "string.find('a', '[a')",
    "string.find('a', '[')",
    "string.find('a', '[^')",
    "string.find('a', '[a%')",
    "string.find('a', '[%')",
    "string.find(']', '[]')",
    "string.find('%]', '[%]')",
    "string.find('a]', '[%]]')",
    "string.find('a%', '[%%]')",
    "string.find('a', '[%a')",
    /* escapes */
    "string.find('a.b', '%.')",
    "string.find('50%', '%%')",
    "string.gsub('a(b)c', '%(', '[')",
    "string.find('x]', '%]')",
    "string.find('a', '%')",
    "string.find('a', 'a%')",
    "string.gsub(123.5, '%.', ',')",
    /* quantifiers */
    "string.match('aaa', 'a*')",
    "string.match('aaa', 'a-')",
    "string.match('aaa', 'a-$')",
    "string.match('aaab', 'a+b')",
    "string.match('b', 'a+b')",
    "string.match('ab', 'a?b')",
    "string.match('b', 'a?b')",
    "string.match('aab', 'a?ab')",
    "string.match('xyz', '.-y')",
    "string.match('  trim  ', '^%s*(.-)%s*$')",
    "string.match('key = value', '(%w+)%s*=%s*(%w+)')",
    "string.match('2024-01-15', '(%d+)-(%d+)-(%d+)')",
    "string.find('aaa', 'a-b')",
    "string.match('**', '**')",
    "string.match('+', '+')",
    "string.match('a-', 'a-')",
    "string.match('?', '?')",
    "string.match('aaa', '[ab]-a$')",
    /* anchors */
    "string.find('abc', '^b')",
    "string.find('abc', '^a')",
    "string.find('abc', 'c$')",
    "string.find('abc', 'b$')",
    "string.find('a$c', 'a$c')",
    "string.find('a^c', 'a^c')",
    "string.find('abc', '^')",
    "string.find('abc', '$')",
    "string.find('abc', '^$')",
    "string.find('', '^$')",
    "string.find('abc', '^abc$')",
    "string.find('abc', '^b', 2)",
    "string.match('abc', '^(.)', -1)",
    "string.gsub('hello', '^h', 'H')",
    "string.gsub('hello', '^', '>')",
    "string.gsub('hello', '$', '<')",
    "string.gsub('hello', '^x', 'H')",
    "string.gsub('hello', '^l*', 'L')",
    /* captures */
    "string.match('hello world', '(h)(e)(l)(l)(o)')",
    "string.find('hello', '(l)(l)')",
    "string.match('hello', '()ll()')",
    "string.find('hello', '()')",
    "string.match('hello', '()', 3)",
    "string.match('abc', '((a)(b))')",
    "string.match('abc', '(a(b)(c))')",
    "string.match('', '()')",
    "string.match('abc', '(a)()(b)')",
    "string.match('abc', '(a*(.)%w(%s*))')",
    "string.find('a', '(a')",
    "string.match('a', '(()')",
    "string.find('a', 'a)')",
    "string.find('a', ')')",
    "string.match('ab', '(a)(b))')",
    "string.match(string.rep('a', 40), string.rep('(a)', 32))",
    "string.find(string.rep('a', 40), string.rep('(a)', 32))",
    "string.match(string.rep('a', 40), string.rep('(a)', 33))",
    "string.match('a', string.rep('()', 33))",
    /* back-references */
    "string.match('abcabc', '(abc)%1')",
    "string.find('hello', '(l)%1')",
    "string.match('xyyx', '(.)(.)%2%1')",
    "string.match('aa', '(a)%2')",
    "string.match('aa', '(a%1)')",
    "string.match('aa', '%0')",
    "string.match('aa', '%1')",
    "string.match('a=a', '()=%1')",
    "string.match('say \"hi\" x', '([\"\\'])(.-)%1')",
    "string.match(string.rep('ab', 100), '(' .. string.rep('ab', 50) .. ')%1')",
    "string.match(string.rep('ab', 99) .. 'a', '(' .. string.rep('ab', 50) .. ')%1$')",
    /* %b */
    "string.match('x(a(b)c)d', '%b()')",
    "string.match('((a)', '%b()')",
    "string.match('(', '%b()')",
    "string.match('', '%b()')",
    "string.match('((()', '%b()')",
    "string.match('[[x]]', '%b[]')",
    "string.find(\"it's 'q' here\", \"%b''\")",
    "string.match('x)a(b', '%b)(')",
    "string.gsub('f(a) g(b(c))', '%b()', '[]')",
    "string.match('a', '%b')",
    "string.match('a', '%b(')",
    /* %f */
    "string.gsub('THE (quick) fox', '%f[%a]%a+', 'W')",
    "string.find('hello', '%f[%l]')",
    "string.find('hello', '%f[%z]')",
    "string.find('hello', '%f[^%z]')",
    "string.gsub('one two', '%f[%w]', '|')",
    "string.gsub('one two', '%f[%W]', '|')",
    "string.find('\\0a', '%f[a]')",
    "string.find('a', '%fa')",
    "string.find('a', '%f')",
    "string.find('a', '%f[a')",
    /* the depth limit (MAXCCALLS) */
    "string.match(string.rep('a', 197), string.rep('a?', 197))",
    "string.match(string.rep('a', 198), string.rep('a?', 198))",
    "string.match(string.rep('a', 199), string.rep('a?', 199))",
    "string.match(string.rep('a', 200), string.rep('a?', 200))",
    "string.match(string.rep('a', 201), string.rep('a?', 201))",
    "string.match(string.rep('a', 300), string.rep('a?', 300))",
    "string.match(string.rep('a', 300), string.rep('(a)', 2) .. string.rep('a?', 195))",
    "string.find(string.rep('a', 300), string.rep('%f[a]a?', 150))",
    /* gmatch */
    "string.gmatch('hello world from Lua', '%a+')",
    "string.gmatch('k1=v1, k2=v2', '(%w+)=(%w+)')",
    "string.gmatch('abc', '')",
    "string.gmatch('abc', 'x*')",
    "string.gmatch('aXbX', 'X*')",
    "string.gmatch('abc', '()')",
    "string.gmatch('abc', '.', 2)",
    "string.gmatch('abc', '.', -1)",
    "string.gmatch('abc', '.', 10)",
    "string.gmatch('abc', '', 4)",
    "string.gmatch('abc', '', 5)",
    "string.gmatch('^a^a', '^a')",
    "string.gmatch('a b', '%f[%w]()')",
    "string.gmatch('abc', '(')",
    "string.gmatch('abc', '%')",
    "string.gmatch(nil, 'a')",
    "string.gmatch('a', 'a', 'x')",
    "('one two'):gmatch('%a+')",
    /* gsub with a string replacement and n */
    "string.gsub('hello world', 'o', '0')",
    "string.gsub('hello world', 'o', '0', 1)",
    "string.gsub('hello world', 'o', '0', 0)",
    "string.gsub('hello world', 'o', '0', -1)",
    "string.gsub('hello world', 'o', '0', 1.0)",
    "string.gsub('hello world', 'o', '0', 1.5)",
    "string.gsub('hello world', 'o', '0', '1')",
    "string.gsub('hello', '', '-')",
    "string.gsub('abc', 'x*', '-')",
    "string.gsub('abc', '%w', '%0%0')",
    "string.gsub('abc', '(%w)', '%1-')",
    "string.gsub('abc', '%w', '%1')",
    "string.gsub('abc', '%w', '%2')",
    "string.gsub('abc', '(a)', '%2')",
    "string.gsub('abc', 'b', '%%')",
    "string.gsub('abc', 'b', '%')",
    "string.gsub('abc', 'b', '%x')",
    "string.gsub('abc', 'b', 'x%')",
    "string.gsub('abc', '()b()', '%1%2')",
    "string.gsub('abc', 'b', 5)",
    "string.gsub('abc', 'b', 2.5)",
    "string.gsub('abc', 'b')",
    "string.gsub('abc', 'b', true)",
    "string.gsub('abc', 'b', nil)",
    "string.gsub('a', '(', '%1')",
    "string.gsub('abc', 'z', 'y')",
    /* gsub with a table */
    "string.gsub('$name is $age', '%$(%w+)', {name = 'Ann', age = 7})",
    "string.gsub('a b c', '%w', {a = '1', b = false})",
    "string.gsub('a b', '%w', {a = {}})",
    "string.gsub('a b', '%w', {a = true})",
    "string.gsub('abc', '()', {[1] = 'one', [3] = 'three'})",
    "string.gsub('abc', '(b)(c)', {b = 'B'})",
    "string.gsub('abc', '.', {a = 1, b = 2.5})",
    "string.gsub('a', '(', {})",
    "string.gsub('abc', '%w', setmetatable({}, {__index = function(t, k) return "
    "k:upper() "
    "end}))",
    /* gsub with a function */
    "string.gsub('abc', '%w', function(c) return c:upper() end)",
    "string.gsub('abc', '%w', function(c) return nil end)",
    "string.gsub('abc', '%w', function(c) return false end)",
    "string.gsub('abc', '%w', function(c) return 1.5 end)",
    "string.gsub('abc', '%w', function(c) return {} end)",
    "string.gsub('abc', '(%w)()', function(c, p) return c .. p end)",
    "string.gsub('abc', '%w', function(...) return select('#', ...) end)",
    "string.gsub('abc', '%w', function() error('boom') end)",
    "string.gsub('abc', '%w', function(c) return string.gsub(c, '.', '%0%0') end)",
    "string.gsub('hello world', '%w+', function(w) return #w end)",
    "string.gsub('a', '(', function(x) return x end)",
    /* rep */
    "string.rep('ab', 3)",
    "string.rep('ab', 3, ',')",
    "string.rep('ab', 1, ',')",
    "string.rep('ab', 0)",
    "string.rep('ab', -5)",
    "string.rep('', 5)",
    "string.rep('', 5, '')",
    "string.rep('', 3, 'x')",
    "string.rep('x', 0, 'y')",
    "string.rep('x', 3, nil)",
    "string.rep('', 1000000)",
    "string.rep('', 1000000, '')",
    "string.rep('x', 2^31)",
    "string.rep('x', math.maxinteger)",
    "string.rep('', math.maxinteger, 'x')",
    "string.rep('xx', 2^30)",
    "string.rep('x', 1.5)",
    "string.rep('x', '3')",
    "string.rep('x')",
    "string.rep()",
    "string.rep('x', 2, {})",
    "string.rep(5, 2, 0)",
    "#string.rep('abc', 100000, '--')",
    "string.rep('abc', 100) == ('abc'):rep(100)",
    /* argument errors and how the function is named in them */
    "string.find()",
    "string.find('a')",
    "string.find('a', 'a', 'x')",
    "string.find('a', 'a', 1.5)",
    "string.find({}, 'a')",
    "string.match('a', {})",
    "string.match()",
    "string.gsub()",
    "string.gsub('a', {}, 'x')",
    "pcall(string.find, {}, 'a')",
    "pcall(string.gsub, 'a', 'a')",
    "pcall(string.rep, 'a', 'x')",
    "('x'):find({})",
    "('x'):rep()",
    "local t = {find = string.find} return t:find('a')",
    "('abc'):gsub('b', 'x')",
    "('abc'):rep(2)",
    "('abc'):match('b')",
};

static void test_sandbox_str_matches_lua_on_picked_cases(void **state)
{
    states *st = *state;
    int bad = 0;
    size_t n = sizeof cases / sizeof cases[0];
    for (size_t i = 0; i < n; i++) {
        bad += differs(st, cases[i]);
    }
    printf("    %zu hand-picked cases compared\n", n);
    assert_true(n >= 150);
    assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------ random */

typedef struct {
    uint64_t s;
} rng;

static unsigned rnd(rng *r, unsigned n)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return (unsigned)((r->s >> 11) % n);
}

static const char *pick(rng *r, const char *const *list, size_t n)
{
    return list[rnd(r, (unsigned)n)];
}

#define PICK(r, list) pick(r, list, sizeof list / sizeof list[0])

/* Pattern items: the atoms take a quantifier, the others do not. */
static const char *const atoms[] = {
    "a",      "b",     "x",    ".",     ".",     "%a",    "%d",    "%s",    "%w",
    "%p",     "%x",    "%c",   "%g",    "%u",    "%l",    "%A",    "%D",    "%S",
    "%W",     "%P",    "%X",   "%C",    "%G",    "%U",    "%L",    "%.",    "%%",
    "%(",     "%-",    "[ab]", "[^ab]", "[a-c]", "[%d.]", "[^%s]", "[]a]",  "[a-]",
    "[%a%-]", "[^%w]", "1",    " ",     "A",     "%z",    "[^]a]", "[%]b]", "[\\0a]"};
static const char *const quants[] = {"", "", "", "*", "+", "-", "?"};
static const char *const specials[] = {"%b()", "%bab", "%f[%w]", "%f[^a]", "%f[a-c]",
                                       "%1",   "%2",   "()",     "%f[%z]", "%b))"};
static const char *const broken[] = {"%",   "[a", "(",  ")",   "%b", "%f",
                                     "%fa", "[^", "%3", "[%]", "[a%"};
static const char *const repls[] = {
    "'<%0>'",
    "'%1'",
    "'%2'",
    "'[%1|%2]'",
    "'x'",
    "''",
    "'%%'",
    "'%'",
    "'%a'",
    "{a = 'A', b = false, [1] = 'P', x = 7}",
    "function(a, b) return b or a end",
    "function(a) if a == 'a' then return nil end return a .. '!' end",
    "function(...) return select('#', ...) end"};

/* Subject bytes: a small alphabet, so that patterns match. */
static const char alphabet[] = "aaabbbx()1 .A-%\n\0\351";

static void gen_items(rng *r, strbuf *p, int depth);

static void gen_item(rng *r, strbuf *p, int depth)
{
    unsigned k = rnd(r, 20);
    if (k < 14) {
        sb_puts(p, PICK(r, atoms));
        sb_puts(p, PICK(r, quants));
    } else if (k < 17) {
        sb_puts(p, PICK(r, specials));
    } else if (depth < 2) {
        sb_putc(p, '(');
        gen_items(r, p, depth + 1);
        sb_putc(p, ')');
    } else {
        sb_puts(p, "()");
    }
}

static void gen_items(rng *r, strbuf *p, int depth)
{
    unsigned n = rnd(r, depth ? 3 : 6) + (depth ? 0 : 1);
    for (unsigned i = 0; i < n; i++) {
        gen_item(r, p, depth);
    }
}

/* A random pattern as Lua string literal text (with escapes). */
static void gen_pattern(rng *r, strbuf *out)
{
    strbuf p = STRBUF_INIT;
    if (rnd(r, 5) == 0) {
        sb_putc(&p, '^');
    }
    gen_items(r, &p, 0);
    if (rnd(r, 5) == 0) {
        sb_putc(&p, '$');
    }
    if (rnd(r, 30) == 0) {
        sb_puts(&p, PICK(r, broken));
    }
    sb_puts(out, p.data); /* atoms are already Lua escape text */
    sb_free(&p);
}

static void gen_subject(rng *r, strbuf *out)
{
    unsigned n = rnd(r, 15);
    for (unsigned i = 0; i < n; i++) {
        char c = alphabet[rnd(r, sizeof alphabet - 1)];
        put_quoted(out, &c, 1);
    }
}

static void gen_init(rng *r, strbuf *out)
{
    static const char *const inits[] = {"1", "2", "3", "-1", "-3", "0", "7", "20", "-20"};
    sb_puts(out, ", ");
    sb_puts(out, PICK(r, inits));
}

/* One random call as a Lua expression. */
static void gen_case(rng *r, strbuf *code)
{
    static const char *const ops[] = {"find", "match", "gmatch", "gsub"};
    const char *op = PICK(r, ops);
    sb_printf(code, "string.%s(\"", op);
    gen_subject(r, code);
    sb_puts(code, "\", \"");
    gen_pattern(r, code);
    sb_putc(code, '"');
    if (strcmp(op, "gsub") == 0) {
        sb_puts(code, ", ");
        sb_puts(code, PICK(r, repls));
        if (rnd(r, 4) == 0) {
            static const char *const ns[] = {"-1", "0", "1", "2", "3"};
            sb_puts(code, ", ");
            sb_puts(code, PICK(r, ns));
        }
    } else if (rnd(r, 3) == 0) {
        gen_init(r, code);
        if (strcmp(op, "find") == 0 && rnd(r, 4) == 0) {
            sb_puts(code, ", true");
        }
    }
    sb_putc(code, ')');
}

/* A sandbox with a small budget decides which cases finish quickly. */
static sandbox *guard_new(void)
{
    shnor_limits lim;
    shnor_limits_default(&lim);
    lim.instructions = 300000;
    lim.seconds = 1e9;
    lim.memory = (size_t)64 << 20;
    sandbox *sb = sandbox_new(&lim, NULL);
    assert_non_null(sb);
    return sb;
}

static void test_sandbox_str_matches_lua_on_random_cases(void **state)
{
    states *st = *state;
    rng r = {0x5eed5eed12345678ULL};
    sandbox *sb = guard_new();
    int bad = 0, compared = 0, skipped = 0;
    strbuf code = STRBUF_INIT;
    for (int i = 0; i < 24000; i++) {
        sb_reset(&code);
        gen_case(&r, &code);
        /* Ours runs first under the budget: the real one, the same
           algorithm, finishes quickly whenever ours does. */
        sb->instr_used = 0;
        free(run(sb->L, sb, code.data));
        if (sb->tripped != SBX_OK) {
            sandbox_free(sb);
            sb = guard_new();
            skipped++;
            continue;
        }
        bad += differs(st, code.data);
        compared++;
        if (bad > 20) {
            break;
        }
    }
    sb_free(&code);
    sandbox_free(sb);
    printf("    %d random cases compared, %d skipped by the guard\n", compared, skipped);
    assert_int_equal(bad, 0);
    assert_true(compared >= 20000);
}

/* ------------------------------------------------------------ limits */

/* Runs code in a sandbox with the given instruction and time limits; returns
   the sandbox (caller frees) with the outcome on its stack, and the time. */
static sandbox *run_limited(const char *code, uint64_t instructions, double seconds,
                            int *rc, double *elapsed)
{
    shnor_limits lim;
    shnor_limits_default(&lim);
    lim.instructions = instructions;
    lim.seconds = seconds;
    sandbox *sb = sandbox_new(&lim, NULL);
    assert_non_null(sb);
    double t0 = now();
    assert_int_equal(sandbox_load(sb, code, strlen(code), "=limits"), LUA_OK);
    *rc = sandbox_pcall(sb, 0, 1);
    *elapsed = now() - t0;
    return sb;
}

/* The code must end with the error of an instruction limit, fast. */
static void expect_limit_of(const char *what, const char *code, uint64_t limit)
{
    int rc;
    double t;
    char text[64];
    sandbox *sb = run_limited(code, limit, 60, &rc, &t);
    printf("    %-40s %.4f s\n", what, t);
    assert_int_not_equal(rc, LUA_OK);
    assert_int_equal(sb->tripped, SBX_LIMIT_INSTRUCTIONS);
    const char *msg = lua_tostring(sb->L, -1);
    assert_non_null(msg);
    snprintf(text, sizeof text, "instruction limit of %llu reached",
             (unsigned long long)limit);
    assert_non_null(strstr(msg, text));
    assert_true(t < 0.5);
    sandbox_free(sb);
}

static void expect_instruction_limit(const char *what, const char *code)
{
    expect_limit_of(what, code, 1000000);
}

static void test_sandbox_str_find_lazy_bounded(void **state)
{
    (void)state;
    expect_instruction_limit("find .-b over 200000 a",
                             "return string.find(string.rep('a', "
                             "200000), '.-b')");
    expect_instruction_limit("match .-b over 200000 a",
                             "return ('a'):rep(200000):match('(.-)b')");
}

static void test_sandbox_str_gsub_nested_lazy_bounded(void **state)
{
    (void)state;
    expect_instruction_limit("gsub (.-)(.-)(.-)y over 100000 x",
                             "return ('x'):rep(100000):gsub('(.-)(.-)(.-)y', '')");
}

static void test_sandbox_str_gmatch_loop_bounded(void **state)
{
    (void)state;
    expect_instruction_limit(
        "gmatch loop .-b over 200000 a",
        "local n = 0\n"
        "for w in string.rep('a', 200000):gmatch('.-b') do n = n + 1 end\n"
        "return n");
    expect_instruction_limit(
        "gmatch loop of many short matches",
        "local n = 0\n"
        "for i = 1, 1e9 do\n"
        "  for w in string.rep('ab', 1000):gmatch('a') do n = n + 1 end\n"
        "end\n"
        "return n");
}

static void test_sandbox_str_long_compares_bounded(void **state)
{
    (void)state;
    /* Plain search and a long literal pattern cost |s| * |p| without a
       single match() recursion worth counting. */
    expect_instruction_limit("plain find of a 500000-byte needle",
                             "return string.find(string.rep('a', 1000000), "
                             "string.rep('a', 500000) .. 'b', 1, true)");
    expect_instruction_limit("find of a 50000-byte literal pattern",
                             "return string.find(string.rep('a', 100000), "
                             "string.rep('a', 50000) .. 'b$')");
    expect_instruction_limit("back-reference over 200000 a",
                             "return string.find(string.rep('a', 200000), '(a-)%1b')");
    expect_instruction_limit("%b over 200000 (",
                             "return string.find(string.rep('(', 200000), '%b()')");
    expect_instruction_limit("a long set",
                             "local set = '[' .. string.rep('b', 100000) .. ']'\n"
                             "return string.find(string.rep('a', 100000), "
                             "'a*' .. set)");
}

static void test_sandbox_str_rep_empty_returns_at_once(void **state)
{
    (void)state;
    static const char *const codes[] = {"return string.rep('', 1e15)",
                                        "return string.rep('', 1e15, '')",
                                        "return ('').rep('', math.maxinteger)"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        int rc;
        double t;
        sandbox *sb = run_limited(codes[i], 1000000, 60, &rc, &t);
        printf("    %-40s %.4f s\n", codes[i] + 7, t);
        assert_int_equal(rc, LUA_OK);
        assert_int_equal(lua_type(sb->L, -1), LUA_TSTRING);
        assert_string_equal(lua_tostring(sb->L, -1), "");
        assert_int_equal(sb->tripped, SBX_OK);
        assert_true(t < 0.1);
        sandbox_free(sb);
    }
}

static void test_sandbox_str_rep_large_bounded(void **state)
{
    (void)state;
    /* 100 MB fits the default memory cap; writing it would cost ~1.6 M
       steps, and the limit stops the copy after 6.4 MB. */
    expect_limit_of("rep of 100 MB", "return #string.rep('ab', 5e7)", 100000);
}

static void test_sandbox_str_rep_memory_capped(void **state)
{
    (void)state;
    shnor_limits lim;
    shnor_limits_default(&lim);
    lim.memory = (size_t)16 << 20;
    sandbox *sb = sandbox_new(&lim, NULL);
    assert_non_null(sb);
    const char *code = "return #string.rep('x', 1e9)";
    assert_int_equal(sandbox_load(sb, code, strlen(code), "=limits"), LUA_OK);
    assert_int_not_equal(sandbox_pcall(sb, 0, 1), LUA_OK);
    assert_int_equal(sb->tripped, SBX_LIMIT_MEMORY);
    assert_true(sb->mem_peak < ((size_t)64 << 20));
    sandbox_free(sb);
}

static void test_sandbox_str_pcall_cannot_swallow_limit(void **state)
{
    (void)state;
    expect_instruction_limit(
        "pcall loop around find .-b",
        "while true do pcall(string.find, string.rep('a', 200000), '.-b') end");
}

static void test_sandbox_str_time_limit_checked_inside_match(void **state)
{
    (void)state;
    int rc;
    double t;
    sandbox *sb = run_limited("return string.find(string.rep('a', 1000000), '.-b')",
                              UINT64_MAX / 2, 0.2, &rc, &t);
    printf("    %-40s %.4f s\n", "time limit 0.2 s, find .-b over 1e6 a", t);
    assert_int_not_equal(rc, LUA_OK);
    assert_int_equal(sb->tripped, SBX_LIMIT_TIME);
    assert_non_null(strstr(lua_tostring(sb->L, -1), "time limit of 0.2 s reached"));
    assert_true(t < 0.6);
    sandbox_free(sb);
}

static void test_sandbox_str_charges_steps(void **state)
{
    (void)state;
    /* .-b over n bytes tries n starts of up to n steps: about n*n/2. */
    int rc;
    double t;
    sandbox *sb = run_limited("return string.find(string.rep('a', 2000), '.-b')",
                              UINT64_MAX / 2, 60, &rc, &t);
    assert_int_equal(rc, LUA_OK);
    assert_int_equal(lua_type(sb->L, -1), LUA_TNIL);
    assert_true(sb->instr_used >= 2000 * 2000 / 2);
    assert_true(sb->instr_used < 2000 * 2000 * 4);
    sandbox_free(sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sandbox_str_matches_lua_on_picked_cases,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_sandbox_str_matches_lua_on_random_cases,
                                        setup, teardown),
        cmocka_unit_test(test_sandbox_str_find_lazy_bounded),
        cmocka_unit_test(test_sandbox_str_gsub_nested_lazy_bounded),
        cmocka_unit_test(test_sandbox_str_gmatch_loop_bounded),
        cmocka_unit_test(test_sandbox_str_long_compares_bounded),
        cmocka_unit_test(test_sandbox_str_rep_empty_returns_at_once),
        cmocka_unit_test(test_sandbox_str_rep_large_bounded),
        cmocka_unit_test(test_sandbox_str_rep_memory_capped),
        cmocka_unit_test(test_sandbox_str_pcall_cannot_swallow_limit),
        cmocka_unit_test(test_sandbox_str_time_limit_checked_inside_match),
        cmocka_unit_test(test_sandbox_str_charges_steps),
    };
    return cmocka_run_group_tests_name("sandbox_str", tests, NULL, NULL);
}
