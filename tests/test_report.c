/*
 * test_report.c — the report writers' own output, without LibreOffice or
 * Chromium (those are test_report_apps.c, run by `make test-reports`).
 *
 * XLSX: the workbook is opened as the zip it is (zlib inflates the members),
 * and the cells of each sheet — shared strings, numbers, their number
 * formats from styles.xml — are compared with the run as the database keeps
 * it. HTML: the page is checked to need nothing from outside, and every mark
 * of every chart is compared with the run's target values, position
 * included. Both: the same run gives the same bytes.
 */
#include "report_fixture.h"

#include <math.h>
#include <stdint.h>
#include <unistd.h>

#include "numfmt.h"
#include "report.h"
#include "strbuf.h"

static report_fixture *F;

static int group_setup(void **state)
{
    (void)state;
    F = report_fixture_new();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    report_fixture_free(F);
    F = NULL;
    return 0;
}

/* ---- reading the XML libxlsxwriter writes ---- */

/* XML text with the five entities and &#…; references decoded. Malloc'ed. */
static char *unxml(const char *s, size_t n)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '&') {
            sb_putc(&sb, s[i]);
            continue;
        }
        static const char *const ent[][2] = {{"&amp;", "&"},
                                             {"&lt;", "<"},
                                             {"&gt;", ">"},
                                             {"&quot;", "\""},
                                             {"&apos;", "'"}};
        int done = 0;
        for (size_t k = 0; k < 5 && !done; k++) {
            size_t el = strlen(ent[k][0]);
            if (i + el <= n && strncmp(s + i, ent[k][0], el) == 0) {
                sb_puts(&sb, ent[k][1]);
                i += el - 1;
                done = 1;
            }
        }
        if (!done) {
            sb_putc(&sb, '&');
        }
    }
    return sb_detach(&sb);
}

/* The value of attribute `name` in the tag starting at tag (malloc'ed), NULL if absent.
 */
static char *attr(const char *tag, const char *name)
{
    const char *end = strchr(tag, '>');
    char key[64];
    snprintf(key, sizeof key, " %s=\"", name);
    const char *a = strstr(tag, key);
    if (!a || (end && a > end)) {
        return NULL;
    }
    a += strlen(key);
    return unxml(a, strcspn(a, "\""));
}

typedef struct {
    char **v;
    size_t n;
} strlist;

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
    }
    free(l->v);
}

/* The shared strings, in order. */
static strlist shared_strings(const char *xlsx)
{
    strlist l = {0};
    char *xml = tu_zip_member(xlsx, "xl/sharedStrings.xml");
    assert_non_null(xml);
    for (const char *p = strstr(xml, "<si>"); p; p = strstr(p + 1, "<si>")) {
        const char *t = strstr(p, "<t");
        t = strchr(t, '>') + 1;
        const char *e = strstr(t, "</t>");
        l.v = realloc(l.v, (l.n + 1) * sizeof *l.v);
        l.v[l.n++] = unxml(t, (size_t)(e - t));
    }
    free(xml);
    return l;
}

/* The number format of each cell style (cellXfs), by style index. */
static strlist cell_formats(const char *xlsx)
{
    strlist l = {0};
    char *xml = tu_zip_member(xlsx, "xl/styles.xml");
    assert_non_null(xml);
    const char *xfs = strstr(xml, "<cellXfs");
    assert_non_null(xfs);
    const char *end = strstr(xfs, "</cellXfs>");
    for (const char *p = strstr(xfs, "<xf "); p && p < end; p = strstr(p + 1, "<xf ")) {
        char *id = attr(p, "numFmtId");
        char *code = NULL;
        if (strcmp(id, "0") == 0) {
            code = strdup("General");
        } else {
            char key[64];
            snprintf(key, sizeof key, "<numFmt numFmtId=\"%s\"", id);
            const char *nf = strstr(xml, key);
            code = nf ? attr(nf, "formatCode") : strdup(id);
        }
        free(id);
        l.v = realloc(l.v, (l.n + 1) * sizeof *l.v);
        l.v[l.n++] = code;
    }
    free(xml);
    return l;
}

typedef struct {
    char *xml;      /* the sheet */
    strlist sst;    /* shared strings */
    strlist styles; /* number format per style */
} sheet;

static sheet open_sheet(const char *xlsx, int n)
{
    char name[64];
    snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", n);
    sheet s = {tu_zip_member(xlsx, name), shared_strings(xlsx), cell_formats(xlsx)};
    assert_non_null(s.xml);
    return s;
}

static void close_sheet(sheet *s)
{
    free(s->xml);
    strlist_free(&s->sst);
    strlist_free(&s->styles);
}

/* Column letter(s) of column c (0-based) and row r (1-based): "A1". */
static void ref(char *buf, int c, int r)
{
    if (c < 26) {
        snprintf(buf, 16, "%c%d", 'A' + c, r);
    } else {
        snprintf(buf, 16, "%c%c%d", 'A' + c / 26 - 1, 'A' + c % 26, r);
    }
}

typedef struct {
    int present;
    char type;  /* 's' shared string, 'n' number */
    char *text; /* the string, or the number as written */
    double num; /* 'n' */
    const char *format;
} xcell;

