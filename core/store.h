/*
 * store.h — the SQLite side of shnor: opening, schema migrations,
 * transactions, error mapping and the data-access functions every other
 * module goes through. Only store*.c files call sqlite3_*.
 *
 * Transactions are always BEGIN IMMEDIATE: a deferred transaction that reads
 * and then writes fails under WAL whatever the busy timeout (measured, see
 * DESIGN.md), while an immediate one waits for the writer lock.
 */
#ifndef SHNOR_STORE_H
#define SHNOR_STORE_H

#include <sqlite3.h>

#include "model.h"
#include "shnorInt.h"

/* PRAGMA application_id of a shnor database ("SHNR"). */
#define STORE_APPLICATION_ID 0x53484E52

/* Opens db->sql at path, checks it is a shnor database, sets the pragmas and
   migrates. flags are SHNOR_OPEN_*. On failure sets db->err. */
int store_open(shnor *db, const char *path, unsigned flags);
/* Finalizes cached statements and closes the connection. */
void store_close(shnor *db);

/* Migrates a fresh or older database to exactly `version` (tests use it to
   make databases of older versions). */
int store_migrate_to(shnor *db, int version);

int store_begin(shnor *db);
/* As store_begin, but without waiting for another writer: SHNOR_DB at once
   when the database is locked (for a write that is only a trial). */
int store_begin_now(shnor *db);
int store_commit(shnor *db);
/* Rolls back if a transaction is open; keeps the current error message. */
void store_rollback(shnor *db);

/* Runs SQL without parameters (schema, pragmas). */
int store_exec(shnor *db, const char *sql);
/* Prepares sql; on failure sets the error and returns it. Caller finalizes. */
int store_prepare(shnor *db, const char *sql, sqlite3_stmt **out);
/* A cached statement (STMT_*), reset and with bindings cleared; NULL on error. */
sqlite3_stmt *store_stmt(shnor *db, int which);

/*
 * Maps an SQLite result code to a shnor status and sets a message naming the
 * database and what was being done ("importing values"), with SQLite's own
 * message. Returns the status.
 */
int store_fail(shnor *db, int rc, const char *doing);

/* A column read as text ("" for NULL); borrowed until the next step. */
const char *store_text(sqlite3_stmt *st, int col);
/* A column read as a double, NAN for NULL. */
double store_real(sqlite3_stmt *st, int col);

/* What an upsert did. */
enum { STORE_UNCHANGED = 0, STORE_INSERTED = 1, STORE_UPDATED = 2 };

/* ---- store_ref.c: territories, schools, indicators ---- */

/* The id of the territory called name, creating it (under parent_id when not
   0) when absent; an existing territory gets parent_id when it is given (a
   newer register moves it: *moved is set). A parent_id that is the territory
   itself is refused with SHNOR_INPUT. */
int store_territory_ensure(shnor *db, const char *name, int64_t parent_id, int64_t *id,
                           int *moved);
/* A territory that is its own region through its parents (malloc'ed into
   *name, caller frees), or *name = NULL when the regions are a tree. */
int store_territory_cycle(shnor *db, char **name);

typedef struct {
    const char *code;       /* required */
    const char *name;       /* required */
    int64_t territory_id;   /* required */
    const char *kind;       /* NULL: keep what is stored */
    const char *settlement; /* NULL: keep what is stored */
} store_school;

/* Inserts or updates the school with this code; *outcome is STORE_*. */
int store_school_upsert(shnor *db, const store_school *s, int64_t *id, int *outcome);
/* Sets one free attribute of a school; *changed is 1 when it was new or different. */
int store_school_attr_set(shnor *db, int64_t school_id, const char *name, const char *value,
                          int *changed);

/* Calls fn(arg, code, id) for every school; stops when fn returns non-zero. */
int store_school_each(shnor *db, int (*fn)(void *arg, const char *code, int64_t id), void *arg);

