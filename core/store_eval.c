/*
 * store_eval.c — the reads of an evaluation: schools with their territories
 * and attributes in two scans, and observation columns by key range — one
 * query per (indicator, period), never one per value.
 */
#include "store.h"

int store_begin_read(shnor *db)
{
    /* A deferred transaction takes its WAL snapshot at the first read and
       keeps it; it never writes, so it cannot fail on upgrade. */
    int rc = sqlite3_exec(db->sql, "BEGIN", NULL, NULL, NULL);
    return rc == SQLITE_OK ? SHNOR_OK : store_fail(db, rc, "starting to read");
}

void store_end_read(shnor *db)
{
    if (!sqlite3_get_autocommit(db->sql)) {
        sqlite3_exec(db->sql, "COMMIT", NULL, NULL, NULL);
    }
}

int store_eval_schools(shnor *db, int (*fn)(void *arg, const store_school_brief *s), void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db,
                               "SELECT s.id, s.code, s.name, t.name, coalesce(p.name, ''), "
                               "coalesce(s.kind, ''), coalesce(s.settlement, '') "
                               "FROM schools s JOIN territories t ON t.id = s.territory_id "
                               "LEFT JOIN territories p ON p.id = t.parent_id ORDER BY s.code",
                               &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_school_brief b = {sqlite3_column_int64(st, 0), store_text(st, 1),
                                store_text(st, 2),           store_text(st, 3),
                                store_text(st, 4),           store_text(st, 5),
                                store_text(st, 6)};
        if (fn(arg, &b)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading schools");
}

int store_eval_attrs(shnor *db,
                     int (*fn)(void *arg, int64_t school_id, const char *name, const char *value),
                     void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, "SELECT school_id, name, value FROM school_attrs", &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(arg, sqlite3_column_int64(st, 0), store_text(st, 1), store_text(st, 2))) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading school attributes");
}

int store_eval_attr_columns(shnor *db, int (*fn)(void *arg, const char *name), void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, "SELECT name FROM attr_columns", &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(arg, store_text(st, 0))) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading attribute columns");
}

int store_obs_column(shnor *db, int64_t indicator_id, const char *period,
                     void (*fn)(void *arg, int64_t school_id, double value), void *arg)
{
    sqlite3_stmt *st = store_stmt(db, STMT_OBS_COLUMN);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_int64(st, 1, indicator_id);
    sqlite3_bind_text(st, 2, period, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        fn(arg, sqlite3_column_int64(st, 0), sqlite3_column_double(st, 1));
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading values");
}

int store_listings_each(shnor *db, int (*fn)(void *arg, const store_listing *l), void *arg)
{
    sqlite3_stmt *st = NULL;
    /* The latest run of each pack and listing period, one marker row each
       (school ''), its listed schools, then the listings imported as data. */
    int status = store_prepare(
        db,
        "WITH latest AS (SELECT pack_id, listing_period, max(id) AS id FROM runs "
        "                GROUP BY pack_id, listing_period) "
        "SELECT '', listing_period, pack_id, '', '', 1 FROM latest "
        "UNION ALL "
        "SELECT rl.school, lt.listing_period, lt.pack_id, rl.category, rl.cohort, 1 "
        "FROM latest lt JOIN run_listings rl ON rl.run_id = lt.id WHERE rl.status = 'listed' "
        "UNION ALL "
        "SELECT s.code, l.period, l.pack_id, l.category, l.cohort, 0 FROM listings l "
        "JOIN schools s ON s.id = l.school_id "
        "ORDER BY 1, 2, 3, 4",
        &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_listing l = {store_text(st, 0), store_text(st, 1), store_text(st, 2),
                           store_text(st, 3), store_text(st, 4), sqlite3_column_int(st, 5)};
        if (fn(arg, &l)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading listings");
}

int store_overrides_each(shnor *db, int revoked_too,
                         int (*fn)(void *arg, const store_override *o), void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db,
                               "SELECT o.id, s.code, o.period, o.pack_id, o.category, o.action, "
                               "o.reason, o.by, o.at, o.revoked_at FROM overrides o "
                               "JOIN schools s ON s.id = o.school_id "
                               "WHERE ?1 OR o.revoked_at IS NULL ORDER BY o.id",
                               &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_int(st, 1, revoked_too != 0);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_override o = {sqlite3_column_int64(st, 0), store_text(st, 1), store_text(st, 2),
                            store_text(st, 3),           store_text(st, 4), store_text(st, 5),
                            store_text(st, 6),           store_text(st, 7), store_text(st, 8),
                            store_text(st, 9)};
        if (fn(arg, &o)) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading overrides");
}
