/*
 * test_roadmap.c — roadmaps and the listing features they rest on, in C, on a
 * real SQLite file and real packs: who carries out an activity (the
 * territory's office, categories, cohorts, named schools, the pack's
 * function), deadlines dated in the period, idempotent storing that keeps a
 * person's status, the CSV in the seeds' columns; cohorts, the exit rule,
 * mentors and overrides over three periods.
 *
 * The fixture region, "Район" (X is in another territory and never
 * evaluated); fail is the share of failing students, listed above 20 %:
 *
 *          2021   2022   2023
 *     A    30 %   30 %   30 %    listed every year
 *     B    30 %   10 %   10 %    listed 2021, then misses
 *     C    10 %   30 %   10 %    listed 2022 only
 *     D     5 %    5 %    5 %    never
 *     M1, M2 1 %                 base schools
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "listing.h"
#include "pack.h"
#include "period.h"
#include "roadmap.h"
#include "store.h"

typedef struct {
    char *dir;
    char *dbpath;
    shnor *db;
    pack *p;
    dataset *ds;
    evaluation *ev;
    roadmap *r;
    strbuf msg;
} fixture;

static const char INDICATORS[] =
    "code,title,unit,better\nfail,Доля неуспевающих,share,lower\n";

static const char SCHOOLS[] = "code,name,territory\n"
                              "A,Школа A,Район\n"
                              "B,Школа B,Район\n"
                              "C,Школа C,Район\n"
                              "D,Школа D,Район\n"
                              "M1,Базовая школа 1,Район\n"
                              "M2,Базовая школа 2,Район\n"
                              "X,Чужая школа,Другой район\n";

static const char VALUES[] = "school,period,fail\n"
                             "A,2021,30%\nA,2022,30%\nA,2023,30%\n"
                             "B,2021,30%\nB,2022,10%\nB,2023,10%\n"
                             "C,2021,10%\nC,2022,30%\nC,2023,10%\n"
                             "D,2021,5%\nD,2022,5%\nD,2023,5%\n"
                             "M1,2021,1%\nM1,2022,1%\nM1,2023,1%\n"
                             "M2,2021,1%\nM2,2022,1%\nM2,2023,1%\n"
                             "X,2021,50%\nX,2022,50%\nX,2023,50%\n";

/* The official lists of 2021 and 2022, imported as data. */
static const char LISTINGS[] = "school,period,category\n"
                               "A,2021,low\nB,2021,low\n"
                               "A,2022,low\nB,2022,low\nC,2022,low\n";

/* The pack: its head, then per-test parts (cohorts, exit, mentors, activities). */
static const char HEAD[] =
    "return {\n"
    "  id = 'fx', title = 'Фикстура', version = '1', source = 'Приказ №1',\n"
    "  territory = 'Район',\n"
    "  categories = { { id = 'low', title = 'школы с низкими результатами' } },\n"
    "  criteria = {\n"
    "    { id = 'fail_high', category = 'low', title = 'Доля неуспевающих выше 20%',\n"
    "      test = function(s, p) return s:value('fail', p) > 0.2 end },\n"
    "  },\n";

static const char COHORTS[] =
    "  cohorts = {\n"
    "    { id = 'persistent', category = 'low', title = 'устойчиво низкие',\n"
    "      test = function(s, p) return s:listed(shnor.period.prev(p), 'low') end },\n"
    "    { id = 'new', category = 'low', title = 'впервые в списке',\n"
    "      test = function() return true end },\n"
    "  },\n";

static void import(fixture *f, shnor_import_kind kind, const char *name, const char *text)
{
    shnor_import_result res;
    if (shnor_import_buffer(f->db, kind, name, text, strlen(text), NULL, &res) !=
        SHNOR_OK) {
        fail_msg("import %s: %s", name, shnor_errmsg(f->db));
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->dir = tu_tmpdir();
    f->dbpath = tu_path(f->dir, "rm.db");
    sb_init(&f->msg);
    assert_int_equal(shnor_open(f->dbpath, SHNOR_OPEN_CREATE, &f->db), SHNOR_OK);
    import(f, SHNOR_IMPORT_INDICATORS, "i.csv", INDICATORS);
    import(f, SHNOR_IMPORT_SCHOOLS, "s.csv", SCHOOLS);
    import(f, SHNOR_IMPORT_VALUES, "v.csv", VALUES);
    *state = f;
    return 0;
}

static void drop_listing(fixture *f)
{
    roadmap_free(f->r);
    eval_free(f->ev);
    ds_free(f->ds);
    f->r = NULL;
    f->ev = NULL;
    f->ds = NULL;
}

static int teardown(void **state)
{
    fixture *f = *state;
    drop_listing(f);
    pack_free(f->p);
    shnor_close(f->db);
    sb_free(&f->msg);
    tu_rmrf(f->dir);
    free(f->dir);
    free(f->dbpath);
    free(f);
    return 0;
}

/* Writes HEAD + parts + "}" as pack.lua and loads it (must load). */
static void load_pack(fixture *f, const char *parts)
{
    char *path = tu_path(f->dir, "pack.lua");
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, HEAD);
    sb_puts(&sb, parts);
    sb_puts(&sb, "}\n");
    tu_write_str(path, sb.data);
    sb_free(&sb);
    drop_listing(f);
    pack_free(f->p);
    f->p = NULL;
    if (pack_load(path, NULL, NULL, &f->p) != SHNOR_OK) {
        fail_msg("pack does not load:\n%s", f->p ? f->p->problems.data : "?");
    }
    free(path);
}

static shnor_period per(const char *text)
{
    shnor_period p;
    assert_int_equal(shnor_period_parse(text, &p, NULL, 0), SHNOR_OK);
    return p;
}

/* Evaluates the listing of period; returns the status (message in f->msg). */
static int evaluate(fixture *f, const char *period)
{
    drop_listing(f);
    sb_reset(&f->msg);
    int st = engine_listing(f->db, f->p, per(period), &f->ds, &f->ev, &f->msg);
    engine_done(f->db);
    return st;
}