/* Every indicator, ordered by code. *out is malloc'ed; free with indicators_free. */
int store_indicators_load(shnor *db, indicator **out, size_t *n);
/*
 * Inserts or updates the indicator with ind->code (ind->id is set). keep
 * (STORE_KEEP_MIN, STORE_KEEP_MAX) keeps a stored bound whatever ind says
 * (the file had no such column). Refused with SHNOR_INPUT, and *outcome
 * STORE_REFUSED_UNIT or STORE_REFUSED_BOUNDS: changing the unit of an
 * indicator that has values (the stored numbers would change meaning), a
 * new unit whose range a kept bound falls outside (STORE_REFUSED_UNIT), and
 * bounds that stored values fall outside (an export would no longer import).
 */
enum { STORE_KEEP_MIN = 1, STORE_KEEP_MAX = 2 };
enum { STORE_REFUSED_UNIT = 3, STORE_REFUSED_BOUNDS = 4 };
int store_indicator_upsert(shnor *db, indicator *ind, unsigned keep, int *outcome);

/* Calls fn for every school ordered by code, with its territory, the
   territory's parent (region, "" when none) and its attributes as parallel
   arrays ordered by name. Stops when fn returns non-zero. */
typedef struct {
    const char *code, *name, *territory, *region, *kind, *settlement; /* "" when NULL */
    size_t nattrs;
    const char *const *attr_names;
    const char *const *attr_values;
} store_school_row;
int store_school_rows(shnor *db, int (*fn)(void *arg, const store_school_row *row),
                      void *arg);
/* The attribute names known (columns imported, values kept), sorted; *names
   malloc'ed (free each and the array). */
int store_attr_names(shnor *db, char ***names, size_t *n);
/* The names of the territories, oldest first, malloc'ed as store_attr_names'. */
int store_territory_names(shnor *db, char ***names, size_t *n);
/* Records an attribute column of the register, whether or not a cell has a value. */
int store_attr_column_add(shnor *db, const char *name);

/* ---- store_obs.c: import batches and observations ---- */

typedef struct {
    const char *kind;     /* "values", "schools", ... */
    const char *source;   /* file name as given */
    const char *sha256;   /* hex digest of the file's bytes */
    const char *encoding; /* as detected or forced */
    const char *user;
} store_batch_info;

int store_batch_create(shnor *db, const store_batch_info *b, int64_t *id);
int store_batch_finish(shnor *db, int64_t id, long rows, long inserted, long replaced,
                       long unchanged);

/* One observation to write; period is canonical text. */
typedef struct {
    int64_t indicator_id, school_id;
    const char *period; /* borrowed until store_obs_put_many returns */
    size_t period_len;
    double value;
} store_obs_row;

/*
 * Writes every observation next(arg, &row) gives (1 with row filled, 0 after
 * the last) as batch, in one statement: each is inserted, or replaces the
 * stored value when different (the old value goes to observation_history by
 * trigger). *changed is how many were written. Given in the table's key order
 * (indicator id, period, school id), new rows are appended to the b-tree.
 */
int store_obs_put_many(shnor *db, int64_t batch, int (*next)(void *arg, store_obs_row *row),
                       void *arg, long *changed);
/* Registers the table-valued function store_obs_put_many reads its rows from
   on the connection (store.c calls it when opening). */
int store_obs_register(shnor *db);
/* How many values batch replaced. */
int store_obs_replaced(shnor *db, int64_t batch, long *n);

/* Calls fn for every observation ordered by school code, indicator code and
   period text. Stops when fn returns non-zero. */
int store_obs_each(shnor *db,
                   int (*fn)(void *arg, const char *school, const char *indicator,
                             const char *period, double value),
                   void *arg);

/* ---- store_eval.c: what an evaluation reads ---- */

/* A read transaction: every read until store_end_read sees one snapshot. */
int store_begin_read(shnor *db);
void store_end_read(shnor *db);

