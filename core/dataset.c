/*
 * dataset.c — schools, indicators and observation columns in memory for one
 * evaluation (see dataset.h); the figures over scopes are in dataset_stats.c.
 */
#include "dataset.h"

#include "humanfmt.h"
#include "period.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Grows *arr (of *cap elements of size sz) to hold n + 1; 0 or -1. */
static int grow(void **arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap) {
        return 0;
    }
    size_t ncap = *cap ? *cap * 2 : 16;
    void *p = realloc(*arr, ncap * sz);
    if (!p) {
        return -1;
    }
    *arr = p;
    *cap = ncap;
    return 0;
}

/*
 * Grows an array that another thread may be reading without the lock to
 * hold n + 1: the entries are copied to a new array, which is published, and
 * the old one is kept (in ds->retired, freed by ds_free) for the reader that
 * still holds it. Under ds->lock; the new array or NULL.
 */
static void **grow_stable(dataset *ds, void **arr, size_t *cap, size_t n)
{
    if (n < *cap) {
        return arr;
    }
    size_t ncap = *cap ? *cap * 2 : 16;
    void **p = malloc(ncap * sizeof *p);
    if (!p || grow((void **)&ds->retired, &ds->capretired, ds->nretired,
                   sizeof *ds->retired) < 0) {
        free(p);
        return NULL;
    }
    if (n) {
        memcpy(p, arr, n * sizeof *p);
    }
    if (arr) {
        ds->retired[ds->nretired++] = arr;
    }
    *cap = ncap;
    return p;
}

dataset *ds_new(ds_source source)
{
    dataset *ds = calloc(1, sizeof *ds);
    if (!ds) {
        return NULL;
    }
    ds->source = source;
    /* Recursive: a group's member test, called under the lock, may read. */
    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&ds->lock, &attr);
    pthread_mutexattr_destroy(&attr);
    ds->school_by_code = strmap_new();
    ds->ind_by_code = strmap_new();
    ds->territory_by_name = strmap_new();
    ds->group_by_key = strmap_new();
    ds->stats_by_key = strmap_new();
    if (!ds->school_by_code || !ds->ind_by_code || !ds->territory_by_name ||
        !ds->group_by_key || !ds->stats_by_key) {
        ds_free(ds);
        return NULL;
    }
    return ds;
}

static void school_free(ds_school *s)
{
    free(s->code);
    free(s->name);
    free(s->kind);
    free(s->settlement);
    for (size_t i = 0; i < s->nattrs; i++) {
        free(s->attr_names[i]);
        free(s->attr_values[i]);
    }
    free(s->attr_names);
    free(s->attr_values);
}

void ds_free(dataset *ds)
{
    if (!ds) {
        return;
    }
    for (size_t i = 0; i < ds->nschools; i++) {
        school_free(&ds->schools[i]);
    }
    free(ds->schools);
    strmap_free(ds->attr_folded);
    for (size_t i = 0; i < ds->nattr_list; i++) {
        free(ds->attr_list[i]);
    }
    free(ds->attr_list);
    indicators_free(ds->inds, ds->ninds);
    for (size_t i = 0; i < ds->nterritories; i++) {
        free(ds->territories[i]);
    }
    free(ds->territories);
    for (size_t i = 0; i < ds->ncols; i++) {
        ds_column *c = ds->cols[i];
        for (size_t k = 0; k < c->nscopes; k++) {
            ds_stats *st = atomic_load(&c->stats_at[k]);
            if (st) {
                free(st->sorted);
                free(st);
            }
        }
        free(c->v);
        free(c->stats_at);
        free(c);
    }
    free(ds->members);
    free(ds->member_first);
    free(ds->cols);
    for (size_t i = 0; i < ds->ngroups; i++) {
        free(ds->groups[i]->key);
        free(ds->groups[i]->description);
        free(ds->groups[i]->member);
        free(ds->groups[i]);
    }
    free(ds->groups);
    for (size_t i = 0; i < ds->nstats; i++) {
        free(ds->stats[i]->sorted);
        free(ds->stats[i]);
    }
    free(ds->stats);
    for (size_t i = 0; i < ds->nretired; i++) {
        free(ds->retired[i]);
    }
    free(ds->retired);
    for (size_t i = 0; i < ds->nlistings; i++) {
        free(ds->listings[i].pack_id);
        free(ds->listings[i].category);
        free(ds->listings[i].cohort);
    }
    free(ds->listings);
    free(ds->listing_first);
    for (size_t i = 0; i < ds->nrun_marks; i++) {
        free(ds->run_marks[i].pack_id);
    }
    free(ds->run_marks);
    for (size_t i = 0; i < ds->noverrides; i++) {
        free(ds->overrides[i].pack_id);
        free(ds->overrides[i].category);
        free(ds->overrides[i].reason);
        free(ds->overrides[i].by);
        free(ds->overrides[i].at);
    }
    free(ds->overrides);
    if (ds->source.free_arg) {
        ds->source.free_arg(ds->source.arg);
    }
    strmap_free(ds->school_by_code);
    strmap_free(ds->ind_by_code);
    strmap_free(ds->territory_by_name);
    free(ds->last_col_of_ind);
    strmap_free(ds->group_by_key);
    strmap_free(ds->stats_by_key);
    pthread_mutex_destroy(&ds->lock);
    free(ds);
}

