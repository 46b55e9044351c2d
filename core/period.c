/*
 * period.c — reporting periods: parsing and canonical text, ordering,
 * shifting, and the calendar arithmetic other modules build on (period.h).
 *
 * Every kind of period is a run of whole months: a year is 12 months from
 * January, an academic year 12 months from September, a half year 6, a
 * quarter 3, a month 1. Periods of one kind are numbered by an ordinal
 * (year * periods-per-year + sub - 1), which makes shifting and counting
 * plain integer arithmetic.
 *
 * Invariants:
 *  1. A valid period has a known kind, 1900 <= year <= 2999 (for an academic
 *     year: the autumn year, so 2999/00 is valid and ends in 3000), sub 0 for
 *     years and academic years and 1..periods-per-year otherwise.
 *  2. Every function here that returns a period returns a valid one or NONE
 *     (kind 0); none of them fails in any other way.
 *  3. Error messages never end inside a UTF-8 sequence, however short err is.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "datelike.h"
#include "period.h"
#include "textwidth.h"

#define YEAR_MIN 1900
#define YEAR_MAX 2999

/* Longest stretch of rejected input quoted back in a message, in bytes. */
#define QUOTE_MAX 32

static const shnor_period NONE = {0, 0, 0};

static const char FORMS[] = "2023 (year), 2022/23 (academic year), 2023-H1 (half year), "
                            "2023-Q2 (quarter) or 2023-05 (month)";

/* Periods of a kind in one year; 0 for an unknown kind. */
static int per_year(int kind)
{
    switch (kind) {
    case SHNOR_PERIOD_YEAR:
    case SHNOR_PERIOD_ACADEMIC:
        return 1;
    case SHNOR_PERIOD_HALF:
        return 2;
    case SHNOR_PERIOD_QUARTER:
        return 4;
    case SHNOR_PERIOD_MONTH:
        return 12;
    default:
        return 0;
    }
}

/* Whether the kind numbers its periods within a year (sub is not 0). */
static int has_sub(int kind)
{
    return kind == SHNOR_PERIOD_HALF || kind == SHNOR_PERIOD_QUARTER ||
           kind == SHNOR_PERIOD_MONTH;
}

const char *period_kind_name(int kind)
{
    switch (kind) {
    case SHNOR_PERIOD_YEAR:
        return "year";
    case SHNOR_PERIOD_ACADEMIC:
        return "academic year";
    case SHNOR_PERIOD_HALF:
        return "half year";
    case SHNOR_PERIOD_QUARTER:
        return "quarter";
    case SHNOR_PERIOD_MONTH:
        return "month";
    default:
        return "period";
    }
}

int period_valid(shnor_period p)
{
    int per = per_year(p.kind);
    if (per == 0 || p.year < YEAR_MIN || p.year > YEAR_MAX) {
        return 0;
    }
    return has_sub(p.kind) ? p.sub >= 1 && p.sub <= per : p.sub == 0;
}

/* The position of a valid p among the periods of its kind. */
static long long ordinal(shnor_period p)
{
    int per = per_year(p.kind);
    return (long long)p.year * per + (has_sub(p.kind) ? p.sub - 1 : 0);
}

/* The period of the given kind at ordinal o, or NONE when out of range. */
static shnor_period from_ordinal(int kind, long long o)
{
    int per = per_year(kind);
    if (per == 0 || o < (long long)YEAR_MIN * per ||
        o > (long long)YEAR_MAX * per + per - 1) {
        return NONE;
    }
    shnor_period p = {kind, (int)(o / per), has_sub(kind) ? (int)(o % per) + 1 : 0};
    assert(period_valid(p));
    return p;
}

/* The first month (1..12, in p.year) and the length in months of a valid p. */
static void month_span(shnor_period p, int *first, int *months)
{
    int len = 12 / per_year(p.kind);
    if (p.kind == SHNOR_PERIOD_ACADEMIC) {
        *first = 9;
    } else {
        *first = has_sub(p.kind) ? (p.sub - 1) * len + 1 : 1;
    }
    *months = len;
}

/*
 * The first day of p. An invalid period has no days; it gets day 0
 * (1970-01-01) so that the result is at least deterministic.
 */
shnor_date shnor_period_first_day(shnor_period p)
{
    int m, len;
    if (!period_valid(p)) {
        return 0;
    }
    month_span(p, &m, &len);
    return date_from_ymd(p.year, m, 1);
}

