/*
 * test_encoding.c — detecting and converting the encodings spreadsheets save.
 */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "encoding.h"

/* "Код ОО;Наименование\r\n0101;МБОУ «СОШ №1»\r\n" in Windows-1251. */
static const char cp1251_text[] =
    "\xca\xee\xe4\x20\xce\xce;\xcd\xe0\xe8\xec\xe5\xed\xee\xe2"
    "\xe0\xed\xe8\xe5\r\n"
    "0101;\xcc\xc1\xce\xd3 \xab\xd1\xce\xd8 \xb9"
    "1\xbb\r\n";
static const char cp1251_as_utf8[] = "Код ОО;Наименование\r\n0101;МБОУ «СОШ №1»\r\n";

/* Converts data and asserts success; returns the malloc'ed text. */
static char *convert_ok(const char *data, size_t len, const char *enc,
                        const char *want_used, size_t *outlen)
{
    char *out = (char *)1;
    size_t n = 99;
    const char *used = NULL;
    char err[256] = "";
    int rc = enc_to_utf8(data, len, enc, &out, &n, &used, err, sizeof err);
    if (rc != 0) {
        fail_msg("enc_to_utf8 failed: %s", err);
    }
    assert_non_null(out);
    assert_int_equal(out[n], '\0');
    if (want_used) {
        assert_non_null(used);
        assert_string_equal(used, want_used);
    }
    if (outlen) {
        *outlen = n;
    }
    return out;
}

/* Converts data, asserts failure and that the message contains want. */
static void convert_fails(const char *data, size_t len, const char *enc, const char *want)
{
    char *out = (char *)1;
    size_t n = 99;
    char err[256] = "";
    assert_int_equal(enc_to_utf8(data, len, enc, &out, &n, NULL, err, sizeof err), -1);
    assert_null(out);
    if (!strstr(err, want)) {
        fail_msg("message '%s' lacks '%s'", err, want);
    }
}

static void test_encoding_plain_utf8_passes_through(void **state)
{
    (void)state;
    const char *text = "Код;Имя\nИванов;Ёлка 𝄞\n";
    size_t n;
    char *out = convert_ok(text, strlen(text), NULL, "UTF-8", &n);
    assert_int_equal(n, strlen(text));
    assert_string_equal(out, text);
    free(out);

    out = convert_ok(text, strlen(text), "auto", "UTF-8", &n);
    assert_string_equal(out, text);
    free(out);

    out = convert_ok("", 0, NULL, "UTF-8", &n);
    assert_int_equal(n, 0);
    assert_string_equal(out, "");
    free(out);
}

static void test_encoding_utf8_bom_is_stripped(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF"
                       "Код;ОО\r\n";
    size_t n;
    char *out = convert_ok(text, strlen(text), NULL, "UTF-8 with BOM", &n);
    assert_string_equal(out, "Код;ОО\r\n");
    assert_int_equal(n, strlen("Код;ОО\r\n"));
    free(out);

    /* A BOM alone is an empty text. */
    out = convert_ok("\xEF\xBB\xBF", 3, NULL, "UTF-8 with BOM", &n);
    assert_int_equal(n, 0);
    free(out);

    /* Forced UTF-8 drops the BOM too, and reports the name as given. */
    out = convert_ok(text, strlen(text), "UTF8", "UTF8", &n);
    assert_string_equal(out, "Код;ОО\r\n");
    free(out);
}