/* The cell at column c, row r (absent: present = 0). text is malloc'ed. */
static xcell get(const sheet *s, int c, int r)
{
    char want[32], key[48];
    ref(want, c, r);
    snprintf(key, sizeof key, "<c r=\"%s\"", want);
    xcell x = {0};
    const char *p = strstr(s->xml, key);
    if (!p) {
        return x;
    }
    x.present = 1;
    char *st = attr(p, "s"), *t = attr(p, "t");
    long si = st ? strtol(st, NULL, 10) : 0;
    x.format = (size_t)si < s->styles.n ? s->styles.v[si] : "General";
    x.type = t && strcmp(t, "s") == 0 ? 's' : 'n';
    const char *tag_end = strchr(p, '>');
    const char *v = strstr(p, "<v>");
    const char *next = strstr(p + 1, "<c ");
    if (tag_end[-1] == '/' || !v || (next && v > next)) {
        x.text = strdup("");
        x.type = 'b'; /* blank, styled */
    } else {
        v += 3;
        char *raw = strndup(v, strcspn(v, "<"));
        if (x.type == 's') {
            long k = strtol(raw, NULL, 10);
            assert_true((size_t)k < s->sst.n);
            x.text = strdup(s->sst.v[k]);
            free(raw);
        } else {
            x.text = raw;
            x.num = strtod(raw, NULL);
        }
    }
    free(st);
    free(t);
    return x;
}

/* Asserts the cell is the string want. */
static void assert_text(const sheet *s, int c, int r, const char *want)
{
    xcell x = get(s, c, r);
    char where[16];
    ref(where, c, r);
    if (!*want) {
        if (x.present && x.type != 'b') {
            fail_msg("%s: expected an empty cell, got '%s'", where, x.text);
        }
        free(x.text);
        return;
    }
    if (!x.present || x.type != 's' || strcmp(x.text, want) != 0) {
        fail_msg("%s: expected '%s', got %s '%s'", where, want,
                 x.present ? "" : "no cell", x.text ? x.text : "");
    }
    free(x.text);
}

/* Two numbers as SQLite prints them (15 digits) and as stored agree. */
static int same_number(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fmax(1, fabs(b));
}

/* Asserts the cell is the number `want` (SQLite's text of it) in number format `fmt`. */
static void assert_number(const sheet *s, int c, int r, const char *want, const char *fmt)
{
    xcell x = get(s, c, r);
    char where[16];
    ref(where, c, r);
    if (!x.present || x.type != 'n' || !same_number(x.num, strtod(want, NULL))) {
        fail_msg("%s: expected the number %s, got %s", where, want,
                 x.text ? x.text : "nothing");
    }
    if (strcmp(x.format, fmt) != 0) {
        fail_msg("%s: expected the format '%s', got '%s'", where, fmt, x.format);
    }
    free(x.text);
}

/* Days since 1899-12-30: the serial of a date in Excel's 1900 system. */
static long excel_day(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468 + 25569;
}

static void assert_date(const sheet *s, int c, int r, const char *iso)
{
    int y, m, d;
    assert_int_equal(sscanf(iso, "%d-%d-%d", &y, &m, &d), 3);
    char want[32];
    snprintf(want, sizeof want, "%ld", excel_day(y, m, d));
    assert_number(s, c, r, want, "dd.mm.yyyy");
}

/* Rows of a tu_sql result, split into fields. */
typedef struct {
    char ***rows;
    size_t n, nf;
} sqlrows;

static sqlrows query(const char *sql, size_t nf)
{
    char *text = tu_sql(F->db, sql);
    sqlrows q = {NULL, 0, nf};
    for (const char *p = text; *p;) {
        q.rows = realloc(q.rows, (q.n + 1) * sizeof *q.rows);
        q.rows[q.n] = calloc(nf, sizeof(char *));
        for (size_t k = 0; k < nf; k++) {
            q.rows[q.n][k] = report_fixture_field(&p, k + 1 == nf);
        }
        q.n++;
        p += *p == '\n';
    }
    free(text);
    return q;
}

static void query_free(sqlrows *q)
{
    for (size_t i = 0; i < q->n; i++) {
        for (size_t k = 0; k < q->nf; k++) {
            free(q->rows[i][k]);
        }
        free(q->rows[i]);
    }
    free(q->rows);
}

/* " | "-separated reasons as the sheet shows them: one per line. */
static char *lines_of(const char *explanation)
{
    strbuf sb = STRBUF_INIT;
    report_reasons(&sb, explanation);
    return sb_detach(&sb);
}

/* ---- XLSX ---- */