/* The roadmap of period (of the listing roadmap_listing periods before). */
static int build(fixture *f, const char *period)
{
    drop_listing(f);
    sb_reset(&f->msg);
    shnor_period p = per(period);
    int st = engine_listing(f->db, f->p, shnor_period_shift(p, f->p->roadmap_listing),
                            &f->ds, &f->ev, &f->msg);
    if (st == SHNOR_OK) {
        st = roadmap_build(f->p, f->ev, p, &f->r, &f->msg);
    }
    engine_done(f->db);
    return st;
}

static void must_build(fixture *f, const char *period)
{
    if (build(f, period) != SHNOR_OK) {
        fail_msg("roadmap %s: %s", period, f->msg.data);
    }
}

/* The items of activity id, "owner start/due" joined by " " (office: "УО"). */
static char *items_of(const fixture *f, const char *id)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < f->r->n; i++) {
        const rm_item *it = &f->r->items[i];
        if (strcmp(f->p->acts[it->activity].id, id) != 0) {
            continue;
        }
        char a[11], b[11];
        shnor_date_format(it->start, a, sizeof a);
        shnor_date_format(it->due, b, sizeof b);
        const char *owner = roadmap_owner(f->r, it);
        sb_printf(&sb, "%s%s %s/%s", sb.len ? " " : "", *owner ? owner : "УО", a, b);
    }
    return sb_detach(&sb);
}

static void expect_items(const fixture *f, const char *id, const char *want)
{
    char *got = items_of(f, id);
    if (strcmp(got ? got : "", want) != 0) {
        fail_msg("activity %s:\n  got      %s\n  expected %s", id, got ? got : "", want);
    }
    free(got);
}

/* How many items activity id has. */
static size_t count_of(const fixture *f, const char *id)
{
    size_t n = 0;
    for (size_t i = 0; i < f->r->n; i++) {
        n += strcmp(f->p->acts[f->r->items[i].activity].id, id) == 0;
    }
    return n;
}

/* The distinct owners of activity id, comma-joined. */
static char *owners_of(const fixture *f, const char *id)
{
    strbuf sb = STRBUF_INIT;
    const char *last = NULL;
    for (size_t i = 0; i < f->r->n; i++) {
        const rm_item *it = &f->r->items[i];
        const char *o = roadmap_owner(f->r, it);
        if (strcmp(f->p->acts[it->activity].id, id) != 0 ||
            (last && strcmp(last, o) == 0)) {
            continue;
        }
        sb_printf(&sb, "%s%s", sb.len ? "," : "", *o ? o : "УО");
        last = o;
    }
    char *s = sb_detach(&sb);
    return s ? s : strdup("");
}

static void expect_owners(const fixture *f, const char *id, const char *want)
{
    char *got = owners_of(f, id);
    if (strcmp(got, want) != 0) {
        fail_msg("activity %s: owners %s, expected %s", id, got, want);
    }
    free(got);
}

/* "code:status[:cohort][:mentor][+held][!override]" per row, for category low. */
static char *rows(const fixture *f)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < f->ev->nrows; i++) {
        const ev_row *row = &f->ev->rows[i];
        sb_printf(&sb, "%s%s:%s", sb.len ? " " : "", f->ds->schools[row->school].code,
                  row->status == ROW_LISTED     ? "listed"
                  : row->status == ROW_EXCLUDED ? "excluded"
                                                : "insufficient");
        if (row->cohort >= 0) {
            sb_printf(&sb, ":%s", f->p->cohorts[row->cohort].id);
        }
        if (row->mentor) {
            sb_printf(&sb, ":%s", row->mentor);
        }
        if (row->held) {
            sb_printf(&sb, "+held%d", row->misses);
        }
        if (row->override) {
            sb_printf(&sb, "!%s", row->override->include ? "include" : "exclude");
        }
    }
    char *s = sb_detach(&sb);
    return s ? s : strdup("");
}

static void expect_rows(fixture *f, const char *period, const char *want)
{
    if (evaluate(f, period) != SHNOR_OK) {
        fail_msg("list %s: %s", period, f->msg.data);
    }
    char *got = rows(f);
    if (strcmp(got, want) != 0) {
        fail_msg("list %s:\n  got      %s\n  expected %s", period, got, want);
    }
    free(got);
}

/* The explanation of school code's row in the last evaluation. */
static char *explain(const fixture *f, const char *code)
{
    for (size_t i = 0; i < f->ev->nrows; i++) {
        const ev_row *row = &f->ev->rows[i];
        if (strcmp(f->ds->schools[row->school].code, code) == 0) {
            strbuf sb = STRBUF_INIT;
            listing_explain(f->ev, row, &sb, "", " | ");
            return sb_detach(&sb);
        }
    }
    fail_msg("no row for %s", code);
    return NULL;
}

static void expect_explained(const fixture *f, const char *code, const char *part)
{
    char *why = explain(f, code);
    if (!why || !strstr(why, part)) {
        fail_msg("explanation of %s:\n  %s\nlacks\n  %s", code, why ? why : "", part);
    }
    free(why);
}

static int64_t add_override(fixture *f, const char *school, const char *period,
                            const char *pack_id, int include, const char *reason,
                            const char *by)
{
    int64_t id = 0;
    assert_int_equal(store_begin(f->db), SHNOR_OK);
    assert_int_equal(store_override_add(f->db, school, period, pack_id, "low", include,
                                        reason, by, &id),
                     SHNOR_OK);
    assert_int_equal(store_commit(f->db), SHNOR_OK);
    return id;
}

static long count_rows(fixture *f, const char *sql)
{
    char *s = tu_sql(f->dbpath, sql);
    long n = atol(s);
    free(s);
    return n;
}

/* ---------------------------------------------------------------------------
 * Who carries out an activity.
 */

