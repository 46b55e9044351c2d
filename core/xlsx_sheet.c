/*
 * xlsx_sheet.c — the worksheet writer of report_xlsx.c: cell formats made
 * once per kind, unit and fill; column widths from the content (display
 * width, Cyrillic counted as one), capped and wrapped beyond; rows as tall as
 * their wrapped text; a frozen header row, an autofilter and A4 landscape.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanfmt.h"
#include "textwidth.h"
#include "xlsx_sheet.h"

/* Excel refuses longer strings in a cell. */
#define CELL_MAX 32767

static const unsigned fills[FILL_COUNT][2] = {{0, 0},
                                              {0xC6EFCE, 0x006100},
                                              {0xFFC7CE, 0x9C0006},
                                              {0xFFEB9C, 0x9C5700},
                                              {0xEDEDED, 0x595959}};

/* The number format of a unit with extra decimals beyond its own (as
   human_value_prec prints it) into buf; NULL for General. */
static const char *num_format_of(int unit, int extra, char *buf, size_t len)
{
    int decimals;
    const char *after = "";
    switch (unit) {
    case UNIT_SHARE:
        decimals = 1, after = "%";
        break;
    case UNIT_PERCENT:
        decimals = 1, after = "\"%\"";
        break;
    case UNIT_SCORE:
        decimals = 1;
        break;
    case UNIT_INDEX:
        decimals = 2;
        break;
    case UNIT_FLAG:
        return "\"да\";\"да\";\"нет\"";
    default:
        return NULL; /* General: counts and plain numbers as they are */
    }
    decimals += extra;
    snprintf(buf, len, "0.%.*s%s", decimals, "00000000000000000000", after);
    return buf;
}

/* The format of a kind of cell, made on first use. */
static lxw_format *fmt(xctx *x, int kind, int unit, int extra, int fill)
{
    unit = unit >= 0 && unit < UNITS ? unit : 0;
    extra = extra >= 0 && extra <= EXTRA_MAX ? extra : 0;
    lxw_format **slot = &x->fmt[kind][unit][extra][fill];
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
    char numfmt[32];
    if (kind == K_NUM && num_format_of(unit, extra, numfmt, sizeof numfmt)) {
        format_set_num_format(f, num_format_of(unit, extra, numfmt, sizeof numfmt));
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
        human_value_prec(c->unit, c->num, c->extra, buf, sizeof buf);
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
            size_t n = utf8_cut(s, strlen(s), CELL_MAX - 4);
            cut = malloc(n + 4);
            if (cut) {
                memcpy(cut, s, n);
                memcpy(cut + n, "…", 4);
                s = cut;
            }
        }
        e = worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)col, s,
                                   fmt(x, K_TEXT, 0, 0, c->fill));
        free(cut);
        break;
    }
    case X_NUM:
        e = worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)col, c->num,
                                   fmt(x, K_NUM, c->unit, c->extra, c->fill));
        break;
    case X_DATE:
    case X_DATETIME: {
        lxw_datetime dt = c->dt;
        e = worksheet_write_datetime(
            ws, (lxw_row_t)row, (lxw_col_t)col, &dt,
            fmt(x, c->type == X_DATE ? K_DATE : K_DATETIME, 0, 0, c->fill));
        break;
    }
    default:
        if (c->fill != FILL_NONE) {
            e = worksheet_write_blank(ws, (lxw_row_t)row, (lxw_col_t)col,
                                      fmt(x, K_TEXT, 0, 0, c->fill));
        }
        break;
    }
    note_err(x, e, sheet, row, col);
}

/* The label of a run in the first column of a workbook of several runs. */
static void run_label(xctx *x, const report_run *rr, xcell *out)
{
    strbuf *sb = xc_tmp(x, NTMP - 1);
    sb_printf(sb, "#%lld %s %s", (long long)rr->run.id, rr->run.pack_id, rr->run.period);
    out[0] = xc_text(sb->data);
}

/*
 * Writes one sheet: the header row, then count(run) rows of each run in
 * runs[first..last) from `row`; widths from a first pass over the same rows.
 * When x->multi and `labelled`, a column «Запуск» comes first.
 */
void xlsx_write_sheet(xctx *x, const char *name, const xcol *cols, int ncols,
                      int labelled, size_t first, size_t last, count_fn count, row_fn row)
{
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
    if (!ws) {
        note_err(x, LXW_ERROR_MEMORY_MALLOC_FAILED, name, 0, 0);
        return;
    }
    int off = x->multi && labelled ? 1 : 0, n = ncols + off;
    assert(n <= MAX_COLS);
    xcol all[MAX_COLS + 1];
    double width[MAX_COLS + 1], head_word[MAX_COLS + 1];
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
        head_word[c] = width[c];
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
        /* the cap holds the content back, never the header's longest word
           («Сравнение» broke as «Сравнен|ие» under a cap of 6) */
        double cap = all[c].cap > head_word[c] ? all[c].cap : head_word[c];
        width[c] = (width[c] > cap ? cap : width[c]) + 2;
        note_err(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL),
                 name, 0, c);
    }
    int head_lines = 1;
    for (int c = 0; c < n; c++) {
        xcell h = xc_text(all[c].head);
        lxw_error e =
            worksheet_write_string(ws, 0, (lxw_col_t)c, h.text, fmt(x, K_HEAD, 0, 0, 0));
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
    /* As many pages wide as keep the print readable: A4 landscape holds
       about 130 characters of width at 100 %; fitting a 350-wide roadmap on
       one page printed it at 35 %, 4-point text. Up to 180 a page (72 % or
       more), the narrow first columns (number, code) again on each page,
       where they take room too. */
    double total = 0, rep = 0;
    int last_narrow = -1;
    for (int c = 0; c < n; c++) {
        double w = width[c] + 1; /* as the file stores it: libxlsxwriter adds a padding */
        total += w;
        if (c == last_narrow + 1 && c < 2 && width[c] <= 20 && c + 1 < n) {
            last_narrow = c;
            rep += w;
        }
    }
    int pages = 1;
    if (total > 180) {
        pages = last_narrow >= 0 ? (int)ceil((total - rep) / (180 - rep)) : (int)ceil(total / 180);
    }
    worksheet_fit_to_pages(ws, (uint16_t)pages, 0);
    if (pages > 1 && last_narrow >= 0) {
        note_err(x, worksheet_repeat_columns(ws, 0, (lxw_col_t)last_narrow), name, 0, 0);
    }
}
