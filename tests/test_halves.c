/*
 * test_halves.c — an evaluation of many schools runs in two halves at once
 * (eval_halves.c: the second half in the pack's twin, in a thread of its own), and
 * must give the bytes one state gives: the five regional packs on the demo
 * data and a pack over 3,000 generated schools at the default split; an
 * error, a print and the instruction budget met in the second half, which
 * are reported as one state reports them. SHNOR_PARALLEL_FROM sets from how
 * many schools the halves run (0: never, 2: always).
 */
#include "testutil.h"
#include "testproc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef tu_scratch fixture;

static int teardown(void **state)
{
    unsetenv("SHNOR_PARALLEL_FROM");
    return tu_scratch_teardown(state);
}

typedef struct {
    int status;
    char *out, *err;
} result;

static void result_free(result *r)
{
    free(r->out);
    free(r->err);
}

/* Runs the CLI on f->db with SHNOR_PARALLEL_FROM set to from (NULL: unset). */
static result shnor_with(fixture *f, const char *from, char *const *args)
{
    if (from) {
        setenv("SHNOR_PARALLEL_FROM", from, 1);
    } else {
        unsetenv("SHNOR_PARALLEL_FROM");
    }
    char *argv[24] = {"--db", f->db};
    size_t n = 2;
    for (; args[n - 2] && n < 23; n++) {
        argv[n] = args[n - 2];
    }
    argv[n] = NULL;
    result r = {0};
    r.status = tu_runv(NULL, &r.out, &r.err, argv);
    return r;
}

/* The same command alone and in halves: the same status and bytes; the
   result in halves (free it). */
static result same_in_halves(fixture *f, const char *halves_from, char *const *args)
{
    result one = shnor_with(f, "0", args), two = shnor_with(f, halves_from, args);
    if (one.status != two.status || strcmp(one.out, two.out) != 0 ||
        strcmp(one.err, two.err) != 0) {
        fail_msg("%s: alone exit %d\n%s%s\nin halves exit %d\n%s%s", args[0], one.status,
                 one.out, one.err, two.status, two.out, two.err);
    }
    result_free(&one);
    return two;
}

static void test_halves_regional_packs_give_the_same_bytes(void **state)
{
    fixture *f = *state;
    tp_import_demo(f->db);
    static const char *const packs[] = {"sergokala", "kedrovy", "turochak", "georgievsk",
                                        "malokarachaevsky"};
    static const char *const periods[] = {"2022", "2020/21", "2023/24", "2023", "2019"};
    int with_targets = 0;
    for (size_t i = 0; i < sizeof packs / sizeof packs[0]; i++) {
        char rel[64];
        snprintf(rel, sizeof rel, "rules/%s.lua", packs[i]);
        char *pack = tu_top_path(rel);
        char *list[] = {"list", "--pack", pack, "--period", (char *)periods[i],
                        "--format", "csv", NULL};
        result r = same_in_halves(f, "2", list);
        assert_int_equal(r.status, 0);
        /* Something to compare: a listed school of the pack's own region. */
        if (tu_count_lines(r.out) < 2 || !strstr(r.out, ",listed,")) {
            fail_msg("%s lists nobody:\n%s", packs[i], r.out);
        }
        result_free(&r);
        char *targets[] = {"targets", "--pack", pack, "--period", (char *)periods[i],
                           "--format", "json", NULL};
        r = same_in_halves(f, "2", targets);
        assert_int_equal(r.status, 0);
        with_targets += strstr(r.out, "\"target\"") != NULL;
        result_free(&r);
        free(pack);
    }
    /* Georgievsk, Malokarachaevsky and Turochak have targets due then. */
    assert_int_equal(with_targets, 3);
}

/* An error, and a print, met for the last school by code (in the second
   half): the message is the one a single state gives, naming that school. */
static void test_halves_second_half_error_and_print_reported_as_alone(void **state)
{
    fixture *f = *state;
    tp_import_demo(f->db);
    char *last = tu_sql(f->db, "SELECT max(code) FROM schools");
    char src[1024];
    snprintf(src, sizeof src,
             "return { id = 'late', title = 'Поздняя ошибка', version = '1', source = 'тест',\n"
             "  categories = { low = 'low' },\n"
             "  criteria = { { id = 'c', category = 'low', title = 'c',\n"
             "    test = function(s, p)\n"
             "      if s.code == '%s' then print('у последней школы ' .. s.code) end\n"
             "      if s.code == '%s' and p == '2023' then error('сломано на ' .. s.code) end\n"
             "      return s.code < 'M'\n"
             "    end } } }\n",
             last, last);
    char *pack = tu_file(f->dir, "late.lua", src);
    char *broken[] = {"list", "--pack", pack, "--period", "2023", "--format", "csv", NULL};
    result r = same_in_halves(f, "2", broken);
    assert_int_not_equal(r.status, 0);
    assert_non_null(strstr(r.err, last));
    assert_non_null(strstr(r.err, "late.lua:6"));
    result_free(&r);
    /* The year without the error lists, and prints once, in school order. */
    char *printing[] = {"--verbose", "list", "--pack", pack, "--period", "2022",
                        "--format", "csv", NULL};
    r = same_in_halves(f, "2", printing);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.err, "у последней школы"));
    assert_non_null(strstr(r.out, ",listed,"));
    result_free(&r);
    free(pack);
    free(last);
}

