/*
 * test_json.c — the streaming JSON writer: nesting and commas, compact and
 * pretty layout, string escaping, numbers, invalid UTF-8, deep nesting and
 * misuse.
 */
#include "testutil.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "strbuf.h"

/* One school record with every kind of value and both empty containers. */
static void write_school(json_writer *w)
{
    jw_obj_begin(w);
    jw_kstr(w, "code", "05001");
    jw_kstr(w, "name", "МКОУ «Ванашимахинская СОШ»");
    jw_kint(w, "pupils", 312);
    jw_knum(w, "share2", 0.125);
    jw_key(w, "flags");
    jw_arr_begin(w);
    jw_bool(w, 1);
    jw_bool(w, 0);
    jw_null(w);
    jw_arr_end(w);
    jw_key(w, "reasons");
    jw_obj_begin(w);
    jw_obj_end(w);
    jw_key(w, "activities");
    jw_arr_begin(w);
    jw_arr_end(w);
    jw_key(w, "nested");
    jw_obj_begin(w);
    jw_key(w, "a");
    jw_arr_begin(w);
    jw_arr_begin(w);
    jw_int(w, 1);
    jw_arr_end(w);
    jw_obj_begin(w);
    jw_obj_end(w);
    jw_str(w, "x");
    jw_arr_end(w);
    jw_obj_end(w);
    jw_obj_end(w);
}

static void test_json_compact_nesting_and_commas(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 0);
    write_school(&w);
    assert_string_equal(sb.data,
                        "{\"code\":\"05001\",\"name\":\"МКОУ «Ванашимахинская СОШ»\","
                        "\"pupils\":312,\"share2\":0.125,"
                        "\"flags\":[true,false,null],\"reasons\":{},"
                        "\"activities\":[],\"nested\":{\"a\":[[1],{},\"x\"]}}");
    assert_int_equal(w.depth, 0);
    assert_false(sb_failed(&sb));
    sb_free(&sb);
}

/* ';'-separated ids as a list: empty parts skipped, none at all is []. */
static void test_json_id_lists(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 0);
    jw_obj_begin(&w);
    jw_kids(&w, "a", "fed_list;list_500plus");
    jw_kids(&w, "b", "+x;;-y;");
    jw_kids(&w, "c", "");
    jw_kids(&w, "d", NULL);
    jw_obj_end(&w);
    assert_string_equal(sb.data,
                        "{\"a\":[\"fed_list\",\"list_500plus\"],\"b\":[\"+x\",\"-y\"],"
                        "\"c\":[],\"d\":[]}");
    sb_free(&sb);
}

static void test_json_pretty_layout(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 1);
    write_school(&w);
    assert_string_equal(sb.data, "{\n"
                                 "  \"code\": \"05001\",\n"
                                 "  \"name\": \"МКОУ «Ванашимахинская СОШ»\",\n"
                                 "  \"pupils\": 312,\n"
                                 "  \"share2\": 0.125,\n"
                                 "  \"flags\": [\n"
                                 "    true,\n"
                                 "    false,\n"
                                 "    null\n"
                                 "  ],\n"
                                 "  \"reasons\": {},\n"
                                 "  \"activities\": [],\n"
                                 "  \"nested\": {\n"
                                 "    \"a\": [\n"
                                 "      [\n"
                                 "        1\n"
                                 "      ],\n"
                                 "      {},\n"
                                 "      \"x\"\n"
                                 "    ]\n"
                                 "  }\n"
                                 "}");
    sb_free(&sb);

    /* Empty containers at the top level, and scalars there. */
    jw_init(&w, &sb, 1);
    jw_arr_begin(&w);
    jw_arr_end(&w);
    assert_string_equal(sb.data, "[]");
    sb_free(&sb);
    jw_init(&w, &sb, 1);
    jw_str(&w, "ШНОР");
    assert_string_equal(sb.data, "\"ШНОР\"");
    sb_free(&sb);
}

/* json_quote of n bytes of s, malloc'ed. */
static char *quote(const char *s, size_t n)
{
    strbuf sb = STRBUF_INIT;
    json_quote(&sb, s, n);
    assert_false(sb_failed(&sb));
    return sb_detach(&sb);
}

#define assert_quotes(lit, want)                                                         \
    do {                                                                                 \
        char *got_ = quote(lit, sizeof(lit) - 1);                                        \
        assert_string_equal(got_, want);                                                 \
        free(got_);                                                                      \
    } while (0)

