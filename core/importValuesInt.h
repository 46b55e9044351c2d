/*
 * importValuesInt.h — what import_values.c (reading and writing a values
 * file) and import_values_sort.c (putting its rows in key order) share.
 */
#ifndef SHNOR_IMPORT_VALUES_INT_H
#define SHNOR_IMPORT_VALUES_INT_H

#include <stdint.h>

#include "importInt.h"
#include "strmap.h"

typedef struct {
    uint32_t indicator; /* index into the indicator array */
    uint32_t period;    /* index into the period table, then its rank */
    int64_t school;     /* school id */
    double value;
    long line;
    int col;
    uint32_t ind_rank; /* rank of the indicator's id (set by values_sort_rows) */
} obs_row;

typedef struct {
    import_ctx *c;
    indicator *inds;
    size_t ninds;
    strmap *ind_by_code;  /* code -> index */
    strmap *ind_by_title; /* folded title -> index + 1, or -1 when ambiguous */
    strmap *schools;      /* code -> id */
    strmap *periods;      /* canonical text -> index */
    unsigned char *ind_used; /* per indicator: 1 when a row gives it a value */
    obs_row *rows;
    size_t nrows, cap;
    uint32_t *order; /* rows in the table's key order (values_sort_rows) */
    long records;
    /* The last school and period cells read and what they gave: files repeat
       them row after row, and a period is parsed, formatted and hashed. */
    char last_school[64], last_period[32];
    size_t last_school_len, last_period_len; /* 0: nothing cached */
    int64_t last_school_id;
    uint32_t last_period_idx;
} values_ctx;

/*
 * Puts the rows in the table's key order (v->order), reporting duplicates
 * with both lines; *texts_out is the periods' texts in their order
 * (malloc'ed array of borrowed strings). 0, or -1 when memory ran out.
 */
int values_sort_rows(values_ctx *v, const char ***texts_out);

#endif
