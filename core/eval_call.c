/*
 * eval_call.c — calls one function of a pack (a criterion's test, a `list`,
 * a cohort's test, `mentors`) for one school in protected mode and turns
 * what came back into a decision: fired, not, insufficient data (a missing
 * value the function read, or the pack's own shnor.insufficient), or a
 * failure described for the user with the pack, school and file:line. The
 * rules of when a nil or an error means "insufficient data" live here.
 */
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

#include "bridge.h"
#include "evalInt.h"
#include "textwidth.h"

/* A pack's error message longer than this is cut in the middle. */
#define MSG_MAX 4096

/* See evalInt.h. */
int eval_fail(evaluation *ev, bridge *b, int status, const char *what, const char *msg)
{
    const pack *p = ev->p;
    const ds_school *s = b->school >= 0 ? &ev->ds->schools[b->school] : NULL;
    sb_reset(&ev->err);
    sb_printf(&ev->err, "pack '%s' (%s): ", p->id ? p->id : "?", p->path);
    if (status == SHNOR_LIMIT) {
        char limit[96];
        sandbox_limit_text(p->sb, limit, sizeof limit);
        sb_printf(&ev->err, "%s reached in %s", limit, what);
    } else {
        sb_printf(&ev->err, "%s failed", what);
    }
    if (s) {
        sb_printf(&ev->err, " for school %s (%s)", s->code, s->name);
    }
    sb_printf(&ev->err, ", period %s:\n", ev->period_text);
    msg = msg ? msg : "(no message)";
    text_append_cut(&ev->err, msg, strlen(msg), MSG_MAX);
    return status;
}

/*
 * Is msg an error that a nil value in an operation raises: what reading a
 * missing value and using it gives ("attempt to compare nil with number",
 * "... arithmetic on a nil value", "bad argument #1 to 'abs' (number
 * expected, got nil)", a nil loop bound)? Any other error, after a missing
 * value or not (a misspelt indicator, an undefined global, indexing a
 * misspelt field: a value is a number, never indexed), is the pack's fault.
 */
static int nil_error(const char *msg)
{
    static const char *const marks[] = {"attempt to compare nil", "with nil",
                                        "attempt to compare two nil",
                                        "on a nil value", "concatenate a nil value",
                                        "length of a nil value", "got nil)",
                                        "'for' initial value must be a number",
                                        "'for' limit must be a number",
                                        "'for' step must be a number"};
    if (!msg) {
        return 0;
    }
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        if (strstr(msg, marks[i])) {
            return 1;
        }
    }
    return 0;
}

/*
 * A test or list function returned a value that is neither a boolean nor
 * nil: the value on top, the function under it. Lua would count 0, "нет" or
 * a table as true and list every school, so it is the pack's error
 * (`return s:value("flag500", p)` where `== 1` was meant). Pops both; -1.
 */
static int bad_result(evaluation *ev, bridge *b, const char *what_fmt, const char *what_id,
                      int nil_is_skip)
{
    lua_State *L = ev->p->sb->L;
    char what[160], value[96], where[256] = "";
    snprintf(what, sizeof what, what_fmt, what_id);
    int t = lua_type(L, -1);
    if (t == LUA_TNUMBER) {
        /* as Lua writes it, not through Lua: the pack may be at its memory cap */
        snprintf(value, sizeof value, "the number %.14g", lua_tonumber(L, -1));
    } else if (t == LUA_TSTRING) {
        size_t len, n;
        const char *str = lua_tolstring(L, -1, &len);
        n = utf8_cut(str, len, 40);
        snprintf(value, sizeof value, "the string \"%.*s%s\"", (int)n, str, n < len ? "…" : "");
    } else {
        snprintf(value, sizeof value, "a %s", lua_typename(L, t));
    }
    lua_Debug ar;
    lua_pushvalue(L, -2);
    if (lua_getinfo(L, ">S", &ar) && ar.linedefined > 0) {
        snprintf(where, sizeof where, "%s:%d: ", ar.short_src, ar.linedefined);
    }
    /* The hint compares the value the function read last, and keeps a
       missing one insufficient data: `v == 1` alone is false for a nil, and
       the school would silently be "not listed". */
    const char *code = "flag500", *test = "v == 1";
    for (size_t i = b->nscratch; i-- > 0;) {
        const ev_read *r = &b->scratch[i];
        if (r->kind == READ_VALUE && r->col >= 0) {
            const indicator *ind = &b->ds->inds[b->ds->cols[r->col]->indicator];
            code = ind->code;
            test = ind->unit == UNIT_FLAG ? "v == 1"
                   : ind->better == BETTER_LOWER ? "v > LIMIT"
                                                 : "v < LIMIT";
            break;
        }
    }
    strbuf msg = STRBUF_INIT;
    sb_printf(&msg,
              "%s%s returned %s; it must return true or false (%s): compare the value, "
              "e.g. local v = s:value(\"%s\", p); return v and %s (a missing value "
              "gives nil: insufficient data, not \"not listed\" as v == 1 alone would "
              "say)",
              where, what, value,
              nil_is_skip ? "nil counts as insufficient data when a criterion lacked data, "
                            "else as false"
                          : "nil counts as false, or as insufficient data when a value it "
                            "read was missing",
              code, test);
    eval_fail(ev, b, SHNOR_PACK, what, msg.data);
    sb_free(&msg);
    lua_pop(L, 2);
    return -1;
}

