/*
 * test_cli_pack.c — check, test and list through the built binary, on real
 * pack files and a real database.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "strbuf.h"

typedef tu_scratch fixture;

static const char *good_pack =
    "-- Пороговый критерий и критерий устойчивости\n"
    "local T = 0.2\n"
    "return {\n"
    "  id = 'demo', title = 'Демо', version = '1.0',\n"
    "  source = 'Приказ №1 от 09.01.2023',\n"
    "  categories = { low = 'школы с низкими результатами' },\n"
    "  criteria = {\n"
    "    { id = 'fail_high', category = 'low', title = 'Доля неуспевающих выше 20%',\n"
    "      test = function(s, p) return s:value('fail', p) > T end },\n"
    "  },\n"
    "  tests = {\n"
    "    { name = 'порог', period = '2023',\n"
    "      indicators = { fail = { unit = 'share', better = 'lower' } },\n"
    "      schools = {\n"
    "        { code = 'A', territory = 'Т', values = { fail = { [2023] = 0.3 } } },\n"
    "        { code = 'B', territory = 'Т', values = { fail = { [2023] = 0.1 } } } },\n"
    "      expect = { low = { 'A' } } },\n"
    "  },\n"
    "}\n";

static void load_data(fixture *f)
{
    char *ind = tu_file(f->dir, "i.csv", "code,title,unit,better\nfail,Доля неуспевающих,share,lower\n");
    char *sch = tu_file(f->dir, "s.csv", "code,name,territory\nS1,Школа 1,Т\nS2,Школа 2,Т\nS3,Школа 3,Т\n");
    char *val = tu_file(f->dir, "v.csv", "school,period,fail\nS1,2023,25%\nS2,2023,5%\nS3,2023,\n");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "init", NULL), 0);
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "indicators", ind, NULL), 0);
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "schools", sch, NULL), 0);
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "values", val, NULL), 0);
    free(ind);
    free(sch);
    free(val);
}

static void test_cli_pack_check_good_and_bad(void **state)
{
    fixture *f = *state;
    char *good = tu_file(f->dir, "good.lua", good_pack);
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "check", good, NULL), 0);
    assert_non_null(strstr(out, "ok — demo «Демо», version 1.0; 1 category, 1 criterion"));
    free(out);
    free(err);
    char *bad = tu_file(f->dir, "bad.lua",
                     "return {\n"
                     "  id = 'bad', title = 'B', version = 1, source = 'Приказ',\n"
                     "  categories = { low = 'Низкие' },\n"
                     "  colour = 'red',\n"
                     "  criteria = {\n"
                     "    { id = 'a', category = 'low', title = 'A', test = function() return "
                     "true end },\n"
                     "    { id = 'a', category = 'low', title = 'A2', test = function() return "
                     "true end },\n"
                     "    { id = 'b', category = 'mid', title = 'B', test = function() return "
                     "true end },\n"
                     "    { id = 'c', category = 'low', title = 'C', test = 'x > 1' },\n"
                     "    { id = 'd', category = 'low', title = 'D', tset = function() end },\n"
                     "  },\n"
                     "}\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", bad, NULL), 4);
    assert_non_null(strstr(err, "bad.lua:4: the pack has an unknown key 'colour'"));
    assert_non_null(strstr(err, "bad.lua:7: criterion 'a' is defined twice"));
    assert_non_null(strstr(err, "bad.lua:8: criterion 'b' has category 'mid', which is not in "
                                "'categories' (low)"));
    assert_non_null(strstr(err, "bad.lua:9: criterion 'c': 'test' must be a function(s, period), "
                                "not string"));
    assert_non_null(strstr(err, "bad.lua:10: criterion 'd' has an unknown key 'tset'"));
    assert_non_null(strstr(err, "bad.lua:10: criterion 'd': 'test' must be a function(s, "
                                "period), not missing"));
    free(out);
    free(err);
    /* a pack id names runs and report sheets: a path or a sheet name's
       forbidden characters are refused; letters of any script are letters */
    static const char *const ids[] = {"../../etc", "a/b", "x[1]:*?", "v1.2"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        strbuf src = STRBUF_INIT;
        sb_printf(&src, "return { id = '%s', title = 'T', version = '1', source = 'П',\n"
                        "  categories = { low = 'Л' }, criteria = { { id = 'c', category = "
                        "'low', title = 'C', test = function() return false end } } }\n",
                  ids[i]);
        char *idp = tu_file(f->dir, "id.lua", src.data);
        assert_int_equal(tu_run(NULL, &out, &err, "check", idp, NULL), 4);
        sb_reset(&src);
        sb_printf(&src, "id.lua:1: pack id '%s' must be 1 to 64 characters: letters, digits, "
                        "'_' and '-'", ids[i]);
        if (!strstr(err, src.data)) {
            fail_msg("%s:\n%s", ids[i], err);
        }
        free(out), free(err), free(idp);
        sb_free(&src);
    }
    char *cyr = tu_file(f->dir, "cyr.lua",
                        "return { id = 'школа_2-я', title = 'T', version = '1', source = 'П',\n"
                        "  categories = { low = 'Л' }, criteria = { { id = 'c', category = "
                        "'low', title = 'C', test = function() return false end } } }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", cyr, NULL), 0);
    free(out), free(err), free(cyr);
    /* a list made by a runaway loop is refused by its size; one at the
       sizes allowed is checked, every entry located */
    char *many = tu_file(f->dir, "many.lua",
                      "local c = {}\n"
                      "for i = 1, 80000 do c[i] = { id = 'k' .. i, category = 'low', title = 'K',\n"
                      "  test = function() return false end } end\n"
                      "return { id = 'm', title = 'M', version = '1', source = 'П',\n"
                      "  categories = { low = 'Низкие' }, criteria = c }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", many, NULL), 4);
    assert_non_null(strstr(err, "'criteria' has 80000 entries; a pack may have at most 2000"));
    free(out);
    free(err);
    strbuf big = STRBUF_INIT;
    sb_puts(&big, "return { id = 'big', title = 'B', version = '1', source = 'S',\n"
                  "  categories = { low = 'L' },\n  criteria = {\n");
    for (int i = 1; i < 2000; i++) {
        sb_printf(&big, "    { id = 'k%d', category = 'low', title = 'K',\n"
                        "      test = function(s, p) return false end },\n", i);
    }
    sb_puts(&big, "    { id = 'k7', category = 'low', title = 'again',\n"
                  "      test = function(s, p) return false end } } }\n");
    char *at_cap = tu_file(f->dir, "atcap.lua", big.data);
    sb_free(&big);
    assert_int_equal(tu_run(NULL, &out, &err, "check", at_cap, NULL), 4);
    assert_non_null(strstr(err, "atcap.lua:4002: criterion 'k7' is defined twice"));
    free(out);
    free(err);
    free(many);
    free(at_cap);
    /* a NUL in a text would cut it in every output */
    char *nul = tu_file(f->dir, "nul.lua",
                     "return { id = 'n', title = 'A\\0B', version = '1', source = 'S',\n"
                     "  categories = { low = 'L' }, criteria = { { id = 'c', category = 'low',\n"
                     "    title = 't', test = function(s, p) return true end } } }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", nul, NULL), 4);
    assert_non_null(strstr(err, "nul.lua: the pack: 'title' has a NUL byte"));
    assert_null(strstr(err, "has no 'title'")); /* it has one: said once, as it is */
    free(out);
    free(err);
    free(nul);
    /* and so in an activity's text (regression: the roadmap read «Январь») */
    nul = tu_file(f->dir, "nulact.lua",
                  "return { id = 'n', title = 'A', version = '1', source = 'S',\n"
                  "  categories = { low = 'L' }, criteria = { { id = 'c', category = 'low',\n"
                  "    title = 't', test = function(s, p) return true end } },\n"
                  "  activities = { { id = 'a', section = '1', title = 'Визит',\n"
                  "    applies = { 'low' }, due = 'Январь\\0Февраль' } } }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", nul, NULL), 4);
    assert_non_null(strstr(err, "nulact.lua:4: activity 'a': 'due' has a NUL byte"));
    free(out);
    free(err);
    free(nul);
    /* a category title with a NUL too; and a text longer than a pack's texts
       may be, which every listed school's explanation and every kept run
       would repeat (4000 Cyrillic characters are 8000 bytes, and allowed) */
    nul = tu_file(f->dir, "long.lua",
                  "return { id = 'n', title = 'A', version = '1', source = 'S',\n"
                  "  categories = { low = 'L\\0x', risk = string.rep('ж', 4000) },\n"
                  "  criteria = { { id = 'c', category = 'low', title = 't',\n"
                  "    explain = string.rep('Ж', 3e6),\n"
                  "    test = function(s, p) return true end } } }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", nul, NULL), 4);
    assert_non_null(strstr(err, "category 'low': 'title' has a NUL byte"));
    assert_non_null(strstr(err, "long.lua:3: criterion 'c': 'explain' is 3000000 characters "
                                "long; a text of a pack is at most 4000"));
    assert_null(strstr(err, "category 'risk'"));
    free(out);
    free(err);
    free(nul);
    /* a version written as a fractional number is not kept as written */
    nul = tu_file(f->dir, "ver.lua",
                  "return { id = 'n', title = 'A', version = 2023.10, source = 'S',\n"
                  "  categories = { low = 'L' }, criteria = { { id = 'c', category = 'low',\n"
                  "    title = 't', test = function(s, p) return true end } } }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", nul, NULL), 4);
    assert_non_null(strstr(err, "the pack: 'version' is the number 2023.1, which loses trailing "
                                "zeros"));
    free(out);
    free(err);
    free(nul);
    /* a pack as editors save it: with Notepad's byte-order mark and a "#!"
       line it is read (line numbers those of the file); in Windows-1251 it is
       refused once, where it starts, not printed as U+FFFD everywhere */
    const char *body = "return { id = 'n', title = 'A', version = '1', source = 'S',\n"
                       "  categories = { low = 'L' }, criteria = { { id = 'c', category = "
                       "'low',\n    title = 't', test = function(s, p) return true end } } }\n";
    strbuf txt = STRBUF_INIT;
    sb_printf(&txt, "\xEF\xBB\xBF#!/usr/bin/env shnor\n%s", body);
    nul = tu_file(f->dir, "bom.lua", txt.data);
    assert_int_equal(tu_run(NULL, &out, &err, "check", nul, NULL), 0);
    assert_non_null(strstr(out, "bom.lua: ok"));
    free(out), free(err), free(nul);
    sb_reset(&txt);
    sb_printf(&txt, "-- \xD8\xEA\xEE\xEB\xE0\n%s", body); /* «Школа» in Windows-1251 */
    nul = tu_file(f->dir, "cp.lua", txt.data);
    assert_int_equal(tu_run(NULL, &out, &err, "check", nul, NULL), 4);
    assert_non_null(strstr(err, "cp.lua:1: the text is not UTF-8 (column 4: byte 0xD8); saved "
                                "as Windows-1251? Save the file as UTF-8"));
    free(out), free(err), free(nul);
    /* Notepad's "Unicode" is named as UTF-16, not taken for Windows-1251 */
    nul = tu_file(f->dir, "u16.lua", "\xFF\xFEr\x01e\x01");
    assert_int_equal(tu_run(NULL, &out, &err, "check", nul, NULL), 4);
    assert_non_null(strstr(err, "u16.lua:1: the text is UTF-16 (it starts with its byte-order "
                                "mark), not UTF-8; save the file as UTF-8"));
    free(out), free(err), free(nul);
    sb_free(&txt);
    /* a directory given as a pack is said to be one */
    assert_int_not_equal(tu_run(NULL, &out, &err, "check", f->dir, NULL), 0);
    assert_non_null(strstr(err, "cannot read the pack: Is a directory"));
    free(out), free(err);
    /* and a file no pack could be is not read to its end */
    assert_int_equal(tu_run(NULL, &out, &err, "check", "/dev/zero", NULL), 4);
    assert_non_null(strstr(err, "/dev/zero: cannot read the pack: it is larger than 16 MiB"));
    free(out), free(err);
    /* a huge error message is cut in the middle: its start and its traceback */
    char *huge = tu_file(f->dir, "huge.lua", "error(string.rep('ы', 1e6))\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", huge, NULL), 4);
    assert_true(strlen(err) < 8192);
    assert_non_null(strstr(err, "huge.lua:1: ыыы"));
    assert_non_null(strstr(err, " bytes left out) …\nыыы"));
    free(out);
    free(err);
    free(huge);
    huge = tu_file(f->dir, "hugec.lua",
                   "return { id = 'h', title = 'A', version = '1', source = 'S',\n"
                   "  categories = { low = 'L' }, criteria = { { id = 'c', category = 'low',\n"
                   "    title = 't', test = function(s, p) error(string.rep('x', 1e6)) end } },\n"
                   "  tests = { { name = 'h', period = '2023', schools = { { code = 'A' } },\n"
                   "    expect = { low = {} } } } }\n");
    tu_run(NULL, &out, &err, "test", huge, NULL);
    assert_true(strlen(out) + strlen(err) < 16384);
    assert_non_null(strstr(out ? out : "", "bytes left out"));
    free(out);
    free(err);
    free(huge);
    /* an entry a list's items do not reach would be left out without a word */
    char *keyed = tu_file(f->dir, "keyed.lua",
                          "local c = { id = 'c', category = 'low', title = 't',\n"
                          "  test = function(s, p) return true end }\n"
                          "return { id = 'k', title = 'A', version = '1', source = 'S',\n"
                          "  categories = { low = 'L' }, criteria = { c,\n"
                          "    x = c },\n"
                          "  targets = { [2] = { id = 't', title = 'T', indicator = 'f',\n"
                          "    kind = 'at_most', value = 1, scope = 'all' } } }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", keyed, NULL), 4);
    assert_non_null(strstr(err, "keyed.lua:5: 'criteria' has an entry under the name 'x', "
                                "beside its list of 1; it would be left out"));
    assert_non_null(strstr(err, "keyed.lua:6: 'targets' has an entry [2] after a gap in its "
                                "list of 0"));
    free(out);
    free(err);
    free(keyed);
    /* the same entry is named whatever the process's hash seed */
    keyed = tu_file(f->dir, "keyed2.lua",
                    "local c = { id = 'c', category = 'low', title = 't',\n"
                    "  test = function(s, p) return true end }\n"
                    "return { id = 'k', title = 'A', version = '1', source = 'S',\n"
                    "  categories = { low = 'L' }, criteria = { c, delta = c, beta = c,\n"
                    "    gamma = c, alpha = c, epsilon = c } }\n");
    for (int i = 0; i < 6; i++) {
        assert_int_equal(tu_run(NULL, &out, &err, "check", keyed, NULL), 4);
        assert_non_null(strstr(err, "under the name 'alpha'"));
        free(out);
        free(err);
    }
    free(keyed);
    char *noexit = tu_file(f->dir, "noexit.lua",
                           "return { id = 'e', title = 'A', version = '1', source = 'S',\n"
                           "  categories = { low = 'L' }, criteria = { { id = 'c', category = "
                           "'low',\n    title = 't', test = function(s, p) return true end } },\n"
                           "  exit = {} }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", noexit, NULL), 4);
    assert_non_null(strstr(err, "noexit.lua:4: 'exit' is empty"));
    free(out);
    free(err);
    free(noexit);
    char *syntax = tu_file(f->dir, "syntax.lua", "return {\n  id = 'x',\n  title = 'T'\n  oops\n}\n");
    assert_int_equal(tu_run(NULL, NULL, &err, "check", syntax, NULL), 4);
    assert_non_null(strstr(err, "syntax.lua:4:"));
    free(err);
    free(good);
    free(bad);
    free(syntax);
}