static void test_json_escapes_every_class(void **state)
{
    (void)state;
    assert_quotes("", "\"\"");
    assert_quotes("plain / text", "\"plain / text\"");
    assert_quotes("\"", "\"\\\"\"");
    assert_quotes("\\", "\"\\\\\"");
    assert_quotes("\b\f\n\r\t", "\"\\b\\f\\n\\r\\t\"");
    assert_quotes("\x01\x1b\x1f", "\"\\u0001\\u001b\\u001f\"");
    assert_quotes("a\0b", "\"a\\u0000b\"");
    /* DEL and C1 controls are allowed in JSON strings: kept. */
    assert_quotes("\x7f\xc2\x85", "\"\x7f\xc2\x85\"");
    /* U+2028 and U+2029 are escaped (JavaScript line terminators); their
       neighbours U+2027 and U+202A are not. */
    assert_quotes("a\xe2\x80\xa8"
                  "b\xe2\x80\xa9"
                  "c",
                  "\"a\\u2028b\\u2029c\"");
    assert_quotes("\xe2\x80\xa7\xe2\x80\xaa", "\"\xe2\x80\xa7\xe2\x80\xaa\"");
    /* Other UTF-8 is kept as is: Cyrillic, «», №, CJK, emoji. */
    assert_quotes("Школа №5 «Лицей» 漢字 😀", "\"Школа №5 «Лицей» 漢字 😀\"");

    /* json_quote appends; n bounds the text. */
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, "x=");
    json_quote(&sb, "abc", 2);
    json_quote(&sb, NULL, 0);
    assert_string_equal(sb.data, "x=\"ab\"\"\"");
    sb_free(&sb);

    /* Keys are escaped too; jw_strn takes embedded NULs. */
    json_writer w;
    jw_init(&w, &sb, 0);
    jw_obj_begin(&w);
    jw_key(&w, "k\"\n");
    jw_strn(&w, "a\0b", 3);
    jw_kstr(&w, "none", NULL);
    jw_key(&w, "n");
    jw_strn(&w, NULL, 3);
    jw_obj_end(&w);
    assert_string_equal(sb.data, "{\"k\\\"\\n\":\"a\\u0000b\",\"none\":null,\"n\":null}");
    sb_free(&sb);
}

#define FFFD "\xef\xbf\xbd"

static void test_json_invalid_utf8_replaced(void **state)
{
    (void)state;
    assert_quotes("\xff", "\"" FFFD "\"");
    assert_quotes("a\xc3", "\"a" FFFD "\"");                 /* truncated at the end */
    assert_quotes("\xe2\x82x", "\"" FFFD FFFD "x\"");        /* truncated, then ASCII */
    assert_quotes("\x80", "\"" FFFD "\"");                   /* stray continuation */
    assert_quotes("\xc0\xaf", "\"" FFFD FFFD "\"");          /* overlong '/' */
    assert_quotes("\xe0\x80\x80", "\"" FFFD FFFD FFFD "\""); /* overlong NUL */
    assert_quotes("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\""); /* surrogate */
    assert_quotes("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""); /* > U+10FFFF */
    assert_quotes("\xf5", "\"" FFFD "\"");
    /* Boundaries that are valid stay. */
    assert_quotes("\xc2\x80\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf",
                  "\"\xc2\x80\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\"");
    /* A Windows-1251 "Школа" becomes five replacement characters. */
    assert_quotes("\xd8\xea\xee\xeb\xe0", "\"" FFFD FFFD FFFD FFFD FFFD "\"");
}

static void test_json_numbers(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 0);
    jw_arr_begin(&w);
    jw_num(&w, 0.1);
    jw_num(&w, 1e-7);
    jw_num(&w, 46);
    jw_num(&w, -0.0);
    jw_num(&w, -3.5);
    jw_num(&w, 0.1 + 0.2);
    jw_num(&w, 1e21);
    jw_num(&w, NAN);
    jw_num(&w, INFINITY);
    jw_num(&w, -INFINITY);
    jw_int(&w, 0);
    jw_int(&w, LLONG_MIN);
    jw_int(&w, LLONG_MAX);
    jw_arr_end(&w);
    assert_string_equal(sb.data, "[0.1,1e-07,46,0,-3.5,0.30000000000000004,1e+21,"
                                 "null,null,null,0,-9223372036854775808,"
                                 "9223372036854775807]");
    sb_free(&sb);

    jw_init(&w, &sb, 1);
    jw_obj_begin(&w);
    jw_knum(&w, "nan", NAN);
    jw_knum(&w, "share", 66.0);
    jw_obj_end(&w);
    assert_string_equal(sb.data, "{\n  \"nan\": null,\n  \"share\": 66\n}");
    sb_free(&sb);
}

/*
 * Writes `levels` nested arrays, each holding its index, an empty array
 * next to the innermost value, and after each inner array closes a negative
 * number, and builds the expected text alongside.
 */
