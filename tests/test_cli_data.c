/*
 * test_cli_data.c — the init, import and export commands, end to end through
 * the built binary on real files in a temporary directory.
 */
#include "testutil.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef tu_scratch fixture;

static void load_reference(fixture *f)
{
    char *ind = tu_file(f->dir, "ind.csv",
                        "code;title;unit;better\r\nfail_share;Доля неуспевающих;share;lower\r\n"
                        "ege_math;Средний балл ЕГЭ по математике;score;higher\r\n");
    char *sch = tu_file(f->dir, "sch.csv",
                        "Код ОО;Наименование;Территория\r\n"
                        "7001;МКОУ СОШ №1 г. Кедрового;Кедровый\r\n"
                        "7002;МАОУ Пудинская СОШ;Кедровый\r\n");
    char *out = NULL;
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "init", NULL), 0);
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "import", "indicators", ind, NULL),
                     0);
    assert_non_null(strstr(out, "2 rows; indicators: 2 new"));
    free(out);
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "import", "schools", sch, NULL), 0);
    assert_non_null(strstr(out, "2 rows; schools: 2 new"));
    free(out);
    free(ind);
    free(sch);
}

static void test_cli_init_reports_schema_version(void **state)
{
    fixture *f = *state;
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "init", NULL), 0);
    assert_non_null(strstr(out, "shnor database, schema version"));
    free(out);
    char *v = tu_sql(f->db, "PRAGMA user_version");
    assert_true(atoi(v) >= 2);
    free(v);
}

static void test_cli_import_and_export_values(void **state)
{
    fixture *f = *state;
    load_reference(f);
    char *vals = tu_file(f->dir, "vals.csv",
                         "school;period;fail_share;ege_math\r\n"
                         "7001;2020/21;8,3%;\r\n"
                         "7002;2020/21;0,15;39,5\r\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "--db", f->db, "import", "values", vals, NULL), 0);
    assert_non_null(strstr(out, "2 rows; values: 3 new, 0 replaced, 0 unchanged"));
    free(out);
    free(err);
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "export", "values", NULL), 0);
    assert_string_equal(out, "school,indicator,period,value\n"
                             "7001,fail_share,2020/21,0.083\n"
                             "7002,ege_math,2020/21,39.5\n"
                             "7002,fail_share,2020/21,0.15\n");
    free(out);
    assert_int_equal(tu_run(NULL, &out, NULL, "export", "values", "--format", "json", "--db",
                            f->db, NULL),
                     0);
    assert_non_null(strstr(out, "\"school\": \"7001\",\n    \"indicator\": \"fail_share\",\n"
                                "    \"period\": \"2020/21\",\n    \"value\": 0.083"));
    free(out);
    /* For people: aligned, values in their unit (a share as a percent). */
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "export", "values", "--format",
                            "table", NULL),
                     0);
    assert_string_equal(out, "Школа  Показатель  Период   Значение\n"
                             "------------------------------------\n"
                             "7001   fail_share  2020/21      8,3%\n"
                             "7002   ege_math    2020/21      39,5\n"
                             "7002   fail_share  2020/21     15,0%\n");
    free(out);
    /* -o FILE writes the same CSV to the file and nothing to stdout */
    char *o = tu_path(f->dir, "out.csv");
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "export", "values", "-o", o, NULL),
                     0);
    assert_string_equal(out, "");
    free(out);
    char *written = tu_read(o, NULL);
    assert_non_null(written);
    assert_string_equal(written, "school,indicator,period,value\n"
                                 "7001,fail_share,2020/21,0.083\n"
                                 "7002,ege_math,2020/21,39.5\n"
                                 "7002,fail_share,2020/21,0.15\n");
    free(written);
    free(o);
    free(vals);
}

static void test_cli_bad_file_is_rejected_whole(void **state)
{
    fixture *f = *state;
    load_reference(f);
    char *good = tu_file(f->dir, "good.csv", "school,indicator,period,value\n7001,fail_share,2020,0.1\n");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "values", good, NULL), 0);
    char *before = NULL;
    assert_int_equal(tu_run(NULL, &before, NULL, "--db", f->db, "export", "values", NULL), 0);
    char *bad = tu_file(f->dir, "bad.csv",
                        "school,indicator,period,value\n"
                        "7002,fail_share,2020,0.2\n"
                        "7002,fail_share,2021,12,5\n");
    char *err = NULL;
    int rc = tu_run(NULL, NULL, &err, "--db", f->db, "import", "values", bad, NULL);
    assert_int_equal(rc, 3);
    assert_non_null(strstr(err, "bad.csv:3:4: 5 fields, but the header has 4: is '12,5' a "
                                "number with a decimal comma? In a comma-separated file it "
                                "must be in quotes (\"12,5\"), or save the file with ';'"));
    assert_non_null(strstr(err, "nothing was imported"));
    char *after = NULL;
    assert_int_equal(tu_run(NULL, &after, NULL, "--db", f->db, "export", "values", NULL), 0);
    assert_string_equal(before, after);
    char *check = tu_sql(f->db, "PRAGMA integrity_check");
    assert_string_equal(check, "ok");
    free(check);
    free(before);
    free(after);
    free(err);
    free(good);
    free(bad);
}

