/*
 * due.h — deadlines as the seed documents write them ("Сроки"), parsed into
 * something a roadmap can date.
 *
 * A due text is parsed once, without a period (so `shnor check` can reject an
 * unparseable one with file:line), then expanded within the period a roadmap
 * is built for:
 *
 *  - explicit dates, months, ranges and years that carry a year ("Март 2023",
 *    "май 2023, 2024 г.г.", "Сентябрь 2023 – март 2024", "2023 г.",
 *    "15.05.2023", "2023-05-15", "2023-05") are absolute: they are kept as
 *    written whatever the period, because the documents routinely date
 *    preparatory items before their nominal year;
 *  - months without a year ("январь", "февраль-апрель", "Февраль Март Апрель")
 *    are placed in the period: in an academic year 2022/23 August..December
 *    fall in 2022 (August being the month of preparation before the school
 *    year) and January..July in 2023; in any calendar period, in the
 *    year of the period's months (a month outside a short period yields no
 *    occurrence). A range whose end month precedes its start month wraps into
 *    the next year ("Октябрь-февраль");
 *  - recurrences expand into one occurrence per cycle whose deadline lies in
 *    the period: weekly (ISO weeks, due on Sunday), monthly (due on the last
 *    day), school terms ("четверть": Sep-Oct, Nov-Dec, Jan-Mar, Apr-May),
 *    calendar quarters ("ежеквартально"), halves ("по полугодиям": Sep-Dec and
 *    Jan-May in an academic year, Jan-Jun and Jul-Dec otherwise), yearly
 *    ("ежегодно": once per year, or at the named months), and "N раз в год
 *    (январь, июнь)" at the named months. In an academic year, weekly and
 *    monthly cycles run September to May (the summer is a holiday);
 *  - open forms ("в течение года", "в течение учебного года", "постоянно",
 *    "систематически", "по отдельному графику", "по плану работы", "в течение
 *    срока реализации программы") run from the period's first day and are due
 *    on its last day.
 *
 * A text combining forms is the union of its parts: "январь В течение года"
 * is January plus an open item; an open phrase around a recurrence ("В течение
 * года, 1 раз в месяц") is the recurrence.
 */
#ifndef SHNOR_DUE_H
#define SHNOR_DUE_H

#include <stddef.h>

#include "shnor.h"

typedef struct due_spec due_spec;

typedef enum {
    DUE_ONCE = 1,      /* dates, months, ranges, years: fixed occurrences */
    DUE_RECURRING = 2, /* a cycle (weekly, monthly, terms, ...) */
    DUE_OPEN = 3,      /* in the course of the period; due at its end */
    DUE_MIXED = 4      /* a union of the above */
} due_kind;

typedef struct {
    shnor_date start; /* first day of the window */
    shnor_date due;   /* deadline: the window's last day */
} due_occurrence;

/*
 * Parses text. Returns SHNOR_OK with *out (caller frees with due_free), or
 * SHNOR_INPUT with a message in err quoting the text and the part that was not
 * understood, and listing the accepted forms. NULL or "" (the document gives
 * no deadline) parses as an open form.
 */
int due_parse(const char *text, due_spec **out, char *err, size_t errlen);
void due_free(due_spec *d); /* accepts NULL */

due_kind due_get_kind(const due_spec *d);

/*
 * A short normalised Russian description for tables ("ежемесячно",
 * "февраль–апрель 2023", "до конца периода"). Borrowed until due_free.
 */
const char *due_describe(const due_spec *d);

/*
 * The occurrences of d within period p, sorted by deadline, one per deadline
 * (two with the same deadline are one, from the earlier start: an assignment
 * is an activity, an owner and a deadline): *occ is malloc'ed (caller frees; NULL when *n is 0). Returns
 * SHNOR_OK, SHNOR_NOMEM, or SHNOR_MISUSE for an invalid period.
 */
int due_expand(const due_spec *d, shnor_period p, due_occurrence **occ, size_t *n);

#endif
