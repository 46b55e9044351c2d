/*
 * dueInt.h — private to the deadline module: the tokens of a deadline text
 * (due_lex.c), the parser state shared by the grammar (due.c), its dated
 * parts (due_span.c) and its recurrences (due_cycle.c), and the parsed form
 * that due_expand.c dates and due_describe.c describes.
 *
 * A parsed deadline is a list of items. Each item is a span (a date, a
 * month, a range or a year, with or without a year), a cycle (weekly,
 * monthly, terms, quarters, halves, years) or an open item (in the course of
 * the period). Invariants, checked by due_parse before it returns:
 *  1. A span with a year has it on both ends (a.y and b.y both set) and
 *     starts on or before its end; a span without one has neither.
 *  2. Days are real: an absolute span names existing days; a relative one
 *     has d <= 29 in February and d <= the month's length otherwise.
 *  3. Spans bound to a yearly cycle ("ежегодно, март-апрель", "2 раза в год
 *     (январь, июнь)") follow their cycle item directly, are relative, and
 *     the cycle counts them in nbound.
 *  4. Open items are never mixed with cycles (an open phrase around a
 *     recurrence is the recurrence).
 */
#ifndef SHNOR_DUE_INT_H
#define SHNOR_DUE_INT_H

#include <stddef.h>

#include "due.h"

/* ---------------------------------------------------------------------------
 * Tokens (due_lex.c).
 */
enum {
    DT_END = 0, /* past the last token */
    DT_WORD,    /* letters; word holds it lower-cased, with ё as е */
    DT_NUM,     /* decimal digits */
    DT_DASH,    /* - ‐ ‑ ‒ – — − */
    DT_COMMA,
    DT_DOT,
    DT_SEMI,
    DT_COLON,
    DT_LPAREN,
    DT_RPAREN
};

typedef struct {
    int type;
    size_t off, len;  /* bytes of the original text */
    int space;        /* whitespace (or the start of the text) precedes it */
    long num;         /* DT_NUM: the value, capped at 99999999 */
    int ndigits;      /* DT_NUM: number of digits */
    const char *word; /* DT_WORD: normalised, NUL-terminated; NULL otherwise */
} due_token;

typedef struct {
    due_token *t; /* n tokens */
    size_t n;
    char *words; /* storage behind every token's word */
} due_tokens;

/*
 * Splits text into tokens. Returns SHNOR_OK; SHNOR_INPUT with *bad set to the
 * byte offset of a character that is not part of any token, or of invalid
 * UTF-8 (then *bad_utf8 is 1); SHNOR_NOMEM. The caller releases toks with
 * duelex_free (also after a failure).
 */
int duelex_tokenize(const char *text, due_tokens *toks, size_t *bad, int *bad_utf8);
void duelex_free(due_tokens *toks);

/* Length in bytes (1..4) of the UTF-8 character at s (n bytes left), or 0
   when the bytes there are not UTF-8. */
size_t duelex_utf8_len(const char *s, size_t n);

/* ---------------------------------------------------------------------------
 * The parsed form.
 */
typedef struct {
    int y; /* 0: not given (placed in the period) */
    int m; /* 1..12; 0: the whole year */
    int d; /* 1..31; 0: the whole month */
} due_point;

enum { ITEM_SPAN = 1, ITEM_CYCLE = 2, ITEM_OPEN = 3 };

/* Cycles. */
enum {
    CYC_WEEK = 1, /* ISO weeks, due on Sunday */
    CYC_MONTH,    /* calendar months */
    CYC_TERM,     /* school terms: Sep-Oct, Nov-Dec, Jan-Mar, Apr-May */
    CYC_QUARTER,  /* calendar quarters */
    CYC_HALF,     /* halves: Sep-Dec, Jan-May (academic) or Jan-Jun, Jul-Dec */
    CYC_YEAR,     /* the year of the period's kind: academic or calendar */
    CYC_ACYEAR    /* academic years (Sep-Aug) whatever the period */
};

/* What a span stands for, for its description. */
enum {
    LABEL_NONE = 0,
    LABEL_WEEK = 1,   /* ordinal week of a month; index 1..4 */
    LABEL_HOLIDAY = 2 /* school holidays; index 1 autumn .. 4 summer */
};

