/*
 * dataset_stats.c — population figures of a column over a scope (all
 * schools, a territory, a group): the values of the scope's schools sorted,
 * their count and mean, computed once and kept; and percentiles of them.
 * Two threads may ask at once (eval_halves.c): a territory's figures are computed
 * without a lock and published in an atomic slot of the column (the first
 * one kept); member lists and groups' figures are made under ds->lock.
 */
#include "dataset.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"

/* ---------------------------------------------------------- sorting */

static void sift_down(double *a, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) {
            return;
        }
        if (child + 1 < n && a[child + 1] > a[child]) {
            child++;
        }
        if (!(a[child] > a[root])) {
            return;
        }
        double t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void heap_sort(double *a, size_t n)
{
    for (size_t i = n / 2; i-- > 0;) {
        sift_down(a, i, n);
    }
    for (size_t end = n; end-- > 1;) {
        double t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down(a, 0, end);
    }
}

static void insertion_sort(double *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        double v = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = v;
    }
}

/* Quicksort (median of three) down to small runs, heapsort when it goes too
   deep. */
static void intro_sort(double *a, size_t n, int depth)
{
    while (n > 16) {
        if (depth-- == 0) {
            heap_sort(a, n);
            return;
        }
        double x = a[0], y = a[n / 2], z = a[n - 1];
        double pivot = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
        size_t i = 0, j = n - 1;
        for (;;) {
            while (a[i] < pivot) {
                i++;
            }
            while (pivot < a[j]) {
                j--;
            }
            if (i >= j) {
                break;
            }
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
            i++;
            j--;
        }
        /* [0, j] <= pivot <= [j + 1, n): recurse into the smaller side. */
        size_t left = j + 1;
        if (left < n - left) {
            intro_sort(a, left, depth);
            a += left;
            n -= left;
        } else {
            intro_sort(a + left, n - left, depth);
            n = left;
        }
    }
    insertion_sort(a, n);
}

/* Ascending, no NaN among them. qsort's calls through a comparison
   function were a tenth of a national listing. */
static void sort_doubles(double *a, size_t n)
{
    int depth = 0;
    for (size_t m = n; m > 1; m >>= 1) {
        depth += 2;
    }
    intro_sort(a, n, depth);
}

/* ---------------------------------------------------------- figures */

/* Lists the schools of every territory and region (see dataset.h); 0 or -1. */
static int index_members(dataset *ds)
{
    size_t nt = ds->nterritories;
    size_t *first = calloc(nt + 2, sizeof *first);
    int *members = malloc((2 * ds->nschools + 1) * sizeof *members);
    if (!first || !members) {
        free(first);
        free(members);
        return -1;
    }
    for (size_t i = 0; i < ds->nschools; i++) {
        const ds_school *s = &ds->schools[i];
        first[s->territory + 1]++;
        if (s->region >= 0 && s->region != s->territory) {
            first[s->region + 1]++;
        }
    }
    for (size_t t = 0; t < nt; t++) {
        first[t + 1] += first[t];
    }
    for (size_t i = 0; i < ds->nschools; i++) {
        const ds_school *s = &ds->schools[i];
        members[first[s->territory]++] = (int)i;
        if (s->region >= 0 && s->region != s->territory) {
            members[first[s->region]++] = (int)i;
        }
    }
    /* first[t] is now where territory t ends: shift back. */
    memmove(first + 1, first, nt * sizeof *first);
    first[0] = 0;
    ds->members = members;
    ds->member_first = first;
    return 0;
}

/* Builds the territories' member lists once, under the lock; afterwards
   they are read without it. 0 or -1. */
static int members_ready(dataset *ds)
{
    if (atomic_load_explicit(&ds->members_built, memory_order_acquire)) {
        return 0;
    }
    pthread_mutex_lock(&ds->lock);
    int rc = 0;
    if (!atomic_load_explicit(&ds->members_built, memory_order_relaxed) &&
        (rc = index_members(ds)) == 0) {
        atomic_store_explicit(&ds->members_built, 1, memory_order_release);
    }
    pthread_mutex_unlock(&ds->lock);
    return rc;
}