/* Entries without an id are reported, and later entries are still checked
   against them (found by fuzzing: check crashed comparing with the missing
   id). */
static void test_cli_pack_check_entries_without_id(void **state)
{
    fixture *f = *state;
    char *pack = tu_file(f->dir, "noid.lua",
                      "return { id = 'x', title = 'T', version = '1', source = 'Приказ',\n"
                      "  categories = { { id = 'low', title = 'Низкие' } },\n"
                      "  cohorts = { { category = 'low', title = 'C', test = function() "
                      "return true end },\n"
                      "    { id = 'c2', category = 'low', title = 'C2', test = function() "
                      "return true end } },\n"
                      "  criteria = { { category = 'low', title = 'A', test = function() "
                      "return false end },\n"
                      "    { id = 'b', category = 'low', title = 'B', test = function() "
                      "return false end } },\n"
                      "  activities = { { title = 'Без номера' }, { id = '1.1', title = 'X' } },\n"
                      "}\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "check", pack, NULL), 4);
    assert_non_null(strstr(err, "noid.lua:5: criteria[1] has no 'id'"));
    assert_non_null(strstr(err, "noid.lua:3: cohorts[1] needs an id without spaces"));
    assert_non_null(strstr(err, "activities[1] has no 'id' (the row's number)"));
    free(out);
    free(err);
    free(pack);
}

/* A test case may give codes, names and territories as numbers: each is read
   as its text, and stays valid while the case is built (ASan caught the
   converted strings being collected under it). */
static void test_cli_pack_test_numbers_as_codes(void **state)
{
    fixture *f = *state;
    char *pack = tu_file(
        f->dir, "numbers.lua",
        "local schools, listed = {}, {}\n"
        "for i = 1, 300 do\n"
        "  schools[i] = { code = 100000 + i, name = 200000 + i, territory = 300000 + i % 7,\n"
        "                 kind = 5, settlement = 7, values = { fail = { [2023] = i / 1000 } } }\n"
        "  if i > 200 then listed[#listed + 1] = tostring(100000 + i) end\n"
        "end\n"
        "return { id = 'n', title = 'T', version = '1', source = 'Приказ',\n"
        "  categories = { { id = 'low', title = 'Низкие' } },\n"
        "  criteria = { { id = 'a', category = 'low', title = 'A',\n"
        "    test = function(s, p) return s:value('fail', p) > 0.2 end } },\n"
        "  tests = { { name = 'числа', period = 2023, schools = schools,\n"
        "              expect = { low = listed } } },\n"
        "}\n");
    char *out = NULL, *err = NULL;
    int st = tu_run(NULL, &out, &err, "test", pack, NULL);
    if (st != 0 || !strstr(out, "ok 1 - числа") || !strstr(out, "1 passed, 0 failed")) {
        fail_msg("test with numeric codes: exit %d\n%s\n%s", st, out, err);
    }
    free(out);
    free(err);
    free(pack);
}

/* Indicator codes longer than a fixed buffer are kept whole: two that differ
   only past 255 characters are two indicators (regression: the fuzzer found
   the key cut and read past its buffer). */
static void test_cli_pack_test_long_indicator_codes(void **state)
{
    fixture *f = *state;
    char *pack = tu_file(
        f->dir, "long.lua",
        "local L = string.rep('x', 300)\n"
        "return { id = 'n', title = 'T', version = '1', source = 'Приказ',\n"
        "  categories = { low = 'Низкие' },\n"
        "  criteria = { { id = 'a', category = 'low', title = 'A',\n"
        "    test = function(s, p) return s:value(L .. 'a', p) > 0.5 end } },\n"
        "  tests = { { name = 'длинные', period = 2023, schools = {\n"
        "    { code = 'A', territory = 'Т', values = { [L .. 'a'] = { [2023] = 0.9 },\n"
        "                                              [L .. 'b'] = { [2023] = 0.1 } } },\n"
        "    { code = 'B', territory = 'Т', values = { [L .. 'a'] = { [2023] = 0.1 },\n"
        "                                              [L .. 'b'] = { [2023] = 0.9 } } } },\n"
        "    expect = { low = { 'A' } } } } }\n");
    char *out = NULL, *err = NULL;
    int st = tu_run(NULL, &out, &err, "test", pack, NULL);
    if (st != 0 || !strstr(out, "ok 1 - длинные")) {
        fail_msg("long codes: exit %d\n%s\n%s", st, out, err);
    }
    free(out);
    free(err);
    free(pack);
}

static void test_cli_pack_test_reports_cases_and_coverage(void **state)
{
    fixture *f = *state;
    char *good = tu_file(f->dir, "good.lua", good_pack);
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "test", good, NULL), 0);
    assert_non_null(strstr(out, "ok 1 - порог"));
    assert_non_null(strstr(out, "coverage: every criterion of demo fired and did not fire"));
    assert_non_null(strstr(out, "1 passed, 0 failed"));
    free(out);
    /* A wrong expectation fails with what was expected and what came. */
    char *src = strdup(good_pack);
    char *at = strstr(src, "expect = { low = { 'A' } }");
    memcpy(at, "expect = { low = { 'B' } }", strlen("expect = { low = { 'B' } }"));
    char *wrong = tu_file(f->dir, "wrong.lua", src);
    free(src);
    assert_int_equal(tu_run(NULL, &out, NULL, "test", wrong, good, NULL), 6);
    assert_non_null(strstr(out, "FAIL 1 - порог: listed in low: expected {B}, got {A}\n"
                                "  the case is at "));
    assert_non_null(strstr(out, "wrong.lua:12\n"));
    assert_non_null(strstr(out, "1 passed, 1 failed"));
    free(out);
    /* A pack that fails to evaluate in a case is a pack error (exit 4), the
       case failed with its message: the pack is what to fix */
    src = strdup(good_pack);
    at = strstr(src, "s:value('fail', p) > T");
    memcpy(at, "s:value('fail', p) > Q", strlen("s:value('fail', p) > Q"));
    char *broken = tu_file(f->dir, "broken.lua", src);
    free(src);
    assert_int_equal(tu_run(NULL, &out, NULL, "test", broken, NULL), 4);
    assert_non_null(strstr(out, "FAIL 1 - порог: pack 'demo' ("));
    assert_non_null(strstr(out, "undefined global 'Q'"));
    free(out);
    free(broken);
    free(good);
    free(wrong);
}

