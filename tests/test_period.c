/*
 * test_period.c — reporting periods: parsing and canonical text, ordering,
 * shifting, first and last days, and the helpers in core/period.h.
 */
#include "testutil.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "datelike.h"
#include "period.h"

#define FORMS                                                                            \
    "expected 2023 (year), 2022/23 (academic year), 2023-H1 (half year), 2023-Q2 "       \
    "(quarter) or 2023-05 (month)"

static const shnor_period NONE = {0, 0, 0};

/* Parses text that must be a period. */
static shnor_period P(const char *text)
{
    shnor_period p = NONE;
    char err[300] = "";
    int rc = shnor_period_parse(text, &p, err, sizeof err);
    if (rc != SHNOR_OK) {
        fail_msg("'%s' did not parse: %s", text, err);
    }
    return p;
}

/* Asserts that p is exactly the period written want (or NONE when want is NULL). */
static void assert_period(shnor_period p, const char *want)
{
    char buf[SHNOR_PERIOD_MAX];
    if (!want) {
        assert_false(period_valid(p));
        assert_int_equal(p.kind, 0);
        assert_int_equal(shnor_period_format(p, buf, sizeof buf), 0);
        return;
    }
    shnor_period w = P(want);
    size_t n = shnor_period_format(p, buf, sizeof buf);
    assert_string_equal(buf, want);
    assert_int_equal(n, strlen(want));
    assert_int_equal(p.kind, w.kind);
    assert_int_equal(p.year, w.year);
    assert_int_equal(p.sub, w.sub);
}

static shnor_date D(int y, int m, int d)
{
    assert_true(date_valid_ymd(y, m, d) || y == 3000);
    return date_from_ymd(y, m, d);
}

static void assert_days(const char *period, const char *first, const char *last)
{
    char a[11], b[11];
    shnor_period p = P(period);
    shnor_date_format(shnor_period_first_day(p), a, sizeof a);
    shnor_date_format(shnor_period_last_day(p), b, sizeof b);
    assert_string_equal(a, first);
    assert_string_equal(b, last);
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_period_parse_canonical_forms(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int kind, year, sub;
    } cases[] = {
        {"2023", SHNOR_PERIOD_YEAR, 2023, 0},
        {"1900", SHNOR_PERIOD_YEAR, 1900, 0},
        {"2999", SHNOR_PERIOD_YEAR, 2999, 0},
        {"2022/23", SHNOR_PERIOD_ACADEMIC, 2022, 0},
        {"1999/00", SHNOR_PERIOD_ACADEMIC, 1999, 0},
        {"1900/01", SHNOR_PERIOD_ACADEMIC, 1900, 0},
        {"2999/00", SHNOR_PERIOD_ACADEMIC, 2999, 0},
        {"2023-H1", SHNOR_PERIOD_HALF, 2023, 1},
        {"2023-H2", SHNOR_PERIOD_HALF, 2023, 2},
        {"2023-Q1", SHNOR_PERIOD_QUARTER, 2023, 1},
        {"2023-Q2", SHNOR_PERIOD_QUARTER, 2023, 2},
        {"2023-Q3", SHNOR_PERIOD_QUARTER, 2023, 3},
        {"2023-Q4", SHNOR_PERIOD_QUARTER, 2023, 4},
        {"2023-01", SHNOR_PERIOD_MONTH, 2023, 1},
        {"2023-09", SHNOR_PERIOD_MONTH, 2023, 9},
        {"2023-10", SHNOR_PERIOD_MONTH, 2023, 10},
        {"2023-12", SHNOR_PERIOD_MONTH, 2023, 12},
        {"1900-01", SHNOR_PERIOD_MONTH, 1900, 1},
        {"2999-12", SHNOR_PERIOD_MONTH, 2999, 12},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shnor_period p = NONE;
        char err[200] = "untouched", buf[SHNOR_PERIOD_MAX];
        assert_int_equal(shnor_period_parse(cases[i].text, &p, err, sizeof err),
                         SHNOR_OK);
        assert_int_equal(p.kind, cases[i].kind);
        assert_int_equal(p.year, cases[i].year);
        assert_int_equal(p.sub, cases[i].sub);
        assert_true(period_valid(p));
        assert_int_equal(shnor_period_format(p, buf, sizeof buf), strlen(cases[i].text));
        assert_string_equal(buf, cases[i].text);
    }
    /* Every month of a year prints back as itself. */
    for (int m = 1; m <= 12; m++) {
        char text[32], buf[SHNOR_PERIOD_MAX];
        snprintf(text, sizeof text, "2024-%02d", m);
        shnor_period p = P(text);
        assert_int_equal(p.sub, m);
        shnor_period_format(p, buf, sizeof buf);
        assert_string_equal(buf, text);
    }
}

