/*
 * targets_out.c — target results for people (a table in the indicators'
 * units, status coloured on a terminal, the targets' wording under it) and
 * for programs (CSV with the contract's header, JSON).
 */
#include <math.h>
#include <string.h>

#include "csv.h"
#include "humanfmt.h"
#include "json.h"
#include "numfmt.h"
#include "table.h"
#include "targets.h"

static const indicator *row_indicator(const target_results *r, const tg_row *row)
{
    const pack_target *t = &r->p->targets[row->target];
    int i = t->indicator && t->kind != TK_ASSIGNMENTS_DONE
                ? ds_indicator_index(r->ds, t->indicator)
                : -1;
    return i >= 0 ? &r->ds->inds[i] : NULL;
}

/* The unit values print in: a process target is a share of assignments. */
static int row_unit(const target_results *r, const tg_row *row)
{
    const indicator *ind = row_indicator(r, row);
    /* A flag pooled over a category is the share of its schools with it
       (33,3 %), not «да»; one school's is «да» or «нет». */
    return !ind || (ind->unit == UNIT_FLAG && row->school < 0) ? UNIT_SHARE : ind->unit;
}

const char *target_op_text(int op)
{
    return op == TG_LE   ? "<="
           : op == TG_GE ? ">="
           : op == TG_GT ? ">"
           : op == TG_LT ? "<"
                         : "";
}

static const char *op_sign(int op)
{
    return op == TG_LE   ? "≤ "
           : op == TG_GE ? "≥ "
           : op == TG_GT ? "> "
           : op == TG_LT ? "< "
                         : "";
}

static const char *status_ru(int status)
{
    return status == TG_MET       ? "выполнено"
           : status == TG_NOT_MET ? "не выполнено"
                                  : "недостаточно данных";
}

/*
 * What the kind means, in Russian, with the pack's threshold: the output
 * always says which reading of "снизить на 10%" the pack chose.
 */
void target_kind_text(const pack_target *t, const indicator *ind, strbuf *sb)
{
    char x[64], g[64];
    int unit = ind ? ind->unit : UNIT_SHARE;
    human_percent_of(t->value, 2, x, sizeof x);
    if (t->value == 0 &&
        (t->kind == TK_INCREASE_RELATIVE || t->kind == TK_REDUCE_RELATIVE)) {
        int up = t->kind == TK_INCREASE_RELATIVE;
        sb_printf(sb, "%s базового значения (%s)",
                  t->strict ? (up ? "выше" : "ниже") : (up ? "не ниже" : "не выше"),
                  target_kind_name(t->kind));
        return;
    }
    switch (t->kind) {
    case TK_REDUCE_RELATIVE:
        sb_printf(sb, "снижение не менее чем на %s%% от базового значения", x);
        break;
    case TK_REDUCE_POINTS:
        if (unit == UNIT_SHARE) {
            sb_printf(sb, "снижение не менее чем на %s п.п. от базового значения", x);
        } else if (unit == UNIT_PERCENT) {
            /* 5 on a percent is five points, not «5,0%», which reads as
               reduce_relative's wording */
            human_number(t->value, 2, g, sizeof g);
            sb_printf(sb, "снижение не менее чем на %s п.п. от базового значения", g);
        } else {
            human_value(unit, t->value, g, sizeof g);
            sb_printf(sb, "снижение не менее чем на %s от базового значения", g);
        }
        break;
    case TK_INCREASE_RELATIVE:
        sb_printf(sb, "рост не менее чем на %s%% от базового значения", x);
        break;
    case TK_AT_LEAST:
    case TK_AT_MOST:
        if (unit == UNIT_FLAG) {
            /* a flag is да or нет at a school, a share of да pooled: «не
               более нет» says neither */
            int least = t->kind == TK_AT_LEAST;
            if (least ? t->value >= 1 : t->value <= 0) {
                sb_puts(sb, least ? "«да»" : "«нет»");
            } else {
                human_percent_of(t->value, 2, g, sizeof g);
                sb_printf(sb, "доля «да» %s %s%%", least ? "не менее" : "не более", g);
            }
            break;
        }
        human_value(unit, t->value, g, sizeof g);
        sb_printf(sb, "%s %s", t->kind == TK_AT_LEAST ? "не менее" : "не более", g);
        break;
    case TK_NOT_BELOW_MEAN:
        sb_puts(sb, ind && ind->better == BETTER_LOWER
                        ? "не хуже (не выше) среднего по территории"
                        : "не ниже среднего по территории");
        break;
    case TK_CLOSE_GAP:
        human_value(unit, t->goal, g, sizeof g);
        sb_printf(sb, "сокращение разрыва до цели %s не менее чем на %s%%", g, x);
        break;
    case TK_ASSIGNMENTS_DONE:
        sb_printf(sb, "выполнено в срок не менее %s%% поручений дорожной карты", x);
        break;
    default:
        break;
    }
    if (t->strict) {
        sb_puts(sb, ", строго (равенство не засчитывается)");
    }
    sb_printf(sb, " (%s)", target_kind_name(t->kind));
}

