/*
 * targetsInt.h — shared by targets.c (which schools a target covers and their
 * values) and targets_judge.c (the verdict on each row). Not public.
 */
#ifndef SHNOR_TARGETS_INT_H
#define SHNOR_TARGETS_INT_H

#include "targets.h"

/* p in canonical text into buf (SHNOR_PERIOD_MAX bytes); "?" when it has none. */
void tg_fmt_period(shnor_period p, char *buf);

/* Appends a sentence to *slot ("; " between sentences); *slot is malloc'ed. */
void tg_row_note(char **slot, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Does a target of this kind compare with a baseline value? */
int tg_needs_baseline(int kind);

/* Sets row's threshold, op and status from its baseline and actual values
   (present: tg_check_missing said so) and, for not_below_mean, the mean. */
void tg_judge(const pack_target *t, const indicator *ind, tg_row *row, double mean);

/* Marks the row insufficient_data, with the reasons, when a value it needs is
   missing; returns 1 if so. */
int tg_check_missing(const pack_target *t, tg_row *row, double mean);

#endif
