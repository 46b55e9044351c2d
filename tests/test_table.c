/*
 * test_table.c — terminal tables: display widths, alignment, wrapping, notes,
 * colour and the terminal queries.
 */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "strbuf.h"
#include "table.h"
#include "textwidth.h"

/* The table as printed, malloc'ed. */
static char *render(const table *t, int width, int color)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(table_print(t, f, width, color), 0);
    assert_int_equal(fclose(f), 0);
    assert_non_null(buf);
    return buf;
}

/* Every line of out is at most width columns wide and ends in no space. */
static void assert_lines_fit(const char *out, size_t width)
{
    while (*out) {
        const char *nl = strchr(out, '\n');
        assert_non_null(nl);
        size_t w = utf8_display_width(out, (size_t)(nl - out));
        if (w > width) {
            fail_msg("line wider than %zu: %.*s", width, (int)(nl - out), out);
        }
        if (nl > out && nl[-1] == ' ') {
            fail_msg("trailing space: %.*s", (int)(nl - out), out);
        }
        out = nl + 1;
    }
}

/* 1 when s is valid UTF-8 (a hard break never splits a character). */
static int valid_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t k = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC2 ? 2 : 0;
        if (k == 0) {
            return 0;
        }
        for (size_t i = 1; i < k; i++) {
            if ((p[i] & 0xC0) != 0x80) {
                return 0;
            }
        }
        p += k;
    }
    return 1;
}

static void test_table_display_width_classes(void **state)
{
    (void)state;
    assert_int_equal(utf8_display_width("", 0), 0);
    assert_int_equal(utf8_display_width("abc", 3), 3);
    assert_int_equal(utf8_display_width("Ванашимахинская", strlen("Ванашимахинская")),
                     15);
    assert_int_equal(utf8_display_width("«»№–", strlen("«»№–")), 4);
    /* No-break space is an ordinary one-column character. */
    assert_int_equal(utf8_display_width("1\xc2\xa0"
                                        "204",
                                        6),
                     5);
    /* C0 controls, DEL and C1 controls. */
    assert_int_equal(utf8_display_width("\t\x01\x1b\x7f", 4), 0);
    assert_int_equal(utf8_display_width("\xc2\x85\xc2\x9f", 4), 0);
    assert_int_equal(utf8_display_width("a\0b", 3), 2);
    /* Invalid bytes count one each: stray, truncated, overlong, surrogate,
       above U+10FFFF. */
    assert_int_equal(utf8_display_width("\xff\xfe", 2), 2);
    assert_int_equal(utf8_display_width("\xe2\x82", 2), 2);
    assert_int_equal(utf8_display_width("\xe2\x82x", 3), 3);
    assert_int_equal(utf8_display_width("\xc0\xaf", 2), 2);
    assert_int_equal(utf8_display_width("\xed\xa0\x80", 3), 3);
    assert_int_equal(utf8_display_width("\xf4\x90\x80\x80", 4), 4);
    /* The length bounds the text, even inside a character. */
    assert_int_equal(utf8_display_width("Код", 2), 1);
    assert_int_equal(utf8_display_width("Код", 3), 2);
}

static void test_table_display_width_cjk(void **state)
{
    (void)state;
    assert_int_equal(utf8_display_width("漢字", strlen("漢字")), 4);
    assert_int_equal(utf8_display_width("한국", strlen("한국")), 4); /* Hangul */
    assert_int_equal(utf8_display_width("ᄀ", strlen("ᄀ")), 2);     /* U+1100 jamo */
    assert_int_equal(utf8_display_width("Ａ", strlen("Ａ")), 2);     /* U+FF21 */
    assert_int_equal(utf8_display_width("ｶ", strlen("ｶ")), 1);       /* U+FF76 half */
    assert_int_equal(utf8_display_width("￦", strlen("￦")), 2);     /* U+FFE6 */
    assert_int_equal(utf8_display_width("😀🤖", strlen("😀🤖")), 4); /* emoji */
    assert_int_equal(utf8_display_width("\xf0\xa0\x80\x80", 4), 2);          /* U+20000 */
    assert_int_equal(utf8_display_width("︰", strlen("︰")), 2);             /* U+FE30 */
}

