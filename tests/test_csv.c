/*
 * test_csv.c — reading and writing delimited text as spreadsheets save it.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "encoding.h"
#include "strbuf.h"

/* A reader over a malloc'ed copy of text[0..len). */
static csv_reader *open_text(const char *text, size_t len, char sep)
{
    char *data = malloc(len + 1);
    assert_non_null(data);
    memcpy(data, text, len);
    data[len] = '\0';
    csv_reader *r = NULL;
    assert_int_equal(csv_open(data, len, sep, &r), 0);
    assert_non_null(r);
    return r;
}

static csv_reader *open_str(const char *text, char sep)
{
    return open_text(text, strlen(text), sep);
}

/*
 * Reads the next record and checks it: its line, then nfields field values
 * (NULL-free), each given as a string.
 */
static void expect_record(csv_reader *r, long line, int blank, size_t nfields, ...)
{
    csv_record rec;
    char err[200] = "";
    int rc = csv_next(r, &rec, err, sizeof err);
    if (rc != 1) {
        fail_msg("csv_next returned %d (%s), want a record on line %ld", rc, err, line);
    }
    assert_int_equal(rec.line, line);
    assert_int_equal(rec.blank, blank);
    if (rec.nfields != nfields) {
        fail_msg("line %ld: %zu fields, want %zu", line, rec.nfields, nfields);
    }
    va_list ap;
    va_start(ap, nfields);
    for (size_t i = 0; i < nfields; i++) {
        const char *want = va_arg(ap, const char *);
        assert_string_equal(rec.fields[i], want);
        assert_int_equal(rec.lens[i], strlen(want));
    }
    va_end(ap);
}

static void expect_end(csv_reader *r)
{
    csv_record rec;
    char err[200] = "";
    assert_int_equal(csv_next(r, &rec, err, sizeof err), 0);
    assert_int_equal(csv_next(r, &rec, err, sizeof err), 0);
}

static void test_csv_simple_records(void **state)
{
    (void)state;
    csv_reader *r = open_str("code,name,count\n0101,Школа №1,25\n", 0);
    assert_int_equal(csv_separator(r), ',');
    expect_record(r, 1, 0, 3, "code", "name", "count");
    expect_record(r, 2, 0, 3, "0101", "Школа №1", "25");
    expect_end(r);
    csv_close(r);

    /* Empty fields at the start, middle and end are kept. */
    r = open_str(",a,,b,\n", ',');
    expect_record(r, 1, 0, 5, "", "a", "", "b", "");
    expect_end(r);
    csv_close(r);

    /* Empty text: no records at all. */
    r = open_str("", 0);
    assert_int_equal(csv_separator(r), ',');
    expect_end(r);
    csv_close(r);
}

