/*
 * store_ref.c — the reference data in the database: territories, schools with
 * their free attributes, and the indicator catalogue.
 *
 * Every function here runs inside the caller's transaction and reports what
 * it changed, so an import can say how many records were new, updated or
 * already present.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "numfmt.h"

static void bind_opt_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s) {
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    } else {
        sqlite3_bind_null(st, i);
    }
}

static void bind_opt_real(sqlite3_stmt *st, int i, double v)
{
    if (isnan(v)) {
        sqlite3_bind_null(st, i);
    } else {
        sqlite3_bind_double(st, i, v);
    }
}

/* Steps a statement that returns no rows; maps failure to a status. */
static int step_done(shnor *db, sqlite3_stmt *st, const char *doing)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, doing);
}

int store_territory_ensure(shnor *db, const char *name, int64_t parent_id, int64_t *id,
                           int *moved)
{
    *moved = 0;
    sqlite3_stmt *st = store_stmt(db, STMT_TERRITORY_GET);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    int64_t had = 0;
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        had = sqlite3_column_int64(st, 1); /* 0 for NULL */
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) {
        if (parent_id == *id) {
            /* Not skipped: that would drop the region the file gives. */
            return shnor_seterr(db, SHNOR_INPUT,
                                "territory '%s' would be a region of itself", name);
        }
        if (parent_id && had != parent_id) {
            sqlite3_stmt *up = store_stmt(db, STMT_TERRITORY_SET_PARENT);
            if (!up) {
                return SHNOR_DB;
            }
            sqlite3_bind_int64(up, 1, *id);
            sqlite3_bind_int64(up, 2, parent_id);
            *moved = had != 0;
            return step_done(db, up, "recording a territory");
        }
        return SHNOR_OK;
    }
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, "reading territories");
    }
    sqlite3_stmt *ins = store_stmt(db, STMT_TERRITORY_INSERT);
    if (!ins) {
        return SHNOR_DB;
    }
    sqlite3_bind_text(ins, 1, name, -1, SQLITE_TRANSIENT);
    if (parent_id) {
        sqlite3_bind_int64(ins, 2, parent_id);
    }
    int status = step_done(db, ins, "recording a territory");
    if (status == SHNOR_OK) {
        *id = sqlite3_last_insert_rowid(db->sql);
    }
    return status;
}

int store_territory_cycle(shnor *db, char **name)
{
    *name = NULL;
    sqlite3_stmt *st;
    int status = store_prepare(
        db,
        "WITH RECURSIVE up(id, start, depth) AS ("
        "  SELECT parent_id, id, 1 FROM territories WHERE parent_id IS NOT NULL"
        "  UNION ALL SELECT t.parent_id, up.start, up.depth + 1 FROM up"
        "  JOIN territories t ON t.id = up.id"
        "  WHERE t.parent_id IS NOT NULL AND up.id <> up.start AND up.depth < 100)"
        "SELECT t.name FROM up JOIN territories t ON t.id = up.start "
        "WHERE up.id = up.start ORDER BY t.name LIMIT 1",
        &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && !(*name = strdup(store_text(st, 0)))) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        status = store_fail(db, rc, "reading territories");
    }
    sqlite3_finalize(st);
    return status;
}

static int same_text(sqlite3_stmt *st, int col, const char *s)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        return s == NULL;
    }
    return s && strcmp(store_text(st, col), s) == 0;
}

int store_school_upsert(shnor *db, const store_school *s, int64_t *id, int *outcome)
{
    sqlite3_stmt *st = store_stmt(db, STMT_SCHOOL_GET);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_text(st, 1, s->code, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        /* Columns the file did not give (NULL) keep their stored value. */
        *id = sqlite3_column_int64(st, 0);
        int same = strcmp(store_text(st, 1), s->name) == 0 &&
                   sqlite3_column_int64(st, 2) == s->territory_id &&
                   (!s->kind || same_text(st, 3, s->kind)) &&
                   (!s->settlement || same_text(st, 4, s->settlement));
        sqlite3_reset(st);
        *outcome = STORE_UNCHANGED;
        if (same) {
            return SHNOR_OK;
        }
        sqlite3_stmt *up = store_stmt(db, STMT_SCHOOL_UPDATE);
        if (!up) {
            return SHNOR_DB;
        }
        sqlite3_bind_int64(up, 1, *id);
        sqlite3_bind_text(up, 2, s->name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(up, 3, s->territory_id);
        bind_opt_text(up, 4, s->kind);
        bind_opt_text(up, 5, s->settlement);
        *outcome = STORE_UPDATED;
        return step_done(db, up, "updating a school");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, "reading schools");
    }
    sqlite3_stmt *ins = store_stmt(db, STMT_SCHOOL_INSERT);
    if (!ins) {
        return SHNOR_DB;
    }
    sqlite3_bind_text(ins, 1, s->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, s->name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(ins, 3, s->territory_id);
    bind_opt_text(ins, 4, s->kind);
    bind_opt_text(ins, 5, s->settlement);
    int status = step_done(db, ins, "adding a school");
    if (status == SHNOR_OK) {
        *id = sqlite3_last_insert_rowid(db->sql);
        *outcome = STORE_INSERTED;
    }
    return status;
}

int store_school_attr_set(shnor *db, int64_t school_id, const char *name, const char *value,
                          int *changed)
{
    sqlite3_stmt *st = store_stmt(db, STMT_SCHOOL_ATTR_SET);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_int64(st, 1, school_id);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, value, -1, SQLITE_TRANSIENT);
    int status = step_done(db, st, "recording a school attribute");
    *changed = status == SHNOR_OK && sqlite3_changes(db->sql) > 0;
    return status;
}