static void deep(json_writer *w, strbuf *want, int levels, int pretty)
{
    for (int i = 0; i < levels; i++) {
        jw_arr_begin(w);
        jw_int(w, i);
        if (i > 0) {
            sb_putc(want, ',');
        }
        if (pretty && i > 0) {
            sb_printf(want, "\n%*s", 2 * i, "");
        }
        sb_printf(want, pretty ? "[\n%*s%d" : "[%*s%d", pretty ? 2 * (i + 1) : 0, "", i);
    }
    jw_arr_begin(w);
    jw_arr_end(w);
    jw_int(w, 7);
    if (pretty) {
        sb_printf(want, ",\n%*s[],\n%*s7", 2 * levels, "", 2 * levels, "");
    } else {
        sb_puts(want, ",[],7");
    }
    for (int i = levels - 1; i >= 0; i--) {
        jw_arr_end(w);
        if (pretty) {
            sb_printf(want, "\n%*s]", 2 * i, "");
        } else {
            sb_putc(want, ']');
        }
        if (i > 0) {
            jw_int(w, -i);
            if (pretty) {
                sb_printf(want, ",\n%*s%d", 2 * i, "", -i);
            } else {
                sb_printf(want, ",%d", -i);
            }
        }
    }
}

static void test_json_deep_nesting_stays_valid(void **state)
{
    (void)state;
    /* Within JSON_MAX_DEPTH and far beyond it, compact and pretty. */
    int depths[] = {3, JSON_MAX_DEPTH - 1, JSON_MAX_DEPTH, JSON_MAX_DEPTH + 1, 300};
    for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++) {
        for (int pretty = 0; pretty <= 1; pretty++) {
            strbuf sb = STRBUF_INIT, want = STRBUF_INIT;
            json_writer w;
            jw_init(&w, &sb, pretty);
            deep(&w, &want, depths[d], pretty);
            assert_string_equal(sb.data, want.data);
            assert_int_equal(w.depth, 0);
            sb_free(&sb);
            sb_free(&want);
        }
    }

    /* Nested empty objects past the limit, then a sibling. */
    strbuf sb = STRBUF_INIT;
    json_writer w;
    jw_init(&w, &sb, 0);
    jw_arr_begin(&w);
    for (int i = 0; i < 100; i++) {
        jw_obj_begin(&w);
        jw_key(&w, "k");
    }
    jw_arr_begin(&w);
    jw_arr_end(&w);
    for (int i = 0; i < 100; i++) {
        jw_obj_end(&w);
    }
    jw_bool(&w, 1);
    jw_arr_end(&w);
    strbuf want = STRBUF_INIT;
    sb_putc(&want, '[');
    for (int i = 0; i < 100; i++) {
        sb_puts(&want, "{\"k\":");
    }
    sb_puts(&want, "[]");
    for (int i = 0; i < 100; i++) {
        sb_putc(&want, '}');
    }
    sb_puts(&want, ",true]");
    assert_string_equal(sb.data, want.data);
    sb_free(&sb);
    sb_free(&want);
}

static void test_json_misuse_keeps_output_well_formed(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    json_writer w;

    /* A key without a value gets null; a closing call at depth 0 writes
       nothing. */
    jw_init(&w, &sb, 0);
    jw_obj_end(&w);
    jw_arr_end(&w);
    jw_obj_begin(&w);
    jw_key(&w, "a");
    jw_key(&w, "b");
    jw_int(&w, 1);
    jw_key(&w, "c");
    jw_obj_end(&w);
    jw_obj_end(&w);
    assert_string_equal(sb.data, "{\"a\":null,\"b\":1,\"c\":null}");
    assert_int_equal(w.depth, 0);
    sb_free(&sb);

    /* Several top-level values are separated by newlines (JSON lines). */
    jw_init(&w, &sb, 0);
    jw_obj_begin(&w);
    jw_kint(&w, "n", 1);
    jw_obj_end(&w);
    jw_obj_begin(&w);
    jw_kint(&w, "n", 2);
    jw_obj_end(&w);
    jw_int(&w, 3);
    assert_string_equal(sb.data, "{\"n\":1}\n{\"n\":2}\n3");
    sb_free(&sb);

    /* More than 255 values in one container: the count saturates, commas
       stay right. */
    jw_init(&w, &sb, 0);
    strbuf want = STRBUF_INIT;
    jw_arr_begin(&w);
    sb_putc(&want, '[');
    for (int i = 0; i < 600; i++) {
        jw_int(&w, i % 10);
        sb_printf(&want, i ? ",%d" : "%d", i % 10);
    }
    jw_arr_end(&w);
    sb_putc(&want, ']');
    assert_string_equal(sb.data, want.data);
    sb_free(&sb);
    sb_free(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_compact_nesting_and_commas),
        cmocka_unit_test(test_json_id_lists),
        cmocka_unit_test(test_json_pretty_layout),
        cmocka_unit_test(test_json_escapes_every_class),
        cmocka_unit_test(test_json_invalid_utf8_replaced),
        cmocka_unit_test(test_json_numbers),
        cmocka_unit_test(test_json_deep_nesting_stays_valid),
        cmocka_unit_test(test_json_misuse_keeps_output_well_formed),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