static void test_table_display_width_combining_marks(void **state)
{
    (void)state;
    /* и + combining breve is й; е + combining acute. */
    assert_int_equal(utf8_display_width("и\xcc\x86", 4), 1);
    assert_int_equal(utf8_display_width("Сте\xcc\x81пь", strlen("Сте\xcc\x81пь")), 5);
    const char *marks[] = {"\xcc\x80",     "\xcd\xaf",     "\xd2\x83",     "\xd2\x89",
                           "\xe1\xaa\xb0", "\xe1\xb7\x80", "\xe2\x83\x90", "\xe2\x83\xbf",
                           "\xef\xb8\xa0", "\xef\xb8\xaf"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++) {
        assert_int_equal(utf8_display_width(marks[i], strlen(marks[i])), 0);
    }
    /* Zero-width space, joiners, marks, word joiner, BOM. */
    const char *zw[] = {"\xe2\x80\x8b", "\xe2\x80\x8d", "\xe2\x80\x8f", "\xe2\x81\xa0",
                        "\xef\xbb\xbf"};
    for (size_t i = 0; i < sizeof zw / sizeof zw[0]; i++) {
        assert_int_equal(utf8_display_width(zw[i], strlen(zw[i])), 0);
    }
    /* Neighbours of the ranges are one column. */
    assert_int_equal(utf8_display_width("\xcd\xb0", 2), 1);     /* U+0370 */
    assert_int_equal(utf8_display_width("\xe2\x80\x90", 3), 1); /* U+2010 */
}

/* A cut keeps whole characters: never the first byte of a two- or
   three-byte sequence without the rest. */
static void test_table_utf8_cut_keeps_whole_characters(void **state)
{
    (void)state;
    const char *s = "xдж€y"; /* 1 + 2 + 2 + 3 + 1 bytes */
    size_t len = strlen(s);
    static const size_t want[] = {0, 1, 1, 3, 3, 5, 5, 5, 8, 9, 9};
    for (size_t max = 0; max <= len + 1; max++) {
        assert_int_equal(utf8_cut(s, len, max), want[max]);
    }
}

static void test_table_aligns_russian_by_display_width(void **state)
{
    (void)state;
    table *t = table_new(3);
    assert_non_null(t);
    const char *head[] = {"Код", "Наименование", "Учащихся"};
    const char *r1[] = {"05001", "МКОУ «Ванашимахинская СОШ»", "312"};
    const char *r2[] = {"05002", "School No 2", "1204"};
    const char *r3[] = {"05003", "ГКОУ «Аймаумахинская ООШ»", "45"};
    assert_int_equal(table_header(t, head), 0);
    table_align(t, 2, TABLE_RIGHT);
    assert_int_equal(table_row(t, r1), 0);
    assert_int_equal(table_row(t, r2), 0);
    assert_int_equal(table_row(t, r3), 0);
    char *out = render(t, 80, 0);
    assert_string_equal(out, "Код    Наименование                Учащихся\n"
                             "-------------------------------------------\n"
                             "05001  МКОУ «Ванашимахинская СОШ»       312\n"
                             "05002  School No 2                     1204\n"
                             "05003  ГКОУ «Аймаумахинская ООШ»         45\n");
    free(out);
    table_free(t);
}

static void test_table_right_alignment(void **state)
{
    (void)state;
    table *t = table_new(2);
    assert_non_null(t);
    const char *head[] = {"Школа", "Балл"};
    const char *r1[] = {"СОШ №1", "4.25"};
    const char *r2[] = {"ООШ", "12"};
    const char *r3[] = {"Лицей", "100.5"};
    table_header(t, head);
    table_align(t, 1, TABLE_RIGHT);
    table_row(t, r1);
    table_row(t, r2);
    table_row(t, r3);
    char *out = render(t, 0, 0);
    assert_string_equal(out, "Школа    Балл\n"
                             "-------------\n"
                             "СОШ №1   4.25\n"
                             "ООШ        12\n"
                             "Лицей   100.5\n");
    free(out);
    table_free(t);
}

