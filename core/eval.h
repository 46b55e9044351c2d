/*
 * eval.h — evaluating a pack over every school of a dataset for one period:
 * which criteria fire, which schools are listed in which category, and every
 * value read on the way, so each listing explains itself.
 *
 * Fail closed: a criterion that raises an error is never "not listed". When
 * it had read a missing value (or called shnor.insufficient), the school gets
 * insufficient_data for it; any other error ends the evaluation with the pack,
 * criterion, school, message and traceback.
 */
#ifndef SHNOR_EVAL_H
#define SHNOR_EVAL_H

#include <stdint.h>

#include "dataset.h"
#include "pack.h"

enum { CRIT_NOT = 0, CRIT_FIRED = 1, CRIT_INSUFFICIENT = 2, CRIT_SKIPPED = 3 };
enum { ROW_LISTED = 1, ROW_INSUFFICIENT = 2, ROW_EXCLUDED = 3 };

/* Reads made outside criteria: by `list`, a cohort test, a mentor function. */
enum { READ_BY_LIST = -1, READ_BY_COHORT = -3, READ_BY_MENTOR = -4, READ_BY_EXIT = -5 };

/* What a read was. */
enum {
    READ_VALUE = 1,  /* s:value(indicator, period) */
    READ_MEAN,       /* shnor.mean */
    READ_PERCENTILE, /* shnor.percentile (q) */
    READ_RANK,       /* shnor.rank: value = rank, q = schools ranked */
    READ_COUNT,      /* shnor.count */
    READ_BOTTOM,     /* shnor.bottom: value = 1/0, q = share */
    READ_ATTR,       /* s:attr(name) */
    READ_LISTED      /* s:listed(period, category): value = 1/0 */
};

typedef struct {
    uint8_t kind;
    int16_t criterion; /* index in the pack, -1 for the list function */
    int32_t col;       /* dataset column, -1 when none */
    int32_t scope;     /* population scope */
    int32_t name;      /* READ_ATTR / READ_LISTED: index into the name table */
    double q;
    double value; /* NAN when missing */
} ev_read;

typedef struct {
    int school;
    int category;
    int status;          /* ROW_* */
    uint32_t first_crit; /* criteria that fired (listed) or lacked data: */
    uint32_t ncrits;     /*   row_crits[first_crit .. first_crit + ncrits) */
    uint32_t first_read; /* the reads of those criteria (and of `list`) */
    uint32_t nreads;
    char *reason;        /* insufficient_data: what was missing */
    int reason_explicit; /* the reason came from shnor.insufficient() */
    int held;            /* kept on the list by the pack's exit rule */
    int misses;          /* held: periods in a row without meeting the criteria */
    int cohort;          /* index into the pack's cohorts, -1 when none */
    int cohort_unknown;  /* no cohort: a cohort test lacked data to tell */
    char *mentor;        /* code of the base school, NULL when none */
    const ds_override *override; /* the person's decision applied, or NULL */
} ev_row;

typedef struct evaluation {
    pack *p;
    dataset *ds;
    shnor_period period;
    char period_text[SHNOR_PERIOD_MAX];

    int8_t *results; /* nschools x ncrits, CRIT_* */

    ev_row *rows;
    size_t nrows, caprows;
    int *row_crits;
    size_t nrow_crits, caprow_crits;
    ev_read *reads;
    size_t nreads, capreads;
    char **names; /* attribute and category names used by reads */
    size_t nnames;
    strmap *name_index;

    size_t evaluated;
    size_t *listed;       /* per category */
    size_t *insufficient; /* per category */

    strbuf err; /* message when evaluation failed */
} evaluation;

/* Fills [-0, +0] what the Lua side of the evaluation needs (bridge.c). */
struct bridge;

/*
 * Evaluates pack p over every school of ds for period. Returns SHNOR_OK with
 * *out; SHNOR_PACK or SHNOR_LIMIT with the message in (*out)->err; SHNOR_NOMEM.
 * The caller frees *out with eval_free (also on failure).
 */
int eval_listing(pack *p, dataset *ds, shnor_period period, evaluation **out);
/* The same, in two halves at once from halves_from schools (eval_listing:
   2,048, or $SHNOR_PARALLEL_FROM). */
int eval_listing_from(pack *p, dataset *ds, shnor_period period, size_t halves_from,
                      evaluation **out);
void eval_free(evaluation *ev);

/* Appends a warning line to out for each override of the evaluated period
   that names a category pack p does not have (it applies nowhere), and one
   for each category (or spelling of the pack's id) of listings imported as
   data that the pack cannot read: they would count as "not listed". */
void eval_note_stray_overrides(const evaluation *ev, strbuf *out);
/* 1 when no school of ev had the data to decide any category (all
   insufficient data), with why in out — most likely a period of another
   kind than the pack works by, or values not imported yet; else 0. asked is
   the period the user asked for when ev is the list of another (a run's
   roadmap_listing), kind 0 when it is ev's own: the message names it, and
   the periods it suggests are periods to ask for. */
int eval_nothing_decided(const evaluation *ev, shnor_period asked, strbuf *out);

/* On a database: every school the pack's mentor groups and its targets'
   `schools` scopes name, and every mentor its `mentors` function gave, is a
   school of ev's data (a misspelt code would print a mentor that does not
   exist, drop a school's, or leave a target insufficient_data for good).
   SHNOR_OK, or SHNOR_PACK with the message in err. Not for a pack's test
   cases, whose schools are a few of the order's. */
int eval_check_codes(const evaluation *ev, strbuf *err);

/* The index of name in ev->names, added when new; -1 on OOM. */
int eval_name(evaluation *ev, const char *name);

#endif
