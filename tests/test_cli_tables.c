/*
 * test_cli_tables.c — what every command that prints a list promises
 * (README, "Reports"): --format table|csv|json; the table fits the width
 * ($COLUMNS, else the terminal's, else 80) with Cyrillic measured by display
 * width; colour only on a terminal, never with NO_COLOR. Driven through the
 * built binary on the report fixture (a kept run with listing, targets and
 * roadmap); the terminal is a pseudo-terminal from script(1).
 */
#include "report_fixture.h"

#include "strbuf.h"
#include "table.h"
#include "textwidth.h"

static report_fixture *F;
static char *PACK;

static int group_setup(void **state)
{
    (void)state;
    F = report_fixture_new();
    PACK = tu_path(F->packs, "fx.lua");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    free(PACK);
    report_fixture_free(F);
    return 0;
}

/* The list commands, each as its arguments after --db DB (NULL-ended). */
#define MAXARGS 12
static const char *const commands[][MAXARGS] = {
    {"list", "--pack", "@PACK", "--period", "2023", "--explain", NULL},
    {"targets", "--pack", "@PACK", "--period", "2023", NULL},
    {"roadmap", "--pack", "@PACK", "--period", "2023", NULL},
    {"assignments", NULL},
    {"override", "list", NULL},
    {"runs", NULL},
    {"show-run", "2", NULL},
    {"show-run", "2", "--part", "roadmap", NULL},
    {"diff", "1", "2", NULL},
    {"whatif", "--pack", "@PACK", "--vs", "@PACK", "--period", "2023", NULL},
    {"export", "indicators", NULL},
    {"export", "schools", NULL},
    {"export", "values", NULL},
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

/* argv for command k with --format f (NULL: none) appended. */
static void argv_of(size_t k, const char *format, char **argv)
{
    size_t n = 0;
    argv[n++] = (char *)"--db";
    argv[n++] = F->db;
    for (size_t i = 0; commands[k][i]; i++) {
        argv[n++] = strcmp(commands[k][i], "@PACK") == 0 ? PACK : (char *)commands[k][i];
    }
    if (format) {
        argv[n++] = (char *)"--format";
        argv[n++] = (char *)format;
    }
    argv[n] = NULL;
}

static char *run_cmd(size_t k, const char *format)
{
    char *argv[MAXARGS + 6];
    argv_of(k, format, argv);
    char *out = NULL, *err = NULL;
    int rc = tu_runv(NULL, &out, &err, argv);
    if (rc != 0) {
        fail_msg("%s %s: exit %d\n%s", commands[k][0],
                 commands[k][1] ? commands[k][1] : "", rc, err);
    }
    free(err);
    return out;
}

/* The widest line of text, in display columns. */
static size_t widest(const char *text, const char **line)
{
    size_t max = 0;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, "\n");
        size_t w = utf8_display_width(p, n);
        if (w > max) {
            max = w;
            *line = p;
        }
        p += n + (p[n] == '\n');
    }
    return max;
}

static void test_cli_tables_every_list_has_three_formats(void **state)
{
    (void)state;
    for (size_t k = 0; k < NCOMMANDS; k++) {
        char *csv = run_cmd(k, "csv");
        char *json = run_cmd(k, "json");
        char *tab = run_cmd(k, "table");
        /* CSV: a header line of names; JSON: an array or an object. */
        assert_true(strlen(csv) > 0 && strchr(csv, '\n') && strchr(csv, ','));
        assert_true(json[0] == '[' || json[0] == '{');
        assert_true(strlen(tab) > 0);
        /* The table is not the CSV. */
        assert_true(strcmp(tab, csv) != 0);
        free(csv);
        free(json);
        free(tab);
    }
}

