/*
 * test_report_apps.c — the reports in the programs people open them with:
 * LibreOffice (headless) reads the XLSX, and its conversion of every sheet to
 * CSV — the cells as shown, and the numbers as stored — matches the run;
 * headless Chromium renders the HTML page to A4 PDF with its tables and
 * charts as text, keeps every chart mark when it parses the page, and takes
 * a screenshot.
 *
 * Needs libreoffice-calc-nogui, chromium and poppler-utils
 * (`scripts/install-deps reports`): `make test-reports` installs them and runs
 * this suite; `make test` runs it only when they are there.
 */
#include "report_fixture.h"

#include <math.h>

#include "csv.h"
#include "strbuf.h"

static report_fixture *F;

static int have(const char *prog)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
    return system(cmd) == 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (!have("soffice") || !have("chromium") || !have("pdfinfo") || !have("pdftotext")) {
        fprintf(stderr,
                "test_report_apps: needs soffice, chromium, pdfinfo and pdftotext "
                "(scripts/install-deps reports)\n");
        return -1;
    }
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

/* Runs a shell command; fails the test unless it exits 0. */
static void sh(const char *cmd)
{
    int rc = system(cmd);
    if (rc != 0) {
        fail_msg("command failed (%d): %s", rc, cmd);
    }
}

/* ---- CSV ---- */

typedef struct {
    char ***rows;
    size_t *nf;
    size_t n;
} table_csv;

static table_csv read_csv(const char *path)
{
    size_t len = 0;
    char *data = tu_read(path, &len);
    if (!data) {
        fail_msg("LibreOffice wrote no %s", path);
    }
    csv_reader *r = NULL;
    assert_int_equal(csv_open(data, len, ',', &r), 0);
    table_csv t = {0};
    csv_record rec;
    char err[256];
    int rc;
    while ((rc = csv_next(r, &rec, err, sizeof err)) == 1) {
        t.rows = realloc(t.rows, (t.n + 1) * sizeof *t.rows);
        t.nf = realloc(t.nf, (t.n + 1) * sizeof *t.nf);
        t.rows[t.n] = calloc(rec.nfields + 1, sizeof(char *));
        for (size_t i = 0; i < rec.nfields; i++) {
            t.rows[t.n][i] = strdup(rec.fields[i]);
        }
        t.nf[t.n++] = rec.nfields;
    }
    assert_int_equal(rc, 0);
    csv_close(r);
    return t;
}

static void csv_free(table_csv *t)
{
    for (size_t i = 0; i < t->n; i++) {
        for (size_t k = 0; k < t->nf[i]; k++) {
            free(t->rows[i][k]);
        }
        free(t->rows[i]);
    }
    free(t->rows);
    free(t->nf);
}

/* Cell (row r from 0 = header, column c) of a converted sheet, "" past its end. */
static const char *at(const table_csv *t, size_t r, size_t c)
{
    return r < t->n && c < t->nf[r] ? t->rows[r][c] : "";
}

static void expect(const table_csv *t, const char *sheet, size_t r, size_t c,
                   const char *want)
{
    const char *got = at(t, r, c);
    if (strcmp(got, want) != 0) {
        fail_msg("«%s» row %zu column %zu: LibreOffice shows '%s', the run has '%s'",
                 sheet, r + 1, c + 1, got, want);
    }
}

/* The number a raw cell holds: "0.0738" or, for a percent format, "7.38%". */
static double raw_number(const char *s)
{
    char *end = NULL;
    double v = strtod(s, &end);
    return end && *end == '%' ? v / 100 : v;
}

static void expect_number(const table_csv *t, const char *sheet, size_t r, size_t c,
                          const char *want)
{
    double got = raw_number(at(t, r, c)), w = strtod(want, NULL);
    if (fabs(got - w) > 1e-12 * fmax(1, fabs(w))) {
        fail_msg("«%s» row %zu column %zu: LibreOffice holds %s, the run has %s", sheet,
                 r + 1, c + 1, at(t, r, c), want);
    }
}

/* A number as the cell's format shows it in LibreOffice's en-US locale,
   with extra decimals beyond the unit's. */
static void shown_prec(char *buf, size_t len, const char *unit, const char *value, int extra)
{
    double v = strtod(value, NULL);
    if (!*value) {
        snprintf(buf, len, "нет данных");
    } else if (strcmp(unit, "share") == 0) {
        snprintf(buf, len, "%.*f%%", 1 + extra, v * 100);
    } else if (strcmp(unit, "score") == 0) {
        snprintf(buf, len, "%.*f", 1 + extra, v);
    } else {
        snprintf(buf, len, "%g", v);
    }
}

