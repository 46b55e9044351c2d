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

/*
 * shnor_obs_feed(ptr): the rows of store_obs_put_many as a table, so that one
 * INSERT ... SELECT writes them all. Per-row INSERT statements were profiled
 * at 58 % of a national import (10 million rows): each step reset, bound and
 * halted a statement and, with a fresh cursor, searched the b-tree from its
 * root; one statement keeps its cursor, and SQLite appends without a search
 * when the next key is past the last one.
 */
typedef struct {
    int (*next)(void *arg, store_obs_row *row);
    void *arg;
} feed_src;

#define FEED_POINTER "shnor_obs_feed"

typedef struct {
    sqlite3_vtab_cursor base;
    feed_src *src;
    store_obs_row row;
    sqlite3_int64 rowid;
    int eof;
} feed_cursor;

enum { FEED_INDICATOR, FEED_PERIOD, FEED_SCHOOL, FEED_VALUE, FEED_SRC };

static int feed_connect(sqlite3 *sql, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **out, char **err)
{
    int rc = sqlite3_declare_vtab(sql, "CREATE TABLE x(indicator_id INTEGER, period TEXT, "
                                       "school_id INTEGER, value REAL, src HIDDEN)");
    if (rc != SQLITE_OK) {
        return rc;
    }
    sqlite3_vtab_config(sql, SQLITE_VTAB_DIRECTONLY);
    *out = sqlite3_malloc(sizeof **out);
    if (!*out) {
        return SQLITE_NOMEM;
    }
    memset(*out, 0, sizeof **out);
    return SQLITE_OK;
}

static int feed_disconnect(sqlite3_vtab *vt)
{
    sqlite3_free(vt);
    return SQLITE_OK;
}

/* Usable only with its argument: shnor_obs_feed(?). */
static int feed_best_index(sqlite3_vtab *vt, sqlite3_index_info *info)
{
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *c = &info->aConstraint[i];
        if (c->iColumn == FEED_SRC && c->op == SQLITE_INDEX_CONSTRAINT_EQ && c->usable) {
            info->aConstraintUsage[i].argvIndex = 1;
            info->aConstraintUsage[i].omit = 1;
            info->estimatedCost = 1000;
            return SQLITE_OK;
        }
    }
    return SQLITE_CONSTRAINT;
}

static int feed_open(sqlite3_vtab *vt, sqlite3_vtab_cursor **out)
{
    feed_cursor *c = sqlite3_malloc(sizeof *c);
    if (!c) {
        return SQLITE_NOMEM;
    }
    memset(c, 0, sizeof *c);
    c->eof = 1;
    *out = &c->base;
    return SQLITE_OK;
}

static int feed_close(sqlite3_vtab_cursor *cur)
{
    sqlite3_free(cur);
    return SQLITE_OK;
}

static int feed_next(sqlite3_vtab_cursor *cur)
{
    feed_cursor *c = (feed_cursor *)cur;
    c->eof = !c->src || !c->src->next(c->src->arg, &c->row);
    c->rowid++;
    return SQLITE_OK;
}

static int feed_filter(sqlite3_vtab_cursor *cur, int idx, const char *idxstr, int argc,
                       sqlite3_value **argv)
{
    feed_cursor *c = (feed_cursor *)cur;
    c->src = argc == 1 ? sqlite3_value_pointer(argv[0], FEED_POINTER) : NULL;
    c->rowid = 0;
    return feed_next(cur);
}

static int feed_eof(sqlite3_vtab_cursor *cur)
{
    return ((feed_cursor *)cur)->eof;
}

static int feed_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col)
{
    const store_obs_row *r = &((feed_cursor *)cur)->row;
    switch (col) {
    case FEED_INDICATOR:
        sqlite3_result_int64(ctx, r->indicator_id);
        break;
    case FEED_PERIOD:
        /* Borrowed: it outlives the statement (see store_obs_row). */
        sqlite3_result_text(ctx, r->period, (int)r->period_len, SQLITE_STATIC);
        break;
    case FEED_SCHOOL:
        sqlite3_result_int64(ctx, r->school_id);
        break;
    case FEED_VALUE:
        sqlite3_result_double(ctx, r->value);
        break;
    default:
        sqlite3_result_null(ctx);
        break;
    }
    return SQLITE_OK;
}

static int feed_rowid(sqlite3_vtab_cursor *cur, sqlite3_int64 *rowid)
{
    *rowid = ((feed_cursor *)cur)->rowid;
    return SQLITE_OK;
}

static const sqlite3_module feed_module = {
    .iVersion = 0,
    .xConnect = feed_connect, /* no xCreate: a table-valued function only */
    .xBestIndex = feed_best_index,
    .xDisconnect = feed_disconnect,
    .xOpen = feed_open,
    .xClose = feed_close,
    .xFilter = feed_filter,
    .xNext = feed_next,
    .xEof = feed_eof,
    .xColumn = feed_column,
    .xRowid = feed_rowid,
};

int store_obs_register(shnor *db)
{
    int rc = sqlite3_create_module_v2(db->sql, FEED_POINTER, &feed_module, NULL, NULL);
    return rc == SQLITE_OK ? SHNOR_OK : store_fail(db, rc, "opening");
}

int store_obs_put_many(shnor *db, int64_t batch, int (*next)(void *arg, store_obs_row *row),
                       void *arg, long *changed)
{
    feed_src src = {next, arg};
    sqlite3_stmt *st = store_stmt(db, STMT_OBS_UPSERT);
    *changed = 0;
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_pointer(st, 1, &src, FEED_POINTER, NULL);
    sqlite3_bind_int64(st, 2, batch);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st); /* src lives on this stack frame */
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, "writing values");
    }
    *changed = (long)sqlite3_changes64(db->sql);
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
