/*
 * rundiffInt.h — private to the comparison of listings: the sets of ids
 * (';'-joined, as rd_school keeps categories and criteria) that rundiff.c
 * compares and rundiff_out.c counts.
 */
#ifndef SHNOR_RUNDIFFINT_H
#define SHNOR_RUNDIFFINT_H

#include <stddef.h>

#include "strbuf.h"

/* The union of two sets, sorted; malloc'ed, NULL when memory ran out. */
char *rd_set_union(const char *set, const char *add);
/* Is tok[0..n) a member of the set? */
int rd_member(const char *set, const char *tok, size_t n);
/* Appends the members of x not in y to out, each after prefix, ';'-joined. */
void rd_set_minus(const char *x, const char *y, strbuf *out, const char *prefix);

#endif
