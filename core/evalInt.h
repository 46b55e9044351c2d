/*
 * evalInt.h — private to the evaluation: what eval.c (one range of schools
 * in one state) gives eval_halves.c (the whole evaluation, in one state or
 * in two halves at once), and what eval_call.c (one call of a pack's
 * function) gives eval.c.
 */
#ifndef SHNOR_EVALINT_H
#define SHNOR_EVALINT_H

#include "bridge.h"
#include "eval.h"

/* Size of one reason kept for a criterion, with its terminating NUL. */
#define REASON_MAX 320

/* Per-school working state. */
typedef struct {
    size_t *read_from, *read_to; /* scratch range of each criterion's reads */
    char *reasons;               /* ncrits x REASON_MAX */
    size_t extra_from;           /* reads of list/exit/cohort/mentor for the category */
} school_work;

/*
 * Starts an evaluation with its per-school working space on the pack's
 * bridge and a new budget. *out is set whenever memory allowed; SHNOR_OK or
 * SHNOR_NOMEM (with the message in (*out)->err).
 */
int eval_start(pack *p, dataset *ds, shnor_period period, school_work *w, evaluation **out);
/* Ends what eval_start began on the pack's bridge and sandbox. */
void eval_stop(evaluation *ev);
void eval_work_free(school_work *w);

/* Evaluates schools [from, to) into ev: SHNOR_OK, or a status with ev->err. */
int eval_schools(evaluation *ev, school_work *w, size_t from, size_t to);

/*
 * Moves the rows of wev (another state's evaluation of schools [from, to))
 * into ev, behind its own: the output is what one evaluation in school order
 * makes. 0 or -1 (out of memory).
 */
int eval_merge(evaluation *ev, evaluation *wev, size_t from, size_t to);

/*
 * Runs the function on the stack with nargs arguments in protected mode;
 * returns CRIT_FIRED / CRIT_NOT / CRIT_INSUFFICIENT (with a reason; a leading
 * '!' marks one the pack gave), CRIT_SKIPPED for a nil result when
 * nil_is_skip, else CRIT_INSUFFICIENT for a nil after a missing value read
 * (without keep), or -1 after filling ev->err. For non-boolean results the
 * value is left on the stack when keep is set (then 1 result stays pushed).
 * what_fmt with what_id says what was called, for the message; it is
 * formatted only on failure (a criterion is called millions of times).
 */
int eval_run_call(evaluation *ev, bridge *b, int nargs, const char *what_fmt,
                  const char *what_id, char *reason, int nil_is_skip, int keep);

/*
 * Describes a failed call for the user in ev->err: the pack, where it was
 * (what: criterion or function; the school) and msg. Returns status.
 */
int eval_fail(evaluation *ev, bridge *b, int status, const char *what, const char *msg);

#endif