static void shown(char *buf, size_t len, const char *unit, const char *value)
{
    shown_prec(buf, len, unit, value, 0);
}

/* The extra decimals an actual and a threshold that differ get, so that
   they do not show alike (22.53% against 22.50%, not 22.5% and 22.5%). */
static int extra_apart(const char *unit, const char *a, const char *b)
{
    if (!*a || !*b || strtod(a, NULL) == strtod(b, NULL)) {
        return 0;
    }
    for (int extra = 0; extra <= 6; extra++) {
        char x[64], y[64];
        shown_prec(x, sizeof x, unit, a, extra);
        shown_prec(y, sizeof y, unit, b, extra);
        if (strcmp(x, y) != 0) {
            return extra;
        }
    }
    return 0;
}

/* "2023-03-15" as "15.03.2023". */
static void shown_date(char *buf, size_t len, const char *iso)
{
    int y, m, d;
    assert_int_equal(sscanf(iso, "%d-%d-%d", &y, &m, &d), 3);
    snprintf(buf, len, "%02d.%02d.%04d", d, m, y);
}

/* tu_sql rows split into fields (the last runs to the end of its line). */
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

/* Converts every sheet of xlsx to CSV in dir: as shown (shown = 1) or as stored. */
static void convert(const char *xlsx, const char *dir, int as_shown)
{
    char *profile = tu_tmpdir();
    char cmd[2048];
    /* Filter options: ',' '"' UTF-8, from line 1, en-US, as shown or not,
       every sheet (-1) to its own file. */
    snprintf(
        cmd, sizeof cmd,
        "soffice -env:UserInstallation=file://%s --headless --norestore --convert-to "
        "'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,%s,false,false,-1' "
        "--outdir '%s' '%s' >/dev/null 2>&1",
        profile, as_shown ? "true" : "false", dir, xlsx);
    sh(cmd);
    tu_rmrf(profile);
    free(profile);
}

static table_csv sheet_csv(const char *dir, const char *base, const char *sheet)
{
    char name[256];
    snprintf(name, sizeof name, "%s-%s.csv", base, sheet);
    char *path = tu_path(dir, name);
    table_csv t = read_csv(path);
    free(path);
    return t;
}

