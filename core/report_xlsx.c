/*
 * report_xlsx.c — a report as an XLSX workbook, written with libxlsxwriter:
 * «Список» (the listing with reasons), «Цели» (targets, status coloured), one
 * roadmap sheet per run in the seeds' columns with each assignment's status
 * as it is now, «Значения» (every value the criteria read) and «Запуск» (each
 * run's record, a row per run).
 *
 * Every sheet has a frozen header row and an autofilter, columns as wide as
 * their content (up to a cap, wrapping beyond it) and rows as tall as their
 * wrapped text. Numbers are numbers in their indicator's format (a share is a
 * fraction shown as a percent), dates are dates. The workbook's creation date
 * is the run's end time, so the same run gives the same bytes.
 *
 * Each sheet is produced by a row function called twice: once to measure the
 * columns, once to write with the widths known.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xlsxwriter.h>

#include "humanfmt.h"
#include "report.h"
#include "textwidth.h"

enum { X_EMPTY, X_TEXT, X_NUM, X_DATE, X_DATETIME };
enum { FILL_NONE, FILL_GOOD, FILL_BAD, FILL_WARN, FILL_MUTE, FILL_COUNT };
enum { K_TEXT, K_NUM, K_DATE, K_DATETIME, K_HEAD, K_COUNT };
enum { UNITS = 8, MAX_COLS = 24, NTMP = 6 };

typedef struct {
    int type;
    const char *text; /* X_TEXT */
    double num;       /* X_NUM */
    int unit;         /* X_NUM: UNIT_*, 0 plain */
    int fill;         /* FILL_* */
    lxw_datetime dt;  /* X_DATE, X_DATETIME */
} xcell;

typedef struct {
    const char *head;
    double cap; /* the widest the column grows, in characters */
} xcol;

typedef struct xctx xctx;
/* Fills the cells of row i of rr. */
typedef void (*row_fn)(xctx *x, const report_run *rr, size_t i, xcell *out);
typedef size_t (*count_fn)(const report_run *rr);

struct xctx {
    shnor *db;
    const report *r;
    lxw_workbook *wb;
    lxw_format *fmt[K_COUNT][UNITS][FILL_COUNT];
    strbuf tmp[NTMP]; /* texts built for the current row */
    int multi;        /* several runs: a first column names the run */
    lxw_error err;    /* the first write that failed */
    char where[64];
};

/* Excel refuses longer strings in a cell. */
#define CELL_MAX 32767

static const unsigned fills[FILL_COUNT][2] = {{0, 0},
                                              {0xC6EFCE, 0x006100},
                                              {0xFFC7CE, 0x9C0006},
                                              {0xFFEB9C, 0x9C5700},
                                              {0xEDEDED, 0x595959}};

static const char *num_format_of(int unit)
{
    switch (unit) {
    case UNIT_SHARE:
        return "0.0%";
    case UNIT_PERCENT:
        return "0.0\"%\"";
    case UNIT_SCORE:
        return "0.0";
    case UNIT_INDEX:
        return "0.00";
    case UNIT_FLAG:
        return "\"да\";\"да\";\"нет\"";
    default:
        return NULL; /* General: counts and plain numbers as they are */
    }
}

/* The format of a kind of cell, made on first use. */
static lxw_format *fmt(xctx *x, int kind, int unit, int fill)
{
    unit = unit >= 0 && unit < UNITS ? unit : 0;
    lxw_format **slot = &x->fmt[kind][unit][fill];
    if (*slot) {
        return *slot;
    }
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) {
        return NULL;
    }
    format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
    if (kind == K_TEXT || kind == K_HEAD) {
        format_set_text_wrap(f);
    }
    if (kind == K_HEAD) {
        format_set_bold(f);
        format_set_bg_color(f, 0xD9E1F2);
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bottom(f, LXW_BORDER_THIN);
    }
    if (kind == K_NUM && num_format_of(unit)) {
        format_set_num_format(f, num_format_of(unit));
    }
    if (kind == K_DATE) {
        format_set_num_format(f, "dd.mm.yyyy");
    }
    if (kind == K_DATETIME) {
        format_set_num_format(f, "dd.mm.yyyy hh:mm:ss");
    }
    if (fill != FILL_NONE) {
        format_set_pattern(f, LXW_PATTERN_SOLID);
        format_set_bg_color(f, fills[fill][0]);
        format_set_font_color(f, fills[fill][1]);
    }
    *slot = f;
    return f;
}

