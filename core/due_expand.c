/*
 * due_expand.c — dates a parsed deadline within a period: the occurrences a
 * roadmap shows for it (due.h states what each form means).
 *
 * Choices the header leaves open, made here:
 *  - A span without a year is placed by its first day: in an academic year
 *    August..December fall in the autumn year and January..July in the
 *    spring year — August is the month of preparation before the school year
 *    (the August teachers' conference), so "август" in a 2020/21 roadmap is
 *    August 2020 even though the period starts in September; in a calendar
 *    period in the period's year, and only when that first day lies in the
 *    period. Its end follows, in the next year when the range wraps
 *    ("Октябрь-февраль").
 *  - A day that a short February lacks ("29 февраля") becomes its last day.
 *  - School holidays: autumn 28 October - 5 November, winter 30 December -
 *    8 January, spring 23-31 March, summer 1 June - 31 August.
 *  - A weekly window is the whole ISO week, Monday to Sunday, even when the
 *    Monday falls before the period; a week counts when its Sunday is in it.
 *  - "ежегодно" is one academic year (1 September - 31 August) in an academic
 *    period and one calendar year otherwise; "учебного года" is always an
 *    academic year, whatever the period.
 */
#include <stdlib.h>
#include <string.h>

#include "dueInt.h"
#include "period.h"

typedef struct {
    due_occurrence *v;
    size_t n, cap;
    int oom;
} occ_list;

static void add(occ_list *L, shnor_date start, shnor_date due)
{
    if (L->oom) {
        return;
    }
    if (L->n == L->cap) {
        size_t ncap = L->cap ? 2 * L->cap : 16;
        due_occurrence *nv = realloc(L->v, ncap * sizeof *nv);
        if (!nv) {
            L->oom = 1;
            return;
        }
        L->v = nv;
        L->cap = ncap;
    }
    L->v[L->n].start = start;
    L->v[L->n].due = due;
    L->n++;
}

static shnor_date last_of(int y, int m)
{
    return date_from_ymd(y, m, date_days_in_month(y, m));
}

/* The day d of month m in year y; 0 means the first (or with last set, the
   last) day; a day past the month's end is its last day. */
static shnor_date day_of(int y, int m, int d, int last)
{
    int dim = date_days_in_month(y, m);
    if (d == 0) {
        d = last ? dim : 1;
    }
    return date_from_ymd(y, m, d > dim ? dim : d);
}

/* The first and last day of a span whose years are ya and yb. */
static void span_days(const due_item *it, int ya, int yb, shnor_date *s, shnor_date *e)
{
    *s = day_of(ya, it->a.m ? it->a.m : 1, it->a.d, 0);
    *e = day_of(yb, it->b.m ? it->b.m : 12, it->b.d, 1);
}

/* A span: as written when it has a year, placed in the period otherwise. */
static void expand_span(occ_list *L, const due_item *it, shnor_period p, shnor_date lo,
                        shnor_date hi)
{
    shnor_date s, e;
    if (!due_item_relative(it)) {
        span_days(it, it->a.y, it->b.y, &s, &e);
        add(L, s, e);
        return;
    }
    int y = p.year;
    int academic = p.kind == SHNOR_PERIOD_ACADEMIC;
    if (academic && it->a.m < 8) {
        y++;
    }
    span_days(it, y, y + due_wraps(it->a, it->b), &s, &e);
    /* The preparatory August precedes an academic year's first day. */
    if ((s >= lo || (academic && it->a.m == 8)) && s <= hi) {
        add(L, s, e);
    }
}

/* A cycle's windows in one year: months m1 of year y to m2 of year y + dy. */
typedef struct {
    int m1, m2, dy, index;
} window;

static const window TERMS[] = {{9, 10, 0, 1}, {11, 12, 0, 2}, {1, 3, 0, 3}, {4, 5, 0, 4}};
static const window QUARTERS[] = {
    {1, 3, 0, 1}, {4, 6, 0, 2}, {7, 9, 0, 3}, {10, 12, 0, 4}};
/* The school's half-years, in a calendar period too, as its terms are: «конец
   1 полугодия» is December, «конец 2 полугодия» May (the control points of
   the orders), not June and December. */
static const window HALVES[] = {{9, 12, 0, 1}, {1, 5, 0, 2}};
static const window ACADEMIC_YEAR[] = {{9, 8, 1, 1}};
static const window YEAR[] = {{1, 12, 0, 1}};

