/*
 * store_run.c — the SQLite side of runs: writing a run record (the pack
 * sources content-addressed, the run, its listing, reads, targets, roadmap
 * and column fingerprints) and reading runs back. Runs are append-only; the
 * schema's triggers refuse any change (schema.c, migration 3).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"

int store_source_put(shnor *db, const char *sha256, const char *text, size_t len)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(
        db, "INSERT OR IGNORE INTO sources (sha256, text) VALUES (?1, ?2)", &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, text, (int)len, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "storing a pack source");
}

int store_source_get(shnor *db, const char *sha256, char **text, size_t *len)
{
    sqlite3_stmt *st = NULL;
    *text = NULL;
    *len = 0;
    int status = store_prepare(db, "SELECT text FROM sources WHERE sha256 = ?1", &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_text(st, 1, sha256, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        *text = malloc(n + 1);
        if (!*text) {
            sqlite3_finalize(st);
            return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
        }
        memcpy(*text, sqlite3_column_text(st, 0), n);
        (*text)[n] = '\0';
        *len = n;
        status = SHNOR_OK;
    } else if (rc == SQLITE_DONE) {
        status =
            shnor_seterr(db, SHNOR_NOTFOUND, "no stored source with SHA-256 %s", sha256);
    } else {
        status = store_fail(db, rc, "reading a pack source");
    }
    sqlite3_finalize(st);
    return status;
}

int store_last_batch(shnor *db, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    *id = 0;
    int status = store_prepare(db, "SELECT coalesce(max(id), 0) FROM batches", &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? SHNOR_OK : store_fail(db, rc, "reading the import batches");
}

int store_run_replaced(shnor *db, int64_t run, int64_t *earlier)
{
    sqlite3_stmt *st = NULL;
    *earlier = 0;
    int status = store_prepare(
        db,
        "SELECT coalesce(max(e.id), 0) FROM runs r JOIN runs e ON e.pack_id = r.pack_id "
        "AND e.listing_period = r.listing_period AND e.id < r.id WHERE r.id = ?1",
        &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_int64(st, 1, run);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *earlier = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? SHNOR_OK : store_fail(db, rc, "reading the runs");
}

/* Binds a double, NULL when NAN. */
static void bind_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v)) {
        sqlite3_bind_null(st, i);
    } else {
        sqlite3_bind_double(st, i, v);
    }
}

static void bind_texts(sqlite3_stmt *st, int first, const char *const *v, int n)
{
    for (int i = 0; i < n; i++) {
        sqlite3_bind_text(st, first + i, v[i] ? v[i] : "", -1, SQLITE_TRANSIENT);
    }
}

int store_run_insert(shnor *db, const store_run *r, int64_t *id)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(
        db,
        "INSERT INTO runs (pack_id, pack_version, pack_title, pack_order, pack_path, "
        "pack_sha256, period, listing_period, data_sha256, user, started_at, "
        "finished_at, "
        "last_batch, mem_limit, instr_limit, time_limit, schools, listed, insufficient, "
        "assignments, roadmap_applied, engine) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
        "?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
        &st);
    if (status != SHNOR_OK) {
        return status;
    }
    const char *texts[] = {r->pack_id,     r->version, r->title,      r->order,
                           r->path,        r->sha256,  r->period,     r->listing_period,
                           r->data_sha256, r->user,    r->started_at, r->finished_at};
    bind_texts(st, 1, texts, 12);
    sqlite3_bind_int64(st, 13, r->last_batch);
    sqlite3_bind_int64(st, 14, r->mem_limit);
    sqlite3_bind_int64(st, 15, r->instr_limit);
    sqlite3_bind_double(st, 16, r->time_limit);
    sqlite3_bind_int64(st, 17, r->schools);
    sqlite3_bind_int64(st, 18, r->listed);
    sqlite3_bind_int64(st, 19, r->insufficient);
    sqlite3_bind_int64(st, 20, r->assignments);
    sqlite3_bind_int(st, 21, r->roadmap_applied);
    sqlite3_bind_text(st, 22, r->engine, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, "storing the run");
    }
    *id = sqlite3_last_insert_rowid(db->sql);
    return SHNOR_OK;
}

/* The insert statements of one run's parts, prepared once. */
enum { RW_MODULE, RW_COLUMN, RW_LISTING, RW_READ, RW_TARGET, RW_ITEM, RW_COUNT };