/* ---- cells ---- */

static xcell text(const char *s)
{
    return (xcell){.type = s && *s ? X_TEXT : X_EMPTY, .text = s};
}

static xcell filled(const char *s, int fill)
{
    xcell c = text(s);
    c.fill = fill;
    return c;
}

static xcell num(double v, int unit)
{
    return (xcell){.type = X_NUM, .num = v, .unit = unit};
}

/* A number, or «нет данных» when missing (blank when the value is not owed). */
static xcell num_or_none(double v, int unit, int owed)
{
    if (!isnan(v)) {
        return num(v, unit);
    }
    return owed ? text("нет данных") : text(NULL);
}

static xcell date(const char *s)
{
    xcell c = {.type = X_DATE};
    if (report_date(s, &c.dt.year, &c.dt.month, &c.dt.day) != 0) {
        return text(s);
    }
    return c;
}

/* An ISO time "YYYY-MM-DDTHH:MM:SSZ" as a date and time (UTC). */
static xcell datetime(const char *s)
{
    xcell c = date(s);
    int h, m, sec;
    if (c.type == X_DATE && strlen(s) >= 19 &&
        sscanf(s + 11, "%2d:%2d:%2d", &h, &m, &sec) == 3) {
        c.type = X_DATETIME;
        c.dt.hour = h;
        c.dt.min = m;
        c.dt.sec = sec;
    }
    return c;
}

static xcell integer(long long v)
{
    return num((double)v, 0);
}

/* A temporary text of the current row (NTMP of them, reset per row). */
static strbuf *tmp(xctx *x, int k)
{
    sb_reset(&x->tmp[k]);
    return &x->tmp[k];
}

/* Display width of the widest line of a cell as shown. */
static size_t cell_width(const xcell *c)
{
    char buf[64];
    switch (c->type) {
    case X_TEXT: {
        size_t max = 0;
        for (const char *p = c->text; *p;) {
            size_t n = strcspn(p, "\n");
            size_t w = utf8_display_width(p, n);
            max = w > max ? w : max;
            p += n + (p[n] == '\n');
        }
        return max;
    }
    case X_NUM:
        human_value(c->unit, c->num, buf, sizeof buf);
        return utf8_display_width(buf, strlen(buf));
    case X_DATE:
        return 10;
    case X_DATETIME:
        return 19;
    default:
        return 0;
    }
}

/* Lines a text takes once wrapped to a column `width` characters wide. */
static int cell_lines(const char *s, double width)
{
    double usable = width > 3 ? width - 1.5 : 1;
    int lines = 0;
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\n");
        /* Cyrillic letters are a little wider than the digit '0' the
           column width counts in. */
        double w = (double)utf8_display_width(p, n) * 1.1;
        lines += w <= usable ? 1 : (int)ceil(w / usable);
        p += n + (p[n] == '\n');
    }
    return lines ? lines : 1;
}

static void note_err(xctx *x, lxw_error e, const char *sheet, size_t row, int col)
{
    if (e != LXW_NO_ERROR && x->err == LXW_NO_ERROR) {
        x->err = e;
        snprintf(x->where, sizeof x->where, "sheet «%.30s», row %zu, column %d", sheet,
                 row + 1, col + 1);
    }
}

