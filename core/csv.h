/*
 * csv.h — reading and writing delimited text as spreadsheets save it.
 *
 * The reader works on UTF-8 text in memory (see encoding.h) and splits it into
 * records in place: RFC 4180 quoting (separators, doubled quotes and newlines
 * inside quoted fields), LF, CRLF or CR line ends, ',' ';' or tab separators
 * detected from the first line. It knows nothing about what the fields mean.
 */
#ifndef SHNOR_CSV_H
#define SHNOR_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "strbuf.h"

typedef struct csv_reader csv_reader;

typedef struct {
    size_t nfields;
    char **fields;      /* NUL-terminated, unquoted; borrowed until the next
                           csv_next() or csv_close() */
    size_t *lens;       /* byte length of each field */
    long line;          /* line (from 1) on which the record starts */
    long end_line;      /* and the one it ends on (later with line breaks in cells) */
    long *field_lines;  /* line on which each field starts */
    int blank;          /* 1 when every field is empty or spaces only */
} csv_record;

/*
 * Creates a reader over data[0..len). Takes ownership of data, which must be
 * malloc'ed and have a NUL at data[len]; the reader modifies it and
 * csv_close() frees it (also when csv_open fails).
 * sep: ',', ';' or '\t', or 0 to detect: the one of the three that occurs
 * most often outside quotes on the first non-blank line (ties: ';' then ','
 * then tab; none at all: ',').
 * Returns 0, or -1 when memory ran out.
 */
int csv_open(char *data, size_t len, char sep, csv_reader **out);

/*
 * Reads the next record. Returns 1 and fills *rec, 0 at the end of the text,
 * or -1 with a message in err ("line 14, field 3: a quoted field opened here
 * is never closed"; csv_failure gives its parts). A stray quote inside an unquoted field is kept as text. Blank
 * lines are returned as records with blank = 1 (the caller skips them).
 */
int csv_next(csv_reader *r, csv_record *rec, char *err, size_t errlen);

/*
 * The error that stopped the reader: its message without the place, and the
 * place in *line and *field (from 1; either may be NULL). NULL when reading
 * has not failed. Borrowed until csv_close().
 */
const char *csv_failure(const csv_reader *r, long *line, size_t *field);

/* The separator in use (detected or given). */
char csv_separator(const csv_reader *r);

/* The text line the records start on: 2 after a first line "sep=;", which
   Excel reads as a hint and does not show as a row, else 1. */
long csv_first_line(const csv_reader *r);

/* Frees the reader and the data it owns. Accepts NULL. */
void csv_close(csv_reader *r);

/*
 * Appends one field to sb, in double quotes when it contains a separator the
 * reader detects (',', ';' or tab, whichever sep the line uses), a quote, CR
 * or LF, or starts or ends with a space (quotes inside doubled).
 */
void csv_put_field(strbuf *sb, const char *s, size_t len, char sep);
/* Appends n fields (NUL-terminated) joined by ',', as csv_put_field puts
   each, with no line end. */
void csv_put_cells(strbuf *sb, const char *const *cells, size_t n);

/*
 * A stream that writes the CSV put into it (as csv_put_field makes it: ','
 * between fields, LF line ends) to `to` as Excel saves CSV in a Russian
 * locale: a UTF-8 byte-order mark, ';' between fields, decimal commas in
 * numbers, CRLF, and an apostrophe before a text that would be read as a
 * formula (= + - @). fclose() finishes it (`to` stays open); NULL on OOM.
 */
FILE *csv_excel_open(FILE *to);

#endif