/* See evalInt.h. */
int eval_run_call(evaluation *ev, bridge *b, int nargs, const char *what_fmt,
                  const char *what_id, char *reason, int nil_is_skip, int keep)
{
    sandbox *sb = ev->p->sb;
    lua_State *L = sb->L;
    if (!keep) {
        /* A copy of the function, to say where it is if its result is wrong. */
        lua_pushvalue(L, -(nargs + 1));
        lua_insert(L, -(nargs + 2));
    }
    sb->insufficient_raised = 0;
    int rc = sandbox_pcall(sb, nargs, 1);
    if (rc == LUA_OK) {
        int r;
        if (sb->insufficient_raised) {
            /* shnor.insufficient inside a pcall of the pack's: the criterion
               said it lacks data; a result it made after is not a decision
               (fail closed, as a limit is re-raised past a pcall) */
            snprintf(reason, REASON_MAX, "!%s", sb->insufficient_reason);
            lua_pop(L, keep ? 1 : 2); /* as the signal, uncaught, leaves the stack */
            return CRIT_INSUFFICIENT;
        }
        if (nil_is_skip && lua_isnil(L, -1)) {
            r = CRIT_SKIPPED;
        } else if (!keep && lua_isnil(L, -1) && b->nil_reads > 0) {
            /* `return v and v > 0.2` with no v: fail closed to "insufficient
               data", as when the comparison raised, never to "not listed". */
            snprintf(reason, REASON_MAX, "нет значения: %s", b->missing);
            r = CRIT_INSUFFICIENT;
        } else if (!keep && !lua_isboolean(L, -1) && !lua_isnil(L, -1)) {
            return bad_result(ev, b, what_fmt, what_id, nil_is_skip);
        } else {
            r = lua_toboolean(L, -1) ? CRIT_FIRED : CRIT_NOT;
        }
        if (!keep) {
            lua_pop(L, 2);
        }
        return r;
    }
    if (!keep) {
        lua_remove(L, -2);
    }
    int status = sb->tripped || rc == LUA_ERRMEM ? SHNOR_LIMIT : SHNOR_PACK;
    if (status != SHNOR_LIMIT && sandbox_is_insufficient(L, -1)) {
        snprintf(reason, REASON_MAX, "!%s", sb->insufficient_reason);
        lua_pop(L, 1);
        return CRIT_INSUFFICIENT;
    }
    if (status != SHNOR_LIMIT && b->nil_reads > 0 &&
        nil_error(lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL)) {
        /* The error came from a missing value the criterion read: fail closed
           to "insufficient data", never to "not listed". */
        snprintf(reason, REASON_MAX, "нет значения: %s", b->missing);
        lua_pop(L, 1);
        return CRIT_INSUFFICIENT;
    }
    char what[160];
    snprintf(what, sizeof what, what_fmt, what_id);
    eval_fail(ev, b, status, what, lua_isstring(L, -1) ? lua_tostring(L, -1) : "(no message)");
    lua_pop(L, 1);
    return -1;
}