static void put_cell(xctx *x, lxw_worksheet *ws, const char *sheet, size_t row, int col,
                     const xcell *c)
{
    lxw_error e = LXW_NO_ERROR;
    switch (c->type) {
    case X_TEXT: {
        const char *s = c->text;
        char *cut = NULL;
        if (strlen(s) > CELL_MAX) {
            /* Keep whole UTF-8 characters. */
            size_t n = CELL_MAX - 4;
            while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) {
                n--;
            }
            cut = malloc(n + 4);
            if (cut) {
                memcpy(cut, s, n);
                memcpy(cut + n, "…", 4);
                s = cut;
            }
        }
        e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s,
                                   fmt(x, K_TEXT, 0, c->fill));
        free(cut);
        break;
    }
    case X_NUM:
        e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, c->num,
                                   fmt(x, K_NUM, c->unit, c->fill));
        break;
    case X_DATE:
    case X_DATETIME: {
        lxw_datetime dt = c->dt;
        e = worksheet_write_datetime(
            ws, (lxw_row_t)row, (lxw_col_t)col, &dt,
            fmt(x, c->type == X_DATE ? K_DATE : K_DATETIME, 0, c->fill));
        break;
    }
    default:
        if (c->fill != FILL_NONE) {
            e = worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col,
                                      fmt(x, K_TEXT, 0, c->fill));
        }
        break;
    }
    note_err(x, e, sheet, row, col);
}

/* The label of a run in the first column of a workbook of several runs. */
static void run_label(xctx *x, const report_run *rr, xcell *out)
{
    strbuf *sb = tmp(x, NTMP - 1);
    sb_printf(sb, "#%lld %s %s", (long long)rr->run.id, rr->run.pack_id, rr->run.period);
    out[0] = text(sb->data);
}

/*
 * Writes one sheet: the header row, then count(run) rows of each run in
 * runs[first..last) from `row`; widths from a first pass over the same rows.
 * When x->multi and `labelled`, a column «Запуск» comes first.
 */
static void write_sheet(xctx *x, const char *name, const xcol *cols, int ncols,
                        int labelled, size_t first, size_t last, count_fn count,
                        row_fn row)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        note_err(x, LXW_ERROR_MEMORY_MALLOC_FAILED, name, 0, 0);
        return;
    }
    int off = x->multi && labelled ? 1 : 0, n = ncols + off;
    assert(n <= MAX_COLS);
    xcol all[MAX_COLS + 1];
    double width[MAX_COLS + 1];
    xcell cells[MAX_COLS + 1];
    if (off) {
        all[0] = (xcol){"Запуск", 28};
    }
    for (int c = 0; c < ncols; c++) {
        all[off + c] = cols[c];
    }
    for (int c = 0; c < n; c++) {
        /* At least the header's longest word and the filter button beside it,
           so titles break between words and stay readable. */
        size_t w = 0;
        for (const char *p = all[c].head; *p;) {
            size_t k = strcspn(p, " ");
            size_t ww = utf8_display_width(p, k);
            w = ww > w ? ww : w;
            p += k + (p[k] == ' ');
        }
        width[c] = (double)w + 2;
    }
    size_t rows = 0;
    for (size_t k = first; k < last; k++) {
        const report_run *rr = &x->r->runs[k];
        size_t nr = count(rr);
        for (size_t i = 0; i < nr; i++, rows++) {
            memset(cells, 0, sizeof cells);
            if (off) {
                run_label(x, rr, cells);
            }
            row(x, rr, i, cells + off);
            for (int c = 0; c < n; c++) {
                double w = (double)cell_width(&cells[c]);
                width[c] = w > width[c] ? w : width[c];
            }
        }
    }
    for (int c = 0; c < n; c++) {
        width[c] = (width[c] > all[c].cap ? all[c].cap : width[c]) + 2;
        note_err(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL),
                 name, 0, c);
    }
    int head_lines = 1;
    for (int c = 0; c < n; c++) {
        xcell h = text(all[c].head);
        lxw_error e =
            worksheet_write_string(ws, 0, (lxw_col_t)c, h.text, fmt(x, K_HEAD, 0, 0));
        note_err(x, e, name, 0, c);
        int l = cell_lines(h.text, width[c]);
        head_lines = l > head_lines ? l : head_lines;
    }
    if (head_lines > 1) {
        note_err(x, worksheet_set_row(ws, 0, LXW_DEF_ROW_HEIGHT * head_lines, NULL), name,
                 0, 0);
    }
    size_t r = 1;
    for (size_t k = first; k < last; k++) {
        const report_run *rr = &x->r->runs[k];
        size_t nr = count(rr);
        for (size_t i = 0; i < nr; i++, r++) {
            memset(cells, 0, sizeof cells);
            if (off) {
                run_label(x, rr, cells);
            }
            row(x, rr, i, cells + off);
            int lines = 1;
            for (int c = 0; c < n; c++) {
                put_cell(x, ws, name, r, c, &cells[c]);
                if (cells[c].type == X_TEXT) {
                    int l = cell_lines(cells[c].text, width[c]);
                    lines = l > lines ? l : lines;
                }
            }
            if (lines > 1) {
                double h = LXW_DEF_ROW_HEIGHT * lines;
                note_err(x, worksheet_set_row(ws, (lxw_row_t)r, h > 409 ? 409 : h, NULL),
                         name, r, 0);
            }
        }
    }
    worksheet_freeze_panes(ws, 1, 0);
    note_err(
        x,
        worksheet_autofilter(ws, 0, 0, (lxw_row_t)(rows ? rows : 1), (lxw_col_t)(n - 1)),
        name, 0, 0);
    note_err(x, worksheet_repeat_rows(ws, 0, 0), name, 0, 0);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_landscape(ws);
    worksheet_fit_to_pages(ws, 1, 0);
}

