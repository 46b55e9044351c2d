/*
 * test_cli_roadmap.c — the roadmap commands end to end through the built
 * binary, on real files and a real database: roadmap (dry run, --apply twice,
 * CSV in the seeds' columns), assignment set, assignments --overdue --as-of,
 * import statuses (a bad row rejects the whole file), import listings for
 * cohorts and the exit rule, mentors, and override add|list|revoke over three
 * periods. The fixture region is the one of test_roadmap.c.
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "strbuf.h"

typedef struct {
    char *dir;
    char *db;
    char *pack;
} fixture;

static const char PACK[] =
    "return {\n"
    "  id = 'fx', title = 'Фикстура', version = '1', source = 'Приказ №1',\n"
    "  territory = 'Район',\n"
    "  categories = { { id = 'low', title = 'школы с низкими результатами' } },\n"
    "  criteria = {\n"
    "    { id = 'fail_high', category = 'low', title = 'Доля неуспевающих выше 20%',\n"
    "      test = function(s, p) return s:value('fail', p) > 0.2 end },\n"
    "  },\n"
    "  cohorts = {\n"
    "    { id = 'persistent', category = 'low', title = 'устойчиво низкие',\n"
    "      test = function(s, p) return s:listed(shnor.period.prev(p), 'low') end },\n"
    "    { id = 'new', category = 'low', title = 'впервые в списке',\n"
    "      test = function() return true end },\n"
    "  },\n"
    "  exit = { after = 2 },\n"
    "  mentors = {\n"
    "    { mentor = 'M1', schools = { 'A', 'B' } },\n"
    "    { mentor = 'M2', schools = { 'C' } },\n"
    "  },\n"
    "  activities = {\n"
    "    { id = '1.1', section = '1. Организационные мероприятия',\n"
    "      title = 'Утверждение плана работы', due = 'Январь',\n"
    "      responsible = 'Исаева Х.Н., начальник УО', coexecutors = 'Лукманова С.Ш.',\n"
    "      result = 'Утвержден план', indicator = 'Доля школ, 100%',\n"
    "      document = 'План' },\n"
    "    { id = '1.2', title = 'Совещание', due = 'Февраль' },\n"
    "    { id = '1.3', title = 'Семинар', due = 'Март' },\n"
    "    { id = '1.4', title = 'Пробный ЕГЭ', due = 'Апрель' },\n"
    "    { id = '2.1', section = '2. Работа со школами', title = 'Выезды',\n"
    "      applies = { 'low' }, due = 'Март', document = 'Справка' },\n"
    "    { id = '3.3', title = 'Устойчиво низкие', applies = { 'persistent' },\n"
    "      due = 'В течение года' },\n"
    "  },\n"
    "}\n";

/* Runs shnor --db DB args...; returns the exit status. */
#define SHNOR(f, out, err, ...) tu_run(NULL, out, err, "--db", (f)->db, __VA_ARGS__, NULL)

static void import(fixture *f, const char *kind, const char *name, const char *text)
{
    char *path = tu_file(f->dir, name, text);
    char *err = NULL;
    int rc = SHNOR(f, NULL, &err, "import", kind, path);
    if (rc != 0) {
        fail_msg("import %s %s: %d\n%s", kind, name, rc, err);
    }
    free(err);
    free(path);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = tu_tmpdir();
    f->db = tu_path(f->dir, "rm.db");
    f->pack = tu_file(f->dir, "fx.lua", PACK);
    assert_int_equal(SHNOR(f, NULL, NULL, "init"), 0);
    import(f, "indicators", "i.csv",
           "code,title,unit,better\nfail,Доля неуспевающих,share,lower\n");
    import(f, "schools", "s.csv",
           "code,name,territory\nA,Школа A,Район\nB,Школа B,Район\nC,Школа C,Район\n"
           "D,Школа D,Район\nM1,Базовая школа 1,Район\nM2,Базовая школа 2,Район\n"
           "X,Чужая школа,Другой район\n");
    import(f, "values", "v.csv",
           "school,period,fail\nA,2021,30%\nA,2022,30%\nA,2023,30%\n"
           "B,2021,30%\nB,2022,10%\nB,2023,10%\nC,2021,10%\nC,2022,30%\nC,2023,10%\n"
           "D,2021,5%\nD,2022,5%\nD,2023,5%\nM1,2021,1%\nM1,2022,1%\nM1,2023,1%\n"
           "M2,2021,1%\nM2,2022,1%\nM2,2023,1%\nX,2021,50%\nX,2022,50%\nX,2023,50%\n");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    tu_rmrf(f->dir);
    free(f->dir);
    free(f->db);
    free(f->pack);
    free(f);
    return 0;
}

static long count(fixture *f, const char *sql)
{
    char *s = tu_sql(f->db, sql);
    long n = atol(s);
    free(s);
    return n;
}

static void expect_sql(fixture *f, const char *sql, const char *want)
{
    char *got = tu_sql(f->db, sql);
    if (strcmp(got, want) != 0) {
        fail_msg("%s\n  got      %s\n  expected %s", sql, got, want);
    }
    free(got);
}

static void expect_text(const char *what, const char *got, const char *want)
{
    if (strcmp(got ? got : "(null)", want) != 0) {
        fail_msg("%s:\n--- got\n%s--- expected\n%s", what, got ? got : "(null)", want);
    }
}

static void expect_in(const char *what, const char *text, const char *part)
{
    if (!text || !strstr(text, part)) {
        fail_msg("%s:\n%s\nlacks\n%s", what, text ? text : "(null)", part);
    }
}

/* The first n comma-separated fields of each line of csv (header dropped),
   lines joined by " " (caller frees). The fields must not be quoted. */
static char *columns(const char *csv, int n)
{
    size_t cap = strlen(csv) + 1, len = 0;
    char *s = malloc(cap);
    assert_non_null(s);
    s[0] = '\0';
    const char *line = strchr(csv, '\n');
    while (line && line[1]) {
        line++;
        const char *end = strchr(line, '\n');
        const char *p = line;
        for (int k = 0; k < n && p < end; k++) {
            const char *q = p;
            while (q < end && *q != ',') {
                q++;
            }
            len += (size_t)snprintf(s + len, cap - len, "%s%.*s",
                                    k ? "," : (len ? " " : ""), (int)(q - p), p);
            p = q + 1;
        }
        line = end;
    }
    return s;
}

/* list --format csv of period: "school,category,criteria,status,cohort,mentor"
   for each row, joined by " " (caller frees). */
static char *listed(fixture *f, const char *period)
{
    char *out = NULL, *err = NULL;
    int rc = SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", period,
                   "--format", "csv");
    if (rc != 0) {
        fail_msg("list %s: %d\n%s", period, rc, err);
    }
    strbuf sb = STRBUF_INIT;
    const char *line = strchr(out, '\n');
    while (line && line[1]) {
        line++;
        const char *end = strchr(line, '\n');
        const char *p = line;
        sb_puts(&sb, sb.len ? " " : "");
        for (int k = 0; k < 7 && p < end; k++) {
            const char *q = p;
            while (q < end && *q != ',') {
                q++;
            }
            if (k != 1) {
                sb_printf(&sb, "%s%.*s", k ? "," : "", (int)(q - p), p);
            }
            p = q + 1;
        }
        line = end;
    }
    free(out);
    free(err);
    char *s = sb_detach(&sb);
    return s ? s : strdup("");
}

static void expect_listed(fixture *f, const char *period, const char *want)
{
    char *got = listed(f, period);
    if (strcmp(got, want) != 0) {
        fail_msg("list %s:\n  got      %s\n  expected %s", period, got, want);
    }
    free(got);
}

static const char LISTINGS[] =
    "Код ОО;Год;Категория\nA;2021;low\nB;2021;low\nA;2022;low\nB;2022;low\nC;2022;low\n";

static void import_listings(fixture *f)
{
    import(f, "listings", "l.csv", LISTINGS);
}

/* ---------------------------------------------------------------------------
 * roadmap and assignments.
 */