static void test_csv_detects_separator(void **state)
{
    (void)state;
    csv_reader *r = open_str("Код ОО;Наименование;Класс\n1;a,b;2\n", 0);
    assert_int_equal(csv_separator(r), ';');
    expect_record(r, 1, 0, 3, "Код ОО", "Наименование", "Класс");
    expect_record(r, 2, 0, 3, "1", "a,b", "2");
    csv_close(r);

    r = open_str("a\tb\tc\n1\t2\t3\n", 0);
    assert_int_equal(csv_separator(r), '\t');
    expect_record(r, 1, 0, 3, "a", "b", "c");
    csv_close(r);

    /* a line of no-break spaces (U+00A0, U+202F) above the header is as blank
       as one of spaces: the header still decides */
    r = open_str("\xC2\xA0 \xE2\x80\xAF\na;b;c\n1;2,5;3\n", 0);
    assert_int_equal(csv_separator(r), ';');
    csv_close(r);
    r = open_str("\xC2\xA0\na\tb\n1\t2\n", 0);
    assert_int_equal(csv_separator(r), '\t');
    csv_close(r);
    /* a file of Excel's ;;;; rows only: ';', so they are blank rows and the
       file is empty (regression: read as ',', each row one cell ";;;;") */
    r = open_str(";;;;\r\n;;;;\r\n", 0);
    assert_int_equal(csv_separator(r), ';');
    expect_record(r, 1, 1, 5, "", "", "", "", "");
    csv_close(r);

    /* Excel's "sep=" first line names the separator and is not a record:
       here ',' although ';' would win the count; lines keep their numbers */
    r = open_str("\xEF\xBB\xBFsep=,\r\nШкола;район,Доля\r\n1;2,3\r\n", 0);
    assert_int_equal(csv_separator(r), ',');
    expect_record(r, 2, 0, 2, "Школа;район", "Доля");
    expect_record(r, 3, 0, 2, "1;2", "3");
    expect_end(r);
    csv_close(r);
    /* a separator given wins over the hint, which is still skipped */
    r = open_str("sep=;\na\tb\n", '\t');
    assert_int_equal(csv_separator(r), '\t');
    expect_record(r, 2, 0, 2, "a", "b");
    csv_close(r);

    /* Both ';' and ',' on the header: the more frequent one wins... */
    r = open_str("Школа, район;Доля, %;Балл\n", 0);
    assert_int_equal(csv_separator(r), ';');
    expect_record(r, 1, 0, 3, "Школа, район", "Доля, %", "Балл");
    csv_close(r);
    r = open_str("a;b,c,d\n", 0);
    assert_int_equal(csv_separator(r), ',');
    csv_close(r);

    /* ...and a tie goes to ';', then ','. */
    r = open_str("a;b,c\n", 0);
    assert_int_equal(csv_separator(r), ';');
    csv_close(r);
    r = open_str("a\tb,c\n", 0);
    assert_int_equal(csv_separator(r), ',');
    csv_close(r);

    /* The lines after the header decide when it alone would mislead: titles
       with commas in a ';' file (regression: read as comma-separated). */
    r = open_str("Код ОО;Год;Доля отметок «2», «3» по ВПР, 5 класс, математика\n"
                 "GEO-01;2023;5%\nGEO-02;2023;7%\n",
                 0);
    assert_int_equal(csv_separator(r), ';');
    csv_close(r);
    /* a ragged comma file (unquoted decimal commas) still goes by the header */
    r = open_str("school,period,rus\nS1,2023,46,5\nS2,2023,50\n", 0);
    assert_int_equal(csv_separator(r), ',');
    csv_close(r);
    /* a tab file whose texts have commas */
    r = open_str("Код\tНазвание, полное\tДоля, %\nS1\tШкола, №1\t5\n", 0);
    assert_int_equal(csv_separator(r), '\t');
    csv_close(r);

    /* Separators inside quotes do not count, even across lines. */
    r = open_str("\"a;b;c\",\"d;\ne;f\",g\n", 0);
    assert_int_equal(csv_separator(r), ',');
    expect_record(r, 1, 0, 3, "a;b;c", "d;\ne;f", "g");
    csv_close(r);
    r = open_str("Код;\"Наименование, полное\";\"x,\"\"y,z\"\n", 0);
    assert_int_equal(csv_separator(r), ';');
    expect_record(r, 1, 0, 3, "Код", "Наименование, полное", "x,\"y,z");
    csv_close(r);

    /* Lines of spaces only are skipped; later lines do not count. */
    r = open_str("\n   \r\n\ta\tb\nc;d;e;f;g\n", 0);
    assert_int_equal(csv_separator(r), '\t');
    csv_close(r);

    /* No separator at all: ','. */
    r = open_str("one column\nsecond;line\n", 0);
    assert_int_equal(csv_separator(r), ',');
    csv_close(r);

    /* A given separator is used as is. */
    r = open_str("a;b,c\n", ',');
    assert_int_equal(csv_separator(r), ',');
    expect_record(r, 1, 0, 2, "a;b", "c");
    csv_close(r);
}

static void test_csv_quoted_fields(void **state)
{
    (void)state;
    csv_reader *r = open_str("\"a,b\",\"say \"\"hi\"\"\",\"\",\"\"\"\"\n"
                             "\"МБОУ \"\"СОШ №1\"\"\",x\n",
                             ',');
    expect_record(r, 1, 0, 4, "a,b", "say \"hi\"", "", "\"");
    expect_record(r, 2, 0, 2, "МБОУ \"СОШ №1\"", "x");
    expect_end(r);
    csv_close(r);

    /* A quoted field ending the text without a line end. */
    r = open_str("a;\"b;\"\"c\"", ';');
    expect_record(r, 1, 0, 2, "a", "b;\"c");
    expect_end(r);
    csv_close(r);
}

