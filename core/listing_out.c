/*
 * listing_out.c — the listing of an evaluation as a terminal table (with the
 * reasons in Russian under each school for --explain), CSV or JSON.
 *
 * Rows come out in the order the evaluation made them: by school code, then
 * by the pack's category order; so the output is the same bytes every run.
 */
#include "listing.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "csv.h"
#include "humanfmt.h"
#include "json.h"
#include "numfmt.h"
#include "table.h"

const char *listing_status_name(int status)
{
    return status == ROW_LISTED ? "listed" : status == ROW_EXCLUDED ? "excluded"
                                                                    : "insufficient_data";
}

/* The status for people; a person's decision and the exit rule are said
   even without --explain. */
static const char *status_ru(const ev_row *row)
{
    if (row->status == ROW_LISTED) {
        return row->override ? "в списке (вручную)"
               : row->held   ? "в списке (правило выхода)"
                             : "в списке";
    }
    return row->status == ROW_EXCLUDED ? "исключена вручную" : "недостаточно данных";
}

/* The person's decision, for people: "включена вручную: причина (кто, когда)". */
void listing_override_text(const ds_override *ov, strbuf *sb)
{
    sb_printf(sb, "%s вручную: %s (%s, %.10s)", ov->include ? "включена" : "исключена",
              ov->reason, ov->by, ov->at);
}

const char *listing_read_kind(int kind)
{
    switch (kind) {
    case READ_VALUE:
        return "value";
    case READ_MEAN:
        return "mean";
    case READ_PERCENTILE:
        return "percentile";
    case READ_RANK:
        return "rank";
    case READ_COUNT:
        return "count";
    case READ_BOTTOM:
        return "bottom";
    case READ_ATTR:
        return "attribute";
    case READ_LISTED:
        return "listed";
    default:
        return "?";
    }
}

/* 1 when read r repeats an earlier read of the same criterion in [from, r). */
int listing_read_repeated(const ev_read *from, const ev_read *r)
{
    for (const ev_read *x = from; x < r; x++) {
        if (x->kind == r->kind && x->criterion == r->criterion && x->col == r->col &&
            x->scope == r->scope && x->name == r->name && x->q == r->q) {
            return 1;
        }
    }
    return 0;
}

/* Appends one read in Russian: "Доля неуспевающих (2023) = 21,5%". */
/* Appends each string up to the NULL. */
static void put_all(strbuf *sb, ...)
{
    va_list ap;
    va_start(ap, sb);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *)) {
        sb_puts(sb, s);
    }
    va_end(ap);
}

static void explain_read(const evaluation *ev, const ev_row *row, const ev_read *r, strbuf *sb)
{
    const dataset *ds = ev->ds;
    const ds_column *c = r->col >= 0 ? ds->cols[r->col] : NULL;
    const indicator *ind = c ? &ds->inds[c->indicator] : NULL;
    char v[64], q[64];
    switch (r->kind) {
    /* The common reads are put piece by piece: a national listing explains
       hundreds of thousands of them, and printf's parsing was 3 % of it. */
    case READ_VALUE:
        human_value(ind->unit, r->value, v, sizeof v);
        put_all(sb, ind->title, " (", c->period_text, ") = ", v, NULL);
        break;
    case READ_MEAN:
        human_value(ind->unit, r->value, v, sizeof v);
        put_all(sb, "среднее «", ind->title, "» (", c->period_text, "; ",
                ds_scope_name(ds, r->scope), ") = ", v, NULL);
        break;
    case READ_PERCENTILE:
        human_value(ind->unit, r->value, v, sizeof v);
        human_percent_of(r->q, 1, q, sizeof q);
        put_all(sb, q, "-й процентиль «", ind->title, "» (", c->period_text, "; ",
                ds_scope_name(ds, r->scope), ") = ", v, NULL);
        break;
    case READ_RANK:
        if (isnan(r->value)) {
            sb_printf(sb, "место по «%s» (%s): нет данных", ind->title, c->period_text);
        } else {
            sb_printf(sb, "место по «%s» (%s; %s): %.0f из %.0f", ind->title, c->period_text,
                      ds_scope_name(ds, r->scope), r->value, r->q);
        }
        break;
    case READ_COUNT:
        sb_printf(sb, "школ с данными «%s» (%s; %s): %.0f", ind->title, c->period_text,
                  ds_scope_name(ds, r->scope), r->value);
        break;
    case READ_BOTTOM:
        human_percent_of(r->q, 1, q, sizeof q);
        put_all(sb, "в худших ", q, "% по «", ind->title, "» (", c->period_text, "; ",
                ds_scope_name(ds, r->scope), "): ", r->value != 0 ? "да" : "нет", NULL);
        break;
    case READ_ATTR: {
        const char *name = r->name >= 0 ? ev->names[r->name] : "?";
        const char *val = ds_attr(ds, row->school, name);
        sb_printf(sb, "%s = %s", name, val ? val : "нет данных");
        break;
    }
    case READ_LISTED: {
        const char *what = r->name >= 0 ? ev->names[r->name] : "?";
        const char *at = strchr(what, '@');
        int len = at ? (int)(at - what) : (int)strlen(what);
        /* The pack's own category by its title: «школы с низкими …». */
        const char *title = NULL;
        for (size_t k = 0; k < ev->p->ncats && !title; k++) {
            if ((int)strlen(ev->p->cats[k].id) == len &&
                strncmp(ev->p->cats[k].id, what, (size_t)len) == 0) {
                title = ev->p->cats[k].title;
            }
        }
        if (title) {
            sb_printf(sb, "в списке «%s» за %s: %s", title, at ? at + 1 : "?",
                      r->value != 0 ? "да" : "нет");
        } else {
            sb_printf(sb, "в списке %.*s за %s: %s", len, what, at ? at + 1 : "?",
                      r->value != 0 ? "да" : "нет");
        }
        break;
    }
    default:
        break;
    }
}