struct store_run_writer {
    shnor *db;
    int64_t run;
    sqlite3_stmt *st[RW_COUNT];
};

static const char *const writer_sql[RW_COUNT] = {
    [RW_MODULE] = "INSERT INTO run_modules (run_id, name, sha256) VALUES (?1, ?2, ?3)",
    [RW_COLUMN] = "INSERT INTO run_columns (run_id, indicator, period, count, sha256) "
                  "VALUES (?1, ?2, ?3, ?4, ?5)",
    [RW_LISTING] =
        "INSERT INTO run_listings (run_id, seq, school, name, territory, category, "
        "category_title, status, criteria, cohort, mentor, override, explanation, "
        "json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [RW_READ] =
        "INSERT INTO run_reads (run_id, seq, listing_seq, criterion, kind, indicator, "
        "period, value) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [RW_TARGET] =
        "INSERT INTO run_targets (run_id, seq, target, title, kind, meaning, scope, "
        "indicator, unit, baseline_period, baseline, period, actual, threshold, "
        "comparison, status, reason, method, checkpoint, listed_in, json) VALUES (?1, ?2, "
        "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
        "?21)",
    [RW_ITEM] =
        "INSERT INTO run_roadmap (run_id, seq, activity, section, title, due_text, "
        "responsible, coexecutors, result, indicator, document, owner, start, due, "
        "assignment_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, "
        "?14, ?15)",
};

int store_run_writer_open(shnor *db, int64_t run, store_run_writer **out)
{
    store_run_writer *w = calloc(1, sizeof *w);
    *out = w;
    if (!w) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    w->db = db;
    w->run = run;
    for (int i = 0; i < RW_COUNT; i++) {
        int status = store_prepare(db, writer_sql[i], &w->st[i]);
        if (status != SHNOR_OK) {
            return status;
        }
    }
    return SHNOR_OK;
}

void store_run_writer_close(store_run_writer *w)
{
    if (!w) {
        return;
    }
    for (int i = 0; i < RW_COUNT; i++) {
        sqlite3_finalize(w->st[i]);
    }
    free(w);
}

/* Steps the statement i of w once, with run_id bound as ?1. */
static int writer_step(store_run_writer *w, int i, const char *doing)
{
    sqlite3_stmt *st = w->st[i];
    sqlite3_bind_int64(st, 1, w->run);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(w->db, rc, doing);
}

int store_run_module(store_run_writer *w, const char *name, const char *sha256)
{
    const char *t[] = {name, sha256};
    bind_texts(w->st[RW_MODULE], 2, t, 2);
    return writer_step(w, RW_MODULE, "storing a run's module");
}

int store_run_column(store_run_writer *w, const char *ind, const char *period, long count,
                     const char *sha256)
{
    sqlite3_stmt *st = w->st[RW_COLUMN];
    const char *t[] = {ind, period};
    bind_texts(st, 2, t, 2);
    sqlite3_bind_int64(st, 4, count);
    sqlite3_bind_text(st, 5, sha256, -1, SQLITE_TRANSIENT);
    return writer_step(w, RW_COLUMN, "storing a run's data fingerprint");
}

int store_run_listing(store_run_writer *w, const store_run_listing_row *l)
{
    sqlite3_stmt *st = w->st[RW_LISTING];
    sqlite3_bind_int(st, 2, l->seq);
    const char *t[] = {l->school,         l->name,     l->territory,   l->category,
                       l->category_title, l->status,   l->criteria,    l->cohort,
                       l->mentor,         l->override, l->explanation, l->json};
    bind_texts(st, 3, t, 12);
    return writer_step(w, RW_LISTING, "storing a run's listing");
}

int store_run_read(store_run_writer *w, const store_run_read_row *r)
{
    sqlite3_stmt *st = w->st[RW_READ];
    sqlite3_bind_int(st, 2, r->seq);
    sqlite3_bind_int(st, 3, r->listing_seq);
    const char *t[] = {r->criterion, r->kind, r->indicator, r->period};
    bind_texts(st, 4, t, 4);
    bind_real(st, 8, r->value);
    return writer_step(w, RW_READ, "storing the values a run read");
}

