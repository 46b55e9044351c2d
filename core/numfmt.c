/*
 * numfmt.c — numbers as people type them into spreadsheets, and numbers as
 * shnor prints them (see numfmt.h).
 *
 * Nothing here depends on the process locale, and nothing calls setlocale.
 * Parsing normalises a cell into a local buffer holding only an integer
 * mantissa and an exponent, "<digits>e<exp>", and hands that to strtod: the C
 * standard requires every locale to accept that form, and it has no decimal
 * point for the locale to disagree about (so no swapping '.' for
 * localeconv()'s point, as Lua's lobject.c does, is needed). Short mantissas
 * with small exponents skip strtod by Clinger's exact fast path. Either way
 * the result is the correctly rounded value of what was written. Printing
 * takes the digits of "%.*e" (skipping whatever the locale put between them)
 * and lays them out itself with '.'.
 *
 * Decisions the header leaves open:
 *  1. ".5", ",5" and "-,5" are accepted (Excel and LibreOffice accept them
 *     typed into a cell); "5," and "5,e3" are rejected — a separator with
 *     nothing after it is more often a cut-off value than a whole number.
 *  2. Grouped digits: the first group has one to three digits, every later
 *     group exactly three ("1 204", "12 345 678"); separators may be ' ',
 *     U+00A0 or U+202F, mixed. Digits after the decimal separator are never
 *     grouped.
 *  3. Surrounding space is ' ', '\t', '\r', '\n', U+00A0 and U+202F: a line
 *     break typed inside a cell (Alt+Enter) is as invisible as a space.
 *  4. A zero value is +0.0, also when written "-0" or "-0,0": Excel writes
 *     "-0,0" for a small negative number shown with one decimal, and a person
 *     reads it as zero.
 *  5. A value beyond ±DBL_MAX, or a nonzero value that would round to zero
 *     ("1e-400"), is rejected; subnormal values are accepted.
 *  6. The exponent's sign may also be U+2212, like the number's.
 *  7. On NUM_EMPTY and NUM_BAD, *value is 0 and *percent is 0; s == NULL is
 *     an empty cell; err may be NULL.
 *  8. Messages name the first problem from the left, except that a word after
 *     a space is reported as the word ("'12 руб' ... unexpected 'р'"). Cells
 *     starting with '#' get their own message: they are Excel's error values
 *     ("#ДЕЛ/0!", "#Н/Д").
 */
#include "numfmt.h"

#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- parsing */

/*
 * Significant digits kept for strtod. The exact decimal value of a midpoint
 * between two adjacent doubles has at most 767 significant digits, so
 * cutting the digits after the 800th and putting a single '1' in their place
 * when any of them was nonzero (a "sticky" digit) cannot move the value
 * across a midpoint: the conversion stays correctly rounded for a cell of any
 * length while the buffer stays small and on the stack.
 */
#define MAX_SIG 800

/* Exponents are clamped here; far beyond what any double can reach. */
#define MAX_EXP 999999999LL

/* Bytes of the cell text quoted in a message before it is cut with "...". */
#define QUOTE_MAX 60

typedef struct {
    const char *text; /* the cell without surrounding space, for messages */
    size_t textlen;
    char *err;
    size_t errlen;
} cell;

/*
 * Writes "'<cell text>' " followed by the formatted message into c->err and
 * returns NUM_BAD. Long text is cut at a character boundary; control bytes
 * show as '?'.
 */
static int fail(const cell *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int fail(const cell *c, const char *fmt, ...)
{
    if (!c->err || c->errlen == 0) {
        return NUM_BAD;
    }
    char q[QUOTE_MAX + 8];
    size_t n = c->textlen;
    int cut = 0;
    if (n > QUOTE_MAX) {
        n = QUOTE_MAX;
        while (n > 0 && ((unsigned char)c->text[n] & 0xC0) == 0x80) {
            n--; /* do not split a UTF-8 sequence */
        }
        cut = 1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)c->text[i];
        q[i] = (ch < 0x20 || ch == 0x7F) ? '?' : (char)ch;
    }
    if (cut) {
        memcpy(q + n, "...", 3);
        n += 3;
    }
    q[n] = '\0';

    int k = snprintf(c->err, c->errlen, "'%s' ", q);
    if (k >= 0 && (size_t)k < c->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->err + k, c->errlen - (size_t)k, fmt, ap);
        va_end(ap);
    }
    return NUM_BAD;
}