/* Without applies, an activity is the territory's office's: one owner, "". */
static void test_roadmap_office_owns_unscoped_activities(void **state)
{
    fixture *f = *state;
    load_pack(f, "  activities = {\n"
                 "    { id = '1.1', title = 'План работы', due = 'Январь' },\n"
                 "    { id = '1.2', title = 'Совещания', due = 'Февраль-март' },\n"
                 "  },\n");
    must_build(f, "2022");
    assert_int_equal(f->r->n, 2);
    expect_items(f, "1.1", "УО 2022-01-01/2022-01-31");
    expect_items(f, "1.2", "УО 2022-02-01/2022-03-31");
    assert_int_equal(f->r->items[0].school, -1);
    /* even when nobody is listed (2020 has no values: all lack data) */
    must_build(f, "2020");
    assert_int_equal(f->ev->listed[0], 0);
    assert_int_equal(f->ev->insufficient[0], 6);
    expect_items(f, "1.1", "УО 2020-01-01/2020-01-31");
}

/* applies: categories, cohorts, named schools (also outside the list), both. */
static void test_roadmap_applies_ids_and_schools(void **state)
{
    fixture *f = *state;
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    load_pack(
        f, "  cohorts = {\n"
           "    { id = 'persistent', category = 'low', title = 'устойчиво низкие',\n"
           "      test = function(s, p)\n"
           "        return s:listed(shnor.period.prev(p), 'low')\n"
           "      end },\n"
           "    { id = 'new', category = 'low', title = 'впервые в списке',\n"
           "      test = function() return true end },\n"
           "  },\n"
           "  activities = {\n"
           "    { id = '2.1', title = 'Выезды', applies = { 'low' }, due = 'Март' },\n"
           "    { id = '3.3', title = 'Устойчиво низкие', applies = { 'persistent' },\n"
           "      due = 'В течение года' },\n"
           "    { id = '3.4', title = 'Новые', applies = { 'new' }, due = 'Апрель' },\n"
           "    { id = '5.1', title = 'Ремонт', applies = { schools = { 'D' } },\n"
           "      due = '2023 г.' },\n"
           "    { id = '5.2', title = 'Сеть',\n"
           "      applies = { 'new', schools = { 'M2', 'C' } },\n"
           "      due = 'Май' },\n"
           "  },\n");
    must_build(f, "2022");
    /* 2022: A and C meet the criteria; A was listed in 2021 */
    expect_owners(f, "2.1", "A,C");
    expect_items(f, "3.3", "A 2022-01-01/2022-12-31");
    expect_items(f, "3.4", "C 2022-04-01/2022-04-30");
    /* a dated deadline stays as the document dates it */
    expect_items(f, "5.1", "D 2023-01-01/2023-12-31");
    /* C is new and named: once */
    expect_items(f, "5.2", "C 2022-05-01/2022-05-31 M2 2022-05-01/2022-05-31");
    assert_int_equal(f->r->n, 2 + 1 + 1 + 1 + 2);
}

/* A school named in applies.schools must be one of the pack's territory. */
static void test_roadmap_named_school_outside_the_territory(void **state)
{
    fixture *f = *state;
    load_pack(f, "  activities = {\n"
                 "    { id = '5.1', title = 'Ремонт',\n"
                 "      applies = { schools = { 'X' } }, due = '2023 г.' },\n"
                 "  },\n");
    assert_int_equal(build(f, "2022"), SHNOR_PACK);
    assert_non_null(strstr(f->msg.data,
                           "pack.lua:10: activity '5.1' names school 'X', which "
                           "is not among the schools of the pack's territory"));
    assert_non_null(strstr(f->msg.data, "pack '")); /* named as every pack error is */
}

/* applies = function(s, period, listing), asked for each listed school. */
static void test_roadmap_applies_function(void **state)
{
    fixture *f = *state;
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    static const char parts[] =
        "  cohorts = {\n"
        "    { id = 'persistent', category = 'low', title = 'устойчиво низкие',\n"
        "      test = function(s, p)\n"
        "        return s:listed(shnor.period.prev(p), 'low')\n"
        "      end },\n"
        "  },\n"
        "  mentors = {\n"
        "    { mentor = 'M1', schools = { 'A' } },\n"
        "    { mentor = 'M2', schools = { 'C' } },\n"
        "  },\n"
        "  activities = {\n"
        "    { id = '4.1', title = 'Наставничество', due = 'Март',\n"
        "      applies = function(s, p, l)\n"
        "        return l.categories.low == true and l.mentor == 'M1' and p == '2022'\n"
        "      end },\n"
        "    { id = '4.2', title = 'Новые', due = 'Апрель',\n"
        "      applies = function(s, p, l) return l.cohort == nil end },\n"
        "    { id = '4.3', title = 'По значению', due = 'Май',\n"
        "      applies = function(s, p, l) return s:value('fail', '2021') < 0.2 end },\n"
        "    { id = '4.4', title = 'Код', due = 'Июнь',\n"
        "      applies = function(s, p, l) return s.code ~= 'X'  end },\n"
        "  },\n";
    load_pack(f, parts);
    must_build(f, "2022");
    expect_items(f, "4.1", "A 2022-03-01/2022-03-31");
    expect_items(f, "4.2", "C 2022-04-01/2022-04-30");
    expect_items(f, "4.3", "C 2022-05-01/2022-05-31");
    /* never asked for unlisted schools (B, D, M1, M2) */
    expect_owners(f, "4.4", "A,C");
    /* the period is the roadmap's */
    must_build(f, "2023");
    expect_items(f, "4.1", "");
    expect_owners(f, "4.4", "A");

    /* an error names the activity and the school */
    char *bad = strdup(parts);
    char *at = strstr(bad, "return s.code ~= 'X'  end");
    memcpy(at, "return s.cod  ~= 'X'  end", strlen("return s.cod  ~= 'X'  end"));
    load_pack(f, bad);
    free(bad);
    assert_int_equal(build(f, "2022"), SHNOR_PACK);
    assert_non_null(strstr(f->msg.data, "pack 'fx' ("));
    assert_non_null(strstr(
        f->msg.data, "the 'applies' function of activity '4.4' failed for school A"));
    assert_non_null(strstr(f->msg.data, "a school has no field 'cod'"));

    /* true or false: a code (a true value to Lua) is the pack's mistake */
    bad = strdup(parts);
    at = strstr(bad, "return s.code ~= 'X'  end");
    memcpy(at, "return s.code          end", strlen("return s.code          end"));
    load_pack(f, bad);
    free(bad);
    assert_int_equal(build(f, "2022"), SHNOR_PACK);
    assert_non_null(strstr(f->msg.data, "activity '4.4' (line "));
    assert_non_null(strstr(f->msg.data, "its 'applies' function returned a string for school "
                                        "A; it must return true or false (nil counts as "
                                        "false)"));

    /* who carries out an activity is never "insufficient data" */
    const char *was = "return s.code ~= 'X'  end";
    bad = strdup(parts);
    at = strstr(bad, was);
    assert_non_null(at);
    const char *ins = "return shnor.insufficient('нет данных о штате')";
    size_t tail = strlen(at + strlen(was));
    char *joined = malloc((size_t)(at - bad) + strlen(ins) + 5 + tail + 1);
    sprintf(joined, "%.*s%s end%s", (int)(at - bad), bad, ins, at + strlen(was));
    load_pack(f, joined);
    free(bad);
    free(joined);
    assert_int_equal(build(f, "2022"), SHNOR_PACK);
    assert_non_null(strstr(f->msg.data, "shnor.insufficient() cannot be used in 'applies'"));
    assert_non_null(strstr(f->msg.data, "нет данных о штате"));
}

