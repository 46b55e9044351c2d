/*
 * roadmap_stale.c — what a roadmap applied again no longer makes. The plan
 * follows the list: when a school is excluded by hand or no longer listed, or
 * the pack moves or drops an activity, the assignments the period's roadmap
 * stored for it are not owed any more. Those whose status is still shnor's
 * are withdrawn (cancelled, with the reason as evidence, logged); those a
 * person has set, and those of a school the listing lacks data for (missing
 * data fails closed), are kept as they are and named. An assignment withdrawn
 * earlier that the roadmap makes again is restored to planned.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "period.h"
#include "roadmap.h"
#include "store.h"

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

typedef struct {
    roadmap *r;
    int64_t *ids; /* the items' stored ids, sorted */
    size_t nids;
    int64_t *made; /* made_key() of each item, sorted */
    int failed;
} stale_walk;

/* An (activity, owner) pair as one number; school -1 is the office. */
static int64_t made_key(int activity, int school)
{
    return (int64_t)activity * ((int64_t)INT32_MAX + 2) + (school + 1);
}

static const pack_activity *activity_by_key(const pack *p, const char *key)
{
    for (size_t a = 0; a < p->nacts; a++) {
        if (strcmp(p->acts[a].id, key) == 0) {
            return &p->acts[a];
        }
    }
    return NULL;
}

/* Whether the roadmap makes any item of activity a, for anyone. */
static int makes_any(const stale_walk *w, int a)
{
    int64_t lo_key = made_key(a, -1), hi_key = made_key(a + 1, -1);
    size_t lo = 0, hi = w->r->n; /* the first key >= lo_key */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (w->made[mid] < lo_key) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < w->r->n && w->made[lo] < hi_key;
}

/* Why the roadmap no longer makes an assignment of owner for this activity:
   the text goes to sb; returns 1 when it is that the school lacks data. */
static int stale_reason(const stale_walk *w, const char *owner, const pack_activity *act,
                        strbuf *sb, size_t *cause)
{
    const roadmap *r = w->r;
    sb_printf(sb, "нет в дорожной карте %s: ", r->period_text);
    *cause = sb->len;
    if (!act) {
        sb_puts(sb, "мероприятия больше нет в пакете");
        return 0;
    }
    const evaluation *ev = r->ev;
    int school = *owner ? ds_school_index(ev->ds, owner) : -1;
    int64_t key = made_key((int)(act - r->p->acts), school);
    if ((school >= 0 || !*owner) &&
        bsearch(&key, w->made, r->n, sizeof *w->made, cmp_id)) {
        /* It still owes the activity, at other dates or from other hands. */
        sb_puts(sb, "срок или исполнители мероприятия изменены в пакете");
        return 0;
    }
    if (*owner && act->applies == APPLIES_TERRITORY) {
        /* The office's own now: no school owes it, whatever its data. */
        sb_puts(sb, "мероприятие передано управлению образования");
        return 0;
    }
    for (size_t k = 0; k < act->nschools; k++) {
        if (strcmp(act->schools[k], owner) == 0) {
            /* Named in the activity, so owed whatever the list: its deadline
               has no date in the period now. */
            sb_puts(sb, "срок или исполнители мероприятия изменены в пакете");
            return 0;
        }
    }
    /* Only the rows of the categories and cohorts the activity is owed for
       tell why: a school without data for one category and listed or
       excluded in another still owes the first one's items. Which category
       an applies function asks about is its own, so there every row counts. */
    int listed = 0, owed_listed = 0, no_data = 0;
    const ds_override *excluded = NULL;
    for (size_t i = 0; school >= 0 && i < ev->nrows; i++) {
        const ev_row *row = &ev->rows[i];
        if (row->school != school) {
            continue;
        }
        listed |= row->status == ROW_LISTED;
        if (act->applies == APPLIES_IDS && !roadmap_row_applies(r->p, act, row)) {
            continue;
        }
        owed_listed |= row->status == ROW_LISTED && act->applies == APPLIES_IDS;
        no_data |= row->status == ROW_INSUFFICIENT;
        if (row->status == ROW_EXCLUDED && !excluded) {
            excluded = row->override;
        }
    }
    if (no_data) {
        /* Missing data fails closed: not a reason to stop owing anything,
           even where a person excluded the school from another category. */
        sb_printf(sb, "для списка %s у школы недостаточно данных", ev->period_text);
        return 1;
    }
    if (excluded) {
        sb_printf(sb, "школа исключена из списка %s вручную (решение №%lld)", ev->period_text,
                  (long long)excluded->id);
    } else if (!*owner || owed_listed ||
               (act->applies == APPLIES_FUNCTION && listed &&
                !makes_any(w, (int)(act - r->p->acts)))) {
        /* Owed, but its deadline now falls outside the period, or an office
           item moved to the schools' hands (a function that owes it to
           nobody is taken for that too). */
        sb_puts(sb, "срок или исполнители мероприятия изменены в пакете");
    } else if (listed) {
        sb_printf(sb,
                  "мероприятие не относится к категориям и группам, в которых школа в "
                  "списке %s",
                  ev->period_text);
    } else {
        sb_printf(sb, "школы нет в списке %s", ev->period_text);
    }
    return 0;
}