static void test_cli_database_from_environment(void **state)
{
    fixture *f = *state;
    setenv("SHNOR_DB", f->db, 1);
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "init", NULL), 0);
    assert_non_null(strstr(out, f->db));
    free(out);
    unsetenv("SHNOR_DB");
    char *n = tu_sql(f->db, "SELECT count(*) FROM sqlite_schema WHERE name = 'schools'");
    assert_string_equal(n, "1");
    free(n);
    /* with no USER, LOGNAME or SHNOR_USER (cron, a service), who imported is
       the account's name, not "unknown" */
    static const char *const vars[] = {"SHNOR_USER", "USER", "LOGNAME"};
    char *saved[3];
    for (int i = 0; i < 3; i++) {
        saved[i] = getenv(vars[i]) ? strdup(getenv(vars[i])) : NULL;
        unsetenv(vars[i]);
    }
    char *ind = tu_file(f->dir, "u.csv", "code,title,unit,better\nx,X,count,higher\n");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "indicators", ind, NULL),
                     0);
    for (int i = 0; i < 3; i++) {
        if (saved[i]) {
            setenv(vars[i], saved[i], 1);
        }
        free(saved[i]);
    }
    struct passwd *pw = getpwuid(getuid());
    assert_non_null(pw);
    char *who = tu_sql(f->db, "SELECT user FROM batches ORDER BY id DESC LIMIT 1");
    assert_string_equal(who, pw->pw_name);
    free(who);
    free(ind);
}

static void test_cli_import_from_stdin_with_map(void **state)
{
    fixture *f = *state;
    load_reference(f);
    char *out = NULL;
    int rc = tu_run("ОО|Что|Год|Сколько\n7001|ege_math|2021|41\n", &out, NULL, "--db", f->db,
                    "import", "values", "-", "--separator", ",", "--map", "school=ОО", NULL);
    /* '|' is not a separator: the whole line is one column and nothing maps. */
    assert_int_equal(rc, 3);
    free(out);
    rc = tu_run("ОО;Что;Год;Сколько\n7001;ege_math;2021;41\n", &out, NULL, "--db", f->db,
                "import", "values", "-", "--map", "school=ОО", "--map", "indicator=Что",
                "--map=period=Год", "--map", "value=Сколько", NULL);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "<stdin>: 1 row; values: 1 new"));
    free(out);
}