/* ---- the sheets ---- */

static size_t count_listing(const report_run *rr)
{
    return rr->nlisting;
}

static int listing_fill(const char *status)
{
    return strcmp(status, "listed") == 0              ? FILL_BAD
           : strcmp(status, "insufficient_data") == 0 ? FILL_WARN
                                                      : FILL_MUTE;
}

static const xcol listing_cols[] = {{"№", 4},
                                    {"Код", 14},
                                    {"Школа", 40},
                                    {"Территория", 30},
                                    {"Категория", 36},
                                    {"Критерии", 24},
                                    {"Статус", 20},
                                    {"Когорта", 16},
                                    {"Базовая школа", 16},
                                    {"Решение вручную", 40},
                                    {"Обоснование", 90}};

static void listing_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run_listing_row *l = &rr->listing[i];
    strbuf *crit = tmp(x, 0), *why = tmp(x, 1);
    for (const char *p = l->criteria; *p; p++) {
        if (*p == ';') {
            sb_puts(crit, ", ");
        } else {
            sb_putc(crit, *p);
        }
    }
    report_reasons(why, l->explanation);
    xcell row[] = {integer(l->seq),
                   text(l->school),
                   text(l->name),
                   text(l->territory),
                   text(*l->category_title ? l->category_title : l->category),
                   text(crit->data),
                   filled(human_status(l->status), listing_fill(l->status)),
                   text(l->cohort),
                   text(l->mentor),
                   text(l->override),
                   text(why->data)};
    memcpy(out, row, sizeof row);
}

static size_t count_targets(const report_run *rr)
{
    return rr->ntargets;
}

static const char *unit_ru(int unit)
{
    switch (unit) {
    case UNIT_SHARE:
        return "доля";
    case UNIT_PERCENT:
        return "%";
    case UNIT_SCORE:
        return "балл";
    case UNIT_COUNT:
        return "количество";
    case UNIT_INDEX:
        return "индекс";
    case UNIT_FLAG:
        return "признак";
    default:
        return "";
    }
}