/* The reads of one source (criterion or READ_BY_*) after ": " and "; ". */
static void append_reads(const evaluation *ev, const ev_row *row, int source, strbuf *sb)
{
    const ev_read *reads = ev->reads + row->first_read;
    int n = 0;
    for (uint32_t j = 0; j < row->nreads; j++) {
        const ev_read *r = &reads[j];
        if (r->criterion != source || listing_read_repeated(reads, r)) {
            continue;
        }
        sb_puts(sb, n++ ? "; " : ": ");
        explain_read(ev, row, r, sb);
    }
}

void listing_explain(const evaluation *ev, const ev_row *row, strbuf *sb, const char *bullet,
                     const char *sep)
{
    const pack *p = ev->p;
    const ev_read *reads = ev->reads + row->first_read;
    int first_line = 1;
    if (row->override) {
        sb_puts(sb, bullet);
        listing_override_text(row->override, sb);
        first_line = 0;
    }
    if (row->held) {
        if (!first_line) {
            sb_puts(sb, sep);
        }
        sb_puts(sb, bullet);
        int after = p->exit_after ? p->exit_after[row->category] : 0;
        if (row->misses == 0) {
            sb_printf(sb, "остаётся в списке по правилу выхода: данных для проверки критериев "
                          "нет, выход после %d %s без выполнения критериев",
                      after, ru_plural(after, "периода", "периодов", "периодов"));
        } else {
            sb_printf(sb, "остаётся в списке по правилу выхода: критерии не выполняются %d %s "
                          "подряд, выход после %d",
                      row->misses, ru_plural(row->misses, "период", "периода", "периодов"),
                      after);
        }
        append_reads(ev, row, READ_BY_EXIT, sb);
        first_line = 0;
    }
    /* One line per criterion of the row, then one for the `list` function. */
    for (uint32_t k = 0; k <= row->ncrits; k++) {
        int crit = k < row->ncrits ? ev->row_crits[row->first_crit + k] : -1;
        int any = 0;
        for (uint32_t j = 0; j < row->nreads; j++) {
            any |= reads[j].criterion == crit;
        }
        if (crit < 0 && !any) {
            break;
        }
        if (!first_line) {
            sb_puts(sb, sep);
        }
        first_line = 0;
        sb_puts(sb, bullet);
        if (crit >= 0) {
            sb_puts(sb, p->crits[crit].title ? p->crits[crit].title : p->crits[crit].id);
            if (p->crits[crit].explain) {
                sb_printf(sb, " (%s)", p->crits[crit].explain);
            }
        } else {
            sb_puts(sb, "правило объединения критериев");
        }
        if (row->status == ROW_INSUFFICIENT && k == 0) {
            /* A missing value shows among the reads; a reason the pack gave
               with shnor.insufficient() is said here. */
            sb_puts(sb, " — недостаточно данных");
            if (row->reason && row->reason_explicit) {
                sb_printf(sb, " (%s)", row->reason);
            }
        }
        append_reads(ev, row, crit, sb);
    }
    if (row->cohort >= 0 || row->cohort_unknown) {
        sb_puts(sb, first_line ? "" : sep);
        first_line = 0;
        if (row->cohort >= 0) {
            sb_printf(sb, "%sкогорта: %s", bullet, p->cohorts[row->cohort].title);
        } else {
            sb_printf(sb, "%sкогорта не определена — недостаточно данных", bullet);
        }
        append_reads(ev, row, READ_BY_COHORT, sb);
    }
    if (row->mentor) {
        int m = ds_school_index(ev->ds, row->mentor);
        sb_puts(sb, first_line ? "" : sep);
        sb_printf(sb, "%sбазовая школа: %s%s%s", bullet, row->mentor, m >= 0 ? " " : "",
                  m >= 0 ? ev->ds->schools[m].name : "");
    }
}