/* ---------------------------------------------------------------------------
 * Deadlines dated in the period.
 */

static void test_roadmap_recurrences_expand_inside_the_period(void **state)
{
    fixture *f = *state;
    load_pack(
        f, "  activities = {\n"
           "    { id = 'm', title = 'Ежемесячно', due = 'Ежемесячно (по плану школ)' },\n"
           "    { id = 'q', title = 'Четверти', due = 'Не реже 1 раза в четверть' },\n"
           "    { id = 'h', title = 'Полугодия', due = 'По полугодиям' },\n"
           "    { id = 'y', title = 'Рейтинг', due = '2 раза в год (январь, июнь)' },\n"
           "    { id = 'o', title = 'Открытый', due = 'в течение учебного года' },\n"
           "    { id = 'p', title = 'График', due = 'По отдельному графику' },\n"
           "    { id = 'e', title = 'Без срока', due = '' },\n"
           "    { id = 'n', title = 'Без поля' },\n"
           "    { id = 'w', title = 'Еженедельно', due = 'еженедельно' },\n"
           "  },\n");
    must_build(f, "2023/24");
    expect_items(
        f, "m",
        "УО 2023-09-01/2023-09-30 УО 2023-10-01/2023-10-31 УО 2023-11-01/2023-11-30 "
        "УО 2023-12-01/2023-12-31 УО 2024-01-01/2024-01-31 УО 2024-02-01/2024-02-29 "
        "УО 2024-03-01/2024-03-31 УО 2024-04-01/2024-04-30 УО 2024-05-01/2024-05-31");
    expect_items(
        f, "q",
        "УО 2023-09-01/2023-10-31 УО 2023-11-01/2023-12-31 УО 2024-01-01/2024-03-31 "
        "УО 2024-04-01/2024-05-31");
    expect_items(f, "h", "УО 2023-09-01/2023-12-31 УО 2024-01-01/2024-05-31");
    expect_items(f, "y", "УО 2024-01-01/2024-01-31 УО 2024-06-01/2024-06-30");
    /* open forms are due on the period's last day */
    expect_items(f, "o", "УО 2023-09-01/2024-08-31");
    expect_items(f, "p", "УО 2023-09-01/2024-08-31");
    expect_items(f, "e", "УО 2023-09-01/2024-08-31");
    expect_items(f, "n", "УО 2023-09-01/2024-08-31");
    /* every occurrence is due inside the period */
    shnor_date first = shnor_period_first_day(per("2023/24"));
    shnor_date last = shnor_period_last_day(per("2023/24"));
    for (size_t i = 0; i < f->r->n; i++) {
        assert_true(f->r->items[i].due >= first && f->r->items[i].due <= last);
    }
    assert_int_equal(count_of(f, "w"), 39);

    /* the same pack in a calendar year and a quarter */
    must_build(f, "2023");
    assert_int_equal(count_of(f, "m"), 12);
    expect_items(f, "h", "УО 2023-01-01/2023-05-31 УО 2023-09-01/2023-12-31");
    expect_items(f, "o", "УО 2023-01-01/2023-12-31");
    must_build(f, "2023-Q2");
    expect_items(
        f, "m",
        "УО 2023-04-01/2023-04-30 УО 2023-05-01/2023-05-31 УО 2023-06-01/2023-06-30");
    expect_items(f, "y", "УО 2023-06-01/2023-06-30");
    expect_items(f, "o", "УО 2023-04-01/2023-06-30");
    /* in the table an activity without assignments says why */
    must_build(f, "2023-H2");
    expect_items(f, "y", "");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(roadmap_write(f->r, SHNOR_FORMAT_TABLE, out, 0, 200), 0);
    fclose(out);
    char *y = strstr(buf, "\ny "), *m = strstr(buf, "\nm ");
    assert_non_null(y);
    assert_non_null(m);
    *strchr(y + 1, '\n') = '\0';
    *strchr(m + 1, '\n') = '\0';
    assert_non_null(strstr(y, "Рейтинг"));
    assert_non_null(strstr(y, "нет (срок вне периода)"));
    assert_non_null(strstr(m, "управление образования"));
    free(buf);
}

