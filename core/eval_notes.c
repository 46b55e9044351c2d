/*
 * eval_notes.c — what an evaluation says about data it could not use: a
 * person's override in a category the pack does not have, listings imported
 * for it that it cannot read (another category, its id spelt otherwise).
 * Each would otherwise count as "not listed" without a word. And an
 * evaluation that decided nothing at all.
 */
#include "eval.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "period.h"

/* Is category a category of p? */
static int has_category(const pack *p, const char *category)
{
    for (size_t k = 0; k < p->ncats; k++) {
        if (strcmp(category, p->cats[k].id) == 0) {
            return 1;
        }
    }
    return 0;
}

/*
 * Listings imported as data that the pack cannot read: for its id (or none)
 * with a category it does not have, or for its id spelt with other case
 * (`Turochak`). Each such category or spelling is said once, with a count:
 * the schools would silently count as not listed then (a cohort, s:listed).
 */
static void note_stray_listings(const evaluation *ev, strbuf *out)
{
    const pack *p = ev->p;
    const dataset *ds = ev->ds;
    uint8_t *said = calloc(ds->nlistings + 1, 1);
    if (!said) {
        return;
    }
    for (size_t i = 0; i < ds->nlistings; i++) {
        const ds_listing *l = &ds->listings[i];
        int ours = !*l->pack_id || strcmp(l->pack_id, p->id) == 0;
        int misspelt = !ours && strcasecmp(l->pack_id, p->id) == 0;
        if (said[i] || l->from_run || (!misspelt && (!ours || has_category(p, l->category)))) {
            continue;
        }
        long n = 0;
        for (size_t j = i; j < ds->nlistings; j++) {
            const ds_listing *m = &ds->listings[j];
            if (!said[j] && !m->from_run && strcmp(m->pack_id, l->pack_id) == 0 &&
                (misspelt || strcmp(m->category, l->category) == 0)) {
                said[j] = 1;
                n++;
            }
        }
        if (misspelt) {
            sb_printf(out, "warning: %ld imported listing%s of pack '%s' %s not read: the pack's "
                           "id is '%s'; import such listings with pack %s\n",
                      n, n == 1 ? "" : "s", l->pack_id, n == 1 ? "is" : "are", p->id, p->id);
            continue;
        }
        sb_printf(out, "warning: %ld imported listing%s in category '%s' %s not read: pack '%s' "
                       "has no such category (it has ",
                  n, n == 1 ? "" : "s", l->category, n == 1 ? "is" : "are", p->id);
        for (size_t k = 0; k < p->ncats; k++) {
            sb_printf(out, "%s'%s'", k ? ", " : "", p->cats[k].id);
        }
        sb_puts(out, "); import such listings with the pack's category ids\n");
    }
    free(said);
}

void eval_note_stray_overrides(const evaluation *ev, strbuf *out)
{
    const pack *p = ev->p;
    for (size_t o = 0; o < ev->ds->noverrides; o++) {
        const ds_override *ov = &ev->ds->overrides[o];
        if (strcmp(ov->period, ev->period_text) != 0 ||
            (*ov->pack_id && strcmp(ov->pack_id, p->id) != 0)) {
            continue;
        }
        size_t k = 0;
        while (k < p->ncats && strcmp(ov->category, p->cats[k].id) != 0) {
            k++;
        }
        if (k < p->ncats) {
            continue;
        }
        sb_printf(out, "warning: override #%lld (%s %s, %s, category '%s') is not applied: "
                       "pack '%s' has no such category (it has ",
                  (long long)ov->id, ov->include ? "include" : "exclude",
                  ev->ds->schools[ov->school].code, ov->period, ov->category, p->id);
        for (k = 0; k < p->ncats; k++) {
            sb_printf(out, "%s'%s'", k ? ", " : "", p->cats[k].id);
        }
        sb_puts(out, "); revoke it and add it again with the right --category\n");
    }
    note_stray_listings(ev, out);
}

int eval_nothing_decided(const evaluation *ev, shnor_period asked, strbuf *out)
{
    const pack *p = ev->p;
    if (ev->evaluated == 0 || p->ncats == 0) {
        return 0;
    }
    for (size_t k = 0; k < p->ncats; k++) {
        if (ev->insufficient[k] < ev->evaluated) {
            return 0;
        }
    }
    sb_printf(out, "pack '%s' (%s): no school had the data to decide any category for %s "
                   "(%zu school%s, insufficient data in all)",
              p->id, p->path, ev->period_text, ev->evaluated, ev->evaluated == 1 ? "" : "s");
    if (asked.kind && shnor_period_compare(asked, ev->period) != 0) {
        char at[SHNOR_PERIOD_MAX];
        shnor_period_format(asked, at, sizeof at);
        sb_printf(out, ", the list the roadmap of %s is made from (roadmap_listing = %d)", at,
                  p->roadmap_listing);
    } else {
        asked = ev->period;
    }
    if (p->period.kind && p->period.kind != asked.kind) {
        /* the likely slip: a year for a pack of academic years (kedrovy's
           2020/21 evaluated for 2023) */
        char own[SHNOR_PERIOD_MAX], a[SHNOR_PERIOD_MAX], b[SHNOR_PERIOD_MAX];
        shnor_period_format(p->period, own, sizeof own);
        shnor_period first = period_of_date(shnor_period_first_day(asked), p->period.kind);
        shnor_period last = period_of_date(shnor_period_last_day(asked), p->period.kind);
        shnor_period_format(first, a, sizeof a);
        shnor_period_format(last, b, sizeof b);
        sb_printf(out, "; the pack works by %ss (its period is %s): %s%s%s, perhaps?",
                  period_kind_name(p->period.kind), own, a, strcmp(a, b) != 0 ? " or " : "",
                  strcmp(a, b) != 0 ? b : "");
    } else {
        /* the first school's reason: a value missing everywhere asks for the
           import (eval_call.c words it «нет значения: …»), a group too small
           for shnor.bottom's minimum does not */
        const ev_row *why = NULL;
        for (size_t i = 0; i < ev->nrows && !why; i++) {
            why = ev->rows[i].status == ROW_INSUFFICIENT && ev->rows[i].reason ? &ev->rows[i]
                                                                               : NULL;
        }
        if (why) {
            sb_printf(out, "; school %s: %s", ev->ds->schools[why->school].code, why->reason);
        }
        if (!why || strncmp(why->reason, "нет значения: ", strlen("нет значения: ")) == 0) {
            sb_printf(out, "; are the values of %s imported?", ev->period_text);
        }
    }
    return 1;
}
