/*
 * due_cycle.c — the recurrences of a deadline: "еженедельно", "ежегодно
 * (январь, июнь)", "не реже 1 раза в четверть", "2-3 раза в год", "каждый
 * месяц", "по полугодиям", "по итогам четверти и учебного года", "конец 1,2
 * полугодия". A yearly one may name its months, which are pushed bound to
 * it (invariant 3 of dueInt.h). due.c calls in here for every part.
 */
#include <string.h>

#include "dueInt.h"

/* The cycle named after "в" or "каждую": неделю, месяц, ... (accusative). */
static int unit_acc(const char *w)
{
    static const char *const names[] = {"",        "неделю",    "месяц", "четверть",
                                        "квартал", "полугодие", "год"};
    static const int units[] = {0,           CYC_WEEK, CYC_MONTH, CYC_TERM,
                                CYC_QUARTER, CYC_HALF, CYC_YEAR};
    return units[duep_lookup(w, names, 7)];
}

/* The unit after "по итогам" or "конец" (genitive); CYC_ACYEAR for "учебного года". */
static int unit_gen(due_parser *P)
{
    static const char *const names[] = {"",         "недели",    "месяца", "четверти",
                                        "квартала", "полугодия", "года"};
    if (duep_is(P, P->i, "учебного") && duep_is(P, P->i + 1, "года")) {
        P->i += 2;
        return CYC_ACYEAR;
    }
    int u = duep_lookup(duep_word(P, P->i), names, 7);
    if (u) {
        P->i++;
    }
    return u;
}

/*
 * The months of a yearly cycle, after "ежегодно" or "N раз в год": in
 * parentheses, or after a comma or colon. Pushes them bound to the cycle at
 * index c. Returns 1 when there were months, 0 when not (P->i unchanged).
 */
static int parse_bound(due_parser *P, size_t c)
{
    size_t save = P->i;
    int paren = 0;
    if (duep_tt(P, P->i) == DT_LPAREN) {
        paren = 1;
        P->i++;
    } else if (duep_tt(P, P->i) == DT_COMMA || duep_tt(P, P->i) == DT_COLON) {
        P->i++;
    }
    size_t k = P->i + duep_is(P, P->i, "в");
    int gcase;
    if (!duep_month(duep_word(P, k), NULL) &&
        !(duep_tt(P, k) == DT_NUM && duep_month(duep_word(P, k + 1), &gcase) &&
          gcase == 1)) {
        P->i = save;
        return 0;
    }
    for (;;) {
        size_t from = P->i;
        due_item it;
        int ey;
        int r = duep_span(P, &it, &ey);
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            return duep_fail(P, from, from, "is not a month of the recurrence");
        }
        if (it.a.y || it.a.m == 0) {
            return duep_fail(P, from, P->i, "names a year in a yearly recurrence");
        }
        it.bound = 1;
        if (!duep_push(P, &it)) {
            return -1;
        }
        P->spec->items[c].nbound++;
        if ((duep_tt(P, P->i) == DT_COMMA || duep_is(P, P->i, "и")) &&
            duep_month(duep_word(P, P->i + 1 + duep_is(P, P->i + 1, "в")), NULL)) {
            P->i++;
            continue;
        }
        break;
    }
    /* The recurrence's months end the run: a year written after them
       ("ежегодно, май 7.5. 2021") is not theirs (invariant 3). */
    P->group = P->spec->n;
    if (paren) {
        /* the rest of the parentheses: "(январь, июнь; по плану)" */
        if (duep_seq(P, 1) < 0) {
            return -1;
        }
        if (duep_tt(P, P->i) != DT_RPAREN) {
            return duep_fail(P, save, P->i, "opens a parenthesis it does not close");
        }
        P->i++;
    }
    return 1;
}

static int push_cycle(due_parser *P, int unit, unsigned mask, size_t from)
{
    due_item it;
    memset(&it, 0, sizeof it);
    it.type = ITEM_CYCLE;
    it.unit = unit;
    it.mask = mask;
    it.off = P->t[from].off;
    it.len = P->t[P->i - 1].off + P->t[P->i - 1].len - it.off;
    return duep_push(P, &it) ? 1 : -1;
}

/* "[не реже] [N[-M]] раз(а) в unit [months]". */
static int parse_times(due_parser *P, size_t from)
{
    int nmin = 1, nmax = 1;
    if (duep_tt(P, P->i) == DT_NUM) {
        nmin = nmax = (int)P->t[P->i].num;
        if (duep_tt(P, P->i + 1) == DT_DASH && duep_tt(P, P->i + 2) == DT_NUM) {
            nmax = (int)P->t[P->i + 2].num;
            P->i += 2;
        }
        P->i++;
    }
    if (!duep_is(P, P->i, "раз") && !duep_is(P, P->i, "раза")) {
        return duep_fail(P, from, from,
                         "is not understood (a number is a day, a year, or a "
                         "count before \"раз\")");
    }
    P->i++;
    int unit = duep_is(P, P->i, "в") ? unit_acc(duep_word(P, P->i + 1)) : 0;
    if (!unit) {
        return duep_fail(P, from, from,
                         "needs a unit: раз в неделю, месяц, четверть, "
                         "квартал, полугодие or год");
    }
    P->i += 2;
    if (nmin < 1 || nmax < nmin || nmax > 366) {
        return duep_fail(P, from, P->i, "is not a sensible count");
    }
    if (push_cycle(P, unit, 0, from) < 0) {
        return -1;
    }
    size_t c = P->spec->n - 1;
    if (nmax > 1) {
        P->spec->items[c].nmin = nmin;
        P->spec->items[c].nmax = nmax;
    }
    if (unit != CYC_YEAR) {
        return 1;
    }
    int r = parse_bound(P, c);
    if (r < 0) {
        return -1;
    }
    size_t nb = P->spec->items[c].nbound;
    if (r == 0 && nmax > 1) {
        /* "2-3 раза в год" without months: by a plan, open */
        P->spec->items[c].type = ITEM_OPEN;
        P->spec->items[c].unit = 0;
    } else if (r == 1 && (nb < (size_t)nmin || nb > (size_t)nmax)) {
        return duep_fail(P, from, P->i,
                         nmin == nmax ? "names another number of months"
                                      : "names too few or too many months");
    }
    return 1;
}

