/*
 * eval.c — runs a pack's criteria over every school for one period and
 * combines them into the listing, keeping the reads that explain each row
 * (see eval.h for the fail-closed rules).
 */
#include "eval.h"

#include <lauxlib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"

#define REASON_MAX 320

int eval_name(evaluation *ev, const char *name)
{
    int added;
    int64_t *slot = strmap_put(ev->name_index, name, strlen(name), &added);
    if (!slot) {
        return -1;
    }
    if (!added) {
        return (int)*slot;
    }
    char **nn = realloc(ev->names, (ev->nnames + 1) * sizeof *nn);
    char *copy = strdup(name);
    if (!nn || !copy) {
        free(copy);
        if (nn) {
            ev->names = nn;
        }
        return -1;
    }
    ev->names = nn;
    ev->names[ev->nnames] = copy;
    *slot = (int64_t)ev->nnames;
    return (int)ev->nnames++;
}

void eval_free(evaluation *ev)
{
    if (!ev) {
        return;
    }
    free(ev->results);
    for (size_t i = 0; i < ev->nrows; i++) {
        free(ev->rows[i].reason);
    }
    free(ev->rows);
    free(ev->row_crits);
    free(ev->reads);
    for (size_t i = 0; i < ev->nnames; i++) {
        free(ev->names[i]);
    }
    free(ev->names);
    strmap_free(ev->name_index);
    free(ev->listed);
    free(ev->insufficient);
    sb_free(&ev->err);
    free(ev);
}

/* Per-school working state. */
typedef struct {
    size_t *read_from, *read_to; /* scratch range of each criterion's reads */
    char *reasons;               /* ncrits x REASON_MAX */
    size_t list_from, list_to;   /* reads of the list function */
} school_work;

static int push_row(evaluation *ev, int school, int category, int status)
{
    if (ev->nrows == ev->caprows) {
        size_t ncap = ev->caprows ? ev->caprows * 2 : 64;
        ev_row *n = realloc(ev->rows, ncap * sizeof *n);
        if (!n) {
            return -1;
        }
        ev->rows = n;
        ev->caprows = ncap;
    }
    ev_row *r = &ev->rows[ev->nrows++];
    memset(r, 0, sizeof *r);
    r->school = school;
    r->category = category;
    r->status = status;
    r->first_crit = (uint32_t)ev->nrow_crits;
    r->first_read = (uint32_t)ev->nreads;
    return 0;
}

static int add_row_crit(evaluation *ev, int crit)
{
    if (ev->nrow_crits == ev->caprow_crits) {
        size_t ncap = ev->caprow_crits ? ev->caprow_crits * 2 : 64;
        int *n = realloc(ev->row_crits, ncap * sizeof *n);
        if (!n) {
            return -1;
        }
        ev->row_crits = n;
        ev->caprow_crits = ncap;
    }
    ev->row_crits[ev->nrow_crits++] = crit;
    ev->rows[ev->nrows - 1].ncrits++;
    return 0;
}

static int add_reads(evaluation *ev, const ev_read *r, size_t n)
{
    if (ev->nreads + n > ev->capreads) {
        size_t ncap = ev->capreads ? ev->capreads : 256;
        while (ncap < ev->nreads + n) {
            ncap *= 2;
        }
        ev_read *nr = realloc(ev->reads, ncap * sizeof *nr);
        if (!nr) {
            return -1;
        }
        ev->reads = nr;
        ev->capreads = ncap;
    }
    memcpy(ev->reads + ev->nreads, r, n * sizeof *r);
    ev->nreads += n;
    ev->rows[ev->nrows - 1].nreads += (uint32_t)n;
    return 0;
}

/*
 * Describes a failed call for the user: the pack, where it was (criterion or
 * list function, school) and Lua's message with its traceback.
 */
static int fail(evaluation *ev, bridge *b, int status, const char *what, const char *msg)
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
    sb_printf(&ev->err, ", period %s:\n%s", ev->period_text, msg ? msg : "(no message)");
    return status;
}

/*
 * Runs one function already on the stack with (s, period[, extra]) arguments
 * in protected mode; returns CRIT_FIRED / CRIT_NOT / CRIT_INSUFFICIENT, or -1
 * after filling ev->err. For `list`, a nil result is returned as CRIT_SKIPPED.
 */
