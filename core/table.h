/*
 * table.h — aligned text tables for the terminal.
 *
 * Columns are padded by display width (Cyrillic letters are one column wide,
 * CJK two, combining marks zero), so Russian text lines up. When the table is
 * wider than the terminal, the widest column is wrapped at spaces (or hard
 * broken when a word is longer) until the table fits. Colour is ANSI and only
 * used when asked for; see table_use_color().
 */
#ifndef SHNOR_TABLE_H
#define SHNOR_TABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct table table;

enum { TABLE_LEFT = 0, TABLE_RIGHT = 1 };

enum {
    TABLE_PLAIN = 0,
    TABLE_GREEN = 1,
    TABLE_RED = 2,
    TABLE_YELLOW = 3,
    TABLE_BOLD = 4,
    TABLE_DIM = 5
};

/* A table of ncols columns; NULL when memory ran out. Caller frees with table_free. */
table *table_new(size_t ncols);
void table_free(table *t); /* accepts NULL */

/* Column titles (ncols strings, copied). Returns 0 or -1 on OOM. */
int table_header(table *t, const char *const *names);
/* Right-align a column (numbers). */
void table_align(table *t, size_t col, int align);
/* Appends a row of ncols strings (copied; NULL prints as empty). 0 or -1. */
int table_row(table *t, const char *const *cells);
/* Style of one cell of the last row added. */
void table_cell_style(table *t, size_t col, int style);
/*
 * Appends a free-text line under the last row (the reasons printed by
 * --explain): indented by two spaces, wrapped to the printing width, never
 * aligned into columns. Copied. 0 or -1.
 */
int table_note(table *t, const char *text);

/*
 * Prints header, a rule line of '-' under it, then the rows with their notes.
 * Columns are separated by two spaces; trailing spaces are not printed.
 * width: the columns available (0: 80). color: emit ANSI styles when nonzero.
 * Output is a pure function of the contents, width and color.
 * Returns 0, or -1 when writing failed.
 */
int table_print(const table *t, FILE *out, int width, int color);

/*
 * Prints free text (a summary under a table) wrapped to width (0: 80) at
 * spaces, like a note: each '\n' starts a paragraph, and the lines a
 * paragraph wraps onto are indented by `indent` spaces. Control characters
 * of the text show as U+FFFD, as in cells. Returns 0, or -1 when writing failed.
 */
int table_print_text(FILE *out, const char *text, int width, int indent);


/* 1 when f is a terminal and NO_COLOR is unset or empty. */
int table_use_color(FILE *f);

/* $COLUMNS when set to a number, else the terminal's width when f is one, else 80. */
int table_term_width(FILE *f);

#endif