static void test_encoding_utf16_with_bom(void **state)
{
    (void)state;
    /* "Код;ОО\r\nЁж\r\n" */
    static const char le[] =
        "\xFF\xFE"
        "\x1a\x04\x3e\x04\x34\x04\x3b\x00\x1e\x04\x1e\x04\x0d\x00\x0a\x00"
        "\x01\x04\x36\x04\x0d\x00\x0a\x00";
    static const char be[] =
        "\xFE\xFF"
        "\x04\x1a\x04\x3e\x04\x34\x00\x3b\x04\x1e\x04\x1e\x00\x0d\x00\x0a"
        "\x04\x01\x04\x36\x00\x0d\x00\x0a";
    size_t n;
    char *out = convert_ok(le, sizeof le - 1, NULL, "UTF-16LE", &n);
    assert_string_equal(out, "Код;ОО\r\nЁж\r\n");
    assert_int_equal(n, strlen("Код;ОО\r\nЁж\r\n"));
    free(out);

    out = convert_ok(be, sizeof be - 1, NULL, "UTF-16BE", &n);
    assert_string_equal(out, "Код;ОО\r\nЁж\r\n");
    free(out);

    /* Forced UTF-16LE on a file with the BOM: the U+FEFF is dropped. */
    out = convert_ok(le, sizeof le - 1, "UTF-16LE", "UTF-16LE", &n);
    assert_string_equal(out, "Код;ОО\r\nЁж\r\n");
    free(out);

    /* A U+0000 in UTF-16 is the NUL error, on line 2 after "Ё". */
    static const char nul[] = "\xFF\xFE"
                              "\x1a\x04\x0a\x00\x01\x04\x00\x00";
    convert_fails(nul, sizeof nul - 1, NULL,
                  "line 2, column 2: NUL byte; is this a binary file?");

    /* A lone surrogate is named as the 16-bit unit it is. */
    convert_fails("\xFF\xFE\x41\x00\x00\xD8\x41\x00", 8, NULL,
                  "line 1, column 2: unit 0xD800 is not valid UTF-16LE");

    /* An odd number of bytes ends inside a character. */
    convert_fails(le, sizeof le - 2, NULL,
                  "line 3, column 1: the text ends inside a UTF-16LE");
}

static void test_encoding_cp1251_is_detected(void **state)
{
    (void)state;
    size_t n;
    char *out = convert_ok(cp1251_text, sizeof cp1251_text - 1, NULL, "WINDOWS-1251", &n);
    assert_string_equal(out, cp1251_as_utf8);
    assert_int_equal(n, strlen(cp1251_as_utf8));
    free(out);

    /* Every byte but 0x98 is a character; all of them together convert. */
    char all[255];
    size_t k = 0;
    for (int b = 1; b < 256; b++) {
        if (b != 0x98) {
            all[k++] = (char)b;
        }
    }
    out = convert_ok(all, k, NULL, "WINDOWS-1251", &n);
    assert_true(utf8_valid(out, n, NULL));
    assert_non_null(strstr(out, "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
                                "абвгдежзийклмнопрстуфхцчшщъыьэюя"));
    assert_non_null(strstr(out, "Ё"));
    assert_non_null(strstr(out, "ё№"));
    free(out);
}

static void test_encoding_cp1251_0x98_is_rejected(void **state)
{
    (void)state;
    /* "Ок\n" then 0x98 in Windows-1251: neither UTF-8 nor Windows-1251. */
    convert_fails(
        "\xce\xea\n\x98", 4, NULL,
        "line 2, column 1: byte 0x98 is not valid WINDOWS-1251; nor is it UTF-8 "
        "(line 1, column 1: byte 0xCE)");
    /* UTF-8 "И" is D0 98: forced Windows-1251 stops at its second byte. */
    convert_fails("ab\nИва", strlen("ab\nИва"), "cp1251",
                  "line 2, column 2: byte 0x98 is not valid cp1251");
}

/* A UTF-8 file with a Windows-1251 line pasted in, or one stray byte, is a
   broken UTF-8 file, not a Windows-1251 one: reading it as Windows-1251
   would garble every other name in it. */