static void test_cli_tables_fit_the_width(void **state)
{
    (void)state;
    const char *widths[] = {"60", "80", "100"};
    for (size_t w = 0; w < 3; w++) {
        setenv("COLUMNS", widths[w], 1);
        size_t limit = (size_t)atoi(widths[w]);
        for (size_t k = 0; k < NCOMMANDS; k++) {
            char *out = run_cmd(k, NULL);
            const char *line = out;
            size_t got = widest(out, &line);
            if (got > limit) {
                fail_msg("%s %s at COLUMNS=%s: a line of %zu columns:\n%.*s",
                         commands[k][0], commands[k][1] ? commands[k][1] : "", widths[w],
                         got, (int)strcspn(line, "\n"), line);
            }
            assert_null(strchr(out, '\033')); /* not a terminal: no colour */
            free(out);
        }
    }
    unsetenv("COLUMNS");
}

/* Runs command k on a pseudo-terminal 100 columns wide; the output as seen. */
static char *on_terminal(size_t k, int no_color)
{
    char *argv[MAXARGS + 6];
    argv_of(k, NULL, argv);
    strbuf cmd = STRBUF_INIT;
    sb_printf(&cmd, "%sCOLUMNS=100 '%s'", no_color ? "NO_COLOR=1 " : "",
              getenv("SHNOR_BIN") ? getenv("SHNOR_BIN") : "build/shnor");
    for (size_t i = 0; argv[i]; i++) {
        sb_printf(&cmd, " '%s'", argv[i]);
    }
    char *dir = tu_tmpdir(), *file = tu_path(dir, "tty.txt");
    strbuf sh = STRBUF_INIT;
    sb_printf(&sh, "script -qec \"%s\" /dev/null >'%s' 2>/dev/null </dev/null", cmd.data,
              file);
    assert_int_equal(system(sh.data), 0);
    char *text = tu_read(file, NULL);
    tu_rmrf(dir);
    free(dir);
    free(file);
    sb_free(&sh);
    sb_free(&cmd);
    return text;
}

static void test_cli_tables_colour_only_on_a_terminal(void **state)
{
    (void)state;
    if (system("command -v script >/dev/null 2>&1") != 0) {
        skip();
    }
    /* The commands whose tables colour a status. */
    const size_t coloured[] = {0, 1, 3, 5, 6};
    for (size_t i = 0; i < sizeof coloured / sizeof coloured[0]; i++) {
        size_t k = coloured[i];
        char *tty = on_terminal(k, 0);
        char *plain = on_terminal(k, 1);
        if (!strstr(tty, "\033[")) {
            fail_msg("%s: no colour on a terminal:\n%s", commands[k][0], tty);
        }
        if (strchr(plain, '\033')) {
            fail_msg("%s: colour with NO_COLOR set", commands[k][0]);
        }
        free(tty);
        free(plain);
    }
}

static void test_cli_tables_align_cyrillic(void **state)
{
    (void)state;
    setenv("COLUMNS", "200", 1);
    /* In the listing the status column starts at the same display column on
       every row, whatever the school names' byte lengths. */
    char *out = run_cmd(0, NULL);
    unsetenv("COLUMNS");
    long col = -1;
    int rows = 0;
    for (const char *p = out; *p;) {
        size_t n = strcspn(p, "\n");
        const char *st = strstr(p, "в списке");
        const char *st2 = strstr(p, "недостаточно данных");
        const char *hit = st && st < p + n ? st : st2 && st2 < p + n ? st2 : NULL;
        if (hit && p[0] >= 'A' && p[0] <= 'E' && p[1] == ' ') { /* a school's row */
            long c = (long)utf8_display_width(p, (size_t)(hit - p));
            if (col >= 0 && c != col) {
                fail_msg("status at column %ld, not %ld:\n%.*s", c, col, (int)n, p);
            }
            col = c;
            rows++;
        }
        p += n + (p[n] == '\n');
    }
    assert_int_equal(rows, 4);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cli_tables_every_list_has_three_formats),
        cmocka_unit_test(test_cli_tables_fit_the_width),
        cmocka_unit_test(test_cli_tables_colour_only_on_a_terminal),
        cmocka_unit_test(test_cli_tables_align_cyrillic),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