/* Writes "e<exp>" and a NUL at dst (snprintf is slow on the hot path). */
static void put_exp(char *dst, long long e)
{
    char tmp[24];
    int n = 0;
    unsigned long long u = e < 0 ? 0ULL - (unsigned long long)e : (unsigned long long)e;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    *dst++ = 'e';
    if (e < 0) {
        *dst++ = '-';
    }
    while (n) {
        *dst++ = tmp[--n];
    }
    *dst = '\0';
}

/*
 * Clinger's fast path: when the digits form an integer below 2^53 and the
 * power of ten is at most 10^22 (both exact in a double), one multiplication
 * or division is correctly rounded by IEEE arithmetic. It covers nearly every
 * spreadsheet cell and skips strtod. Off where intermediates may be wider
 * than double (x87), since the single rounding is what makes it exact.
 */
static int fast_path(const char *dig, size_t nd, long long e, double *x)
{
#if FLT_EVAL_METHOD == 0
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    if (nd > 15 || e < -22 || e > 22) {
        return 0;
    }
    long long d = 0;
    for (size_t i = 0; i < nd; i++) {
        d = d * 10 + (dig[i] - '0');
    }
    *x = e >= 0 ? (double)d * pow10[e] : (double)d / pow10[-e];
    return 1;
#else
    (void)dig, (void)nd, (void)e, (void)x;
    return 0;
#endif
}

/* Length of a digit-group separator at p (' ', U+00A0, U+202F), else 0. */
static size_t group_sep_at(const char *p, const char *end)
{
    size_t left = (size_t)(end - p);
    if (left >= 1 && p[0] == ' ') {
        return 1;
    }
    if (left >= 2 && memcmp(p, "\xC2\xA0", 2) == 0) {
        return 2;
    }
    if (left >= 3 && memcmp(p, "\xE2\x80\xAF", 3) == 0) {
        return 3;
    }
    return 0;
}

/* Length of surrounding space at p: a group separator, tab, CR or LF. */
static size_t space_at(const char *p, const char *end)
{
    if (p < end && (*p == '\t' || *p == '\r' || *p == '\n')) {
        return 1;
    }
    return group_sep_at(p, end);
}

/* Length of the space character that ends just before end, else 0. */
static size_t space_before(const char *begin, const char *end)
{
    size_t have = (size_t)(end - begin);
    for (size_t n = 1; n <= 3 && n <= have; n++) {
        if (space_at(end - n, end) == n) {
            return n;
        }
    }
    return 0;
}

/* Length of a sign at p ('+', '-', U+2212), else 0; *neg tells which. */
static size_t sign_at(const char *p, const char *end, int *neg)
{
    size_t left = (size_t)(end - p);
    if (left >= 1 && (p[0] == '+' || p[0] == '-')) {
        *neg = p[0] == '-';
        return 1;
    }
    if (left >= 3 && memcmp(p, "\xE2\x88\x92", 3) == 0) {
        *neg = 1;
        return 3;
    }
    return 0;
}

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Case-insensitive: is [p, end) exactly the ASCII word w? */
static int is_word(const char *p, const char *end, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(end - p) != n) {
        return 0;
    }
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (ch >= 'A' && ch <= 'Z') {
            ch = (char)(ch - 'A' + 'a');
        }
        if (ch != w[i]) {
            return 0;
        }
    }
    return 1;
}

/* Reports the character at p as unexpected, whole if it is UTF-8. */
static int unexpected(const cell *c, const char *p, const char *end)
{
    unsigned char ch = (unsigned char)*p;
    if (ch == '%') {
        return fail(c, "has a '%%' that is not at the end");
    }
    size_t n = ch < 0x80 ? 1 : ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : ch >= 0xC0 ? 2 : 0;
    if (ch < 0x20 || ch == 0x7F || n == 0 || n > (size_t)(end - p)) {
        return fail(c, "is not a number: unexpected byte 0x%02X", ch);
    }
    return fail(c, "is not a number: unexpected '%.*s'", (int)n, p);
}

/* A digit group after the first that does not have three digits. */
static int bad_group(const cell *c, size_t glen)
{
    if (glen == 0) {
        return fail(c, "has a group separator not followed by digits");
    }
    return fail(c, "has a digit group of %zu digit%s; groups after the first have three",
                glen, glen == 1 ? "" : "s");
}

/*
 * The grammar, after surrounding space and a trailing '%' are taken off:
 *
 *   number   = [sign] mantissa [exponent]
 *   mantissa = intpart [sep digits] | sep digits
 *   intpart  = digits | d{1,3} (gsep ddd)+
 *   exponent = ('e' | 'E') [sign] digits
 *
 * One left-to-right pass; the significant digits go to buf as described at
 * MAX_SIG. Linear in len and allocation-free.
 */
