/*
 * importInt.h — what the import steps share: the context of one file being
 * imported, error collection, and column mapping.
 *
 * An import reads and checks the whole file first, collecting every error (up
 * to a limit) with file:line:column; only a file without errors is written,
 * in one transaction. So a file is in the database whole or not at all.
 */
#ifndef SHNOR_IMPORT_INT_H
#define SHNOR_IMPORT_INT_H

#include <stdint.h>

#include "csv.h"
#include "model.h"
#include "shnorInt.h"

typedef struct {
    long line;
    int col; /* 1-based field number; 0 for the whole row */
    char *msg;
} import_error;

typedef struct {
    shnor *db;
    shnor_import_kind kind;
    const char *name; /* the file as the user named it, for messages */
    const shnor_import_options *opt;
    shnor_import_result *res;
    const char *encoding; /* detected or forced, for the batch record */
    char sha256[65];
    csv_reader *csv;

    /* The header line: copies of its cells, folded copies for matching. */
    size_t ncols;
    size_t header_cells; /* cells of the header line, its empty trailing ones too */
    char **headers;
    char **folded;
    long header_line;
    /* Per column, NULL until one is found: 1 when its header cell is empty
       (ignored, as long as its cells are too), 2 once a cell in it with
       text was reported. */
    unsigned char *unnamed;

    import_error *errs;
    size_t nerrs, errs_cap;
    long max_errors;
    long dropped; /* errors found beyond max_errors */

    /* Rows that span several lines (a line break typed in a cell): a
       spreadsheet shows each as one row, so a message after one gives the
       row as well as the line. start..end are its lines; before, the lines
       such rows took beyond one each before it. */
    struct imp_span {
        long start, end, before;
    } *spans;
    size_t nspans, spans_cap;
    long spanned;
    /* Lines above the first row a spreadsheet shows: 1 for Excel's
       "sep=;" line, which it reads as a hint, else 0. */
    long hidden;
} import_ctx;

/* The spreadsheet row of text line `line` (the line itself when no row
   before it spans several lines and no "sep=" line is hidden). */
long imp_row_of(const import_ctx *c, long line);

/* Records an error at line/col (col 0: the row). Formats like printf. */
void imp_error(import_ctx *c, long line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* 1 once max_errors errors were recorded: callers may stop reading. */
int imp_full(const import_ctx *c);
/* Header name of column col (1-based) for messages, "" when out of range. */
const char *imp_header(const import_ctx *c, int col);

/* Reads the header line: c->headers and c->folded, one per column, and
   c->ncols without the unnamed columns a trailing separator makes. Returns 0,
   or -1 when it recorded an error (an empty file) or ran out of memory. */
int imp_read_header(import_ctx *c);

/* A standard column and the headers people write for it (folded, see text_fold). */
typedef struct {
    const char *std;
    const char *const *synonyms; /* NULL-terminated */
    int required;
} col_spec;

/*
 * Finds each spec's column: a --map entry for it, else a header equal (after
 * folding) to its standard name or a synonym. index[i] gets the 0-based column
 * or -1; used[col] is set for matched columns. Records errors for missing
 * required columns, --map entries naming no standard column or no header, and
 * a column claimed twice. A column left with an empty header is marked in
 * c->unnamed and used: a cell with text in it is an error when rows are read.
 * Returns 0, or -1 when it recorded errors.
 */
int imp_map_columns(import_ctx *c, const col_spec *specs, size_t nspecs, int *index,
                    unsigned char *used);

/* Trims the space numbers may have around them (numfmt.c, decision 3):
   spaces, tabs, CR, LF, U+00A0 and U+202F, from both ends of s[0..*len);
   returns the start. */
const char *imp_trim(const char *s, size_t *len);
/* A text cell trimmed, without the apostrophe Excel's formula guard puts
   before = + - @ (csv_excel.c writes it; people type it); returns the start. */
const char *imp_text(const char *s, size_t *len);
/* A trimmed copy of text cell idx of rec (without the apostrophe Excel's
   formula guard puts before = + - @), or NULL when idx < 0 or it is empty. */
char *imp_cell_dup(const csv_record *rec, int idx);

/* Reads the next non-blank record; 1, 0 at end, -1 after recording an error. */
int imp_next(import_ctx *c, csv_record *rec);
/* How much of a cell a message quotes: at most IMP_BRIEF bytes, cut at a
   character (a 1 MB code is not echoed whole); printf it with "%.*s%s" and
   (len > IMP_BRIEF ? "…" : ""). */
#define IMP_BRIEF 80
int imp_brief(const char *s, size_t len);

/* 1 the first time key is seen in the file (seen remembers its line); else
   records "<what> '<key>' is given twice: also on line N" at line:col, 0. */
struct strmap;
int imp_first_time(import_ctx *c, struct strmap *seen, const char *key, long line, int col,
                   const char *what);

/* 1 when rec has as many fields as the header; else records the error, 0. */
int imp_row_fits(import_ctx *c, const csv_record *rec);
/* A zeroed element of size sz added at the end of *rows (*n of them, room
   for *cap); NULL, with the error on the handle, when memory ran out. */
void *imp_add_row(import_ctx *c, void **rows, size_t *n, size_t *cap, size_t sz);

/* The kinds (import_values.c, import_ref.c). Each checks every row, then writes
   in one transaction when there was no error. */
int imp_values(import_ctx *c);
int imp_schools(import_ctx *c);
int imp_indicators(import_ctx *c);
int imp_statuses(import_ctx *c);
int imp_listings(import_ctx *c);

/* "planned", "in_progress", "done", "cancelled" for an English or Russian
   status word, NULL when it is none (import_plan.c). */
const char *plan_status_parse(const char *s, size_t len);

/*
 * The date of a status as written (YYYY-MM-DD or DD.MM.YYYY) into iso as
 * YYYY-MM-DD, the form stored. 0; PLAN_DATE_BAD when it is no date, or
 * PLAN_DATE_LATER when it is after today (a status is dated the day it was
 * reached: 2032 for 2023 would count as on time for years), with the
 * message in err.
 */
enum { PLAN_DATE_BAD = 1, PLAN_DATE_LATER = 2 };
int plan_status_date(const char *text, char iso[11], char *err, size_t errlen);

#endif
