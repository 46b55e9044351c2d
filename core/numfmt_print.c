/*
 * numfmt_print.c — numbers as shnor prints them, and compares them (see
 * numfmt.h). Nothing here depends on the process locale: printing takes the
 * digits of "%.*e" (skipping whatever the locale put between them) and lays
 * them out itself with '.' or the separator asked for.
 */
#include "numfmt.h"
#include "numfmtInt.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- printing */

/*
 * The significant digits of av > 0 correctly rounded to prec digits (what
 * "%.*e" gives), trailing zeros dropped: digits in dig, decimal exponent of
 * the first digit in *x. Returns the number of digits (1..17).
 */
static int round_digits(double av, int prec, char dig[20], int *x)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.*e", prec - 1, av);
    int n = 0;
    const char *p = tmp;
    for (; *p && *p != 'e'; p++) {
        if (*p >= '0' && *p <= '9' && n < 17) {
            dig[n++] = *p;
        }
    }
    *x = *p ? (int)strtol(p + 1, NULL, 10) : 0;
    while (n > 1 && dig[n - 1] == '0') {
        n--;
    }
    return n;
}

/* The double nearest to 0.dig * 10^(x+1), read without a decimal point. */
static double digits_value(const char *dig, int n, int x)
{
    char tmp[NUM_DIGITS_ROOM + 20];
    memcpy(tmp, dig, (size_t)n);
    return num_digits_value(tmp, (size_t)n, x - n + 1);
}

/*
 * The shortest digits of av > 0, finite, that read back as av — those of the
 * first precision 1..17 whose "%.*g" round-trips. For a normal number, when
 * some precision up to 15 round-trips, precision 15 gives those same digits
 * padded with zeros (a double's half-gap is below 1.2e-16 of its value, half
 * a unit in the 15th digit at least 5e-16), so one try at 15 replaces 15
 * tries; subnormals have fewer bits and are searched one precision at a time.
 */
static int shortest_digits(double av, char dig[20], int *x)
{
    int saved = errno;
    int n;
    if (av >= DBL_MIN) {
        n = round_digits(av, 15, dig, x);
        if (digits_value(dig, n, *x) != av) {
            n = round_digits(av, 16, dig, x);
            if (digits_value(dig, n, *x) != av) {
                n = round_digits(av, 17, dig, x);
            }
        }
    } else {
        for (int prec = 1;; prec++) {
            n = round_digits(av, prec, dig, x);
            if (prec == 17 || digits_value(dig, n, *x) == av) {
                break;
            }
        }
    }
    errno = saved;
    return n;
}

/*
 * num_round_significant without the digits of "%.*e", for up to 15 digits
 * (a target's threshold, once per row): |v| * 10^k, one rounding away from
 * the exact product (an error below 1/16 on a grid under 2^50), is rounded
 * to the whole number of the grid unless its fraction is within 1/4 of a
 * half, and that whole number below 2^53 over an exact power of ten is one
 * correctly rounded division (Clinger). Returns 0 when the digits must decide.
 */
static int round_off_tie(double av, int digits, double *out)
{
    static const double p10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#if FLT_EVAL_METHOD == 0
    if (digits > 15 || !(av >= 1e-7 && av < 1e15)) {
        return 0;
    }
    int e = (int)floor(log10(av));
    int k = digits - 1 - e;
    if (k < 0 || k > 22) {
        return 0;
    }
    double t = av * p10[k];
    if (!(t >= p10[digits - 1] && t < p10[digits])) {
        return 0; /* log10 rounded across a power of ten */
    }
    double w = floor(t), frac = t - w;
    if (fabs(frac - 0.5) < 0.25) {
        return 0;
    }
    *out = (w + (frac > 0.5)) / p10[k];
    return 1;
#else
    (void)av, (void)digits, (void)out, (void)p10;
    return 0;
#endif
}

double num_round_significant(double v, int digits)
{
    double r;
    if (isfinite(v) && v != 0.0 && digits >= 1 && round_off_tie(fabs(v), digits, &r)) {
        return v < 0 ? -r : r;
    }
    return num_round_significant_digits(v, digits);
}

double num_round_at_scale(double v, double largest, int digits)
{
    largest = fabs(largest);
    if (!isfinite(v) || v == 0.0 || !(largest > 0) || !isfinite(largest)) {
        return num_round_significant(v, digits);
    }
    /* the digits v has above the last one `largest` keeps */
    int kept = digits - ((int)floor(log10(largest)) - (int)floor(log10(fabs(v))));
    if (kept < 0) {
        return 0; /* all of v is below that digit: what is left of a cancellation */
    }
    if (kept == 0) {
        /* v is below the last digit kept, by one place: 0, or one unit of it */
        double unit = pow(10.0, floor(log10(largest)) - digits + 1);
        return fabs(v) >= unit / 2 ? (v < 0 ? -unit : unit) : 0;
    }
    return num_round_significant(v, kept > digits ? digits : kept);
}