/* What wrapping leaves unused goes back to the columns it broke: the run
   summary at 80 columns broke "georgievsk" after 8 letters with 4 to spare. */
static void test_table_slack_unbreaks_a_column(void **state)
{
    (void)state;
    table *t = table_new(9);
    const char *head[] = {"Пакет",     "Период",    "Список", "Школ", "В списке",
                          "Цели +/−/?", "Поручений", "Запуск", "Итог"};
    const char *r1[] = {"georgievsk", "2024", "2024", "30", "4", "8/4/4", "106", "#7",
                        "сохранён"};
    table_header(t, head);
    table_row(t, r1);
    char *out = render(t, 80, 0);
    assert_lines_fit(out, 80);
    assert_non_null(strstr(out, "\ngeorgievsk  2024"));
    free(out);
    table_free(t);
}

/* Narrow columns wrap at their spaces before any word is broken: the run
   summary of the demo fits 80 columns by putting «Цели +/−/?» over two
   lines, «malokarachaevsky» stays whole, and a no-break space keeps
   «(+10 ?)» on one line. */
static void test_table_spaces_wrap_before_words_break(void **state)
{
    (void)state;
    table *t = table_new(8);
    const char *head[] = {"Пакет",    "Период",     "Список",    "Школ",
                          "В списке", "Цели +/−/?", "Поручений", "Запуск"};
    const char *r1[] = {"malokarachaevsky", "2020/21",        "2020/21", "15",
                        "3",                "4/2/0",          "66 (+66)", "#4"};
    const char *r2[] = {"turochak",           "2023/24", "2023/24",    "10",
                        "0 (+10\u00a0?)", "0/0/1",   "147 (+147)", "#6"};
    table_header(t, head);
    table_row(t, r1);
    table_row(t, r2);
    char *out = render(t, 80, 0);
    assert_lines_fit(out, 80);
    assert_non_null(strstr(out, "\nmalokarachaevsky  2020/21"));
    assert_null(strstr(out, "Цели +/−/?")); /* wrapped at its space */
    assert_non_null(strstr(out, "0 (+10\u00a0?)"));
    free(out);
    table_free(t);
}

static void test_table_cjk_and_combining_align(void **state)
{
    (void)state;
    table *t = table_new(2);
    assert_non_null(t);
    const char *head[] = {"Имя", "N"};
    const char *r1[] = {"漢字", "1"};
    const char *r2[] = {"Ab", "2"};
    table_header(t, head);
    table_row(t, r1);
    table_row(t, r2);
    char *out = render(t, 80, 0);
    assert_string_equal(out, "Имя   N\n"
                             "-------\n"
                             "漢字  1\n"
                             "Ab    2\n");
    free(out);
    table_free(t);

    t = table_new(2);
    assert_non_null(t);
    const char *c1[] = {"Сте\xcc\x81пь", "1"};
    const char *c2[] = {"Степь", "2"};
    table_header(t, head);
    table_row(t, c1);
    table_row(t, c2);
    out = render(t, 80, 0);
    assert_string_equal(out, "Имя    N\n"
                             "--------\n"
                             "Сте\xcc\x81пь  1\n"
                             "Степь  2\n");
    free(out);
    table_free(t);
}

/*
 * Prints a two-column table (codes, then text) at width and checks that the
 * lines fit and that each text rejoins from its lines.
 */
