/*
 * humanfmt.c — numbers for people (see humanfmt.h).
 */
#include "humanfmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "numfmt.h"

/* Copies tmp to buf without the trailing zeros of its fraction. */
static void put_trimmed(char *tmp, char *buf, size_t len)
{
    char *comma = strchr(tmp, ',');
    if (comma) {
        char *end = tmp + strlen(tmp);
        while (end > comma + 1 && end[-1] == '0') {
            *--end = '\0';
        }
        if (end == comma + 1) {
            *comma = '\0';
        }
    }
    snprintf(buf, len, "%s", tmp);
}

void human_number(double v, int decimals, char *buf, size_t len)
{
    char tmp[NUM_BUFSZ];
    num_format_fixed(v, decimals, ',', tmp);
    put_trimmed(tmp, buf, len);
}

void human_percent_of(double share, int decimals, char *buf, size_t len)
{
    char tmp[NUM_BUFSZ];
    num_format_percent(share, decimals, ',', tmp);
    put_trimmed(tmp, buf, len);
}

const char *ru_plural(long n, const char *one, const char *few, const char *many)
{
    long m = n < 0 ? -(n % 100) : n % 100;
    if (m >= 11 && m <= 14) {
        return many;
    }
    switch (m % 10) {
    case 1:
        return one;
    case 2:
    case 3:
    case 4:
        return few;
    default:
        return many;
    }
}

const char *human_listing_status(const char *status, const char *override)
{
    return override && *override && strcmp(status, "listed") == 0 ? "в списке (вручную)"
                                                                   : human_status(status);
}

const char *human_status(const char *s)
{
    return strcmp(s, "listed") == 0              ? "в списке"
           : strcmp(s, "excluded") == 0          ? "исключена вручную"
           : strcmp(s, "insufficient_data") == 0 ? "недостаточно данных"
           : strcmp(s, "met") == 0               ? "выполнено"
           : strcmp(s, "not_met") == 0           ? "не выполнено"
           : strcmp(s, "planned") == 0           ? "запланировано"
           : strcmp(s, "in_progress") == 0       ? "в работе"
           : strcmp(s, "done") == 0              ? "выполнено"
           : strcmp(s, "cancelled") == 0         ? "отменено"
                                                 : s;
}

void human_value(int unit, double v, char *buf, size_t len)
{
    human_value_prec(unit, v, 0, buf, len);
}

int human_extra_apart(int unit, double a, double b)
{
    /* "differ" as the targets compare: to 12 significant digits, so that
       0.2 * 0.9 is 0.18, not 18,0000000% against 18,0000000% */
    if (isnan(a) || isnan(b) || num_cmp_decimal(a, b) == 0) {
        return 0;
    }
    char abuf[64], bbuf[64];
    for (int extra = 0; extra <= HUMAN_EXTRA_MAX; extra++) {
        human_value_prec(unit, a, extra, abuf, sizeof abuf);
        human_value_prec(unit, b, extra, bbuf, sizeof bbuf);
        if (strcmp(abuf, bbuf) != 0) {
            return extra;
        }
    }
    return 0; /* too close to show: as the unit prints them */
}

void human_values_apart(int unit, double a, double b, char *abuf, char *bbuf, size_t len)
{
    int extra = human_extra_apart(unit, a, b);
    human_value_prec(unit, a, extra, abuf, len);
    human_value_prec(unit, b, extra, bbuf, len);
}

void human_value_prec(int unit, double v, int extra, char *buf, size_t len)
{
    char tmp[NUM_BUFSZ];
    if (isnan(v)) {
        snprintf(buf, len, "нет данных");
        return;
    }
    switch (unit) {
    case UNIT_SHARE:
        num_format_percent(v, 1 + extra, ',', tmp);
        snprintf(buf, len, "%s%%", tmp);
        break;
    case UNIT_PERCENT:
        num_format_fixed(v, 1 + extra, ',', tmp);
        snprintf(buf, len, "%s%%", tmp);
        break;
    case UNIT_SCORE:
        num_format_fixed(v, 1 + extra, ',', tmp);
        snprintf(buf, len, "%s", tmp);
        break;
    case UNIT_COUNT:
        human_number(v, 2 + extra, buf, len);
        break;
    case UNIT_INDEX:
        num_format_fixed(v, 2 + extra, ',', tmp);
        snprintf(buf, len, "%s", tmp);
        break;
    case UNIT_FLAG:
        if (v == 0 || v == 1) {
            snprintf(buf, len, "%s", v != 0 ? "да" : "нет");
        } else {
            /* a flag pooled over schools is the share of them that have it */
            num_format_percent(v, 1 + extra, ',', tmp);
            snprintf(buf, len, "%s%%", tmp);
        }
        break;
    default:
        human_number(v, 3 + extra, buf, len);
        break;
    }
}