static void test_cli_roadmap_apply_twice_keeps_count_and_statuses(void **state)
{
    fixture *f = *state;
    import_listings(f);
    char *out = NULL, *err = NULL;
    /* a dry run stores nothing */
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022"), 0);
    expect_in("dry run", out,
              "Дорожная карта «Фикстура» на 2022: 6 мероприятий, 9 "
              "поручений.\n");
    assert_null(strstr(out, "Сохранено"));
    free(out);
    free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM assignments"), 0);

    /* 4 office items, 2.1 for A, B (kept by the exit rule) and C, 3.3 for A
       and B (persistent) */
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022", "--apply"),
        0);
    expect_in("apply", out,
              "Сохранено: 9 новых поручений, 0 уже были (статусы не изменены).\n");
    free(out);
    free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM assignments"), 9);
    expect_sql(f,
               "SELECT a.id, c.key, a.owner, a.start, a.due, a.status FROM assignments a "
               "JOIN activities c ON c.id = a.activity_id ORDER BY a.id",
               "1|1.1||2022-01-01|2022-01-31|planned\n"
               "2|1.2||2022-02-01|2022-02-28|planned\n"
               "3|1.3||2022-03-01|2022-03-31|planned\n"
               "4|1.4||2022-04-01|2022-04-30|planned\n"
               "5|2.1|A|2022-03-01|2022-03-31|planned\n"
               "6|2.1|B|2022-03-01|2022-03-31|planned\n"
               "7|2.1|C|2022-03-01|2022-03-31|planned\n"
               "8|3.3|A|2022-01-01|2022-12-31|planned\n"
               "9|3.3|B|2022-01-01|2022-12-31|planned");

    /* a status set by hand */
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", "5", "--status", "done",
                           "--evidence", "Приказ №12 от 01.02.2023", "--date",
                           "2022-03-20"),
                     0);
    expect_text("assignment set", out, "assignment 5: done — Приказ №12 от 01.02.2023\n");
    free(out);
    free(err);
    /* In a time zone whose date is not UTC's now (UTC+14 or UTC-12, one of
       them always is): the day of the change is the local one, the day the
       `assignments` command's "today" is (regression: UTC, a day off in
       Kamchatka for half the day). */
    char *tz_saved = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
    time_t now = time(NULL);
    struct tm utc, loc;
    gmtime_r(&now, &utc);
    setenv("TZ", "KIRI-14", 1);
    tzset();
    localtime_r(&now, &loc);
    if (loc.tm_mday == utc.tm_mday) {
        setenv("TZ", "AOE+12", 1);
        tzset();
        localtime_r(&now, &loc);
    }
    char today[16];
    strftime(today, sizeof today, "%Y-%m-%d", &loc);
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", "9", "--status",
                           "in_progress", "--by", "Лукманова"),
                     0);
    if (tz_saved) {
        setenv("TZ", tz_saved, 1);
    } else {
        unsetenv("TZ");
    }
    tzset();
    free(tz_saved);
    free(out);
    free(err);

    /* applied again: nothing new, nothing overwritten */
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022", "--apply"),
        0);
    expect_in("re-apply", out,
              "Сохранено: 0 новых поручений, 9 уже были (статусы не изменены).\n");
    free(out);
    free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM assignments"), 9);
    expect_sql(f,
               "SELECT id, status, evidence, CASE WHEN id = 5 THEN status_date END "
               "FROM assignments "
               "WHERE status <> 'planned' ORDER BY id",
               "5|done|Приказ №12 от 01.02.2023|2022-03-20\n9|in_progress||");
    /* without --date, the day of the change, where it was made */
    char want[64];
    snprintf(want, sizeof want, "%s|Лукманова", today);
    expect_sql(f, "SELECT status_date, status_by FROM assignments WHERE id = 9", want);
    /* the CSV shows what is stored */
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period",
                           "2022", "--apply", "--format", "csv"),
                     0);
    expect_in("csv", out,
              "2.1,Выезды,Март,,,,,Справка,done,2. Работа со школами,A,2022-03-01,"
              "2022-03-31,5\n");
    expect_in("csv stderr", err, "Сохранено: 0 новых поручений, 9 уже были");
    free(out);
    free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM assignments"), 9);
    assert_int_equal(count(f, "SELECT count(*) FROM assignment_history"), 2);
    /* the same status again: said, and nothing written */
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", "5", "--status", "done"),
                     0);
    expect_text("set again", out, "assignment 5: done (unchanged)\n");
    free(out);
    free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM assignment_history"), 2);
    expect_sql(f, "SELECT status_date FROM assignments WHERE id = 5", "2022-03-20");

    /* misuse and unknown assignments */
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", "6", "--status", "done",
                           "--date", "2999-03-20"),
                     2);
    expect_in("future date", err, "--date 2999-03-20 is after today");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", "999", "--status", "done"),
                     9);
    expect_in("unknown id", err, "there is no assignment 999");
    free(out);
    free(err);
    assert_int_equal(
        SHNOR(f, &out, &err, "assignment", "set", "5", "--status", "finished"), 2);
    expect_in("bad status", err,
              "--status 'finished': expected planned, in_progress, done or cancelled");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", "5", "--status", "done",
                           "--date", "01.02.23"),
                     2);
    expect_in("bad date", err, "'01.02.23' is not a date; expected YYYY-MM-DD or DD.MM.YYYY");
    free(out);
    free(err);
    expect_sql(f, "SELECT status, status_date FROM assignments WHERE id = 5",
               "done|2022-03-20");
}

/* The roadmap CSV: the seeds' columns, one row per assignment. */
static void test_cli_roadmap_csv_export(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period",
                           "2022", "--format", "csv"),
                     0);
    /* no listings imported: A and C listed, both new; nobody persistent */
    expect_text(
        "roadmap csv", out,
        "№ п/п,Мероприятие,Сроки,Ответственные,Соисполнители,Ожидаемый результат,"
        "Показатель реализации,Отчетный документ,Статус,Раздел,Исполнитель,Начало,"
        "Срок,id\n"
        "1.1,Утверждение плана работы,Январь,\"Исаева Х.Н., начальник УО\","
        "Лукманова С.Ш.,Утвержден план,\"Доля школ, 100%\",План,new,"
        "1. Организационные мероприятия,,2022-01-01,2022-01-31,\n"
        "1.2,Совещание,Февраль,,,,,,new,,,2022-02-01,2022-02-28,\n"
        "1.3,Семинар,Март,,,,,,new,,,2022-03-01,2022-03-31,\n"
        "1.4,Пробный ЕГЭ,Апрель,,,,,,new,,,2022-04-01,2022-04-30,\n"
        "2.1,Выезды,Март,,,,,Справка,new,2. Работа со школами,A,2022-03-01,"
        "2022-03-31,\n"
        "2.1,Выезды,Март,,,,,Справка,new,2. Работа со школами,C,2022-03-01,"
        "2022-03-31,\n");
    free(out);
    free(err);
    /* the table names the owners; JSON carries every column */
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022"), 0);
    expect_in("table", out, "управление образования");
    expect_in("table", out, "A, C");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period",
                           "2022", "--format", "json"),
                     0);
    expect_in("json", out, "\"responsible\": \"Исаева Х.Н., начальник УО\"");
    expect_in("json", out, "\"due_described\": \"до конца периода\"");
    free(out);
    free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM assignments"), 0);
}

static void set_status(fixture *f, const char *id, const char *status)
{
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", id, "--status", status,
                           "--date", "2022-04-10"),
                     0);
    free(out);
    free(err);
}

static char *overdue(fixture *f, const char *as_of, const char *school)
{
    char *out = NULL, *err = NULL;
    int rc = school ? SHNOR(f, &out, &err, "assignments", "--overdue", "--as-of", as_of,
                            "--school", school, "--format", "csv")
                    : SHNOR(f, &out, &err, "assignments", "--overdue", "--as-of", as_of,
                            "--format", "csv");
    assert_int_equal(rc, 0);
    free(err);
    char *ids = columns(out, 1);
    free(out);
    return ids;
}

static void expect_overdue(fixture *f, const char *as_of, const char *school,
                           const char *want)
{
    char *got = overdue(f, as_of, school);
    if (strcmp(got, want) != 0) {
        fail_msg("overdue as of %s: %s, expected %s", as_of, got, want);
    }
    free(got);
}