static void test_report_xlsx_sheets_frozen_filtered(void **state)
{
    (void)state;
    char *x = report_fixture_write(F, "2", "xlsx", "sheets.xlsx");
    char *wb = tu_zip_member(x, "xl/workbook.xml");
    const char *names[] = {"Список", "Цели", "Дорожная карта", "Значения", "Запуск"};
    const char *p = wb;
    for (int i = 0; i < 5; i++) {
        char key[96];
        snprintf(key, sizeof key, "<sheet name=\"%s\"", names[i]);
        const char *at = strstr(wb, key);
        if (!at || at < p) {
            fail_msg("sheet %d is not «%s»:\n%s", i + 1, names[i], wb);
        }
        p = at;
    }
    /* Five sheets, each with its header row frozen, an autofilter over every
       column and every row, and a width for each column. */
    const char *filters[] = {"A1:K5", "A1:P11", "A1:P5", "A1:I9", "A1:U2"};
    const int ncols[] = {11, 16, 16, 9, 21};
    for (int i = 0; i < 5; i++) {
        sheet s = open_sheet(x, i + 1);
        assert_non_null(strstr(s.xml, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane="
                                      "\"bottomLeft\" state=\"frozen\"/>"));
        char key[64];
        snprintf(key, sizeof key, "<autoFilter ref=\"%s\"/>", filters[i]);
        if (!strstr(s.xml, key)) {
            fail_msg("sheet %d: no %s", i + 1, key);
        }
        /* the columns repeated on every page: Print_Titles $A:$A or $A:$B */
        char titles[48];
        snprintf(titles, sizeof titles, "localSheetId=\"%d\">", i);
        const char *pt = strstr(wb, titles);
        const char *pe = pt ? strstr(pt, "</definedName>") : NULL;
        int repeated = 0;
        if (pt && pe) {
            char *def = strndup(pt, (size_t)(pe - pt));
            repeated = strstr(def, "!$A:$B") ? 2 : strstr(def, "!$A:$A") ? 1 : 0;
            free(def);
        }
        int cols = 0;
        double total = 0, rep = 0;
        for (const char *c = strstr(s.xml, "<col "); c; c = strstr(c + 1, "<col ")) {
            char *w = attr(c, "width");
            assert_true(strtod(w, NULL) >= 5); /* the header and its filter button */
            total += strtod(w, NULL);
            rep += cols < repeated ? strtod(w, NULL) : 0;
            free(w);
            cols++;
        }
        assert_int_equal(cols, ncols[i]);
        /* printed readable: at most 180 characters of width a page (72 % or
           more of A4 landscape), and no more pages than that needs */
        const char *ps = strstr(s.xml, "<pageSetup ");
        assert_non_null(ps);
        char *fit = strstr(ps, "fitToWidth=\"") && strstr(ps, "fitToWidth=\"") < strchr(ps, '>')
                        ? attr(ps, "fitToWidth")
                        : NULL;
        int pages = fit ? atoi(fit) : 1;
        free(fit);
        double page = (total + rep * (pages - 1)) / pages;
        double fewer = pages > 1 ? (total + rep * (pages - 2)) / (pages - 1) : 0;
        if (!(page <= 180 && (pages == 1 || fewer > 170))) {
            fail_msg("sheet %d: %.1f wide (%.1f repeated) on %d pages", i + 1, total, rep, pages);
        }
        close_sheet(&s);
    }
    /* The listing's reasons column is wider than its title, the № column narrow. */
    sheet s = open_sheet(x, 1);
    const char *c = strstr(s.xml, "<col min=\"11\"");
    assert_non_null(c);
    char *w = attr(c, "width");
    assert_true(strtod(w, NULL) > 60);
    free(w);
    c = strstr(s.xml, "<col min=\"1\"");
    w = attr(c, "width");
    assert_true(strtod(w, NULL) < 6);
    free(w);
    close_sheet(&s);
    /* A narrow column is still as wide as its header's longest word
       («Сравнение», 9 letters, broke as «Сравнен|ие» under its cap of 6). */
    s = open_sheet(x, 2);
    assert_text(&s, 11, 1, "Сравнение");
    c = strstr(s.xml, "<col min=\"12\"");
    assert_non_null(c);
    w = attr(c, "width");
    assert_true(strtod(w, NULL) >= 11);
    free(w);
    close_sheet(&s);
    /* The run-record sheet ends with what evaluated the run. */
    s = open_sheet(x, 5);
    assert_text(&s, 20, 1, "Программа");
    char *engine = tu_sql(F->db, "SELECT engine FROM runs WHERE id = 2");
    const char *want = "shnor " SHNOR_VERSION " (Lua 5.4.";
    assert_true(strncmp(engine, want, strlen(want)) == 0);
    assert_text(&s, 20, 2, engine);
    free(engine);
    close_sheet(&s);
    free(wb);
    free(x);
}

static void test_report_xlsx_listing_matches_run(void **state)
{
    (void)state;
    char *x = report_fixture_write(F, "2", "xlsx", "listing.xlsx");
    sheet s = open_sheet(x, 1);
    const char *head[] = {
        "№",      "Код",     "Школа",         "Территория",      "Категория",  "Критерии",
        "Статус", "Когорта", "Базовая школа", "Решение вручную", "Обоснование"};
    for (int c = 0; c < 11; c++) {
        assert_text(&s, c, 1, head[c]);
    }
    sqlrows q =
        query("SELECT seq, school, name, territory, category_title, criteria, status, "
              "explanation FROM run_listings WHERE run_id = 2 ORDER BY seq",
              8);
    assert_int_equal(q.n, 4);
    for (size_t i = 0; i < q.n; i++) {
        char **f = q.rows[i];
        int r = (int)i + 2;
        assert_number(&s, 0, r, f[0], "General");
        assert_text(&s, 1, r, f[1]);
        assert_text(&s, 2, r, f[2]);
        assert_text(&s, 3, r, f[3]);
        assert_text(&s, 4, r, f[4]);
        strbuf crit = STRBUF_INIT;
        for (const char *p = f[5]; *p; p++) {
            sb_puts(&crit, *p == ';' ? ", " : (char[]){*p, '\0'});
        }
        assert_text(&s, 5, r, crit.data);
        sb_free(&crit);
        assert_text(&s, 6, r,
                    strcmp(f[6], "listed") == 0 ? "в списке" : "недостаточно данных");
        char *why = lines_of(f[7]);
        assert_text(&s, 10, r, why);
        free(why);
    }
    /* School A has two reasons, on two lines, and a row tall enough for them. */
    xcell why = get(&s, 10, 2);
    assert_non_null(strchr(why.text, '\n'));
    free(why.text);
    assert_non_null(strstr(s.xml, "<row r=\"2\" spans=\"1:11\" ht=\""));
    assert_null(get(&s, 0, 6).text);
    query_free(&q);
    close_sheet(&s);
    free(x);
}

static const char *format_of_unit(const char *unit)
{
    return strcmp(unit, "share") == 0   ? "0.0%"
           : strcmp(unit, "score") == 0 ? "0.0"
                                        : "General";
}

