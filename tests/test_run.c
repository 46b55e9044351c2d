/*
 * test_run.c — year-end runs through the built binary on real files: every
 * seed pack run on the demo data and kept, replayed identically (also after
 * the pack file and a module were edited), data changes named by replay
 * (values, and the assignments process targets count, also for a run kept
 * before those were fingerprinted), a module required only for new data
 * served from the run, Sergokala's two lists compared as the order has
 * them, whatif naming the schools a new threshold flips, a failing pack
 * that stores nothing while the others run, listings of kept runs read back
 * by s:listed, and runs that cannot be changed.
 */
#include "testutil.h"

#include <sha2.h>
#include <sqlite3.h>

#include "shnor.h"
#include "run.h"
#include "strbuf.h"
#include "textwidth.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef tu_scratch fixture;

/* Runs the CLI on f->db; returns the exit status, output in *out. */
#define SHNOR(f, out, err, ...) tu_run(NULL, out, err, "--db", (f)->db, __VA_ARGS__, NULL)

static void must(fixture *f, const char *what, int status, char *out, char *err)
{
    if (status != 0) {
        fail_msg("%s: exit %d\n%s\n%s", what, status, out ? out : "", err ? err : "");
    }
    (void)f;
}

/* The demo data of the five regions, as make demo imports it. */
static void import_demo(fixture *f)
{
    static const char *const regions[] = {"sergokala", "kedrovy", "turochak",
                                          "georgievsk", "malokarachaevsky"};
    char *out = NULL, *err = NULL, *path = tu_top_path("scripts/demo/indicators.csv");
    must(f, "init", SHNOR(f, &out, &err, "init"), out, err);
    free(out), free(err);
    must(f, "indicators", SHNOR(f, &out, &err, "import", "indicators", path), out, err);
    free(path);
    free(out);
    free(err);
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++) {
        static const char *const kinds[] = {"schools", "values", "listings"};
        for (size_t k = 0; k < 3; k++) {
            char rel[128];
            snprintf(rel, sizeof rel, "scripts/demo/%s/%s.csv", regions[i], kinds[k]);
            path = tu_top_path(rel);
            char *text = tu_read(path, NULL);
            if (text) {
                must(f, rel, SHNOR(f, &out, &err, "import", kinds[k], path), out, err);
                free(out);
                free(err);
            }
            free(text);
            free(path);
        }
    }
}

/* A copy of the repository's rules/ (packs and lib) under dir/rules. */
static char *copy_rules(fixture *f)
{
    char *rules = tu_path(f->dir, "rules"), *lib = tu_path(rules, "lib");
    char cmd[1024];
    char *top = tu_top_path("rules");
    snprintf(cmd, sizeof cmd, "cp -r '%s' '%s'", top, f->dir);
    assert_int_equal(system(cmd), 0);
    free(top);
    free(lib);
    return rules;
}

static void test_run_all_packs_kept_and_replayed(void **state)
{
    fixture *f = *state;
    import_demo(f);
    char *rules = copy_rules(f);
    char *out = NULL, *err = NULL;
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", rules, "--format", "csv"), out,
         err);
    /* One kept run per pack, each in its own period. */
    assert_non_null(strstr(out, ",georgievsk,2023,2023,30,4,"));
    assert_non_null(strstr(out, ",kedrovy,2020/21,2020/21,3,2,"));
    assert_non_null(strstr(out, ",malokarachaevsky,2021,2019,15,3,"));
    assert_non_null(strstr(out, ",sergokala,2023,2022,24,6,"));
    assert_non_null(strstr(out, ",turochak,2023/24,2023/24,10,4,"));
    free(out);
    free(err);
    char *rows = tu_sql(f->db, "SELECT r.pack_id, count(l.seq) FROM runs r "
                               "LEFT JOIN run_listings l ON l.run_id = r.id "
                               "GROUP BY r.id ORDER BY r.id");
    assert_string_equal(rows, "georgievsk|4\nkedrovy|2\nmalokarachaevsky|3\nsergokala|6\n"
                              "turochak|4");
    free(rows);
    /* The sources are stored once each, with the modules they required and,
       as ?name, the other modules of rules/lib they could have. */
    rows = tu_sql(f->db,
                  "SELECT (SELECT count(*) FROM sources), "
                  "(SELECT group_concat(name, ',') FROM (SELECT name FROM run_modules "
                  "WHERE run_id = 4 ORDER BY name))");
    assert_string_equal(rows, "9|?cohorts,?persistence,?thresholds,lists");
    free(rows);
    for (int id = 1; id <= 5; id++) {
        char ids[16];
        snprintf(ids, sizeof ids, "%d", id);
        int st = SHNOR(f, &out, &err, "replay", ids);
        if (st != 0 || !strstr(out, "список и цели совпадают")) {
            fail_msg("replay %d: exit %d\n%s%s", id, st, out, err);
        }
        free(out);
        free(err);
    }
    /* Edit the pack file and its module: replay still uses what was kept. */
    char *serg = tu_path(rules, "sergokala.lua"),
         *lists = tu_path(rules, "lib/lists.lua");
    tu_write_str(serg, "return { broken = ");
    tu_write_str(lists, "error('edited')");
    assert_int_equal(SHNOR(f, &out, &err, "replay", "4"), 0);
    assert_non_null(strstr(out, "изменён после запуска; использован сохранённый текст"));
    assert_non_null(strstr(out, "Запуск #4 воспроизведён: список и цели совпадают."));
    free(out);
    free(err);
    /* A run compared with itself: nothing entered or left, no target changed
       (Georgievsk checks targets at two control points: rows of one target and
       school differ by period). */
    assert_int_equal(SHNOR(f, &out, &err, "diff", "1", "1", "--format", "json"), 0);
    assert_non_null(strstr(out, "\"targets\": []"));
    assert_null(strstr(out, "\"change\": \"entered\""));
    assert_null(strstr(out, "\"change\": \"left\""));
    assert_null(strstr(err, "note:"));
    free(out);
    free(err);
    /* Runs of two packs compare, with a word that they are two packs. */
    assert_int_equal(SHNOR(f, &out, &err, "diff", "1", "4", "--format", "csv"), 0);
    assert_non_null(strstr(err, "note: run #1 is of pack '"));
    assert_non_null(strstr(err, "' and run #4 of pack 'sergokala'"));
    free(out);
    free(err);
    /* show-run gives the kept listing back, with explanations. */
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "4", "--format", "csv"), 0);
    assert_int_equal(tu_count_lines(out), 7);
    assert_non_null(strstr(out, "\nSRG-BUR,МКОУ «Бурхимахинская СОШ»,low,fed_list,listed,"
                                "persistent,SRG-SOSH1,,Сергокалинский район,"));
    free(out);
    free(err);
    /* The control points due and not met, of every pack with a kept run, each
       with the source its latest run kept (sergokala's file is broken now). */
    int rc = SHNOR(f, &out, &err, "targets", "--due-by", "2023-07-01", "--format", "csv");
    if (rc != 0) {
        fail_msg("targets --due-by: %d\n%s", rc, err);
    }
    assert_true(strncmp(out, "target,kind,scope,indicator,baseline_period,baseline,period,"
                             "actual,threshold,status,reason,method,checkpoint,title,pack,"
                             "run\n",
                        strlen("target,kind,scope,indicator,baseline_period,baseline,period,"
                               "actual,threshold,status,reason,method,checkpoint,title,pack,"
                               "run\n")) == 0);
    assert_non_null(strstr(out, "\nfail_down_risk,reduce_relative,GEO-28,fail_share,2022-H2,"
                                "0.057,2023-H1,0.054,0.0513,not_met,,,2023-H1,"));
    assert_non_null(strstr(out, ",georgievsk,1\n"));
    assert_null(strstr(out, ",met,"));
    free(out);
    free(err);
    /* the table says which packs have no targets at all, and dates as people write them */
    rc = SHNOR(f, &out, &err, "targets", "--due-by", "2023-07-01");
    if (rc != 0 || !strstr(out, "georgievsk (запуск #1): контрольные точки по 01.07.2023, не "
                                "выполнены:\n") ||
        !strstr(out, "\nkedrovy (запуск #2): у пакета нет целевых показателей\n")) {
        fail_msg("targets --due-by table: %d\n%s%s", rc, out, err);
    }
    free(out);
    free(err);
    free(serg);
    free(lists);
    free(rules);
}

static void test_run_diff_reproduces_sergokala_lists(void **state)
{
    fixture *f = *state;
    import_demo(f);
    char *pack_path = tu_top_path("rules/sergokala.lua");
    char *out = NULL, *err = NULL;
    must(f, "run 2022", SHNOR(f, &out, &err, "run", "--packs", pack_path, "--period", "2022"),
         out, err);
    free(out);
    free(err);
    must(f, "run 2023", SHNOR(f, &out, &err, "run", "--packs", pack_path), out, err);
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "diff", "1", "2", "--format", "csv"), 0);
    /* The order: 3 stayed, 3 entered, 9 left between the 2021 and 2022 lists. */
    const char *stayed[] = {"SRG-BUR", "SRG-KAD", "SRG-VAN"};
    const char *entered[] = {"SRG-BALT", "SRG-KANA", "SRG-URAH"};
    const char *left[] = {"SRG-AIM",  "SRG-DEG",  "SRG-KICH", "SRG-KPART", "SRG-MIGL",
                          "SRG-MURG", "SRG-MYUR", "SRG-NMUG", "SRG-NMUL"};
    assert_int_equal(tu_count_lines(out), 1 + 3 + 3 + 9);
    char want[256];
    for (int i = 0; i < 3; i++) {
        snprintf(want, sizeof want, "\n%s,stayed,low,low,fed_list,new,persistent,",
                 stayed[i]);
        assert_non_null(strstr(out, want));
        snprintf(want, sizeof want, "\n%s,entered,,low,fed_list,,new,", entered[i]);
        assert_non_null(strstr(out, want));
    }
    for (int i = 0; i < 9; i++) {
        snprintf(want, sizeof want, "\n%s,left,low,,", left[i]);
        assert_non_null(strstr(out, want));
    }
    /* 7 of the 12 of 2021 were «500+»: its criterion shows among theirs. */
    int with_500 = 0;
    for (const char *p = out; (p = strstr(p, "fed_list;list_500plus")); p++) {
        with_500++;
    }
    /* The four «500+» schools that left show 2021's criteria; the three that
       stayed show 2022's, when «500+» was not listed any more. */
    assert_int_equal(with_500, 4);
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "diff", "1", "2"), 0);
    assert_non_null(strstr(out, "Вошли 3, вышли 9, остались 3, сменили категорию 0."));
    assert_non_null(strstr(out, "low: вошли 3, вышли 9, остались 3"));
    free(out);
    free(err);
    free(pack_path);
}