static void test_csv_newlines_inside_quotes(void **state)
{
    (void)state;
    const char *text = "id;text;tail\r\n"
                       "1;\"line one\r\nline two\nline three\";end\r\n"
                       "2;\"cr\ronly\";x\r\n";
    csv_reader *r = open_str(text, 0);
    expect_record(r, 1, 0, 3, "id", "text", "tail");

    csv_record rec;
    char err[200];
    assert_int_equal(csv_next(r, &rec, err, sizeof err), 1);
    assert_int_equal(rec.line, 2);
    assert_int_equal(rec.nfields, 3);
    assert_string_equal(rec.fields[1], "line one\r\nline two\nline three");
    assert_string_equal(rec.fields[2], "end");
    assert_int_equal(rec.field_lines[0], 2);
    assert_int_equal(rec.field_lines[1], 2);
    assert_int_equal(rec.field_lines[2], 4);

    assert_int_equal(csv_next(r, &rec, err, sizeof err), 1);
    assert_int_equal(rec.line, 5);
    assert_string_equal(rec.fields[1], "cr\ronly");
    assert_int_equal(rec.field_lines[1], 5);
    assert_int_equal(rec.field_lines[2], 6);
    expect_end(r);
    csv_close(r);
}

static void test_csv_line_ends(void **state)
{
    (void)state;
    csv_reader *r = open_str("a,b\nc,d\r\ne,f\rg,h", 0);
    expect_record(r, 1, 0, 2, "a", "b");
    expect_record(r, 2, 0, 2, "c", "d");
    expect_record(r, 3, 0, 2, "e", "f");
    expect_record(r, 4, 0, 2, "g", "h");
    expect_end(r);
    csv_close(r);

    /* CR then CRLF is two line ends; LF CR is two as well. */
    r = open_str("a\r\r\nb\n\rc\n", 0);
    expect_record(r, 1, 0, 1, "a");
    expect_record(r, 2, 1, 1, "");
    expect_record(r, 3, 0, 1, "b");
    expect_record(r, 4, 1, 1, "");
    expect_record(r, 5, 0, 1, "c");
    expect_end(r);
    csv_close(r);

    /* The last line without a line end, ending in an empty field. */
    r = open_str("x;y\n1;", 0);
    expect_record(r, 1, 0, 2, "x", "y");
    expect_record(r, 2, 0, 2, "1", "");
    expect_end(r);
    csv_close(r);
}

static void test_csv_blank_lines(void **state)
{
    (void)state;
    csv_reader *r = open_str("a;b\n\n   \n;;;\n \"\" ; \n\"\";\"  \"\nc;d\n\n", 0);
    expect_record(r, 1, 0, 2, "a", "b");
    expect_record(r, 2, 1, 1, "");
    expect_record(r, 3, 1, 1, "   ");
    expect_record(r, 4, 1, 4, "", "", "", "");
    /* ' "" ' does not start with a quote, so it is text, and not blank. */
    expect_record(r, 5, 0, 2, " \"\" ", " ");
    expect_record(r, 6, 1, 2, "", "  ");
    expect_record(r, 7, 0, 2, "c", "d");
    expect_record(r, 8, 1, 1, "");
    expect_end(r);
    csv_close(r);

    /* A blank line that is the whole text. */
    r = open_str("\r\n", 0);
    expect_record(r, 1, 1, 1, "");
    expect_end(r);
    csv_close(r);
}

static void test_csv_spaces_are_kept(void **state)
{
    (void)state;
    csv_reader *r = open_str("  a  ; b;c \n", 0);
    expect_record(r, 1, 0, 3, "  a  ", " b", "c ");
    csv_close(r);
}

static void test_csv_stray_quote_is_text(void **state)
{
    (void)state;
    csv_reader *r = open_str("труба 12\";a\"b\"c;x\"\n", 0);
    expect_record(r, 1, 0, 3, "труба 12\"", "a\"b\"c", "x\"");
    expect_end(r);
    csv_close(r);
}

/* "Школа "Лицей"" is a quote that was not doubled: reading on would store
   Школа Лицей"" without a word, so it is an error; spaces may follow. */
