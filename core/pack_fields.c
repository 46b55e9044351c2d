/*
 * pack_fields.c — the checks every part of a pack shares while it is read:
 * problems collected with their file:line, list shapes, known keys, and the
 * text and string fields (no NUL, no control character, not too long).
 */
#include "pack.h"

#include <lauxlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textwidth.h"

int pack_too_many(pack *p, const char *what, size_t n, size_t cap)
{
    if (n <= cap) {
        return 0;
    }
    pack_problem(p, pack_locate(p, what, NULL, 0, 0),
                 "'%s' has %zu entries; a pack may have at most %zu (is it built by a "
                 "runaway loop?)",
                 what, n, cap);
    return 1;
}

void pack_problem(pack *p, int line, const char *fmt, ...)
{
    va_list ap;
    if (line > 0) {
        sb_printf(&p->problems, "%s:%d: ", p->path, line);
    } else {
        sb_printf(&p->problems, "%s: ", p->path);
    }
    strbuf msg = STRBUF_INIT;
    va_start(ap, fmt);
    sb_vprintf(&msg, fmt, ap);
    va_end(ap);
    /* a pack's error(string.rep("x", 1e7)) is no 10 MB message */
    text_append_cut(&p->problems, msg.data ? msg.data : "", msg.len, PROBLEM_MAX);
    sb_free(&msg);
    sb_putc(&p->problems, '\n');
    p->nproblems++;
}

int pack_function_line(lua_State *L, int idx)
{
    lua_Debug ar;
    if (lua_type(L, idx) != LUA_TFUNCTION) {
        return 0;
    }
    lua_pushvalue(L, idx);
    if (!lua_getinfo(L, ">S", &ar)) {
        return 0;
    }
    return ar.linedefined > 0 ? ar.linedefined : 0;
}

/* Entries the pack left without an id are kept (their problem is reported)
   and never match. */
int pack_category_index(const pack *p, const char *id)
{
    for (size_t i = 0; i < p->ncats; i++) {
        if (p->cats[i].id && strcmp(p->cats[i].id, id) == 0) {
            return (int)i;
        }
    }
    return -1;
}

int pack_criterion_index(const pack *p, const char *id)
{
    for (size_t i = 0; i < p->ncrits; i++) {
        /* a criterion written without an id is kept (and reported) with none */
        if (p->crits[i].id && strcmp(p->crits[i].id, id) == 0) {
            return (int)i;
        }
    }
    return -1;
}

void pack_push_field(pack *p, const char *name)
{
    lua_State *L = p->sb->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, p->table_ref);
    /* raw: callers are outside a protected call, where no metamethod of the
       pack's table may run */
    lua_pushstring(L, name);
    lua_rawget(L, -2);
    lua_remove(L, -2);
}

static int in_list(const char *const *list, const char *s)
{
    for (; *list; list++) {
        if (strcmp(*list, s) == 0) {
            return 1;
        }
    }
    return 0;
}

void pack_check_list(pack *p, int idx, const char *what)
{
    lua_State *L = p->sb->L;
    idx = lua_absindex(L, idx);
    lua_Integer n = (lua_Integer)lua_rawlen(L, idx);
    /* in sorted order: which stray entry is named must not depend on the
       hash seed of the process */
    sandbox_sorted_keys(L, idx);
    int keys = lua_gettop(L);
    for (lua_Integer j = 1, nk = (lua_Integer)lua_rawlen(L, keys); j <= nk; j++) {
        lua_rawgeti(L, keys, j);
        if (lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1 && lua_tointeger(L, -1) <= n) {
            lua_pop(L, 1);
            continue;
        }
        if (lua_type(L, -1) == LUA_TSTRING) {
            const char *key = lua_tostring(L, -1);
            pack_problem(p, pack_locate_key(p, key, 1, 0),
                         "'%s' has an entry under the name '%s', beside its list of %lld; it "
                         "would be left out: write it as an item of the list ({ … }, not %s = "
                         "{ … })",
                         what, key, (long long)n, key);
        } else if (lua_type(L, -1) == LUA_TNUMBER) {
            pack_problem(p, pack_locate_key(p, what, 1, 0),
                         "'%s' has an entry [%s] after a gap in its list of %lld (a nil "
                         "item, or a skipped index); it would be left out",
                         what, lua_tostring(L, -1), (long long)n);
        } else {
            pack_problem(p, pack_locate_key(p, what, 1, 0),
                         "'%s' has an entry under a %s key, beside its list; it would be left out",
                         what, luaL_typename(L, -1));
        }
        break;
    }
    lua_settop(L, keys - 1);
}