/* A pack with one threshold; the what-if version lowers it. */
static const char *threshold_pack =
    "return { id = 'w', title = 'W', version = '%s', source = 'Приказ',\n"
    "  categories = { low = 'ШНОР' },\n"
    "  criteria = {\n"
    "    { id = 'fail_high', category = 'low', title = 'Доля неуспевающих выше порога',\n"
    "      test = function(s, p) return s:value('fail', p) > %s end },\n"
    "    { id = 'score_low', category = 'low', title = 'Балл ниже 40',\n"
    "      test = function(s, p) return s:value('score', p) < 40 end } },\n"
    "  targets = { { id = 'down', title = 'Снижение', indicator = 'fail',\n"
    "    kind = 'reduce_relative', value = 0.1, scope = { each = 'low' }, baseline = -1 "
    "} } }\n";

static void small_region(fixture *f)
{
    char *ind = tu_file(f->dir, "i.csv",
                     "code,title,unit,better,min,max\n"
                     "fail,Доля неуспевающих,share,lower,,\n"
                     "score,Балл,score,higher,0,100\n");
    char *sch = tu_file(f->dir, "s.csv",
                     "code,name,territory\nA,Школа А,Север\nB,Школа Б,Север\n"
                     "C,Школа В,Юг\nD,Школа Г,Юг\nE,Школа Д,Юг\n");
    char *val = tu_file(f->dir, "v.csv",
                     "school,period,fail,score\n"
                     "A,2022,30%,50\nA,2023,25%,50\n"
                     "B,2022,18%,50\nB,2023,17%,50\n"
                     "C,2022,16%,35\nC,2023,16%,35\n"
                     "D,2022,10%,60\nD,2023,12%,60\n"
                     "E,2022,5%,60\nE,2023,5%,60\n");
    char *out = NULL, *err = NULL;
    must(f, "init", SHNOR(f, &out, &err, "init"), out, err);
    free(out), free(err);
    must(f, "i", SHNOR(f, &out, &err, "import", "indicators", ind), out, err);
    free(out), free(err);
    must(f, "s", SHNOR(f, &out, &err, "import", "schools", sch), out, err);
    free(out), free(err);
    must(f, "v", SHNOR(f, &out, &err, "import", "values", val), out, err);
    free(out), free(err);
    free(ind);
    free(sch);
    free(val);
}

static char *pack_file(fixture *f, const char *name, const char *version,
                       const char *limit)
{
    char text[2048];
    snprintf(text, sizeof text, threshold_pack, version, limit);
    return tu_file(f->dir, name, text);
}

/* The small region run with pack a.lua (failure above 20 %) for 2023, kept as
   run 1; the pack's path (the caller frees it). */
static char *small_run(fixture *f)
{
    small_region(f);
    char *a = pack_file(f, "a.lua", "1", "0.2");
    char *out = NULL, *err = NULL;
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", a, "--period", "2023"), out,
         err);
    free(out), free(err);
    return a;
}

/* B's failure share goes up to 22 % in 2023: a.lua lists it now. */
static void b_enters_the_list(fixture *f)
{
    char *out = NULL, *err = NULL;
    char *fix = tu_file(f->dir, "fix.csv", "school,indicator,period,value\nB,fail,2023,22%\n");
    must(f, "fix", SHNOR(f, &out, &err, "import", "values", fix), out, err);
    free(out), free(err);
    free(fix);
}

static void test_run_whatif_names_the_schools_that_flip(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *a = pack_file(f, "a.lua", "1", "0.2"), *b = pack_file(f, "b.lua", "2", "0.15");
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "whatif", "--pack", a, "--vs", b, "--period",
                           "2023", "--format", "csv"),
                     0);
    /* Above 20%: A; above 15%: A, B (17%), C (16%, also listed by its score). */
    assert_string_equal(
        out, "school,change,category_a,category_b,criteria,cohort_a,cohort_b,name,"
             "territory,insufficient_a,insufficient_b,override_a,override_b\n"
             "A,stayed,low,low,,,,Школа А,Север,,,,\n"
             "B,entered,,low,+fail_high,,,Школа Б,Север,,,,\n"
             "C,stayed,low,low,+fail_high,,,Школа В,Юг,,,,\n");
    free(out);
    free(err);
    assert_int_equal(
        SHNOR(f, &out, &err, "whatif", "--pack", a, "--vs", b, "--period", "2023"), 0);
    assert_non_null(strstr(out, "Вошли 1, вышли 0, остались 2"));
    assert_non_null(strstr(out, "  Север: вошли 1, вышли 0, остались 1\n"));
    assert_non_null(strstr(out, "  Юг: вошли 0, вышли 0, остались 1\n"));
    /* the target row names its period: a target has one per checkpoint */
    assert_non_null(strstr(out, "Цели с изменившимся статусом:\n  down, B, 2023: — → не выполнено\n"));
    assert_null(strstr(err, "note:")); /* two versions of one pack */
    free(out);
    free(err);
    /* two packs are compared, with a note, as diff notes runs of two */
    char *other = tu_file(f->dir, "other.lua", "return { id = 'other', title = 'O', version = "
                                               "'1', source = 'П', categories = { low = 'Л' },\n"
                                               "  criteria = { { id = 'c', category = 'low', "
                                               "title = 'все', test = function() return true "
                                               "end } } }\n");
    assert_int_equal(
        SHNOR(f, &out, &err, "whatif", "--pack", a, "--vs", other, "--period", "2023"), 0);
    assert_non_null(strstr(err, "note: "));
    assert_non_null(strstr(err, "pack 'w' and "));
    assert_non_null(strstr(err, "pack 'other'; their listings are compared school by school"));
    free(out);
    free(err);
    free(other);
    /* The targets too: with 15%, B (18% in 2022) is listed at the baseline and
       its reduction target is new. */
    assert_int_equal(SHNOR(f, &out, &err, "whatif", "--pack", a, "--vs", b, "--period", "2023",
                           "--format", "json"),
                     0);
    assert_non_null(strstr(out, "\"target\": \"down\",\n      \"scope\": \"B\",\n      "
                                "\"period\": \"2023\",\n      \"status_a\": null,\n      "
                                "\"status_b\": \"not_met\""));
    /* criteria as a list, as `list` gives them; none is an empty list */
    assert_non_null(strstr(out, "\"change\": \"entered\",\n      \"category_a\": null,\n"
                                "      \"category_b\": \"low\",\n      \"cohort_a\": null,\n"
                                "      \"cohort_b\": null,\n      \"criteria\": [\n"
                                "        \"+fail_high\"\n      ]"));
    assert_non_null(strstr(out, "\"criteria\": []"));
    free(out);
    free(err);
    /* Nothing was kept. */
    char *n = tu_sql(f->db, "SELECT count(*) FROM runs");
    assert_string_equal(n, "0");
    free(n);
    /* so targets --due-by without --pack has no packs to take */
    assert_int_equal(SHNOR(f, &out, &err, "targets", "--due-by", "2023-07-01"), 9);
    assert_non_null(strstr(err, "no kept runs"));
    free(out);
    free(err);
    free(a);
    free(b);
    /* A copy saved elsewhere to try out requires the modules of the pack it
       is compared with (it has no lib/ beside it). */
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/rules/lib' '%s/try'", f->dir, f->dir);
    assert_int_equal(system(cmd), 0);
    free(tu_file(f->dir, "rules/lib/limits.lua", "return { fail = 0.2 }\n"));
    const char *uses = "local L = require('limits')\n"
                       "return { id = 'w', title = 'W', version = '%s', source = 'П',\n"
                       "  categories = { low = 'ШНОР' },\n"
                       "  criteria = { { id = 'fail_high', category = 'low', title = 'x',\n"
                       "    test = function(s, p) return s:value('fail', p) > L.fail * %s end "
                       "} } }\n";
    char text[1024];
    snprintf(text, sizeof text, uses, "1", "1");
    a = tu_file(f->dir, "rules/w.lua", text);
    snprintf(text, sizeof text, uses, "2", "0.75");
    b = tu_file(f->dir, "try/w.lua", text);
    int rc = SHNOR(f, &out, &err, "whatif", "--pack", a, "--vs", b, "--period", "2023",
                   "--format", "csv");
    if (rc != 0) {
        fail_msg("whatif with a copy elsewhere: %d\n%s", rc, err);
    }
    assert_non_null(strstr(out, "B,entered,,low,+fail_high,"));
    free(out), free(err);
    free(a);
    free(b);
}

/* A school listed on one side that the other could not decide for want of
   data neither entered nor left: whatif and diff say so (regression: «вышла»). */
/* A person's decision shows in diff beside the change it made: an exclusion
   by hand is not an exit by the criteria, an inclusion not an entry by them. */
static void test_run_diff_shows_decisions_by_hand(void **state)
{
    fixture *f = *state;
    char *a = small_run(f); /* run 1: A and C listed */
    char *out = NULL, *err = NULL;
    must(f, "exclude",
         SHNOR(f, &out, &err, "override", "add", "A", "--period", "2023", "--exclude",
               "--category", "low", "--reason", "необъективные результаты", "--by", "Иванова"),
         out, err);
    free(out), free(err);
    must(f, "include",
         SHNOR(f, &out, &err, "override", "add", "E", "--period", "2023", "--include",
               "--category", "low", "--reason", "решение комиссии", "--by", "Иванова"),
         out, err);
    free(out), free(err);
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", a, "--period", "2023"), out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "diff", "1", "2", "--format", "csv"), 0);
    const char *left = strstr(out, "\nA,left,low,,fail_high,");
    const char *entered = strstr(out, "\nE,entered,,low,,");
    if (!left || !entered || !strstr(left, ",,\"исключена вручную: необъективные результаты "
                                           "(Иванова, ") ||
        !strstr(entered, ",,\"включена вручную: решение комиссии (Иванова, ")) {
        fail_msg("diff csv:\n%s", out);
    }
    assert_non_null(strstr(out, "\nC,stayed,low,low,score_low,,,Школа В,Юг,,,,\n"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "diff", "1", "2", "--format", "json"), 0);
    assert_non_null(strstr(out, "\"override_b\": \"исключена вручную: необъективные"));
    free(out), free(err);
    setenv("COLUMNS", "250", 1); /* the criteria cell on one line */
    assert_int_equal(SHNOR(f, &out, &err, "diff", "1", "2"), 0);
    unsetenv("COLUMNS");
    assert_non_null(strstr(out, "fail_high; Б: исключена вручную: необъективные результаты"));
    free(out), free(err);
    /* criteria in the pack's order, as list and show-run give them */
    char *ord = tu_file(f->dir, "ord.lua",
                        "return { id = 'w', title = 'W', version = '3', source = 'Приказ',\n"
                        "  period = '2023', categories = { low = 'ШНОР' },\n"
                        "  criteria = {\n"
                        "    { id = 'zz', category = 'low', title = 'Z', test = function(s, p)\n"
                        "      return s:value('fail', p) > 0.15 end },\n"
                        "    { id = 'aa', category = 'low', title = 'A', test = function(s, p)\n"
                        "      return s:value('score', p) < 60 end } } }\n");
    must(f, "run ord", SHNOR(f, &out, &err, "run", "--packs", ord), out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "diff", "2", "3", "--format", "json"), 0);
    if (!strstr(out, "\"criteria\": [\n        \"zz\",\n        \"aa\"\n      ]")) {
        fail_msg("diff json:\n%s", out);
    }
    free(out), free(err);
    /* whatif too: a decision for one of the two packs shows on its side */
    char *text = tu_read(a, NULL);
    char *at = strstr(text, "id = 'w'");
    assert_non_null(at);
    strbuf other = STRBUF_INIT;
    sb_printf(&other, "%.*sid = 'w2'%s", (int)(at - text), text, at + strlen("id = 'w'"));
    char *a2 = tu_file(f->dir, "a2.lua", other.data);
    sb_free(&other);
    free(text);
    must(f, "exclude for w2",
         SHNOR(f, &out, &err, "override", "add", "C", "--period", "2023", "--exclude",
               "--category", "low", "--reason", "только для w2", "--by", "Иванова", "--pack",
               "w2"),
         out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "whatif", "--pack", a, "--vs", a2, "--period", "2023",
                           "--format", "csv"),
                     0);
    if (!strstr(out, "\nC,left,low,,") ||
        !strstr(out, ",,\"исключена вручную: только для w2 (Иванова, ")) {
        fail_msg("whatif csv:\n%s", out);
    }
    free(out), free(err);
    free(a2);
    free(ord);
    free(a);
}

