/*
 * store_plan.c — the roadmap in the database: the activity catalogue of each
 * pack, assignments created idempotently (a re-run creates nothing twice and
 * never touches a status a person set), status changes (logged by trigger),
 * and overrides with who and why.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

static int step_done(shnor *db, sqlite3_stmt *st, const char *doing)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, doing);
}

int store_activity_upsert(shnor *db, const store_activity *a, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(db, STMT_ACTIVITY_UPSERT);
    if (!st) {
        return SHNOR_DB;
    }
    const char *texts[] = {a->pack_id,  a->key,       a->section,     a->title,
                           a->due_text, a->responsible, a->coexecutors, a->result,
                           a->indicator, a->document};
    for (int i = 0; i < 10; i++) {
        sqlite3_bind_text(st, i + 1, texts[i] ? texts[i] : "", -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_int(st, 11, a->position);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? SHNOR_OK : store_fail(db, rc, "recording an activity");
}

static void copy_status(sqlite3_stmt *st, int col, char status[16], int *status_auto)
{
    snprintf(status, 16, "%s", store_text(st, col));
    if (status_auto) {
        *status_auto = sqlite3_column_int(st, col + 1);
    }
}

int store_assignment_ensure(shnor *db, int64_t activity_id, const char *owner,
                            const char *period, const char *start, const char *due,
                            int *created, int64_t *id, char status[16], int *status_auto)
{
    char now[21];
    sqlite3_stmt *st = store_stmt(db, STMT_ASSIGNMENT_INSERT);
    if (!st) {
        return SHNOR_DB;
    }
    shnor_now_iso(now);
    sqlite3_bind_int64(st, 1, activity_id);
    sqlite3_bind_text(st, 2, owner, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, start, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, due, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, shnor_user(), -1, SQLITE_TRANSIENT);
    int rc_ins = step_done(db, st, "creating an assignment");
    if (rc_ins != SHNOR_OK) {
        return rc_ins;
    }
    *created = sqlite3_changes(db->sql) > 0;
    sqlite3_stmt *get = store_stmt(db, STMT_ASSIGNMENT_GET);
    if (!get) {
        return SHNOR_DB;
    }
    sqlite3_bind_int64(get, 1, activity_id);
    sqlite3_bind_text(get, 2, owner, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(get, 3, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(get, 4, due, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(get);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(get, 0);
        copy_status(get, 1, status, status_auto);
    }
    sqlite3_reset(get);
    return rc == SQLITE_ROW ? SHNOR_OK : store_fail(db, rc, "reading an assignment");
}

int store_assignment_find(shnor *db, const char *pack_id, const char *key, const char *owner,
                          const char *period, const char *due, int64_t *id, char status[16],
                          int *status_auto)
{
    sqlite3_stmt *st = store_stmt(db, STMT_ASSIGNMENT_FIND);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_text(st, 1, pack_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, owner, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, due, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    *id = 0;
    status[0] = '\0';
    if (status_auto) {
        *status_auto = 0;
    }
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        copy_status(st, 1, status, status_auto);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading assignments");
}

int store_assignment_set(shnor *db, int64_t id, const char *status, const char *evidence,
                         const char *date, const char *by, int claim, int *changed)
{
    if (changed) {
        *changed = 0;
    }
    sqlite3_stmt *st = store_stmt(db, STMT_ASSIGNMENT_SET);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, status, -1, SQLITE_TRANSIENT);
    if (evidence) {
        sqlite3_bind_text(st, 3, evidence, -1, SQLITE_TRANSIENT);
    }
    if (date) {
        sqlite3_bind_text(st, 4, date, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_text(st, 5, by ? by : shnor_user(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 6, claim);
    int rc = step_done(db, st, "setting an assignment's status");
    if (rc != SHNOR_OK) {
        return rc;
    }
    if (sqlite3_changes(db->sql) > 0) {
        if (changed) {
            *changed = 1;
        }
        return SHNOR_OK;
    }
    /* Nothing written: the same status, evidence and date, or no such row. */
    sqlite3_stmt *get = NULL;
    rc = store_prepare(db, "SELECT 1 FROM assignments WHERE id = ?1", &get);
    if (rc != SHNOR_OK) {
        return rc;
    }
    sqlite3_bind_int64(get, 1, id);
    int step = sqlite3_step(get);
    sqlite3_finalize(get);
    if (step == SQLITE_ROW) {
        return SHNOR_OK;
    }
    if (step != SQLITE_DONE) {
        return store_fail(db, step, "reading assignments");
    }
    return shnor_seterr(db, SHNOR_NOTFOUND, "there is no assignment %lld", (long long)id);
}