static void test_report_xlsx_targets_numbers_in_their_format(void **state)
{
    (void)state;
    char *x = report_fixture_write(F, "2", "xlsx", "targets.xlsx");
    sheet s = open_sheet(x, 2);
    sqlrows q =
        query("SELECT target, scope, indicator, unit, baseline_period, baseline, period, "
              "actual, comparison, threshold, status, reason FROM run_targets "
              "WHERE run_id = 2 ORDER BY seq",
              12);
    assert_int_equal(q.n, 10); /* 4 of them schools 2022 lacked data for */
    int seen_met = 0, seen_not = 0, seen_none = 0;
    for (size_t i = 0; i < q.n; i++) {
        char **f = q.rows[i];
        int r = (int)i + 2;
        const char *fmt = format_of_unit(f[3]);
        assert_text(&s, 0, r, f[0]);
        assert_text(&s, 4, r, f[2]);
        assert_text(&s, 7, r, f[4]);
        if (*f[5]) {
            assert_number(&s, 8, r, f[5], fmt);
        }
        assert_text(&s, 9, r, f[6]);
        /* B's 22.53 % against ≤ 22.5 % would both show 22,5%: two decimals */
        const char *apart = strcmp(f[0], "fail_down") == 0 && strcmp(f[1], "B") == 0
                                ? "0.00%"
                                : fmt;
        if (*f[7]) {
            assert_number(&s, 10, r, f[7], apart);
        } else {
            assert_text(&s, 10, r, "нет данных");
        }
        assert_text(&s, 11, r, f[8]);
        if (*f[9]) {
            assert_number(&s, 12, r, f[9], apart);
        } else {
            assert_text(&s, 12, r, "");
        }
        const char *st = strcmp(f[10], "met") == 0       ? "выполнено"
                         : strcmp(f[10], "not_met") == 0 ? "не выполнено"
                                                         : "недостаточно данных";
        seen_met += strcmp(f[10], "met") == 0;
        seen_not += strcmp(f[10], "not_met") == 0;
        seen_none += strcmp(f[10], "insufficient_data") == 0;
        assert_text(&s, 13, r, st);
        assert_text(&s, 14, r, f[11]);
    }
    /* The fixture has each status, in the three units. */
    assert_true(seen_met && seen_not && seen_none);
    /* The pooled row names the category by its title. */
    assert_text(&s, 3, (int)q.n + 1, "low (школы с низкими результатами)");
    assert_text(&s, 6, 2, "доля");
    /* Statuses are coloured: three fills besides the two defaults. */
    char *styles = tu_zip_member(x, "xl/styles.xml");
    assert_non_null(strstr(styles, "<fgColor rgb=\"FFC6EFCE\"/>"));
    assert_non_null(strstr(styles, "<fgColor rgb=\"FFFFC7CE\"/>"));
    assert_non_null(strstr(styles, "<fgColor rgb=\"FFFFEB9C\"/>"));
    free(styles);
    query_free(&q);
    close_sheet(&s);
    free(x);
}

static void test_report_xlsx_roadmap_statuses_and_dates(void **state)
{
    (void)state;
    char *x = report_fixture_write(F, "2", "xlsx", "roadmap.xlsx");
    sheet s = open_sheet(x, 3);
    const char *head[] = {"№ п/п",
                          "Мероприятие",
                          "Сроки",
                          "Ответственные",
                          "Соисполнители",
                          "Ожидаемый результат",
                          "Показатель реализации",
                          "Отчетный документ",
                          "Статус"};
    for (int c = 0; c < 9; c++) {
        assert_text(&s, c, 1, head[c]);
    }
    sqlrows q =
        query("SELECT activity, title, due_text, responsible, coexecutors, result, "
              "indicator, document, section, owner, start, due, assignment_id "
              "FROM run_roadmap WHERE run_id = 2 ORDER BY seq",
              13);
    assert_int_equal(q.n, 4);
    for (size_t i = 0; i < q.n; i++) {
        char **f = q.rows[i];
        int r = (int)i + 2;
        for (int c = 0; c < 8; c++) {
            assert_text(&s, c, r, f[c]);
        }
        int done = strtol(f[12], NULL, 10) == F->done_id;
        assert_text(&s, 8, r, done ? "выполнено" : "запланировано");
        assert_text(&s, 9, r, f[8]);
        assert_text(&s, 10, r, f[9]);
        assert_date(&s, 11, r, f[10]);
        assert_date(&s, 12, r, f[11]);
        assert_text(&s, 13, r, done ? "Справка №5 от 10.03.2023" : "");
        if (done) {
            assert_date(&s, 14, r, "2023-03-10");
        }
        assert_number(&s, 15, r, f[12], "General");
    }
    query_free(&q);
    close_sheet(&s);
    free(x);

    /* Run 1 was a dry run on a database with no roadmap stored yet. */
    x = report_fixture_write(F, "1", "xlsx", "roadmap1.xlsx");
    s = open_sheet(x, 3);
    for (int r = 2; r <= 5; r++) {
        assert_text(&s, 8, r, "не сохранено");
        assert_text(&s, 15, r, "");
    }
    close_sheet(&s);
    free(x);
}

static void test_report_xlsx_values_read(void **state)
{
    (void)state;
    char *x = report_fixture_write(F, "2", "xlsx", "values.xlsx");
    sheet s = open_sheet(x, 4);
    sqlrows q =
        query("SELECT l.school, l.name, r.criterion, r.kind, r.indicator, r.period, "
              "r.value, i.unit FROM run_reads r JOIN run_listings l ON l.run_id = "
              "r.run_id AND l.seq = r.listing_seq JOIN indicators i ON i.code = "
              "r.indicator WHERE r.run_id = 2 ORDER BY r.seq",
              8);
    assert_int_equal(q.n, 8);
    for (size_t i = 0; i < q.n; i++) {
        char **f = q.rows[i];
        int r = (int)i + 2;
        assert_text(&s, 0, r, f[0]);
        assert_text(&s, 1, r, f[1]);
        assert_text(&s, 3, r, f[2]);
        assert_text(&s, 4, r, strcmp(f[3], "mean") == 0 ? "среднее" : "значение");
        assert_text(&s, 5, r, f[4]);
        assert_text(&s, 7, r, f[5]);
        if (*f[6]) {
            assert_number(&s, 8, r, f[6], format_of_unit(f[7]));
        } else {
            assert_text(&s, 8, r, "нет данных");
        }
    }
    assert_text(&s, 6, 2, "Доля неуспевающих");
    query_free(&q);
    close_sheet(&s);
    free(x);
}

