/*
 * store_obs.c — import batches and observations (school x indicator x period
 * -> value) in the database.
 */
#include <stdlib.h>
#include <string.h>

#include "store.h"

int store_batch_create(shnor *db, const store_batch_info *b, int64_t *id)
{
    char now[21];
    sqlite3_stmt *st = store_stmt(db, STMT_BATCH_INSERT);
    if (!st) {
        return SHNOR_DB;
    }
    shnor_now_iso(now);
    sqlite3_bind_text(st, 1, b->kind, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, b->source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, b->sha256, -1, SQLITE_TRANSIENT);
    if (b->encoding) {
        sqlite3_bind_text(st, 4, b->encoding, -1, SQLITE_TRANSIENT);
    }
    sqlite3_bind_text(st, 5, b->user, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, now, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, "recording the import");
    }
    *id = sqlite3_last_insert_rowid(db->sql);
    return SHNOR_OK;
}

int store_batch_finish(shnor *db, int64_t id, long rows, long inserted, long replaced,
                       long unchanged)
{
    sqlite3_stmt *st = store_stmt(db, STMT_BATCH_FINISH);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, rows);
    sqlite3_bind_int64(st, 3, inserted);
    sqlite3_bind_int64(st, 4, replaced);
    sqlite3_bind_int64(st, 5, unchanged);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "recording the import");
}

int store_obs_put(shnor *db, int64_t indicator_id, const char *period, size_t period_len,
                  int64_t school_id, double value, int64_t batch, int *changed)
{
    sqlite3_stmt *st = db->stmts[STMT_OBS_UPSERT];
    if (!st) {
        if (!(st = store_stmt(db, STMT_OBS_UPSERT))) {
            return SHNOR_DB;
        }
    }
    /* Hot path (10 million rows nationally): every parameter is rebound, so
       the statement needs only a reset, not clear_bindings. */
    sqlite3_bind_int64(st, 1, indicator_id);
    sqlite3_bind_text(st, 2, period, (int)period_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, school_id);
    sqlite3_bind_double(st, 4, value);
    sqlite3_bind_int64(st, 5, batch);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, "writing values");
    }
    *changed = sqlite3_changes(db->sql) > 0;
    return SHNOR_OK;
}

int store_obs_replaced(shnor *db, int64_t batch, long *n)
{
    sqlite3_stmt *st = store_stmt(db, STMT_OBS_REPLACED);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_int64(st, 1, batch);
    int rc = sqlite3_step(st);
    *n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? SHNOR_OK : store_fail(db, rc, "counting replaced values");
}

int store_obs_each(shnor *db,
                   int (*fn)(void *arg, const char *school, const char *indicator,
                             const char *period, double value),
                   void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db,
                               "SELECT s.code, i.code, o.period, o.value "
                               "FROM observations o "
                               "JOIN schools s ON s.id = o.school_id "
                               "JOIN indicators i ON i.id = o.indicator_id "
                               "ORDER BY s.code, i.code, o.period",
                               &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(arg, store_text(st, 0), store_text(st, 1), store_text(st, 2),
               sqlite3_column_double(st, 3))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading values");
}
