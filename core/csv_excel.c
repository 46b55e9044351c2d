/*
 * csv_excel.c — CSV as Excel saves it in a Russian locale, for people who
 * open the file with a double click: UTF-8 with a byte-order mark (else
 * Cyrillic is garbled), ';' between fields (the list separator there; ','
 * would put each line in one cell), decimal commas (0,25: a point makes
 * 0.25 a date or text) and CRLF.
 *
 * It is a stream filter over the CSV the writers produce (csv_put_field):
 * numbers are never quoted, and a field holding ',' or ';' always is, so
 * swapping the separator needs no re-quoting. Each output is one table whose
 * first line names its columns: the decimal comma goes only into the columns
 * of the tables known to hold measured numbers (export values and
 * indicators, targets: value, min, max, baseline, actual, threshold), never
 * into codes, activity numbers, versions or attributes that merely look like
 * numbers (07.10, 1.10, 2023.1; an attribute may even be named "max"), so a
 * re-import gives the same text. A text field that Excel would take for a
 * formula (starting with = + - @: «- обсуждение учебных достижений», or a
 * hostile «=HYPERLINK(…)» from an imported file, header names included) gets
 * a leading apostrophe, which makes it text.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "strbuf.h"
#include "targets.h"

enum { AT_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTED };

/* Columns past this many are never numeric: no writer has that many. */
enum { MAX_COLUMNS = 64 };

typedef struct {
    FILE *to;
    int state;
    int in_header;  /* on the first line, which names the columns */
    strbuf head;    /* that line as the writer made it */
    unsigned col;   /* the field's column, from 0 */
    unsigned char numeric[MAX_COLUMNS]; /* the column holds decimal numbers */
    int first_quoted; /* the next byte is the first inside quotes */
    int bom_done;
    int failed;
    strbuf field; /* an unquoted field, held to see whether it is a number */
} excel_sink;

/* The tables whose columns hold numbers with a fractional part, by their
   header (which an output may extend with columns of its own). */
static const char *const numeric_tables[] = {
    "school,indicator,period,value",  /* export values */
    "code,title,unit,better,min,max", /* export indicators */
    TARGETS_CSV_HEADER,               /* targets, show-run --part targets */
};

static int numeric_name(const char *name, size_t n)
{
    static const char *const names[] = {"value", "min", "max", "baseline", "actual",
                                        "threshold"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/* At the end of the header line: which columns take a decimal comma. */
static void find_numeric_columns(excel_sink *x)
{
    const char *h = x->head.data ? x->head.data : "";
    for (size_t t = 0; t < sizeof numeric_tables / sizeof numeric_tables[0]; t++) {
        const char *known = numeric_tables[t];
        size_t len = strlen(known);
        if (x->head.len < len || memcmp(h, known, len) != 0 ||
            (x->head.len > len && h[len] != ',')) {
            continue;
        }
        unsigned col = 0;
        for (const char *p = known; *p && col < MAX_COLUMNS; col++) {
            size_t k = strcspn(p, ",");
            x->numeric[col] = (unsigned char)numeric_name(p, k);
            p += k + (p[k] == ',');
        }
        return;
    }
}

static int formula_start(char c)
{
    return c == '=' || c == '+' || c == '-' || c == '@';
}

/* -?digits(.digits)?(e[+-]digits)? */
static int is_number(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-') {
        i++;
    }
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        i++;
    }
    if (i == d) {
        return 0;
    }
    if (i < n && s[i] == '.') {
        size_t f = ++i;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            i++;
        }
        if (i == f) {
            return 0;
        }
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            i++;
        }
        size_t x = i;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            i++;
        }
        if (i == x) {
            return 0;
        }
    }
    return i == n;
}

static void put(excel_sink *x, const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, x->to) != n) {
        x->failed = 1;
    }
}

static void flush_field(excel_sink *x)
{
    char *s = x->field.data;
    size_t n = x->field.len;
    if (n && !x->in_header && x->col < MAX_COLUMNS && x->numeric[x->col] &&
        is_number(s, n)) {
        char *dot = memchr(s, '.', n);
        if (dot) {
            *dot = ',';
        }
    } else if (n && formula_start(s[0])) {
        put(x, "'", 1);
    }
    put(x, s, n);
    sb_reset(&x->field);
}

/* A separator or line end outside quotes. */
static void end_of_field(excel_sink *x, char c)
{
    if (x->state == UNQUOTED) {
        flush_field(x);
    }
    if (c == ',') {
        put(x, ";", 1);
        x->col++;
    } else if (c == '\n') {
        put(x, "\r\n", 2);
        if (x->in_header) {
            find_numeric_columns(x);
        }
        x->in_header = 0;
        x->col = 0;
    }
    x->state = AT_START;
}

static ssize_t sink_write(void *cookie, const char *buf, size_t size)
{
    excel_sink *x = cookie;
    if (!x->bom_done) {
        put(x, "\xEF\xBB\xBF", 3);
        x->bom_done = 1;
    }
    for (size_t i = 0; i < size; i++) {
        char c = buf[i];
        if (c == '\r' && x->state != QUOTED) {
            continue; /* the writers end lines with LF; CRLF is made here */
        }
        if (x->in_header && c != '\n') {
            sb_putc(&x->head, c);
        }
        switch (x->state) {
        case AT_START:
            if (c == '"') {
                put(x, "\"", 1);
                x->state = QUOTED;
                x->first_quoted = 1;
            } else if (c == ',' || c == '\n') {
                end_of_field(x, c);
            } else {
                sb_putc(&x->field, c);
                x->state = UNQUOTED;
            }
            break;
        case UNQUOTED:
            if (c == ',' || c == '\n') {
                end_of_field(x, c);
            } else {
                sb_putc(&x->field, c);
            }
            break;
        case QUOTED:
            if (c == '"') {
                x->state = QUOTE_IN_QUOTED;
                break;
            }
            if (x->first_quoted && formula_start(c)) {
                put(x, "'", 1);
            }
            x->first_quoted = 0;
            put(x, &c, 1);
            break;
        case QUOTE_IN_QUOTED:
            if (c == '"') { /* a doubled quote inside the field */
                put(x, "\"\"", 2);
                x->first_quoted = 0;
                x->state = QUOTED;
                break;
            }
            put(x, "\"", 1);
            x->state = AFTER_QUOTED;
            /* fall through */
        case AFTER_QUOTED:
            if (c == ',' || c == '\n') {
                end_of_field(x, c);
            } else {
                put(x, &c, 1); /* not made by our writers; kept as it is */
            }
            break;
        }
    }
    if (sb_failed(&x->field) || sb_failed(&x->head)) {
        x->failed = 1;
    }
    return x->failed ? -1 : (ssize_t)size;
}

static int sink_close(void *cookie)
{
    excel_sink *x = cookie;
    if (x->state == UNQUOTED) {
        flush_field(x);
    } else if (x->state == QUOTE_IN_QUOTED) {
        put(x, "\"", 1);
    }
    int failed = x->failed || fflush(x->to) != 0;
    sb_free(&x->field);
    sb_free(&x->head);
    free(x);
    return failed ? -1 : 0;
}

FILE *csv_excel_open(FILE *to)
{
    excel_sink *x = calloc(1, sizeof *x);
    if (!x) {
        return NULL;
    }
    x->to = to;
    x->in_header = 1;
    cookie_io_functions_t io = {NULL, sink_write, NULL, sink_close};
    FILE *f = fopencookie(x, "w", io);
    if (!f) {
        free(x);
    }
    return f;
}