static void test_report_xlsx_same_run_same_bytes(void **state)
{
    (void)state;
    char *a = report_fixture_write(F, "2", "xlsx", "a.xlsx");
    sleep(1); /* a clock in the file would now differ */
    char *b = report_fixture_write(F, "2", "xlsx", "b.xlsx");
    size_t la, lb;
    char *da = tu_read(a, &la), *db = tu_read(b, &lb);
    assert_int_equal(la, lb);
    assert_memory_equal(da, db, la);
    /* The creation date is the run's end. */
    char *core = tu_zip_member(a, "docProps/core.xml");
    char *fin = tu_sql(F->db, "SELECT finished_at FROM runs WHERE id = 2");
    fin[strcspn(fin, "\n")] = '\0';
    char want[96];
    snprintf(want, sizeof want,
             "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>", fin);
    if (!strstr(core, want)) {
        fail_msg("no %s in\n%s", want, core);
    }
    assert_non_null(strstr(core, "<dc:title>Фикстура &lt;&amp;&gt; «Район»</dc:title>"));
    free(core);
    free(fin);
    free(da);
    free(db);
    free(a);
    free(b);
}

static void test_report_xlsx_several_runs(void **state)
{
    (void)state;
    char *x = report_fixture_write(F, "1,2", "xlsx", "both.xlsx");
    char *wb = tu_zip_member(x, "xl/workbook.xml");
    assert_non_null(strstr(wb, "<sheet name=\"ДК #1 fx\""));
    assert_non_null(strstr(wb, "<sheet name=\"ДК #2 fx\""));
    free(wb);
    sheet s = open_sheet(x, 1);
    assert_text(&s, 0, 1, "Запуск");
    assert_text(&s, 0, 2, "#1 fx 2023");
    assert_text(&s, 2, 2, "A");
    assert_text(&s, 0, 6, "#2 fx 2023");
    assert_text(&s, 2, 6, "A");
    close_sheet(&s);
    s = open_sheet(x, 6); /* Запуск: a row per run */
    assert_text(&s, 0, 1, "Запуск");
    assert_number(&s, 0, 2, "1", "General");
    assert_number(&s, 0, 3, "2", "General");
    assert_text(&s, 1, 3, "fx");
    assert_text(&s, 12, 1, "Дорожная карта сохранена");
    assert_text(&s, 12, 2, "нет");
    assert_text(&s, 12, 3, "да");
    close_sheet(&s);
    free(x);
}

/* A roadmap sheet's name is cut to Excel's 31 characters by characters,
   never inside one (regression: a cut by bytes left half a Cyrillic letter,
   and the workbook was not UTF-8). Last: it adds runs 3 and 4 to the fixture. */
static void test_report_xlsx_sheet_names_cut_by_characters(void **state)
{
    (void)state;
    char *dir = tu_path(F->dir, "long");
    assert_int_equal(mkdir(dir, 0755), 0);
    char *pack = tu_path(dir, "long.lua");
    tu_write_str(pack, "return { id = 'абвгдеёжзийклмнопрстуфхцчшщ', title = 'Д', version = '1',\n"
                       "  source = 'П', period = '2023', categories = { low = 'Л' },\n"
                       "  criteria = { { id = 'c',\n"
                       "  category = 'low', title = 'C', test = function() return false end } } }\n");
    free(report_fixture_ok(F, "run", "--packs", dir, NULL));
    char *x = report_fixture_write(F, "1,3", "xlsx", "long.xlsx");
    char *wb = tu_zip_member(x, "xl/workbook.xml");
    /* "ДК #3 " and 25 letters: 31 characters */
    if (!strstr(wb, "<sheet name=\"ДК #3 абвгдеёжзийклмнопрстуфхцч\"")) {
        fail_msg("%s", wb);
    }
    /* an id of 3-byte characters, 63 bytes: kept whole (regression: when its
       bytes did not fit 64, the sheet was «ДК #4 » with no id at all) */
    tu_write_str(pack, "return { id = '学校学校学校学校学校学校学校学校学校学校学', title = 'Д',\n"
                       "  version = '1', source = 'П', period = '2023', categories = { low = 'Л' },\n"
                       "  criteria = { { id = 'c',\n"
                       "  category = 'low', title = 'C', test = function() return false end } } }\n");
    free(report_fixture_ok(F, "run", "--packs", dir, NULL));
    free(x);
    x = report_fixture_write(F, "1,4", "xlsx", "wide.xlsx");
    free(wb);
    wb = tu_zip_member(x, "xl/workbook.xml");
    if (!strstr(wb, "<sheet name=\"ДК #4 学校学校学校学校学校学校学校学校学校学校学\"")) {
        fail_msg("%s", wb);
    }
    free(wb);
    free(x);
    free(pack);
    free(dir);
}

/* The listing sheet says a cohort in the pack's words and a mentor with its
   name, as the page does; not the ids «persistent», «C» (runs 1-4 are the
   tests' above: this one is run 5). */