static void check_wrap_rejoins(const char *const *texts, size_t n, int width)
{
    table *t = table_new(2);
    assert_non_null(t);
    for (size_t i = 0; i < n; i++) {
        char code[24];
        snprintf(code, sizeof code, "%05zu", i + 1);
        const char *cells[] = {code, texts[i]};
        assert_int_equal(table_row(t, cells), 0);
    }
    char *out = render(t, width, 0);
    assert_lines_fit(out, (size_t)width);

    /* Lines starting with a code begin a row; the text starts after 7 bytes. */
    strbuf got;
    sb_init(&got); /* not STRBUF_INIT: sb_reset() writes to the buffer */
    size_t row = 0;
    const char *line = out;
    while (*line) {
        const char *nl = strchr(line, '\n');
        assert_true(nl - line > 7);
        if (line[0] != ' ') {
            if (row > 0) {
                assert_string_equal(got.data, texts[row - 1]);
            }
            sb_reset(&got);
            row++;
        } else {
            assert_memory_equal(line, "       ", 7);
            sb_putc(&got, ' ');
        }
        sb_append(&got, line + 7, (size_t)(nl - line) - 7);
        line = nl + 1;
    }
    assert_int_equal(row, n);
    assert_string_equal(got.data, texts[n - 1]);
    sb_free(&got);
    free(out);
    table_free(t);
}

static const char *const long_names[] = {
    "Муниципальное казённое общеобразовательное учреждение «Ванашимахинская "
    "средняя общеобразовательная школа» Сергокалинского района Республики "
    "Дагестан",
    "МКОУ «Мюрегинская СОШ»",
    "Муниципальное бюджетное общеобразовательное учреждение «Средняя "
    "общеобразовательная школа № 5 имени Героя Советского Союза А. В. Иванова» "
    "города Георгиевска Ставропольского края, филиал в посёлке Шаумянском",
};

static void test_table_wraps_to_80(void **state)
{
    (void)state;
    check_wrap_rejoins(long_names, 3, 80);
}

static void test_table_wraps_to_40(void **state)
{
    (void)state;
    check_wrap_rejoins(long_names, 3, 40);
}

static void test_table_wraps_to_40_exact(void **state)
{
    (void)state;
    table *t = table_new(3);
    assert_non_null(t);
    const char *head[] = {"Код", "Наименование ОО", "Доля «2», %"};
    const char *r1[] = {"05001", "МКОУ «Ванашимахинская СОШ»", "12.5"};
    const char *r2[] = {"05002", "School 2", "7"};
    const char *r3[] = {"05003", "МКОУ «Аймаумахинская СОШ» имени героя Советского Союза",
                        "100"};
    table_header(t, head);
    table_align(t, 2, TABLE_RIGHT);
    table_row(t, r1);
    table_row(t, r2);
    table_row(t, r3);
    char *out = render(t, 40, 0);
    assert_string_equal(out, "Код    Наименование ОО       Доля «2», %\n"
                             "----------------------------------------\n"
                             "05001  МКОУ                         12.5\n"
                             "       «Ванашимахинская\n"
                             "       СОШ»\n"
                             "05002  School 2                        7\n"
                             "05003  МКОУ «Аймаумахинская          100\n"
                             "       СОШ» имени героя\n"
                             "       Советского Союза\n");
    free(out);
    /* Wide enough: nothing wraps. */
    out = render(t, 80, 0);
    assert_non_null(strstr(out, "05003  МКОУ «Аймаумахинская СОШ» имени героя Советского "
                                "Союза          100\n"));
    assert_lines_fit(out, 80);
    free(out);
    table_free(t);
}

