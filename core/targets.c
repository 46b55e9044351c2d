/*
 * targets.c — evaluating a pack's target indicators for a period (the rules
 * are in targets.h): which schools each target covers, their baseline and
 * actual values, the level the actual had to reach, and the verdict.
 */
#include "targets.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "humanfmt.h"
#include "numfmt.h"
#include "period.h"
#include "targetsInt.h"

/* A listing of the pack at one period, evaluated once and reused. */
typedef struct {
    shnor_period period;
    evaluation *ev;
    int borrowed; /* the caller's, not freed here */
} listing_slot;

typedef struct {
    target_results *r;
    tg_assignments_fn assignments;
    void *arg;
    listing_slot *listings;
    size_t nlistings;
    int status;    /* the first failure */
    int list_kind; /* the kind of period listings are made for */
} tg_ctx;

/* A school's place in the scope: listed at the listing period, and now. */
typedef struct {
    int *school;
    size_t n;
    int *now; /* per member: still listed at the target's period (1/0, -1 not known) */
    int *joined; /* schools listed at the target's period only */
    size_t njoined;
    int *unknown; /* schools the listing period lacked data for in the
                     scope's category: neither in it nor out */
    size_t nunknown;
} scope_members;

const char *target_status_name(int status)
{
    return status == TG_MET ? "met" : status == TG_NOT_MET ? "not_met" : "insufficient_data";
}