int ds_add_territory(dataset *ds, const char *name)
{
    int added;
    int64_t *slot = strmap_put(ds->territory_by_name, name, strlen(name), &added);
    if (!slot) {
        return -1;
    }
    if (!added) {
        return (int)*slot;
    }
    char *copy = strdup(name);
    char **nt = copy ? realloc(ds->territories, (ds->nterritories + 1) * sizeof *nt) : NULL;
    if (!nt) {
        free(copy);
        return -1;
    }
    ds->territories = nt;
    ds->territories[ds->nterritories] = copy;
    *slot = (int64_t)ds->nterritories;
    return (int)ds->nterritories++;
}

static char *dup_or_empty(const char *s)
{
    return strdup(s ? s : "");
}

int ds_add_school(dataset *ds, const char *code, const char *name, const char *territory,
                  const char *region, const char *kind, const char *settlement)
{
    if (grow((void **)&ds->schools, &ds->capschools, ds->nschools, sizeof *ds->schools) < 0) {
        return -1;
    }
    ds_school *s = &ds->schools[ds->nschools];
    memset(s, 0, sizeof *s);
    s->territory = ds_add_territory(ds, territory && *territory ? territory : "?");
    s->region = region && *region ? ds_add_territory(ds, region) : -1;
    s->code = strdup(code);
    s->name = dup_or_empty(name);
    s->kind = dup_or_empty(kind);
    s->settlement = dup_or_empty(settlement);
    if (!s->code || !s->name || !s->kind || !s->settlement || s->territory < 0 ||
        (region && *region && s->region < 0)) {
        school_free(s);
        return -1;
    }
    return (int)ds->nschools++;
}

/* Adds the folded name to ds's known attributes; a new one is also listed
   as spelt (ds_attr_names). 0, or -1 when memory ran out. */
static int attr_note(dataset *ds, const char *name, const char *folded, size_t flen)
{
    if (!ds->attr_folded && !(ds->attr_folded = strmap_new())) {
        return -1;
    }
    int added;
    if (!strmap_put(ds->attr_folded, folded, flen, &added)) {
        return -1;
    }
    if (!added) {
        return 0;
    }
    char **nl = realloc(ds->attr_list, (ds->nattr_list + 1) * sizeof *nl);
    if (!nl) {
        return -1;
    }
    ds->attr_list = nl;
    if (!(nl[ds->nattr_list] = strdup(name))) {
        return -1;
    }
    ds->nattr_list++;
    return 0;
}

int ds_add_attr_name(dataset *ds, const char *name)
{
    size_t len = strlen(name);
    char *folded = malloc(len + 1);
    int rc = folded ? attr_note(ds, name, folded, text_fold(name, len, folded)) : -1;
    free(folded);
    return rc;
}