/* The instruction budget is one evaluation's: halves that each keep within
   it but not together stop where one state stops. */
static void test_halves_share_one_instruction_budget(void **state)
{
    fixture *f = *state;
    tp_import_demo(f->db);
    char *count = tu_sql(f->db, "SELECT count(*) FROM schools");
    long n = atol(count);
    free(count);
    assert_true(n >= 20);
    char *pack = tu_file(f->dir, "busy.lua",
                      "return { id = 'busy', title = 'Занятая', version = '1', source = 'тест',\n"
                      "  categories = { low = 'low' },\n"
                      "  criteria = { { id = 'c', category = 'low', title = 'c',\n"
                      "    test = function(s, p)\n"
                      "      local x = 0\n"
                      "      for i = 1, 20000 do x = x + i end\n"
                      "      return x < 0\n"
                      "    end } } }\n");
    /* About 40,000 instructions a school: the budget of three quarters of
       the schools ends the evaluation in the second half. */
    char limit[32];
    snprintf(limit, sizeof limit, "%ld", n * 30000);
    char *busy[] = {"list", "--pack", pack, "--period", "2023", "--instr-limit", limit,
                    "--format", "csv", NULL};
    result r = same_in_halves(f, "2", busy);
    assert_int_equal(r.status, 5);
    assert_non_null(strstr(r.err, "instruction limit"));
    assert_non_null(strstr(r.err, "busy.lua:6"));
    result_free(&r);
    /* With room for all of them, both halves' results stand. */
    snprintf(limit, sizeof limit, "%ld", n * 60000);
    r = same_in_halves(f, "2", busy);
    assert_int_equal(r.status, 0);
    result_free(&r);
    free(pack);
}

/* 3,000 generated schools at the default split, figures per territory read
   by both halves at once: the bytes of one state. */
static void test_halves_default_split_on_generated_schools(void **state)
{
    fixture *f = *state;
    enum { SCHOOLS = 3000, INDS = 3 };
    char *inds = tu_path(f->dir, "indicators.csv"), *schools = tu_path(f->dir, "schools.csv");
    tp_write_indicators(inds, INDS);
    tp_write_schools(schools, SCHOOLS);
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "init", NULL), 0);
    assert_int_equal(tu_run(NULL, &out, &err, "--db", f->db, "import", "indicators", inds, NULL),
                     0);
    free(out), free(err);
    assert_int_equal(
        tu_run(NULL, &out, &err, "--db", f->db, "import", "schools", schools, NULL), 0);
    free(out), free(err);
    static const char *const years[] = {"2021", "2022", "2023"};
    for (unsigned y = 0; y < 3; y++) {
        char *values = tu_path(f->dir, "values.csv");
        tp_write_values(values, SCHOOLS, INDS, years[y], y + 1);
        assert_int_equal(
            tu_run(NULL, &out, &err, "--db", f->db, "import", "values", values, NULL), 0);
        free(out), free(err);
        free(values);
    }
    char *pack =
        tu_file(f->dir, "gen.lua",
             "local P = { '2021', '2022', '2023' }\n"
             "return { id = 'gen', title = 'Сгенерированные', version = '1', source = 'тест',\n"
             "  categories = { low = 'low', risk = 'risk' },\n"
             "  criteria = {\n"
             "    { id = 'high', category = 'low', title = 'выше 80-го процентиля района',\n"
             "      test = function(s, p)\n"
             "        local k = 0\n"
             "        for _, q in ipairs(P) do\n"
             "          if s:value('ind0', q) > shnor.percentile('ind0', q, 0.8, s.territory)"
             " then k = k + 1 end\n"
             "        end\n"
             "        return k >= 2\n"
             "      end },\n"
             "    { id = 'mean', category = 'risk', title = 'выше среднего по району',\n"
             "      test = function(s, p)\n"
             "        return s:value('ind1', p) > shnor.mean('ind1', p, s.territory)\n"
             "           and shnor.bottom(s, 'ind2', p, 0.3, s.territory, 30)\n"
             "      end } },\n"
             "  targets = {\n"
             "    { id = 'down', title = 'снижение', indicator = 'ind0', kind = 'reduce_relative',\n"
             "      value = 0.1, scope = { each = 'low' }, baseline = -1 } } }\n");
    char *list[] = {"list", "--pack", pack, "--period", "2023", "--format", "csv", NULL};
    result r = same_in_halves(f, NULL, list);
    assert_int_equal(r.status, 0);
    int lines = tu_count_lines(r.out);
    assert_true(lines > 100 && lines < SCHOOLS);
    result_free(&r);
    char *targets[] = {"targets", "--pack", pack, "--period", "2023", "--format", "csv", NULL};
    r = same_in_halves(f, NULL, targets);
    assert_int_equal(r.status, 0);
    assert_true(tu_count_lines(r.out) > 100);
    result_free(&r);
    free(pack);
    free(inds);
    free(schools);
}

#define T(name) cmocka_unit_test_setup_teardown(name, tu_scratch_setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_halves_regional_packs_give_the_same_bytes),
        T(test_halves_second_half_error_and_print_reported_as_alone),
        T(test_halves_share_one_instruction_budget),
        T(test_halves_default_split_on_generated_schools),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