static int fail(tg_ctx *c, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(tg_ctx *c, int status, const char *fmt, ...)
{
    if (!c->status) {
        va_list ap;
        va_start(ap, fmt);
        sb_reset(&c->r->err);
        sb_vprintf(&c->r->err, fmt, ap);
        va_end(ap);
        c->status = status;
    }
    return -1;
}

/* The pack's listing at per, evaluated on first use; NULL after fail(). */
static evaluation *listing_at(tg_ctx *c, shnor_period per)
{
    for (size_t i = 0; i < c->nlistings; i++) {
        if (shnor_period_compare(c->listings[i].period, per) == 0) {
            return c->listings[i].ev;
        }
    }
    listing_slot *n = realloc(c->listings, (c->nlistings + 1) * sizeof *n);
    if (!n) {
        fail(c, SHNOR_NOMEM, "out of memory");
        return NULL;
    }
    c->listings = n;
    evaluation *ev = NULL;
    int status = eval_listing(c->r->p, c->r->ds, per, &ev);
    if (status != SHNOR_OK) {
        fail(c, status, "%s", ev ? ev->err.data : "out of memory");
        eval_free(ev);
        return NULL;
    }
    c->listings[c->nlistings] = (listing_slot){per, ev, 0};
    c->nlistings++;
    return ev;
}

static tg_row *push_row(tg_ctx *c, int target, int school, const char *scope)
{
    target_results *r = c->r;
    if (r->n == r->cap) {
        size_t ncap = r->cap ? r->cap * 2 : 32;
        tg_row *nr = realloc(r->rows, ncap * sizeof *nr);
        if (!nr) {
            fail(c, SHNOR_NOMEM, "out of memory");
            return NULL;
        }
        r->rows = nr;
        r->cap = ncap;
    }
    tg_row *row = &r->rows[r->n++];
    memset(row, 0, sizeof *row);
    row->target = target;
    row->school = school;
    snprintf(row->scope, sizeof row->scope, "%s", scope);
    row->baseline = row->actual = row->threshold = NAN;
    return row;
}

/* The value of indicator ind at per for school i (NAN when missing); NAN
   with c->status set when the column could not be read. */
static double value_at(tg_ctx *c, int ind, shnor_period per, int school)
{
    dataset *ds = c->r->ds;
    int col = ds_column_get(ds, ind, per);
    if (col < 0) {
        fail(c, SHNOR_DB, "%s", ds->err);
        return NAN;
    }
    return ds->cols[col]->v[school];
}

/* A period given as an offset from base, as a period, or absent (base). */
static shnor_period resolve(int is_offset, int offset, shnor_period fixed, shnor_period base)
{
    return is_offset ? shnor_period_shift(base, offset) : fixed.kind ? fixed : base;
}

/* The schools of a category or cohort listed in ev (status listed). */
static int scope_from_listing(tg_ctx *c, const pack_target *t, const evaluation *ev,
                              const evaluation *now, scope_members *m)
{
    const pack *p = c->r->p;
    int cat = pack_category_index(p, t->scope_id);
    int cohort = cat < 0 ? pack_cohort_index(p, t->scope_id) : -1;
    int cohort_cat = cohort >= 0 ? p->cohorts[cohort].category : cat;
    size_t ns = c->r->ds->nschools;
    unsigned char *in_l = calloc(ns + 1, 1), *in_now = calloc(ns + 1, 1);
    m->school = malloc((ns + 1) * sizeof *m->school);
    m->now = malloc((ns + 1) * sizeof *m->now);
    m->joined = malloc((ns + 1) * sizeof *m->joined);
    m->unknown = malloc((ns + 1) * sizeof *m->unknown);
    if (!in_l || !in_now || !m->school || !m->now || !m->joined || !m->unknown) {
        free(in_l);
        free(in_now);
        return fail(c, SHNOR_NOMEM, "out of memory");
    }
    const evaluation *evs[2] = {ev, now};
    unsigned char *marks[2] = {in_l, in_now};
    for (int k = 0; k < 2; k++) {
        for (size_t i = 0; evs[k] && i < evs[k]->nrows; i++) {
            const ev_row *row = &evs[k]->rows[i];
            if (row->status == ROW_LISTED &&
                (cat >= 0 ? row->category == cat : row->cohort == cohort)) {
                marks[k][row->school] = 1;
            } else if (row->category == cohort_cat &&
                       (row->status == ROW_INSUFFICIENT ||
                        (cohort >= 0 && row->status == ROW_LISTED && row->cohort_unknown))) {
                /* not known to be in or out: the category, or the cohort, lacked data */
                marks[k][row->school] = 2;
            }
        }
    }
    for (size_t i = 0; i < ns; i++) {
        if (in_l[i] == 1) {
            /* 1 still listed, 0 not, -1 not known (no note that it left) */
            m->now[m->n] = !now ? 1 : in_now[i] == 2 ? -1 : in_now[i];
            m->school[m->n++] = (int)i;
        } else if (in_l[i] == 2) {
            m->unknown[m->nunknown++] = (int)i;
        } else if (now && in_now[i] == 1) {
            m->joined[m->njoined++] = (int)i;
        }
    }
    free(in_l);
    free(in_now);
    return 0;
}

static void members_free(scope_members *m)
{
    free(m->school);
    free(m->now);
    free(m->joined);
    free(m->unknown);
}

/* A mean in the decimals of the values it was made of: what floating point
   leaves below the 15th digit of the largest value is noise (the mean of
   0.1, 0.2 and -0.3 is 0, not 9.25e-18, and of 0.2, 0.3 and 0.7 is 0.4,
   not 0.39999999999999997). */
static double pooled_mean(long double sum, long double weight, double largest)
{
    return num_round_at_scale((double)(sum / weight), largest, 15);
}

/* Pooled values over members: the (weighted) means of the schools with every
   value needed. Sets *b, *a (NAN when none or when the weights add up to 0),
   *used and *unweighted (schools with the values but no weight, or a
   negative or zero one in either period: a school with no students counts
   in neither mean). */
static void pool(tg_ctx *c, const pack_target *t, int ind, int wind, const int *members,
                size_t n, shnor_period bp, shnor_period ap, double *b, double *a, int *used,
                int *unweighted)
{
    int want_b = tg_needs_baseline(t->kind);
    long double sb = 0, wb = 0, sa = 0, wa = 0; /* see ds_stats_get: exact for equal values */
    double largest_a = 0, largest_b = 0;
    *used = *unweighted = 0;
    for (size_t k = 0; k < n && !c->status; k++) {
        int s = members[k];
        double va = value_at(c, ind, ap, s);
        double vb = want_b ? value_at(c, ind, bp, s) : 0;
        double w_a = wind >= 0 ? value_at(c, wind, ap, s) : 1;
        double w_b = wind >= 0 && want_b ? value_at(c, wind, bp, s) : 1;
        if (isnan(va) || isnan(vb)) {
            continue;
        }
        if (!(w_a > 0) || !(w_b > 0)) {
            (*unweighted)++;
            continue;
        }
        largest_a = fmax(largest_a, fabs(va));
        largest_b = fmax(largest_b, fabs(vb));
        sa += w_a * va;
        wa += w_a;
        sb += w_b * vb;
        wb += w_b;
        (*used)++;
    }
    *a = wa > 0 ? pooled_mean(sa, wa, largest_a) : NAN;
    *b = want_b && wb > 0 ? pooled_mean(sb, wb, largest_b) : NAN;
}

/* How a pooled value was computed, for people. */
static void pool_method(const pack_target *t, const dataset *ds, int wind, int used, size_t n,
                        char **out)
{
    if (wind >= 0) {
        tg_row_note(out, "среднее, взвешенное по «%s» (%s), по %d из %zu %s",
                 ds->inds[wind].title, t->weight_by, used, n,
                 ru_plural((long)n, "школы", "школ", "школ"));
    } else {
        tg_row_note(out, "простое среднее по %d из %zu %s", used, n,
                 ru_plural((long)n, "школы", "школ", "школ"));
    }
}

/* Process target: the share of assignments done on time, over schools. */
static void assignments_share(tg_ctx *c, const int *members, size_t n, int with_office,
                              shnor_period per, tg_row *row)
{
    long due = 0, done = 0;
    if (!c->assignments) {
        tg_row_note(&row->reason, "нет данных о поручениях (дорожная карта не сохранена)");
        return;
    }
    for (size_t k = 0; k < n + (with_office ? 1 : 0) && !c->status; k++) {
        long d = 0, ok = 0;
        if (c->assignments(c->arg, k < n ? members[k] : -1, per, &d, &ok) != 0) {
            fail(c, SHNOR_DB, "reading the assignments failed");
            return;
        }
        due += d;
        done += ok;
    }
    if (due == 0) {
        char p[SHNOR_PERIOD_MAX];
        tg_fmt_period(per, p);
        tg_row_note(&row->reason, "нет поручений со сроком в %s (дорожная карта не сохранена "
                               "командой roadmap --apply?)",
                 p);
        return;
    }
    row->actual = (double)done / (double)due;
    tg_row_note(&row->method, "выполнено в срок %ld из %ld %s", done, due,
             ru_plural(due, "поручения", "поручений", "поручений"));
}

/* The mean of the indicator over the school's territory (or all schools). */
static double territory_mean(tg_ctx *c, int ind, shnor_period per, int school, char **method)
{
    dataset *ds = c->r->ds;
    int col = ds_column_get(ds, ind, per);
    if (col < 0) {
        fail(c, SHNOR_DB, "%s", ds->err);
        return NAN;
    }
    int scope = school >= 0 ? (int)ds->schools[school].territory + 1 : 0;
    const ds_stats *st = ds_stats_get(ds, col, scope);
    if (!st) {
        fail(c, SHNOR_NOMEM, "out of memory");
        return NAN;
    }
    tg_row_note(method, "среднее по территории «%s»: %zu %s с данными", ds_scope_name(ds, scope),
             st->n, ru_plural((long)st->n, "школа", "школы", "школ"));
    return st->mean;
}

/* One row per school of members (scope each / schools). */
static void per_school(tg_ctx *c, int ti, const scope_members *m, int ind, shnor_period lp,
                       shnor_period bp, shnor_period tp)
{
    const pack_target *t = &c->r->p->targets[ti];
    dataset *ds = c->r->ds;
    char lt[SHNOR_PERIOD_MAX], tt[SHNOR_PERIOD_MAX];
    tg_fmt_period(lp, lt);
    tg_fmt_period(tp, tt);
    size_t k = 0, u = 0;
    while ((k < m->n || u < m->nunknown) && !c->status) {
        /* a school the listing lacked data for, in school order among the rest */
        if (u < m->nunknown && (k == m->n || m->unknown[u] < m->school[k])) {
            int s = m->unknown[u++];
            tg_row *row = push_row(c, ti, s, ds->schools[s].code);
            if (!row) {
                return;
            }
            row->listed_in = lp;
            row->baseline_period = tg_needs_baseline(t->kind) ? bp : (shnor_period){0};
            row->period = tp;
            row->status = TG_INSUFFICIENT;
            if (t->kind != TK_ASSIGNMENTS_DONE) {
                /* shown for what they are; the target is not judged */
                row->baseline = tg_needs_baseline(t->kind) ? value_at(c, ind, bp, s) : NAN;
                row->actual = value_at(c, ind, tp, s);
            }
            tg_row_note(&row->reason, "не известно, был ли в списке «%s» за %s: не хватило данных "
                     "для списка", t->scope_id, lt);
            continue;
        }
        int s = m->school[k];
        tg_row *row = push_row(c, ti, s, ds->schools[s].code);
        if (!row) {
            return;
        }
        int still = m->now[k++];
        row->listed_in = lp;
        row->baseline_period = tg_needs_baseline(t->kind) ? bp : (shnor_period){0};
        row->period = tp;
        if (lp.kind && still == 0) {
            tg_row_note(&row->method, "в списке «%s» за %s, за %s уже нет: оценивается по списку %s",
                     t->scope_id, lt, tt, lt);
        }
        double mean = NAN;
        if (t->kind == TK_ASSIGNMENTS_DONE) {
            assignments_share(c, &s, 1, 0, tp, row);
        } else {
            if (tg_needs_baseline(t->kind)) {
                row->baseline = value_at(c, ind, bp, s);
            }
            row->actual = value_at(c, ind, tp, s);
            if (t->kind == TK_NOT_BELOW_MEAN) {
                mean = territory_mean(c, ind, tp, s, &row->method);
            }
        }
        if (!tg_check_missing(t, row, mean)) {
            tg_judge(t, ind >= 0 ? &ds->inds[ind] : NULL, row, mean);
        }
    }
}

/* The codes of schools v[0..n), n > 0, comma-joined, appended to sb. */
static void school_codes(const dataset *ds, const int *v, size_t n, strbuf *sb)
{
    for (size_t k = 0; k < n; k++) {
        sb_printf(sb, "%s%s", k ? ", " : "", ds->schools[v[k]].code);
    }
}

/* One pooled row over members (scope category / all). */
static void pooled(tg_ctx *c, int ti, const scope_members *m, int ind, int wind, int with_office,
                   shnor_period lp, shnor_period bp, shnor_period tp, const char *label)
{
    const pack_target *t = &c->r->p->targets[ti];
    dataset *ds = c->r->ds;
    tg_row *row = push_row(c, ti, -1, label);
    if (!row) {
        return;
    }
    row->listed_in = lp;
    row->baseline_period = tg_needs_baseline(t->kind) ? bp : (shnor_period){0};
    row->period = tp;
    row->members = (int)m->n;
    double mean = NAN;
    if (t->kind == TK_ASSIGNMENTS_DONE) {
        assignments_share(c, m->school, m->n, with_office, tp, row);
    } else {
        int unweighted;
        pool(c, t, ind, wind, m->school, m->n, bp, tp, &row->baseline, &row->actual,
             &row->used, &unweighted);
        if (row->used == 0 && unweighted > 0) {
            /* the values are there: what is missing is the weight */
            char b[SHNOR_PERIOD_MAX], p[SHNOR_PERIOD_MAX];
            tg_fmt_period(bp, b);
            tg_fmt_period(tp, p);
            tg_row_note(&row->reason, "нет веса «%s» (%s) больше нуля за %s%s%s ни у одной "
                     "из %d %s со значениями",
                     ds->inds[wind].title, t->weight_by, tg_needs_baseline(t->kind) ? b : "",
                     tg_needs_baseline(t->kind) ? " и " : "", p, unweighted,
                     ru_plural(unweighted, "школы", "школ", "школ"));
        }
        pool_method(t, ds, wind, row->used, m->n, &row->method);
        if (row->used > 0 && unweighted > 0) {
            tg_row_note(&row->method, "без веса больше нуля (не учтены): %d %s", unweighted,
                        ru_plural(unweighted, "школа", "школы", "школ"));
        }
        if (t->kind == TK_NOT_BELOW_MEAN && !c->status) {
            /* The population's mean, weighted the same way as the pool. */
            int *all = malloc((ds->nschools + 1) * sizeof *all);
            if (!all) {
                fail(c, SHNOR_NOMEM, "out of memory");
                return;
            }
            for (size_t i = 0; i < ds->nschools; i++) {
                all[i] = (int)i;
            }
            double unused;
            int n_all, unweighted_all;
            pool(c, t, ind, wind, all, ds->nschools, bp, tp, &unused, &mean, &n_all,
                 &unweighted_all);
            free(all);
            tg_row_note(&row->method, "среднее по всем школам пакета: %d с данными", n_all);
        }
    }
    if (lp.kind) {
        char lt[SHNOR_PERIOD_MAX], tt[SHNOR_PERIOD_MAX];
        tg_fmt_period(lp, lt);
        tg_fmt_period(tp, tt);
        size_t left = 0;
        for (size_t k = 0; k < m->n; k++) {
            left += m->now[k] == 0;
        }
        tg_row_note(&row->method, "школы в списке «%s» за %s: %zu", t->scope_id, lt, m->n);
        if (left) {
            tg_row_note(&row->method, "из них %zu за %s уже не в списке (учтены)", left, tt);
        }
        strbuf codes = STRBUF_INIT;
        if (m->njoined) {
            school_codes(ds, m->joined, m->njoined, &codes);
            tg_row_note(&row->method, "вошли в список за %s позже (не учтены): %s", tt,
                     codes.data);
        }
        if (m->nunknown) {
            sb_reset(&codes);
            school_codes(ds, m->unknown, m->nunknown, &codes);
            tg_row_note(&row->method, "в списке за %s недостаточно данных (не учтены): %s", lt,
                     codes.data);
        }
        sb_free(&codes);
    }
    if (m->n == 0) {
        tg_row_note(&row->reason, "в охвате цели нет ни одной школы");
    }
    if (!row->reason && !tg_check_missing(t, row, mean)) {
        tg_judge(t, ind >= 0 ? &ds->inds[ind] : NULL, row, mean);
    } else {
        row->status = TG_INSUFFICIENT;
    }
}

/* The index of a target's indicator; -1 after fail() when unknown. */
static int target_indicator(tg_ctx *c, const pack_target *t, const char *code, int *out)
{
    *out = -1;
    if (!code) {
        return 0;
    }
    *out = ds_indicator_index(c->r->ds, code);
    if (*out < 0) {
        const pack *p = c->r->p;
        return fail(c, SHNOR_PACK,
                    "%s:%d: target '%s': indicator '%s' is not in the catalogue of the "
                    "database (import it with 'shnor import indicators')",
                    p->path, t->line, t->id, code);
    }
    return 0;
}

/* A level (at_least, at_most, close_gap's goal) or a drop in points the
   indicator cannot take: "value = 40" on a share meant 40 %, and the target
   could never be met (or always would be). -1 after fail(). */
static int check_threshold(tg_ctx *c, const pack_target *t, const indicator *ind)
{
    double lo, hi;
    indicator_range(ind, &lo, &hi);
    const char *field = t->kind == TK_CLOSE_GAP ? "goal" : "value";
    double v = t->kind == TK_CLOSE_GAP ? t->goal : t->value;
    int bad = 0;
    if (t->kind == TK_AT_LEAST || t->kind == TK_AT_MOST || t->kind == TK_CLOSE_GAP) {
        bad = (!isnan(lo) && v < lo) || (!isnan(hi) && v > hi);
    } else if (t->kind == TK_REDUCE_POINTS) {
        bad = !isnan(lo) && !isnan(hi) && v > hi - lo;
    }
    if (!bad) {
        return 0;
    }
    char range[RANGE_BUFSZ], hint[96] = "";
    range_text(lo, hi, range);
    if (ind->unit == UNIT_SHARE && v > 1 && v <= 100) {
        snprintf(hint, sizeof hint, "; a share is a fraction of 1: for %.14g %% write %.14g",
                 v, v / 100);
    }
    const pack *p = c->r->p;
    return fail(c, SHNOR_PACK,
                "%s:%d: target '%s': '%s' %.14g is %s indicator '%s' can %s (%s)%s",
                p->path, t->line, t->id, field, v,
                t->kind == TK_REDUCE_POINTS ? "more than" : "outside what", ind->code,
                t->kind == TK_REDUCE_POINTS ? "fall, from one end of its range to the other"
                                            : "take",
                range, hint);
}

static int cmp_row_scope(const void *a, const void *b)
{
    return strcmp(((const tg_row *)a)->scope, ((const tg_row *)b)->scope);
}

/* Evaluates target ti for the evaluated period per (a checkpoint when cp). */
static void eval_target(tg_ctx *c, int ti, shnor_period per, int is_checkpoint)
{
    const pack *p = c->r->p;
    const pack_target *t = &p->targets[ti];
    dataset *ds = c->r->ds;
    int ind, wind;
    if (target_indicator(c, t, t->kind == TK_ASSIGNMENTS_DONE ? NULL : t->indicator, &ind) ||
        target_indicator(c, t, t->weight_by, &wind) ||
        (ind >= 0 && check_threshold(c, t, &ds->inds[ind]))) {
        return;
    }
    if (wind >= 0 && ds->inds[wind].unit != UNIT_COUNT) {
        /* a weight is how many students (teachers, participants) a school
           has: a share or an index would weigh the schools by chance */
        fail(c, SHNOR_PACK,
             "%s:%d: target '%s': 'weight_by' indicator '%s' is %s %s, not a count; a "
             "pooled value is weighted by a number such as the students or teachers of "
             "each school",
             p->path, t->line, t->id, t->weight_by, unit_article(ds->inds[wind].unit),
             unit_name(ds->inds[wind].unit));
        return;
    }
    shnor_period tp = is_checkpoint ? per
                                    : resolve(t->period_is_offset, t->period_offset, t->period,
                                              per);
    shnor_period bp = {0};
    if (t->has_baseline) {
        bp = resolve(t->baseline_is_offset, t->baseline_offset, t->baseline, tp);
    }
    size_t first = c->r->n;
    scope_members m = {0};
    shnor_period lp = {0};
    if (t->scope == TS_EACH || t->scope == TS_CATEGORY) {
        lp = t->has_listed_in
                 ? resolve(t->listed_in_is_offset, t->listed_in_offset, t->listed_in, tp)
                 : (bp.kind ? bp : tp);
        if (t->has_listed_in && t->listed_in_is_offset && tp.kind != c->list_kind) {
            /* An offset from a half-year checkpoint of a yearly pack counts
               lists: 0 is the list of the year the checkpoint ends in (made
               with that year's overrides and exit rule), -1 the year before. */
            lp = shnor_period_shift(period_of_date(shnor_period_last_day(tp), c->list_kind),
                                    t->listed_in_offset);
        }
        if (!t->has_listed_in && t->kind == TK_ASSIGNMENTS_DONE && p->roadmap_listing) {
            /* The schools that owe the work: those the roadmap of the target's
               period serves (roadmap_listing periods before), not the list
               of the period itself. */
            shnor_period rp = tp.kind == c->list_kind
                                  ? tp
                                  : period_of_date(shnor_period_last_day(tp), c->list_kind);
            lp = shnor_period_shift(rp, p->roadmap_listing);
        }
        if (!t->has_listed_in && lp.kind != c->list_kind) {
            /* A half-year baseline of a yearly list: the list of the year it ends in. */
            lp = period_of_date(shnor_period_last_day(lp), c->list_kind);
        }
        /* Who is listed at the target's period, to say who left or joined: the
           list of the pack's own kind of period that it ends in. */
        shnor_period np = tp;
        if (np.kind != c->list_kind) {
            np = period_of_date(shnor_period_last_day(np), c->list_kind);
        }
        evaluation *at_l = listing_at(c, lp);
        evaluation *now = at_l && shnor_period_compare(lp, np) != 0 ? listing_at(c, np) : NULL;
        if (!at_l || scope_from_listing(c, t, at_l, now, &m) != 0) {
            members_free(&m);
            return;
        }
    } else if (t->scope == TS_ALL) {
        m.school = malloc((ds->nschools + 1) * sizeof *m.school);
        m.now = malloc((ds->nschools + 1) * sizeof *m.now);
        if (!m.school || !m.now) {
            members_free(&m);
            fail(c, SHNOR_NOMEM, "out of memory");
            return;
        }
        for (size_t i = 0; i < ds->nschools; i++) {
            m.now[i] = 1;
            m.school[m.n++] = (int)i;
        }
    } else {
        m.school = malloc((t->nschools + 1) * sizeof *m.school);
        m.now = malloc((t->nschools + 1) * sizeof *m.now);
        if (!m.school || !m.now) {
            members_free(&m);
            fail(c, SHNOR_NOMEM, "out of memory");
            return;
        }
        for (size_t k = 0; k < t->nschools; k++) {
            int s = ds_school_index(ds, t->schools[k]);
            if (s >= 0) {
                m.now[m.n] = 1;
                m.school[m.n++] = s;
                continue;
            }
            tg_row *row = push_row(c, ti, -1, t->schools[k]);
            if (row) {
                row->period = tp;
                row->baseline_period = tg_needs_baseline(t->kind) ? bp : (shnor_period){0};
                row->status = TG_INSUFFICIENT;
                tg_row_note(&row->reason, "школы %s нет в реестре данных пакета", t->schools[k]);
            }
        }
    }
    if (t->scope == TS_EACH || t->scope == TS_SCHOOLS) {
        if (m.n == 0 && m.nunknown == 0 && t->scope == TS_EACH) {
            pooled(c, ti, &m, ind, wind, 0, lp, bp, tp, t->scope_id);
        } else {
            per_school(c, ti, &m, ind, lp, bp, tp);
        }
    } else {
        pooled(c, ti, &m, ind, wind, t->scope == TS_ALL, lp, bp, tp,
               t->scope == TS_ALL ? "all" : t->scope_id);
    }
    members_free(&m);
    if (t->scope == TS_SCHOOLS && !c->status) {
        /* rows by school code, as every list (the pack names them in any order) */
        qsort(c->r->rows + first, c->r->n - first, sizeof *c->r->rows, cmp_row_scope);
    }
    for (size_t i = first; is_checkpoint && i < c->r->n; i++) {
        c->r->rows[i].checkpoint = per;
    }
}

static void row_free(tg_row *row)
{
    free(row->reason);
    free(row->method);
}

/* Rows of the checkpoints due by due_by, keeping those not met. */
static void eval_due(tg_ctx *c, shnor_period per, shnor_date due_by)
{
    const pack *p = c->r->p;
    for (size_t ti = 0; ti < p->ntargets && !c->status; ti++) {
        const pack_target *t = &p->targets[ti];
        shnor_period own = resolve(t->period_is_offset, t->period_offset, t->period, per);
        size_t ncp = t->ncheckpoints ? t->ncheckpoints : 1;
        for (size_t k = 0; k < ncp && !c->status; k++) {
            shnor_period cp = t->ncheckpoints ? t->checkpoints[k] : own;
            if (shnor_period_last_day(cp) > due_by) {
                continue;
            }
            size_t first = c->r->n;
            eval_target(c, (int)ti, cp, 1);
            /* Keep what has not been met; drop the met rows. */
            size_t w = first;
            for (size_t i = first; i < c->r->n; i++) {
                if (c->r->rows[i].status == TG_MET) {
                    row_free(&c->r->rows[i]);
                    c->r->met_dropped++;
                } else {
                    c->r->rows[w++] = c->r->rows[i];
                }
            }
            c->r->n = w;
        }
    }
}

int targets_eval(pack *p, dataset *ds, shnor_period period, shnor_date due_by,
                 evaluation *known, tg_assignments_fn assignments, void *arg,
                 target_results **out)
{
    target_results *r = calloc(1, sizeof *r);
    *out = r;
    if (!r) {
        return SHNOR_NOMEM;
    }
    sb_init(&r->err);
    r->p = p;
    r->ds = ds;
    r->period = period;
    /* Listings are of the pack's own kind of period (a yearly list), else of
       the kind evaluated: a half-year checkpoint is checked on the year's list. */
    tg_ctx c = {r, assignments, arg, NULL, 0, 0, p->period.kind ? p->period.kind : period.kind};
    if (known && (c.listings = malloc(sizeof *c.listings))) {
        c.listings[0] = (listing_slot){known->period, known, 1};
        c.nlistings = 1;
    }
    if (due_by > 0) {
        r->due_by = due_by;
        eval_due(&c, period, due_by);
    } else {
        for (size_t ti = 0; ti < p->ntargets && !c.status; ti++) {
            /* A target with control points ending within the period is checked at
               each of them; otherwise at the period itself. */
            const pack_target *t = &p->targets[ti];
            int checked = 0;
            for (size_t k = 0; k < t->ncheckpoints && !c.status; k++) {
                shnor_date end = shnor_period_last_day(t->checkpoints[k]);
                if (end >= shnor_period_first_day(period) && end <= shnor_period_last_day(period)) {
                    eval_target(&c, (int)ti, t->checkpoints[k], 1);
                    checked = 1;
                }
            }
            if (!checked) {
                eval_target(&c, (int)ti, period, 0);
            }
        }
    }
    for (size_t i = 0; i < c.nlistings; i++) {
        if (!c.listings[i].borrowed) {
            eval_free(c.listings[i].ev);
        }
    }
    free(c.listings);
    return c.status ? c.status : SHNOR_OK;
}

void targets_free(target_results *r)
{
    if (!r) {
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        row_free(&r->rows[i]);
    }
    free(r->rows);
    sb_free(&r->err);
    free(r);
}