typedef struct {
    int type; /* ITEM_* */
    /* ITEM_SPAN */
    due_point a, b; /* first and last point; a single point has b == a */
    int bound;      /* 1: one of the months of the yearly cycle before it */
    int label, index;
    /* ITEM_CYCLE */
    int unit;      /* CYC_* */
    unsigned mask; /* halves, terms or quarters taken (bit k-1 for #k); 0 all */
    size_t nbound; /* spans bound to this cycle, directly after it */
    /* ITEM_CYCLE (CYC_YEAR) and ITEM_OPEN: "N-M раз в год"; 0 when not said */
    int nmin, nmax;
    /* where it was written, for messages */
    size_t off, len;
} due_item;

struct due_spec {
    due_kind kind;
    due_item *items;
    size_t n, cap;
    char *desc; /* due_describe's text, owned */
};

/* 1 when the span item has no year (is placed in the period). */
int due_item_relative(const due_item *it);

/* 1 when b's month and day come before a's, so that a range a-b wraps into
   the next year. */
int due_wraps(due_point a, due_point b);

/* Builds s->desc from the items (due_describe.c). SHNOR_OK or SHNOR_NOMEM. */
int duedesc_build(due_spec *s);

/* ---------------------------------------------------------------------------
 * The parser. Parts return 1 when they read something (P->i moved past it),
 * 0 when the tokens at P->i are not theirs (P->i unchanged), -1 after an
 * error (P->rc and the message are set).
 */
typedef struct {
    const char *text; /* the whole deadline, for messages */
    const due_token *t;
    size_t nt, i;   /* tokens, and the next one to read */
    due_spec *spec; /* items so far */
    size_t group;   /* first item of the current run of spans without a year */
    char *err;      /* the caller's message buffer (may be NULL) */
    size_t errlen;
    int rc; /* SHNOR_OK, SHNOR_INPUT or SHNOR_NOMEM */
} due_parser;

/* Tokens and words (due_lex.c). */
int duep_tt(const due_parser *P, size_t k);           /* the type of token k */
const char *duep_word(const due_parser *P, size_t k); /* its word, or NULL */
int duep_is(const due_parser *P, size_t k, const char *w);
int duep_tight(const due_parser *P, size_t k);   /* no space before token k */
int duep_is_year(const due_parser *P, size_t k); /* a number 1900..2999 */
/* Index 1..n-1 of w in list (list[0] unused), or 0. */
int duep_lookup(const char *w, const char *const *list, int n);
/* The month w names (1..12) in the nominative, genitive or prepositional
   case; *gcase (may be NULL) gets 0, 1 or 2. 0 when w is no month. */
int duep_month(const char *w, int *gcase);
int duep_ordinal(const char *w); /* первая..четвертая (also accusative): 1..4 */
int duep_holiday(const char *w); /* осенние, зимние, весенние, летние: 1..4 */

/* Errors and items (due.c). */
/* The message quotes the text and bytes off..end of it; returns -1. */
int duep_fail_at(due_parser *P, size_t off, size_t end, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same about tokens from..to (exclusive); to <= from: from's clause. */
int duep_fail(due_parser *P, size_t from, size_t to, const char *why);
/* Appends a copy of it; NULL (P->rc = SHNOR_NOMEM) when memory ran out. */
due_item *duep_push(due_parser *P, const due_item *it);
/* A sequence of parts up to its end or a closing parenthesis, at nesting
   depth (the recurrences' months in parentheses read the rest of them). */
int duep_seq(due_parser *P, int depth);

/* Recurrences (due_cycle.c): pushed with their months. */
int duep_cycle(due_parser *P);

/* Dated parts (due_span.c). */
int duep_day_ok(int y, int m, int d); /* day d of month m (any year when y is 0) */
/* A point or a range into *it; *ey says whether its end carried a year. */
int duep_span(due_parser *P, due_item *it, int *ey);
/* A span with its weeks, its run's years or "отчетного года", pushed. */
int duep_span_part(due_parser *P);
/* "Осенние, весенние каникулы", pushed. */
int duep_holidays(due_parser *P);

#endif