static char *single_spaced(char *text);

static void test_run_whatif_and_diff_tell_insufficient_from_left(void **state)
{
    fixture *f = *state;
    char *a = small_run(f);
    /* b reads A's failure share of 2021, which there is none of */
    char *b = pack_file(f, "b.lua", "2", "s:value('fail', s.code == 'A' and '2021' or p) * 0 + 0.2");
    char *out = NULL, *err = NULL;
    must(f, "whatif", SHNOR(f, &out, &err, "whatif", "--pack", a, "--vs", b, "--period", "2023",
                            "--format", "csv"),
         out, err);
    assert_non_null(strstr(out, "\nA,insufficient_data,low,,-fail_high,"));
    assert_non_null(strstr(out, ",Север,,low,,\n")); /* B lacked data for low */
    assert_null(strstr(out, "A,left"));
    free(out), free(err);
    must(f, "whatif table",
         SHNOR(f, &out, &err, "whatif", "--pack", a, "--vs", b, "--period", "2023"), out, err);
    assert_non_null(strstr(out, "нет данных"));
    /* the lines under the table wrap to 80 columns as the table does */
    for (const char *line = out; *line; line += strcspn(line, "\n") + (line[strcspn(line, "\n")] != 0)) {
        size_t n = strcspn(line, "\n");
        if (utf8_display_width(line, n) > 80) {
            fail_msg("a line wider than 80 columns: %.*s", (int)n, line);
        }
    }
    char *joined = single_spaced(strdup(out));
    assert_non_null(strstr(joined, "не решено за недостатком данных 1"));
    free(joined);
    assert_non_null(strstr(out, "  low: вошли 0, вышли 0, остались 1, без данных 1\n"));
    /* the ids the table shows, named */
    assert_non_null(strstr(out, "\nОбозначения: low — ШНОР.\n"));
    free(out), free(err);
    must(f, "run b", SHNOR(f, &out, &err, "run", "--packs", b, "--period", "2023"), out, err);
    free(out), free(err);
    must(f, "diff", SHNOR(f, &out, &err, "diff", "1", "2", "--format", "json"), out, err);
    assert_non_null(strstr(out, "\"change\": \"insufficient_data\""));
    assert_null(strstr(out, "\"change\": \"left\""));
    free(out), free(err);
    /* listed on both sides, one category undecided on one: not «changed» */
    static const char two_cats[] =
        "return { id = 'two', title = 'T', version = '%s', source = 'П',\n"
        "  categories = { low = 'ШНОР', risk = 'риск' },\n"
        "  criteria = {\n"
        "    { id = 'f', category = 'low', title = 'ф',\n"
        "      test = function(s, p) return s:value('fail', p) > 0.2 end },\n"
        "    { id = 'r', category = 'risk', title = 'р',\n"
        "      test = function(s, p) return s:value('score', %s) < 55 end } } }\n";
    char text[1024];
    snprintf(text, sizeof text, two_cats, "1", "p");
    char *x = tu_file(f->dir, "x.lua", text);
    snprintf(text, sizeof text, two_cats, "2", "s.code == 'A' and '2021' or p");
    char *y = tu_file(f->dir, "y.lua", text);
    must(f, "whatif two", SHNOR(f, &out, &err, "whatif", "--pack", x, "--vs", y, "--period",
                                "2023"),
         out, err);
    const char *row = strstr(out, "\nA ");
    if (!row || !strstr(row, "нет данных") || !strstr(out, "сменили категорию 0") ||
        !strstr(out, "? risk")) {
        fail_msg("%s", out);
    }
    free(out), free(err);
    /* counts per category in the ids' order, not the first school's: A is
       listed only at risk, B and C in both */
    char *z = tu_file(f->dir, "z.lua",
                      "return { id = 'z', title = 'Z', version = '1', source = 'П',\n"
                      "  categories = { low = 'ШНОР', risk = 'риск' },\n"
                      "  criteria = {\n"
                      "    { id = 'f', category = 'low', title = 'ф',\n"
                      "      test = function(s, p) return s.code > 'A' and\n"
                      "        s:value('fail', p) > 0.15 end },\n"
                      "    { id = 'r', category = 'risk', title = 'р',\n"
                      "      test = function(s, p) return s:value('score', p) < 55 end } } }\n");
    must(f, "whatif order", SHNOR(f, &out, &err, "whatif", "--pack", z, "--vs", z, "--period",
                                  "2023"),
         out, err);
    if (!strstr(out, "По категориям:\n  low: вошли 0, вышли 0, остались 2\n"
                     "  risk: вошли 0, вышли 0, остались 3\n")) {
        fail_msg("%s", out);
    }
    free(out), free(err);
    free(z);
    free(x);
    free(y);
    free(a);
    free(b);
}

/* A run keeps its pack's full path: replay from another directory still
   finds the file (regression: «Файл пакета a.lua не найден» for a path
   given relative to where the run was made). */
static void test_run_replay_finds_the_pack_from_elsewhere(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *a = pack_file(f, "a.lua", "1", "0.2");
    char cwd[4096];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *out = NULL, *err = NULL;
    assert_int_equal(chdir(f->dir), 0);
    int rc = SHNOR(f, &out, &err, "run", "--packs", "a.lua", "--period", "2023");
    assert_int_equal(chdir("/"), 0);
    free(out), free(err);
    int rr = SHNOR(f, &out, &err, "replay", "1");
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(rr, 0);
    assert_null(strstr(out, "не найден"));
    free(out), free(err);
    tu_write_str(a, "-- edited\n");
    assert_int_equal(chdir("/"), 0);
    rr = SHNOR(f, &out, &err, "replay", "1");
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rr, 0);
    assert_non_null(strstr(out, "a.lua изменён после запуска"));
    free(out), free(err);
    free(a);
}

/* A module the run loaded, edited since in the pack's lib directory, is
   named by replay, which still uses the text kept with the run. */
static void test_run_replay_names_an_edited_module(void **state)
{
    fixture *f = *state;
    small_region(f);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/rules/lib'", f->dir);
    assert_int_equal(system(cmd), 0);
    char *lib = tu_file(f->dir, "rules/lib/limits.lua", "return { fail = 0.2 }\n");
    free(tu_file(f->dir, "rules/lib/unused.lua", "return {}\n"));
    char *pack_path = tu_file(f->dir, "rules/m.lua",
                         "local L = require('limits')\n"
                         "return { id = 'm', title = 'M', version = '1', source = 'П',\n"
                         "  categories = { low = 'ШНОР' },\n"
                         "  criteria = { { id = 'f', category = 'low', title = 'x',\n"
                         "    test = function(s, p) return s:value('fail', p) > L.fail end "
                         "} } }\n");
    char *out = NULL, *err = NULL;
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", pack_path, "--period", "2023"), out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 0);
    assert_null(strstr(out, "Модуль"));
    free(out), free(err);
    /* a module only available to require is not named when it changes */
    free(tu_file(f->dir, "rules/lib/unused.lua", "return { x = 1 }\n"));
    tu_write_str(lib, "return { fail = 0.9 }\n");
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 0);
    char want[512];
    snprintf(want, sizeof want,
             "Модуль limits: файл %s/rules/lib/limits.lua отличается от текста, сохранённого "
             "с запуском",
             f->dir);
    if (!strstr(out, want) || strstr(out, "Модуль unused") ||
        !strstr(out, "список и цели совпадают")) {
        fail_msg("%s", out);
    }
    free(out), free(err);
    /* and a module whose file is gone is named too, the replay still made */
    assert_int_equal(unlink(lib), 0);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 0);
    snprintf(want, sizeof want, "Модуль limits: файла %s/rules/lib/limits.lua нет", f->dir);
    if (!strstr(out, want) || !strstr(out, "список и цели совпадают")) {
        fail_msg("%s", out);
    }
    free(out), free(err);
    free(lib);
    free(pack_path);
}

/* A register that moves a school changes which values a territory's pack
   reads, not the values: replay says so once (regression: a line per column,
   each counted as a changed value). */
static void test_run_replay_names_a_register_change_once(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *p = tu_file(f->dir, "north.lua",
                      "return { id = 'n', title = 'N', version = '1', source = 'П',\n"
                      "  territory = 'Север', categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'f', category = 'low', title = 'x',\n"
                      "    test = function(s, p) return s:value('fail', p) > 0.2\n"
                      "      and s:value('fail', shnor.period.prev(p)) > 0.2\n"
                      "      and s:value('score', p) > 10 end } } }\n");
    char *out = NULL, *err = NULL;
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", p, "--period", "2023"), out, err);
    free(out), free(err);
    char *moved = tu_file(f->dir, "moved.csv", "code,name,territory\nB,Школа Б,Юг\n");
    must(f, "move", SHNOR(f, &out, &err, "import", "schools", moved), out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 0);
    if (!strstr(out, "  данные: изменился состав школ (реестр): 3 столбца с другим числом "
                     "значений, без новых значений (fail, 2022: было значений 2, стало 1, …)\n")) {
        fail_msg("%s", out);
    }
    assert_non_null(strstr(out, "Изменений в данных: 1."));
    free(out), free(err);
    free(moved);
    free(p);
}

