/*
 * numfmtInt.h — what numfmt.c (parsing) and numfmt_print.c (printing) share.
 */
#ifndef SHNOR_NUMFMT_INT_H
#define SHNOR_NUMFMT_INT_H

#include <stddef.h>

/* Room after the digits that num_digits_value may write ("e-9999999999"). */
#define NUM_DIGITS_ROOM 24

/*
 * The double nearest to the integer of the nd digits at dig times 10^e,
 * correctly rounded (Clinger's fast path, else strtod of "<digits>e<e>",
 * which every locale reads alike). dig needs NUM_DIGITS_ROOM bytes past the
 * digits; errno is kept.
 */
double num_digits_value(char *dig, size_t nd, long long e);

#endif