/* Overdue: past due and not done; cancelled never; due today is not late. */
static void test_cli_roadmap_overdue_as_of(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022", "--apply"),
        0);
    free(out);
    free(err);
    /* 1 1.1 01-31, 2 1.2 02-28, 3 1.3 03-31, 4 1.4 04-30, 5 A 2.1 03-31, 6 C 2.1 03-31 */
    assert_int_equal(count(f, "SELECT count(*) FROM assignments"), 6);
    set_status(f, "1", "done");
    set_status(f, "2", "cancelled");
    set_status(f, "5", "in_progress");
    set_status(f, "6", "выполнено");
    expect_overdue(f, "2022-01-31", NULL, "");
    /* looking back: closed on 2022-04-10, so still owed before it */
    expect_overdue(f, "2022-03-31", NULL, "1 2");
    expect_overdue(f, "2022-04-01", NULL, "1 2 3 5 6");
    expect_overdue(f, "2022-04-10", NULL, "3 5");
    expect_overdue(f, "2022-05-01", NULL, "3 4 5");
    expect_overdue(f, "2030-01-01", NULL, "3 4 5");
    /* as Russian spreadsheets write dates (regression: compared as text,
       01.04.2022 found nothing overdue and 31.01.2022 everything) */
    expect_overdue(f, "01.04.2022", NULL, "1 2 3 5 6");
    expect_overdue(f, "31.01.2022", NULL, "");
    expect_overdue(f, "2022-05-01", "A", "5");
    expect_overdue(f, "2022-05-01", "C", "");
    /* the office's own, and a school that does not exist */
    expect_overdue(f, "2022-05-01", "", "3 4");
    assert_int_equal(SHNOR(f, &out, &err, "assignments", "--school", "ZZ"), 9);
    expect_in("unknown school", err, "there is no school 'ZZ'");
    free(out);
    free(err);
    /* and so is a pack with no stored roadmap: misspelt, not "0 assignments" */
    assert_int_equal(SHNOR(f, &out, &err, "assignments", "--pack", "nope"), 9);
    expect_in("unknown pack", err, "no roadmap of pack 'nope' is stored (packs with one: ");
    free(out);
    free(err);

    /* the CSV row in full, and the header the issue names */
    assert_int_equal(SHNOR(f, &out, &err, "assignments", "--overdue", "--as-of",
                           "2022-04-15", "--format", "csv"),
                     0);
    expect_text(
        "overdue csv", out,
        "id,school,activity,period,due,status,evidence,pack,title,start,status_date,"
        "overdue\n"
        "3,,1.3,2022,2022-03-31,planned,,fx,Семинар,2022-03-01,,yes\n"
        "5,A,2.1,2022,2022-03-31,in_progress,,fx,Выезды,2022-03-01,2022-04-10,yes\n");
    free(out);
    free(err);
}

/* ---------------------------------------------------------------------------
 * import statuses.
 */

static const char DUMP[] =
    "SELECT id, status, coalesce(evidence, '-'), coalesce(status_date, '-'), "
    "coalesce(status_by, '-') FROM assignments ORDER BY id";