/* The figures of column c over scope, computed from its schools; NULL on OOM. */
static ds_stats *compute_stats(dataset *ds, const ds_column *c, int scope)
{
    int is_territory = scope > 0 && scope <= (int)ds->nterritories;
    if (is_territory && members_ready(ds) != 0) {
        return NULL;
    }
    ds_stats *st = calloc(1, sizeof *st);
    if (!st || !(st->sorted = malloc((c->count ? c->count : 1) * sizeof *st->sorted))) {
        free(st);
        return NULL;
    }
    /* Summed in code order, so the mean is the same bytes on every run, and
       in long double, so the mean of equal values is that value (ten schools
       at 0.05 average 0.05, not 0.05000000000000001). */
    long double sum = 0;
    if (is_territory) {
        for (size_t k = ds->member_first[scope - 1]; k < ds->member_first[scope]; k++) {
            double v = c->v[ds->members[k]];
            if (!isnan(v)) {
                st->sorted[st->n++] = v;
                sum += v;
            }
        }
    } else {
        for (size_t i = 0; i < ds->nschools; i++) {
            if (!isnan(c->v[i]) && ds_in_scope(ds, scope, (int)i)) {
                st->sorted[st->n++] = c->v[i];
                sum += c->v[i];
            }
        }
    }
    st->mean = NAN;
    if (st->n) {
        sort_doubles(st->sorted, st->n);
        /* in the decimals of the values: (40.2 + 64.4 + 52.3) / 3 is 52.3,
           not 52.300000000000004, so a school at the mean is not below it */
        double lo = st->sorted[0], hi = st->sorted[st->n - 1];
        double m = num_round_at_scale((double)(sum / (long double)st->n),
                                      fmax(fabs(lo), fabs(hi)), 15);
        /* never outside the values: the mean of equal values of 17 digits
           is that value, not its 15-digit neighbour */
        st->mean = m < lo ? lo : m > hi ? hi : m;
    }
    return st;
}

/* A group's figures (and any scope the column has no slot for), under lock. */
static const ds_stats *keyed_stats(dataset *ds, int col, int scope)
{
    char key[48];
    int keylen = snprintf(key, sizeof key, "%d:%d", col, scope);
    int64_t *slot = strmap_get(ds->stats_by_key, key, (size_t)keylen);
    if (slot) {
        return ds->stats[*slot];
    }
    if (ds->nstats == ds->capstats) {
        size_t ncap = ds->capstats ? ds->capstats * 2 : 16;
        ds_stats **n = realloc(ds->stats, ncap * sizeof *n);
        if (!n) {
            return NULL;
        }
        ds->stats = n;
        ds->capstats = ncap;
    }
    ds_stats *st = compute_stats(ds, ds->cols[col], scope);
    int added;
    if (!st || !(slot = strmap_put(ds->stats_by_key, key, (size_t)keylen, &added))) {
        if (st) {
            free(st->sorted);
            free(st);
        }
        return NULL;
    }
    *slot = (int64_t)ds->nstats;
    ds->stats[ds->nstats++] = st;
    return st;
}

const ds_stats *ds_stats_get(dataset *ds, int col, int scope)
{
    /* All schools and each territory: a slot of the column, read without
       the lock once filled (millions of calls nationally); groups: a map. */
    ds_column *c = ds->cols[col];
    if (scope >= 0 && (size_t)scope < c->nscopes) {
        ds_stats *st = atomic_load_explicit(&c->stats_at[scope], memory_order_acquire);
        if (st) {
            return st;
        }
        /* Computed without the lock (the column and the member lists do
           not change); when the other thread published first, its figures
           are the same, and they are the ones kept. */
        ds_stats *mine = compute_stats(ds, c, scope);
        if (!mine) {
            return NULL;
        }
        if (atomic_compare_exchange_strong_explicit(&c->stats_at[scope], &st, mine,
                                                    memory_order_acq_rel,
                                                    memory_order_acquire)) {
            return mine;
        }
        free(mine->sorted);
        free(mine);
        return st;
    }
    pthread_mutex_lock(&ds->lock);
    const ds_stats *st = keyed_stats(ds, col, scope);
    pthread_mutex_unlock(&ds->lock);
    return st;
}

double ds_percentile(const double *sorted, size_t n, double q)
{
    if (n == 0 || isnan(q)) {
        return NAN;
    }
    if (q <= 0) {
        return sorted[0];
    }
    if (q >= 1) {
        return sorted[n - 1];
    }
    /* The rank and the interpolation in the decimals a person would use:
       (91 - 1) * 0.7 is rank 63, not 62.99999999999999, so the 70th
       percentile of 1..91 is 64, not 63.99999999999999. */
    double h = num_round_significant((double)(n - 1) * q, 15);
    size_t lo = (size_t)floor(h);
    double frac = h - (double)lo;
    if (lo + 1 >= n) {
        return sorted[n - 1];
    }
    if (frac == 0) {
        return sorted[lo];
    }
    double a = sorted[lo], b = sorted[lo + 1];
    double v = num_round_at_scale(a + frac * (b - a), fmax(fabs(a), fabs(b)), 15);
    return v < a ? a : v > b ? b : v;
}