/* The last day of p; day 0 for an invalid period, as above. */
shnor_date shnor_period_last_day(shnor_period p)
{
    int m, len;
    if (!period_valid(p)) {
        return 0;
    }
    month_span(p, &m, &len);
    int t = p.year * 12 + (m - 1) + (len - 1); /* months since year 0 */
    int y = t / 12, mm = t % 12 + 1;
    return date_from_ymd(y, mm, date_days_in_month(y, mm));
}

/*
 * Writes the canonical text. A buffer too small for the whole text gets ""
 * rather than a prefix: "2023-05" cut to "2023" would read as another period.
 */
size_t shnor_period_format(shnor_period p, char *buf, size_t buflen)
{
    /* By hand, not snprintf: periods are formatted millions of times when a
       national pack runs. A valid year has four digits. */
    char tmp[16];
    size_t n = 4;
    if (!buf || buflen == 0) {
        return 0;
    }
    buf[0] = '\0';
    if (!period_valid(p)) {
        return 0;
    }
    tmp[0] = (char)('0' + p.year / 1000);
    tmp[1] = (char)('0' + p.year / 100 % 10);
    tmp[2] = (char)('0' + p.year / 10 % 10);
    tmp[3] = (char)('0' + p.year % 10);
    switch (p.kind) {
    case SHNOR_PERIOD_ACADEMIC:
        tmp[n++] = '/';
        tmp[n++] = (char)('0' + (p.year + 1) / 10 % 10);
        tmp[n++] = (char)('0' + (p.year + 1) % 10);
        break;
    case SHNOR_PERIOD_HALF:
    case SHNOR_PERIOD_QUARTER:
        tmp[n++] = '-';
        tmp[n++] = p.kind == SHNOR_PERIOD_HALF ? 'H' : 'Q';
        tmp[n++] = (char)('0' + p.sub);
        break;
    case SHNOR_PERIOD_MONTH:
        tmp[n++] = '-';
        tmp[n++] = (char)('0' + p.sub / 10);
        tmp[n++] = (char)('0' + p.sub % 10);
        break;
    default:
        break;
    }
    if (n >= buflen) {
        return 0;
    }
    memcpy(buf, tmp, n);
    buf[n] = '\0';
    return n;
}

static int cmp_int(long long a, long long b)
{
    return (a > b) - (a < b);
}

/*
 * Orders by first day, last day, kind. Two valid periods with the same first
 * and last day are the same period, so the kind never decides; the step is
 * kept because the header promises it. Invalid periods come before every
 * valid one and among themselves compare field by field, so that qsort gets
 * a total order whatever it is handed.
 */
int shnor_period_compare(shnor_period a, shnor_period b)
{
    int va = period_valid(a), vb = period_valid(b);
    int c;
    if (!va || !vb) {
        if (va != vb) {
            return va - vb;
        }
        if ((c = cmp_int(a.kind, b.kind)) != 0 || (c = cmp_int(a.year, b.year)) != 0) {
            return c;
        }
        return cmp_int(a.sub, b.sub);
    }
    if ((c = cmp_int(shnor_period_first_day(a), shnor_period_first_day(b))) != 0) {
        return c;
    }
    if ((c = cmp_int(shnor_period_last_day(a), shnor_period_last_day(b))) != 0) {
        return c;
    }
    return cmp_int(a.kind, b.kind);
}

shnor_period shnor_period_shift(shnor_period p, int n)
{
    if (!period_valid(p)) {
        return NONE;
    }
    return from_ordinal(p.kind, ordinal(p) + n);
}

shnor_period period_of_date(shnor_date date, int kind)
{
    int y, m, d;
    if (per_year(kind) == 0) {
        return NONE;
    }
    date_to_ymd(date, &y, &m, &d);
    shnor_period p = {kind, y, 0};
    switch (kind) {
    case SHNOR_PERIOD_ACADEMIC:
        p.year = m >= 9 ? y : y - 1;
        break;
    case SHNOR_PERIOD_HALF:
        p.sub = (m - 1) / 6 + 1;
        break;
    case SHNOR_PERIOD_QUARTER:
        p.sub = (m - 1) / 3 + 1;
        break;
    case SHNOR_PERIOD_MONTH:
        p.sub = m;
        break;
    }
    return period_valid(p) ? p : NONE;
}