/* Reports keys of the table at idx that are not in `known`. */
void pack_check_keys(pack *p, int idx, const char *const *known, const char *what, int line)
{
    lua_State *L = p->sb->L;
    sandbox_sorted_keys(L, idx);
    lua_Integer n = (lua_Integer)lua_rawlen(L, -1);
    for (lua_Integer i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, i);
        if (lua_type(L, -1) == LUA_TNUMBER) {
            /* an entry without a name: `[3] = 5`, or a value in a list's place */
            lua_pushvalue(L, -1);
            const char *index = lua_tostring(L, -1);
            pack_problem(p, pack_locate_index(p, index, line, line),
                         "%s has an entry [%s] without a name; its keys are names (id = …, "
                         "title = …)",
                         what, index);
            lua_pop(L, 1);
        } else if (lua_type(L, -1) != LUA_TSTRING) {
            pack_problem(p, line, "%s has a key of type %s; keys are names", what,
                         luaL_typename(L, -1));
        } else if (!in_list(known, lua_tostring(L, -1))) {
            strbuf names = STRBUF_INIT;
            for (const char *const *k = known; *k; k++) {
                sb_printf(&names, "%s%s", k == known ? "" : ", ", *k);
            }
            const char *key = lua_tostring(L, -1);
            pack_problem(p, pack_locate_key(p, key, line, line),
                         "%s has an unknown key '%s' (known: %s)", what, key, names.data);
            sb_free(&names);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

int pack_text_ok(pack *p, int line, const char *what, const char *name, const char *s,
                 size_t len)
{
    if (strlen(s) != len) {
        /* it would be cut there, in every output, without a word */
        pack_problem(p, line, "%s: '%s' has a NUL byte (\\0) in it", what, name);
        return 0;
    }
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) {
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    }
    for (size_t i = 0, at = 1; i < len && !p->sb->stored_modules; at++) {
        long cp;
        i += utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (utf8_is_obeyed(cp)) {
            /* printed in terminals, kept in workbooks (an escape there is
               not XML: Excel calls the file corrupt) and pages; said by
               number, as printing it would do what it says */
            pack_problem(p, line,
                         "%s: '%s' has a control character (U+%04lX) at character %zu; a text "
                         "of a pack is printed, and may have line breaks and tabs only",
                         what, name, cp, at);
            return 0;
        }
    }
    if (chars > PACK_TEXT_MAX && !p->sb->stored_modules) { /* a kept run replays as it was */
        /* repeated for every school it explains, into runs kept for good */
        pack_problem(p, line, "%s: '%s' is %zu characters long; a text of a pack is at most %d",
                     what, name, chars, PACK_TEXT_MAX);
        return 0;
    }
    return 1;
}

int pack_field_absent(pack *p, int idx, const char *name)
{
    int absent = lua_getfield(p->sb->L, idx, name) == LUA_TNIL;
    lua_pop(p->sb->L, 1);
    return absent;
}

/* A copy of string field `name` of the table at idx; NULL when absent. Reports
   a field of another type, and a text pack_text_ok refuses. */
char *pack_string_field(pack *p, int idx, const char *name, const char *what, int line)
{
    lua_State *L = p->sb->L;
    char *out = NULL;
    int t = lua_getfield(L, idx, name);
    if (t == LUA_TNUMBER && strcmp(name, "version") == 0 && !lua_isinteger(L, -1) &&
        !p->sb->stored_modules) {
        /* 2023.10 is the number 2023.1: the version kept would not be the one written */
        pack_problem(p, line, "%s: '%s' is the number %s, which loses trailing zeros and may "
                              "differ from what is written; write it as text, in quotes",
                     what, name, lua_tostring(L, -1));
    } else if (t == LUA_TSTRING || (t == LUA_TNUMBER && strcmp(name, "version") == 0)) {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        if (pack_text_ok(p, line, what, name, s, len)) {
            out = strdup(s);
        }
    } else if (t != LUA_TNIL) {
        pack_problem(p, line, "%s: '%s' must be a string, not a %s", what, name,
                     luaL_typename(L, -1));
    }
    lua_pop(L, 1);
    return out;
}
