/*
 * date.c — calendar days as shnor_date (days since 1970-01-01, proleptic
 * Gregorian), and ISO YYYY-MM-DD text.
 *
 * The day-number conversions are Howard Hinnant's civil-from-days algorithms:
 * exact for every year, no tables, no time zones.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "period.h"

int date_days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12) {
        return 0;
    }
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) {
        return 29;
    }
    return days[m - 1];
}

int date_valid_ymd(int y, int m, int d)
{
    return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 &&
           d <= date_days_in_month(y, m);
}

shnor_date date_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

shnor_date date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (shnor_date)(era * 146097 + doe - 719468);
}

void date_to_ymd(shnor_date date, int *y, int *m, int *d)
{
    int z = (int)date + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

int date_weekday(shnor_date date)
{
    /* 1970-01-01 was a Thursday (ISO 4). */
    int w = ((int)date % 7 + 7) % 7; /* 0 = Thursday */
    return (w + 3) % 7 + 1;
}

int shnor_date_parse(const char *text, shnor_date *out, char *err, size_t errlen)
{
    int y = 0, m = 0, d = 0;
    size_t n = text ? strlen(text) : 0;
    /* YYYY-MM-DD, or DD.MM.YYYY as Russian spreadsheets write dates */
    int iso = n == 10 && text[4] == '-' && text[7] == '-';
    int ru = n == 10 && text[2] == '.' && text[5] == '.';
    int ok = iso || ru;
    for (size_t i = 0; ok && i < n; i++) {
        int sep = iso ? (i == 4 || i == 7) : (i == 2 || i == 5);
        if (!sep && (text[i] < '0' || text[i] > '9')) {
            ok = 0;
        }
    }
    if (ok) {
        const char *ys = iso ? text : text + 6, *ms = iso ? text + 5 : text + 3,
                   *ds = iso ? text + 8 : text;
        y = (ys[0] - '0') * 1000 + (ys[1] - '0') * 100 + (ys[2] - '0') * 10 + (ys[3] - '0');
        m = (ms[0] - '0') * 10 + (ms[1] - '0');
        d = (ds[0] - '0') * 10 + (ds[1] - '0');
        ok = date_valid_ymd(y, m, d);
    }
    if (!ok) {
        if (err && errlen) {
            snprintf(err, errlen,
                     "'%s' is not a date; expected YYYY-MM-DD or DD.MM.YYYY, e.g. 2023-02-01 "
                     "or 01.02.2023",
                     text ? text : "");
        }
        return SHNOR_INPUT;
    }
    *out = date_from_ymd(y, m, d);
    return SHNOR_OK;
}

size_t shnor_date_format(shnor_date date, char *buf, size_t buflen)
{
    int y, m, d;
    date_to_ymd(date, &y, &m, &d);
    int n = snprintf(buf, buflen, "%04d-%02d-%02d", y, m, d);
    return n < 0 ? 0 : (size_t)n;
}
