/*
 * engine.c — a pack evaluated on the database (see engine.h).
 */
#include "engine.h"

#include <sqlite3.h>
#include <string.h>

#include "store.h"

/* Ends the message about a pack whose territories have no schools: a name
   that is no territory of the database is most likely misspelt, so the
   names it has are listed; else the register is not imported yet. */
static void territories_known(shnor *db, const pack *p, strbuf *err)
{
    sqlite3_stmt *st = NULL;
    if (store_prepare(db, "SELECT name FROM territories ORDER BY name", &st) != SHNOR_OK) {
        sb_printf(err, " (the database's territories could not be read: %s)",
                  shnor_errmsg(db));
        return;
    }
    strbuf other = STRBUF_INIT;
    int n = 0, rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = store_text(st, 0);
        size_t i = 0;
        while (i < p->nterritories && text_same(p->territories[i], name) != 1) {
            i++;
        }
        /* the pack's own names are known to have no school */
        if (i == p->nterritories && ++n <= 20) {
            sb_printf(&other, "%s'%s'", n > 1 ? ", " : "", name);
        }
    }
    if (rc != SQLITE_DONE) {
        store_fail(db, rc, "reading the territories");
        sb_printf(err, " (the database's territories could not be read: %s)",
                  shnor_errmsg(db));
    } else if (n == 0) {
        sb_puts(err, ", and the database has none; import the school register first");
    } else {
        sb_printf(err, ", and the database has no school there; check the pack's 'territory' "
                       "against the database's territories: %s%s",
                  other.data, n > 20 ? ", …" : "");
    }
    sqlite3_finalize(st);
    sb_free(&other);
}

/* Each of the pack's territories is one of the database: one misspelt name
   of several silently left its schools out. */
static int territories_exist(shnor *db, const pack *p, strbuf *err)
{
    sqlite3_stmt *st = NULL;
    if (!p->nterritories) {
        return SHNOR_OK;
    }
    /* names compared as the import compares them (case, ё, spaces) */
    int status = store_prepare(db, "SELECT name FROM territories", &st);
    if (status != SHNOR_OK) {
        sb_puts(err, shnor_errmsg(db));
        return status;
    }
    size_t missing = 0;
    strbuf names = STRBUF_INIT;
    for (size_t i = 0; i < p->nterritories; i++) {
        int rc, found = 0;
        while (!found && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            found = text_same(p->territories[i], store_text(st, 0)) == 1;
        }
        if (!found && rc != SQLITE_DONE) {
            status = store_fail(db, rc, "reading the territories");
            sb_puts(err, shnor_errmsg(db));
            break;
        }
        if (!found) {
            sb_printf(&names, "%s'%s'", missing++ ? ", " : "", p->territories[i]);
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (status == SHNOR_OK && missing && missing < p->nterritories) {
        /* (all of them missing: the message below, with no school at all) */
        sb_printf(err, "pack '%s' (%s): %s %s in its 'territory' %s no territory of the "
                       "database",
                  p->id, p->path, missing == 1 ? "the name" : "the names", names.data,
                  missing == 1 ? "is" : "are");
        territories_known(db, p, err);
        status = SHNOR_NOTFOUND;
    }
    sb_free(&names);
    return status;
}

int engine_check_territories(shnor *db, const pack *p, const dataset *ds, strbuf *err)
{
    int status = territories_exist(db, p, err);
    if (status != SHNOR_OK) {
        return status;
    }
    if (p->nterritories && ds->nschools == 0) {
        sb_printf(err, "pack '%s' (%s) evaluates the schools of ", p->id, p->path);
        for (size_t i = 0; i < p->nterritories; i++) {
            sb_printf(err, "%s'%s'", i ? ", " : "", p->territories[i]);
        }
        territories_known(db, p, err);
        return SHNOR_NOTFOUND;
    }
    return SHNOR_OK;
}

int engine_listing(shnor *db, pack *p, shnor_period period, dataset **ds, evaluation **ev,
                   strbuf *err)
{
    *ds = NULL;
    *ev = NULL;
    int status = store_begin_read(db);
    if (status == SHNOR_OK) {
        status = ds_load_db_filtered(db, (const char *const *)p->territories, p->nterritories,
                                     ds);
    }
    if (status != SHNOR_OK) {
        sb_puts(err, shnor_errmsg(db));
        return status;
    }
    if ((status = engine_check_territories(db, p, *ds, err)) != SHNOR_OK) {
        return status;
    }
    status = eval_listing(p, *ds, period, ev);
    if (status != SHNOR_OK) {
        sb_puts(err, *ev ? (*ev)->err.data : "out of memory");
        return status;
    }
    return eval_check_codes(*ev, err);
}

void engine_done(shnor *db)
{
    store_end_read(db);
}