static void test_csv_text_after_closing_quote_is_an_error(void **state)
{
    (void)state;
    csv_reader *r = open_str("\"ab\"  ,\"x\"\"y\"\n", ',');
    expect_record(r, 1, 0, 2, "ab  ", "x\"y");
    expect_end(r);
    csv_close(r);
    /* a tab after the quote is the separator when tabs separate */
    r = open_str("\"ab\"\t\"c\"\n", '\t');
    expect_record(r, 1, 0, 2, "ab", "c");
    expect_end(r);
    csv_close(r);
    r = open_str("code;name\nA;\"Школа \"Лицей\"\";Р\n", 0);
    expect_record(r, 1, 0, 2, "code", "name");
    csv_record rec;
    char err[300] = "";
    assert_int_equal(csv_next(r, &rec, err, sizeof err), -1);
    assert_string_equal(err, "line 2, field 2: a quoted field goes on after its closing quote "
                             "(\"Школа \"Лицей\"\";Р…); a quote inside quotes is written "
                             "twice: \"Школа \"\"Лицей\"\"\"");
    csv_close(r);
}

static void test_csv_unterminated_quote_is_an_error(void **state)
{
    (void)state;
    csv_reader *r = open_str("a;b\nc;d\n1;\"opened\n\nstill open;\n", 0);
    expect_record(r, 1, 0, 2, "a", "b");
    expect_record(r, 2, 0, 2, "c", "d");
    csv_record rec;
    char err[200] = "";
    assert_int_equal(csv_next(r, &rec, err, sizeof err), -1);
    assert_string_equal(err, "line 3, field 2: a quoted field opened here is never closed");
    long line = 0;
    size_t field = 0;
    assert_string_equal(csv_failure(r, &line, &field), "a quoted field opened here is never closed");
    assert_int_equal(line, 3);
    assert_int_equal(field, 2);
    /* The error sticks. */
    err[0] = '\0';
    assert_int_equal(csv_next(r, &rec, err, sizeof err), -1);
    assert_string_equal(err, "line 3, field 2: a quoted field opened here is never closed");
    csv_close(r);

    /* A quote alone; a doubled quote at the very end does not close. */
    r = open_str("\"", 0);
    assert_int_equal(csv_next(r, &rec, err, sizeof err), -1);
    assert_string_equal(err, "line 1, field 1: a quoted field opened here is never closed");
    csv_close(r);
    r = open_str("x\r\n\"ab\"\"", 0);
    expect_record(r, 1, 0, 1, "x");
    assert_int_equal(csv_next(r, &rec, err, sizeof err), -1);
    assert_string_equal(err, "line 2, field 1: a quoted field opened here is never closed");
    csv_close(r);
}

static void test_csv_wide_records_grow_the_arrays(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    for (int rec = 0; rec < 3; rec++) {
        int n = rec == 1 ? 1000 : 3;
        for (int i = 0; i < n; i++) {
            sb_printf(&sb, "%s%d", i ? ";" : "", i);
        }
        sb_puts(&sb, "\n");
    }
    csv_reader *r = open_text(sb.data, sb.len, 0);
    csv_record rec;
    char err[200];
    assert_int_equal(csv_next(r, &rec, err, sizeof err), 1);
    assert_int_equal(rec.nfields, 3);
    assert_int_equal(csv_next(r, &rec, err, sizeof err), 1);
    assert_int_equal(rec.nfields, 1000);
    assert_string_equal(rec.fields[999], "999");
    assert_int_equal(rec.field_lines[999], 2);
    assert_int_equal(csv_next(r, &rec, err, sizeof err), 1);
    assert_int_equal(rec.nfields, 3);
    assert_string_equal(rec.fields[2], "2");
    expect_end(r);
    csv_close(r);
    sb_free(&sb);
}

static void test_csv_bom_and_nul(void **state)
{
    (void)state;
    /* A UTF-8 BOM left in the text is skipped (and does not hide ';'). */
    csv_reader *r = open_str("\xEF\xBB\xBF\"Код\";ОО\n", 0);
    assert_int_equal(csv_separator(r), ';');
    expect_record(r, 1, 0, 2, "Код", "ОО");
    csv_close(r);

    /* A NUL inside the text is field text; lens tell the real length. */
    r = open_text("a\0b;\"c\0d\"\n", 10, 0);
    csv_record rec;
    char err[200];
    assert_int_equal(csv_next(r, &rec, err, sizeof err), 1);
    assert_int_equal(rec.nfields, 2);
    assert_int_equal(rec.lens[0], 3);
    assert_memory_equal(rec.fields[0], "a\0b", 4);
    assert_int_equal(rec.lens[1], 3);
    assert_memory_equal(rec.fields[1], "c\0d", 4);
    expect_end(r);
    csv_close(r);

    /* Misuse: no data, no out pointer. */
    assert_int_equal(csv_open(NULL, 0, 0, &r), -1);
    assert_null(r);
    assert_int_equal(csv_open(malloc(1), 0, 0, NULL), -1);
    csv_close(NULL);
}

