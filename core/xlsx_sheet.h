/*
 * xlsx_sheet.h — one worksheet of a report workbook (libxlsxwriter): the
 * cells a sheet's row function fills, and the writer that measures the
 * columns in a first pass and writes with the widths known in a second.
 * Private to report_xlsx.c and xlsx_sheet.c.
 */
#ifndef SHNOR_XLSX_SHEET_H
#define SHNOR_XLSX_SHEET_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "humanfmt.h"
#include "report.h"

enum { X_EMPTY, X_TEXT, X_NUM, X_DATE, X_DATETIME };
enum { FILL_NONE, FILL_GOOD, FILL_BAD, FILL_WARN, FILL_MUTE, FILL_COUNT };
enum { K_TEXT, K_NUM, K_DATE, K_DATETIME, K_HEAD, K_COUNT };
enum { UNITS = 8, MAX_COLS = 24, NTMP = 6, EXTRA_MAX = HUMAN_EXTRA_MAX };

typedef struct {
    int type;
    const char *text; /* X_TEXT */
    double num;       /* X_NUM */
    int unit;         /* X_NUM: UNIT_*, 0 plain */
    int extra;        /* X_NUM: decimals beyond the unit's (0..EXTRA_MAX) */
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
    lxw_format *fmt[K_COUNT][UNITS][EXTRA_MAX + 1][FILL_COUNT];
    strbuf tmp[NTMP]; /* texts built for the current row */
    int multi;        /* several runs: a first column names the run */
    lxw_error err;    /* the first write that failed */
    char where[64];
};

/* ---- cells ---- */

static inline xcell xc_text(const char *s)
{
    return (xcell){.type = s && *s ? X_TEXT : X_EMPTY, .text = s};
}

static inline xcell xc_filled(const char *s, int fill)
{
    xcell c = xc_text(s);
    c.fill = fill;
    return c;
}

static inline xcell xc_num(double v, int unit)
{
    return (xcell){.type = X_NUM, .num = v, .unit = unit};
}

/* A number with extra decimals beyond its unit's: an actual and its
   threshold that would look alike (5,8% against ≤ 5,8%, not met). */
static inline xcell xc_num_prec(double v, int unit, int extra)
{
    xcell c = xc_num(v, unit);
    c.extra = extra < 0 ? 0 : extra > EXTRA_MAX ? EXTRA_MAX : extra;
    return c;
}

/* A number, or «нет данных» when missing (blank when the value is not owed). */
static inline xcell xc_num_or_none(double v, int unit, int owed)
{
    if (!isnan(v)) {
        return xc_num(v, unit);
    }
    return owed ? xc_text("нет данных") : xc_text(NULL);
}

static inline xcell xc_date(const char *s)
{
    xcell c = {.type = X_DATE};
    if (report_date(s, &c.dt.year, &c.dt.month, &c.dt.day) != 0) {
        return xc_text(s);
    }
    return c;
}

/* An ISO time "YYYY-MM-DDTHH:MM:SSZ" as a date and time (UTC). */
static inline xcell xc_datetime(const char *s)
{
    xcell c = xc_date(s);
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

static inline xcell xc_integer(long long v)
{
    return xc_num((double)v, 0);
}

/* A temporary text of the current row (NTMP of them, reset per row). */
static inline strbuf *xc_tmp(xctx *x, int k)
{
    sb_reset(&x->tmp[k]);
    return &x->tmp[k];
}

/*
 * Writes one sheet: the header row, then count(run) rows of each run in
 * runs[first..last) from row 1; widths from a first pass over the same rows.
 * When x->multi and `labelled`, a column «Запуск» comes first. A failed
 * write is kept in x->err, with where it happened in x->where.
 */
void xlsx_write_sheet(xctx *x, const char *name, const xcol *cols, int ncols,
                      int labelled, size_t first, size_t last, count_fn count,
                      row_fn row);

#endif