/* A misspelt key or value of a test case fails the case, saying which: it
   would otherwise be ignored, and the case pass checking nothing. */
static void test_cli_pack_test_refuses_misspelt_case_keys(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *was, *now, *says;
    } cases[] = {
        {"expect = { low", "exepct = { low",
         "FAIL 1 - порог: the case has an unknown key 'exepct' (known: name, period, "
         "indicators, schools, listings, expect, insufficient, cohorts, mentors)\n"},
        {"expect = { low = { 'A' } }", "                          ",
         "FAIL 1 - порог: the case checks nothing: give expect, insufficient, cohorts or "
         "mentors\n"},
        {"territory = 'Т', values", "teritory = 'Т', values",
         "FAIL 1 - порог: school A has an unknown key 'teritory' (known: code, name, territory, "
         "region, kind, settlement, attrs, values)\n"},
        /* a value without its name is a list item, said as such */
        {"territory = 'Т', values", "'Т', values",
         "FAIL 1 - порог: school A has an item [1] without a name (known keys: code, name, "
         "territory, region, kind, settlement, attrs, values)\n"},
        {"unit = 'share'", "unit = 'shaer'",
         "FAIL 1 - порог: indicators.fail: unit 'shaer' is not one of share, percent, score, "
         "count, index, flag\n"},
        {"better = 'lower'", "better = 'lowr'",
         "FAIL 1 - порог: indicators.fail: better 'lowr' is not higher or lower\n"},
        {"better = 'lower'", "bettr = 'lower'",
         "FAIL 1 - порог: indicators.fail has an unknown key 'bettr' (known: title, unit, "
         "better)\n"},
        {"schools = {\n", "listings = { { school = 'A', period = 2022, category = 'lwo' } },\n"
                          "      schools = {\n",
         "FAIL 1 - порог: listings[1]: category 'lwo' is not one of the pack's; give pack = "
         "\"…\" for another pack's listing\n"},
        /* a value no database could hold tests nothing real */
        {"[2023] = 0.3", "[2023] = 30",
         "FAIL 1 - порог: 30 is outside the range of a share (between 0 and 1); a share is a "
         "fraction of 1: 20 % is 0.2 (school A, fail 2023)\n"},
        {"[2023] = 0.3", "[2023] = 0/0",
         "FAIL 1 - порог: nan (0/0) is not a number a value can be (school A, fail 2023)\n"},
        /* a value under a misspelt indicator, where the case names its
           indicators, would leave the school without data and pass */
        {"values = { fail = { [2023] = 0.3 } }", "values = { fial = { [2023] = 0.3 } }",
         "FAIL 1 - порог: school A: values.fial: not an indicator of the case's 'indicators' "
         "(fail); misspelt, or add it there\n"},
        /* an expected code the case has no school of is said to be none */
        {"expect = { low = { 'A' } }", "expect = { low = { 'A', 'Z' } }",
         "FAIL 1 - порог: listed in low: expected {A, Z}, got {A} (the case has no school "
         "'Z')\n"},
        /* a case without a period is said to have none */
        {"period = '2023',\n", "\n",
         "FAIL 1 - порог: the case has no 'period' (the period it is evaluated for, as "
         "\"2023\")\n"},
        /* a case without a name cannot be told apart, nor a school without a code */
        {"name = 'порог', ", "",
         "FAIL 1 - : the case needs a 'name' (a text saying what it shows)\n"},
        {"code = 'B'", "code = ''",
         "FAIL 1 - порог: schools[2]: the code must be a text without control characters, "
         "not empty\n"},
        {"code = 'B'", "code = 'B\\0x'",
         "FAIL 1 - порог: schools[2]: the code must be a text without control characters, "
         "not empty\n"},
        /* an attribute that could not be read would be silently absent */
        {"territory = 'Т', values = { fail = { [2023] = 0.1 } } }",
         "territory = 'Т', attrs = { x = {} }, values = { fail = { [2023] = 0.1 } } }",
         "FAIL 1 - порог: school B: attrs: a value must be a text or a number\n"},
        {"territory = 'Т', values = { fail = { [2023] = 0.1 } } }",
         "territory = 'Т', attrs = { [5] = 'y' }, values = { fail = { [2023] = 0.1 } } }",
         "FAIL 1 - порог: school B: attrs: a key must be an attribute name (a string)\n"},
        /* a key that is no code (regression: a crash) */
        {"values = { fail = { [2023] = 0.3 } }", "values = { [true] = { [2023] = 0.3 } }",
         "FAIL 1 - порог: school A: values: a key must be an indicator code, not a boolean\n"},
        /* a second case of a name: said, and not located at the first */
        {"  },\n}\n", "    { name = 'порог', period = '2023', schools = { { code = 'A', "
                      "territory = 'Т', values = { fail = { [2023] = 0.3 } } } },\n"
                      "      expect = { low = {} } },\n  },\n}\n",
         "FAIL 2 - порог: listed in low: expected {}, got {A}; case 1 has this name too; give "
         "each case a name of its own\ncoverage"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *at = strstr(good_pack, cases[i].was);
        assert_non_null(at);
        strbuf src = STRBUF_INIT;
        sb_printf(&src, "%.*s%s%s", (int)(at - good_pack), good_pack, cases[i].now,
                  at + strlen(cases[i].was));
        char *pack = tu_file(f->dir, "k.lua", src.data);
        sb_free(&src);
        char *out = NULL;
        assert_int_equal(tu_run(NULL, &out, NULL, "test", pack, NULL), 6);
        if (!strstr(out, cases[i].says)) {
            fail_msg("expected \"%s\" in:\n%s", cases[i].says, out);
        }
        free(out);
        free(pack);
    }
    /* another pack's listing may have its own categories */
    const char *at = strstr(good_pack, "schools = {\n");
    strbuf src = STRBUF_INIT;
    sb_printf(&src, "%.*slistings = { { school = 'A', period = 2022, category = 'x', pack = "
                    "'other' } },\n      %s",
              (int)(at - good_pack), good_pack, at);
    char *pack = tu_file(f->dir, "k.lua", src.data);
    sb_free(&src);
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "test", pack, NULL), 0);
    assert_non_null(strstr(out, "ok 1 - порог"));
    free(out);
    free(pack);
}

