/*
 * datelike.h — cells that a spreadsheet turned into dates.
 *
 * Russian Excel reads 5.3 typed with a point as the 5th of March and shows
 * «05.мар»; it reads 2023-05 as May 2023 and shows «май.23»; a date column
 * pasted into the period column shows 01.09.2022. None of them is a number or
 * a period, and the generic "not a number" does not tell the user what
 * happened. These functions recognise the shapes and say what the cell
 * probably was, for the messages of the number and period readers.
 */
#ifndef SHNOR_DATELIKE_H
#define SHNOR_DATELIKE_H

#include <stddef.h>

typedef struct {
    int y; /* 1900..2999, or 0 when the text shows no year */
    int m; /* 1..12 */
    int d; /* 1..31, or 0 when the text shows no day */
    int short_year; /* the year was written with two digits */
} datelike;

/*
 * Does s[0..len) (spaces around it allowed) look like a date as a spreadsheet
 * shows one? 12.05.2023, 12/05/23, 2023-05-12 (each with an optional time),
 * 05.мар, 5 марта, 5-Mar, мар.22, май 2023, Mar-22. Returns 1 and fills *out,
 * else 0.
 */
int datelike_read(const char *s, size_t len, datelike *out);

/*
 * Writes into buf (always NUL-terminated) why the text s, which is a date,
 * is not a number, and what it probably was. Returns 1, or 0 (buf "") when
 * s is not date-like.
 */
int datelike_number_hint(const char *s, size_t len, char *buf, size_t buflen);

/* The same for a cell that should hold a period: the month or academic year
   the date falls in. */
int datelike_period_hint(const char *s, size_t len, char *buf, size_t buflen);

#endif