static void test_period_parse_variants_print_canonically(void **state)
{
    (void)state;
    static const struct {
        const char *text, *canonical;
    } cases[] = {
        {"2022/2023", "2022/23"}, {"2022\\23", "2022/23"},  {"2022\\2023", "2022/23"},
        {"2022-2023", "2022/23"}, {"1999/2000", "1999/00"}, {"1999\\00", "1999/00"},
        {"1999-2000", "1999/00"}, {"2999/3000", "2999/00"}, {"2999\\3000", "2999/00"},
        {"2023-h1", "2023-H1"},   {"2023-h2", "2023-H2"},   {"2023-q1", "2023-Q1"},
        {"2023-q2", "2023-Q2"},   {"2023-q4", "2023-Q4"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shnor_period p = NONE;
        char err[200] = "";
        if (shnor_period_parse(cases[i].text, &p, err, sizeof err) != SHNOR_OK) {
            fail_msg("'%s' rejected: %s", cases[i].text, err);
        }
        assert_period(p, cases[i].canonical);
    }
}

static void test_period_parse_rejects_with_message(void **state)
{
    (void)state;
    /* The input, and what the message must say is wrong (NULL: only the forms). */
    static const struct {
        const char *text, *why;
    } cases[] = {
        {"", NULL},
        {"23", NULL},
        {"202", NULL},
        {"20230", NULL},
        {"2023-00", "month 00 does not exist"},
        {"2023-13", "month 13 does not exist"},
        {"2023-99", "month 99 does not exist"},
        {"2022-23", "the academic year is written 2022/23"},
        {"2023-H0", "half year 0 does not exist"},
        {"2023-H3", "half year 3 does not exist"},
        {"2023-Q0", "quarter 0 does not exist"},
        {"2023-Q5", "quarter 5 does not exist"},
        {"2022/24", "24 does not follow 2022"},
        {"2023/22", "22 does not follow 2023"},
        {"2022/22", "22 does not follow 2022"},
        {"2022/2024", "2024 does not follow 2022"},
        {"2022\\21", "21 does not follow 2022"},
        {"2022-2021", "2021 does not follow 2022"},
        {"1999/99", "99 does not follow 1999"},
        {"1899", "year 1899 is outside 1900..2999"},
        {"3000", "year 3000 is outside 1900..2999"},
        {"0000", "year 0 is outside 1900..2999"},
        {"1899/00", "year 1899 is outside"},
        {"1899-12", "year 1899 is outside"},
        {"3000-Q1", "year 3000 is outside"},
        {"3000/01", "year 3000 is outside"},
        {"2023-05-01", "a date, 1 May 2023: its month is 2023-05, its academic year 2022/23"},
        {"2023-02-30", "a date, not a period"},
        /* What a spreadsheet shows for a date, and for 2023-05 it read as one */
        {"01.09.2022", "a date, 1 September 2022: its month is 2022-09, its academic year "
                       "2022/23"},
        {"31/08/23 0:00", "a date, 31 August 2023: its month is 2023-08, its academic year "
                          "2022/23"},
        {"май.23", "a month a spreadsheet made a date of, May 2023: write 2023-05"},
        {"Sep-22", "a month a spreadsheet made a date of, September 2022: write 2022-09"},
        {"12 марта", "a date (12 March) without a year"},
        {"32.01.2023", NULL},
        {"мартобря 23", NULL},
        {"2023-5", NULL},
        {"2023-1", NULL},
        {"2023-123", NULL},
        {" 2023", NULL},
        {"2023 ", NULL},
        {"2022/23 ", NULL},
        {"2022 / 23", NULL},
        {"2022/3", NULL},
        {"2022/023", NULL},
        {"2022//23", NULL},
        {"2022|23", NULL},
        {"abc", NULL},
        {"abcd", NULL},
        {"+2023", NULL},
        {"-2023", NULL},
        {"2023.05", NULL},
        {"05.2023", NULL},
        {"2023_05", NULL},
        {"2023-Й1", NULL},
        {"2023-П1", NULL},
        {"2023-H", NULL},
        {"2023-Q", NULL},
        {"2023-H12", NULL},
        {"2023-HH", NULL},
        {"2023-M1", NULL},
        {"2023-x1", NULL},
        {"2023H1", NULL},
        {"Q1-2023", NULL},
        {"2023-q", NULL},
        {"２０２３", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shnor_period p = {SHNOR_PERIOD_YEAR, 2000, 0};
        char err[400] = "", quoted[64];
        int rc = shnor_period_parse(cases[i].text, &p, err, sizeof err);
        if (rc != SHNOR_INPUT) {
            fail_msg("'%s' gave status %d, not SHNOR_INPUT", cases[i].text, rc);
        }
        /* A failed parse leaves no stale period behind. */
        assert_int_equal(p.kind, 0);
        snprintf(quoted, sizeof quoted, "'%s' is not a period", cases[i].text);
        if (strncmp(err, quoted, strlen(quoted)) != 0) {
            fail_msg("'%s': message does not start with the quoted text: %s",
                     cases[i].text, err);
        }
        if (!strstr(err, FORMS)) {
            fail_msg("'%s': message lacks the forms: %s", cases[i].text, err);
        }
        if (cases[i].why && !strstr(err, cases[i].why)) {
            fail_msg("'%s': message lacks \"%s\": %s", cases[i].text, cases[i].why, err);
        }
        if (!cases[i].why && strstr(err, " (") < strstr(err, "; expected")) {
            /* No reason was expected; the first " (" must be inside the forms. */
            fail_msg("'%s': unexpected reason: %s", cases[i].text, err);
        }
        /* err NULL is allowed and gives the same status. */
        assert_int_equal(shnor_period_parse(cases[i].text, &p, NULL, 0), SHNOR_INPUT);
    }
    char err[400];
    shnor_period p;
    assert_int_equal(shnor_period_parse("2023-13", &p, err, sizeof err), SHNOR_INPUT);
    assert_string_equal(err,
                        "'2023-13' is not a period (month 13 does not exist); " FORMS);
    assert_int_equal(shnor_period_parse("2022/24", &p, err, sizeof err), SHNOR_INPUT);
    assert_string_equal(err, "'2022/24' is not a period (24 does not follow 2022: an "
                             "academic year is two consecutive years, as in "
                             "2022/23); " FORMS);
    assert_int_equal(shnor_period_parse("abc", &p, err, sizeof err), SHNOR_INPUT);
    assert_string_equal(err, "'abc' is not a period; " FORMS);
}

static void test_period_parse_message_is_safe(void **state)
{
    (void)state;
    shnor_period p;
    char err[64];

    /* Truncation never leaves half a UTF-8 character: "'2023-Й" needs 8 bytes. */
    memset(err, 'x', sizeof err);
    assert_int_equal(shnor_period_parse("2023-Й1", &p, err, 8), SHNOR_INPUT);
    assert_string_equal(err, "'2023-");
    assert_int_equal(err[8], 'x');
    memset(err, 'x', sizeof err);
    assert_int_equal(shnor_period_parse("2023-Й1", &p, err, 9), SHNOR_INPUT);
    assert_string_equal(err, "'2023-Й");
    assert_int_equal(err[9], 'x');
    memset(err, 'x', sizeof err);
    assert_int_equal(shnor_period_parse("2023-13", &p, err, 1), SHNOR_INPUT);
    assert_string_equal(err, "");
    assert_int_equal(err[1], 'x');
    err[0] = 'x';
    assert_int_equal(shnor_period_parse("2023-13", &p, err, 0), SHNOR_INPUT);
    assert_int_equal(err[0], 'x');

    /* Control bytes are shown escaped, long text is cut with "...". */
    char big[400];
    assert_int_equal(shnor_period_parse("2023\n", &p, big, sizeof big), SHNOR_INPUT);
    assert_non_null(strstr(big, "'2023\\x0A' is not a period"));
    assert_null(strchr(big, '\n'));
    char longtext[300];
    memset(longtext, '7', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    assert_int_equal(shnor_period_parse(longtext, &p, big, sizeof big), SHNOR_INPUT);
    assert_non_null(strstr(big, "'77777777777777777777777777777777...' is not a period"));
    assert_non_null(strstr(big, FORMS));
    /* A cut in the middle of Cyrillic text backs up to a character boundary. */
    const char *cyr = "2023-ЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙЙ"; /* 5 + 2 * 30 bytes */
    assert_int_equal(shnor_period_parse(cyr, &p, big, sizeof big), SHNOR_INPUT);
    assert_non_null(strstr(big, "'2023-ЙЙЙЙЙЙЙЙЙЙЙЙЙ...' is not a period"));
}

static void test_period_parse_n_reads_only_len_bytes(void **state)
{
    (void)state;
    shnor_period p;
    char err[300];
    assert_int_equal(period_parse_n("2023-05;x", 7, &p, err, sizeof err), SHNOR_OK);
    assert_period(p, "2023-05");
    assert_int_equal(period_parse_n("2023-05", 4, &p, err, sizeof err), SHNOR_OK);
    assert_period(p, "2023");
    assert_int_equal(period_parse_n("2022/23,2024", 7, &p, err, sizeof err), SHNOR_OK);
    assert_period(p, "2022/23");
    /* A NUL inside the length is a byte like any other, and is shown escaped. */
    assert_int_equal(period_parse_n("2023\0", 5, &p, err, sizeof err), SHNOR_INPUT);
    assert_non_null(strstr(err, "'2023\\x00' is not a period"));
    assert_int_equal(period_parse_n("2023-13", 7, &p, err, sizeof err), SHNOR_INPUT);
    assert_non_null(strstr(err, "'2023-13'"));
    assert_non_null(strstr(err, "month 13 does not exist"));
    assert_int_equal(period_parse_n("2023", 0, &p, err, sizeof err), SHNOR_INPUT);
    assert_non_null(strstr(err, "'' is not a period"));
    /* Misuse is reported, not crashed on. */
    assert_int_equal(shnor_period_parse(NULL, &p, err, sizeof err), SHNOR_MISUSE);
    assert_int_equal(shnor_period_parse("2023", NULL, err, sizeof err), SHNOR_MISUSE);
    assert_int_equal(period_parse_n(NULL, 4, &p, NULL, 0), SHNOR_MISUSE);
}

static void test_period_format_rejects_invalid_and_short_buffers(void **state)
{
    (void)state;
    static const shnor_period bad[] = {
        {0, 2023, 0},
        {6, 2023, 1},
        {-1, 2023, 1},
        {SHNOR_PERIOD_YEAR, 1899, 0},
        {SHNOR_PERIOD_YEAR, 3000, 0},
        {SHNOR_PERIOD_YEAR, 2023, 1},
        {SHNOR_PERIOD_ACADEMIC, 2023, 1},
        {SHNOR_PERIOD_ACADEMIC, 3000, 0},
        {SHNOR_PERIOD_ACADEMIC, 1899, 0},
        {SHNOR_PERIOD_HALF, 2023, 0},
        {SHNOR_PERIOD_HALF, 2023, 3},
        {SHNOR_PERIOD_QUARTER, 2023, 5},
        {SHNOR_PERIOD_MONTH, 2023, 0},
        {SHNOR_PERIOD_MONTH, 2023, 13},
        {SHNOR_PERIOD_MONTH, -2023, 1},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char buf[SHNOR_PERIOD_MAX] = "junk";
        assert_false(period_valid(bad[i]));
        assert_int_equal(shnor_period_format(bad[i], buf, sizeof buf), 0);
        assert_string_equal(buf, "");
    }
    /* "2022/23" needs all of SHNOR_PERIOD_MAX; one byte less gives "", never a
       prefix such as "2022" that would read as another period. */
    char buf[SHNOR_PERIOD_MAX + 4];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(shnor_period_format(P("2022/23"), buf, SHNOR_PERIOD_MAX), 7);
    assert_string_equal(buf, "2022/23");
    assert_int_equal(shnor_period_format(P("2022/23"), buf, SHNOR_PERIOD_MAX - 1), 0);
    assert_string_equal(buf, "");
    assert_int_equal(shnor_period_format(P("2023-05"), buf, 5), 0);
    assert_string_equal(buf, "");
    assert_int_equal(shnor_period_format(P("2023"), buf, 5), 4);
    assert_string_equal(buf, "2023");
    buf[0] = 'x';
    assert_int_equal(shnor_period_format(P("2023"), buf, 0), 0);
    assert_int_equal(buf[0], 'x');
    assert_int_equal(shnor_period_format(P("2023"), NULL, 8), 0);
}

static int cmp_periods(const void *a, const void *b)
{
    return shnor_period_compare(*(const shnor_period *)a, *(const shnor_period *)b);
}

static void test_period_compare_orders_mixed_kinds(void **state)
{
    (void)state;
    static const char *const expected[] = {
        "1900",    "1999/00", "2000",    "2022/23", "2022-Q4", "2022-12",
        "2023-01", "2023-Q1", "2023-H1", "2023",    "2023-02", "2023-04",
        "2023-Q2", "2023-07", "2023-Q3", "2023-H2", "2023-09", "2023/24",
        "2023-Q4", "2024-01", "2024",    "2999/00", "2999-12",
    };
    enum { N = sizeof expected / sizeof expected[0] };
    shnor_period want[N], got[N];
    for (size_t i = 0; i < N; i++) {
        want[i] = P(expected[i]);
    }
    /* Every pair compares the way the list says, both ways round. */
    for (size_t i = 0; i < N; i++) {
        for (size_t j = 0; j < N; j++) {
            int c = shnor_period_compare(want[i], want[j]);
            if (sign(c) != sign((int)i - (int)j)) {
                fail_msg("compare(%s, %s) = %d", expected[i], expected[j], c);
            }
        }
    }
    /* qsort from several starting orders gives the list. */
    for (size_t rot = 0; rot < N; rot += 5) {
        for (size_t i = 0; i < N; i++) {
            /* reversed, then rotated, then every other one swapped */
            got[i] = want[(N - 1 - i + rot) % N];
        }
        for (size_t i = 0; i + 1 < N; i += 2) {
            shnor_period t = got[i];
            got[i] = got[i + 1];
            got[i + 1] = t;
        }
        qsort(got, N, sizeof got[0], cmp_periods);
        for (size_t i = 0; i < N; i++) {
            char buf[SHNOR_PERIOD_MAX];
            shnor_period_format(got[i], buf, sizeof buf);
            assert_string_equal(buf, expected[i]);
        }
    }
    /* Invalid periods sort first, and are equal only to themselves. */
    shnor_period bad = {SHNOR_PERIOD_MONTH, 2023, 13};
    assert_true(shnor_period_compare(NONE, P("1900")) < 0);
    assert_true(shnor_period_compare(P("1900-01"), bad) > 0);
    assert_int_equal(shnor_period_compare(bad, bad), 0);
    assert_int_not_equal(shnor_period_compare(bad, NONE), 0);
    assert_int_equal(sign(shnor_period_compare(bad, NONE)),
                     -sign(shnor_period_compare(NONE, bad)));
}

static void test_period_shift_across_year_boundaries(void **state)
{
    (void)state;
    static const struct {
        const char *from;
        int n;
        const char *to; /* NULL: out of range */
    } cases[] = {
        {"2023", 1, "2024"},           {"2023", -1, "2022"},
        {"2023", 0, "2023"},           {"2023", -123, "1900"},
        {"2023", 976, "2999"},         {"2023", -124, NULL},
        {"2023", 977, NULL},           {"2022/23", 1, "2023/24"},
        {"2022/23", -1, "2021/22"},    {"1999/00", 1, "2000/01"},
        {"2000/01", -1, "1999/00"},    {"2022/23", 977, "2999/00"},
        {"2022/23", 978, NULL},        {"1900/01", -1, NULL},
        {"2023-H2", 1, "2024-H1"},     {"2023-H1", -1, "2022-H2"},
        {"2023-H1", 1, "2023-H2"},     {"2023-H2", -247, "1900-H1"},
        {"2023-H2", -248, NULL},       {"2999-H2", 1, NULL},
        {"2023-Q4", 1, "2024-Q1"},     {"2023-Q1", -1, "2022-Q4"},
        {"2023-Q2", 100, "2048-Q2"},   {"2023-Q2", -37, "2014-Q1"},
        {"2023-Q3", 7, "2025-Q2"},     {"1900-Q1", -1, NULL},
        {"2023-12", 1, "2024-01"},     {"2023-01", -1, "2022-12"},
        {"2023-01", 12, "2024-01"},    {"2023-01", -13, "2021-12"},
        {"2023-05", 1000, "2106-09"},  {"2023-05", -1000, "1940-01"},
        {"2023-12", 11712, "2999-12"}, {"2023-12", 11713, NULL},
        {"1900-01", 13199, "2999-12"}, {"1900-01", -1, NULL},
        {"2023-05", INT_MAX, NULL},    {"2023-05", INT_MIN, NULL},
        {"2023", INT_MAX, NULL},       {"2023", INT_MIN, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shnor_period q = shnor_period_shift(P(cases[i].from), cases[i].n);
        char buf[SHNOR_PERIOD_MAX];
        shnor_period_format(q, buf, sizeof buf);
        if (cases[i].to ? strcmp(buf, cases[i].to) != 0 : q.kind != 0) {
            fail_msg("%s %+d gave '%s' (kind %d), expected '%s'", cases[i].from,
                     cases[i].n, buf, q.kind, cases[i].to ? cases[i].to : "");
        }
        if (cases[i].to) {
            assert_period(q, cases[i].to);
        }
    }
    /* Shifting an invalid period gives an invalid one. */
    assert_period(shnor_period_shift(NONE, 1), NULL);
    assert_period(shnor_period_shift((shnor_period){SHNOR_PERIOD_MONTH, 2023, 13}, -1),
                  NULL);
}

static void test_period_shift_round_trips(void **state)
{
    (void)state;
    static const char *const starts[] = {"2023",    "2022/23", "2023-H2", "2023-Q3",
                                         "2023-11", "1900-01", "2999/00"};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        shnor_period p = P(starts[i]);
        int valid = 0;
        for (int n = -14000; n <= 14000; n += 37) {
            shnor_period q = shnor_period_shift(p, n);
            if (!period_valid(q)) {
                continue;
            }
            valid++;
            assert_int_equal(q.kind, p.kind);
            shnor_period back = shnor_period_shift(q, -n);
            assert_int_equal(back.kind, p.kind);
            assert_int_equal(back.year, p.year);
            assert_int_equal(back.sub, p.sub);
            int steps = 0;
            assert_int_equal(period_steps(p, q, &steps), 0);
            assert_int_equal(steps, n);
            assert_int_equal(sign(shnor_period_compare(q, p)), sign(n));
        }
        assert_true(valid > 20);
    }
}

static void test_period_first_and_last_days(void **state)
{
    (void)state;
    assert_days("2022/23", "2022-09-01", "2023-08-31");
    assert_days("2023/24", "2023-09-01", "2024-08-31");
    assert_days("2024-H1", "2024-01-01", "2024-06-30");
    assert_days("2024-H2", "2024-07-01", "2024-12-31");
    assert_days("2024-02", "2024-02-01", "2024-02-29");
    assert_days("2023-02", "2023-02-01", "2023-02-28");
    assert_days("2000-02", "2000-02-01", "2000-02-29");
    assert_days("2100-02", "2100-02-01", "2100-02-28");
    assert_days("2023-Q1", "2023-01-01", "2023-03-31");
    assert_days("2023-Q2", "2023-04-01", "2023-06-30");
    assert_days("2023-Q3", "2023-07-01", "2023-09-30");
    assert_days("2023-Q4", "2023-10-01", "2023-12-31");
    assert_days("2023", "2023-01-01", "2023-12-31");
    assert_days("2023-04", "2023-04-01", "2023-04-30");
    assert_days("2023-12", "2023-12-01", "2023-12-31");
    assert_days("1900", "1900-01-01", "1900-12-31");
    assert_days("1900-02", "1900-02-01", "1900-02-28");
    /* The last academic year ends in the year 3000. */
    assert_int_equal(shnor_period_first_day(P("2999/00")), D(2999, 9, 1));
    assert_int_equal(shnor_period_last_day(P("2999/00")), D(3000, 8, 31));

    /* Day counts, leap years included. */
    assert_int_equal(shnor_period_last_day(P("2024")) - shnor_period_first_day(P("2024")),
                     365);
    assert_int_equal(shnor_period_last_day(P("2023")) - shnor_period_first_day(P("2023")),
                     364);
    assert_int_equal(
        shnor_period_last_day(P("2023/24")) - shnor_period_first_day(P("2023/24")), 365);
    assert_int_equal(
        shnor_period_last_day(P("2022/23")) - shnor_period_first_day(P("2022/23")), 364);

    /* Consecutive periods of each kind tile the calendar without gaps. */
    static const char *const starts[] = {"1900", "1900/01", "1900-H1", "1900-Q1",
                                         "1900-01"};
    static const int per_year[] = {1, 1, 2, 4, 12};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        shnor_period p = P(starts[i]);
        shnor_period q = shnor_period_shift(p, 1);
        int count = 1;
        while (period_valid(q)) {
            assert_true(shnor_period_first_day(p) <= shnor_period_last_day(p));
            assert_int_equal(shnor_period_first_day(q), shnor_period_last_day(p) + 1);
            p = q;
            q = shnor_period_shift(p, 1);
            count++;
        }
        assert_int_equal(count, 1100 * per_year[i]);
    }
    /* An invalid period has no days; it gets day 0, not garbage. */
    assert_int_equal(shnor_period_first_day(NONE), 0);
    assert_int_equal(shnor_period_last_day((shnor_period){SHNOR_PERIOD_QUARTER, 2023, 9}),
                     0);
}

static void test_period_of_date_at_boundaries(void **state)
{
    (void)state;
    static const struct {
        int y, m, d, kind;
        const char *want; /* NULL: no valid period */
    } cases[] = {
        {2023, 8, 31, SHNOR_PERIOD_ACADEMIC, "2022/23"},
        {2023, 9, 1, SHNOR_PERIOD_ACADEMIC, "2023/24"},
        {2023, 1, 1, SHNOR_PERIOD_ACADEMIC, "2022/23"},
        {2022, 12, 31, SHNOR_PERIOD_ACADEMIC, "2022/23"},
        {2022, 8, 31, SHNOR_PERIOD_ACADEMIC, "2021/22"},
        {2000, 2, 29, SHNOR_PERIOD_ACADEMIC, "1999/00"},
        {1900, 9, 1, SHNOR_PERIOD_ACADEMIC, "1900/01"},
        {1900, 8, 31, SHNOR_PERIOD_ACADEMIC, NULL}, /* would be 1899/00 */
        {2999, 12, 31, SHNOR_PERIOD_ACADEMIC, "2999/00"},
        {2022, 12, 31, SHNOR_PERIOD_YEAR, "2022"},
        {2023, 1, 1, SHNOR_PERIOD_YEAR, "2023"},
        {1900, 1, 1, SHNOR_PERIOD_YEAR, "1900"},
        {2999, 12, 31, SHNOR_PERIOD_YEAR, "2999"},
        {1899, 12, 31, SHNOR_PERIOD_YEAR, NULL},
        {2023, 6, 30, SHNOR_PERIOD_HALF, "2023-H1"},
        {2023, 7, 1, SHNOR_PERIOD_HALF, "2023-H2"},
        {2023, 12, 31, SHNOR_PERIOD_HALF, "2023-H2"},
        {2024, 1, 1, SHNOR_PERIOD_HALF, "2024-H1"},
        {2023, 3, 31, SHNOR_PERIOD_QUARTER, "2023-Q1"},
        {2023, 4, 1, SHNOR_PERIOD_QUARTER, "2023-Q2"},
        {2023, 6, 30, SHNOR_PERIOD_QUARTER, "2023-Q2"},
        {2023, 7, 1, SHNOR_PERIOD_QUARTER, "2023-Q3"},
        {2023, 9, 30, SHNOR_PERIOD_QUARTER, "2023-Q3"},
        {2023, 10, 1, SHNOR_PERIOD_QUARTER, "2023-Q4"},
        {2023, 12, 31, SHNOR_PERIOD_QUARTER, "2023-Q4"},
        {2024, 2, 29, SHNOR_PERIOD_MONTH, "2024-02"},
        {2024, 3, 1, SHNOR_PERIOD_MONTH, "2024-03"},
        {2023, 1, 31, SHNOR_PERIOD_MONTH, "2023-01"},
        {2022, 12, 31, SHNOR_PERIOD_MONTH, "2022-12"},
        {2999, 12, 31, SHNOR_PERIOD_MONTH, "2999-12"},
        {3000, 1, 1, SHNOR_PERIOD_MONTH, NULL},
        {2023, 5, 5, 0, NULL},
        {2023, 5, 5, 6, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shnor_date d = date_from_ymd(cases[i].y, cases[i].m, cases[i].d);
        assert_period(period_of_date(d, cases[i].kind), cases[i].want);
    }
    /* Every day lies in the period found for it, and a period's first day
       follows the previous period's last. */
    for (int kind = SHNOR_PERIOD_YEAR; kind <= SHNOR_PERIOD_MONTH; kind++) {
        for (shnor_date d = D(2019, 1, 1); d <= D(2025, 12, 31); d++) {
            shnor_period p = period_of_date(d, kind);
            assert_int_equal(p.kind, kind);
            assert_true(shnor_period_first_day(p) <= d && d <= shnor_period_last_day(p));
            if (d == shnor_period_first_day(p)) {
                assert_int_equal(shnor_period_compare(period_of_date(d - 1, kind),
                                                      shnor_period_shift(p, -1)),
                                 0);
            }
        }
    }
}

static void test_period_contains(void **state)
{
    (void)state;
    static const struct {
        const char *outer, *inner;
        int want;
    } cases[] = {
        {"2022/23", "2023-H1", 1}, {"2022/23", "2022-Q4", 1}, {"2022/23", "2022-09", 1},
        {"2022/23", "2023-08", 1}, {"2022/23", "2022/23", 1}, {"2022/23", "2023-Q3", 0},
        {"2022/23", "2022-08", 0}, {"2022/23", "2023-09", 0}, {"2022/23", "2022-Q3", 0},
        {"2022/23", "2023", 0},    {"2022/23", "2022-H2", 0}, {"2023", "2022/23", 0},
        {"2023", "2023", 1},       {"2023", "2023-H2", 1},    {"2023", "2023-12", 1},
        {"2023", "2024-01", 0},    {"2023", "2022-12", 0},    {"2023-H1", "2023-Q2", 1},
        {"2023-H1", "2023-Q3", 0}, {"2023-H2", "2023-Q3", 1}, {"2023-H1", "2023", 0},
        {"2023-Q1", "2023-H1", 0}, {"2023-Q1", "2023-03", 1}, {"2023-Q1", "2023-04", 0},
        {"2023-02", "2023-Q1", 0}, {"2023-02", "2023-02", 1}, {"2023-02", "2024-02", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int got = period_contains(P(cases[i].outer), P(cases[i].inner));
        if (got != cases[i].want) {
            fail_msg("contains(%s, %s) = %d", cases[i].outer, cases[i].inner, got);
        }
    }
    /* Containment both ways means the same period. */
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        shnor_period a = P(cases[i].outer), b = P(cases[i].inner);
        int both = period_contains(a, b) && period_contains(b, a);
        assert_int_equal(both, shnor_period_compare(a, b) == 0);
    }
    assert_false(period_contains(NONE, P("2023")));
    assert_false(period_contains(P("2023"), NONE));
    assert_false(
        period_contains((shnor_period){SHNOR_PERIOD_MONTH, 2023, 13}, P("2023-12")));
}

static void test_period_steps(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int steps;
    } cases[] = {
        {"2023-01", "2023-12", 11}, {"2023-12", "2023-01", -11},
        {"2022-12", "2023-01", 1},  {"2022-Q3", "2024-Q1", 6},
        {"2024-Q1", "2022-Q3", -6}, {"2020/21", "2023/24", 3},
        {"2023-H2", "2023-H2", 0},  {"2021-H2", "2023-H1", 3},
        {"2000", "2023", 23},       {"1900-01", "2999-12", 13199},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int steps = 77;
        assert_int_equal(period_steps(P(cases[i].a), P(cases[i].b), &steps), 0);
        if (steps != cases[i].steps) {
            fail_msg("steps(%s, %s) = %d, expected %d", cases[i].a, cases[i].b, steps,
                     cases[i].steps);
        }
    }
    int steps = 77;
    assert_int_equal(period_steps(P("2023-Q1"), P("2023-03"), &steps), -1);
    assert_int_equal(period_steps(P("2023"), P("2022/23"), &steps), -1);
    assert_int_equal(period_steps(P("2023-H1"), P("2023-Q1"), &steps), -1);
    assert_int_equal(period_steps(NONE, NONE, &steps), -1);
    assert_int_equal(
        period_steps(P("2023-12"), (shnor_period){SHNOR_PERIOD_MONTH, 2023, 13}, &steps),
        -1);
    assert_int_equal(steps, 77);
    assert_int_equal(period_steps(P("2023"), P("2024"), NULL), 0);
}

static void test_period_range(void **state)
{
    (void)state;
    shnor_period out[8];
    size_t n = 99;
    char err[300] = "";

    assert_int_equal(
        period_range(P("2023-11"), P("2024-02"), out, 8, &n, err, sizeof err), SHNOR_OK);
    assert_int_equal(n, 4);
    assert_period(out[0], "2023-11");
    assert_period(out[1], "2023-12");
    assert_period(out[2], "2024-01");
    assert_period(out[3], "2024-02");

    assert_int_equal(
        period_range(P("2023-Q3"), P("2024-Q2"), out, 8, &n, err, sizeof err), SHNOR_OK);
    assert_int_equal(n, 4);
    assert_period(out[0], "2023-Q3");
    assert_period(out[1], "2023-Q4");
    assert_period(out[2], "2024-Q1");
    assert_period(out[3], "2024-Q2");

    assert_int_equal(
        period_range(P("2021-H2"), P("2022-H2"), out, 8, &n, err, sizeof err), SHNOR_OK);
    assert_int_equal(n, 3);
    assert_period(out[0], "2021-H2");
    assert_period(out[1], "2022-H1");
    assert_period(out[2], "2022-H2");

    assert_int_equal(period_range(P("2019"), P("2019"), out, 8, &n, err, sizeof err),
                     SHNOR_OK);
    assert_int_equal(n, 1);
    assert_period(out[0], "2019");

    /* out NULL counts. */
    assert_int_equal(
        period_range(P("2022/23"), P("2025/26"), NULL, 0, &n, err, sizeof err), SHNOR_OK);
    assert_int_equal(n, 4);
    assert_int_equal(period_range(P("1900-01"), P("2999-12"), NULL, 0, &n, NULL, 0),
                     SHNOR_OK);
    assert_int_equal(n, 13200);

    /* A short array gets the first max periods and the full count. */
    out[2] = P("1900");
    assert_int_equal(
        period_range(P("2020/21"), P("2023/24"), out, 2, &n, err, sizeof err), SHNOR_OK);
    assert_int_equal(n, 4);
    assert_period(out[0], "2020/21");
    assert_period(out[1], "2021/22");
    assert_period(out[2], "1900");

    /* Different kinds. */
    n = 99;
    assert_int_equal(
        period_range(P("2023-Q1"), P("2023-05"), out, 8, &n, err, sizeof err),
        SHNOR_INPUT);
    assert_int_equal(n, 0);
    assert_string_equal(err, "cannot list the periods from 2023-Q1 to 2023-05: 2023-Q1 "
                             "is a quarter and 2023-05 a month");
    assert_int_equal(period_range(P("2022/23"), P("2023"), out, 8, &n, err, sizeof err),
                     SHNOR_INPUT);
    assert_non_null(strstr(err, "2022/23 is an academic year and 2023 a year"));

    /* b before a. */
    n = 99;
    assert_int_equal(
        period_range(P("2023-05"), P("2023-01"), out, 8, &n, err, sizeof err),
        SHNOR_INPUT);
    assert_int_equal(n, 0);
    assert_string_equal(err, "cannot list the periods from 2023-05 to 2023-01: 2023-01 "
                             "comes before 2023-05");
    assert_int_equal(period_range(P("2024"), P("2023"), NULL, 0, &n, NULL, 0),
                     SHNOR_INPUT);

    /* Invalid ends are misuse. */
    assert_int_equal(period_range(NONE, P("2023"), out, 8, &n, err, sizeof err),
                     SHNOR_MISUSE);
    assert_non_null(strstr(err, "the start is not a valid period"));
    assert_int_equal(period_range(P("2023"), NONE, out, 8, NULL, err, sizeof err),
                     SHNOR_MISUSE);
    assert_non_null(strstr(err, "the end is not a valid period"));
}

/* datelike_read on a copy of text in a buffer of exactly its length, with no
   NUL after it: a read past the end is an error under the sanitizers (make
   asan, make fuzz; the fuzzer found one in letter_at). */
static int datelike_read_exact(const char *text, datelike *d)
{
    size_t len = strlen(text);
    char *exact = malloc(len > 0 ? len : 1);
    assert_non_null(exact);
    memcpy(exact, text, len);
    int read = datelike_read(exact, len, d);
    free(exact);
    return read;
}

/* The shapes a spreadsheet shows for dates, read back to day, month and year;
   numbers, periods and words near them are not dates. */
static void test_datelike_shapes(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int y, m, d, short_year;
    } dates[] = {
        {"12.05.2023", 2023, 5, 12, 0},   {"1.9.22", 2022, 9, 1, 1},
        {"31/08/1999", 1999, 8, 31, 0},   {"29-02-2024", 2024, 2, 29, 0},
        {"2023-05-12", 2023, 5, 12, 0},   {"2023/5/1", 2023, 5, 1, 0},
        {" 12.05.2023 0:00 ", 2023, 5, 12, 0}, {"12.05.2023 23:59:59", 2023, 5, 12, 0},
        {"05.мар", 0, 3, 5, 0},           {"5 марта", 0, 3, 5, 0},
        {"5-Mar", 0, 3, 5, 0},            {"12МАЯ", 0, 5, 12, 0},
        {"1 сент. 2022", 2022, 9, 1, 0},  {"мар.22", 2022, 3, 0, 1},
        {"Май 2023", 2023, 5, 0, 0},      {"Mar-45", 1945, 3, 0, 1},
        {"дек.29", 2029, 12, 0, 1},       {"сентября 2022", 2022, 9, 0, 0},
    };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        datelike d = {-1, -1, -1, -1};
        if (!datelike_read_exact(dates[i].text, &d)) {
            fail_msg("'%s' is not read as a date", dates[i].text);
        }
        if (d.y != dates[i].y || d.m != dates[i].m || d.d != dates[i].d ||
            d.short_year != dates[i].short_year) {
            fail_msg("'%s': %d-%d-%d (short %d)", dates[i].text, d.y, d.m, d.d, d.short_year);
        }
    }
    static const char *const not_dates[] = {
        "5.3",        "46,5",       "1.204.500", "2023",      "2022/23",  "2023-05",
        "05.2023",    "29.02.2023", "32.01.2023", "12.13.2023", "12.05.202", "12.05.2023x",
        "12.05-2023", "мартобря 23", "мар",      "ма.22",     "5 мартa",  "март 2023 г",
        "12.05.2023 24:00", "",     "abc",       "Mar-2",     "0.мар",    "30 февраля",
    };
    for (size_t i = 0; i < sizeof not_dates / sizeof not_dates[0]; i++) {
        if (datelike_read_exact(not_dates[i], NULL)) {
            fail_msg("'%s' is read as a date", not_dates[i]);
        }
    }
    /* What the number probably was */
    char hint[400];
    assert_true(datelike_number_hint("05.мар", strlen("05.мар"), hint, sizeof hint));
    assert_non_null(strstr(hint, "'05.мар' is a date (5 March), not a number: a spreadsheet "
                                 "makes it of 5.3 or 5.03 typed with a point"));
    assert_true(datelike_number_hint("мар.22", strlen("мар.22"), hint, sizeof hint));
    assert_non_null(strstr(hint, "is a date (March 2022), not a number: a spreadsheet makes "
                                 "it of 3.22 typed with a point"));
    assert_true(datelike_number_hint("12.05.2023", 10, hint, sizeof hint));
    assert_non_null(strstr(hint, "'12.05.2023' is a date (12 May 2023), not a number; format"));
    assert_false(datelike_number_hint("12,5", 4, hint, sizeof hint));
    assert_string_equal(hint, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_parse_canonical_forms),
        cmocka_unit_test(test_period_parse_variants_print_canonically),
        cmocka_unit_test(test_period_parse_rejects_with_message),
        cmocka_unit_test(test_period_parse_message_is_safe),
        cmocka_unit_test(test_period_parse_n_reads_only_len_bytes),
        cmocka_unit_test(test_period_format_rejects_invalid_and_short_buffers),
        cmocka_unit_test(test_period_compare_orders_mixed_kinds),
        cmocka_unit_test(test_period_shift_across_year_boundaries),
        cmocka_unit_test(test_period_shift_round_trips),
        cmocka_unit_test(test_period_first_and_last_days),
        cmocka_unit_test(test_period_of_date_at_boundaries),
        cmocka_unit_test(test_period_contains),
        cmocka_unit_test(test_period_steps),
        cmocka_unit_test(test_period_range),
        cmocka_unit_test(test_datelike_shapes),
    };
    return cmocka_run_group_tests_name("period", tests, NULL, NULL);
}