typedef struct {
    int64_t id;
    const char *code, *name, *territory, *region, *kind, *settlement; /* region "" when none */
} store_school_brief;

/* Every school ordered by code; then every attribute (school id, name, value). */
int store_eval_schools(shnor *db, int (*fn)(void *arg, const store_school_brief *s), void *arg);
int store_eval_attrs(shnor *db,
                     int (*fn)(void *arg, int64_t school_id, const char *name, const char *value),
                     void *arg);
/* Every attribute column of the register, also one whose cells are all empty. */
int store_eval_attr_columns(shnor *db, int (*fn)(void *arg, const char *name), void *arg);
/* The values of one indicator in one period: fn(arg, school_id, value). */
int store_obs_column(shnor *db, int64_t indicator_id, const char *period,
                     void (*fn)(void *arg, int64_t school_id, double value), void *arg);
/* Overrides not revoked (revoked_too: all of them), in the order they were made. */
typedef struct {
    int64_t id;
    const char *school, *period, *pack_id, *category, *action, *reason, *by, *at;
    const char *revoked_at; /* "" while in force */
} store_override;
int store_overrides_each(shnor *db, int revoked_too,
                         int (*fn)(void *arg, const store_override *o), void *arg);

/* An earlier listing: kept by the latest run of a pack for that period
   (from_run), or imported as data. A row with school "" marks that such a
   run exists, even when it listed nobody. */
typedef struct {
    const char *school, *period, *pack_id, *category, *cohort;
    int from_run;
} store_listing;
int store_listings_each(shnor *db, int (*fn)(void *arg, const store_listing *l), void *arg);

/* ---- store_plan.c: activities, assignments, overrides ---- */

typedef struct {
    const char *pack_id, *key, *section, *title, *due_text, *responsible, *coexecutors,
        *result, *indicator, *document;
    int position;
} store_activity;

/* Inserts or updates the catalogue entry (pack_id, key); *id is its id. */
int store_activity_upsert(shnor *db, const store_activity *a, int64_t *id);

/*
 * Creates the assignment (activity, owner, period, due) unless it exists;
 * never changes an existing one. *created is 1 when it was new; *id, status
 * (16 bytes) and *status_auto (may be NULL: 1 while no person has set a
 * status) describe the stored row.
 */
int store_assignment_ensure(shnor *db, int64_t activity_id, const char *owner,
                            const char *period, const char *start, const char *due,
                            int *created, int64_t *id, char status[16], int *status_auto);
/* The stored assignment for (pack, key, owner, period, due): *id 0 when none. */
int store_assignment_find(shnor *db, const char *pack_id, const char *key, const char *owner,
                          const char *period, const char *due, int64_t *id, char status[16],
                          int *status_auto);

/* An assignment the roadmap of a period made (its period column). */
typedef struct {
    int64_t id;
    const char *owner, *key, *due, *status;
    int status_auto;
} store_made;
/* The assignments of pack_id made for period, by owner, due date, position;
   fn returns nonzero to stop. Strings are borrowed for the call. */
int store_assignments_made(shnor *db, const char *pack_id, const char *period,
                           int (*fn)(void *arg, const store_made *m), void *arg);
/* A planned assignment whose status is still shnor's is cancelled with reason
   as evidence, dated date, by 'shnor'; any other is left (*changed 0). */
int store_assignment_withdraw(shnor *db, int64_t id, const char *reason, const char *date,
                              int *changed);
/* A withdrawn one (cancelled, status still shnor's) is planned again, and
   belongs from then on to period's roadmap, which made it again: the period
   that withdrew it no longer sees it (an item two periods' roadmaps make,
   such as «май 2023, 2024 г.г.», would otherwise flip at each re-apply). */
int store_assignment_restore(shnor *db, int64_t id, const char *period, int *changed);

