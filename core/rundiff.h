/*
 * rundiff.h — what changed between two listings: schools that entered, left,
 * stayed in the same categories (a new cohort is shown beside, not counted as
 * a change) or changed category, with the criteria that explain it,
 * counts per category and territory, and targets whose status changed. The
 * two sides are kept runs (`shnor diff`) or two versions of a pack evaluated
 * on the same data (`shnor whatif`).
 */
#ifndef SHNOR_RUNDIFF_H
#define SHNOR_RUNDIFF_H

#include <stdio.h>

#include "shnor.h"
#include "strbuf.h"

/* One school on one side: the categories it is listed in (sorted, ';'-joined),
   its cohort and the criteria that fired for it (';'-joined, in the pack's
   order, as `list` gives them). */
typedef struct {
    char *school, *name, *territory;
    char *categories, *cohort, *fired;
    char *insufficient; /* categories it lacked data for (sorted, ';'-joined) */
    char *manual;       /* a person's decisions on its listing (override texts,
                           "; "-joined), "" when none */
} rd_school;

/* One target result on one side: a target has a row per scope unit and
   period checked (its checkpoints). */
typedef struct {
    char *target, *scope, *period, *status;
} rd_target;

typedef struct {
    char *label; /* "run 12 (sergokala 2023)", "rules/x.lua" */
    rd_school *schools;
    size_t nschools, capschools;
    rd_target *targets;
    size_t ntargets, captargets;
    struct strmap *index; /* school code -> index into schools */
    char **title_of;      /* pairs: a category or cohort id, then its title */
    size_t ntitles;
} rd_side;

/* Adds a listed row of a school (rows of one school are merged: categories
   and fired criteria accumulate). Strings are copied. 0 or -1 on OOM. */
int rd_add_listed(rd_side *s, const char *school, const char *name, const char *territory,
                  const char *category, const char *cohort, const char *criteria);
/* Adds a category a school lacked data for: not listed, not "not listed". */
int rd_add_insufficient(rd_side *s, const char *school, const char *name,
                        const char *territory, const char *category);
/* Adds criteria that fired for a school (';'-joined) without listing it. */
int rd_add_fired(rd_side *s, const char *school, const char *name, const char *territory,
                 const char *criteria);
int rd_add_target(rd_side *s, const char *target, const char *scope, const char *period,
                  const char *status);
/* A person's decision on the school's listing (an override's text, as the
   run kept it): included or excluded by hand. 0, or -1 on OOM. */
int rd_add_manual(rd_side *s, const char *school, const char *name, const char *territory,
                  const char *text);
/* Names a category or cohort id for the table's legend (once; copied). 0 or
   -1 on OOM. */
int rd_add_title(rd_side *s, const char *id, const char *title);
void rd_side_free(rd_side *s);

/* RD_INSUFFICIENT: listed on one side, and on the other not decided for want
   of data in a category it was listed in — neither entered nor left. */
enum { RD_ENTERED = 1, RD_LEFT, RD_STAYED, RD_CHANGED, RD_INSUFFICIENT, RD_KINDS };

typedef struct {
    const rd_school *a, *b; /* either may be NULL */
    int change;             /* RD_* */
    char *criteria;         /* what explains the change */
    const char *manual_a, *manual_b; /* each side's decisions by hand on the
                                        school (rd_school.manual), "" when none */
} rd_row;

typedef struct {
    const rd_target *a, *b;
} rd_target_change;

typedef struct {
    const rd_side *a, *b;
    rd_row *rows; /* by school code */
    size_t nrows;
    rd_target_change *targets;
    size_t ntargets;
    int flips; /* whatif: criteria are those whose result differs */
} rundiff;

/*
 * Compares the sides (which must outlive the result). With flips, a row's
 * criteria are the criteria whose result differs between the sides (what
 * made the school flip); otherwise those listing it on side b (side a for a
 * school that left). Returns 0, or -1 when memory ran out.
 */
int rundiff_compute(const rd_side *a, const rd_side *b, int flips, rundiff *out);
void rundiff_free(rundiff *d);

/* "entered", "left", "stayed", "changed", "insufficient_data". */
const char *rundiff_change_name(int change);

/*
 * Writes the comparison: table (rows, counts per category and territory,
 * target changes), CSV (header school,change,category_a,category_b,criteria,
 * cohort_a,cohort_b,name,territory,insufficient_a,insufficient_b,override_a,
 * override_b; one row for every school listed on either side) or JSON. 0 or
 * -1 when writing failed.
 */
int rundiff_write(const rundiff *d, shnor_format format, FILE *out, int color, int width);

#endif