static void test_csv_cp1251_file_end_to_end(void **state)
{
    (void)state;
    /* "Код ОО;Наименование\r\n0101;\"МБОУ \"\"СОШ №1\"\"\"\r\n" in Windows-1251. */
    static const char raw[] = "\xca\xee\xe4\x20\xce\xce;\xcd\xe0\xe8\xec\xe5\xed\xee\xe2"
                              "\xe0\xed\xe8\xe5\r\n"
                              "0101;\"\xcc\xc1\xce\xd3 \"\"\xd1\xce\xd8 \xb9"
                              "1\"\"\"\r\n";
    char *text = NULL;
    size_t len = 0;
    const char *used = NULL;
    char err[200];
    assert_int_equal(
        enc_to_utf8(raw, sizeof raw - 1, NULL, &text, &len, &used, err, sizeof err), 0);
    assert_string_equal(used, "WINDOWS-1251");
    csv_reader *r = NULL;
    assert_int_equal(csv_open(text, len, 0, &r), 0);
    assert_int_equal(csv_separator(r), ';');
    expect_record(r, 1, 0, 2, "Код ОО", "Наименование");
    expect_record(r, 2, 0, 2, "0101", "МБОУ \"СОШ №1\"");
    expect_end(r);
    csv_close(r);
}

static void test_csv_put_field_quoting(void **state)
{
    (void)state;
    struct {
        const char *in;
        char sep;
        const char *out;
    } cases[] = {
        {"", ',', ""},
        {"plain", ',', "plain"},
        {"Школа №1", ';', "Школа №1"},
        {"a,b", ',', "\"a,b\""},
        {"a,b", ';', "\"a,b\""}, /* any separator: the header's count decides */
        {"a;b", ';', "\"a;b\""},
        {"a\tb", '\t', "\"a\tb\""},
        {"a\tb", ',', "\"a\tb\""},
        {"a;b;c;d", ',', "\"a;b;c;d\""},
        {"say \"hi\"", ',', "\"say \"\"hi\"\"\""},
        {"\"", ',', "\"\"\"\""},
        {"two\nlines", ',', "\"two\nlines\""},
        {"cr\r", ',', "\"cr\r\""},
        {" lead", ',', "\" lead\""},
        {"trail ", ',', "\"trail \""},
        {" ", ',', "\" \""},
        {"in side", ',', "in side"},
        {"\xEF\xBB\xBF" "bom", ',', "\"\xEF\xBB\xBF" "bom\""},
    };
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sb_reset(&sb);
        sb_puts(&sb, "<");
        csv_put_field(&sb, cases[i].in, strlen(cases[i].in), cases[i].sep);
        sb_puts(&sb, ">");
        char want[64];
        snprintf(want, sizeof want, "<%s>", cases[i].out);
        assert_string_equal(sb.data, want);
    }
    sb_free(&sb);
}

/* A small fixed-seed generator, so the round trip is the same every run. */
static unsigned long next_rand(unsigned long *s)
{
    *s = *s * 6364136223846793005UL + 1442695040888963407UL;
    return (*s >> 33) & 0x7fffffffUL;
}

/* Line ends (LF, CRLF, lone CR) in s[0..n), as the reader counts them. */
static long count_line_ends(const char *s, size_t n)
{
    long k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n' || (s[i] == '\r' && !(i + 1 < n && s[i + 1] == '\n'))) {
            k++;
        }
    }
    return k;
}