static void test_report_apps_libreoffice_reads_every_sheet(void **state)
{
    (void)state;
    char *xlsx = report_fixture_write(F, "2", "xlsx", "lo.xlsx");
    char *shown_dir = tu_path(F->dir, "shown"), *raw_dir = tu_path(F->dir, "raw");
    convert(xlsx, shown_dir, 1);
    convert(xlsx, raw_dir, 0);
    char buf[128];

    /* Список */
    table_csv s = sheet_csv(shown_dir, "lo", "Список");
    sqlrows q =
        query("SELECT seq, school, name, territory, category_title, criteria, status, "
              "explanation FROM run_listings WHERE run_id = 2 ORDER BY seq",
              8);
    assert_int_equal(s.n, q.n + 1);
    expect(&s, "Список", 0, 10, "Обоснование");
    for (size_t i = 0; i < q.n; i++) {
        char **f = q.rows[i];
        expect(&s, "Список", i + 1, 0, f[0]);
        expect(&s, "Список", i + 1, 1, f[1]);
        expect(&s, "Список", i + 1, 2, f[2]);
        expect(&s, "Список", i + 1, 3, f[3]);
        expect(&s, "Список", i + 1, 4, f[4]);
        expect(&s, "Список", i + 1, 6,
               strcmp(f[6], "listed") == 0 ? "в списке" : "недостаточно данных");
        strbuf why = STRBUF_INIT;
        for (const char *p = f[7]; *p;) {
            const char *sep = strstr(p, " | ");
            size_t n = sep ? (size_t)(sep - p) : strlen(p);
            sb_append(&why, p, n);
            if (sep) {
                sb_putc(&why, '\n');
            }
            p += n + (sep ? 3 : 0);
        }
        expect(&s, "Список", i + 1, 10, why.data);
        sb_free(&why);
    }
    query_free(&q);
    csv_free(&s);

    /* Цели: shown in the indicator's format, stored exactly. */
    s = sheet_csv(shown_dir, "lo", "Цели");
    table_csv raw = sheet_csv(raw_dir, "lo", "Цели");
    q = query(
        "SELECT target, scope, unit, baseline_period, baseline, period, actual, "
        "comparison, threshold, status FROM run_targets WHERE run_id = 2 ORDER BY seq",
        10);
    assert_int_equal(s.n, q.n + 1);
    for (size_t i = 0; i < q.n; i++) {
        char **f = q.rows[i];
        size_t r = i + 1;
        expect(&s, "Цели", r, 0, f[0]);
        expect(&s, "Цели", r, 7, f[3]);
        if (*f[4]) {
            shown(buf, sizeof buf, f[2], f[4]);
            expect(&s, "Цели", r, 8, buf);
            expect_number(&raw, "Цели", r, 8, f[4]);
        } else {
            /* a baseline owed (its period known) and missing reads «нет данных» */
            expect(&s, "Цели", r, 8, *f[3] ? "нет данных" : "");
        }
        expect(&s, "Цели", r, 9, f[5]);
        int extra = extra_apart(f[2], f[6], f[8]);
        shown_prec(buf, sizeof buf, f[2], f[6], extra);
        expect(&s, "Цели", r, 10, buf);
        if (*f[6]) {
            expect_number(&raw, "Цели", r, 10, f[6]);
        }
        expect(&s, "Цели", r, 11, f[7]);
        if (*f[8]) {
            shown_prec(buf, sizeof buf, f[2], f[8], extra);
            expect(&s, "Цели", r, 12, buf);
            expect_number(&raw, "Цели", r, 12, f[8]);
        }
        expect(&s, "Цели", r, 13,
               strcmp(f[9], "met") == 0       ? "выполнено"
               : strcmp(f[9], "not_met") == 0 ? "не выполнено"
                                              : "недостаточно данных");
    }
    /* For instance: */
    expect(&s, "Цели", 1, 8, "30.0%");
    expect(&s, "Цели", 1, 12, "27.0%");
    query_free(&q);
    csv_free(&s);
    csv_free(&raw);

    /* Дорожная карта: the seeds' columns, live statuses, dates as dates. */
    s = sheet_csv(shown_dir, "lo", "Дорожная карта");
    q = query(
        "SELECT activity, title, due_text, responsible, coexecutors, result, indicator, "
        "document, section, owner, start, due, assignment_id FROM run_roadmap "
        "WHERE run_id = 2 ORDER BY seq",
        13);
    assert_int_equal(s.n, q.n + 1);
    expect(&s, "Дорожная карта", 0, 0, "№ п/п");
    expect(&s, "Дорожная карта", 0, 8, "Статус");
    for (size_t i = 0; i < q.n; i++) {
        char **f = q.rows[i];
        size_t r = i + 1;
        for (size_t c = 0; c < 8; c++) {
            expect(&s, "Дорожная карта", r, c, f[c]);
        }
        int done = strtol(f[12], NULL, 10) == F->done_id;
        expect(&s, "Дорожная карта", r, 8, done ? "выполнено" : "запланировано");
        expect(&s, "Дорожная карта", r, 9, f[8]);
        expect(&s, "Дорожная карта", r, 10, f[9]);
        shown_date(buf, sizeof buf, f[10]);
        expect(&s, "Дорожная карта", r, 11, buf);
        shown_date(buf, sizeof buf, f[11]);
        expect(&s, "Дорожная карта", r, 12, buf);
        expect(&s, "Дорожная карта", r, 14, done ? "10.03.2023" : "");
        expect(&s, "Дорожная карта", r, 15, f[12]);
    }
    query_free(&q);
    csv_free(&s);

    /* Значения */
    s = sheet_csv(shown_dir, "lo", "Значения");
    raw = sheet_csv(raw_dir, "lo", "Значения");
    q = query(
        "SELECT l.school, r.criterion, r.indicator, r.period, i.unit, r.value "
        "FROM run_reads r JOIN run_listings l ON l.run_id = r.run_id AND l.seq = "
        "r.listing_seq JOIN indicators i ON i.code = r.indicator WHERE r.run_id = 2 "
        "ORDER BY r.seq",
        6);
    assert_int_equal(s.n, q.n + 1);
    for (size_t i = 0; i < q.n; i++) {
        char **f = q.rows[i];
        size_t r = i + 1;
        expect(&s, "Значения", r, 0, f[0]);
        expect(&s, "Значения", r, 3, f[1]);
        expect(&s, "Значения", r, 5, f[2]);
        expect(&s, "Значения", r, 7, f[3]);
        shown(buf, sizeof buf, f[4], f[5]);
        expect(&s, "Значения", r, 8, buf);
        if (*f[5]) {
            expect_number(&raw, "Значения", r, 8, f[5]);
        }
    }
    query_free(&q);
    csv_free(&s);
    csv_free(&raw);

    /* Запуск */
    s = sheet_csv(shown_dir, "lo", "Запуск");
    q = query(
        "SELECT id, pack_id, pack_version, pack_title, pack_order, period, schools, "
        "listed, finished_at, engine FROM runs WHERE id = 2",
        10);
    assert_int_equal(q.n, 1);
    char **f = q.rows[0];
    for (size_t c = 0; c < 5; c++) {
        expect(&s, "Запуск", 1, c, f[c]); /* id, pack, version, title, order */
    }
    expect(&s, "Запуск", 1, 6, f[5]);
    expect(&s, "Запуск", 1, 8, f[6]);
    expect(&s, "Запуск", 1, 9, f[7]);
    int y, mo, d, h, mi, sec;
    assert_int_equal(sscanf(f[8], "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec), 6);
    snprintf(buf, sizeof buf, "%02d.%02d.%04d %02d:%02d:%02d", d, mo, y, h, mi, sec);
    expect(&s, "Запуск", 1, 15, buf);
    expect(&s, "Запуск", 1, 20, f[9]);
    query_free(&q);
    csv_free(&s);

    free(shown_dir);
    free(raw_dir);
    free(xlsx);
}

/* Runs headless Chromium on the page with `what` (e.g. --print-to-pdf=F). */
static void chromium(const char *page, const char *what, const char *stdout_to)
{
    char *profile = tu_tmpdir();
    char cmd[2048];
    snprintf(
        cmd, sizeof cmd,
        "chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
        "--disable-background-networking --disable-component-update --disable-sync "
        "--user-data-dir='%s' %s 'file://%s' >%s 2>/dev/null",
        profile, what, page, stdout_to ? stdout_to : "/dev/null");
    sh(cmd);
    tu_rmrf(profile);
    free(profile);
}

static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static void test_report_apps_chromium_renders_the_page(void **state)
{
    (void)state;
    char *page = report_fixture_write(F, "2", "html", "page.html");
    char *pdf = tu_path(F->dir, "page.pdf"), *info = tu_path(F->dir, "info.txt");
    char *text = tu_path(F->dir, "page.txt"), *dom = tu_path(F->dir, "dom.html");
    char *png = tu_path(F->dir, "page.png");
    char what[1024], cmd[2048];

    /* Printed: A4, its tables and the charts' words there as text. */
    snprintf(what, sizeof what, "--no-pdf-header-footer --print-to-pdf='%s'", pdf);
    chromium(page, what, NULL);
    snprintf(cmd, sizeof cmd, "pdfinfo '%s' >'%s' && pdftotext -layout '%s' '%s'", pdf,
             info, pdf, text);
    sh(cmd);
    char *i = tu_read(info, NULL), *t = tu_read(text, NULL);
    assert_non_null(strstr(i, "(A4)"));
    const char *words[] = {"Фикстура <&> «Район»",
                           "Приказ №1 от 09.01.2023",
                           "Список школ",
                           "МКОУ «СОШ №1»",
                           "Целевые показатели",
                           "не выполнено",
                           "недостаточно данных",
                           "Графики целевых показателей",
                           "порог ≤ 27,0%",
                           "порог ≥ 68,3",
                           "нет данных"};
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        if (!strstr(t, words[k])) {
            fail_msg("the printed page has no '%s':\n%s", words[k], t);
        }
    }
    free(i);
    free(t);

    /* Parsed: every chart and every mark is still there. */
    chromium(page, "--dump-dom", dom);
    char *src = tu_read(page, NULL), *d = tu_read(dom, NULL);
    assert_non_null(d);
    assert_int_equal(count(d, "<svg class=\"chart\""), 3);
    assert_int_equal(count(d, "class=\"mark "), count(src, "class=\"mark "));
    assert_true(count(src, "class=\"mark ") >= 10);
    free(src);
    free(d);

    /* A screenshot: a PNG of the window's width. */
    snprintf(what, sizeof what, "--window-size=1000,2600 --screenshot='%s'", png);
    chromium(page, what, NULL);
    size_t len = 0;
    unsigned char *p = (unsigned char *)tu_read(png, &len);
    assert_non_null(p);
    assert_true(len > 20000);
    assert_memory_equal(p, "\x89PNG\r\n\x1a\n", 8);
    unsigned long w = (unsigned long)p[16] << 24 | p[17] << 16 | p[18] << 8 | p[19];
    assert_int_equal(w, 1000);
    free(p);
    free(pdf);
    free(info);
    free(text);
    free(dom);
    free(png);
    free(page);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_apps_libreoffice_reads_every_sheet),
        cmocka_unit_test(test_report_apps_chromium_renders_the_page),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