static void test_report_xlsx_cohort_and_mentor_in_words(void **state)
{
    (void)state;
    char *dir = tu_path(F->dir, "cohorts");
    assert_int_equal(mkdir(dir, 0755), 0);
    char *pack = tu_path(dir, "c.lua");
    tu_write_str(pack, "return { id = 'fc', title = 'К', version = '1', source = 'П',\n"
                       "  period = '2023', categories = { low = 'Л' },\n"
                       "  criteria = { { id = 'f', category = 'low', title = 'выше 20%',\n"
                       "    test = function(s, p) return s:value('fail', p) > 0.2 end } },\n"
                       "  cohorts = { { id = 'first', category = 'low', title = 'впервые в "
                       "списке',\n"
                       "    test = function() return true end } },\n"
                       "  mentors = { { mentor = 'C', schools = { 'A' } } } }\n");
    free(report_fixture_ok(F, "run", "--packs", dir, NULL));
    char *x = report_fixture_write(F, "5", "xlsx", "cohorts.xlsx");
    sheet s = open_sheet(x, 1);
    assert_text(&s, 1, 2, "A");
    assert_text(&s, 7, 2, "впервые в списке");
    assert_text(&s, 8, 2, "C МКОУ «СОШ №3»");
    assert_text(&s, 1, 3, "B");
    assert_text(&s, 7, 3, "впервые в списке");
    assert_null(get(&s, 8, 3).text);
    close_sheet(&s);
    free(x);
    free(pack);
    free(dir);
}

/* ---- HTML ---- */

static char *html_of(const char *runs, const char *name)
{
    char *path = report_fixture_write(F, runs, "html", name);
    char *text = tu_read(path, NULL);
    assert_non_null(text);
    free(path);
    return text;
}

static void test_report_html_self_contained_and_printable(void **state)
{
    (void)state;
    char *h = html_of("2", "self.html");
    const char *banned[] = {"<script", "<link", "src=",   "href=", "url(",
                            "@import", "http:", "https:", "<img",  "<iframe"};
    for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++) {
        if (strstr(h, banned[i])) {
            fail_msg("the page refers outside itself: %s", banned[i]);
        }
    }
    assert_non_null(strstr(h, "<meta charset=\"utf-8\">"));
    assert_non_null(strstr(h, "@page { size: A4;"));
    assert_non_null(strstr(h, "thead { display: table-header-group; }"));
    assert_non_null(strstr(h, "break-inside: avoid"));
    /* The header: the territory, the pack's title escaped, the order. */
    assert_non_null(strstr(h, "<p class=\"territory\">Район</p>"));
    assert_non_null(strstr(h, "<h1>Фикстура &lt;&amp;&gt; «Район»</h1>"));
    assert_non_null(strstr(h, "<p class=\"order\">Приказ №1 от 09.01.2023</p>"));
    assert_null(strstr(h, "<&>"));
    free(h);
}

static void test_report_html_listing_and_targets(void **state)
{
    (void)state;
    char *h = html_of("2", "tables.html");
    /* The listing, in order, each reason an item. */
    const char *a = strstr(h, "<td class=\"code\">A</td>");
    const char *b = strstr(h, "<td class=\"code\">B</td>");
    const char *d = strstr(h, "<td class=\"code\">D</td>");
    const char *e = strstr(h, "<td class=\"code\">E</td>");
    assert_true(a && b && d && e && a < b && b < d && d < e);
    assert_non_null(strstr(a,
                           "<li>Доля неуспевающих выше 20%: Доля неуспевающих (2023) = "
                           "25,0%</li><li>Балл ЕГЭ ниже среднего:"));
    assert_non_null(
        strstr(e, "<td class=\"st st-insufficient_data\">недостаточно данных</td>"));
    /* The target table: values in the unit, the threshold, the status. */
    const char *t = strstr(h, "<table class=\"targets\">");
    assert_non_null(t);
    assert_non_null(
        strstr(t, "<td class=\"num\">30,0% <span class=\"meaning per\">(2022)</span>"
                  "</td><td class=\"num\">25,0%</td><td class=\"num\">≤ 27,0%</td>"
                  "<td class=\"st st-met\">выполнено</td>"));
    /* an actual and a threshold alike at one decimal get the digits that
       tell them apart (a tester read «22,5% ≤ 22,5%, не выполнено») */
    assert_non_null(strstr(t, "<td class=\"num\">22,53%</td><td class=\"num\">≤ 22,50%</td>"
                              "<td class=\"st st-not_met\">не выполнено</td>"));
    assert_non_null(strstr(h, ">порог ≤ 22,50%</text>"));
    assert_non_null(strstr(t, "<td class=\"num\">70,0</td><td class=\"num\">≥ 68,3</td>"
                              "<td class=\"st st-met\">выполнено</td>"));
    assert_non_null(strstr(t, "<td class=\"num\">нет данных</td><td class=\"num\">—</td>"
                              "<td class=\"st st-insufficient_data\">"));
    assert_non_null(strstr(t,
                           "<td class=\"scope\">школы с низкими результатами</td><td class=\"code\">2023"
                           "</td><td class=\"num\">—</td><td class=\"num\">4</td>"
                           "<td class=\"num\">≥ 5</td>"));
    assert_non_null(strstr(h, "Поручения</th><td>4: запланировано 3, выполнено 1</td>"));
    assert_non_null(strstr(h, "<tr><th>Программа</th><td>shnor " SHNOR_VERSION " (Lua 5.4."));
    free(h);
}

/* The number in attribute name of the tag at p. */
static double num_attr(const char *p, const char *name)
{
    char *v = attr(p, name);
    if (!v) {
        fail_msg("no %s in %.80s", name, p);
    }
    double d = strtod(v, NULL);
    free(v);
    return d;
}