static void test_run_replay_names_changed_values(void **state)
{
    fixture *f = *state;
    char *a = small_run(f);
    char *out = NULL, *err = NULL;
    b_enters_the_list(f);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 6);
    assert_non_null(strstr(out, "  данные: B, fail, 2023: было 17,0%, стало 22,0%\n"));
    assert_non_null(strstr(out, "список, стало: B | low | listed | fail_high"));
    /* The target covers the schools listed in 2022, which B was not. */
    assert_non_null(
        strstr(out, "с отличиями: в списке 1, в целях 0; данные с тех пор изменились"));
    assert_non_null(strstr(out, "Изменений в данных: 1."));
    free(out);
    free(err);
    /* A value changed and changed back is no difference. */
    char *there = tu_file(f->dir, "there.csv", "school,indicator,period,value\nD,fail,2023,40%\n");
    char *back = tu_file(f->dir, "back.csv", "school,indicator,period,value\nD,fail,2023,12%\n");
    must(f, "there", SHNOR(f, &out, &err, "import", "values", there), out, err);
    free(out), free(err);
    must(f, "back", SHNOR(f, &out, &err, "import", "values", back), out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 6);
    assert_null(strstr(out, "D, fail"));
    assert_non_null(strstr(out, "Изменений в данных: 1."));
    free(out), free(err);
    /* Another pack's decision is none of this run's (regression: "ручные
       решения изменились" for an override of another pack) */
    must(f, "other pack's",
         SHNOR(f, &out, &err, "override", "add", "D", "--period", "2023", "--include",
               "--category", "low", "--reason", "другой порядок", "--by", "Иванов", "--pack",
               "other"),
         out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 6);
    assert_null(strstr(out, "ручные решения"));
    free(out), free(err);
    /* A person's decision since the run is named too. */
    must(f, "override",
         SHNOR(f, &out, &err, "override", "add", "E", "--period", "2023", "--include",
               "--category", "low", "--reason", "решение комиссии", "--by", "Иванов"),
         out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 6);
    assert_non_null(strstr(out, "ручные решения (override) изменились с момента запуска"));
    assert_non_null(strstr(out, "список, стало: E | low | listed"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "99"), 9);
    free(out);
    free(err);
    /* an id past the range is no id at all, not the largest one */
    static const char *const too_big[][3] = {{"replay", "99999999999999999999", NULL},
                                             {"show-run", "99999999999999999999", NULL},
                                             {"diff", "1", "99999999999999999999"}};
    for (size_t i = 0; i < 3; i++) {
        int rc = too_big[i][2] ? SHNOR(f, &out, &err, too_big[i][0], too_big[i][1], too_big[i][2])
                               : SHNOR(f, &out, &err, too_big[i][0], too_big[i][1]);
        if (rc != 2 || strstr(err, "9223372036854775807")) {
            fail_msg("%s %s: exit %d\n%s", too_big[i][0], too_big[i][1], rc, err);
        }
        free(out), free(err);
    }
    free(there);
    free(back);
    free(a);
}

/* A pack that requires one module at once and another only for a school
   above 50 %, which no school is when it runs. */
static const char *lazy_pack =
    "local B = require('base')\n"
    "return { id = 'lazyp', title = 'L', version = '1', source = 'П',\n"
    "  categories = { low = 'ШНОР' },\n"
    "  criteria = { { id = 'c1', category = 'low', title = 'выше половины',\n"
    "    test = function(s, p)\n"
    "      local v = s:value('fail', p)\n"
    "      if v > B.half then return require('lazy').bonus == 1 end\n"
    "      return false end } } }\n";

/* The run keeps every module its require could reach, so a replay whose
   data reaches a require the run never hit still loads it from the run
   (and says what differs) instead of failing. */
static void test_run_replay_serves_a_module_required_lazily(void **state)
{
    fixture *f = *state;
    small_region(f);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s/lz/lib/sub'", f->dir);
    assert_int_equal(system(cmd), 0);
    free(tu_file(f->dir, "lz/lib/base.lua", "return { half = 0.5 }\n"));
    free(tu_file(f->dir, "lz/lib/lazy.lua", "return { bonus = 1 }\n"));
    free(tu_file(f->dir, "lz/lib/other.lua", "return 2\n"));
    /* Not modules require could load: kept neither. */
    free(tu_file(f->dir, "lz/lib/not-a-name.lua", "return 3\n"));
    free(tu_file(f->dir, "lz/lib/notes.txt", "text\n"));
    free(tu_file(f->dir, "lz/lib/sub/deep.lua", "return 4\n"));
    /* Over the size kept for a module (1 MiB): passed over. */
    size_t big = ((size_t)1 << 20) + 16;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, '-', big);
    huge[big] = '\0';
    free(tu_file(f->dir, "lz/lib/huge.lua", huge));
    free(huge);
    char *pack_path = tu_file(f->dir, "lz/p.lua", lazy_pack);
    char *out = NULL, *err = NULL;
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", pack_path, "--period", "2023"), out,
         err);
    free(out), free(err);
    /* The module it loaded under its name, the others it could have as ?name. */
    char *names =
        tu_sql(f->db, "SELECT group_concat(name, ',') FROM "
                      "(SELECT name FROM run_modules WHERE run_id = 1 ORDER BY name)");
    assert_string_equal(names, "?lazy,?other,base");
    free(names);
    /* The files change after the run: replay reads what the run kept. */
    free(tu_file(f->dir, "lz/lib/lazy.lua", "error('edited')\n"));
    free(tu_file(f->dir, "lz/lib/base.lua", "error('edited')\n"));
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 0);
    free(out), free(err);
    /* B goes up to 60 %: its criterion now reaches require('lazy'). */
    char *fix =
        tu_file(f->dir, "fix.csv", "school,indicator,period,value\nB,fail,2023,60%\n");
    must(f, "fix", SHNOR(f, &out, &err, "import", "values", fix), out, err);
    free(out), free(err);
    int rc = SHNOR(f, &out, &err, "replay", "1");
    if (rc != 6) {
        fail_msg("replay after the data reached a lazy require: exit %d\n%s%s", rc, out,
                 err);
    }
    assert_non_null(strstr(out, "список, стало: B | low | listed | c1"));
    assert_non_null(strstr(out, "  данные: B, fail, 2023: было 17,0%, стало 60,0%\n"));
    assert_non_null(
        strstr(out, "с отличиями: в списке 1, в целях 0; данные с тех пор изменились"));
    free(out), free(err);
    free(fix);
    free(pack_path);
}

static void test_run_failing_pack_stores_nothing_others_run(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *dir = tu_path(f->dir, "packs");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    char *good = tu_path(dir, "a_good.lua"), *bad = tu_path(dir, "b_bad.lua");
    char text[2048];
    snprintf(text, sizeof text, threshold_pack, "1", "0.2");
    tu_write_str(good, text);
    tu_write_str(bad, "return { id = 'bad', title = 'B', version = '1', source = 'П',\n"
                      "  categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'boom', category = 'low', title = 'x',\n"
                      "    test = function(s, p) return no_such_global > 1 end } } }\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", dir, "--period", "2023"), 4);
    assert_non_null(strstr(err, "criterion 'boom' failed for school A"));
    assert_non_null(strstr(err, "b_bad.lua:4: undefined global 'no_such_global'"));
    assert_non_null(strstr(out, "Пакетов: 2, сохранено запусков: 1, с ошибкой: 1."));
    assert_non_null(strstr(out, "ОШИБКА"));
    free(out);
    free(err);
    char *n = tu_sql(f->db, "SELECT group_concat(pack_id) FROM runs");
    assert_string_equal(n, "w");
    free(n);
    /* A pack that meets a limit is told from one that fails: exit 5, ПРЕДЕЛ */
    tu_write_str(bad, "return { id = 'bad', title = 'B', version = '1', source = 'П',\n"
                      "  categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'loop', category = 'low', title = 'x',\n"
                      "    test = function(s, p) while true do end end } } }\n");
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", dir, "--period", "2023",
                           "--instr-limit", "100000"),
                     5);
    assert_non_null(strstr(out, "ПРЕДЕЛ"));
    assert_null(strstr(out, "ОШИБКА"));
    free(out);
    free(err);
    /* the summary of a pack that failed: its period, and nothing counted —
       empty in CSV, null in JSON, not zeros */
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", dir, "--period", "2023",
                           "--instr-limit", "100000", "--format", "csv"),
                     5);
    assert_non_null(strstr(out, "b_bad.lua,bad,2023,,,,,,,,,,,limit reached,,\n"));
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", dir, "--period", "2023",
                           "--instr-limit", "100000", "--format", "json"),
                     5);
    assert_non_null(strstr(out, "\"period\": \"2023\",\n    \"listing_period\": null,\n    "
                                "\"schools\": null,"));
    free(out);
    free(err);
    tu_write_str(bad, "return { id = 'bad', title = 'B', version = '1', source = 'П',\n"
                      "  categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'boom', category = 'low', title = 'x',\n"
                      "    test = function(s, p) return no_such_global > 1 end } } }\n");
    /* A wrong command line is said once, before any pack: exit 2. */
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", dir, "--period", "2023/25"), 2);
    assert_int_equal(tu_count_lines(err), 1);
    free(out);
    free(err);
    /* Two packs of one id in one run: the second is refused. */
    char *twin = tu_path(dir, "c_twin.lua");
    tu_write_str(twin, text);
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", dir, "--period", "2023"), 4);
    assert_non_null(strstr(err, "c_twin.lua: pack id 'w' was already run from"));
    free(out);
    free(err);
    free(twin);
    free(good);
    free(bad);
    free(dir);
}

static void test_run_listings_of_kept_runs_are_read_back(void **state)
{
    fixture *f = *state;
    small_region(f);
    /* Persistent: listed by this pack's kept run of the year before. */
    char *p = tu_file(f->dir, "c.lua",
                   "return { id = 'c', title = 'C', version = '1', source = 'П',\n"
                   "  categories = { low = 'ШНОР' },\n"
                   "  criteria = { { id = 'f', category = 'low', title = 'выше 15%',\n"
                   "    test = function(s, p) return s:value('fail', p) > 0.15 end } },\n"
                   "  cohorts = { { id = 'again', category = 'low', title = 'снова',\n"
                   "      test = function(s, p) return s:listed(shnor.period.prev(p), "
                   "'low') end },\n"
                   "    { id = 'first', category = 'low', title = 'впервые',\n"
                   "      test = function() return true end } } }\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(
        SHNOR(f, &out, &err, "list", "--pack", p, "--period", "2023", "--format", "csv"),
        0);
    assert_non_null(strstr(out, "\nA,Школа А,low,f,listed,first,"));
    free(out), free(err);
    must(f, "run 2022", SHNOR(f, &out, &err, "run", "--packs", p, "--period", "2022"),
         out, err);
    free(out), free(err);
    /* 2022: A (30%), B (18%), C (16%). In 2023 they are listed again. */
    assert_int_equal(
        SHNOR(f, &out, &err, "list", "--pack", p, "--period", "2023", "--format", "csv"),
        0);
    assert_non_null(strstr(out, "\nA,Школа А,low,f,listed,again,"));
    assert_non_null(strstr(out, "\nB,Школа Б,low,f,listed,again,"));
    free(out), free(err);
    /* a diff of the two kept runs names the cohorts it shows, as whatif does */
    must(f, "run 2023", SHNOR(f, &out, &err, "run", "--packs", p, "--period", "2023"),
         out, err);
    free(out), free(err);
    must(f, "diff", SHNOR(f, &out, &err, "diff", "1", "2"), out, err);
    assert_non_null(strstr(out, "\nОбозначения: low — ШНОР; first — впервые; again — снова.\n"));
    free(out), free(err);
    free(p);
}

