/*
 * period.h — calendar helpers behind the public period and date functions.
 *
 * shnor.h declares parsing, printing, ordering and shifting of periods and
 * ISO dates; this header adds what other modules need to compute with them.
 * Dates are shnor_date: days since 1970-01-01, proleptic Gregorian calendar.
 */
#ifndef SHNOR_PERIOD_H
#define SHNOR_PERIOD_H

#include "shnor.h"

/* 1 when y-m-d is a real calendar day with 1900 <= y <= 2999. */
int date_valid_ymd(int y, int m, int d);
/* The day y-m-d (the caller made sure it is valid). */
shnor_date date_from_ymd(int y, int m, int d);
void date_to_ymd(shnor_date date, int *y, int *m, int *d);
int date_days_in_month(int y, int m);
/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int date_weekday(shnor_date date);
/* Today in the local time zone, the day a person setting a status means. */
shnor_date date_today(void);

/* "year", "academic year", "half year", "quarter" or "month" ("period" for
   another kind); each makes its plural with an "s". */
const char *period_kind_name(int kind);

/* 1 when p is a well-formed period (kind known, year and sub in range). */
int period_valid(shnor_period p);

/* The period of the given kind that contains the day. */
shnor_period period_of_date(shnor_date date, int kind);

/* 1 when every day of inner lies within outer. */
int period_contains(shnor_period outer, shnor_period inner);

/*
 * Number of steps of a's kind from a to b (b - a), when both are of the same
 * kind; sets *steps and returns 0, or returns -1 when the kinds differ.
 */
int period_steps(shnor_period a, shnor_period b, int *steps);

/*
 * The periods from a to b inclusive, of the same kind, in order. Writes at most
 * max of them to out (out may be NULL to count) and the full count to *n.
 * Returns SHNOR_OK, or SHNOR_INPUT with a message in err when the kinds differ
 * or b is before a.
 */
int period_range(shnor_period a, shnor_period b, shnor_period *out, size_t max, size_t *n,
                 char *err, size_t errlen);

/* Parses text of length len (not NUL-terminated); otherwise as shnor_period_parse. */
int period_parse_n(const char *text, size_t len, shnor_period *out, char *err, size_t errlen);

#endif