static void test_table_hard_breaks_long_words(void **state)
{
    (void)state;
    table *t = table_new(2);
    assert_non_null(t);
    const char *r1[] = {"05001", "Превысокомногорассмотрительствующий директор"};
    table_row(t, r1);
    /* A word longer than the room left is broken where the table needs it:
       at 23 columns, so the table fits 30. */
    char *out = render(t, 30, 0);
    assert_string_equal(out, "05001  Превысокомногорассмотри\n"
                             "       тельствующий директор\n");
    assert_lines_fit(out, 30);
    assert_true(valid_utf8(out));
    free(out);
    table_free(t);

    /* Two-column characters are never split, even at an odd width. */
    t = table_new(2);
    assert_non_null(t);
    strbuf cjk = STRBUF_INIT;
    for (int i = 0; i < 20; i++) {
        sb_puts(&cjk, "字");
    }
    const char *r2[] = {"05001", cjk.data};
    table_row(t, r2);
    out = render(t, 38, 0);
    strbuf want = STRBUF_INIT;
    sb_puts(&want, "05001  ");
    sb_append(&want, cjk.data, 15 * 3);
    sb_puts(&want, "\n       ");
    sb_append(&want, cjk.data, 5 * 3);
    sb_putc(&want, '\n');
    assert_string_equal(out, want.data);
    assert_lines_fit(out, 38);
    free(out);
    sb_free(&want);
    sb_free(&cjk);
    table_free(t);

    /* A list of identifiers breaks between its items, not inside one
       (regression: "fed_list;list_" / "500plus"). */
    t = table_new(2);
    assert_non_null(t);
    const char *r3[] = {"05001", "fed_list;list_500plus"};
    table_row(t, r3);
    out = render(t, 26, 0);
    assert_string_equal(out, "05001  fed_list;\n       list_500plus\n");
    free(out);
    table_free(t);
}

static void test_table_prints_at_floors_when_nothing_fits(void **state)
{
    (void)state;
    table *t = table_new(3);
    assert_non_null(t);
    const char *r1[] = {"Первый столбец текст", "Второй столбец текст", "Третий"};
    table_row(t, r1);
    /* Whole words would need 24 columns: to fit 20, words break at 5. */
    char *out = render(t, 20, 0);
    assert_string_equal(out, "Первы  Второ  Третий\n"
                             "й      й\n"
                             "столб  столб\n"
                             "ец     ец\n"
                             "текст  текст\n");
    assert_lines_fit(out, 20);
    free(out);
    /* Below 4 columns a column is unreadable: the table prints wider. */
    out = render(t, 10, 0);
    assert_string_equal(out, "Перв  Втор  Трет\n"
                             "ый    ой    ий\n"
                             "стол  стол\n"
                             "бец   бец\n"
                             "текс  текс\n"
                             "т     т\n");
    free(out);
    table_free(t);
}

/*
 * Kedrovy's roadmap table at 80 columns: whole words need 82 (a 26-column
 * word in one column, a 23-column date range in another), so the longest
 * word is broken — after its hyphen — and the table fits.
 */
static void test_table_fits_80_by_breaking_the_longest_word(void **state)
{
    (void)state;
    table *t = table_new(5);
    assert_non_null(t);
    const char *head[] = {"№", "Мероприятие", "Сроки", "Исполнители", "Поручений"};
    const char *r1[] = {"1.3.1",
                        "Рекомендации по вопросам психолого-педагогического, сопровождения",
                        "октябрь 2020 (31.10.2020–31.05.2021)", "KDR-PUD, KDR-SOSH1", "2"};
    table_header(t, head);
    table_align(t, 4, TABLE_RIGHT);
    table_row(t, r1);
    char *out = render(t, 80, 0);
    assert_string_equal(out,
                        "№      Мероприятие               Сроки                    Исполнители"
                        "  Поручений\n"
                        "------------------------------------------------------------------"
                        "--------------\n"
                        "1.3.1  Рекомендации по вопросам  октябрь 2020             KDR-PUD,"
                        "             2\n"
                        "       психолого-                (31.10.2020–31.05.2021)  KDR-SOSH1\n"
                        "       педагогического,\n"
                        "       сопровождения\n");
    assert_lines_fit(out, 80);
    free(out);
    table_free(t);
}