static void test_run_records_cannot_be_changed(void **state)
{
    fixture *f = *state;
    char *a = small_run(f);
    char *out = NULL, *err = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->db, &db), SQLITE_OK);
    static const char *const writes[] = {
        "UPDATE runs SET period = '2024'",
        "DELETE FROM runs",
        "UPDATE run_listings SET status = 'x'",
        "DELETE FROM run_listings",
        "DELETE FROM run_targets",
        "UPDATE run_targets SET status = 'met'",
        "DELETE FROM run_reads",
        "UPDATE run_reads SET value = 0",
        "DELETE FROM run_columns",
        "UPDATE run_columns SET sha256 = ''",
        "UPDATE sources SET text = ''",
        "DELETE FROM sources",
        /* REPLACE goes around delete triggers; inserts could add to an old run */
        "INSERT OR REPLACE INTO run_listings SELECT run_id, seq, school, name, territory, "
        "category, category_title, 'excluded', criteria, cohort, mentor, override, "
        "explanation, json FROM run_listings WHERE seq = 1",
        "REPLACE INTO runs SELECT id, pack_id, pack_version, pack_title, pack_order, pack_path, "
        "pack_sha256, '1999', listing_period, data_sha256, last_batch, user, started_at, "
        "finished_at, mem_limit, instr_limit, time_limit, schools, listed, insufficient, "
        "assignments, roadmap_applied, engine FROM runs",
        "INSERT INTO run_listings SELECT run_id, 999, school, name, territory, category, "
        "category_title, status, criteria, cohort, mentor, override, explanation, json "
        "FROM run_listings WHERE seq = 1",
        "INSERT OR REPLACE INTO sources SELECT sha256, 'return {}' FROM sources",
        "DELETE FROM run_seals",
    }; /* (this pack has no roadmap and no modules: those tables hold no rows) */
    for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
        char *msg = NULL;
        int rc = sqlite3_exec(db, writes[i], NULL, NULL, &msg);
        if (rc == SQLITE_OK) {
            fail_msg("'%s' was allowed", writes[i]);
        }
        assert_non_null(msg);
        assert_true(strstr(msg, "append-only") || strstr(msg, "never change"));
        sqlite3_free(msg);
    }
    sqlite3_close(db);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 0);
    free(out), free(err);
    /* A second run is kept as usual, the same source stored once. */
    must(f, "run again", SHNOR(f, &out, &err, "run", "--packs", a, "--period", "2023"), out, err);
    free(out), free(err);
    char *n = tu_sql(f->db, "SELECT count(*), (SELECT count(*) FROM sources), "
                            "(SELECT count(*) FROM run_listings WHERE run_id = 2) FROM runs");
    assert_string_equal(n, "2|1|2");
    free(n);
    free(a);
}

/* A pack with a monthly visit for each listed school and a process target
   on it: at least half done on time by 2023-H1. */
static const char *plan_pack =
    "return { id = 'plan', title = 'P', version = '1', source = 'П',\n"
    "  categories = { low = 'ШНОР' },\n"
    "  criteria = { { id = 'f', category = 'low', title = 'выше 20%',\n"
    "    test = function(s, p) return s:value('fail', p) > 0.2 end } },\n"
    "  activities = { { id = '1', title = 'Посещение', applies = { 'low' },\n"
    "    due = 'ежемесячно' } },\n"
    "  targets = { { id = 'done', title = 'Выполнено в срок', kind = "
    "'assignments_done',\n"
    "    value = 0.5, scope = { each = 'low' }, checkpoints = { '2023-H1' } } } }\n";

/* show-run says in Russian what list says: a person's inclusion, and the
   roadmap's statuses (not kept: «не сохранено»). */
static void test_run_show_run_speaks_as_list(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *p = tu_file(f->dir, "plan.lua", plan_pack);
    char *out = NULL, *err = NULL;
    must(f, "override",
         SHNOR(f, &out, &err, "override", "add", "D", "--period", "2023", "--include",
               "--category", "low", "--reason", "решение комиссии", "--by", "Иванов"),
         out, err);
    free(out), free(err);
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", p, "--period", "2023"), out, err);
    free(out), free(err);
    must(f, "run 2", SHNOR(f, &out, &err, "run", "--packs", p, "--period", "2023",
                           "--apply-roadmaps"),
         out, err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "1", "--part", "listing"), 0);
    const char *d = strstr(out, "\nD ");
    assert_non_null(d);
    assert_non_null(strstr(d, "в списке (вручную)"));
    /* and only D's */
    assert_null(strstr(strstr(out, "в списке (вручную)") + 1, "в списке (вручную)"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "2", "--part", "roadmap"), 0);
    assert_non_null(strstr(out, "  запланировано\n"));
    assert_null(strstr(out, "planned"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "1", "--part", "roadmap"), 0);
    assert_non_null(strstr(out, "  не сохранено\n"));
    assert_null(strstr(out, " new"));
    free(out), free(err);
    /* the report says it as well, the person's reason once */
    char *html = tu_path(f->dir, "r.html");
    must(f, "report", SHNOR(f, &out, &err, "report", "--run", "2", "-o", html), out, err);
    free(out), free(err);
    char *page = tu_read(html, NULL);
    assert_non_null(strstr(page, ">в списке (вручную)</td>"));
    const char *why = strstr(page, "решение комиссии");
    assert_non_null(why);
    assert_null(strstr(why + 1, "решение комиссии"));
    free(page);
    free(html);
    free(p);
}

/* A cohort test that lacks data leaves the cohort unknown, said in the
   explanation; the next cohort is not tried (regression: «впервые» and its
   roadmap for a school whose earlier value was missing). */
static void test_run_cohort_without_data_is_unknown(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *p = tu_file(f->dir, "co.lua",
                      "return { id = 'co', title = 'C', version = '1', source = 'П',\n"
                      "  categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'f', category = 'low', title = 'выше 20%',\n"
                      "    test = function(s, p) return s:value('fail', p) > 0.2 end } },\n"
                      "  cohorts = {\n"
                      "    { id = 'again', category = 'low', title = 'повторно',\n"
                      "      test = function(s, p)\n"
                      "        return s:value('fail', shnor.period.prev(p)) > 0.2 end },\n"
                      "    { id = 'new', category = 'low', title = 'впервые',\n"
                      "      test = function() return true end } },\n"
                      "  activities = {\n"
                      "    { id = '1', title = 'Всем', applies = { 'low' }, due = 'Май' },\n"
                      "    { id = '2', title = 'Новым', applies = { 'new' }, due = 'Май' } } }\n");
    char *out = NULL, *err = NULL;
    /* 2022: A lists; its 2021 value is missing */
    must(f, "list", SHNOR(f, &out, &err, "list", "--pack", p, "--period", "2022", "--explain",
                          "--format", "csv"),
         out, err);
    assert_non_null(strstr(out, "\nA,Школа А,low,f,listed,,,,Север,"));
    assert_non_null(strstr(out, "когорта не определена — недостаточно данных: Доля "
                                "неуспевающих (2021) = нет данных"));
    assert_null(strstr(out, "впервые"));
    free(out), free(err);
    must(f, "list json",
         SHNOR(f, &out, &err, "list", "--pack", p, "--period", "2022", "--format", "json"), out,
         err);
    assert_non_null(strstr(out, "\"cohort_unknown\": true"));
    free(out), free(err);
    must(f, "roadmap", SHNOR(f, &out, &err, "roadmap", "--pack", p, "--period", "2022",
                             "--format", "csv"),
         out, err);
    assert_non_null(strstr(out, "Всем"));
    assert_null(strstr(out, "Новым"));
    free(out), free(err);
    /* 2023: A's 2022 value is there: повторно */
    must(f, "list 2023",
         SHNOR(f, &out, &err, "list", "--pack", p, "--period", "2023", "--format", "csv"), out,
         err);
    assert_non_null(strstr(out, "\nA,Школа А,low,f,listed,again,"));
    free(out), free(err);
    free(p);
}

/* A process target checked at a control point counts the assignments due
   in it; a run that applies its roadmap counts them at once, and replays. */
static void test_run_process_targets_apply_and_replay(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *p = tu_file(f->dir, "plan.lua", plan_pack);
    char *out = NULL, *err = NULL;
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", p, "--period", "2023",
                         "--apply-roadmaps"),
         out, err);
    free(out), free(err);
    /* A (25% in 2023) owes 12 monthly visits, 6 due in the first half: none done. */
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "1", "--format", "csv", "--part",
                           "targets"),
                     0);
    assert_non_null(strstr(out, "\ndone,assignments_done,A,,,,2023-H1,0,0.5,not_met,,"
                                "выполнено в срок 0 из 6 поручений,2023-H1,"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 0);
    free(out), free(err);
    /* Three of the six done on time: 50 %, met. */
    for (int id = 1; id <= 3; id++) {
        char ids[16], date[32];
        snprintf(ids, sizeof ids, "%d", id);
        snprintf(date, sizeof date, "2023-0%d-20", id);
        must(f, "set", SHNOR(f, &out, &err, "assignment", "set", ids, "--status", "done",
                             "--date", date),
             out, err);
        free(out), free(err);
    }
    assert_int_equal(SHNOR(f, &out, &err, "targets", "--pack", p, "--period", "2023",
                           "--format", "csv"),
                     0);
    assert_non_null(strstr(out, ",2023-H1,0.5,0.5,met,,выполнено в срок 3 из 6 поручений,"));
    free(out), free(err);
    /* the run's roadmap shows each assignment's status now, in the seeds' column */
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "1", "--format", "csv", "--part",
                           "roadmap"),
                     0);
    const char *want = "№ п/п,Мероприятие,Сроки,Ответственные,Соисполнители,Ожидаемый "
                       "результат,Показатель реализации,Отчетный документ,Статус,Раздел,"
                       "Исполнитель,Начало,Срок,id\n"
                       "1,Посещение,ежемесячно,,,,,,done,,A,2023-01-01,2023-01-31,1\n"
                       "1,Посещение,ежемесячно,,,,,,done,,A,2023-02-01,2023-02-28,2\n"
                       "1,Посещение,ежемесячно,,,,,,done,,A,2023-03-01,2023-03-31,3\n"
                       "1,Посещение,ежемесячно,,,,,,planned,,A,2023-04-01,2023-04-30,4\n";
    if (strncmp(out, want, strlen(want)) != 0) {
        fail_msg("show-run roadmap csv:\n%s\nwant it to start with:\n%s", out, want);
    }
    free(out), free(err);
    free(p);
}