static void test_encoding_mostly_utf8_is_not_cp1251(void **state)
{
    (void)state;
    /* "Школа №1\nМКОУ\n" in UTF-8, then "Школа" in Windows-1251 */
    const char mixed[] = "\xd0\xa8\xd0\xba\xd0\xbe\xd0\xbb\xd0\xb0 \xe2\x84\x96" "1\n"
                         "\xd0\x9c\xd0\x9a\xd0\x9e\xd0\xa3\n"
                         "\xd8\xea\xee\xeb\xe0\n";
    convert_fails(mixed, sizeof mixed - 1, NULL,
                  "line 3, column 1: byte 0xD8 is not UTF-8 (Windows-1251?), yet line 1, "
                  "column 1 is UTF-8 text: the file mixes two encodings, a line pasted from a "
                  "file of the other (10 non-ASCII characters valid UTF-8, 5 bytes not)");
    /* one stray byte */
    const char stray[] = "\xd0\xa8\xd0\xba\xd0\xbe\xd0\xbb\xd0\xb0 \xff\n";
    convert_fails(stray, sizeof stray - 1, NULL,
                  "line 1, column 7: byte 0xFF is not valid UTF-8, yet the file holds "
                  "UTF-8 text (5 non-ASCII characters valid, 1 byte not)");
    /* a pasted line longer than the UTF-8 around it, or a UTF-8 line pasted
       into a Windows-1251 file: either way two encodings, both places named
       (read as either, the other part would be garbled without a word) */
    const char longer[] = "code,name\n1,\xd0\xa8\xd0\xba\xd0\xbe\xd0\xbb\xd0\xb0\n"
                          "2,\xd1\xf0\xe5\xe4\xed\xff\xff "
                          "\xee\xe1\xf9\xe5\xee\xe1\xf0\xe0\xe7\xee\xe2\xe0\xf2\xe5\xeb\xfc\xed\xe0\xff "
                          "\xf8\xea\xee\xeb\xe0\n"; /* «Средняя общеобразовательная школа» */
    convert_fails(longer, sizeof longer - 1, NULL,
                  "line 3, column 3: byte 0xD1 is not UTF-8 (Windows-1251?), yet line 2, "
                  "column 3 is UTF-8 text: the file mixes two encodings");
    /* «Средняя общеобразовательная школа №1;Район» in Windows-1251, «Школа» in UTF-8 */
    const char reverse[] = "code;name;territory\n1;\xd1\xf0\xe5\xe4\xed\xff\xff "
                           "\xee\xe1\xf9\xe5\xee\xe1\xf0\xe0\xe7\xee\xe2\xe0\xf2\xe5\xeb\xfc\xed\xe0\xff "
                           "\xf8\xea\xee\xeb\xe0 \xb9" "1;\xd0\xe0\xe9\xee\xed\n2;"
                           "\xd0\xa8\xd0\xba\xd0\xbe\xd0\xbb\xd0\xb0;T\n";
    convert_fails(reverse, sizeof reverse - 1, NULL,
                  "line 2, column 3: byte 0xD1 is not UTF-8 (Windows-1251?), yet line 3, "
                  "column 3 is UTF-8 text");
    /* Windows-1251 whose «КЛАСС» happens to hold a valid UTF-8 pair (С» is
       D1 BB) is still Windows-1251 */
    const char cp[] = "\xab\xca\xcb\xc0\xd1\xd1\xbb \xf8\xea\xee\xeb\xfb\n";
    char *out = convert_ok(cp, sizeof cp - 1, NULL, "WINDOWS-1251", NULL);
    assert_string_equal(out, "«КЛАСС» школы\n");
    free(out);
    /* and forcing the encoding still reads what a person says it is */
    out = convert_ok(mixed, sizeof mixed - 1, "cp1251", "cp1251", NULL);
    assert_non_null(strstr(out, "Школа\n"));
    free(out);
}