void listing_criteria_ids(const evaluation *ev, const ev_row *row, strbuf *sb, const char *sep)
{
    for (uint32_t k = 0; k < row->ncrits; k++) {
        if (k) {
            sb_puts(sb, sep);
        }
        sb_puts(sb, ev->p->crits[ev->row_crits[row->first_crit + k]].id);
    }
}

static int write_table(const evaluation *ev, int explain, FILE *out, int color, int width)
{
    static const char *const head[] = {"Код", "Школа", "Категория", "Критерии", "Статус"};
    table *t = table_new(5);
    if (!t || table_header(t, head) < 0) {
        table_free(t);
        return -1;
    }
    strbuf crit = STRBUF_INIT, why = STRBUF_INIT;
    for (size_t i = 0; i < ev->nrows; i++) {
        const ev_row *row = &ev->rows[i];
        const ds_school *s = &ev->ds->schools[row->school];
        sb_reset(&crit);
        listing_criteria_ids(ev, row, &crit, ", ");
        const char *cells[] = {s->code, s->name, ev->p->cats[row->category].title, crit.data,
                               status_ru(row)};
        table_row(t, cells);
        table_cell_style(t, 4, row->status == ROW_LISTED      ? TABLE_RED
                               : row->status == ROW_EXCLUDED ? TABLE_DIM
                                                             : TABLE_YELLOW);
        if (explain) {
            sb_reset(&why);
            listing_explain(ev, row, &why, "• ", "\n");
            table_note(t, why.data);
        }
    }
    int rc = table_print(t, out, width, color);
    table_free(t);
    sb_free(&crit);
    /* A closing summary people read: evaluated, listed per category. */
    sb_reset(&why);
    sb_printf(&why, "\nПериод %s: оценено школ %zu", ev->period_text, ev->evaluated);
    for (size_t k = 0; k < ev->p->ncats; k++) {
        sb_printf(&why, "; %s — %zu", ev->p->cats[k].title, ev->listed[k]);
        if (ev->insufficient[k]) {
            sb_printf(&why, " (недостаточно данных: %zu)", ev->insufficient[k]);
        }
    }
    sb_putc(&why, '.');
    if (table_print_text(out, why.data, width, 2) != 0) {
        rc = -1;
    }
    sb_free(&why);
    return rc;
}

static int write_csv(const evaluation *ev, FILE *out)
{
    strbuf sb = STRBUF_INIT, tmp = STRBUF_INIT;
    sb_puts(&sb, "school,name,category,criteria,status,cohort,mentor,override,territory,"
                 "explanation\n");
    for (size_t i = 0; i < ev->nrows; i++) {
        const ev_row *row = &ev->rows[i];
        const ds_school *s = &ev->ds->schools[row->school];
        const char *terr = ev->ds->territories[s->territory];
        const char *cat = ev->p->cats[row->category].id;
        csv_put_field(&sb, s->code, strlen(s->code), ',');
        sb_putc(&sb, ',');
        csv_put_field(&sb, s->name, strlen(s->name), ',');
        sb_putc(&sb, ',');
        csv_put_field(&sb, cat, strlen(cat), ',');
        sb_putc(&sb, ',');
        sb_reset(&tmp);
        listing_criteria_ids(ev, row, &tmp, ";");
        csv_put_field(&sb, tmp.data, tmp.len, ',');
        sb_printf(&sb, ",%s,", listing_status_name(row->status));
        if (row->cohort >= 0) {
            const char *co = ev->p->cohorts[row->cohort].id;
            csv_put_field(&sb, co, strlen(co), ',');
        }
        sb_putc(&sb, ',');
        if (row->mentor) {
            csv_put_field(&sb, row->mentor, strlen(row->mentor), ',');
        }
        sb_putc(&sb, ',');
        if (row->override) {
            sb_reset(&tmp);
            listing_override_text(row->override, &tmp);
            csv_put_field(&sb, tmp.data, tmp.len, ',');
        }
        sb_putc(&sb, ',');
        csv_put_field(&sb, terr, strlen(terr), ',');
        sb_putc(&sb, ',');
        sb_reset(&tmp);
        listing_explain(ev, row, &tmp, "", " | ");
        csv_put_field(&sb, tmp.data, tmp.len, ',');
        sb_putc(&sb, '\n');
    }
    int rc = fwrite(sb.data, 1, sb.len, out) == sb.len && !sb_failed(&sb) ? 0 : -1;
    sb_free(&sb);
    sb_free(&tmp);
    return rc;
}