int period_contains(shnor_period outer, shnor_period inner)
{
    if (!period_valid(outer) || !period_valid(inner)) {
        return 0;
    }
    return shnor_period_first_day(outer) <= shnor_period_first_day(inner) &&
           shnor_period_last_day(inner) <= shnor_period_last_day(outer);
}

int period_steps(shnor_period a, shnor_period b, int *steps)
{
    if (!period_valid(a) || !period_valid(b) || a.kind != b.kind) {
        return -1;
    }
    if (steps) {
        *steps = (int)(ordinal(b) - ordinal(a));
    }
    return 0;
}

/* ---------------------------------------------------------------------------
 * Messages.
 */

/*
 * Cuts s, of length len, before a UTF-8 sequence that snprintf truncation left
 * incomplete at its end.
 */
static void utf8_trim(char *s, size_t len)
{
    size_t i = len, cont = 0;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) {
        i--;
        cont++;
    }
    if (i == 0) {
        return;
    }
    unsigned char lead = (unsigned char)s[i - 1];
    size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    if (need > 1 && need > cont + 1) {
        s[i - 1] = '\0';
    }
}

/* Formats into err (when not NULL), truncating at a character boundary. */
static void seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || errlen == 0) {
        return;
    }
    va_start(ap, fmt);
    int n = vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    if (n < 0) {
        err[0] = '\0';
    } else if ((size_t)n >= errlen) {
        utf8_trim(err, errlen - 1);
    }
}

/*
 * Copies text for quoting into q: at most QUOTE_MAX bytes, cut at a character
 * boundary and marked "...", control bytes written as \xNN so that a stray
 * newline or NUL cannot break the message.
 */
static void quote(const char *text, size_t len, char *q, size_t qlen)
{
    size_t cut = utf8_cut(text, len, QUOTE_MAX), o = 0;
    for (size_t i = 0; i < cut && o + 5 < qlen; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7F) {
            o += (size_t)snprintf(q + o, qlen - o, "\\x%02X", c);
        } else {
            q[o++] = (char)c;
        }
    }
    if (cut < len && o + 4 <= qlen) {
        memcpy(q + o, "...", 3);
        o += 3;
    }
    q[o] = '\0';
}

static const char A_DATE[] = "a date, not a period";

/* Sets the "not a period" message, with why (may be NULL) in brackets. A
   text of no known shape, or a date, may be a spreadsheet's date: then why
   says which month and academic year it falls in. */
static int parse_fail(const char *text, size_t len, const char *why, char *err,
                      size_t errlen)
{
    char q[QUOTE_MAX * 4 + 8], hint[192];
    if ((!why || why == A_DATE) && datelike_period_hint(text, len, hint, sizeof hint)) {
        why = hint;
    }
    quote(text, len, q, sizeof q);
    seterr(err, errlen, "'%s' is not a period%s%s%s; expected %s", q, why ? " (" : "",
           why ? why : "", why ? ")" : "", FORMS);
    return SHNOR_INPUT;
}

/* ---------------------------------------------------------------------------
 * Parsing.
 */

/* The value of n ASCII digits at s, or -1 when one of them is not a digit. */
static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int is_hq(char c)
{
    return c == 'H' || c == 'h' || c == 'Q' || c == 'q';
}

/* Stores a well-shaped p, or rejects it when its year is out of range. */
static int finish(shnor_period p, const char *text, size_t len, shnor_period *out,
                  char *err, size_t errlen)
{
    char why[64];
    if (!period_valid(p)) {
        snprintf(why, sizeof why, "year %d is outside %d..%d", p.year, YEAR_MIN,
                 YEAR_MAX);
        return parse_fail(text, len, why, err, errlen);
    }
    *out = p;
    return SHNOR_OK;
}

/*
 * The grammar, on exactly len bytes (no trimming):
 *   YYYY                                   year
 *   YYYY sep YY | YYYY sep YYYY            academic year, sep one of / \ -
 *                                          (- only with four digits)
 *   YYYY-Hn | YYYY-hn                      half year
 *   YYYY-Qn | YYYY-qn                      quarter
 *   YYYY-MM                                month
 * Shapes that match but name something that does not exist (month 13, 2022/24,
 * year 1899) get a message saying what is wrong.
 */
