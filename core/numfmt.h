/*
 * numfmt.h — numbers as people type them into spreadsheets, and numbers as
 * shnor prints them.
 *
 * Parsing never depends on the process locale: "46,0" and "46.0" are both
 * 46 whatever setlocale() said. Printing never depends on it either.
 */
#ifndef SHNOR_NUMFMT_H
#define SHNOR_NUMFMT_H

#include <stddef.h>

enum { NUM_OK = 0, NUM_EMPTY = 1, NUM_BAD = -1 };

/*
 * Parses one cell of len bytes (UTF-8, not necessarily NUL-terminated).
 * Accepted: surrounding spaces and tabs; a sign ('-', '+', or U+2212 minus);
 * digits, optionally in groups of three separated by a space, U+00A0 (no-break
 * space) or U+202F (narrow no-break space) — "1 204", "12 345 678"; at most
 * one decimal separator, ',' or '.'; an exponent (e/E); a trailing '%',
 * optionally after spaces.
 * Returns NUM_OK with *value set to the number as written ("66%" gives 66
 * and *percent = 1), NUM_EMPTY for an empty or all-space cell, or NUM_BAD with
 * a message in err saying what is wrong ("'12,5,3' has two decimal
 * separators"). value and percent may be NULL. The conversion is correctly
 * rounded (strtod on a normalised copy).
 */
int num_parse(const char *s, size_t len, double *value, int *percent, char *err,
              size_t errlen);

enum { NUM_AS_WRITTEN, NUM_HUNDREDTHS_IF_PERCENT, NUM_HUNDREDTHS_ALWAYS };
/*
 * num_parse reading the number as hundredths, when it has a '%'
 * (NUM_HUNDREDTHS_IF_PERCENT) or always (NUM_HUNDREDTHS_ALWAYS), still with
 * one correct rounding: "14,3%" gives the double nearest 0.143, which
 * 14.3 / 100 is not (0.14300000000000002).
 */
int num_parse_hundredths(const char *s, size_t len, int when, double *value, int *percent,
                         char *err, size_t errlen);

/* Buffer size enough for any num_format output. */
#define NUM_BUFSZ 40

/*
 * The shortest decimal text that reads back as exactly v: "0.1", "46",
 * "0.125", "1e-07", "-3.5". '.' as decimal point; "nan", "inf", "-inf" for
 * non-finite values. Returns the length.
 */
size_t num_format(double v, char buf[NUM_BUFSZ]);

/* As num_format, but "" for NAN: a missing value in CSV and stored rows. */
size_t num_format_opt(double v, char buf[NUM_BUFSZ]);

/*
 * v with exactly `decimals` digits after the separator (0..15), rounded half
 * away from zero on the shortest decimal form of v (so 0.125 -> "0.13" and
 * 2.675 -> "2.68", as a person rounding the printed number would), using
 * decsep ('.' or ','). Returns the length; buf needs NUM_BUFSZ bytes.
 */
size_t num_format_fixed(double v, int decimals, char decsep, char buf[NUM_BUFSZ]);
/* The same, always from the shortest digits (num_format_fixed takes a
   shorter way off ties); for tests that the two agree. */
size_t num_format_fixed_digits(double v, int decimals, char decsep, char buf[NUM_BUFSZ]);
/*
 * A share as a percent: v * 100 as num_format_fixed lays it out, from the
 * shortest digits of v itself, so 0.0745 prints "7.5" like 7.45 does (the
 * double 0.0745 * 100 is 7.449999999999999, which would print "7.4").
 */
size_t num_format_percent(double v, int decimals, char decsep, char buf[NUM_BUFSZ]);

/*
 * v rounded to `digits` significant decimal digits (1..17), as the nearest
 * double: for a computed figure such as a threshold, so 0.0055 * 0.9 is
 * stored and printed as 0.00495, not 0.0049499999999999995. Non-finite
 * values and zero are returned as they are.
 */
double num_round_significant(double v, int digits);
/*
 * v rounded at the decimal place of the `digits`-th significant digit of
 * `largest` (the largest magnitude v was computed from): a mean or a
 * difference keeps the decimals of its operands, and what floating point
 * leaves below them is noise (the mean of 1.7 and -1.6 is 0.05, 1000.1 - 1000
 * is 0.1, and 0.1 + 0.2 - 0.3 is 0). With largest 0, NaN or below |v|, as
 * num_round_significant.
 */
double num_round_at_scale(double v, double largest, int digits);
/* The same, always from the digits of "%.*e" (num_round_significant takes a
   shorter way off ties); for tests that the two agree. */
double num_round_significant_digits(double v, int digits);

/*
 * Compares a and b as the decimal numbers a person reads: equal when they agree
 * to 12 significant digits. Returns <0, 0, >0. Used wherever a threshold is
 * checked, so 0.20 * (1 - 0.10) counts as equal to 0.18.
 */
int num_cmp_decimal(double a, double b);

#endif