/* A value with its period: "21,5% (2023)"; num is the value as printed. */
static void cell_value(const char *num, shnor_period per, char *buf, size_t len)
{
    char pt[SHNOR_PERIOD_MAX];
    if (!per.kind) {
        snprintf(buf, len, "—");
        return;
    }
    shnor_period_format(per, pt, sizeof pt);
    snprintf(buf, len, "%s (%s)", num, pt);
}

static int write_table(const target_results *r, FILE *out, int color, int width)
{
    static const char *const head[] = {"Цель", "Охват",     "База",
                                       "Факт", "Требуется", "Статус"};
    table *t = table_new(6);
    strbuf sb = STRBUF_INIT, kind = STRBUF_INIT;
    int rc = -1;
    long count[4] = {0, 0, 0, 0};
    if (!t || table_header(t, head) != 0) {
        goto done;
    }
    for (size_t i = 0; i < r->n; i++) {
        const tg_row *row = &r->rows[i];
        const pack_target *tg = &r->p->targets[row->target];
        int unit = row_unit(r, row);
        char base[96], act[96], thr[96], num[64], anum[64], tnum[64], scope[128];
        human_value(unit, row->baseline, num, sizeof num);
        cell_value(num, row->baseline_period, base, sizeof base);
        /* the digit that decides is shown: not "7,4% against ≤ 7,4%, not met" */
        human_values_apart(unit, row->actual, row->threshold, anum, tnum, sizeof anum);
        cell_value(anum, row->period, act, sizeof act);
        if (isnan(row->threshold)) {
            snprintf(thr, sizeof thr, "—");
        } else {
            snprintf(thr, sizeof thr, "%s%s", op_sign(row->op), tnum);
        }
        if (row->school >= 0) {
            snprintf(scope, sizeof scope, "%s", row->scope);
        } else if (strcmp(row->scope, "all") == 0) {
            snprintf(scope, sizeof scope, "все школы");
        } else if (tg->scope == TS_SCHOOLS) {
            snprintf(scope, sizeof scope, "%s", row->scope);
        } else {
            snprintf(scope, sizeof scope, "«%s» в целом", row->scope);
        }
        const char *cells[] = {tg->id, scope, base, act, thr, status_ru(row->status)};
        if (table_row(t, cells) != 0) {
            goto done;
        }
        table_cell_style(t, 5,
                         row->status == TG_MET       ? TABLE_GREEN
                         : row->status == TG_NOT_MET ? TABLE_RED
                                                     : TABLE_YELLOW);
        count[row->status]++;
        if (row->checkpoint.kind) {
            char cp[SHNOR_PERIOD_MAX];
            shnor_period_format(row->checkpoint, cp, sizeof cp);
            sb_reset(&sb);
            sb_printf(&sb, "контрольная точка %s", cp);
            table_note(t, sb.data);
        }
        if (row->reason) {
            sb_reset(&sb);
            sb_printf(&sb, "недостаточно данных: %s", row->reason);
            table_note(t, sb.data);
        }
        if (row->method) {
            table_note(t, row->method);
        }
    }
    if (table_print(t, out, width, color) != 0) {
        goto done;
    }
    /* The wording of each target that has rows, once. */
    fputc('\n', out);
    for (size_t k = 0; k < r->p->ntargets; k++) {
        const pack_target *tg = &r->p->targets[k];
        const tg_row *first = NULL;
        for (size_t i = 0; i < r->n && !first; i++) {
            first = r->rows[i].target == (int)k ? &r->rows[i] : NULL;
        }
        if (!first) {
            continue;
        }
        const indicator *ind = row_indicator(r, first);
        sb_reset(&sb);
        target_kind_text(tg, ind, &kind);
        sb_printf(&sb, "%s — %s%s%s%s: %s", tg->id, tg->title, ind ? " [" : "",
                  ind ? ind->title : "", ind ? "]" : "", kind.data);
        sb_reset(&kind);
        if (table_print_text(out, sb.data, width, 2) != 0) {
            goto done;
        }
    }
    char pt[SHNOR_PERIOD_MAX];
    shnor_period_format(r->period, pt, sizeof pt);
    sb_reset(&sb);
    if (r->due_by) {
        /* the rows are those not met: the met ones are counted, not shown */
        char d[11];
        shnor_date_format(r->due_by, d, sizeof d);
        sb_printf(&sb,
                  "Контрольные точки целей «%s», наступившие к %.2s.%.2s.%.4s: выполнено %ld "
                  "(не показаны), не выполнено %ld, недостаточно данных %ld.",
                  r->p->title, d + 8, d + 5, d, count[TG_MET] + r->met_dropped,
                  count[TG_NOT_MET], count[TG_INSUFFICIENT]);
    } else {
        sb_printf(&sb,
                  "Цели «%s» на %s: выполнено %ld, не выполнено %ld, недостаточно данных %ld.",
                  r->p->title, pt, count[TG_MET], count[TG_NOT_MET], count[TG_INSUFFICIENT]);
    }
    if (table_print_text(out, sb.data, width, 2) != 0) {
        goto done;
    }
    rc = ferror(out) ? -1 : 0;
done:
    sb_free(&sb);
    sb_free(&kind);
    table_free(t);
    return rc;
}