static void test_table_explicit_newlines(void **state)
{
    (void)state;
    table *t = table_new(3);
    assert_non_null(t);
    const char *head[] = {"Код", "Мероприятие", "Срок"};
    const char *r1[] = {"1", "Педсовет\nпо итогам ВПР", "январь"};
    const char *r2[] = {"2", "Мониторинг", "ежемесячно\r\n(1 раз в месяц)"};
    table_header(t, head);
    table_row(t, r1);
    table_row(t, r2);
    char *out = render(t, 80, 0);
    assert_string_equal(out, "Код  Мероприятие    Срок\n"
                             "-----------------------------------\n"
                             "1    Педсовет       январь\n"
                             "     по итогам ВПР\n"
                             "2    Мониторинг     ежемесячно\n"
                             "                    (1 раз в месяц)\n");
    free(out);
    table_free(t);
}

static void test_table_notes(void **state)
{
    (void)state;
    table *t = table_new(2);
    assert_non_null(t);
    const char *head[] = {"Код", "Школа"};
    const char *r1[] = {"05001", "МКОУ «Ванашимахинская СОШ»"};
    const char *r2[] = {"05002", "МКОУ «Мюрегинская СОШ»"};
    table_header(t, head);
    assert_int_equal(table_note(t, "Период: 2023"), 0); /* before any row */
    table_row(t, r1);
    assert_int_equal(table_note(t,
                                "Критерий 1: доля «2» по ВПР выше средней по району на "
                                "10 и более процентных пунктов"),
                     0);
    table_row(t, r2);
    table_note(t, "500+");
    table_note(t, "Критерии:\n1) ВПР\n2) ОГЭ");
    char *out = render(t, 40, 0);
    assert_string_equal(out, "Код    Школа\n"
                             "---------------------------------\n"
                             "  Период: 2023\n"
                             "05001  МКОУ «Ванашимахинская СОШ»\n"
                             "  Критерий 1: доля «2» по ВПР выше\n"
                             "    средней по району на 10 и более\n"
                             "    процентных пунктов\n"
                             "05002  МКОУ «Мюрегинская СОШ»\n"
                             "  500+\n"
                             "  Критерии:\n"
                             "  1) ВПР\n"
                             "  2) ОГЭ\n");
    assert_lines_fit(out, 40);
    free(out);
    table_free(t);
}

static const char colour_want[] =
    "\x1b[1mКод\x1b[0m    \x1b[1mСтатус\x1b[0m  \x1b[1mДоля\x1b[0m\n"
    "-------------------\n"
    "05001  \x1b[31mШНОР\x1b[0m    \x1b[31m12.5\x1b[0m\n"
    "\x1b[2m05002\x1b[0m  \x1b[32mнет\x1b[0m        0\n";

static void test_table_colour_on_and_off(void **state)
{
    (void)state;
    table *t = table_new(3);
    assert_non_null(t);
    const char *head[] = {"Код", "Статус", "Доля"};
    const char *r1[] = {"05001", "ШНОР", "12.5"};
    const char *r2[] = {"05002", "нет", "0"};
    table_cell_style(t, 0, TABLE_RED); /* no row yet: ignored */
    table_header(t, head);
    table_align(t, 2, TABLE_RIGHT);
    table_row(t, r1);
    table_cell_style(t, 1, TABLE_RED);
    table_cell_style(t, 2, TABLE_RED);
    table_cell_style(t, 7, TABLE_RED); /* no such column: ignored */
    table_row(t, r2);
    table_cell_style(t, 0, TABLE_DIM);
    table_cell_style(t, 1, TABLE_GREEN);
    char *out = render(t, 80, 1);
    assert_string_equal(out, colour_want);
    free(out);
    out = render(t, 80, 0);
    assert_string_equal(out, "Код    Статус  Доля\n"
                             "-------------------\n"
                             "05001  ШНОР    12.5\n"
                             "05002  нет        0\n");
    assert_null(strchr(out, '\x1b'));
    free(out);
    table_free(t);

    /* Every style, and escapes never counted in widths when wrapping. */
    t = table_new(2);
    assert_non_null(t);
    const char *r3[] = {"05001", "очень длинное название школы для переноса"};
    table_row(t, r3);
    table_cell_style(t, 0, TABLE_YELLOW);
    table_cell_style(t, 1, TABLE_BOLD);
    out = render(t, 30, 1);
    assert_string_equal(out,
                        "\x1b[33m05001\x1b[0m  \x1b[1mочень длинное название\x1b[0m\n"
                        "       \x1b[1mшколы для переноса\x1b[0m\n");
    free(out);
    table_free(t);
}