/* A case can expect cohorts and mentors; a wrong one fails with both sides. */
static void test_cli_pack_test_checks_cohorts_and_mentors(void **state)
{
    fixture *f = *state;
    static const char *pack_head =
        "return {\n"
        "  id = 'co', title = 'Когорты', version = '1', source = 'Приказ',\n"
        "  categories = { low = 'Низкие' },\n"
        "  criteria = { { id = 'flag', category = 'low', title = 'В списке',\n"
        "    test = function(s, p) return s:value('f', p) == 1 end } },\n"
        "  cohorts = {\n"
        "    { id = 'again', category = 'low', title = 'повторно',\n"
        "      test = function(s, p) return s:value('f', shnor.period.prev(p)) == 1 end },\n"
        "    { id = 'first', category = 'low', title = 'впервые',\n"
        "      test = function() return true end } },\n"
        "  mentors = { { mentor = 'M', schools = { 'A' } } },\n"
        "  tests = { { name = 'когорты', period = '2022',\n"
        "    schools = {\n"
        "      { code = 'A', territory = 'Т', values = { f = { [2021] = 1, [2022] = 1 } } },\n"
        "      { code = 'B', territory = 'Т', values = { f = { [2021] = 0, [2022] = 1 } } },\n"
        "      { code = 'C', territory = 'Т', values = { f = { [2021] = 1, [2022] = 0 } } } },\n"
        "    expect = { low = { 'A', 'B' } },\n";
    char src[4096];
    snprintf(src, sizeof src, "%s%s", pack_head,
             "    cohorts = { again = { 'A' }, first = { 'B' } },\n"
             "    mentors = { A = 'M', B = '' } } },\n}\n");
    char *good = tu_file(f->dir, "co.lua", src);
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "test", good, NULL), 0);
    assert_non_null(strstr(out, "ok 1 - когорты"));
    free(out);
    snprintf(src, sizeof src, "%s%s", pack_head,
             "    cohorts = { again = { 'A', 'C' }, first = { 'B' } },\n"
             "    mentors = { A = '', B = 'M', C = 'M' } } },\n}\n");
    char *wrong = tu_file(f->dir, "co_wrong.lua", src);
    assert_int_equal(tu_run(NULL, &out, NULL, "test", wrong, NULL), 6);
    assert_non_null(strstr(out, "FAIL 1 - когорты: cohort again: expected {A, C}, got {A}; "
                                "mentor of A: expected '', got 'M'; "
                                "mentor of B: expected 'M', got ''; "
                                "mentor of C: expected 'M', but the school is not listed"));
    free(out);
    free(good);
    free(wrong);
}

