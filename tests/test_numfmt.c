/*
 * test_numfmt.c — numbers from spreadsheet cells, and numbers as shnor
 * prints them.
 *
 * Parsed values are compared with ==: the conversion is correctly rounded,
 * so "0,1" must give exactly the double the C literal 0.1 gives.
 */
#include "testutil.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "humanfmt.h"
#include "numfmt.h"

#define NBSP  "\xC2\xA0"
#define NNBSP "\xE2\x80\xAF"
#define MINUS "\xE2\x88\x92"

/* ---------------------------------------------------------------- helpers */

static void expect_num(const char *text, double want, int want_pct)
{
    double v = -12345.0;
    int pct = -1;
    char err[200];
    int rc = num_parse(text, strlen(text), &v, &pct, err, sizeof err);
    if (rc != NUM_OK) {
        fail_msg("num_parse(\"%s\") returned %d: %s", text, rc, err);
    }
    if (!(v == want) || signbit(v) != signbit(want)) {
        fail_msg("num_parse(\"%s\") gave %.17g, want %.17g", text, v, want);
    }
    if (pct != want_pct) {
        fail_msg("num_parse(\"%s\") gave percent %d, want %d", text, pct, want_pct);
    }
}

static void expect_bad(const char *text, const char *want)
{
    double v = -12345.0;
    int pct = -1;
    char err[200];
    int rc = num_parse(text, strlen(text), &v, &pct, err, sizeof err);
    if (rc != NUM_BAD) {
        fail_msg("num_parse(\"%s\") returned %d (%.17g), want NUM_BAD", text, rc, v);
    }
    if (strcmp(err, want) != 0) {
        fail_msg("num_parse(\"%s\") said \"%s\", want \"%s\"", text, err, want);
    }
    assert_true(v == 0.0);
    assert_int_equal(pct, 0);
}

static void expect_empty(const char *text, size_t len)
{
    double v = -12345.0;
    int pct = -1;
    char err[200] = "junk";
    assert_int_equal(num_parse(text, len, &v, &pct, err, sizeof err), NUM_EMPTY);
    assert_true(v == 0.0);
    assert_int_equal(pct, 0);
    assert_string_equal(err, "");
}

static void expect_format(double v, const char *want)
{
    char buf[NUM_BUFSZ];
    size_t n = num_format(v, buf);
    if (strcmp(buf, want) != 0) {
        fail_msg("num_format(%.17g) gave \"%s\", want \"%s\"", v, buf, want);
    }
    assert_int_equal(n, strlen(want));
}

static void expect_fixed(double v, int decimals, char sep, const char *want)
{
    char buf[NUM_BUFSZ];
    size_t n = num_format_fixed(v, decimals, sep, buf);
    if (strcmp(buf, want) != 0) {
        fail_msg("num_format_fixed(%.17g, %d, '%c') gave \"%s\", want \"%s\"", v,
                 decimals, sep, buf, want);
    }
    assert_int_equal(n, strlen(want));
}

/* Significant digits in num_format's output: "100" has 1, "0.0125" has 3. */
static int sig_digits(const char *s)
{
    char d[40];
    int n = 0;
    for (; *s && *s != 'e'; s++) {
        if (*s >= '0' && *s <= '9' && (n > 0 || *s != '0')) {
            d[n++] = *s;
        }
    }
    while (n > 0 && d[n - 1] == '0') {
        n--;
    }
    return n;
}

/*
 * Checks that num_format(v) reads back as v and that no "%.*g" precision
 * below its number of significant digits reads back as v.
 */