int store_assignments_made(shnor *db, const char *pack_id, const char *period,
                           int (*fn)(void *arg, const store_made *m), void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(
        db,
        "SELECT a.id, a.owner, c.key, a.due, a.status, a.status_auto "
        "FROM assignments a JOIN activities c ON c.id = a.activity_id "
        "WHERE a.period = ?2 AND c.pack_id = ?1 "
        "ORDER BY a.owner, a.due, c.position, a.id",
        &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_text(st, 1, pack_id, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_made m = {sqlite3_column_int64(st, 0), store_text(st, 1), store_text(st, 2),
                        store_text(st, 3),           store_text(st, 4),
                        sqlite3_column_int(st, 5)};
        if (fn(arg, &m)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading assignments");
}

/* Runs an UPDATE of assignment ?1 (text ?2, ?3 when not NULL); *changed
   says whether it touched the row. */
static int update_assignment(shnor *db, const char *sql, int64_t id, const char *t2,
                             const char *t3, const char *doing, int *changed)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, sql, &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_int64(st, 1, id);
    if (t2) {
        sqlite3_bind_text(st, 2, t2, -1, SQLITE_TRANSIENT);
    }
    if (t3) {
        sqlite3_bind_text(st, 3, t3, -1, SQLITE_TRANSIENT);
    }
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, doing);
    }
    *changed = sqlite3_changes(db->sql) > 0;
    return SHNOR_OK;
}

/* Both keep status_auto: the status is still shnor's, so a later roadmap
   may restore or withdraw it again. */
int store_assignment_withdraw(shnor *db, int64_t id, const char *reason, const char *date,
                              int *changed)
{
    return update_assignment(db,
                             "UPDATE assignments SET status = 'cancelled', evidence = ?2, "
                             "status_date = ?3, status_by = 'shnor' "
                             "WHERE id = ?1 AND status_auto = 1 AND status = 'planned'",
                             id, reason, date, "withdrawing an assignment", changed);
}

int store_assignment_restore(shnor *db, int64_t id, const char *period, int *changed)
{
    return update_assignment(db,
                             "UPDATE assignments SET status = 'planned', evidence = NULL, "
                             "status_date = NULL, status_by = 'shnor', period = ?2 "
                             "WHERE id = ?1 AND status_auto = 1 AND status = 'cancelled'",
                             id, period, NULL, "restoring an assignment", changed);
}

/* The assignments of owner and pack (each when NULL), or the one of id when
   id > 0, in store_assignments_each's order. */