int period_parse_n(const char *text, size_t len, shnor_period *out, char *err,
                   size_t errlen)
{
    char why[128];
    shnor_period p = NONE;
    int y, v;
    if (!text || !out) {
        seterr(err, errlen, "period_parse: %s is NULL", text ? "out" : "text");
        return SHNOR_MISUSE;
    }
    *out = NONE;
    if (len < 4 || (y = digits(text, 4)) < 0) {
        return parse_fail(text, len, NULL, err, errlen);
    }
    if (len == 4) {
        p = (shnor_period){SHNOR_PERIOD_YEAR, y, 0};
        return finish(p, text, len, out, err, errlen);
    }
    const char *rest = text + 5; /* what follows the separator */
    size_t rl = len - 5;
    if ((text[4] == '/' || text[4] == '\\' || text[4] == '-') &&
        (rl == 4 || (rl == 2 && text[4] != '-')) && (v = digits(rest, rl)) >= 0) {
        int follows = rl == 4 ? v == y + 1 : v == (y + 1) % 100;
        if (!follows) {
            snprintf(
                why, sizeof why,
                "%.*s does not follow %d: an academic year is two consecutive years, "
                "as in %d/%02d",
                (int)rl, rest, y, y, (y + 1) % 100);
            return parse_fail(text, len, why, err, errlen);
        }
        p = (shnor_period){SHNOR_PERIOD_ACADEMIC, y, 0};
    } else if (text[4] == '-' && rl == 2 && (v = digits(rest, 2)) >= 0) {
        if (v < 1 || v > 12) {
            if (v == (y + 1) % 100) {
                snprintf(
                    why, sizeof why,
                    "month %02d does not exist; the academic year is written %d/%02d", v,
                    y, v);
            } else {
                snprintf(why, sizeof why, "month %02d does not exist", v);
            }
            return parse_fail(text, len, why, err, errlen);
        }
        p = (shnor_period){SHNOR_PERIOD_MONTH, y, v};
    } else if (text[4] == '-' && rl == 2 && is_hq(rest[0]) &&
               (v = digits(rest + 1, 1)) >= 0) {
        int half = rest[0] == 'H' || rest[0] == 'h';
        if (v < 1 || v > (half ? 2 : 4)) {
            snprintf(why, sizeof why, "%s %d does not exist",
                     half ? "half year" : "quarter", v);
            return parse_fail(text, len, why, err, errlen);
        }
        p = (shnor_period){half ? SHNOR_PERIOD_HALF : SHNOR_PERIOD_QUARTER, y, v};
    } else if (len == 10 && text[4] == '-' && text[7] == '-' && digits(rest, 2) >= 0 &&
               digits(text + 8, 2) >= 0) {
        return parse_fail(text, len, A_DATE, err, errlen);
    } else {
        return parse_fail(text, len, NULL, err, errlen);
    }
    return finish(p, text, len, out, err, errlen);
}

int shnor_period_parse(const char *text, shnor_period *out, char *err, size_t errlen)
{
    return period_parse_n(text, text ? strlen(text) : 0, out, err, errlen);
}

/* ---------------------------------------------------------------------------
 * Ranges.
 */

int period_range(shnor_period a, shnor_period b, shnor_period *out, size_t max, size_t *n,
                 char *err, size_t errlen)
{
    char ta[SHNOR_PERIOD_MAX], tb[SHNOR_PERIOD_MAX];
    int steps = 0;
    if (n) {
        *n = 0;
    }
    if (!period_valid(a) || !period_valid(b)) {
        seterr(err, errlen, "period_range: %s is not a valid period",
               period_valid(a) ? "the end" : "the start");
        return SHNOR_MISUSE;
    }
    shnor_period_format(a, ta, sizeof ta);
    shnor_period_format(b, tb, sizeof tb);
    if (period_steps(a, b, &steps) != 0) {
        seterr(err, errlen,
               "cannot list the periods from %s to %s: %s is %s %s and %s %s %s", ta, tb,
               ta, a.kind == SHNOR_PERIOD_ACADEMIC ? "an" : "a", period_kind_name(a.kind), tb,
               b.kind == SHNOR_PERIOD_ACADEMIC ? "an" : "a", period_kind_name(b.kind));
        return SHNOR_INPUT;
    }
    if (steps < 0) {
        seterr(err, errlen, "cannot list the periods from %s to %s: %s comes before %s",
               ta, tb, tb, ta);
        return SHNOR_INPUT;
    }
    size_t count = (size_t)steps + 1;
    for (size_t i = 0; out && i < count && i < max; i++) {
        out[i] = shnor_period_shift(a, (int)i);
    }
    if (n) {
        *n = count;
    }
    return SHNOR_OK;
}