static const xcol target_cols[] = {
    {"Цель", 18},         {"Наименование", 50},   {"Условие", 40},
    {"Охват", 30},        {"Показатель", 24},     {"Наименование показателя", 40},
    {"Ед. изм.", 10},     {"Базовый период", 10}, {"База", 10},
    {"Период", 10},       {"Факт", 10},           {"Сравнение", 6},
    {"Порог", 10},        {"Статус", 20},         {"Причина", 40},
    {"Как считалось", 50}};

static void target_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run_target_row *t = &rr->targets[i];
    int unit = report_target_unit(t);
    const indicator *ind = report_indicator(x->r, t->indicator);
    int fill = strcmp(t->status, "met") == 0       ? FILL_GOOD
               : strcmp(t->status, "not_met") == 0 ? FILL_BAD
                                                   : FILL_WARN;
    strbuf *scope = tmp(x, 0);
    const char *st = report_scope_title(rr, t->scope);
    sb_puts(scope, t->scope);
    if (st != t->scope) {
        sb_printf(scope, " (%s)", st);
    }
    xcell row[] = {text(t->target),
                   text(t->title),
                   text(t->meaning),
                   text(scope->data),
                   text(t->indicator),
                   text(ind ? ind->title : ""),
                   text(unit_ru(unit)),
                   text(t->baseline_period),
                   num_or_none(t->baseline, unit, *t->baseline_period != '\0'),
                   text(t->period),
                   num_or_none(t->actual, unit, 1),
                   text(t->comparison),
                   num_or_none(t->threshold, unit, 0),
                   filled(human_status(t->status), fill),
                   text(t->reason),
                   text(t->method)};
    memcpy(out, row, sizeof row);
}

static size_t count_items(const report_run *rr)
{
    return rr->nitems;
}

static const xcol item_cols[] = {{"№ п/п", 8},
                                 {"Мероприятие", 60},
                                 {"Сроки", 20},
                                 {"Ответственные", 36},
                                 {"Соисполнители", 30},
                                 {"Ожидаемый результат", 40},
                                 {"Показатель реализации", 36},
                                 {"Отчетный документ", 24},
                                 {"Статус", 16},
                                 {"Раздел", 36},
                                 {"Исполнитель", 14},
                                 {"Начало", 11},
                                 {"Срок", 11},
                                 {"Подтверждение", 36},
                                 {"Дата статуса", 11},
                                 {"id", 8}};

static void item_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run_item_row *it = &rr->items[i];
    const report_item_state *st = &rr->states[i];
    int fill = !it->assignment_id                       ? FILL_MUTE
               : strcmp(st->status, "done") == 0        ? FILL_GOOD
               : strcmp(st->status, "cancelled") == 0   ? FILL_MUTE
               : strcmp(st->status, "in_progress") == 0 ? FILL_WARN
                                                        : FILL_NONE;
    xcell row[] = {text(it->activity),
                   text(it->title),
                   text(it->due_text),
                   text(it->responsible),
                   text(it->coexecutors),
                   text(it->result),
                   text(it->indicator),
                   text(it->document),
                   filled(report_item_status_ru(it, st), fill),
                   text(it->section),
                   text(it->owner),
                   date(it->start),
                   date(it->due),
                   text(st->evidence),
                   date(st->date),
                   it->assignment_id ? integer(it->assignment_id) : text(NULL)};
    (void)x;
    memcpy(out, row, sizeof row);
}

static size_t count_reads(const report_run *rr)
{
    return rr->nreads;
}

static const xcol read_cols[] = {{"Код", 14},
                                 {"Школа", 40},
                                 {"Категория", 30},
                                 {"Критерий", 24},
                                 {"Вид", 16},
                                 {"Показатель", 24},
                                 {"Наименование показателя", 50},
                                 {"Период", 10},
                                 {"Значение", 12}};

