/*
 * fixture.h — running a pack's own test cases (its `tests` table) without a
 * database, with a coverage report per criterion.
 */
#ifndef SHNOR_FIXTURE_H
#define SHNOR_FIXTURE_H

#include <stdio.h>

#include "pack.h"

typedef struct {
    int passed;
    int failed;
    int uncovered; /* criterion x direction (fired / not fired) no case reached */
} fixture_totals;

/*
 * Runs every case of p's tests, printing "ok N - name" or "FAIL N - name:
 * why" per case and a coverage line, and adds to tot. Returns SHNOR_OK, or
 * SHNOR_LIMIT when a case hit a limit (the remaining cases are skipped).
 */
int fixture_run(pack *p, FILE *out, fixture_totals *tot);

#endif
