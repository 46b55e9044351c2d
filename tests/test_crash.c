/*
 * test_crash.c — crash safety: shnor processes killed with SIGKILL at random
 * points (deterministic seeds, delays drawn over the length of an
 * uninterrupted run) during large imports and during year-end runs of the
 * five seed packs. After every kill the database passes `PRAGMA
 * integrity_check` and holds each file or run whole or not at all:
 *
 *  - an import batch has all its rows or does not exist, and no period has a
 *    part of its file;
 *  - a kept run has exactly the listing, reads, targets, roadmap, columns
 *    and modules an uninterrupted run of that pack keeps, its assignments
 *    are all there or none, no stored source lacks its run, and `shnor
 *    runs` shows only those runs; a kept run still replays identically.
 *
 * $SHNOR_CRASH_KILLS sets how many kills land in a running process for each
 * (default 12; `make crash` asks for 60).
 */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testproc.h"

enum { NSCHOOLS = 3000, NINDS = 10 };

typedef tu_scratch fixture;

static int kills_wanted(void)
{
    const char *v = getenv("SHNOR_CRASH_KILLS");
    int n = v && *v ? atoi(v) : 12;
    return n > 0 ? n : 12;
}

static void assert_integrity(const char *db)
{
    char *r = tu_sql(db, "PRAGMA integrity_check");
    assert_string_equal(r, "ok");
    free(r);
    r = tu_sql(db, "PRAGMA foreign_key_check");
    assert_string_equal(r, "");
    free(r);
}

/* Every values batch is a whole file of n rows, and so is every period. */
static void assert_imports_whole(const char *db, long n)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM batches b WHERE b.kind = 'values' AND "
             "(b.rows <> %ld OR b.inserted + b.replaced + b.unchanged <> b.rows OR "
             "(SELECT count(*) FROM observations o WHERE o.batch_id = b.id) <> "
             "b.inserted + b.replaced)",
             n);
    assert_int_equal(tp_sql_long(db, sql), 0);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM (SELECT period, count(*) AS c FROM observations "
             "GROUP BY period) WHERE c <> %ld",
             n);
    assert_int_equal(tp_sql_long(db, sql), 0);
}

static long period_rows(const char *db, const char *period)
{
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM observations WHERE period = '%s'",
             period);
    return tp_sql_long(db, sql);
}

static void test_crash_import_whole_or_absent(void **state)
{
    fixture *f = *state;
    int want = kills_wanted();
    char *ind = tu_path(f->dir, "indicators.csv"), *sch = tu_path(f->dir, "schools.csv"),
         *vals = tu_path(f->dir, "values.csv");
    tp_write_indicators(ind, NINDS);
    tp_write_schools(sch, NSCHOOLS);
    tp_must("init", "--db", f->db, "init", NULL);
    tp_must("indicators", "--db", f->db, "import", "indicators", ind, NULL);
    tp_must("schools", "--db", f->db, "import", "schools", sch, NULL);

    /* An uninterrupted import of one file measures how long one takes. */
    long n = tp_write_values(vals, NSCHOOLS, NINDS, "1900", 0);
    double t0 = tp_now();
    tp_must("values", "--db", f->db, "import", "values", vals, NULL);
    double span = tp_now() - t0;
    assert_int_equal(period_rows(f->db, "1900"), n);

    uint64_t seed = 0x5eed1u;
    int kills = 0, whole = 0, absent = 0, redone = 0;
    for (int i = 1; kills < want && i <= 3 * want; i++) {
        char period[16];
        snprintf(period, sizeof period, "%d", 1900 + i);
        assert_int_equal(tp_write_values(vals, NSCHOOLS, NINDS, period, (unsigned)i), n);
        double delay = tp_uniform(&seed) * span * 1.1;
        pid_t pid = tp_spawn(NULL, "--db", f->db, "import", "values", vals, NULL);
        tp_sleep(delay);
        int st = tp_kill(pid);
        if (st == 128 + 9) {
            kills++;
        } else {
            assert_int_equal(st, 0); /* it finished before the kill */
            /* so it takes less than delay: the first import, timed on a
               cold cache, may have taken longer than the rest (CI once got
               too few kills for that); aim within what it takes now */
            span = delay;
        }
        assert_integrity(f->db);
        assert_imports_whole(f->db, n);
        long have = period_rows(f->db, period);
        if (have == n) {
            whole++;
        } else {
            assert_int_equal(have, 0);
            absent++;
        }
        /* The database is still writable: the same file goes in whole. */
        if (i % 4 == 0) {
            tp_must("re-import", "--db", f->db, "import", "values", vals, NULL);
            assert_int_equal(period_rows(f->db, period), n);
            assert_imports_whole(f->db, n);
            redone++;
        }
    }
    assert_true(kills >= want);
    printf("   import of %ld rows (%.2f s): %d kills; files then whole: %d, absent: %d; "
           "%d imported again whole\n",
           n, span, kills, whole, absent, redone);
    free(ind);
    free(sch);
    free(vals);
}