static int assignments_query(shnor *db, const char *owner, const char *pack_id, int64_t id,
                             int (*fn)(void *arg, const store_assignment *a), void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(
        db,
        "SELECT a.id, a.owner, c.pack_id, c.key, c.title, c.section, a.period, a.start, a.due, "
        "a.status, coalesce(a.evidence, ''), coalesce(a.status_date, ''), "
        "coalesce(a.status_by, ''), c.responsible, a.created_at, a.created_by "
        "FROM assignments a JOIN activities c ON c.id = a.activity_id "
        "WHERE (?1 IS NULL OR a.owner = ?1) AND (?2 IS NULL OR c.pack_id = ?2) "
        "AND (?3 IS NULL OR a.id = ?3) "
        "ORDER BY a.owner, a.due, c.pack_id, c.position, a.id",
        &st);
    if (status != SHNOR_OK) {
        return status;
    }
    if (owner) {
        sqlite3_bind_text(st, 1, owner, -1, SQLITE_TRANSIENT);
    }
    if (pack_id) {
        sqlite3_bind_text(st, 2, pack_id, -1, SQLITE_TRANSIENT);
    }
    if (id > 0) {
        sqlite3_bind_int64(st, 3, id);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_assignment a = {sqlite3_column_int64(st, 0),
                              store_text(st, 1),
                              store_text(st, 2),
                              store_text(st, 3),
                              store_text(st, 4),
                              store_text(st, 5),
                              store_text(st, 6),
                              store_text(st, 7),
                              store_text(st, 8),
                              store_text(st, 9),
                              store_text(st, 10),
                              store_text(st, 11),
                              store_text(st, 12),
                              store_text(st, 13),
                              store_text(st, 14),
                              store_text(st, 15)};
        if (fn(arg, &a)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading assignments");
}

int store_assignments_each(shnor *db, const char *owner, const char *pack_id,
                           int (*fn)(void *arg, const store_assignment *a), void *arg)
{
    return assignments_query(db, owner, pack_id, 0, fn, arg);
}

typedef struct {
    int (*fn)(void *arg, const store_assignment *a);
    void *arg;
    int found;
} one_assignment;

static int found_one(void *arg, const store_assignment *a)
{
    one_assignment *o = arg;
    o->found = 1;
    return o->fn(o->arg, a);
}

int store_assignment_show(shnor *db, int64_t id,
                          int (*fn)(void *arg, const store_assignment *a),
                          int (*change)(void *arg, const store_assignment_change *c), void *arg)
{
    one_assignment o = {fn, arg, 0};
    int status = assignments_query(db, NULL, NULL, id, found_one, &o);
    if (status != SHNOR_OK) {
        return status;
    }
    if (!o.found) {
        return shnor_seterr(db, SHNOR_NOTFOUND, "there is no assignment %lld", (long long)id);
    }
    sqlite3_stmt *st = NULL;
    if ((status = store_prepare(db,
                                "SELECT at, status, coalesce(evidence, ''), "
                                "coalesce(status_date, ''), coalesce(status_by, ''), "
                                "coalesce(period, '') FROM assignment_history "
                                "WHERE assignment_id = ?1 ORDER BY rowid",
                                &st)) != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_int64(st, 1, id);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_assignment_change c = {store_text(st, 0), store_text(st, 1), store_text(st, 2),
                                     store_text(st, 3), store_text(st, 4), store_text(st, 5)};
        if (change(arg, &c)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading an assignment's history");
}

int store_override_add(shnor *db, const char *school, const char *period, const char *pack_id,
                       const char *category, int include, const char *reason, const char *by,
                       int64_t *id)
{
    char now[21];
    int64_t school_id;
    int rc = store_school_id(db, school, &school_id);
    if (rc != SHNOR_OK) {
        return rc;
    }
    if (!school_id) {
        return shnor_seterr(db, SHNOR_NOTFOUND, "there is no school '%s'", school);
    }
    sqlite3_stmt *ins = store_stmt(db, STMT_OVERRIDE_INSERT);
    if (!ins) {
        return SHNOR_DB;
    }
    shnor_now_iso(now);
    sqlite3_bind_int64(ins, 1, school_id);
    sqlite3_bind_text(ins, 2, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 3, pack_id ? pack_id : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 4, category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 5, include ? "include" : "exclude", -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 6, reason, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 7, by, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 8, now, -1, SQLITE_TRANSIENT);
    int status = step_done(db, ins, "recording an override");
    if (status == SHNOR_OK) {
        *id = sqlite3_last_insert_rowid(db->sql);
    }
    return status;
}

int store_pack_seen(shnor *db, const char *pack_id, int *seen)
{
    sqlite3_stmt *st;
    int status = store_prepare(db,
                               "SELECT EXISTS (SELECT 1 FROM runs WHERE pack_id = ?1) OR "
                               "EXISTS (SELECT 1 FROM activities WHERE pack_id = ?1) OR "
                               "EXISTS (SELECT 1 FROM listings WHERE pack_id = ?1)",
                               &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_text(st, 1, pack_id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    *seen = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? SHNOR_OK : store_fail(db, rc, "reading the packs seen");
}

int store_override_revoke(shnor *db, int64_t id)
{
    sqlite3_stmt *st = store_stmt(db, STMT_OVERRIDE_REVOKE);
    if (!st) {
        return SHNOR_DB;
    }
    char now[21];
    shnor_now_iso(now);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_text(st, 2, now, -1, SQLITE_TRANSIENT);
    int status = step_done(db, st, "revoking an override");
    if (status == SHNOR_OK && sqlite3_changes(db->sql) == 0) {
        return shnor_seterr(db, SHNOR_NOTFOUND, "there is no override %lld in force",
                            (long long)id);
    }
    return status;
}

int store_listing_put(shnor *db, int64_t school_id, const char *period, const char *pack_id,
                      const char *category, const char *cohort, int64_t batch, int *outcome)
{
    /* The same listing again changes nothing (it keeps the batch that wrote it). */
    sqlite3_stmt *get = NULL;
    int status = store_prepare(db,
                               "SELECT cohort FROM listings WHERE period = ?1 AND pack_id = ?2 "
                               "AND category = ?3 AND school_id = ?4",
                               &get);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_text(get, 1, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(get, 2, pack_id ? pack_id : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(get, 3, category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(get, 4, school_id);
    int rc = sqlite3_step(get);
    int same = rc == SQLITE_ROW && strcmp(store_text(get, 0), cohort ? cohort : "") == 0;
    *outcome = rc == SQLITE_ROW ? STORE_UPDATED : STORE_INSERTED;
    sqlite3_finalize(get);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        return store_fail(db, rc, "reading listings");
    }
    if (same) {
        *outcome = STORE_UNCHANGED;
        return SHNOR_OK;
    }
    sqlite3_stmt *st = store_stmt(db, STMT_LISTING_PUT);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_int64(st, 1, school_id);
    sqlite3_bind_text(st, 2, period, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, pack_id ? pack_id : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, category, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, cohort ? cohort : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 6, batch);
    return step_done(db, st, "recording a listing");
}

int store_school_id(shnor *db, const char *code, int64_t *id)
{
    sqlite3_stmt *st = store_stmt(db, STMT_SCHOOL_ID);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading schools");
}