/*
 * A criterion that depends on the schools evaluated before it (here it counts
 * them) lists otherwise in the two halves shnor evaluates from 2,048 schools:
 * `shnor test` evaluates each case in halves too and fails it, naming the
 * school. A cache of what depends only on the arguments passes.
 */
static void test_cli_pack_test_finds_order_dependent_criteria(void **state)
{
    fixture *f = *state;
    static const char *const head =
        "return { id = 'o', title = 'T', version = '1', source = 'Приказ',\n"
        "  categories = { { id = 'low', title = 'Низкие' } },\n";
    static const char *const tail =
        "  tests = { { name = 'порядок', period = 2023,\n"
        "    schools = { { code = 'A', territory = 'Т', values = { f = { [2023] = 1 } } },\n"
        "                { code = 'B', territory = 'Т', values = { f = { [2023] = 1 } } },\n"
        "                { code = 'C', territory = 'Т', values = { f = { [2023] = 0 } } },\n"
        "                { code = 'D', territory = 'Т', values = { f = { [2023] = 1 } } } },\n"
        "    expect = { low = { 'D' } } } },\n"
        "}\n";
    char src[2048];
    snprintf(src, sizeof src,
             "local seen = 0\n%s"
             "  criteria = { { id = 'fourth', category = 'low', title = 'четвёртая',\n"
             "    test = function(s, p) seen = seen + 1; return seen == 4 end } },\n%s",
             head, tail);
    char *counting = tu_file(f->dir, "counting.lua", src);
    char *out = NULL, *err = NULL;
    unsetenv("SHNOR_PARALLEL_FROM"); /* the cases' own evaluation is in one state */
    int st = tu_run(NULL, &out, &err, "test", counting, NULL);
    if (st != 6 || !strstr(out, "FAIL 1 - порядок: evaluated in two halves") ||
        !strstr(out, "D low listed alone") ||
        !strstr(out, "earlier schools left in the pack's variables")) {
        fail_msg("an order-dependent criterion: exit %d\n%s\n%s", st, out, err);
    }
    free(out), free(err);
    snprintf(src, sizeof src,
             "local cache = {}\n%s"
             "  criteria = { { id = 'last', category = 'low', title = 'последняя по коду',\n"
             "    test = function(s, p)\n"
             "      cache[p] = cache[p] or shnor.period.prev(p)\n"
             "      return s.code == 'D' and cache[p] == '2022' end } },\n%s",
             head, tail);
    /* a mentor handed out by a counter: the same listing, other mentors */
    char src2[2048];
    snprintf(src2, sizeof src2,
             "local n = 0\n%s"
             "  criteria = { { id = 'f1', category = 'low', title = 'f = 1',\n"
             "    test = function(s, p) return s:value('f', p) == 1 end } },\n"
             "  mentors = function(s, p) n = n + 1; return 'M' .. n end,\n"
             "  tests = { { name = 'порядок', period = 2023,\n"
             "    schools = { { code = 'A', territory = 'Т', values = { f = { [2023] = 1 } } },\n"
             "                { code = 'B', territory = 'Т', values = { f = { [2023] = 1 } } },\n"
             "                { code = 'C', territory = 'Т', values = { f = { [2023] = 0 } } },\n"
             "                { code = 'D', territory = 'Т', values = { f = { [2023] = 1 } } } },\n"
             "    expect = { low = { 'A', 'B', 'D' } } } },\n"
             "}\n",
             head);
    char *handed = tu_file(f->dir, "handed.lua", src2);
    st = tu_run(NULL, &out, &err, "test", handed, NULL);
    if (st != 6 || !strstr(out, "A low listed mentor M1 alone") ||
        !strstr(out, "in halves")) {
        fail_msg("a mentor by a counter: exit %d\n%s\n%s", st, out, err);
    }
    free(out), free(err);
    free(handed);
    char *cached = tu_file(f->dir, "cached.lua", src);
    st = tu_run(NULL, &out, &err, "test", cached, NULL);
    if (st != 0 || !strstr(out, "ok 1 - порядок")) {
        fail_msg("a cache of what depends on the arguments: exit %d\n%s\n%s", st, out, err);
    }
    free(out), free(err);
    free(counting);
    free(cached);
}