static void test_cli_usage_errors_exit_2(void **state)
{
    fixture *f = *state;
    char *err = NULL;
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "frobnicate", NULL), 2);
    assert_non_null(strstr(err, "unknown command 'frobnicate'"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "help", "frobnicate", NULL), 2);
    assert_non_null(strstr(err, "unknown command 'frobnicate'"));
    free(err);
    /* option values the command line can judge are its errors (exit 2), not the file's */
    char *ind = tu_file(f->dir, "empty.csv", "code,title,unit,better\n");
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "import", "indicators", ind,
                            "--encoding", "bogus", NULL),
                     2);
    assert_non_null(strstr(err, "--encoding 'bogus': not an encoding"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "import", "indicators", ind,
                            "--map", "code", NULL),
                     2);
    assert_non_null(strstr(err, "--map 'code' is not of the form column='Header in the file'"));
    free(err);
    /* an option given twice with two values: the last is used, and that is said */
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "export", "values", "--format",
                            "csv", "--format", "json", NULL),
                     8);
    assert_non_null(strstr(err, "shnor export: note: --format is given twice ('csv' and "
                                "'json'); the last is used\n"));
    free(err);
    /* the same value twice is one value: past the options, to the database */
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "export", "values", "--format",
                            "csv", "--format=csv", NULL),
                     8);
    assert_null(strstr(err, "given twice"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "import", "valuez", ind, NULL), 2);
    assert_non_null(strstr(err, "'valuez' is not something to import; expected indicators, "
                                "schools, values, statuses or listings"));
    free(err);
    free(ind);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "import", "values", NULL), 2);
    assert_non_null(strstr(err, "usage: shnor --db FILE import"));
    free(err);
    /* every command says how it is used: `CMD --help`, `help CMD` (exit 0) */
    char *out = NULL;
    setenv("COLUMNS", "200", 1);
    assert_int_equal(tu_run(NULL, &out, NULL, "runs", "--help", NULL), 0);
    assert_string_equal(out, "usage: shnor --db FILE runs [--format table|csv|json|excel-csv]\n\nlist "
                             "the kept runs. See README.md for formats, rule packs and exit "
                             "codes.\n");
    free(out);
    assert_int_equal(tu_run(NULL, &out, NULL, "help", "targets", NULL), 0);
    assert_non_null(strstr(out, "(every pack with a kept run)"));
    free(out);
    /* after a command's verb too */
    assert_int_equal(tu_run(NULL, &out, NULL, "import", "values", "--help", NULL), 0);
    assert_non_null(strstr(out, "usage: shnor --db FILE import indicators|schools|values"));
    free(out);
    assert_int_equal(tu_run(NULL, &out, NULL, "override", "add", "-h", NULL), 0);
    assert_non_null(strstr(out, "usage: shnor --db FILE override add SCHOOL"));
    free(out);
    unsetenv("COLUMNS");
    /* -h later on may be an option's value, not a call for help */
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "export", "values", "--output", "-h",
                            "--format", "xml", NULL),
                     2);
    assert_non_null(strstr(err, "--format 'xml'"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", NULL), 2);
    assert_non_null(strstr(err, "--db needs a file name"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "export", "values", "--fast", NULL),
                     2);
    assert_non_null(strstr(err, "unknown option '--fast'"));
    free(err);
    assert_int_equal(
        tu_run(NULL, NULL, &err, "--db", f->db, "export", "values", "--format", "xml", NULL), 2);
    assert_non_null(strstr(err, "--format 'xml' is not one of table, csv, json, excel-csv"));
    free(err);
    /* --verbose after the command as well as before it: the pack's print() */
    char *noisy = tu_file(f->dir, "noisy.lua",
                          "print('загружен')\n"
                          "return { id = 'n', title = 'N', version = '1', source = 'S',\n"
                          "  categories = { low = 'L' }, criteria = { { id = 'c', category = "
                          "'low',\n    title = 'T', test = function(s, p) return true end } } }\n");
    assert_int_equal(tu_run(NULL, NULL, &err, "check", noisy, "--verbose", NULL), 0);
    assert_non_null(strstr(err, "загружен"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "check", noisy, NULL), 0);
    assert_null(strstr(err, "загружен"));
    free(err);
    free(noisy);
    /* a stray word is named, not ignored (report dropped a second run id) */
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "report", "--run", "1", "2",
                            "--format", "html", "-o", "x.html", NULL),
                     2);
    assert_non_null(strstr(err, "shnor report: unexpected argument '2'\nusage: shnor"));
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "runs", "csv", NULL), 2);
    assert_non_null(strstr(err, "shnor runs: unexpected argument 'csv'"));
    free(err);
}

/*
 * An export imports back as the same data when a name holds the separators
 * the reader chooses from: an attribute named "a;b;c;d;e;f;g;h;i;j" in a ,-separated
 * register (regression: written unquoted, the header read as ';'-separated
 * and the export was refused for a missing 'code' column).
 */
static void test_cli_export_with_separators_in_names_imports_back(void **state)
{
    fixture *f = *state;
    char *sch = tu_file(f->dir, "sch.csv",
                        "Код ОО,Наименование,Территория,\"a;b;c;d;e;f;g;h;i;j\",\"x\ty\"\n"
                        "MK04,\"Школа; корпус 1\",Район,5,\"1,5\"\n");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "init", NULL), 0);
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "schools", sch, NULL), 0);
    char *first = NULL, *second = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, &first, NULL, "--db", f->db, "export", "schools", NULL), 0);
    char *exported = tu_file(f->dir, "exported.csv", first);
    char *db2 = tu_path(f->dir, "second.db");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", db2, "init", NULL), 0);
    int st = tu_run(NULL, NULL, &err, "--db", db2, "import", "schools", exported, NULL);
    if (st != 0) {
        fail_msg("the export does not import back (exit %d):\n%s\n%s", st, first, err);
    }
    assert_int_equal(tu_run(NULL, &second, NULL, "--db", db2, "export", "schools", NULL), 0);
    assert_string_equal(first, second);
    assert_non_null(strstr(first, "\"a;b;c;d;e;f;g;h;i;j\""));
    free(first);
    free(second);
    free(err);
    free(exported);
    free(db2);
    free(sch);
}

/* The CSV a Russian Excel opens with a double click (BOM, ';', decimal
   commas, CRLF, formulas disarmed) imports back to the same data, a name
   that starts like a formula included. */
