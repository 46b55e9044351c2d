/*
 * humanfmt.h — numbers for people: the form a Russian reader expects in a
 * table or an explanation (decimal comma, shares as percents, flags as да/нет).
 * Machine formats (CSV, JSON) use numfmt.h's exact shortest form instead.
 */
#ifndef SHNOR_HUMANFMT_H
#define SHNOR_HUMANFMT_H

#include <stddef.h>

#include "model.h"

/*
 * v in the indicator's unit: share 0.215 -> "21,5%", percent 21.5 -> "21,5%",
 * score 46 -> "46,0", count 23 -> "23", index 0.4213 -> "0,42", flag -> "да" or
 * "нет"; NAN -> "нет данных". unit is UNIT_* (0: plain, up to 3 decimals).
 */
void human_value(int unit, double v, char *buf, size_t len);
/* The same with `extra` more decimals than human_value gives. */
void human_value_prec(int unit, double v, int extra, char *buf, size_t len);
/* a and b as human_value gives them, with more decimals (up to 6) while they
   differ but would print alike: an actual of 7,41% against a threshold of
   7,38% is not "7,4% against ≤ 7,4%, not met". */
void human_values_apart(int unit, double a, double b, char *abuf, char *bbuf, size_t len);
/* The most extra decimals human_values_apart gives: a and b that differ
   at the targets' 12 significant digits print apart (18,0000000100% against
   18,0%), down to shares of about 1e-3. */
enum { HUMAN_EXTRA_MAX = 12 };
/* The extra decimals human_values_apart gives a and b (0..HUMAN_EXTRA_MAX),
   for writers that format numbers themselves (a spreadsheet's number format). */
int human_extra_apart(int unit, double a, double b);

/* A plain number with up to `decimals` decimals, trailing zeros dropped, decimal comma. */
void human_number(double v, int decimals, char *buf, size_t len);
/*
 * The Russian word form for n things: one (1, 21, 101 …), few (2-4, 22-24 …)
 * or many (0, 5-20, 25 …): ru_plural(n, "школа", "школы", "школ"). After
 * «из», pass the genitive: ru_plural(n, "школы", "школ", "школ").
 */
const char *ru_plural(long n, const char *one, const char *few, const char *many);

/* The Russian words for a stored status of a listing or target row ("listed",
   "excluded", "insufficient_data", "met", "not_met") or of an assignment
   ("planned", "in_progress", "done", "cancelled"); any other as it is. */
/* A kept listing row's status for people: a person's inclusion is said
   («в списке (вручную)»), as `list` says it. override is the row's note. */
const char *human_listing_status(const char *status, const char *override);
const char *human_status(const char *status);

/* share * 100 as human_number lays it out, rounded on the share's own
   digits: 0.0745 -> "7,5" (num_format_percent). No '%' sign. */
void human_percent_of(double share, int decimals, char *buf, size_t len);

#endif