static void test_table_data_cannot_inject_escapes(void **state)
{
    (void)state;
    table *t = table_new(3);
    assert_non_null(t);
    const char *r1[] = {"a\tb", "\x1b[31mred", "x\ry\xff"};
    table_row(t, r1);
    table_note(t, "note\x07\x1b]0;title\x07");
    char *out = render(t, 80, 0);
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(out, '\x07'));
    assert_null(strchr(out, '\r'));
    assert_true(valid_utf8(out));
    assert_string_equal(out, "a b  \xef\xbf\xbd[31mred  x\n"
                             "               y\xef\xbf\xbd\n"
                             "  note\xef\xbf\xbd\xef\xbf\xbd]0;title\xef\xbf\xbd\n");
    free(out);
    table_free(t);
}

static void test_table_edge_cases(void **state)
{
    (void)state;
    assert_null(table_new(0));
    table_free(NULL);

    /* Header only: header and rule. NULL cells print empty. */
    table *t = table_new(2);
    assert_non_null(t);
    const char *head[] = {"Код", "Школа"};
    table_header(t, head);
    char *out = render(t, 80, 0);
    assert_string_equal(out, "Код  Школа\n----------\n");
    free(out);
    const char *r1[] = {NULL, "СОШ"};
    table_row(t, r1);
    table_row(t, NULL);
    out = render(t, 80, 0);
    assert_string_equal(out, "Код  Школа\n"
                             "----------\n"
                             "     СОШ\n"
                             "\n");
    free(out);
    table_free(t);

    /* Without a header there is no rule. */
    t = table_new(1);
    assert_non_null(t);
    const char *r2[] = {"05001"};
    table_row(t, r2);
    out = render(t, 80, 0);
    assert_string_equal(out, "05001\n");
    free(out);
    table_free(t);
}

static void test_table_print_reports_write_errors(void **state)
{
    (void)state;
    table *t = table_new(1);
    assert_non_null(t);
    const char *r1[] = {"05001"};
    table_row(t, r1);
    FILE *f = fopen("/dev/null", "r");
    assert_non_null(f);
    assert_int_equal(table_print(t, f, 80, 0), -1);
    fclose(f);
    table_free(t);
}

/* Sets (value non-NULL) or unsets an environment variable. */
static void set_env(const char *name, const char *value)
{
    if (value) {
        assert_int_equal(setenv(name, value, 1), 0);
    } else {
        assert_int_equal(unsetenv(name), 0);
    }
}

/* A copy of the variable's value to restore later (NULL when unset). */
static char *save_env(const char *name)
{
    const char *v = getenv(name);
    return v ? strdup(v) : NULL;
}

static void test_table_use_color_not_a_terminal(void **state)
{
    (void)state;
    char *saved = save_env("NO_COLOR");
    FILE *f = tmpfile();
    assert_non_null(f);
    set_env("NO_COLOR", NULL);
    assert_int_equal(table_use_color(f), 0);
    set_env("NO_COLOR", "");
    assert_int_equal(table_use_color(f), 0);
    set_env("NO_COLOR", "1");
    assert_int_equal(table_use_color(f), 0);
    fclose(f);
    set_env("NO_COLOR", saved);
    free(saved);
}

/* Opens a pseudo-terminal; returns the master fd and the slave as a FILE, or
   -1 when this system has none. */
