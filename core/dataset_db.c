/*
 * dataset_db.c — a dataset read from the database: schools and attributes
 * in two scans, indicators and imported listings, and columns loaded on
 * first use by key range.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "store.h"

typedef struct {
    shnor *db;
    int32_t *index_of_id; /* school id -> dataset index, -1 when absent */
    int64_t max_id;
    dataset *ds;
    /* while loading */
    int64_t *ids;
    size_t nids, capids;
    const char *const *only; /* territory filter */
    size_t nonly;
} db_source;

static void set_value(void *arg, int64_t school_id, double value)
{
    double **pv = arg;
    db_source *src = (db_source *)pv[1];
    if (school_id >= 0 && school_id <= src->max_id && src->index_of_id[school_id] >= 0) {
        pv[0][src->index_of_id[school_id]] = value;
    }
}

static int load_column(void *arg, const ds_column *col, const indicator *ind, double *v,
                       char *err, size_t errlen)
{
    db_source *src = arg;
    double *pv[2] = {v, (double *)src};
    int status = store_obs_column(src->db, ind->id, col->period_text, set_value, pv);
    if (status != SHNOR_OK) {
        snprintf(err, errlen, "%s", shnor_errmsg(src->db));
    }
    return status;
}

static void free_source(void *arg)
{
    db_source *src = arg;
    free(src->index_of_id);
    free(src->ids);
    free(src);
}

static int kept(const db_source *src, const store_school_brief *b)
{
    if (src->nonly == 0) {
        return 1;
    }
    /* a pack's territory as people write it: «георгиевский городской округ»
       is the register's «Георгиевский городской округ», as in the import */
    for (size_t i = 0; i < src->nonly; i++) {
        if (text_same(src->only[i], b->territory) == 1 || text_same(src->only[i], b->region) == 1) {
            return 1;
        }
    }
    return 0;
}

static int add_school(void *arg, const store_school_brief *b)
{
    db_source *src = arg;
    if (!kept(src, b)) {
        if (b->id > src->max_id) {
            src->max_id = b->id;
        }
        return 0;
    }
    if (ds_add_school(src->ds, b->code, b->name, b->territory, b->region, b->kind,
                      b->settlement) < 0) {
        return 1;
    }
    if (src->nids == src->capids) {
        size_t ncap = src->capids ? src->capids * 2 : 1024;
        int64_t *n = realloc(src->ids, ncap * sizeof *n);
        if (!n) {
            return 1;
        }
        src->ids = n;
        src->capids = ncap;
    }
    src->ids[src->nids++] = b->id;
    if (b->id > src->max_id) {
        src->max_id = b->id;
    }
    return 0;
}

static int add_override(void *arg, const store_override *o)
{
    db_source *src = arg;
    int i = ds_school_index(src->ds, o->school);
    return i >= 0 && ds_add_override(src->ds, o->id, i, o->period, o->pack_id, o->category,
                                     strcmp(o->action, "include") == 0, o->reason, o->by,
                                     o->at) < 0;
}

static int add_attr_name(void *arg, const char *name)
{
    return ds_add_attr_name(arg, name) < 0;
}

static int add_attr(void *arg, int64_t school_id, const char *name, const char *value)
{
    db_source *src = arg;
    if (school_id < 0 || school_id > src->max_id || src->index_of_id[school_id] < 0) {
        return 0;
    }
    return ds_add_attr(src->ds, src->index_of_id[school_id], name, value) < 0;
}

static int add_listing(void *arg, const store_listing *l)
{
    db_source *src = arg;
    if (!*l->school) {
        return ds_add_run_mark(src->ds, l->period, l->pack_id) < 0;
    }
    int i = ds_school_index(src->ds, l->school);
    if (i < 0) {
        return 0; /* a school outside the pack's territory */
    }
    int k = ds_add_listing(src->ds, i, l->period, l->pack_id, l->category, l->cohort);
    if (k < 0) {
        return 1;
    }
    src->ds->listings[k].from_run = l->from_run;
    return 0;
}

int ds_load_db(shnor *db, dataset **out)
{
    return ds_load_db_filtered(db, NULL, 0, out);
}

int ds_load_db_filtered(shnor *db, const char *const *territories, size_t n, dataset **out)
{
    db_source *src = calloc(1, sizeof *src);
    *out = NULL;
    if (!src) {
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    src->db = db;
    src->only = territories;
    src->nonly = n;
    ds_source source = {load_column, src, free_source};
    dataset *ds = ds_new(source);
    if (!ds) {
        free_source(src);
        return shnor_seterr(db, SHNOR_NOMEM, "out of memory");
    }
    src->ds = ds;
    indicator *inds = NULL;
    size_t ninds = 0;
    int status = store_eval_schools(db, add_school, src);
    if (status != SHNOR_OK) {
        goto fail;
    }
    src->index_of_id = malloc(((size_t)src->max_id + 1) * sizeof *src->index_of_id);
    if (!src->index_of_id) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
        goto fail;
    }
    for (int64_t i = 0; i <= src->max_id; i++) {
        src->index_of_id[i] = -1;
    }
    /* Schools arrive ordered by code, which is the dataset's order. */
    for (size_t i = 0; i < src->nids; i++) {
        src->index_of_id[src->ids[i]] = (int32_t)i;
    }
    if ((status = store_eval_attrs(db, add_attr, src)) != SHNOR_OK ||
        (status = store_eval_attr_columns(db, add_attr_name, ds)) != SHNOR_OK ||
        (status = store_indicators_load(db, &inds, &ninds)) != SHNOR_OK) {
        goto fail;
    }
    ds->attrs_complete = 1; /* every attribute of the schools is there */
    for (size_t i = 0; i < ninds; i++) {
        if (ds_add_indicator(ds, &inds[i]) < 0) {
            status = shnor_seterr(db, SHNOR_NOMEM, "out of memory");
            goto fail;
        }
    }
    indicators_free(inds, ninds);
    inds = NULL;
    if (ds_finish(ds) != 0) {
        status = shnor_seterr(db, SHNOR_NOMEM, "reading schools: %s",
                              ds->err[0] ? ds->err : "out of memory");
        goto fail;
    }
    if ((status = store_listings_each(db, add_listing, src)) != SHNOR_OK ||
        (status = store_overrides_each(db, 0, add_override, src)) != SHNOR_OK) {
        goto fail;
    }
    if (ds_index_listings(ds) != 0) {
        status = shnor_seterr(db, SHNOR_NOMEM, "out of memory indexing listings");
        goto fail;
    }
    src->only = NULL; /* borrowed for the load only */
    src->nonly = 0;
    *out = ds;
    return SHNOR_OK;
fail:
    indicators_free(inds, ninds);
    ds_free(ds);
    return status;
}