int ds_add_attr(dataset *ds, int school, const char *name, const char *value)
{
    ds_school *s = &ds->schools[school];
    char **nn = realloc(s->attr_names, (s->nattrs + 1) * sizeof *nn);
    if (!nn) {
        return -1;
    }
    s->attr_names = nn;
    char **nv = realloc(s->attr_values, (s->nattrs + 1) * sizeof *nv);
    if (!nv) {
        return -1;
    }
    s->attr_values = nv;
    /* The name, then after its NUL the name folded as the importer matches
       headers (text_fold never lengthens it): ds_attr falls back to it. */
    size_t len = strlen(name);
    s->attr_names[s->nattrs] = malloc(2 * len + 2);
    if (s->attr_names[s->nattrs]) {
        memcpy(s->attr_names[s->nattrs], name, len + 1);
        text_fold(name, len, s->attr_names[s->nattrs] + len + 1);
    }
    s->attr_values[s->nattrs] = strdup(value);
    const char *folded = s->attr_names[s->nattrs] ? s->attr_names[s->nattrs] + len + 1 : NULL;
    if (!folded || !s->attr_values[s->nattrs] ||
        attr_note(ds, name, folded, strlen(folded)) != 0) {
        free(s->attr_names[s->nattrs]);
        free(s->attr_values[s->nattrs]);
        return -1;
    }
    return (int)s->nattrs++;
}

int ds_add_indicator(dataset *ds, const indicator *ind)
{
    int added;
    int64_t *slot = strmap_put(ds->ind_by_code, ind->code, strlen(ind->code), &added);
    if (!slot) {
        return -1;
    }
    if (!added) {
        return (int)*slot;
    }
    indicator *ni = realloc(ds->inds, (ds->ninds + 1) * sizeof *ni);
    if (!ni) {
        return -1;
    }
    ds->inds = ni;
    indicator *d = &ds->inds[ds->ninds];
    *d = *ind;
    d->code = strdup(ind->code);
    d->title = strdup(ind->title ? ind->title : ind->code);
    if (!d->code || !d->title) {
        free(d->code);
        free(d->title);
        return -1;
    }
    *slot = (int64_t)ds->ninds;
    return (int)ds->ninds++;
}

int ds_add_listing(dataset *ds, int school, const char *period, const char *pack_id,
                   const char *category, const char *cohort)
{
    if (grow((void **)&ds->listings, &ds->caplistings, ds->nlistings, sizeof *ds->listings) <
        0) {
        return -1;
    }
    free(ds->listing_first); /* the index no longer holds */
    ds->listing_first = NULL;
    ds_listing *l = &ds->listings[ds->nlistings];
    memset(l, 0, sizeof *l);
    l->school = school;
    snprintf(l->period, sizeof l->period, "%s", period);
    l->pack_id = dup_or_empty(pack_id);
    l->category = dup_or_empty(category);
    l->cohort = dup_or_empty(cohort);
    if (!l->pack_id || !l->category || !l->cohort) {
        free(l->pack_id);
        free(l->category);
        free(l->cohort);
        return -1;
    }
    return (int)ds->nlistings++;
}

int ds_add_override(dataset *ds, int64_t id, int school, const char *period, const char *pack_id,
                    const char *category, int include, const char *reason, const char *by,
                    const char *at)
{
    if (grow((void **)&ds->overrides, &ds->capoverrides, ds->noverrides,
             sizeof *ds->overrides) < 0) {
        return -1;
    }
    ds_override *o = &ds->overrides[ds->noverrides];
    memset(o, 0, sizeof *o);
    o->id = id;
    o->school = school;
    snprintf(o->period, sizeof o->period, "%s", period);
    o->include = include;
    o->pack_id = dup_or_empty(pack_id);
    o->category = dup_or_empty(category);
    o->reason = dup_or_empty(reason);
    o->by = dup_or_empty(by);
    o->at = dup_or_empty(at);
    if (!o->pack_id || !o->category || !o->reason || !o->by || !o->at) {
        free(o->pack_id);
        free(o->category);
        free(o->reason);
        free(o->by);
        free(o->at);
        return -1;
    }
    return (int)ds->noverrides++;
}

int ds_add_run_mark(dataset *ds, const char *period, const char *pack_id)
{
    if (grow((void **)&ds->run_marks, &ds->caprun_marks, ds->nrun_marks,
             sizeof *ds->run_marks) < 0) {
        return -1;
    }
    ds_run_mark *m = &ds->run_marks[ds->nrun_marks];
    if (!(m->pack_id = dup_or_empty(pack_id))) {
        return -1;
    }
    snprintf(m->period, sizeof m->period, "%s", period);
    return (int)ds->nrun_marks++;
}

static int cmp_listing(const void *a, const void *b)
{
    const ds_listing *x = a, *y = b;
    return (x->school > y->school) - (x->school < y->school);
}

