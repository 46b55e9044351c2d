/*
 * due_span.c — the dated parts of a deadline: dates, months, ranges and
 * years ("Март 2023 г. -декабрь 2024 г.", "октябрь 2020 март, апрель, май
 * 2021", "15.01.2021 г- 31.05.2024 г."), ordinal weeks of a month and school
 * holidays. due.c calls in here for every part that starts like a date.
 *
 * A year written after a run of months belongs to all of them ("март,
 * апрель, май 2021", also after a comma: "Март, 2023 г."); more years after
 * it repeat the run ("Февраль- Апрель 2023, 2024 г.г.", "май 2023 2024"). A range with a year on one end only gets the other
 * end's year, one less or one more when the months wrap ("январь - май
 * 2021"; "сентябрь-май 2024" is September 2023 to May 2024).
 */
#include <string.h>

#include "dueInt.h"
#include "period.h"

int due_wraps(due_point a, due_point b)
{
    if (a.m == 0 || b.m == 0) {
        return 0;
    }
    return b.m < a.m || (b.m == a.m && a.d && b.d && b.d < a.d);
}

int due_item_relative(const due_item *it)
{
    return it->type == ITEM_SPAN && it->a.y == 0;
}

/* Gives a span without a year the year y for its end. */
static void set_year(due_item *it, int y)
{
    it->b.y = y;
    it->a.y = y - due_wraps(it->a, it->b);
}

/* ---------------------------------------------------------------------------
 * Points and spans.
 */

/* Skips a word after a year: г, г., гг., г.г., год, года, году. */
static void year_word(due_parser *P)
{
    const char *w = duep_word(P, P->i);
    if (!w) {
        return;
    }
    if (strcmp(w, "г") == 0 || strcmp(w, "гг") == 0) {
        P->i++;
        if (duep_tt(P, P->i) == DT_DOT) {
            P->i++;
            if (strcmp(w, "г") == 0 && duep_is(P, P->i, "г") &&
                duep_tt(P, P->i + 1) == DT_DOT) {
                P->i += 2;
            }
        }
    } else if (strcmp(w, "год") == 0 || strcmp(w, "года") == 0 ||
               strcmp(w, "году") == 0) {
        P->i++;
    }
}

/* An optional year after a month or day: "май 2023 г.", also after a comma
   ("Март, 2023 г.": March of 2023, not March of the period and all 2023). */
static void year_after(due_parser *P, due_point *pt, int *ey)
{
    if (duep_tt(P, P->i) == DT_COMMA && duep_is_year(P, P->i + 1) &&
        duep_tt(P, P->i + 2) != DT_DASH) {
        P->i++;
    }
    if (duep_is_year(P, P->i)) {
        pt->y = (int)P->t[P->i].num;
        *ey = 1;
        P->i++;
        year_word(P);
    }
}

/* Checks a day of month against the month (any year when y is 0). */
int duep_day_ok(int y, int m, int d)
{
    if (m < 1 || m > 12 || d < 1) {
        return 0;
    }
    return d <= (y ? date_days_in_month(y, m) : date_days_in_month(2000, m));
}

/*
 * Reads a point at P->i: a month, a day, a numeric date or a year. Returns 1
 * with *pt set, 0 when nothing here starts a point (P->i unchanged), -1 on
 * error. *ey tells whether a year was written after a month or a day, so
 * that it closes a run ("март, апрель, май 2021"); the year inside a numeric
 * date (15.05.2023, 2023-05-15) and a year on its own do not.
 */
