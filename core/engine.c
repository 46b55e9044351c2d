/*
 * engine.c — a pack evaluated on the database (see engine.h).
 */
#include "engine.h"

#include "store.h"

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
    if (p->nterritories && (*ds)->nschools == 0) {
        sb_printf(err, "pack '%s' (%s) evaluates the schools of ", p->id, p->path);
        for (size_t i = 0; i < p->nterritories; i++) {
            sb_printf(err, "%s'%s'", i ? ", " : "", p->territories[i]);
        }
        sb_puts(err, ", and the database has none; import the school register first");
        return SHNOR_NOTFOUND;
    }
    status = eval_listing(p, *ds, period, ev);
    if (status != SHNOR_OK) {
        sb_puts(err, *ev ? (*ev)->err.data : "out of memory");
    }
    return status;
}

void engine_done(shnor *db)
{
    store_end_read(db);
}