static void check_shortest(double v)
{
    char buf[NUM_BUFSZ], tmp[320];
    size_t len = num_format(v, buf);
    assert_true(len < NUM_BUFSZ);
    assert_int_equal(len, strlen(buf));
    double back = strtod(buf, NULL);
    if (!(back == v)) {
        fail_msg("num_format(%a) gave \"%s\", which reads back as %a", v, buf, back);
    }
    int n = sig_digits(buf);
    assert_true(n >= 1 && n <= 17);
    for (int p = 1; p < n; p++) {
        snprintf(tmp, sizeof tmp, "%.*g", p, v);
        if (strtod(tmp, NULL) == v) {
            fail_msg("num_format(%a) gave \"%s\", but \"%s\" is shorter", v, buf, tmp);
        }
    }
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static double from_bits(uint64_t bits)
{
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* ---------------------------------------------------------------- parsing */

static void test_numfmt_parse_accepts_spreadsheet_forms(void **state)
{
    (void)state;
    expect_num("46,0", 46.0, 0);
    expect_num("46.0", 46.0, 0);
    expect_num("0,66", 0.66, 0);
    expect_num("0.66", 0.66, 0);
    expect_num("0,1", 0.1, 0);
    expect_num("46", 46.0, 0);
    expect_num("0", 0.0, 0);
    expect_num("007", 7.0, 0);
    expect_num("1 204", 1204.0, 0);
    expect_num("1" NBSP "204", 1204.0, 0);
    expect_num("1" NNBSP "204", 1204.0, 0);
    expect_num("12 345 678", 12345678.0, 0);
    expect_num("12" NBSP "345" NNBSP "678", 12345678.0, 0);
    expect_num("123 456", 123456.0, 0);
    expect_num("1 204,5", 1204.5, 0);
    expect_num("1 204.5", 1204.5, 0);
    expect_num("-1 204,25", -1204.25, 0);
    expect_num("1.204", 1.204, 0);
    expect_num("1,204", 1.204, 0);
    expect_num("-3,5", -3.5, 0);
    expect_num(MINUS "3,5", -3.5, 0);
    expect_num("+7", 7.0, 0);
    expect_num("1e5", 1e5, 0);
    expect_num("1E5", 1e5, 0);
    expect_num("1e+5", 1e5, 0);
    expect_num("1,5E-3", 1.5e-3, 0);
    expect_num("1.5e-3", 1.5e-3, 0);
    expect_num("1,5e" MINUS "3", 1.5e-3, 0);
    expect_num("-2,5e2", -250.0, 0);
    expect_num("1 204e3", 1204e3, 0);
    expect_num("1e0000000000000000000005", 1e5, 0);
    expect_num(".5", 0.5, 0);
    expect_num(",5", 0.5, 0);
    expect_num("-,5", -0.5, 0);
    expect_num(",5e1", 5.0, 0);
}

static void test_numfmt_parse_percent_flag(void **state)
{
    (void)state;
    expect_num("66%", 66.0, 1);
    expect_num("12,5 %", 12.5, 1);
    expect_num("12,5" NBSP "%", 12.5, 1);
    expect_num("12,5" NNBSP "%", 12.5, 1);
    expect_num("0,5%", 0.5, 1);
    expect_num("-3,5 %", -3.5, 1);
    expect_num("1 204 %", 1204.0, 1);
    expect_num("1e2%", 100.0, 1);
    expect_num(" 66% ", 66.0, 1);
    expect_num("66", 66.0, 0);
}

static void test_numfmt_parse_ignores_surrounding_space(void **state)
{
    (void)state;
    expect_num("  46,0", 46.0, 0);
    expect_num("46,0  ", 46.0, 0);
    expect_num("\t46,0\t", 46.0, 0);
    expect_num(NBSP "46,0" NBSP, 46.0, 0);
    expect_num(NNBSP " \t" NBSP "46,0" NNBSP, 46.0, 0);
    expect_num("46,0\r\n", 46.0, 0);
    expect_num(" -3,5 ", -3.5, 0);
}

static void test_numfmt_parse_zero_is_positive(void **state)
{
    (void)state;
    expect_num("-0", 0.0, 0);
    expect_num("-0,0", 0.0, 0);
    expect_num(MINUS "0,00", 0.0, 0);
    expect_num("-0e5", 0.0, 0);
    expect_num("0,000", 0.0, 0);
    expect_num("-0 %", 0.0, 1);
}

static void test_numfmt_parse_is_correctly_rounded(void **state)
{
    (void)state;
    expect_num("0,1000000000000000055511151231257827021181583404541015625", 0.1, 0);
    expect_num("123456789012345678", 123456789012345678.0, 0);
    expect_num("1,7976931348623157e308", DBL_MAX, 0);
    expect_num("-1,7976931348623157e308", -DBL_MAX, 0);
    expect_num("2,2250738585072014e-308", DBL_MIN, 0);
    expect_num("4,9406564584124654e-324", 4.9406564584124654e-324, 0);
    expect_num("5e-324", 4.9406564584124654e-324, 0);
    expect_num("2,2250738585072009e-308", 2.2250738585072009e-308, 0);
    /* 2^53 + 1 lies halfway between two doubles: ties go to even. */
    expect_num("9007199254740993", 9007199254740992.0, 0);
    expect_num("9 007 199 254 740 993", 9007199254740992.0, 0);
    expect_num("9007199254740993,00000000000000000001", 9007199254740994.0, 0);
    expect_num("9007199254740995", 9007199254740996.0, 0);
}

/*
 * Cells far longer than the digits kept: the sticky digit keeps the rounding
 * exact, and leading zeros and long exponents shift the scale correctly.
 */
static void test_numfmt_parse_long_cells(void **state)
{
    (void)state;
    static char text[4000];
    size_t n;

    /* 2^53 + 1, then 2000 zeros: still exactly halfway, ties to even. */
    n = (size_t)sprintf(text, "9007199254740993,");
    memset(text + n, '0', 2000);
    text[n + 2000] = '\0';
    expect_num(text, 9007199254740992.0, 0);
    /* ... and a 1 after them: just above halfway, rounds up. */
    strcpy(text + n + 2000, "1");
    expect_num(text, 9007199254740994.0, 0);

    /* "0," then 1500 zeros then 1, times 10^1501: exactly 1. */
    n = (size_t)sprintf(text, "0,");
    memset(text + n, '0', 1500);
    sprintf(text + n + 1500, "1e1501");
    expect_num(text, 1.0, 0);

    /* A 1 followed by 1200 zeros, times 10^-1200. */
    text[0] = '1';
    memset(text + 1, '0', 1200);
    sprintf(text + 1201, "e-1200");
    expect_num(text, 1.0, 0);

    /* "0," and 1500 threes: the double nearest 1/3. */
    n = (size_t)sprintf(text, "0,");
    memset(text + n, '3', 1500);
    text[n + 1500] = '\0';
    expect_num(text, 1.0 / 3.0, 0);
}

/*
 * Random cells of up to 17 digits, a decimal comma somewhere and maybe an
 * exponent, against strtod on the same number written with '.' in the "C"
 * locale: the fast path and the strtod path must both agree with it.
 */
static void test_numfmt_parse_matches_strtod(void **state)
{
    (void)state;
    rng_state = 0xC0FFEE;
    for (int i = 0; i < 20000; i++) {
        char digits[20], cell[64], ref[64];
        int nd = 1 + (int)(rng() % 17);
        for (int k = 0; k < nd; k++) {
            digits[k] = (char)('0' + rng() % 10);
        }
        int point = (int)(rng() % (unsigned)(nd + 1)); /* digits before it */
        int e = (int)(rng() % 61) - 30;
        int with_exp = rng() % 2;
        int neg = rng() % 2;
        const char *sign = neg ? "-" : "";
        if (point == nd) {
            snprintf(cell, sizeof cell, "%s%.*s", sign, nd, digits);
            snprintf(ref, sizeof ref, "%s%.*s", sign, nd, digits);
        } else {
            snprintf(cell, sizeof cell, "%s%.*s,%.*s", sign, point, digits, nd - point,
                     digits + point);
            snprintf(ref, sizeof ref, "%s%.*s.%.*s", sign, point, digits, nd - point,
                     digits + point);
        }
        if (with_exp) {
            size_t n = strlen(cell);
            snprintf(cell + n, sizeof cell - n, "e%d", e);
            n = strlen(ref);
            snprintf(ref + n, sizeof ref - n, "e%d", e);
        }
        double want = strtod(ref, NULL);
        if (want == 0.0) {
            want = 0.0; /* "-0" reads as +0 */
        }
        expect_num(cell, want, 0);
    }
}

/* Percents of a share are hundredths with one rounding: "14,3%" is the
   double strtod gives for "0.143", for every one-decimal percent and for
   random longer ones; without '%' the number is as written. */
static void test_numfmt_parse_hundredths_round_once(void **state)
{
    (void)state;
    char cell[64], ref[64], err[160];
    int wrong_by_division = 0;
    for (int i = 1; i <= 10000; i++) {
        snprintf(cell, sizeof cell, "%d,%d%%", i / 10, i % 10);
        snprintf(ref, sizeof ref, "%de-3", i);
        double got = -1, want = strtod(ref, NULL);
        int pct = 0;
        assert_int_equal(num_parse_hundredths(cell, strlen(cell), NUM_HUNDREDTHS_IF_PERCENT,
                                              &got, &pct, err, sizeof err),
                         NUM_OK);
        assert_int_equal(pct, 1);
        if (got != want) {
            fail_msg("'%s' gave %.17g, want %.17g", cell, got, want);
        }
        wrong_by_division += (i / 10.0) / 100 != want;
    }
    /* the old way, dividing by 100 after rounding, is wrong for many of them */
    assert_true(wrong_by_division > 1000);
    rng_state = 0xBADC0DE;
    for (int i = 0; i < 20000; i++) {
        char digits[20];
        int nd = 1 + (int)(rng() % 17);
        digits[0] = (char)('1' + rng() % 9);
        for (int k = 1; k < nd; k++) {
            digits[k] = (char)('0' + rng() % 10);
        }
        int point = (int)(rng() % (unsigned)nd) + 1; /* digits before the comma */
        if (point == nd) {
            snprintf(cell, sizeof cell, "%.*s%%", nd, digits);
        } else {
            snprintf(cell, sizeof cell, "%.*s,%.*s %%", point, digits, nd - point,
                     digits + point);
        }
        snprintf(ref, sizeof ref, "%.*se-%d", nd, digits, nd - point + 2);
        double got = -1, want = strtod(ref, NULL);
        assert_int_equal(num_parse_hundredths(cell, strlen(cell), NUM_HUNDREDTHS_IF_PERCENT,
                                              &got, NULL, err, sizeof err),
                         NUM_OK);
        if (got != want) {
            fail_msg("'%s' gave %.17g, want %.17g (%s)", cell, got, want, ref);
        }
    }
    double x = 0;
    assert_int_equal(num_parse_hundredths("14,3", 4, NUM_HUNDREDTHS_IF_PERCENT, &x, NULL,
                                          err, sizeof err),
                     NUM_OK);
    assert_true(x == 14.3);
    assert_int_equal(num_parse_hundredths("14,3", 4, NUM_HUNDREDTHS_ALWAYS, &x, NULL, err,
                                          sizeof err),
                     NUM_OK);
    assert_true(x == 0.143);
}

static void test_numfmt_parse_rejects_separators(void **state)
{
    (void)state;
    expect_bad("1.204,5", "'1.204,5' mixes '.' and ',' as separators");
    expect_bad("1,204.5", "'1,204.5' mixes ',' and '.' as separators");
    expect_bad("12,5,3", "'12,5,3' has two decimal separators");
    expect_bad("1.2.3", "'1.2.3' has two decimal separators");
    expect_bad("01.09.2023", "'01.09.2023' has two decimal separators");
    expect_bad("1,204,567", "'1,204,567' has two decimal separators");
    expect_bad("5,", "'5,' has no digits after the decimal separator");
    expect_bad("5.", "'5.' has no digits after the decimal separator");
    expect_bad("5,e3", "'5,e3' has no digits after the decimal separator");
    expect_bad(",", "',' has no digits");
    expect_bad("-.", "'-.' has no digits");
    expect_bad(".e5", "'.e5' has no digits");
}

static void test_numfmt_parse_rejects_bad_groups(void **state)
{
    (void)state;
    expect_bad("12 5", "'12 5' has a digit group of 1 digit; groups after the first "
                       "have three");
    expect_bad("1 20", "'1 20' has a digit group of 2 digits; groups after the first "
                       "have three");
    expect_bad("1 2345", "'1 2345' has a digit group of 4 digits; groups after the "
                         "first have three");
    expect_bad("1 234 56", "'1 234 56' has a digit group of 2 digits; groups after the "
                           "first have three");
    expect_bad("1 20,5", "'1 20,5' has a digit group of 2 digits; groups after the "
                         "first have three");
    expect_bad("1" NBSP "20", "'1" NBSP "20' has a digit group of 2 digits; groups "
                              "after the first have three");
    expect_bad("1234 567", "'1234 567' has a first digit group of 4 digits; grouped "
                           "numbers start with one to three");
    expect_bad("1  204", "'1  204' has two group separators in a row");
    expect_bad("1 " NBSP "204", "'1 " NBSP "204' has two group separators in a row");
    expect_bad("1 ,5", "'1 ,5' has a group separator not followed by digits");
    expect_bad("1 e5", "'1 e5' has a group separator not followed by digits");
    expect_bad("0,123 456", "'0,123 456' has a group separator after the decimal "
                            "separator");
}

static void test_numfmt_parse_rejects_non_numbers(void **state)
{
    (void)state;
    expect_bad("12abc", "'12abc' is not a number: unexpected 'a'");
    expect_bad("abc", "'abc' is not a number: unexpected 'a'");
    expect_bad("e5", "'e5' is not a number: unexpected 'e'");
    expect_bad("12 руб", "'12 руб' is not a number: unexpected 'р'");
    expect_bad("12,5 руб.", "'12,5 руб.' is not a number: unexpected 'р'");
    expect_bad("нет данных", "'нет данных' is not a number: unexpected 'н'");
    expect_bad("1e5.5", "'1e5.5' is not a number: unexpected '.'");
    expect_bad("5-", "'5-' is not a number: unexpected '-'");
    expect_bad("(12)", "'(12)' is not a number: unexpected '('");
    expect_bad("1\t2", "'1?2' is not a number: unexpected byte 0x09");
    expect_bad("inf", "'inf' is not a finite number");
    expect_bad("-Infinity", "'-Infinity' is not a finite number");
    expect_bad("NaN", "'NaN' is not a finite number");
    expect_bad("nan%", "'nan%' is not a finite number");
    expect_bad("0x1A", "'0x1A' is hexadecimal; only decimal numbers are accepted");
    expect_bad("-0X10", "'-0X10' is hexadecimal; only decimal numbers are accepted");
    expect_bad("#ДЕЛ/0!", "'#ДЕЛ/0!' is a spreadsheet error value, not a number");
    expect_bad("#N/A", "'#N/A' is a spreadsheet error value, not a number");
}

static void test_numfmt_parse_rejects_signs_and_percent(void **state)
{
    (void)state;
    expect_bad("-", "'-' has a sign but no digits");
    expect_bad("+", "'+' has a sign but no digits");
    expect_bad(MINUS, "'" MINUS "' has a sign but no digits");
    expect_bad("-%", "'-%' has a sign but no digits");
    expect_bad("%", "'%' has no digits");
    expect_bad(" % ", "'%' has no digits");
    expect_bad("12%%", "'12%%' has more than one '%'");
    expect_bad("12 % %", "'12 % %' has more than one '%'");
    expect_bad("12%5", "'12%5' has a '%' that is not at the end");
    expect_bad("%12", "'%12' has a '%' that is not at the end");
    expect_bad("--5", "'--5' has two signs");
    expect_bad("+-5", "'+-5' has two signs");
    expect_bad("- 5", "'- 5' has a space after the sign");
    expect_bad("1e", "'1e' has no digits in the exponent");
    expect_bad("1e+", "'1e+' has no digits in the exponent");
    expect_bad("1e%", "'1e%' has no digits in the exponent");
}

static void test_numfmt_parse_rejects_out_of_range(void **state)
{
    (void)state;
    char want[200];
    snprintf(want, sizeof want, "'1e400' is out of range: larger than %.1e in magnitude",
             DBL_MAX);
    expect_bad("1e400", want);
    snprintf(want, sizeof want,
             "'-1,8e308' is out of range: larger than %.1e in magnitude", DBL_MAX);
    expect_bad("-1,8e308", want);
    snprintf(want, sizeof want,
             "'1e999999999999999999' is out of range: larger than %.1e in magnitude",
             DBL_MAX);
    expect_bad("1e999999999999999999", want);
    expect_bad("1e-400", "'1e-400' is out of range: too close to zero to represent");
    expect_bad("2e-324", "'2e-324' is out of range: too close to zero to represent");
    expect_bad("-1e-999999999999",
               "'-1e-999999999999' is out of range: too close to zero to represent");
}

static void test_numfmt_parse_quotes_long_cells_briefly(void **state)
{
    (void)state;
    char text[300], err[200];
    memset(text, 'x', 200);
    text[200] = '\0';
    assert_int_equal(num_parse(text, 200, NULL, NULL, err, sizeof err), NUM_BAD);
    assert_non_null(strstr(err, "xxx...' is not a number"));
    assert_true(strlen(err) < 120);

    /* Cut at a character boundary, not inside a two-byte letter. */
    strcpy(text, "1");
    for (int i = 0; i < 60; i++) {
        strcat(text, "ж");
    }
    assert_int_equal(num_parse(text, strlen(text), NULL, NULL, err, sizeof err), NUM_BAD);
    const char *dots = strstr(err, "...'");
    assert_non_null(dots);
    assert_int_equal((dots - err - 1) % 2, 1); /* '1' then whole "ж"s */

    /* A small err buffer is cut, never overrun. */
    char tiny[8];
    assert_int_equal(num_parse("12abc", 5, NULL, NULL, tiny, sizeof tiny), NUM_BAD);
    assert_string_equal(tiny, "'12abc'");
    assert_int_equal(num_parse("12abc", 5, NULL, NULL, NULL, 0), NUM_BAD);
}

static void test_numfmt_parse_empty_cells(void **state)
{
    (void)state;
    expect_empty("", 0);
    expect_empty("   ", 3);
    expect_empty("\t", 1);
    expect_empty(NBSP, 2);
    expect_empty(NNBSP " " NBSP "\t", 7);
    expect_empty("12", 0);
    expect_empty(NULL, 0);
}

static void test_numfmt_parse_respects_len(void **state)
{
    (void)state;
    double v;
    int pct;
    char err[100];
    /* Not NUL-terminated: only the first len bytes count. */
    assert_int_equal(num_parse("123", 2, &v, &pct, err, sizeof err), NUM_OK);
    assert_true(v == 12.0);
    assert_int_equal(num_parse("46,0;12", 4, &v, &pct, err, sizeof err), NUM_OK);
    assert_true(v == 46.0);
    assert_int_equal(num_parse("66%%", 3, &v, &pct, err, sizeof err), NUM_OK);
    assert_true(v == 66.0);
    assert_int_equal(pct, 1);
    /* value and percent may be NULL. */
    assert_int_equal(num_parse("66%", 3, NULL, NULL, err, sizeof err), NUM_OK);
    assert_int_equal(num_parse("", 0, NULL, NULL, NULL, 0), NUM_EMPTY);
}

/* --------------------------------------------------------------- printing */

static void test_numfmt_format_known_values(void **state)
{
    (void)state;
    expect_format(0.1, "0.1");
    expect_format(46.0, "46");
    expect_format(0.125, "0.125");
    expect_format(-3.5, "-3.5");
    expect_format(0.66, "0.66");
    expect_format(100.0, "100");
    expect_format(1204.5, "1204.5");
    expect_format(1.0 / 3.0, "0.3333333333333333");
    expect_format(2.0 / 3.0, "0.6666666666666666");
    expect_format(0.1 + 0.2, "0.30000000000000004");
    expect_format(0.0001, "0.0001");
    expect_format(0.00012345, "0.00012345");
    expect_format(1e-5, "1e-05");
    expect_format(1e-7, "1e-07");
    expect_format(-1.5e-7, "-1.5e-07");
    expect_format(1e16, "10000000000000000");
    expect_format(1e17, "1e+17");
    expect_format(1e21, "1e+21");
    expect_format(1e100, "1e+100");
    expect_format(123456789012345678.0, "1.2345678901234568e+17");
    expect_format(12345678901234567.0, "12345678901234568");
    expect_format(9007199254740993.0, "9007199254740992");
    expect_format(DBL_MAX, "1.7976931348623157e+308");
    expect_format(-DBL_MAX, "-1.7976931348623157e+308");
    expect_format(DBL_MIN, "2.2250738585072014e-308");
    expect_format(4.9406564584124654e-324, "5e-324");
    expect_format(2.2250738585072009e-308, "2.225073858507201e-308");
    expect_format(0.0, "0");
    expect_format(-0.0, "0");
    expect_format(NAN, "nan");
    expect_format(-NAN, "nan");
    expect_format(INFINITY, "inf");
    expect_format(-INFINITY, "-inf");
}

static void test_numfmt_format_round_trips(void **state)
{
    (void)state;
    const double fixed[] = {0.1,
                            1.0 / 3.0,
                            1e-7,
                            1e21,
                            123456789012345678.0,
                            DBL_MAX,
                            DBL_MIN,
                            4.9406564584124654e-324,
                            2.2250738585072009e-308,
                            1e-310,
                            0.18,
                            0.2 * (1 - 0.1),
                            5e-324 * 3,
                            1.0,
                            2.675,
                            9.995,
                            1e15,
                            1e16,
                            1e22,
                            1e23,
                            8.41e21,
                            5e-310,
                            1.7e-320};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        check_shortest(fixed[i]);
        check_shortest(-fixed[i]);
    }

    rng_state = 0x9E3779B97F4A7C15u;
    /* Any bit pattern: all exponents, subnormals now and then. */
    for (int i = 0; i < 4000; i++) {
        double v = from_bits(rng());
        if (isfinite(v) && v != 0.0) {
            check_shortest(v);
        }
    }
    /* Subnormals only: the slow path. */
    for (int i = 0; i < 500; i++) {
        double v = from_bits(rng() & 0x800FFFFFFFFFFFFFu);
        if (v != 0.0) {
            check_shortest(v);
        }
    }
    /* Values as they come from spreadsheets: a few digits, a decimal point. */
    for (int i = 0; i < 2000; i++) {
        double v = (double)(rng() % 10000000) / pow(10.0, (double)(rng() % 8));
        char buf[NUM_BUFSZ];
        num_format(v, buf);
        check_shortest(v);
        double back = 0.0;
        assert_int_equal(num_parse(buf, strlen(buf), &back, NULL, NULL, 0), NUM_OK);
        assert_true(back == v);
    }
}

static void test_numfmt_format_fixed_rounds_printed_digits(void **state)
{
    (void)state;
    expect_fixed(2.675, 2, '.', "2.68");
    expect_fixed(0.125, 2, '.', "0.13");
    expect_fixed(1.005, 2, '.', "1.01");
    expect_fixed(0.045, 2, '.', "0.05");
    expect_fixed(1.45, 1, '.', "1.5");
    expect_fixed(2.5, 0, '.', "3");
    expect_fixed(0.5, 0, '.', "1");
    expect_fixed(0.4999, 0, '.', "0");
    expect_fixed(0.66, 0, '.', "1");
    expect_fixed(1234.5678, 2, ',', "1234,57");
    expect_fixed(46.0, 1, ',', "46,0");
    expect_fixed(46.0, 0, ',', "46");
    expect_fixed(0.1, 15, '.', "0.100000000000000");
    expect_fixed(1.0 / 3.0, 15, '.', "0.333333333333333");
    expect_fixed(2.0 / 3.0, 15, '.', "0.666666666666667");
    expect_fixed(2.0 / 3.0, 2, ',', "0,67");
    expect_fixed(1e-7, 3, '.', "0.000");
    expect_fixed(1e-7, 7, '.', "0.0000001");
    expect_fixed(1e-7, 15, '.', "0.000000100000000");
    expect_fixed(5e-8, 7, '.', "0.0000001");
    expect_fixed(4.9e-8, 7, '.', "0.0000000");
    expect_fixed(0.0004, 2, '.', "0.00");
    expect_fixed(0.005, 2, '.', "0.01");
    expect_fixed(0.0, 2, '.', "0.00");
    expect_fixed(0.0, 0, '.', "0");
    expect_fixed(123456789012345678.0, 2, '.', "123456789012345680.00");
    expect_fixed(1e20, 15, '.', "100000000000000000000.000000000000000");
    expect_fixed(-1e20, 15, ',', "-100000000000000000000,000000000000000");
}

static void test_numfmt_format_fixed_carries(void **state)
{
    (void)state;
    expect_fixed(9.995, 2, '.', "10.00");
    expect_fixed(-9.995, 2, '.', "-10.00");
    expect_fixed(999.9996, 3, '.', "1000.000");
    expect_fixed(99.5, 0, '.', "100");
    expect_fixed(0.95, 1, ',', "1,0");
    expect_fixed(0.0999, 2, '.', "0.10");
    expect_fixed(9.5, 0, '.', "10");
    expect_fixed(0.999999999999999, 14, '.', "1.00000000000000");
}

static void test_numfmt_format_fixed_negative_and_zero(void **state)
{
    (void)state;
    expect_fixed(-2.675, 2, '.', "-2.68");
    expect_fixed(-0.125, 2, ',', "-0,13");
    expect_fixed(-2.5, 0, '.', "-3");
    expect_fixed(-0.5, 0, '.', "-1");
    expect_fixed(-0.005, 2, '.', "-0.01");
    /* Rounds to zero: no minus sign. */
    expect_fixed(-0.004, 2, '.', "0.00");
    expect_fixed(-0.001, 2, '.', "0.00");
    expect_fixed(-0.4, 0, '.', "0");
    expect_fixed(-0.0, 2, '.', "0.00");
    expect_fixed(-4.9406564584124654e-324, 15, '.', "0.000000000000000");
    expect_fixed(4.9406564584124654e-324, 2, '.', "0.00");
}

static void test_numfmt_format_fixed_edges(void **state)
{
    (void)state;
    expect_fixed(NAN, 2, '.', "nan");
    expect_fixed(INFINITY, 2, '.', "inf");
    expect_fixed(-INFINITY, 2, '.', "-inf");
    /* Too large for a fixed form in NUM_BUFSZ: printed as num_format does. */
    expect_fixed(1e21, 2, '.', "1e+21");
    expect_fixed(-DBL_MAX, 2, '.', "-1.7976931348623157e+308");
    /* decimals is clamped to 0..15; a separator other than ',' is '.'. */
    expect_fixed(2.675, -1, '.', "3");
    expect_fixed(0.1, 20, '.', "0.100000000000000");
    expect_fixed(2.675, 2, ';', "2.68");
    /* The longest fixed result fits. */
    char buf[NUM_BUFSZ];
    assert_true(num_format_fixed(-9.99999999999999e20, 15, ',', buf) < NUM_BUFSZ);
    assert_string_equal(buf, "-999999999999999000000,000000000000000");
}

/*
 * num_format_fixed rounds off ties without the shortest digits; it must
 * print what rounding the digits prints, for every size, decimals and
 * separator, and at the ties themselves (k + 0.5 steps, and a hair off).
 */
/*
 * A share printed as a percent rounds the share's own digits: 0.0745 is
 * 7,45 % and prints 7,5 like the percent 7.45 (regression: the double
 * 0.0745 * 100 is 7.449999999999999 and printed 7,4, so a share and a
 * percent of the same value showed differently). Checked against integer
 * rounding for every share of four decimals 0..1 and against the percent.
 */
static void test_numfmt_format_percent_rounds_the_shares_digits(void **state)
{
    (void)state;
    char got[NUM_BUFSZ], want[NUM_BUFSZ], pct[NUM_BUFSZ];
    for (int k = 0; k <= 10000; k++) {
        double share = k / 10000.0, percent = k / 100.0;
        int tenths = (k + 5) / 10; /* k hundredths of a percent, half up */
        snprintf(want, sizeof want, "%d,%d", tenths / 10, tenths % 10);
        num_format_percent(share, 1, ',', got);
        num_format_fixed(percent, 1, ',', pct);
        if (strcmp(got, want) != 0 || strcmp(pct, want) != 0) {
            fail_msg("share %.17g: %s, percent %.17g: %s, expected %s", share, got, percent,
                     pct, want);
        }
        num_format_percent(-share, 1, ',', got);
        if (k >= 5 && (got[0] != '-' || strcmp(got + 1, want) != 0)) {
            fail_msg("share %.17g: %s, expected -%s", -share, got, want);
        }
    }
    num_format_percent(0.0055, 1, '.', got);
    assert_string_equal(got, "0.6");
    num_format_percent(0.123456, 3, '.', got);
    assert_string_equal(got, "12.346");
    num_format_percent(1e20, 0, '.', got); /* beyond the fixed form: as num_format */
    assert_string_equal(got, "1e+22");
    num_format_percent(NAN, 1, '.', got);
    assert_string_equal(got, "nan");
}

/* Computed figures rounded to significant digits print as a person writes
   them (regression: a threshold 0.0055 * 0.9 printed 0.0049499999999999995). */
static void test_numfmt_round_significant(void **state)
{
    (void)state;
    char buf[NUM_BUFSZ];
    num_format(num_round_significant(0.0055 - 0.0055 * 0.10, 15), buf);
    assert_string_equal(buf, "0.00495");
    num_format(num_round_significant(0.2 - 0.2 * 0.1, 15), buf);
    assert_string_equal(buf, "0.18");
    num_format(num_round_significant(-2.0 / 3, 3), buf);
    assert_string_equal(buf, "-0.667");
    num_format(num_round_significant(123456.789, 2), buf);
    assert_string_equal(buf, "120000");
    assert_true(num_round_significant(0.1 + 0.2, 17) == 0.1 + 0.2); /* 17 keeps the double */
    assert_true(num_round_significant(0.0, 15) == 0.0);
    assert_true(isnan(num_round_significant(NAN, 15)));
    assert_true(isinf(num_round_significant(-INFINITY, 15)));
    /* the short way off ties gives what the digits give */
    uint64_t seed = 7;
    for (int i = 0; i < 300000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int digits = 1 + (int)((seed >> 59) % 15);
        double v;
        switch (i % 3) {
        case 0: /* a short decimal less some percent: thresholds */
            v = (double)((seed >> 20) % 100000) / 1e5;
            v = v - v * (double)((seed >> 8) % 50) / 100;
            break;
        case 1: /* a mean: any digits */
            v = (double)(seed >> 11) / 9007199254740992.0 * pow(10, (int)(seed % 12) - 4);
            break;
        default: /* on the grid's half steps and near them */
            v = ((double)((seed >> 24) % 2000000) + 0.5) / pow(10, (int)(seed % 7));
            v = (seed & 16) ? nextafter(v, INFINITY) : v;
            break;
        }
        if (seed & 32) {
            v = -v;
        }
        double quick = num_round_significant(v, digits);
        double slow = num_round_significant_digits(v, digits);
        if (quick != slow && !(quick == 0 && slow == 0)) {
            fail_msg("%.17g to %d digits: %.17g, the digits say %.17g", v, digits, quick, slow);
        }
    }
}

/* The Russian word form that goes with a number (regression: "4 школ с данными",
   "1 мероприятий"). */
static void test_numfmt_russian_plurals(void **state)
{
    (void)state;
    static const struct {
        long n;
        const char *word;
    } cases[] = {{0, "школ"},    {1, "школа"},   {2, "школы"},  {4, "школы"},  {5, "школ"},
                 {11, "школ"},   {12, "школ"},   {14, "школ"},  {21, "школа"}, {22, "школы"},
                 {25, "школ"},   {101, "школа"}, {111, "школ"}, {112, "школ"}, {1004, "школы"},
                 {-1, "школа"},  {-12, "школ"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = ru_plural(cases[i].n, "школа", "школы", "школ");
        if (strcmp(got, cases[i].word) != 0) {
            fail_msg("%ld %s, expected %s", cases[i].n, got, cases[i].word);
        }
    }
}

static void test_numfmt_format_fixed_quick_way_agrees_with_digits(void **state)
{
    (void)state;
    uint64_t seed = 42;
    long checked = 0, ties = 0;
    for (int i = 0; i < 200000; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        int decimals = (int)(seed >> 60) % 6;
        double steps = (double)((seed >> 20) % 2000000) / 2; /* whole and half steps */
        double v;
        switch (i % 4) {
        case 0: /* near the ties of the grid */
            v = steps / pow(10, decimals);
            ties++;
            break;
        case 1: /* a hair off them */
            v = nextafter(steps / pow(10, decimals), (seed & 1) ? INFINITY : 0);
            break;
        case 2: /* any share or score */
            v = (double)(seed >> 11) / 9007199254740992.0 * pow(10, (int)(seed % 9) - 3);
            break;
        default: /* negative */
            v = -(double)(seed >> 30) / 1e5;
            break;
        }
        char quick[NUM_BUFSZ], digits[NUM_BUFSZ];
        char sep = (i & 8) ? ',' : '.';
        num_format_fixed(v, decimals, sep, quick);
        num_format_fixed_digits(v, decimals, sep, digits);
        if (strcmp(quick, digits) != 0) {
            fail_msg("%.17g with %d decimals: %s, digits say %s", v, decimals, quick, digits);
        }
        checked++;
    }
    assert_int_equal(checked, 200000);
    assert_true(ties > 0);
    /* And the digits' rule itself at a tie the binary value misses. */
    char buf[NUM_BUFSZ];
    num_format_fixed(1.005, 2, ',', buf);
    assert_string_equal(buf, "1,01");
    num_format_fixed(22.0349, 1, ',', buf);
    assert_string_equal(buf, "22,0");
}

/* -------------------------------------------------------------- comparing */

static void test_numfmt_cmp_decimal_equal_to_12_digits(void **state)
{
    (void)state;
    assert_int_equal(num_cmp_decimal(0.20 * (1 - 0.10), 0.18), 0);
    assert_int_equal(num_cmp_decimal(0.18, 0.20 * (1 - 0.10)), 0);
    assert_int_equal(num_cmp_decimal(0.1 + 0.2, 0.3), 0);
    assert_int_equal(num_cmp_decimal(0.3 - 0.2, 0.1), 0);
    assert_int_equal(num_cmp_decimal(46.0, 46.0), 0);
    assert_int_equal(num_cmp_decimal(0.0, -0.0), 0);
    assert_int_equal(num_cmp_decimal(1e15, 1e15 + 0.5), 0);
    /* Differ in the 13th significant digit: equal. */
    assert_int_equal(num_cmp_decimal(1234567890123.0, 1234567890124.0), 0);
    assert_int_equal(num_cmp_decimal(9.999999999990, 9.999999999991), 0);
    assert_int_equal(num_cmp_decimal(1.0, 1.0 + 1e-13), 0);
    assert_int_equal(num_cmp_decimal(-0.18, -0.20 * (1 - 0.10)), 0);
    assert_int_equal(num_cmp_decimal(1e-300, 1e-300 * (1 + 1e-14)), 0);
}

static void test_numfmt_cmp_decimal_orders_different_values(void **state)
{
    (void)state;
    assert_true(num_cmp_decimal(0.18, 0.1800001) < 0);
    assert_true(num_cmp_decimal(0.1800001, 0.18) > 0);
    assert_true(num_cmp_decimal(100.0, 200.0) < 0);
    assert_true(num_cmp_decimal(-5.0, -4.0) < 0);
    /* Differ in the 12th significant digit: unequal. */
    assert_true(num_cmp_decimal(123456789012.0, 123456789013.0) < 0);
    assert_true(num_cmp_decimal(9.99999999999, 9.99999999998) > 0);
    assert_true(num_cmp_decimal(1.0, 1.00000000001) < 0);
    assert_true(num_cmp_decimal(0.180000000001, 0.18) > 0);
}

static void test_numfmt_cmp_decimal_zero_signs_and_specials(void **state)
{
    (void)state;
    /* Zero equals only zero: the tolerance is relative. */
    assert_true(num_cmp_decimal(0.0, 1e-300) < 0);
    assert_true(num_cmp_decimal(0.0, 4.9406564584124654e-324) < 0);
    assert_true(num_cmp_decimal(-1e-300, 0.0) < 0);
    assert_true(num_cmp_decimal(0.3 - (0.1 + 0.2), 0.0) < 0);
    /* Opposite signs are never equal. */
    assert_true(num_cmp_decimal(1e-20, -1e-20) > 0);
    assert_true(num_cmp_decimal(-DBL_MIN, DBL_MIN) < 0);
    assert_true(num_cmp_decimal(DBL_MAX, -DBL_MAX) > 0);
    assert_true(num_cmp_decimal(-DBL_MAX, DBL_MAX) < 0);
    /* Infinities. */
    assert_int_equal(num_cmp_decimal(INFINITY, INFINITY), 0);
    assert_int_equal(num_cmp_decimal(-INFINITY, -INFINITY), 0);
    assert_true(num_cmp_decimal(INFINITY, DBL_MAX) > 0);
    assert_true(num_cmp_decimal(DBL_MAX, INFINITY) < 0);
    assert_true(num_cmp_decimal(-INFINITY, -DBL_MAX) < 0);
    assert_true(num_cmp_decimal(-INFINITY, INFINITY) < 0);
    /* NaN equals NaN and sorts below every number. */
    assert_int_equal(num_cmp_decimal(NAN, NAN), 0);
    assert_true(num_cmp_decimal(NAN, 0.0) < 0);
    assert_true(num_cmp_decimal(NAN, -INFINITY) < 0);
    assert_true(num_cmp_decimal(0.0, NAN) > 0);
    assert_true(num_cmp_decimal(-INFINITY, NAN) > 0);
}

/* ----------------------------------------------------------------- locale */

/*
 * Parsing and printing must not change under a locale with a decimal comma.
 * The checks run whether or not such a locale is installed; the locale is
 * set only when setlocale succeeds.
 */
static void test_numfmt_ignores_lc_numeric(void **state)
{
    (void)state;
    static const char *const names[] = {"ru_RU.UTF-8", "ru_RU.utf8",  "de_DE.UTF-8",
                                        "de_DE.utf8",  "fr_FR.UTF-8", "fr_FR.utf8",
                                        "ru_RU",       "de_DE"};
    const char *set = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !set; i++) {
        if (setlocale(LC_NUMERIC, names[i]) &&
            strcmp(localeconv()->decimal_point, ",") == 0) {
            set = names[i];
        }
    }
    if (set) {
        char probe[16];
        snprintf(probe, sizeof probe, "%.1f", 1.5);
        assert_string_equal(probe, "1,5"); /* the locale really is active */
    } else {
        setlocale(LC_NUMERIC, "C");
        print_message("[ NOTE     ] no locale with a decimal comma is installed; "
                      "checked under \"C\" only\n");
    }

    expect_num("46,0", 46.0, 0);
    expect_num("46.0", 46.0, 0);
    expect_num("0,1", 0.1, 0);
    expect_num("0.1", 0.1, 0);
    expect_num("1 204,5", 1204.5, 0);
    expect_num("1,5E-3", 1.5e-3, 0);
    expect_num("12,5 %", 12.5, 1);
    expect_bad("1.204,5", "'1.204,5' mixes '.' and ',' as separators");
    expect_format(0.1, "0.1");
    expect_format(-3.5, "-3.5");
    expect_format(1.0 / 3.0, "0.3333333333333333");
    expect_format(1e-7, "1e-07");
    expect_format(DBL_MAX, "1.7976931348623157e+308");
    expect_format(4.9406564584124654e-324, "5e-324");
    expect_fixed(2.675, 2, '.', "2.68");
    expect_fixed(2.675, 2, ',', "2,68");

    rng_state = 12345;
    for (int i = 0; i < 500; i++) {
        double v = from_bits(rng());
        if (!isfinite(v)) {
            continue;
        }
        char buf[NUM_BUFSZ];
        num_format(v, buf);
        assert_null(strchr(buf, ','));
        double back = 1.0;
        int rc = num_parse(buf, strlen(buf), &back, NULL, NULL, 0);
        assert_int_equal(rc, NUM_OK);
        assert_true(back == v);
    }
    setlocale(LC_NUMERIC, "C");
}

/* A figure rounded at the 15th digit of the largest value it is made of:
   the noise of a cancellation goes, a value below that digit is 0 or one
   unit of it, and the sign stays. */
static void test_numfmt_round_at_scale(void **state)
{
    (void)state;
    char buf[NUM_BUFSZ];
    num_format(num_round_at_scale((1.7 - 1.6) / 2, 1.7, 15), buf);
    assert_string_equal(buf, "0.05");
    num_format(num_round_at_scale(1000.1 - 1000, 1000.1, 15), buf);
    assert_string_equal(buf, "0.1");
    assert_true(num_round_at_scale(0.1 + 0.2 - 0.3, 0.3, 15) == 0);
    num_format(num_round_at_scale(9.9e-15, 1, 15), buf);
    assert_string_equal(buf, "1e-14");
    num_format(num_round_at_scale(-9.9e-15, 1, 15), buf);
    assert_string_equal(buf, "-1e-14");
    assert_true(num_round_at_scale(4e-15, 1, 15) == 0);
    /* largest 0 or not finite: as num_round_significant */
    num_format(num_round_at_scale(2.0 / 3, 0, 15), buf);
    assert_string_equal(buf, "0.666666666666667");
    assert_true(isnan(num_round_at_scale(NAN, 1, 15)));
}

/* Values that print alike but differ get the digits that tell them apart
   (a target's actual against its threshold); equal ones keep the unit's. */
static void test_numfmt_values_apart(void **state)
{
    (void)state;
    char a[64], b[64];
    human_values_apart(UNIT_SHARE, 0.0741, 0.0738, a, b, sizeof a);
    assert_string_equal(a, "7,41%");
    assert_string_equal(b, "7,38%");
    human_values_apart(UNIT_SHARE, 0.18, 0.18, a, b, sizeof a);
    assert_string_equal(a, "18,0%");
    assert_string_equal(b, "18,0%");
    /* equal as the targets compare (12 digits): binary noise is not shown */
    human_values_apart(UNIT_SHARE, 0.18, 0.2 * 0.9, a, b, sizeof a);
    assert_string_equal(a, "18,0%");
    assert_string_equal(b, "18,0%");
    /* different at the 10th and 11th digit: shown, not two alike 18,0% */
    human_values_apart(UNIT_SHARE, 0.18, 0.1800000001, a, b, sizeof a);
    assert_string_equal(a, "18,00000000%");
    assert_string_equal(b, "18,00000001%");
    human_values_apart(UNIT_SHARE, 0.18, 0.18 + 1e-11, a, b, sizeof a);
    assert_string_equal(a, "18,000000000%");
    assert_string_equal(b, "18,000000001%");
    /* different, but too close for HUMAN_EXTRA_MAX more decimals: as the
       unit prints them */
    human_values_apart(UNIT_SHARE, 1e-7, 1e-7 * (1 + 1e-11), a, b, sizeof a);
    assert_string_equal(a, "0,0%");
    assert_string_equal(b, "0,0%");
    human_values_apart(UNIT_SCORE, 46.04, 46.01, a, b, sizeof a);
    assert_string_equal(a, "46,04");
    assert_string_equal(b, "46,01");
    human_values_apart(UNIT_SCORE, 46.2, 51.0, a, b, sizeof a);
    assert_string_equal(a, "46,2");
    assert_string_equal(b, "51,0");
    human_values_apart(UNIT_SHARE, NAN, 0.1, a, b, sizeof a);
    assert_string_equal(a, "нет данных");
    assert_string_equal(b, "10,0%");
    human_value(UNIT_INDEX, 0.4213, a, sizeof a);
    assert_string_equal(a, "0,42");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numfmt_parse_accepts_spreadsheet_forms),
        cmocka_unit_test(test_numfmt_parse_percent_flag),
        cmocka_unit_test(test_numfmt_parse_ignores_surrounding_space),
        cmocka_unit_test(test_numfmt_parse_zero_is_positive),
        cmocka_unit_test(test_numfmt_parse_is_correctly_rounded),
        cmocka_unit_test(test_numfmt_parse_long_cells),
        cmocka_unit_test(test_numfmt_parse_matches_strtod),
        cmocka_unit_test(test_numfmt_parse_hundredths_round_once),
        cmocka_unit_test(test_numfmt_parse_rejects_separators),
        cmocka_unit_test(test_numfmt_parse_rejects_bad_groups),
        cmocka_unit_test(test_numfmt_parse_rejects_non_numbers),
        cmocka_unit_test(test_numfmt_parse_rejects_signs_and_percent),
        cmocka_unit_test(test_numfmt_parse_rejects_out_of_range),
        cmocka_unit_test(test_numfmt_parse_quotes_long_cells_briefly),
        cmocka_unit_test(test_numfmt_parse_empty_cells),
        cmocka_unit_test(test_numfmt_parse_respects_len),
        cmocka_unit_test(test_numfmt_format_known_values),
        cmocka_unit_test(test_numfmt_format_round_trips),
        cmocka_unit_test(test_numfmt_format_fixed_rounds_printed_digits),
        cmocka_unit_test(test_numfmt_format_fixed_carries),
        cmocka_unit_test(test_numfmt_format_fixed_negative_and_zero),
        cmocka_unit_test(test_numfmt_format_fixed_edges),
        cmocka_unit_test(test_numfmt_format_percent_rounds_the_shares_digits),
        cmocka_unit_test(test_numfmt_round_significant),
        cmocka_unit_test(test_numfmt_russian_plurals),
        cmocka_unit_test(test_numfmt_format_fixed_quick_way_agrees_with_digits),
        cmocka_unit_test(test_numfmt_cmp_decimal_equal_to_12_digits),
        cmocka_unit_test(test_numfmt_cmp_decimal_orders_different_values),
        cmocka_unit_test(test_numfmt_cmp_decimal_zero_signs_and_specials),
        cmocka_unit_test(test_numfmt_ignores_lc_numeric),
        cmocka_unit_test(test_numfmt_values_apart),
        cmocka_unit_test(test_numfmt_round_at_scale),
    };
    return cmocka_run_group_tests_name("numfmt", tests, NULL, NULL);
}