static void read_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run_read_row *rd = &rr->reads[i];
    const store_run_listing_row *l = report_read_listing(rr, rd);
    const indicator *ind = report_indicator(x->r, rd->indicator);
    xcell row[] = {text(l ? l->school : ""),
                   text(l ? l->name : ""),
                   text(l ? (*l->category_title ? l->category_title : l->category) : ""),
                   text(rd->criterion),
                   text(report_read_kind_ru(rd->kind)),
                   text(rd->indicator),
                   text(ind ? ind->title : ""),
                   text(rd->period),
                   num_or_none(rd->value, report_read_unit(x->r, rd), 1)};
    memcpy(out, row, sizeof row);
}

/* The run-record sheet: a row per run. */
enum {
    F_ID,
    F_PACK,
    F_VERSION,
    F_TITLE,
    F_ORDER,
    F_TERRITORY,
    F_PERIOD,
    F_LISTING,
    F_SCHOOLS,
    F_LISTED,
    F_INSUFFICIENT,
    F_ASSIGNMENTS,
    F_APPLIED,
    F_USER,
    F_STARTED,
    F_FINISHED,
    F_PATH,
    F_SHA,
    F_DATA,
    F_BATCH,
    F_COUNT
};

static const xcol run_cols[F_COUNT] = {{"Запуск", 8},
                                       {"Пакет", 20},
                                       {"Версия", 10},
                                       {"Наименование", 50},
                                       {"Документ", 50},
                                       {"Территория", 30},
                                       {"Период", 10},
                                       {"Список по", 10},
                                       {"Оценено школ", 8},
                                       {"В списке", 8},
                                       {"Недостаточно данных", 8},
                                       {"Поручений", 8},
                                       {"Дорожная карта сохранена", 10},
                                       {"Запустил", 16},
                                       {"Начало (UTC)", 19},
                                       {"Окончание (UTC)", 19},
                                       {"Файл пакета", 30},
                                       {"SHA-256 пакета", 64},
                                       {"SHA-256 данных", 64},
                                       {"Последний импорт", 8}};

static size_t count_runs(const report_run *rr)
{
    (void)rr;
    return 1;
}

static void run_row(xctx *x, const report_run *rr, size_t i, xcell *out)
{
    const store_run *r = &rr->run;
    const xcell v[F_COUNT] = {
        [F_ID] = integer(r->id),
        [F_PACK] = text(r->pack_id),
        [F_VERSION] = text(r->version),
        [F_TITLE] = text(r->title),
        [F_ORDER] = text(r->order),
        [F_TERRITORY] = text(rr->territory),
        [F_PERIOD] = text(r->period),
        [F_LISTING] = text(r->listing_period),
        [F_SCHOOLS] = integer(r->schools),
        [F_LISTED] = integer(r->listed),
        [F_INSUFFICIENT] = integer(r->insufficient),
        [F_ASSIGNMENTS] = integer(r->assignments),
        [F_APPLIED] = text(r->roadmap_applied ? "да" : "нет"),
        [F_USER] = text(r->user),
        [F_STARTED] = datetime(r->started_at),
        [F_FINISHED] = datetime(r->finished_at),
        [F_PATH] = text(r->path),
        [F_SHA] = text(r->sha256),
        [F_DATA] = text(r->data_sha256),
        [F_BATCH] = integer(r->last_batch),
    };
    (void)x;
    (void)i;
    memcpy(out, v, sizeof v);
}

/* The run's end time as a time_t (UTC), 0 when it does not parse. */
static time_t run_time(const char *iso)
{
    struct tm tm = {0};
    if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
        return 0;
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return timegm(&tm);
}

/* Sheet names: at most 31 characters, none of []:*?/\ (pack ids have none). */
static void roadmap_name(const xctx *x, const report_run *rr, char *buf, size_t len)
{
    if (!x->multi) {
        snprintf(buf, len, "Дорожная карта");
    } else {
        snprintf(buf, len, "ДК #%lld %.20s", (long long)rr->run.id, rr->run.pack_id);
    }
}