static void put_num(strbuf *sb, double v)
{
    char buf[NUM_BUFSZ];
    sb_append(sb, buf, num_format_opt(v, buf));
}

static void put_text(strbuf *sb, const char *s)
{
    csv_put_field(sb, s ? s : "", s ? strlen(s) : 0, ',');
}

static void put_period(strbuf *sb, shnor_period p)
{
    char buf[SHNOR_PERIOD_MAX];
    sb_append(sb, buf, shnor_period_format(p, buf, sizeof buf)); /* "" for none */
}

void targets_csv_row(const target_results *r, const tg_row *row, strbuf *out)
{
    const pack_target *t = &r->p->targets[row->target];
    put_text(out, t->id);
    sb_printf(out, ",%s,", target_kind_name(t->kind));
    put_text(out, row->scope);
    sb_putc(out, ',');
    put_text(out, t->kind == TK_ASSIGNMENTS_DONE ? "" : t->indicator);
    sb_putc(out, ',');
    put_period(out, row->baseline_period);
    sb_putc(out, ',');
    put_num(out, row->baseline);
    sb_putc(out, ',');
    put_period(out, row->period);
    sb_putc(out, ',');
    put_num(out, row->actual);
    sb_putc(out, ',');
    put_num(out, row->threshold);
    sb_printf(out, ",%s,", target_status_name(row->status));
    put_text(out, row->reason);
    sb_putc(out, ',');
    put_text(out, row->method);
    sb_putc(out, ',');
    put_period(out, row->checkpoint);
    sb_putc(out, ',');
    put_text(out, t->title);
}

static int write_csv(const target_results *r, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, TARGETS_CSV_HEADER "\n");
    for (size_t i = 0; i < r->n; i++) {
        targets_csv_row(r, &r->rows[i], &sb);
        sb_putc(&sb, '\n');
    }
    int rc = sb_failed(&sb) || fwrite(sb.data, 1, sb.len, out) != sb.len ? -1 : 0;
    sb_free(&sb);
    return rc;
}

static void jw_period(json_writer *w, const char *key, shnor_period p)
{
    char buf[SHNOR_PERIOD_MAX];
    jw_kstr(w, key, p.kind && shnor_period_format(p, buf, sizeof buf) ? buf : NULL);
}

/* One result as a JSON object. */
void targets_json_row(const target_results *r, const tg_row *row, json_writer *w)
{
    const pack_target *t = &r->p->targets[row->target];
    const indicator *ind = row_indicator(r, row);
    strbuf kind = STRBUF_INIT;
    target_kind_text(t, ind, &kind);
    jw_obj_begin(w);
    jw_kstr(w, "target", t->id);
    jw_kstr(w, "title", t->title);
    jw_kstr(w, "kind", target_kind_name(t->kind));
    jw_kstr(w, "meaning", kind.data);
    jw_kstr(w, "scope", row->scope);
    jw_kstr(w, "school", row->school >= 0 ? r->ds->schools[row->school].code : NULL);
    jw_kstr(w, "indicator", ind ? ind->code : NULL);
    jw_kstr(w, "unit", unit_name(row_unit(r, row)));
    jw_period(w, "listed_in", row->listed_in);
    jw_period(w, "baseline_period", row->baseline_period);
    jw_knum(w, "baseline", row->baseline);
    jw_period(w, "period", row->period);
    jw_knum(w, "actual", row->actual);
    jw_knum(w, "threshold", row->threshold);
    jw_kstr(w, "comparison", row->op ? target_op_text(row->op) : NULL);
    jw_knum(w, "value", t->value);
    if (t->kind == TK_CLOSE_GAP) {
        jw_knum(w, "goal", t->goal);
    }
    if (row->school < 0) {
        jw_kint(w, "members", row->members);
        jw_kint(w, "used", row->used);
    }
    jw_kstr(w, "status", target_status_name(row->status));
    jw_kstr(w, "reason", row->reason);
    jw_kstr(w, "method", row->method);
    jw_period(w, "checkpoint", row->checkpoint);
    jw_obj_end(w);
    sb_free(&kind);
}

static int write_json(const target_results *r, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 1);
    jw_arr_begin(&w);
    for (size_t i = 0; i < r->n; i++) {
        targets_json_row(r, &r->rows[i], &w);
    }
    jw_arr_end(&w);
    sb_putc(&sb, '\n');
    int rc = sb_failed(&sb) || fwrite(sb.data, 1, sb.len, out) != sb.len ? -1 : 0;
    sb_free(&sb);
    return rc;
}

int targets_write(const target_results *r, shnor_format format, FILE *out, int color,
                  int width)
{
    switch (format) {
    case SHNOR_FORMAT_CSV:
        return write_csv(r, out);
    case SHNOR_FORMAT_JSON:
        return write_json(r, out);
    default:
        return write_table(r, out, color, width);
    }
}