static int parse_point(due_parser *P, due_point *pt, int *ey)
{
    size_t k = P->i;
    int m;
    memset(pt, 0, sizeof *pt);
    *ey = 0;
    if (duep_is(P, k, "в") && duep_month(duep_word(P, k + 1), NULL)) {
        k++;
    }
    if ((m = duep_month(duep_word(P, k), NULL)) != 0) {
        pt->m = m;
        P->i = k + 1;
        year_after(P, pt, ey);
        return 1;
    }
    if (duep_tt(P, k) != DT_NUM) {
        return 0;
    }
    const due_token *n = &P->t[k];
    int gcase = 0, dated = 1;
    if (n->ndigits <= 2 && duep_tt(P, k + 1) == DT_DOT && duep_tight(P, k + 1) &&
        duep_tt(P, k + 2) == DT_NUM && P->t[k + 2].ndigits <= 2 && duep_tight(P, k + 2) &&
        duep_tt(P, k + 3) == DT_DOT && duep_tight(P, k + 3)) {
        /* DD.MM.YYYY, or DD.MM. with the run's year after a space */
        pt->d = (int)n->num;
        pt->m = (int)P->t[k + 2].num;
        P->i = k + 4;
        if (duep_is_year(P, P->i) && duep_tight(P, P->i)) {
            pt->y = (int)P->t[P->i].num;
            P->i++;
            year_word(P);
        } else {
            year_after(P, pt, ey);
        }
    } else if (n->ndigits <= 2 && (m = duep_month(duep_word(P, k + 1), &gcase)) != 0 &&
               gcase == 1) {
        /* "15 мая 2023" */
        pt->d = (int)n->num;
        pt->m = m;
        P->i = k + 2;
        year_after(P, pt, ey);
    } else {
        dated = 0;
    }
    if (dated) {
        if (!duep_day_ok(pt->y, pt->m, pt->d)) {
            return duep_fail(P, k, P->i, "is not a calendar day");
        }
        return 1;
    }
    if (duep_is_year(P, k)) {
        pt->y = (int)n->num;
        if (duep_tt(P, k + 1) == DT_DASH && duep_tight(P, k + 1) &&
            duep_tt(P, k + 2) == DT_NUM && P->t[k + 2].ndigits == 2 &&
            duep_tight(P, k + 2)) {
            /* ISO: YYYY-MM or YYYY-MM-DD */
            pt->m = (int)P->t[k + 2].num;
            P->i = k + 3;
            if (duep_tt(P, P->i) == DT_DASH && duep_tight(P, P->i) &&
                duep_tt(P, P->i + 1) == DT_NUM && P->t[P->i + 1].ndigits == 2 &&
                duep_tight(P, P->i + 1)) {
                pt->d = (int)P->t[P->i + 1].num;
                P->i += 2;
            }
            if (pt->m < 1 || pt->m > 12 || (pt->d && !duep_day_ok(pt->y, pt->m, pt->d))) {
                return duep_fail(P, k, P->i, "is not a calendar day or month");
            }
            return 1;
        }
        P->i = k + 1;
        year_word(P);
        return 1;
    }
    return 0;
}

/* Reads a span (point, or point dash point) into *it; results as parse_point. */
int duep_span(due_parser *P, due_item *it, int *ey)
{
    size_t from = P->i;
    int ea = 0, eb = 0;
    memset(it, 0, sizeof *it);
    it->type = ITEM_SPAN;
    int r = parse_point(P, &it->a, &ea);
    if (r <= 0) {
        return r;
    }
    it->b = it->a;
    eb = ea;
    if (duep_tt(P, P->i) == DT_DASH) {
        P->i++;
        r = parse_point(P, &it->b, &eb);
        if (r < 0) {
            return -1;
        }
        if (r == 0) {
            return duep_fail(P, from, P->i, "is a range without an end after the dash");
        }
        if ((it->a.m == 0) != (it->b.m == 0)) {
            return duep_fail(P, from, P->i, "joins a year and a month in one range");
        }
    }
    if (it->a.y && !it->b.y) {
        it->b.y = it->a.y + due_wraps(it->a, it->b);
    } else if (!it->a.y && it->b.y) {
        it->a.y = it->b.y - due_wraps(it->a, it->b);
    }
    it->off = P->t[from].off;
    it->len = P->t[P->i - 1].off + P->t[P->i - 1].len - it->off;
    *ey = eb;
    return 1;
}

/*
 * After a month: "первая неделя – русский язык, вторая неделя – мат-ка,
 * третья, четвертая недели – предметы по выбору". Pushes one span per week
 * of the month (with its year, if it has one). A label after a dash says
 * what the week is for and is skipped up to the next comma or ordinal; a
 * month name ends it too, so that no date is skipped as a label.
 */
static int parse_weeks(due_parser *P, due_point month, size_t from)
{
    for (;;) {
        int ords[5], nord = 0;
        while (nord < 4 && duep_ordinal(duep_word(P, P->i))) {
            ords[nord++] = duep_ordinal(duep_word(P, P->i));
            P->i++;
            if ((duep_tt(P, P->i) == DT_COMMA || duep_is(P, P->i, "и")) &&
                duep_ordinal(duep_word(P, P->i + 1))) {
                P->i++;
            }
        }
        if (!duep_is(P, P->i, "неделя") && !duep_is(P, P->i, "недели") &&
            !duep_is(P, P->i, "неделю")) {
            return duep_fail(P, from, P->i, "names weeks without the word \"неделя\"");
        }
        P->i++;
        if (duep_tt(P, P->i) == DT_DASH) {
            size_t lab = ++P->i;
            while (duep_tt(P, P->i) == DT_WORD || duep_tt(P, P->i) == DT_DASH ||
                   duep_tt(P, P->i) == DT_NUM) {
                const char *w = duep_word(P, P->i);
                if (duep_ordinal(w) || duep_month(w, NULL)) {
                    break;
                }
                P->i++;
            }
            if (P->i == lab) {
                return duep_fail(P, from, P->i, "has a dash after the week but no label");
            }
        }
        for (int k = 0; k < nord; k++) {
            static const int first[5] = {0, 1, 8, 15, 22};
            due_item it;
            memset(&it, 0, sizeof it);
            it.type = ITEM_SPAN;
            it.a = it.b = month;
            it.a.d = first[ords[k]];
            it.b.d = ords[k] == 4 ? 0 : first[ords[k]] + 6;
            it.label = LABEL_WEEK;
            it.index = ords[k];
            it.off = P->t[from].off;
            it.len = P->t[P->i - 1].off + P->t[P->i - 1].len - it.off;
            if (!duep_push(P, &it)) {
                return -1;
            }
        }
        if (duep_tt(P, P->i) == DT_COMMA && duep_ordinal(duep_word(P, P->i + 1))) {
            P->i++;
            continue;
        }
        return 1;
    }
}