static void test_cli_roadmap_import_statuses(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022", "--apply"),
        0);
    free(out);
    free(err);
    /* no evidence yet: nothing is said of it */
    assert_int_equal(SHNOR(f, &out, &err, "assignments"), 0);
    expect_in("no evidence", out, "Статус");
    assert_null(strstr(out, "одтверждение"));
    free(out);
    free(err);
    /* a spreadsheet as it comes back: Russian headers and words, ';' */
    char *good = tu_file(f->dir, "good.csv",
                         "№;Статус;Подтверждение;Дата;Кто\n"
                         "1;выполнено;Приказ №1 от 20.01.2022;20.01.2022;Исаева\n"
                         "3;в работе;;;Лукманова\n"
                         "6;cancelled;Школа закрыта;2022-03-01;\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "statuses", good), 0);
    expect_in("good", out,
              "good.csv: 3 rows; statuses: 0 new, 3 updated, 0 unchanged (import #");
    free(out);
    free(err);
    /* evidence under its row, not a column that squeezes the activity's text */
    assert_int_equal(SHNOR(f, &out, &err, "assignments"), 0);
    expect_in("evidence", out, "\n  подтверждение: Приказ №1 от 20.01.2022\n");
    assert_null(strstr(out, "Подтверждение"));
    free(out);
    free(err);
    char *before = tu_sql(f->db, DUMP);
    char *today = tu_sql(f->db, "SELECT strftime('%Y-%m-%d', 'now', 'localtime')");
    char want[1024];
    snprintf(want, sizeof want,
             "1|done|Приказ №1 от 20.01.2022|2022-01-20|Исаева\n"
             "2|planned|-|-|-\n"
             "3|in_progress|-|%s|Лукманова\n"
             "4|planned|-|-|-\n"
             "5|planned|-|-|-\n"
             "6|cancelled|Школа закрыта|2022-03-01|",
             today);
    /* who, when the file does not say: the importing user */
    assert_int_equal(strncmp(before, want, strlen(want)), 0);
    assert_null(strchr(before + strlen(want), '\n'));
    free(today);

    /* a bad row rejects the whole file, with file:line:column for each error */
    char *bad = tu_file(f->dir, "bad.csv",
                        "id,status,evidence,date\n"
                        "2,done,Справка,2022-02-10\n"
                        "4,сделано,,\n"
                        "5,done,,2022-13-01\n"
                        "x,done,,\n"
                        "\"7\",done,\"Протокол\n№ 3\",2022-04-01\n"
                        "2,done\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "statuses", bad), 3);
    expect_in("bad", err,
              "bad.csv:3:2: column 'status': 'сделано' is not a status; expected "
              "planned (запланировано), in_progress (в работе), done (выполнено) "
              "or cancelled (отменено)\n");
    expect_in("bad", err,
              "bad.csv:4:4: column 'date': '2022-13-01' is not a date; expected "
              "YYYY-MM-DD");
    expect_in("bad", err, "bad.csv:5:1: column 'id': 'x' is not an assignment number");
    /* an unknown assignment is found in the same pass, on the line of its id */
    expect_in("bad", err,
              "bad.csv:6:1: there is no assignment 7 (see 'shnor assignments')\n");
    /* line 8, after the cell with a line break: Excel's row 7 */
    expect_in("bad", err, "bad.csv:8 (spreadsheet row 7): 2 fields, but the header has 4: "
                          "nothing for column 3 "
                          "'evidence' and after it; every row needs a cell for each column");
    expect_in("bad", err, "bad.csv: 5 errors; nothing was imported from this file");
    free(out);
    free(err);
    char *after = tu_sql(f->db, DUMP);
    assert_string_equal(before, after);
    free(after);

    /* a status dated after today is a typo, refused with the rest */
    char *future = tu_file(f->dir, "future.csv", "id,status,date\n2,done,2999-02-10\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "statuses", future), 3);
    expect_in("future", err, "future.csv:2:3: column 'date': 2999-02-10 is after today");
    free(out);
    free(err);
    free(future);
    /* an unknown assignment alone also rejects the file */
    char *unknown = tu_file(f->dir, "unknown.csv", "id,status\n2,done\n999,done\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "statuses", unknown), 3);
    expect_in("unknown", err, "unknown.csv:3:1: there is no assignment 999");
    expect_in("unknown", err,
              "unknown.csv: 1 error; nothing was imported from this file");
    free(out);
    free(err);
    after = tu_sql(f->db, DUMP);
    assert_string_equal(before, after);
    free(after);
    /* so does one given twice */
    char *twice = tu_file(f->dir, "twice.csv", "id,status\n2,done\n4,done\n 2 ,cancelled\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "statuses", twice), 3);
    expect_in("twice", err,
              "twice.csv:4:1: assignment 2 is given twice: also on line 2\n");
    expect_in("twice", err, "twice.csv: 1 error; nothing was imported");
    free(out);
    free(err);
    free(twice);
    after = tu_sql(f->db, DUMP);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(count(f, "SELECT count(*) FROM batches WHERE kind = 'statuses'"), 1);

    /* the file `assignments --format csv` writes comes back changing nothing */
    assert_int_equal(SHNOR(f, &out, &err, "assignments", "--format", "csv"), 0);
    free(err);
    char *exported = tu_file(f->dir, "exported.csv", out);
    free(out);
    long history = count(f, "SELECT count(*) FROM assignment_history");
    assert_int_equal(SHNOR(f, &out, &err, "import", "statuses", exported), 0);
    expect_in("round trip", out,
              "exported.csv: 6 rows; statuses: 0 new, 0 updated, 6 "
              "unchanged (import #");
    free(out);
    free(err);
    after = tu_sql(f->db, DUMP);
    assert_string_equal(before, after);
    free(after);
    assert_int_equal(count(f, "SELECT count(*) FROM assignment_history"), history);
    /* edited in a spreadsheet: the one row changed is counted */
    char *edited =
        tu_file(f->dir, "edited.csv",
                "id,school,activity,period,due,status,evidence,status_date\n"
                "1,,1.1,2022,2022-01-31,done,Приказ №1 от 20.01.2022,2022-01-20\n"
                "5,A,2.1,2022,2022-03-31,done,Справка,2022-03-30\n");
    assert_int_equal(
        SHNOR(f, &out, &err, "import", "statuses", edited, "--user", "Оператор"), 0);
    expect_in("edited", out,
              "edited.csv: 2 rows; statuses: 0 new, 1 updated, 1 unchanged");
    free(out);
    free(err);
    free(edited);
    free(exported);
    expect_sql(
        f,
        "SELECT status, evidence, status_date, status_by FROM assignments WHERE id = 5",
        "done|Справка|2022-03-30|Оператор");
    assert_int_equal(count(f, "SELECT count(*) FROM batches WHERE kind = 'statuses'"), 3);

    /* the roadmap's own CSV comes back too: its «Отчетный документ» is the
       plan's document type and «Исполнитель» the school, neither evidence nor
       who set the status (regression: every row 'updated' with evidence
       «Справка» and status_by the school code) */
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022",
                           "--format", "csv"),
                     0);
    free(err);
    char *plan = tu_file(f->dir, "plan.csv", out);
    free(out);
    char *plan_before = tu_sql(f->db, DUMP);
    assert_int_equal(SHNOR(f, &out, &err, "import", "statuses", plan), 0);
    expect_in("roadmap csv", out, " 0 updated, ");
    free(out);
    free(err);
    char *plan_after = tu_sql(f->db, DUMP);
    assert_string_equal(plan_before, plan_after);
    free(plan_before);
    free(plan_after);
    free(plan);
    free(before);
    free(good);
    free(bad);
    free(unknown);
}

/* ---------------------------------------------------------------------------
 * Cohorts, exit, mentors and overrides over three periods, through `list`.
 */

static void test_cli_roadmap_cohorts_exit_and_mentors(void **state)
{
    fixture *f = *state;
    /* no earlier listing: everyone new, nobody kept */
    expect_listed(f, "2021",
                  "A,low,fail_high,listed,new,M1 B,low,fail_high,listed,new,M1");
    expect_listed(f, "2022",
                  "A,low,fail_high,listed,new,M1 C,low,fail_high,listed,new,M2");
    expect_listed(f, "2023", "A,low,fail_high,listed,new,M1");
    import_listings(f);
    expect_listed(f, "2021",
                  "A,low,fail_high,listed,new,M1 B,low,fail_high,listed,new,M1");
    /* B missed once: kept by the exit rule; A and B were listed in 2021 */
    expect_listed(f, "2022",
                  "A,low,fail_high,listed,persistent,M1 B,low,,listed,persistent,M1 "
                  "C,low,fail_high,listed,new,M2");
    /* B missed twice: out; C missed once: kept */
    expect_listed(f, "2023",
                  "A,low,fail_high,listed,persistent,M1 C,low,,listed,persistent,M2");
    char *out = NULL, *err = NULL;
    assert_int_equal(
        SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2023", "--explain"),
        0);
    expect_in("table", out,
              "C    Школа C  школы с низкими результатами             в списке "
              "(правило выхода)\n");
    expect_in(
        "explain", out,
        "  • остаётся в списке по правилу выхода: критерии не выполняются 1 период\n"
        "    подряд, выход после 2: Доля неуспевающих (2022) = 30,0%\n"
        "  • когорта: устойчиво низкие: в списке «школы с низкими результатами» за 2022:\n"
        "    да\n"
        "  • базовая школа: M2 Базовая школа 2\n");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2022",
                           "--format", "json"),
                     0);
    expect_in("json", out,
              "\"cohort\": \"persistent\",\n    \"cohort_title\": \"устойчиво "
              "низкие\",\n    \"mentor\": \"M1\",\n    \"held\": true,\n    "
              "\"misses\": 1,");
    free(out);
    free(err);
    /* the same file again changes nothing; a cohort given is an update */
    char *again = tu_file(f->dir, "again.csv", LISTINGS);
    assert_int_equal(SHNOR(f, &out, &err, "import", "listings", again), 0);
    expect_in("again", out, "again.csv: 5 rows; listings: 0 new, 0 updated, 5 unchanged");
    free(out);
    free(err);
    free(again);
    char *cohorts = tu_file(f->dir, "cohorts.csv",
                            "school,period,category,cohort\nA,2021,low,new\n"
                            "D,2021,low,new\nC,2022,low,\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "listings", cohorts), 0);
    expect_in("cohorts", out,
              "cohorts.csv: 3 rows; listings: 1 new, 1 updated, 1 unchanged");
    free(out);
    free(err);
    free(cohorts);
    expect_sql(
        f,
        "SELECT s.code, l.period, l.cohort FROM listings l JOIN schools s ON s.id = "
        "l.school_id ORDER BY l.period, s.code",
        "A|2021|new\nB|2021|\nD|2021|new\nA|2022|\nB|2022|\nC|2022|");
    /* a listing naming an unknown school is refused with file:line */
    char *bad = tu_file(f->dir, "bad.csv",
                        "school,period,category\nA,2020,low\nZZ,2020,low\n"
                        "B,2020/25,low\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "listings", bad), 3);
    expect_in("bad listing", err, "bad.csv:3:1: column 'school': unknown school 'ZZ'");
    expect_in("bad listing", err,
              "bad.csv:4:2: column 'period': '2020/25' is not a period");
    free(out);
    free(err);
    free(bad);
    assert_int_equal(count(f, "SELECT count(*) FROM listings WHERE period = '2020'"), 0);
}

static void override(fixture *f, const char *school, const char *period, const char *how,
                     const char *reason, const char *by, const char *want)
{
    char *out = NULL, *err = NULL;
    int rc = SHNOR(f, &out, &err, "override", "add", school, "--period", period, how,
                   "--category", "low", "--reason", reason, "--by", by);
    if (rc != 0) {
        fail_msg("override add %s: %d\n%s", school, rc, err);
    }
    expect_text("override add", out, want);
    free(out);
    free(err);
}

static void test_cli_roadmap_overrides(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    /* 2021: D included by hand */
    override(f, "D", "2021", "--include", "Решение комиссии", "Исаева",
             "override 1: include D in 'low' for 2021 — Решение комиссии (Исаева)\n");
    expect_listed(f, "2021",
                  "A,low,fail_high,listed,new,M1 B,low,fail_high,listed,new,M1 "
                  "D,low,,listed,new,");
    assert_int_equal(
        SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2021", "--explain"),
        0);
    expect_in("explain", out, "  • включена вручную: Решение комиссии (Исаева, ");
    free(out);
    free(err);
    /* the table says so without --explain too */
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2021"),
                     0);
    expect_in("table", out,
              "D    Школа D  школы с низкими результатами             в списке "
              "(вручную)\n");
    expect_in("table", out,
              "A    Школа A  школы с низкими результатами  fail_high  в списке\n");
    free(out);
    free(err);
    /* 2022: A excluded, then included again: the latest wins */
    override(f, "A", "2022", "--exclude", "Ошибка в данных", "Исаева",
             "override 2: exclude A in 'low' for 2022 — Ошибка в данных (Исаева)\n");
    expect_listed(f, "2022", "A,low,fail_high,excluded,, C,low,fail_high,listed,new,M2");
    override(f, "A", "2022", "--include", "Данные исправлены", "Лукманова",
             "override 3: include A in 'low' for 2022 — Данные исправлены (Лукманова)\n");
    expect_listed(f, "2022",
                  "A,low,fail_high,listed,new,M1 C,low,fail_high,listed,new,M2");
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2022",
                           "--format", "csv"),
                     0);
    expect_in("csv", out,
              ",listed,new,M1,\"включена вручную: Данные исправлены (Лукманова, ");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2022",
                           "--format", "json"),
                     0);
    expect_in("json", out,
              "\"override\": {\n      \"action\": \"include\",\n      \"reason\": "
              "\"Данные исправлены\",\n      \"by\": \"Лукманова\",");
    free(out);
    free(err);
    /* 2023: A excluded, then revoked */
    override(f, "A", "2023", "--exclude", "Ошибка", "Исаева",
             "override 4: exclude A in 'low' for 2023 — Ошибка (Исаева)\n");
    expect_listed(f, "2023", "A,low,fail_high,excluded,,");
    assert_int_equal(SHNOR(f, &out, &err, "override", "list", "--format", "csv"), 0);
    char *ids = columns(out, 7);
    expect_text(
        "override list", ids,
        "1,D,2021,,low,include,Решение комиссии 2,A,2022,,low,exclude,Ошибка в данных "
        "3,A,2022,,low,include,Данные исправлены 4,A,2023,,low,exclude,Ошибка");
    free(ids);
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "revoke", "4"), 0);
    expect_text("revoke", out, "override 4 revoked\n");
    free(out);
    free(err);
    expect_listed(f, "2023", "A,low,fail_high,listed,new,M1");
    assert_int_equal(SHNOR(f, &out, &err, "override", "list"), 0);
    assert_null(strstr(out, "2023"));
    expect_in("list", out, "Данные исправлены");
    expect_in("list", out, "Пакет");
    expect_in("list", out, "3  A      2022    все    low");
    free(out);
    free(err);
    /* --all shows the revoked ones too, with when; the plain list only those in force */
    assert_int_equal(SHNOR(f, &out, &err, "override", "list", "--all", "--format", "csv"), 0);
    expect_in("list --all", out, "id,school,period,pack,category,action,reason,by,at,"
                                 "revoked_at\n1,");
    const char *four = strstr(out, "\n4,A,2023,");
    assert_non_null(four);
    char *line = strndup(four + 1, strcspn(four + 1, "\n"));
    const char *revoked = strrchr(line, ',') + 1; /* the last field: when it was revoked */
    if (strlen(revoked) != 20 || revoked[4] != '-' || revoked[19] != 'Z') {
        fail_msg("override 4 revoked at '%s' in: %s", revoked, line);
    }
    free(line);
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "list", "--format", "csv"), 0);
    assert_null(strstr(out, "\n4,"));
    expect_in("list csv", out, ",revoked_at\n");
    free(out);
    free(err);
    /* who and why, or nothing: blank values are refused and nothing is kept */
    long before = count(f, "SELECT count(*) FROM overrides");
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "A", "--period", "2022",
                           "--exclude", "--category", "low", "--reason", "  ", "--by", "И"),
                     2);
    expect_in("blank reason", err, "--reason is empty: an override needs a reason and who "
                                   "decided");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "A", "--period", "2022",
                           "--exclude", "--category", "low", "--reason", "Ошибка", "--by", ""),
                     2);
    expect_in("blank by", err, "--by is empty");
    free(out);
    free(err);
    /* what is missing or contradicts is said, not only the usage line */
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "A", "--period", "2022",
                           "--exclude", "--include", "--category", "low", "--reason", "Ошибка",
                           "--by", "И"),
                     2);
    expect_in("both", err, "--include and --exclude are both given");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "A", "--period", "2022",
                           "--exclude", "--category", "low", "--by", "И"),
                     2);
    expect_in("no reason", err, "override add needs --reason (why)");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "show-run", "abc"), 2);
    expect_in("run id", err, "'abc' is not a run number (runs are numbered 1, 2, …; 'shnor "
                             "runs' lists them)");
    free(out);
    free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM overrides"), before);
    /* the record is kept with who and when it was revoked */
    expect_sql(f,
               "SELECT id, reason, by, revoked_at IS NOT NULL FROM overrides ORDER BY id",
               "1|Решение комиссии|Исаева|0\n2|Ошибка в данных|Исаева|0\n"
               "3|Данные исправлены|Лукманова|0\n4|Ошибка|Исаева|1");
    /* mistakes */
    assert_int_equal(SHNOR(f, &out, &err, "override", "revoke", "4"), 9);
    expect_in("revoke twice", err, "there is no override 4 in force");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "ZZ", "--period", "2023",
                           "--include", "--category", "low", "--reason", "r", "--by",
                           "b"),
                     9);
    expect_in("unknown school", err, "there is no school 'ZZ'");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "A", "--period", "2023",
                           "--include", "--exclude", "--category", "low", "--reason", "r",
                           "--by", "b"),
                     2);
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "A", "--period", "2023",
                           "--include", "--category", "low", "--by", "b"),
                     2);
    free(out);
    free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM overrides"), 4);
    /* a category the pack does not have applies nowhere: every listing says so */
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "C", "--period", "2023",
                           "--include", "--category", "lwo", "--reason", "опечатка",
                           "--by", "Исаева"),
                     0);
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2023",
                           "--format", "csv"),
                     0);
    expect_text("stray override", err,
                "warning: override #5 (include C, 2023, category 'lwo') is not applied: "
                "pack 'fx' has no such category (it has 'low'); revoke it and add it "
                "again with the right --category\n");
    free(out);
    free(err);
    expect_listed(f, "2023", "A,low,fail_high,listed,new,M1");
    /* nor does an override of another period */
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2022"),
                     0);
    assert_null(strstr(err, "warning"));
    free(out);
    free(err);
    /* a --pack no run, roadmap or listing names is noted (a typo never
       applies), one that is known is not */
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "C", "--period", "2023",
                           "--include", "--category", "low", "--reason", "r", "--by", "b",
                           "--pack", "xf"),
                     0);
    expect_in("unknown pack", err, "note: no kept run, stored roadmap or imported listing "
                                   "names a pack 'xf'");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2023",
                           "--apply"),
                     0);
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "C", "--period", "2023",
                           "--include", "--category", "low", "--reason", "r", "--by", "b",
                           "--pack", "fx"),
                     0);
    assert_null(strstr(err, "note:"));
    free(out);
    free(err);
}