/* An unparseable deadline is a check error with file:line, never a default. */
static void test_roadmap_unparseable_due_is_a_check_error(void **state)
{
    fixture *f = *state;
    char *path = tu_path(f->dir, "bad.lua");
    tu_write_str(path, "return {\n"
                       "  id = 'b', title = 'B', version = '1', source = 'Приказ',\n"
                       "  categories = { low = 'низкие' },\n"
                       "  criteria = { { id = 'c', category = 'low', title = 'C',\n"
                       "                 test = function() return true end } },\n"
                       "  activities = {\n"
                       "    { id = '1', title = 'Хорошо', due = 'Январь' },\n"
                       "    { id = '2', title = 'Плохо',\n"
                       "      due = 'по мере сил' },\n"
                       "    { id = '3', title = 'Тоже', due = 'Январь' },\n"
                       "    { id = '4', title = 'Плохо', due = 'Февраль-' },\n"
                       "  },\n"
                       "}\n");
    pack *p = NULL;
    assert_int_equal(pack_load(path, NULL, NULL, &p), SHNOR_PACK);
    const char *pr = p->problems.data;
    assert_non_null(strstr(pr,
                           "bad.lua:9: activity '2': deadline \"по мере сил\": \"по мере "
                           "сил\" is not understood; accepted: "));
    assert_non_null(
        strstr(pr, "bad.lua:11: activity '4': deadline \"Февраль-\": \"Февраль-\" "
                   "is a range without an end"));
    assert_int_equal(p->nproblems, 2);
    pack_free(p);
    free(path);
}

/* The problems of HEAD + parts, which must not load (caller frees). */
static char *problems(fixture *f, const char *parts)
{
    char *path = tu_path(f->dir, "pack.lua");
    strbuf sb = STRBUF_INIT;
    sb_puts(&sb, HEAD);
    sb_puts(&sb, parts);
    sb_puts(&sb, "}\n");
    tu_write_str(path, sb.data);
    sb_free(&sb);
    pack *p = NULL;
    assert_int_equal(pack_load(path, NULL, NULL, &p), SHNOR_PACK);
    char *out = strdup(p->problems.data);
    pack_free(p);
    free(path);
    return out;
}

static void expect_problem(fixture *f, const char *parts, const char *want)
{
    char *got = problems(f, parts);
    if (!strstr(got, want)) {
        fail_msg("problems:\n%s\nlack\n%s", got, want);
    }
    free(got);
}

/* A misspelt exit or mentors entry is an error, not a rule silently absent. */
static void test_roadmap_check_exit_and_mentors(void **state)
{
    fixture *f = *state;
    expect_problem(f, "  exit = { lwo = { after = 2 } },\n",
                   "pack.lua:9: 'exit' has an unknown key 'lwo' (known: after, low)");
    expect_problem(f, "  exit = { afetr = 2 },\n",
                   "pack.lua:9: 'exit' has an unknown key 'afetr' (known: after, low)");
    expect_problem(f, "\n  exit = { low = { aftr = 2 } },\n",
                   "pack.lua:10: exit.low has an unknown key 'aftr' (known: after)");
    expect_problem(f, "  exit = { low = 2 },\n",
                   "pack.lua:9: exit.low must be { after = N }");
    expect_problem(f, "  exit = { after = 2, low = { after = 3 } },\n",
                   "pack.lua:9: 'exit' has an unknown key 'low' (known: after)");
    expect_problem(f, "  exit = { after = 11 },\n",
                   "pack.lua:9: exit.after must be a number of periods from 1 to 10");
    /* a field's own line, not the pack's */
    expect_problem(f, "\n  roadmap_listing = 2,\n",
                   "pack.lua:10: 'roadmap_listing' must be 0 or a negative number of periods");
    expect_problem(
        f,
        "  mentors = {\n"
        "    { mentor = 'M1', schools = { 'A', 'B' } },\n"
        "    { mentor = 'M2', schools = { 'C', 'A' } },\n"
        "  },\n",
        "pack.lua:11: mentors: school 'A' is given two mentors, 'M1' and 'M2'");
    expect_problem(f, "  mentors = { { mentor = 'A', schools = { 'B', 'A' } } },\n",
                   "pack.lua:9: mentors: school 'A' is given as its own mentor");
    expect_problem(f, "  mentors = { { mentor = 'M1', school = { 'A' } } },\n",
                   "pack.lua:9: mentors[1] has an unknown key 'school' (known: mentor, "
                   "schools)");
    /* the good forms load */
    load_pack(f, "  exit = { low = { after = 3 } },\n"
                 "  mentors = { { mentor = 'M1', schools = { 'A' } } },\n");
    assert_int_equal(f->p->exit_after[0], 3);
    assert_int_equal(f->p->nmentors, 1);
}

/* ---------------------------------------------------------------------------
 * Storing: idempotent, and a person's status is kept.
 */

static const char ROADMAP[] =
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
    "    { id = '2.1', section = '2. Работа со школами',\n"
    "      title = 'Выезды, «методический десант»',\n"
    "      applies = { 'low' }, due = 'По полугодиям', document = 'Справка' },\n"
    "    { id = '3.3', section = '2. Работа со школами', title = 'Устойчиво низкие',\n"
    "      applies = { 'persistent' }, due = 'В течение года' },\n"
    "    { id = '4.1', title = 'Наставничество', due = 'Не реже 1 раза в четверть',\n"
    "      applies = function(s, p, l) return l.mentor == 'M1' end },\n"
    "    { id = '5.1', title = 'Ремонт', applies = { schools = { 'D' } },\n"
    "      due = '2023 г.' },\n"
    "    { id = '6.1', title = 'Новые', applies = { 'new', schools = { 'M2' } },\n"
    "      due = 'ежемесячно' },\n"
    "  },\n";

/* The roadmap of 2022: A (persistent, M1), B (kept by the exit rule,
   persistent, M1) and C (new, M2) listed. */
static void test_roadmap_2022_of_the_fixture(void **state)
{
    fixture *f = *state;
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    load_pack(f, ROADMAP);
    must_build(f, "2022");
    expect_items(f, "1.1", "УО 2022-01-01/2022-01-31");
    expect_items(
        f, "2.1",
        "A 2022-01-01/2022-05-31 A 2022-09-01/2022-12-31 B 2022-01-01/2022-05-31 "
        "B 2022-09-01/2022-12-31 C 2022-01-01/2022-05-31 C 2022-09-01/2022-12-31");
    expect_items(f, "3.3", "A 2022-01-01/2022-12-31 B 2022-01-01/2022-12-31");
    expect_owners(f, "4.1", "A,B");
    expect_items(f, "5.1", "D 2023-01-01/2023-12-31");
    expect_owners(f, "6.1", "C,M2");
    assert_int_equal(f->r->n, 1 + 6 + 2 + 8 + 1 + 24);
}