static void test_csv_round_trip_random_fields(void **state)
{
    (void)state;
    static const char *const pieces[] = {"\"", ",", ";", "\t", "\r", "\n",   "\r\n",
                                         " ",  "a", "Я", "ё",  "0",  "\"\"", "№"};
    const size_t npieces = sizeof pieces / sizeof pieces[0];
    const char seps[] = {',', ';', '\t'};
    enum { NREC = 400, MAXF = 7 };
    unsigned long seed = 20240901;

    for (size_t si = 0; si < sizeof seps; si++) {
        char sep = seps[si];
        strbuf out = STRBUF_INIT;
        strbuf *want = calloc(NREC * MAXF, sizeof *want);
        size_t nf[NREC];
        long line[NREC];
        assert_non_null(want);

        for (size_t r = 0; r < NREC; r++) {
            line[r] = 1 + count_line_ends(out.data, out.len);
            nf[r] = 1 + next_rand(&seed) % MAXF;
            for (size_t f = 0; f < nf[r]; f++) {
                strbuf *w = &want[r * MAXF + f];
                sb_init(w);
                size_t len = next_rand(&seed) % 9;
                for (size_t k = 0; k < len; k++) {
                    sb_puts(w, pieces[next_rand(&seed) % npieces]);
                }
                if (f) {
                    sb_putc(&out, sep);
                }
                csv_put_field(&out, w->data, w->len, sep);
            }
            sb_puts(&out, next_rand(&seed) % 2 ? "\r\n" : "\n");
        }
        assert_false(sb_failed(&out));

        size_t len = out.len;
        csv_reader *rd = NULL;
        assert_int_equal(csv_open(sb_detach(&out), len, sep, &rd), 0);
        for (size_t r = 0; r < NREC; r++) {
            csv_record rec;
            char err[200] = "";
            if (csv_next(rd, &rec, err, sizeof err) != 1) {
                fail_msg("sep %d record %zu: %s", sep, r, err);
            }
            assert_int_equal(rec.line, line[r]);
            assert_int_equal(rec.nfields, nf[r]);
            for (size_t f = 0; f < nf[r]; f++) {
                strbuf *w = &want[r * MAXF + f];
                assert_int_equal(rec.lens[f], w->len);
                assert_memory_equal(rec.fields[f], w->data, w->len + 1);
                sb_free(w);
            }
        }
        expect_end(rd);
        csv_close(rd);
        free(want);
    }
}

/* Writes text through the Excel filter, in one piece or byte by byte (an
   unbuffered stream: every state of the filter meets a write boundary),
   and returns what reached the file (caller frees). */
static char *through_excel(const char *text, int bytewise, size_t *len)
{
    char *data = NULL;
    FILE *to = open_memstream(&data, len);
    assert_non_null(to);
    FILE *x = csv_excel_open(to);
    assert_non_null(x);
    if (bytewise) {
        setvbuf(x, NULL, _IONBF, 0);
        for (const char *p = text; *p; p++) {
            assert_int_equal(fputc(*p, x), (unsigned char)*p);
        }
    } else {
        fputs(text, x);
    }
    assert_int_equal(fclose(x), 0);
    assert_int_equal(fclose(to), 0);
    return data;
}

/* CSV for a Russian Excel: BOM, ';', decimal commas, CRLF; quoted fields
   pass as they are (doubled quotes, line breaks), text that Excel would
   read as a formula gets an apostrophe, and what only looks numeric
   (a version, a period, a date, a code) stays as it is. */
static void test_csv_excel_dialect(void **state)
{
    (void)state;
    const char *in =
        "school,indicator,period,value,note\n"
        "A1,i,2023,0.25,plain\n"
        "A2,i,2023,-0.5,\"a, b; c\"\n"
        "A3,i,2023,1e-05,\"say \"\"hi\"\"\"\n"
        "A4,i,2023,12,\"two\nlines\"\n"
        "1.2.3,i,2023,2022/23,2023-01-31\n"
        "=1+1,i,2023,- обсуждение,\"-x, y\"\n"
        "@cmd,i,2023,+7,\"=HYPERLINK(\"\"x\"\")\"\n"
        ",,,,\n"
        "007,i,2023,.5,1.\n"
        "07.10,1.5,2023.5,2023.5,1.10\n"
        "last,i,2023,3.0,";
    const char *want =
        "\xEF\xBB\xBF"
        "school;indicator;period;value;note\r\n"
        "A1;i;2023;0,25;plain\r\n"
        "A2;i;2023;-0,5;\"a, b; c\"\r\n"
        "A3;i;2023;1e-05;\"say \"\"hi\"\"\"\r\n"
        "A4;i;2023;12;\"two\nlines\"\r\n"
        "1.2.3;i;2023;2022/23;2023-01-31\r\n"
        "'=1+1;i;2023;'- обсуждение;\"'-x, y\"\r\n"
        "'@cmd;i;2023;'+7;\"'=HYPERLINK(\"\"x\"\")\"\r\n"
        ";;;;\r\n"
        "007;i;2023;.5;1.\r\n"
        "07.10;1.5;2023.5;2023,5;1.10\r\n" /* only the value column is a number */
        "last;i;2023;3,0;";
    for (int bytewise = 0; bytewise < 2; bytewise++) {
        size_t len = 0;
        char *got = through_excel(in, bytewise, &len);
        if (len != strlen(want) || memcmp(got, want, len) != 0) {
            fail_msg("bytewise %d:\n--- got\n%.*s\n--- expected\n%s", bytewise, (int)len, got,
                     want);
        }
        free(got);
    }
    /* nothing written, nothing out: not even the mark */
    size_t len = 1;
    char *got = through_excel("", 0, &len);
    assert_int_equal(len, 0);
    free(got);
    /* and what it wrote reads back as the same fields */
    got = through_excel(in, 0, &len);
    csv_reader *rd;
    char *copy = malloc(len + 1);
    memcpy(copy, got + 3, len - 3);
    copy[len - 3] = '\0';
    assert_int_equal(csv_open(copy, len - 3, 0, &rd), 0);
    assert_int_equal(csv_separator(rd), ';');
    csv_record rec;
    char err[128];
    for (int i = 0; i < 4; i++) {
        assert_int_equal(csv_next(rd, &rec, err, sizeof err), 1);
    }
    assert_int_equal(rec.nfields, 5);
    assert_string_equal(rec.fields[4], "say \"hi\"");
    assert_int_equal(csv_next(rd, &rec, err, sizeof err), 1);
    assert_string_equal(rec.fields[4], "two\nlines");
    csv_close(rd);
    free(got);
}