int store_run_target(store_run_writer *w, const store_run_target_row *r)
{
    sqlite3_stmt *st = w->st[RW_TARGET];
    sqlite3_bind_int(st, 2, r->seq);
    const char *t[] = {r->target, r->title,     r->kind, r->meaning,
                       r->scope,  r->indicator, r->unit, r->baseline_period};
    bind_texts(st, 3, t, 8);
    bind_real(st, 11, r->baseline);
    sqlite3_bind_text(st, 12, r->period ? r->period : "", -1, SQLITE_TRANSIENT);
    bind_real(st, 13, r->actual);
    bind_real(st, 14, r->threshold);
    const char *u[] = {r->comparison, r->status,    r->reason, r->method,
                       r->checkpoint, r->listed_in, r->json};
    bind_texts(st, 15, u, 7);
    return writer_step(w, RW_TARGET, "storing a run's targets");
}

int store_run_item(store_run_writer *w, const store_run_item_row *r)
{
    sqlite3_stmt *st = w->st[RW_ITEM];
    sqlite3_bind_int(st, 2, r->seq);
    const char *t[] = {r->activity,    r->section,     r->title,  r->due_text,
                       r->responsible, r->coexecutors, r->result, r->indicator,
                       r->document,    r->owner,       r->start,  r->due};
    bind_texts(st, 3, t, 12);
    if (r->assignment_id > 0) {
        sqlite3_bind_int64(st, 15, r->assignment_id);
    }
    return writer_step(w, RW_ITEM, "storing a run's roadmap");
}

int store_run_seal(shnor *db, int64_t run)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, "INSERT INTO run_seals (run_id) VALUES (?1)", &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_int64(st, 1, run);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "sealing the run");
}

/* ---- reading ---- */

int store_runs_each(shnor *db, int64_t only, int (*fn)(void *arg, const store_run *r),
                    void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(
        db,
        "SELECT id, pack_id, pack_version, pack_title, pack_order, pack_path, "
        "pack_sha256, "
        "period, listing_period, data_sha256, user, started_at, finished_at, last_batch, "
        "mem_limit, instr_limit, time_limit, schools, listed, insufficient, assignments, "
        "roadmap_applied, engine FROM runs WHERE ?1 = 0 OR id = ?1 ORDER BY id",
        &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_int64(st, 1, only);
    int rc, found = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_run r = {
            .id = sqlite3_column_int64(st, 0),
            .pack_id = store_text(st, 1),
            .version = store_text(st, 2),
            .title = store_text(st, 3),
            .order = store_text(st, 4),
            .path = store_text(st, 5),
            .sha256 = store_text(st, 6),
            .period = store_text(st, 7),
            .listing_period = store_text(st, 8),
            .data_sha256 = store_text(st, 9),
            .user = store_text(st, 10),
            .started_at = store_text(st, 11),
            .finished_at = store_text(st, 12),
            .last_batch = sqlite3_column_int64(st, 13),
            .mem_limit = sqlite3_column_int64(st, 14),
            .instr_limit = sqlite3_column_int64(st, 15),
            .time_limit = sqlite3_column_double(st, 16),
            .schools = (long)sqlite3_column_int64(st, 17),
            .listed = (long)sqlite3_column_int64(st, 18),
            .insufficient = (long)sqlite3_column_int64(st, 19),
            .assignments = (long)sqlite3_column_int64(st, 20),
            .roadmap_applied = sqlite3_column_int(st, 21),
            .engine = store_text(st, 22),
        };
        found = 1;
        if (fn(arg, &r)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, "reading runs");
    }
    if (only && !found) {
        return shnor_seterr(db, SHNOR_NOTFOUND, "there is no run %lld (see 'shnor runs')",
                            (long long)only);
    }
    return SHNOR_OK;
}

/* Runs a query with ?1 = run id and calls row(arg, st) for each row. */
static int each_row(shnor *db, const char *sql, int64_t run, const char *doing,
                    int (*row)(void *fn_arg, sqlite3_stmt *st), void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, sql, &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_int64(st, 1, run);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (row(arg, st)) {
            sqlite3_finalize(st);
            return shnor_seterr(db, SHNOR_NOMEM, "out of memory %s", doing);
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, doing);
}