static void test_report_html_chart_marks_match_run(void **state)
{
    (void)state;
    char *h = html_of("2", "charts.html");
    sqlrows q =
        query("SELECT target, baseline, actual, threshold, status FROM run_targets "
              "WHERE run_id = 2 ORDER BY seq",
              5);
    /* One chart per target, in the order first stored. */
    const char *targets[] = {"fail_down", "ege_mean", "trained"};
    size_t row = 0, marks = 0, values = 0;
    const char *p = h;
    for (int k = 0; k < 3; k++) {
        const char *svg = strstr(p, "<svg class=\"chart\"");
        assert_non_null(svg);
        char *tg = attr(svg, "data-target");
        assert_string_equal(tg, targets[k]);
        double lo = num_attr(svg, "data-min"), hi = num_attr(svg, "data-max");
        double x0 = num_attr(svg, "data-x0"), x1 = num_attr(svg, "data-x1");
        assert_true(hi > lo && x1 > x0);
        const char *end = strstr(svg, "</svg>");
        /* The rows of this target in the run, band by band. */
        size_t band = 0;
        for (; row < q.n && strcmp(q.rows[row][0], tg) == 0; row++, band++) {
            const char *kinds[] = {"baseline", "actual", "threshold"};
            for (int m = 0; m < 3; m++) {
                const char *db = q.rows[row][1 + m];
                if (*db) {
                    values++;
                }
                /* Find the mark of this kind and band. */
                char want[64];
                snprintf(want, sizeof want, "data-row=\"%zu\"", band);
                const char *mk = svg, *found = NULL;
                while ((mk = strstr(mk + 1, "class=\"mark ")) && mk < end) {
                    const char *tag = mk;
                    while (*tag != '<') {
                        tag--;
                    }
                    char *cls = attr(tag, "class");
                    int match = strncmp(cls + 5, kinds[m], strlen(kinds[m])) == 0 &&
                                strstr(tag, want) && strstr(tag, want) < strchr(tag, '>');
                    free(cls);
                    if (match) {
                        found = tag;
                        break;
                    }
                }
                if (!*db) {
                    if (found) {
                        fail_msg("%s band %zu: a %s mark without a value", tg, band,
                                 kinds[m]);
                    }
                    continue;
                }
                if (!found) {
                    fail_msg("%s band %zu: no %s mark for %s", tg, band, kinds[m], db);
                }
                marks++;
                double v = strtod(db, NULL), dv = num_attr(found, "data-value");
                if (!same_number(dv, v)) {
                    fail_msg("%s band %zu %s: data-value %g, the run has %s", tg, band,
                             kinds[m], dv, db);
                }
                assert_true(v >= lo && v <= hi);
                double want_x = x0 + (v - lo) / (hi - lo) * (x1 - x0);
                double got_x = m == 2 ? num_attr(found, "x1")
                                      : num_attr(found, "x") + num_attr(found, "width");
                if (fabs(got_x - want_x) > 0.011) {
                    fail_msg("%s band %zu %s: drawn at x=%.2f, %g belongs at %.3f", tg,
                             band, kinds[m], got_x, v, want_x);
                }
                if (m == 1) {
                    /* The actual bar says whether it met the target. */
                    const char *st = strcmp(q.rows[row][4], "met") == 0 ? "actual met"
                                     : strcmp(q.rows[row][4], "not_met") == 0
                                         ? "actual not_met"
                                         : "actual insufficient";
                    char cls[48];
                    snprintf(cls, sizeof cls, "class=\"mark %s\"", st);
                    assert_true(strncmp(found + 6, cls, strlen(cls)) == 0);
                }
            }
        }
        assert_true(band > 0);
        free(tg);
        p = end;
    }
    assert_int_equal(row, q.n);
    assert_int_equal(marks, values);
    size_t total = 0;
    for (const char *mk = strstr(h, "class=\"mark "); mk;
         mk = strstr(mk + 1, "class=\"mark ")) {
        total++;
    }
    assert_int_equal(total, values);
    /* The band without an actual value says so. */
    assert_non_null(strstr(h, "<text class=\"nodata\""));
    assert_null(strstr(h, "nan"));
    query_free(&q);
    free(h);
}

static void test_report_html_same_run_same_bytes(void **state)
{
    (void)state;
    char *a = html_of("1,2", "a.html");
    char *b = html_of("1,2", "b.html");
    assert_string_equal(a, b);
    /* Two runs: two sections, the second on a new page. */
    assert_non_null(strstr(a, "<section class=\"run\" id=\"run-1\">"));
    assert_non_null(strstr(a, "<section class=\"run\" id=\"run-2\">"));
    assert_non_null(strstr(a, "section.run + section.run { break-before: page;"));
    assert_non_null(strstr(a, "Поручения</th><td>4 (не сохранялись)</td>"));
    assert_non_null(strstr(a, "Поручения</th><td>4: запланировано 3, выполнено 1</td>"));
    free(a);
    free(b);
}

/* ---- the chart's axis, without a database ---- */

static char *chart_of(store_run_target_row *rows, size_t n)
{
    report_run rr;
    memset(&rr, 0, sizeof rr);
    rr.targets = rows;
    rr.ntargets = n;
    size_t idx[8];
    for (size_t i = 0; i < n; i++) {
        idx[i] = i;
    }
    strbuf sb = STRBUF_INIT;
    report_svg_chart(&sb, &rr, idx, n);
    return sb_detach(&sb);
}

static store_run_target_row trow(const char *unit, double b, double a, double t,
                                 const char *status)
{
    store_run_target_row r;
    memset(&r, 0, sizeof r);
    r.target = "t";
    r.title = "T";
    r.scope = "S";
    r.unit = unit;
    r.period = "2023";
    r.baseline = b;
    r.actual = a;
    r.threshold = t;
    r.comparison = ">=";
    r.status = status;
    return r;
}

