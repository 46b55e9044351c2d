/*
 * test_strbuf.c — growable strings.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "period.h"
#include "strbuf.h"

static void test_strbuf_append_and_printf(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    assert_string_equal(sb.data, "");
    sb_puts(&sb, "Код");
    sb_putc(&sb, ' ');
    sb_printf(&sb, "%d-%s", 42, "ОО");
    assert_string_equal(sb.data, "Код 42-ОО");
    assert_int_equal(sb.len, strlen("Код 42-ОО"));
    sb_truncate(&sb, 3);
    assert_string_equal(sb.data, "К\xd0");
    sb_reset(&sb);
    assert_int_equal(sb.len, 0);
    sb_free(&sb);
}

static void test_strbuf_grows_past_small_buffer(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 50; i++) {
        sb_printf(&sb, "%s", big);
    }
    assert_int_equal(sb.len, 50 * 999);
    assert_int_equal(sb.data[sb.len], '\0');
    char *s = sb_detach(&sb);
    assert_int_equal(strlen(s), 50 * 999);
    assert_int_equal(sb.len, 0);
    free(s);
}

static void test_date_roundtrip_and_weekday(void **state)
{
    (void)state;
    assert_int_equal(date_from_ymd(1970, 1, 1), 0);
    assert_int_equal(date_from_ymd(2023, 1, 9), 19366);
    /* 09.01.2023 (Sergokala's order) was a Monday. */
    assert_int_equal(date_weekday(date_from_ymd(2023, 1, 9)), 1);
    for (shnor_date d = date_from_ymd(1999, 12, 1); d < date_from_ymd(2031, 3, 1); d++) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        assert_true(date_valid_ymd(y, m, dd));
        assert_int_equal(date_from_ymd(y, m, dd), d);
    }
    assert_int_equal(date_days_in_month(2024, 2), 29);
    assert_int_equal(date_days_in_month(2100, 2), 28);
    assert_int_equal(date_days_in_month(2000, 2), 29);
}

static void test_date_parse_rejects_bad_text(void **state)
{
    (void)state;
    shnor_date d;
    char err[200];
    assert_int_equal(shnor_date_parse("2023-02-01", &d, err, sizeof err), SHNOR_OK);
    char buf[11];
    shnor_date_format(d, buf, sizeof buf);
    assert_string_equal(buf, "2023-02-01");
    assert_int_equal(shnor_date_parse("2023-02-29", &d, err, sizeof err), SHNOR_INPUT);
    assert_non_null(strstr(err, "'2023-02-29'"));
    assert_non_null(strstr(err, "YYYY-MM-DD"));
    assert_int_equal(shnor_date_parse("2023-2-1", &d, err, sizeof err), SHNOR_INPUT);
    /* as a Russian spreadsheet writes it: day, month, four-digit year */
    assert_int_equal(shnor_date_parse("01.02.2023", &d, err, sizeof err), SHNOR_OK);
    shnor_date_format(d, buf, sizeof buf);
    assert_string_equal(buf, "2023-02-01");
    assert_int_equal(shnor_date_parse("29.02.2023", &d, err, sizeof err), SHNOR_INPUT);
    assert_non_null(strstr(err, "DD.MM.YYYY"));
    assert_int_equal(shnor_date_parse("1.2.2023", &d, err, sizeof err), SHNOR_INPUT);
    assert_int_equal(shnor_date_parse("01.02.23", &d, err, sizeof err), SHNOR_INPUT);
    assert_int_equal(shnor_date_parse("01.02-2023", &d, err, sizeof err), SHNOR_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strbuf_append_and_printf),
        cmocka_unit_test(test_strbuf_grows_past_small_buffer),
        cmocka_unit_test(test_date_roundtrip_and_weekday),
        cmocka_unit_test(test_date_parse_rejects_bad_text),
    };
    return cmocka_run_group_tests_name("strbuf", tests, NULL, NULL);
}
