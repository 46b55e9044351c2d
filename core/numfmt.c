/*
 * numfmt.c — numbers as people type them into spreadsheets (see numfmt.h);
 * numfmt_print.c prints them.
 *
 * Nothing here depends on the process locale, and nothing calls setlocale.
 * Parsing normalises a cell into a local buffer holding only an integer
 * mantissa and an exponent, "<digits>e<exp>", and hands that to strtod: the C
 * standard requires every locale to accept that form, and it has no decimal
 * point for the locale to disagree about (so no swapping '.' for
 * localeconv()'s point, as Lua's lobject.c does, is needed). Short mantissas
 * with small exponents skip strtod by Clinger's exact fast path. Either way
 * the result is the correctly rounded value of what was written.
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
#include "numfmtInt.h"
#include "textwidth.h"

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
        n = utf8_cut(c->text, n, QUOTE_MAX);
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

double num_digits_value(char *dig, size_t nd, long long e)
{
    double x;
    if (!fast_path(dig, nd, e, &x)) {
        put_exp(dig + nd, e);
        int saved = errno;
        x = strtod(dig, NULL);
        errno = saved;
    }
    return x;
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
        x = num_digits_value(buf, nd, e);
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