static void test_encoding_forced_names(void **state)
{
    (void)state;
    const char *names[] = {"cp1251",       "CP1251", "windows-1251",
                           "Windows-1251", "1251",   "WINDOWS-1251"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *out =
            convert_ok(cp1251_text, sizeof cp1251_text - 1, names[i], names[i], NULL);
        assert_string_equal(out, cp1251_as_utf8);
        free(out);
    }

    /* Valid UTF-8 forced to Windows-1251 is read as Windows-1251. */
    char *out = convert_ok("\xd0\x9a", 2, "cp1251", "cp1251", NULL);
    assert_string_equal(out, "Рљ");
    free(out);

    /* Any name iconv knows: "привет" in KOI8-R. */
    out = convert_ok("\xd0\xd2\xc9\xd7\xc5\xd4", 6, "KOI8-R", "KOI8-R", NULL);
    assert_string_equal(out, "привет");
    free(out);

    /* Forced UTF-8 on plain UTF-8. */
    out = convert_ok("Код", strlen("Код"), "utf-8", "utf-8", NULL);
    assert_string_equal(out, "Код");
    free(out);
}

static void test_encoding_forced_utf8_names_line_and_column(void **state)
{
    (void)state;
    /* Windows-1251 forced to UTF-8: 0xCA ("К") is a lead byte without a
       continuation byte after it. */
    convert_fails(cp1251_text, sizeof cp1251_text - 1, "utf-8",
                  "line 1, column 1: byte 0xCA is not valid utf-8");

    const char *text = "Код;ОО\r\nЁж;\xff\n";
    convert_fails(text, strlen(text), "UTF-8",
                  "line 2, column 4: byte 0xFF is not valid UTF-8");
    /* Lone CR ends a line too; columns count characters, not bytes. */
    text = "a\rб\r\nвгд\xC0\x80";
    convert_fails(text, strlen(text), "utf8",
                  "line 3, column 4: byte 0xC0 is not valid utf8");
    /* A truncated sequence at the end is reported at its first byte. */
    text = "ok\nёж\xD0";
    convert_fails(text, strlen(text), "utf-8",
                  "line 2, column 3: byte 0xD0 is not valid");
}

static void test_encoding_nul_byte_is_an_error(void **state)
{
    (void)state;
    convert_fails("a;b\nc\0d\n", 8, NULL,
                  "line 2, column 2: NUL byte; is this a binary file?");
    convert_fails("a;b\nc\0d\n", 8, "utf-8", "line 2, column 2: NUL byte");
    /* In Windows-1251 text (0xCA is not UTF-8), columns count characters. */
    convert_fails("\xca\xee\xe4\r\n\xe4\xe4\0", 8, NULL, "line 2, column 3: NUL byte");
    convert_fails("\xca\xee\xe4\r\n\xe4\xe4\0", 8, "cp1251",
                  "line 2, column 3: NUL byte");
    /* A NUL comes first in the text, so it is reported before a bad byte. */
    convert_fails("\0\xff", 2, "utf-8", "line 1, column 1: NUL byte");
    /* A workbook given by mistake (an .xlsx is a zip file, an .xls an OLE
       file) is named, with what to do, whatever the encoding asked for */
    convert_fails("PK\x03\x04\x14\x00\x06\x00", 8, NULL,
                  "this is a workbook (XLSX or ODS, a ZIP archive), not CSV text; save the "
                  "sheet as CSV (in Excel: «Файл» → «Сохранить как» → «CSV UTF-8 "
                  "(разделитель — запятая)») and import that file");
    convert_fails("PK\x03\x04\x14\x00\x06\x00", 8, "cp1251", "this is a workbook (XLSX");
    convert_fails("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0", 10, NULL,
                  "this is an Excel 97-2003 workbook (XLS), not CSV text; save the sheet");
    /* Excel's XML spreadsheet and a web site's HTML "report.xls" */
    const char *xml = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<Workbook xmlns=\"urn:schemas-"
                      "microsoft-com:office:spreadsheet\">";
    convert_fails(xml, strlen(xml), NULL,
                  "this is an XML file (such as Excel's \"XML Spreadsheet 2003\"), not CSV "
                  "text; save the sheet as CSV");
    const char *html = "\r\n  <HTML><body><table><tr><td>S01</td></tr></table>";
    convert_fails(html, strlen(html), "cp1251",
                  "this is a web page (HTML, as web sites save tables as .xls), not CSV text");
    /* a header that merely starts with '<' is text */
    char *lt = convert_ok("<код>;x\n", strlen("<код>;x\n"), NULL, "UTF-8", NULL);
    free(lt);
    /* text that merely starts with PK is text */
    char *pk = convert_ok("PK;x\n", 5, NULL, "UTF-8", NULL);
    free(pk);
    /* UTF-16 that lost its byte-order mark is named, with what to do */
    convert_fails("c\0o\0d\0e\0,\0t\0i\0t\0\n\0", 18, NULL,
                  "line 1, column 2: NUL byte: the file looks like UTF-16LE without its "
                  "byte-order mark; save it as UTF-8, or give --encoding utf-16le");
    convert_fails("\0c\0o\0d\0e\0,\0t\0i\0t\0\n", 18, NULL,
                  "the file looks like UTF-16BE without its byte-order mark");
    /* with its mark, and another encoding forced: the mark is named
       (regression: "UTF-16LE without its byte-order mark") */
    convert_fails("\xFF\xFE" "c\0o\0d\0e\0\n\0", 12, "cp1251",
                  "the file starts with a UTF-16LE byte-order mark, but --encoding cp1251 was "
                  "given; leave --encoding out (the mark is read) or give --encoding utf-16");
    /* Russian text has few NULs there: Cyrillic's high byte is 0x04
       («Код ОО;Школа» in UTF-16LE; regression: "is this a binary file?") */
    convert_fails("\x1a\x04\x3e\x04\x34\x04\x20\x00\x1e\x04\x1e\x04\x3b\x00"
                  "\x28\x04\x3a\x04\x3e\x04\x3b\x04\x30\x04\x0a\x00",
                  26, NULL, "the file looks like UTF-16LE without its byte-order mark");
}