double num_round_significant_digits(double v, int digits)
{
    if (!isfinite(v) || v == 0.0) {
        return v;
    }
    digits = digits < 1 ? 1 : digits > 17 ? 17 : digits;
    char dig[20];
    int x;
    int saved = errno;
    int n = round_digits(fabs(v), digits, dig, &x);
    double r = digits_value(dig, n, x);
    errno = saved;
    return v < 0 ? -r : r;
}

/*
 * Lays the digits out as "%.17g" would lay out a number of that size: plain
 * for 1e-4 <= |v| < 1e17 ("0.0001", "46", "10000000000000000"), otherwise
 * d.ddde±XX with at least two exponent digits ("1e-07", "1e+21"). So the
 * digits are the fewest that read back, and 100 prints "100", not "1e+02".
 * -0.0 prints "0", like 0.0: a person reads no sign on zero.
 */
size_t num_format(double v, char buf[NUM_BUFSZ])
{
    if (isnan(v)) {
        memcpy(buf, "nan", 4);
        return 3;
    }
    if (isinf(v)) {
        if (v < 0) {
            memcpy(buf, "-inf", 5);
            return 4;
        }
        memcpy(buf, "inf", 4);
        return 3;
    }
    if (v == 0.0) {
        memcpy(buf, "0", 2);
        return 1;
    }
    char dig[20];
    int x;
    int n = shortest_digits(fabs(v), dig, &x);
    size_t k = 0;
    if (v < 0) {
        buf[k++] = '-';
    }
    if (x < -4 || x >= 17) {
        buf[k++] = dig[0];
        if (n > 1) {
            buf[k++] = '.';
            memcpy(buf + k, dig + 1, (size_t)n - 1);
            k += (size_t)n - 1;
        }
        k += (size_t)snprintf(buf + k, NUM_BUFSZ - k, "e%c%02d", x < 0 ? '-' : '+',
                              x < 0 ? -x : x);
        return k;
    }
    if (x < 0) {
        buf[k++] = '0';
        buf[k++] = '.';
        for (int i = -1; i > x; i--) {
            buf[k++] = '0';
        }
        memcpy(buf + k, dig, (size_t)n);
        k += (size_t)n;
    } else {
        for (int i = 0; i <= x; i++) {
            buf[k++] = i < n ? dig[i] : '0';
        }
        if (n > x + 1) {
            buf[k++] = '.';
            memcpy(buf + k, dig + x + 1, (size_t)(n - x - 1));
            k += (size_t)(n - x - 1);
        }
    }
    buf[k] = '\0';
    return k;
}

/*
 * Rounds the shortest digits, not the binary value: 2.675 is stored as
 * 2.67499999999999982236431605997495353221893310546875, but it prints as
 * "2.675" and a person rounds that to "2.68". The digits are placed on a
 * fixed grid of integer and fraction places with one spare place in front for
 * a carry ("9.995" -> "10.00"), and the first dropped digit decides.
 *
 * Choices: decimals outside 0..15 are clamped; any decsep other than ',' is
 * '.'; a result whose digits are all zero has no minus sign; non-finite
 * values print as num_format does; and |v| >= 1e21, whose fixed form could
 * outgrow NUM_BUFSZ, prints as num_format does too ("1e+21").
 */
/*
 * num_format_fixed without the shortest digits, for a number that is not
 * near a tie: below 1e6 on the fixed grid, v * 10^decimals is within 5e-10
 * of the shortest digits' value on it, so unless its fraction is within
 * 1e-6 of one half, both round to the same whole number of grid steps.
 * Returns the length, or 0 when the digits must decide.
 */
static size_t fixed_off_tie(double v, int shift, int decimals, char decsep,
                            char buf[NUM_BUFSZ])
{
    static const double scale[19] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,
                                     1e7,  1e8,  1e9,  1e10, 1e11, 1e12, 1e13,
                                     1e14, 1e15, 1e16, 1e17, 1e18};
    double grid = fabs(v) * scale[decimals + shift];
    if (!(grid < 1e6)) {
        return 0;
    }
    double whole = floor(grid), frac = grid - whole;
    if (fabs(frac - 0.5) < 1e-6) {
        return 0;
    }
    unsigned long steps = (unsigned long)whole + (frac > 0.5);
    char rev[24];
    int n = 0;
    for (unsigned long u = steps; u || n <= decimals; u /= 10) {
        rev[n++] = (char)('0' + u % 10);
    }
    size_t len = 0;
    if (v < 0 && steps) {
        buf[len++] = '-';
    }
    for (int i = n - 1; i >= 0; i--) {
        if (i == decimals - 1) {
            buf[len++] = decsep == ',' ? ',' : '.';
        }
        buf[len++] = rev[i];
    }
    buf[len] = '\0';
    return len;
}

