/*
 * model.h — the things shnor keeps, as C values shared by import, export,
 * evaluation and reports: indicators with their units, schools, territories.
 */
#ifndef SHNOR_MODEL_H
#define SHNOR_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* Units of an indicator. A share is a fraction 0..1 and prints as a percent. */
enum {
    UNIT_SHARE = 1,
    UNIT_PERCENT = 2,
    UNIT_SCORE = 3,
    UNIT_COUNT = 4,
    UNIT_INDEX = 5,
    UNIT_FLAG = 6 /* 0 or 1: a list membership imported as data («500+») */
};

/* Which direction of an indicator is better. */
enum { BETTER_HIGHER = 1, BETTER_LOWER = -1 };

typedef struct {
    int64_t id;
    char *code;
    char *title;
    int unit;   /* UNIT_* */
    int better; /* BETTER_* */
    double min; /* NAN when not given */
    double max; /* NAN when not given */
} indicator;

/* "share", "percent", ... for a UNIT_*; "" for an unknown one. */
const char *unit_name(int unit);
/* "a" or "an", to go before unit_name(unit) in a sentence. */
const char *unit_article(int unit);
/* UNIT_* for an English or Russian name ("share", "доля", "%", "балл"), 0 if unknown. */
int unit_parse(const char *s, size_t len);
/* "higher" / "lower". */
const char *better_name(int better);
/* BETTER_* for "higher"/"lower" or Russian "выше"/"ниже"/"больше"/"меньше", 0 if unknown. */
int better_parse(const char *s, size_t len);

/* The natural range of a UNIT_*: share and flag 0..1, percent 0..100,
   count >= 0, score and index any number. NAN bounds are open. */
void unit_range(int unit, double *lo, double *hi);

/*
 * The range values of an indicator may take: the unit's natural range,
 * narrowed by the indicator's own min/max when given (the intersection; an
 * import refuses bounds outside the unit's range, but a catalogue stored
 * before that check may hold them). NAN bounds are open.
 */
void indicator_range(const indicator *ind, double *lo, double *hi);

/* "between lo and hi", "at least lo", "at most hi" or "any number" (NAN
   bounds are open) into buf, for messages about ranges. */
#define RANGE_BUFSZ 96
void range_text(double lo, double hi, char buf[RANGE_BUFSZ]);

/* Frees the strings of n indicators and the array. Accepts NULL. */
void indicators_free(indicator *v, size_t n);

/* Lower-cases ASCII and Cyrillic letters in UTF-8 text, folds ё to е, trims
   and collapses runs of spaces (including no-break spaces) into one. Appends
   the result to out, which must have room for len + 1 bytes; returns its length.
   Used to match Russian column headers and words regardless of case. */
size_t text_fold(const char *s, size_t len, char *out);
/* 1 when a and b are one name as text_fold matches them (case, ё, spaces);
   -1 when out of memory. */
int text_same(const char *a, const char *b);

#endif