/* Runs sql on the database file; fails the test on an error. */
static void exec_sql(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg ? msg : "?");
    }
    sqlite3_close(db);
}

/*
 * Keeps run `from` again as run `to`, whole but for `set` (an UPDATE's SET
 * list on the runs row) and the run_columns rows `columns` (a condition
 * after WHERE run_id = from) leaves out: a run as another build kept it.
 */
static void copy_run(fixture *f, int from, int to, const char *set, const char *columns)
{
    char sql[2048];
    snprintf(
        sql, sizeof sql,
        "BEGIN;"
        "CREATE TEMP TABLE r AS SELECT * FROM runs WHERE id = %d;"
        "UPDATE r SET id = %d, %s;"
        "INSERT INTO runs SELECT * FROM r;"
        "CREATE TEMP TABLE c AS SELECT * FROM run_columns WHERE run_id = %d %s;"
        "CREATE TEMP TABLE l AS SELECT * FROM run_listings WHERE run_id = %d;"
        "CREATE TEMP TABLE d AS SELECT * FROM run_reads WHERE run_id = %d;"
        "CREATE TEMP TABLE t AS SELECT * FROM run_targets WHERE run_id = %d;"
        "CREATE TEMP TABLE m AS SELECT * FROM run_roadmap WHERE run_id = %d;"
        "CREATE TEMP TABLE o AS SELECT * FROM run_modules WHERE run_id = %d;"
        "UPDATE c SET run_id = %d; UPDATE l SET run_id = %d; UPDATE d SET run_id = %d;"
        "UPDATE t SET run_id = %d; UPDATE m SET run_id = %d; UPDATE o SET run_id = %d;"
        "INSERT INTO run_modules SELECT * FROM o;"
        "INSERT INTO run_columns SELECT * FROM c;"
        "INSERT INTO run_listings SELECT * FROM l;"
        "INSERT INTO run_reads SELECT * FROM d;"
        "INSERT INTO run_targets SELECT * FROM t;"
        "INSERT INTO run_roadmap SELECT * FROM m;"
        "INSERT INTO run_seals (run_id) VALUES (%d);"
        "DROP TABLE r; DROP TABLE c; DROP TABLE l; DROP TABLE d; DROP TABLE t; "
        "DROP TABLE m; DROP TABLE o;"
        "COMMIT;",
        from, to, set, from, columns, from, from, from, from, from, to, to, to, to, to, to,
        to);
    exec_sql(f->db, sql);
}

/*
 * Keeps run `from` again as run `to`, as a build from before assignments
 * were fingerprinted kept it: without the #assignments pseudo-column, its
 * data fingerprint the SHA-256 of the other columns' lines.
 */
static void keep_as_old_run(fixture *f, int from, int to)
{
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT indicator || char(9) || period || char(9) || count || char(9) || "
             "sha256 FROM run_columns WHERE run_id = %d AND indicator <> "
             "'#assignments' ORDER BY indicator, period",
             from);
    char *lines = tu_sql(f->db, sql); /* the pseudo-columns at least: not empty */
    strbuf text = STRBUF_INIT;
    sb_printf(&text, "%s\n", lines);
    assert_false(sb_failed(&text));
    char digest[SHA256_DIGEST_STRING_LENGTH];
    SHA256Data((const uint8_t *)text.data, text.len, digest);
    sb_free(&text);
    free(lines);
    char set[128];
    snprintf(set, sizeof set, "data_sha256 = '%s'", digest);
    copy_run(f, from, to, set, "AND indicator <> '#assignments'");
}

/* text with each line break and the indent of a wrapped line after it made
   one space, in place; a blank line stays a line break. */
static char *single_spaced(char *text)
{
    char *w = text;
    for (const char *r = text; *r;) {
        if (*r == '\n' && r[1] == ' ') {
            while (*r == '\n' || *r == ' ') {
                r++;
            }
            *w++ = ' ';
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    return text;
}

/* A run keeps what evaluated it; a replay that differs on another build says
   the engine's rules may be why, and one that does not differ says nothing. */
static void test_run_keeps_its_engine(void **state)
{
    fixture *f = *state;
    char *a = small_run(f);
    char *out = NULL, *err = NULL;
    const char *engine = "shnor " SHNOR_VERSION " (Lua 5.4.";
    char *kept = tu_sql(f->db, "SELECT engine FROM runs WHERE id = 1");
    if (strncmp(kept, engine, strlen(engine)) != 0) {
        fail_msg("run 1 kept engine '%s', want '%s…'", kept, engine);
    }
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "1"), 0);
    char line[160];
    snprintf(line, sizeof line, " Программа: %s.\n", kept);
    assert_non_null(strstr(single_spaced(out), line));
    /* the targets' legend words each as `targets` does, with the indicator,
       and ends the output without an empty line */
    const char *legend = "\ndown — Снижение [Доля неуспевающих]: снижение не менее чем на "
                         "10% от базового значения (reduce_relative)\n";
    assert_non_null(strstr(single_spaced(out), legend));
    assert_string_equal(strstr(single_spaced(out), legend) + 1, legend + 1);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "targets", "--pack", a, "--period", "2023"), 0);
    assert_non_null(strstr(single_spaced(out), legend));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "1", "--format", "json"), 0);
    snprintf(line, sizeof line, "\"engine\": \"%s\",", kept);
    assert_non_null(strstr(out, line));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "runs", "--format", "csv"), 0);
    snprintf(line, sizeof line, ",insufficient,roadmap_applied,engine\n1,");
    assert_non_null(strstr(out, line));
    snprintf(line, sizeof line, ",%s\n", kept);
    assert_non_null(strstr(out, line));
    free(out), free(err);
    /* The same run as an older build kept it, and as one that did not say. */
    copy_run(f, 1, 2, "engine = 'shnor 0.0.9 (Lua 5.4.0)'", "");
    copy_run(f, 1, 3, "engine = ''", "");
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "3"), 0);
    assert_non_null(strstr(single_spaced(out), " Программа: не записана (запуск сохранён более "
                                               "ранней версией shnor).\n"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "2"), 0);
    assert_null(strstr(out, "Запуск сохранён программой"));
    free(out), free(err);
    b_enters_the_list(f);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 6);
    assert_null(strstr(out, "Запуск сохранён программой"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "2"), 6);
    snprintf(line, sizeof line,
             "Запуск сохранён программой shnor 0.0.9 (Lua 5.4.0), воспроизведён программой %s: ",
             kept);
    assert_non_null(strstr(out, line));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "3"), 6);
    assert_non_null(strstr(out, "Запуск сохранён программой более ранней версии shnor (её номер "
                                "не записан), воспроизведён"));
    free(out), free(err);
    free(kept);
    free(a);
}

/* Pack ids were checked for their characters from 2026-12 on: a run kept
   before, by a pack whose id has a '.' or ':', still replays (regression: its
   stored source no longer loaded, so it could never be reproduced) and still
   gets a roadmap sheet (one cannot have ':' in its name: regression, exit 8). */
static void test_run_kept_before_id_check_replays(void **state)
{
    fixture *f = *state;
    char *a = small_run(f);
    exec_sql(f->db, "INSERT INTO sources SELECT 'old-w', replace(text, 'id = ''w''', "
                    "'id = ''w.v2:1''') FROM sources WHERE sha256 = (SELECT pack_sha256 FROM "
                    "runs WHERE id = 1)");
    copy_run(f, 1, 2, "pack_id = 'w.v2:1', pack_sha256 = 'old-w'", "");
    char *kept = tu_sql(f->db, "SELECT instr(text, 'w.v2:1') > 0 FROM sources WHERE sha256 = "
                               "'old-w'");
    assert_string_equal(kept, "1");
    free(kept);
    char *out = NULL, *err = NULL;
    int st = SHNOR(f, &out, &err, "replay", "2");
    if (st != 0 || !strstr(out, "воспроизведён")) {
        fail_msg("replay 2: exit %d\n%s%s", st, out, err);
    }
    free(out), free(err);
    char *x = tu_path(f->dir, "two.xlsx");
    st = SHNOR(f, &out, &err, "report", "--run", "1", "--run", "2", "--format", "xlsx", "-o", x);
    if (st != 0) {
        fail_msg("report: exit %d\n%s%s", st, out, err);
    }
    free(out), free(err);
    char *wb = tu_zip_member(x, "xl/workbook.xml");
    assert_non_null(wb);
    if (!strstr(wb, "<sheet name=\"ДК #2 w.v2_1\"")) {
        fail_msg("%s", wb);
    }
    free(wb);
    /* and one whose target named a school the data lacks (insufficient data
       then; an error now): replayed, not refused (regression: exit 4) */
    exec_sql(f->db, "INSERT INTO sources SELECT 'old-z', replace(text, 'scope = { each = "
                    "''low'' }', 'scope = { schools = { ''Z9'' } }') FROM sources WHERE sha256 = "
                    "(SELECT pack_sha256 FROM runs WHERE id = 1)");
    copy_run(f, 1, 3, "pack_sha256 = 'old-z'", "");
    st = SHNOR(f, &out, &err, "replay", "3");
    if (st == 4 || strstr(err, "not among the schools") || !strstr(out, "воспроизведён")) {
        fail_msg("replay 3: exit %d\n%s%s", st, out, err);
    }
    free(out), free(err);
    free(x);
    free(a);
}

/* The assignments a process target counts are part of what a run read: a
   replay after their statuses changed says so. A run kept before they were
   fingerprinted still replays, the missing entry not taken for a change. */