static void test_cli_pack_list_formats(void **state)
{
    fixture *f = *state;
    load_data(f);
    char *good = tu_file(f->dir, "good.lua", good_pack);
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "list", "--pack", good, "--period",
                            "2023", "--format", "csv", NULL),
                     0);
    assert_string_equal(out, "school,name,category,criteria,status,cohort,mentor,override,"
                             "territory,explanation\n"
                             "S1,Школа 1,low,fail_high,listed,,,,Т,\"Доля неуспевающих выше 20%: "
                             "Доля неуспевающих (2023) = 25,0%\"\n"
                             "S3,Школа 3,low,fail_high,insufficient_data,,,,Т,Доля неуспевающих "
                             "выше 20% — недостаточно данных: Доля неуспевающих (2023) = нет "
                             "данных\n");
    free(out);
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "list", "--pack", good, "--period",
                            "2023", "--explain", NULL),
                     0);
    assert_non_null(strstr(out, "S1   Школа 1  школы с низкими результатами  fail_high  в списке\n"));
    assert_non_null(strstr(out, "  • Доля неуспевающих выше 20%: Доля неуспевающих (2023) = 25,0%"));
    assert_non_null(strstr(out, "Период 2023: оценено школ 3"));
    assert_null(strchr(out, '\033')); /* not a terminal: no colour */
    free(out);
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "list", "--pack", good, "--period",
                            "2023", "--format", "json", NULL),
                     0);
    assert_non_null(strstr(out, "\"reads\": [\n      {\n        \"criterion\": \"fail_high\",\n"
                                "        \"kind\": \"value\",\n        \"indicator\": \"fail\",\n"
                                "        \"period\": \"2023\",\n        \"value\": 0.25\n"));
    free(out);
    /* targets of a pack that has none: said, not an empty table */
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "targets", "--pack", good,
                            "--period", "2023", NULL),
                     0);
    assert_string_equal(out, "У пакета demo нет целевых показателей.\n");
    free(out);
    free(good);
}

static void test_cli_pack_list_limit_names_pack_criterion_school_line(void **state)
{
    fixture *f = *state;
    load_data(f);
    char *loop = tu_file(f->dir, "loop.lua",
                      "return { id = 'loop', title = 'L', version = '1', source = 'S',\n"
                      "  categories = { low = 'L' },\n"
                      "  criteria = { { id = 'spin', category = 'low', title = 'S',\n"
                      "    test = function(s, p)\n"
                      "      while true do end\n"
                      "    end } } }\n");
    char *err = NULL;
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", loop, "--period",
                            "2023", "--instr-limit", "100000", NULL),
                     5);
    assert_non_null(strstr(err, "pack 'loop'"));
    assert_non_null(strstr(err, "instruction limit of 100000 reached in criterion 'spin' for "
                                "school S1"));
    assert_non_null(strstr(err, "loop.lua:5"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", loop, "--period",
                            "2023", "--time-limit", "0.3", NULL),
                     5);
    assert_non_null(strstr(err, "time limit of 0.3 s reached"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", loop, "--period",
                            "2023", "--mem-limit", "lots", NULL),
                     2);
    assert_non_null(strstr(err, "--mem-limit: 'lots' is not a memory size"));
    free(err);
    free(loop);
}

static void test_cli_pack_list_bad_period_is_usage(void **state)
{
    fixture *f = *state;
    load_data(f);
    char *good = tu_file(f->dir, "good.lua", good_pack);
    char *err = NULL;
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", good, "--period",
                            "2023-13", NULL),
                     2);
    assert_non_null(strstr(err, "'2023-13' is not a period"));
    free(err);
    free(good);
}

/* A pack's territory with no schools: misspelt when the database has other
   territories (they are named), else the register is not imported yet. */
static void test_cli_pack_list_unknown_territory_names_the_known(void **state)
{
    fixture *f = *state;
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "init", NULL), 0);
    char *pack = tu_file(f->dir, "terr.lua",
                         "return { id = 'terr', title = 'T', version = '1', source = 'S',\n"
                         "  territory = 'Тт', categories = { low = 'L' },\n"
                         "  criteria = { { id = 'c', category = 'low', title = 'C',\n"
                         "    test = function(s, p) return true end } } }\n");
    char *err = NULL;
    int code = tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", pack, "--period",
                      "2023", NULL);
    assert_int_not_equal(code, 0);
    assert_non_null(strstr(err, "pack 'terr' ("));
    assert_non_null(strstr(err, "evaluates the schools of 'Тт', and the database has none; "
                                "import the school register first\n"));
    free(err);
    load_data(f);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", pack, "--period",
                            "2023", NULL),
                     code);
    assert_non_null(strstr(err, "evaluates the schools of 'Тт', and the database has no school "
                                "there; check the pack's 'territory' against the database's "
                                "territories: 'Т'\n"));
    free(err);
    /* a name in another case or with other spaces is the register's, as in
       the import: «т» is «Т», and its schools are evaluated */
    char *lower = tu_file(f->dir, "lower.lua",
                          "return { id = 'lower', title = 'T', version = '1', source = 'S',\n"
                          "  territory = ' т ', categories = { low = 'L' },\n"
                          "  criteria = { { id = 'c', category = 'low', title = 'C',\n"
                          "    test = function(s, p) return true end } } }\n");
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "--db", f->db, "list", "--pack", lower, "--period",
                            "2023", "--format", "csv", NULL),
                     0);
    assert_non_null(strstr(out, "\nS1,"));
    free(out);
    free(err);
    free(lower);
    /* One misspelt name of two left its schools out without a word. */
    char *two = tu_file(f->dir, "two.lua",
                        "return { id = 'two', title = 'T', version = '1', source = 'S',\n"
                        "  territory = { 'Т', 'Тт' }, categories = { low = 'L' },\n"
                        "  criteria = { { id = 'c', category = 'low', title = 'C',\n"
                        "    test = function(s, p) return true end } } }\n");
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", two, "--period",
                            "2023", NULL),
                     code);
    assert_non_null(strstr(err, "pack 'two' ("));
    assert_non_null(strstr(err, "the name 'Тт' in its 'territory' is no territory of the "
                                "database"));
    free(err);
    /* a year-end run and whatif check the same */
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "run", "--packs", two, "--period",
                            "2023", NULL),
                     code);
    assert_non_null(strstr(err, "the name 'Тт' in its 'territory' is no territory"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "whatif", "--pack", pack, "--vs",
                            two, "--period", "2023", NULL),
                     code);
    assert_non_null(strstr(err, "evaluates the schools of 'Тт'"));
    free(err);
    /* and an empty list is no "every school" */
    char *none = tu_file(f->dir, "none.lua",
                         "return { id = 'none', title = 'T', version = '1', source = 'S',\n"
                         "  territory = {}, categories = { low = 'L' },\n"
                         "  criteria = { { id = 'c', category = 'low', title = 'C',\n"
                         "    test = function(s, p) return true end } } }\n");
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", none, "--period",
                            "2023", NULL),
                     4);
    assert_non_null(strstr(err, "none.lua:2: 'territory' is an empty list"));
    free(err);
    free(none);
    free(two);
    free(pack);
}

/* On a database, a mentor group or a mentors function naming no school of
   the data is the pack's error, with file:line (a mentor that does not
   exist was printed, a misspelt mentee silently had none). */