/* Which columns take a decimal comma is the table's, told by its header: a
   table not known to hold measured numbers (a schools register, whose
   attribute may be named "max") keeps its dotted text; header names get the
   formula guard too; the targets' header, extended, is known. */
static void test_csv_excel_numbers_by_table(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"code,name,territory,region,kind,settlement,max,-rank,@x\n"
         "07.10,Школа,Р,,,,0.5,2.5,1\n",
         "code;name;territory;region;kind;settlement;max;'-rank;'@x\r\n"
         "07.10;Школа;Р;;;;0.5;2.5;1\r\n"},
        {"school,indicator,period,valuex\nA,i,2023,0.5\n",
         "school;indicator;period;valuex\r\nA;i;2023;0.5\r\n"},
        {"code,title,unit,better,min,max\nq,Q,share,lower,0.1,0.9\n",
         "code;title;unit;better;min;max\r\nq;Q;share;lower;0,1;0,9\r\n"},
        {"target,kind,scope,indicator,baseline_period,baseline,period,actual,threshold,status,"
         "reason,method,checkpoint,title,pack,run\n"
         "t,at_most,all,fail,2022,0.25,2023,0.2,0.3,met,,,,T,p1.5,3\n",
         "target;kind;scope;indicator;baseline_period;baseline;period;actual;threshold;status;"
         "reason;method;checkpoint;title;pack;run\r\n"
         "t;at_most;all;fail;2022;0,25;2023;0,2;0,3;met;;;;T;p1.5;3\r\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = 0;
        char *got = through_excel(cases[i].in, (int)(i & 1), &len);
        if (len < 3 || len - 3 != strlen(cases[i].want) ||
            memcmp(got + 3, cases[i].want, len - 3) != 0) {
            fail_msg("case %zu:\n--- got\n%.*s\n--- expected\n%s", i, (int)len, got,
                     cases[i].want);
        }
        free(got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_simple_records),
        cmocka_unit_test(test_csv_detects_separator),
        cmocka_unit_test(test_csv_quoted_fields),
        cmocka_unit_test(test_csv_newlines_inside_quotes),
        cmocka_unit_test(test_csv_line_ends),
        cmocka_unit_test(test_csv_blank_lines),
        cmocka_unit_test(test_csv_spaces_are_kept),
        cmocka_unit_test(test_csv_stray_quote_is_text),
        cmocka_unit_test(test_csv_text_after_closing_quote_is_an_error),
        cmocka_unit_test(test_csv_unterminated_quote_is_an_error),
        cmocka_unit_test(test_csv_wide_records_grow_the_arrays),
        cmocka_unit_test(test_csv_bom_and_nul),
        cmocka_unit_test(test_csv_cp1251_file_end_to_end),
        cmocka_unit_test(test_csv_put_field_quoting),
        cmocka_unit_test(test_csv_round_trip_random_fields),
        cmocka_unit_test(test_csv_excel_dialect),
        cmocka_unit_test(test_csv_excel_numbers_by_table),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
