/*
 * datelike.c — recognising cells a spreadsheet turned into dates, to say so
 * in the messages of the number and period readers. Only called on text
 * those readers refused: nothing here changes what is accepted.
 *
 * Shapes, after spaces around the text: D.M.Y with '.', '/' or '-' (one kind
 * in both places) and a two- or four-digit year; Y-M-D; either followed by a
 * time (" 0:00", " 00:00:00"); D MON [Y] and MON Y, the month a name or its
 * abbreviation in Russian or English, with '.', '-', a space or nothing
 * between. A two-digit year is read as Excel does: 00-29 is 20xx, 30-99 19xx.
 */
#include "datelike.h"

#include <stdio.h>
#include <string.h>

#include "period.h"

static const char *const MONTH_NAMES[13] = {
    "",     "January", "February", "March",     "April",   "May",      "June",
    "July", "August",  "September", "October", "November", "December"};

/* The forms of each month's name a cell may hold; an abbreviation is a
   prefix of one of them of three letters or more (мар, сент, Sept). */
static const char *const MONTH_FORMS[13][3] = {
    {""},
    {"январь", "января", "january"},    {"февраль", "февраля", "february"},
    {"март", "марта", "march"},         {"апрель", "апреля", "april"},
    {"май", "мая", "may"},              {"июнь", "июня", "june"},
    {"июль", "июля", "july"},           {"август", "августа", "august"},
    {"сентябрь", "сентября", "september"}, {"октябрь", "октября", "october"},
    {"ноябрь", "ноября", "november"},   {"декабрь", "декабря", "december"}};

typedef struct {
    const char *p, *end;
} cursor;

static int at_digit(const cursor *c)
{
    return c->p < c->end && *c->p >= '0' && *c->p <= '9';
}

/* Reads 1..max digits; returns their count (0 when none), the value in *v. */
static int read_digits(cursor *c, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (at_digit(c) && n <= max) {
        *v = *v * 10 + (*c->p - '0');
        c->p++;
        n++;
    }
    return n > max ? 0 : n;
}

/* A letter of a month name: ASCII, or Cyrillic (two bytes, D0 or D1 lead). */
static size_t letter_at(const cursor *c, char *lower)
{
    unsigned char b;
    if (c->p >= c->end) {
        return 0;
    }
    b = (unsigned char)*c->p;
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
        lower[0] = (char)(b | 0x20);
        return 1;
    }
    if ((b == 0xD0 || b == 0xD1) && c->end - c->p >= 2) {
        unsigned char t = (unsigned char)c->p[1];
        if (b == 0xD0 && t >= 0x90 && t <= 0x9F) { /* А-П to а-п */
            lower[0] = (char)0xD0;
            lower[1] = (char)(t + 0x20);
        } else if (b == 0xD0 && t >= 0xA0 && t <= 0xAF) { /* Р-Я to р-я */
            lower[0] = (char)0xD1;
            lower[1] = (char)(t - 0x20);
        } else if ((b == 0xD0 && t >= 0xB0 && t <= 0xBF) ||
                   (b == 0xD1 && t >= 0x80 && t <= 0x8F)) {
            lower[0] = (char)b;
            lower[1] = (char)t;
        } else {
            return 0;
        }
        return 2;
    }
    return 0;
}

/* Reads a month's name or abbreviation (with an optional '.'): 1..12, or 0. */
static int read_month(cursor *c)
{
    char word[32];
    size_t n = 0, letters = 0, len;
    cursor at = *c;
    while ((len = letter_at(&at, word + n)) > 0) {
        if (n + len >= sizeof word - 1) {
            return 0;
        }
        n += len;
        letters++;
        at.p += len;
    }
    word[n] = '\0';
    if (letters < 3) {
        return 0;
    }
    for (int m = 1; m <= 12; m++) {
        const char *const *f = MONTH_FORMS[m];
        if (strncmp(f[0], word, n) == 0 || strncmp(f[1], word, n) == 0 ||
            strncmp(f[2], word, n) == 0) {
            if (at.p < at.end && *at.p == '.') {
                at.p++;
            }
            *c = at;
            return m;
        }
    }
    return 0;
}

/* Skips one separator of a named month: '.', '-', spaces, or nothing. */
static void skip_name_sep(cursor *c)
{
    if (c->p < c->end && (*c->p == '.' || *c->p == '-')) {
        c->p++;
    }
    while (c->p < c->end && *c->p == ' ') {
        c->p++;
    }
}

static int year_of(int v, int ndigits)
{
    return ndigits == 2 ? (v < 30 ? 2000 + v : 1900 + v) : v;
}

/* An optional time after a whole date: " H:MM" or " HH:MM:SS". */
static int read_time(cursor *c)
{
    if (c->p == c->end) {
        return 1;
    }
    if (*c->p != ' ') {
        return 0;
    }
    while (c->p < c->end && *c->p == ' ') {
        c->p++;
    }
    int v;
    if (read_digits(c, 2, &v) == 0 || v > 23) {
        return 0;
    }
    for (int part = 0; part < 2 && c->p < c->end; part++) {
        if (*c->p != ':') {
            return 0;
        }
        c->p++;
        if (read_digits(c, 2, &v) != 2 || v > 59) {
            return 0;
        }
    }
    return c->p == c->end;
}

