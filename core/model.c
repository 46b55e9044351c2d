/*
 * model.c — names of units and directions, natural ranges and their text,
 * and the text folding used to match headers and words typed in Russian.
 */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numfmt.h"

static const struct {
    const char *name;
    int unit;
} unit_names[] = {
    {"share", UNIT_SHARE},      {"доля", UNIT_SHARE},       {"percent", UNIT_PERCENT},
    {"процент", UNIT_PERCENT},  {"%", UNIT_PERCENT},        {"score", UNIT_SCORE},
    {"балл", UNIT_SCORE},       {"баллы", UNIT_SCORE},      {"count", UNIT_COUNT},
    {"количество", UNIT_COUNT}, {"число", UNIT_COUNT},      {"чел.", UNIT_COUNT},
    {"index", UNIT_INDEX},      {"индекс", UNIT_INDEX},     {"flag", UNIT_FLAG},
    {"признак", UNIT_FLAG},     {"флаг", UNIT_FLAG},
};

const char *unit_name(int unit)
{
    switch (unit) {
    case UNIT_SHARE:
        return "share";
    case UNIT_PERCENT:
        return "percent";
    case UNIT_SCORE:
        return "score";
    case UNIT_COUNT:
        return "count";
    case UNIT_INDEX:
        return "index";
    case UNIT_FLAG:
        return "flag";
    default:
        return "";
    }
}

const char *unit_article(int unit)
{
    return unit == UNIT_INDEX ? "an" : "a";
}

int unit_parse(const char *s, size_t len)
{
    char buf[64];
    if (len >= sizeof buf) {
        return 0;
    }
    size_t n = text_fold(s, len, buf);
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++) {
        if (strlen(unit_names[i].name) == n && memcmp(unit_names[i].name, buf, n) == 0) {
            return unit_names[i].unit;
        }
    }
    return 0;
}

const char *better_name(int better)
{
    return better == BETTER_HIGHER ? "higher" : better == BETTER_LOWER ? "lower" : "";
}

int better_parse(const char *s, size_t len)
{
    static const struct {
        const char *name;
        int better;
    } names[] = {
        {"higher", BETTER_HIGHER}, {"выше", BETTER_HIGHER},  {"больше", BETTER_HIGHER},
        {"lower", BETTER_LOWER},   {"ниже", BETTER_LOWER},   {"меньше", BETTER_LOWER},
    };
    char buf[64];
    if (len >= sizeof buf) {
        return 0;
    }
    size_t n = text_fold(s, len, buf);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strlen(names[i].name) == n && memcmp(names[i].name, buf, n) == 0) {
            return names[i].better;
        }
    }
    return 0;
}

void unit_range(int unit, double *lo, double *hi)
{
    double l = NAN, h = NAN;
    switch (unit) {
    case UNIT_SHARE:
    case UNIT_FLAG:
        l = 0;
        h = 1;
        break;
    case UNIT_PERCENT:
        l = 0;
        h = 100;
        break;
    case UNIT_COUNT:
        l = 0;
        break;
    default:
        break;
    }
    *lo = l;
    *hi = h;
}

void indicator_range(const indicator *ind, double *lo, double *hi)
{
    /* The bounds narrow the unit's range, never widen it: a share with
       "max 100" (a catalogue written before bounds were checked) still
       takes nothing above 1. */
    double l, h;
    unit_range(ind->unit, &l, &h);
    if (!isnan(ind->min) && (isnan(l) || ind->min > l)) {
        l = ind->min;
    }
    if (!isnan(ind->max) && (isnan(h) || ind->max < h)) {
        h = ind->max;
    }
    *lo = l;
    *hi = h;
}

void range_text(double lo, double hi, char buf[RANGE_BUFSZ])
{
    char los[NUM_BUFSZ], his[NUM_BUFSZ];
    num_format(lo, los);
    num_format(hi, his);
    if (isnan(lo) && isnan(hi)) {
        snprintf(buf, RANGE_BUFSZ, "any number");
    } else if (isnan(lo)) {
        snprintf(buf, RANGE_BUFSZ, "at most %s", his);
    } else if (isnan(hi)) {
        snprintf(buf, RANGE_BUFSZ, "at least %s", los);
    } else {
        snprintf(buf, RANGE_BUFSZ, "between %s and %s", los, his);
    }
}

void indicators_free(indicator *v, size_t n)
{
    if (!v) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].code);
        free(v[i].title);
    }
    free(v);
}

size_t text_fold(const char *s, size_t len, char *out)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t n = 0;
    int pending_space = 0;
    while (p < end) {
        unsigned char c = *p;
        int space = 0;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            space = 1;
            p++;
        } else if (c == 0xC2 && p + 1 < end && p[1] == 0xA0) { /* U+00A0 */
            space = 1;
            p += 2;
        } else if (c == 0xE2 && p + 2 < end && p[1] == 0x80 && p[2] == 0xAF) { /* U+202F */
            space = 1;
            p += 3;
        }
        if (space) {
            pending_space = n > 0;
            continue;
        }
        if (pending_space) {
            out[n++] = ' ';
            pending_space = 0;
        }
        if (c >= 'A' && c <= 'Z') {
            out[n++] = (char)(c + 32);
            p++;
        } else if (c == 0xD0 && p + 1 < end) {
            unsigned char d = p[1];
            if (d == 0x81) { /* Ё -> е */
                out[n++] = (char)0xD0;
                out[n++] = (char)0xB5;
            } else if (d >= 0x90 && d <= 0x9F) { /* А..П -> а..п */
                out[n++] = (char)0xD0;
                out[n++] = (char)(d + 0x20);
            } else if (d >= 0xA0 && d <= 0xAF) { /* Р..Я -> р..я */
                out[n++] = (char)0xD1;
                out[n++] = (char)(d - 0x20);
            } else {
                out[n++] = (char)c;
                out[n++] = (char)d;
            }
            p += 2;
        } else if (c == 0xD1 && p + 1 < end && p[1] == 0x91) { /* ё -> е */
            out[n++] = (char)0xD0;
            out[n++] = (char)0xB5;
            p += 2;
        } else {
            out[n++] = (char)c;
            p++;
        }
    }
    out[n] = '\0';
    return n;
}

int text_same(const char *a, const char *b)
{
    if (strcmp(a, b) == 0) {
        return 1;
    }
    size_t la = strlen(a), lb = strlen(b);
    char sa[256], sb[256];
    char *fa = la < sizeof sa ? sa : malloc(la + 1), *fb = lb < sizeof sb ? sb : malloc(lb + 1);
    int same = -1;
    if (fa && fb) {
        size_t na = text_fold(a, la, fa), nb = text_fold(b, lb, fb);
        same = na == nb && memcmp(fa, fb, na) == 0;
    }
    if (fa != sa) {
        free(fa);
    }
    if (fb != sb) {
        free(fb);
    }
    return same;
}
