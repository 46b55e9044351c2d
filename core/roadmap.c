/*
 * roadmap.c — from a listing to the assignments of a period: each activity's
 * deadline expanded into dated occurrences, times the schools it applies to
 * (by category, cohort, name or the pack's function) or the territory's
 * office. Sorted by activity, owner and date, so the roadmap is the same
 * bytes every time.
 */
#include "roadmap.h"

#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

#include "bridge.h"
#include "due.h"
#include "store.h"

void roadmap_free(roadmap *r)
{
    if (!r) {
        return;
    }
    free(r->items);
    roadmap_stale_clear(r);
    free(r->stale);
    free(r);
}

const char *roadmap_owner(const roadmap *r, const rm_item *it)
{
    return it->school >= 0 ? r->ev->ds->schools[it->school].code : "";
}

static int add_item(roadmap *r, int activity, int school, const due_occurrence *o)
{
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 256;
        rm_item *n = realloc(r->items, ncap * sizeof *n);
        if (!n) {
            return -1;
        }
        r->items = n;
        r->cap = ncap;
    }
    rm_item *it = &r->items[r->n++];
    memset(it, 0, sizeof *it);
    it->activity = activity;
    it->school = school;
    it->start = o->start;
    it->due = o->due;
    return 0;
}

static int cmp_item(const void *a, const void *b)
{
    const rm_item *x = a, *y = b;
    if (x->activity != y->activity) {
        return x->activity < y->activity ? -1 : 1;
    }
    if (x->school != y->school) {
        return x->school < y->school ? -1 : 1; /* -1, the office, first */
    }
    if (x->due != y->due) {
        return x->due < y->due ? -1 : 1;
    }
    return (x->start > y->start) - (x->start < y->start);
}

/* 1 when the listed row's category or cohort is one of the activity's ids. */
int roadmap_row_applies(const pack *p, const pack_activity *a, const ev_row *row)
{
    for (size_t i = 0; i < a->napplies; i++) {
        const char *id = a->applies_ids[i];
        if (strcmp(id, p->cats[row->category].id) == 0) {
            return 1;
        }
        if (row->cohort >= 0) {
            if (strcmp(id, p->cohorts[row->cohort].id) == 0) {
                return 1;
            }
        } else if (row->status != ROW_LISTED) {
            /* Not listed, so no cohort was decided: a cohort of its category
               may be the one it would be in. */
            int k = pack_cohort_index(p, id);
            if (k >= 0 && p->cohorts[k].category == row->category) {
                return 1;
            }
        }
    }
    return 0;
}

/* Pushes { categories = { id = true, ... }, cohort = id, mentor = code } for
   the listed rows of school i [-0, +1, m]. */
static void push_listing(lua_State *L, const evaluation *ev, int i)
{
    lua_createtable(L, 0, 3);
    lua_newtable(L);
    for (size_t r = 0; r < ev->nrows; r++) {
        const ev_row *row = &ev->rows[r];
        if (row->school != i || row->status != ROW_LISTED) {
            continue;
        }
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, ev->p->cats[row->category].id);
        if (row->cohort >= 0) {
            lua_pushstring(L, ev->p->cohorts[row->cohort].id);
            lua_setfield(L, -3, "cohort");
        }
        if (row->mentor) {
            lua_pushstring(L, row->mentor);
            lua_setfield(L, -3, "mentor");
        }
    }
    lua_setfield(L, -2, "categories");
}

/*
 * Marks in owner[] (nschools flags) the schools activity a applies to.
 * Returns SHNOR_OK or a status with the message in err.
 */
