/*
 * run.h — a run: one pack evaluated for a period (its listing with
 * explanations, its targets, its roadmap) on one snapshot of the data, with
 * a fingerprint of every value read, then kept as an append-only record.
 * `shnor run` makes them, `replay` re-evaluates one from its stored source,
 * `whatif` evaluates without keeping anything.
 *
 * The listing a run keeps is the one its roadmap serves: the period plus the
 * pack's roadmap_listing (Sergokala's 2023 run keeps the list made from the
 * 2022 results, and its roadmap for 2023).
 */
#ifndef SHNOR_RUN_H
#define SHNOR_RUN_H

#include <lua.h>

#include "roadmap.h"
#include "shnor.h"
#include "targets.h"

/* What evaluates a run, kept with it: the engine's rules (what a criterion's
   nil means, what is the pack's error) are this build's, and Lua's. */
#define RUN_ENGINE "shnor " SHNOR_VERSION " (" LUA_RELEASE ")"

/* Pseudo-columns of a run's fingerprint for what it read besides values:
   the people's overrides, the earlier listings (kept runs, imports) and,
   for a pack with process targets, its assignments (a run kept before
   that pseudo-column existed has none: not recorded, not a change). */
#define RUN_OVERRIDES   "#overrides"
#define RUN_LISTINGS    "#listings"
#define RUN_ASSIGNMENTS "#assignments"

/* A run keeps the modules the pack loaded under their names, and the other
   modules its require could have loaded (the lib directory's NAME.lua
   files) as RUN_AVAILABLE "NAME", so that a replay whose data reaches a
   require the run never did finds it: each up to RUN_MODULE_MAX bytes,
   RUN_AVAILABLE_MAX in all, in name order. */
#define RUN_AVAILABLE     "?"
#define RUN_MODULE_MAX    ((size_t)1 << 20)
#define RUN_AVAILABLE_MAX ((size_t)16 << 20)

/* The fingerprint of one column read: SHA-256 of its values in school order. */
typedef struct {
    char *indicator;
    char period[SHNOR_PERIOD_MAX];
    long count;
    char sha256[65];
} run_column;

/* The run's own fingerprint: SHA-256 of the columns' "indicator\tperiod\t
   count\tsha\n" lines (cols sorted), leaving out the column named skip
   (NULL: none) — a replay of a run kept without it compares like that. */
void run_data_sha256(const run_column *cols, size_t ncols, const char *skip,
                     char out[65]);

/* The fingerprint of the overrides pack_id can read (those for it or for
   every pack): SHA-256 of their "id\tschool\tperiod\tpack\tcategory\t
   include\n" lines into out; returns how many. pack_id NULL: every override
   (how runs were fingerprinted before 2026-12-04; a replay accepts either). */
long run_overrides_fingerprint(const dataset *d, const char *pack_id, char out[65]);

typedef struct {
    pack *p;
    shnor_period period, listing_period;
    char period_text[SHNOR_PERIOD_MAX], listing_text[SHNOR_PERIOD_MAX];
    dataset *ds;
    evaluation *ev;     /* the listing at listing_period */
    target_results *tr; /* the targets at period */
    roadmap *rm;        /* the roadmap of period */
    run_column *cols;   /* sorted by indicator code, then period */
    size_t ncols;
    char data_sha256[65];
    int64_t last_batch;
    char started[24], finished[24];
} run_result;

/*
 * Evaluates pack p for period on the database, in one read transaction; with
 * apply, the roadmap's assignments not stored yet count for process targets
 * as they will be once the run is kept. Returns SHNOR_OK with *out;
 * otherwise the status with the message in err (*out may be set and must be
 * freed with run_free).
 */
int run_evaluate(shnor *db, pack *p, shnor_period period, int apply, run_result **out,
                 strbuf *err);
void run_free(run_result *r);

/*
 * Keeps r as a run in one transaction: the pack's source and modules (stored
 * once by SHA-256), the run, its listing, reads, targets and roadmap; with
 * apply, the roadmap's assignments too (idempotently). *id is the new run;
 * limits are those the evaluation ran under. On failure nothing is written
 * and the message is on db.
 */
int run_store(shnor *db, run_result *r, const shnor_limits *limits, int apply,
              int64_t *id);

/* Assignment counts for process targets, from the stored assignments of a
   pack (the tg_assignments_fn of targets.h). */
typedef struct run_plan_counts run_plan_counts;
int run_plan_counts_load(shnor *db, const dataset *ds, const char *pack_id,
                         run_plan_counts **out);
int run_plan_counts_get(void *arg, int school, shnor_period period, long *due,
                        long *done);
void run_plan_counts_free(run_plan_counts *pc);
/* Adds an owed assignment of owner (id 0: one a run is about to store); 0 or
   -1 on OOM. */
int run_plan_counts_add(run_plan_counts *pc, const char *owner, shnor_date due, int on_time,
                        int64_t id);
/* Removes the stored assignment id of owner (one a run withdraws). */
void run_plan_counts_drop(run_plan_counts *pc, const char *owner, int64_t id);
/* The RUN_ASSIGNMENTS column: the fingerprint of the assignments pc counts
   into col (sha256, count); 0, or -1 on OOM. */
int run_plan_counts_fingerprint(const run_plan_counts *pc, run_column *col);

#endif
