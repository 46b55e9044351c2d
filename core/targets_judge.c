/*
 * targets_judge.c — the verdict on one target row: the level its actual value
 * had to reach, how the two compare, and the reasons a row lacks what it needs
 * (rules 2-4 of targets.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"
#include "period.h"
#include "targetsInt.h"

void tg_fmt_period(shnor_period p, char *buf)
{
    if (!shnor_period_format(p, buf, SHNOR_PERIOD_MAX)) {
        strcpy(buf, "?");
    }
}

/* Appends a sentence to *slot ("; " between sentences). */
void tg_row_note(char **slot, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    if (*slot) {
        sb_printf(&sb, "%s; ", *slot);
    }
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&sb, fmt, ap);
    va_end(ap);
    free(*slot);
    *slot = sb_detach(&sb);
}

int tg_needs_baseline(int kind)
{
    return kind == TK_REDUCE_RELATIVE || kind == TK_REDUCE_POINTS ||
           kind == TK_INCREASE_RELATIVE || kind == TK_CLOSE_GAP;
}

/*
 * The level the actual value must reach and how it is compared, then the
 * verdict. The caller has checked that the values needed are present.
 */
void tg_judge(const pack_target *t, const indicator *ind, tg_row *row, double mean)
{
    double b = row->baseline, x = t->value;
    switch (t->kind) {
    case TK_REDUCE_RELATIVE:
        row->op = TG_LE;
        row->threshold = b - fabs(b) * x; /* a zero baseline must stay zero */
        break;
    case TK_REDUCE_POINTS:
        row->op = TG_LE;
        row->threshold = b - x;
        break;
    case TK_INCREASE_RELATIVE:
        /* From zero a relative rise is any rise; «не ниже» (value 0, not
           strict) is still met by staying at zero. */
        row->op = b == 0 && x > 0 ? TG_GT : TG_GE;
        row->threshold = b + fabs(b) * x;
        break;
    case TK_AT_LEAST:
    case TK_ASSIGNMENTS_DONE:
        row->op = TG_GE;
        row->threshold = x;
        break;
    case TK_AT_MOST:
        row->op = TG_LE;
        row->threshold = x;
        break;
    case TK_NOT_BELOW_MEAN:
        row->op = ind && ind->better == BETTER_LOWER ? TG_LE : TG_GE;
        row->threshold = mean;
        break;
    case TK_CLOSE_GAP: {
        /* The better direction is the indicator's, else the way from the
           baseline to the goal. A baseline at or past the goal has no gap to
           close: the actual must stay at the goal or better. */
        int cmp = num_cmp_decimal(t->goal, b);
        int up = ind && ind->better ? ind->better == BETTER_HIGHER : cmp >= 0;
        row->op = up ? TG_GE : TG_LE;
        if (cmp == 0 || (up ? cmp < 0 : cmp > 0)) {
            row->threshold = t->goal;
        } else {
            row->threshold = b + x * (t->goal - b);
        }
        break;
    }
    default:
        row->op = TG_GE;
        break;
    }
    if (t->strict) {
        row->op = row->op == TG_LE ? TG_LT : row->op == TG_GE ? TG_GT : row->op;
    }
    /* A computed level in the decimals a person would write (15 digits of
       the largest figure it was made from, far finer than the comparison's
       12): 0.0055 less 10 % is 0.00495, and 1000.1 less 1000 points is 0.1. */
    double scale = fabs(row->threshold);
    if (tg_needs_baseline(t->kind)) {
        scale = fmax(scale, fabs(b)); /* computed from the baseline: its decimals */
    }
    if (t->kind == TK_REDUCE_POINTS) {
        scale = fmax(scale, fabs(x));
    } else if (t->kind == TK_CLOSE_GAP) {
        scale = fmax(scale, fabs(t->goal));
    }
    row->threshold = num_round_at_scale(row->threshold, scale, 15);
    int cmp = num_cmp_decimal(row->actual, row->threshold);
    int met = row->op == TG_LE   ? cmp <= 0
              : row->op == TG_GE ? cmp >= 0
              : row->op == TG_GT ? cmp > 0
                                 : cmp < 0;
    row->status = met ? TG_MET : TG_NOT_MET;
}

/* Marks the row insufficient when a value it needs is missing; 1 if so. */
int tg_check_missing(const pack_target *t, tg_row *row, double mean)
{
    char b[SHNOR_PERIOD_MAX], p[SHNOR_PERIOD_MAX];
    tg_fmt_period(row->baseline_period, b);
    tg_fmt_period(row->period, p);
    if (tg_needs_baseline(t->kind) && isnan(row->baseline)) {
        tg_row_note(&row->reason, "нет базового значения за %s", b);
    }
    if (isnan(row->actual)) {
        tg_row_note(&row->reason, "нет фактического значения за %s", p);
    }
    if (t->kind == TK_NOT_BELOW_MEAN && isnan(mean)) {
        tg_row_note(&row->reason, "нет среднего по территории за %s", p);
    }
    if (row->reason) {
        row->status = TG_INSUFFICIENT;
        return 1;
    }
    return 0;
}