static void test_cli_pack_list_unknown_mentor_is_an_error(void **state)
{
    fixture *f = *state;
    load_data(f);
    static const struct {
        const char *mentors, *says;
    } cases[] = {
        {"mentors = { { mentor = 'S9', schools = { 'S1' } } }",
         "m.lua:4: mentors: the mentor 'S9' is not among the schools of the pack's territory "
         "in the database\n"},
        {"mentors = { { mentor = 'S2', schools = { 'S01' } } }",
         "m.lua:4: mentors: school 'S01' (mentored by 'S2') is not among the schools"},
        /* a group's own line, and a mentee's, where the table spans lines */
        {"mentors = {\n  { mentor = 'S2', schools = { 'S1' } },\n"
         "  { mentor = 'S9', schools = { 'S3' } } }",
         "m.lua:6: mentors: the mentor 'S9' is not among the schools"},
        {"mentors = {\n  { mentor = 'S2',\n    schools = { 'S1',\n      'S01' } } }",
         "m.lua:7: mentors: school 'S01' (mentored by 'S2') is not among the schools"},
        {"mentors = function(s, p, c) return 'S9' end",
         "m.lua:4: the 'mentors' function gave school S1 the mentor 'S9', which is not among "
         "the schools"},
        /* a result that is no code was dropped without a word, a school its
           own mentor went unnoticed */
        {"mentors = function(s, p, c) return 5 end",
         "mentors/m.lua:4: it returned a number; it must return the mentor school's code (a "
         "string), or nil for none"},
        {"mentors = function(s, p, c) return s.code end",
         "m.lua:4: it gave the school itself as its mentor"},
    };
    char *dir = tu_path(f->dir, "mentors");
    assert_int_equal(mkdir(dir, 0700), 0);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        strbuf src = STRBUF_INIT;
        sb_printf(&src,
                  "return { id = 'm', title = 'T', version = '1', source = 'S',\n"
                  "  categories = { low = 'L' }, criteria = { { id = 'c', category = 'low',\n"
                  "    title = 'C', test = function(s, p) return s.code == 'S1' end } },\n"
                  "  %s }\n",
                  cases[i].mentors);
        char *pack = tu_file(dir, "m.lua", src.data);
        sb_free(&src);
        char *err = NULL;
        assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", pack,
                                "--period", "2023", NULL),
                         4);
        if (!strstr(err, cases[i].says)) {
            fail_msg("expected \"%s\" in:\n%s", cases[i].says, err);
        }
        free(err);
        /* A year-end run of the pack fails the same way and keeps nothing. */
        err = NULL;
        assert_int_not_equal(tu_run(NULL, NULL, &err, "--db", f->db, "run", "--packs", dir,
                                    "--period", "2023", NULL),
                             0);
        if (!strstr(err, cases[i].says)) {
            fail_msg("run: expected \"%s\" in:\n%s", cases[i].says, err);
        }
        free(err);
        char *runs = tu_sql(f->db, "SELECT count(*) FROM runs");
        assert_string_equal(runs, "0");
        free(runs);
        free(pack);
    }
    free(dir);
    char *pack = tu_file(f->dir, "m.lua",
                         "return { id = 'm', title = 'T', version = '1', source = 'S',\n"
                         "  categories = { low = 'L' }, criteria = { { id = 'c', category = 'low',\n"
                         "    title = 'C', test = function(s, p) return s.code == 'S1' end } },\n"
                         "  mentors = { { mentor = 'S2', schools = { 'S1' } } } }\n");
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "list", "--pack", pack, "--period",
                            "2023", "--format", "csv", NULL),
                     0);
    assert_non_null(strstr(out, "\nS1,Школа 1,low,c,listed,,S2,"));
    free(out);
    free(pack);
}

/* On a database, an attribute no school has is misspelt (or its column not
   imported): an error naming the register's columns, not insufficient data
   for every school. A school without the value of a known one lacks data. */
static void test_cli_pack_list_unknown_attribute_is_an_error(void **state)
{
    fixture *f = *state;
    load_data(f);
    char *pack = tu_file(f->dir, "a.lua",
                         "return { id = 'a', title = 'T', version = '1', source = 'S',\n"
                         "  categories = { low = 'L' }, criteria = { { id = 'c', category = 'low',\n"
                         "    title = 'C', test = function(s, p)\n"
                         "      return s:attr_number('ИСБ') < 0.5 end } } }\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", pack, "--period",
                            "2023", NULL),
                     4);
    assert_non_null(strstr(err, "a.lua:4: no school of the data has an attribute 'ИСБ' (a "
                                "column of the school register); the register has no columns "
                                "of attributes\n"));
    free(err);
    /* A column imported with every cell empty (not filled in yet) is known:
       each school lacks the value, none is the pack's error */
    char *blank = tu_file(f->dir, "s1.csv", "code,name,territory,ИСБ\nS1,Школа 1,Т,\n");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "schools", blank, NULL),
                     0);
    free(blank);
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "list", "--pack", pack, "--period",
                            "2023", "--format", "csv", NULL),
                     0);
    assert_non_null(strstr(out, "\nS1,Школа 1,low,c,insufficient_data,"));
    assert_non_null(strstr(out, "\nS3,Школа 3,low,c,insufficient_data,"));
    free(out);
    /* a misspelling of it is told the column, empty as it is */
    char *early = tu_file(f->dir, "e.lua",
                          "return { id = 'a', title = 'T', version = '1', source = 'S',\n"
                          "  categories = { low = 'L' }, criteria = { { id = 'c', category = "
                          "'low',\n    title = 'C', test = function(s, p)\n"
                          "      return s:attr_number('ИБС') < 0.5 end } } }\n");
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", early,
                            "--period", "2023", NULL),
                     4);
    assert_non_null(strstr(err, "attribute 'ИБС' (a column of the school register); the "
                                "register's columns: 'ИСБ'\n"));
    free(err);
    free(early);
    /* and keeps its spelling: «Исб» below updates the attribute 'ИСБ' */
    char *sch = tu_file(f->dir, "s2.csv", "code,name,territory,Исб,Тип здания\n"
                                          "S1,Школа 1,Т,\"0,3\",типовое\n");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "schools", sch, NULL), 0);
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "list", "--pack", pack, "--period",
                            "2023", "--format", "csv", NULL),
                     0);
    assert_non_null(strstr(out, "\nS1,Школа 1,low,c,listed,"));
    assert_non_null(strstr(out, "\nS2,Школа 2,low,c,insufficient_data,"));
    free(out);
    char *typo = tu_file(f->dir, "a.lua",
                         "return { id = 'a', title = 'T', version = '1', source = 'S',\n"
                         "  categories = { low = 'L' }, criteria = { { id = 'c', category = 'low',\n"
                         "    title = 'C', test = function(s, p)\n"
                         "      return s:attr_number('ИБС') < 0.5 end } } }\n");
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "list", "--pack", typo, "--period",
                            "2023", NULL),
                     4);
    assert_non_null(strstr(err, "attribute 'ИБС' (a column of the school register); the "
                                "register's columns: 'ИСБ', 'Тип здания'\n"));
    free(err);
    free(typo);
    free(sch);
    free(pack);
}

/* A pack's text with a control character in it is refused by check, said by
   its number (regression: check printed an escape sequence of the title to
   the terminal, and a report put it in the workbook, which Excel refused). A
   line break and a tab are text. */