/*
 * A span at P->i with what may follow it: weeks, the years of a run, or
 * "отчетного года". Returns 1, 0 (no span here) or -1.
 */
int duep_span_part(due_parser *P)
{
    size_t from = P->i;
    due_item it;
    int ey;
    int r = duep_span(P, &it, &ey);
    if (r <= 0) {
        return r;
    }
    size_t ord = P->i + (duep_tt(P, P->i) == DT_COMMA);
    if (it.a.m && it.a.d == 0 && it.b.m == it.a.m && it.b.y == it.a.y && it.b.d == 0 &&
        duep_ordinal(duep_word(P, ord))) {
        /* "Март Первая неделя", "февраль, четвёртая неделя" */
        P->i = ord;
        r = parse_weeks(P, it.a, from);
        P->group = P->spec->n;
        return r;
    }
    if (!duep_push(P, &it)) {
        return -1;
    }
    size_t last = P->spec->n - 1;
    int marker = (duep_is(P, P->i, "отчетного") || duep_is(P, P->i, "текущего")) &&
                 duep_is(P, P->i + 1, "года");
    if (marker && !due_item_relative(&P->spec->items[last])) {
        return duep_fail(P, from, P->i + 2, "has a year and says \"of the period\" too");
    }
    if (ey) {
        /* The year closes the run: the months before it get it too. */
        int y = P->spec->items[last].b.y;
        for (size_t k = P->group; k < last; k++) {
            set_year(&P->spec->items[k], y);
        }
        size_t first = P->group;
        for (;;) {
            /* "май 2023, 2024 г.г." (or "май 2023 2024 г.г."): the run again
               in each further year */
            size_t at = duep_is_year(P, P->i) ? P->i
                        : (duep_tt(P, P->i) == DT_COMMA || duep_is(P, P->i, "и")) ? P->i + 1
                                                                                 : 0;
            if (!at || !duep_is_year(P, at) || duep_tt(P, at + 1) == DT_DASH) {
                break;
            }
            int y2 = (int)P->t[at].num;
            P->i = at + 1;
            year_word(P);
            for (size_t k = first; k <= last; k++) {
                due_item c = P->spec->items[k];
                c.a.y += y2 - y;
                c.b.y += y2 - y;
                if (!duep_push(P, &c)) {
                    return -1;
                }
            }
        }
        P->group = P->spec->n;
    } else if (marker) {
        /* "Декабрь, май отчетного года": of the period, as without a year */
        P->i += 2;
        P->group = P->spec->n;
    } else if (!due_item_relative(&P->spec->items[last])) {
        P->group = P->spec->n;
    }
    return 1;
}

/* ---------------------------------------------------------------------------
 * Holidays, cycles and phrases.
 */

/* "Осенние, весенние каникулы": windows chosen in due_expand.c. */
int duep_holidays(due_parser *P)
{
    size_t from = P->i, k = P->i;
    int which[5], n = 0;
    if (duep_is(P, k, "в") && duep_holiday(duep_word(P, k + 1))) {
        k++;
    }
    if (!duep_holiday(duep_word(P, k))) {
        return 0;
    }
    while (n < 4 && duep_holiday(duep_word(P, k))) {
        which[n++] = duep_holiday(duep_word(P, k));
        k++;
        if ((duep_tt(P, k) == DT_COMMA || duep_is(P, k, "и")) &&
            duep_holiday(duep_word(P, k + 1))) {
            k++;
        }
    }
    if (!duep_is(P, k, "каникулы") && !duep_is(P, k, "каникул") &&
        !duep_is(P, k, "каникулах")) {
        return duep_fail(P, from, k, "names holidays without the word \"каникулы\"");
    }
    P->i = k + 1;
    for (int j = 0; j < n; j++) {
        static const due_point start[5] = {
            {0, 0, 0}, {0, 10, 28}, {0, 12, 30}, {0, 3, 23}, {0, 6, 1}};
        static const due_point end[5] = {
            {0, 0, 0}, {0, 11, 5}, {0, 1, 8}, {0, 3, 31}, {0, 8, 31}};
        due_item it;
        memset(&it, 0, sizeof it);
        it.type = ITEM_SPAN;
        it.a = start[which[j]];
        it.b = end[which[j]];
        it.label = LABEL_HOLIDAY;
        it.index = which[j];
        it.off = P->t[from].off;
        it.len = P->t[k].off + P->t[k].len - it.off;
        if (!duep_push(P, &it)) {
            return -1;
        }
    }
    P->group = P->spec->n;
    return 1;
}