static void test_roadmap_apply_is_idempotent_and_keeps_statuses(void **state)
{
    fixture *f = *state;
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    load_pack(f, ROADMAP);
    must_build(f, "2022");
    /* a dry run finds nothing stored */
    assert_int_equal(roadmap_lookup(f->r, f->db), SHNOR_OK);
    for (size_t i = 0; i < f->r->n; i++) {
        assert_int_equal(f->r->items[i].id, 0);
        assert_string_equal(f->r->items[i].status, "");
    }
    assert_int_equal(roadmap_apply(f->r, f->db), SHNOR_OK);
    assert_int_equal(f->r->created, 42);
    assert_int_equal(f->r->existing, 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM assignments"), 42);
    assert_int_equal(
        count_rows(f, "SELECT count(*) FROM activities WHERE pack_id = 'fx'"), 6);
    int64_t first = f->r->items[0].id;
    assert_true(first > 0);
    assert_string_equal(f->r->items[0].status, "planned");

    /* a person sets a status, then the roadmap is applied again */
    assert_int_equal(store_begin(f->db), SHNOR_OK);
    assert_int_equal(store_assignment_set(f->db, first, "done",
                                          "Приказ №12 от 01.02.2022", "2022-02-01",
                                          "Лукманова", 0, NULL),
                     SHNOR_OK);
    assert_int_equal(store_commit(f->db), SHNOR_OK);
    must_build(f, "2022");
    assert_int_equal(roadmap_apply(f->r, f->db), SHNOR_OK);
    assert_int_equal(f->r->created, 0);
    assert_int_equal(f->r->existing, 42);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM assignments"), 42);
    assert_int_equal(f->r->items[0].id, first);
    assert_string_equal(f->r->items[0].status, "done");
    char *row =
        tu_sql(f->dbpath, "SELECT owner, period, start, due, status, evidence, "
                          "status_date, status_by FROM assignments ORDER BY id LIMIT 1");
    assert_string_equal(row, "|2022|2022-01-01|2022-01-31|done|Приказ №12 от 01.02.2022|"
                             "2022-02-01|Лукманова");
    free(row);
    /* setting what is already there writes nothing: no history, the date kept */
    int changed = -1;
    long history = count_rows(f, "SELECT count(*) FROM assignment_history");
    assert_int_equal(store_begin(f->db), SHNOR_OK);
    assert_int_equal(
        store_assignment_set(f->db, first, "done", NULL, NULL, "Иванов", 0, &changed),
        SHNOR_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(store_assignment_set(f->db, first, "done",
                                          "Приказ №12 от 01.02.2022", "2022-02-01", NULL, 0,
                                          &changed),
                     SHNOR_OK);
    assert_int_equal(changed, 0);
    assert_int_equal(store_assignment_set(f->db, 999, "done", NULL, NULL, NULL, 0, &changed),
                     SHNOR_NOTFOUND);
    assert_string_equal(shnor_errmsg(f->db), "there is no assignment 999");
    /* new evidence alone keeps the status date; a new status without a date is today's */
    assert_int_equal(
        store_assignment_set(f->db, first, "done", "Приказ №13", NULL, NULL, 0, &changed),
        SHNOR_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(store_commit(f->db), SHNOR_OK);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM assignment_history"),
                     history + 1);
    row = tu_sql(f->dbpath,
                 "SELECT status, evidence, status_date FROM assignments ORDER BY id "
                 "LIMIT 1");
    assert_string_equal(row, "done|Приказ №13|2022-02-01");
    free(row);
    assert_int_equal(store_begin(f->db), SHNOR_OK);
    assert_int_equal(
        store_assignment_set(f->db, first, "in_progress", NULL, NULL, NULL, 0, &changed),
        SHNOR_OK);
    assert_int_equal(changed, 1);
    assert_int_equal(store_commit(f->db), SHNOR_OK);
    assert_int_equal(count_rows(f,
                                "SELECT count(*) FROM assignments WHERE status_date = "
                                "strftime('%Y-%m-%d', 'now') AND status = 'in_progress'"),
                     1);
    /* a dry run now shows what is stored */
    must_build(f, "2022");
    assert_int_equal(roadmap_lookup(f->r, f->db), SHNOR_OK);
    assert_int_equal(f->r->items[0].id, first);
    assert_string_equal(f->r->items[0].status, "in_progress");
    assert_string_equal(f->r->items[1].status, "planned");

    /* the catalogue follows the pack; the assignments of 2023 are added */
    must_build(f, "2023");
    assert_int_equal(roadmap_apply(f->r, f->db), SHNOR_OK);
    assert_int_equal(f->r->created + f->r->existing, (long)f->r->n);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM assignments"),
                     42 + f->r->created);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM activities"), 6);
}

/* A failure half-way stores nothing and reports nothing as created. */
static void test_roadmap_apply_failure_stores_nothing(void **state)
{
    fixture *f = *state;
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    load_pack(f, ROADMAP);
    assert_int_equal(store_exec(f->db,
                                "CREATE TRIGGER refuse_c BEFORE INSERT ON assignments "
                                "WHEN NEW.owner = 'C' BEGIN SELECT RAISE(ABORT, "
                                "'refused'); END"),
                     SHNOR_OK);
    must_build(f, "2022");
    assert_int_equal(roadmap_apply(f->r, f->db), SHNOR_DB);
    assert_non_null(strstr(shnor_errmsg(f->db), "refused"));
    assert_int_equal(f->r->created, 0);
    assert_int_equal(f->r->existing, 0);
    for (size_t i = 0; i < f->r->n; i++) {
        assert_int_equal(f->r->items[i].id, 0);
        assert_string_equal(f->r->items[i].status, "");
    }
    assert_int_equal(count_rows(f, "SELECT count(*) FROM assignments"), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM activities"), 0);
    /* and the next apply works */
    assert_int_equal(store_exec(f->db, "DROP TRIGGER refuse_c"), SHNOR_OK);
    assert_int_equal(roadmap_apply(f->r, f->db), SHNOR_OK);
    assert_int_equal(f->r->created, 42);
}

/* The CSV export: the seeds' columns, one row per assignment. */
static void test_roadmap_csv_has_the_seed_columns(void **state)
{
    fixture *f = *state;
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    load_pack(f, ROADMAP);
    must_build(f, "2022");
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_non_null(out);
    assert_int_equal(roadmap_write(f->r, SHNOR_FORMAT_CSV, out, 0, 80), 0);
    fclose(out);
    assert_int_equal(tu_count_lines(buf), 1 + 42);
    const char *head = "№ п/п,Мероприятие,Сроки,Ответственные,Соисполнители,Ожидаемый "
                       "результат,Показатель реализации,Отчетный документ,Статус,";
    assert_memory_equal(buf, head, strlen(head));
    char *line2 = strchr(buf, '\n') + 1;
    const char *row1 =
        "1.1,Утверждение плана работы,Январь,\"Исаева Х.Н., начальник УО\","
        "Лукманова С.Ш.,Утвержден план,\"Доля школ, 100%\",План,new,"
        "1. Организационные мероприятия,,2022-01-01,2022-01-31,\n";
    assert_memory_equal(line2, row1, strlen(row1));
    char *line3 = strchr(line2, '\n') + 1;
    const char *row2 =
        "2.1,\"Выезды, «методический десант»\",По полугодиям,,,,,Справка,new,"
        "2. Работа со школами,A,2022-01-01,2022-05-31,\n";
    assert_memory_equal(line3, row2, strlen(row2));
    free(buf);

    /* stored: the status and the id */
    assert_int_equal(roadmap_apply(f->r, f->db), SHNOR_OK);
    out = open_memstream(&buf, &len);
    assert_int_equal(roadmap_write(f->r, SHNOR_FORMAT_CSV, out, 0, 80), 0);
    fclose(out);
    assert_non_null(strstr(buf,
                           ",План,planned,1. Организационные мероприятия,,2022-01-01,"
                           "2022-01-31,1\n"));
    free(buf);
}

/* roadmap_listing = -1: the roadmap of 2023 serves the schools listed in 2022. */
static void test_roadmap_of_the_listing_before(void **state)
{
    fixture *f = *state;
    load_pack(f,
              "  roadmap_listing = -1,\n"
              "  activities = {\n"
              "    { id = '2.1', title = 'Выезды', applies = { 'low' }, due = 'Март' },\n"
              "  },\n");
    must_build(f, "2023");
    assert_string_equal(f->ev->period_text, "2022");
    expect_items(f, "2.1", "A 2023-03-01/2023-03-31 C 2023-03-01/2023-03-31");
}

/* ---------------------------------------------------------------------------
 * Cohorts, exit, mentors and overrides over three periods.
 */

/* New vs persistent, from the lists of 2021 and 2022 imported as data. */
static void test_roadmap_cohorts_over_three_periods(void **state)
{
    fixture *f = *state;
    load_pack(f, COHORTS);
    /* nothing imported yet: everyone is new */
    expect_rows(f, "2022", "A:listed:new C:listed:new");
    /* a listing of another pack, or of another category, does not count */
    import(f, SHNOR_IMPORT_LISTINGS, "o.csv",
           "school,period,category,pack\nA,2021,low,other\nC,2021,risk,fx\n");
    expect_rows(f, "2022", "A:listed:new C:listed:new");
    expect_explained(f, "A", "когорта: впервые в списке: в списке «школы с низкими результатами» за 2021: нет");
    /* one of this pack does, and one without a pack counts for every pack */
    import(f, SHNOR_IMPORT_LISTINGS, "fx.csv",
           "school,period,category,pack\nA,2021,low,fx\n");
    expect_rows(f, "2022", "A:listed:persistent C:listed:new");
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    expect_rows(f, "2021", "A:listed:new B:listed:new");
    expect_rows(f, "2022", "A:listed:persistent C:listed:new");
    expect_explained(f, "A", "когорта: устойчиво низкие: в списке «школы с низкими результатами» за 2021: да");
    expect_rows(f, "2023", "A:listed:persistent");
    expect_explained(f, "A", "когорта: устойчиво низкие: в списке «школы с низкими результатами» за 2022: да");
}

/* exit = { after = 2 }: listed until the criteria are missed two periods in a row. */
static void test_roadmap_exit_hysteresis_over_three_periods(void **state)
{
    fixture *f = *state;
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    /* without the rule the list bounces */
    load_pack(f, "");
    expect_rows(f, "2021", "A:listed B:listed");
    expect_rows(f, "2022", "A:listed C:listed");
    expect_rows(f, "2023", "A:listed");

    load_pack(f, "  exit = { after = 2 },\n");
    expect_rows(f, "2021", "A:listed B:listed");
    /* B missed once: kept */
    expect_rows(f, "2022", "A:listed B:listed+held1 C:listed");
    expect_explained(f, "B",
                     "остаётся в списке по правилу выхода: критерии не выполняются 1 "
                     "период подряд, выход после 2: Доля неуспевающих (2021) = "
                     "30,0%");
    /* B missed twice: out; C missed once: kept */
    expect_rows(f, "2023", "A:listed C:listed+held1");

    /* three in a row, per category */
    load_pack(f, "  exit = { low = { after = 3 } },\n");
    expect_rows(f, "2023", "A:listed B:listed+held2 C:listed+held1");
    expect_explained(f, "B", "критерии не выполняются 2 периода подряд, выход после 3");

    /* a school on the list is never dropped for lacking data (2024 has none) */
    import(f, SHNOR_IMPORT_LISTINGS, "l23.csv", "school,period,category\nA,2023,low\n");
    load_pack(f, "");
    expect_rows(f, "2024",
                "A:insufficient B:insufficient C:insufficient D:insufficient "
                "M1:insufficient M2:insufficient");
    load_pack(f, "  exit = { after = 2 },\n");
    expect_rows(f, "2024",
                "A:listed+held0 B:insufficient C:insufficient D:insufficient "
                "M1:insufficient M2:insufficient");
    expect_explained(f, "A",
                     "остаётся в списке по правилу выхода: данных для проверки "
                     "критериев нет, выход после 2 периодов без выполнения критериев");
    assert_int_equal(f->ev->listed[0], 1);
    assert_int_equal(f->ev->insufficient[0], 5);
}

/* Pairing: the mentors table and a mentors function. */
static void test_roadmap_mentors_over_three_periods(void **state)
{
    fixture *f = *state;
    load_pack(f, "  mentors = {\n"
                 "    { mentor = 'M1', schools = { 'A', 'B' } },\n"
                 "    { mentor = 'M2', schools = { 'C' } },\n"
                 "  },\n");
    expect_rows(f, "2021", "A:listed:M1 B:listed:M1");
    expect_explained(f, "A", "базовая школа: M1 Базовая школа 1");
    expect_rows(f, "2022", "A:listed:M1 C:listed:M2");
    expect_explained(f, "C", "базовая школа: M2 Базовая школа 2");
    expect_rows(f, "2023", "A:listed:M1");

    load_pack(f, "  mentors = function(s, p, category)\n"
                 "    if s.code == 'C' then return nil end\n"
                 "    return p == '2021' and 'M2' or 'M1'\n"
                 "  end,\n");
    expect_rows(f, "2021", "A:listed:M2 B:listed:M2");
    expect_rows(f, "2022", "A:listed:M1 C:listed");
    expect_rows(f, "2023", "A:listed:M1");
}

/* Overrides: include, exclude, the latest wins, revoke; shown in the explanation. */
static void test_roadmap_overrides_over_three_periods(void **state)
{
    fixture *f = *state;
    load_pack(f, "");
    add_override(f, "D", "2021", NULL, 1, "Решение комиссии", "Исаева");
    expect_rows(f, "2021", "A:listed B:listed D:listed!include");
    expect_explained(f, "D", "включена вручную: Решение комиссии (Исаева, ");
    assert_int_equal(f->ev->listed[0], 3);

    int64_t a1 = add_override(f, "A", "2022", NULL, 0, "Ошибка в данных", "Исаева");
    expect_rows(f, "2022", "A:excluded!exclude C:listed");
    expect_explained(f, "A", "исключена вручную: Ошибка в данных (Исаева, ");
    expect_explained(f, "A",
                     "Доля неуспевающих выше 20%: Доля неуспевающих (2022) = 30,0%");
    assert_int_equal(f->ev->listed[0], 1);
    add_override(f, "A", "2022", "fx", 1, "Данные исправлены", "Лукманова");
    expect_rows(f, "2022", "A:listed!include C:listed");
    expect_explained(f, "A", "включена вручную: Данные исправлены (Лукманова, ");
    /* another pack's override does not apply */
    add_override(f, "C", "2022", "other", 0, "Чужой пакет", "Иванов");
    expect_rows(f, "2022", "A:listed!include C:listed");

    int64_t a3 = add_override(f, "A", "2023", NULL, 0, "Ошибка", "Исаева");
    expect_rows(f, "2023", "A:excluded!exclude");
    assert_int_equal(store_begin(f->db), SHNOR_OK);
    assert_int_equal(store_override_revoke(f->db, a3), SHNOR_OK);
    assert_int_equal(store_commit(f->db), SHNOR_OK);
    expect_rows(f, "2023", "A:listed");
    char *why = explain(f, "A");
    assert_null(strstr(why, "вручную"));
    free(why);
    /* revoking twice, or an unknown one, is not found */
    assert_int_equal(store_begin(f->db), SHNOR_OK);
    assert_int_equal(store_override_revoke(f->db, a3), SHNOR_NOTFOUND);
    assert_int_equal(store_override_revoke(f->db, 999), SHNOR_NOTFOUND);
    store_rollback(f->db);
    /* the periods stay apart */
    expect_rows(f, "2021", "A:listed B:listed D:listed!include");
    (void)a1;
    /* an exclusion beats the exit rule, and the explanation does not say "kept" */
    import(f, SHNOR_IMPORT_LISTINGS, "l.csv", LISTINGS);
    load_pack(f, "  exit = { after = 2 },\n");
    expect_rows(f, "2022", "A:listed!include B:listed+held1 C:listed");
    add_override(f, "B", "2022", NULL, 0, "Реорганизация", "Исаева");
    expect_rows(f, "2022", "A:listed!include B:excluded!exclude C:listed");
    why = explain(f, "B");
    const char *said = "исключена вручную: Реорганизация (Исаева, ";
    assert_memory_equal(why, said, strlen(said));
    /* the date of the decision, and nothing after it */
    assert_int_equal(strlen(why), strlen(said) + strlen("2022-01-01)"));
    free(why);
    /* an excluded school gets no activities */
    load_pack(f,
              "  activities = {\n"
              "    { id = '2.1', title = 'Выезды', applies = { 'low' }, due = 'Март' },\n"
              "  },\n");
    add_override(f, "C", "2022", NULL, 0, "Закрыта", "Исаева");
    must_build(f, "2022");
    expect_items(f, "2.1", "A 2022-03-01/2022-03-31");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roadmap_office_owns_unscoped_activities,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_applies_ids_and_schools, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_named_school_outside_the_territory,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_applies_function, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_recurrences_expand_inside_the_period,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_unparseable_due_is_a_check_error,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_check_exit_and_mentors, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_2022_of_the_fixture, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_roadmap_apply_is_idempotent_and_keeps_statuses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_apply_failure_stores_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_csv_has_the_seed_columns, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_of_the_listing_before, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_cohorts_over_three_periods, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_exit_hysteresis_over_three_periods,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_mentors_over_three_periods, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_roadmap_overrides_over_three_periods, setup,
                                        teardown),
    };
    return cmocka_run_group_tests_name("roadmap", tests, NULL, NULL);
}