int ds_index_listings(dataset *ds)
{
    free(ds->listing_first);
    ds->listing_first = calloc(ds->nschools + 2, sizeof *ds->listing_first);
    if (!ds->listing_first) {
        return -1;
    }
    if (ds->nlistings) {
        qsort(ds->listings, ds->nlistings, sizeof *ds->listings, cmp_listing);
    }
    size_t j = 0;
    for (size_t i = 0; i <= ds->nschools; i++) {
        while (j < ds->nlistings && ds->listings[j].school < (int)i) {
            j++;
        }
        ds->listing_first[i] = j;
    }
    ds->listing_first[ds->nschools + 1] = ds->nlistings;
    return 0;
}

/* 1 when a run of pack_id covers period. */
static int run_covers(const dataset *ds, const char *period, const char *pack_id)
{
    for (size_t i = 0; i < ds->nrun_marks; i++) {
        if (strcmp(ds->run_marks[i].period, period) == 0 &&
            strcmp(ds->run_marks[i].pack_id, pack_id) == 0) {
            return 1;
        }
    }
    return 0;
}

int ds_was_listed(const dataset *ds, int school, const char *period, const char *category,
                  const char *pack_id)
{
    size_t from = 0, to = ds->nlistings;
    if (ds->listing_first && school >= 0 && (size_t)school < ds->nschools) {
        from = ds->listing_first[school];
        to = ds->listing_first[school + 1];
    }
    int by_run = pack_id && run_covers(ds, period, pack_id);
    for (size_t i = from; i < to; i++) {
        const ds_listing *l = &ds->listings[i];
        if (l->school != school || strcmp(l->period, period) != 0 ||
            (category && strcmp(l->category, category) != 0)) {
            continue;
        }
        if (!pack_id) {
            return 1;
        }
        if (by_run ? l->from_run && strcmp(l->pack_id, pack_id) == 0
                   : !l->from_run && (!*l->pack_id || strcmp(l->pack_id, pack_id) == 0)) {
            return 1;
        }
    }
    return 0;
}

static int cmp_school(const void *a, const void *b)
{
    return strcmp(((const ds_school *)a)->code, ((const ds_school *)b)->code);
}

int ds_finish(dataset *ds)
{
    /* Listings refer to schools by index: carry them through the sort by code. */
    char **listing_codes = NULL;
    if (ds->nlistings) {
        listing_codes = calloc(ds->nlistings, sizeof *listing_codes);
        if (!listing_codes) {
            return -1;
        }
        for (size_t i = 0; i < ds->nlistings; i++) {
            listing_codes[i] = ds->schools[ds->listings[i].school].code;
        }
    }
    if (ds->nschools) {
        qsort(ds->schools, ds->nschools, sizeof *ds->schools, cmp_school);
    }
    for (size_t i = 0; i < ds->nschools; i++) {
        ds_school *s = &ds->schools[i];
        if (i > 0 && strcmp(ds->schools[i - 1].code, s->code) == 0) {
            snprintf(ds->err, sizeof ds->err, "school '%s' is given twice", s->code);
            free(listing_codes);
            return -1;
        }
        int64_t *slot = strmap_put(ds->school_by_code, s->code, strlen(s->code), NULL);
        if (!slot) {
            free(listing_codes);
            return -1;
        }
        *slot = (int64_t)i;
        /* attributes by name: insertion sort, few per school */
        for (size_t a = 1; a < s->nattrs; a++) {
            for (size_t b = a; b > 0 && strcmp(s->attr_names[b - 1], s->attr_names[b]) > 0; b--) {
                char *t = s->attr_names[b];
                s->attr_names[b] = s->attr_names[b - 1];
                s->attr_names[b - 1] = t;
                t = s->attr_values[b];
                s->attr_values[b] = s->attr_values[b - 1];
                s->attr_values[b - 1] = t;
            }
        }
    }
    for (size_t i = 0; i < ds->nlistings; i++) {
        ds->listings[i].school = ds_school_index(ds, listing_codes[i]);
    }
    free(listing_codes);
    return 0;
}

int ds_school_index(const dataset *ds, const char *code)
{
    int64_t *slot = strmap_get(ds->school_by_code, code, strlen(code));
    return slot ? (int)*slot : -1;
}