static void test_cli_export_for_excel_imports_back(void **state)
{
    fixture *f = *state;
    load_reference(f);
    char *sch = tu_file(f->dir, "odd.csv",
                        "code,name,territory,max,-rank\n"
                        "7003,\"=HYPERLINK(\"\"http://x\"\")\",Кедровый,0.5,-2\n"
                        "7004,- школа-сад,Кедровый,,\n07.10,Школа с кодом-датой,Кедровый,,\n"
                        "-7005,Школа с кодом-минусом,Кедровый,,\n");
    char *vals = tu_file(f->dir, "v.csv",
                         "school,period,fail_share,ege_math\n7001,2021,0.125,61.5\n"
                         "7003,2021,0.2,\n7004,2021,1e-5,40\n07.10,2021,0.5,\n"
                         "-7005,2021,,40.25\n");
    char *out = NULL, *err = NULL;
    char *isb = tu_file(f->dir, "isb.csv",
                        "code,title,unit,better,min,max\nisb,Индекс,index,higher,0.5,1.5\n");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "indicators", isb, NULL),
                     0);
    free(isb);
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", f->db, "import", "schools", sch, NULL), 0);
    int st = tu_run(NULL, NULL, &err, "--db", f->db, "import", "values", vals, NULL);
    if (st != 0) {
        fail_msg("import values: %d\n%s", st, err);
    }
    free(err);
    char *db2 = tu_path(f->dir, "excel.db");
    assert_int_equal(tu_run(NULL, NULL, NULL, "--db", db2, "init", NULL), 0);
    const char *kinds[] = {"indicators", "schools", "values"};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(tu_run(NULL, &out, NULL, "--db", f->db, "export", kinds[k], "--format",
                                "excel-csv", NULL),
                         0);
        if (k == 0) {
            assert_non_null(strstr(out, "\r\nisb;Индекс;index;higher;0,5;1,5\r\n"));
        }
        if (k == 1) {
            assert_non_null(strstr(out, "7003;\"'=HYPERLINK(\"\"http://x\"\")\";Кедровый;"));
            assert_non_null(strstr(out, ";'-rank;max\r\n")); /* attributes, by name */
            assert_non_null(strstr(out, ";'-2;0.5\r\n"));     /* text, as imported */
            assert_non_null(strstr(out, "7004;'- школа-сад;Кедровый;"));
            assert_non_null(strstr(out, "\r\n07.10;Школа с кодом-датой;Кедровый;"));
            assert_non_null(strstr(out, "\r\n'-7005;Школа с кодом-минусом;Кедровый;"));
        }
        if (k == 2) {
            assert_memory_equal(out, "\xEF\xBB\xBFschool;indicator;period;value\r\n", 33);
            assert_non_null(strstr(out, "7001;ege_math;2021;61,5\r\n"));
            assert_non_null(strstr(out, "7001;fail_share;2021;0,125\r\n"));
            assert_non_null(strstr(out, "\r\n07.10;fail_share;2021;0,5\r\n"));
            assert_non_null(strstr(out, "\r\n'-7005;ege_math;2021;40,25\r\n"));
        }
        char *file = tu_file(f->dir, "excel.csv", out);
        free(out);
        err = NULL;
        st = tu_run(NULL, NULL, &err, "--db", db2, "import", kinds[k], file, NULL);
        if (st != 0) {
            fail_msg("the excel-csv export of %s does not import back (exit %d):\n%s", kinds[k],
                     st, err);
        }
        free(err);
        free(file);
        char *a = NULL, *b = NULL;
        assert_int_equal(tu_run(NULL, &a, NULL, "--db", f->db, "export", kinds[k], NULL), 0);
        assert_int_equal(tu_run(NULL, &b, NULL, "--db", db2, "export", kinds[k], NULL), 0);
        assert_string_equal(a, b);
        free(a);
        free(b);
    }
    free(db2);
    free(sch);
    free(vals);
}

static void test_cli_export_without_database_says_init(void **state)
{
    fixture *f = *state;
    char *err = NULL;
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "export", "schools", NULL), 8);
    assert_non_null(strstr(err, "no database at"));
    assert_non_null(strstr(err, "init"));
    free(err);
    /* nor does import make one: a mistyped --db gets no data */
    char *sch = tu_file(f->dir, "sch.csv", "code,name,territory\n7001,Школа,Кедровый\n");
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", f->db, "import", "schools", sch, NULL),
                     8);
    assert_non_null(strstr(err, "no database at"));
    assert_int_equal(access(f->db, F_OK), -1);
    free(err);
    free(sch);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, tu_scratch_setup, tu_scratch_teardown)
    const struct CMUnitTest tests[] = {
        T(test_cli_init_reports_schema_version),
        T(test_cli_import_and_export_values),
        T(test_cli_bad_file_is_rejected_whole),
        T(test_cli_database_from_environment),
        T(test_cli_import_from_stdin_with_map),
        T(test_cli_usage_errors_exit_2),
        T(test_cli_export_with_separators_in_names_imports_back),
        T(test_cli_export_for_excel_imports_back),
        T(test_cli_export_without_database_says_init),
    };
    return cmocka_run_group_tests_name("cli_data", tests, NULL, NULL);
}
