/*
 * import_values_sort.c — the rows of a values file put into the
 * observations table's key order (indicator id, period text, school id),
 * which puts duplicates side by side and lets SQLite append; import_values.c
 * reads and writes them.
 */
#include <stdlib.h>
#include <string.h>

#include "importValuesInt.h"

/* The table's key order: indicator id, period text, school id; then the
   line, so that of two duplicates the later one is reported. */
static int cmp_rows(const void *a, const void *b)
{
    const obs_row *x = a, *y = b;
    if (x->ind_rank != y->ind_rank) {
        return x->ind_rank < y->ind_rank ? -1 : 1;
    }
    if (x->period != y->period) {
        return x->period < y->period ? -1 : 1;
    }
    if (x->school != y->school) {
        return x->school < y->school ? -1 : 1;
    }
    return (x->line > y->line) - (x->line < y->line);
}

typedef struct {
    const char *text;
    uint32_t index;
} period_entry;

static int cmp_period_entry(const void *a, const void *b)
{
    return strcmp(((const period_entry *)a)->text, ((const period_entry *)b)->text);
}

typedef struct {
    int64_t id;
    uint32_t index;
} id_entry;

static int cmp_id_entry(const void *a, const void *b)
{
    const id_entry *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* A row of one (indicator, period) run, for sorting the run by school. */
typedef struct {
    int64_t school;
    long line;
    uint32_t row;
} school_entry;

static int cmp_school_entry(const void *a, const void *b)
{
    const school_entry *x = a, *y = b;
    if (x->school != y->school) {
        return x->school < y->school ? -1 : 1;
    }
    return (x->line > y->line) - (x->line < y->line);
}

/* Sorts order[0..n) (row numbers of one run) by school, then line. */
static int sort_run(const obs_row *rows, uint32_t *order, size_t n)
{
    school_entry *e = malloc(n * sizeof *e);
    if (!e) {
        return -1;
    }
    for (size_t k = 0; k < n; k++) {
        e[k] = (school_entry){rows[order[k]].school, rows[order[k]].line, order[k]};
    }
    qsort(e, n, sizeof *e, cmp_school_entry);
    for (size_t k = 0; k < n; k++) {
        order[k] = e[k].row;
    }
    free(e);
    return 0;
}

/* The code of the school with id, for a message: a scan of the codes read,
   made only for a value given twice. */
static const char *school_code(const values_ctx *v, int64_t id)
{
    for (size_t i = 0, n = strmap_count(v->schools); i < n; i++) {
        size_t len;
        const char *code = strmap_key(v->schools, i, &len);
        const int64_t *slot = strmap_get(v->schools, code, len);
        if (slot && *slot == id) {
            return code;
        }
    }
    return "?";
}

/*
 * Puts the rows in the table's key order (v->order), then reports duplicates.
 * The key of a row is its indicator's id, its period's text, its school's id;
 * ties (duplicates) keep the file's order. Profiled on a national file (10
 * million rows) a qsort of the rows took an eighth of the import; instead the
 * rows are counted into their (indicator, period) runs, stably, and a run is
 * sorted by school only when the file did not give it in school order.
 */
int values_sort_rows(values_ctx *v, const char ***texts_out)
{
    size_t np = strmap_count(v->periods);
    period_entry *order = calloc(np ? np : 1, sizeof *order);
    uint32_t *rank = calloc(np ? np : 1, sizeof *rank);
    const char **sorted = calloc(np ? np : 1, sizeof *sorted);
    id_entry *ids = calloc(v->ninds ? v->ninds : 1, sizeof *ids);
    uint32_t *ind_rank = calloc(v->ninds ? v->ninds : 1, sizeof *ind_rank);
    size_t *first = NULL;
    int status = -1;
    if (!order || !rank || !sorted || !ids || !ind_rank || v->nrows >= UINT32_MAX) {
        goto done;
    }
    for (size_t i = 0; i < np; i++) {
        order[i].text = strmap_key(v->periods, i, NULL);
        order[i].index = (uint32_t)i;
    }
    qsort(order, np, sizeof *order, cmp_period_entry);
    for (size_t i = 0; i < np; i++) {
        rank[order[i].index] = (uint32_t)i;
        sorted[i] = order[i].text;
    }
    for (size_t i = 0; i < v->ninds; i++) {
        ids[i] = (id_entry){v->inds[i].id, (uint32_t)i};
    }
    qsort(ids, v->ninds, sizeof *ids, cmp_id_entry);
    for (size_t i = 0; i < v->ninds; i++) {
        ind_rank[ids[i].index] = (uint32_t)i;
    }
    for (size_t i = 0; i < v->nrows; i++) {
        v->rows[i].period = rank[v->rows[i].period];
        v->rows[i].ind_rank = ind_rank[v->rows[i].indicator];
    }
    v->order = malloc((v->nrows ? v->nrows : 1) * sizeof *v->order);
    if (!v->order) {
        goto done;
    }
    size_t nruns = v->ninds * (np ? np : 1);
    if (nruns > ((size_t)1 << 22)) {
        /* Too many runs to count them: sort the rows themselves. */
        if (v->nrows) {
            qsort(v->rows, v->nrows, sizeof *v->rows, cmp_rows);
        }
        for (size_t i = 0; i < v->nrows; i++) {
            v->order[i] = (uint32_t)i;
        }
    } else {
        if (!(first = calloc(nruns + 1, sizeof *first))) {
            goto done;
        }
        for (size_t i = 0; i < v->nrows; i++) {
            first[(size_t)v->rows[i].ind_rank * np + v->rows[i].period + 1]++;
        }
        for (size_t b = 0; b < nruns; b++) {
            first[b + 1] += first[b];
        }
        for (size_t i = 0; i < v->nrows; i++) {
            size_t b = (size_t)v->rows[i].ind_rank * np + v->rows[i].period;
            v->order[first[b]++] = (uint32_t)i;
        }
        /* first[b] is now where run b ends. */
        for (size_t b = 0, from = 0; b < nruns; from = first[b++]) {
            for (size_t k = from + 1; k < first[b]; k++) {
                if (v->rows[v->order[k - 1]].school >= v->rows[v->order[k]].school) {
                    if (sort_run(v->rows, v->order + from, first[b] - from) != 0) {
                        goto done;
                    }
                    break;
                }
            }
        }
    }
    for (size_t i = 1; i < v->nrows; i++) {
        const obs_row *a = &v->rows[v->order[i - 1]], *b = &v->rows[v->order[i]];
        if (a->indicator == b->indicator && a->period == b->period && a->school == b->school) {
            imp_error(v->c, b->line, b->col,
                      "school '%s', indicator '%s', period %s is given twice: also on line %ld",
                      imp_full(v->c) ? "" : school_code(v, b->school),
                      v->inds[b->indicator].code, sorted[b->period], a->line);
        }
    }
    *texts_out = sorted;
    sorted = NULL;
    status = 0;
done:
    free(order);
    free(rank);
    free(sorted);
    free(ids);
    free(ind_rank);
    free(first);
    return status;
}