static void test_encoding_unknown_name(void **state)
{
    (void)state;
    convert_fails("abc", 3, "klingon-8", "unknown encoding 'klingon-8'");
}

static void test_encoding_utf8_valid_edges(void **state)
{
    (void)state;
    size_t bad = 12345;
    assert_true(utf8_valid("", 0, &bad));
    assert_int_equal(bad, 12345);
    assert_true(
        utf8_valid("plain ascii text that is longer than sixteen bytes", 50, NULL));
    assert_true(
        utf8_valid("Ёж \xC2\x80 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 "
                   "\xEF\xBF\xBF \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF",
                   strlen("Ёж \xC2\x80 \xDF\xBF \xE0\xA0\x80 \xED\x9F\xBF \xEE\x80\x80 "
                          "\xEF\xBF\xBF \xF0\x90\x80\x80 \xF4\x8F\xBF\xBF"),
                   &bad));

    struct {
        const char *s;
        size_t len;
        size_t bad;
    } cases[] = {
        {"\xC0\x80", 2, 0},                   /* overlong NUL */
        {"ab\xC1\xBF", 4, 2},                 /* overlong 'DEL' */
        {"\xE0\x9F\xBF", 3, 0},               /* overlong 3-byte */
        {"\xF0\x8F\xBF\xBF", 4, 0},           /* overlong 4-byte */
        {"x\xED\xA0\x80", 4, 1},              /* surrogate D800 */
        {"\xED\xBF\xBF", 3, 0},               /* surrogate DFFF */
        {"\xF4\x90\x80\x80", 4, 0},           /* U+110000 */
        {"\xF5\x80\x80\x80", 4, 0},           /* lead past F4 */
        {"\xFF", 1, 0},                       /* never valid */
        {"abc\x80", 4, 3},                    /* lone continuation */
        {"\xD0", 1, 0},                       /* truncated at the end */
        {"\xE2\x84", 2, 0},                   /* truncated 3-byte */
        {"\xF0\x9D\x84", 3, 0},               /* truncated 4-byte */
        {"\xD0\x41", 2, 0},                   /* lead then ASCII */
        {"\xE2\x84\x41", 3, 0},               /* missing third byte */
        {"0123456789abcdef\xD0\xD0", 18, 16}, /* after the ASCII fast path */
        {"Код\xD0", 7, 6},                    /* after Cyrillic */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bad = 999;
        if (utf8_valid(cases[i].s, cases[i].len, &bad)) {
            fail_msg("case %zu accepted", i);
        }
        if (bad != cases[i].bad) {
            fail_msg("case %zu: bad at %zu, want %zu", i, bad, cases[i].bad);
        }
        assert_false(utf8_valid(cases[i].s, cases[i].len, NULL));
    }

    /* A bad byte at every offset of a long ASCII run is found there. */
    char buf[64];
    for (size_t at = 0; at < sizeof buf; at++) {
        memset(buf, 'a', sizeof buf);
        buf[at] = (char)0x80;
        assert_false(utf8_valid(buf, sizeof buf, &bad));
        assert_int_equal(bad, at);
    }
}