static int open_pty(FILE **slave)
{
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0) {
        return -1;
    }
    const char *name = NULL;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || !(name = ptsname(master))) {
        close(master);
        return -1;
    }
    int fd = open(name, O_RDWR | O_NOCTTY);
    if (fd < 0) {
        close(master);
        return -1;
    }
    *slave = fdopen(fd, "w");
    assert_non_null(*slave);
    return master;
}

static void test_table_use_color_on_a_terminal(void **state)
{
    (void)state;
    FILE *tty = NULL;
    int master = open_pty(&tty);
    if (master < 0) {
        skip();
    }
    char *saved = save_env("NO_COLOR");
    set_env("NO_COLOR", NULL);
    assert_int_equal(table_use_color(tty), 1);
    set_env("NO_COLOR", "");
    assert_int_equal(table_use_color(tty), 1);
    set_env("NO_COLOR", "1");
    assert_int_equal(table_use_color(tty), 0);
    set_env("NO_COLOR", saved);
    free(saved);
    fclose(tty);
    close(master);
}

static void test_table_term_width(void **state)
{
    (void)state;
    char *saved = save_env("COLUMNS");
    FILE *f = tmpfile();
    assert_non_null(f);
    set_env("COLUMNS", NULL);
    assert_int_equal(table_term_width(f), 80);
    set_env("COLUMNS", "120");
    assert_int_equal(table_term_width(f), 120);
    set_env("COLUMNS", "abc");
    assert_int_equal(table_term_width(f), 80);
    set_env("COLUMNS", "0");
    assert_int_equal(table_term_width(f), 80);
    set_env("COLUMNS", "-5");
    assert_int_equal(table_term_width(f), 80);
    set_env("COLUMNS", "99999999999999999999");
    assert_int_equal(table_term_width(f), 80);
    fclose(f);

    FILE *tty = NULL;
    int master = open_pty(&tty);
    if (master >= 0) {
        struct winsize ws;
        memset(&ws, 0, sizeof ws);
        ws.ws_row = 24;
        ws.ws_col = 132;
        assert_int_equal(ioctl(master, TIOCSWINSZ, &ws), 0);
        set_env("COLUMNS", NULL);
        assert_int_equal(table_term_width(tty), 132);
        set_env("COLUMNS", "100");
        assert_int_equal(table_term_width(tty), 100);
        set_env("COLUMNS", "wide");
        assert_int_equal(table_term_width(tty), 132);
        fclose(tty);
        close(master);
    }
    set_env("COLUMNS", saved);
    free(saved);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_display_width_classes),
        cmocka_unit_test(test_table_display_width_cjk),
        cmocka_unit_test(test_table_display_width_combining_marks),
        cmocka_unit_test(test_table_utf8_cut_keeps_whole_characters),
        cmocka_unit_test(test_table_aligns_russian_by_display_width),
        cmocka_unit_test(test_table_right_alignment),
        cmocka_unit_test(test_table_slack_unbreaks_a_column),
        cmocka_unit_test(test_table_spaces_wrap_before_words_break),
        cmocka_unit_test(test_table_cjk_and_combining_align),
        cmocka_unit_test(test_table_wraps_to_80),
        cmocka_unit_test(test_table_wraps_to_40),
        cmocka_unit_test(test_table_wraps_to_40_exact),
        cmocka_unit_test(test_table_hard_breaks_long_words),
        cmocka_unit_test(test_table_prints_at_floors_when_nothing_fits),
        cmocka_unit_test(test_table_fits_80_by_breaking_the_longest_word),
        cmocka_unit_test(test_table_explicit_newlines),
        cmocka_unit_test(test_table_notes),
        cmocka_unit_test(test_table_colour_on_and_off),
        cmocka_unit_test(test_table_data_cannot_inject_escapes),
        cmocka_unit_test(test_table_edge_cases),
        cmocka_unit_test(test_table_print_reports_write_errors),
        cmocka_unit_test(test_table_use_color_not_a_terminal),
        cmocka_unit_test(test_table_use_color_on_a_terminal),
        cmocka_unit_test(test_table_term_width),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
