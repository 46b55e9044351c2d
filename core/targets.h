/*
 * targets.h — evaluating a pack's target indicators (целевые показатели) for
 * one period: for each target and scope unit (a school, or a pooled category)
 * the baseline, the actual value, the level it had to reach, and whether it
 * was met.
 *
 * Decided edge rules (README, "Targets"):
 *  1. The scope is the schools listed at the listing period: `listed_in`, else
 *     the baseline period (else the target's period), evaluated with the same
 *     pack on the same data. Schools that joined the category later are not
 *     counted, schools that left it still are; every row says so.
 *  2. A missing baseline or actual value gives insufficient_data with the
 *     reason; never met, never not_met.
 *  3. A zero baseline: reduce_relative is met only when the actual is 0 too;
 *     increase_relative is met when the actual is above 0.
 *  4. Comparisons at the boundary are made to 12 significant digits, so binary
 *     floating point never turns 0.20 -> 0.18 against 10 % into "not met".
 *  5. A pooled scope uses the schools with both values (baseline and actual),
 *     weighted by `weight_by` at the same period when given, else plainly.
 */
#ifndef SHNOR_TARGETS_H
#define SHNOR_TARGETS_H

#include <stdio.h>

#include "eval.h"
#include "json.h"

enum { TG_MET = 1, TG_NOT_MET = 2, TG_INSUFFICIENT = 3 };
enum { TG_LE = 1, TG_GE = 2, TG_GT = 3, TG_LT = 4 };

typedef struct {
    int target;                   /* index into the pack's targets */
    int school;                   /* dataset index; -1 for a pooled row */
    char scope[80];               /* school code, category or cohort id, or "all" */
    shnor_period listed_in;       /* the listing the scope comes from (kind 0: none) */
    shnor_period baseline_period; /* kind 0 when the kind has no baseline */
    shnor_period period;
    shnor_period checkpoint;            /* kind 0 unless evaluated for --due-by */
    double baseline, actual, threshold; /* NAN when missing */
    int op;       /* how actual is compared with threshold: TG_LE, TG_GE, TG_GT, TG_LT */
    int status;   /* TG_* */
    char *reason; /* why insufficient_data; NULL otherwise */
    char *method; /* how the value was computed, for people (pooled rows) */
    int members;  /* pooled: schools in the scope; used: with both values */
    int used;
} tg_row;

/* Process targets (assignments_done) read the stored assignments: the caller
   gives, per school (dataset index, -1 the office), how many of its
   assignments of the pack are due within `period` and how many of those were
   done by their due date. Returns 0, or -1 on error. */
typedef int (*tg_assignments_fn)(void *arg, int school, shnor_period period, long *due,
                                 long *done_on_time);

typedef struct {
    pack *p;
    dataset *ds;
    shnor_period period;
    shnor_date due_by; /* 0, or the control points due by it (rows: those not met) */
    long met_dropped;  /* with due_by: the met rows left out */
    tg_row *rows;
    size_t n, cap;
    strbuf err;
} target_results;

/*
 * Evaluates every target of p for period on ds (the pack's listings at the
 * listing periods are evaluated on the way): a target with checkpoints that
 * end within period at each of them, any other at period. When due_by > 0, evaluates
 * instead each checkpoint whose last day is on or before due_by, and keeps
 * only the rows not met. known, when not NULL, is the pack's listing of its
 * own period already evaluated on ds (borrowed: reused, not evaluated again).
 * assignments may be NULL (process targets then give insufficient_data).
 * Returns SHNOR_OK with *out, else a status with the message in (*out)->err.
 * The caller frees *out with targets_free.
 */
int targets_eval(pack *p, dataset *ds, shnor_period period, shnor_date due_by,
                 evaluation *known, tg_assignments_fn assignments, void *arg,
                 target_results **out);
void targets_free(target_results *r);

/* "<=", ">=", ">", "<" for a TG_* comparison ("" for none). */
const char *target_op_text(int op);

/* "met", "not_met", "insufficient_data". */
const char *target_status_name(int status);

/*
 * Writes the results: table (the indicator's unit, status coloured when
 * color), CSV (header target,kind,scope,indicator,baseline_period,baseline,
 * period,actual,threshold,status, then reason,method,checkpoint,title) or
 * JSON. 0, or -1 when writing failed.
 */
int targets_write(const target_results *r, shnor_format format, FILE *out, int color,
                  int width);

/* What a target's kind means, in Russian, with its threshold ("снижение не
   менее чем на 10% от базового значения (reduce_relative)"). */
void target_kind_text(const pack_target *t, const indicator *ind, strbuf *sb);

/* One result as a JSON object (the elements of the JSON output). */
void targets_json_row(const target_results *r, const tg_row *row, json_writer *w);

#define TARGETS_CSV_HEADER                                                                 \
    "target,kind,scope,indicator,baseline_period,baseline,period,actual,threshold,status," \
    "reason,method,checkpoint,title"
/* One result as a CSV line, without its line end, appended to out. */
void targets_csv_row(const target_results *r, const tg_row *row, strbuf *out);

#endif