static int owners_of(roadmap *r, const pack_activity *a, unsigned char *owner, strbuf *err)
{
    pack *p = r->p;
    evaluation *ev = r->ev;
    const dataset *ds = ev->ds;
    if (a->applies == APPLIES_IDS) {
        for (size_t k = 0; k < ev->nrows; k++) {
            if (ev->rows[k].status == ROW_LISTED && roadmap_row_applies(p, a, &ev->rows[k])) {
                owner[ev->rows[k].school] = 1;
            }
        }
        for (size_t k = 0; k < a->nschools; k++) {
            int i = ds_school_index(ds, a->schools[k]);
            if (i < 0) {
                sb_printf(err, "pack '%s' (%s): %s:%d: activity '%s' names school '%s', which "
                               "is not among the schools of the pack's territory in the database",
                          p->id, p->path, p->path, a->line, a->id, a->schools[k]);
                return SHNOR_PACK;
            }
            owner[i] = 1;
        }
        return SHNOR_OK;
    }
    /* APPLIES_FUNCTION: asked for every listed school, in code order. */
    lua_State *L = p->sb->L;
    unsigned char *listed = calloc(ds->nschools + 1, 1);
    if (!listed) {
        sb_puts(err, "out of memory");
        return SHNOR_NOMEM;
    }
    for (size_t k = 0; k < ev->nrows; k++) {
        listed[ev->rows[k].school] |= ev->rows[k].status == ROW_LISTED;
    }
    for (size_t i = 0; i < ds->nschools; i++) {
        if (!listed[i]) {
            continue;
        }
        p->bridge->school = (int)i;
        p->sb->school = ds->schools[i].code;
        lua_rawgeti(L, LUA_REGISTRYINDEX, a->applies_ref);
        bridge_push_school(p->bridge, (int)i);
        lua_pushstring(L, r->period_text);
        push_listing(L, ev, (int)i);
        if (sandbox_pcall(p->sb, 3, 1) != LUA_OK) {
            int insufficient = sandbox_is_insufficient(L, -1);
            sb_printf(err, "pack '%s' (%s): the 'applies' function of activity '%s' failed for "
                           "school %s:\n%s%s",
                      p->id, p->path, a->id, ds->schools[i].code,
                      insufficient ? "shnor.insufficient() cannot be used in 'applies' (who must "
                                     "carry out an activity is never unknown): "
                                   : "",
                      insufficient         ? p->sb->insufficient_reason
                      : lua_isstring(L, -1) ? lua_tostring(L, -1)
                                            : "(no message)");
            lua_pop(L, 1);
            free(listed);
            return p->sb->tripped ? SHNOR_LIMIT : SHNOR_PACK;
        }
        if (!lua_isboolean(L, -1) && !lua_isnil(L, -1)) {
            /* 0 or "нет" would be true: every school would owe the activity */
            sb_printf(err, "pack '%s' (%s): activity '%s' (line %d): its 'applies' function "
                           "returned a %s for school %s; it must return true or false (nil "
                           "counts as false)",
                      p->id, p->path, a->id, a->line, lua_typename(L, lua_type(L, -1)),
                      ds->schools[i].code);
            lua_pop(L, 1);
            free(listed);
            return SHNOR_PACK;
        }
        owner[i] = lua_toboolean(L, -1) != 0;
        lua_pop(L, 1);
    }
    free(listed);
    return SHNOR_OK;
}

int roadmap_covers(const pack *p, shnor_period period)
{
    for (size_t i = 0; i < p->nroadmap_periods; i++) {
        if (shnor_period_compare(p->roadmap_periods[i], period) == 0) {
            return 1;
        }
    }
    return p->nroadmap_periods == 0;
}

int roadmap_dates(const pack *p, const pack_activity *a, shnor_period period,
                  due_occurrence **occ, size_t *n)
{
    *occ = NULL;
    *n = 0;
    if (!a->due || due_expand(a->due, period, occ, n) != SHNOR_OK) {
        return SHNOR_ERROR;
    }
    if (p->roadmap_ends) {
        size_t kept = 0;
        for (size_t i = 0; i < *n; i++) {
            due_occurrence o = (*occ)[i];
            if (o.start > p->roadmap_ends) {
                continue; /* after the programme */
            }
            o.due = o.due > p->roadmap_ends ? p->roadmap_ends : o.due;
            if (kept && (*occ)[kept - 1].start == o.start && (*occ)[kept - 1].due == o.due) {
                continue; /* two windows cut to the same one */
            }
            (*occ)[kept++] = o;
        }
        *n = kept;
    }
    return SHNOR_OK;
}