static void test_run_replay_names_changed_assignments(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *p = tu_file(f->dir, "plan.lua", plan_pack);
    char *out = NULL, *err = NULL;
    must(
        f, "run",
        SHNOR(f, &out, &err, "run", "--packs", p, "--period", "2023", "--apply-roadmaps"),
        out, err);
    free(out), free(err);
    char *col = tu_sql(f->db, "SELECT count FROM run_columns WHERE run_id = 1 "
                              "AND indicator = '#assignments'");
    assert_string_equal(col, "12"); /* A's 12 monthly visits */
    free(col);
    keep_as_old_run(f, 1, 2);
    for (int id = 1; id <= 2; id++) {
        char ids[16];
        snprintf(ids, sizeof ids, "%d", id);
        int rc = SHNOR(f, &out, &err, "replay", ids);
        if (rc != 0 || !strstr(out, "список и цели совпадают.") ||
            strstr(out, "данные")) {
            fail_msg("replay %d before the change: exit %d\n%s%s", id, rc, out, err);
        }
        free(out), free(err);
    }
    /* A status that counts for no target is no change. */
    must(f, "set 4",
         SHNOR(f, &out, &err, "assignment", "set", "4", "--status", "in_progress"), out,
         err);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "replay", "1"), 0);
    assert_null(strstr(out, "данные"));
    free(out), free(err);
    /* Three of the six due in 2023-H1 done on time: the target is met now. */
    for (int id = 1; id <= 3; id++) {
        char ids[16], date[32];
        snprintf(ids, sizeof ids, "%d", id);
        snprintf(date, sizeof date, "2023-0%d-20", id);
        must(f, "set",
             SHNOR(f, &out, &err, "assignment", "set", ids, "--status", "done", "--date",
                   date),
             out, err);
        free(out), free(err);
    }
    int rc = SHNOR(f, &out, &err, "replay", "1");
    if (rc != 6) {
        fail_msg("replay after assignments were done: exit %d\n%s%s", rc, out, err);
    }
    /* было before стало, whichever sorts first ("met" < "not_met") */
    const char *was = strstr(out, "цели, было: done | A | 2023-H1 | not_met");
    const char *now = strstr(out, "цели, стало: done | A | 2023-H1 | met");
    assert_true(was && now && was < now);
    assert_non_null(strstr(out,
                           "  данные: поручения или их статусы (цели по выполнению "
                           "поручений) изменились с момента запуска (было 12, стало 12 "
                           "поручений)\n"));
    assert_non_null(
        strstr(out, "с отличиями: в списке 0, в целях 1; данные с тех пор изменились"));
    free(out), free(err);
    /* The old run: the same difference, its assignments not recorded. */
    rc = SHNOR(f, &out, &err, "replay", "2");
    if (rc != 6 || strstr(out, "данные") || !strstr(out, "в целях 1.")) {
        fail_msg("replay of a run kept without #assignments: exit %d\n%s%s", rc, out,
                 err);
    }
    free(out), free(err);
    free(p);
}

/* "f0|f2|f6|f9" for each CSV line (target, scope, period, status), one per
   line: the fields a reader of `targets --format csv` checks. */
static char *target_keys(const char *csv)
{
    strbuf sb = STRBUF_INIT;
    const char *p = strchr(csv, '\n');
    while (p && *++p) {
        char fields[14][256];
        int n = 0, q = 0;
        size_t len = 0;
        for (; *p && (*p != '\n' || q); p++) {
            if (*p == '"') {
                q = !q;
            } else if (*p == ',' && !q) {
                fields[n < 13 ? n : 13][len < 255 ? len : 255] = '\0';
                n += n < 13;
                len = 0;
            } else if (len < 255) {
                fields[n][len++] = *p;
            }
        }
        fields[n][len < 255 ? len : 255] = '\0';
        sb_printf(&sb, "%s|%s|%s|%s\n", fields[0], fields[2], fields[6], fields[9]);
        if (!*p) {
            break;
        }
    }
    return sb_detach(&sb);
}

/* The documents' targets on the demo data (issue: Georgievsk's six,
   Malokarachaevsky's «не менее 85 %»), and the demo's listed schools. */
static void test_run_demo_targets_and_lists(void **state)
{
    fixture *f = *state;
    import_demo(f);
    char *geo = tu_top_path("rules/georgievsk.lua"),
         *mk = tu_top_path("rules/malokarachaevsky.lua"),
         *kd = tu_top_path("rules/kedrovy.lua");
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "targets", "--pack", geo, "--period", "2023",
                           "--format", "csv"),
                     0);
    char *keys = target_keys(out);
    static const char *const georgievsk[] = {
        "fail_down_low|GEO-19|2023-H1|met",
        "fail_down_low|GEO-19|2023-H2|not_met",
        "fail_down_low|GEO-25|2023-H2|met",
        "fail_down_risk|GEO-28|2023-H1|not_met",
        "fail_down_risk|GEO-28|2023-H2|insufficient_data",
        "deficit_low|GEO-19|2023-09|not_met",
        "deficit_low|GEO-25|2023-09|met",
        "trained_low|low|2023|met",
        "trained_risk|risk|2023|not_met",
        "quality_risk|GEO-18|2022/23|met",
        "quality_low|GEO-19|2022/23|not_met",
        "sosh25_trained23|GEO-25|2023|met",
        "sosh25_services|GEO-25|2023|met",
    };
    for (size_t i = 0; i < sizeof georgievsk / sizeof georgievsk[0]; i++) {
        if (!strstr(keys, georgievsk[i])) {
            fail_msg("no '%s' in\n%s", georgievsk[i], keys);
        }
    }
    free(keys);
    free(out), free(err);
    const char *years[] = {"2023", "2024"}, *want[] = {"not_met", "met"};
    for (int y = 0; y < 2; y++) {
        assert_int_equal(SHNOR(f, &out, &err, "targets", "--pack", mk, "--period",
                               years[y], "--format", "csv"),
                         0);
        keys = target_keys(out);
        char k[128];
        snprintf(k, sizeof k, "involvement_85|all|%s|%s", years[y], want[y]);
        if (!strstr(keys, k)) {
            fail_msg("no '%s' in\n%s", k, keys);
        }
        free(keys);
        free(out), free(err);
    }
    assert_int_equal(
        SHNOR(f, &out, &err, "list", "--pack", mk, "--period", "2019", "--format", "csv"),
        0);
    assert_int_equal(tu_count_lines(out), 4);
    assert_non_null(strstr(out, "\nMK04,"));
    assert_non_null(strstr(out, "\nMK08,"));
    assert_non_null(strstr(out, "\nMK13,"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", kd, "--period", "2020/21",
                           "--format", "csv"),
                     0);
    assert_int_equal(tu_count_lines(out), 3);
    assert_non_null(strstr(out, "\nKDR-PUD,МАОУ Пудинская СОШ,low,vpr_low_list,listed,"));
    assert_non_null(strstr(out, "\nKDR-SOSH1,"));
    /* Without --period: the pack's own, 2020/21, the same listing. */
    char *again = NULL;
    assert_int_equal(SHNOR(f, &again, NULL, "list", "--pack", kd, "--format", "csv"), 0);
    assert_string_equal(again, out);
    free(again);
    free(out), free(err);
    free(geo);
    free(mk);
    free(kd);
}

/* A pack of calendar years over small_region: 'low' above 15 % failing. */
static const char YEARLY_PACK[] =
    "return { id = 'y', title = 'Y', version = '1', source = 'П',\n"
    "  period = '2023', categories = { low = 'ШНОР' },\n"
    "  criteria = { { id = 'f', category = 'low', title = 'выше 15%',\n"
    "    test = function(s, p) return s:value('fail', p) > 0.15 end } } }\n";

/* A run that decided nothing — every school lacked the data of every
   category, as a pack of years evaluated for an academic year — is not kept
   (it could not be taken back, and later evaluations would read it as that
   period's list); the message names the periods the pack works by. list,
   roadmap and targets warn. A pack for years may still be evaluated for
   another kind of period that has data (Georgievsk's half years). */