static int numeric_date(cursor c, datelike *out)
{
    int a, b, y;
    int na = read_digits(&c, 4, &a);
    if (na == 0 || c.p >= c.end) {
        return 0;
    }
    char sep = *c.p;
    if (sep != '.' && sep != '/' && sep != '-') {
        return 0;
    }
    c.p++;
    int nb = read_digits(&c, 2, &b);
    if (nb == 0 || c.p >= c.end || *c.p != sep) {
        return 0;
    }
    c.p++;
    int nc = read_digits(&c, 4, &y);
    if (na == 4 && nc >= 1 && nc <= 2) { /* 2023-05-12 */
        *out = (datelike){a, b, y, 0};
    } else if (na <= 2 && (nc == 2 || nc == 4)) { /* 12.05.2023 */
        *out = (datelike){year_of(y, nc), b, a, nc == 2};
    } else {
        return 0;
    }
    return date_valid_ymd(out->y, out->m, out->d) && read_time(&c);
}

static int named_month_date(cursor c, datelike *out)
{
    int d = 0, y = 0, nd, ny = 0, m;
    nd = read_digits(&c, 2, &d);
    if (nd > 0) { /* D MON [Y] */
        if (d == 0) {
            return 0;
        }
        skip_name_sep(&c);
        if ((m = read_month(&c)) == 0) {
            return 0;
        }
        skip_name_sep(&c);
        ny = read_digits(&c, 4, &y);
        if (ny != 0 && ny != 2 && ny != 4) {
            return 0;
        }
    } else { /* MON Y */
        if ((m = read_month(&c)) == 0) {
            return 0;
        }
        skip_name_sep(&c);
        ny = read_digits(&c, 4, &y);
        if (ny != 2 && ny != 4) {
            return 0;
        }
    }
    if (c.p != c.end) {
        return 0;
    }
    *out = (datelike){ny ? year_of(y, ny) : 0, m, d, ny == 2};
    if (out->y && (out->y < 1900 || out->y > 2999)) {
        return 0;
    }
    return d == 0 || (d >= 1 && d <= date_days_in_month(out->y ? out->y : 2000, m));
}

int datelike_read(const char *s, size_t len, datelike *out)
{
    datelike d;
    if (!s) {
        return 0;
    }
    cursor c = {s, s + len};
    while (c.p < c.end && *c.p == ' ') {
        c.p++;
    }
    while (c.end > c.p && c.end[-1] == ' ') {
        c.end--;
    }
    if (!numeric_date(c, &d) && !named_month_date(c, &d)) {
        return 0;
    }
    if (out) {
        *out = d;
    }
    return 1;
}

/* "5 March 2023", "5 March" or "March 2023". */
static void describe(const datelike *d, char *buf, size_t buflen)
{
    if (d->d && d->y) {
        snprintf(buf, buflen, "%d %s %d", d->d, MONTH_NAMES[d->m], d->y);
    } else if (d->d) {
        snprintf(buf, buflen, "%d %s", d->d, MONTH_NAMES[d->m]);
    } else {
        snprintf(buf, buflen, "%s %d", MONTH_NAMES[d->m], d->y);
    }
}

/* The start of both hints: buf emptied; 1 with the date read and described
   in when, else 0. */
static int read_described(const char *s, size_t len, char *buf, size_t buflen, datelike *d,
                          char *when, size_t whenlen)
{
    if (buflen) {
        buf[0] = '\0';
    }
    if (!datelike_read(s, len, d) || !buflen) {
        return 0;
    }
    describe(d, when, whenlen);
    return 1;
}

int datelike_number_hint(const char *s, size_t len, char *buf, size_t buflen)
{
    datelike d;
    char when[48];
    if (!read_described(s, len, buf, buflen, &d, when, sizeof when)) {
        return 0;
    }
    int shown = len > 24 ? 24 : (int)len;
    const char *fix = "; format the column as Number or Text and type the values again "
                      "with a decimal comma";
    if (d.d && !d.y) { /* 05.мар: 5.3 or 5.03 typed with a point */
        char alt[32] = "";
        if (d.m < 10) {
            snprintf(alt, sizeof alt, " or %d.0%d", d.d, d.m);
        }
        snprintf(buf, buflen,
                 "'%.*s' is a date (%s), not a number: a spreadsheet makes it of %d.%d%s typed "
                 "with a point%s",
                 shown, s, when, d.d, d.m, alt, fix);
    } else if (!d.d && d.short_year) { /* мар.22: 3.22 typed with a point */
        snprintf(buf, buflen,
                 "'%.*s' is a date (%s), not a number: a spreadsheet makes it of %d.%02d typed "
                 "with a point%s",
                 shown, s, when, d.m, d.y % 100, fix);
    } else {
        snprintf(buf, buflen, "'%.*s' is a date (%s), not a number%s", shown, s, when, fix);
    }
    return 1;
}

int datelike_period_hint(const char *s, size_t len, char *buf, size_t buflen)
{
    datelike d;
    char when[48];
    if (!read_described(s, len, buf, buflen, &d, when, sizeof when)) {
        return 0;
    }
    if (d.d && d.y) {
        int start = d.m >= 9 ? d.y : d.y - 1; /* the school year starts in September */
        snprintf(buf, buflen,
                 "a date, %s: its month is %04d-%02d, its academic year %d/%02d", when, d.y,
                 d.m, start, (start + 1) % 100);
    } else if (d.y) {
        snprintf(buf, buflen,
                 "a month a spreadsheet made a date of, %s: write %04d-%02d in a column "
                 "formatted as Text",
                 when, d.y, d.m);
    } else {
        snprintf(buf, buflen, "a date (%s) without a year", when);
    }
    return 1;
}