/* Listings imported as data that the pack cannot read are said once per
   category or spelling of its id: they would count as "not listed". */
static void test_cli_roadmap_stray_listings_are_noted(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    char *l = tu_file(f->dir, "l.csv",
                      "school,period,category,pack\nA,2022,Low,fx\nB,2022,Low,fx\n"
                      "C,2022,low,FX\nD,2022,low,fx\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "listings", l), 0);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "list", "--pack", f->pack, "--period", "2023",
                           "--format", "csv"),
                     0);
    expect_in("stray category", err,
              "warning: 2 imported listings in category 'Low' are not read: pack 'fx' has no "
              "such category (it has 'low'); import such listings with the pack's category "
              "ids\n");
    expect_in("stray pack id", err,
              "warning: 1 imported listing of pack 'FX' is not read: the pack's id is 'fx'");
    assert_null(strstr(err, "'D'"));
    assert_int_equal(tu_count_lines(err), 2);
    free(out), free(err);
    free(l);
}

/* check: an unparseable deadline is an error with file:line. */
static void test_cli_roadmap_check_rejects_a_bad_due(void **state)
{
    fixture *f = *state;
    const char *at = strstr(PACK, "due = 'Февраль'");
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%.*sdue = 'Феврль'%s", (int)(at - PACK), PACK,
              at + strlen("due = 'Февраль'"));
    char *bad = tu_file(f->dir, "bad.lua", sb.data);
    sb_free(&sb);
    char *out = NULL, *err = NULL;
    assert_int_equal(tu_run(NULL, &out, &err, "check", bad, NULL), 4);
    expect_in("check", err,
              "bad.lua:26: activity '1.2': deadline \"Феврль\": \"Феврль\" is not "
              "understood; accepted: ");
    free(out);
    free(err);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", bad, "--period", "2022"),
                     4);
    expect_in("roadmap", err, "bad.lua:26: activity '1.2'");
    free(out);
    free(err);
    assert_int_equal(tu_run(NULL, &out, &err, "check", f->pack, NULL), 0);
    free(out);
    free(err);
    free(bad);
}

/* A plan over two years: a row dated in both is owed once per date, however
   many periods' roadmaps are applied. */
static void test_cli_roadmap_dated_rows_are_owed_once_across_periods(void **state)
{
    fixture *f = *state;
    char *pack = tu_file(f->dir, "two.lua",
                         "return { id = 'two', title = 'Т', version = '1', source = 'П',\n"
                         "  territory = 'Район', categories = { low = 'ШНОР' },\n"
                         "  criteria = { { id = 'c', category = 'low', title = 'x',\n"
                         "    test = function(s, p) return false end } },\n"
                         "  activities = {\n"
                         "    { id = '1', title = 'Курсы', due = 'май 2023, 2024 г.г.' },\n"
                         "    { id = '2', title = 'Отчёт', due = 'Декабрь' } } }\n");
    char *out = NULL, *err = NULL;
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", pack, "--period", "2023",
                           "--apply"),
                     0);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", pack, "--period", "2024",
                           "--apply"),
                     0);
    free(out), free(err);
    /* Курсы: May 2023 and May 2024, once each; Отчёт: December of each year. */
    expect_sql(f,
               "SELECT c.key, a.period, a.due FROM assignments a JOIN activities c "
               "ON c.id = a.activity_id WHERE c.pack_id = 'two' ORDER BY c.key, a.due",
               "1|2023|2023-05-31\n1|2023|2024-05-31\n2|2023|2023-12-31\n2|2024|2024-12-31");
    free(pack);
}