static void test_report_svg_axis_edges(void **state)
{
    (void)state;
    /* Negative values: the axis starts below them, bars grow left from 0. */
    store_run_target_row neg[] = {trow("index", -0.4, 0.2, 0, "met")};
    char *svg = chart_of(neg, 1);
    double lo = num_attr(svg, "data-min"), hi = num_attr(svg, "data-max");
    assert_true(lo <= -0.4 && lo > -1 && hi >= 0.2);
    const char *b = strstr(svg, "class=\"mark baseline\"");
    while (*b != '<') {
        b--;
    }
    double x0 = num_attr(svg, "data-x0"), x1 = num_attr(svg, "data-x1");
    double zero = x0 + (0 - lo) / (hi - lo) * (x1 - x0);
    double left = x0 + (-0.4 - lo) / (hi - lo) * (x1 - x0);
    assert_true(fabs(num_attr(b, "x") - left) < 0.011);
    assert_true(fabs(num_attr(b, "x") + num_attr(b, "width") - zero) < 0.011);
    free(svg);

    /* Every value zero: still a usable axis (0 to 100% for a share). */
    store_run_target_row zeros[] = {trow("share", 0, 0, 0, "met")};
    svg = chart_of(zeros, 1);
    assert_true(num_attr(svg, "data-min") == 0 && num_attr(svg, "data-max") >= 1);
    assert_null(strstr(svg, "nan"));
    assert_null(strstr(svg, "inf"));
    free(svg);

    /* Nothing known: no marks, and the band says there is no value. */
    store_run_target_row none[] = {trow("share", NAN, NAN, NAN, "insufficient_data")};
    svg = chart_of(none, 1);
    assert_null(strstr(svg, "class=\"mark "));
    assert_non_null(strstr(svg, "нет данных"));
    assert_null(strstr(svg, "nan"));
    free(svg);

    /* The largest value is below the axis end, with room for its label. */
    store_run_target_row top[] = {trow("share", NAN, 0.15, 0.10, "not_met")};
    svg = chart_of(top, 1);
    assert_true(num_attr(svg, "data-max") > 0.15 + 1e-9);
    free(svg);
}

/* ---- the command line ---- */

static void test_report_cli_errors(void **state)
{
    (void)state;
    char *err = NULL, *path = tu_path(F->dir, "x.xlsx");
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "99",
                            "--format", "xlsx", "-o", path, NULL),
                     9);
    assert_non_null(strstr(err, "there is no run 99"));
    assert_null(tu_read(path, NULL));
    free(err);
    assert_int_equal(
        tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "1", NULL), 2);
    free(err);
    assert_int_equal(
        tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "x", "-o", path, NULL),
        2);
    assert_non_null(strstr(err, "--run 'x'"));
    free(err);
    /* "1," lacks the id after the comma */
    assert_int_equal(
        tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "1,", "-o", path, NULL), 2);
    assert_non_null(strstr(err, "--run '1,'"));
    free(err);
    /* an extension that is no format says so (it said "--format ''") */
    char *pdf = tu_path(F->dir, "r.pdf");
    assert_int_equal(
        tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "1", "-o", pdf, NULL), 2);
    assert_non_null(strstr(err, "cannot tell the format from the file name"));
    free(err);
    free(pdf);
    /* the extension in capitals, as Windows writes it */
    char *caps = tu_path(F->dir, "REPORT.XLSX");
    assert_int_equal(
        tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "1", "-o", caps, NULL), 0);
    size_t caps_len = 0;
    char *zip = tu_read(caps, &caps_len);
    assert_true(zip && caps_len > 4 && memcmp(zip, "PK\3\4", 4) == 0);
    free(zip);
    free(caps);
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "1",
                            "--format", "pdf", "-o", path, NULL),
                     2);
    free(err);
    /* The format follows from the file's extension. */
    char *html = tu_path(F->dir, "by-ext.html");
    assert_int_equal(
        tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "1", "-o", html, NULL),
        0);
    char *text = tu_read(html, NULL);
    assert_true(text && strncmp(text, "<!DOCTYPE html>", 15) == 0);
    free(text);
    free(err);
    /* A directory that does not exist: exit 8, no file left. */
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "1", "-o",
                            "/nonexistent/dir/r.xlsx", NULL),
                     8);
    assert_non_null(strstr(err, "cannot write '/nonexistent/dir/r.xlsx': No such file or directory"));
    assert_null(strstr(err, "[ERROR]")); /* libxlsxwriter's own line is not shown */
    free(err);
    assert_int_equal(tu_run(NULL, NULL, &err, "--db", F->db, "report", "--run", "1", "-o",
                            "/nonexistent/dir/r.html", NULL),
                     8);
    free(err);
    /* HTML to standard output. */
    char *out = NULL;
    assert_int_equal(tu_run(NULL, &out, NULL, "--db", F->db, "report", "--run", "1",
                            "--format", "html", "-o", "-", NULL),
                     0);
    assert_non_null(strstr(out, "<h1>Фикстура &lt;&amp;&gt; «Район»</h1>"));
    free(out);
    free(html);
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_xlsx_sheets_frozen_filtered),
        cmocka_unit_test(test_report_xlsx_listing_matches_run),
        cmocka_unit_test(test_report_xlsx_targets_numbers_in_their_format),
        cmocka_unit_test(test_report_xlsx_roadmap_statuses_and_dates),
        cmocka_unit_test(test_report_xlsx_values_read),
        cmocka_unit_test(test_report_xlsx_same_run_same_bytes),
        cmocka_unit_test(test_report_xlsx_several_runs),
        cmocka_unit_test(test_report_html_self_contained_and_printable),
        cmocka_unit_test(test_report_html_listing_and_targets),
        cmocka_unit_test(test_report_html_chart_marks_match_run),
        cmocka_unit_test(test_report_html_same_run_same_bytes),
        cmocka_unit_test(test_report_svg_axis_edges),
        cmocka_unit_test(test_report_cli_errors),
        cmocka_unit_test(test_report_xlsx_sheet_names_cut_by_characters),
        cmocka_unit_test(test_report_xlsx_cohort_and_mentor_in_words),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
