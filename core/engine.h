/*
 * engine.h — one pack evaluated on the database: the dataset of the pack's
 * territory read in one snapshot, and the listing of a period. Every command
 * that evaluates a pack (list, roadmap, targets, run, whatif, replay) goes
 * through here.
 */
#ifndef SHNOR_ENGINE_H
#define SHNOR_ENGINE_H

#include "eval.h"

/*
 * Reads the dataset of p's territory (all schools when the pack names none)
 * and evaluates the listing of period. The read transaction stays open until
 * engine_done, so later column loads see the same snapshot. On failure
 * returns the status and puts the message in err; *ds and *ev may still be
 * set and must be freed.
 */
int engine_listing(shnor *db, pack *p, shnor_period period, dataset **ds, evaluation **ev,
                   strbuf *err);

/*
 * Each of p's territories is one of the database, and they have schools
 * (ds, read for them): else SHNOR_NOTFOUND with the message, naming the
 * territories there, in err. engine_listing, run and whatif check so.
 */
int engine_check_territories(shnor *db, const pack *p, const dataset *ds, strbuf *err);

/* Ends the read transaction of engine_listing. */
void engine_done(shnor *db);

#endif