int report_write_xlsx(shnor *db, const report *r, const char *path)
{
    xctx x = {.db = db, .r = r, .multi = r->nruns > 1};
    strbuf tmp_path = STRBUF_INIT, title = STRBUF_INIT, comments = STRBUF_INIT;
    int status = SHNOR_OK;
    for (int k = 0; k < NTMP; k++) {
        sb_init(&x.tmp[k]);
    }
    sb_printf(&tmp_path, "%s.tmp", path);
    /* libxlsxwriter opens the file only when it closes the workbook, and then
       prints its own "[ERROR] …" and "Usually a permissions error": try the
       place first and say what the system says. */
    FILE *probe = sb_failed(&tmp_path) ? NULL : fopen(tmp_path.data, "wb");
    if (!probe) {
        status = shnor_seterr(db, SHNOR_IO, "cannot write '%s': %s", path,
                              sb_failed(&tmp_path) ? "out of memory" : strerror(errno));
        goto done;
    }
    fclose(probe);
    remove(tmp_path.data);
    x.wb = workbook_new(tmp_path.data);
    if (!x.wb || sb_failed(&tmp_path)) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory writing '%s'", path);
        goto done;
    }
    /* The document's properties, its creation date the latest run's end. */
    time_t created = 0;
    for (size_t k = 0; k < r->nruns; k++) {
        time_t t = run_time(r->runs[k].run.finished_at);
        created = t > created ? t : created;
        sb_printf(&comments, "%sзапуск #%lld: %s %s, период %s",
                  k ? "; " : "shnor report: ", (long long)r->runs[k].run.id,
                  r->runs[k].run.pack_id, r->runs[k].run.version, r->runs[k].run.period);
    }
    if (r->nruns == 1) {
        sb_puts(&title, r->runs[0].run.title);
    } else {
        sb_puts(&title, "Отчёт по запускам shnor");
    }
    lxw_doc_properties props = {
        .title = title.data,
        .subject = r->nruns == 1 ? (char *)r->runs[0].run.order : (char *)"",
        .author = r->nruns == 1 ? (char *)r->runs[0].run.user : (char *)"",
        .comments = comments.data,
        .created = created ? created : 1,
    };
    workbook_set_properties(x.wb, &props);

    write_sheet(&x, "Список", listing_cols, 11, 1, 0, r->nruns, count_listing,
                listing_row);
    write_sheet(&x, "Цели", target_cols, 16, 1, 0, r->nruns, count_targets, target_row);
    for (size_t k = 0; k < r->nruns; k++) {
        char name[64];
        roadmap_name(&x, &r->runs[k], name, sizeof name);
        write_sheet(&x, name, item_cols, 16, 0, k, k + 1, count_items, item_row);
    }
    write_sheet(&x, "Значения", read_cols, 9, 1, 0, r->nruns, count_reads, read_row);
    write_sheet(&x, "Запуск", run_cols, F_COUNT, 0, 0, r->nruns, count_runs, run_row);

    lxw_error e = workbook_close(x.wb);
    x.wb = NULL;
    if (x.err != LXW_NO_ERROR) {
        status = shnor_seterr(db, SHNOR_IO, "cannot write '%s': %s (%s)", path,
                              lxw_strerror(x.err), x.where);
    } else if (e != LXW_NO_ERROR) {
        status =
            shnor_seterr(db, SHNOR_IO, "cannot write '%s': %s", path, lxw_strerror(e));
    } else if (rename(tmp_path.data, path) != 0) {
        status =
            shnor_seterr(db, SHNOR_IO, "cannot write '%s': %s", path, strerror(errno));
    }
    if (status != SHNOR_OK) {
        remove(tmp_path.data);
    }
done:
    for (int k = 0; k < NTMP; k++) {
        sb_free(&x.tmp[k]);
    }
    sb_free(&tmp_path);
    sb_free(&title);
    sb_free(&comments);
    return status;
}