static size_t fixed_digits(double v, int shift, int decimals, char decsep,
                           char buf[NUM_BUFSZ]);

/* num_format_fixed's cases before any digit: 0 when v is to be laid out. */
static size_t fixed_special(double v, int shift, int *decimals, char buf[NUM_BUFSZ])
{
    if (*decimals < 0) {
        *decimals = 0;
    } else if (*decimals > 15) {
        *decimals = 15;
    }
    double shown = v;
    for (int i = 0; i < shift; i++) {
        shown *= 10;
    }
    return !isfinite(shown) || fabs(shown) >= 1e21 ? num_format(shown, buf) : 0;
}

size_t num_format_fixed(double v, int decimals, char decsep, char buf[NUM_BUFSZ])
{
    size_t len = fixed_special(v, 0, &decimals, buf);
    if (!len) {
        len = fixed_off_tie(v, 0, decimals, decsep, buf);
    }
    return len ? len : fixed_digits(v, 0, decimals, decsep, buf);
}

size_t num_format_fixed_digits(double v, int decimals, char decsep, char buf[NUM_BUFSZ])
{
    size_t len = fixed_special(v, 0, &decimals, buf);
    return len ? len : fixed_digits(v, 0, decimals, decsep, buf);
}

size_t num_format_percent(double v, int decimals, char decsep, char buf[NUM_BUFSZ])
{
    size_t len = fixed_special(v, 2, &decimals, buf);
    if (!len) {
        len = fixed_off_tie(v, 2, decimals, decsep, buf);
    }
    return len ? len : fixed_digits(v, 2, decimals, decsep, buf);
}

/* v * 10^shift laid out: the shortest digits of v, their exponent moved. */
static size_t fixed_digits(double v, int shift, int decimals, char decsep,
                           char buf[NUM_BUFSZ])
{
    char dig[20];
    int n = 0, x = 0;
    if (v != 0.0) {
        n = shortest_digits(fabs(v), dig, &x);
        x += shift;
    }

    /* Place k of acc (k >= 1) holds the digit worth 10^(ip - k). */
    int ip = x >= 0 ? x + 1 : 1; /* integer places, at most 21 */
    int total = ip + decimals;
    int off = ip - 1 - x; /* acc[k] = dig[k - 1 - off] */
    char acc[40];
    acc[0] = 0;
    for (int k = 1; k <= total; k++) {
        int i = k - 1 - off;
        acc[k] = (char)(i >= 0 && i < n ? dig[i] - '0' : 0);
    }
    int r = total - off; /* index in dig of the first dropped digit */
    if (r >= 0 && r < n && dig[r] >= '5') {
        int k = total;
        while (acc[k] == 9) {
            acc[k--] = 0;
        }
        acc[k]++;
    }

    int nonzero = 0;
    for (int k = 0; k <= total; k++) {
        nonzero |= acc[k] != 0;
    }
    size_t len = 0;
    if (v < 0 && nonzero) {
        buf[len++] = '-';
    }
    for (int k = acc[0] ? 0 : 1; k <= total; k++) {
        if (k == ip + 1) {
            buf[len++] = decsep == ',' ? ',' : '.';
        }
        buf[len++] = (char)('0' + acc[k]);
    }
    buf[len] = '\0';
    return len;
}

/* ------------------------------------------------------------- comparing */

/*
 * The rule: a and b are equal when |a - b| <= 1e-12 * max(|a|, |b|).
 * Two numbers that differ by one unit in their 12th significant digit are
 * always unequal (that unit is more than 1e-12 of the larger one), while
 * rounding noise of a few operations, around 1e-16 relative, is far inside.
 * Consequences, all intended:
 *  - the tolerance is relative, so 0 equals only 0 (and -0), and a tiny
 *    value is not equal to 0: a rule should compare 0.3 with 0.1 + 0.2, not
 *    0.3 - (0.1 + 0.2) with 0;
 *  - numbers of opposite signs are never equal (their difference exceeds
 *    both), so they order by sign;
 *  - inf equals only inf of its sign and is beyond every finite number;
 *  - NaN equals NaN and sorts below every number, giving a total order;
 *  - the relation is not transitive near the edge of the tolerance, as any
 *    tolerance is not; a threshold check compares two values, so it is fine.
 */
int num_cmp_decimal(double a, double b)
{
    if (isnan(a) || isnan(b)) {
        return isnan(a) ? (isnan(b) ? 0 : -1) : 1;
    }
    if (a == b) {
        return 0;
    }
    if (isfinite(a) && isfinite(b)) {
        double m = fmax(fabs(a), fabs(b));
        if (fabs(a - b) <= 1e-12 * m) {
            return 0;
        }
    }
    return a < b ? -1 : 1;
}

size_t num_format_opt(double v, char buf[NUM_BUFSZ])
{
    if (isnan(v)) {
        buf[0] = '\0';
        return 0;
    }
    return num_format(v, buf);
}