/* Replays run id: its report (caller frees). */
static char *replay(fixture *f, const char *id)
{
    char *out = NULL, *err = NULL;
    int rc = SHNOR(f, &out, &err, "replay", id);
    if (rc != 0) {
        fail_msg("replay %s: %d\n%s%s", id, rc, out, err);
    }
    free(err);
    return out;
}

/* The last field of the second line of a CSV (the run's first row). */
/* The field k places before the last of the first data row of csv
   (0: the last), as a new string. */
static char *field_from_end(const char *csv, int k)
{
    const char *row = strchr(csv, '\n');
    assert_non_null(row);
    const char *end = strchr(row + 1, '\n');
    assert_non_null(end);
    for (; k > 0; k--) {
        while (end > row && end[-1] != ',') {
            end--;
        }
        assert_true(end > row + 1);
        end--;
    }
    const char *p = end;
    while (p > row && p[-1] != ',') {
        p--;
    }
    return strndup(p, (size_t)(end - p));
}

static char *last_field(const char *csv)
{
    return field_from_end(csv, 0);
}

/* A roadmap applied again follows the list and the pack: what it no longer
   makes is withdrawn when its status is still shnor's, kept (and named) when
   a person set it, and restored when the roadmap makes it again; `run
   --apply-roadmaps` does the same, and its replay still matches. */
static void test_cli_roadmap_reapply_withdraws_what_it_no_longer_makes(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    setenv("COLUMNS", "400", 1); /* one line per note, to compare */
    /* 2022 (no listings imported): A and C; 1.1-1.4 the office's, 2.1 theirs */
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022",
                           "--apply"),
                     0);
    free(out), free(err);
    expect_sql(f, "SELECT id, owner FROM assignments WHERE id > 4 ORDER BY id", "5|A\n6|C");
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", "6", "--status",
                           "in_progress", "--by", "Лукманова"),
                     0);
    free(out), free(err);
    override(f, "A", "2022", "--exclude", "Ошибка в данных", "Исаева",
             "override 1: exclude A in 'low' for 2022 — Ошибка в данных (Исаева)\n");
    override(f, "C", "2022", "--exclude", "Ошибка в данных", "Исаева",
             "override 2: exclude C in 'low' for 2022 — Ошибка в данных (Исаева)\n");

    /* a dry run says what --apply would do, and writes nothing */
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022"), 0);
    expect_in("dry run", out,
              "\nПоручений, которых нет в дорожной карте 2022, но сохранённых ранее: 1; с "
              "--apply они будут сняты (статус «отменено»):\n"
              "  A — школа исключена из списка 2022 вручную (решение №1): №5 (2.1, до "
              "31.03.2022)\n");
    expect_in("dry run", out,
              "\n  C — школа исключена из списка 2022 вручную (решение №2): №6 (2.1, до "
              "31.03.2022, в работе)\n");
    free(out), free(err);
    expect_sql(f, "SELECT status, status_auto FROM assignments WHERE id IN (5, 6) ORDER BY id",
               "planned|1\nin_progress|0");

    /* applied: A's withdrawn with the reason, C's kept as the person set it */
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022",
                           "--apply", "--format", "csv"),
                     0);
    expect_in("apply", err,
              "Сохранено: 0 новых поручений, 4 уже были (статусы, заданные людьми, не "
              "изменены).\n"
              "Снято поручений, которых нет в дорожной карте 2022: 1 (статус «отменено», "
              "причина — в подтверждении):\n");
    expect_in("apply", err, "они оставлены как есть");
    assert_null(strstr(out, ",A,")); /* the CSV is the roadmap, without them */
    free(out), free(err);
    expect_sql(f,
               "SELECT id, status, evidence, status_by, status_auto FROM assignments "
               "WHERE id IN (5, 6) ORDER BY id",
               "5|cancelled|нет в дорожной карте 2022: школа исключена из списка 2022 "
               "вручную (решение №1)|shnor|1\n6|in_progress||Лукманова|0");
    /* no longer owed: not overdue; C's still is */
    assert_int_equal(SHNOR(f, &out, &err, "assignments", "--overdue", "--format", "csv"), 0);
    char *ids = columns(out, 2);
    expect_text("overdue", ids, "1, 2, 3, 4, 6,C");
    free(ids);
    free(out), free(err);
    /* applied again: nothing more to withdraw, nothing logged twice */
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022",
                           "--apply"),
                     0);
    assert_null(strstr(out, "Снято"));
    free(out), free(err);
    assert_int_equal(count(f, "SELECT count(*) FROM assignment_history WHERE assignment_id = 5"),
                     1);

    /* A back on the list: the run restores its assignment, and its replay
       counts the same assignments the run did (a process target reads them) */
    strbuf tsb = STRBUF_INIT;
    sb_printf(&tsb, "%.*s  targets = { { id = 'done', title = 'Выполнение', kind = "
                    "'assignments_done', value = 0.9, scope = 'all' } },\n}\n",
              (int)(strrchr(PACK, '}') - PACK), PACK);
    char *tpack = tu_file(f->dir, "fxt.lua", tsb.data);
    sb_free(&tsb);
    assert_int_equal(SHNOR(f, &out, &err, "override", "revoke", "1"), 0);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", tpack, "--period", "2022",
                           "--apply-roadmaps", "--format", "csv"),
                     0);
    char *withdrawn = field_from_end(out, 1), *restored = last_field(out);
    expect_text("run, restoring", withdrawn, "0");
    expect_text("run, restored", restored, "1");
    free(withdrawn), free(restored);
    free(out), free(err);
    expect_sql(f, "SELECT status, evidence IS NULL, status_date IS NULL FROM assignments "
                  "WHERE id = 5",
               "planned|1|1");
    char *rep = replay(f, "1");
    expect_in("replay", rep, "список и цели совпадают");
    assert_null(strstr(rep, "поручения"));
    free(rep);
    /* and excluded again by a run: withdrawn by it */
    override(f, "A", "2022", "--exclude", "Снова", "Исаева",
             "override 3: exclude A in 'low' for 2022 — Снова (Исаева)\n");
    assert_int_equal(SHNOR(f, &out, &err, "run", "--packs", tpack, "--period", "2022",
                           "--apply-roadmaps", "--format", "csv"),
                     0);
    withdrawn = field_from_end(out, 1);
    expect_text("run, withdrawing", withdrawn, "1");
    free(withdrawn);
    restored = last_field(out);
    expect_text("run, withdrawing restores", restored, "0");
    free(restored);
    free(out), free(err);
    expect_sql(f, "SELECT status FROM assignments WHERE id = 5", "cancelled");
    rep = replay(f, "2");
    expect_in("replay", rep, "список и цели совпадают");
    assert_null(strstr(rep, "поручения"));
    free(rep);
    free(tpack);

    /* the pack moves 1.4 to May and drops 1.3: both withdrawn, May's made */
    const char *apr = strstr(PACK, "'Апрель'");
    const char *drop = strstr(PACK, "    { id = '1.3'");
    assert_true(apr && drop && drop < apr);
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%.*s%.*s'Май'%s", (int)(drop - PACK), PACK,
              (int)(apr - (strchr(drop, '\n') + 1)), strchr(drop, '\n') + 1,
              apr + strlen("'Апрель'"));
    char *edited = sb_detach(&sb);
    char *pack2 = tu_file(f->dir, "fx2.lua", edited);
    int rc = SHNOR(f, &out, &err, "roadmap", "--pack", pack2, "--period", "2022", "--apply");
    if (rc != 0) {
        fail_msg("roadmap of the edited pack: %d\n%s", rc, err);
    }
    expect_in("pack edited", out,
              "Сохранено: 1 новое поручение, 2 уже были (статусы, заданные людьми, не "
              "изменены).\n"
              "Снято поручений, которых нет в дорожной карте 2022: 2");
    expect_in("pack edited", out,
              "  управление образования — мероприятия больше нет в пакете: №3 (1.3, до "
              "31.03.2022)\n"
              "  управление образования — срок или исполнители мероприятия изменены в "
              "пакете: №4 (1.4, до 30.04.2022)\n");
    free(out), free(err);
    expect_sql(f,
               "SELECT a.id, c.key, a.due, a.status FROM assignments a JOIN activities c "
               "ON c.id = a.activity_id WHERE a.owner = '' ORDER BY a.id",
               "1|1.1|2022-01-31|planned\n2|1.2|2022-02-28|planned\n"
               "3|1.3|2022-03-31|cancelled\n4|1.4|2022-04-30|cancelled\n"
               "7|1.4|2022-05-31|planned");
    free(pack2);
    free(edited);
    unsetenv("COLUMNS");
}