/* "конец 1,2 полугодия", "в конце четверти", "конец учебного года". */
static int parse_end_of(due_parser *P, size_t from)
{
    unsigned mask = 0;
    int maxn = 0;
    while (duep_tt(P, P->i) == DT_NUM) {
        long v = P->t[P->i].num;
        if (v < 1 || v > 4) {
            return duep_fail(P, from, P->i + 1, "names no such half or term");
        }
        mask |= 1u << (v - 1);
        maxn = v > maxn ? (int)v : maxn;
        P->i++;
        if (duep_tt(P, P->i) == DT_DASH &&
            (duep_is(P, P->i + 1, "го") || duep_is(P, P->i + 1, "й") ||
             duep_is(P, P->i + 1, "ой"))) {
            P->i += 2;
        }
        if ((duep_tt(P, P->i) == DT_COMMA || duep_is(P, P->i, "и")) &&
            duep_tt(P, P->i + 1) == DT_NUM) {
            P->i++;
        }
    }
    int unit = unit_gen(P);
    if (!unit || unit == CYC_WEEK) {
        return duep_fail(P, from, from,
                         "needs what ends: полугодия, четверти, квартала, "
                         "месяца, года or учебного года");
    }
    int limit = unit == CYC_HALF ? 2 : unit == CYC_TERM || unit == CYC_QUARTER ? 4 : 0;
    if (maxn > limit) {
        return duep_fail(P, from, P->i, "names no such half or term");
    }
    if (mask == (1u << limit) - 1) {
        mask = 0; /* "конец 1,2 полугодия" is every half */
    }
    return push_cycle(P, unit, mask, from);
}

/* Any recurrence at P->i. Returns 1, 0 (none here) or -1. */
int duep_cycle(due_parser *P)
{
    size_t from = P->i;
    const char *w = duep_word(P, P->i);
    static const char *const every[] = {"", "еженедельно", "ежемесячно", "ежеквартально",
                                        "ежегодно"};
    static const int every_unit[] = {0, CYC_WEEK, CYC_MONTH, CYC_QUARTER, CYC_YEAR};
    static const char *const by[] = {"", "полугодиям", "четвертям", "кварталам"};
    static const int by_unit[] = {0, CYC_HALF, CYC_TERM, CYC_QUARTER};
    int u = duep_lookup(w, every, 5);
    if (u) {
        P->i++;
        u = every_unit[u];
        if (push_cycle(P, u, 0, from) < 0) {
            return -1;
        }
        return u == CYC_YEAR ? (parse_bound(P, P->spec->n - 1) < 0 ? -1 : 1) : 1;
    }
    if (duep_is(P, P->i, "не") && duep_is(P, P->i + 1, "реже")) {
        P->i += 2;
        return parse_times(P, from);
    }
    if (duep_is(P, P->i, "раз") || duep_is(P, P->i, "раза") ||
        (duep_tt(P, P->i) == DT_NUM && P->t[P->i].ndigits <= 3 &&
         (duep_is(P, P->i + 1, "раз") || duep_is(P, P->i + 1, "раза") ||
          (duep_tt(P, P->i + 1) == DT_DASH && duep_tt(P, P->i + 2) == DT_NUM &&
           (duep_is(P, P->i + 3, "раз") || duep_is(P, P->i + 3, "раза")))))) {
        return parse_times(P, from);
    }
    if (duep_is(P, P->i, "каждую") || duep_is(P, P->i, "каждый") ||
        duep_is(P, P->i, "каждое")) {
        u = unit_acc(duep_word(P, P->i + 1));
        if (!u) {
            return duep_fail(P, from, from,
                             "needs a unit: каждую неделю, каждый месяц, "
                             "каждую четверть, ...");
        }
        P->i += 2;
        return push_cycle(P, u, 0, from);
    }
    if (duep_is(P, P->i, "по")) {
        u = duep_lookup(duep_word(P, P->i + 1), by, 4);
        if (u) {
            P->i += 2;
            return push_cycle(P, by_unit[u], 0, from);
        }
        if (duep_is(P, P->i + 1, "итогам")) {
            P->i += 2;
            for (;;) {
                size_t at = P->i;
                u = unit_gen(P);
                if (!u || u == CYC_WEEK) {
                    return duep_fail(P, at, at,
                                     "is not a period: полугодия, четверти, "
                                     "квартала, месяца, года, учебного года");
                }
                if (push_cycle(P, u, 0, from) < 0) {
                    return -1;
                }
                /* "по итогам полугодия и учебного года" */
                size_t save = P->i;
                if (!duep_is(P, P->i, "и") && duep_tt(P, P->i) != DT_COMMA) {
                    return 1;
                }
                P->i++;
                if (!unit_gen(P)) {
                    P->i = save;
                    return 1;
                }
                P->i = save + 1;
            }
        }
        return 0;
    }
    if (duep_is(P, P->i, "конец") ||
        (duep_is(P, P->i, "в") && duep_is(P, P->i + 1, "конце"))) {
        P->i += duep_is(P, P->i, "в") ? 2 : 1;
        return parse_end_of(P, from);
    }
    return 0;
}