int store_attr_column_add(shnor *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, "INSERT OR IGNORE INTO attr_columns (name) VALUES (?1)", &st);
    if (status != SHNOR_OK) {
        return status;
    }
    sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
    status = step_done(db, st, "recording an attribute column");
    sqlite3_finalize(st);
    return status;
}

int store_school_each(shnor *db, int (*fn)(void *arg, const char *code, int64_t id), void *arg)
{
    sqlite3_stmt *st = NULL;
    int status = store_prepare(db, "SELECT code, id FROM schools", &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (fn(arg, store_text(st, 0), sqlite3_column_int64(st, 1))) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SHNOR_OK : store_fail(db, rc, "reading schools");
}

int store_indicators_load(shnor *db, indicator **out, size_t *n)
{
    sqlite3_stmt *st = NULL;
    indicator *v = NULL;
    size_t count = 0, cap = 0;
    *out = NULL;
    *n = 0;
    int status = store_prepare(db,
                               "SELECT id, code, title, unit, better, min, max "
                               "FROM indicators ORDER BY code",
                               &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            indicator *nv = realloc(v, ncap * sizeof *nv);
            if (!nv) {
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
            cap = ncap;
        }
        indicator *ind = &v[count];
        const char *unit = store_text(st, 3), *better = store_text(st, 4);
        ind->id = sqlite3_column_int64(st, 0);
        ind->code = strdup(store_text(st, 1));
        ind->title = strdup(store_text(st, 2));
        ind->unit = unit_parse(unit, strlen(unit));
        ind->better = better_parse(better, strlen(better));
        ind->min = store_real(st, 5);
        ind->max = store_real(st, 6);
        count++;
        if (!ind->code || !ind->title) {
            rc = SQLITE_NOMEM;
            break;
        }
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        indicators_free(v, count);
        return store_fail(db, rc, "reading indicators");
    }
    *out = v;
    *n = count;
    return SHNOR_OK;
}

static int same_real(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

/* Refuses bounds that values stored for ind fall outside. */
static int bounds_hold(shnor *db, const indicator *ind, int *outcome)
{
    sqlite3_stmt *st = store_stmt(db, STMT_INDICATOR_OUTSIDE);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_int64(st, 1, ind->id);
    bind_opt_real(st, 2, ind->min);
    bind_opt_real(st, 3, ind->max);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return store_fail(db, rc, "reading observations");
    }
    long n = (long)sqlite3_column_int64(st, 0);
    char lo[NUM_BUFSZ], hi[NUM_BUFSZ];
    num_format(sqlite3_column_double(st, 1), lo);
    num_format(sqlite3_column_double(st, 2), hi);
    sqlite3_reset(st);
    if (n == 0) {
        return SHNOR_OK;
    }
    *outcome = STORE_REFUSED_BOUNDS;
    char min[NUM_BUFSZ] = "-", max[NUM_BUFSZ] = "-";
    if (!isnan(ind->min)) {
        num_format(ind->min, min);
    }
    if (!isnan(ind->max)) {
        num_format(ind->max, max);
    }
    return shnor_seterr(db, SHNOR_INPUT,
                        "indicator '%s': %ld stored value%s, from %s to %s, would fall "
                        "outside the new range (min %s, max %s); widen the range, or correct "
                        "those values first",
                        ind->code, n, n == 1 ? "" : "s", lo, hi, min, max);
}

/*
 * A new unit with bounds kept from the stored row (the file had no min or
 * max column): refuses a kept bound outside the new unit's range, as the
 * import refuses such a bound written in the file — an export would no
 * longer import.
 */
static int kept_bounds_fit(shnor *db, const indicator *ind, unsigned keep, int *outcome)
{
    double lo, hi;
    unit_range(ind->unit, &lo, &hi);
    const char *which = NULL;
    double b = NAN;
    if ((keep & STORE_KEEP_MIN) && !isnan(ind->min) &&
        ((!isnan(lo) && ind->min < lo) || (!isnan(hi) && ind->min > hi))) {
        which = "min";
        b = ind->min;
    } else if ((keep & STORE_KEEP_MAX) && !isnan(ind->max) &&
               ((!isnan(lo) && ind->max < lo) || (!isnan(hi) && ind->max > hi))) {
        which = "max";
        b = ind->max;
    }
    if (!which) {
        return SHNOR_OK;
    }
    char bs[NUM_BUFSZ], range[RANGE_BUFSZ];
    num_format(b, bs);
    range_text(lo, hi, range);
    *outcome = STORE_REFUSED_UNIT;
    return shnor_seterr(db, SHNOR_INPUT,
                        "indicator '%s': its stored %s %s is outside the range of a %s (%s); "
                        "give the file min and max columns (an empty cell clears a bound)",
                        ind->code, which, bs, unit_name(ind->unit), range);
}

int store_indicator_upsert(shnor *db, indicator *ind, unsigned keep, int *outcome)
{
    sqlite3_stmt *st = store_stmt(db, STMT_INDICATOR_GET);
    if (!st) {
        return SHNOR_DB;
    }
    sqlite3_bind_text(st, 1, ind->code, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *unit = store_text(st, 2), *better = store_text(st, 3);
        int old_unit = unit_parse(unit, strlen(unit));
        ind->id = sqlite3_column_int64(st, 0);
        if (keep & STORE_KEEP_MIN) {
            ind->min = store_real(st, 4);
        }
        if (keep & STORE_KEEP_MAX) {
            ind->max = store_real(st, 5);
        }
        int bounds_same = same_real(store_real(st, 4), ind->min) &&
                          same_real(store_real(st, 5), ind->max);
        int same = strcmp(store_text(st, 1), ind->title) == 0 && old_unit == ind->unit &&
                   better_parse(better, strlen(better)) == ind->better &&
                   same_real(store_real(st, 4), ind->min) &&
                   same_real(store_real(st, 5), ind->max);
        sqlite3_reset(st);
        *outcome = STORE_UNCHANGED;
        if (same) {
            return SHNOR_OK;
        }
        if (old_unit != ind->unit) {
            sqlite3_stmt *hv = store_stmt(db, STMT_INDICATOR_HAS_VALUES);
            if (!hv) {
                return SHNOR_DB;
            }
            sqlite3_bind_int64(hv, 1, ind->id);
            rc = sqlite3_step(hv);
            int has = rc == SQLITE_ROW && sqlite3_column_int(hv, 0);
            sqlite3_reset(hv);
            if (rc != SQLITE_ROW) {
                return store_fail(db, rc, "reading observations");
            }
            if (has) {
                *outcome = STORE_REFUSED_UNIT;
                return shnor_seterr(db, SHNOR_INPUT,
                                    "indicator '%s' already has values in %s; its unit "
                                    "cannot change to %s",
                                    ind->code, unit_name(old_unit), unit_name(ind->unit));
            }
        }
        int status;
        if (old_unit != ind->unit && (status = kept_bounds_fit(db, ind, keep, outcome)) !=
                                         SHNOR_OK) {
            return status;
        }
        if (!bounds_same && (status = bounds_hold(db, ind, outcome)) != SHNOR_OK) {
            return status;
        }
        sqlite3_stmt *up = store_stmt(db, STMT_INDICATOR_UPDATE);
        if (!up) {
            return SHNOR_DB;
        }
        sqlite3_bind_int64(up, 1, ind->id);
        sqlite3_bind_text(up, 2, ind->title, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(up, 3, unit_name(ind->unit), -1, SQLITE_STATIC);
        sqlite3_bind_text(up, 4, better_name(ind->better), -1, SQLITE_STATIC);
        bind_opt_real(up, 5, ind->min);
        bind_opt_real(up, 6, ind->max);
        *outcome = STORE_UPDATED;
        return step_done(db, up, "updating an indicator");
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return store_fail(db, rc, "reading indicators");
    }
    sqlite3_stmt *ins = store_stmt(db, STMT_INDICATOR_INSERT);
    if (!ins) {
        return SHNOR_DB;
    }
    sqlite3_bind_text(ins, 1, ind->code, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 2, ind->title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(ins, 3, unit_name(ind->unit), -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 4, better_name(ind->better), -1, SQLITE_STATIC);
    bind_opt_real(ins, 5, ind->min);
    bind_opt_real(ins, 6, ind->max);
    int status = step_done(db, ins, "adding an indicator");
    if (status == SHNOR_OK) {
        ind->id = sqlite3_last_insert_rowid(db->sql);
        *outcome = STORE_INSERTED;
    }
    return status;
}

/* The texts of column 0 of sql's rows, malloc'ed (see store_attr_names). */
static int names_of(shnor *db, const char *sql, const char *doing, char ***names, size_t *n)
{
    sqlite3_stmt *st = NULL;
    char **v = NULL;
    size_t count = 0, cap = 0;
    *names = NULL;
    *n = 0;
    int status = store_prepare(db, sql, &st);
    if (status != SHNOR_OK) {
        return status;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (count == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            char **nv = realloc(v, ncap * sizeof *nv);
            if (!nv) {
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
            cap = ncap;
        }
        if (!(v[count] = strdup(store_text(st, 0)))) {
            rc = SQLITE_NOMEM;
            break;
        }
        count++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        for (size_t i = 0; i < count; i++) {
            free(v[i]);
        }
        free(v);
        return store_fail(db, rc, doing);
    }
    *names = v;
    *n = count;
    return SHNOR_OK;
}

int store_attr_names(shnor *db, char ***names, size_t *n)
{
    return names_of(db,
                    "SELECT name FROM attr_columns UNION SELECT name FROM school_attrs "
                    "ORDER BY name",
                    "reading school attributes", names, n);
}

int store_territory_names(shnor *db, char ***names, size_t *n)
{
    return names_of(db, "SELECT name FROM territories ORDER BY id", "reading territories",
                    names, n);
}

int store_school_rows(shnor *db, int (*fn)(void *arg, const store_school_row *row), void *arg)
{
    sqlite3_stmt *st = NULL, *at = NULL;
    const char **names = NULL, **values = NULL;
    size_t cap = 0;
    int status = store_prepare(db,
                               "SELECT s.id, s.code, s.name, t.name, coalesce(p.name, ''), "
                               "coalesce(s.kind, ''), coalesce(s.settlement, '') "
                               "FROM schools s JOIN territories t ON t.id = s.territory_id "
                               "LEFT JOIN territories p ON p.id = t.parent_id "
                               "ORDER BY s.code",
                               &st);
    if (status == SHNOR_OK) {
        status = store_prepare(db,
                               "SELECT name, value FROM school_attrs WHERE school_id = ?1 "
                               "ORDER BY name",
                               &at);
    }
    int rc = SQLITE_DONE;
    while (status == SHNOR_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_school_row row = {
            .code = store_text(st, 1),
            .name = store_text(st, 2),
            .territory = store_text(st, 3),
            .region = store_text(st, 4),
            .kind = store_text(st, 5),
            .settlement = store_text(st, 6),
        };
        sqlite3_bind_int64(at, 1, sqlite3_column_int64(st, 0));
        while ((rc = sqlite3_step(at)) == SQLITE_ROW) {
            if (row.nattrs == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                const char **nn = realloc(names, ncap * sizeof *nn);
                const char **nv = nn ? realloc(values, ncap * sizeof *nv) : NULL;
                if (nn) {
                    names = nn;
                }
                if (!nv) {
                    rc = SQLITE_NOMEM;
                    break;
                }
                values = nv;
                cap = ncap;
            }
            /* A row's text lives only until the next step: copy it. */
            names[row.nattrs] = sqlite3_mprintf("%s", store_text(at, 0));
            values[row.nattrs] = sqlite3_mprintf("%s", store_text(at, 1));
            row.nattrs++;
            if (!names[row.nattrs - 1] || !values[row.nattrs - 1]) {
                rc = SQLITE_NOMEM;
                break;
            }
        }
        int stop = 0;
        if (rc == SQLITE_DONE) {
            row.attr_names = names;
            row.attr_values = values;
            stop = fn(arg, &row);
        }
        for (size_t i = 0; i < row.nattrs; i++) {
            sqlite3_free((void *)names[i]);
            sqlite3_free((void *)values[i]);
        }
        sqlite3_reset(at);
        if (rc != SQLITE_DONE) {
            break;
        }
        if (stop) {
            break;
        }
        rc = SQLITE_ROW;
    }
    if (status == SHNOR_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        status = store_fail(db, rc, "reading schools");
    }
    sqlite3_finalize(st);
    sqlite3_finalize(at);
    free(names);
    free(values);
    return status;
}