const char *listing_read_source(const evaluation *ev, const ev_read *r)
{
    return r->criterion >= 0                ? ev->p->crits[r->criterion].id
           : r->criterion == READ_BY_COHORT ? "cohort"
           : r->criterion == READ_BY_MENTOR ? "mentor"
           : r->criterion == READ_BY_EXIT   ? "exit"
                                            : "list";
}

void listing_json_row(const evaluation *ev, const ev_row *row, json_writer *w)
{
    const ds_school *s = &ev->ds->schools[row->school];
    const pack *p = ev->p;
    jw_obj_begin(w);
    jw_kstr(w, "school", s->code);
    jw_kstr(w, "name", s->name);
    jw_kstr(w, "territory", ev->ds->territories[s->territory]);
    jw_kstr(w, "category", p->cats[row->category].id);
    jw_kstr(w, "category_title", p->cats[row->category].title);
    jw_kstr(w, "status", listing_status_name(row->status));
    jw_key(w, "criteria");
    jw_arr_begin(w);
    for (uint32_t k = 0; k < row->ncrits; k++) {
        jw_str(w, p->crits[ev->row_crits[row->first_crit + k]].id);
    }
    jw_arr_end(w);
    if (row->reason) {
        jw_kstr(w, "reason", row->reason);
    }
    if (row->cohort >= 0) {
        jw_kstr(w, "cohort", p->cohorts[row->cohort].id);
        jw_kstr(w, "cohort_title", p->cohorts[row->cohort].title);
    } else if (row->cohort_unknown) {
        jw_key(w, "cohort_unknown"); /* a cohort test lacked data */
        jw_bool(w, 1);
    }
    if (row->mentor) {
        jw_kstr(w, "mentor", row->mentor);
    }
    if (row->held) {
        jw_key(w, "held");
        jw_bool(w, 1);
        jw_kint(w, "misses", row->misses);
    }
    if (row->override) {
        jw_key(w, "override");
        jw_obj_begin(w);
        jw_kstr(w, "action", row->override->include ? "include" : "exclude");
        jw_kstr(w, "reason", row->override->reason);
        jw_kstr(w, "by", row->override->by);
        jw_kstr(w, "at", row->override->at);
        jw_obj_end(w);
    }
    jw_key(w, "reads");
    jw_arr_begin(w);
    const ev_read *reads = ev->reads + row->first_read;
    for (uint32_t j = 0; j < row->nreads; j++) {
        const ev_read *r = &reads[j];
        if (listing_read_repeated(reads, r)) {
            continue;
        }
        jw_obj_begin(w);
        jw_kstr(w, "criterion", listing_read_source(ev, r));
        jw_kstr(w, "kind", listing_read_kind(r->kind));
        if (r->col >= 0) {
            const ds_column *c = ev->ds->cols[r->col];
            jw_kstr(w, "indicator", ev->ds->inds[c->indicator].code);
            jw_kstr(w, "period", c->period_text);
        }
        if (r->kind == READ_ATTR || r->kind == READ_LISTED) {
            jw_kstr(w, "name", r->name >= 0 ? ev->names[r->name] : "");
        }
        if (r->kind != READ_VALUE && r->kind != READ_ATTR && r->kind != READ_LISTED) {
            jw_kstr(w, "scope", ds_scope_name(ev->ds, r->scope));
        }
        if (r->kind == READ_PERCENTILE || r->kind == READ_BOTTOM) {
            jw_knum(w, "q", r->q);
        }
        if (r->kind == READ_RANK) {
            jw_knum(w, "of", r->q);
        }
        jw_knum(w, "value", r->value);
        jw_obj_end(w);
    }
    jw_arr_end(w);
    jw_obj_end(w);
}

static int write_json(const evaluation *ev, FILE *out)
{
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 1);
    jw_arr_begin(&w);
    for (size_t i = 0; i < ev->nrows; i++) {
        listing_json_row(ev, &ev->rows[i], &w);
    }
    jw_arr_end(&w);
    sb_putc(&sb, '\n');
    int rc = fwrite(sb.data, 1, sb.len, out) == sb.len && !sb_failed(&sb) ? 0 : -1;
    sb_free(&sb);
    return rc;
}

int listing_write(const evaluation *ev, shnor_format format, int explain, FILE *out, int color,
                  int width)
{
    switch (format) {
    case SHNOR_FORMAT_CSV:
        return write_csv(ev, out);
    case SHNOR_FORMAT_JSON:
        return write_json(ev, out);
    default:
        return write_table(ev, explain, out, color, width);
    }
}
