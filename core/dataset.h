/*
 * dataset.h — the data one pack evaluation reads, held in memory.
 *
 * Schools are ordered by code (the order of every output). Observations are
 * columns: one array of doubles per (indicator, period), NAN where a school
 * has no value, loaded in bulk on first use — from the database, or from a
 * pack's test fixture — never one query per value. Population figures (count,
 * mean, percentiles, ranks) over a scope — all schools, one territory, or a
 * group of similar schools — are computed once per column and scope and kept.
 *
 * Invariants:
 *  1. schools[i].code < schools[i+1].code (byte order).
 *  2. a column, once loaded, never changes during the evaluation.
 *  3. scope 0 is "all schools"; scopes 1..nterritories are territories (and
 *     regions) in the order of territories[]; higher ids are groups.
 */
#ifndef SHNOR_DATASET_H
#define SHNOR_DATASET_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "shnor.h"
#include "strbuf.h"
#include "strmap.h"

typedef struct {
    char *code, *name, *kind, *settlement; /* kind, settlement: "" when unknown */
    int territory;                         /* index in territories */
    int region;                            /* index in territories, -1 when none */
    size_t nattrs;
    char **attr_names; /* sorted by name; each followed by its folded form */
    char **attr_values;
} ds_school;

typedef struct {
    int indicator; /* index in inds */
    shnor_period period;
    char period_text[SHNOR_PERIOD_MAX];
    double *v; /* nschools values, NAN when missing */
    size_t count;
    /* Figures over scopes 0..nscopes-1 (all schools and each territory),
       NULL until computed; published with release, read with acquire. */
    _Atomic(struct ds_stats *) *stats_at;
    size_t nscopes;
    int next_of_ind; /* the indicator's previous column, -1 for none */
} ds_column;

/* Population figures of one column over one scope. */
typedef struct ds_stats {
    size_t n;       /* schools of the scope with a value */
    double mean;    /* NAN when n == 0 */
    double *sorted; /* the n values ascending */
} ds_stats;

typedef struct {
    char *key;         /* canonical description, also the cache key */
    char *description; /* for explanations: "same kind СОШ" */
    unsigned char *member; /* nschools flags */
    size_t size;
} ds_group;

/* Where columns come from. */
typedef struct {
    /* Fills col->v (already allocated, all NAN) for the column's indicator and
       period; returns SHNOR_OK or a status with the message in err. */
    int (*load)(void *arg, const ds_column *col, const indicator *ind, double *v, char *err,
                size_t errlen);
    void *arg;
    void (*free_arg)(void *arg); /* called by ds_free; may be NULL */
} ds_source;

/* An earlier listing: school listed in category in period (by a run or
   imported as data). */
typedef struct {
    int school;
    char period[SHNOR_PERIOD_MAX];
    char *pack_id; /* "" when the listing names no pack */
    char *category;
    char *cohort; /* "" when none */
    int from_run; /* kept by a run (else imported as data) */
} ds_listing;

/* A pack and listing period that a kept run covers: its listing replaces
   the imported ones for that pack and period, even when it listed nobody. */
typedef struct {
    char *pack_id;
    char period[SHNOR_PERIOD_MAX];
} ds_run_mark;

/* A person's decision on top of the criteria: include or exclude a school
   from a category in a period, with why and who. */
typedef struct {
    int64_t id;
    int school;
    char period[SHNOR_PERIOD_MAX];
    char *pack_id; /* "" applies to every pack */
    char *category;
    int include; /* 1 include, 0 exclude */
    char *reason, *by, *at;
} ds_override;

typedef struct dataset {
    ds_school *schools;
    size_t nschools, capschools;
    strmap *school_by_code; /* code -> index */

    indicator *inds;
    size_t ninds;
    strmap *ind_by_code; /* code -> index */

    char **territories; /* names; regions included */
    size_t nterritories;
    strmap *territory_by_name; /* name -> index */

    /* Two threads may evaluate at once (eval_halves.c): what is loaded on first
       use is made under lock, and cols and groups never move under a
       reader: a full array is copied and the old one kept in retired. */
    pthread_mutex_t lock;
    _Atomic(ds_column **) cols;
    size_t ncols, capcols;
    int *last_col_of_ind; /* per indicator its latest column (-1 for none),
                             chained by next_of_ind; nlast_col entries */
    size_t nlast_col;

    _Atomic(ds_group **) groups;
    size_t ngroups, capgroups;
    strmap *group_by_key;
    void **retired;
    size_t nretired, capretired;

    strmap *stats_by_key; /* "col:scope" -> index into stats, for groups */
    ds_stats **stats;     /* of groups (territories' are in their columns) */
    size_t nstats, capstats;
    /* The schools of territory t (or region) in code order:
       members[member_first[t] .. member_first[t + 1]), built on first use. */
    int *members;
    size_t *member_first;
    atomic_int members_built; /* set (release) once both are there */

    ds_listing *listings; /* by school after ds_index_listings */
    size_t nlistings, caplistings;
    size_t *listing_first; /* nschools + 1: listings of school i are [first[i], first[i+1]) */
    ds_run_mark *run_marks;
    size_t nrun_marks, caprun_marks;

    ds_override *overrides;
    size_t noverrides, capoverrides;

    /* The folded name of every attribute a school has or the register has a
       column of, each also as first spelt (attr_list), and whether these are
       all the data has (loaded from a database, not a pack's test case): a
       name not among them is then a misspelt one (ds_attr_known). */
    strmap *attr_folded;
    char **attr_list;
    size_t nattr_list;
    int attrs_complete;

    ds_source source;
    char err[512];
} dataset;