static void test_cli_pack_check_refuses_control_characters(void **state)
{
    fixture *f = *state;
    char *pack = tu_file(f->dir, "ctl.lua",
                         "return { id = 'ctl', title = 'Т\\27]0;x\\7', version = '1',\n"
                         "  source = 'П', categories = { low = 'Низкие\\nрезультаты' },\n"
                         "  criteria = { { id = 'c', category = 'low', title = 'a\\tb',\n"
                         "    explain = 'x\\u{202E}y', test = function() return true end } } }\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "check", pack, NULL), 4);
    assert_non_null(strstr(err, "ctl.lua: the pack: 'title' has a control character (U+001B) at "
                                "character 2; a text of a pack is printed, and may have line "
                                "breaks and tabs only"));
    assert_non_null(strstr(err, "ctl.lua:3: criterion 'c': 'explain' has a control character "
                                "(U+202E) at character 2"));
    assert_null(strstr(err, "'categories'"));
    assert_null(strstr(err, "'title' has a control character (U+0009)"));
    assert_null(strchr(out, '\x1b'));
    assert_null(strchr(err, '\x1b'));
    free(out), free(err);
    /* an entry without a name is named at its line (regression: no line) */
    tu_write_str(pack, "return { id = 'ctl', title = 'Т', version = '1',\n"
                       "  source = 'П', categories = { low = 'Низкие' },\n"
                       "  criteria = { { id = 'c', category = 'low', title = 'a',\n"
                       "    test = function() return true end } },\n"
                       "  [3] = 5 }\n");
    assert_int_equal(tu_run(NULL, &out, &err, "check", pack, NULL), 4);
    assert_non_null(strstr(err, "ctl.lua:5: the pack has an entry [3] without a name; its keys "
                                "are names"));
    free(out), free(err);
    free(pack);
}

/* A case without any value of an indicator the other cases give (to show
   "no value: insufficient data") runs: the indicator is known, without
   values (regression: "unknown indicator", exit 4). One no case names is
   still the pack's error. */
static void test_cli_pack_test_knows_the_other_cases_indicators(void **state)
{
    fixture *f = *state;
    static const char *const body =
        "return { id = 'k', title = 'K', version = '1', source = 'П',\n"
        "  categories = { low = 'L' },\n"
        "  criteria = { { id = 'c', category = 'low', title = 'T',\n"
        "    test = function(s, p) return s:value('%s', p) > 0.15 end } },\n"
        "  tests = {\n"
        "    { name = 'с данными', period = '2023',\n"
        "      schools = { { code = 'A', values = { fail_share = { [2023] = 0.2 } } },\n"
        "                  { code = 'B', values = { fail_share = { [2023] = 0.1 } } } },\n"
        "      expect = { low = { 'A' } } },\n"
        "    { name = 'без данных', period = '2023',\n"
        "      schools = { { code = 'C' } },\n"
        "      expect = { low = {} }, insufficient = { low = { 'C' } } } } }\n";
    char text[2048];
    snprintf(text, sizeof text, body, "fail_share");
    char *pack = tu_file(f->dir, "k.lua", text);
    char *out = NULL, *err = NULL;
    int st = tu_run(NULL, &out, &err, "test", pack, NULL);
    if (st != 0 || !strstr(out, "2 passed, 0 failed")) {
        fail_msg("exit %d\n%s%s", st, out, err);
    }
    free(out), free(err);
    snprintf(text, sizeof text, body, "fail_shre");
    tu_write_str(pack, text);
    st = tu_run(NULL, &out, &err, "test", pack, NULL);
    if (st != 4 || (!strstr(out, "unknown indicator 'fail_shre'") &&
                    !strstr(err, "unknown indicator 'fail_shre'"))) {
        fail_msg("exit %d\n%s%s", st, out, err);
    }
    free(out), free(err);
    free(pack);
}

/* The example pack of the README's authoring guide, shipped as
   rules/examples/example.lua, loads, and its tests pass with every criterion
   covered both ways; a typo in it is named at the line the guide shows. */
static void test_cli_pack_readme_example_works(void **state)
{
    fixture *f = *state;
    char *readme_path = tu_top_path("README.md");
    char *readme = tu_read(readme_path, NULL);
    free(readme_path);
    assert_non_null(readme);
    char *start = strstr(readme, "<!-- example-pack -->\n```lua\n");
    assert_non_null(start);
    start += strlen("<!-- example-pack -->\n```lua\n");
    char *end = strstr(start, "```\n<!-- /example-pack -->");
    assert_non_null(end);
    *end = '\0';
    char *pack = tu_file(f->dir, "example.lua", start);
    /* the copy in the repository is the same text, to the byte */
    char *shipped_path = tu_top_path("rules/examples/example.lua");
    char *shipped = tu_read(shipped_path, NULL);
    assert_non_null(shipped);
    assert_string_equal(shipped, start);
    free(shipped);
    free(shipped_path);
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "check", pack, NULL), 0);
    free(out);
    assert_int_equal(tu_run(NULL, &out, NULL, "test", pack, NULL), 0);
    assert_non_null(strstr(out, "ok 1 - каждый критерий срабатывает на своей школе"));
    assert_non_null(strstr(out, "coverage: every criterion of example fired and did not fire"));
    assert_non_null(strstr(out, "1 passed, 0 failed"));
    free(out);
    /* the guide's sample error: the misspelt name at line 20 */
    char *typo = strstr(start, "> FAIL_LIMIT\n");
    assert_non_null(typo);
    memmove(typo + strlen("> FAIL_LIM"), typo + strlen("> FAIL_LIMI"),
            strlen(typo + strlen("> FAIL_LIMI")) + 1);
    char *bad = tu_file(f->dir, "typo.lua", start);
    char *err = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "test", bad, NULL), 4);
    if (!strstr(out, "typo.lua:20: undefined global 'FAIL_LIMT'") &&
        !strstr(err, "typo.lua:20: undefined global 'FAIL_LIMT'")) {
        fail_msg("%s%s", out, err);
    }
    free(out), free(err);
    free(bad);
    free(pack);
    free(readme);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_scratch_setup, tu_scratch_teardown)
    const struct CMUnitTest tests[] = {
        T(test_cli_pack_check_good_and_bad),
        T(test_cli_pack_check_entries_without_id),
        T(test_cli_pack_test_numbers_as_codes),
        T(test_cli_pack_test_long_indicator_codes),
        T(test_cli_pack_test_reports_cases_and_coverage),
        T(test_cli_pack_test_checks_cohorts_and_mentors),
        T(test_cli_pack_test_finds_order_dependent_criteria),
        T(test_cli_pack_list_formats),
        T(test_cli_pack_list_limit_names_pack_criterion_school_line),
        T(test_cli_pack_list_bad_period_is_usage),
        T(test_cli_pack_list_unknown_territory_names_the_known),
        T(test_cli_pack_list_unknown_mentor_is_an_error),
        T(test_cli_pack_test_refuses_misspelt_case_keys),
        T(test_cli_pack_list_unknown_attribute_is_an_error),
        T(test_cli_pack_readme_example_works),
        T(test_cli_pack_test_knows_the_other_cases_indicators),
        T(test_cli_pack_check_refuses_control_characters),
    };
    return cmocka_run_group_tests_name("cli_pack", tests, NULL, NULL);
}