/* text with its first `from` replaced by `to` (caller frees); fails the
   test when text lacks `from`. */
static char *edited(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at) {
        fail_msg("'%s' is not in\n%s", from, text);
    }
    strbuf sb = STRBUF_INIT;
    sb_printf(&sb, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    return sb_detach(&sb);
}

/* The head of a pack of two categories: 'low' above 20% of failing students,
   'risk' above 25%. */
#define TWO_CATEGORIES(id, title)                                                          \
    "return { id = '" id "', title = '" title "', version = '1', source = 'П',\n"          \
    "  territory = 'Район',\n"                                                             \
    "  categories = { { id = 'low', title = 'низкие' }, { id = 'risk', title = 'риск' } },\n" \
    "  criteria = {\n"                                                                     \
    "    { id = 'c_low', category = 'low', title = 'x',\n"                                 \
    "      test = function(s, p) return s:value('fail', p) > 0.2 end },\n"                \
    "    { id = 'c_risk', category = 'risk', title = 'y',\n"                               \
    "      test = function(s, p) return s:value('fail', p) > 0.25 end } },\n"

/* Missing data fails closed here too: a school whose listing lacks data
   keeps what the roadmap gave it. */
static void test_cli_roadmap_reapply_keeps_what_schools_without_data_owe(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    setenv("COLUMNS", "400", 1);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022",
                           "--apply"),
                     0);
    free(out), free(err);
    /* the criterion now reads an indicator without values */
    import(f, "indicators", "q.csv", "code,title,unit,better\nq,Новый показатель,share,lower\n");
    char *text = edited(PACK, "s:value('fail', p)", "s:value('q', p)");
    char *pack = tu_file(f->dir, "fxq.lua", text);
    free(text);
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", pack, "--period", "2022", "--apply"), 0);
    expect_in("no data", out,
              "Поручений, которых нет в дорожной карте 2022, потому что для списка не хватает "
              "данных школы: 2; они оставлены как есть, пока данных нет:\n"
              "  A — для списка 2022 у школы недостаточно данных: №5 (2.1, до 31.03.2022, "
              "запланировано)\n"
              "  C — для списка 2022 у школы недостаточно данных: №6 (2.1, до 31.03.2022, "
              "запланировано)\n");
    assert_null(strstr(out, "Снято"));
    free(out), free(err);
    expect_sql(f, "SELECT group_concat(status) FROM assignments", "planned,planned,planned,"
                                                                  "planned,planned,planned");
    free(pack);
    unsetenv("COLUMNS");
}

/* A school without data for one category keeps that category's items, even
   when it is listed or excluded by hand in another: only the rows of what an
   activity applies to say why the roadmap no longer makes it. */
static void test_cli_roadmap_reapply_reads_only_the_activitys_categories(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    setenv("COLUMNS", "400", 1);
    static const char TWO[] =
        TWO_CATEGORIES("tc", "Две категории")
        "  activities = {\n"
        "    { id = '2.1', title = 'Выезды', applies = { 'low' }, due = 'Март' },\n"
        "    { id = '2.2', title = 'Консультации', applies = { 'risk' }, due = 'Апрель' } } }\n";
    char *pack = tu_file(f->dir, "tc.lua", TWO);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", pack, "--period", "2022",
                           "--apply"),
                     0);
    free(out), free(err);
    const char *sql = "SELECT c.key, a.owner, a.status FROM assignments a JOIN activities c "
                      "ON c.id = a.activity_id WHERE c.pack_id = 'tc' ORDER BY a.owner, c.key";
    expect_sql(f, sql, "2.1|A|planned\n2.2|A|planned\n2.1|C|planned\n2.2|C|planned");

    /* 'low' now reads an indicator without values; C is excluded from 'risk' */
    import(f, "indicators", "q.csv", "code,title,unit,better\nq,Новый показатель,share,lower\n");
    char *text = edited(TWO, "s:value('fail', p) > 0.2 ", "s:value('q', p) > 0.2 ");
    char *v2 = tu_file(f->dir, "tc2.lua", text);
    free(text);
    assert_int_equal(SHNOR(f, &out, &err, "override", "add", "C", "--period", "2022",
                           "--exclude", "--category", "risk", "--reason", "Ошибка", "--by",
                           "Исаева"),
                     0);
    free(out), free(err);
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", v2, "--period", "2022", "--apply"), 0);
    expect_in("no data", out, "  A — для списка 2022 у школы недостаточно данных: №1 (2.1");
    expect_in("no data", out, "  C — для списка 2022 у школы недостаточно данных: №2 (2.1");
    expect_in("excluded", out, "C — школа исключена из списка 2022 вручную (решение №1): №4");
    free(out), free(err);
    expect_sql(f, sql, "2.1|A|planned\n2.2|A|planned\n2.1|C|planned\n2.2|C|cancelled");

    /* listed, but not in what the activity applies to: said so */
    text = edited(TWO, "> 0.2 ", "> 0.9 ");
    char *v3 = tu_file(f->dir, "tc3.lua", text);
    free(text);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", v3, "--period", "2022"), 0);
    expect_in("elsewhere", out,
              "  A — мероприятие не относится к категориям и группам, в которых школа в "
              "списке 2022: №1 (2.1");
    free(out), free(err);
    /* 2.2 now the office's own: no school owes it, whatever its data */
    text = edited(TWO, "applies = { 'risk' }, ", "");
    char *v4 = tu_file(f->dir, "tc4.lua", text);
    free(text);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", v4, "--period", "2022"), 0);
    expect_in("office", out, "  A — мероприятие передано управлению образования: №3 (2.2");
    free(out), free(err);
    free(pack), free(v2), free(v3), free(v4);
    unsetenv("COLUMNS");
}

/* The same with an applies function: which category it asks about is its
   own, so a school without data anywhere keeps what the function made; but
   an item the roadmap still makes at another date is the pack's change. */
static void test_cli_roadmap_reapply_with_an_applies_function(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    setenv("COLUMNS", "400", 1);
    static const char FN[] =
        TWO_CATEGORIES("fn", "Функция")
        "  activities = {\n"
        "    { id = '3.1', title = 'Выезды', due = 'Март',\n"
        "      applies = function(s, p, l) return l.categories.risk == true end } } }\n";
    char *pack = tu_file(f->dir, "fn.lua", FN);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", pack, "--period", "2022",
                           "--apply"),
                     0);
    free(out), free(err);
    const char *sql = "SELECT a.owner, a.due, a.status FROM assignments a JOIN activities c "
                      "ON c.id = a.activity_id WHERE c.pack_id = 'fn' ORDER BY a.owner, a.due";
    expect_sql(f, sql, "A|2022-03-31|planned\nC|2022-03-31|planned");
    /* 'low' without data, and 3.1 moved to April: A and C are still at risk,
       so March is withdrawn and April made, though 'low' lacks data */
    import(f, "indicators", "q.csv", "code,title,unit,better\nq,Новый показатель,share,lower\n");
    char *no_low = edited(FN, "s:value('fail', p) > 0.2 ", "s:value('q', p) > 0.2 ");
    char *april = edited(no_low, "'Март'", "'Апрель'");
    char *v2 = tu_file(f->dir, "fn2.lua", april);
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", v2, "--period", "2022", "--apply"), 0);
    expect_in("moved", out,
              "  A — срок или исполнители мероприятия изменены в пакете: №1 (3.1, до "
              "31.03.2022)");
    free(out), free(err);
    expect_sql(f, sql,
               "A|2022-03-31|cancelled\nA|2022-04-30|planned\nC|2022-03-31|cancelled\n"
               "C|2022-04-30|planned");
    /* the function now asks about 'low', which lacks data: April is kept */
    char *asks_low = edited(april, "l.categories.risk", "l.categories.low");
    char *v3 = tu_file(f->dir, "fn3.lua", asks_low);
    free(no_low), free(april), free(asks_low);
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", v3, "--period", "2022", "--apply"), 0);
    expect_in("no data", out,
              "  A — для списка 2022 у школы недостаточно данных: №3 (3.1, до 30.04.2022");
    assert_null(strstr(out, "Снято"));
    free(out), free(err);
    expect_sql(f, sql,
               "A|2022-03-31|cancelled\nA|2022-04-30|planned\nC|2022-03-31|cancelled\n"
               "C|2022-04-30|planned");
    free(v3);
    free(pack), free(v2);
    unsetenv("COLUMNS");
}