/*
 * Sets a status (and evidence and date when not NULL; the date defaults to
 * today when the status changes) by `by` (NULL: $USER). A call that changes
 * nothing writes nothing: *changed (may be NULL) says which it was. With
 * claim, the same status as shnor's is written too, as the person's: a
 * roadmap applied again then keeps it instead of withdrawing it.
 * SHNOR_NOTFOUND when there is no such id.
 */
int store_assignment_set(shnor *db, int64_t id, const char *status, const char *evidence,
                         const char *date, const char *by, int claim, int *changed);

typedef struct {
    int64_t id;
    const char *owner, *pack_id, *key, *title, *section, *period, *start, *due, *status,
        *evidence, *status_date, *status_by, *responsible, *created_at, *created_by;
} store_assignment;
/* Assignments ordered by owner, due date, pack, position, id; owner and pack
   filter when not NULL. */
int store_assignments_each(shnor *db, const char *owner, const char *pack_id,
                           int (*fn)(void *arg, const store_assignment *a), void *arg);

/* One change of an assignment, as assignment_history has it: when (UTC,
   ISO 8601), the status, evidence, status date, by whom, and the period it
   was then owed in ("" in rows older than schema version 5). */
typedef struct {
    const char *at, *status, *evidence, *status_date, *status_by, *period;
} store_assignment_change;

/* Assignment id to fn, then each of its changes, oldest first, to change.
   SHNOR_NOTFOUND when there is no such id. */
int store_assignment_show(shnor *db, int64_t id,
                          int (*fn)(void *arg, const store_assignment *a),
                          int (*change)(void *arg, const store_assignment_change *c), void *arg);

/* Records an override; SHNOR_NOTFOUND when the school is unknown. */
/* *seen: whether a kept run, a stored roadmap or an imported listing names
   pack_id (for a word on a mistyped --pack). */
int store_pack_seen(shnor *db, const char *pack_id, int *seen);
int store_override_add(shnor *db, const char *school, const char *period, const char *pack_id,
                       const char *category, int include, const char *reason, const char *by,
                       int64_t *id);
/* Revokes an override (it stays in the table with revoked_at); SHNOR_NOTFOUND. */
int store_override_revoke(shnor *db, int64_t id);

/* An earlier listing imported as data (replaces the same key); *outcome is
   STORE_INSERTED, STORE_UPDATED (another cohort) or STORE_UNCHANGED. */
int store_listing_put(shnor *db, int64_t school_id, const char *period, const char *pack_id,
                      const char *category, const char *cohort, int64_t batch, int *outcome);

/* The id of a school by code, 0 when absent. */
int store_school_id(shnor *db, const char *code, int64_t *id);

/* ---- store_run.c: runs, append-only ---- */

typedef struct {
    int64_t id;
    const char *pack_id, *version, *title, *order, *path, *sha256;
    const char *period, *listing_period, *data_sha256;
    const char *user, *started_at, *finished_at;
    const char *engine; /* RUN_ENGINE of the build that kept it; "" before schema 7 */
    int64_t last_batch; /* the last import batch the run could see */
    int64_t mem_limit, instr_limit;
    double time_limit;
    long schools, listed, insufficient, assignments;
    int roadmap_applied;
} store_run;

typedef struct {
    int seq;
    const char *school, *name, *territory, *category, *category_title, *status, *criteria,
        *cohort, *mentor, *override, *explanation, *json;
    const char *cohort_title; /* read from json (not written by store_run_listing); ""
                                 when the run kept none */
} store_run_listing_row;

typedef struct {
    int seq, listing_seq;
    const char *criterion, *kind, *indicator, *period;
    double value; /* NAN when missing */
} store_run_read_row;

typedef struct {
    int seq;
    const char *target, *title, *kind, *meaning, *scope, *indicator, *unit, *baseline_period;
    double baseline;
    const char *period;
    double actual, threshold;
    const char *comparison, *status, *reason, *method, *checkpoint, *listed_in, *json;
} store_run_target_row;