/* The caller's callback and argument, by the kind of row. */
typedef struct {
    union {
        int (*listing)(void *arg, const store_run_listing_row *l);
        int (*read)(void *arg, const store_run_read_row *r);
        int (*target)(void *arg, const store_run_target_row *r);
        int (*item)(void *arg, const store_run_item_row *r);
        int (*module)(void *arg, const char *name, const char *sha256, const char *text,
                      size_t len);
        int (*column)(void *arg, const char *ind, const char *period, long count,
                      const char *sha256);
        int (*assignment)(void *arg, const store_run_assignment_row *a);
    } fn;
    void *arg;
} thunk;

static int listing_row(void *arg, sqlite3_stmt *st)
{
    thunk *t = arg;
    store_run_listing_row l = {
        sqlite3_column_int(st, 0), store_text(st, 1),  store_text(st, 2),
        store_text(st, 3),         store_text(st, 4),  store_text(st, 5),
        store_text(st, 6),         store_text(st, 7),  store_text(st, 8),
        store_text(st, 9),         store_text(st, 10), store_text(st, 11),
        store_text(st, 12),        store_text(st, 13)};
    return t->fn.listing(t->arg, &l);
}

int store_run_listings_each(shnor *db, int64_t run,
                            int (*fn)(void *arg, const store_run_listing_row *l),
                            void *arg)
{
    thunk t = {.fn.listing = fn, .arg = arg};
    return each_row(
        db,
        "SELECT seq, school, name, territory, category, category_title, status, "
        "criteria, cohort, mentor, override, explanation, json, "
        "coalesce(json_extract(json, '$.cohort_title'), '') FROM run_listings "
        "WHERE run_id = ?1 ORDER BY seq",
        run, "reading a run's listing", listing_row, &t);
}

static int read_row(void *arg, sqlite3_stmt *st)
{
    thunk *t = arg;
    store_run_read_row r = {sqlite3_column_int(st, 0), sqlite3_column_int(st, 1),
                            store_text(st, 2),         store_text(st, 3),
                            store_text(st, 4),         store_text(st, 5),
                            store_real(st, 6)};
    return t->fn.read(t->arg, &r);
}

int store_run_reads_each(shnor *db, int64_t run,
                         int (*fn)(void *arg, const store_run_read_row *r), void *arg)
{
    thunk t = {.fn.read = fn, .arg = arg};
    return each_row(db,
                    "SELECT seq, listing_seq, criterion, kind, indicator, period, value "
                    "FROM run_reads WHERE run_id = ?1 ORDER BY seq",
                    run, "reading the values a run read", read_row, &t);
}

static int target_row(void *arg, sqlite3_stmt *st)
{
    thunk *t = arg;
    store_run_target_row r = {
        .seq = sqlite3_column_int(st, 0),
        .target = store_text(st, 1),
        .title = store_text(st, 2),
        .kind = store_text(st, 3),
        .meaning = store_text(st, 4),
        .scope = store_text(st, 5),
        .indicator = store_text(st, 6),
        .unit = store_text(st, 7),
        .baseline_period = store_text(st, 8),
        .baseline = store_real(st, 9),
        .period = store_text(st, 10),
        .actual = store_real(st, 11),
        .threshold = store_real(st, 12),
        .comparison = store_text(st, 13),
        .status = store_text(st, 14),
        .reason = store_text(st, 15),
        .method = store_text(st, 16),
        .checkpoint = store_text(st, 17),
        .listed_in = store_text(st, 18),
        .json = store_text(st, 19),
    };
    return t->fn.target(t->arg, &r);
}

int store_run_targets_each(shnor *db, int64_t run,
                           int (*fn)(void *arg, const store_run_target_row *r), void *arg)
{
    thunk t = {.fn.target = fn, .arg = arg};
    return each_row(
        db,
        "SELECT seq, target, title, kind, meaning, scope, indicator, unit, "
        "baseline_period, baseline, period, actual, threshold, comparison, status, "
        "reason, method, checkpoint, listed_in, json FROM run_targets WHERE run_id = ?1 "
                    "ORDER BY seq",
        run, "reading a run's targets", target_row, &t);
}

static int item_row(void *arg, sqlite3_stmt *st)
{
    thunk *t = arg;
    store_run_item_row r = {
        sqlite3_column_int(st, 0), store_text(st, 1),           store_text(st, 2),
        store_text(st, 3),         store_text(st, 4),           store_text(st, 5),
        store_text(st, 6),         store_text(st, 7),           store_text(st, 8),
        store_text(st, 9),         store_text(st, 10),          store_text(st, 11),
        store_text(st, 12),        sqlite3_column_int64(st, 13), store_text(st, 14)};
    return t->fn.item(t->arg, &r);
}