static int add_stale(const stale_walk *w, const store_made *m, const pack_activity *act)
{
    roadmap *r = w->r;
    if (r->nstale == r->capstale) {
        size_t ncap = r->capstale ? r->capstale * 2 : 16;
        rm_stale *n = realloc(r->stale, ncap * sizeof *n);
        if (!n) {
            return -1;
        }
        r->stale = n;
        r->capstale = ncap;
    }
    rm_stale *s = &r->stale[r->nstale];
    memset(s, 0, sizeof *s);
    strbuf why = STRBUF_INIT;
    int no_data = stale_reason(w, m->owner, act, &why, &s->cause);
    s->owner = strdup(m->owner);
    s->key = strdup(m->key);
    s->title = act ? act->title : NULL;
    s->reason = sb_detach(&why);
    if (!s->owner || !s->key || !s->reason) {
        free(s->owner);
        free(s->key);
        free(s->reason);
        return -1;
    }
    s->id = m->id;
    snprintf(s->due, sizeof s->due, "%s", m->due);
    snprintf(s->status, sizeof s->status, "%s", m->status);
    s->fate = no_data                                               ? STALE_NO_DATA
              : m->status_auto && strcmp(m->status, "planned") == 0 ? STALE_WITHDRAW
                                                                     : STALE_SET_BY_PERSON;
    r->nstale++;
    return 0;
}

static int visit_made(void *arg, const store_made *m)
{
    stale_walk *w = arg;
    if (bsearch(&m->id, w->ids, w->nids, sizeof *w->ids, cmp_id)) {
        return 0; /* the roadmap makes it */
    }
    /* Done stays done; cancelled is already not owed. */
    if (strcmp(m->status, "planned") != 0 && strcmp(m->status, "in_progress") != 0) {
        return 0;
    }
    if (add_stale(w, m, activity_by_key(w->r->p, m->key)) != 0) {
        w->failed = 1;
        return 1;
    }
    return 0;
}

int roadmap_item_restorable(const rm_item *it)
{
    return it->id && it->status_auto && strcmp(it->status, "cancelled") == 0;
}

void roadmap_stale_clear(roadmap *r)
{
    for (size_t i = 0; i < r->nstale; i++) {
        free(r->stale[i].owner);
        free(r->stale[i].key);
        free(r->stale[i].reason);
    }
    r->nstale = 0;
}

int roadmap_stale_find(roadmap *r, shnor *db)
{
    roadmap_stale_clear(r);
    int64_t *ids = malloc((r->n + 1) * sizeof *ids);
    if (!ids) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    size_t nids = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (r->items[i].id) {
            ids[nids++] = r->items[i].id;
        }
    }
    qsort(ids, nids, sizeof *ids, cmp_id);
    int64_t *made = malloc((r->n + 1) * sizeof *made);
    if (!made) {
        free(ids);
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < r->n; i++) {
        made[i] = made_key(r->items[i].activity, r->items[i].school);
    }
    qsort(made, r->n, sizeof *made, cmp_id);
    stale_walk w = {r, ids, nids, made, 0};
    int status = store_assignments_made(db, r->p->id, r->period_text, visit_made, &w);
    free(ids);
    free(made);
    if (status == SHNOR_OK && w.failed) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    return status;
}

int roadmap_stale_settle(roadmap *r, shnor *db)
{
    int status = SHNOR_OK;
    r->withdrawn = r->restored = 0;
    for (size_t i = 0; i < r->n && status == SHNOR_OK; i++) {
        rm_item *it = &r->items[i];
        int changed = 0;
        if (roadmap_item_restorable(it) &&
            (status = store_assignment_restore(db, it->id, r->period_text, &changed)) == SHNOR_OK && changed) {
            snprintf(it->status, sizeof it->status, "planned");
            r->restored++;
        }
    }
    if (status == SHNOR_OK) {
        status = roadmap_stale_find(r, db);
    }
    char today[11];
    shnor_date_format(date_today(), today, sizeof today);
    for (size_t i = 0; i < r->nstale && status == SHNOR_OK; i++) {
        rm_stale *s = &r->stale[i];
        int changed = 0;
        if (s->fate == STALE_WITHDRAW &&
            (status = store_assignment_withdraw(db, s->id, s->reason, today, &changed)) ==
                SHNOR_OK &&
            changed) {
            snprintf(s->status, sizeof s->status, "cancelled");
            r->withdrawn++;
        }
    }
    return status;
}
