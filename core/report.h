/*
 * report.h — reports people open, made from kept runs: an XLSX workbook for
 * spreadsheets (report_xlsx.c) and one self-contained, printable HTML page
 * with a chart per target as inline SVG (report_html.c, report_svg.c).
 *
 * report.c reads the runs back once, through the store_run_* functions, into
 * a report held in memory; the writers are then functions of the report
 * alone, so the same run (and the same assignment statuses) gives the same
 * bytes.
 *
 * Ownership: a report owns every string it holds (an arena freed by
 * report_free). Its rows reuse the store's row types, their pointers into
 * that arena; they stay valid until report_free.
 */
#ifndef SHNOR_REPORT_H
#define SHNOR_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "store.h"
#include "strbuf.h"

/* The assignment behind a roadmap row as it is now in the database. */
typedef struct {
    const char *status;   /* planned, in_progress, done, cancelled; "" when none */
    const char *evidence; /* "" when none */
    const char *date;     /* the status date, YYYY-MM-DD; "" when none */
} report_item_state;

/* One kept run and its parts, in the order they were stored. */
typedef struct {
    store_run run;
    store_run_listing_row *listing;
    size_t nlisting;
    store_run_read_row *reads;
    size_t nreads;
    store_run_target_row *targets;
    size_t ntargets;
    store_run_item_row *items;
    size_t nitems;
    report_item_state *states; /* nitems, parallel to items */
    const char *territory; /* the listed schools' territories, ", "-joined; "" if none */
} report_run;

typedef struct report_block report_block;

typedef struct {
    report_run *runs;
    size_t nruns;
    indicator *inds; /* every indicator now in the database, by code */
    size_t ninds;
    report_block *arena;
} report;

/*
 * Reads runs ids[0..n) (SHNOR_NOTFOUND naming the first that does not exist)
 * in one read transaction. *out is the caller's to report_free; NULL on error
 * (the message is on db).
 */
int report_load(shnor *db, const int64_t *ids, size_t n, report **out);
void report_free(report *r); /* accepts NULL */

/* The indicator with this code, NULL when the database has none now. */
const indicator *report_indicator(const report *r, const char *code);
/* The unit (UNIT_*, 0: a plain number) a value read of this kind is in. */
int report_read_unit(const report *r, const store_run_read_row *rd);
/* The unit a target row's numbers are in: its indicator's, except that a
   flag's mean over several schools is the share of schools, so flags read
   as shares. */
int report_target_unit(const store_run_target_row *t);
/* The listing row a value was read for (NULL when none has that seq). */
const store_run_listing_row *report_read_listing(const report_run *rr,
                                                 const store_run_read_row *rd);
/* A target's scope as a person reads it: a category's title, «все школы»,
   else the scope (a school code) itself. Borrowed. */
const char *report_scope_title(const report_run *rr, const char *scope);

/* Russian names (listing and target statuses: human_status): assignment
   statuses (a row of a roadmap that was not applied: «не сохранено»), kinds
   of values read. */
const char *report_item_status_ru(const store_run_item_row *it,
                                  const report_item_state *st);
const char *report_read_kind_ru(const char *kind);

/* The reasons of a listing row, one per line ('\n'-joined), appended to sb. */
void report_reasons(strbuf *sb, const char *explanation);

/* Parses the YYYY-MM-DD at the start of s; 0 when it is one. */
int report_date(const char *s, int *y, int *m, int *d);

/*
 * Writes the XLSX workbook to path (through path.tmp, renamed when complete):
 * sheets «Список», «Цели», one roadmap per run, «Значения» and «Запуск».
 * SHNOR_IO with a message on db when it cannot be written.
 */
int report_write_xlsx(shnor *db, const report *r, const char *path);

/* Appends the HTML page to out; 0, or -1 when memory ran out. */
int report_write_html(const report *r, strbuf *out);

/*
 * Appends an SVG chart of target rows rows[0..n) of rr (one target): a band
 * per row — per school or category, and checkpoint — with the baseline and the
 * actual value as bars and the threshold as a tick, on one axis in the unit's
 * format. Every mark carries its value (data-value, shortest exact form) and
 * the axis its ends (data-min, data-max, data-x0, data-x1), so the marks can be
 * checked against the run.
 */
void report_svg_chart(strbuf *sb, const report_run *rr, const size_t *rows, size_t n);

/* Appends s to sb escaped for HTML/XML text and attribute values. */
void report_escape(strbuf *sb, const char *s);

#endif