static int run_call(evaluation *ev, bridge *b, int nargs, const char *what, char *reason,
                    int nil_is_skip)
{
    sandbox *sb = ev->p->sb;
    lua_State *L = sb->L;
    int rc = sandbox_pcall(sb, nargs, 1);
    if (rc == LUA_OK) {
        int r;
        if (nil_is_skip && lua_isnil(L, -1)) {
            r = CRIT_SKIPPED;
        } else {
            r = lua_toboolean(L, -1) ? CRIT_FIRED : CRIT_NOT;
        }
        lua_pop(L, 1);
        return r;
    }
    if (sb->tripped) {
        fail(ev, b, SHNOR_LIMIT, what, lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    if (sandbox_is_insufficient(L, -1)) {
        /* A leading '!' marks a reason the pack gave itself. */
        snprintf(reason, REASON_MAX, "!%s", sb->insufficient_reason);
        lua_pop(L, 1);
        return CRIT_INSUFFICIENT;
    }
    if (b->nil_reads > 0) {
        /* The error came from a missing value the criterion read: fail closed
           to "insufficient data", never to "not listed". */
        snprintf(reason, REASON_MAX, "нет значения: %s", b->missing);
        lua_pop(L, 1);
        return CRIT_INSUFFICIENT;
    }
    fail(ev, b, rc == LUA_ERRMEM ? SHNOR_LIMIT : SHNOR_PACK, what,
         lua_isstring(L, -1) ? lua_tostring(L, -1) : "(no message)");
    lua_pop(L, 1);
    return -1;
}

/* Pushes the `list` function for category k, or nothing (returns 0). */
static int push_list_fn(evaluation *ev, int k)
{
    lua_State *L = ev->p->sb->L;
    if (ev->p->list_ref == LUA_NOREF) {
        return 0;
    }
    lua_rawgeti(L, LUA_REGISTRYINDEX, ev->p->list_ref);
    if (lua_type(L, -1) == LUA_TTABLE) {
        lua_getfield(L, -1, ev->p->cats[k].id);
        lua_remove(L, -2);
    }
    if (lua_type(L, -1) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        return 0;
    }
    return 1;
}

/* Decides category k for school i from its criteria results; 0 or -1. */
static int combine(evaluation *ev, bridge *b, school_work *w, int i, int k)
{
    pack *p = ev->p;
    lua_State *L = p->sb->L;
    int8_t *res = &ev->results[(size_t)i * p->ncrits];
    int any_fired = 0, any_insufficient = 0;
    for (size_t c = 0; c < p->ncrits; c++) {
        if (p->crits[c].category == k) {
            any_fired |= res[c] == CRIT_FIRED;
            any_insufficient |= res[c] == CRIT_INSUFFICIENT;
        }
    }
    int status = any_fired ? ROW_LISTED : any_insufficient ? ROW_INSUFFICIENT : 0;
    char list_reason[REASON_MAX] = "";
    w->list_from = w->list_to = b->nscratch;
    if (push_list_fn(ev, k)) {
        bridge_push_school(b, i);
        lua_pushstring(L, ev->period_text);
        lua_createtable(L, 0, 8);
        for (size_t c = 0; c < p->ncrits; c++) {
            if (p->crits[c].category == k && res[c] != CRIT_INSUFFICIENT) {
                lua_pushboolean(L, res[c] == CRIT_FIRED);
                lua_setfield(L, -2, p->crits[c].id);
            }
        }
        lua_pushstring(L, p->cats[k].id);
        bridge_begin_criterion(b, -1);
        char what[160];
        snprintf(what, sizeof what, "the 'list' function for category '%s'", p->cats[k].id);
        int r = run_call(ev, b, 4, what, list_reason, 1);
        if (r < 0) {
            return -1;
        }
        w->list_to = b->nscratch;
        status = r == CRIT_FIRED                         ? ROW_LISTED
                 : r == CRIT_INSUFFICIENT                ? ROW_INSUFFICIENT
                 : r == CRIT_SKIPPED && any_insufficient ? ROW_INSUFFICIENT
                                                         : 0;
    }
    if (!status) {
        return 0;
    }
    if (push_row(ev, i, k, status) < 0) {
        return -1;
    }
    ev_row *row = &ev->rows[ev->nrows - 1];
    int want = status == ROW_LISTED ? CRIT_FIRED : CRIT_INSUFFICIENT;
    for (size_t c = 0; c < p->ncrits; c++) {
        if (p->crits[c].category != k || res[c] != want) {
            continue;
        }
        if (add_row_crit(ev, (int)c) < 0 ||
            add_reads(ev, b->scratch + w->read_from[c], w->read_to[c] - w->read_from[c]) < 0) {
            return -1;
        }
        if (status == ROW_INSUFFICIENT && !row->reason) {
            const char *r = &w->reasons[c * REASON_MAX];
            row->reason_explicit = r[0] == '!';
            row->reason = strdup(r + row->reason_explicit);
        }
    }
    if (add_reads(ev, b->scratch + w->list_from, w->list_to - w->list_from) < 0) {
        return -1;
    }
    if (status == ROW_INSUFFICIENT && !row->reason) {
        row->reason_explicit = list_reason[0] == '!';
        row->reason = strdup(list_reason[0] ? list_reason + row->reason_explicit : "нет данных");
    }
    if (status == ROW_LISTED) {
        ev->listed[k]++;
    } else {
        ev->insufficient[k]++;
    }
    return 0;
}

int eval_listing(pack *p, dataset *ds, shnor_period period, evaluation **out)
{
    evaluation *ev = calloc(1, sizeof *ev);
    school_work w = {0};
    bridge *b = p->bridge;
    int status = SHNOR_OK;
    int bridge_up = 0;
    *out = ev;
    if (!ev) {
        return SHNOR_NOMEM;
    }
    sb_init(&ev->err);
    ev->p = p;
    ev->ds = ds;
    ev->period = period;
    shnor_period_format(period, ev->period_text, sizeof ev->period_text);
    size_t nres = ds->nschools * p->ncrits;
    ev->results = malloc(nres ? nres : 1);
    ev->listed = calloc(p->ncats + 1, sizeof *ev->listed);
    ev->insufficient = calloc(p->ncats + 1, sizeof *ev->insufficient);
    ev->name_index = strmap_new();
    w.read_from = calloc(p->ncrits + 1, sizeof *w.read_from);
    w.read_to = calloc(p->ncrits + 1, sizeof *w.read_to);
    w.reasons = calloc(p->ncrits + 1, REASON_MAX);
    if (!ev->results || !ev->listed || !ev->insufficient || !ev->name_index || !w.read_from ||
        !w.read_to || !w.reasons) {
        status = SHNOR_NOMEM;
        sb_puts(&ev->err, "out of memory");
        goto done;
    }
    memset(ev->results, CRIT_SKIPPED, nres);
    if (bridge_attach(b, ds, ev, period) != 0) {
        status = SHNOR_NOMEM;
        sb_puts(&ev->err, "out of memory preparing the evaluation");
        goto done;
    }
    bridge_up = 1;
    lua_State *L = p->sb->L;
    for (size_t i = 0; i < ds->nschools; i++) {
        b->school = (int)i;
        b->nscratch = 0;
        p->sb->school = ds->schools[i].code;
        for (size_t c = 0; c < p->ncrits; c++) {
            const pack_criterion *crit = &p->crits[c];
            if (crit->test_ref == LUA_NOREF) {
                continue;
            }
            bridge_begin_criterion(b, (int)c);
            p->sb->criterion = crit->id;
            w.read_from[c] = b->nscratch;
            lua_rawgeti(L, LUA_REGISTRYINDEX, crit->test_ref);
            bridge_push_school(b, (int)i);
            lua_pushstring(L, ev->period_text);
            char what[160];
            snprintf(what, sizeof what, "criterion '%s'", crit->id);
            int r = run_call(ev, b, 2, what, &w.reasons[c * REASON_MAX], 0);
            w.read_to[c] = b->nscratch;
            if (r < 0) {
                status = p->sb->tripped ? SHNOR_LIMIT : strstr(ev->err.data, "not enough memory")
                                                            ? SHNOR_LIMIT
                                                            : SHNOR_PACK;
                goto done;
            }
            ev->results[i * p->ncrits + c] = (int8_t)r;
        }
        for (size_t k = 0; k < p->ncats; k++) {
            if (combine(ev, b, &w, (int)i, (int)k) < 0) {
                status = ev->err.len ? (p->sb->tripped ? SHNOR_LIMIT : SHNOR_PACK) : SHNOR_NOMEM;
                if (!ev->err.len) {
                    sb_puts(&ev->err, "out of memory");
                }
                goto done;
            }
        }
        ev->evaluated++;
    }
done:
    if (bridge_up) {
        bridge_detach(b);
    }
    p->sb->school = NULL;
    p->sb->criterion = NULL;
    free(w.read_from);
    free(w.read_to);
    free(w.reasons);
    return status;
}