static int parse(const char *s, size_t len, int hundredths, double *value, int *percent,
                 char *err, size_t errlen)
{
    cell c = {NULL, 0, err, errlen};
    if (value) {
        *value = 0.0;
    }
    if (percent) {
        *percent = 0;
    }
    if (err && errlen) {
        err[0] = '\0';
    }
    if (!s) {
        return NUM_EMPTY;
    }

    const char *p = s, *end = s + len;
    for (size_t n; (n = space_at(p, end)) != 0;) {
        p += n;
    }
    for (size_t n; (n = space_before(p, end)) != 0;) {
        end -= n;
    }
    if (p == end) {
        return NUM_EMPTY;
    }
    c.text = p;
    c.textlen = (size_t)(end - p);

    int pct = 0;
    if (end[-1] == '%') {
        pct = 1;
        end--;
        for (size_t n; (n = space_before(p, end)) != 0;) {
            end -= n;
        }
        if (end > p && end[-1] == '%') {
            return fail(&c, "has more than one '%%'");
        }
    }

    int neg = 0, neg2;
    size_t sl = sign_at(p, end, &neg);
    p += sl;
    if (p == end) {
        return fail(&c, sl ? "has a sign but no digits" : "has no digits");
    }
    if (sl && space_at(p, end)) {
        return fail(&c, "has a space after the sign");
    }
    if (sl && sign_at(p, end, &neg2)) {
        return fail(&c, "has two signs");
    }
    if (*p == '#') {
        return fail(&c, "is a spreadsheet error value, not a number");
    }
    if (is_word(p, end, "inf") || is_word(p, end, "infinity") || is_word(p, end, "nan")) {
        return fail(&c, "is not a finite number");
    }
    if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        return fail(&c, "is hexadecimal; only decimal numbers are accepted");
    }

    char buf[MAX_SIG + 32]; /* "<digits>e<exp>" */
    size_t nd = 0;          /* digits in buf */
    int sticky = 0;         /* a nonzero digit was cut after MAX_SIG */
    long long scale = 0;    /* value = buf's digits * 10^scale */
    size_t ndigits = 0;     /* mantissa digits seen, zeros included */
    char dec = 0;           /* the decimal separator seen, if any */
    size_t fdigits = 0;     /* digits after it */
    size_t glen = 0;        /* digits in the current integer group */
    int ngsep = 0;          /* group separators seen */

    for (; p < end; p++) {
        char ch = *p;
        size_t n;
        if (is_digit(ch)) {
            ndigits++;
            if (dec) {
                fdigits++;
            } else {
                glen++;
            }
            if (nd == 0 && ch == '0') {
                scale -= dec != 0; /* a leading zero */
            } else if (nd < MAX_SIG) {
                buf[nd++] = ch;
                scale -= dec != 0;
            } else {
                sticky |= ch != '0';
                scale += dec == 0;
            }
        } else if ((n = group_sep_at(p, end)) != 0) {
            /* "12 руб": a word after a space is the problem, not the space. */
            const char *q = p + n;
            for (size_t m; (m = group_sep_at(q, end)) != 0;) {
                q += m;
            }
            if (q < end && !is_digit(*q) && *q != ',' && *q != '.' && *q != 'e' &&
                *q != 'E') {
                return unexpected(&c, q, end);
            }
            if (dec) {
                return fail(&c, "has a group separator after the decimal separator");
            }
            if (glen == 0) {
                return fail(&c, "has two group separators in a row");
            }
            if (ngsep == 0 && glen > 3) {
                return fail(&c,
                            "has a first digit group of %zu digits; grouped numbers "
                            "start with one to three",
                            glen);
            }
            if (ngsep > 0 && glen != 3) {
                return bad_group(&c, glen);
            }
            ngsep++;
            glen = 0;
            p += n - 1;
        } else if (ch == ',' || ch == '.') {
            if (dec == ch) {
                return fail(&c, "has two decimal separators");
            }
            if (dec) {
                return fail(&c, "mixes '%c' and '%c' as separators", dec, ch);
            }
            if (ngsep > 0 && glen != 3) {
                return bad_group(&c, glen);
            }
            dec = ch;
        } else {
            break;
        }
    }

    /* The mantissa has ended: at the end of the text, or at p. */
    int at_exp = p < end && (*p == 'e' || *p == 'E');
    if (p < end && !at_exp) {
        return unexpected(&c, p, end);
    }
    if (ndigits == 0) {
        return at_exp && !dec ? unexpected(&c, p, end) : fail(&c, "has no digits");
    }
    if (ngsep > 0 && !dec && glen != 3) {
        return bad_group(&c, glen);
    }
    if (dec && fdigits == 0) {
        return fail(&c, "has no digits after the decimal separator");
    }

    long long exp10 = 0;
    if (at_exp) {
        p++;
        int eneg = 0;
        p += sign_at(p, end, &eneg);
        if (p == end) {
            return fail(&c, "has no digits in the exponent");
        }
        if (!is_digit(*p)) {
            return unexpected(&c, p, end);
        }
        for (; p < end && is_digit(*p); p++) {
            if (exp10 < MAX_EXP) {
                exp10 = exp10 * 10 + (*p - '0');
            }
        }
        if (p < end) {
            return unexpected(&c, p, end);
        }
        exp10 = eneg ? -exp10 : exp10;
    }

    double x = 0.0;
    if (nd > 0) {
        if (sticky) {
            buf[nd++] = '1';
            scale--;
        }
        /* Hundredths move the decimal point in the text, before the one
           rounding: 14,3 % is the double nearest 0.143 (14.3 / 100 is not). */
        long long e = scale + exp10 - (hundredths == NUM_HUNDREDTHS_ALWAYS ||
                                        (hundredths == NUM_HUNDREDTHS_IF_PERCENT && pct)
                                       ? 2 : 0);
        if (e > MAX_EXP) {
            e = MAX_EXP;
        } else if (e < -MAX_EXP) {
            e = -MAX_EXP;
        }
        if (!fast_path(buf, nd, e, &x)) {
            put_exp(buf + nd, e);
            int saved = errno;
            x = strtod(buf, NULL);
            errno = saved;
        }
        if (isinf(x)) {
            return fail(&c, "is out of range: larger than %.1e in magnitude", DBL_MAX);
        }
        if (x == 0.0) {
            return fail(&c, "is out of range: too close to zero to represent");
        }
        if (neg) {
            x = -x;
        }
    }
    if (value) {
        *value = x;
    }
    if (percent) {
        *percent = pct;
    }
    return NUM_OK;
}