int ds_indicator_index(const dataset *ds, const char *code)
{
    int64_t *slot = strmap_get(ds->ind_by_code, code, strlen(code));
    return slot ? (int)*slot : -1;
}

int ds_territory_index(const dataset *ds, const char *name)
{
    int64_t *slot = strmap_get(ds->territory_by_name, name, strlen(name));
    return slot ? (int)*slot : -1;
}

const char *ds_attr(const dataset *ds, int school, const char *name)
{
    const ds_school *s = &ds->schools[school];
    size_t lo = 0, hi = s->nattrs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(s->attr_names[mid], name);
        if (c == 0) {
            return s->attr_values[mid];
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (s->nattrs == 0) {
        return NULL;
    }
    /* Not spelt so: the name as a header matches (s:attr("ИСБ") reads a
       column headed «Исб»); of two spellings kept for one school by two
       registers, the first by name. */
    char small[128], *big = NULL;
    size_t len = strlen(name);
    char *folded = len < sizeof small ? small : (big = malloc(len + 1));
    if (!folded) {
        return NULL;
    }
    text_fold(name, len, folded);
    const char *found = NULL;
    for (size_t i = 0; i < s->nattrs && !found; i++) {
        const char *kept = s->attr_names[i];
        if (strcmp(kept + strlen(kept) + 1, folded) == 0) {
            found = s->attr_values[i];
        }
    }
    free(big);
    return found;
}

int ds_attr_known(const dataset *ds, const char *name)
{
    if (!ds->attrs_complete) {
        return 1;
    }
    if (!ds->attr_folded) {
        return 0;
    }
    size_t len = strlen(name);
    char small[128], *big = NULL;
    char *folded = len < sizeof small ? small : (big = malloc(len + 1));
    if (!folded) {
        return 1; /* cannot tell: not an error */
    }
    size_t n = text_fold(name, len, folded);
    int known = strmap_get(ds->attr_folded, folded, n) != NULL;
    free(big);
    return known;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

char *ds_attr_names(const dataset *ds, size_t max)
{
    const char **v = malloc((ds->nattr_list ? ds->nattr_list : 1) * sizeof *v);
    if (!v) {
        return NULL;
    }
    for (size_t i = 0; i < ds->nattr_list; i++) {
        v[i] = ds->attr_list[i];
    }
    qsort(v, ds->nattr_list, sizeof *v, cmp_str);
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "");
    for (size_t i = 0; i < ds->nattr_list; i++) {
        if (i == max) {
            sb_puts(&sb, ", …");
            break;
        }
        sb_printf(&sb, "%s'%s'", i ? ", " : "", v[i]);
    }
    free(v);
    return sb_detach(&sb);
}

static int column_get(dataset *ds, int ind, shnor_period p)
{
    if (ind < 0 || (size_t)ind >= ds->ninds || !period_valid(p)) {
        snprintf(ds->err, sizeof ds->err, "no such indicator or period");
        return -1;
    }
    /* An indicator has a column per period read: a few, searched in a chain
       (a criterion asks for columns millions of times nationally). */
    if (ds->nlast_col < ds->ninds) {
        int *n = realloc(ds->last_col_of_ind, ds->ninds * sizeof *n);
        if (!n) {
            snprintf(ds->err, sizeof ds->err, "out of memory");
            return -1;
        }
        for (size_t i = ds->nlast_col; i < ds->ninds; i++) {
            n[i] = -1;
        }
        ds->last_col_of_ind = n;
        ds->nlast_col = ds->ninds;
    }
    for (int k = ds->last_col_of_ind[ind]; k >= 0; k = ds->cols[k]->next_of_ind) {
        const shnor_period *q = &ds->cols[k]->period;
        if (q->kind == p.kind && q->year == p.year && q->sub == p.sub) {
            return k;
        }
    }
    ds_column **cols = (ds_column **)grow_stable(ds, (void **)ds->cols, &ds->capcols, ds->ncols);
    if (!cols) {
        snprintf(ds->err, sizeof ds->err, "out of memory");
        return -1;
    }
    ds->cols = cols;
    ds_column *c = calloc(1, sizeof *c);
    double *v = malloc((ds->nschools ? ds->nschools : 1) * sizeof *v);
    size_t nscopes = ds->nterritories + 1;
    _Atomic(ds_stats *) *stats_at = malloc(nscopes * sizeof *stats_at);
    if (!c || !v || !stats_at) {
        free(c);
        free(v);
        free(stats_at);
        snprintf(ds->err, sizeof ds->err, "out of memory");
        return -1;
    }
    for (size_t i = 0; i < ds->nschools; i++) {
        v[i] = NAN;
    }
    for (size_t k = 0; k < nscopes; k++) {
        atomic_init(&stats_at[k], NULL);
    }
    c->stats_at = stats_at;
    c->nscopes = nscopes;
    c->indicator = ind;
    c->period = p;
    shnor_period_format(p, c->period_text, sizeof c->period_text);
    c->v = v;
    if (ds->source.load &&
        ds->source.load(ds->source.arg, c, &ds->inds[ind], v, ds->err, sizeof ds->err) !=
            SHNOR_OK) {
        free(v);
        free(stats_at);
        free(c);
        return -1;
    }
    for (size_t i = 0; i < ds->nschools; i++) {
        c->count += !isnan(v[i]);
    }
    c->next_of_ind = ds->last_col_of_ind[ind];
    ds->last_col_of_ind[ind] = (int)ds->ncols;
    ds->cols[ds->ncols] = c;
    return (int)ds->ncols++;
}

int ds_column_get(dataset *ds, int ind, shnor_period p)
{
    pthread_mutex_lock(&ds->lock);
    int col = column_get(ds, ind, p);
    pthread_mutex_unlock(&ds->lock);
    return col;
}

int ds_scope_territory(const dataset *ds, const char *name)
{
    int t = ds_territory_index(ds, name);
    return t < 0 ? -1 : t + 1;
}

int ds_in_scope(const dataset *ds, int scope, int school)
{
    if (scope == 0) {
        return 1;
    }
    if (scope <= (int)ds->nterritories) {
        const ds_school *s = &ds->schools[school];
        return s->territory == scope - 1 || s->region == scope - 1;
    }
    return ds->groups[scope - 1 - (int)ds->nterritories]->member[school];
}

const char *ds_scope_name(const dataset *ds, int scope)
{
    if (scope == 0) {
        return "все школы";
    }
    if (scope <= (int)ds->nterritories) {
        return ds->territories[scope - 1];
    }
    return ds->groups[scope - 1 - (int)ds->nterritories]->description;
}

static int group_get(dataset *ds, const char *key, const char *description,
                     int (*member)(dataset *ds, int other, void *arg), void *arg,
                     int *created)
{
    int added;
    int64_t *slot = strmap_put(ds->group_by_key, key, strlen(key), &added);
    if (!slot) {
        return -1;
    }
    if (!added) {
        return (int)*slot;
    }
    *slot = -1;
    ds_group **groups =
        (ds_group **)grow_stable(ds, (void **)ds->groups, &ds->capgroups, ds->ngroups);
    if (!groups) {
        return -1;
    }
    ds->groups = groups;
    ds_group *g = calloc(1, sizeof *g);
    if (!g) {
        return -1;
    }
    g->key = strdup(key);
    g->member = calloc(ds->nschools ? ds->nschools : 1, 1);
    if (!g->key || !g->member) {
        free(g->key);
        free(g->member);
        free(g);
        return -1;
    }
    for (size_t i = 0; i < ds->nschools; i++) {
        g->member[i] = member(ds, (int)i, arg) != 0;
        g->size += g->member[i];
    }
    strbuf d = STRBUF_INIT;
    sb_printf(&d, "%s (%zu %s)", description, g->size,
              ru_plural((long)g->size, "школа", "школы", "школ"));
    g->description = sb_detach(&d);
    ds->groups[ds->ngroups] = g;
    int scope = (int)(ds->nterritories + 1 + ds->ngroups);
    ds->ngroups++;
    slot = strmap_get(ds->group_by_key, key, strlen(key));
    *slot = scope;
    *created = 1;
    return scope;
}

int ds_group_get(dataset *ds, const char *key, const char *description,
                 int (*member)(dataset *ds, int other, void *arg), void *arg, int *created)
{
    *created = 0;
    pthread_mutex_lock(&ds->lock);
    int scope = group_get(ds, key, description, member, arg, created);
    pthread_mutex_unlock(&ds->lock);
    return scope;
}