/* The owning variant gives what enc_to_utf8 gives, for every kind of input,
   and keeps UTF-8 bytes in their own buffer instead of copying them. */
static void test_encoding_owned_matches_copying(void **state)
{
    (void)state;
    static const struct {
        const char *data;
        size_t len;
        const char *enc;
        int in_place;
    } cases[] = {
        {"Код;Имя\nИванов;1\n", sizeof "Код;Имя\nИванов;1\n" - 1, NULL, 1},
        {"\xEF\xBB\xBFКод\n", sizeof "\xEF\xBB\xBFКод\n" - 1, "auto", 1},
        {"\xEF\xBB\xBFКод\n", sizeof "\xEF\xBB\xBFКод\n" - 1, "utf8", 1},
        {cp1251_text, sizeof cp1251_text - 1, NULL, 0},
        {cp1251_text, sizeof cp1251_text - 1, "cp1251", 0},
        {"\xFF\xFEK\0o\0\n\0", 8, NULL, 0},
        {"ab\ncd\xC3(\n", 8, "utf-8", 0},     /* invalid in a forced UTF-8 */
        {"ab\n\0cd\n", 7, NULL, 0},           /* a NUL byte */
        {"PK\x03\x04\x14\0", 6, NULL, 0},     /* a workbook */
        {"\xEF\xBB\xBF\xC3(", 5, NULL, 0}, /* BOM, then invalid */
        {"", 0, NULL, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        const char *ua = NULL, *ub = NULL;
        char ea[256] = "", eb[256] = "";
        int ra = enc_to_utf8(cases[i].data, cases[i].len, cases[i].enc, &a, &na, &ua, ea,
                             sizeof ea);
        char *owned = malloc(cases[i].len + 1);
        memcpy(owned, cases[i].data, cases[i].len);
        int rb = enc_to_utf8_owned(owned, cases[i].len, cases[i].enc, &b, &nb, &ub, eb,
                                   sizeof eb);
        assert_int_equal(ra, rb);
        assert_string_equal(ea, eb);
        if (ra == 0) {
            assert_int_equal(na, nb);
            assert_memory_equal(a, b, na + 1);
            assert_string_equal(ua, ub);
            assert_int_equal(b == owned, cases[i].in_place);
        } else {
            assert_null(b);
        }
        free(a);
        free(b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encoding_plain_utf8_passes_through),
        cmocka_unit_test(test_encoding_utf8_bom_is_stripped),
        cmocka_unit_test(test_encoding_utf16_with_bom),
        cmocka_unit_test(test_encoding_cp1251_is_detected),
        cmocka_unit_test(test_encoding_cp1251_0x98_is_rejected),
        cmocka_unit_test(test_encoding_mostly_utf8_is_not_cp1251),
        cmocka_unit_test(test_encoding_forced_names),
        cmocka_unit_test(test_encoding_forced_utf8_names_line_and_column),
        cmocka_unit_test(test_encoding_nul_byte_is_an_error),
        cmocka_unit_test(test_encoding_unknown_name),
        cmocka_unit_test(test_encoding_utf8_valid_edges),
        cmocka_unit_test(test_encoding_owned_matches_copying),
    };
    return cmocka_run_group_tests_name("encoding", tests, NULL, NULL);
}