int num_parse(const char *s, size_t len, double *value, int *percent, char *err,
              size_t errlen)
{
    return parse(s, len, NUM_AS_WRITTEN, value, percent, err, errlen);
}

int num_parse_hundredths(const char *s, size_t len, int when, double *value, int *percent,
                         char *err, size_t errlen)
{
    return parse(s, len, when, value, percent, err, errlen);
}

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
        if (is_digit(*p) && n < 17) {
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
    double d;
    if (fast_path(dig, (size_t)n, x - n + 1, &d)) {
        return d;
    }
    char tmp[40];
    memcpy(tmp, dig, (size_t)n);
    put_exp(tmp + n, x - n + 1);
    return strtod(tmp, NULL);
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
static size_t fixed_off_tie(double v, int decimals, char decsep, char buf[NUM_BUFSZ])
{
    static const double scale[16] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    double grid = fabs(v) * scale[decimals];
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

static size_t fixed_digits(double v, int decimals, char decsep, char buf[NUM_BUFSZ]);

/* num_format_fixed's cases before any digit: 0 when v is to be laid out. */
static size_t fixed_special(double v, int *decimals, char buf[NUM_BUFSZ])
{
    if (*decimals < 0) {
        *decimals = 0;
    } else if (*decimals > 15) {
        *decimals = 15;
    }
    return !isfinite(v) || fabs(v) >= 1e21 ? num_format(v, buf) : 0;
}

size_t num_format_fixed(double v, int decimals, char decsep, char buf[NUM_BUFSZ])
{
    size_t len = fixed_special(v, &decimals, buf);
    if (!len) {
        len = fixed_off_tie(v, decimals, decsep, buf);
    }
    return len ? len : fixed_digits(v, decimals, decsep, buf);
}

size_t num_format_fixed_digits(double v, int decimals, char decsep, char buf[NUM_BUFSZ])
{
    size_t len = fixed_special(v, &decimals, buf);
    return len ? len : fixed_digits(v, decimals, decsep, buf);
}

static size_t fixed_digits(double v, int decimals, char decsep, char buf[NUM_BUFSZ])
{
    char dig[20];
    int n = 0, x = 0;
    if (v != 0.0) {
        n = shortest_digits(fabs(v), dig, &x);
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