int roadmap_build(pack *p, evaluation *ev, shnor_period period, roadmap **out, strbuf *err)
{
    roadmap *r = calloc(1, sizeof *r);
    unsigned char *owner = calloc(ev->ds->nschools + 1, 1);
    int status = SHNOR_OK, attached = 0;
    *out = r;
    if (!r || !owner) {
        free(owner);
        sb_puts(err, "out of memory");
        return SHNOR_NOMEM;
    }
    r->p = p;
    r->ev = ev;
    r->period = period;
    shnor_period_format(period, r->period_text, sizeof r->period_text);
    size_t nacts = roadmap_covers(p, period) ? p->nacts : 0;
    for (size_t a = 0; a < nacts && status == SHNOR_OK; a++) {
        const pack_activity *act = &p->acts[a];
        due_occurrence *occ = NULL;
        size_t nocc = 0;
        if (roadmap_dates(p, act, period, &occ, &nocc) != SHNOR_OK) {
            sb_printf(err, "%s:%d: activity '%s': its deadline '%s' cannot be dated in %s",
                      p->path, act->line, act->id, act->due_text, r->period_text);
            status = SHNOR_PACK;
            break;
        }
        if (act->applies == APPLIES_TERRITORY) {
            for (size_t o = 0; o < nocc && status == SHNOR_OK; o++) {
                if (add_item(r, (int)a, -1, &occ[o]) < 0) {
                    status = SHNOR_NOMEM;
                }
            }
            free(occ);
            continue;
        }
        if (act->applies == APPLIES_FUNCTION && !attached) {
            if (bridge_attach(p->bridge, ev->ds, NULL, ev->period) != 0) {
                free(occ);
                status = SHNOR_NOMEM;
                break;
            }
            attached = 1;
        }
        memset(owner, 0, ev->ds->nschools);
        status = owners_of(r, act, owner, err);
        for (size_t i = 0; i < ev->ds->nschools && status == SHNOR_OK; i++) {
            for (size_t o = 0; owner[i] && o < nocc && status == SHNOR_OK; o++) {
                if (add_item(r, (int)a, (int)i, &occ[o]) < 0) {
                    status = SHNOR_NOMEM;
                }
            }
        }
        free(occ);
    }
    if (attached) {
        bridge_detach(p->bridge);
        p->sb->school = NULL;
    }
    free(owner);
    if (status == SHNOR_NOMEM && !err->len) {
        sb_puts(err, "out of memory");
    }
    if (status == SHNOR_OK && r->n) {
        qsort(r->items, r->n, sizeof *r->items, cmp_item);
    }
    return status;
}

int roadmap_store(roadmap *r, shnor *db)
{
    pack *p = r->p;
    int64_t *act_ids = calloc(p->nacts + 1, sizeof *act_ids);
    if (!act_ids) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    int status = SHNOR_OK;
    for (size_t a = 0; a < p->nacts && status == SHNOR_OK; a++) {
        const pack_activity *act = &p->acts[a];
        store_activity sa = {p->id,           act->id,          act->section,
                             act->title,      act->due_text,    act->responsible,
                             act->coexecutors, act->result,     act->indicator,
                             act->document,   (int)a + 1};
        status = store_activity_upsert(db, &sa, &act_ids[a]);
    }
    r->created = r->existing = 0;
    for (size_t i = 0; i < r->n && status == SHNOR_OK; i++) {
        rm_item *it = &r->items[i];
        char start[11], due[11];
        int created = 0;
        shnor_date_format(it->start, start, sizeof start);
        shnor_date_format(it->due, due, sizeof due);
        status = store_assignment_ensure(db, act_ids[it->activity], roadmap_owner(r, it),
                                         r->period_text, start, due, &created, &it->id,
                                         it->status, &it->status_auto);
        if (created) {
            r->created++;
        } else {
            r->existing++;
        }
    }
    free(act_ids);
    if (status == SHNOR_OK) {
        status = roadmap_stale_settle(r, db);
    }
    return status;
}

void roadmap_forget(roadmap *r)
{
    r->created = r->existing = r->withdrawn = r->restored = 0;
    roadmap_stale_clear(r);
    for (size_t i = 0; i < r->n; i++) {
        r->items[i].id = 0;
        r->items[i].status[0] = '\0';
        r->items[i].status_auto = 0;
    }
}

int roadmap_apply(roadmap *r, shnor *db)
{
    int status = store_begin(db);
    if (status == SHNOR_OK && (status = roadmap_store(r, db)) == SHNOR_OK) {
        status = store_commit(db);
    }
    if (status != SHNOR_OK) {
        /* Rolled back: nothing was stored, whatever the loop had counted. */
        store_rollback(db);
        roadmap_forget(r);
    }
    return status;
}

int roadmap_lookup(roadmap *r, shnor *db)
{
    for (size_t i = 0; i < r->n; i++) {
        rm_item *it = &r->items[i];
        char due[11];
        shnor_date_format(it->due, due, sizeof due);
        int status = store_assignment_find(db, r->p->id, r->p->acts[it->activity].id,
                                           roadmap_owner(r, it), r->period_text, due, &it->id,
                                           it->status, &it->status_auto);
        if (status != SHNOR_OK) {
            return status;
        }
    }
    return roadmap_stale_find(r, db);
}
