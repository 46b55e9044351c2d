/*
 * listing.h — writing an evaluation's listing for people (table with Russian
 * reasons) and programs (CSV, JSON).
 */
#ifndef SHNOR_LISTING_H
#define SHNOR_LISTING_H

#include <stdio.h>

#include "eval.h"
#include "json.h"

/*
 * Writes the listing: table (explain: reasons under each school; color and
 * width as for table_print), CSV (header school,name,category,criteria,status,
 * territory,explanation; criteria joined by ';') or JSON (an array of objects
 * with school, name, territory, category, category_title, status, criteria,
 * reason, reads). Returns 0 or -1 when writing failed.
 */
int listing_write(const evaluation *ev, shnor_format format, int explain, FILE *out, int color,
                  int width);

/* The reasons of one row in Russian: one item per criterion, each starting with
   bullet and separated by sep. */
void listing_explain(const evaluation *ev, const ev_row *row, strbuf *sb, const char *bullet,
                     const char *sep);

/* One row as a JSON object. */
void listing_json_row(const evaluation *ev, const ev_row *row, json_writer *w);

/* The pieces of a row the writers (and run records) share. */
const char *listing_status_name(int status); /* "listed", "insufficient_data", "excluded" */
/* The ids of the criteria of the row, joined by sep. */
void listing_criteria_ids(const evaluation *ev, const ev_row *row, strbuf *sb, const char *sep);
/* "включена вручную: причина (кто, дата)". */
void listing_override_text(const ds_override *ov, strbuf *sb);
/* "value", "mean", ... for a READ_* kind. */
const char *listing_read_kind(int kind);
/* Who made a read: the criterion's id, or "list", "cohort", "mentor", "exit". */
const char *listing_read_source(const evaluation *ev, const ev_read *r);
/* 1 when r repeats an earlier read of the same source in [from, r). */
int listing_read_repeated(const ev_read *from, const ev_read *r);

#endif
