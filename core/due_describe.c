/*
 * due_describe.c — the short normalised Russian text of a parsed deadline,
 * for tables: "февраль–апрель 2023", "ежемесячно", "2 раза в год: январь,
 * июнь", "до конца периода".
 *
 * Months are lower case in the nominative, ranges use an en dash, dates are
 * DD.MM.YYYY. Items of one class are joined by ", ", a change of class
 * (dates, recurrences, open) by "; ".
 */
#include <stdio.h>
#include <stdlib.h>

#include "dueInt.h"
#include "strbuf.h"

static const char *const NOM[13] = {"",        "январь", "февраль", "март",   "апрель",
                                    "май",     "июнь",   "июль",    "август", "сентябрь",
                                    "октябрь", "ноябрь", "декабрь"};
static const char *const GEN[13] = {"",        "января", "февраля", "марта",   "апреля",
                                    "мая",     "июня",   "июля",    "августа", "сентября",
                                    "октября", "ноября", "декабря"};
static const char *const HOLIDAY[5] = {"", "осенние каникулы", "зимние каникулы",
                                       "весенние каникулы", "летние каникулы"};

/* "раз" or "раза" after n. */
static const char *times(int n)
{
    return n % 10 >= 2 && n % 10 <= 4 && (n % 100 < 12 || n % 100 > 14) ? "раза" : "раз";
}

/* One end of a span: "март", "март 2023", "15 мая", "15.05.2023". */
static void point(strbuf *sb, due_point p, int with_year)
{
    if (p.d && p.y) {
        sb_printf(sb, "%02d.%02d.%04d", p.d, p.m, p.y);
        return;
    }
    if (p.d) {
        sb_printf(sb, "%d %s", p.d, GEN[p.m]);
    } else {
        sb_puts(sb, NOM[p.m]);
    }
    if (with_year && p.y) {
        sb_printf(sb, " %d", p.y);
    }
}

static void span(strbuf *sb, const due_item *it)
{
    due_point a = it->a, b = it->b;
    if (it->label == LABEL_HOLIDAY) {
        sb_puts(sb, HOLIDAY[it->index]);
    } else if (it->label == LABEL_WEEK) {
        sb_printf(sb, "%d-я неделя %s", it->index, GEN[a.m]);
        if (a.y) {
            sb_printf(sb, " %d", a.y);
        }
    } else if (a.m == 0) {
        if (a.y == b.y) {
            sb_printf(sb, "%d г.", a.y);
        } else {
            sb_printf(sb, "%d–%d гг.", a.y, b.y);
        }
    } else if (a.m == b.m && a.d == b.d && a.y == b.y) {
        point(sb, a, 1);
    } else if (a.d && a.y) {
        point(sb, a, 1);
        sb_puts(sb, "–");
        point(sb, b, 1);
    } else if (a.d == 0 && b.d == 0 && a.y == b.y) {
        /* "февраль–апрель 2023", "октябрь–февраль" */
        sb_printf(sb, "%s–%s", NOM[a.m], NOM[b.m]);
        if (a.y) {
            sb_printf(sb, " %d", a.y);
        }
    } else {
        point(sb, a, 1);
        sb_puts(sb, " – ");
        point(sb, b, 1);
    }
}

static void cycle(strbuf *sb, const due_item *it)
{
    static const char *const every[] = {"",
                                        "еженедельно",
                                        "ежемесячно",
                                        "раз в четверть",
                                        "ежеквартально",
                                        "по полугодиям",
                                        "ежегодно",
                                        "по итогам учебного года"};
    static const char *const unit[] = {"",           "в неделю",  "в месяц",
                                       "в четверть", "в квартал", "в полугодие",
                                       "в год",      "в год"};
    static const char *const ends[] = {"",         "",          "", "четверти",
                                       "квартала", "полугодия", "", ""};
    unsigned full = it->unit == CYC_HALF ? 3u : 15u;
    if (it->nmax > 1) {
        if (it->nmin == it->nmax) {
            sb_printf(sb, "%d %s %s", it->nmax, times(it->nmax), unit[it->unit]);
        } else {
            sb_printf(sb, "%d–%d %s %s", it->nmin, it->nmax, times(it->nmax),
                      unit[it->unit]);
        }
    } else if (it->mask && (it->mask & full) != full && ends[it->unit][0]) {
        /* "конец 1-го полугодия", "конец 1-й, 3-й четверти" */
        const char *suffix = it->unit == CYC_TERM ? "й" : "го";
        sb_puts(sb, "конец ");
        int first = 1;
        for (int k = 0; k < 4; k++) {
            if (it->mask & (1u << k)) {
                sb_printf(sb, "%s%d-%s", first ? "" : ", ", k + 1, suffix);
                first = 0;
            }
        }
        sb_printf(sb, " %s", ends[it->unit]);
    } else {
        sb_puts(sb, every[it->unit]);
    }
}

int duedesc_build(due_spec *s)
{
    strbuf sb = STRBUF_INIT;
    int prev = 0;
    for (size_t k = 0; k < s->n; k++) {
        const due_item *it = &s->items[k];
        if (prev) {
            sb_puts(&sb, prev == it->type ? ", " : "; ");
        }
        prev = it->type;
        if (it->type == ITEM_SPAN) {
            span(&sb, it);
        } else if (it->type == ITEM_CYCLE) {
            cycle(&sb, it);
            for (size_t j = 0; j < it->nbound; j++) {
                sb_puts(&sb, j ? ", " : ": ");
                span(&sb, &s->items[k + 1 + j]);
            }
            k += it->nbound;
        } else if (it->nmax > 0) {
            if (it->nmin == it->nmax) {
                sb_printf(&sb, "%d %s в год", it->nmax, times(it->nmax));
            } else {
                sb_printf(&sb, "%d–%d %s в год", it->nmin, it->nmax, times(it->nmax));
            }
        } else {
            sb_puts(&sb, "до конца периода");
        }
    }
    free(s->desc);
    s->desc = sb_detach(&sb);
    return s->desc ? SHNOR_OK : SHNOR_NOMEM;
}
