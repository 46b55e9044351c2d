/*
 * report_fixture.h — the region the report suites share (test_report.c for
 * the writers' own output, test_report_apps.c for LibreOffice and Chromium):
 * five schools of one district, a pack with two criteria, a two-row roadmap
 * and three targets (a share, a score and a count, each met, not met or
 * short of data somewhere), kept as run 1 before any roadmap was stored (a dry
 * run), then as run 2 with its roadmap applied, one assignment marked done.
 *
 * Included by test_report.c, test_report_apps.c and test_cli_tables.c (static
 * inline functions); each fixture lives in its own
 * temporary directory.
 */
#ifndef SHNOR_REPORT_FIXTURE_H
#define SHNOR_REPORT_FIXTURE_H

#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char *dir;
    char *db;
    char *packs;
    long done_id; /* the assignment of 2.1 for school A, set to done */
} report_fixture;

/* The title has markup characters: the HTML must escape them. */
static const char REPORT_PACK[] =
    "return {\n"
    "  id = 'fx', title = 'Фикстура <&> «Район»', version = '1',\n"
    "  source = 'Приказ №1 от 09.01.2023', territory = 'Район', period = '2023',\n"
    "  categories = { { id = 'low', title = 'школы с низкими результатами' } },\n"
    "  criteria = {\n"
    "    { id = 'fail_high', category = 'low', title = 'Доля неуспевающих выше 20%',\n"
    "      test = function(s, p) return s:value('fail', p) > 0.2 end },\n"
    "    { id = 'ege_low', category = 'low', title = 'Балл ЕГЭ ниже среднего',\n"
    "      test = function(s, p) return s:value('ege', p) < shnor.mean('ege', p) end },\n"
    "  },\n"
    "  activities = {\n"
    "    { id = '1.1', section = '1. Организационные мероприятия',\n"
    "      title = 'Утверждение плана работы', due = 'Январь',\n"
    "      responsible = 'Исаева Х.Н., начальник УО', coexecutors = 'Лукманова С.Ш.',\n"
    "      result = 'Утвержден план', indicator = 'Доля школ, 100%', document = 'План' "
    "},\n"
    "    { id = '2.1', section = '2. Работа со школами', title = 'Выезды в школы',\n"
    "      applies = { 'low' }, due = '15.03.2023', document = 'Справка' },\n"
    "  },\n"
    "  targets = {\n"
    "    { id = 'fail_down', title = 'Снижение доли неуспевающих не менее чем на 10%',\n"
    "      indicator = 'fail', kind = 'reduce_relative', value = 0.10,\n"
    "      scope = { each = 'low' }, baseline = -1 },\n"
    "    { id = 'ege_mean', title = 'Средний балл не ниже среднего', indicator = 'ege',\n"
    "      kind = 'not_below_mean', scope = { each = 'low' } },\n"
    "    { id = 'trained', title = 'Обучено не менее 5 педагогов', indicator = "
    "'trained',\n"
    "      kind = 'at_least', value = 5, scope = { category = 'low' } },\n"
    "  },\n"
    "}\n";

static inline void report_fixture_import(report_fixture *f, const char *kind,
                                         const char *name, const char *text)
{
    char *path = tu_path(f->dir, name);
    tu_write_str(path, text);
    char *err = NULL;
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "init", NULL), 0);
    int rc = tu_run(NULL, NULL, &err, "--db", f->db, "import", kind, path, NULL);
    if (rc != 0) {
        fail_msg("import %s: %d\n%s", name, rc, err);
    }
    free(err);
    free(path);
}

/* Runs shnor --db DB with the arguments; fails the test unless it exits 0. */
static inline char *report_fixture_ok(report_fixture *f, const char *a1, const char *a2,
                                      const char *a3, const char *a4)
{
    char *out = NULL, *err = NULL;
    int rc = tu_run(NULL, &out, &err, "--db", f->db, a1, a2, a3, a4, NULL);
    if (rc != 0) {
        fail_msg("shnor %s %s %s %s: exit %d\n%s", a1, a2 ? a2 : "", a3 ? a3 : "",
                 a4 ? a4 : "", rc, err);
    }
    free(err);
    return out;
}

static inline report_fixture *report_fixture_new(void)
{
    report_fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "fx.db");
    f->packs = tu_path(f->dir, "packs");
    assert_int_equal(mkdir(f->packs, 0700), 0);
    char *pack = tu_path(f->packs, "fx.lua");
    tu_write_str(pack, REPORT_PACK);
    free(pack);
    report_fixture_import(f, "indicators", "i.csv",
                          "code,title,unit,better\nfail,Доля неуспевающих,share,lower\n"
                          "ege,Средний балл ЕГЭ,score,higher\n"
                          "trained,Обучено педагогов,count,higher\n");
    report_fixture_import(
        f, "schools", "s.csv",
        "code,name,territory\nA,МКОУ «СОШ №1»,Район\nB,МКОУ «СОШ №2»,Район\n"
        "C,МКОУ «СОШ №3»,Район\nD,МКОУ «ООШ №4»,Район\n"
        "E,МКОУ «ООШ №5»,Район\n");
    report_fixture_import(f, "values", "v.csv",
                          "school,period,fail,ege,trained\nA,2022,30%,,\nB,2022,25%,,\n"
                          "C,2022,10%,,\nE,2022,15%,,\nA,2023,25%,55,3\nB,2023,22.53%,70,4\n"
                          "C,2023,5%,80,\nD,2023,21%,,5\n");
    free(report_fixture_ok(f, "run", "--packs", f->packs, NULL));
    free(report_fixture_ok(f, "run", "--packs", f->packs, "--apply-roadmaps"));
    char *id = tu_sql(f->db, "SELECT assignment_id FROM run_roadmap WHERE run_id = 2 "
                             "AND activity = '2.1' AND owner = 'A'");
    f->done_id = strtol(id, NULL, 10);
    assert_true(f->done_id > 0);
    char ids[24];
    snprintf(ids, sizeof ids, "%ld", f->done_id);
    char *out = NULL, *err = NULL;
    int rc = tu_run(NULL, &out, &err, "--db", f->db, "assignment", "set", ids, "--status",
                    "done", "--evidence", "Справка №5 от 10.03.2023", "--date",
                    "2023-03-10", NULL);
    if (rc != 0) {
        fail_msg("assignment set: %d\n%s", rc, err);
    }
    free(out);
    free(err);
    free(id);
    return f;
}

static inline void report_fixture_free(report_fixture *f)
{
    if (!f) {
        return;
    }
    tu_rmrf(f->dir);
    free(f->dir);
    free(f->db);
    free(f->packs);
    free(f);
}

/* Writes a report: shnor --db DB report --run RUNS --format FMT -o DIR/NAME. */
static inline char *report_fixture_write(report_fixture *f, const char *runs,
                                         const char *fmt, const char *name)
{
    char *path = tu_path(f->dir, name);
    char *out = NULL, *err = NULL;
    int rc = tu_run(NULL, &out, &err, "--db", f->db, "report", "--run", runs, "--format",
                    fmt, "-o", path, NULL);
    if (rc != 0) {
        fail_msg("report --run %s --format %s: exit %d\n%s", runs, fmt, rc, err);
    }
    free(out);
    free(err);
    return path;
}

/* The next '|'-separated field of a tu_sql row, advancing *p; malloc'ed.
   The last field of a row (last) runs to the end of the line, '|' and all. */
static inline char *report_fixture_field(const char **p, int last)
{
    size_t n = strcspn(*p, last ? "\n" : "|\n");
    char *s = strndup(*p, n);
    *p += n + ((*p)[n] == '|');
    return s;
}

#endif
