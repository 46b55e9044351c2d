/*
 * fixtureInt.h — private to the pack tests: what fixture_case.c (reading one
 * case into a dataset) gives fixture.c (running the cases).
 */
#ifndef SHNOR_FIXTUREINT_H
#define SHNOR_FIXTUREINT_H

#include <lua.h>

#include "dataset.h"
#include "pack.h"
#include "period.h"
#include "strbuf.h"

/* What reading one case gives; the caller frees ds, set or not. */
typedef struct {
    const pack *p;
    strbuf *why;
    char label[160];
    char per[SHNOR_PERIOD_MAX];
    dataset *ds;
    int built; /* ds is the case's dataset, ready to evaluate */
} case_read;

/*
 * Reads the name, period and dataset of the case [-2, +0, e]: the case_read
 * (light userdata), then the case. A protected call: the case's tables are
 * the pack's, and reading them can run its metamethods.
 */
int fixture_read_case(lua_State *L);

#endif