/* `assignment set --status planned` on what shnor planned makes it the
   person's: a re-apply keeps it; a statuses file returned untouched does not. */
static void test_cli_roadmap_person_keeps_a_planned_assignment(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    setenv("COLUMNS", "400", 1);
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022",
                           "--apply"),
                     0);
    free(out), free(err);
    expect_sql(f, "SELECT id, owner, status_auto FROM assignments WHERE id > 4 ORDER BY id",
               "5|A|1\n6|C|1");
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "set", "5", "--status", "planned",
                           "--by", "Исаева"),
                     0);
    expect_text("set", out, "assignment 5: planned\n");
    free(out), free(err);
    char *st = tu_file(f->dir, "st.csv", "id,status\n6,planned\n");
    assert_int_equal(SHNOR(f, &out, &err, "import", "statuses", st), 0);
    free(out), free(err);
    free(st);
    expect_sql(f,
               "SELECT id, status_auto, coalesce(status_by, '') FROM assignments "
               "WHERE id > 4 ORDER BY id",
               "5|0|Исаева\n6|1|");
    override(f, "A", "2022", "--exclude", "Ошибка", "Исаева",
             "override 1: exclude A in 'low' for 2022 — Ошибка (Исаева)\n");
    override(f, "C", "2022", "--exclude", "Ошибка", "Исаева",
             "override 2: exclude C in 'low' for 2022 — Ошибка (Исаева)\n");
    assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022",
                           "--apply"),
                     0);
    free(out), free(err);
    expect_sql(f, "SELECT id, status FROM assignments WHERE id > 4 ORDER BY id",
               "5|planned\n6|cancelled");
    unsetenv("COLUMNS");
}

/* Items two periods' roadmaps make («май 2023, 2024 г.г.» is owed in both
   years) and one of them withdraws: the other restores them and owns them
   from then on, so applying both again changes nothing (they used to flip at
   each re-apply). */
static void test_cli_roadmap_item_of_two_periods_settles(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    import(f, "values", "v24.csv", "school,period,fail\nA,2024,30%\n");
    char *pack = tu_file(f->dir, "ms.lua",
                         "return { id = 'ms', title = 'Т', version = '1', source = 'П',\n"
                         "  territory = 'Район', categories = { low = 'ШНОР' },\n"
                         "  criteria = { { id = 'c', category = 'low', title = 'x',\n"
                         "    test = function(s, p) return s:value('fail', p) > 0.2 end } },\n"
                         "  activities = { { id = '1', title = 'Курсы', applies = { 'low' },\n"
                         "    due = 'май 2023, 2024 г.г.' } } }\n");
    const char *periods[] = {"2023", "2024", "2023", "2024", "2023", "2024"};
    const char *sql = "SELECT a.period, a.due, a.status FROM assignments a JOIN activities c "
                      "ON c.id = a.activity_id WHERE c.pack_id = 'ms' AND a.owner = 'A' "
                      "ORDER BY a.due";
    for (int k = 0; k < 6; k++) {
        if (k == 2) { /* A off the 2023 list: 2023 withdraws both of its items */
            override(f, "A", "2023", "--exclude", "Ошибка", "Исаева",
                     "override 1: exclude A in 'low' for 2023 — Ошибка (Исаева)\n");
        }
        assert_int_equal(SHNOR(f, &out, &err, "roadmap", "--pack", pack, "--period",
                               periods[k], "--apply"),
                         0);
        free(out), free(err);
        if (k == 1) {
            expect_sql(f, sql, "2023|2023-05-31|planned\n2023|2024-05-31|planned");
        } else if (k == 2) {
            expect_sql(f, sql, "2023|2023-05-31|cancelled\n2023|2024-05-31|cancelled");
        } else if (k >= 3) { /* 2024 makes both again: restored, and 2024's */
            expect_sql(f, sql, "2024|2023-05-31|planned\n2024|2024-05-31|planned");
        }
    }
    assert_int_equal(count(f, "SELECT count(*) FROM assignment_history h JOIN assignments a "
                              "ON a.id = h.assignment_id WHERE a.owner = 'A'"),
                     4); /* each withdrawn once and restored once */
    /* assignment show has both changes, and the period the restore moved it to. */
    char *id = tu_sql(f->db, "SELECT a.id FROM assignments a JOIN activities c ON c.id = "
                             "a.activity_id WHERE c.pack_id = 'ms' AND a.due = '2024-05-31'");
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "show", id, "--format", "csv"), 0);
    char *line2 = strchr(out, '\n') + 1, *line3 = strchr(line2, '\n') + 1;
    assert_int_equal(strncmp(out, "id,at,status,status_date,by,period,evidence\n", 44), 0);
    assert_non_null(strstr(line2, ",cancelled,"));
    assert_non_null(strstr(line2, ",shnor,2023,нет в дорожной карте 2023: школа исключена из "
                                  "списка 2023 вручную (решение №1)\n"));
    assert_true(line3 > line2 && line3 < out + strlen(out));
    assert_string_equal(strstr(line3, ",planned,"), ",planned,,shnor,2024,\n");
    assert_int_equal(strncmp(line3, id, strlen(id)), 0);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "show", id), 0);
    assert_non_null(strstr(out, "Период 2024, с 2024-05-01 по 2024-05-31; статус: "
                                "запланировано (shnor)\n"));
    assert_non_null(strstr(out, "\nИзменения:\n"));
    free(out), free(err);
    free(id);
    free(pack);
}

/* assignment show of an id that is not there is an error, not an empty page;
   one with its status never changed says so. */
static void test_cli_roadmap_assignment_show_errors(void **state)
{
    fixture *f = *state;
    char *out = NULL, *err = NULL;
    import_listings(f);
    assert_int_equal(
        SHNOR(f, &out, &err, "roadmap", "--pack", f->pack, "--period", "2022", "--apply"), 0);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "show", "999999"), 9);
    assert_string_equal(err, "shnor assignment: there is no assignment 999999\n");
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "show", "1", "--status", "done"), 2);
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "show", "1"), 0);
    assert_non_null(strstr(out, "\nСтатус не менялся.\n"));
    assert_null(strstr(out, "Изменения"));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "show", "1", "--format", "json"), 0);
    assert_non_null(strstr(out, "\"id\": 1,"));
    assert_non_null(strstr(out, "\"history\": []"));
    free(out), free(err);
    /* a verb that is none is named, before the usage */
    assert_int_equal(SHNOR(f, &out, &err, "assignment", "shwo", "1"), 2);
    assert_non_null(strstr(err, "shnor assignment: 'shwo' is not something to do with an "
                                "assignment; expected set or show\nusage: "));
    free(out), free(err);
    assert_int_equal(SHNOR(f, &out, &err, "override", "lsit"), 2);
    assert_non_null(strstr(err, "shnor override: 'lsit' is not something to do with "
                                "overrides; expected add, list or revoke\nusage: "));
    free(out), free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_cli_roadmap_apply_twice_keeps_count_and_statuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_csv_export, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_assignment_show_errors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_overdue_as_of, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_import_statuses, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_cohorts_exit_and_mentors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_overrides, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_stray_listings_are_noted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_check_rejects_a_bad_due, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_dated_rows_are_owed_once_across_periods,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_cli_roadmap_reapply_withdraws_what_it_no_longer_makes, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_cli_roadmap_reapply_keeps_what_schools_without_data_owe, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_cli_roadmap_reapply_reads_only_the_activitys_categories, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_reapply_with_an_applies_function,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_person_keeps_a_planned_assignment,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_cli_roadmap_item_of_two_periods_settles, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("cli_roadmap", tests, NULL, NULL);
}