/* An empty dataset reading columns from source. Caller frees with ds_free. */
dataset *ds_new(ds_source source);
void ds_free(dataset *ds);

/* Building (the loaders in dataset_db.c and fixture.c use these). Each returns
   the new index, or -1 when memory ran out. Schools must be added in code
   order; ds_sort_schools() restores it when they were not. */
int ds_add_territory(dataset *ds, const char *name);
int ds_add_school(dataset *ds, const char *code, const char *name, const char *territory,
                  const char *region, const char *kind, const char *settlement);
int ds_add_attr(dataset *ds, int school, const char *name, const char *value);
/* Makes name a known attribute though no school may have a value of it. */
int ds_add_attr_name(dataset *ds, const char *name);
int ds_add_indicator(dataset *ds, const indicator *ind);
int ds_add_listing(dataset *ds, int school, const char *period, const char *pack_id,
                   const char *category, const char *cohort);
int ds_add_override(dataset *ds, int64_t id, int school, const char *period, const char *pack_id,
                    const char *category, int include, const char *reason, const char *by,
                    const char *at);

/* Records that a run of pack_id covers period (see ds_run_mark). */
int ds_add_run_mark(dataset *ds, const char *period, const char *pack_id);
/* Orders the listings by school and indexes them; call after the last
   ds_add_listing (ds_add_listing drops the index). 0 or -1 on OOM. */
int ds_index_listings(dataset *ds);

/* 1 when school was listed in category (NULL: any) in period, by the given
   pack (NULL: any). For a pack, the listing of its latest run of that period
   counts when one was kept; otherwise the listings imported as data (those
   naming no pack count for every pack). */
int ds_was_listed(const dataset *ds, int school, const char *period, const char *category,
                  const char *pack_id);
/* Sorts schools by code and their attributes by name; fails on a duplicate code. */
int ds_finish(dataset *ds);

int ds_school_index(const dataset *ds, const char *code);
int ds_indicator_index(const dataset *ds, const char *code);
int ds_territory_index(const dataset *ds, const char *name);
/* The value of attribute name of school i, or NULL. A name spelt otherwise
   matches as the importer matches headers: case, ё and extra spaces aside
   (text_fold). */
const char *ds_attr(const dataset *ds, int school, const char *name);
/* 1 when name is a known attribute of ds — a school has it or the register
   has a column of it (as ds_attr matches names) — or when ds is not known to
   hold every attribute (attrs_complete unset). */
int ds_attr_known(const dataset *ds, const char *name);
/* The known attributes' names (as first spelt), sorted, joined by ", ", at
   most max of them then "…"; caller frees. NULL on OOM. */
char *ds_attr_names(const dataset *ds, size_t max);

/*
 * The column of indicator ind (index) in period p, loading it on first use.
 * Returns the column index, or -1 with ds->err set.
 */
int ds_column_get(dataset *ds, int ind, shnor_period p);

/*
 * A scope id for population figures: 0 all schools, a territory (or region)
 * by name, or a group. -1 when the name is unknown.
 */
int ds_scope_territory(const dataset *ds, const char *name);
/* 1 when school i belongs to scope. */
int ds_in_scope(const dataset *ds, int scope, int school);
/* A description of a scope for explanations ("все школы", "Кедровый"). */
const char *ds_scope_name(const dataset *ds, int scope);

/*
 * The group of schools sharing what key describes with `school`, created on
 * first use. key is a canonical description built by the caller
 * (bridge_figures.c); member(ds, school, other, arg) decides membership.
 * Returns the scope id; *created tells whether this call made the group.
 */
int ds_group_get(dataset *ds, const char *key, const char *description,
                 int (*member)(dataset *ds, int other, void *arg), void *arg, int *created);

/* The figures of column col over scope, computed once, from the scope's
   schools only (a territory's are listed once for all columns). The pointer
   stays valid until ds_free. NULL on OOM. */
const ds_stats *ds_stats_get(dataset *ds, int col, int scope);

/*
 * A dataset of the whole database (dataset_db.c): every school, territory,
 * attribute, indicator and imported listing; columns read on first use, in
 * the caller's read transaction. On failure returns the status with the
 * message on db.
 */
struct shnor;
int ds_load_db(struct shnor *db, dataset **out);

/* As ds_load_db, keeping only the schools whose territory or region is one of
   the n names (n == 0: all schools). */
int ds_load_db_filtered(struct shnor *db, const char *const *territories, size_t n,
                        dataset **out);

/*
 * Percentile q (0..1) of a sorted array, by linear interpolation between
 * closest ranks (Excel's PERCENTILE.INC, R's type 7). NAN when n == 0.
 */
double ds_percentile(const double *sorted, size_t n, double q);

#endif