typedef struct {
    int seq;
    const char *activity, *section, *title, *due_text, *responsible, *coexecutors, *result,
        *indicator, *document, *owner, *start, *due;
    int64_t assignment_id; /* the stored assignment (by this run or an earlier
                              one), 0 when none was stored */
    const char *status;    /* the assignment's status now (planned, in_progress,
                              done, cancelled), "new" when none was stored */
} store_run_item_row;

/* Stores a pack or module text under its SHA-256 once (no-op when present). */
int store_source_put(shnor *db, const char *sha256, const char *text, size_t len);
/* The stored text (caller frees *text); SHNOR_NOTFOUND when absent. */
int store_source_get(shnor *db, const char *sha256, char **text, size_t *len);
/* The id of the latest import batch (0 when none). */
int store_last_batch(shnor *db, int64_t *id);

/* The latest run before `run` of the same pack and listing period (0 when
   none): the list `run` replaces as the one later periods read. */
int store_run_replaced(shnor *db, int64_t run, int64_t *earlier);
/* Inserts the run row; *id is its id. Inside the caller's transaction. */
int store_run_insert(shnor *db, const store_run *r, int64_t *id);

/* Writes the parts of run `run` with statements prepared once. */
typedef struct store_run_writer store_run_writer;
int store_run_writer_open(shnor *db, int64_t run, store_run_writer **out);
void store_run_writer_close(store_run_writer *w); /* accepts NULL */
int store_run_module(store_run_writer *w, const char *name, const char *sha256);
int store_run_column(store_run_writer *w, const char *indicator, const char *period, long count,
                     const char *sha256);
int store_run_listing(store_run_writer *w, const store_run_listing_row *l);
int store_run_read(store_run_writer *w, const store_run_read_row *r);
int store_run_target(store_run_writer *w, const store_run_target_row *r);
int store_run_item(store_run_writer *w, const store_run_item_row *r);

/* Seals run: no part can be added to it afterwards. The last write of a run. */
int store_run_seal(shnor *db, int64_t run);

/* Every run (only == 0) or run `only` (SHNOR_NOTFOUND when absent), by id;
   fn returns nonzero to stop. Strings are borrowed for the call. */
int store_runs_each(shnor *db, int64_t only, int (*fn)(void *arg, const store_run *r), void *arg);
int store_run_listings_each(shnor *db, int64_t run,
                            int (*fn)(void *arg, const store_run_listing_row *l), void *arg);
int store_run_reads_each(shnor *db, int64_t run, int (*fn)(void *arg, const store_run_read_row *r),
                         void *arg);
int store_run_targets_each(shnor *db, int64_t run,
                           int (*fn)(void *arg, const store_run_target_row *r), void *arg);
int store_run_items_each(shnor *db, int64_t run, int (*fn)(void *arg, const store_run_item_row *r),
                         void *arg);
int store_run_modules_each(shnor *db, int64_t run,
                           int (*fn)(void *arg, const char *name, const char *sha256,
                                     const char *text, size_t len),
                           void *arg);
int store_run_columns_each(shnor *db, int64_t run,
                           int (*fn)(void *arg, const char *indicator, const char *period,
                                     long count, const char *sha256),
                           void *arg);

/* The live assignment behind a run's roadmap row (only rows of an applied
   roadmap whose assignment exists): its status as people set it since. */
typedef struct {
    int seq; /* the run_roadmap row */
    int64_t id;
    const char *status, *evidence, *status_date; /* "" when not set */
} store_run_assignment_row;
int store_run_assignments_each(shnor *db, int64_t run,
                               int (*fn)(void *arg, const store_run_assignment_row *a),
                               void *arg);

/* The observations of (indicator, period) written after batch `after`, by
   school code: the value now, and the one it had then (NAN: none). */
int store_obs_changed_since(shnor *db, const char *indicator, const char *period, int64_t after,
                            int (*fn)(void *arg, const char *school, double now, double then),
                            void *arg);

#endif