/* A cycle: every window whose deadline lies in [lo, hi]. */
static void expand_cycle(occ_list *L, const due_item *it, shnor_period p, shnor_date lo,
                         shnor_date hi)
{
    int academic = p.kind == SHNOR_PERIOD_ACADEMIC;
    const window *w = NULL;
    size_t nw = 0;

    if (it->nbound > 0) {
        return; /* dated by its bound months */
    }
    if (academic && (it->unit == CYC_WEEK || it->unit == CYC_MONTH)) {
        hi = last_of(p.year + 1, 5); /* the summer is a holiday */
    }
    switch (it->unit) {
    case CYC_WEEK:
        for (shnor_date d = lo + (7 - date_weekday(lo)) % 7; d <= hi; d += 7) {
            add(L, d - 6, d);
        }
        return;
    case CYC_MONTH: {
        int y, m, dd;
        date_to_ymd(lo, &y, &m, &dd);
        for (shnor_date e = last_of(y, m); e <= hi; e = last_of(y, m)) {
            add(L, date_from_ymd(y, m, 1), e);
            y += m == 12;
            m = m % 12 + 1;
        }
        return;
    }
    case CYC_TERM:
        w = TERMS;
        nw = 4;
        break;
    case CYC_QUARTER:
        w = QUARTERS;
        nw = 4;
        break;
    case CYC_HALF:
        w = HALVES;
        nw = 2;
        break;
    case CYC_YEAR:
        w = academic ? ACADEMIC_YEAR : YEAR;
        nw = 1;
        break;
    case CYC_ACYEAR:
        w = ACADEMIC_YEAR;
        nw = 1;
        break;
    default:
        return;
    }
    for (int y = p.year - 1; y <= p.year + 1; y++) {
        for (size_t k = 0; k < nw; k++) {
            if (it->mask && !(it->mask & (1u << (w[k].index - 1)))) {
                continue;
            }
            shnor_date e = last_of(y + w[k].dy, w[k].m2);
            if (e >= lo && e <= hi) {
                add(L, date_from_ymd(y, w[k].m1, 1), e);
            }
        }
    }
}

/* An open form is due at the period's end; «2-3 раза в год» by a plan, with
   no months named, is owed at least twice: a year (calendar or academic) is
   split into that many equal windows (halves, thirds, quarters, …), so that
   one report cannot stand for both. */
static void expand_open(occ_list *L, const due_item *it, shnor_period p, shnor_date lo,
                        shnor_date hi)
{
    int yearly = p.kind == SHNOR_PERIOD_YEAR || p.kind == SHNOR_PERIOD_ACADEMIC;
    if (!yearly || it->nmin < 2 || 12 % it->nmin != 0) {
        add(L, lo, hi);
        return;
    }
    int months = 12 / it->nmin, y = p.year, m = p.kind == SHNOR_PERIOD_ACADEMIC ? 9 : 1;
    for (int k = 0; k < it->nmin; k++) {
        int ey = y, em = m + months - 1;
        if (em > 12) {
            em -= 12;
            ey++;
        }
        add(L, date_from_ymd(y, m, 1), last_of(ey, em));
        y = em == 12 ? ey + 1 : ey;
        m = em % 12 + 1;
    }
}

static int cmp_occ(const void *x, const void *y)
{
    const due_occurrence *a = x, *b = y;
    if (a->due != b->due) {
        return a->due < b->due ? -1 : 1;
    }
    return (a->start > b->start) - (a->start < b->start);
}

int due_expand(const due_spec *d, shnor_period p, due_occurrence **occ, size_t *n)
{
    occ_list L = {NULL, 0, 0, 0};
    if (occ) {
        *occ = NULL;
    }
    if (n) {
        *n = 0;
    }
    if (!d || !occ || !n || !period_valid(p)) {
        return SHNOR_MISUSE;
    }
    shnor_date lo = shnor_period_first_day(p), hi = shnor_period_last_day(p);
    for (size_t k = 0; k < d->n; k++) {
        const due_item *it = &d->items[k];
        switch (it->type) {
        case ITEM_SPAN:
            expand_span(&L, it, p, lo, hi);
            break;
        case ITEM_CYCLE:
            expand_cycle(&L, it, p, lo, hi);
            break;
        default:
            expand_open(&L, it, p, lo, hi);
            break;
        }
    }
    if (L.oom) {
        free(L.v);
        return SHNOR_NOMEM;
    }
    if (L.n == 0) {
        free(L.v);
        return SHNOR_OK;
    }
    qsort(L.v, L.n, sizeof L.v[0], cmp_occ);
    /* One per deadline, the earliest start kept (sorted first): «декабрь, в
       течение года» is one assignment due 31 December, from 1 January, as
       the store keeps it (one row per activity, owner and deadline). */
    size_t w = 1;
    for (size_t r = 1; r < L.n; r++) {
        if (L.v[r].due != L.v[w - 1].due) {
            L.v[w++] = L.v[r];
        }
    }
    *occ = L.v;
    *n = w;
    return SHNOR_OK;
}