int store_run_items_each(shnor *db, int64_t run,
                         int (*fn)(void *arg, const store_run_item_row *r), void *arg)
{
    thunk t = {.fn.item = fn, .arg = arg};
    return each_row(
        db,
        "SELECT seq, activity, section, title, due_text, responsible, coexecutors, "
        "result, indicator, document, r.owner, r.start, r.due, coalesce(assignment_id, 0), "
        "coalesce(a.status, 'new') FROM run_roadmap r "
        "LEFT JOIN assignments a ON a.id = r.assignment_id WHERE run_id = ?1 ORDER BY seq",
        run, "reading a run's roadmap", item_row, &t);
}

static int module_row(void *arg, sqlite3_stmt *st)
{
    thunk *t = arg;
    return t->fn.module(t->arg, store_text(st, 0), store_text(st, 1), store_text(st, 2),
                        (size_t)sqlite3_column_bytes(st, 2));
}

int store_run_modules_each(shnor *db, int64_t run,
                           int (*fn)(void *arg, const char *name, const char *sha256,
                                     const char *text, size_t len),
                           void *arg)
{
    thunk t = {.fn.module = fn, .arg = arg};
    return each_row(
        db,
        "SELECT m.name, m.sha256, s.text FROM run_modules m "
        "JOIN sources s ON s.sha256 = m.sha256 WHERE m.run_id = ?1 ORDER BY m.name",
        run, "reading a run's modules", module_row, &t);
}

static int column_row(void *arg, sqlite3_stmt *st)
{
    thunk *t = arg;
    return t->fn.column(t->arg, store_text(st, 0), store_text(st, 1),
                        (long)sqlite3_column_int64(st, 2), store_text(st, 3));
}

int store_run_columns_each(shnor *db, int64_t run,
                           int (*fn)(void *arg, const char *indicator, const char *period,
                                     long count, const char *sha256),
                           void *arg)
{
    thunk t = {.fn.column = fn, .arg = arg};
    return each_row(
        db,
        "SELECT indicator, period, count, sha256 FROM run_columns WHERE run_id = ?1 "
        "ORDER BY indicator, period",
        run, "reading a run's data fingerprint", column_row, &t);
}

static int assignment_row(void *arg, sqlite3_stmt *st)
{
    thunk *t = arg;
    store_run_assignment_row a = {sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1),
                                  store_text(st, 2), store_text(st, 3), store_text(st, 4)};
    return t->fn.assignment(t->arg, &a);
}

int store_run_assignments_each(shnor *db, int64_t run,
                               int (*fn)(void *arg, const store_run_assignment_row *a),
                               void *arg)
{
    thunk t = {.fn.assignment = fn, .arg = arg};
    return each_row(db,
                    "SELECT r.seq, a.id, a.status, coalesce(a.evidence, ''), "
                    "coalesce(a.status_date, '') FROM run_roadmap r "
                    "JOIN assignments a ON a.id = r.assignment_id WHERE r.run_id = ?1 "
                    "ORDER BY r.seq",
                    run, "reading the assignments of a run's roadmap", assignment_row, &t);
}

int store_obs_changed_since(shnor *db, const char *ind, const char *period, int64_t after,
                            int (*fn)(void *arg, const char *school, double now,
                                      double then),
                            void *arg)
{
    sqlite3_stmt *st = NULL;
    /* The value a school had when batch `after` was the last: the oldest
       history entry replaced after it, when that entry itself was older. */
    int status = store_prepare(
        db,
        "SELECT s.code, o.value, "
        "  (SELECT h.value FROM observation_history h WHERE h.indicator_id = "
        "o.indicator_id "
        "     AND h.period = o.period AND h.school_id = o.school_id AND h.replaced_by > "
        "?3 "
        "     AND h.batch_id <= ?3 ORDER BY h.replaced_by LIMIT 1) "
        "FROM observations o JOIN indicators i ON i.id = o.indicator_id "
        "JOIN schools s ON s.id = o.school_id "
        "WHERE i.code = ?1 AND o.period = ?2 AND o.batch_id > ?3 ORDER BY s.code",
        &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_text(st, 1, ind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 3, after);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(arg, store_text(st, 0), sqlite3_column_double(st, 1), store_real(st, 2))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading changed values");
}