/* One line per kept run: its pack and how many rows each part has. */
static const char *run_signature_sql =
    "SELECT r.pack_id || ' ' || r.period || ' ' || r.schools || ' ' || r.listed || ' ' "
    "|| "
    "r.insufficient || ' ' || r.assignments || ' ' || "
    "(SELECT count(*) FROM run_listings x WHERE x.run_id = r.id) || ' ' || "
    "(SELECT count(*) FROM run_reads x WHERE x.run_id = r.id) || ' ' || "
    "(SELECT count(*) FROM run_targets x WHERE x.run_id = r.id) || ' ' || "
    "(SELECT count(*) FROM run_roadmap x WHERE x.run_id = r.id) || ' ' || "
    "(SELECT count(*) FROM run_columns x WHERE x.run_id = r.id) || ' ' || "
    "(SELECT count(*) FROM run_modules x WHERE x.run_id = r.id) "
    "FROM runs r ORDER BY r.id";

static const char *assignments_sql =
    "SELECT c.pack_id || ' ' || count(*) FROM assignments a "
    "JOIN activities c ON c.id = a.activity_id GROUP BY c.pack_id ORDER BY c.pack_id";

/* 1 when line is one of the lines of text. */
static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len == n && memcmp(p, line, n) == 0) {
            return 1;
        }
        if (!nl) {
            break;
        }
        p = nl + 1;
    }
    return 0;
}

/* Every line of got is one of the lines of ref. */
static void assert_lines_in(const char *got, const char *ref, const char *what)
{
    char *copy = strdup(got);
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        if (!has_line(ref, line)) {
            fail_msg("%s: '%s' is not what an uninterrupted run keeps:\n%s", what, line,
                     ref);
        }
    }
    free(copy);
}

static void test_crash_run_whole_or_absent(void **state)
{
    fixture *f = *state;
    int want = kills_wanted();
    char *ref = tu_path(f->dir, "ref.db"), *rules = tu_top_path("rules");
    tp_must("init", "--db", f->db, "init", NULL);
    tp_import_demo(f->db);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cp '%s' '%s' && if [ -f '%s-wal' ]; then cp '%s-wal' '%s-wal'; fi", f->db,
             ref, f->db, f->db, ref);
    assert_int_equal(system(cmd), 0);

    /* The reference: an uninterrupted run on a copy of the same data. */
    double t0 = tp_now();
    tp_must("reference run", "--db", ref, "run", "--packs", rules, "--apply-roadmaps",
            NULL);
    double span = tp_now() - t0;
    char *ref_runs = tu_sql(ref, run_signature_sql);
    char *ref_assign = tu_sql(ref, assignments_sql);
    assert_int_equal(tu_count_lines(ref_runs), 5);

    uint64_t seed = 0x5eed2u;
    int kills = 0, replays = 0;
    long kept = 0;
    for (int i = 1; kills < want && i <= 3 * want; i++) {
        double delay = tp_uniform(&seed) * span * 1.1;
        pid_t pid = tp_spawn(NULL, "--db", f->db, "run", "--packs", rules,
                             "--apply-roadmaps", NULL);
        tp_sleep(delay);
        int st = tp_kill(pid);
        if (st == 128 + 9) {
            kills++;
        } else {
            assert_int_equal(st, 0);
            span = delay; /* it takes less than delay (as in the import above) */
        }
        assert_integrity(f->db);
        char *runs = tu_sql(f->db, run_signature_sql);
        assert_lines_in(runs, ref_runs, "a run after a kill");
        char *assign = tu_sql(f->db, assignments_sql);
        assert_lines_in(assign, ref_assign, "assignments after a kill");
        assert_int_equal(tp_sql_long(f->db,
                                     "SELECT count(*) FROM sources s WHERE NOT EXISTS "
                                     "(SELECT 1 FROM runs r WHERE r.pack_sha256 = "
                                     "s.sha256) AND NOT EXISTS (SELECT 1 FROM "
                                     "run_modules m WHERE m.sha256 = s.sha256)"),
                         0);
        kept = runs[0] ? tu_count_lines(runs) : 0;
        /* What `runs` shows is what is kept. */
        char *out = NULL, *err = NULL;
        assert_int_equal(
            tu_run(NULL, &out, &err, "--db", f->db, "runs", "--format", "csv", NULL), 0);
        assert_int_equal(tu_count_lines(out), kept + 1);
        free(out);
        free(err);
        if (kept && i % 5 == 0) {
            char id[24];
            snprintf(id, sizeof id, "%ld",
                     tp_sql_long(f->db, "SELECT max(id) FROM runs"));
            assert_int_equal(tu_run(NULL, &out, &err, "--db", f->db, "replay", id, NULL),
                             0);
            free(out);
            free(err);
            replays++;
        }
        free(runs);
        free(assign);
    }
    assert_true(kills >= want);
    printf("   year-end run of 5 packs (%.2f s): %d kills; %ld pack runs kept whole; "
           "%d replayed identically\n",
           span, kills, kept, replays);
    free(ref_runs);
    free(ref_assign);
    free(ref);
    free(rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_crash_import_whole_or_absent, tu_scratch_setup,
                                        tu_scratch_teardown),
        cmocka_unit_test_setup_teardown(test_crash_run_whole_or_absent, tu_scratch_setup, tu_scratch_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