static void test_run_that_decides_nothing_is_not_kept(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *y = tu_file(f->dir, "y.lua", YEARLY_PACK);
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", y, "--period", "2022/23"), 3);
    assert_non_null(strstr(err, "pack 'y' ("));
    assert_non_null(strstr(err, "no school had the data to decide any category for 2022/23 "
                                "(5 schools, insufficient data in all); the pack works by "
                                "years (its period is 2023): 2022 or 2023, perhaps?; nothing "
                                "was kept\n"));
    free(out), free(err);
    /* a roadmap made from the list before (roadmap_listing = -1) names the
       period asked for, and suggests periods to ask for, not lists */
    char *r = tu_file(f->dir, "r.lua",
                      "return { id = 'r', title = 'R', version = '1', source = 'П',\n"
                      "  period = '2023', roadmap_listing = -1, categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'f', category = 'low', title = 'выше 15%',\n"
                      "    test = function(s, p) return s:value('fail', p) > 0.15 end } } }\n");
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", r, "--period", "2023/24"), 3);
    assert_non_null(strstr(err, "no school had the data to decide any category for 2022/23 "
                                "(5 schools, insufficient data in all), the list the roadmap "
                                "of 2023/24 is made from (roadmap_listing = -1); the pack "
                                "works by years (its period is 2023): 2023 or 2024, perhaps?"));
    free(out), free(err);
    free(r);
    char *runs = tu_sql(f->db, "SELECT count(*) FROM runs");
    assert_string_equal(runs, "0");
    free(runs);
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", y, "--period", "2030"), 0);
    assert_non_null(strstr(err, "warning: pack 'y' ("));
    if (!strstr(err, "no school had the data to decide any category for 2030 (5 schools, "
                     "insufficient data in all); school A: нет значения: fail 2030; are the "
                     "values of 2030 "
                     "imported?\n")) {
        fail_msg("%s", err);
    }
    free(out), free(err);
    /* a pack without a period of its own, and no --period: the command line
       lacks it, exit 2 as list says (it was 3, "input rejected") */
    char *np = tu_file(f->dir, "np.lua",
                       "return { id = 'np', title = 'N', version = '1', source = 'П',\n"
                       "  categories = { low = 'ШНОР' },\n"
                       "  criteria = { { id = 'f', category = 'low', title = 'выше 15%',\n"
                       "    test = function(s, p) return s:value('fail', p) > 0.15 end } } }\n");
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", np), 2);
    assert_non_null(strstr(err, "np.lua: the pack gives no 'period' of its own; pass --period"));
    free(out), free(err);
    free(np);
    /* a group smaller than shnor.bottom's minimum is said, not taken for
       values not imported (regression: "are the values of 2023 imported?") */
    char *z = tu_file(f->dir, "z.lua",
                      "return { id = 'z', title = 'Z', version = '1', source = 'П',\n"
                      "  period = '2023', categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'b', category = 'low', title = 'нижние 10%',\n"
                      "    test = function(s, p) return shnor.bottom(s, 'fail', p, 0.1,\n"
                      "      s.territory, 20) end } } }\n");
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", z, "--period", "2023"), 0);
    if (!strstr(err, "(5 schools, insufficient data in all); school A: fail 2023: значение есть "
                     "только у 2 школ (Север), нужно не менее 20\n")) {
        fail_msg("%s", err);
    }
    free(out), free(err);
    free(z);
    /* the pack's own kind, and no --period, are as before, without a word */
    must(f, "run", SHNOR(f, &out, &err, "run", "--packs", y), out, err);
    assert_null(strstr(err, "no school had"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", y, "--period", "2022"), 0);
    assert_null(strstr(err, "warning"));
    free(out), free(err);
    free(y);
}

/* A second run of a pack and period becomes the list later periods read:
   the run says so, naming the run it replaces; the first says nothing. */
static void test_run_says_which_run_it_replaces(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *y = tu_file(f->dir, "y.lua", YEARLY_PACK);
    char *out = NULL, *err = NULL;
    must(f, "first run", SHNOR(f, &out, &err, "run", "--packs", y), out, err);
    assert_null(strstr(out, "заменяет"));
    free(out), free(err);
    must(f, "second run", SHNOR(f, &out, &err, "run", "--packs", y), out, err);
    if (!strstr(out, "y: запуск #2 заменяет запуск #1 как список 2023")) {
        fail_msg("%s", out);
    }
    free(out), free(err);
    free(y);
}

/* A target's `schools` scope naming a code that is no school of the data is
   the pack's error at its line, as a mentor's is (regression: a row
   insufficient_data at every run, exit 0, for a typo). */
static void test_run_target_school_typo_is_an_error(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *t = tu_file(f->dir, "t.lua",
                      "return { id = 't', title = 'T', version = '1', source = 'П',\n"
                      "  period = '2023', categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'f', category = 'low', title = 'выше 15%',\n"
                      "    test = function(s, p) return s:value('fail', p) > 0.15 end } },\n"
                      "  targets = { { id = 'cap', title = 'не выше 30%', indicator = 'fail',\n"
                      "    kind = 'at_most', value = 0.3,\n"
                      "    scope = { schools = { 'A', 'A9' } } } } }\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "targets", "--pack", t, "--period", "2023"), 4);
    if (!strstr(err, "t.lua:7: target 'cap': school 'A9' of its scope is not among the schools "
                     "of the pack's territory in the database")) {
        fail_msg("%s", err);
    }
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", t, "--period", "2023"), 4);
    free(out), free(err);
    char *runs = tu_sql(f->db, "SELECT count(*) FROM runs");
    assert_string_equal(runs, "0");
    free(runs);
    free(t);
}

/* A pack cannot read its own listing of the period it decides: there is none
   while it runs and its own once kept, so a replay of the run would differ
   from it with nothing changed (regression). Its earlier listings it can. */
static void test_run_pack_cannot_read_the_listing_it_decides(void **state)
{
    fixture *f = *state;
    small_region(f);
    char *t = tu_file(f->dir, "t.lua",
                      "return { id = 't', title = 'T', version = '1', source = 'П',\n"
                      "  period = '2023', categories = { low = 'ШНОР' },\n"
                      "  criteria = { { id = 'f', category = 'low', title = 'выше 15%',\n"
                      "    test = function(s, p) return s:value('fail', p) > 0.15\n"
                      "      and not s:listed(p, 'low') end } } }\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", t, "--period", "2023"), 4);
    if (!strstr(err, "t.lua:5: s:listed: the pack's own listing of 2023 is the one being "
                     "decided; ask for an earlier period")) {
        fail_msg("%s", err);
    }
    free(out), free(err);
    char *runs = tu_sql(f->db, "SELECT count(*) FROM runs");
    assert_string_equal(runs, "0");
    free(runs);
    tu_write_str(t, "return { id = 't', title = 'T', version = '1', source = 'П',\n"
                    "  period = '2023', categories = { low = 'ШНОР' },\n"
                    "  criteria = { { id = 'f', category = 'low', title = 'выше 15%',\n"
                    "    test = function(s, p) return s:value('fail', p) > 0.15\n"
                    "      and not s:listed(shnor.period.prev(p), 'low') end } } }\n");
    must(f, "run 2022", SHNOR(f, &out, &err, "run", "--packs", t, "--period", "2022"), out,
         err);
    free(out), free(err);
    must(f, "run 2023", SHNOR(f, &out, &err, "run", "--packs", t, "--period", "2023"), out,
         err);
    free(out), free(err);
    must(f, "replay", SHNOR(f, &out, &err, "replay", "2"), out, err);
    free(out), free(err);
    free(t);
}

/* roadmap_periods: the roadmap of an order «на 2023 год» is not made for
   another period asked for (regression: 2022 got the 2023 plan, re-dated). */
static void test_run_roadmap_periods_bound_the_plan(void **state)
{
    fixture *f = *state;
    small_region(f);
    static const char *const body =
        "return { id = 'rp', title = 'T', version = '1', source = 'П',\n"
        "  period = '2023', roadmap_periods = { %s }, categories = { low = 'ШНОР' },\n"
        "  criteria = { { id = 'f', category = 'low', title = 'выше 15%%',\n"
        "    test = function(s, p) return s:value('fail', p) > 0.15 end } },\n"
        "  activities = { { id = '1', section = 'С', title = 'Совещание', due = 'январь',\n"
        "    responsible = 'УО' } } }\n";
    char text[1024];
    snprintf(text, sizeof text, body, "'2023'");
    char *t = tu_file(f->dir, "rp.lua", text);
    char *out = NULL, *err = NULL;
    must(f, "2023", SHNOR(f, &out, &err, "roadmap", "--pack", t, "--period", "2023", "--format",
                          "csv"), out, err);
    assert_non_null(strstr(out, "\n1,Совещание,январь,УО,,,,,new,С,,2023-01-01,2023-01-31,"));
    free(out), free(err);
    must(f, "2022", SHNOR(f, &out, &err, "roadmap", "--pack", t, "--period", "2022", "--format",
                          "csv"), out, err);
    assert_null(strchr(strchr(out, '\n') + 1, '\n')); /* the header only */
    free(out), free(err);
    setenv("COLUMNS", "200", 1);
    must(f, "2022 table", SHNOR(f, &out, &err, "roadmap", "--pack", t, "--period", "2022"), out,
         err);
    assert_non_null(strstr(out, "нет (дорожная карта на 2023)"));
    free(out), free(err);
    snprintf(text, sizeof text, body, "'2023', '20x3'");
    tu_write_str(t, text);
    assert_int_equal(tu_run(NULL, &out, &err, "check", t, NULL), 4);
    assert_non_null(strstr(err, "rp.lua:2: 'roadmap_periods'[2]: "));
    free(out), free(err);
    free(t);
}

/* roadmap_ends: nothing is owed after the programme's last day (regression:
   Malokarachaevsky's programme ends 31.05.2024, its 2024 roadmap ran to
   December). */
static void test_run_roadmap_ends_with_the_programme(void **state)
{
    fixture *f = *state;
    small_region(f);
    static const char *const body =
        "return { id = 're', title = 'T', version = '1', source = 'П',\n"
        "  period = '2023', roadmap_ends = %s, categories = { low = 'ШНОР' },\n"
        "  criteria = { { id = 'f', category = 'low', title = 'выше 15%%',\n"
        "    test = function(s, p) return s:value('fail', p) > 0.15 end } },\n"
        "  activities = {\n"
        "    { id = '1', section = 'С', title = 'Банк данных', due = 'сентябрь' },\n"
        "    { id = '2', section = 'С', title = 'Мониторинг', due = 'в течение года' },\n"
        "    { id = '3', section = 'С', title = 'Совещание', due = 'ежемесячно' } } }\n";
    char text[1024];
    snprintf(text, sizeof text, body, "'31.05.2023'");
    char *t = tu_file(f->dir, "re.lua", text);
    char *out = NULL, *err = NULL;
    must(f, "csv", SHNOR(f, &out, &err, "roadmap", "--pack", t, "--period", "2023", "--format",
                         "csv"), out, err);
    assert_null(strstr(out, "\n1,"));
    assert_non_null(strstr(out, "\n2,Мониторинг,в течение года,,,,,,new,С,,2023-01-01,2023-05-31,"));
    assert_non_null(strstr(out, "\n3,Совещание,ежемесячно,,,,,,new,С,,2023-05-01,2023-05-31,"));
    assert_null(strstr(out, "2023-06-30"));
    free(out), free(err);
    setenv("COLUMNS", "200", 1);
    must(f, "table", SHNOR(f, &out, &err, "roadmap", "--pack", t, "--period", "2023"), out, err);
    assert_non_null(strstr(out, "нет (программа окончена 31.05.2023)"));
    free(out), free(err);
    snprintf(text, sizeof text, body, "'31.02.2023'");
    tu_write_str(t, text);
    assert_int_equal(tu_run(NULL, &out, &err, "check", t, NULL), 4);
    assert_non_null(strstr(err, "re.lua:2: 'roadmap_ends' must be the programme's last day"));
    free(out), free(err);
    free(t);
}

/* The data fingerprint of a run is the SHA-256 of its columns' lines, the
   same bytes every time: also for an indicator code of 64 three-byte
   letters, whose line is longer than any fixed buffer (it was hashed from
   past the end of one, and differed run to run). */
static void test_run_data_fingerprint_of_long_codes(void **state)
{
    (void)state;
    strbuf code = STRBUF_INIT;
    for (int i = 0; i < 64; i++) {
        sb_puts(&code, "指");
    }
    run_column cols[2] = {{code.data, "2023", 12, ""}, {"fail", "2022/23", 3, ""}};
    memset(cols[0].sha256, 'a', 64);
    memset(cols[1].sha256, 'b', 64);
    strbuf text = STRBUF_INIT;
    for (int c = 0; c < 2; c++) {
        sb_printf(&text, "%s\t%s\t%ld\t%s\n", cols[c].indicator, cols[c].period, cols[c].count,
                  cols[c].sha256);
    }
    char want[SHA256_DIGEST_STRING_LENGTH], got[65];
    SHA256Data((const uint8_t *)text.data, text.len, want);
    run_data_sha256(cols, 2, NULL, got);
    assert_string_equal(got, want);
    /* and without the column skipped */
    SHA256Data((const uint8_t *)text.data + strlen(text.data) - strlen(strchr(text.data, '\n') + 1),
               strlen(strchr(text.data, '\n') + 1), want);
    run_data_sha256(cols, 2, code.data, got);
    assert_string_equal(got, want);
    sb_free(&text);
    sb_free(&code);
}

#define T(name) cmocka_unit_test_setup_teardown(name, tu_scratch_setup, tu_scratch_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_run_data_fingerprint_of_long_codes),
        T(test_run_all_packs_kept_and_replayed),
        T(test_run_diff_reproduces_sergokala_lists),
        T(test_run_whatif_names_the_schools_that_flip),
        T(test_run_replay_finds_the_pack_from_elsewhere),
        T(test_run_replay_names_an_edited_module),
        T(test_run_replay_names_a_register_change_once),
        T(test_run_replay_names_changed_values),
        T(test_run_diff_shows_decisions_by_hand),
        T(test_run_whatif_and_diff_tell_insufficient_from_left),
        T(test_run_keeps_its_engine),
        T(test_run_kept_before_id_check_replays),
        T(test_run_target_school_typo_is_an_error),
        T(test_run_pack_cannot_read_the_listing_it_decides),
        T(test_run_roadmap_periods_bound_the_plan),
        T(test_run_roadmap_ends_with_the_programme),
        T(test_run_replay_serves_a_module_required_lazily),
        T(test_run_failing_pack_stores_nothing_others_run),
        T(test_run_listings_of_kept_runs_are_read_back),
        T(test_run_records_cannot_be_changed),
        T(test_run_demo_targets_and_lists),
        T(test_run_process_targets_apply_and_replay),
        T(test_run_show_run_speaks_as_list),
        T(test_run_cohort_without_data_is_unknown),
        T(test_run_replay_names_changed_assignments),
        T(test_run_says_which_run_it_replaces),
        T(test_run_that_decides_nothing_is_not_kept),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
